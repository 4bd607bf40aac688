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
import { digits, fold, nameWords } from './normalize.js';

const FORMAT = 'talent-export-redact-dictionary';

/** A phone number as the dictionary keeps it: its digits behind a 1, so a leading 0 survives as a number. */
export const phoneKey = (text: string): string | undefined => {
  const d = digits(text);
  return d.length >= 6 && d.length <= 15 ? `1${d}` : undefined;
};

interface Entry {
  first: string;
  last: string;
  words: string[];
}

/** Collects candidates' names and phones; `add` takes candidates records (others are ignored). */
export class DictionaryBuilder {
  readonly #ids = new IdSet();
  /** Ids in the order first seen, so the same export gives the same file. */
  readonly #order: string[] = [];
  readonly #entries: Entry[] = [];
  readonly #phones = new IdSet();

  add(table: string, record: TypedRecord): void {
    if (table !== 'candidates') return;
    const id = record.candidate_id;
    if (typeof id !== 'string') return;
    for (const phone of list(record.phone_numbers)) {
      const key = phoneKey(phone);
      if (key) this.#phones.add(key);
    }
    // One row per candidate and project: the first row names the candidate.
    if (this.#ids.has(id)) return;
    const first = typeof record.first_name === 'string' ? fold(record.first_name) : '';
    const last = typeof record.last_name === 'string' ? fold(record.last_name) : '';
    const words = [...nameWords(first), ...nameWords(last)];
    this.#ids.add(id);
    this.#order.push(id);
    this.#entries.push({ first: wordsOf(first), last: wordsOf(last), words });
  }

  get candidates(): number {
    return this.#entries.length;
  }

  /** The dictionary as data: phrases (global ones first), per-candidate references, known phones. */
  build(): DictionaryData {
    // Whole first names, last names and full names are everyone's (a candidate's full name in another
    // candidate's notes is a person); single words of a multi-word name are matched only in that
    // candidate's own rows ("van", "der", "Mary" alone are too common to scrub everywhere).
    const global = new Set<string>();
    for (const e of this.#entries) {
      if (e.first) global.add(e.first);
      if (e.last) global.add(e.last);
      if (e.first && e.last) global.add(`${e.first} ${e.last}`);
    }
    const own = new Set<string>();
    for (const e of this.#entries) for (const w of e.words) if (!global.has(w)) own.add(w);
    const phrases = [...global, ...own];
    const index = new Map(phrases.map((p, i) => [p, i]));
    const ids: string[] = [];
    const refs: number[][] = [];
    this.#order.forEach((id, ordinal) => {
      const e = this.#entries[ordinal]!;
      const full = e.first && e.last ? `${e.first} ${e.last}` : '';
      // Role by position: first, last, full (-1 when absent), then the words.
      const role = [e.first, e.last, full].map((p) => (p ? index.get(p)! : -1));
      ids.push(id);
      refs.push([...role, ...new Set(e.words.map((w) => index.get(w)!))]);
    });
    return {
      format: FORMAT,
      version: 1,
      phrases,
      global: global.size,
      ids,
      refs,
      phones: [...this.#phones].sort(),
    };
  }

  /** Writes the dictionary where the stage can load it (atomically: temp file, then rename). */
  async write(path: string): Promise<void> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      await writeFile(temp, JSON.stringify(this.build()), { mode: 0o600 });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

const wordsOf = (name: string) => nameWords(name).join(' ');
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];

export interface DictionaryData {
  format: typeof FORMAT;
  version: 1;
  phrases: string[];
  global: number;
  ids: string[];
  refs: number[][];
  phones: string[];
}

/** The dictionary as the scrubber uses it: lookups only, compact per candidate. */
export class Dictionary {
  readonly phrases: readonly string[];
  readonly #index: Map<string, number>;
  readonly #global: number;
  /** Words a phrase can start with, so most words cost one lookup. */
  readonly firstWords: Set<string>;
  /** Hashes of the first words (see `wordHash`), a bit each: most words are ruled out with no string made. */
  readonly #firstBits = new Uint32Array(1 << (HASH_BITS - 5));
  /** Beginnings of longer phrases ("mary", "mary ann" of "mary ann smith"): a phrase grows only along them. */
  readonly prefixes: Set<string>;
  readonly maxWords: number;
  readonly #ordinals = new IdMap();
  readonly #starts: Int32Array;
  readonly #refs: Int32Array;
  readonly #phones = new IdSet();

