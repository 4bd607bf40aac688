// Parts unzipped by hand: into folders of any name, into one another's folder, or at the top beside export.zip.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, tempDir } from './download.fixture.js';
import { type AttachmentSummary, openExport, type Problem, type TalentExport } from './index.js';

const opened: TalentExport[] = [];
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
});

async function read(dir: string): Promise<{ ex: TalentExport; summary: AttachmentSummary; all: Problem[] }> {
  const ex = await openExport(dir);
  opened.push(ex);
  const it = ex.indexAttachments();
  let step = await it.next();
  while (!step.done) step = await it.next();
  return { ex, summary: step.value, all: [...ex.problems, ...step.value.problems] };
}

/** `part` unzipped into a scratch folder, its zip deleted: the folder it made (`Attachments_<range>`). */
function unzipped(f: Fixture, part: string): string {
  const work = tempDir();
  execFileSync('unzip', ['-q', join(f.dir, part), '-d', work]);
  rmSync(join(f.dir, part));
  return join(work, readdirSync(work)[0]!);
}

const THREE = {
  parts: [
    ['1', '2'],
    ['3', '4'],
    ['5', '6'],
  ],
};

describe('parts unzipped into folders of other names', () => {
  it('are read beside a part still zipped, each taken for the listed part whose candidates it holds', async () => {
    const f = makeDownload(THREE);
    renameSync(unzipped(f, 'Attachment_3-4.zip'), join(f.dir, 'part 2'));
    renameSync(unzipped(f, 'Attachment_5-6.zip'), join(f.dir, 'part3'));
    const { ex, summary, all } = await read(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'part 2', 'part3']);
    expect(summary.files).toBe(f.files);
    expect(all.map((p) => p.code)).toEqual(['PARTS_IN_ONE_FOLDER']);
    expect(all[0]!.message).toBe(
      'export.csv lists 2 part(s) not in the folder as zips (Attachment_3-4.zip, Attachment_5-6.zip); part 2/, part3/ hold the candidate folders of parts, unzipped or moved there, and are taken to hold theirs: the file counts say whether any are missing',
    );
  });

  it('a listed part none of them holds is still missing, and its files uncounted', async () => {
    const f = makeDownload(THREE);
    renameSync(unzipped(f, 'Attachment_3-4.zip'), join(f.dir, 'part2'));
    rmSync(join(f.dir, 'Attachment_5-6.zip'));
    const { all } = await read(f.dir);
    expect(all.map((p) => [p.code, p.file])).toEqual([
      ['PARTS_IN_ONE_FOLDER', 'part2'],
      ['MANIFEST_MISSING_FILE', 'Attachment_5-6.zip'],
      ['MANIFEST_TOTAL_FILES_DIFFER', 'export.csv'],
      ['MANIFEST_EXPORTED_FILES_DIFFER', 'export.csv'],
    ]);
    expect(all[2]!.message).toContain('not counted: Attachment_5-6.zip (missing or unreadable)');
  });
});

