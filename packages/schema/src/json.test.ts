import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTableDecoder, type TypedRecord } from './decoder.js';
import { encodeNdjsonLine, type JsonLineSink, writeNdjsonLine } from './json.js';
import { SCHEMAS, type TableName } from './tables.js';

/** A sink of small pieces, so rows often move on to a new one. */
class Pieces implements JsonLineSink {
  buffer = Buffer.alloc(0);
  length = 0;
  moves = 0;
  most = 0;
  private readonly done: Buffer[] = [];

  constructor(private readonly size: number) {}

  reserve(bytes: number): void {
    this.most = Math.max(this.most, bytes);
    if (this.length + bytes <= this.buffer.length) return;
    this.done.push(this.buffer.subarray(0, this.length));
    this.buffer = Buffer.alloc(Math.max(this.size, bytes));
    this.length = 0;
    this.moves += 1;
  }

  text(): string {
    return Buffer.concat([...this.done, this.buffer.subarray(0, this.length)]).toString('utf8');
  }
}

const names = (table: TableName) => SCHEMAS[table].fields.map((f) => f.name);
const FIELDS = names('feedbacks');

/** The line a writer puts schema fields first with: fields in order, then the record's other keys. */
function expectedLine(record: TypedRecord, table: TableName = 'feedbacks'): string {
  const fields = names(table);
  const known = new Set(fields);
  const keys = [...fields, ...Object.keys(record).filter((k) => !known.has(k))];
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k] ?? null)}`).join(',')}}\n`;
}

function decode(
  bytes: Buffer,
  chunk: number,
  options: { lines?: Pieces; fields?: string[]; table?: TableName } = {},
) {
  const decoder = createTableDecoder(options.table ?? 'feedbacks', {
    ...(options.lines ? { jsonLines: options.lines } : {}),
    ...(options.fields ? { fields: options.fields } : {}),
  });
  const items = [];
  for (let at = 0; at < bytes.length; at += chunk)
    items.push(...decoder.push(bytes.subarray(at, at + chunk)));
  items.push(...decoder.end());
  return { items, stats: decoder.stats };
}

// Every byte JSON escapes, bytes it does not (DEL, U+2028), multi-byte UTF-8, CSV quoting.
const unit = fc.constantFrom(
  'a',
  ' ',
  ',',
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\b',
  '\f',
  '\x01',
  '\x1f',
  '\x7f',
  'é',
  '\u2028',
  '😀',
  '/',
);
// Long cells are copied four bytes at a time: runs of plain text with a byte to escape anywhere, or none;
// the plain bytes next to those escaped ('!', '#', '[', ']') and those past ASCII among them.
const plainUnit = fc.constantFrom('a', 'Z', ' ', 'é', '😀', '/', ';', '!', '#', '[', ']', '\x7f', '¢');
const long = fc
  .tuple(
    fc.string({ unit: plainUnit, minLength: 16, maxLength: 90 }),
    fc.string({ unit, maxLength: 3 }),
    fc.nat(90),
  )
  .map(([text, odd, at]) => text.slice(0, at) + odd + text.slice(at));
const cell = fc.oneof(
  fc.constantFrom('', '7', '4.5', 'yes', 'no', 'true', '2021-01-26 17:45:00', '1611683100000', 'x;y', 'NaN'),
  fc.string({ unit }),
  fc.string({ unit, minLength: 16, maxLength: 60 }),
  long,
);
const quoted = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
/** A table with the fields in reverse order, then the extra columns, and the rows cut to that width. */
function csv(fields: string[], extras: string[], rows: string[][], eol: string): Buffer {
  const header = [...[...fields].reverse(), ...extras];
  const lines = [header, ...rows.map((r) => r.slice(0, header.length))];
  return Buffer.from(lines.map((r) => r.map(quoted).join(',')).join(eol));
}
// Extra columns JS objects list in another order: array indexes, __proto__, names JSON escapes.
const EXTRAS = ['zeta', '10', '__proto__', '2', 'a"b\\c', '4294967295', '007'];

