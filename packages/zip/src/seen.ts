// The names an archive walk has seen, for duplicate checks. A 2 GB attachments part holds ~230,000 entries;
// a Set of their names took ~30 MB of JavaScript heap per part, kept to the end of the walk. Here each name
// is kept as a 128-bit fingerprint in one typed array (16 bytes a name, ~5 MB for such a part). A
// duplicate is never missed (equal names give equal fingerprints); two different names are taken for one
// only if all 128 bits agree, which for a million names has odds of about 1 in 10^26.

const LANES = 4;

/**
 * A table in memory V8 maps itself (a resizable ArrayBuffer) rather than one from malloc: freeing an outgrown
 * table of megabytes would make glibc raise its mmap threshold for the whole process, after which buffers
 * up to that size come from heap arenas that fragment and are rarely given back.
 */
const tableOf = (slots: number) =>
  // A view of fixed length: V8 takes a view that tracks a resizable buffer's length through slow paths
  // (adding 69,000 names took 65 ms, with a fixed length 20 ms).
  new Int32Array(new ArrayBuffer(slots * LANES * 4, { maxByteLength: slots * LANES * 4 }), 0, slots * LANES);

/** Murmur3's finalizer: every input bit flips about half of the output bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class NameSet {
  // Fingerprints, LANES int32s a slot; lane 0 is never 0 in a used slot, so 0 marks an empty one.
  #slots: Int32Array;
  #count = 0;
  // Random per set, so names crafted to fall into one slot (making every check a long search) cannot be
  // made in advance.
  readonly #seeds = Int32Array.from({ length: LANES }, () => (Math.random() * 0x100000000) | 0);
  readonly #print = new Int32Array(LANES);

  /** `expected`: how many names will be added, so the table is sized once rather than grown. */
  constructor(expected = 0) {
    let slots = 4096;
    while (slots * 3 < expected * 4 + 4) slots *= 2;
    this.#slots = tableOf(slots);
  }

  get size(): number {
    return this.#count;
  }

  /**
   * Adds `name` (its first `length` code units); false when it was there already. `fold`: A-Z taken as
   * a-z, as toLowerCase() would make them, without making the lowercase string.
   */
  add(name: string, fold = false, length = name.length): boolean {
    const print = this.#fingerprint(name, fold, length);
    let at = this.#find(this.#slots, print);
    if (this.#slots[at] !== 0) return false;
    if ((this.#count + 1) * 4 > (this.#slots.length / LANES) * 3) {
      this.#grow();
      at = this.#find(this.#slots, print);
    }
    const slots = this.#slots;
    slots[at] = print[0]!;
    slots[at + 1] = print[1]!;
    slots[at + 2] = print[2]!;
    slots[at + 3] = print[3]!;
    this.#count += 1;
    return true;
  }

  #fingerprint(name: string, fold: boolean, length: number): Int32Array {
    const seeds = this.#seeds;
    let a = seeds[0]!;
    let b = seeds[1]!;
    let c = seeds[2]!;
    let d = seeds[3]!;
    // Two UTF-16 code units a step: half the rounds, and still every bit of the name goes in.
    for (let i = 0; i < length; i += 2) {
      let low = name.charCodeAt(i);
      let high = i + 1 < length ? name.charCodeAt(i + 1) : 0;
      if (fold) {
        if (low - 65 < 26 && low >= 65) low += 32;
        if (high - 65 < 26 && high >= 65) high += 32;
      }
      const code = low | (high << 16);
      a = Math.imul(a ^ code, 0x85ebca6b);
      b = Math.imul(b ^ code, 0xc2b2ae35);
      c = Math.imul(c ^ code, 0x27d4eb2f);
      d = Math.imul(d ^ code, 0x165667b1);
      a = (a << 13) | (a >>> 19);
      b = (b << 15) | (b >>> 17);
      c = (c << 11) | (c >>> 21);
      d = (d << 17) | (d >>> 15);
    }
    const print = this.#print;
    print[0] = mix(a ^ length) || 1;
    print[1] = mix(b ^ length);
    print[2] = mix(c ^ length);
    print[3] = mix(d ^ length);
    return print;
  }

  /** The index of the slot holding `print`, or of the empty slot where it would go. */
  #find(slots: Int32Array, print: Int32Array): number {
    const count = slots.length / LANES;
    let slot = Math.floor(((print[0]! >>> 0) / 0x100000000) * count);
    for (;;) {
      const at = slot * LANES;
      if (slots[at] === 0) return at;
      if (
        slots[at] === print[0] &&
        slots[at + 1] === print[1] &&
        slots[at + 2] === print[2] &&
        slots[at + 3] === print[3]
      )
        return at;
      if (++slot === count) slot = 0;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = tableOf((old.length / LANES) * 2);
    for (let at = 0; at < old.length; at += LANES) {
      if (old[at] === 0) continue;
      const print = old.subarray(at, at + LANES);
      slots.set(print, this.#find(slots, print));
    }
    this.#slots = slots;
  }
}
