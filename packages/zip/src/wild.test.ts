// Archives as found in the wild, built at test time: overlapping-entry bombs, lenient end records, odd
// names and folders. Where an independent reader is on the machine (Info-ZIP unzip, CPython's zipfile),
// its verdict is checked too, so the fixtures are what they claim to be.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BombOptions, overlapBomb } from './bomb.test-helpers.js';
import {
  headers,
  patch,
  pythonReads,
  rawZip,
  reverseDirectory,
  save,
  tempDir,
  unzipTest,
  withZip64End,
  yazlZip,
} from './craft.test-helpers.js';
import { entryChunks, openZip, type ZipNotice, type ZipOptions } from './index.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = Buffer.from('candidate_id,first_name\n1,Ada\n2,Grace\n'.repeat(40));
const pdf = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251));

interface Outcome {
  contents: Record<string, string>;
  directories: string[];
  notices: ZipNotice[];
}

async function readAll(path: string, options?: ZipOptions): Promise<Outcome> {
  const archive = await openZip(path, options);
  const out: Outcome = { contents: {}, directories: [], notices: [] };
  try {
    for await (const entry of archive.entries()) {
      if (entry.isDirectory) {
        out.directories.push(entry.name);
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
      out.contents[entry.name] = Buffer.concat(chunks).toString('latin1');
    }
    out.notices = archive.notices;
  } finally {
    await archive.close();
  }
  return out;
}

describe('overlapping-entry bombs, built as Fifield builds them', () => {
  const kinds: [string, BombOptions][] = [
    ['full overlap', { kind: 'full', files: 20, kernelBytes: 900 * 1024 }],
    ['quoted overlap', { kind: 'quoted', files: 20, kernelBytes: 64 * 1024 }],
    ['quoted overlap, zip64', { kind: 'quoted', files: 20, kernelBytes: 64 * 1024, zip64: true }],
    ['extra-field quoting', { kind: 'extra', files: 20, kernelBytes: 900 * 1024 }],
    ['extra-field quoting, zip64', { kind: 'extra', files: 20, kernelBytes: 900 * 1024, zip64: true }],
  ];

  it.each(kinds)(
    '%s: refused as ZIP_OVERLAP when opened, before any entry is read',
    async (label, options) => {
      const { zip, inflatedTotal } = overlapBomb(options);
      const path = save(dir, `${label}.zip`, zip);
      // Every entry stays under the per-entry ratio threshold (1 MiB); together they are a bomb.
      expect(inflatedTotal / zip.length).toBeGreaterThan(200);
      await expect(openZip(path)).rejects.toMatchObject({ code: 'ZIP_OVERLAP', entry: undefined });
      await expect(openZip(path, { onRefused: 'skip' })).rejects.toMatchObject({ code: 'ZIP_OVERLAP' });
      // Debian's Info-ZIP refuses them too ("overlapped components (possible zip bomb)").
      expect(unzipTest(path)).not.toBe(0);
    },
  );

  it('the quoted bomb is a working zip: CPython 3.11 (no overlap check) inflates every entry, CRC-32 and all', () => {
    const { zip } = overlapBomb({ kind: 'quoted', files: 5, kernelBytes: 16 * 1024 });
    expect(pythonReads(save(dir, 'quoted small.zip', zip))).toBe(true);
  });

  it('finds the overlap when the central directory lists the entries out of file order', async () => {
    const { zip } = overlapBomb({ kind: 'quoted', files: 20, kernelBytes: 64 * 1024 });
    const path = save(dir, 'quoted reversed.zip', reverseDirectory(zip));
    await expect(openZip(path)).rejects.toMatchObject({ code: 'ZIP_OVERLAP', entry: undefined });
    expect(unzipTest(path)).not.toBe(0);
  });

  it('many entries each under the per-entry threshold, no overlap: refused by the whole-archive ratio', async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    const items = Array.from({ length: 30 }, (_, i) => ({ name: `z${i}.bin`, data: zeros }));
    const path = save(dir, 'many small bombs.zip', await yazlZip(items));
    const archive = await openZip(path, { onRefused: 'skip' });
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    await archive.close();
    expect(archive.refused[0]).toMatchObject({ code: 'ZIP_ARCHIVE_RATIO' });
    expect(names.length).toBeLessThan(30);
    expect(names.length + archive.refusedCount).toBe(30);
    const trusted = await readAll(path, { limits: { maxArchiveRatio: Infinity } });
    expect(Object.keys(trusted.contents)).toHaveLength(30);
    // The whole-archive cap is never below the per-entry one: raising maxRatio for a trusted archive is enough.
    const raised = await readAll(path, { limits: { maxRatio: 5000 } });
    expect(Object.keys(raised.contents)).toHaveLength(30);
  });
});

