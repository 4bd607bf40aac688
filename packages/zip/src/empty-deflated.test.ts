// Empty files declared deflated with no deflate data at all, as some Windows libraries write them: an
// attachment part re-zipped that way holds an empty.txt like it in every empty folder.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { patch, pythonReads, type RawItem, rawZip, save, tempDir, unzipTest } from './craft.test-helpers.js';
import { entryChunks, openZip, type ZipArchive, type ZipEntry } from './index.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cv = Buffer.from('%PDF-1.4 resume\n'.repeat(50));
const item = (name: string, data = Buffer.alloc(0)): RawItem => ({ name: Buffer.from(name), data });

/** The archive with entries `empty` (indexes) turned into deflated entries of 0 bytes, in both headers. */
function withEmptyDeflated(items: RawItem[], empty: number[]): Buffer {
  let zip = rawZip(items);
  for (const index of empty) zip = patch(zip, index, 'method', () => 8);
  return zip;
}

/** Every way of reading an entry, each giving its byte count. */
async function readEvery(archive: ZipArchive, entry: ZipEntry): Promise<number[]> {
  const count = async (chunks: AsyncIterable<Uint8Array>) => {
    let n = 0;
    for await (const chunk of chunks) n += chunk.length;
    return n;
  };
  return [
    await count(entryChunks(archive, entry)),
    await archive.verify(entry),
    await count(archive.readInto(entry, () => new Uint8Array(64))),
    await count(archive.readRaw(entry)),
  ];
}

describe('empty files declared deflated with no deflate data', () => {
  const items = [
    item('Candidate_1/Public/cv.pdf', cv),
    item('Candidate_1/Private/empty.txt'),
    item('Candidate_1/Miscellaneous/empty.txt'),
  ];

  it('are read as the empty files they declare, every way, with one notice for the archive', async () => {
    const path = save(dir, 'empty deflated.zip', withEmptyDeflated(items, [1, 2]));
    // CPython reads them as empty; Info-ZIP calls their data invalid.
    expect(pythonReads(path)).toBe(true);
    expect(unzipTest(path)).not.toBe(0);
    const archive = await openZip(path);
    const read: Record<string, number[]> = {};
    const methods: number[] = [];
    for await (const entry of archive.entries()) {
      read[entry.name] = await readEvery(archive, entry);
      methods.push(entry.method);
    }
    await archive.close();
    expect(read).toEqual({
      'Candidate_1/Public/cv.pdf': [cv.length, cv.length, cv.length, cv.length],
      'Candidate_1/Private/empty.txt': [0, 0, 0, 0],
      'Candidate_1/Miscellaneous/empty.txt': [0, 0, 0, 0],
    });
    // Read as stored: a copy of the raw bytes into another archive is a valid empty entry.
    expect(methods).toEqual([0, 0, 0]);
    expect(archive.notices.map((n) => n.code)).toEqual(['ZIP_EMPTY_DEFLATED']);
    expect(archive.notices[0]!.message).toMatch(/^2 file\(s\) declared deflated hold no deflate data/);
  });

  it('still refuse one whose CRC-32 is not that of no bytes', async () => {
    const zip = patch(withEmptyDeflated(items, [1]), 1, 'crc32', () => 0x1234abcd);
    const archive = await openZip(save(dir, 'empty deflated crc.zip', zip));
    const entries: ZipEntry[] = [];
    for await (const entry of archive.entries()) entries.push(entry);
    await expect(archive.verify(entries[1]!)).rejects.toMatchObject({ code: 'ZIP_CRC_MISMATCH' });
    await archive.close();
  });

  it('still refuse a deflated entry of no bytes that declares some', async () => {
    const zip = patch(withEmptyDeflated(items, [1]), 1, 'uncompressedSize', () => 5);
    const archive = await openZip(save(dir, 'empty deflated sized.zip', zip));
    const entries: ZipEntry[] = [];
    for await (const entry of archive.entries()) entries.push(entry);
    await expect(archive.verify(entries[1]!)).rejects.toMatchObject({ code: 'ZIP_CORRUPT' });
    await archive.close();
    expect(archive.notices).toEqual([]);
  });
});
