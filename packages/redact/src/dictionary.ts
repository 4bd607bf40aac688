// The known-value dictionary: what the export itself says about people, built in a first pass over the
// candidates table and saved to a file, which each worker thread's stage loads. Names are what no pattern
// can find, so they are the heart of it; phone numbers are added so a known number is found in any
// punctuation, even where it does not look like one. E-mails and LinkedIn URLs are left to the detectors,
// which find every one of them whatever whose it is (see README).
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IdMap, IdSet, type TypedRecord } from '@talent-export/schema';
import { RedactError } from './errors.js';
import { digits, nameWords } from './normalize.js';

const FORMAT = 'talent-export-redact-dictionary';

/** A phone number as the dictionary keeps it: its digits behind a 1, so a leading 0 survives as a number. */
export const phoneKey = (text: string): number | undefined => {
  const d = digits(text);
  return d.length >= 6 && d.length <= 15 ? Number(`1${d}`) : undefined;
};

/** Collects candidates' names and phones; `add` takes candidates records (others are ignored). */
export class DictionaryBuilder {
  readonly #seen = new IdSet();
  /** Ids in the order first seen, so the same export gives the same file. */
  readonly #ids: string[] = [];
  readonly #phrases = new Map<string, number>();
  /** Per phrase: 1 when it is some candidate's whole first or last name (matched in every row). */
  readonly #global: number[] = [];
  readonly #starts: number[] = [];
  readonly #refs: number[] = [];
  readonly #phones = new Set<number>();

  add(table: string, record: TypedRecord): void {
    if (table !== 'candidates') return;
    const id = record.candidate_id;
    if (typeof id !== 'string') return;
    for (const phone of list(record.phone_numbers)) {
      const key = phoneKey(phone);
      if (key !== undefined) this.#phones.add(key);
    }
    // One row per candidate and project: the first row names the candidate.
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.#ids.push(id);
    this.#starts.push(this.#refs.length);
    const first = typeof record.first_name === 'string' ? nameWords(record.first_name) : [];
    const last = typeof record.last_name === 'string' ? nameWords(record.last_name) : [];
    // Role by position: first, last (-1 when absent), then the words of a multi-word name, which are
    // matched only in the candidate's own rows ("van", "der", "Mary" alone are too common to scrub everywhere).
    this.#refs.push(this.#intern(first.join(' '), true), this.#intern(last.join(' '), true));
    for (const words of [first, last]) {
      if (words.length < 2) continue;
      for (const w of words) this.#refs.push(this.#intern(w, false));
    }
  }