describe('a central directory out of file order', () => {
  const items = [
    { name: 'a.csv', data: csv },
    { name: 'b.pdf', data: pdf, store: true },
    { name: 'c.csv', data: csv },
  ];

  it('reads every entry, each bounded by the entry after it in the file, not in the directory', async () => {
    const path = save(dir, 'reversed.zip', reverseDirectory(await yazlZip(items)));
    expect(unzipTest(path)).toBe(0);
    const archive = await openZip(path);
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    await archive.close();
    expect(names).toEqual(['c.csv', 'b.pdf', 'a.csv']);
    const { contents } = await readAll(path);
    expect(contents).toEqual({
      'a.csv': csv.toString('latin1'),
      'b.pdf': pdf.toString('latin1'),
      'c.csv': csv.toString('latin1'),
    });
  });

  it('refuses an entry whose data runs into the next one in the file, wherever the directory lists it', async () => {
    // Directory index 1 is b.pdf (stored): one byte longer reaches c.csv's local header.
    const longer = patch(reverseDirectory(await yazlZip(items)), 1, 'compressedSize', (n) => n + 1);
    const path = save(
      dir,
      'reversed overlap.zip',
      patch(longer, 1, 'uncompressedSize', (n) => n + 1),
    );
    const archive = await openZip(path, { onRefused: 'skip' });
    const read: string[] = [];
    const refused: string[] = [];
    for await (const entry of archive.entries()) {
      try {
        for await (const _ of entryChunks(archive, entry)) {
          // every chunk read
        }
        read.push(entry.name);
      } catch (error) {
        refused.push(`${entry.name} ${(error as { code?: string }).code}`);
      }
    }
    await archive.close();
    expect(refused).toEqual(['b.pdf ZIP_OVERLAP']);
    expect(read).toEqual(['c.csv', 'a.csv']);
  });
});

