import { describe, expect, it } from 'vitest';
import { AttachmentTally, type EntryMeta, LISTED_IDS } from './attachments.js';

const file = (name: string, size = 10, crc32: number | null = 0xdeadbeef): EntryMeta => ({
  name,
  isDirectory: false,
  size,
  crc32,
});
const dir = (name: string): EntryMeta => ({ name, isDirectory: true, size: 0, crc32: null });

describe('AttachmentTally', () => {
  it('skips the files operating systems add, whatever their case, as isJunk() does', () => {
    const tally = new AttachmentTally();
    tally.startPart('Attachment_1-2.zip');
    const junk = [
      '__MACOSX/Candidate_1/Public/cv.pdf',
      'Candidate_1/Public/._cv.pdf',
      'Candidate_1/Public/.DS_Store',
      'Candidate_1/Public/Thumbs.db',
      'Candidate_1/Public/DES\u212ATOP.INI', // Kelvin sign: toLowerCase() makes it desktop.ini
      'Candidate_1/.localized/cv.pdf',
      // The mark of the web, as WSL keeps it beside a file copied in from Windows.
      'Candidate_1/Public/cv.pdf:Zone.Identifier',
      'Candidate_1/Public/empty.txt:zone.identifier',
    ];
    for (const name of junk) expect(tally.add(file(name)), name).toBeUndefined();
    expect(tally.add(file('Candidate_1/Public/thumbs.db.pdf'))).toMatchObject({ file_name: 'thumbs.db.pdf' });
    tally.endPart();
    expect(tally.finish()).toMatchObject({ files: 1, unknownFiles: 0 });
    expect(tally.problems).toEqual([]);
  });

  it("does not tell the export's own files (tables, export.csv, export.zip) as unknown files", () => {
    const tally = new AttachmentTally();
    tally.startPart('talent hub.zip');
    const own = ['export.csv', 'Contract_1/Candidates.csv', 'NOTES.CSV', 'export/export.zip'];
    for (const name of [...own, 'export (1).csv', 'notes.docx'])
      expect(tally.add(file(name))).toBeUndefined();
    expect(tally.add(file('Candidate_1/Public/cv.pdf'))).toMatchObject({ file_name: 'cv.pdf' });
    tally.endPart();
    expect(tally.finish()).toMatchObject({ files: 1, unknownFiles: 2 });
    expect(tally.problems.map((p) => [p.code, p.entry])).toEqual([
      ['UNKNOWN_FILE', '[file name, 14 characters].csv'],
      ['UNKNOWN_FILE', '[file name, 10 characters].docx'],
    ]);
  });

  it('skips them in a folder whose other files came first as well', () => {
    const tally = new AttachmentTally();
    tally.startPart('Attachment_1-2.zip');
    expect(tally.add(file('Candidate_1/Public/cv.pdf'))).toMatchObject({ file_name: 'cv.pdf' });
    for (const name of ['._cv.pdf', '.DS_Store', 'Thumbs.DB', 'DES\u212ATOP.INI', '.localized', '__MACOSX'])
      expect(tally.add(file(`Candidate_1/Public/${name}`)), name).toBeUndefined();
    expect(tally.add(file('Candidate_1/Public/desktop.ini.txt'))).toMatchObject({ crc32: 'deadbeef' });
    tally.endPart();
    expect(tally.finish()).toMatchObject({ files: 2, unknownFiles: 0 });
  });

  it('tells files copied beside one of the same name and size, in either order, and no others', () => {
    const tally = new AttachmentTally();
    tally.startPart('Attachment_1-3.zip');
    const entries: [string, number][] = [
      ['Candidate_1/Public/cv (2).pdf', 10], // before its original, as Windows lists them
      ['Candidate_1/Public/cv.pdf', 10],
      ['Candidate_1/Private/offer.pdf', 10],
      ['Candidate_1/Private/offer(1).pdf', 10], // Firefox's and WinRAR's way
      ['Candidate_1/Private/offer - Copy.pdf', 10], // pasted by hand, not unzipped twice: not told
      ['Candidate_2/Public/CV (1).pdf', 7], // uploaded so: no file of that name beside it
      ['Candidate_2/Public/letter (1).pdf', 9], // another size than letter.pdf: not a copy
      ['Candidate_2/Public/letter.pdf', 8],
      ['Candidate_2/Miscellaneous/resume_2.pdf', 8], // Talent Hub's own suffix
      ['Candidate_2/Miscellaneous/resume.pdf', 8],
      ['Candidate_3/Public/cv.pdf', 10],
      ['Candidate_1/Public/cv (3).pdf', 10], // its folder's files no longer together: not looked for
    ];
    for (const [name, size] of entries) tally.add(file(name, size));
    tally.endPart();
    tally.finish();
    expect(tally.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^2 attachment file\(s\) in 1 candidate folder\(s\) are copies .*: 1$/),
    ]);
  });

  it('yields one record per attachment file, counts markers apart, and totals per part', () => {
    const tally = new AttachmentTally(new Set(['1', '2']));
    tally.startPart('Attachment_1-2.zip', { first: '1', last: '2' });
    const records = [
      dir('Attachments_1-2/'),
      file('Attachments_1-2/Candidate_1/Public/cv.pdf', 100, 0x1234),
      file('Attachments_1-2/Candidate_1/Public/cv (1).pdf', 50),
      file('Attachments_1-2/Candidate_1/Private/empty.txt', 0),
      file('Attachments_1-2/Candidate_1/Miscellaneous/empty.txt', 0),
      file('Attachments_1-2/Candidate_2/Public/empty.txt', 0),
      file('Attachments_1-2/Candidate_2/Private/offer.pdf', 7),
      file('__MACOSX/Attachments_1-2/Candidate_2/Private/._offer.pdf', 3),
      file('Attachments_1-2/notes.txt', 3),
    ].map((e) => tally.add(e));
    tally.endPart();
    expect(records.filter((r) => r !== undefined)).toEqual([
      {
        candidate_id: '1',
        kind: 'public',
        file_name: 'cv.pdf',
        size: 100,
        crc32: '00001234',
        part: 'Attachment_1-2.zip',
        entry: 'Attachments_1-2/Candidate_1/Public/cv.pdf',
      },
      expect.objectContaining({ file_name: 'cv (1).pdf', crc32: 'deadbeef' }),
      expect.objectContaining({ candidate_id: '2', kind: 'private', file_name: 'offer.pdf' }),
    ]);
    const summary = tally.finish();
    expect(summary).toMatchObject({
      files: 3,
      markers: 3,
      bytes: 157,
      candidates: 2,
      unknownFiles: 1,
      byKind: { public: 2, private: 1, miscellaneous: 0 },
      candidatesUnknown: [],
      candidatesWithoutAttachments: [],
    });
    expect(summary.parts[0]).toMatchObject({
      entries: 8,
      files: 3,
      markers: 3,
      candidates: 2,
      readable: true,
    });
    expect(tally.problems.map((p) => [p.code, p.entry])).toEqual([
      // A file name may name a person: messages give its folders, length and extension only.
      ['UNKNOWN_FILE', 'Attachments_1-2/[file name, 9 characters].txt'],
    ]);
  });

  it('reads a folder the same whether or not it follows an entry of the same candidate', () => {
    const names = [
      'Attachments_1-2/Candidate_1/Public/cv.pdf',
      'Attachments_1-2/Candidate_1/Public/empty.txt',
      'Attachments_1-2/Candidate_1/PUBLIC/EMPTY.TXT',
      'Attachments_1-2/Candidate_1/Other/x.pdf',
      'Attachments_1-2/Candidate_1/Private/',
      'Attachments_1-2/Candidate_1/Private/offer.pdf',
      'Attachments_1-2/Candidate_1/Private/sub/offer.pdf',
      'Attachments_1-2/Candidate_2/Miscellaneous/a.pdf',
      'Other/Candidate_2/Miscellaneous/b.pdf',
    ];
    const read = (order: string[]) => {
      const tally = new AttachmentTally();
      tally.startPart('Attachment_1-2.zip');
      // Markers are empty, as Talent Hub writes them.
      const entry = (name: string) => file(name, /empty\.txt$/i.test(name) ? 0 : 10);
      const records = order.map((name) => tally.add(entry(name)) ?? null);
      tally.endPart();
      // A candidate met again in another part is counted there too.
      tally.startPart('Attachment_3-4.zip');
      records.push(tally.add(entry(order[0]!)) ?? null);
      tally.endPart();
      return { records, summary: tally.finish() };
    };
    const together = read(names);
    // Each entry after one of another candidate: nothing carried over from the entry before.
    const apart = read(names.flatMap((name) => [name, 'Candidate_9/Public/cv.pdf'])).records.filter(
      (r) => r?.candidate_id !== '9',
    );
    expect(apart).toEqual(together.records);
    expect(together.records.map((r) => r && `${r.candidate_id}:${r.kind}:${r.file_name}`)).toEqual([
      '1:public:cv.pdf',
      null,
      null,
      null,
      null,
      '1:private:offer.pdf',
      null,
      '2:miscellaneous:a.pdf',
      '2:miscellaneous:b.pdf',
      '1:public:cv.pdf',
    ]);
    expect(together.summary.parts.map((p) => [p.files, p.markers, p.unknownFiles, p.candidates])).toEqual([
      [4, 2, 3, 2],
      [1, 0, 0, 1],
    ]);
    expect(together.summary.problems.map((p) => p.code)).toContain('CANDIDATE_IN_SEVERAL_PARTS');
  });

  it("reads a candidate's copy folder as the candidate's and says so once a folder", () => {
    const tally = new AttachmentTally();
    tally.startPart('Attachment_1-2.zip');
    const names = [
      'Attachments_1-2/Candidate_1/Public/cv.pdf',
      'Attachments_1-2/Candidate_1 2/Public/cv.pdf',
      'Attachments_1-2/Candidate_1 2/Private/offer.pdf',
      'Attachments_1-2/Candidate_2/Public/cv.pdf',
      'Attachments_1-2/Candidate_2 (1)/Miscellaneous/x.pdf',
    ];
    const ids = names.map((name) => tally.add(file(name))?.candidate_id);
    tally.endPart();
    expect(ids).toEqual(['1', '1', '1', '2', '2']);
    const copies = tally.finish().problems.filter((p) => p.code === 'CANDIDATE_FOLDER_COPY');
    expect(copies.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^2 candidate folder\(s\) are copies .*counted, extracted and bundled twice.*: 1, 2$/,
      ),
    ]);
  });

  it('checks each part against the range in its name', () => {
    const tally = new AttachmentTally();
    tally.startPart('Attachment_1-9.zip', { first: '1', last: '9' });
    for (const id of ['2', '9', '10', '10', '100']) tally.add(file(`Candidate_${id}/Public/cv.pdf`));
    tally.endPart();
    tally.finish();
    expect(tally.problems.map((p) => p.code)).toEqual(['PART_RANGE_MISMATCH']);
    expect(tally.problems[0]!.message).toBe(
      'Attachment_1-9.zip is named for candidates 1 to 9 but holds 2 candidate folder(s) outside that range (10, 100); its candidates run from 2 to 100',
    );
  });

  it("keeps a candidate's files and markers when its entries are not together, ranges with leading zeros", () => {
    const tally = new AttachmentTally();
    tally.startPart('Attachment_01-09.zip', { first: '01', last: '09' });
    tally.add(file('Candidate_2/Public/cv.pdf'));
    tally.add(file('Candidate_3/Private/empty.txt', 0));
    tally.add(file('Candidate_2/Public/empty.txt', 0));
    tally.add(file('Candidate_3/Miscellaneous/a.pdf'));
    tally.add(file('Candidate_10/Public/cv.pdf'));
    tally.add(file('Candidate_2/Private/b.pdf'));
    tally.endPart();
    const summary = tally.finish();
    expect(summary.parts.map((p) => [p.files, p.markers, p.candidates])).toEqual([[4, 2, 3]]);
    expect([summary.candidates, summary.candidateFolders]).toEqual([3, 3]);
    expect(tally.problems.map((p) => p.code)).toEqual(['PART_RANGE_MISMATCH', 'MARKER_WITH_FILES']);
    expect(tally.problems.find((p) => p.code === 'MARKER_WITH_FILES')!.message).toMatch(/: 2$/);
    expect(tally.problems.find((p) => p.code === 'PART_RANGE_MISMATCH')!.message).toMatch(
      /1 candidate folder\(s\) outside that range \(10\); its candidates run from 2 to 10$/,
    );
  });

  it('lists orphans both ways, candidates split over parts, and markers beside files', () => {
    const tally = new AttachmentTally(new Set(['1', '2', '3']));
    tally.startPart('a.zip');
    tally.add(file('Candidate_1/Public/cv.pdf'));
    tally.add(file('Candidate_1/Public/empty.txt', 0));
    tally.add(file('Candidate_4/Public/cv.pdf'));
    tally.endPart();
    tally.startPart('b.zip');
    tally.add(file('Candidate_1/Private/offer.pdf'));
    tally.add(file('Candidate_2/Private/empty.txt', 0));
    tally.endPart();
    const summary = tally.finish();
    expect(summary.candidatesUnknown).toEqual(['4']);
    expect(summary.candidatesWithoutAttachments).toEqual(['3']);
    expect([summary.candidates, summary.candidateFolders]).toEqual([2, 3]);
    expect(summary.parts.map((p) => p.candidates)).toEqual([2, 2]);
    expect(tally.problems.map((p) => [p.code, p.severity])).toEqual([
      ['ATTACHMENT_CANDIDATE_UNKNOWN', 'problem'],
      ['CANDIDATE_NO_ATTACHMENTS', 'notice'],
      ['CANDIDATE_IN_SEVERAL_PARTS', 'notice'],
      ['MARKER_WITH_FILES', 'notice'],
    ]);
  });

  it("reads a candidate folder whose name ends in spaces or dots as that candidate's, not another one", () => {
    const tally = new AttachmentTally(new Set(['1', '2']));
    tally.startPart('Attachment_1-2.zip', { first: '1', last: '2' });
    // Renamed in the Finder, or written so by a zip tool: Windows would drop them and open Candidate_1.
    expect(tally.add(file('Attachments_1-2/Candidate_1 /Public/cv.pdf'))).toMatchObject({
      candidate_id: '1',
    });
    tally.add(file('Attachments_1-2/Candidate_1/Private/empty.txt', 0));
    expect(tally.add(file('Attachments_1-2/Candidate_2../Public/cv.pdf'))).toMatchObject({
      candidate_id: '2',
    });
    expect(tally.add(file('Attachments_1-2/Candidate_ ./Public/cv.pdf'))).toBeUndefined();
    // A kind folder so named, after the candidate's folder was seen under its plain name.
    expect(tally.add(file('Attachments_1-2/Candidate_2/Private /offer.pdf'))).toMatchObject({
      candidate_id: '2',
      kind: 'private',
    });
    tally.endPart();
    const summary = tally.finish();
    expect(summary).toMatchObject({
      candidates: 2,
      candidatesUnknownCount: 0,
      candidatesWithoutAttachmentsCount: 0,
    });
    expect(summary.parts[0]).toMatchObject({ candidates: 2, files: 3, markers: 1 });
    expect(tally.problems.map((p) => p.code)).toEqual(['UNKNOWN_FILE']);
  });

  it('never shows an id not made of digits: a name in an id column or a folder name is counted, not listed', () => {
    const tally = new AttachmentTally(new Set(['1', 'Jane Doe <jane@example.com>']));
    tally.startPart('Attachment_1-9.zip', { first: '1', last: '9' });
    tally.add(file('Candidate_1/Public/cv.pdf'));
    tally.add(file('Candidate_Mary Major/Public/cv.pdf'));
    tally.add(file('Candidate_Mary Major/Public/empty.txt', 0));
    tally.endPart();
    const summary = tally.finish();
    expect(summary.candidatesUnknownCount).toBe(1);
    expect(summary.candidatesWithoutAttachmentsCount).toBe(1);
    expect(summary.candidatesUnknown).toEqual([]);
    expect(summary.candidatesWithoutAttachments).toEqual([]);
    const text = JSON.stringify([summary, tally.problems]);
    expect(text).not.toMatch(/Jane|Mary/);
    expect(tally.problems.map((p) => p.code)).toEqual(
      expect.arrayContaining([
        'PART_RANGE_MISMATCH',
        'ATTACHMENT_CANDIDATE_UNKNOWN',
        'CANDIDATE_NO_ATTACHMENTS',
      ]),
    );
    expect(text).toContain('not shown: they are not made of digits, and may be personal data');
  });

  it('says when the candidates table holds the ids of folders it lacks written otherwise, never showing them', () => {
    const cases: [string[], string][] = [
      [['1,000,000,003', '1,000,000,004', '7'], 'thousands separators'],
      [['1000000003.0', '1000000004.0', '7'], 'decimals'],
      [['01000000003', ' 1000000004', '7'], 'leading zeros or spaces'],
    ];
    for (const [ids, how] of cases) {
      const tally = new AttachmentTally(new Set(ids));
      tally.startPart('Attachment_1000000003-1000000004.zip', { first: '1000000003', last: '1000000004' });
      for (const id of ['1000000003', '1000000004']) tally.add(file(`Candidate_${id}/Public/cv.pdf`));
      tally.endPart();
      tally.finish();
      const [unknown] = tally.problems.filter((p) => p.code === 'ATTACHMENT_CANDIDATE_UNKNOWN');
      expect(unknown!.message).toContain(
        `2 candidate folder(s) in the attachments have no row in the candidates table: 1000000003, 1000000004; the candidates table holds 2 of those ids written otherwise (with ${how})`,
      );
      const [without] = tally.problems.filter((p) => p.code === 'CANDIDATE_NO_ATTACHMENTS');
      expect(without!.message).toContain(
        `; 2 of them are ids of candidate folders written otherwise (with ${how})`,
      );
      expect(unknown!.message).not.toContain(ids[0]!.trim());
    }
    // Ids it holds otherwise that no folder is named for are not said.
    const tally = new AttachmentTally(new Set(['1,000,000,009', '1000000004']));
    tally.startPart('Attachment_1000000003-1000000004.zip', { first: '1000000003', last: '1000000004' });
    tally.add(file('Candidate_1000000003/Public/cv.pdf'));
    tally.endPart();
    tally.finish();
    const [unknown] = tally.problems.filter((p) => p.code === 'ATTACHMENT_CANDIDATE_UNKNOWN');
    expect(unknown!.message).toBe(
      '1 candidate folder(s) in the attachments have no row in the candidates table: 1000000003',
    );
    expect(tally.problems.find((p) => p.code === 'CANDIDATE_NO_ATTACHMENTS')!.message).not.toContain(
      'written otherwise',
    );
  });

  it("tells a part that holds a part's folder and its copy: a part unzipped twice, then zipped again", () => {
    const tally = new AttachmentTally(new Set(['1', '2']));
    tally.startPart('Attachment_1-2.zip', { first: '1', last: '2' });
    // The copy first: ' ' sorts before '/', as zip -r may list it.
    for (const top of ['Attachments_1-2 2', 'Attachments_1-2'])
      for (const id of ['1', '2']) tally.add(file(`${top}/Candidate_${id}/Public/cv.pdf`));
    tally.endPart();
    expect(tally.finish().files).toBe(4);
    expect(tally.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'CANDIDATE_FOLDER_COPY',
        'notice',
        'Attachment_1-2.zip holds Attachments_1-2/ and a copy of it, Attachments_1-2 2/ (a part unzipped twice, then zipped again): the candidate folders of both are read, so a file in both is counted, extracted and bundled twice; delete Attachments_1-2 2/ from the zip (or unzip it, delete that folder and give the folder) and run again',
      ],
    ]);
    // A copy alone is the part's folder, renamed: nothing to tell.
    const alone = new AttachmentTally(new Set(['1']));
    alone.startPart('Attachment_1-2.zip', { first: '1', last: '2' });
    alone.add(file('Attachments_1-2 2/Candidate_1/Public/cv.pdf'));
    alone.endPart();
    alone.finish();
    expect(alone.problems).toEqual([]);
  });

  it('counts the ids it does not show among those it lists: a few shown are not told as all there are', () => {
    const tally = new AttachmentTally(new Set(['1']));
    tally.startPart('Attachment_1-9.zip', { first: '1', last: '9' });
    tally.add(file('Candidate_1/Public/cv.pdf'));
    tally.add(file('Candidate_2/Public/cv.pdf'));
    tally.add(file('Candidate_Mary Major/Public/cv.pdf'));
    tally.endPart();
    expect(tally.finish().candidatesUnknownCount).toBe(2);
    expect(tally.problems.find((p) => p.code === 'ATTACHMENT_CANDIDATE_UNKNOWN')?.message).toBe(
      '2 candidate folder(s) in the attachments have no row in the candidates table: 2 and 1 more',
    );
  });

  it('takes an empty.txt that holds bytes for an attachment, and says so', () => {
    const tally = new AttachmentTally();
    tally.startPart('a.zip');
    tally.add(file('Candidate_1/Public/empty.txt', 0));
    const record = tally.add(file('Candidate_2/Public/empty.txt', 47));
    tally.endPart();
    const summary = tally.finish();
    expect(record).toMatchObject({ candidate_id: '2', kind: 'public', file_name: 'empty.txt', size: 47 });
    expect([summary.files, summary.markers, summary.bytes]).toEqual([1, 1, 47]);
    expect(tally.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'MARKER_NOT_EMPTY',
        'notice',
        "1 empty.txt file(s) hold bytes; they are taken for attachments, not for empty folders' markers: 2",
      ],
    ]);
  });

  it('keeps one number per distinct candidate, however many files each has', () => {
    const tally = new AttachmentTally();
    tally.startPart('big.zip');
    let yielded = 0;
    for (let i = 0; i < 20_000; i++) {
      if (tally.add(file(`Candidate_${i % 100}/Miscellaneous/letter (${i}).pdf`, 1)) !== undefined) yielded++;
    }
    tally.endPart();
    const summary = tally.finish();
    expect([yielded, summary.files, summary.candidates, summary.bytes]).toEqual([
      20_000, 20_000, 100, 20_000,
    ]);
  });

  it('lists the smallest orphan ids only, with their counts, however many there are', () => {
    // An export without attachments: every candidate lacks a folder.
    const ids = Array.from({ length: 5000 }, (_, i) => String(1_000_000 + ((i * 7919) % 5000)));
    const tally = new AttachmentTally(new Set(ids));
    tally.startPart('a.zip');
    for (let i = 0; i < 300; i++) tally.add(file(`Candidate_${9_000_000 - i * 13}/Public/cv.pdf`));
    tally.endPart();
    const summary = tally.finish();
    const smallest = (n: number, from: number, step: number) =>
      Array.from({ length: n }, (_, i) => String(from + i * step));
    expect(summary.candidatesWithoutAttachmentsCount).toBe(5000);
    expect(summary.candidatesWithoutAttachments).toEqual(smallest(LISTED_IDS, 1_000_000, 1));
    expect(summary.candidatesUnknownCount).toBe(300);
    expect(summary.candidatesUnknown).toEqual(smallest(LISTED_IDS, 9_000_000 - 299 * 13, 13));
    expect(tally.problems.find((p) => p.code === 'CANDIDATE_NO_ATTACHMENTS')?.message).toBe(
      '5000 candidate(s) have no folder in any attachment part: 1000000, 1000001, 1000002, 1000003, 1000004 and 4995 more',
    );
  });
});