describe("parts unzipped into the first part's folder (`Attachments_1-2/` holding every candidate)", () => {
  it('is read as the folder of every part, in a download and in an extracted export', async () => {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const merged = unzipped(f, 'Attachment_1-2.zip');
    const second = unzipped(f, 'Attachment_3-4.zip');
    for (const id of ['3', '4']) renameSync(join(second, `Candidate_${id}`), join(merged, `Candidate_${id}`));
    renameSync(merged, join(f.dir, 'Attachments_1-2'));
    const { ex, summary, all } = await read(f.dir);
    expect(ex.parts.map((p) => [p.file, p.first])).toEqual([['Attachments_1-2', undefined]]);
    expect(summary.files).toBe(f.files);
    expect(all.map((p) => p.code)).toEqual(['PARTS_IN_ONE_FOLDER']);
    execFileSync('unzip', ['-q', 'export.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'export.zip'));
    const extracted = await read(f.dir);
    expect(extracted.ex.layout).toBe('extracted');
    expect(extracted.summary.files).toBe(f.files);
    expect(extracted.all.map((p) => p.code)).toEqual(['PARTS_IN_ONE_FOLDER']);
    expect(extracted.all[0]!.message).toBe(
      "Attachments_1-2/ is named for candidates 1 to 2 but holds candidate folders from 1 to 4: it is read as the parts' candidate folders moved into one, and the file counts say whether any are missing",
    );
  });
});

describe('candidate folders at the top of the download, beside export.zip', () => {
  it('are read as the one folder of every part, as they are once export.zip is unzipped', async () => {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip']) {
      const folder = unzipped(f, part);
      for (const name of readdirSync(folder)) renameSync(join(folder, name), join(f.dir, name));
    }
    const { ex, summary, all } = await read(f.dir);
    expect(ex.layout).toBe('download');
    expect(ex.parts.map((p) => p.file)).toEqual(['.']);
    expect(summary.files).toBe(f.files);
    expect(all.map((p) => p.code)).toEqual(['PARTS_IN_ONE_FOLDER']);
    expect(all[0]!.message).toContain(
      'the Candidate_<id> folders at the top of the folder are as if every part',
    );
  });

  it('are not read when the zips there hold them (a part unzipped where it is, its zip kept): one notice', async () => {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    execFileSync('unzip', ['-q', 'Attachment_1-2.zip'], { cwd: f.dir });
    for (const name of ['Candidate_1', 'Candidate_2'])
      renameSync(join(f.dir, 'Attachments_1-2', name), join(f.dir, name));
    rmSync(join(f.dir, 'Attachments_1-2'), { recursive: true });
    const { ex, summary, all } = await read(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(summary.files).toBe(f.files);
    expect(all.map((p) => p.code)).toEqual(['UNKNOWN_FILE']);
    expect(all[0]!.message).toBe(
      '2 Candidate_<id> folder(s) at the top of the folder hold candidates that Attachment_1-2.zip, Attachment_3-4.zip hold too (a part unzipped there, its zip kept): they are not read, the zips are',
    );
  });
});

describe('a part zip moved into a folder, the others left at the top', () => {
  it('is read from there: a folder of any name, or named after the part', async () => {
    for (const folder of ['attachments', 'Attachment_5-6']) {
      const f = makeDownload(THREE);
      mkdirSync(join(f.dir, folder));
      renameSync(join(f.dir, 'Attachment_5-6.zip'), join(f.dir, folder, 'Attachment_5-6.zip'));
      const { ex, summary, all } = await read(f.dir);
      expect(ex.parts.map((p) => p.file)).toEqual([
        'Attachment_1-2.zip',
        'Attachment_3-4.zip',
        'Attachment_5-6.zip',
      ]);
      expect(summary.files).toBe(f.files);
      expect(all).toEqual([]);
    }
  });
});

describe("a part unzipped beside the download's own folder", () => {
  it('is read with the download when their common folder is given (`Downloads/talent/`, `Downloads/part2/`)', async () => {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const downloads = tempDir();
    renameSync(f.dir, join(downloads, 'talent'));
    renameSync(
      unzipped({ ...f, dir: join(downloads, 'talent') }, 'Attachment_3-4.zip'),
      join(downloads, 'part2'),
    );
    const { ex, summary, all } = await read(downloads);
    expect(ex.layout).toBe('download');
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', '../part2']);
    expect(summary.files).toBe(f.files);
    expect(all.map((p) => p.code)).toEqual(['PARTS_IN_ONE_FOLDER']);
  });
});

it('a part unzipped into a folder of another name, its zip kept, is told so and not read twice', async () => {
  const f = makeDownload({
    parts: [
      ['1', '2'],
      ['3', '4'],
    ],
  });
  execFileSync('unzip', ['-q', 'Attachment_1-2.zip', '-d', 'my part'], { cwd: f.dir });
  const { ex, summary, all } = await read(f.dir);
  expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
  expect(summary.files).toBe(f.files);
  expect(all.map((p) => p.message)).toEqual([
    'my part/ holds candidate folders that Attachment_1-2.zip, Attachment_3-4.zip hold too (a part unzipped, its zip kept): it is not read, the zips are',
  ]);
});

it('a part unzipped in the download, given as the export, reads the download it is part of', async () => {
  const f = makeDownload({
    parts: [
      ['1', '2'],
      ['3', '4'],
    ],
  });
  execFileSync('unzip', ['-q', 'Attachment_3-4.zip', '-d', 'part2'], { cwd: f.dir });
  rmSync(join(f.dir, 'Attachment_3-4.zip'));
  for (const given of ['part2', 'part2/Attachments_3-4']) {
    const { ex, summary, all } = await read(join(f.dir, given));
    expect(ex.root).toBe(f.dir);
    expect(Object.keys(ex.tables)).toHaveLength(10);
    expect(summary.files).toBe(f.files);
    expect(all).toEqual([]);
  }
});

it("what else is in the parts' own folder is told, not passed over", async () => {
  const f = makeDownload({
    parts: [
      ['1', '2'],
      ['3', '4'],
    ],
  });
  mkdirSync(join(f.dir, 'attachments'));
  for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip'])
    renameSync(join(f.dir, part), join(f.dir, 'attachments', part));
  execFileSync('unzip', ['-q', 'Attachment_1-2.zip'], { cwd: join(f.dir, 'attachments') });
  writeFileSync(join(f.dir, 'attachments', 'notes.txt'), 'x');
  const { summary, all } = await read(f.dir);
  expect(summary.files).toBe(f.files);
  expect(all.map((p) => [p.code, p.file])).toEqual([
    ['UNKNOWN_FILE', 'attachments/Attachments_1-2'],
    ['UNKNOWN_FILE', 'attachments/notes.txt'],
  ]);
});

it("a user's own CSV named like a table, in the download folder, is no copy of export.zip's table", async () => {
  const f = makeDownload({ parts: [['1', '2']] });
  writeFileSync(join(f.dir, 'Notes.csv'), 'task,owner\nbuy milk,me\n');
  mkdirSync(join(f.dir, 'work'));
  writeFileSync(join(f.dir, 'work', 'Projects.csv'), 'Project,Budget\nx,1\n');
  // An edited copy of the table (its header kept) is still told to differ.
  writeFileSync(join(f.dir, 'Messages.csv'), `${f.csv.messages}1,,,,,,\r\n`);
  const { all } = await read(f.dir);
  expect(all.map((p) => [p.code, p.file])).toEqual([
    ['TABLE_COPY_DIFFERS', 'Messages.csv'],
    ['UNKNOWN_FILE', 'Notes.csv'],
    ['UNKNOWN_FILE', 'work/Projects.csv'],
  ]);
  expect(all[1]!.message).toBe(
    "Notes.csv beside export.zip is named like the notes table, but its first line names none of that table's columns: it is not part of the download and is ignored",
  );
});

it("a user's own CSV named like a table, beside export.zip's tables unzipped, is not read for the table", async () => {
  const f = makeDownload({ parts: [['1', '2']] });
  execFileSync('unzip', ['-q', 'export.zip'], { cwd: f.dir });
  rmSync(join(f.dir, 'export.zip'));
  // Larger than the table: as one of two copies that differ, the larger was read, and the table failed.
  writeFileSync(join(f.dir, 'Notes.csv'), `task,owner\n${'buy milk,me\n'.repeat(50)}`);
  const { ex, all } = await read(f.dir);
  expect(ex.tables.notes?.file).toBe('Contract_123456/Notes.csv');
  expect(all.map((p) => [p.code, p.file])).toEqual([
    ['EXPORT_ZIP_UNZIPPED', undefined],
    ['UNKNOWN_FILE', 'Notes.csv'],
  ]);
});

it("the table's copy a spreadsheet saved with semicolons or as UTF-16, beside its tables unzipped, is a copy, not a stranger", async () => {
  // Excel in German or French saves with ";", its "Unicode text" as UTF-16: the header names the table's
  // columns all the same. Told a stranger and ignored, its rows were lost with a notice.
  for (const save of [
    (csv: string) => Buffer.from(csv.replaceAll(',', ';')),
    (csv: string) =>
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv.replaceAll(',', '\t'), 'utf16le')]),
  ]) {
    const f = makeDownload({ parts: [['1', '2']] });
    execFileSync('unzip', ['-q', 'export.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'export.zip'));
    writeFileSync(join(f.dir, 'Notes.csv'), save(f.csv.notes!));
    const { all } = await read(f.dir);
    expect(all.map((p) => p.code)).not.toContain('UNKNOWN_FILE');
    // Two copies that differ: a problem naming both, and the decoder says how the one read was saved.
    const duplicate = all.find((p) => p.code === 'TABLE_DUPLICATE');
    expect(duplicate?.message).toContain('(Contract_123456/Notes.csv and Notes.csv)');
  }
});

it('of export.zip and Export.zip alike (a disk that tells cases apart), export.zip is read', async () => {
  const f = makeDownload({ parts: [['1', '2']] });
  copyFileSync(join(f.dir, 'export.zip'), join(f.dir, 'Export.zip'));
  const { ex, all } = await read(f.dir);
  expect(ex.tables.candidates?.file).toBe('export.zip');
  expect(all.map((p) => [p.code, p.file])).toEqual([['DUPLICATE_DOWNLOAD', 'Export.zip']]);
});

it("a part unzipped in the parts' own folder, with no folder of its own, is read from there", async () => {
  const f = makeDownload({
    parts: [
      ['1', '2'],
      ['3', '4'],
    ],
  });
  mkdirSync(join(f.dir, 'attachments'));
  renameSync(join(f.dir, 'Attachment_1-2.zip'), join(f.dir, 'attachments', 'Attachment_1-2.zip'));
  const folder = unzipped(f, 'Attachment_3-4.zip');
  for (const name of readdirSync(folder)) renameSync(join(folder, name), join(f.dir, 'attachments', name));
  const { ex, summary, all } = await read(f.dir);
  expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'attachments']);
  expect(summary.files).toBe(f.files);
  expect(all.map((p) => p.code)).toEqual(['PARTS_IN_ONE_FOLDER']);
});

