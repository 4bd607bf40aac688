import type { TypedRecord, Value } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { CountTally } from './counts.js';

/** A seeded stream of small integers. */
function picker(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
}

/** Each distinct combination once, with its rows, in order of first sight, from what `flush` gives. */
function flushed(tally: CountTally): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  tally.flush((values, rows, group) => {
    const counts = out[group] ?? new Map<string, number>();
    out[group] = counts;
    const key = JSON.stringify(values);
    expect(counts.has(key), key).toBe(false);
    counts.set(key, rows);
  });
  return out;
}

describe('CountTally', () => {
  it('counts rows decoded here and slices alike, with wide groups of many values and lists among them', () => {
    const pick = picker(5);
    const columns = ['a', 'b', 'c', 'd', 'tags'];
    const counted = { columns, chars: [0, 0, 0, 4, 0], groups: [[0, 1, 2, 3], [4], [1]] };
    const rows: TypedRecord[] = Array.from({ length: 20_000 }, () => ({
      // 300 values in a group of four: past the 7 bits each a one-number key holds.
      a: `a${pick(300)}`,
      b: pick(4) === 0 ? null : pick(3),
      c: pick(2) === 0,
      d: `${2000 + pick(40)}-01-01`,
      tags: pick(3) === 0 ? null : [`t${pick(3)}`, `t${pick(2)}`],
    }));
    const want = counted.groups.map((group) => {
      const counts = new Map<string, number>();
      for (const row of rows) {
        const values: TypedRecord = {};
        for (const c of group) {
          const v = row[columns[c]!] ?? null;
          values[columns[c]!] = c === 3 ? (v as string).slice(0, 4) : v;
        }
        const key = JSON.stringify(values);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    });
    // All here, one at a time.
    const here = new CountTally(counted);
    for (const row of rows) here.addRecord(row);
    expect(flushed(here)).toEqual(want);
    // The first thousand here, the rest as slices: distinct values coded per slice, lists as new arrays.
    const mixed = new CountTally(counted);
    for (const row of rows.slice(0, 1000)) mixed.addRecord(row);
    for (let start = 1000; start < rows.length; start += 3000) {
      const slice = rows.slice(start, start + 3000);
      const values: Value[] = [];
      const codeOf = new Map<string, number>();
      const code = (value: Value) => {
        const key = JSON.stringify(value);
        if (!codeOf.has(key)) {
          codeOf.set(key, values.length);
          values.push(Array.isArray(value) ? [...value] : value);
        }
        return codeOf.get(key)!;
      };
      const combos = counted.groups.map(() => [] as number[]);
      const counts = counted.groups.map(() => [] as number[]);
      for (const row of slice) {
        counted.groups.forEach((group, g) => {
          for (const c of group) {
            const v = row[columns[c]!] ?? null;
            combos[g]!.push(code(c === 3 ? (v as string).slice(0, 4) : v));
          }
          counts[g]!.push(1);
        });
      }
      mixed.addSlice(
        combos.map((c) => Uint32Array.from(c)),
        values,
        counts,
      );
    }
    expect(flushed(mixed)).toEqual(want);
  });
});
