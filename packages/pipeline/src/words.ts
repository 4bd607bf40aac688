// The words of names, for a caller that must know whether some text shares a word with any candidate's name
// (the report's labels) without keeping the names: the engine hashes the words of the columns named in
// `ReadOptions.words` where the rows are decoded, worker threads included, and hands the hashes on; a
// `WordFilter` of fixed size takes them. It may answer yes for a word no name holds, never no for one a
// name holds.

import { withoutControls } from '@talent-export/schema';

const ASCII = /^[\x20-\x7e]*$/;

/** Letters and digits, accents and case left out, two characters or more: words as a scrubber finds them. */
export function wordsOf(text: string): string[] {
  // Most names are ASCII: no accent to take off, no letter beyond a-z (normalizing every name and two
  // Unicode expressions were a quarter of a pass over the names).
  const words = ASCII.test(text)
    ? text.toLowerCase().split(/[^a-z0-9]+/)
    : text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u);
  return words.filter((word) => word.length >= 2);
}

/** A word's 32-bit FNV-1a hash (of its UTF-16 units). */
export function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Adds the hashes of a name's words (controls left out) to `into`. */
export function addNameWords(name: unknown, into: Set<number>): void {
  if (typeof name !== 'string' || name === '') return;
  for (const word of wordsOf(withoutControls(name))) into.add(wordHash(word));
}

/** Bits of a `WordFilter`: 8 Mbit (1 MiB), for a few hundred thousand distinct words at ~0.2% false yes. */
const BITS = 1 << 23;
const PROBES = 3;

/** A Bloom filter of word hashes, of fixed size whatever the number of names. */
export class WordFilter {
  private readonly bits = new Uint8Array(BITS / 8);

  addHashes(hashes: Iterable<number>): void {
    for (const hash of hashes) {
      // Double hashing, the second hash mixed from the first.
      const step = second(hash);
      for (let i = 0, at = hash; i < PROBES; i++, at += step) {
        const bit = at & (BITS - 1);
        this.bits[bit >>> 3]! |= 1 << (bit & 7);
      }
    }
  }

  /** Adds words as they are (see `wordsOf` for those of a text). */
  addWords(words: Iterable<string>): void {
    for (const word of words) this.addHashes([wordHash(word)]);
  }

  /** False when no name added holds `word`; true when one may. */
  mayHold(word: string): boolean {
    const hash = wordHash(word);
    const step = second(hash);
    for (let i = 0, at = hash; i < PROBES; i++, at += step) {
      const bit = at & (BITS - 1);
      if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}

const second = (hash: number): number => (Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0) | 1;
