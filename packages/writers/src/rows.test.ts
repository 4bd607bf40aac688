import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { csvHeader, encodeCsvRow } from './csv.js';
import { WriterError } from './errors.js';
import { encodeNdjsonLine } from './index.js';
import { openOutput, type TableWriter } from './output.js';
import { type EncodedRows, MAX_EXTRA_NAMES, PIECE_BYTES, PiecePool, RowEncoder, wellFormed } from './rows.js';
import { KITCHEN, kitchenRows, tempDir } from './test-support.js';
import type { FieldSchema, Format, TypedRecord } from './types.js';

const PIECE = 64 * 1024;
const TEXT_FORMATS: Format[] = ['ndjson', 'csv'];

/**
 * Rows through every path of the encoders: every type and edge value, missing fields, keys out of order,
 * keys outside the schema, a lone surrogate, and enough bytes for several pieces (some rows over 256 KB).
 */
function records(): TypedRecord[] {
  const rows: TypedRecord[] = kitchenRows(300);
  rows.push({ note: 'keys out of order', id: 'o1' });
  rows.push({ id: 'x1', zeta: 'extra', note: 'between', alpha: 1 });
  rows.push({ id: 'x2', note: undefined as never, tags: ['t'] });
  rows.push({ id: 'lone', note: 'half a pair \ud800 here' });
  for (let i = 0; i < 800; i++) rows.push({ id: `filler-${i}`, note: `${'é😀张, "q"\n'.repeat(20)}${i}` });
  rows.push({ id: 'big-ascii', note: 'a'.repeat(PIECE + 1000) });
  rows.push({ id: 'big-cjk', note: '张'.repeat(120_000), tags: ['x'.repeat(PIECE)] });
  rows.push({ id: 'after-big', note: 'small' });
  return rows;
}

function encode(
  rows: readonly TypedRecord[],
  fields: readonly FieldSchema[],
  formats: Format[],
): EncodedRows {
  const encoder = new RowEncoder('kitchen', fields, formats);
  for (const row of rows) encoder.add(row);
  return encoder.finish();
}

/** Cuts rows into batches, as several workers would encode them. */
function batches<T>(rows: readonly T[], sizes: number[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; at < rows.length; i++) {
    const size = sizes[i % sizes.length]!;
    out.push(rows.slice(at, at + size));
    at += size;
  }
  return out;
}

async function writeDirect(table: TableWriter, rows: readonly TypedRecord[]): Promise<void> {
  for (const row of rows) await table.write(row);
}

/** A sync throw or an async rejection, whichever comes. */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const bytesOf = (pieces: readonly Uint8Array[] | undefined) => Buffer.concat(pieces ?? []);