describe('jsonLines: decoded records written as JSON straight from the bytes', () => {
  it.each<TableName>(['feedbacks', 'projects'])(
    '%s: each line is the record as JSON, for any text, type, extra column and chunking',
    (table) => {
      const fields = names(table);
      fc.assert(
        fc.property(
          fc.shuffledSubarray(EXTRAS),
          fc.array(fc.array(cell, { minLength: 18, maxLength: 18 }), { maxLength: 12 }),
          fc.integer({ min: 1, max: 300 }),
          fc.integer({ min: 1, max: 200 }),
          (extras, rows, chunk, piece) => {
            const bytes = csv(fields, extras, rows, '\r\n');
            const lines = new Pieces(piece);
            const plain = decode(bytes, bytes.length + 1, { table });
            const fast = decode(bytes, chunk, { lines, fields: [fields[1]!], table });
            const records = plain.items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
            expect(lines.text()).toBe(records.map((r) => expectedLine(r, table)).join(''));
            // The records path writes the same bytes, whatever order a record's fields come in.
            const schema = SCHEMAS[table].fields;
            const reordered = (r: TypedRecord) => {
              const entries = Object.entries(r);
              const field = ([key]: [string, unknown]) => fields.includes(key);
              return Object.fromEntries([
                ...entries.filter(field).reverse(),
                ...entries.filter((e) => !field(e)),
              ]);
            };
            const viaRecords = new Pieces(piece);
            for (const r of records) writeNdjsonLine(r, schema, viaRecords);
            for (const r of records) writeNdjsonLine(reordered(r), schema, viaRecords);
            expect(viaRecords.text()).toBe(lines.text().repeat(2));
            expect(records.map((r) => encodeNdjsonLine(r, schema)).join('')).toBe(lines.text());
            expect(fast.stats).toEqual(plain.stats);
            // Rejects are the same; records hold only the fields asked for.
            expect(fast.items.filter((i) => i.kind === 'reject')).toEqual(
              plain.items.filter((i) => i.kind === 'reject'),
            );
            expect(fast.items.flatMap((i) => (i.kind === 'record' ? [i.record] : []))).toEqual(
              records.map((r) => ({ [fields[1]!]: r[fields[1]!] })),
            );
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('lineStage: lines hold what the transform gives, the asRead columns as read, none for a null', () => {
    const table: TableName = 'projects';
    const fields = names(table);
    // Odd-length text changed (escapes and multi-byte added), 4-long text left out, the rest given back.
    const transform = (record: TypedRecord): TypedRecord | null => {
      if (Object.values(record).includes('x;y')) return null;
      const out: TypedRecord = {};
      for (const [key, value] of Object.entries(record)) {
        if (typeof value === 'string' && value.length === 4) continue;
        const next =
          typeof value === 'string' && value.length % 2 === 1 ? `${value.toUpperCase()}é"\n` : value;
        Object.defineProperty(out, key, {
          value: next,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.shuffledSubarray(EXTRAS),
        fc.array(fc.array(cell, { minLength: 18, maxLength: 18 }), { maxLength: 12 }),
        fc.shuffledSubarray([...fields, ...EXTRAS]),
        fc.integer({ min: 1, max: 300 }),
        (extras, rows, asRead, chunk) => {
          const bytes = csv(fields, extras, rows, '\n');
          const plain = decode(bytes, bytes.length + 1, { table });
          const lines = new Pieces(64);
          const seen: TypedRecord[] = [];
          const decoder = createTableDecoder(table, {
            jsonLines: lines,
            lineStage: {
              asRead,
              transform: (r) => {
                seen.push(r);
                return transform(r);
              },
            },
          });
          const items = [];
          for (let at = 0; at < bytes.length; at += chunk)
            items.push(...decoder.push(bytes.subarray(at, at + chunk)));
          items.push(...decoder.end());
          const records = plain.items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
          const without = (r: TypedRecord) =>
            Object.fromEntries(Object.entries(r).filter(([key]) => !asRead.includes(key)));
          expect(seen).toEqual(records.map(without));
          expect(items.flatMap((i) => (i.kind === 'record' ? [i.record] : []))).toEqual(seen);
          const expected = records.flatMap((r) => {
            const out = transform(without(r));
            if (out === null) return [];
            const line: TypedRecord = { ...r };
            for (const key of Object.keys(r)) {
              if (asRead.includes(key)) continue;
              const value = Object.hasOwn(out, key) ? out[key]! : null;
              Object.defineProperty(line, key, {
                value,
                enumerable: true,
                writable: true,
                configurable: true,
              });
            }
            return [expectedLine(line, table)];
          });
          expect(lines.text()).toBe(expected.join(''));
          expect(decoder.stats).toEqual(plain.stats);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lineStage: any string a stage gives is written as JSON.stringify writes it', () => {
    // Any UTF-16: lone surrogates, pairs, controls, quotes, every plane; long ones too.
    const units = fc.array(
      fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0x22, 0x5c, 0x0a, 0x7f, 0xd83d, 0xde00)),
      { maxLength: 60 },
    );
    // And text with nothing to escape, long enough for the runtime's encoder (see quoteString).
    const plain = fc.array(
      fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xd7ff })),
      { minLength: 30, maxLength: 120 },
    );
    const text = fc.oneof(units, plain).map((u) => String.fromCharCode(...u));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }), (pairs) => {
        const header = FIELDS.join(',');
        const rows = pairs.map((_, i) => `f${i},c1,p1,co,,body,,3,,,`);
        const lines = new Pieces(64);
        let row = 0;
        const decoder = createTableDecoder('feedbacks', {
          jsonLines: lines,
          lineStage: {
            asRead: [],
            transform: (r) => {
              const [a, b] = pairs[row++]!;
              return { ...r, feedback_id: a, message: `${a}${b}${a.length > 30 ? 'x'.repeat(5000) : ''}` };
            },
          },
        });
        const items = [...decoder.push(Buffer.from(`${header}\n${rows.join('\n')}`)), ...decoder.end()];
        const expected = items.map((item, i) => {
          if (item.kind !== 'record') throw new Error('rejected');
          const [a, b] = pairs[i]!;
          return expectedLine({
            ...item.record,
            feedback_id: a,
            message: `${a}${b}${a.length > 30 ? 'x'.repeat(5000) : ''}`,
          });
        });
        expect(lines.text()).toBe(expected.join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('rows far bigger than a piece, rejected rows between them', () => {
    const body = `"${'line one, "quoted" \\ end\n\x02\x01\x1f\x7fé😀'.repeat(5000).replaceAll('"', '""')}"`;
    const row = (id: string, score: string) => `${id},c1,p1,co,,${body},,${score},,,`;
    const text = `${FIELDS.join(',')}\n${row('f1', '3')}\n${row('f2', 'three')}\n${row('f3', '')}\n`;
    const lines = new Pieces(1024);
    const { items, stats } = decode(Buffer.from(text), 4096, { lines });
    expect([stats.rowsDecoded, stats.rowsRejected]).toEqual([2, 1]);
    const records = items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
    expect(records.map((r) => r.feedback_id)).toEqual(['f1', 'f3']);
    expect(lines.text()).toBe(records.map((r) => expectedLine(r)).join(''));
    expect(
      lines
        .text()
        .split('\n')
        .map((l) => l.length > 0 && JSON.parse(l).recommendation_score),
    ).toEqual([3, null, false]);
    expect(lines.moves).toBeGreaterThanOrEqual(2);
    // Long cells are measured: a row takes little more room than its line (not six times its bytes).
    const longest = Math.max(
      ...lines
        .text()
        .split('\n')
        .map((l) => Buffer.byteLength(l)),
    );
    expect(lines.most).toBeGreaterThan(longest);
    expect(lines.most).toBeLessThan(longest * 1.3);
  });

  it('options are checked', () => {
    expect(() => createTableDecoder('feedbacks', { jsonLines: {} as JsonLineSink })).toThrow(/jsonLines/);
    expect(() => createTableDecoder('feedbacks', { fields: 'a' as unknown as string[] })).toThrow(/fields/);
    const transform = (r: TypedRecord) => r;
    expect(() => createTableDecoder('feedbacks', { lineStage: { asRead: [], transform } })).toThrow(
      /"lineStage" needs "jsonLines"/,
    );
    const lines = new Pieces(64);
    const noList = { asRead: 'a', transform } as unknown as { asRead: string[]; transform: typeof transform };
    expect(() => createTableDecoder('feedbacks', { jsonLines: lines, lineStage: noList })).toThrow(
      /lineStage/,
    );
  });
});
