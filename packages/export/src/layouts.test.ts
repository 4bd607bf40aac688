// Downloads as people hand them over, rearranged by hand: each layout is built here, from a fresh download.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, tempDir, write } from './download.fixture.js';
import {
  type AttachmentSummary,
  type ExportError,
  extractExport,
  openExport,
  type TalentExport,
} from './index.js';

// The folders made go when this file's tests end (see download.fixture.ts); the exports opened, after each.
const opened: TalentExport[] = [];
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
});

const TWO_PARTS = {
  parts: [
    ['1', '2'],
    ['3', '4'],
  ],
};

const download = (): Fixture => makeDownload(TWO_PARTS);

async function open(path: string): Promise<TalentExport> {
  const ex = await openExport(path);
  opened.push(ex);
  return ex;
}

async function summaryOf(ex: TalentExport, candidateIds?: Set<string>): Promise<AttachmentSummary> {
  const it = ex.indexAttachments(candidateIds ? { candidateIds } : {});
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
  }
}

const failure = (path: string): Promise<string> =>
  openExport(path).then(
    () => '',
    (e: ExportError) => `${e.code}: ${e.message}`,
  );

describe('openExport: export.csv as people keep it', () => {
  it('export.csv.txt and export.txt (saved again as text) are read as export.csv', async () => {
    for (const name of ['export.csv.txt', 'export.txt']) {
      const f = download();
      renameSync(join(f.dir, 'export.csv'), join(f.dir, name));
      const ex = await open(f.dir);
      expect(ex.manifest).toMatchObject({ file: name, totalFiles: f.totalFiles });
      expect(ex.problems).toEqual([]);
      expect((await summaryOf(ex)).problems).toEqual([]);
    }
  });

  it("export.csv saved as a workbook is said to be that, not a stranger's file", async () => {
    const f = download();
    renameSync(join(f.dir, 'export.csv'), join(f.dir, 'export.xlsx'));
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        'export.xlsx looks like export.csv saved as a spreadsheet, which is not read; save it as CSV (export.csv) beside the zips, or download export.csv again',
      ],
      ['MANIFEST_MISSING', 'no export.csv found: the file counts of the export are not checked'],
    ]);
  });

  it('an empty export.csv is one problem, not every part unlisted and every count differing', async () => {
    const f = download();
    writeFileSync(join(f.dir, 'export.csv'), '');
    const ex = await open(f.dir);
    expect(ex.manifest).toBeNull();
    const summary = await summaryOf(ex);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.file])).toEqual([
      ['MANIFEST_UNREADABLE', 'export.csv'],
    ]);
    expect(summary.files).toBe(f.files);
  });
});

describe('openExport: what browsers leave', () => {
  it("a leftover .crdownload beside the whole file, and Chrome's Unconfirmed one, are said to be that", async () => {
    const f = download();
    writeFileSync(join(f.dir, 'Attachment_1-2.zip.crdownload'), 'PK');
    writeFileSync(join(f.dir, 'Unconfirmed 812345.crdownload'), 'PK');
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        'notice',
        'Attachment_1-2.zip.crdownload is left over from a download of Attachment_1-2.zip that did not finish; Attachment_1-2.zip is in the folder and read, and Attachment_1-2.zip.crdownload can be deleted',
      ],
      [
        'UNKNOWN_FILE',
        'notice',
        'Unconfirmed 812345.crdownload is an unfinished browser download, and is ignored; if a file of the export is missing, let its download finish (or download it again) and run again',
      ],
    ]);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });

  it('the .crdownload of a second download names the file read, not the copy that never came', async () => {
    const f = download();
    // Downloaded again while the first was there: Chrome writes `Attachment_1-2 (1).zip.crdownload`.
    writeFileSync(join(f.dir, 'Attachment_1-2 (1).zip.crdownload'), 'PK');
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        'Attachment_1-2 (1).zip.crdownload is left over from a download of Attachment_1-2 (1).zip that did not finish; Attachment_1-2.zip, another download of it, is in the folder and read, and Attachment_1-2 (1).zip.crdownload can be deleted',
      ],
    ]);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });

  it('the .cpgz the Finder makes of a part it cannot unzip, and the copy it gives back, are said to be that', async () => {
    const f = download();
    // A double click on a zip64 part: Archive Utility packs it into a .cpgz, whose double click gives `x 2.zip`.
    writeFileSync(join(f.dir, 'Attachment_1-2.zip.cpgz'), '\x1f\x8b');
    copyFileSync(join(f.dir, 'Attachment_1-2.zip'), join(f.dir, 'Attachment_1-2 2.zip'));
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'DUPLICATE_DOWNLOAD',
        expect.stringMatching(/^Attachment_1-2 2\.zip is a second download of Attachment_1-2\.zip/),
      ],
      [
        'UNKNOWN_FILE',
        "Attachment_1-2.zip.cpgz is what the Finder's Archive Utility makes of Attachment_1-2.zip when it cannot unzip it (a zip of over 65,535 files or 4 GB), and is not read; it can be deleted. Attachment_1-2.zip is read as it is; to unzip it on a Mac, use `ditto -x -k` or `unzip` in Terminal, not a double click",
      ],
    ]);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });

  it("Firefox's .part beside the empty file it will become is the download under way, not a leftover", async () => {
    const f = download();
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'Attachment_3-4.zip.part'));
    writeFileSync(join(f.dir, 'Attachment_3-4.zip'), '');
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'DOWNLOAD_INCOMPLETE',
        'Attachment_3-4.zip.part is an unfinished download of Attachment_3-4.zip (the empty Attachment_3-4.zip beside it is a placeholder the browser made), which is not read; let the download finish or download Attachment_3-4.zip again, and run again',
      ],
    ]);
  });
});

describe('openExport: files fetched from their Download Url by a tool that names them after it', () => {
  it('says which file is the listed one, to rename, not to download it again', async () => {
    const f = download();
    const token = 'AQHZUwQO_JlhYgAAAXwYnH_Y9N29AL7hFn3mm7OSJKITeJHI0Kpsf3kyYh3QXUAeJTCtuCFbqf6';
    const manifest = readFileSync(join(f.dir, 'export.csv'), 'utf8').replace(
      'https://example.invalid/3-4',
      `https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=${token}`,
    );
    writeFileSync(join(f.dir, 'export.csv'), manifest);
    // What `wget URL` saves: the path's index.html and the query.
    const saved = `index.html?x-li-ambry-ep=${token}`;
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, saved));
    const ex = await open(f.dir);
    // The name holds the link's key: messages do not show it.
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        `[file name, ${saved.length} characters] is Attachment_3-4.zip saved under a name made of its Download Url (MANIFEST_MISSING_FILE says so): rename it Attachment_3-4.zip and run again`,
      ],
      [
        'MANIFEST_MISSING_FILE',
        `Attachment_3-4.zip is listed in export.csv (line 4) but is in the folder only under a name made of its Download Url ([file name, ${saved.length} characters], as wget names a download), which is not read; rename it Attachment_3-4.zip and run again`,
      ],
    ]);
  });
});