  constructor(data: DictionaryData) {
    this.phrases = data.phrases;
    this.#index = new Map(data.phrases.map((p, i) => [p, i]));
    this.#global = data.global;
    this.firstWords = new Set();
    this.prefixes = new Set();
    let most = 1;
    for (const p of data.phrases) {
      const words = p.split(' ');
      this.firstWords.add(words[0]!);
      const h = wordHash(words[0]!, 0, words[0]!.length);
      this.#firstBits[h >>> 5]! |= 1 << (h & 31);
      for (let n = 1; n < words.length; n++) this.prefixes.add(words.slice(0, n).join(' '));
      if (words.length > most) most = words.length;
    }
    this.maxWords = most;
    this.#starts = new Int32Array(data.ids.length + 1);
    let total = 0;
    for (const r of data.refs) total += r.length;
    this.#refs = new Int32Array(total);
    let at = 0;
    data.ids.forEach((id, i) => {
      this.#ordinals.set(id, i);
      this.#starts[i] = at;
      for (const ref of data.refs[i]!) this.#refs[at++] = ref;
    });
    this.#starts[data.ids.length] = at;
    for (const phone of data.phones) this.#phones.add(phone);
  }

  get candidates(): number {
    return this.#starts.length - 1;
  }

  /** The candidate's ordinal, or -1 for an id the candidates table does not hold. */
  ordinal(candidateId: string): number {
    return this.#ordinals.get(candidateId) ?? -1;
  }

  /** Whether text[start, end) (ASCII) may be a phrase's first word, in any case. */
  mayStart(text: string, start: number, end: number): boolean {
    const h = wordHash(text, start, end);
    return (this.#firstBits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }

  /** A phrase's index, or -1. */
  phrase(folded: string): number {
    return this.#index.get(folded) ?? -1;
  }

  isGlobal(phrase: number): boolean {
    return phrase < this.#global;
  }

  /** Where the phrase stands among the candidate's names: 0 first, 1 last, 2 full, 3 a word; -1 not theirs. */
  role(ordinal: number, phrase: number): number {
    if (ordinal < 0) return -1;
    const end = this.#starts[ordinal + 1]!;
    for (let i = this.#starts[ordinal]!; i < end; i++) {
      if (this.#refs[i] === phrase) return Math.min(i - this.#starts[ordinal]!, 3);
    }
    return -1;
  }

  /** The candidate's first, last or full name (folded), by role. */
  nameOf(ordinal: number, role: 0 | 1): string | undefined {
    const ref = this.#refs[this.#starts[ordinal]! + role]!;
    return ref >= 0 ? this.phrases[ref] : undefined;
  }

  knownPhone(text: string): boolean {
    const key = phoneKey(text);
    return key !== undefined && this.#phones.has(key);
  }
}

const HASH_BITS = 23;

/** FNV-1a of a word's code units, ASCII letters lower-cased, cut to HASH_BITS bits. */
function wordHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> (32 - HASH_BITS);
}

/** Loads a dictionary file written by `DictionaryBuilder.write`. */
export function loadDictionary(path: string): Dictionary {
  let data: DictionaryData;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as DictionaryData;
  } catch (error) {
    throw new RedactError(
      'REDACT_BAD_DICTIONARY',
      `the dictionary file cannot be read (${(error as Error).message.slice(0, 80)}); build it again with DictionaryBuilder`,
      { cause: error },
    );
  }
  if (data?.format !== FORMAT || data.version !== 1) {
    throw new RedactError(
      'REDACT_BAD_DICTIONARY',
      'the file is not a redaction dictionary of version 1; build it again with DictionaryBuilder',
    );
  }
  return new Dictionary(data);
}
