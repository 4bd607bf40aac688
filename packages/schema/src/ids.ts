/** What a set of ids must answer: a plain `Set<string>` fits, and so does `IdSet`. */
export interface IdLookup extends Iterable<string> {
  has(id: string): boolean;
  readonly size: number;
}

const EMPTY = -1;

/**
 * Memory for a table that grows big: a resizable ArrayBuffer is mapped by V8 itself, not taken from
 * malloc. Freeing a big malloc block (the table outgrown) makes glibc raise its mmap and trim thresholds
 * for the rest of the process, after which every thread keeps megabytes it no longer uses: on a 4x export
 * the candidate ids' growth alone left ~10 MB more resident to the end.
 */
function tableMemory(bytes: number): ArrayBuffer {
  return new ArrayBuffer(bytes, { maxByteLength: bytes });
}
const keysOf = (slots: number) => new Float64Array(tableMemory(slots * 8)).fill(EMPTY);
const valuesOf = (slots: number) => new Int32Array(tableMemory(slots * 4));

/** The number an id is kept as, when the id is that number's decimal spelling exactly; else -1. */
function numberOf(id: string): number {
  const length = id.length;
  if (length === 0 || length > 16 || (length > 1 && id.charCodeAt(0) === 48)) return EMPTY;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return EMPTY;
    n = n * 10 + digit;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : EMPTY;
}

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

/**
 * Ids (e.g. candidate ids) in a fraction of the memory of a `Set<string>`: ids written as plain decimal
 * numbers, which exports use, sit in one open-addressed Float64Array (see `tableMemory`) grown by half
 * when 80% full (10-15 bytes an id instead of ~60, and off the JavaScript heap, so garbage collection
 * never walks them); any other id falls back to a string map. Each id carries a 32-bit integer, so one
 * table serves as a set and as a map.
 */
export class IdMap implements IdLookup {
  #keys = keysOf(1024);
  // Made on the first non-zero value: a set needs none.
  #values: Int32Array | undefined;
  #count = 0;
  readonly #seed = (Math.random() * 0x100000000) >>> 0;
  readonly #others = new Map<string, number>();

  get size(): number {
    return this.#count + this.#others.size;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  get(id: string): number | undefined {
    const n = numberOf(id);
    if (n === EMPTY) return this.#others.get(id);
    const slot = this.#find(n);
    return this.#keys[slot] === n ? (this.#values?.[slot] ?? 0) : undefined;
  }

  set(id: string, value: number): this {
    const n = numberOf(id);
    if (n === EMPTY) {
      this.#others.set(id, value);
      return this;
    }
    let slot = this.#find(n);
    if (this.#keys[slot] !== n) {
      if ((this.#count + 1) * 5 > this.#keys.length * 4) {
        this.#grow();
        slot = this.#find(n);
      }
      this.#keys[slot] = n;
      this.#count += 1;
    }
    if (value !== 0) this.#values ??= valuesOf(this.#keys.length);
    if (this.#values) this.#values[slot] = value;
    return this;
  }

  *entries(): IterableIterator<[string, number]> {
    const keys = this.#keys;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] !== EMPTY) yield [String(keys[slot]), this.#values?.[slot] ?? 0];
    }
    yield* this.#others;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  /** The slot holding `n`, or the empty slot where it would go. */
  #find(n: number): number {
    const keys = this.#keys;
    let slot = slotOf(n, keys.length, this.#seed);
    while (keys[slot] !== n && keys[slot] !== EMPTY) if (++slot === keys.length) slot = 0;
    return slot;
  }

  #grow(): void {
    const keys = this.#keys;
    const values = this.#values;
    const slots = Math.floor(keys.length * 1.5);
    this.#keys = keysOf(slots);
    this.#values = values && valuesOf(slots);
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] === EMPTY) continue;
      const to = this.#find(keys[slot]!);
      this.#keys[to] = keys[slot]!;
      if (values) this.#values![to] = values[slot]!;
    }
  }
}

/** An `IdMap` used as a set of ids. */
export class IdSet extends IdMap {
  add(id: string): this {
    return this.set(id, 0);
  }
}