it('export.zip moved into a folder of its own beside the parts (export.csv with it, or not) is read', async () => {
  for (const moved of [['export.zip'], ['export.zip', 'export.csv']]) {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    mkdirSync(join(f.dir, 'data'));
    for (const file of moved) renameSync(join(f.dir, file), join(f.dir, 'data', file));
    const { ex, summary, all } = await read(f.dir);
    expect(Object.keys(ex.tables)).toHaveLength(10);
    expect(summary.files).toBe(f.files);
    expect(all).toEqual([]);
  }
});

it('export.csv moved in with the tables of export.zip unzipped into a folder is read, and so are the tables', async () => {
  const f = makeDownload({
    parts: [
      ['1', '2'],
      ['3', '4'],
    ],
  });
  execFileSync('unzip', ['-q', 'export.zip', '-d', 'export'], { cwd: f.dir });
  rmSync(join(f.dir, 'export.zip'));
  renameSync(join(f.dir, 'export.csv'), join(f.dir, 'export', 'export.csv'));
  const { ex, summary, all } = await read(f.dir);
  expect(ex.manifest?.file).toBe('export/export.csv');
  expect(Object.keys(ex.tables)).toHaveLength(10);
  expect(summary.files).toBe(f.files);
  expect(all.map((p) => p.code)).toEqual(['EXPORT_ZIP_UNZIPPED']);
});
