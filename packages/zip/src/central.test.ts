// The directory cursor read a megabyte at a time (records cut between pieces) and over the whole directory
// read at once: the same records, in order, either way, and the same error for a directory cut short.
import { describe, expect, it } from 'vitest';
import { DirectoryCursor, DirectoryError, type DirectoryReader, parseRecord } from './central.js';

/** A central record naming `name`, with an extra field of `extra` bytes. */
function record(name: string, extra: number): Buffer {
  const fixed = Buffer.alloc(46);
  fixed.writeUInt32LE(0x02014b50, 0);
  fixed.writeUInt16LE(name.length, 28);
  fixed.writeUInt16LE(extra, 30);
  return Buffer.concat([fixed, Buffer.from(name, 'latin1'), Buffer.alloc(extra)]);
}

// ~4.5 MB: records of every length cross the 1 MiB pieces' ends at many places.
const names = Array.from({ length: 30_000 }, (_, i) => `${i}/${'x'.repeat(i % 211)}`);
const directory = Buffer.concat(names.map((name, i) => record(name, (i * 7) % 13)));

/** A file holding `bytes` at `start` (a prefix of zeros before it), read piece by piece. */
const reader = (bytes: Buffer, start: number): DirectoryReader => ({
  async readExactlyInto(buffer, offset, length, at) {
    if (at - start + length > bytes.length) throw new Error('read past the end');
    bytes.copy(buffer, offset, at - start, at - start + length);
  },
});

async function walk(cursor: DirectoryCursor): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    let more = cursor.next();
    if (typeof more !== 'boolean') more = await more;
    if (!more) return seen;
    seen.push(parseRecord(cursor.piece, cursor.at, cursor.index, 0).rawName);
  }
}

describe('DirectoryCursor', () => {
  const start = 1000;

  it('gives every record in order, read a piece at a time or read whole', async () => {
    const file = reader(directory, start);
    expect(await walk(new DirectoryCursor(file, start, directory.length))).toEqual(names);
    const whole = Buffer.from(directory);
    const reads: number[] = [];
    const counting: DirectoryReader = {
      readExactlyInto: (...args) => {
        reads.push(args[2]);
        return file.readExactlyInto(...args);
      },
    };
    expect(await walk(new DirectoryCursor(counting, start, directory.length, whole))).toEqual(names);
    expect(reads).toEqual([]);
  });

  it('says a record is cut short at the end of the directory, read either way', async () => {
    const cut = directory.subarray(0, directory.length - 5);
    const file = reader(cut, start);
    for (const whole of [undefined, Buffer.from(cut)]) {
      const error = await walk(new DirectoryCursor(file, start, cut.length, whole)).catch((e) => e);
      expect(error).toBeInstanceOf(DirectoryError);
      expect((error as DirectoryError).problem.detail).toBe(
        `Central directory record ${names.length} is cut short (the directory is damaged)`,
      );
    }
  });
});