describe('RowEncoder + writeEncoded', () => {
  const rows = records();

  it('writes NDJSON and CSV byte for byte as TableWriter.write does', async () => {
    const dir = tempDir('rows-text');
    const output = await openOutput({ dir, formats: TEXT_FORMATS });
    await writeDirect(output.table('direct', KITCHEN), rows);
    const encoded = output.table('encoded', KITCHEN);
    const parts = batches(rows, [1, 700, 3, 1200]).map((batch) => encode(batch, KITCHEN, TEXT_FORMATS));
    for (const part of parts) await encoded.writeEncoded(part);
    // Both ways into one table, in order.
    const mixed = output.table('mixed', KITCHEN);
    let i = 0;
    for (const batch of batches(rows, [500, 9])) {
      if (i++ % 2 === 0) await writeDirect(mixed, batch);
      else await mixed.writeEncoded(encode(batch, KITCHEN, TEXT_FORMATS));
    }
    expect([encoded.rows, mixed.rows]).toEqual([rows.length, rows.length]);
    const manifest = await output.finish();

    for (const format of TEXT_FORMATS) {
      const direct = readFileSync(join(dir, `direct.${format}`));
      expect(direct.length).toBeGreaterThan(3 * PIECE);
      expect(readFileSync(join(dir, `encoded.${format}`)).equals(direct)).toBe(true);
      expect(readFileSync(join(dir, `mixed.${format}`)).equals(direct)).toBe(true);
      // The pieces are the rows' bytes, nothing more (CSV's header is the writer's).
      const pieces = Buffer.concat(parts.map((part) => bytesOf(part[format as 'ndjson' | 'csv'])));
      const header = format === 'csv' ? Buffer.from(csvHeader(KITCHEN)) : Buffer.alloc(0);
      expect(Buffer.concat([header, pieces]).equals(direct)).toBe(true);
    }
    const byTable = (table: string) =>
      manifest.files.filter((f) => f.table === table).map(({ path: _, table: __, ...rest }) => rest);
    expect(byTable('direct')).toHaveLength(2);
    expect(byTable('encoded')).toStrictEqual(byTable('direct'));
    expect(byTable('mixed')).toStrictEqual(byTable('direct'));
    expect(byTable('direct')[0]).toMatchObject({ rows: rows.length, extraColumns: ['alpha', 'zeta'] });
  });

  it('pieces given back once written and scribbled over leave the files as TableWriter.write makes them', async () => {
    const dir = tempDir('rows-reuse');
    const output = await openOutput({ dir, formats: TEXT_FORMATS });
    await writeDirect(output.table('direct', KITCHEN), rows);
    const reused = output.table('reused', KITCHEN);
    const pool = new PiecePool();
    let given = 0;
    for (const batch of batches(rows, [40, 1, 300])) {
      const encoder = new RowEncoder('kitchen', KITCHEN, TEXT_FORMATS, { pool });
      for (const row of batch) encoder.add(row);
      const encoded = encoder.finish();
      await reused.writeEncoded(encoded);
      // As a worker thread would refill them: whatever is in a piece must not reach a file again.
      for (const buffer of PiecePool.reusable(encoded)) {
        new Uint8Array(buffer).fill(0x7b);
        pool.give(buffer);
        given += 1;
      }
    }
    await output.finish();
    expect(given).toBeGreaterThan(20);
    for (const format of TEXT_FORMATS) {
      expect(
        readFileSync(join(dir, `reused.${format}`)).equals(readFileSync(join(dir, `direct.${format}`))),
      ).toBe(true);
    }
  });

  it('a pool hands out the pieces given back, and keeps only whole pieces, up to its limit', () => {
    const pool = new PiecePool(2);
    const a = new ArrayBuffer(PIECE_BYTES);
    pool.give(new ArrayBuffer(PIECE_BYTES + 1));
    pool.give(new ArrayBuffer(16));
    pool.give(a);
    expect(pool.take().buffer).toBe(a);
    expect(pool.take().byteLength).toBe(PIECE_BYTES);
    for (let i = 0; i < 3; i++) pool.give(new ArrayBuffer(PIECE_BYTES));
    const taken = new Set([pool.take().buffer, pool.take().buffer, pool.take().buffer]);
    expect(taken.size).toBe(3); // two kept, the third made fresh
    // Rows over a piece get a buffer of their own, which is not reusable.
    const encoder = new RowEncoder('kitchen', KITCHEN, ['ndjson'], { pool });
    encoder.add({ id: 'big', note: 'a'.repeat(PIECE_BYTES) });
    encoder.add({ id: 'small', note: 'b' });
    expect(PiecePool.reusable(encoder.finish())).toHaveLength(0);
  });

  it('gives pieces in buffers of their own, each no larger than its rows need, rows never split', () => {
    const encoded = encode(rows, KITCHEN, TEXT_FORMATS);
    const seen = new Set<ArrayBufferLike>();
    for (const format of ['ndjson', 'csv'] as const) {
      const pieces = encoded[format]!;
      expect(pieces.length).toBeGreaterThanOrEqual(4);
      // Each row's text and where its bytes end in the whole.
      // A lone surrogate is U+FFFD in every format (see wellFormed).
      const texts = rows
        .map(wellFormed)
        .map((row) => (format === 'csv' ? encodeCsvRow(row, KITCHEN) : encodeNdjsonLine(row, KITCHEN)));
      const ends = new Map<number, number>(); // byte end -> index of the row ending there
      let at = 0;
      for (const [i, text] of texts.entries()) ends.set((at += Buffer.byteLength(text)), i);
      let end = 0;
      let first = 0;
      const problems: string[] = [];
      for (const [k, piece] of pieces.entries()) {
        if (piece.byteOffset !== 0) problems.push(`piece ${k}: byteOffset ${piece.byteOffset}`);
        if (seen.has(piece.buffer)) problems.push(`piece ${k}: shares its ArrayBuffer`);
        seen.add(piece.buffer);
        // Whole rows only, so a piece can be handed over (or written) on its own.
        end += piece.length;
        const last = ends.get(end);
        if (last === undefined) {
          problems.push(`piece ${k}: ends inside a row`);
          break;
        }
        // The room reserved: a fixed piece, or for a longer row 3 bytes per UTF-16 unit (UTF-8 worst case) and a line feed.
        const longest = Math.max(...texts.slice(first, last + 1).map((text) => text.length));
        const room = Math.max(PIECE, 3 * longest + 1);
        if (piece.buffer.byteLength > room) problems.push(`piece ${k}: ${piece.buffer.byteLength} > ${room}`);
        if (longest * 3 > PIECE && texts[first]!.length !== longest)
          problems.push(`piece ${k}: a row over ${PIECE / 3} units does not start it`);
        first = last + 1;
      }
      expect(problems).toEqual([]);
      expect(end).toBe(at);
      expect(Buffer.concat(pieces).equals(Buffer.from(texts.join('')))).toBe(true);
    }
  });

  it('reports keys outside the schema, first seen first, and bounds how many it keeps', () => {
    const encoder = new RowEncoder('kitchen', KITCHEN, ['ndjson']);
    encoder.add({ id: '1', zeta: 'z' });
    encoder.add({ note: 'reordered', id: '2' }); // out of order, nothing extra
    encoder.add({ id: '3', alpha: 1, zeta: 'again', beta: null });
    const first = encoder.finish();
    expect(first.extraColumns).toEqual(['zeta', 'alpha', 'beta']);
    expect(first.rows).toBe(3);
    expect(first.records).toBeUndefined();
    expect(first.csv).toBeUndefined();
    expect(
      bytesOf(first.ndjson)
        .toString()
        .split('\n')
        .map((line) => line && Object.keys(JSON.parse(line))),
    ).toEqual([
      ['id', 'note', 'size', 'score', 'ok', 'at', 'tags', 'zeta'],
      ['id', 'note', 'size', 'score', 'ok', 'at', 'tags'],
      ['id', 'note', 'size', 'score', 'ok', 'at', 'tags', 'alpha', 'zeta', 'beta'],
      '',
    ]);
    const many = new RowEncoder('kitchen', KITCHEN, ['csv']);
    for (let i = 0; i < MAX_EXTRA_NAMES + 50; i++) many.add({ id: String(i), [`extra_${i}`]: 'x' });
    const names = many.finish().extraColumns;
    expect(names).toHaveLength(MAX_EXTRA_NAMES);
    expect(names.slice(0, 2)).toEqual(['extra_0', 'extra_1']);
    expect(new RowEncoder('kitchen', KITCHEN, ['ndjson']).finish()).toStrictEqual({
      rows: 0,
      ndjson: [],
      extraColumns: [],
    });
  });

  it('writes Parquet from the records it keeps: the same bytes as TableWriter.write', async () => {
    const formats: Format[] = ['ndjson', 'csv', 'parquet'];
    // Parquet files name their table inside, so the two ways go to two outputs, under one table name.
    const some = rows.slice(0, 400);
    const [a, b] = [tempDir('rows-parquet-direct'), tempDir('rows-parquet-encoded')];
    const direct = await openOutput({ dir: a, formats, rowGroupRows: 37, source: 'same' });
    await writeDirect(direct.table('kitchen', KITCHEN), some);
    const encoded = await openOutput({ dir: b, formats, rowGroupRows: 37, source: 'same' });
    const table = encoded.table('kitchen', KITCHEN);
    for (const batch of batches(some, [100, 1, 250])) {
      const part = encode(batch, KITCHEN, formats);
      expect(part.records).toHaveLength(batch.length);
      await table.writeEncoded(part);
    }
    await direct.finish();
    await encoded.finish();
    for (const name of ['kitchen.parquet', 'kitchen.ndjson', 'kitchen.csv', 'manifest.json']) {
      const want = readFileSync(join(a, name));
      expect(want.length).toBeGreaterThan(100);
      expect(readFileSync(join(b, name)).equals(want)).toBe(true);
    }
  });
});

