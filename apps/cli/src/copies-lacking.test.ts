// An export.zip holding the candidates table in two contracts' folders, one copy from an older export that
// lacks the tags column (not required): every command reads the rows of both copies, the older copy's with
// tags empty, and every output has the column; a notice says which copy lacks it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type DuckDb = typeof import('@duckdb/node-api');
const duckdb: DuckDb | undefined = await import('@duckdb/node-api').catch(() => undefined);

import { readZips, runCli } from './redact.fixture.js';

let work: string;
let download: string;
/** The older copy's entry, and the ids of the candidates in each copy. */
let copy: string;
let newerIds: string[];
let olderIds: string[];
let newerHeader: string[];

const run = (args: string[]) => runCli(work, args);
const notice = () =>
  `but ${copy} lacks the column tags, which another copy has, so its rows are read with it empty (a column the table does not require: most likely a copy from an older export)`;

/** CSV text of rows, every field quoted, lines ended as Talent Hub ends them. */
const csvText = (rows: readonly (readonly string[])[]): string =>
  `${rows.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`;

/** A CSV file's rows, as Python's csv module reads them. */
const csvRows = (path: string): string[][] =>
  JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        'import csv,json,sys\nprint(json.dumps(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))',
        path,
      ],
      { encoding: 'utf8' },
    ),
  );