describe("openExport: Safari's download under way, a folder", () => {
  // Safari writes a download into `<name>.download/`, a folder holding the file being written.
  const bundle = (f: Fixture, name: string, keep: boolean): void => {
    mkdirSync(join(f.dir, `${name}.download`));
    writeFileSync(join(f.dir, `${name}.download`, name), 'PK\u0003\u0004 cut short');
    writeFileSync(join(f.dir, `${name}.download`, 'Info.plist'), '<plist/>');
    if (!keep) rmSync(join(f.dir, name));
  };

  it('in place of the part is the download unfinished, not the part read from it and found cut short', async () => {
    const f = download();
    bundle(f, 'Attachment_3-4.zip', false);
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip']);
    expect(ex.problems.map((p) => [p.code, p.message])).toContainEqual([
      'DOWNLOAD_INCOMPLETE',
      'Attachment_3-4.zip.download is an unfinished download of Attachment_3-4.zip, which is not read; let the download finish or download Attachment_3-4.zip again, and run again',
    ]);
    expect(ex.problems.map((p) => p.code)).not.toContain('UNKNOWN_FILE');
  });

  it('beside the whole part is a leftover, not the part unzipped', async () => {
    const f = download();
    bundle(f, 'Attachment_3-4.zip', true);
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        'Attachment_3-4.zip.download is left over from a download of Attachment_3-4.zip that did not finish; Attachment_3-4.zip is in the folder and read, and Attachment_3-4.zip.download can be deleted',
      ],
    ]);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });
});

describe('openExport: a copy that is empty', () => {
  it('an empty browser copy beside the whole file is said to be empty, not cut short', async () => {
    const f = download();
    writeFileSync(join(f.dir, 'export (1).zip'), '');
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'DUPLICATE_DOWNLOAD',
        'export (1).zip is empty (0 bytes) and is ignored; export.zip, another download of it, is read',
      ],
    ]);
  });
});

describe('openExport: the download zipped or renamed as a whole', () => {
  it('a folder of many folders and no export (a home folder) is told so after its first 1000 folders', async () => {
    const out = tempDir();
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 30; j++) mkdirSync(join(out, `d${i}`, `e${j}`), { recursive: true });
    expect(await failure(out)).toBe(
      `EXPORT_UNRECOGNIZED: ${out} holds no Talent Hub export: no export.csv, export.zip, Attachment_*.zip, table CSVs (e.g. Candidates.csv) or Candidate_<id> folders in its first 1000 folders`,
    );
    // An export's own files are near its top: found though the folder holds as many other folders.
    const f = download();
    for (const zip of ['export.zip', 'Attachment_1-2.zip'])
      execFileSync('unzip', ['-q', join(f.dir, zip), '-d', out]);
    const ex = await open(out);
    expect([ex.layout, Object.keys(ex.tables).length]).toEqual(['extracted', 10]);
  });

  it('a folder holding only the download zipped whole says to unzip it', async () => {
    const f = download();
    const out = tempDir();
    execFileSync('zip', ['-q', '-r', join(out, 'talent hub export.zip'), '.'], { cwd: f.dir });
    expect(await failure(out)).toBe(
      'EXPORT_UNRECOGNIZED: talent hub export.zip holds export.zip and 2 Attachment_*.zip part(s), not the ten tables: it is a zip of the download. Unzip it, then give the folder that holds export.csv, export.zip and the parts',
    );
  });

  it('a folder holding only export.zip renamed reads its tables; two such zips are named, not guessed', async () => {
    const f = download();
    const out = tempDir();
    renameSync(join(f.dir, 'export.zip'), join(out, 'LinkedIn data 2024.zip'));
    const ex = await open(out);
    expect([ex.layout, ex.root, Object.keys(ex.tables).length]).toEqual([
      'export-zip',
      join(out, 'LinkedIn data 2024.zip'),
      10,
    ]);
    expect(ex.problems).toEqual([]);
    writeFileSync(join(out, 'other.zip'), 'PK');
    expect(await failure(out)).toMatch(
      /holds no Talent Hub export: .*; it holds 2 zip files named otherwise \(LinkedIn data 2024\.zip, other\.zip\): give the one that is the export/,
    );
  });

  it('a zip of the export unpacked (tables and candidate folders) is read whole: its attachments too', async () => {
    const f = download();
    const unpacked = tempDir();
    for (const zip of ['export.zip', 'Attachment_1-2.zip', 'Attachment_3-4.zip'])
      execFileSync('unzip', ['-q', join(f.dir, zip), '-d', unpacked]);
    renameSync(join(f.dir, 'export.csv'), join(unpacked, 'export.csv'));
    writeFileSync(join(unpacked, 'notes for the auditor.txt'), 'x');
    const out = tempDir();
    execFileSync('zip', ['-q', '-r', join(out, 'talent hub.zip'), '.'], { cwd: unpacked });
    for (const path of [out, join(out, 'talent hub.zip')]) {
      const ex = await open(path);
      expect([ex.layout, ex.parts.map((p) => p.file), Object.keys(ex.tables).length]).toEqual([
        'export-zip',
        ['talent hub.zip'],
        10,
      ]);
      const summary = await summaryOf(ex, new Set(['1', '2', '3', '4']));
      expect([summary.files, summary.markers]).toEqual([f.files, f.markers]);
      // Its tables and export.csv are the export's own files, not unknown ones: only the stray file is told.
      const told = [...ex.problems, ...summary.problems].map((p) => [p.code, p.file, p.entry]);
      expect(told).toEqual([['UNKNOWN_FILE', 'talent hub.zip', '[file name, 25 characters].txt']]);
      expect(summary.unknownFiles).toBe(1);
    }
  });

  /** The download unzipped into `folders` (each holding the tables, export.csv and the part folders), zipped. */
  function unzippedTwice(f: Fixture, folders: string[], change?: (unpacked: string) => void): string {
    const unpacked = tempDir();
    for (const folder of folders) {
      for (const zip of ['export.zip', 'Attachment_1-2.zip', 'Attachment_3-4.zip'])
        execFileSync('unzip', ['-q', join(f.dir, zip), '-d', join(unpacked, folder)]);
      copyFileSync(join(f.dir, 'export.csv'), join(unpacked, folder, 'export.csv'));
    }
    change?.(unpacked);
    const out = join(tempDir(), 'talent hub.zip');
    execFileSync('zip', ['-q', '-r', out, '.'], { cwd: unpacked });
    return out;
  }

  it('a zip of the export unpacked twice (`export/` and `export (1)/`) reads the copy once, and says so', async () => {
    const f = download();
    const ex = await open(unzippedTwice(f, ['export', 'export (1)']));
    const summary = await summaryOf(ex, new Set(['1', '2', '3', '4']));
    expect([summary.files, summary.markers, summary.candidateFolders]).toEqual([f.files, f.markers, 4]);
    const told = [...ex.problems, ...summary.problems];
    expect(told.map((p) => p.code)).toEqual(['CANDIDATE_FOLDER_COPY', 'TABLE_COPIES_IDENTICAL']);
    expect(told[0]!.message).toBe(
      'talent hub.zip holds export/ and a copy of it, export (1)/, their attachments alike in number, sizes and checksums (an export unzipped twice, then zipped again): the copy is not read; delete export (1)/ from the zip to read it without this notice',
    );
  });

  it("a part's folder and its copy in a zip of the export unpacked are read once", async () => {
    const f = download();
    const path = unzippedTwice(f, ['.'], (unpacked) =>
      execFileSync('cp', ['-r', join(unpacked, 'Attachments_1-2'), join(unpacked, 'Attachments_1-2 (1)')]),
    );
    const ex = await open(path);
    const summary = await summaryOf(ex);
    expect([summary.files, summary.markers]).toEqual([f.files, f.markers]);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.severity])).toEqual([
      ['CANDIDATE_FOLDER_COPY', 'notice'],
    ]);
    // Extracted, its files are written once: no second name for a file of the copy.
    const out = join(tempDir(), 'out');
    const result = await extractExport(ex, { out });
    expect([result.files, result.markers]).toEqual([f.files, f.markers]);
    expect(result.problems.map((p) => p.code)).not.toContain('NAME_CLASH_RENAMED');
  });

  it('a copy that differs from its folder is read too, and told', async () => {
    const f = download();
    const path = unzippedTwice(f, ['export', 'export 2'], (unpacked) =>
      writeFileSync(join(unpacked, 'export 2', 'Attachments_1-2', 'Candidate_1', 'Public', 'more.pdf'), 'x'),
    );
    const ex = await open(path);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(2 * f.files + 1);
    const copy = ex.problems.find((p) => p.code === 'CANDIDATE_FOLDER_COPY')!;
    expect(copy.message).toBe(
      'talent hub.zip holds export/ and a copy of it, export 2/, their attachments not alike (an export unzipped twice, then changed and zipped again?): both are read, so a file in both is counted, extracted and bundled twice; delete the one not wanted from the zip and run again',
    );
  });

  it("in a download, export.zip's own candidate folders are still unknown files: the parts are read", async () => {
    const f = makeDownload({
      ...TWO_PARTS,
      extraExportEntries: { 'Attachments_1-2/Candidate_1/Public/cv.pdf': 'x' },
    });
    const ex = await open(f.dir);
    expect([ex.parts.length, ex.problems.map((p) => [p.code, p.file])]).toEqual([
      2,
      [['UNKNOWN_FILE', 'export.zip']],
    ]);
  });

  it('a lone export.zip does not count every candidate as without attachments: no part was looked in', async () => {
    const f = download();
    const ex = await open(join(f.dir, 'export.zip'));
    const summary = await summaryOf(ex, new Set(['1', '2', '3', '4']));
    expect(summary.problems).toEqual([]);
    expect(summary.candidatesWithoutAttachmentsCount).toBe(0);
  });
});

