import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { type ScannedRecord, Scanner } from './scanner.js';

const require = createRequire(import.meta.url);
const spectrum = require('csv-spectrum') as (
  cb: (error: Error | null, items: { name: string; csv: Buffer; json: Buffer }[]) => void,
) => void;

const corpus = await new Promise<{ name: string; csv: Buffer; json: Buffer }[]>((resolve, reject) =>
  spectrum((error, items) => (error ? reject(error) : resolve(items))),
);

function rows(bytes: Buffer, broken: boolean[] = []): string[][] {
  const out: string[][] = [];
  const scanner = new Scanner(1 << 20, (rec: ScannedRecord) => {
    broken.push(rec.invalidQuote || rec.bareQuote || rec.unclosed);
    const row: string[] = [];
    for (let i = 0; i < rec.count; i += 1) {
      const text = rec.buf.toString('utf8', rec.starts[i], rec.ends[i]);
      row.push(rec.escaped[i] ? text.replaceAll('""', '"') : text);
    }
    out.push(row);
  });
  // One byte at a time: the hardest split there is.
  for (const byte of bytes) scanner.push(Uint8Array.of(byte));
  scanner.end();
  return out;
}

it('the corpus is there', () => expect(corpus.length).toBeGreaterThanOrEqual(12));

// Its CSV has bare quotes in an unquoted field (and its JSON a different phone number): not RFC 4180.
const NOT_STRICT = 'location_coordinates';

it.each(corpus.filter((c) => c.name !== NOT_STRICT).map((c) => [c.name, c] as const))(
  'csv-spectrum %s',
  (_name, item) => {
    const broken: boolean[] = [];
    const [header, ...body] = rows(item.csv, broken);
    expect(broken.every((b) => !b)).toBe(true);
    const objects = body.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]])));
    expect(objects).toEqual(JSON.parse(item.json.toString('utf8')));
  },
);

it('strict quoting flags the bare quotes of location_coordinates', () => {
  const item = corpus.find((c) => c.name === NOT_STRICT)!;
  const broken: boolean[] = [];
  const [, row] = rows(item.csv, broken);
  expect(broken).toEqual([false, true]);
  expect(row).toHaveLength(4);
});
