// The hash of a value's folded words: two 32-bit FNV-style lanes fed one character at a time, so that
// the scan hashes a word as it reads it; and the open-addressing table the hashes are kept in.
import { foldWord } from './normalize.js';

// Two 32-bit lanes of a word's hash, updated in place so that no string is made for an ASCII word.
export let h1 = 0;
export let h2 = 0;
export const begin = () => {
  h1 = 0x811c9dc5;
  h2 = 0x9747b28c;
};
export const feed = (c: number) => {
  h1 = Math.imul(h1 ^ c, 0x01000193);
  h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  h2 ^= h2 >>> 15;
};
/** The 52 bits of both lanes, as an exact double; never 0 (an empty slot). */
export const key = () => (h1 >>> 0) * 1_048_576 + (h2 >>> 12) || 1;

/** Feeds text[start, end) folded: ASCII lower-cased here, anything else through `foldWord`. */
export function feedWord(text: string, start: number, end: number): void {
  const s1 = h1;
  const s2 = h2;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c > 0x7f) {
      h1 = s1;
      h2 = s2;
      const folded = foldWord(text.slice(start, end));
      for (let j = 0; j < folded.length; j++) feed(folded.charCodeAt(j));
      return;
    }
    if (c >= 65 && c <= 90) c += 32;
    feed(c);
  }
}

/** Open addressing over exact doubles (never 0), each with a small number; grows at half full. */
export class HashTable {
  keys: Float64Array;
  values: Uint16Array;
  size = 0;
  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.values = new Uint16Array(capacity);
  }
  #slot(k: number): number {
    const mask = this.keys.length - 1;
    let i = Math.imul((k >>> 0) ^ Math.floor(k / 4_294_967_296), 0x9e3779b1) & mask;
    while (this.keys[i] !== 0 && this.keys[i] !== k) i = (i + 1) & mask;
    return i;
  }
  get(k: number): number {
    const i = this.#slot(k);
    return this.keys[i] === 0 ? -1 : this.values[i]!;
  }
  /** Sets a new key; an existing key keeps its value unless `max` and the new one is larger. */
  set(k: number, value: number, max = false): void {
    const i = this.#slot(k);
    if (this.keys[i] === 0) {
      this.keys[i] = k;
      this.values[i] = value;
      if (++this.size * 2 > this.keys.length) this.#grow();
    } else if (max && value > this.values[i]!) this.values[i] = value;
  }
  #grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Uint16Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, values[i]!);
  }
  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }
}
