import { problem } from '@talent-export/export';
import { describe, expect, it } from 'vitest';
import { ProblemScope } from './scope.js';

describe('ProblemScope', () => {
  it('counts a problem listing ids (maybe the one asked for too) without saying it is only about others', () => {
    const scope = new ProblemScope(new Set(['1000000003']), new Set());
    scope.add(
      problem(
        'CANDIDATE_IN_SEVERAL_PARTS',
        '1 time(s) a candidate folder continues in another part: 1000000003',
      ),
    );
    const [elsewhere] = scope.problems();
    expect(elsewhere!.code).toBe('PROBLEMS_ELSEWHERE');
    expect(elsewhere!.message).not.toContain('1000000003');
    expect(elsewhere!.message).toContain("or list candidate ids among which others' may be");
  });

  it.each([
    ['MARKER_COPY', '2 copies of empty.txt in 1 candidate folder(s) are not counted: 1000000007'],
    ['ATTACHMENT_COPY', '1 attachment file(s) in 1 candidate folder(s) are copies: 1000000007'],
    ['CANDIDATE_FOLDER_COPY', "1 candidate folder(s) are copies made beside the candidate's own: 1000000007"],
  ] as const)('keeps the ids %s lists out of a bundle for another candidate', (code, message) => {
    const scope = new ProblemScope(new Set(['1000000003']), new Set());
    scope.add(problem(code, message));
    const [elsewhere] = scope.problems();
    expect(elsewhere!.code).toBe('PROBLEMS_ELSEWHERE');
    expect(elsewhere!.message).not.toContain('1000000007');
  });
});
