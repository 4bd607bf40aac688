import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_VERSION, SCHEMAS } from '@talent-export/schema';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.js';
import { openOutput } from './output.js';
import { PARQUET_CREATED_BY } from './parquet.js';
import { writeAll } from './streams.js';
import {
  expected,
  KITCHEN,
  kitchenRows,
  listDir,
  readWithDuckDb,
  readWithPython,
  tempDir,
} from './test-support.js';

const rows = kitchenRows(600);

async function writeKitchen(dir: string, rowGroupRows = 37) {
  const output = await openOutput({
    dir,
    formats: ['ndjson', 'csv', 'parquet'],
    source: 'kitchen fixture',
    rowGroupRows,
  });
  await writeAll(output.table('kitchen', KITCHEN), [...rows, { id: 'x', extra_col: 'kept in ndjson' }]);
  return output.finish({ report: { note: 'from the caller' } });
}

describe('every format read back by an independent reader', () => {
  const dir = tempDir('roundtrip');
  const written = writeKitchen(dir);
  const want = [...expected(rows, KITCHEN), expected([{ id: 'x' }], KITCHEN)[0]!];

  it.each(['parquet', 'ndjson', 'csv'] as const)('DuckDB reads %s back exactly', async (format) => {
    await written;
    const got = await readWithDuckDb(join(dir, `kitchen.${format}`), format, KITCHEN);
    expect(got).toHaveLength(want.length);
    expect(got).toEqual(want);
  });

  it("Python's csv module reads every cell as written", async () => {
    await written;
    const [header, ...cells] = readWithPython(join(dir, 'kitchen.csv'));
    expect(header).toEqual(KITCHEN.map((f) => f.name));
    expect(cells).toEqual(
      want.map((row) =>
        KITCHEN.map((f) =>
          row[f.name] === ''
            ? ''
            : csvCell(row[f.name]!).replace(/^"(.*)"$/s, (_, inner: string) => inner.replaceAll('""', '"')),
        ),
      ),
    );
    // A `;` inside a list item survives because lists are JSON text.
    expect(cells.some((row) => row[6] === '["a;b","c,d"]')).toBe(true);
  });

  it('NDJSON keeps extra columns after schema keys; the manifest names them for every format', async () => {
    const manifest = await written;
    const last = readFileSync(join(dir, 'kitchen.ndjson'), 'utf8').trimEnd().split('\n').at(-1)!;
    expect(Object.keys(JSON.parse(last))).toEqual([...KITCHEN.map((f) => f.name), 'extra_col']);
    for (const file of manifest.files) expect(file.extraColumns).toEqual(['extra_col']);
    expect(manifest.files.map((f) => [f.path, f.extraColumnsKept])).toEqual([
      ['kitchen.csv', false],
      ['kitchen.ndjson', true],
      ['kitchen.parquet', false],
    ]);
  });

  it('the manifest names extra columns as `close` is told to show them; NDJSON keeps the keys', async () => {
    const out = tempDir('shown-extra');
    const output = await openOutput({ dir: out, formats: ['ndjson', 'csv'], source: 'shown' });
    const table = output.table('kitchen', KITCHEN);
    await table.write({ id: 'x', nickname: 'n', 'Jane Quixwell': 'v' });
    await table.close({ extraColumnsShown: new Map([['Jane Quixwell', 'column 9']]) });
    const manifest = await output.finish();
    for (const file of manifest.files) expect(file.extraColumns).toEqual(['column 9', 'nickname']);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).not.toContain('Quixwell');
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'kitchen.ndjson'), 'utf8')))).toContain(
      'Jane Quixwell',
    );
  });

  it('manifest records rows, bytes and sha256 of the bytes on disk; no clock time', async () => {
    const manifest = await written;
    expect(manifest.schemaVersion).toBe(SCHEMA_VERSION);
    expect(manifest.source).toBe('kitchen fixture');
    expect(manifest.report).toEqual({ note: 'from the caller' });
    for (const file of manifest.files) {
      const bytes = readFileSync(join(dir, file.path));
      expect(file.rows).toBe(rows.length + 1);
      expect(file.bytes).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const onDisk = readFileSync(join(dir, 'manifest.json'), 'utf8');
    expect(JSON.parse(onDisk)).toEqual(manifest);
    expect(onDisk).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?!\.\d{3}Z")/);
    expect(listDir(dir)).toEqual([
      'datapackage.json',
      'kitchen.csv',
      'kitchen.ndjson',
      'kitchen.parquet',
      'manifest.json',
    ]);
  });

  it('datapackage.json describes the CSV with Frictionless types', async () => {
    await written;
    const pkg = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8'));
    expect(pkg.resources).toHaveLength(1);
    expect(pkg.resources[0].path).toBe('kitchen.csv');
    expect(pkg.resources[0].schema.fields.map((f: { type: string }) => f.type)).toEqual([
      'string',
      'string',
      'integer',
      'number',
      'boolean',
      'datetime',
      'array',
    ]);
  });

  it('Parquet has bounded row groups, typed columns, fixed created_by and schema metadata', async () => {
    await written;
    const buffer = readFileSync(join(dir, 'kitchen.parquet'));
    const meta = parquetMetadata(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));
    expect(meta.created_by).toBe(PARQUET_CREATED_BY);
    expect(meta.row_groups.length).toBe(Math.ceil((rows.length + 1) / 37));
    expect(meta.row_groups.every((group) => group.num_rows <= 37n)).toBe(true);
    expect(meta.key_value_metadata).toContainEqual({
      key: 'talent-export.schema_version',
      value: SCHEMA_VERSION,
    });
    const at = meta.schema.find((element) => element.name === 'at')!;
    expect(at.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
    expect(meta.schema.find((element) => element.name === 'tags')!.converted_type).toBe('LIST');
  });
});

describe('determinism and real schemas', () => {
  it('two writes of the same rows give byte-identical files', async () => {
    const [a, b] = [tempDir('det-a'), tempDir('det-b')];
    const [first, second] = [await writeKitchen(a, 50), await writeKitchen(b, 50)];
    expect(second.files).toEqual(first.files);
    for (const name of listDir(a))
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
  });

  it('writes the ten tables, empty ones included, and DuckDB reads them', async () => {
    const dir = tempDir('ten');
    const output = await openOutput({ dir, formats: ['parquet', 'ndjson', 'csv'] });
    for (const schema of Object.values(SCHEMAS)) output.table(schema.name, schema.fields);
    const candidates = output.table('candidates_copy', SCHEMAS.candidates.fields);
    candidates.write({
      candidate_id: '98765432109876543210',
      emails: ['a@x.org', 'b;c@y.org'],
      first_name: 'Łukasz',
    });
    const manifest = await output.finish();
    expect(manifest.files).toHaveLength(33);
    for (const format of ['parquet', 'ndjson', 'csv'] as const) {
      expect(await readWithDuckDb(join(dir, `messages.${format}`), format, SCHEMAS.messages.fields)).toEqual(
        [],
      );
      const [row] = await readWithDuckDb(
        join(dir, `candidates_copy.${format}`),
        format,
        SCHEMAS.candidates.fields,
      );
      expect(row).toMatchObject({
        candidate_id: '98765432109876543210',
        emails: ['a@x.org', 'b;c@y.org'],
        tags: null,
      });
    }
  });
});