describe('end records that Info-ZIP, CPython and Go accept', () => {
  const base = () =>
    yazlZip([
      { name: 'Candidate_1/Public/resume.pdf', data: pdf, compress: false },
      { name: 'Candidates.csv', data: csv },
    ]);
  const expected = {
    'Candidate_1/Public/resume.pdf': pdf.toString('latin1'),
    'Candidates.csv': csv.toString('latin1'),
  };
  const codes = (notices: ZipNotice[]) => notices.map((n) => n.code);

  const cases: [label: string, make: (zip: Buffer) => Buffer, notices: string[]][] = [
    ['trailing junk', (zip) => Buffer.concat([zip, Buffer.alloc(1000, 0x20)]), ['ZIP_TRAILING_BYTES']],
    [
      'padding to a 4 KiB block',
      (zip) => Buffer.concat([zip, Buffer.alloc(4096 - (zip.length % 4096))]),
      ['ZIP_TRAILING_BYTES'],
    ],
    [
      'a comment length one byte short',
      (zip) => {
        const out = Buffer.concat([zip, Buffer.from('hello')]);
        out.writeUInt16LE(4, zip.length - 2);
        return out;
      },
      ['ZIP_TRAILING_BYTES'],
    ],
    [
      'a prefix whose offsets were not adjusted',
      (zip) =>
        Buffer.concat([Buffer.from('#!/bin/sh\necho self-extracting stub\nexit 0\n'.padEnd(4096, '#')), zip]),
      ['ZIP_PREFIX_BYTES'],
    ],
    ['a classic end record of 0xFFFF fields with a zip64 end record', (zip) => withZip64End(zip), []],
    [
      'a count of entries on this disk that is not the total, on one disk',
      (zip) => {
        const out = Buffer.from(zip);
        out.writeUInt16LE(0, out.length - 22 + 8);
        return out;
      },
      ['ZIP_ENTRY_COUNT'],
    ],
    [
      'the same in a zip64 end record',
      (zip) => {
        const out = withZip64End(zip);
        out.writeBigUInt64LE(7n, zip.length - 22 + 24);
        return out;
      },
      ['ZIP_ENTRY_COUNT'],
    ],
    [
      'zip64 end record and a prefix',
      (zip) => Buffer.concat([Buffer.alloc(777, 0x4d), withZip64End(zip)]),
      ['ZIP_PREFIX_BYTES'],
    ],
  ];

  it.each(cases)('%s: read in full, the oddity a notice', async (label, make, notices) => {
    const path = save(dir, `${label}.zip`, make(await base()));
    const out = await readAll(path);
    expect(out.contents).toEqual(expected);
    expect(codes(out.notices)).toEqual(notices);
    for (const n of out.notices) expect(n.message).toContain(path);
    expect(pythonReads(path)).toBe(true);
  });

  it('uses the classic end record when the zip64 one puts the directory where there is none', async () => {
    // A zip64 end record whose directory offset is wrong, behind a classic record that holds the right values
    // (not 0xFFFFFFFF): read through the zip64 one, the gap looked like a prefix and every offset was shifted.
    const zip = await base();
    const eocd = zip.length - 22;
    const zip64 = withZip64End(zip);
    // The zip64 end record starts where the classic one did; its directory offset is at byte 48.
    zip64.writeBigUInt64LE(3n, eocd + 48);
    const classic = Buffer.concat([zip64.subarray(0, zip64.length - 22), zip.subarray(eocd)]);
    const path = save(dir, 'zip64 end record wrong.zip', classic);
    const out = await readAll(path);
    expect(out.contents).toEqual(expected);
    expect(codes(out.notices)).toEqual(['ZIP_END_RECORDS_DISAGREE']);
    expect(out.notices[0]!.message).toMatch(/zip64 end record puts the central directory at 3 /);
  });

  /** The archive with disk numbers written into its end record(s) and, when given, into every central record. */
  const onDisk = (zip: Buffer, disk: number, directoryDisk: number, entries?: number): Buffer => {
    const out = Buffer.from(zip);
    if (entries !== undefined) for (const h of headers(out)) out.writeUInt16LE(entries, h.central + 34);
    out.writeUInt16LE(disk, out.length - 22 + 4);
    out.writeUInt16LE(directoryDisk, out.length - 22 + 6);
    return out;
  };
  // Info-ZIP's exit status: 1 when it warns ("zipfile claims to be last disk of a multi-part archive;
  // attempting to process anyway"), then tests every entry fine.
  const disks: [label: string, make: (zip: Buffer) => Buffer, infoZip: number | undefined][] = [
    ['disk 1, directory on disk 1', (zip) => onDisk(zip, 1, 1), 1],
    ['disk 1, directory on disk 1, every entry on disk 1', (zip) => onDisk(zip, 1, 1, 1), 1],
    ['disk 0xFFFF, directory on disk 0xFFFF, no zip64 end record', (zip) => onDisk(zip, 0xffff, 0xffff), 1],
    ['disk 0, directory on disk 1', (zip) => onDisk(zip, 0, 1), 0],
    [
      // Info-ZIP 6.0 then seeks before the start of the file; CPython, Go and bsdtar read it.
      'a zip64 end record saying disk 1, directory on disk 1',
      (zip) => {
        const out = withZip64End(zip);
        out.writeUInt32LE(1, zip.length - 22 + 16);
        out.writeUInt32LE(1, zip.length - 22 + 20);
        return out;
      },
      undefined,
    ],
  ];

  it.each(disks)(
    'an archive of one file whose end record says %s: read in full, the disk numbers a notice',
    async (label, make, infoZip) => {
      const path = save(dir, `${label}.zip`, make(await base()));
      // Info-ZIP, CPython and bsdtar read it all; only 7-Zip looks for the pieces before it.
      if (infoZip !== undefined) expect(unzipTest(path)).toBe(infoZip);
      expect(pythonReads(path)).toBe(true);
      const out = await readAll(path);
      expect(out.contents).toEqual(expected);
      expect(codes(out.notices)).toEqual(['ZIP_DISK_NUMBERS']);
      expect(out.notices[0]!.message).toMatch(
        /^The end record numbers its disks as a split archive's last piece does \(this one \d+, the central directory's \d+\), but the central directory and every entry are in this file: it was read as one archive in /,
      );
    },
  );

  it('refuses an archive whose entries are on different disks as split, and says so', async () => {
    const zip = onDisk(await base(), 1, 1);
    const [first] = headers(zip);
    zip.writeUInt16LE(1, first!.central + 34);
    const error = await openZip(save(dir, 'split.zip', zip)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(error.message).toMatch(/last piece of a zip split over several disks/);
    expect(error.message).toMatch(/Join the pieces first/);
  });

  it('refuses an archive whose entries are all on a disk before the end record as split', async () => {
    const path = save(dir, 'split on disk 1.zip', onDisk(await base(), 2, 2, 1));
    const error = await openZip(path).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(error.message).toMatch(/last piece of a zip split over several disks/);
  });

  it('refuses a zip64 locator counting two disks as split', async () => {
    const zip = withZip64End(await base());
    zip.writeUInt32LE(2, zip.length - 22 - 20 + 16);
    const error = await openZip(save(dir, 'split zip64.zip', zip)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(error.message).toMatch(/split over several disks/);
  });

  it('says the first piece of a split archive is one, not a download cut short', async () => {
    // `zip -s` starts the first piece (.z01) with the spanning mark; the end record is in the last piece.
    const mark = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
    const piece = Buffer.concat([mark, await base()]).subarray(0, 3000);
    const error = await openZip(save(dir, 'first piece.z01', piece)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(error.message).toMatch(/first piece of a split \(multi-part\) zip archive/);
    expect(error.message).toMatch(/join them \(e\.g\. `zip -s 0 /);
  });

  it('says so of the pieces Info-ZIP `zip -s` writes, first and last', async (context) => {
    const work = mkdtempSync(join(dir, 'split-'));
    writeFileSync(join(work, 'cv.pdf'), randomBytes(200 * 1024));
    const made = spawnSync('zip', ['-q', '-s', '64k', 'part.zip', 'cv.pdf'], { cwd: work });
    if (made.error !== undefined || made.status !== 0) {
      console.warn('zip: Info-ZIP zip is not installed; its split pieces are not checked');
      context.skip();
    }
    const first = await openZip(join(work, 'part.z01')).catch((e) => e);
    expect(first.message).toMatch(/first piece of a split/);
    const last = await openZip(join(work, 'part.zip')).catch((e) => e);
    expect(last).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(last.message).toMatch(/last piece of a zip split over several disks/);
    expect(last.message).toMatch(/Join the pieces first/);
  });

  it('says the pieces `zip -s` writes joined with `cat` are that, not the last piece', async (context) => {
    const work = mkdtempSync(join(dir, 'joined-'));
    writeFileSync(join(work, 'cv.pdf'), randomBytes(200 * 1024));
    const made = spawnSync('zip', ['-q', '-s', '64k', 'part.zip', 'cv.pdf'], { cwd: work });
    if (made.error !== undefined || made.status !== 0) {
      console.warn('zip: Info-ZIP zip is not installed; pieces joined with cat are not checked');
      context.skip();
    }
    // `cat part.z01 part.z02 part.z03 part.zip > export.zip`: the pieces in order, the last one last.
    const pieces = readdirSync(work)
      .filter((name) => /^part\.z\d+$/.test(name))
      .sort();
    expect(pieces.length).toBeGreaterThan(1);
    const joined = Buffer.concat([...pieces, 'part.zip'].map((name) => readFileSync(join(work, name))));
    const error = await openZip(save(work, 'export.zip', joined)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(error.message).toMatch(
      /^File is the pieces of a split \(multi-part\) zip joined into one file, as `cat` joins them \(\.z01, \.z02, \.\.\. then \.zip\): it starts with the first piece's split mark/,
    );
    expect(error.message).not.toMatch(/last piece of a zip/);
    expect(error.message).toMatch(/Join the pieces themselves instead/);
  });

  it('refuses an end record that points at no central directory as damaged, not as cut short', async () => {
    const zip = await base();
    zip.writeUInt32LE(zip.readUInt32LE(zip.length - 22 + 16) - 7, zip.length - 22 + 16);
    zip.writeUInt32LE(zip.readUInt32LE(zip.length - 22 + 12) + 7, zip.length - 22 + 12);
    const error = await openZip(save(dir, 'no directory.zip', zip)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect(error.message).toMatch(/No central directory where the end record puts it/);
  });

  it('refuses an entry the directory puts past the end of the file as damaged, not as cut short', async () => {
    const zip = await base();
    const [, second] = headers(zip);
    zip.writeUInt32LE(zip.length + 1000, second!.central + 42);
    const path = save(dir, 'entry past the end.zip', zip);
    const archive = await openZip(path);
    const names: string[] = [];
    const errors: unknown[] = [];
    for await (const entry of archive.entries()) {
      names.push(entry.name);
      errors.push(await archive.verify(entry).catch((e) => e));
    }
    await archive.close();
    expect(names).toEqual(['Candidate_1/Public/resume.pdf', 'Candidates.csv']);
    expect(errors[0]).toBe(pdf.length);
    expect(errors[1]).toMatchObject({ code: 'ZIP_CORRUPT' });
    expect((errors[1] as Error).message).toContain(
      `The central directory puts the entry's local header at bytes ${zip.length + 1000}-${zip.length + 1030}, past the end of the file (${zip.length} bytes)`,
    );
  });

  it('says a file cut short after a prefix is cut short, not "not a zip"', async () => {
    const zip = Buffer.concat([Buffer.alloc(100, 0x4d), await base()]);
    const error = await openZip(save(dir, 'prefix cut.zip', zip.subarray(0, 3000))).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_TRUNCATED' });
  });
});

describe('a part cut short after an attachment that is itself a zip (a .docx, .xlsx or .zip)', () => {
  // Such an attachment ends with an end record of its own: in the last 128 KiB of a part cut short, it was
  // the one found, its entries taken for the part's after a prefix, and the part read as a .docx's files.
  const docx = () =>
    yazlZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>'.repeat(50)) },
      { name: 'word/document.xml', data: randomBytes(40_000), compress: false },
    ]);
  const part = async (compress: boolean, streamed = false) =>
    yazlZip([
      { name: 'Candidate_1/Public/resume.pdf', data: pdf, compress: false },
      { name: 'Candidate_2/Public/cv.docx', data: await docx(), compress, streamed },
      { name: 'Candidate_3/Public/resume.pdf', data: pdf, compress: false },
    ]);
  // Cut 100 bytes after the attachment's own end record: in the next entry's header or data.
  const cut = (zip: Buffer) =>
    zip.subarray(0, zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'), zip.length - 23) + 122);

  it.each([
    ['stored', false, false],
    ['deflated (its bytes in stored deflate blocks)', true, false],
    ['stored, its size after its data (bsdtar)', false, true],
  ])(
    'is said to be cut short when the attachment is %s, not read as the attachment',
    async (label, compress, streamed) => {
      const path = save(dir, `cut after a docx ${label}.zip`, cut(await part(compress, streamed)));
      const error = await readAll(path).catch((e) => e);
      expect(error).toMatchObject({ code: 'ZIP_TRUNCATED' });
      expect(error.message).toMatch(/^Zip archive is cut short: /);
      expect(error.message).toMatch(/download it again\.$/);
    },
  );

  it('still reads the whole part, a zip after a stub, and one after a copy of itself cut short', async () => {
    const whole = await part(false);
    expect(Object.keys((await readAll(save(dir, 'with a docx.zip', whole))).contents)).toHaveLength(3);
    const stub = Buffer.concat([Buffer.from('MZ'.padEnd(4096, '\0')), whole]);
    const out = await readAll(save(dir, 'stub and a docx.zip', stub));
    expect(out.notices.map((n) => n.code)).toEqual(['ZIP_PREFIX_BYTES']);
    // A download cut short in the attachment, then written whole after itself: the whole copy is read.
    const twice = Buffer.concat([whole.subarray(0, 60_000), whole]);
    const again = await readAll(save(dir, 'cut then whole.zip', twice));
    expect(Object.keys(again.contents)).toHaveLength(3);
    expect(again.notices.map((n) => n.code)).toEqual(['ZIP_PREFIX_BYTES', 'ZIP_UNLISTED_ENTRY']);
  });
});

describe('a local extra field longer than the space before the next entry', () => {
  it('is refused naming the local header, not data that would start past the next entry', async () => {
    const zip = rawZip([
      { name: Buffer.from('a.csv'), data: csv },
      { name: Buffer.from('b.csv'), data: csv },
    ]);
    zip.writeUInt16LE(0xffff, 28);
    const error = await readAll(save(dir, 'local extra too long.zip', zip)).catch((e) => e);
    expect(error).toMatchObject({ code: 'ZIP_OVERLAP', entry: 'a.csv' });
    expect(error.message).toMatch(
      /^Local header \(with its extra field of 65535 bytes, to byte 65570\) runs into/,
    );
  });
});

describe('an archive comment holding an end-record signature', () => {
  const expected = { 'Candidates.csv': csv.toString('latin1'), 'resume.pdf': pdf.toString('latin1') };
  const base = () =>
    yazlZip([
      { name: 'Candidates.csv', data: csv },
      { name: 'resume.pdf', data: pdf, compress: false },
    ]);
  /** The archive with `comment` as its comment (the end record's length field set). */
  const withComment = (zip: Buffer, comment: Buffer) => {
    const out = Buffer.concat([zip, comment]);
    out.writeUInt16LE(comment.length, zip.length - 2);
    return out;
  };
  // "PK\5\6" and 18 zero bytes is the end record of an empty archive: taken as the end record, it reads as
  // an archive of no entries with every check passed.
  const emptyEnd = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);

  it.each([
    [
      'an empty archive quoted in the comment',
      Buffer.concat([Buffer.from('note '), emptyEnd, Buffer.from('!')]),
    ],
    ['an empty archive quoted at the end of the comment', emptyEnd],
    ['the same in a comment of 65,535 bytes', Buffer.concat([Buffer.alloc(65_535 - 22, 0x63), emptyEnd])],
    ['a signature in the text', Buffer.from('see PK\x05\x06 in the manual, page 4 of 12', 'latin1')],
  ])('%s: every entry read, as 7-Zip reads it', async (label, comment) => {
    const path = save(dir, `${label}.zip`, withComment(await base(), comment));
    const out = await readAll(path);
    expect(out.contents).toEqual(expected);
    expect(out.notices).toEqual([]);
  });

  it('still reads an archive whose only end record is followed by junk holding an empty one', async () => {
    const zip = Buffer.concat([await base(), Buffer.alloc(100, 0x20), emptyEnd, Buffer.alloc(50, 0x20)]);
    const out = await readAll(save(dir, 'junk with an end record.zip', zip));
    expect(out.contents).toEqual(expected);
    expect(out.notices.map((n) => n.code)).toEqual(['ZIP_TRAILING_BYTES']);
  });
});

describe('names and folders', () => {
  it('reports an unflagged name that is not plausible CP437 (Shift-JIS) as a notice naming the entry', async () => {
    // ソフト.txt in Shift-JIS: the trail byte of ソ is 0x5C, which CP437 reads as "\".
    const sjis = Buffer.from([0x83, 0x5c, 0x83, 0x74, 0x83, 0x67, 0x2e, 0x74, 0x78, 0x74]);
    const path = save(
      dir,
      'shift-jis.zip',
      rawZip([
        { name: sjis, data: csv },
        { name: Buffer.from([0x63, 0x82, 0x2e, 0x74, 0x78, 0x74]), data: csv },
      ]),
    );
    const out = await readAll(path);
    expect(Object.keys(out.contents)).toEqual(['â/âtâg.txt', 'cé.txt']);
    expect(out.notices).toHaveLength(1);
    expect(out.notices[0]).toMatchObject({ code: 'ZIP_NAME_ENCODING', entry: 'â/âtâg.txt' });
    expect(out.notices[0]!.message).toMatch(/Shift-JIS/);
  });

  it('skips a folder entry listed again, with a notice, as every other reader reads it', async () => {
    const folder = (name: string) => ({ name: Buffer.from(name), data: Buffer.alloc(0), attributes: 0x10 });
    const path = save(
      dir,
      'repeated folder.zip',
      rawZip([
        folder('Contract_1/'),
        { name: Buffer.from('Contract_1/Candidate.csv'), data: csv },
        folder('Contract_1/'),
        folder('contract_1'),
      ]),
    );
    const out = await readAll(path);
    expect(out.directories).toEqual(['Contract_1/']);
    expect(Object.keys(out.contents)).toEqual(['Contract_1/Candidate.csv']);
    expect(out.notices.map((n) => [n.code, n.entry])).toEqual([
      ['ZIP_REPEATED_FOLDER', 'Contract_1/'],
      ['ZIP_REPEATED_FOLDER', 'contract_1/'],
    ]);
    expect(unzipTest(path)).toBe(0);
    expect(pythonReads(path)).toBe(true);
  });

  it('still refuses a file and a folder of one name', async () => {
    const path = save(
      dir,
      'file and folder.zip',
      rawZip([
        { name: Buffer.from('Contract_1'), data: csv },
        { name: Buffer.from('Contract_1/'), data: Buffer.alloc(0), attributes: 0x10 },
      ]),
    );
    await expect(readAll(path)).rejects.toMatchObject({ code: 'ZIP_DUPLICATE_ENTRY', entry: 'Contract_1/' });
  });

  it('treats an entry with the MS-DOS directory attribute and no trailing "/" as the folder it is', async () => {
    const path = save(
      dir,
      'dos folder.zip',
      rawZip([
        { name: Buffer.from('Candidate_1'), data: Buffer.alloc(0), attributes: 0x10 },
        { name: Buffer.from('Candidate_1/resume.pdf'), data: pdf },
      ]),
    );
    const out = await readAll(path);
    expect(out.directories).toEqual(['Candidate_1/']);
    expect(Object.keys(out.contents)).toEqual(['Candidate_1/resume.pdf']);
    expect(unzipTest(path)).toBe(0);
  });
});
