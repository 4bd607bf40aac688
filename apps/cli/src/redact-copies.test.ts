// `talent-export redact` of an export.zip holding a table in two contracts' folders (`Contract_1/` and
// `Contract_1 2/`, as the guide shows it): each copy is written under its own entry with its own rows, so
// the copy has the source's shape and validate reads it with the same rows, checks and notices.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli } from './redact.fixture.js';
import { rawZip } from './test-zip.js';

let work: string;

const HEADER = 'candidate_id,project_id,first_name,last_name,emails';
const MESSAGES = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type';
const NOTES = 'note_id,project_id,candidate_id,content,owner_profile_url,visibility';

const run = (args: string[]) => runCli(work, args);

function validate(dir: string) {
  const report = JSON.parse(run(['validate', dir, '--json', '-q']).stdout) as {
    tables: Record<string, { rows: number; rejected: number }>;
    problems: { code: string }[];
    notices: { code: string }[];
  };
  return {
    rows: Object.fromEntries(Object.entries(report.tables).map(([t, r]) => [t, [r.rows, r.rejected]])),
    codes: [...report.problems, ...report.notices].map((p) => p.code).filter((c) => c !== 'UNKNOWN_FILE'),
  };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-copies-'));
  mkdirSync(join(work, 'export'));
  // The first copy ends without a line break; the second starts with a byte order mark and ends lines with
  // CRLF: the reader unites them all the same.
  const first = `${HEADER}\n101,9,Jane,Doe,jane@example.com\n102,9,Al,Okafor,al@example.com`;
  const second = `\ufeff${HEADER}\r\n103,9,Wei,Li,wei@example.com\r\n"1,04",9,Bad,Row\r\n`;
  const messages = (ids: string[]) =>
    `${MESSAGES}\n${ids.map((id) => `9${id},9,${id},,Hi,"Hi, call me",email`).join('\n')}\n`;
  const entries = [
    { name: 'Contract_1/Candidate.csv', data: first },
    { name: 'Contract_1/Messages.csv', data: messages(['101']) },
    { name: 'Contract_1 2/Candidate.csv', data: second },
    { name: 'Contract_1 2/Messages.csv', data: messages(['103', '102']) },
    // A copy of a header alone, with no line break after it.
    { name: 'Contract_1/Notes.csv', data: `${NOTES}\nn1,9,101,Met Jane,,Project\n` },
    { name: 'Contract_1 2/Notes.csv', data: NOTES },
  ];
  writeFileSync(join(work, 'export', 'export.zip'), rawZip(entries));
  writeFileSync(join(work, 'export', 'export.csv'), 'Filename,Download Url\nexport.zip,\n');
  // The same export with export.zip unzipped in place, as a double click does.
  mkdirSync(join(work, 'unzipped', 'Contract_1 2'), { recursive: true });
  mkdirSync(join(work, 'unzipped', 'Contract_1'));
  for (const { name, data } of entries) writeFileSync(join(work, 'unzipped', name), data);
  writeFileSync(join(work, 'unzipped', 'export.csv'), 'Filename,Download Url\nexport.zip,\n');
  writeFileSync(join(work, 'key'), 'cd'.repeat(32));
  expect(run(['redact', 'export', '-o', 'out', '--key-file', 'key', '-q']).status).toBe(1);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: a table in two contracts folders', () => {
  it('writes each copy under its own entry, with its own rows, header shape and line ends', () => {
    const tables = readZips(join(work, 'out'))['export.zip']!.tables;
    expect(Object.keys(tables).sort()).toEqual([
      'Contract_1 2/Candidate.csv',
      'Contract_1 2/Messages.csv',
      'Contract_1 2/Notes.csv',
      'Contract_1/Candidate.csv',
      'Contract_1/Messages.csv',
      'Contract_1/Notes.csv',
    ]);
    expect(tables['Contract_1 2/Notes.csv']!.length).toBe(1);
    const notes = spawnSync('unzip', ['-p', join(work, 'out', 'export.zip'), 'Contract_1 2/Notes.csv']);
    expect(notes.stdout.toString('utf8')).toBe(`${NOTES}\n`);
    expect(tables['Contract_1/Candidate.csv']!.length).toBe(3);
    // The row that cannot be read is not written.
    expect(tables['Contract_1 2/Candidate.csv']!.length).toBe(2);
    expect(tables['Contract_1 2/Messages.csv']!.length).toBe(3);
    const out = spawnSync('unzip', ['-p', join(work, 'out', 'export.zip'), 'Contract_1 2/Candidate.csv']);
    expect(out.stdout.toString('utf8')).toMatch(/^\ufeffcandidate_id,[^\n]*\r\n[^\n]*\r\n$/);
  });

  it('reads back with the rows, rejects and notices of the source', () => {
    const source = validate('export');
    expect(source.rows.candidates).toEqual([4, 1]);
    expect(source.codes).toContain('TABLE_COPIES_UNITED');
    expect(validate('out')).toEqual({
      rows: { ...source.rows, candidates: [3, 0] },
      codes: source.codes.filter((code) => code !== 'ROWS_REJECTED'),
    });
  });

  it('counts each value changed once', () => {
    const report = JSON.parse(readFileSync(join(work, 'out', 'redaction.json'), 'utf8'));
    expect(report.tables.candidates.columns.emails.changed).toBe(3);
    expect(report.tables.messages.columns.candidate_id.changed).toBe(3);
  });

  it('of an export.zip unzipped in place, writes each contract folder as an entry of its own', () => {
    // Each copy was written under its file's name alone: the second copy's entry repeated the first's
    // (BUNDLE_DUPLICATE_ENTRY, exit 4).
    const r = run(['redact', 'unzipped', '-o', 'out-unzipped', '--key-file', 'key', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const tables = readZips(join(work, 'out-unzipped'))['export.zip']!.tables;
    expect(Object.keys(tables).sort()).toEqual(
      Object.keys(readZips(join(work, 'out'))['export.zip']!.tables).sort(),
    );
    expect(tables['Contract_1 2/Candidate.csv']!.length).toBe(2);
    expect(validate('out-unzipped')).toEqual(validate('out'));
  });
});
