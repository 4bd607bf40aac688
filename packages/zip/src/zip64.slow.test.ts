// zip64 entries over 4 GiB and local headers past 4 GiB, written by yazl straight to disk (~4.6 GB) and
// checked against Info-ZIP. Run with `pnpm test:slow`.
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { tempDir, unzipTest } from './craft.test-helpers.js';
import { openZip, type ZipEntry } from './index.js';

const MiB = 1024 * 1024;
const BIG = 4 * 1024 * MiB + 3 * MiB; // over 4 GiB, so sizes need the zip64 extra field

function text(): Buffer {
  let out = '';
  for (let i = 0; out.length < MiB; i += 1)
    out += `${i},${(i * 2654435761) % 1000003},Candidate ${i % 977},"note ${i % 313}"\n`;
  return Buffer.from(out.slice(0, MiB));
}

function repeat(block: Buffer, total: number): Readable {
  let left = total;
  return new Readable({
    read() {
      const n = Math.min(left, block.length);
      left -= n;
      this.push(n === 0 ? null : block.subarray(0, n));
    },
  });
}

describe('zip64', () => {
  const dir = tempDir();
  const path = join(dir, 'zip64.zip');
  const block = text();

  beforeAll(async () => {
    const zip = new yazl.ZipFile();
    zip.addReadStream(repeat(Buffer.alloc(MiB, 7), BIG), 'big-stored.bin', { compress: false, size: BIG });
    zip.addBuffer(Buffer.from('after,4GiB\n'), 'after.csv');
    zip.addReadStream(repeat(block, BIG), 'big-deflated.csv', { compressionLevel: 1, size: BIG });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(path));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads entries over 4 GiB and headers past 4 GiB, verified end to end, as Info-ZIP does', async () => {
    const archive = await openZip(path);
    const entries: ZipEntry[] = [];
    for await (const entry of archive.entries()) entries.push(entry);
    expect(entries.map((e) => [e.name, e.uncompressedSize])).toEqual([
      ['big-stored.bin', BIG],
      ['after.csv', 11],
      ['big-deflated.csv', BIG],
    ]);
    for (const entry of entries) {
      let bytes = 0;
      let last: Buffer | undefined;
      for await (const chunk of await archive.openStream(entry)) {
        bytes += chunk.length;
        last = chunk as Buffer;
      }
      expect(bytes).toBe(entry.uncompressedSize);
      if (entry.name === 'after.csv') expect(last?.toString()).toBe('after,4GiB\n');
    }
    let raw = 0;
    for await (const chunk of await archive.openStream(entries[2]!, { raw: true })) raw += chunk.length;
    expect(raw).toBe(entries[2]!.compressedSize);
    await archive.close();
    expect(unzipTest(path)).toBe(0);
  });
});
