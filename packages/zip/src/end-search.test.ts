// The searches for an end record, on files filled with what looks like end records: the work they do must
// stay bounded by the file, not grow with each record found, or a crafted file of a few megabytes holds a
// reader for minutes.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { save, tempDir, yazlZip } from './craft.test-helpers.js';
import { endFurtherBack, locateDirectory, type Source } from './end.js';
import { openZip } from './index.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1024 * 1024;
const END = 0x06054b50;

/** A file in memory that counts the reads made of it and the bytes they took. */
function counted(bytes: Buffer): Source & { reads: number; bytesRead: number } {
  const source = {
    size: bytes.length,
    reads: 0,
    bytesRead: 0,
    async read(start: number, length: number): Promise<Buffer> {
      source.reads += 1;
      source.bytesRead += length;
      return bytes.subarray(start, start + length);
    },
  };
  return source;
}

/** An end record of one disk. */
function endRecord(count: number, size: number, offset: number, commentLength = 0): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(offset, 16);
  record.writeUInt16LE(commentLength, 20);
  return record;
}

describe('a file cut short, whose bytes hold end-record signatures', () => {
  // Starts like a zip, has no end record in its last 128 KiB: the 16 MiB before them are searched.
  const file = () =>
    Buffer.concat([
      Buffer.from('PK\x03\x04\x14\x00'.padEnd(30, '\0'), 'latin1'),
      Buffer.from('PK\x05\x06'.repeat(4 * MiB), 'latin1'),
      Buffer.alloc(130 * 1024),
    ]);

  it('is searched with a read a megabyte, not one for every signature', async () => {
    const source = counted(file());
    expect(await endFurtherBack(source)).toBeUndefined();
    expect(source.reads).toBeLessThan(100);
  });

  it('is still said to be cut short', async () => {
    const error = await openZip(save(dir, 'signatures.zip', file())).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_TRUNCATED' });
  }, 20_000);

  it('still finds the end of a zip that other bytes follow, among records that end none', async () => {
    const zip = await yazlZip([{ name: 'Candidate_1/Public/cv.pdf', data: Buffer.alloc(1000, 7) }]);
    // Well-formed records that put a directory before the part searched, where there is none.
    const decoys = Array.from({ length: 5000 }, (_, i) => {
      const position = zip.length + 100 + i * 22;
      return endRecord(1, 200, position - 200);
    });
    const bytes = Buffer.concat([zip, Buffer.alloc(100), ...decoys, Buffer.alloc(200 * 1024)]);
    const source = counted(bytes);
    // The decoys lie within the megabyte read first; the zip's end is found once they are passed.
    expect(await endFurtherBack(source)).toBe(zip.length);
    expect(source.reads).toBeLessThan(200);
  });
});

describe('end records near the end that each put the directory after a prefix', () => {
  // 17 MiB of nothing, one central-directory signature, then thousands of end records, each pointing to it
  // as a directory whose offsets do not count a prefix: each asks whether an entry before it holds it.
  const file = () => {
    const prefix = 17 * MiB;
    const head = Buffer.concat([Buffer.alloc(prefix), Buffer.from('PK\x01\x02'.padEnd(46, '\0'), 'latin1')]);
    const records = Array.from({ length: 1000 }, (_, i) => {
      const position = head.length + i * 22;
      return endRecord(1, position - prefix, 0);
    });
    return Buffer.concat([head, ...records, Buffer.from('trailing junk')]);
  };

  it('reads a bounded number of bytes, not 16 MiB for each', async () => {
    const source = counted(file());
    const found = await locateDirectory(source);
    expect(found).toBeDefined();
    expect(source.bytesRead).toBeLessThan(200 * MiB);
  });
});