describe('openExport: links', () => {
  it('links to the parts (kept elsewhere) are read as the parts; a link to nothing is said to be one', async () => {
    const f = download();
    const elsewhere = tempDir();
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip']) {
      renameSync(join(f.dir, part), join(elsewhere, part));
      symlinkSync(join(elsewhere, part), join(f.dir, part));
    }
    const ex = await open(f.dir);
    expect(ex.problems).toEqual([]);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    const summary = await summaryOf(ex);
    expect([summary.files, summary.problems]).toEqual([f.files, []]);
    rmSync(join(elsewhere, 'Attachment_3-4.zip'));
    const broken = await open(f.dir);
    expect(broken.problems.map((p) => [p.code, p.file])).toEqual([
      ['SYMLINK_IGNORED', 'Attachment_3-4.zip'],
      ['MANIFEST_MISSING_FILE', 'Attachment_3-4.zip'],
    ]);
    expect(broken.problems[0]!.message).toMatch(/is a symbolic link to no file that can be read/);
    // A link to a folder is no part either.
    rmSync(join(f.dir, 'Attachment_3-4.zip'));
    mkdirSync(join(elsewhere, 'folder'));
    symlinkSync(join(elsewhere, 'folder'), join(f.dir, 'Attachment_3-4.zip'));
    expect((await open(f.dir)).parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip']);
  });

  it('a link to a folder of the parts kept elsewhere is looked into; a link to the folder itself is not', async () => {
    const f = download();
    const elsewhere = tempDir();
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip'])
      renameSync(join(f.dir, part), join(elsewhere, part));
    symlinkSync(elsewhere, join(f.dir, 'attachments'));
    symlinkSync(f.dir, join(f.dir, 'again'));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(ex.problems.map((p) => [p.code, p.file])).toEqual([['SYMLINK_IGNORED', 'again']]);
    const summary = await summaryOf(ex);
    expect([summary.files, summary.problems]).toEqual([f.files, []]);
  });
});

describe('openExport: two exports in one folder', () => {
  it("another export's parts (unlisted, their ranges overlapping listed ones) are set aside, not read", async () => {
    const f = download();
    const other = makeDownload({
      parts: [
        ['1', '3'],
        ['4', '5'],
        ['8', '9'],
      ],
    });
    for (const part of ['Attachment_1-3.zip', 'Attachment_4-5.zip', 'Attachment_8-9.zip'])
      renameSync(join(other.dir, part), join(f.dir, part));
    renameSync(join(other.dir, 'export.csv'), join(f.dir, 'export (1).csv'));
    const ex = await open(f.dir);
    // 4-5 shares only its first id with 3-4 (as when a candidate's folder goes on in the next part).
    expect(ex.parts.map((p) => p.file)).toEqual([
      'Attachment_1-2.zip',
      'Attachment_3-4.zip',
      'Attachment_4-5.zip',
      'Attachment_8-9.zip',
    ]);
    const summary = await summaryOf(ex, new Set(['1', '2', '3', '4']));
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.file])).toEqual([
      ['DOWNLOAD_COPIES_DIFFER', 'export (1).csv'],
      ['PART_OF_ANOTHER_EXPORT', 'Attachment_1-3.zip'],
      ['MANIFEST_UNLISTED_FILE', 'Attachment_4-5.zip'],
      ['MANIFEST_UNLISTED_FILE', 'Attachment_8-9.zip'],
      ['ATTACHMENT_CANDIDATE_UNKNOWN', undefined],
      ['CANDIDATE_IN_SEVERAL_PARTS', undefined],
      ['MANIFEST_TOTAL_FILES_DIFFER', 'export.csv'],
      ['MANIFEST_EXPORTED_FILES_DIFFER', 'export.csv'],
    ]);
    expect(ex.problems[1]!.message).toBe(
      "Attachment_1-3.zip is not listed in export.csv, and the candidate range in its name overlaps that of Attachment_1-2.zip, which is listed: with a second export's files in the folder, it is taken for a part of that export and is not read. Move it to a folder of its own with that export's export.csv and export.zip",
    );
    // With no sign of a second export, an unlisted part is read: export.csv may be the one out of date.
    rmSync(join(f.dir, 'export (1).csv'));
    const one = await open(f.dir);
    expect(one.parts.map((p) => p.file)).toContain('Attachment_1-3.zip');
    expect(one.problems.map((p) => p.code)).not.toContain('PART_OF_ANOTHER_EXPORT');
  });

  it('a folder in the download holding another download is said to be one, to give on its own', async () => {
    const f = download();
    const other = makeDownload(TWO_PARTS);
    renameSync(other.dir, join(f.dir, 'last year'));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        'last year/ holds another download (export.csv, export.zip), which is not read with this one; to read it, give that folder',
      ],
    ]);
  });
});

