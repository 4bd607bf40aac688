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
});