  #intern(phrase: string, global: boolean): number {
    if (phrase === '') return -1;
    let index = this.#phrases.get(phrase);
    if (index === undefined) {
      index = this.#global.length;
      this.#phrases.set(phrase, index);
      this.#global.push(0);
    }
    if (global) this.#global[index] = 1;
    return index;
  }

  get candidates(): number {
    return this.#ids.length;
  }

  /** The dictionary as data: phrases and ids as text, everything else as typed arrays. */
  build(): DictionaryData {
    return {
      phrases: [...this.#phrases.keys()].join('\n'),
      global: Uint8Array.from(this.#global),
      ids: this.#ids.join(','),
      starts: Int32Array.from([...this.#starts, this.#refs.length]),
      refs: Int32Array.from(this.#refs),
      phones: Float64Array.from([...this.#phones].sort((a, b) => a - b)),
    };
  }

  /**
   * Writes the dictionary where the stage can load it (atomically: temp file, then rename), as sections of
   * bytes behind a small header, so that loading it copies arrays rather than parsing text.
   */
  async write(path: string): Promise<void> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      await writeFile(temp, encode(this.build()), { mode: 0o600 });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

const SECTIONS = ['phrases', 'global', 'ids', 'starts', 'refs', 'phones'] as const;

function encode(data: DictionaryData): Buffer {
  const parts = SECTIONS.map((name) => {
    const value = data[name];
    return typeof value === 'string'
      ? Buffer.from(value, 'utf8')
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  });
  const header = Buffer.from(
    JSON.stringify({ format: FORMAT, version: 2, sections: parts.map((p) => p.length) }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([length, header, ...parts]);
}

function decode(bytes: Buffer): DictionaryData {
  const headerLength = bytes.length >= 4 ? bytes.readUInt32LE(0) : 0;
  let header: { format?: unknown; version?: unknown; sections?: number[] } = {};
  try {
    header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength));
  } catch {}
  const sizes = header.sections;
  if (
    header.format !== FORMAT ||
    header.version !== 2 ||
    !Array.isArray(sizes) ||
    sizes.length !== SECTIONS.length
  ) {
    throw new RedactError(
      'REDACT_BAD_DICTIONARY',
      'the file is not a redaction dictionary of version 2; build it again with DictionaryBuilder',
    );
  }
  let at = 4 + headerLength;
  const next = () => {
    const size = sizes.shift()!;
    const part = bytes.subarray(at, at + size);
    at += size;
    return part;
  };
  // Copied into buffers of their own: aligned, and the file's bytes can go.
  const copy = (part: Buffer) => {
    const own = new ArrayBuffer(part.length);
    new Uint8Array(own).set(part);
    return own;
  };
  const phrases = next().toString('utf8');
  const global = new Uint8Array(copy(next()));
  const ids = next().toString('utf8');
  return {
    phrases,
    global,
    ids,
    starts: new Int32Array(copy(next())),
    refs: new Int32Array(copy(next())),
    phones: new Float64Array(copy(next())),
  };
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];

export interface DictionaryData {
  /** Distinct name phrases, folded, joined by newlines. */
  phrases: string;
  /** Per phrase: 1 when matched in every row (a whole first or last name), 0 in its candidate's only. */
  global: Uint8Array;
  /** Candidate ids joined by commas, in ordinal order. */
  ids: string;
  /** Where each candidate's references start in `refs` (one more entry than candidates). */
  starts: Int32Array;
  /** Phrase numbers: first, last (-1 when absent), then words of multi-word names. */
  refs: Int32Array;
  /** Known phone numbers as numbers (`phoneKey`), sorted. */
  phones: Float64Array;
}

/** The dictionary as the scrubber uses it: lookups only, compact per candidate. */
export class Dictionary {
  readonly phrases: readonly string[];
  readonly #index: Map<string, number>;
  readonly #global: Uint8Array;
  /** Hashes of the first words (see `wordHash`), a bit each: most words are ruled out with no string made. */
  readonly #firstBits = new Uint32Array(1 << (HASH_BITS - 5));
  /** Beginnings of longer phrases ("mary" of "mary ann"): a phrase grows only along them. */
  readonly prefixes: Set<string>;
  readonly maxWords: number;
  readonly #ordinals = new IdMap();
  readonly #starts: Int32Array;
  readonly #refs: Int32Array;
  readonly #phones: Float64Array;

  constructor(data: DictionaryData) {
    this.phrases = data.phrases === '' ? [] : data.phrases.split('\n');
    this.#index = new Map();
    this.prefixes = new Set();
    let most = 1;
    this.phrases.forEach((p, i) => {
      this.#index.set(p, i);
      const space = p.indexOf(' ');
      const first = space === -1 ? p : p.slice(0, space);
      const h = wordHash(first, 0, first.length);
      if (h !== -1) this.#firstBits[h >>> 5]! |= 1 << (h & 31);
      if (space !== -1) {
        const words = p.split(' ');
        for (let n = 1; n < words.length; n++) this.prefixes.add(words.slice(0, n).join(' '));
        if (words.length > most) most = words.length;
      }
    });
    this.maxWords = most;
    this.#global = data.global;
    this.#starts = data.starts;
    this.#refs = data.refs;
    this.#phones = data.phones;
    let ordinal = 0;
    let from = 0;
    const ids = data.ids;
    while (from < ids.length) {
      let to = ids.indexOf(',', from);
      if (to === -1) to = ids.length;
      this.#ordinals.set(ids.slice(from, to), ordinal++);
      from = to + 1;
    }
  }

  get candidates(): number {
    return this.#starts.length - 1;
  }

  /** The candidate's ordinal, or -1 for an id the candidates table does not hold. */
  ordinal(candidateId: string): number {
    return this.#ordinals.get(candidateId) ?? -1;
  }

  /** Whether text[start, end) may be a phrase's first word, in any case (always, for words beyond ASCII). */
  mayStart(text: string, start: number, end: number): boolean {
    const h = wordHash(text, start, end);
    return h === -1 || (this.#firstBits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }

  /** Whether a phrase starts with this (folded) word: it is a phrase, or begins a longer one. */
  startsPhrase(word: string): boolean {
    return this.#index.has(word) || this.prefixes.has(word);
  }

  /** A phrase's index, or -1. */
  phrase(folded: string): number {
    return this.#index.get(folded) ?? -1;
  }

  isGlobal(phrase: number): boolean {
    return this.#global[phrase] === 1;
  }

  /** Where the phrase stands among the candidate's names: 0 first, 1 last, 2 a word of either; -1 not theirs. */
  role(ordinal: number, phrase: number): number {
    if (ordinal < 0) return -1;
    const start = this.#starts[ordinal]!;
    const end = this.#starts[ordinal + 1]!;
    for (let i = start; i < end; i++) if (this.#refs[i] === phrase) return Math.min(i - start, 2);
    return -1;
  }

  /** The candidate's first or last name (folded). */
  nameOf(ordinal: number, role: 0 | 1): string | undefined {
    const ref = this.#refs[this.#starts[ordinal]! + role]!;
    return ref >= 0 ? this.phrases[ref] : undefined;
  }

  knownPhone(text: string): boolean {
    const key = phoneKey(text);
    if (key === undefined) return false;
    const phones = this.#phones;
    let lo = 0;
    let hi = phones.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = phones[mid]!;
      if (v === key) return true;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

const HASH_BITS = 23;

/**
 * FNV-1a of an ASCII word's code units, letters lower-cased, cut to HASH_BITS bits; -1 for a word beyond
 * ASCII, which only folding can compare.
 */
function wordHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c > 0x7f) return -1;
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> (32 - HASH_BITS);
}

/** Loads a dictionary file written by `DictionaryBuilder.write`. */
export function loadDictionary(path: string): Dictionary {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new RedactError(
      'REDACT_BAD_DICTIONARY',
      `the dictionary file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); build it again with DictionaryBuilder`,
      { cause: error },
    );
  }
  return new Dictionary(decode(bytes));
}
