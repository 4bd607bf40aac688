import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createTableDecoder, type Decoded } from './decoder.js';

// Cells that exercise every path: quotes, separators, CR/LF, multi-byte UTF-8, numbers, bad values.
const cellText = fc.oneof(
  fc.constantFrom('', 'a', '007', ' x ', '4.5', 'abc', 'true', 'no', '2021-01-26 17:45:00', '1611683100000'),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ';', 'é', '😀', ' ', '\u00a0') }),
);
const cell = fc
  .tuple(cellText, fc.boolean())
  .map(([text, quote]) => (quote || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text));
// Mostly well-formed rows, sometimes a raw cell (bad quoting) or a wrong field count.
const row = fc.oneof(
  { weight: 8, arbitrary: fc.array(cell, { minLength: 11, maxLength: 11 }) },
  { weight: 1, arbitrary: fc.array(cellText, { minLength: 10, maxLength: 12 }) },
);
const eol = fc.constantFrom('\n', '\r\n', '\r');

const HEADER =
  'feedback_id,candidate_id,project_id,company,requester_role,message,feedback_response,recommendation_score,approved_for_referral,requester_profile_url,requestee_profile_url';

function decode(chunks: Uint8Array[], lenientQuotes = false): { items: Decoded[]; stats: unknown } {
  const decoder = createTableDecoder('feedbacks', { lenientQuotes });
  const items = chunks.flatMap((chunk) => decoder.push(chunk));
  items.push(...decoder.end());
  return { items, stats: decoder.stats };
}

/** Line breaks (LF, CRLF, lone CR) before `offset`: what an editor's line number of that byte is, less one. */
function breaksBefore(bytes: Buffer, offset: number): number {
  return (
    bytes
      .subarray(0, offset)
      .toString('latin1')
      .split(/\r\n|\r|\n/).length - 1
  );
}

it("output does not depend on where the chunks split; a row's line is its start's line in an editor", () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.tuple(row, eol), { maxLength: 8 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.boolean(),
      (bom, rows, lastEol, cuts, lenient) => {
        let text = `${bom ? '\uFEFF' : ''}${HEADER}\r\n`;
        rows.forEach(([cells, end], i) => {
          text += cells.join(',') + (i < rows.length - 1 || lastEol ? end : '');
        });
        const bytes = Buffer.from(text);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(Uint8Array.prototype.slice.call(bytes, at, p));
          at = p;
        }
        const whole = decode([bytes], lenient);
        expect(decode(chunks, lenient)).toEqual(whole);
        const stats = whole.stats as { rowsRead: number; rowsDecoded: number; rowsRejected: number };
        expect(stats.rowsRead).toBe(stats.rowsDecoded + stats.rowsRejected);
        expect(whole.items).toHaveLength(stats.rowsRead);
        for (const item of whole.items) {
          const { line, offset } = item.kind === 'record' ? item : item.reject;
          expect(line).toBe(breaksBefore(bytes, offset) + 1);
        }
      },
    ),
    { numRuns: 400 },
  );
});

it('decoded text round-trips: quoted free text comes back exactly', () => {
  const text = fc.string({
    unit: fc.oneof(fc.constantFrom('"', ',', '\r', '\n'), fc.string({ unit: 'grapheme', maxLength: 1 })),
  });
  fc.assert(
    fc.property(fc.array(fc.tuple(text, text), { maxLength: 6 }), (rows) => {
      const q = (c: string) => `"${c.replaceAll('"', '""')}"`;
      const lines = rows.map(([message, response], i) => `f${i},c,p,co,,${q(message)},${q(response)},,,,`);
      const bytes = Buffer.from(`${HEADER}\n${lines.join('\n')}`);
      const { items } = decode([...bytes].map((b) => Uint8Array.of(b)));
      const got = items.map((i) =>
        i.kind === 'record' ? [i.record.message, i.record.feedback_response] : i,
      );
      expect(got).toEqual(rows.map((pair) => pair.map((c) => (c === '' ? null : c))));
    }),
    { numRuns: 200 },
  );
});

it('long records over many uneven chunks decode as in one piece', () => {
  let seed = 42;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  let text = `${HEADER}\n`;
  for (let i = 0; i < 60; i += 1) {
    const body = 'ab,"c"\né😀 '.repeat(rand(4) === 0 ? rand(12000) : rand(300));
    text += `f${i},c,p,co,,"${body.replaceAll('"', '""')}",${rand(20) === 0 ? 'x"' : 'y'},,,,${i % 7 === 0 ? '\r\n' : '\n'}`;
  }
  const bytes = Buffer.from(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + rand(rand(2) === 0 ? 200 : 40_000);
    chunks.push(Uint8Array.prototype.slice.call(bytes, at, at + size));
    at += size;
  }
  expect(bytes.length).toBeGreaterThan(1_000_000);
  const whole = decode([bytes]);
  expect((whole.stats as { rowsRead: number }).rowsRead).toBeGreaterThan(1);
  expect(decode(chunks)).toEqual(whole);
});
