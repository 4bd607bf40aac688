import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type ScannedRecord, Scanner } from './scanner.js';

// Plain cells are read four bytes at a time: each byte that ends a cell, or a quote, at any place in a
// word, and the bytes beside them ('+', '-', '!', '#', tab, \x0e) and past ASCII, must be found as a byte
// at a time finds them.
const unit = fc.constantFrom(
  'a',
  'Z',
  '0',
  ' ',
  '+',
  '-',
  '!',
  '#',
  '\t',
  '\x0b',
  '\x0e',
  '\x7f',
  'é',
  '😀',
  '"',
);
const cell = fc.string({ unit, maxLength: 40 }).filter((text) => !text.startsWith('"'));
const eol = fc.constantFrom('\n', '\r\n', '\r');

function scan(bytes: Buffer, chunk: number) {
  const rows: { cells: string[]; bare: boolean; line: number }[] = [];
  const scanner = new Scanner(1 << 20, (rec: ScannedRecord) => {
    const cells: string[] = [];
    for (let i = 0; i < rec.count; i += 1) cells.push(rec.buf.toString('utf8', rec.starts[i], rec.ends[i]));
    rows.push({ cells, bare: rec.bareQuote, line: rec.line });
  });
  for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, at + chunk));
  scanner.end();
  return rows;
}

it('unquoted cells: cut where a plain split cuts them, a quote inside told, in chunks of any size', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
      eol,
      fc.integer({ min: 1, max: 64 }),
      (rows, end, chunk) => {
        const text = rows.map((cells) => cells.join(',') + end).join('');
        const expected = rows
          .map((cells, r) => ({
            cells,
            bare: cells.some((c) => c.includes('"')),
            line: r + 1,
          }))
          // A line of one empty cell is no row.
          .filter(({ cells }) => cells.length > 1 || cells[0] !== '');
        const got = scan(Buffer.from(text), chunk);
        expect(got.map(({ cells, bare }) => ({ cells, bare }))).toEqual(
          expected.map(({ cells, bare }) => ({ cells, bare })),
        );
        expect(got.map((r) => r.line)).toEqual(expected.map((r) => r.line));
      },
    ),
    { numRuns: 500 },
  );
});
