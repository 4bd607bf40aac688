// Inputs that hold nothing of a Talent Hub export, or none of its tables: refused once by openExport, or
// told as one problem, for every user of the package (not only for the command line).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, tempDir, write } from './download.fixture.js';
import { openExport, type TalentExport } from './index.js';

const fixtures: Fixture[] = [];
const opened: TalentExport[] = [];
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
  for (const f of fixtures.splice(0)) f.cleanup();
});

async function open(path: string): Promise<TalentExport> {
  const ex = await openExport(path);
  opened.push(ex);
  return ex;
}

/** A zip of `names` (each holding a line of text), its entries in that order; of none, an empty zip. */
function zipOf(dir: string, zip: string, names: readonly string[]): string {
  const work = tempDir();
  for (const name of names) write(join(work, name), `${name}\n`);
  mkdirSync(dir, { recursive: true });
  if (names.length === 0) writeFileSync(join(dir, zip), EMPTY_ZIP);
  else execFileSync('zip', ['-q', '-X', join(dir, zip), ...names], { cwd: work });
  return join(dir, zip);
}

/** An end record alone: the zip of no file. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

/** Names a person's photos may have, alike in length: hidden, they read alike (`[file name, 8 characters].jpg`). */
const photos = (n: number) => Array.from({ length: n }, (_, k) => `Jane Doe ${String(k + 10)}.jpg`);

describe('a zip holding nothing of an export', () => {
  it('is refused by openExport, every file counted by its ending, past the twenty told one by one too', async () => {
    const dir = tempDir();
    const zip = zipOf(dir, 'holiday.zip', ['a.txt', 'b.txt', 'c.txt', ...photos(25)]);
    const error = await openExport(zip).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EXPORT_UNRECOGNIZED', kind: 'input', file: zip });
    expect((error as Error).message).toBe(
      `${zip} is not a Talent Hub export (found: 28 files, 17 .jpg, 3 .txt, 8 more): it holds none of the ten tables (e.g. Candidates.csv, Messages.csv), no export.csv and no Candidate_<id> folders; give the folder holding export.csv, export.zip and the Attachment_*.zip parts, or export.zip itself`,
    );
    expect((error as Error).message).not.toMatch(/Jane/);
  });

  it('named export.zip, or holding CSV files, says no file is named as a table', async () => {
    const dir = tempDir();
    const zip = zipOf(dir, 'export.zip', ['CandidateList.csv', 'MessageLog.csv']);
    await expect(openExport(zip)).rejects.toMatchObject({
      code: 'EXPORT_UNRECOGNIZED',
      message: `${zip} holds none of the ten tables of a Talent Hub export (found: 2 files, 2 .csv): no file in it is named as LinkedIn's guide names a table (e.g. Candidate.csv, Messages.csv, at its root or in Contract_<id>/), and it holds no export.csv and no Candidate_<id> folders; give the export.zip downloaded from Talent Hub, its tables' names as it wrote them`,
    });
  });

  it('given as the folder holding it, is named as the zip read; an empty zip holds no file', async () => {
    const zip = zipOf(join(tempDir(), 'one-zip'), 'holiday.zip', photos(2));
    // A folder holding one zip is read as that zip: named as it is from here.
    const error = await openExport(dirname(zip)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EXPORT_UNRECOGNIZED', file: relative('.', zip) });
    expect(
      (error as Error).message.startsWith(
        `${relative('.', zip)} is not a Talent Hub export (found: 2 files, 2 .jpg):`,
      ),
    ).toBe(true);
    const empty = zipOf(tempDir(), 'empty.zip', []);
    await expect(openExport(empty)).rejects.toMatchObject({
      code: 'EXPORT_UNRECOGNIZED',
      message: expect.stringContaining(`${empty} is not a Talent Hub export (found: no file)`),
    });
  });
});

describe('an export.zip holding its tables and many other files', () => {
  it('tells twenty of them one by one, names hidden alike, and the rest in one notice that counts them', async () => {
    const extra = Object.fromEntries(photos(25).map((name) => [`Contract_123456/${name}`, 'jpeg']));
    const f = makeDownload({ parts: [['1', '2']], extraExportEntries: extra });
    fixtures.push(f);
    const ex = await open(f.dir);
    const unknown = ex.problems.filter((p) => p.code === 'UNKNOWN_FILE');
    expect(unknown).toHaveLength(21);
    expect(unknown.slice(0, 20).every((p) => p.count === undefined)).toBe(true);
    expect(unknown[20]).toMatchObject({
      message: 'export.zip: 5 more unknown files are ignored',
      file: 'export.zip',
      count: 5,
    });
  });
});

describe('attachments only, unzipped into a folder', () => {
  it('is one TABLE_MISSING naming no table, saying where the tables come from, not ten', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    fixtures.push(f);
    const folder = join(tempDir(), 'parts-only');
    const [part] = readdirSync(f.dir).filter((name) => name.startsWith('Attachment_'));
    execFileSync('unzip', ['-q', join(f.dir, part!), '-d', folder]);
    const ex = await open(folder);
    const missing = ex.problems.filter((p) => p.code === 'TABLE_MISSING');
    const said =
      'none of the ten tables (e.g. Candidates.csv, Messages.csv) is in the export, nor export.zip that holds them (found: 1 attachment part(s) only); put export.zip (or the tables unzipped from it) in the same folder, then give that folder';
    expect(missing).toEqual([{ severity: 'problem', code: 'TABLE_MISSING', message: said, file: '.' }]);
    await expect(ex.openTable('notes')).rejects.toMatchObject({
      code: 'EXPORT_TABLE_UNAVAILABLE',
      message: `the notes table cannot be read: ${said}`,
    });
  });

  it('a table missing among others is still told by its name', async () => {
    const f = makeDownload({ parts: [['1', '2']], omitTables: ['Notes.csv'] });
    fixtures.push(f);
    const ex = await open(f.dir);
    expect(ex.problems.filter((p) => p.code === 'TABLE_MISSING').map((p) => p.table)).toEqual(['notes']);
  });
});
