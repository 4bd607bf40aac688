// An export whose tables a person opened and saved again in a spreadsheet (Excel on Windows, "CSV": its own
// encoding, its date format, ids cut to 15 digits, formulas' error values, a contract's copy with its
// columns moved): validate says once a table what the save did, in plain words, and reads every row it can.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMAS, type TableName } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

const header = (table: TableName) => SCHEMAS[table].fields.map((f) => f.name).join(',');

interface Report {
  tables: Record<string, { rows: number; rejected: number }>;
  problems: { code: string; message: string }[];
  notices: { code: string; message: string }[];
  exitCode: number;
}
let report: Report;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-saved-'));
  mkdirSync(join(work, 'export'));
  const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
  // Windows-1252, ids of 19 digits cut to 15, a phone number read as a formula.
  const candidates = Buffer.from(
    crlf([
      header('candidates'),
      '1234567890123450000,5,José,Núñez,,,,,,',
      '1234567890123460000,5,Ann,Lee,,#NAME?,,,,',
      '1234567890123470000,5,Eve,Roe,,,,,,',
      '1234567890123480000,5,Kim,Poe,,,,,,',
    ]),
    'latin1',
  );
  const modules = crlf([
    header('interview_modules'),
    '7,,m,draft,10/13/2021 7:40,',
    '8,,m,draft,1899-12-30,',
  ]);
  // The second contract's copy: every cell quoted, the columns in another order.
  const notes = (ids: string[], names = SCHEMAS.notes.fields.map((f) => f.name)) =>
    crlf([
      names.map((n) => `"${n}"`).join(','),
      ...ids.map((id) => names.map((n) => (n === 'note_id' ? `"${id}"` : '""')).join(',')),
    ]);
  writeFileSync(
    join(work, 'export', 'export.zip'),
    rawZip([
      { name: 'Contract_1/Candidate.csv', data: candidates },
      { name: 'Contract_1/InterviewModule.csv', data: modules },
      { name: 'Contract_1/Notes.csv', data: notes(['1', '2']) },
      {
        name: 'Contract_1 2/Notes.csv',
        data: notes(['3'], [...SCHEMAS.notes.fields.map((f) => f.name)].reverse()),
      },
      ...(['projects', 'hiring_states', 'custom_field_definitions', 'custom_field_values'] as const).map(
        (t) => ({ name: `Contract_1/${SCHEMAS[t].files[0]}.csv`, data: `${header(t)}\n` }),
      ),
      ...(['feedbacks', 'messages', 'scorecards'] as const).map((t) => ({
        name: `Contract_1/${SCHEMAS[t].files[0]}.csv`,
        data: `${header(t)}\n`,
      })),
    ]),
  );
  const r = spawnSync(process.execPath, [bin, 'validate', 'export', '--json', '-q'], {
    cwd: work,
    encoding: 'utf8',
  });
  report = JSON.parse(r.stdout) as Report;
  expect(r.status).toBe(1);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('validate: tables a spreadsheet saved again', () => {
  it('says what the save did once a table, naming columns and counts, never a value of a person', () => {
    const said = [...report.problems, ...report.notices]
      .filter((p) => p.code !== 'MANIFEST_MISSING' && p.code !== 'CANDIDATE_NO_ATTACHMENTS')
      .map((p) => [p.code, p.code === 'TABLE_COPIES_UNITED' ? 'notes' : p.message.split(':')[0]])
      .sort();
    expect(said).toEqual(
      [
        ['CELLS_SPREADSHEET_ERROR', 'candidates'],
        ['IDS_ROUNDED', 'candidates'],
        ['ORPHAN_REFERENCES', 'candidates.project_id -> projects.project_id'],
        ['ROWS_REJECTED', 'candidates'],
        ['ROWS_REJECTED', 'interview_modules'],
        ['TABLE_COPIES_UNITED', 'notes'],
        ['TABLE_NOT_UTF8', 'candidates'],
        ['TIMES_PLACEHOLDER', 'interview_modules'],
        ['TIMES_SPREADSHEET', 'interview_modules'],
      ].sort(),
    );
    expect(report.notices.find((p) => p.code === 'TABLE_COPIES_UNITED')?.message).toContain(
      "their headers naming the same columns (Contract_1 2/Notes.csv in another order or spelling, its rows read by the columns' names)",
    );
    const text = JSON.stringify(report.problems) + JSON.stringify(report.notices);
    for (const value of ['José', 'Jos\u00c3', 'Núñez', 'Ann', 'Lee']) expect(text).not.toContain(value);
  });

  it("reads every row it can: the contract's copy by its columns' names", () => {
    expect(report.tables.notes).toMatchObject({ rows: 3, rejected: 0 });
    expect(report.tables.candidates).toMatchObject({ rows: 4, rejected: 1 });
    expect(report.tables.interview_modules).toMatchObject({ rows: 2, rejected: 1 });
  });
});
