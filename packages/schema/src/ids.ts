/** What a set of ids must answer: a plain `Set<string>` fits, and so does `IdSet`. */
export interface IdLookup extends Iterable<string> {
  has(id: string): boolean;
  readonly size: number;
}

/** What `numberOf` answers for an id that is not a plain decimal number. */
const NOT_A_NUMBER = -1;
/** The empty slot of a table of 32-bit keys (so 2^32 - 1 itself needs the wide keys). */
const NARROW_EMPTY = 0xffffffff;
/** The empty slot of a table of wide keys. */
const WIDE_EMPTY = -1;

/**
 * Memory for a table that grows big: a resizable ArrayBuffer is mapped by V8 itself, not taken from
 * malloc. Freeing a big malloc block (the table outgrown) makes glibc raise its mmap and trim thresholds
 * for the rest of the process, after which every thread keeps megabytes it no longer uses: on a 4x export
 * the candidate ids' growth alone left ~10 MB more resident to the end.
 */
function tableMemory(bytes: number): ArrayBuffer {
  return new ArrayBuffer(bytes, { maxByteLength: bytes });
}
/**
 * Gives an outgrown table's memory back at once: left to the garbage collector, which sees little of it,
 * the tables a 400,000-candidate map outgrew stayed resident (~10 MB) to the end of a walk.
 */
function releaseTable(view: ArrayBufferView): void {
  (view.buffer as ArrayBuffer).resize(0);
}
// Views of fixed length: V8 reads a view that tracks a resizable buffer's length through slow paths.
const keysOf = (slots: number, wide: boolean) =>
  wide
    ? new Float64Array(tableMemory(slots * 8), 0, slots).fill(WIDE_EMPTY)
    : new Uint32Array(tableMemory(slots * 4), 0, slots).fill(NARROW_EMPTY);
const valuesOf = (slots: number) => new Int32Array(tableMemory(slots * 4), 0, slots);

/** The number an id is kept as, when the id is that number's decimal spelling exactly; else NOT_A_NUMBER. */
function numberOf(id: string | number): number {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id >= 0 ? id : NOT_A_NUMBER;
  const length = id.length;
  if (length === 0 || length > 16 || (length > 1 && id.charCodeAt(0) === 48)) return NOT_A_NUMBER;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NOT_A_NUMBER;
    n = n * 10 + digit;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : NOT_A_NUMBER;
}

/**
 * The number an id spells exactly (plain decimal, no leading zero, at most 2^53 - 1), else undefined.
 * `IdMap`, `IdSet` and the reference checker take that number in place of the id: ids crossing threads
 * as numbers cost no string each.
 */
export function numericId(id: string): number | undefined {
  const n = numberOf(id);
  return n === NOT_A_NUMBER ? undefined : n;
}

/**
 * An id as a list typed or saved by hand gives it: one a spreadsheet or pandas wrote with decimals
 * (`1000000003.0`, how they write a whole number of a column they took for numbers) is the whole number it
 * is; any other text is kept as it is. For lists of ids people ask for, never for the export's own cells
 * (there `12.0` is reported, not read as `12`).
 */
export const wholeId = (id: string): string => (/^\d+\.0+$/.test(id) ? id.slice(0, id.indexOf('.')) : id);

/**
 * An id without spaces around it, without zeros before its digits, without the `.0` a spreadsheet gives
 * a number it saved (`123.0`) and out of the text formula a tool wraps it in (`="123"`): ids are matched
 * exactly, and two that are the same only in this loose sense (`"123 "`, `"0123"`, `"123.0"`, `="123"` for
 * 123) are told, not taken for one another.
 */
export function looseId(id: string): string {
  let loose = id.trim();
  // A formula some tools write for a spreadsheet to keep an id as text: `="0123"`.
  const formula = TEXT_FORMULA.exec(loose);
  if (formula) loose = formula[1]!.trim();
  if (SAVED_NUMBER.test(loose)) loose = loose.replace(/\.0+$/, '');
  return loose.charCodeAt(0) === 0x30 ? loose.replace(/^0+(?=\d)/, '') : loose;
}

const TEXT_FORMULA = /^="(.*)"$/;
/** Digits with a fraction of zeros only: a spreadsheet's way of writing an id it read as a number. */
const SAVED_NUMBER = /^\d+\.0+$/;

/**
 * A slot in [0, slots) for `n`: a 32-bit hash scaled down, so tables may have any number of slots. The
 * seed differs per table, so ids crafted to collide (and make every lookup a long search) cannot be made
 * in advance.
 */
function slotOf(n: number, slots: number, seed: number): number {
  const high = Math.floor(n / 0x100000000);
  const hash = Math.imul((n >>> 0) ^ Math.imul(high ^ seed, 0x85ebca6b), 0x9e3779b1) >>> 0;
  return Math.floor((hash / 0x100000000) * slots);
}

/** The slot of `keys` holding `n`, or the empty slot where it would go (open addressing, see `slotOf`). */
function findSlot(keys: Uint32Array | Float64Array, empty: number, seed: number, n: number): number {
  let slot = slotOf(n, keys.length, seed);
  while (keys[slot] !== n && keys[slot] !== empty) if (++slot === keys.length) slot = 0;
  return slot;
}

