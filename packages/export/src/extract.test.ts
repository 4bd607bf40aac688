import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, tempDir, write, zipAgain } from './download.fixture.js';
import { outError } from './extract-staging.js';
import {
  type AttachmentSummary,
  extractExport,
  openExport,
  suffixedName,
  type TalentExport,
} from './index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function fixture(options: Parameters<typeof makeDownload>[0]): Fixture {
  const f = makeDownload(options);
  cleanups.push(f.cleanup);
  return f;
}

function outDir(): string {
  const dir = tempDir('talent-export-extract-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'out');
}

async function summaryOf(ex: TalentExport): Promise<AttachmentSummary> {
  const index = ex.indexAttachments();
  let step = await index.next();
  while (!step.done) step = await index.next();
  return step.value;
}

async function extracted(
  path: string,
  out: string,
  options: Partial<Parameters<typeof extractExport>[1]> = {},
) {
  const ex = await openExport(path);
  try {
    return await extractExport(ex, { out, ...options });
  } finally {
    await ex.close();
  }
}

/** Every file below a folder, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

/** Adds an attachment part made of a folder tree (path -> text), zipped by Info-ZIP; `-0` stores it. */
function addPart(dir: string, name: string, tree: Record<string, string>, stored = false): string {
  const work = join(dir, '.part');
  for (const [path, text] of Object.entries(tree)) write(join(work, path), text);
  execFileSync('zip', ['-q', '-r', '-X', ...(stored ? ['-0'] : []), join(dir, name), '.'], { cwd: work });
  rmSync(work, { recursive: true });
  return join(dir, name);
}

/** Renames an entry in place with Info-ZIP's zipnote: names no file system would hold can be written so. */
function renameEntry(zip: string, from: string, to: string): void {
  const notes = execFileSync('zipnote', [zip], { encoding: 'utf8' });
  execFileSync('zipnote', ['-w', zip], { input: notes.replace(`@ ${from}\n`, `@ ${from}\n@=${to}\n`) });
}

describe('extractExport', () => {
  it('writes the tables and every part into one folder that reads back with the same counts', async () => {
    const f = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(result.tables.map((t) => t.file)).toContain('Candidate.csv');
    expect(result.tables).toHaveLength(10);
    expect(readFileSync(join(out, 'Candidate.csv'), 'utf8')).toBe(f.csv.candidates);
    expect(result).toMatchObject({ files: f.files, markers: f.markers, candidates: 4, manifest: true });
    expect(result.problems).toEqual([]);
    expect(files(out)).toContain('Candidate_3/Public/resume_candidate3.pdf');
    expect(files(out)).toContain('Candidate_3/Private/empty.txt');
    expect(files(out)).toContain('export.csv');
    // Nothing of the staging folder is left, in the folder or beside it.
    expect(readdirSync(join(out, '..'))).toEqual(['out']);

    const original = await openExport(f.dir);
    const copy = await openExport(out);
    try {
      expect(copy.layout).toBe('extracted');
      expect(Object.keys(copy.tables).sort()).toEqual(Object.keys(original.tables).sort());
      const [a, b] = [await summaryOf(original), await summaryOf(copy)];
      for (const key of ['files', 'markers', 'bytes', 'candidates', 'candidateFolders'] as const)
        expect(b[key]).toBe(a[key]);
      expect(copy.problems.filter((p) => p.severity === 'problem')).toEqual([]);
    } finally {
      await original.close();
      await copy.close();
    }
  });

  it('gives a name an earlier part used a numeric suffix, case-insensitively, and keeps one marker', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_2-3.zip', {
      'Attachments_2-3/Candidate_2/Public/RESUME_CANDIDATE2.pdf': 'second',
      'Attachments_2-3/Candidate_2/Private/empty.txt': '',
      'Attachments_2-3/Candidate_3/Public/cv.pdf': 'cv',
    });
    addPart(f.dir, 'Attachment_2-4.zip', {
      'Attachments_2-4/Candidate_2/Public/resume_candidate2.pdf': 'third',
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    const public2 = readdirSync(join(out, 'Candidate_2', 'Public')).sort();
    expect(public2).toEqual(['RESUME_CANDIDATE2_1.pdf', 'resume_candidate2.pdf', 'resume_candidate2_2.pdf']);
    expect(readFileSync(join(out, 'Candidate_2/Public/RESUME_CANDIDATE2_1.pdf'), 'utf8')).toBe('second');
    expect(readFileSync(join(out, 'Candidate_2/Public/resume_candidate2_2.pdf'), 'utf8')).toBe('third');
    expect(result.renamedCount).toBe(2);
    expect(result.renamed[1]).toEqual({
      part: 'Attachment_2-4.zip',
      entry: 'Attachments_2-4/Candidate_2/Public/resume_candidate2.pdf',
      path: 'Candidate_2/Public/resume_candidate2_2.pdf',
    });
    const codes = result.problems.map((p) => [p.code, p.severity]);
    expect(codes).toContainEqual(['NAME_CLASH_RENAMED', 'notice']);
    expect(codes).toContainEqual(['MARKER_DUPLICATE', 'notice']);
    expect(readdirSync(join(out, 'Candidate_2', 'Private'))).toEqual(['empty.txt']);
  });

  it('leaves export.csv out when a folder split over two parts had its marker twice: its counts would not add up', async () => {
    const f = fixture({
      parts: [
        ['1', '2'],
        ['2', '3'],
      ],
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(result.markers).toBe(f.markers - 2);
    expect(result.manifest).toBe(false);
    expect(existsSync(join(out, 'export.csv'))).toBe(false);
    const codes = result.problems.map((p) => [p.code, p.severity]);
    expect(codes).toContainEqual(['MARKER_DUPLICATE', 'notice']);
    expect(codes).toContainEqual(['MANIFEST_LEFT_OUT', 'notice']);
    const copy = await openExport(out);
    try {
      const summary = await summaryOf(copy);
      expect(summary.problems.filter((p) => p.severity === 'problem')).toEqual([]);
    } finally {
      await copy.close();
    }
  });

  it('gives a name another file of the same folder has in another case a suffix, and says so', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const tree = join(f.dir, 'Attachment_3-3');
    write(join(tree, 'Candidate_3/Public/Resume.pdf'), 'upper');
    write(join(tree, 'Candidate_3/Public/resume.pdf'), 'lower');
    const out = outDir();
    const result = await extracted(tree, out);
    expect(readdirSync(join(out, 'Candidate_3', 'Public')).sort()).toHaveLength(2);
    const renamed = result.problems.filter((p) => p.code === 'NAME_CLASH_RENAMED');
    expect(renamed).toHaveLength(1);
    expect(renamed[0]!.message).not.toContain('earlier part');
    expect(renamed[0]!.message).toContain('already written to this candidate');
  });

  it('writes names Windows cannot create under names it can, on every platform, and records the renames', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const unsafe = ['CON', 'nul.txt', 'Com1.tar.gz', 'lpt9 .pdf', 'cv.pdf.', 'notes. ', 'a<b>c:d"e|f?g*.pdf'];
    const tree = Object.fromEntries(unsafe.map((name) => [`Candidate_2/Public/${name}`, name]));
    addPart(f.dir, 'Attachment_2-2.zip', {
      ...tree,
      'Candidate_2/Public/cv.pdf': 'kept',
      'Candidate_2/Public/CONTRACT.pdf': 'kept',
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    const written = readdirSync(join(out, 'Candidate_2', 'Public')).sort();
    expect(written).toEqual(
      [
        'CON_',
        'CONTRACT.pdf',
        'Com1_.tar.gz',
        'a_b_c_d_e_f_g_.pdf',
        'cv.pdf',
        'cv_1.pdf',
        'lpt9_ .pdf',
        'notes',
        'nul_.txt',
        'resume_candidate2.pdf',
      ].sort(),
    );
    // The bytes are the file's, whatever its new name: each file here holds its own name.
    expect(readFileSync(join(out, 'Candidate_2/Public/CON_'), 'utf8')).toBe('CON');
    expect(readFileSync(join(out, 'Candidate_2/Public/cv.pdf'), 'utf8')).toBe('kept');
    expect(readFileSync(join(out, 'Candidate_2/Public/cv_1.pdf'), 'utf8')).toBe('cv.pdf.');
    // Each rename is recorded with the entry's name as it was; the notices name no file.
    const renamed = Object.fromEntries(result.renamed.map((r) => [r.entry, r.path]));
    expect(renamed).toMatchObject({
      'Candidate_2/Public/CON': 'Candidate_2/Public/CON_',
      'Candidate_2/Public/cv.pdf.': 'Candidate_2/Public/cv_1.pdf',
      'Candidate_2/Public/a<b>c:d"e|f?g*.pdf': 'Candidate_2/Public/a_b_c_d_e_f_g_.pdf',
    });
    expect(result.renamedCount).toBe(unsafe.length);
    const notices = result.problems.filter((p) => p.code === 'NAME_UNSAFE_RENAMED');
    expect(notices.length + result.problems.filter((p) => p.code === 'NAME_CLASH_RENAMED').length).toBe(
      unsafe.length,
    );
    for (const p of notices) expect(p.message).not.toMatch(/CON_|nul|Com1|lpt9|notes|a<b|a_b/);
  });

  it('writes a bidi override of a name as "_": the file would show another extension', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_3-3.zip', {
      'Candidate_3/Public/cv\u202efdp.exe': 'MZ',
      // Both a name Windows cannot create and a bidi override: both said.
      'Candidate_3/Public/a?\u202eb.pdf': 'both',
      // Marks and zero-width characters spell right-to-left and other names: kept.
      'Candidate_3/Public/קורות חיים\u200f.pdf': '%PDF',
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(readdirSync(join(out, 'Candidate_3', 'Public')).sort()).toEqual([
      'a__b.pdf',
      'cv_fdp.exe',
      'קורות חיים\u200f.pdf',
    ]);
    expect(result.renamed.map((r) => [r.entry, r.path])).toEqual([
      ['Candidate_3/Public/cv\u202efdp.exe', 'Candidate_3/Public/cv_fdp.exe'],
      ['Candidate_3/Public/a?\u202eb.pdf', 'Candidate_3/Public/a__b.pdf'],
    ]);
    const notices = result.problems.filter((p) => p.code === 'NAME_UNSAFE_RENAMED').map((p) => p.message);
    expect(notices).toEqual([
      expect.not.stringContaining('Windows'),
      expect.stringMatching(
        /what Windows cannot create .*; and its name holds characters that turn the text around them/,
      ),
    ]);
    expect(notices[0]).toContain('characters that turn the text around them');
    expect(notices.join()).not.toMatch(/[\u202e]|cv_fdp/);
  });

  it('writes a bidi override of a candidate folder\'s name as "_" too, with the notice', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_3-3.zip', { 'Candidate_3\u202efdp.exe/Public/cv.pdf': '%PDF' });
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(readdirSync(out).filter((n) => n.startsWith('Candidate_3'))).toEqual(['Candidate_3_fdp.exe']);
    expect(result.renamed.map((r) => r.path)).toEqual(['Candidate_3_fdp.exe/Public/cv.pdf']);
    const notices = result.problems.filter((p) => p.code === 'NAME_UNSAFE_RENAMED').map((p) => p.message);
    expect(notices).toEqual([expect.stringContaining('characters that turn the text around them')]);
  });

  it('renames a control character of a name in an extracted folder (the zip reader refuses it in a zip)', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const tree = join(f.dir, 'Attachment_3-3');
    write(join(tree, 'Candidate_3/Public/x\u0001y.pdf'), 'x');
    const out = outDir();
    const result = await extracted(tree, out);
    expect(readdirSync(join(out, 'Candidate_3', 'Public'))).toEqual(['x_y.pdf']);
    expect(result.renamed.map((r) => [r.entry, r.path])).toEqual([
      ['Candidate_3/Public/x\u0001y.pdf', 'Candidate_3/Public/x_y.pdf'],
    ]);
    expect(result.problems.map((p) => p.code)).toContain('NAME_UNSAFE_RENAMED');
  });

  it('leaves out the copies of empty.txt Windows keeps beside it when a part is unzipped twice', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_3-3.zip', {
      'Attachments_3-3/Candidate_3/Public/cv.pdf': 'a resume',
      'Attachments_3-3/Candidate_3/Private/empty.txt': '',
      'Attachments_3-3/Candidate_3/Private/empty (2).txt': '',
      'Attachments_3-3/Candidate_3/Miscellaneous/empty - Copy.txt': '',
      'Attachments_3-3/Candidate_3/Public/empty_1.txt': '',
      'Attachments_3-3/Candidate_3/Miscellaneous/empty (3).txt': 'a note, not a copy of a marker',
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(readdirSync(join(out, 'Candidate_3', 'Private'))).toEqual(['empty.txt']);
    expect(readdirSync(join(out, 'Candidate_3', 'Public'))).toEqual(['cv.pdf']);
    expect(readdirSync(join(out, 'Candidate_3', 'Miscellaneous'))).toEqual(['empty (3).txt']);
    expect(result.problems.filter((p) => p.code === 'MARKER_COPY').map((p) => p.message)).toEqual([
      '3 copies of empty.txt (`empty (2).txt`, `empty_1.txt`: what Windows and 7-Zip name the second of two files they keep when a part is unzipped twice into one folder) are left out; the files beside them may be there twice as well (`resume (2).pdf` beside `resume.pdf`): unzip the part once into an empty folder and extract again',
    ]);
  });

  it('keeps the bytes of an empty.txt that holds some, beside a marker and with markers: false', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_2-3.zip', { 'Candidate_2/Private/empty.txt': 'a note, not a marker' });
    const out = outDir();
    const result = await extracted(f.dir, out);
    const names = readdirSync(join(out, 'Candidate_2', 'Private')).sort();
    expect(names).toEqual(['empty.txt', 'empty_1.txt']);
    expect(readFileSync(join(out, 'Candidate_2/Private/empty_1.txt'), 'utf8')).toBe('a note, not a marker');
    expect(result.problems.map((p) => p.code)).not.toContain('MARKER_DUPLICATE');
    const bare = outDir();
    await extracted(f.dir, bare, { markers: false });
    expect(readFileSync(join(bare, 'Candidate_2/Private/empty.txt'), 'utf8')).toBe('a note, not a marker');
  });

  it('gives thousands of same-named files of one folder the suffixes in order, skipping one the part holds', async () => {
    const f = fixture({ parts: [['1', '2']] });
    // `r_3.pdf` itself, then 3,000 files `F<i>/Candidate_2/Public/r.pdf` holding `<i>`.
    const part = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('Candidate_2/Public/r_3.pdf', 'own')
    for i in range(3000): z.writestr(f'F{i}/Candidate_2/Public/r.pdf', str(i))
`;
    execFileSync('python3', ['-c', part, join(f.dir, 'Attachment_2-3.zip')]);
    const out = outDir();
    const result = await extracted(f.dir, out);
    const suffixes = [1, 2, ...Array.from({ length: 2997 }, (_, i) => i + 4)];
    const given = ['r.pdf', ...suffixes.map((n) => `r_${n}.pdf`)];
    const names = readdirSync(join(out, 'Candidate_2', 'Public'));
    expect(names.filter((n) => /^r[._]/.test(n)).sort()).toEqual(['r_3.pdf', ...given].sort());
    expect(readFileSync(join(out, 'Candidate_2/Public/r_3.pdf'), 'utf8')).toBe('own');
    given.forEach((name, i) => {
      expect(readFileSync(join(out, 'Candidate_2/Public', name), 'utf8')).toBe(String(i));
    });
    expect(result.renamedCount).toBe(2999);
  });

  it('leaves markers out with markers: false, and export.csv with them', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const out = outDir();
    const result = await extracted(f.dir, out, { markers: false });
    expect(files(out).filter((p) => p.endsWith('empty.txt'))).toEqual([]);
    expect(result).toMatchObject({ markers: 0, files: 2, manifest: false });
    expect(existsSync(join(out, 'export.csv'))).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['MANIFEST_LEFT_OUT']);
  });

  it('copies an export.csv found inside export.zip', async () => {
    const manifest = readFileSync(join(fixture({ parts: [['1', '2']] }).dir, 'export.csv'), 'utf8');
    const f = fixture({ parts: [['1', '2']], extraExportEntries: { 'export.csv': manifest } });
    rmSync(join(f.dir, 'export.csv'));
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(result.manifest).toBe(true);
    expect(readFileSync(join(out, 'export.csv'), 'utf8')).toBe(manifest);
  });

  it('copies an export.csv read from outside the folder: a link to one kept elsewhere, a folder beside it', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const kept = tempDir();
    renameSync(join(f.dir, 'export.csv'), join(kept, 'export.csv'));
    symlinkSync(join(kept, 'export.csv'), join(f.dir, 'export.csv'));
    const out = outDir();
    // Opened at the folder joined with the target's whole path, it was not found: the run failed.
    const result = await extracted(f.dir, out);
    expect(result.manifest).toBe(true);
    expect(readFileSync(join(out, 'export.csv'))).toEqual(readFileSync(join(kept, 'export.csv')));
  });

  it('leaves out the export.csv inside a lone export.zip: no part is read from it, so its counts would not add up', async () => {
    const manifest = readFileSync(join(fixture({ parts: [['1', '2']] }).dir, 'export.csv'), 'utf8');
    const f = fixture({ parts: [['1', '2']], extraExportEntries: { 'export.csv': manifest } });
    const out = outDir();
    const result = await extracted(join(f.dir, 'export.zip'), out);
    expect(result.manifest).toBe(false);
    expect(existsSync(join(out, 'export.csv'))).toBe(false);
    const left = result.problems.find((p) => p.code === 'MANIFEST_LEFT_OUT');
    expect(left?.message).toMatch(/no attachment part is read from a lone export\.zip$/);
  });

  it('says the markers are left out when they are', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const result = await extracted(f.dir, outDir(), { markers: false });
    const left = result.problems.find((p) => p.code === 'MANIFEST_LEFT_OUT');
    expect(left?.message).toMatch(/the empty\.txt markers are left out$/);
  });

  it('extracts only the candidates asked for and names those it did not find', async () => {
    const f = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const out = outDir();
    const result = await extracted(f.dir, out, { candidates: ['2', '4', '99'] });
    expect(
      readdirSync(out)
        .filter((n) => n.startsWith('Candidate_'))
        .sort(),
    ).toEqual(['Candidate_2', 'Candidate_4']);
    expect(result.tables).toHaveLength(10);
    expect(result.problems.find((p) => p.code === 'CANDIDATE_NOT_FOUND')?.message).toContain('99');
  });

  it('names the ids asked for that it did not find only when made of digits: others may be personal data', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const out = outDir();
    const result = await extracted(f.dir, out, {
      candidates: ['2', '99', 'zoe.smith@example.com', 'Zoe Smith'],
    });
    const message = result.problems.find((p) => p.code === 'CANDIDATE_NOT_FOUND')?.message ?? '';
    expect(message).toMatch(
      /^3 of the candidates asked for have no folder in any part: 99; 2 not made of digits/,
    );
    expect(message).not.toMatch(/zoe/i);
  });

  it('points at a folder whose id is one asked for written otherwise, and extracts nothing for it', async () => {
    const f = fixture({ parts: [['1000000003', '1000000004']] });
    const out = outDir();
    const result = await extracted(f.dir, out, { candidates: ['001000000003', '1000000004.0', '77'] });
    expect(readdirSync(out).filter((n) => n.startsWith('Candidate_'))).toEqual([]);
    const message = result.problems.find((p) => p.code === 'CANDIDATE_NOT_FOUND')?.message ?? '';
    expect(message).toMatch(/^3 of the candidates asked for have no folder in any part: /);
    expect(message).toContain(
      'written otherwise are there (ids are matched exactly): 001000000003: Candidate_1000000003; 1000000004.0: Candidate_1000000004; ask for',
    );
    expect(message).not.toMatch(/77: /);
  });

  it('re-extracts an extracted folder with part folders into one tree', async () => {
    const f = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const unpacked = join(f.dir, 'unpacked');
    mkdirSync(unpacked);
    for (const zip of ['export.zip', 'Attachment_1-2.zip', 'Attachment_3-4.zip'])
      execFileSync('unzip', ['-q', join(f.dir, zip), '-d', unpacked]);
    const out = outDir();
    const result = await extracted(unpacked, out);
    expect(result).toMatchObject({ files: 4, markers: 8, candidates: 4 });
    expect(files(out)).toContain('Candidate_4/Public/resume_candidate4.pdf');
  });

  it('refuses a folder that is not empty, and writes into an empty one', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const out = outDir();
    mkdirSync(out);
    writeFileSync(join(out, 'mine.txt'), 'keep');
    await expect(extracted(f.dir, out)).rejects.toMatchObject({ code: 'EXPORT_OUT_NOT_EMPTY' });
    expect(readdirSync(out)).toEqual(['mine.txt']);
    rmSync(join(out, 'mine.txt'));
    await extracted(f.dir, out);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(out)).toContain('Candidate_1');
  });

  it('leaves nothing behind when cancelled midway', async () => {
    const f = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const out = outDir();
    const controller = new AbortController();
    const run = extracted(f.dir, out, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.files === 12) controller.abort();
      },
    });
    await expect(run).rejects.toThrow();
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it('stops soon when cancelled (by a later turn of the event loop) in a part of thousands of small entries', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const part = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for i in range(3000): z.writestr(f'F{i}/Candidate_2/Public/r.pdf', str(i))
`;
    execFileSync('python3', ['-c', part, join(f.dir, 'Attachment_2-3.zip')]);
    const out = outDir();
    const controller = new AbortController();
    let files = 0;
    const run = extracted(f.dir, out, {
      signal: controller.signal,
      onProgress: (p) => {
        files = p.files;
        // Aborted from a later turn of the event loop, as a signal's handler aborts.
        if (p.files === 100) setImmediate(() => controller.abort());
      },
    });
    await expect(run).rejects.toThrow();
    // Every entry of the part comes from bytes already read: the abort was heard only when the part ended.
    expect(files).toBeLessThan(1000);
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it('does not write an entry whose bytes fail the CRC check, and says which', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const part = addPart(
      f.dir,
      'Attachment_3-3.zip',
      { 'Candidate_3/Public/resume.pdf': 'GOOD BYTES OF A RESUME', 'Candidate_3/Private/offer.pdf': 'fine' },
      true,
    );
    const bytes = readFileSync(part);
    const at = bytes.indexOf('GOOD BYTES');
    bytes[at] = 'X'.charCodeAt(0);
    writeFileSync(part, bytes);
    const out = outDir();
    const result = await extracted(f.dir, out);
    const corrupt = result.problems.find((p) => p.code === 'ATTACHMENT_CORRUPT');
    expect(corrupt).toMatchObject({
      severity: 'problem',
      file: 'Attachment_3-3.zip',
      entry: 'Candidate_3/Public/[file name, 10 characters].pdf',
    });
    expect(corrupt?.message).not.toContain('resume');
    expect(corrupt?.message).toContain('ZIP_CRC_MISMATCH');
    expect(readdirSync(join(out, 'Candidate_3', 'Public'))).toEqual([]);
    expect(readFileSync(join(out, 'Candidate_3/Private/offer.pdf'), 'utf8')).toBe('fine');
    // export.csv counts the file that is not there: it is left out, and says why.
    expect(existsSync(join(out, 'export.csv'))).toBe(false);
    const left = result.problems.find((p) => p.code === 'MANIFEST_LEFT_OUT');
    expect(left?.message).toMatch(/1 file\(s\) that could not be written whole are left out$/);
  });

  it("reports how a part was read where it is odd, as inspect does: the zip reader's notices", async () => {
    const f = fixture({ parts: [['1', '2']] });
    const part = addPart(f.dir, 'Attachment_3-3.zip', { 'Candidate_3/Public/resume.pdf': 'A RESUME' });
    // A self-extractor stub before the zip, its offsets not adjusted (what `cat stub part.zip` leaves).
    writeFileSync(part, Buffer.concat([Buffer.alloc(1000, 0x4d), readFileSync(part)]));
    const result = await extracted(f.dir, outDir());
    const notice = result.problems.find((p) => p.code === 'ZIP_NOTICE');
    expect(notice).toMatchObject({ severity: 'notice', file: 'Attachment_3-3.zip' });
    expect(notice?.message).toMatch(/^ZIP_PREFIX_BYTES: 1000 byte\(s\) come before the first entry/);
    expect(result.problems.filter((p) => p.severity === 'problem')).toEqual([]);
  });

  it('leaves out an entry whose file name is too long to write, and goes on (name 300 bytes long.zip)', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const long = `${'a'.repeat(300)}.pdf`;
    const part = addPart(f.dir, 'Attachment_3-3.zip', {
      'Candidate_3/Public/short.pdf': 'deflated: '.repeat(100),
      'Candidate_3/Private/offer.pdf': 'fine',
    });
    renameEntry(part, 'Candidate_3/Public/short.pdf', `Candidate_3/Public/${long}`);
    const out = outDir();
    const result = await extracted(f.dir, out);
    const refused = result.problems.find((p) => p.code === 'ENTRY_REFUSED');
    expect(refused).toMatchObject({ severity: 'problem', refused: true, file: 'Attachment_3-3.zip' });
    expect(refused?.message).toContain('304 bytes');
    expect(readdirSync(join(out, 'Candidate_3', 'Public'))).toEqual([]);
    expect(readFileSync(join(out, 'Candidate_3/Private/offer.pdf'), 'utf8')).toBe('fine');
    expect(result.files).toBe(f.files + 1);
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });

  it('shortens the stem of a name of 255 bytes to give it a suffix, rather than leave the file out', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const [lower, upper] = [`${'é'.repeat(125)}x.pdf`, `${'É'.repeat(125)}x.pdf`];
    expect(Buffer.byteLength(lower)).toBe(255);
    addPart(f.dir, 'Attachment_3-3.zip', { [`Candidate_3/Public/${lower}`]: 'first' });
    addPart(f.dir, 'Attachment_3-4.zip', { [`Candidate_3/Public/${upper}`]: 'second' });
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(result.problems.filter((p) => p.code === 'ENTRY_REFUSED')).toEqual([]);
    const names = readdirSync(join(out, 'Candidate_3', 'Public')).sort();
    expect(names).toHaveLength(2);
    const renamed = names.find((n) => n !== lower)!;
    expect(renamed).toBe(`${'É'.repeat(124)}_1.pdf`);
    expect(readFileSync(join(out, 'Candidate_3/Public', renamed), 'utf8')).toBe('second');
    expect(result.renamed[0]?.path).toBe(`Candidate_3/Public/${renamed}`);
  });

  it('leaves out a file outside the candidate folders and names it without its file name (personal data)', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_3-3.zip', {
      'Attachments_3-3/Candidate_3/Public/cv.pdf': 'cv',
      'Attachments_3-3/Candidate_3/resume_loose_Quixwellby.pdf': 'loose',
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    const unknown = result.problems.filter((p) => p.code === 'UNKNOWN_FILE');
    expect(unknown).toHaveLength(1);
    expect(JSON.stringify(unknown)).not.toContain('Quixwellby');
    expect(unknown[0]!.message).toContain('Candidate_3/');
    expect(files(out)).toContain('Candidate_3/Public/cv.pdf');
  });

  it('indexes with one notice per file left out, two names hidden alike included', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_3-3.zip', {
      'Attachments_3-3/Candidate_3/Public/cv.pdf': 'cv',
      'Attachments_3-3/Candidate_3/Scans/passport.pdf': 'one',
      'Attachments_3-3/Candidate_3/Scans/visa_doc.pdf': 'two',
    });
    const ex = await openExport(f.dir);
    const summary = await summaryOf(ex);
    await ex.close();
    const unknown = summary.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(unknown).toEqual([
      'Attachment_3-3.zip: Attachments_3-3/Candidate_3/[file name, 18 characters].pdf is not in a Candidate_<id>/<Public|Private|Miscellaneous>/ folder; it is not indexed',
      'Attachment_3-3.zip: Attachments_3-3/Candidate_3/[file name, 18 characters].pdf is not in a Candidate_<id>/<Public|Private|Miscellaneous>/ folder; it is not indexed',
    ]);
  });

  it('says a file in a folder inside a kind folder (an attachment unzipped where it was) is left out, and why', async () => {
    const f = fixture({ parts: [['1', '2']] });
    addPart(f.dir, 'Attachment_3-3.zip', {
      'Attachments_3-3/Candidate_3/Public/cv.pdf': 'cv',
      'Attachments_3-3/Candidate_3/Public/portfolio_Quixwellby/page1.pdf': 'page',
    });
    const out = outDir();
    const result = await extracted(f.dir, out);
    const unknown = result.problems.filter((p) => p.code === 'UNKNOWN_FILE');
    expect(unknown.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^Attachment_3-3\.zip: Attachments_3-3\/Candidate_3\/Public\/\[file name, 30 characters\]\.pdf is in a folder inside a candidate's Public, Private or Miscellaneous folder \(an attachment unzipped where it was\?\), where Talent Hub puts files only; it is left out$/,
      ),
    ]);
    expect(JSON.stringify(unknown)).not.toContain('Quixwellby');
    expect(files(out)).toContain('Candidate_3/Public/cv.pdf');
  });

  it('leaves export.csv out with a file outside the candidate folders: its counts include that file', async () => {
    const f = fixture({ parts: [['1', '2']] });
    // The part as downloaded holds one more file, and export.csv counts it.
    const work = join(f.dir, '.more');
    write(join(work, 'Attachments_1-2/Candidate_2/Scans/passport_Quixwellby.pdf'), 'scan');
    execFileSync('zip', ['-q', '-r', '-X', join(f.dir, 'Attachment_1-2.zip'), '.'], { cwd: work });
    rmSync(work, { recursive: true });
    const manifest = join(f.dir, 'export.csv');
    const counted = readFileSync(manifest, 'utf8').replaceAll(`\t${f.totalFiles}`, `\t${f.totalFiles + 1}`);
    writeFileSync(manifest, counted);
    const codes = async (path: string) => {
      const ex = await openExport(path);
      try {
        return [...ex.problems, ...(await summaryOf(ex)).problems].map((p) => p.code).sort();
      } finally {
        await ex.close();
      }
    };
    const before = await codes(f.dir);
    expect(before).toEqual(['UNKNOWN_FILE']);
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(result.manifest).toBe(false);
    expect(existsSync(join(out, 'export.csv'))).toBe(false);
    const left = result.problems.find((p) => p.code === 'MANIFEST_LEFT_OUT');
    expect(left?.message).toMatch(/1 file\(s\) outside Candidate_<id>\/<kind>\/ folders are left out/);
    expect(result.problems.filter((p) => p.code === 'UNKNOWN_FILE')).toHaveLength(1);
    // Read back: no problem that the export as downloaded did not have; no export.csv is a notice.
    expect(await codes(out)).toEqual(['MANIFEST_MISSING']);
  });

  it('says a part zipped again (it holds the part, not candidate folders) cannot be read, and why', async () => {
    const f = fixture({ parts: [['1', '2']] });
    zipAgain(f.dir, 'Attachment_1-2.zip');
    const out = outDir();
    const result = await extracted(f.dir, out);
    expect(result.problems.filter((p) => p.code === 'PART_UNREADABLE')).toEqual([
      expect.objectContaining({
        severity: 'problem',
        refused: true,
        message: expect.stringMatching(
          /^Attachment_1-2\.zip holds 1 zip file\(s\) named like a part or export\.zip, not Candidate_<id> folders: it was zipped again/,
        ),
      }),
    ]);
    // Asked for candidates of another part, a part with folders is not taken for one zipped again.
    const other = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    addPart(other.dir, 'Attachment_5-5.zip', {
      'Attachments_5-5/Candidate_5/Public/cv.pdf': 'cv',
      'Attachments_5-5/Attachment_5-5.zip': 'PK',
    });
    const some = await extracted(other.dir, outDir(), { candidates: new Set(['1']) });
    expect(some.problems.map((p) => p.code)).not.toContain('PART_UNREADABLE');
  });

  it("says a part holding a part's folder and its copy writes each file twice, and what to delete", async () => {
    const f = fixture({ parts: [['1', '2']] });
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    const tree: Record<string, string> = {};
    for (const top of ['Attachments_1-2', 'Attachments_1-2 2'])
      for (const id of ['1', '2']) tree[`${top}/Candidate_${id}/Public/cv.pdf`] = `cv ${id}`;
    addPart(f.dir, 'Attachment_1-2.zip', tree);
    const result = await extracted(f.dir, outDir());
    expect(result.problems.filter((p) => p.code === 'CANDIDATE_FOLDER_COPY').map((p) => p.message)).toEqual([
      'Attachment_1-2.zip holds Attachments_1-2/ and a copy of it, Attachments_1-2 2/ (a part unzipped twice, then zipped again): the candidate folders of both are read, so a file in both is counted, extracted and bundled twice; delete Attachments_1-2 2/ from the zip (or unzip it, delete that folder and give the folder) and run again',
    ]);
  });

  it('says a part split by Info-ZIP (-s) or 7-Zip (-v) is in pieces to join, not to download again', async () => {
    const f = fixture({ parts: [['1', '2']] });
    const tree = { 'Attachments_3-3/Candidate_3/Public/cv.pdf': randomBytes(150_000).toString('base64') };
    const whole = addPart(f.dir, 'whole.zip', tree, true);
    execFileSync('zip', ['-q', whole, '-s', '64k', '--out', join(f.dir, 'Attachment_3-3.zip')]);
    // As 7-Zip names its volumes: .001, .002...
    execFileSync('split', [
      '-b',
      '150k',
      '--numeric-suffixes=1',
      '-a',
      '3',
      whole,
      join(f.dir, 'Attachment_4-4.zip.'),
    ]);
    rmSync(whole);
    expect(
      readdirSync(f.dir)
        .filter((n) => /^Attachment_[34]/.test(n))
        .sort(),
    ).toEqual([
      'Attachment_3-3.z01',
      'Attachment_3-3.z02',
      'Attachment_3-3.z03',
      'Attachment_3-3.zip',
      'Attachment_4-4.zip.001',
      'Attachment_4-4.zip.002',
    ]);
    const ex = await openExport(f.dir);
    const opened = ex.problems.map((p) => p.message);
    await summaryOf(ex);
    await ex.close();
    expect(opened).toContainEqual(
      'Attachment_3-3.z01 and the pieces after it are pieces of the split archive Attachment_3-3.zip, which is not read; join them (zip -s 0 Attachment_3-3.zip --out whole.zip) and put whole.zip in its place',
    );
    // One notice for all the pieces of one archive.
    expect(opened.filter((m) => m.includes('pieces after it'))).toHaveLength(2);
    expect(opened).toContainEqual(
      'Attachment_4-4.zip.001 and the pieces after it are Attachment_4-4.zip split into volumes (7-Zip -v), which is not read; join them into Attachment_4-4.zip (cat Attachment_4-4.zip.[0-9][0-9][0-9] > Attachment_4-4.zip) and run again',
    );
    const result = await extracted(f.dir, outDir());
    const unreadable = result.problems.find((p) => p.code === 'PART_UNREADABLE')!.message;
    expect(unreadable).toMatch(/^Attachment_3-3\.zip cannot be read .*Join the pieces first/);
    expect(unreadable).not.toMatch(/Download it again/);
  });

  it('checks its options', async () => {
    const f = fixture({ parts: [['1', '2']] });
    await expect(extracted(f.dir, '')).rejects.toMatchObject({ code: 'EXPORT_BAD_OPTION' });
    await expect(extracted(f.dir, outDir(), { candidates: [''] })).rejects.toMatchObject({
      code: 'EXPORT_BAD_OPTION',
    });
  });
});

