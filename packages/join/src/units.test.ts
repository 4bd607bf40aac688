// A partition built in pieces: every row in exactly one piece, a candidate's rows together and in file order,
// pieces in id order and of the size asked for, unless one candidate alone is bigger.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { rowHead } from './rows.js';
import { readUnit, unitsOf } from './units.js';

const work = mkdtempSync(join(tmpdir(), 'units-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Rows of candidates 1..40 interleaved (candidate 7 with far more bytes than the others), ids as JSON tokens. */
function partition(): { path: string; text: string; rows: string[] } {
  const rows: string[] = [];
  for (let round = 0; round < 30; round++) {
    for (let c = 1; c <= 40; c++) {
      if (round > 3 && c % 3 !== 0 && c !== 7) continue;
      const body = c === 7 ? 'x'.repeat(400) : `{"n":${round}}`;
      // Ids as strings and as numbers, as rows carry them; "10" sorts after "9".
      rows.push(`${rowHead('m', rows.length + 1, c % 2 ? `"${c}"` : String(c), 'null', 'null')}${body}`);
    }
  }
  const path = join(mkdtempSync(join(work, 'partition-')), '0.part');
  const text = `${rows.join('\n')}\n`;
  writeFileSync(path, text);
  return { path, text, rows };
}

const candidateOf = (row: string) => row.split('\t')[1]!.replaceAll('"', '');

it('keeps a partition of at most the size whole', () => {
  const { path, text } = partition();
  const size = Buffer.byteLength(text);
  expect(unitsOf(path, size, size)).toEqual([{ after: undefined, last: undefined, bytes: size }]);
});

it('cuts a bigger one into id ranges of at most the size, whose rows add up to the partition', () => {
  const { path, text, rows } = partition();
  const size = Buffer.byteLength(text);
  const most = 2000;
  const units = unitsOf(path, size, most);
  expect(units.length).toBeGreaterThan(5);
  expect(units.reduce((n, unit) => n + unit.bytes, 0)).toBe(size);
  const into = Buffer.alloc(size);
  const seen: string[] = [];
  let previous = 0;
  for (const unit of units) {
    const piece = readUnit(path, unit, into).toString('utf8');
    expect(Buffer.byteLength(piece)).toBe(unit.bytes);
    const lines = piece.split('\n').slice(0, -1);
    const ids = [...new Set(lines.map(candidateOf))].map(Number);
    // A piece over the size holds one candidate only (7, whose rows alone are more).
    if (unit.bytes > most) expect(ids).toEqual([7]);
    expect(Math.min(...ids)).toBeGreaterThan(previous);
    previous = Math.max(...ids);
    seen.push(...lines);
  }
  // Every row once; within a candidate, in file order.
  expect([...seen].sort()).toEqual([...rows].sort());
  for (let c = 1; c <= 40; c++) {
    const mine = (list: string[]) => list.filter((row) => candidateOf(row) === String(c));
    expect(mine(seen)).toEqual(mine(rows));
  }
});
