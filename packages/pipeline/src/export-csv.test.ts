// `exportCsv`: worker threads encode rows in the export's own CSV shape, the same bytes as records encoded
// here with the same columns, and Python reads back the source's rows.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SCHEMAS } from '@talent-export/schema';
import { encodeExportRow, exportColumns, exportHeaderLine } from '@talent-export/writers';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigExport, type Export, loadBuilt, type Pipeline, tempDir, writeStage } from './test-export.js';

let pipeline: Pipeline;
let exp: Export;
let dir: string;
let stage: string;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
  dir = await bigExport();
  stage = writeStage(
    tempDir('stages-'),
    'upper.mjs',
    `export const createStage = () => (table, record) => ({ ...record, subject: record.subject && record.subject.toUpperCase() });`,
  );
});

async function csv(threads: number): Promise<{ text: string; encodedBatches: number }> {
  // Messages.csv's header row, as Python reads it.
  const header = JSON.parse(
    execFileSync(
      'python3',
      [
        '-c',
        `import csv,io,json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nn=next(n for n in z.namelist() if n.lower().endswith('messages.csv'))\nprint(json.dumps(next(csv.reader(io.TextIOWrapper(z.open(n),encoding='utf-8-sig',newline='')))))`,
        join(dir, 'export.zip'),
      ],
      { encoding: 'utf8' },
    ),
  ) as string[];
  const columns = exportColumns(header, SCHEMAS.messages.fields);
  const ex = await exp.openExport(dir);
  let text = exportHeaderLine(columns);
  let encodedBatches = 0;
  try {
    await pipeline.readTables(
      ex,
      ['messages'],
      {
        record: (_table, record, source) => {
          text += encodeExportRow(record, columns, source);
        },
        encoded: (_table, rows) => {
          encodedBatches += 1;
          for (const piece of rows.csv ?? []) text += Buffer.from(piece).toString('utf8');
        },
      },
      { threads, formats: ['csv'], exportCsv: {}, stage: { module: stage } },
    );
  } finally {
    await ex.close();
  }
  return { text, encodedBatches };
}

describe('exportCsv', () => {
  it('gives the same bytes from worker threads as from this one; Python reads the same rows back', async () => {
    const [one, three] = [await csv(1), await csv(3)];
    expect(one.encodedBatches).toBe(0);
    expect(three.encodedBatches).toBeGreaterThan(0);
    expect(three.text).toBe(one.text);
    const script = `
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
n = next(n for n in z.namelist() if n.lower().endswith('messages.csv'))
source = list(csv.reader(io.TextIOWrapper(z.open(n), encoding='utf-8-sig', newline='')))
out = list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))
s = source[0].index('subject')
same = all(a[:s] + a[s+1:] == b[:s] + b[s+1:] and a[s].upper() == b[s] for a, b in zip(source[1:], out[1:]))
print(json.dumps([len(source), len(out), source[0] == out[0], same]))`;
    const result = execFileSync('python3', ['-c', script, join(dir, 'export.zip')], {
      input: one.text,
      encoding: 'utf8',
    });
    const [rows, written, header, same] = JSON.parse(result);
    expect([written, header, same]).toEqual([rows, true, true]);
  });
});