/**
 * An `IdMap`'s ids as they can be sent to another thread (structured-cloneable): a copy of its table, read
 * there by `IdView`. For checks run where rows are decoded against a set that no longer changes.
 */
export interface SharedIds {
  readonly keys: Uint32Array | Float64Array;
  readonly empty: number;
  readonly seed: number;
  /** The ids that are not plain decimal numbers. */
  readonly others: readonly string[];
}

/** Reads `SharedIds`: `has` answers as the `IdMap` it was copied from did. */
export class IdView {
  readonly #shared: SharedIds;
  readonly #others: ReadonlySet<string>;

  constructor(shared: SharedIds) {
    this.#shared = shared;
    this.#others = new Set(shared.others);
  }

  /** `id` may also be given as its `numericId`. */
  has(id: string | number): boolean {
    const n = numberOf(id);
    if (n === NOT_A_NUMBER) return this.#others.has(id as string);
    const { keys, empty, seed } = this.#shared;
    if (empty === NARROW_EMPTY && n >= NARROW_EMPTY) return false;
    return keys[findSlot(keys, empty, seed, n)] === n;
  }
}

/**
 * Ids (e.g. candidate ids) in a fraction of the memory of a `Set<string>`: ids written as plain decimal
 * numbers, which exports use, sit in one open-addressed table (see `tableMemory`) grown by half when 80%
 * full: 32-bit keys while every id is below 2^32 - 1 (5-8 bytes an id instead of ~60, and off the
 * JavaScript heap, so garbage collection never walks them), 64-bit ones from the first id that is not.
 * Any other id falls back to a string map. Each id carries a 32-bit integer, so one table serves as a set
 * and as a map.
 */
export class IdMap implements IdLookup {
  #keys: Uint32Array | Float64Array = keysOf(1024, false);
  #empty = NARROW_EMPTY;
  // Made on the first non-zero value: a set needs none.
  #values: Int32Array | undefined;
  #count = 0;
  readonly #seed = (Math.random() * 0x100000000) >>> 0;
  readonly #others = new Map<string, number>();

  get size(): number {
    return this.#count + this.#others.size;
  }

  /** `id` may also be given as its `numericId`. */
  has(id: string | number): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string | number): number | undefined {
    const n = numberOf(id);
    if (n === NOT_A_NUMBER) return this.#others.get(id as string);
    if (this.#empty === NARROW_EMPTY && n >= NARROW_EMPTY) return undefined;
    const slot = this.#find(n);
    return this.#keys[slot] === n ? (this.#values?.[slot] ?? 0) : undefined;
  }

  set(id: string | number, value: number): this {
    const n = numberOf(id);
    if (n === NOT_A_NUMBER) {
      this.#others.set(id as string, value);
      return this;
    }
    if (this.#empty === NARROW_EMPTY && n >= NARROW_EMPTY) this.#rehash(this.#keys.length, true);
    let slot = this.#find(n);
    if (this.#keys[slot] !== n) {
      if ((this.#count + 1) * 5 > this.#keys.length * 4) {
        this.#rehash(Math.floor(this.#keys.length * 1.5), this.#empty === WIDE_EMPTY);
        slot = this.#find(n);
      }
      this.#keys[slot] = n;
      this.#count += 1;
    }
    if (value !== 0) this.#values ??= valuesOf(this.#keys.length);
    if (this.#values) this.#values[slot] = value;
    return this;
  }

  /** A copy of the ids, to look up in another thread (see `IdView`); values are not copied. */
  share(): SharedIds {
    return {
      keys: this.#keys.slice(),
      empty: this.#empty,
      seed: this.#seed,
      others: [...this.#others.keys()],
    };
  }

  *entries(): IterableIterator<[string, number]> {
    const keys = this.#keys;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] !== this.#empty) yield [String(keys[slot]), this.#values?.[slot] ?? 0];
    }
    yield* this.#others;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  /** The ids that spell no plain number (`numericId`): kept apart, listed without the others. */
  texts(): IterableIterator<string> {
    return this.#others.keys();
  }

  /** The slot holding `n`, or the empty slot where it would go. */
  #find(n: number): number {
    return findSlot(this.#keys, this.#empty, this.#seed, n);
  }

  #rehash(slots: number, wide: boolean): void {
    const keys = this.#keys;
    const values = this.#values;
    const empty = this.#empty;
    this.#keys = keysOf(slots, wide);
    this.#empty = wide ? WIDE_EMPTY : NARROW_EMPTY;
    this.#values = values && valuesOf(slots);
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] === empty) continue;
      const to = this.#find(keys[slot]!);
      this.#keys[to] = keys[slot]!;
      if (values) this.#values![to] = values[slot]!;
    }
    releaseTable(keys);
    if (values) releaseTable(values);
  }
}

/** An `IdMap` used as a set of ids. */
export class IdSet extends IdMap {
  add(id: string | number): this {
    return this.set(id, 0);
  }
}