const ndjson = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-copies-lacking-'));
  download = join(work, 'download');
  const newer = await generateExport({ dir: download, seed: 5, candidates: 30, attachmentsMb: 1 });
  const older = join(work, 'older');
  const { contractId } = await generateExport({ dir: older, seed: 6, candidates: 20, attachmentsMb: 1 });
  const folder = join(work, 'extracted');
  execFileSync('unzip', ['-q', join(download, 'export.zip'), '-d', folder]);
  execFileSync('unzip', ['-q', join(older, 'export.zip'), '-d', join(work, 'older-tables')]);
  const read = (dir: string) => {
    const file = readdirSync(dir).find((name) => /^candidates?\.csv$/i.test(name))!;
    return { file, rows: csvRows(join(dir, file)) };
  };
  const newerTable = read(join(folder, `Contract_${newer.contractId}`));
  newerHeader = newerTable.rows[0]!;
  newerIds = newerTable.rows.slice(1).map((row) => row[0]!);
  const olderTable = read(join(work, 'older-tables', `Contract_${contractId}`));
  const tags = olderTable.rows[0]!.indexOf('tags');
  expect(tags).toBeGreaterThan(0);
  olderIds = olderTable.rows.slice(1).map((row) => row[0]!);
  expect(olderIds.filter((id) => newerIds.includes(id))).toEqual([]);
  copy = `Contract_${Number(newer.contractId) + 1}/${olderTable.file}`;
  mkdirSync(join(folder, `Contract_${Number(newer.contractId) + 1}`));
  writeFileSync(join(folder, copy), csvText(olderTable.rows.map((row) => row.filter((_, k) => k !== tags))));
  rmSync(join(download, 'export.zip'));
  execFileSync('zip', ['-q', '-r', '-X', join(download, 'export.zip'), '.'], { cwd: folder });
  writeFileSync(join(work, 'key'), 'cd'.repeat(32));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a table's copy from an older export, lacking a column not required", () => {
  it('validate counts the rows of both copies and tells the notice, not a table read in part', () => {
    const r = run(['validate', 'download', '--json', '-q']);
    const report = JSON.parse(r.stdout) as {
      tables: Record<string, { rows: number; rejected: number }>;
      problems: { code: string }[];
      notices: { code: string; message: string }[];
    };
    expect(report.tables.candidates).toMatchObject({ rows: newerIds.length + olderIds.length, rejected: 0 });
    expect(report.problems.map((p) => p.code)).not.toContain('TABLE_DUPLICATE');
    const united = report.notices.filter((n) => n.code === 'TABLE_COPIES_UNITED');
    expect(united).toHaveLength(1);
    expect(united[0]!.message).toContain(notice());
  });

  it("convert writes every row of both copies in NDJSON, CSV and Parquet, tags empty in the older copy's", async () => {
    const r = run([
      'convert',
      'download',
      '--out',
      'lake',
      '--to',
      'ndjson,csv,parquet',
      '--tables',
      'candidates',
    ]);
    expect(r.stderr).toContain('TABLE_COPIES_UNITED');
    const records = ndjson(join(work, 'lake', 'candidates.ndjson'));
    expect(records.map((c) => c.candidate_id)).toEqual([...newerIds, ...olderIds]);
    const older = records.slice(newerIds.length);
    expect(older.every((c) => c.tags === null)).toBe(true);
    expect(records.slice(0, newerIds.length).some((c) => Array.isArray(c.tags))).toBe(true);
    // The CSV: one header with every column, the tags cell empty in the older copy's rows.
    const csv = csvRows(join(work, 'lake', 'candidates.csv'));
    const tags = csv[0]!.indexOf('tags');
    expect(tags).toBeGreaterThan(0);
    expect(csv.length - 1).toBe(records.length);
    expect(
      csv.slice(1 + newerIds.length).every((row) => row.length === csv[0]!.length && row[tags] === ''),
    ).toBe(true);
    // Parquet: one schema, the same rows, tags null where the copy lacked it.
    const instance = await duckdb!.DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      const path = `'${join(work, 'lake', 'candidates.parquet').replaceAll("'", "''")}'`;
      const rows = await db.runAndReadAll(`SELECT candidate_id, tags IS NULL FROM read_parquet(${path})`);
      expect(rows.getRowsJson()).toEqual(records.map((c) => [c.candidate_id, c.tags === null]));
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });

  it('redact writes each copy as its own entry, the older one with the tags column (empty), read back alike', () => {
    const r = run(['redact', 'download', '-o', 'out', '--key-file', 'key', '-q']);
    expect(r.stderr).not.toMatch(/TABLE_DUPLICATE|refused/);
    const tables = readZips(join(work, 'out'))['export.zip']!.tables;
    const newer = Object.keys(tables).find((name) => /Candidates?\.csv$/i.test(name) && name !== copy)!;
    expect(tables[newer]!.length - 1).toBe(newerIds.length);
    expect(tables[copy]![0]).toEqual(tables[newer]![0]);
    expect(tables[copy]![0]).toContain('tags');
    expect(tables[copy]!.length - 1).toBe(olderIds.length);
    const tags = tables[copy]![0]!.indexOf('tags');
    expect(tables[copy]!.slice(1).every((row) => row[tags] === '')).toBe(true);
    // Read back: the same rows, the copies now alike in their columns (no notice of a copy lacking one).
    const back = JSON.parse(run(['validate', 'out', '--json', '-q']).stdout) as {
      tables: Record<string, { rows: number; rejected: number }>;
      notices: { code: string; message: string }[];
    };
    expect(back.tables.candidates).toMatchObject({ rows: newerIds.length + olderIds.length, rejected: 0 });
    const united = back.notices.find((n) => n.code === 'TABLE_COPIES_UNITED');
    expect(united?.message).toContain('their headers alike');
  });

  it("join writes a document for every candidate of both copies, tags null for the older copy's", () => {
    run(['join', 'download', '--out', 'docs', '-q']);
    const docs = ndjson(join(work, 'docs', 'candidates.ndjson'));
    const byId = new Map(docs.map((d) => [d.candidate_id as string, d]));
    for (const id of [...newerIds, ...olderIds]) expect(byId.has(id), id).toBe(true);
    expect(olderIds.every((id) => byId.get(id)!.tags === null)).toBe(true);
  });

  it('bundle writes a candidate of the older copy, its Candidate.csv with every column', () => {
    const id = olderIds[0]!;
    run(['bundle', 'download', '--out', 'bundles', '--candidates', id, '-q']);
    const tables = readZips(join(work, 'bundles'))[`Candidate_${id}.zip`]!.tables;
    const candidate = Object.entries(tables).find(([name]) => /Candidates?\.csv$/i.test(name))![1];
    expect(candidate[0]).toEqual(newerHeader);
    expect(candidate.slice(1).map((row) => [row[0], row[candidate[0]!.indexOf('tags')]])).toEqual([[id, '']]);
    const zip = join(work, 'bundles', `Candidate_${id}.zip`);
    const doc = JSON.parse(spawnSync('unzip', ['-p', zip, 'candidate.json'], { encoding: 'utf8' }).stdout);
    expect(doc).toMatchObject({ candidate_id: id, tags: null });
  });

  it('report counts the rows of both copies and shows the notice', () => {
    run(['report', 'download', '--out', 'report.html', '-q']);
    const page = readFileSync(join(work, 'report.html'), 'utf8');
    expect(page).toContain('TABLE_COPIES_UNITED');
    expect(page).not.toContain('TABLE_DUPLICATE');
    expect(page).toContain(`${newerIds.length + olderIds.length}`);
  });
});
