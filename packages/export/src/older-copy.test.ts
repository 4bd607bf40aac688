// Two contracts' copies of a table where one lacks a column the other has (a copy from an older export):
// their rows cannot be read as one table, and the problem says which copy lacks which column, on the bytes
// of generated exports, zipped and unzipped.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateExport } from '@talent-export/sample';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, write } from './download.fixture.js';
import { openExport } from './index.js';

let folder: string;
let download: string;
let copy: string;

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
  write(join(folder, copy), csvText(rows.map((row) => row.filter((_, k) => k !== tags))));
  rmSync(join(download, 'export.zip'));
  execFileSync('zip', ['-q', '-r', '-X', join(download, 'export.zip'), '.'], { cwd: folder });
});

describe("two contracts' copies of a table, one lacking a column that is not required", () => {
  const said = () =>
    `their header lines too: ${copy} lacks the column tags, which another copy has (a column the table does not require: most likely a copy from an older export), so their rows cannot be read as one table: only `;

  it('in export.zip: TABLE_DUPLICATE says which copy lacks which column', async () => {
    const ex = await openExport(download);
    try {
      const [duplicate] = ex.problems.filter((p) => p.code === 'TABLE_DUPLICATE');
      expect(duplicate).toMatchObject({ table: 'candidates', file: 'export.zip' });
      expect(duplicate!.message).toContain(said());
      expect(duplicate!.message).toMatch(/the rows of the other copies are not\. Download export\.zip again/);
    } finally {
      await ex.close();
    }
  });

  it('unzipped into a folder: the same', async () => {
    const ex = await openExport(folder);
    try {
      const [duplicate] = ex.problems.filter((p) => p.code === 'TABLE_DUPLICATE');
      expect(duplicate?.table).toBe('candidates');
      expect(duplicate!.message).toContain(said());
    } finally {
      await ex.close();
    }
  });
});