describe('writeEncoded refuses rows that lack a format of the table', () => {
  const rows = kitchenRows(20);

  it.each<[string, Format[], Format[]]>([
    ['CSV missing', ['ndjson', 'csv'], ['ndjson']],
    ['NDJSON missing', ['ndjson', 'csv'], ['csv']],
    ['Parquet records missing', ['ndjson', 'parquet'], ['ndjson']],
    ['Parquet only, records missing', ['parquet'], ['ndjson', 'csv']],
  ])('%s: a WriterError naming the format', async (_, tableFormats, encodedFormats) => {
    const output = await openOutput({ dir: tempDir('rows-missing'), formats: tableFormats });
    const table = output.table('kitchen', KITCHEN);
    const error = await failure(() => table.writeEncoded(encode(rows, KITCHEN, encodedFormats)));
    expect(error).toBeInstanceOf(WriterError);
    expect(error).toMatchObject({ code: 'WRITER_BAD_VALUE' });
    const missing = tableFormats.find((f) => !encodedFormats.includes(f))!;
    expect((error as Error).message).toContain(`lack the ${missing} format`);
    await output.abort();
  });

  it('accepts rows with more formats than a table narrowed to fewer', async () => {
    const dir = tempDir('rows-narrow');
    const output = await openOutput({ dir, formats: ['ndjson', 'csv'] });
    await output
      .table('kitchen', KITCHEN, { formats: ['ndjson'] })
      .writeEncoded(encode(rows, KITCHEN, TEXT_FORMATS));
    await writeDirect(output.table('direct', KITCHEN, { formats: ['ndjson'] }), rows);
    await output.finish();
    expect(readFileSync(join(dir, 'kitchen.ndjson')).equals(readFileSync(join(dir, 'direct.ndjson')))).toBe(
      true,
    );
  });
});

