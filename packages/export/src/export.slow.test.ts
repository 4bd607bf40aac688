// A larger generated export: the index still matches the ground truth, and the heap does not grow with it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateExport } from '@talent-export/sample';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './download.fixture.js';
import { openExport } from './index.js';

const root = tempDir('talent-export-slow-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a 400 MB, 100 000-candidate export', () => {
  it('indexes every part against the ground truth in bounded heap, and verifies every byte', async () => {
    const dir = join(root, 'big');
    const truth = await generateExport({
      dir,
      seed: 5,
      candidates: 100_000,
      attachmentsMb: 400,
      partMb: 100,
    });
    const ex = await openExport(dir);
    const it = ex.indexAttachments();
    let heap = 0;
    let n = 0;
    let step = await it.next();
    for (; !step.done; step = await it.next()) {
      if (++n % 10_000 === 0) heap = Math.max(heap, process.memoryUsage().heapUsed);
    }
    const summary = step.value;
    expect([summary.files, summary.markers, summary.bytes, summary.candidates]).toEqual([
      truth.attachments.files,
      truth.attachments.markers,
      truth.attachments.bytes,
      truth.attachments.candidates,
    ]);
    expect(summary.parts.length).toBe(truth.attachments.parts.length);
    expect([...ex.problems, ...summary.problems]).toEqual([]);
    // One small number per candidate id; nothing per file (there are several hundred thousand entries).
    expect(heap).toBeLessThan(150 * 1024 * 1024);
    const verifying = ex.verifyAttachments();
    let done = await verifying.next();
    while (!done.done) done = await verifying.next();
    const verified = done.value;
    expect(verified.parts.map((p) => p.verifiedBytes)).toEqual(truth.attachments.parts.map((p) => p.bytes));
    await ex.close();
  });
});