describe('openExport: candidate folders moved into one folder, as the guide suggests', () => {
  it('is read as every part, not each part told missing; the file counts say what is', async () => {
    const f = download();
    const work = tempDir();
    mkdirSync(join(f.dir, 'All candidates'));
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip']) {
      execFileSync('unzip', ['-q', join(f.dir, part), '-d', work]);
      rmSync(join(f.dir, part));
    }
    for (const id of ['1', '2', '3', '4']) {
      const range = Number(id) <= 2 ? '1-2' : '3-4';
      renameSync(
        join(work, `Attachments_${range}`, `Candidate_${id}`),
        join(f.dir, 'All candidates', `Candidate_${id}`),
      );
    }
    const ex = await open(f.dir);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.severity])).toEqual([
      ['PARTS_IN_ONE_FOLDER', 'notice'],
    ]);
    expect(ex.problems[0]!.message).toBe(
      "export.csv lists 2 part(s) not in the folder as zips (Attachment_1-2.zip, Attachment_3-4.zip); All candidates/ holds candidate folders as if every part's were moved into it, and is taken to hold theirs: the file counts say whether any are missing",
    );
    rmSync(join(f.dir, 'All candidates', 'Candidate_4'), { recursive: true });
    const short = await summaryOf(await open(f.dir));
    expect(short.problems.map((p) => p.code)).toEqual([
      'MANIFEST_TOTAL_FILES_DIFFER',
      'MANIFEST_EXPORTED_FILES_DIFFER',
    ]);
  });
});

describe('openExport: candidate folders of every part zipped into one, to be sent on', () => {
  it('is read as every part, not each part told missing; the file counts say what is', async () => {
    const f = download();
    const work = tempDir();
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip']) {
      execFileSync('unzip', ['-q', join(f.dir, part), '-d', work]);
      rmSync(join(f.dir, part));
    }
    mkdirSync(join(work, 'all'));
    for (const id of ['1', '2', '3', '4']) {
      const range = Number(id) <= 2 ? '1-2' : '3-4';
      renameSync(join(work, `Attachments_${range}`, `Candidate_${id}`), join(work, 'all', `Candidate_${id}`));
    }
    execFileSync('zip', ['-qr', join(f.dir, 'Attachments.zip'), '.'], { cwd: join(work, 'all') });
    const ex = await open(f.dir);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.severity])).toEqual([
      ['PARTS_IN_ONE_FOLDER', 'notice'],
    ]);
    expect(ex.problems[0]!.message).toBe(
      'export.csv lists 2 part(s) not in the folder (Attachment_1-2.zip, Attachment_3-4.zip); Attachments.zip, named after no candidate range, is taken for their candidate folders zipped into one: the file counts say whether any are missing',
    );
    execFileSync('zip', ['-qd', join(f.dir, 'Attachments.zip'), 'Candidate_4/*']);
    const short = await summaryOf(await open(f.dir));
    expect(short.problems.map((p) => p.code)).toEqual([
      'MANIFEST_TOTAL_FILES_DIFFER',
      'MANIFEST_EXPORTED_FILES_DIFFER',
    ]);
  });
});

describe('openExport: export.zip and a part unzipped where they were downloaded, their zips gone', () => {
  it('reads the tables and the part from their folders, and the other parts from their zips', async () => {
    const f = download();
    for (const zip of ['export.zip', 'Attachment_1-2.zip']) {
      execFileSync('unzip', ['-q', zip], { cwd: f.dir });
      rmSync(join(f.dir, zip));
    }
    const ex = await open(f.dir);
    expect(ex.layout).toBe('download');
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachments_1-2', 'Attachment_3-4.zip']);
    expect(Object.keys(ex.tables)).toHaveLength(10);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems].map((p) => p.code)).toEqual(['EXPORT_ZIP_UNZIPPED']);
  });
});

describe('openExport: the parts moved into a folder of their own', () => {
  it('with export.zip unzipped and gone, are read from there, not the export taken for an extracted one', async () => {
    const f = download();
    mkdirSync(join(f.dir, 'attachments'));
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip'])
      renameSync(join(f.dir, part), join(f.dir, 'attachments', part));
    execFileSync('unzip', ['-q', 'export.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'export.zip'));
    const ex = await open(f.dir);
    expect(ex.layout).toBe('download');
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems].map((p) => p.code)).toEqual(['EXPORT_ZIP_UNZIPPED']);
  });

  it('with export.csv moved in with them, are read from there, and so is export.csv', async () => {
    const f = download();
    mkdirSync(join(f.dir, 'attachments'));
    for (const file of ['Attachment_1-2.zip', 'Attachment_3-4.zip', 'export.csv'])
      renameSync(join(f.dir, file), join(f.dir, 'attachments', file));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(ex.manifest?.file).toBe('attachments/export.csv');
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems]).toEqual([]);
  });

  it('with export.zip moved in with them, export.csv left at the top, are read from there', async () => {
    const f = download();
    mkdirSync(join(f.dir, 'zips'));
    for (const file of ['Attachment_1-2.zip', 'Attachment_3-4.zip', 'export.zip'])
      renameSync(join(f.dir, file), join(f.dir, 'zips', file));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(Object.keys(ex.tables)).toHaveLength(10);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems]).toEqual([]);
  });

  it('one of them unzipped there, its zip gone, is read from its folder', async () => {
    const f = download();
    mkdirSync(join(f.dir, 'attachments'));
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip'])
      renameSync(join(f.dir, part), join(f.dir, 'attachments', part));
    execFileSync('unzip', ['-q', 'Attachment_1-2.zip'], { cwd: join(f.dir, 'attachments') });
    rmSync(join(f.dir, 'attachments', 'Attachment_1-2.zip'));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['attachments/Attachments_1-2', 'Attachment_3-4.zip']);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems]).toEqual([]);
  });
});

