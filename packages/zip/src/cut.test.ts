// The entry a file cut short ends in: named from its local header, and its bytes before the cut read as
// far as they go (stored, deflated, sizes in the header or in a data descriptor after the data), never
// listed among the entries, which are checked whole.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headers, save, tempDir, yazlZip } from './craft.test-helpers.js';
import { openZip } from './index.js';

const dir = tempDir();
const rows = (n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => `${i},row number ${i},${'x'.repeat(i % 40)}\n`).join(''));
const table = rows(20_000);

async function cutRead(zip: Buffer, cutAt: number, name: string) {
  const path = save(dir, name, zip.subarray(0, cutAt));
  const archive = await openZip(path, { truncated: 'salvage' });
  try {
    const listed: string[] = [];
    for await (const entry of archive.entries()) listed.push(entry.name);
    const cut = archive.truncated?.cutEntry;
    const chunks: Buffer[] = [];
    if (cut !== undefined) for await (const c of await archive.openCutEntry()) chunks.push(c as Buffer);
    return { listed, cut, bytes: Buffer.concat(chunks), truncated: archive.truncated };
  } finally {
    await archive.close();
  }
}

describe('the entry a file is cut in', () => {
  for (const [how, compress, streamed] of [
    ['deflated, sizes in its header', true, false],
    ['deflated, sizes in a data descriptor', true, true],
    ['stored, sizes in its header', false, false],
    ['stored, sizes in a data descriptor', false, true],
  ] as const) {
    it(`${how}: named, not listed, its bytes before the cut are the start of its file`, async () => {
      const zip = await yazlZip([
        { name: 'Contract_1/Candidate.csv', data: rows(100), compress, streamed },
        { name: 'Contract_1/Notes.csv', data: table, compress, streamed },
        { name: 'Contract_1/Projects.csv', data: rows(50), compress, streamed },
      ]);
      const [, notes] = headers(zip).map((h) => h.local);
      const cutAt = notes! + 30 + 'Contract_1/Notes.csv'.length + 2000;
      const r = await cutRead(zip, cutAt, `cut ${how}.zip`);
      expect(r.listed).toEqual(['Contract_1/Candidate.csv']);
      expect(r.cut?.name).toBe('Contract_1/Notes.csv');
      expect(r.cut?.offset).toBe(notes);
      expect(r.bytes.length).toBeGreaterThan(0);
      expect(r.bytes.length).toBeLessThan(table.length);
      // Exactly the start of the file: nothing made up, nothing skipped.
      expect(r.bytes.equals(table.subarray(0, r.bytes.length))).toBe(true);
      if (streamed) expect(r.cut?.compressedSize).toBeUndefined();
      else expect(r.cut?.uncompressedSize).toBe(table.length);
    });
  }

  it('cut in its local header: no entry named, nothing to read', async () => {
    const zip = await yazlZip([
      { name: 'a.csv', data: rows(10) },
      { name: 'b.csv', data: rows(10) },
    ]);
    const [, b] = headers(zip).map((h) => h.local);
    const r = await cutRead(zip, b! + 20, 'cut in a header.zip');
    expect(r.listed).toEqual(['a.csv']);
    expect(r.truncated?.cutAt).toBe(b);
    expect(r.truncated?.inDirectory).toBe(false);
    expect(r.cut).toBeUndefined();
  });

  it('cut in its data descriptor: its data is whole, read to its end, and still not listed', async () => {
    const data = randomBytes(5000).toString('hex');
    const zip = await yazlZip([
      { name: 'a.csv', data: Buffer.from(data), streamed: true },
      { name: 'b.csv', data: rows(10) },
    ]);
    const [, b] = headers(zip).map((h) => h.local);
    const r = await cutRead(zip, b! - 6, 'cut in a descriptor.zip');
    expect(r.listed).toEqual([]);
    expect(r.cut?.name).toBe('a.csv');
    expect(r.bytes.toString()).toBe(data);
  });

  it('cut in the central directory: every entry is whole and listed, none is cut', async () => {
    const zip = await yazlZip([
      { name: 'a.csv', data: rows(10) },
      { name: 'b.csv', data: rows(10) },
    ]);
    const r = await cutRead(zip, headers(zip)[1]!.central + 10, 'cut in the directory.zip');
    expect(r.listed).toEqual(['a.csv', 'b.csv']);
    expect(r.truncated?.cutAt).toBeUndefined();
    expect(r.truncated?.inDirectory).toBe(true);
    expect(r.cut).toBeUndefined();
    // Cut 3 bytes into the directory's first record: still the directory (2 bytes, `PK`, may start an
    // entry as well: then it is an entry cut in its header, nothing said whole that may not be).
    const early = await cutRead(zip, headers(zip)[0]!.central + 3, 'cut at the directory.zip');
    expect(early.listed).toEqual(['a.csv', 'b.csv']);
    expect(early.truncated?.inDirectory).toBe(true);
  });

  it('cut right after a whole entry: the entries after it are missing, not the directory', async () => {
    const zip = await yazlZip([
      { name: 'a.csv', data: rows(10) },
      { name: 'b.csv', data: rows(10) },
    ]);
    const r = await cutRead(zip, headers(zip)[1]!.local, 'cut between entries.zip');
    expect(r.listed).toEqual(['a.csv']);
    expect(r.truncated?.cutAt).toBeUndefined();
    expect(r.truncated?.inDirectory).toBe(false);
    expect(r.truncated?.wholeEnd).toBe(headers(zip)[1]!.local);
    expect(r.cut).toBeUndefined();
  });

  it('an archive that is not cut short has no cut entry to open', async () => {
    const path = save(dir, 'whole.zip', await yazlZip([{ name: 'a.csv', data: rows(10) }]));
    const archive = await openZip(path, { truncated: 'salvage' });
    try {
      expect(archive.truncated).toBeUndefined();
      await expect(archive.openCutEntry()).rejects.toMatchObject({ code: 'ZIP_BAD_OPTION' });
    } finally {
      await archive.close();
    }
  });
});
