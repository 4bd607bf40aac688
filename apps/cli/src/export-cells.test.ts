// `redact` and `bundle` write the export's tables back in its own shape: a cell of a column nobody changes
// is written as the source wrote it (times in any form, ids, booleans, numbers, lists), so a vendor
// importing the copy reads the format it was given; only changed cells get text of their own.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

const TIMES = [
  '1640171967',
  '1640171967372',
  '01640171967372',
  '2021-03-04T05:06:07Z',
  '2021-03-04T05:06:07.1234567Z',
  '2021-03-04T05:06:07.120Z',
  '2021-12-22 11:19:27',
  '2021-12-22 11:19:27.5',
];

const TABLES: Record<string, string> = {
  'Candidate.csv': 'candidate_id,project_id,first_name,last_name,emails\n101,9,Jane,Doe,jane@example.com\n',
  'InterviewModule.csv': `interview_module_id,description,name,state,start_time,end_time\n${TIMES.map(
    (time, i) => `00${i},d,n,draft,${time},${i === 7 ? `"${time}"` : TIMES[(i + 3) % TIMES.length]}\n`,
  ).join('')}`,
  'CustomFieldValues.csv': `custom_field_id,entity_type,entity_id,custom_field_values,created_time,last_modified_time\n${TIMES.map(
    (time, i) => `0${i},candidate,101,,${time},${TIMES[(i + 1) % TIMES.length]}\n`,
  ).join('')}`,
  'Feedbacks.csv':
    'feedback_id,candidate_id,project_id,company,requester_role,message,feedback_response,recommendation_score,approved_for_referral,requester_profile_url,requestee_profile_url\n' +
    '1,101,9,0012,r,,,1.50,TRUE,,\n2,101,9,0012,r,,,2.0,yes,,\n3,101,9,12,r,,,7,0,,\n',
  'Projects.csv':
    'project_id,project_name,visibility,state,type,owner_profile_url,candidate_hiring_state_ids,sourcing_channels,project_description,job_post_id,job_post_description\n' +
    '9,p,PUBLIC,ACTIVE,job,,1; 2,,,007,\n',
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-cells-'));
  writeFileSync(join(work, 'key'), 'ab'.repeat(32));
  writeFileSync(
    join(work, 'export.zip'),
    rawZip(Object.entries(TABLES).map(([name, data]) => ({ name, data }))),
  );
  writeFileSync(
    join(work, 'shift.json'),
    JSON.stringify({ version: 1, tables: { interview_modules: { end_time: { op: 'shift', days: 1 } } } }),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined },
  });
  expect(r.stderr).toBe('');
  return { code: r.status, stdout: r.stdout };
}

/** The rows of a table in a zip (or of a CSV text), as Python's csv reads them: each cell's text. */
function rows(zip: string, entry: string): string[][] {
  const script =
    'import csv,io,json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps(list(csv.reader(io.TextIOWrapper(z.open(sys.argv[2]),encoding="utf-8",newline="")))))';
  return JSON.parse(execFileSync('python3', ['-c', script, zip, entry], { encoding: 'utf8' }));
}

const source = (entry: string) => rows(join(work, 'export.zip'), entry);

/** The cells of some columns of a table's rows. */
const cells = (table: string[][], names: string[]) =>
  table.map((row) => names.map((name) => row[table[0]!.indexOf(name)]));

/** Rows per table, as validate counts them. */
function counts(path: string): Record<string, [number, number, number]> {
  const report = JSON.parse(run(['validate', path, '--json', '-q']).stdout);
  return Object.fromEntries(
    Object.entries(report.tables as Record<string, { rows: number; decoded: number; rejected: number }>).map(
      ([table, t]) => [table, [t.rows, t.decoded, t.rejected]],
    ),
  );
}

describe('kept cells are written as the source wrote them', () => {
  it('redact keeps every time form, id, boolean, number and list of a kept column byte for byte', () => {
    expect(run(['redact', 'export.zip', '-o', 'kept', '--key-file', 'key', '-q']).code).toBe(1);
    const out = join(work, 'kept', 'export.zip');
    // The quoted source cell comes out unquoted: quoting may change, a cell's text does not.
    expect(rows(out, 'InterviewModule.csv')).toEqual(source('InterviewModule.csv'));
    const kept = ['custom_field_id', 'entity_type', 'created_time', 'last_modified_time'];
    expect(cells(rows(out, 'CustomFieldValues.csv'), kept)).toEqual(
      cells(source('CustomFieldValues.csv'), kept),
    );
    const feedback = ['feedback_id', 'company', 'recommendation_score', 'approved_for_referral'];
    expect(cells(rows(out, 'Feedbacks.csv'), feedback)).toEqual(cells(source('Feedbacks.csv'), feedback));
    const project = ['candidate_hiring_state_ids', 'job_post_id', 'visibility'];
    expect(cells(rows(out, 'Projects.csv'), project)).toEqual(cells(source('Projects.csv'), project));
    expect(counts(out)).toEqual(counts('export.zip'));
  });

  it('redact writes a shifted time in one form, yyyy-MM-dd HH:mm:ss with its fraction, and keeps the others', () => {
    const args = [
      'redact',
      'export.zip',
      '-o',
      'shifted',
      '--key-file',
      'key',
      '--policy',
      'shift.json',
      '-q',
    ];
    expect(run(args).code).toBe(1);
    const out = join(work, 'shifted', 'export.zip');
    const table = rows(out, 'InterviewModule.csv');
    expect(cells(table, ['start_time'])).toEqual(cells(source('InterviewModule.csv'), ['start_time']));
    // Shifted by a day or so, whichever way: the time of day and fraction (to the microsecond) stay.
    const ends = cells(table, ['end_time'])
      .slice(1)
      .map(([time]) => /^\d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(time!)?.[1]);
    expect(ends).toEqual([
      '05:06:07',
      '05:06:07.123456',
      '05:06:07.120',
      '11:19:27',
      '11:19:27.500',
      '11:19:27',
      '11:19:27.372',
      '11:19:27.500',
    ]);
    expect(counts(out)).toEqual(counts('export.zip'));
  });

  it("bundle writes the candidate's rows with their cells as the source wrote them", () => {
    expect(run(['bundle', 'export.zip', '-o', 'bundles', '--candidates', '101', '-q']).code).toBe(1);
    const zip = join(work, 'bundles', 'Candidate_101.zip');
    expect(rows(zip, 'CustomFieldValues.csv')).toEqual(source('CustomFieldValues.csv'));
    expect(rows(zip, 'Feedbacks.csv')).toEqual(source('Feedbacks.csv'));
  });
});
