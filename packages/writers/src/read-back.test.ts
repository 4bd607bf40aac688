// Values at the edges, read back by DuckDB from each format: every format must hold the same value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { openOutput } from './output.js';
import { RowEncoder } from './rows.js';
import { writeAll } from './streams.js';
import { KITCHEN, readWithDuckDb, tempDir } from './test-support.js';
import type { TypedRecord } from './types.js';
import { checkValue } from './values.js';

const FORMATS = ['ndjson', 'csv', 'parquet'] as const;

async function writeKitchen(rows: TypedRecord[]): Promise<string> {
  const dir = tempDir('read-back');
  const output = await openOutput({ dir, formats: [...FORMATS] });
  await writeAll(output.table('kitchen', KITCHEN), rows);
  await output.finish();
  return dir;
}

describe('edge values read back the same from every format', () => {
  const at = KITCHEN.find((f) => f.name === 'at')!;
  const where = { table: 'kitchen', row: 1 };

  it('a time that is not on the calendar is refused, not rolled over in Parquet only', async () => {
    // Date.parse reads these as March 2, May 1 and the next day; DuckDB reads the CSV's text as null.
    for (const time of [
      '2021-02-30T00:00:00Z',
      '2021-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00Z',
      '2021-04-31T10:00:00.5Z',
      '2021-01-01T24:00:00Z',
    ]) {
      expect(() => checkValue(at, time, where), time).toThrow(
        expect.objectContaining({ code: 'WRITER_BAD_VALUE' }),
      );
    }
    const dir = tempDir('calendar');
    const output = await openOutput({ dir, formats: ['ndjson'] });
    expect(() => output.table('kitchen', KITCHEN).write({ at: '2021-02-30T00:00:00Z' })).toThrow(
      expect.objectContaining({ code: 'WRITER_BAD_VALUE' }),
    );
    await output.abort();
  });

  it('times at the edges of the calendar are the same instant in every format', async () => {
    const times = [
      '0001-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T12:00:00.000Z',
      '2016-12-31T23:59:59.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    const dir = await writeKitchen(times.map((time, i) => ({ id: String(i), at: time })));
    for (const format of FORMATS) {
      const got = await readWithDuckDb(join(dir, `kitchen.${format}`), format, KITCHEN);
      expect(
        got.map((row) => row.at),
        format,
      ).toEqual(times);
    }
  });

  it('digits past the millisecond are the same microseconds in every format', async () => {
    const times = [
      '2021-03-04T05:06:07.123456Z',
      '1969-12-31T23:59:59.500400Z',
      '2021-03-04T05:06:07.000001Z',
    ];
    const dir = await writeKitchen(times.map((time, i) => ({ id: String(i), at: time })));
    const micros = times.map((time) => String(BigInt(Date.parse(time)) * 1000n + BigInt(time.slice(23, 26))));
    for (const format of FORMATS) {
      const source =
        format === 'parquet' ? 'read_parquet' : format === 'ndjson' ? 'read_ndjson_auto' : 'read_csv_auto';
      const instance = await DuckDBInstance.create(':memory:');
      const db = await instance.connect();
      const result = await db.runAndReadAll(
        `SELECT CAST(epoch_us(CAST("at" AS TIMESTAMPTZ)) AS VARCHAR) AS us FROM ${source}('${join(dir, `kitchen.${format}`)}')`,
      );
      db.closeSync();
      instance.closeSync();
      expect(
        result.getRowObjectsJson().map((row) => row.us),
        format,
      ).toEqual(micros);
    }
  });

  it('-0 is 0 in Parquet, as in NDJSON and CSV', async () => {
    const dir = await writeKitchen([{ id: '1', score: -0 }]);
    expect(readFileSync(join(dir, 'kitchen.csv'), 'utf8').split('\n')[1]).toBe('1,,,0,,,');
    for (const format of FORMATS) {
      const [row] = await readWithDuckDb(join(dir, `kitchen.${format}`), format, KITCHEN);
      expect(Object.is(row!.score, 0), format).toBe(true);
    }
  });

  it('a lone surrogate is U+FFFD in every format, so DuckDB reads the NDJSON too', async () => {
    const rows: TypedRecord[] = [
      { id: 'a\uD800', note: 'x\uDC00y', tags: ['\uD83D', 'ok 😀'], extra: 'e\uDFFF' },
      { id: '2', note: 'pair 😀 kept' },
    ];
    const dir = await writeKitchen(rows);
    const want = [
      { id: 'a\uFFFD', note: 'x\uFFFDy', tags: ['\uFFFD', 'ok 😀'] },
      { id: '2', note: 'pair 😀 kept', tags: null },
    ];
    for (const format of FORMATS) {
      const got = await readWithDuckDb(join(dir, `kitchen.${format}`), format, KITCHEN);
      expect(
        got.map(({ id, note, tags }) => ({ id, note, tags })),
        format,
      ).toEqual(want);
    }
    const ndjson = readFileSync(join(dir, 'kitchen.ndjson'), 'utf8');
    expect(JSON.parse(ndjson.split('\n')[0]!).extra).toBe('e\uFFFD');
    // The caller's record is left as it was.
    expect(rows[0]!.id).toBe('a\uD800');
    // Encoded elsewhere (a worker thread), the bytes are the same.
    const encoder = new RowEncoder('kitchen', KITCHEN, ['ndjson']);
    for (const row of rows) encoder.add(row);
    expect(Buffer.concat(encoder.finish().ndjson!).toString('utf8')).toBe(ndjson);
  });

  it('an extra column headed __proto__ is kept beside a lone surrogate, its record repaired', async () => {
    const rows = [JSON.parse('{"id":"a\\ud800","__proto__":"p"}') as TypedRecord];
    const dir = await writeKitchen(rows);
    const line = readFileSync(join(dir, 'kitchen.ndjson'), 'utf8').split('\n')[0]!;
    expect(line).toContain('"__proto__":"p"');
  });
});
