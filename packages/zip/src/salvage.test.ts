// Parts cut short (a download that stopped: central directory and end record gone), made at test time from
// real archives (yazl, Info-ZIP `zip -fd`), cut where downloads stop: in an entry, right after one, after
// an attachment that is itself a zip. Refused by default as cut short, saying what is whole; with
// `truncated: 'salvage'` read as the entries whole before the cut, as 7-Zip lists them.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headers, save, tempDir, yazlZip } from './craft.test-helpers.js';
import { entryChunks, openZip, type ZipOptions } from './index.js';

const dir = tempDir();
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(30_000)]);
const text = Buffer.from('Dear hiring team,\n'.repeat(2000));

/** A part of six attachments, stored and deflated; `streamed`: each with its sizes after its data. */
const part = (streamed = false) =>
  yazlZip(
    [1, 2, 3].flatMap((id) => [
      { name: `Candidate_${id}/Public/resume.pdf`, data: pdf, compress: false, streamed },
      { name: `Candidate_${id}/Miscellaneous/letter.txt`, data: text, streamed },
    ]),
  );

interface Read {
  names: string[];
  contents: Map<string, Buffer>;
  truncated: unknown;
  refused: string[];
}

async function salvaged(path: string, options: ZipOptions = {}): Promise<Read> {
  const archive = await openZip(path, { truncated: 'salvage', ...options });
  const out: Read = { names: [], contents: new Map(), truncated: archive.truncated, refused: [] };
  try {
    for await (const entry of archive.entries()) {
      out.names.push(entry.name);
      if (entry.isDirectory) continue;
      // verify() and a stream check the same CRC-32 and sizes; both must pass.
      await archive.verify(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
      out.contents.set(entry.name, Buffer.concat(chunks));
    }
    out.refused = archive.refused.map((e) => e.code);
  } finally {
    await archive.close();
  }
  return out;
}

/**
 * The names 7-Zip lists in the file: the whole entries of an archive cut short, then the cut one when its
 * local header is whole (7-Zip lists it, and fails it when tested).
 */
function sevenZipNames(path: string): string[] {
  const run = spawnSync('7z', ['l', '-slt', path], { encoding: 'utf8' });
  return [...run.stdout.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]!).slice(1);
}

/** 7-Zip lists the entries found, and at most the cut one after them. */
function expectSevenZipAgrees(path: string, names: string[]): void {
  const listed = sevenZipNames(path);
  expect(listed.slice(0, names.length)).toEqual(names);
  expect(listed.length - names.length).toBeLessThanOrEqual(1);
}

/** Where each local header starts, and where the data ends (the central directory). */
const localOffsets = (zip: Buffer) => headers(zip).map((h) => h.local);
const directoryStart = (zip: Buffer) => headers(zip)[0]!.central;

