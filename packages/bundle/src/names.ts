// The names of one archive, for duplicate checks, as 128-bit fingerprints in one flat table: 32 bytes a name
// at most, where a Set of the strings took ~100 (~25 MB for the ~230,000 entries of a 2 GB part).
import { hash } from 'node:crypto';

const WORDS = 4;
const FIRST_SLOTS = 1024;

/**
 * A table in memory V8 maps itself (a resizable ArrayBuffer), so that an outgrown or finished one is given
 * back at once: left to the garbage collector, the tables of finished parts (~16 MB a 2 GB part, with those
 * outgrown) piled up, and peak RSS grew with the number of parts. A view of fixed length: V8 reads a view
 * that tracks a resizable buffer's length through slow paths.
 */
const tableOf = (slots: number) =>
  new Uint32Array(new ArrayBuffer(slots * WORDS * 4, { maxByteLength: slots * WORDS * 4 }), 0, slots * WORDS);
const free = (table: Uint32Array) => (table.buffer as ArrayBuffer).resize(0);

export class NameSet {
  private table = tableOf(FIRST_SLOTS);
  private count = 0;
  /** Every name is looked up and then added: one fingerprint serves both. */
  private last: { key: string; print: Uint32Array } | undefined;

  has(key: string): boolean {
    return this.find(this.table, this.fingerprint(key)) < 0;
  }

  add(key: string): void {
    const print = this.fingerprint(key);
    const at = this.find(this.table, print);
    if (at < 0) return;
    this.table.set(print, at);
    this.count += 1;
    // Kept at most half full, so a probe ends after a slot or two.
    if (this.count * 2 > this.table.length / WORDS) this.grow();
  }

  /** The slot where `print` is (as -1) or would go. */
  private find(table: Uint32Array, print: Uint32Array): number {
    const slots = table.length / WORDS;
    for (let slot = print[1]! & (slots - 1); ; slot = (slot + 1) & (slots - 1)) {
      const at = slot * WORDS;
      if (table[at] === 0) return at;
      if (
        table[at] === print[0] &&
        table[at + 1] === print[1] &&
        table[at + 2] === print[2] &&
        table[at + 3] === print[3]
      ) {
        return -1;
      }
    }
  }

  private fingerprint(key: string): Uint32Array {
    if (this.last?.key !== key) this.last = { key, print: fingerprint(key) };
    return this.last.print;
  }

  /** Forgets every name and gives the table's memory back (the archive is finished). */
  clear(): void {
    free(this.table);
    this.table = tableOf(FIRST_SLOTS);
    this.count = 0;
    this.last = undefined;
  }

  private grow(): void {
    const old = this.table;
    this.table = tableOf((old.length / WORDS) * 2);
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at] === 0) continue;
      const print = old.subarray(at, at + WORDS);
      this.table.set(print, this.find(this.table, print));
    }
    free(old);
  }
}

/** MD5 of the key; the first word made odd, so 0 marks an empty slot. Names are not secret here. */
function fingerprint(key: string): Uint32Array {
  const digest = hash('md5', key, 'buffer');
  const print = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) print[i] = digest.readUInt32LE(i * 4);
  print[0] = (print[0]! | 1) >>> 0;
  return print;
}