describe('openExport: a part unzipped twice (the Finder names the second folder `Attachments_1-2 2`)', () => {
  it('is read once in an extracted export, the copy told alike, or told to differ', async () => {
    const f = download();
    const out = join(f.dir, 'all');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    for (const part of ['1-2', '3-4'])
      execFileSync('unzip', ['-q', join(f.dir, `Attachment_${part}.zip`), '-d', out]);
    execFileSync('cp', ['-r', join(out, 'Attachments_1-2'), join(out, 'Attachments_1-2 2')]);
    const ex = await open(out);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachments_1-2', 'Attachments_3-4']);
    const told = (e: TalentExport) => e.problems.filter((p) => p.code !== 'MANIFEST_MISSING');
    expect(told(ex).map((p) => [p.code, p.file])).toEqual([['DUPLICATE_DOWNLOAD', 'Attachments_1-2 2']]);
    expect((await summaryOf(ex)).files).toBe(f.files);
    writeFileSync(join(out, 'Attachments_1-2 2', 'Candidate_1', 'Public', 'more.pdf'), 'x');
    const differ = await open(out);
    expect(differ.parts).toHaveLength(2);
    expect(told(differ).map((p) => [p.code, p.severity])).toEqual([['DOWNLOAD_COPIES_DIFFER', 'problem']]);
  });

  it('is read once when Windows unzipped it again into `Attachment_1-2 (1)/`', async () => {
    const f = download();
    const out = join(f.dir, 'all');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    for (const into of ['Attachment_1-2', 'Attachment_1-2 (1)'])
      execFileSync('unzip', ['-q', join(f.dir, 'Attachment_1-2.zip'), '-d', join(out, into)]);
    execFileSync('unzip', ['-q', join(f.dir, 'Attachment_3-4.zip'), '-d', out]);
    const ex = await open(out);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2/Attachments_1-2', 'Attachments_3-4']);
    expect(ex.problems.map((p) => [p.code, p.file])).toContainEqual([
      'DUPLICATE_DOWNLOAD',
      'Attachment_1-2 (1)/Attachments_1-2',
    ]);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });

  it('is read once beside export.zip, its zip gone', async () => {
    const f = download();
    execFileSync('unzip', ['-q', 'Attachment_1-2.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    execFileSync('cp', ['-r', join(f.dir, 'Attachments_1-2'), join(f.dir, 'Attachments_1-2 2')]);
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachments_1-2', 'Attachment_3-4.zip']);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems].map((p) => p.code)).toEqual(['DUPLICATE_DOWNLOAD']);
  });
});

describe('openExport: a part unzipped twice into one folder, Windows keeping both files', () => {
  /** What Explorer leaves when told to keep both: `empty (2).txt` beside `empty.txt`, and so on. */
  function keepBoth(folder: string): void {
    for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const dot = entry.name.lastIndexOf('.');
      const copy = `${entry.name.slice(0, dot)} (2)${entry.name.slice(dot)}`;
      copyFileSync(join(entry.parentPath, entry.name), join(entry.parentPath, copy));
    }
  }

  it("7-Zip's own (`7z x -aou`, `empty_1.txt`) are not counted as files either", async () => {
    const f = download();
    for (let i = 0; i < 2; i++)
      execFileSync('7z', ['x', '-aou', 'Attachment_1-2.zip'], { cwd: f.dir, stdio: 'ignore' });
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    const summary = await summaryOf(await open(f.dir), new Set(['1', '2', '3', '4']));
    // `resume_candidate1_1.pdf` is named as Talent Hub names a second resume: nothing tells it a copy.
    expect([summary.files, summary.markers]).toEqual([f.files + 2, f.markers]);
    const told = summary.problems.filter((p) => !p.code.startsWith('MANIFEST_'));
    expect(told.map((p) => p.message)).toEqual([
      expect.stringMatching(/^4 copies of empty\.txt in 2 candidate folder/),
    ]);
  });

  it('does not count the copies of empty.txt as files, and tells the copies, unzipped or zipped again', async () => {
    const f = download();
    execFileSync('unzip', ['-q', 'Attachment_1-2.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    keepBoth(join(f.dir, 'Attachments_1-2'));
    const zipped = download();
    rmSync(join(zipped.dir, 'Attachment_1-2.zip'));
    execFileSync('zip', ['-q', '-r', join(zipped.dir, 'Attachment_1-2.zip'), 'Attachments_1-2'], {
      cwd: f.dir,
    });
    for (const dir of [f.dir, zipped.dir]) {
      const summary = await summaryOf(await open(dir), new Set(['1', '2', '3', '4']));
      // Each candidate's resume is there twice, and counted so: only its bytes could tell a copy.
      expect([summary.files, summary.markers]).toEqual([f.files + 2, f.markers]);
      const told = summary.problems.filter((p) => !p.code.startsWith('MANIFEST_'));
      expect(told.map((p) => [p.code, p.severity])).toEqual([
        ['MARKER_COPY', 'notice'],
        ['ATTACHMENT_COPY', 'notice'],
      ]);
      // The copies are not the export's: left out, the counts agree with export.csv's.
      expect(summary.problems.filter((p) => p.code.startsWith('MANIFEST_'))).toEqual([]);
      expect(told[1]!.message).toBe(
        "2 attachment file(s) in 2 candidate folder(s) are copies left beside a file of the same name and size (`resume (2).pdf` beside `resume.pdf`, as a part unzipped twice into one folder leaves them): they are extracted and counted among the files as attachments of their own, though not against export.csv's counts; delete them and run again: 1, 2",
      );
      expect(told[0]!.message).toBe(
        '4 copies of empty.txt in 2 candidate folder(s) (`empty (2).txt`, `empty_1.txt`: what Windows and 7-Zip name the second of two files they keep when a part is unzipped twice into one folder) are not counted as markers or files; the files beside them may be there twice as well (`resume (2).pdf` beside `resume.pdf`), counted and extracted twice: unzip the part once into an empty folder and run again: 1, 2',
      );
    }
  });
  it('counts the files missing beside the copies: copies do not make up for them', async () => {
    const f = download();
    execFileSync('unzip', ['-q', 'Attachment_1-2.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    const folder = join(f.dir, 'Attachments_1-2');
    keepBoth(folder);
    // One of the export's own files gone with its copy: the other copies must not hide it.
    const [gone] = readdirSync(folder, { withFileTypes: true, recursive: true }).filter(
      (e) => e.isFile() && e.name.includes(' (2)') && !e.name.startsWith('empty'),
    );
    rmSync(join(gone!.parentPath, gone!.name));
    rmSync(join(gone!.parentPath, gone!.name.replace(' (2)', '')));
    const summary = await summaryOf(await open(f.dir), new Set(['1', '2', '3', '4']));
    const total = summary.problems.find((p) => p.code === 'MANIFEST_TOTAL_FILES_DIFFER')!;
    expect(total.message).toMatch(
      /, not counting \d+ cop\(ies\) a second unzip left beside their file \(ATTACHMENT_COPY says where\): 1 missing$/,
    );
  });
});

describe("openExport: Safari's and the Finder's copies", () => {
  it('export-1.zip and Attachment_1-2-1.zip (Safari), Attachment_3-4 2.zip (Finder) are read as the files', async () => {
    const f = download();
    renameSync(join(f.dir, 'export.zip'), join(f.dir, 'export-1.zip'));
    renameSync(join(f.dir, 'Attachment_1-2.zip'), join(f.dir, 'Attachment_1-2-1.zip'));
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'Attachment_3-4 2.zip'));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2-1.zip', 'Attachment_3-4 2.zip']);
    expect(Object.keys(ex.tables)).toHaveLength(10);
    const summary = await summaryOf(ex);
    expect(summary.files).toBe(f.files);
    expect([...ex.problems, ...summary.problems]).toEqual([]);
  });
});

describe('openExport: a listed part there only in pieces', () => {
  it('says to join the pieces of a 7-Zip volume set, not to download the part again', async () => {
    const f = download();
    const part = join(f.dir, 'Attachment_3-4.zip');
    execFileSync('split', ['-b', '300', '--numeric-suffixes=1', '-a', '3', part, `${part}.`]);
    rmSync(part);
    const ex = await open(f.dir);
    const missing = ex.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE');
    expect(missing.map((p) => p.message)).toEqual([
      'Attachment_3-4.zip is listed in export.csv (line 4) but is in the folder only split into volumes (Attachment_3-4.zip.001, ...), which are not read; join them into Attachment_3-4.zip (cat Attachment_3-4.zip.[0-9][0-9][0-9] > Attachment_3-4.zip) and run again',
    ]);
  });
});

describe('openExport: a file of the download given for the folder', () => {
  it('a part (or export.csv) given reads the download it is part of, whole; for a part, a notice says so', async () => {
    const f = download();
    for (const file of ['Attachment_3-4.zip', 'export.csv']) {
      const ex = await open(join(f.dir, file));
      expect([ex.root, ex.layout, ex.parts.length, Object.keys(ex.tables).length]).toEqual([
        f.dir,
        'download',
        2,
        10,
      ]);
      expect(ex.problems).toEqual(
        file === 'export.csv'
          ? []
          : [
              {
                code: 'PART_FOLDER_READ',
                severity: 'notice',
                file,
                message: `${file} is one attachment part, so the export in its folder is read whole (${f.dir}: export.csv, export.zip and every part there); give that folder to read the same without this notice`,
              },
            ],
      );
    }
  });
});

describe('openExport: parts unzipped by Windows, copied into WSL and zipped there again', () => {
  it("reads every file once: the `:Zone.Identifier` beside each (Windows' mark of the web) is not an attachment", async () => {
    const f = download();
    const work = tempDir();
    execFileSync('unzip', ['-q', join(f.dir, 'Attachment_1-2.zip'), '-d', work]);
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: work, encoding: 'utf8' }).split('\n');
    for (const file of files.filter(Boolean))
      writeFileSync(join(work, `${file}:Zone.Identifier`), '[ZoneTransfer]\r\nZoneId=3\r\n');
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    execFileSync('zip', ['-q', '-r', join(f.dir, 'Attachment_1-2.zip'), '.'], { cwd: work });
    for (const path of [f.dir, work]) {
      const ex = await open(path);
      const summary = await summaryOf(ex);
      expect([summary.files, summary.markers, summary.unknownFiles]).toEqual(
        path === f.dir ? [f.files, f.markers, 0] : [2, 4, 0],
      );
      expect([...ex.problems, ...summary.problems].map((p) => p.code)).not.toContain('UNKNOWN_FILE');
      expect(summary.problems.map((p) => p.code)).not.toContain('MANIFEST_TOTAL_FILES_DIFFER');
    }
  });
});

describe('openExport: a part renamed by hand, given alone', () => {
  it('is read as the part it holds, beside the export in its folder, not as export.zip', async () => {
    const f = download();
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'resumes final.zip'));
    const ex = await open(join(f.dir, 'resumes final.zip'));
    expect([ex.root, ex.layout, Object.keys(ex.tables).length]).toEqual([f.dir, 'download', 10]);
    expect(ex.parts.map((p) => [p.file, p.first, p.last])).toEqual([
      ['Attachment_1-2.zip', '1', '2'],
      ['resumes final.zip', '3', '4'],
    ]);
    const summary = await summaryOf(ex, new Set(['1', '2', '3', '4']));
    expect([summary.files, summary.markers]).toEqual([f.files, f.markers]);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'PART_RENAMED',
        'notice',
        `resumes final.zip holds candidate folders (those of Attachments_3-4/) and no table: it is read as the attachment part Attachment_3-4.zip under another name, with the export in its folder (${f.dir}: export.csv, export.zip and every part there)`,
      ],
    ]);
  });

  it('a copy of a part there under its own name is read once, the part, and said to be one', async () => {
    const f = download();
    copyFileSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'resumes.zip'));
    const ex = await open(join(f.dir, 'resumes.zip'));
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    const summary = await summaryOf(ex);
    expect([summary.files, summary.markers]).toEqual([f.files, f.markers]);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.message])).toEqual([
      [
        'PART_RENAMED',
        `resumes.zip holds candidate folders (those of Attachments_3-4/) and no table: it is a copy of Attachment_3-4.zip beside it, which is read, with the export in its folder (${f.dir}: export.csv, export.zip and every part there)`,
      ],
    ]);
  });

  it('alone in its folder, is read as a part: no table is told missing one by one', async () => {
    const f = download();
    const dir = tempDir();
    copyFileSync(join(f.dir, 'Attachment_1-2.zip'), join(dir, 'Anlagen.zip'));
    const ex = await open(join(dir, 'Anlagen.zip'));
    expect([ex.root, ex.layout, ex.parts.map((p) => p.file), Object.keys(ex.tables)]).toEqual([
      dir,
      'download',
      ['Anlagen.zip'],
      [],
    ]);
    const summary = await summaryOf(ex);
    expect([summary.files, summary.candidateFolders]).toEqual([2, 2]);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'PART_RENAMED',
        `Anlagen.zip holds candidate folders (those of Attachments_1-2/) and no table: it is read as the attachment part Attachment_1-2.zip under another name, with the export in its folder (${dir}: export.csv, export.zip and every part there)`,
      ],
      ['MANIFEST_MISSING', 'no export.csv found: the file counts of the export are not checked'],
      [
        'EXPORT_ZIP_MISSING',
        'export.zip is not in the folder, so none of the ten tables can be read; download it beside export.csv',
      ],
    ]);
  });

  it('a part named `attachments-final.zip` is one of no range, not one of candidates "s" to "final"', async () => {
    const f = download();
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'attachments-final.zip'));
    const ex = await open(f.dir);
    const summary = await summaryOf(ex);
    expect([...ex.problems, ...summary.problems].map((p) => p.code)).not.toContain('PART_RANGE_MISMATCH');
  });
});