describe('a part cut short', () => {
  it('in the middle of an entry: refused by default, saying where the last whole entry ends', async () => {
    const zip = await part();
    const offsets = localOffsets(zip);
    // In the third resume (the letters deflate to a few hundred bytes).
    const cutAt = offsets[4]! + 5000;
    const path = save(dir, 'cut in an entry.zip', zip.subarray(0, cutAt));
    const error = await openZip(path).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_TRUNCATED' });
    expect(error.message).toContain(`the file is ${cutAt} bytes`);
    expect(error.message).toContain(`its last whole entry ends at byte ${offsets[4]}: the 4 entries`);
    expect(error.message).toContain(`the entry from byte ${offsets[4]} is cut off`);
    expect(error.message).toMatch(/download it again\.$/);
  });

  it('in the middle of an entry: with salvage, the entries before it, checked, as 7-Zip finds them', async () => {
    const zip = await part();
    const offsets = localOffsets(zip);
    const path = save(dir, 'cut in an entry, salvaged.zip', zip.subarray(0, offsets[4]! + 5000));
    const read = await salvaged(path);
    expect(read.names).toEqual([
      'Candidate_1/Public/resume.pdf',
      'Candidate_1/Miscellaneous/letter.txt',
      'Candidate_2/Public/resume.pdf',
      'Candidate_2/Miscellaneous/letter.txt',
    ]);
    expect(read.contents.get('Candidate_2/Public/resume.pdf')).toEqual(pdf);
    expect(read.contents.get('Candidate_1/Miscellaneous/letter.txt')).toEqual(text);
    expect(read.truncated).toMatchObject({ recovered: 4, wholeEnd: offsets[4], cutAt: offsets[4] });
    expectSevenZipAgrees(path, read.names);
  });

  it('right after a whole entry: every entry before the cut, none cut', async () => {
    const zip = await part();
    const offsets = localOffsets(zip);
    const path = save(dir, 'cut after an entry.zip', zip.subarray(0, offsets[4]));
    const read = await salvaged(path);
    expect(read.names).toHaveLength(4);
    expect(read.truncated).toMatchObject({ recovered: 4, wholeEnd: offsets[4], cutAt: undefined });
    expectSevenZipAgrees(path, read.names);
    // Cut in the central directory: every entry is whole.
    const inDirectory = save(dir, 'cut in the directory.zip', zip.subarray(0, directoryStart(zip) + 60));
    expect((await salvaged(inDirectory)).names).toHaveLength(6);
    expect(sevenZipNames(inDirectory)).toHaveLength(6);
  });

  it('in a local header, or before any entry is whole', async () => {
    const zip = await part();
    const offsets = localOffsets(zip);
    const inHeader = await salvaged(save(dir, 'cut in a header.zip', zip.subarray(0, offsets[2]! + 12)));
    expect(inHeader.truncated).toMatchObject({ recovered: 2, cutAt: offsets[2] });
    const none = save(dir, 'cut in the first entry.zip', zip.subarray(0, 2000));
    const error = await openZip(none).catch((e) => e);
    expect(error.message).toContain('no entry before the cut is whole, the entry from byte 0 is cut off');
    expect((await salvaged(none)).names).toEqual([]);
  });

  it('with data descriptors (a streaming writer): sizes found by inflating, or at the descriptor, and checked', async () => {
    const zip = await part(true);
    const offsets = localOffsets(zip);
    expect(zip.readUInt16LE(offsets[1]! + 6) & 8).toBe(8);
    expect(zip.readUInt32LE(offsets[1]! + 18)).toBe(0);
    const path = save(dir, 'streamed cut.zip', zip.subarray(0, offsets[5]! + 100));
    const read = await salvaged(path);
    expect(read.names).toHaveLength(5);
    expect(read.contents.get('Candidate_3/Public/resume.pdf')).toEqual(pdf);
    expect(read.contents.get('Candidate_2/Miscellaneous/letter.txt')).toEqual(text);
    expectSevenZipAgrees(path, read.names);
  });

  it('with data descriptors Info-ZIP `zip -fd` writes', async () => {
    const work = tempDir();
    save(work, 'a.txt', text);
    save(work, 'b.pdf', pdf);
    save(work, 'c.txt', text);
    execFileSync('zip', ['-q', '-fd', 'fd.zip', 'a.txt', 'b.pdf', 'c.txt'], { cwd: work });
    const zip = readFileSync(join(work, 'fd.zip'));
    const offsets = localOffsets(zip);
    const path = save(dir, 'zip -fd cut.zip', zip.subarray(0, offsets[2]! + 40));
    const read = await salvaged(path);
    expect(read.names).toEqual(['a.txt', 'b.pdf']);
    expect(read.contents.get('b.pdf')).toEqual(pdf);
    expectSevenZipAgrees(path, read.names);
  });

  it('stops at an entry whose data descriptor is not of its data, keeping the ones before', async () => {
    const zip = Buffer.from(await part(true));
    const offsets = localOffsets(zip);
    // The deflated letter's descriptor, after its data: its CRC-32 made wrong.
    const descriptor = zip.lastIndexOf(Buffer.from('PK\x07\x08', 'latin1'), offsets[2]! - 1);
    zip.writeUInt32LE(zip.readUInt32LE(descriptor + 4) ^ 1, descriptor + 4);
    const read = await salvaged(save(dir, 'bad descriptor.zip', zip.subarray(0, offsets[5]!)));
    expect(read.names).toEqual(['Candidate_1/Public/resume.pdf']);
  });

  it('applies the caps and name checks to the entries found, as to listed ones', async () => {
    const zip = await part();
    const offsets = localOffsets(zip);
    const path = save(dir, 'cut, capped.zip', zip.subarray(0, offsets[4]! + 10));
    const read = await salvaged(path, { onRefused: 'skip', limits: { maxEntryBytes: 32_000 } });
    expect(read.names).toEqual(['Candidate_1/Public/resume.pdf', 'Candidate_2/Public/resume.pdf']);
    expect(read.refused).toEqual(['ZIP_ENTRY_TOO_LARGE', 'ZIP_ENTRY_TOO_LARGE']);
    const unsafe = await yazlZip([
      { name: 'Candidate_1/Public/a.pdf', data: pdf, compress: false },
      { name: 'Candidate_1/Public/b.pdf', data: pdf, compress: false },
      { name: 'Candidate_1/Public/c.pdf', data: pdf, compress: false },
    ]);
    const patched = Buffer.from(unsafe);
    const second = localOffsets(unsafe)[1]!;
    patched.write('../../../../etc/p', second + 30, 'latin1');
    const cut = save(dir, 'cut, unsafe name.zip', patched.subarray(0, localOffsets(unsafe)[2]! + 10));
    const out = await salvaged(cut, { onRefused: 'skip' });
    expect(out.names).toEqual(['Candidate_1/Public/a.pdf']);
    expect(out.refused).toEqual(['ZIP_UNSAFE_NAME']);
  });

  it('stops at a deflate bomb with its size after its data, rather than inflate it all', async () => {
    const zip = await yazlZip([
      { name: 'a.pdf', data: pdf, compress: false },
      { name: 'zeros.txt', data: Buffer.alloc(30 * 1024 * 1024), streamed: true },
      { name: 'b.pdf', data: pdf, compress: false },
    ]);
    const path = save(dir, 'cut after a bomb.zip', zip.subarray(0, localOffsets(zip)[2]! + 10));
    expect((await salvaged(path)).names).toEqual(['a.pdf']);
    // Capped higher, it is an entry as any other.
    const raised = await salvaged(path, { limits: { maxRatio: 5000, maxArchiveRatio: 5000 } });
    expect(raised.names).toEqual(['a.pdf', 'zeros.txt']);
  });

  it('leaves a whole part as it was, salvage asked or not', async () => {
    const zip = await part(true);
    const path = save(dir, 'whole.zip', zip);
    const read = await salvaged(path);
    expect(read.names).toHaveLength(6);
    expect(read.truncated).toBeUndefined();
  });
});

