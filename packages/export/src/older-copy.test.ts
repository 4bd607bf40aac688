// Two contracts' copies of a table where one lacks a column the other has, one the table does not require (a
// copy from an older export): their rows are read as one table, that column empty in the older copy's rows,
// and a notice says which copy lacks which column, on the bytes of generated exports, zipped and unzipped.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateExport } from '@talent-export/sample';
import { createTableDecoder, type Decoded } from '@talent-export/schema';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, write } from './download.fixture.js';
import { openExport, readTableHeader } from './index.js';

let folder: string;
let download: string;
let copy: string;
let newerHeader: string[];
let newerRows: number;
let olderRows: number;
let olderIds: string[];

/** CSV text of rows, every field quoted, lines ended as Talent Hub ends them. */
const csvText = (rows: readonly (readonly string[])[]): string =>
  `${rows.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`;

beforeAll(async () => {
  const root = tempDir('talent-export-older-copy-');
  download = join(root, 'download');
  const newer = await generateExport({ dir: download, seed: 5, candidates: 30, attachmentsMb: 1 });
  // Another contract's candidates, from an export written before the tags column was.
  const older = join(root, 'older');
  const { contractId } = await generateExport({ dir: older, seed: 6, candidates: 20, attachmentsMb: 1 });
  folder = join(root, 'extracted');
  execFileSync('unzip', ['-q', join(download, 'export.zip'), '-d', folder]);
  const olderTables = join(root, 'older-tables', `Contract_${contractId}`);
  execFileSync('unzip', ['-q', join(older, 'export.zip'), '-d', join(root, 'older-tables')]);
  const file = readdirSync(olderTables).find((name) => /^candidates?\.csv$/i.test(name))!;
  const rows = parse(readFileSync(join(olderTables, file)), { bom: true }) as string[][];
  const tags = rows[0]!.indexOf('tags');
  expect(tags).toBeGreaterThan(0);
  copy = `Contract_${Number(newer.contractId) + 1}/${file}`;
  olderRows = rows.length - 1;
  olderIds = rows.slice(1).map((row) => row[0]!);
  expect(rows[0]![0]).toBe('candidate_id');
  const newerTables = join(folder, `Contract_${newer.contractId}`);
  const newerFile = readdirSync(newerTables).find((name) => /^candidates?\.csv$/i.test(name))!;
  const newerParsed = parse(readFileSync(join(newerTables, newerFile)), { bom: true }) as string[][];
  newerHeader = newerParsed[0]!;
  newerRows = newerParsed.length - 1;
  write(join(folder, copy), csvText(rows.map((row) => row.filter((_, k) => k !== tags))));
  rmSync(join(download, 'export.zip'));
  execFileSync('zip', ['-q', '-r', '-X', join(download, 'export.zip'), '.'], { cwd: folder });
});

/** The candidates table as the engine decodes it: its header and records, and rows rejected. */
async function decoded(path: string) {
  const ex = await openExport(path);
  try {
    const header = await readTableHeader(ex, 'candidates');
    const decoder = createTableDecoder('candidates');
    const items: Decoded[] = [];
    for await (const chunk of await ex.openTable('candidates')) items.push(...decoder.push(chunk));
    items.push(...decoder.end());
    const records = items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
    return { ex, header, records, rejects: items.length - records.length };
  } finally {
    await ex.close();
  }
}

describe("two contracts' copies of a table, one lacking a column that is not required", () => {
  const said = () =>
    `their headers naming the same columns, but ${copy} lacks the column tags, which another copy has, so its rows are read with it empty (a column the table does not require: most likely a copy from an older export): the rows of every copy are read as one table`;

  for (const [where, path] of [
    ['in export.zip', () => download],
    ['unzipped into a folder', () => folder],
  ] as const) {
    it(`${where}: every copy's rows are read, the older copy's with tags empty, a notice says which copy lacks it`, async () => {
      const { ex, header, records, rejects } = await decoded(path());
      expect(ex.problems.filter((p) => p.code === 'TABLE_DUPLICATE')).toEqual([]);
      const [united] = ex.problems.filter((p) => p.code === 'TABLE_COPIES_UNITED');
      expect(united).toMatchObject({ table: 'candidates', severity: 'notice' });
      expect(united!.message).toContain(said());
      expect(ex.tables.candidates?.copies?.map((c) => c.entry ?? c.file)).toEqual([copy]);
      // Every column, in the newer copy's header; every row of both copies.
      expect(header).toEqual(newerHeader);
      expect(rejects).toBe(0);
      expect(records.length).toBe(newerRows + olderRows);
      const older = records.slice(newerRows);
      expect(older.every((r) => r.tags === null)).toBe(true);
      expect(records.slice(0, newerRows).some((r) => r.tags !== null)).toBe(true);
      // The other columns of the older copy's rows are read as they are.
      expect(older.map((r) => r.candidate_id)).toEqual(olderIds);
    });
  }
});