describe('openExport: the path as typed', () => {
  it('an empty path is refused, not read as the working folder', async () => {
    for (const path of ['', ' ']) {
      expect(await failure(path)).toBe(
        'EXPORT_NOT_FOUND: the path given is empty; give the folder holding export.csv, export.zip and the Attachment_*.zip parts, or export.zip itself',
      );
    }
  });

  it('a folder named in the other Unicode form (copied from macOS) is found by the name typed', async () => {
    const f = download();
    const parent = tempDir();
    const nfd = join(parent, 'Téléchargements été'.normalize('NFD'));
    renameSync(f.dir, nfd);
    const ex = await open(join(parent, 'Téléchargements été'.normalize('NFC')));
    expect([ex.root, ex.parts.length, ex.problems]).toEqual([nfd, 2, []]);
  });
});

describe('openExport: the download in a folder of its own, beside files of the user', () => {
  it('is read from there, the files beside it told apart', async () => {
    const f = download();
    const outer = tempDir();
    renameSync(f.dir, join(outer, 'My export'));
    writeFileSync(join(outer, 'notes.txt'), 'from the recruiter');
    const ex = await open(outer);
    expect([ex.root, ex.layout, ex.parts.length, Object.keys(ex.tables).length]).toEqual([
      join(outer, 'My export'),
      'download',
      2,
      10,
    ]);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'UNKNOWN_FILE',
        "[file name, 9 characters].txt beside the download's folder My export/ is not part of it and is ignored",
      ],
    ]);
    // Two downloads side by side: which is meant cannot be told.
    const second = download();
    renameSync(second.dir, join(outer, 'older'));
    expect(await failure(outer)).toBe(
      `EXPORT_UNRECOGNIZED: ${outer} holds 2 downloads, each in a folder of its own (My export/, older/): give the folder of the one to read`,
    );
  });
});