describe('a part cut short after an attachment that is itself a zip, stored raw', () => {
  const docx = (size: number) =>
    yazlZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>'.repeat(50)) },
      { name: 'word/document.xml', data: randomBytes(size), compress: false },
    ]);
  const endMark = Buffer.from('PK\x05\x06', 'latin1');
  // Deflated, the .docx's end record is in the part's bytes only when zlib stored the block holding it
  // (as it stores random data); it compresses the small directory's block at times: made again then.
  async function withDocx(size: number, compress: boolean, streamed: boolean): Promise<Buffer> {
    for (;;) {
      const zip = await yazlZip([
        { name: 'Candidate_1/Public/resume.pdf', data: pdf, compress: false },
        { name: 'Candidate_2/Public/cv.docx', data: await docx(size), compress, streamed },
        { name: 'Candidate_3/Public/resume.pdf', data: pdf, compress: false },
      ]);
      if (zip.lastIndexOf(endMark, zip.length - 23) > 0) return zip;
    }
  }
  // Cut 100 bytes after the attachment's own end record: in the next entry's header or data.
  const cutAfterInner = (zip: Buffer) => zip.subarray(0, zip.lastIndexOf(endMark, zip.length - 23) + 122);

  it.each([
    ['stored', 40_000, false, false],
    ['stored, its size after its data', 40_000, false, true],
    // Neither seen before by the search behind the end record: the part was read as the .docx's files.
    ['deflated, its size after its data', 40_000, true, true],
    ['stored, more than 16 MiB long', 17 * 1024 * 1024, false, false],
  ])(
    'is cut short when the attachment is %s, and its whole entries are read',
    async (label, size, compress, streamed) => {
      const zip = await withDocx(size, compress, streamed);
      const path = save(dir, `cut after a docx ${label}.zip`, cutAfterInner(zip));
      const error = await openZip(path).catch((e) => e);
      expect(error).toMatchObject({ code: 'ZIP_TRUNCATED' });
      expect(error.message).toMatch(
        /^Zip archive is cut short: the only end record near its end.* is that of a zip stored in one of its entries/,
      );
      expect(error.message).toContain('the 2 entries up to there are whole');
      const read = await salvaged(path);
      expect(read.names).toEqual(['Candidate_1/Public/resume.pdf', 'Candidate_2/Public/cv.docx']);
      expect(read.contents.get('Candidate_2/Public/cv.docx')?.equals(await docxOf(zip))).toBe(true);
      expect(read.truncated).toMatchObject({ recovered: 2, cutAt: localOffsets(zip)[2] });
      expectSevenZipAgrees(path, read.names);
    },
  );

  /** The .docx as the whole part holds it. */
  async function docxOf(zip: Buffer): Promise<Buffer> {
    const archive = await openZip(save(dir, `whole-${Math.random().toString(36).slice(2)}.zip`, zip));
    try {
      for await (const entry of archive.entries()) {
        if (!entry.name.endsWith('.docx')) continue;
        const chunks: Buffer[] = [];
        for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
        return Buffer.concat(chunks);
      }
    } finally {
      await archive.close();
    }
    throw new Error('no docx');
  }
});
