// The worker thread checking zip parts, from the build (the worker's module exists only there).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDownload } from './download.fixture.js';
import type * as Internal from './internal.js';

const { VerifyThread } = (await import('../dist/internal.js' as string)) as typeof Internal;
const f = makeDownload({ parts: [['1'], ['2'], ['3', '4']] });
const parts = readdirSync(f.dir)
  .filter((name) => name.startsWith('Attachment_'))
  .sort()
  .map((name) => join(f.dir, name));
afterAll(() => f.cleanup());

/** The names a part's batches give, and the problems it ends with. */
async function names(checking: AsyncGenerator<Internal.VerifyBatch, unknown>): Promise<string[]> {
  const out: string[] = [];
  let step = await checking.next();
  for (; !step.done; step = await checking.next()) out.push(...step.value.name);
  return out;
}

describe('VerifyThread', () => {
  it('checks part after part on one thread, started at the first and stopped by close', async () => {
    const thread = new VerifyThread();
    expect(thread.threadId).toBeUndefined();
    const seen = new Set<number | undefined>();
    const listed: string[] = [];
    for (const part of parts) {
      listed.push(...(await names(thread.verify(part, part, {}, undefined))));
      seen.add(thread.threadId);
    }
    expect(listed.filter((name) => name.endsWith('.pdf'))).toEqual([
      'Attachments_1-1/Candidate_1/Public/resume_candidate1.pdf',
      'Attachments_2-2/Candidate_2/Public/resume_candidate2.pdf',
      'Attachments_3-4/Candidate_3/Public/resume_candidate3.pdf',
      'Attachments_3-4/Candidate_4/Public/resume_candidate4.pdf',
    ]);
    expect(seen.size).toBe(1);
    expect([...seen][0]).toBeGreaterThan(0);
    await thread.close();
    expect(thread.threadId).toBeUndefined();
  });

  it('stops the thread of a part left part way, and checks the next part on another', async () => {
    const thread = new VerifyThread();
    const checking = thread.verify(parts[2]!, 'part', {}, undefined);
    await checking.next();
    const first = thread.threadId;
    await checking.return([]);
    expect(thread.threadId).toBeUndefined();
    expect(await names(thread.verify(parts[0]!, 'part', {}, undefined))).toContain(
      'Attachments_1-1/Candidate_1/Public/resume_candidate1.pdf',
    );
    expect(thread.threadId).not.toBe(first);
    await thread.close();
  });
});
