// The names an archive walk has seen, for duplicate checks. A 2 GB attachments part holds ~230,000 entries;
// a Set of their names took ~30 MB of JavaScript heap per part, kept to the end of the walk. Here each name
// is kept as a 128-bit fingerprint in one typed array (16 bytes a name, ~5 MB for such a part). A
// duplicate is never missed (equal names give equal fingerprints); two different names are taken for one
// only if all 128 bits agree, which for a million names has odds of about 1 in 10^26.

const LANES = 4;
const MULTIPLIERS = [0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1];
const ROTATIONS = [13, 15, 11, 17];

/**
 * A table in memory V8 maps itself (a resizable ArrayBuffer) rather than one from malloc: freeing an outgrown
 * table of megabytes would make glibc raise its mmap threshold for the whole process, after which buffers
 * up to that size come from heap arenas that fragment and are rarely given back.
 */
const tableOf = (slots: number) =>
  new Int32Array(new ArrayBuffer(slots * LANES * 4, { maxByteLength: slots * LANES * 4 }));

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
  #slots = tableOf(4096);
  #count = 0;
  // Random per set, so names crafted to fall into one slot (making every check a long search) cannot be
  // made in advance.
  readonly #seeds = Int32Array.from({ length: LANES }, () => (Math.random() * 0x100000000) | 0);
  readonly #print = new Int32Array(LANES);

  get size(): number {
    return this.#count;
  }

  /** Adds `name`; false when it was there already. */
  add(name: string): boolean {
    const print = this.#fingerprint(name);
    let at = this.#find(this.#slots, print);
    if (this.#slots[at] !== 0) return false;
    if ((this.#count + 1) * 4 > (this.#slots.length / LANES) * 3) {
      this.#grow();
      at = this.#find(this.#slots, print);
    }
    this.#slots.set(print, at);
    this.#count += 1;
    return true;
  }

  #fingerprint(name: string): Int32Array {
    const print = this.#print;
    for (let lane = 0; lane < LANES; lane++) {
      let h = this.#seeds[lane]!;
      const m = MULTIPLIERS[lane]!;
      const r = ROTATIONS[lane]!;
      for (let i = 0; i < name.length; i++) {
        h = Math.imul(h ^ name.charCodeAt(i), m);
        h = (h << r) | (h >>> (32 - r));
      }
      print[lane] = mix(h ^ name.length);
    }
    if (print[0] === 0) print[0] = 1;
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