describe('suffixedName', () => {
  it('puts the number before the extension, as Talent Hub does', () => {
    expect(suffixedName('resume.pdf', 1)).toBe('resume_1.pdf');
    expect(suffixedName('Offer Letter (signed).pdf', 2)).toBe('Offer Letter (signed)_2.pdf');
    expect(suffixedName('README', 3)).toBe('README_3');
    expect(suffixedName('.hidden', 1)).toBe('.hidden_1');
    expect(suffixedName('a.tar.gz', 1)).toBe('a.tar_1.gz');
  });
});

describe('an output folder that cannot be written', () => {
  it('names the system error once', () => {
    const cause = Object.assign(new Error("EROFS: read-only file system, mkdir '/ro/.out.tmp'"), {
      code: 'EROFS',
    });
    const error = outError('/ro/out', cause);
    expect(error.code).toBe('EXPORT_OUT_UNWRITABLE');
    expect(error.message.match(/EROFS/g)).toHaveLength(1);
  });

  it('says a file in the path is a file, and a full disk is full, rather than pointing at permissions', () => {
    const notDir = Object.assign(new Error("ENOTDIR: not a directory, stat '/a/file/out'"), {
      code: 'ENOTDIR',
    });
    expect(outError('/a/file/out', notDir).message).toContain('a part of that path is a file, not a folder');
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(outError('/a/out', full).message).toContain('the disk is full');
  });
});
