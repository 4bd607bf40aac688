// Deflate data that ends before the entry's compressed bytes do: zlib stops at the end of the deflate stream
// and leaves the rest unread, so bytes hidden there were in no file, yet went along with the compressed
// bytes when an entry is copied raw into another archive. Fixtures are built at test time.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { patch, rawZip, readEach, save, tempDir } from './craft.test-helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes that deflate only a little, so a big entry stays big compressed. */
function pdfLike(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 7;
  for (let i = 0; i < length; i += 1) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 3 === 0 ? 0x20 : x >>> 24;
  }
  return out;
}

/** A zip of one entry holding `data` deflated, with `hidden` after the end of its deflate stream. */
function withHidden(data: Buffer, hidden: Buffer): Buffer {
  // Written stored (the bytes as they are), then marked deflated with the inflated size and CRC-32.
  const stored = Buffer.concat([deflateRawSync(data), hidden]);
  let zip = rawZip([{ name: Buffer.from('Candidate_1/Public/cv.pdf'), data: stored }]);
  zip = patch(zip, 0, 'method', () => 8);
  zip = patch(zip, 0, 'uncompressedSize', () => data.length);
  return patch(zip, 0, 'crc32', () => crc32(data));
}

/** How verify(), a stream and readInto() end on each entry. */
const outcomes = (path: string) => readEach(path, ['verify', 'held', 'stream', 'into'], true);

describe('deflate data that ends before the compressed bytes do', () => {
  const hidden = Buffer.from('PK\u0003\u0004 a file nobody sees');

  it('refuses a small entry with bytes after its deflate stream, however it is read', async () => {
    const data = Buffer.from('%PDF-1.4 resume\n'.repeat(50));
    const zip = withHidden(data, hidden);
    const path = save(dir, 'hidden-small.zip', zip);
    const size = deflateRawSync(data).length + hidden.length;
    const detail = `ZIP_SIZE_MISMATCH Deflate data ends ${hidden.length} byte(s) before the entry's ${size} compressed bytes do; those bytes belong to no file`;
    expect(await outcomes(path)).toEqual([
      `verify: ${detail}`,
      `held: ${detail}`,
      `stream: ${detail}`,
      `into: ${detail}`,
    ]);
    // 7-Zip refuses it as well ("There are some data after the end of the payload data").
    const sevenZip = spawnSync('7z', ['t', path], { encoding: 'utf8' });
    if (sevenZip.error === undefined)
      expect(sevenZip.stdout + sevenZip.stderr).toContain('data after the end of the payload');
  });

  it('refuses a big one too (inflated a piece at a time)', async () => {
    const data = pdfLike(1536 * 1024);
    const path = save(dir, 'hidden-big.zip', withHidden(data, hidden));
    for (const outcome of await outcomes(path)) {
      expect(outcome).toContain(`: ZIP_SIZE_MISMATCH Deflate data ends ${hidden.length} byte(s) before`);
    }
  });

  it('still reads deflate data that ends with the compressed bytes', async () => {
    const data = pdfLike(1536 * 1024);
    const path = save(dir, 'plain.zip', withHidden(data, Buffer.alloc(0)));
    expect(await outcomes(path)).toEqual([
      `verify: ${data.length}`,
      `held: ${data.length}`,
      `stream: ${data.length}`,
      `into: ${data.length}`,
    ]);
  });
});
