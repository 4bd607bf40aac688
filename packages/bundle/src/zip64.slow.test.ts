// Zip64 at real sizes: entries over 4 GiB (stored and deflated, streamed, of declared and undeclared size),
// entries and a central directory past 4 GiB; then the same entries copied raw. Generated, streamed and
// deleted here. Run with `pnpm --filter @talent-export/bundle test:slow`.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openZip } from '@talent-export/zip';
import { afterAll, expect, it } from 'vitest';
import { createZip } from './bundle.js';
import { checkWithReaders, rawOf, run, tempDir, verifyOurs } from './readers.test-helpers.js';

const folder = tempDir();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const BIG = 4 * GiB + 3 * MiB;
/** One MiB of noise repeated: deflate's 32 KiB window never sees the repeat, so it stays incompressible. */
const block = Buffer.alloc(MiB);
for (let i = 0, x = 7; i < block.length; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  block[i] = x >>> 24;
}
async function* bytes(total: number) {
  for (let left = total; left > 0; left -= block.length)
    yield block.subarray(0, Math.min(block.length, left));
}

const first = join(folder, 'big.zip');
const copy = join(folder, 'copy.zip');

it('writes entries over 4 GiB and a central directory past 4 GiB that every reader accepts', async () => {
  const zip = createZip(first, { level: 1 });
  await zip.add({ name: 'before.txt', bytes: Buffer.from('first entry, offset 0') });
  await zip.add({ name: 'stored-sized.bin', stream: bytes(BIG), size: BIG, method: 'store' });
  await zip.add({ name: 'deflated-unsized.bin', stream: bytes(BIG) });
  await zip.add({ name: 'after-4GiB/résumé.pdf', bytes: Buffer.from('%PDF-1.7 an entry past 4 GiB') });
  const written = await zip.close();
  expect(written.bytes).toBe(statSync(first).size);
  expect(written.bytes).toBeGreaterThan(2 * BIG);
  expect(await checkWithReaders(first)).toEqual({ count: 4, utf8: true });
  const listed = run('python3', [
    '-c',
    'import sys, zipfile; print(*[f"{i.filename} {i.file_size} {i.compress_size} {i.header_offset}" for i in zipfile.ZipFile(sys.argv[1]).infolist()], sep="\\n")',
    first,
  ]);
  const rows = listed
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  expect(rows.map((r) => Number(r[1]))).toEqual([21, BIG, BIG, 28]);
  expect(Number(rows[2]![2])).toBeGreaterThan(BIG); // deflate could not shrink it: over 4 GiB packed too
  expect(Number(rows[3]![3])).toBeGreaterThan(2 * BIG);
}, 1_800_000);

it('copies those entries raw into a new archive, unchanged', async () => {
  const source = await openZip(first);
  const zip = createZip(copy);
  for await (const entry of source.entries()) await zip.add({ name: entry.name, raw: rawOf(source, entry) });
  await source.close();
  const written = await zip.close();
  // No data descriptors now (sizes and CRC are known up front): 2 x 16/24 bytes fewer, otherwise the same data.
  expect(written.bytes).toBeLessThan(statSync(first).size);
  run('unzip', ['-tqq', copy]);
  expect(await verifyOurs(copy)).toBe(4);
  rmSync(first);
  rmSync(copy);
}, 1_800_000);
