// The attachment index runs beside the tables on the main thread: it must let other work in as it goes,
// not only when it waits for the next read of a central directory (thousands of entries at a time).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { generateExport } from '@talent-export/sample';
import { afterAll, expect, it } from 'vitest';
import { HAND_BACK_EVERY, indexAttachments } from './attachments.js';
import { createProgress } from './progress.js';

const work = mkdtempSync(join(tmpdir(), 'index-turns-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('hands the event loop back every few hundred attachments, however many one read of a directory holds', async () => {
  const dir = join(work, 'export');
  // One part, its central directory under 1 MiB: one read gives every entry.
  await generateExport({ dir, candidates: 1200, attachmentsMb: 2, partMb: 100 });
  const ex = await openExport(dir);
  try {
    const context = {
      signal: new AbortController().signal,
      progress: createProgress({ quiet: true }),
      quiet: true,
      out: () => undefined,
      err: () => undefined,
    };
    let records = 0;
    let sinceTurn = 0;
    let longest = 0;
    let running = true;
    const turn = () => {
      longest = Math.max(longest, sinceTurn);
      sinceTurn = 0;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const summary = await indexAttachments(ex, context, undefined, () => {
      records += 1;
      sinceTurn += 1;
    });
    running = false;
    expect(summary.files).toBe(records);
    expect(records).toBeGreaterThan(4 * HAND_BACK_EVERY);
    expect(longest).toBeLessThanOrEqual(HAND_BACK_EVERY);
  } finally {
    await ex.close();
  }
});
