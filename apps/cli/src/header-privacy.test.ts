// Header cells that are personal data (a table saved without its header row, a value pasted as a header)
// never reach a summary, notice, error, JSON report, manifest or HTML page; real column names still do.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

/** Values planted as header cells of notes; "nickname" is a real extra column. */
const PLANTED = [
  'jane.quixwell@example.com',
  'Please call me back about the offer tomorrow morning',
  '+1 555 123 4567',
  'Zbigniew Secretname',
];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, text: r.stdout + r.stderr, stdout: r.stdout };
}

/**
 * A copy of the sample at `to` whose export.zip has its CSVs edited by Python: `edits` maps a file name to
 * a Python expression of `rows` (the table's rows, header first, as `csv.reader` reads them).
 */
function edited(to: string, edits: Record<string, string>): string {
  const dir = join(work, to);
  cpSync(join(work, 'sample'), dir, { recursive: true });
  const script = `
import csv, io, json, sys, zipfile
src, dst, edits = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info)
        edit = edits.get(info.filename.split('/')[-1])
        if edit:
            rows = list(csv.reader(io.StringIO(data.decode('utf-8-sig'), newline='')))
            out = io.StringIO(newline='')
            csv.writer(out, lineterminator='\\r\\n').writerows(eval(edit))
            data = out.getvalue().encode('utf-8')
        zout.writestr(info, data)
`;
  execFileSync('python3', [
    '-c',
    script,
    join(work, 'sample', 'export.zip'),
    join(dir, 'export.zip'),
    JSON.stringify(edits),
  ]);
  return dir;
}

/** The first data row of the sample's candidates table. */
function firstCandidate(): string[] {
  const script = `
import csv, io, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith('Candidate.csv'))
    print(json.dumps(list(csv.reader(io.StringIO(z.read(name).decode('utf-8-sig'), newline='')))[1]))
`;
  return JSON.parse(
    execFileSync('python3', ['-c', script, join(work, 'sample', 'export.zip')], { encoding: 'utf8' }),
  );
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-header-'));
  const r = run(['sample', '--out', 'sample', '--candidates', '30', '--attachments-mb', '1']);
  expect(r.code).toBe(0);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('extra columns whose headers are values', () => {
  let dir: string;
  beforeAll(() => {
    const extra = JSON.stringify(['nickname', ...PLANTED]);
    dir = edited('extra', {
      'Notes.csv': `[rows[0] + ${extra}] + [r + ['n', 'a', 'b', 'c', ''] for r in rows[1:]]`,
    });
  });

  /** The notes' extra columns as every report must name them: the planted ones by place (7 columns before). */
  const SHOWN = ['nickname', 'column 8', 'column 9', 'column 10', 'column 11'];

  const clean = (text: string) => {
    for (const value of PLANTED) expect(text).not.toContain(value);
  };

  it('inspect and validate: the summary names real columns and the others by place', () => {
    for (const command of ['inspect', 'validate']) {
      const r = run([command, dir]);
      expect(r.code).toBe(1);
      expect(r.text).toMatch(
        /^ {2}notes +\d+ rows {2}extra columns: nickname, column 8, column 9, column 10, column 11$/m,
      );
      clean(r.text);
    }
  });

  it('--json: extra and empty columns as the summary shows them', () => {
    const r = run(['validate', dir, '--json', '--quiet']);
    clean(r.text);
    const notes = JSON.parse(r.stdout).tables.notes;
    expect(notes.extraColumns).toEqual(SHOWN);
    // The last planted column holds no value in any row.
    expect(notes.emptyColumns).toEqual(['column 11']);
  });

  it('report: the page lists real columns and the others by place', () => {
    const r = run(['report', dir, '--out', 'extra.html']);
    clean(r.text);
    const html = readFileSync(join(work, 'extra.html'), 'utf8');
    clean(html);
    expect(html).toContain(`<td>${SHOWN.join(', ')}</td>`);
  });

  it('convert: report.json and manifest.json name them the same way; the NDJSON keeps the headers', () => {
    const out = join(work, 'extra-out');
    const r = run(['convert', dir, '--out', out, '--to', 'ndjson,csv']);
    clean(r.text);
    for (const name of ['report.json', 'manifest.json']) clean(readFileSync(join(out, name), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const notes = manifest.files.filter((f: { table: string }) => f.table === 'notes');
    expect(notes).toHaveLength(2);
    for (const file of notes) expect(file.extraColumns).toEqual([...SHOWN].sort());
    const line = readFileSync(join(out, 'notes.ndjson'), 'utf8').split('\n')[0]!;
    expect(Object.keys(JSON.parse(line))).toContain('Zbigniew Secretname');
  });
});

describe('a header that is a row of values', () => {
  it('a table saved without its header row: "looks like data", none of the row quoted', () => {
    const row = firstCandidate();
    // first_name, last_name, emails, profile_url (whichever the sample filled in).
    const values = [row[2]!, row[3]!, row[4]!, row[7]!].filter((v) => v.length > 0);
    expect(values.length).toBeGreaterThanOrEqual(2);
    const dir = edited('no-header', {
      'Candidate.csv': 'rows[1:]',
      'Scorecards.csv': `[rows[0] + ['Zbigniew Secretname'] * 2] + [r + ['x', 'y'] for r in rows[1:]]`,
    });
    const texts = [run(['inspect', dir]), run(['validate', dir, '--json', '--quiet'])].map((r) => r.text);
    for (const text of texts) {
      expect(text).toContain('the first row looks like data, not a header: is the header row missing?');
      // A second extra column of one name is kept under a suffix: shown by its place, as personal data may be.
      expect(text).toContain('column 10');
    }
    // The page names the failed tables by code only.
    texts.push(run(['report', dir, '--out', 'no-header.html']).text);
    const html = readFileSync(join(work, 'no-header.html'), 'utf8');
    expect(html).toContain('candidates (SCHEMA_MISSING_COLUMN)');
    expect(html).not.toContain('SCHEMA_DUPLICATE_COLUMN');
    for (const text of [...texts, html]) {
      for (const value of [...values, 'Zbigniew Secretname']) expect(text).not.toContain(value);
    }
  });
});