describe('openExport: the download spread over folders of its own, beside one another', () => {
  it("Google Drive's pieces unzipped each apart are read as one download, its parts from both", async () => {
    const f = download();
    const outer = tempDir();
    // Drive's pieces `talent-<time>-001.zip` and `-002.zip` each hold `talent/` with some of its files.
    const one = join(outer, 'talent-20240101T090000Z-001', 'talent');
    const two = join(outer, 'talent-20240101T090000Z-002', 'talent');
    mkdirSync(one, { recursive: true });
    mkdirSync(two, { recursive: true });
    for (const name of ['export.csv', 'export.zip', 'Attachment_1-2.zip'])
      renameSync(join(f.dir, name), join(one, name));
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(two, 'Attachment_3-4.zip'));
    const ex = await open(outer);
    expect([ex.root, ex.layout, ex.parts.map((p) => p.file), Object.keys(ex.tables).length]).toEqual([
      one,
      'download',
      ['Attachment_1-2.zip', 'Attachment_3-4.zip'],
      10,
    ]);
    // Told missing before, export.zip beside export.csv included, and none of the parts read.
    expect(ex.problems).toEqual([]);
    const summary = await summaryOf(ex);
    expect([summary.files, summary.markers, summary.problems]).toEqual([f.files, f.markers, []]);
  });

  it("reads export.csv from the piece that holds it, export.zip from another's", async () => {
    const f = download();
    const outer = tempDir();
    const one = join(outer, 'talent-20240101T090000Z-001', 'talent');
    const two = join(outer, 'talent-20240101T090000Z-002', 'talent');
    mkdirSync(one, { recursive: true });
    mkdirSync(two, { recursive: true });
    for (const name of ['export.csv', 'Attachment_1-2.zip']) renameSync(join(f.dir, name), join(one, name));
    for (const name of ['export.zip', 'Attachment_3-4.zip']) renameSync(join(f.dir, name), join(two, name));
    const ex = await open(outer);
    expect([ex.root, ex.parts.length, Object.keys(ex.tables).length, ex.problems]).toEqual([two, 2, 10, []]);
    expect(ex.manifest).toMatchObject({ totalFiles: f.totalFiles });
    expect((await summaryOf(ex)).problems).toEqual([]);
  });

  it("a part only in a Drive piece not yet unzipped beside the download's folder is said to be in it", async () => {
    const f = download();
    const outer = tempDir();
    renameSync(f.dir, join(outer, 'talent'));
    execFileSync(
      'zip',
      ['-q', '-0', '-m', join(outer, 'talent-20240101T090000Z-002.zip'), 'talent/Attachment_3-4.zip'],
      {
        cwd: outer,
      },
    );
    const ex = await open(outer);
    await summaryOf(ex);
    expect(ex.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE').map((p) => p.message)).toEqual([
      // Named without its name: a zip of the user's may be named after anyone.
      'Attachment_3-4.zip is listed in export.csv (line 4) but is in the folder only inside ../[file name, 31 characters].zip, which is not read; unzip ../[file name, 31 characters].zip beside export.csv and run again',
    ]);
  });

  it('is read from the folder holding export.zip, a folder of the user beside it told apart', async () => {
    const f = download();
    const outer = tempDir();
    renameSync(f.dir, join(outer, 'talent'));
    mkdirSync(join(outer, 'notes'));
    writeFileSync(join(outer, 'notes', 'call.txt'), 'from the recruiter');
    const ex = await open(outer);
    expect([ex.root, ex.parts.length, Object.keys(ex.tables).length]).toEqual([join(outer, 'talent'), 2, 10]);
    expect(ex.problems.map((p) => p.code)).toEqual(['UNKNOWN_FILE']);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });

  it('beside a folder holding one of its parts again is refused, saying which folder to give, not read as missing', async () => {
    const f = download();
    const outer = tempDir();
    renameSync(f.dir, join(outer, 'talent'));
    mkdirSync(join(outer, 'older'));
    copyFileSync(join(outer, 'talent', 'Attachment_3-4.zip'), join(outer, 'older', 'Attachment_3-4.zip'));
    // Taken for an extracted export, its export.csv read and export.zip and both parts told missing.
    expect(await failure(outer)).toBe(
      `EXPORT_UNRECOGNIZED: ${outer} holds a download in talent/ (export.csv, and export.zip or parts beside it) and, beside that folder, more parts that may or may not be its: give talent/ to read the download alone, or move the download's files into one folder and give that`,
    );
    // Its zips kept in a folder beside what they hold unzipped: read as the extracted export, as before.
    rmSync(join(outer, 'older'), { recursive: true });
    execFileSync('unzip', ['-q', join(outer, 'talent', 'export.zip'), '-d', outer]);
    execFileSync('unzip', ['-q', join(outer, 'talent', 'Attachment_1-2.zip'), '-d', outer]);
    execFileSync('unzip', ['-q', join(outer, 'talent', 'Attachment_3-4.zip'), '-d', outer]);
    const ex = await open(outer);
    expect([ex.layout, ex.parts.length, Object.keys(ex.tables).length]).toEqual(['extracted', 2, 10]);
    expect((await summaryOf(ex)).files).toBe(f.files);
  });

  it("a folder's part that export.csv does not list is another export's, set aside", async () => {
    const f = download();
    const outer = tempDir();
    renameSync(f.dir, join(outer, 'talent'));
    mkdirSync(join(outer, 'older'));
    renameSync(join(outer, 'talent', 'Attachment_3-4.zip'), join(outer, 'older', 'Attachment_5-6.zip'));
    const ex = await open(outer);
    const summary = await summaryOf(ex);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip']);
    expect([...ex.problems, ...summary.problems].map((p) => [p.code, p.file])).toEqual(
      expect.arrayContaining([
        ['PART_OF_ANOTHER_EXPORT', '../older/Attachment_5-6.zip'],
        ['MANIFEST_MISSING_FILE', 'Attachment_3-4.zip'],
      ]),
    );
  });
});

