import { execFileSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { scratchDir, unzipTest } from './testing/helpers.js';
import { ZipWriter } from './zip-writer.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

it('uses Zip64 sizes and offsets for an entry over 4 GiB and the entry after it', async () => {
  const path = join(scratch.root, 'big.zip');
  const size = 2 ** 32 + 4096;
  const zip = await ZipWriter.create(path);
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16));
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  await zip.addStored('Attachments_1-2/Candidate_1/Public/resume.pdf', size, async (emit) => {
    for (let left = size; left > 0; left -= chunk.length) {
      await emit(cipher.update(chunk.subarray(0, Math.min(chunk.length, left))));
    }
  });
  await zip.addStored('Attachments_1-2/Candidate_2/Public/empty.txt', 0, async () => {});
  await zip.close();
  expect(statSync(path).size).toBeGreaterThan(size);
  unzipTest(path);
  const seen = execFileSync(
    'python3',
    [
      '-c',
      'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print([(i.file_size, i.header_offset) for i in z.infolist()])',
      path,
    ],
    { encoding: 'utf8' },
  );
  expect(seen.trim()).toBe(`[(${size}, 0), (0, ${size + 30 + 45 + 20})]`);
});
