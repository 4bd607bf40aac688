// The counted combinations of one table (ReadOptions `count`), gathered from every slice and every row
// decoded here, so that the `counted` hook sees each distinct combination of the whole table once, after
// its last row: slices send a project-by-stage pair again for each slice it is in (the report's hook was
// called ~240,000 times for a 100k-candidate export), and a caller need not add them up again.
import type { TypedRecord, Value } from '@talent-export/schema';
import type { Counted } from './options.js';
import { cutValue } from './slices/decode.js';

interface Group {
  /**
   * Combination -> its index, a map a column deep keyed by the columns' codes (small integers: a key made
   * of them all took a number beyond 31 bits, allocated and hashed as a double for every combination).
   */
  index: Map<number, unknown>;
  /** Combinations whose codes fit in one small integer (see `#add`) -> index. */
  small: Map<number, unknown>;
  /** The combinations' value codes, `width` a combination, in order of first sight. */
  codes: number[];
  rows: number[];
}

const SMALL_BITS = 30;

export class CountTally {
  /** Value (a list by its JSON text) -> code. */
  readonly #codes = new Map<unknown, number>();
  readonly #values: Value[] = [];
  readonly #groups: Group[];
  readonly #scratch: number[] = [];
  /** Per counted column: the value of the last record added here and its code (rows of a kind come together). */
  readonly #last: { value: Value | undefined; code: number }[];

  constructor(private readonly counted: Counted) {
    this.#groups = counted.groups.map(() => ({ index: new Map(), small: new Map(), codes: [], rows: [] }));
    this.#last = counted.columns.map(() => ({ value: undefined, code: -1 }));
  }

  /** A record decoded on this thread: its counted columns, each cut to its `chars`. */
  addRecord(record: TypedRecord): void {
    const { columns, chars, groups } = this.counted;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const codes = this.#scratch;
      codes.length = group.length;
      for (let k = 0; k < group.length; k++) {
        const c = group[k]!;
        codes[k] = this.#recordCode(c, cutValue(record[columns[c]!] ?? null, chars[c]!));
      }
      this.#add(g, codes, 0, group.length, 1);
    }
  }

  /** A slice's combinations (see `SliceResult.counted`): its value codes made this table's. */
  addSlice(
    counted: readonly Uint32Array[],
    values: readonly Value[],
    rows: readonly (readonly number[])[],
  ): void {
    const own = values.map((value) => this.#codeOf(value));
    const codes = this.#scratch;
    for (let g = 0; g < counted.length; g++) {
      const width = this.counted.groups[g]!.length;
      const slice = counted[g]!;
      const n = rows[g]!;
      codes.length = slice.length;
      for (let k = 0; k < slice.length; k++) codes[k] = own[slice[k]!]!;
      for (let r = 0; r < n.length; r++) this.#add(g, codes, r * width, width, n[r]!);
    }
  }

  /** Each distinct combination of each group, as a record of its columns (reused: read it, don't keep it). */
  flush(counted: (values: TypedRecord, rows: number, group: number) => void): void {
    const { columns, groups } = this.counted;
    groups.forEach((group, g) => {
      const { codes, rows } = this.#groups[g]!;
      const record: TypedRecord = {};
      for (let r = 0; r < rows.length; r++) {
        for (let k = 0; k < group.length; k++)
          record[columns[group[k]!]!] = this.#values[codes[r * group.length + k]!]!;
        counted(record, rows[r]!, g);
      }
    });
  }

  /** `#codeOf` of a record's value in column `c`, the last one's code again when it is the same. */
  #recordCode(c: number, value: Value): number {
    const last = this.#last[c]!;
    if (last.value !== undefined && sameValue(last.value, value)) return last.code;
    last.value = value;
    last.code = this.#codeOf(value);
    return last.code;
  }

  #codeOf(value: Value): number {
    const key = typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
    let code = this.#codes.get(key);
    if (code === undefined) {
      code = this.#values.length;
      this.#codes.set(key, code);
      this.#values.push(value);
    }
    return code;
  }

  #add(g: number, codes: readonly number[], from: number, width: number, n: number): void {
    const group = this.#groups[g]!;
    // The codes as one small integer while they fit in 30 bits (the rule: few distinct values), a
    // key V8 hashes at once; else a map a column deep.
    const bits = Math.floor(SMALL_BITS / width);
    let key = 0;
    let level = group.small;
    for (let k = 0; k < width; k++) {
      const code = codes[from + k]!;
      if (code >= 1 << bits) {
        level = this.#deep(group, codes, from, width);
        key = codes[from + width - 1]!;
        break;
      }
      key = (key << bits) | code;
    }
    let at = level.get(key) as number | undefined;
    if (at === undefined) {
      at = group.rows.length;
      level.set(key, at);
      group.rows.push(0);
      for (let k = 0; k < width; k++) group.codes.push(codes[from + k]!);
    }
    group.rows[at]! += n;
  }

  /** The map holding the last column's codes of combinations that begin with these codes. */
  #deep(group: Group, codes: readonly number[], from: number, width: number): Map<number, unknown> {
    let level = group.index;
    for (let k = 0; k < width - 1; k++) {
      const code = codes[from + k]!;
      let next = level.get(code) as Map<number, unknown> | undefined;
      if (next === undefined) level.set(code, (next = new Map()));
      level = next;
    }
    return level;
  }
}

/** Two values alike: lists (a new array for each record decoded here) item by item. */
function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
