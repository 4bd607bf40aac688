// Archives written one after another (a bundle per candidate) reuse the hashing thread's shared buffers:
// given back to that thread one by one, they stayed until it collected garbage, which it seldom does.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createZip } from './bundle.js';
import { tempDir } from './readers.test-helpers.js';

it('keeps memory flat over 300 archives written one after another, each with the right sha256', async () => {
  const dir = tempDir();
  try {
    const before = process.memoryUsage().arrayBuffers;
    let highest = 0;
    for (let i = 0; i < 300; i++) {
      const zip = createZip(join(dir, `Candidate_${i}.zip`));
      await zip.add({ name: 'candidate.json', bytes: Buffer.from(`{"candidate_id":"${i}"}\n`) });
      const written = await zip.close();
      expect(written.sha256).toBe(createHash('sha256').update(readFileSync(written.path)).digest('hex'));
      rmSync(written.path);
      highest = Math.max(highest, process.memoryUsage().arrayBuffers - before);
    }
    // Two 512 KiB buffers an archive: 300 MB if none came back.
    expect(highest).toBeLessThan(64 * 1024 * 1024);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