describe('RowEncoder.add checks values as TableWriter.write does', () => {
  const fields = SCHEMAS.messages.fields;
  const BAD: [string, TypedRecord][] = [
    ['a number in a text field', { message_id: 'm2', body: 5 }],
    ['a number as an id', { message_id: 7 }],
    ['a list in a text field', { message_id: 'm2', subject: ['a'] }],
    ['a boolean in a text field', { message_id: 'm2', type: true }],
  ];

  it.each(BAD)('%s: WRITER_BAD_VALUE with the same message', async (_, bad) => {
    const encoder = new RowEncoder('messages', fields, ['ndjson', 'csv']);
    encoder.add({ message_id: 'm1' });
    const thrown = await failure(() => encoder.add(bad));
    expect(thrown).toBeInstanceOf(WriterError);
    expect(thrown).toMatchObject({ code: 'WRITER_BAD_VALUE' });
    expect((thrown as Error).message).toMatch(/^table messages, row 2, field \w+: expected /);

    const output = await openOutput({ dir: tempDir('rows-bad'), formats: ['ndjson'] });
    const table = output.table('messages', fields);
    await table.write({ message_id: 'm1' });
    const fromTable = await failure(() => table.write(bad));
    expect((thrown as Error).message).toBe((fromTable as Error).message);
    await output.abort();
  });

  it('a rejected record leaves no bytes behind', () => {
    const encoder = new RowEncoder('messages', fields, ['ndjson', 'csv', 'parquet']);
    encoder.add({ message_id: 'm1' });
    expect(() => encoder.add({ message_id: 'm2', body: 5 })).toThrow(WriterError);
    const { ndjson, csv, records: kept } = encoder.finish();
    expect(bytesOf(ndjson).toString()).toBe(
      '{"message_id":"m1","project_id":null,"candidate_id":null,"sender_profile_url":null,"subject":null,"body":null,"type":null}\n',
    );
    expect(bytesOf(csv).toString()).toBe('m1,,,,,,\n');
    expect(kept).toEqual([{ message_id: 'm1' }]);
  });

  // TableWriter counts a row only once its values pass (`rows`: "Rows accepted so far"), so a caller that
  // skips a bad record carries on with the right count and row numbers; RowEncoder counts the row first.
  it('a rejected record is not counted, in rows or in later row numbers', () => {
    const encoder = new RowEncoder('messages', fields, ['ndjson']);
    encoder.add({ message_id: 'm1' });
    expect(() => encoder.add({ message_id: 'm2', body: 5 })).toThrow(WriterError);
    encoder.add({ message_id: 'm3' });
    // TableWriter.write says "row 3" here, as the third row it would accept.
    expect(() => encoder.add({ message_id: 'm4', body: 6 })).toThrow(/row 3,/); // actual: "row 4,"
    expect(encoder.finish().rows).toBe(2); // actual: 4
  });

  it('says what a bad value is, never what it holds (a column may hold personal data)', () => {
    const encoder = new RowEncoder('messages', fields, ['ndjson']);
    expect(() => encoder.add({ message_id: 'm1', body: ['Jane Doe', 'jane@example.com'] })).toThrow(
      /field body: expected a string, got an array of 2;/,
    );
    expect(() => encoder.add({ message_id: 'm1', subject: 4242 })).toThrow(/got a number;/);
    let message = '';
    try {
      encoder.add({ message_id: 'm1', body: { name: 'Jane Doe' } as unknown as string });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/got an object;/);
    expect(message).not.toMatch(/Jane/);
  });
});
