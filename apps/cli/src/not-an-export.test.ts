// Inputs that hold nothing of a Talent Hub export (a zip of photos, an empty zip), or attachments only: one
// clear refusal or one problem, not ten TABLE_MISSING problems that each say a table is missing.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'not-an-export-'));
  download = join(work, 'download');
  await generateExport({ dir: download, seed: 5, candidates: 30, attachmentsMb: 1 });
  // Photos whose names are a person's: never shown, only their endings counted.
  writeFileSync(
    join(work, 'holiday.zip'),
    rawZip([
      { name: 'Jane Doe at the beach.jpg', data: 'jpeg' },
      { name: 'Jane Doe 2.jpg', data: 'jpeg' },
      { name: 'notes/John Smith.txt', data: 'text' },
    ]),
  );
  writeFileSync(join(work, 'empty.zip'), rawZip([]));
  mkdirSync(join(work, 'one-zip'));
  cpSync(join(work, 'holiday.zip'), join(work, 'one-zip', 'holiday.zip'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const REFUSED = (shown: string, found: string) =>
  `${shown} is not a Talent Hub export (found: ${found}): it holds none of the ten tables (e.g. Candidates.csv, Messages.csv), no export.csv and no Candidate_<id> folders; give the folder holding export.csv, export.zip and the Attachment_*.zip parts, or export.zip itself`;

describe('a zip that holds nothing of an export', () => {
  it('is refused once, saying what it holds by file endings only (exit 3), by every command', () => {
    for (const command of ['inspect', 'validate', 'convert', 'report', 'extract', 'join']) {
      const out = command === 'report' ? join(work, 'page.html') : join(work, command);
      const writes = command !== 'inspect' && command !== 'validate';
      const r = run([command, 'holiday.zip', ...(writes ? ['--out', out] : []), '-q']);
      expect([command, r.code, r.stderr]).toEqual([
        command,
        3,
        `talent-export ${command}: EXPORT_UNRECOGNIZED: ${REFUSED('holiday.zip', '3 files, 2 .jpg, 1 .txt')}\n`,
      ]);
      expect(r.stderr).not.toMatch(/Jane|John/);
    }
  });

  it('names the zip read for a folder holding it, says an empty zip holds no file, and --json has the code', () => {
    expect(run(['inspect', 'one-zip']).stderr).toBe(
      `talent-export inspect: EXPORT_UNRECOGNIZED: ${REFUSED(join('one-zip', 'holiday.zip'), '3 files, 2 .jpg, 1 .txt')}\n`,
    );
    expect(run(['inspect', 'empty.zip']).stderr).toContain(REFUSED('empty.zip', 'no file'));
    const json = run(['inspect', 'holiday.zip', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      command: 'inspect',
      error: { code: 'EXPORT_UNRECOGNIZED', kind: 'input' },
      exitCode: 3,
    });
  });

  it('beside an export, says to give the folder', () => {
    const folder = join(work, 'beside');
    cpSync(download, folder, { recursive: true });
    cpSync(join(work, 'holiday.zip'), join(folder, 'holiday.zip'));
    const r = run(['inspect', join(folder, 'holiday.zip')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'no Candidate_<id> folders; the folder it is in holds export.csv or attachment parts: give that folder\n',
    );
  });

  it('named export.zip, or holding CSV files, says no file is named as a table, not that it is no export', () => {
    const folder = join(work, 'renamed-tables');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'export.zip'),
      rawZip([
        { name: 'Contract_858344/CandidateList.csv', data: 'a,b\n' },
        { name: 'Contract_858344/MessageLog.csv', data: 'a,b\n' },
      ]),
    );
    const r = run(['inspect', join(folder, 'export.zip'), '-q']);
    expect([r.code, r.stderr]).toEqual([
      3,
      `talent-export inspect: EXPORT_UNRECOGNIZED: ${join(folder, 'export.zip')} holds none of the ten tables of a Talent Hub export (found: 2 files, 2 .csv): no file in it is named as LinkedIn's guide names a table (e.g. Candidate.csv, Messages.csv, at its root or in Contract_<id>/), and it holds no export.csv and no Candidate_<id> folders; give the export.zip downloaded from Talent Hub, its tables' names as it wrote them\n`,
    ]);
  });

  it('an export.zip that holds some tables is still read, and a damaged one is still told as unreadable', () => {
    const damaged = join(work, 'damaged');
    mkdirSync(damaged);
    writeFileSync(join(damaged, 'export.zip'), 'not a zip');
    const r = run(['inspect', join(damaged, 'export.zip')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('EXPORT_UNREADABLE');
    const some = join(work, 'some.zip');
    writeFileSync(some, rawZip([{ name: 'Notes.csv', data: 'note_id,candidate_id\n1,2\n' }]));
    const partial = run(['inspect', some]);
    expect(partial.code).toBe(1);
    expect(partial.stdout.match(/TABLE_MISSING/g)).toHaveLength(9);
  });
});

describe('attachments only, unzipped', () => {
  it('is one TABLE_MISSING problem saying where the tables come from, not ten', () => {
    const folder = join(work, 'parts-only');
    mkdirSync(folder);
    const part = spawnSync('sh', [
      '-c',
      `cd ${JSON.stringify(folder)} && unzip -q ../download/Attachment_*.zip`,
    ]);
    expect(part.status).toBe(0);
    for (const command of ['inspect', 'validate']) {
      const r = run([command, folder]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        'problem  TABLE_MISSING: none of the ten tables (e.g. Candidates.csv, Messages.csv) is in the export, nor export.zip that holds them (found: 1 attachment part(s) only); put export.zip (or the tables unzipped from it) in the same folder, then give that folder\n',
      );
      expect(r.stdout.match(/TABLE_MISSING/g)).toHaveLength(1);
    }
    const json = JSON.parse(run(['inspect', folder, '--json']).stdout);
    expect(json.problems.filter((p: { code: string }) => p.code === 'TABLE_MISSING')).toHaveLength(1);
    const page = join(work, 'parts-only.html');
    expect(run(['report', folder, '--out', page, '-q']).code).toBe(1);
  });
});