describe('openExport: files of the download zipped together beside the others', () => {
  it('says a listed part is inside Archive.zip (the Finder zipping several files), not to download it again', async () => {
    const f = download();
    execFileSync('zip', ['-q', '-0', '-m', 'Archive.zip', 'Attachment_3-4.zip'], { cwd: f.dir });
    writeFileSync(join(f.dir, 'photos.zip'), 'not a zip');
    const ex = await open(f.dir);
    await summaryOf(ex);
    const missing = ex.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE').map((p) => p.message);
    expect(missing).toEqual([
      'Attachment_3-4.zip is listed in export.csv (line 4) but is in the folder only inside [file name, 11 characters].zip, which is not read; unzip [file name, 11 characters].zip beside export.csv and run again',
    ]);
    // The zip holding it is told as that, under the same hidden name, not as a stranger's file "ignored".
    const unknown = ex.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(unknown).toContain(
      '[file name, 11 characters].zip holds files export.csv lists (MANIFEST_MISSING_FILE names them): unzip it here and run again',
    );
    expect(unknown.filter((m) => m.startsWith('Archive.zip'))).toEqual([]);
    expect(unknown.filter((m) => m.startsWith('photos.zip'))).toHaveLength(1);
  });

  it('says a listed part or export.zip saved under another name is there, to rename, not to download again', async () => {
    const f = download();
    // What a browser names a download whose link gives it no name (`download.zip`, `download (1).zip`).
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'download.zip'));
    renameSync(join(f.dir, 'export.zip'), join(f.dir, 'download (1).zip'));
    // A zip of two parts' folders is neither part renamed: it keeps its notice.
    const two = tempDir();
    execFileSync('unzip', ['-q', join(f.dir, 'Attachment_1-2.zip'), '-d', two]);
    execFileSync('unzip', ['-q', join(f.dir, 'download.zip'), '-d', two]);
    execFileSync('zip', ['-q', '-r', join(f.dir, 'both.zip'), '.'], { cwd: two });
    const ex = await open(f.dir);
    const missing = ex.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE').map((p) => p.message);
    const size = (name: string) => statSync(join(f.dir, name)).size;
    expect(missing).toEqual([
      `export.zip is listed in export.csv (line 2) but is in the folder only under another name, [file name, 16 characters].zip (${size('download (1).zip')} bytes), which is not read; rename it export.zip and run again`,
      `Attachment_3-4.zip is listed in export.csv (line 4) but is in the folder only under another name, [file name, 12 characters].zip (${size('download.zip')} bytes), which is not read; rename it Attachment_3-4.zip and run again`,
    ]);
    const unknown = ex.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(unknown).toEqual(
      expect.arrayContaining([
        '[file name, 12 characters].zip is Attachment_3-4.zip under another name (MANIFEST_MISSING_FILE says so): rename it Attachment_3-4.zip and run again',
        '[file name, 16 characters].zip is export.zip under another name (MANIFEST_MISSING_FILE says so): rename it export.zip and run again',
      ]),
    );
    expect(unknown.filter((m) => m.startsWith('both.zip'))).toHaveLength(1);
    // A zip of a few CSVs named like tables is the user's, not export.zip renamed.
    rmSync(join(f.dir, 'download.zip'));
    rmSync(join(f.dir, 'download (1).zip'));
    const notes = tempDir();
    write(join(notes, 'Notes.csv'), 'note_id\n');
    write(join(notes, 'Messages.csv'), 'message_id\n');
    execFileSync('zip', ['-q', '-r', join(f.dir, 'notes.zip'), '.'], { cwd: notes });
    const few = await open(f.dir);
    expect(few.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE').map((p) => p.message)).toContain(
      'export.zip is listed in export.csv (line 2) but is not in the folder; download it from its Download Url and put it beside export.csv',
    );
    // Every file renamed: the folder is walked as an extracted export's, its zips told the same.
    const g = download();
    renameSync(join(g.dir, 'export.zip'), join(g.dir, 'download.zip'));
    renameSync(join(g.dir, 'Attachment_1-2.zip'), join(g.dir, 'download (1).zip'));
    renameSync(join(g.dir, 'Attachment_3-4.zip'), join(g.dir, 'download (2).zip'));
    const all = await open(g.dir);
    expect(all.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message)).toEqual(
      expect.arrayContaining([
        '[file name, 12 characters].zip is export.zip under another name (MANIFEST_MISSING_FILE says so): rename it export.zip and run again',
        '[file name, 16 characters].zip is a file export.csv lists, under another name (MANIFEST_MISSING_FILE says which, by its size): rename it as it says and run again',
      ]),
    );
    const sizes = all.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE').map((p) => p.message);
    for (const [n, part] of [
      [1, '1-2'],
      [2, '3-4'],
    ] as const) {
      const bytes = statSync(join(g.dir, `download (${n}).zip`)).size;
      expect(sizes).toContain(
        `Attachment_${part}.zip is listed in export.csv (line ${n + 2}) but is in the folder only under another name, [file name, 16 characters].zip (${bytes} bytes), which is not read; rename it Attachment_${part}.zip and run again`,
      );
    }
    // A zip of the user's whose hidden name is alike: none of the three is told as a listed file.
    const pics = tempDir();
    write(join(pics, 'beach.jpg'), 'jpg');
    execFileSync('zip', ['-q', '-r', join(g.dir, 'holiday pics.zip'), '.'], { cwd: pics });
    const mixed = await open(g.dir);
    const told = mixed.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(
      told.filter((m) => m.startsWith('[file name, 16 characters]') && m.includes('another name')),
    ).toEqual([]);
    expect(told).toContain(
      '[file name, 12 characters].zip is export.zip under another name (MANIFEST_MISSING_FILE says so): rename it export.zip and run again',
    );
  });
});

describe('openExport: a zip named .zip.zip', () => {
  it('renamed by hand (extensions hidden) is read as the part; a zip of the part so named says so', async () => {
    const f = download();
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'Attachment_3-4.zip.zip'));
    renameSync(join(f.dir, 'export.zip'), join(f.dir, 'export.zip.zip'));
    const ex = await open(f.dir);
    expect([ex.parts.map((p) => p.file), Object.keys(ex.tables).length, ex.problems]).toEqual([
      ['Attachment_1-2.zip', 'Attachment_3-4.zip.zip'],
      10,
      [],
    ]);
    expect((await summaryOf(ex)).problems).toEqual([]);
    // What macOS names a zip of Attachment_1-2.zip (Compress).
    execFileSync('zip', ['-q', join(f.dir, 'Attachment_1-2.zip.zip'), 'Attachment_1-2.zip'], { cwd: f.dir });
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    const again = await summaryOf(await open(f.dir));
    expect(again.problems.map((p) => [p.code, p.file])).toContainEqual([
      'PART_UNREADABLE',
      'Attachment_1-2.zip.zip',
    ]);
    expect(again.problems.find((p) => p.code === 'PART_UNREADABLE')!.message).toMatch(/it was zipped again/);
  });
});
