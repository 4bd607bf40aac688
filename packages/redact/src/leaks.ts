// The leak scan: every personal value of a source export, held as hashes, searched for in the text of
// what redaction wrote. Words are cut and folded exactly as the scrubber cuts and folds them (one
// normalizer), hashed as they are read, and most are ruled out by one bit; a value is a run of whole words
// keyed by its first, so the cost is one pass over the text whatever the number of values.
import { type PiiClass, SCHEMAS, type TableName, type TypedRecord } from '@talent-export/schema';
import { phoneKey } from './dictionary.js';
import { foldWord } from './normalize.js';
import { isWordChar, nextWord, stemEnd, wordEnd } from './scrub.js';

/** The classes whose values are searched for (free text is covered by them, see README). */
export const LEAK_CLASSES = ['name', 'email', 'phone', 'profile_url'] as const;
export type LeakClass = (typeof LEAK_CLASSES)[number];

/** Where a value came from: never the value. */
export interface LeakSource {
  table: string;
  column: string;
  pii: LeakClass;
}

/** Words allowed between two words of one value ("jane.doe@", "linkedin.com/in/"): at most this many characters. */
const MAX_GAP = 3;
/** Longer values (in words) are not searched for; no name, e-mail or URL comes near. */
const MAX_WORDS = 64;
/** The filter over first words: 16 bits per first word (about 6% pass it by chance), at most 2^24. */
const MAX_FILTER_BITS = 24;
const EMPTY_FILTER = new Uint32Array(0);
/** Values remembered to skip repeats while adding; bounded. */
const RECENT = 65_536;
/** Leading words of a URL that say nothing of whose it is. */
const URL_NOISE = new Set(['http', 'https', 'www']);

// Two 32-bit lanes of a word's hash, updated in place so that no string is made for an ASCII word.
let h1 = 0;
let h2 = 0;
const begin = () => {
  h1 = 0x811c9dc5;
  h2 = 0x9747b28c;
};
const feed = (c: number) => {
  h1 = Math.imul(h1 ^ c, 0x01000193);
  h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  h2 ^= h2 >>> 15;
};
/** The 52 bits of both lanes, as an exact double; never 0 (an empty slot). */
const key = () => (h1 >>> 0) * 1_048_576 + (h2 >>> 12) || 1;

/** Feeds text[start, end) folded: ASCII lower-cased here, anything else through `foldWord`. */
function feedWord(text: string, start: number, end: number): void {
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

/** Where a word really starts: after a JSON or C escape glued to it (`\nJane`, `\u00a0Jane`). */
function escapedStart(text: string, start: number, end: number): number {
  if (start === 0 || text.charCodeAt(start - 1) !== 92) return start;
  const c = text.charCodeAt(start);
  if (c === 117 && end - start > 5 && /^[0-9a-fA-F]{4}$/.test(text.slice(start + 1, start + 5)))
    return start + 5;
  if ((c === 110 || c === 116 || c === 114 || c === 98 || c === 102) && end - start > 1) return start + 1;
  return start;
}

/** Open addressing over exact doubles (never 0), each with a small number; grows at half full. */
class HashTable {
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

/**
 * The personal values of an export, to find in other text. `add` takes records of any table (the values
 * of its name, e-mail, phone and profile URL columns); `scan` finds them in a text; `stream` in bytes.
 */
export class LeakScanner {
  readonly sources: LeakSource[] = [];
  readonly #sourceIndex = new Map<string, number>();
  /** Hash of a value's words -> its source. */
  readonly #values = new HashTable();
  /** Hash of a value's first word -> the most words of a value that starts with it. */
  readonly #firsts = new HashTable();
  #filter = EMPTY_FILTER;
  #filterBits = 5;
  /** A phone number's `phoneKey` -> its source. */
  readonly #phones = new HashTable();
  readonly #recent = new Set<string>();
  readonly #recentPhones = new Set<string>();

  /** Adds the values of one record's personal columns (columns beyond the schema are not known). */
  add(table: TableName, record: TypedRecord): void {
    for (const field of SCHEMAS[table].fields) {
      const pii = field.pii;
      if (pii === 'none' || pii === 'free_text') continue;
      const value = record[field.name];
      if (typeof value === 'string') this.addValue(table, field.name, pii, value);
      else if (Array.isArray(value))
        for (const item of value) if (typeof item === 'string') this.addValue(table, field.name, pii, item);
    }
  }

  addValue(table: string, column: string, pii: PiiClass, value: string): void {
    if (pii === 'none' || pii === 'free_text' || value === '') return;
    // Exports repeat values row after row (a candidate per project, a recruiter per message): a value seen
    // lately is skipped before it is cut and hashed (its first source is kept either way).
    const recent = pii === 'phone' ? this.#recentPhones : this.#recent;
    if (recent.has(value)) return;
    if (recent.size >= RECENT) recent.clear();
    recent.add(value);
    const label = `${table}.${column}`;
    let source = this.#sourceIndex.get(label);
    if (source === undefined) {
      source = this.sources.length;
      this.sources.push({ table, column, pii });
      this.#sourceIndex.set(label, source);
    }
    if (pii === 'phone') {
      const k = phoneKey(value);
      if (k !== undefined) this.#phones.set(k, source);
      return;
    }
    let words = 0;
    let first = 0;
    begin();
    for (let start = nextWord(value, 0); start !== -1; ) {
      const end = wordEnd(value, start);
      const stem = stemEnd(value, start, end);
      const next = nextWord(value, end);
      if (words === 0 && pii === 'profile_url' && next !== -1) {
        const word = value.slice(start, stem).toLowerCase();
        if (URL_NOISE.has(word)) {
          start = next;
          continue;
        }
      }
      if (words > 0) feed(32);
      feedWord(value, start, stem);
      if (words === 0) first = key();
      if (++words > MAX_WORDS) return;
      start = next;
    }
    if (words === 0) return;
    this.#values.set(key(), source);
    this.#firsts.set(first, words, true);
    this.#filter = EMPTY_FILTER;
  }

  /** Distinct values held (word values and phone numbers). */
  get values(): number {
    return this.#values.size + this.#phones.size;
  }

  /** Bytes of the tables behind the values. */
  get bytes(): number {
    this.#ensureFilter();
    return this.#values.bytes + this.#firsts.bytes + this.#phones.bytes + this.#filter.byteLength;
  }

  /** The bits of the first words' lanes, made again once values were added (from the keys: h1 is their top). */
  #ensureFilter(): void {
    if (this.#filter !== EMPTY_FILTER) return;
    let bits = 10;
    while (bits < MAX_FILTER_BITS && 1 << bits < this.#firsts.size * 16) bits++;
    const filter = new Uint32Array(1 << (bits - 5));
    const keys = this.#firsts.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k === 0) continue;
      const bit = Math.floor(k / 1_048_576) >>> (32 - bits);
      filter[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.#filter = filter;
    this.#filterBits = bits;
  }

  /**
   * Calls `found` for every value in `text` that starts in [from, to) (default: all of it); text before
   * `from` is context only. Found: where it starts and ends in the text and its source's number. In
   * `binary` text (bytes of a PDF, an image) one-word names are not counted: short ones turn up by chance.
   */
  scan(
    text: string,
    found: (start: number, end: number, source: number) => void,
    from = 0,
    to = text.length,
    binary = false,
  ): void {
    // Phone numbers are found first and handed out in order among the words' finds (callers count lines).
    const phones: number[] = [];
    if (this.#phones.size > 0)
      this.#digits(text, (start, end, source) => phones.push(start, end, source), from, to);
    if (phones.length === 0) {
      this.#words(text, found, from, to, binary);
      return;
    }
    let next = 0;
    const flush = (before: number) => {
      for (; next < phones.length && phones[next]! < before; next += 3) {
        found(phones[next]!, phones[next + 1]!, phones[next + 2]!);
      }
    };
    this.#words(
      text,
      (start, end, source) => {
        flush(start);
        found(start, end, source);
      },
      from,
      to,
      binary,
    );
    flush(Number.POSITIVE_INFINITY);
  }

  #words(
    text: string,
    found: (start: number, end: number, source: number) => void,
    from: number,
    to: number,
    binary: boolean,
  ) {
    this.#ensureFilter();
    const filter = this.#filter;
    const shift = 32 - this.#filterBits;
    const length = text.length;
    let i = 0;
    while (i < length) {
      let c = text.charCodeAt(i);
      if (c < 128 ? LOWER[c] === 0 : !isWordChar(c)) {
        i++;
        continue;
      }
      if (i >= to) return;
      // One pass over the word: its end (the scrubber's cut) and, for ASCII, the FNV lane the filter uses.
      let start = i;
      let h = 0x811c9dc5;
      let beforeQuote = h;
      let ascii = true;
      let j = i;
      for (; j < length; j++) {
        c = text.charCodeAt(j);
        if (c < 128) {
          const lower = LOWER[c]!;
          if (lower !== 0) {
            h = Math.imul(h ^ lower, 0x01000193);
            continue;
          }
          if ((c === 39 || c === 45) && j + 1 < length && wordCharAt(text, j + 1)) {
            if (c === 39) beforeQuote = h;
            h = Math.imul(h ^ c, 0x01000193);
            continue;
          }
          break;
        }
        if (isWordChar(c) || ((c === 0x2019 || c === 0x2bc) && j + 1 < length && wordCharAt(text, j + 1))) {
          ascii = false;
          continue;
        }
        break;
      }
      const end = j;
      i = end;
      if (start > 0 && text.charCodeAt(start - 1) === 92) {
        start = escapedStart(text, start, end);
        ascii = false;
      }
      if (start < from) continue;
      const stem = stemEnd(text, start, end);
      if (ascii) {
        const bit = (stem === end ? h : beforeQuote) >>> shift;
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      }
      begin();
      feedWord(text, start, stem);
      if (!ascii) {
        const bit = h1 >>> shift;
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      }
      const first = key();
      const most = this.#firsts.get(first);
      if (most < 1) continue;
      let source = this.#values.get(first);
      let matchEnd = source >= 0 ? stem : -1;
      let resume = end;
      let wordEndAt = end;
      // Longer values starting with this word: the next words, each with at most MAX_GAP characters before.
      for (let n = 1; n < most; n++) {
        const next = nextWord(text, wordEndAt);
        if (next === -1 || next - wordEndAt > MAX_GAP) break;
        wordEndAt = wordEnd(text, next);
        const nextStem = stemEnd(text, next, wordEndAt);
        feed(32);
        feedWord(text, next, nextStem);
        const s = this.#values.get(key());
        if (s >= 0) {
          source = s;
          matchEnd = nextStem;
          resume = wordEndAt;
        }
      }
      if (matchEnd === -1) continue;
      if (binary && resume === end && this.sources[source]!.pii === 'name') continue;
      found(start, matchEnd, source);
      i = resume;
    }
  }

  /** Runs of digits with phone punctuation between; every stretch of whole groups is a number to look up. */
  #digits(
    text: string,
    found: (start: number, end: number, source: number) => void,
    from: number,
    to: number,
  ) {
    const phones = this.#phones;
    const groups: number[] = [];
    RUN.lastIndex = 0;
    for (let m = RUN.exec(text); m !== null && m.index < to; m = RUN.exec(text)) {
      if (m.index < from || m[0].length < 6) continue;
      // Group starts and ends, as offsets into the text.
      groups.length = 0;
      const run = m[0];
      for (let i = 0; i < run.length; ) {
        if (!isDigit(run.charCodeAt(i))) {
          i++;
          continue;
        }
        let j = i;
        while (j < run.length && isDigit(run.charCodeAt(j))) j++;
        groups.push(m.index + i, m.index + j);
        i = j;
      }
      for (let g = 0; g < groups.length; g += 2) {
        let k = 1;
        let count = 0;
        for (let h = g; h < groups.length; h += 2) {
          const a = groups[h]!;
          const b = groups[h + 1]!;
          count += b - a;
          if (count > 15) break;
          for (let i = a; i < b; i++) k = k * 10 + text.charCodeAt(i) - 48;
          if (count < 6) continue;
          const source = phones.get(k);
          if (source >= 0) {
            found(groups[g]!, b, source);
            g = h;
            break;
          }
        }
      }
    }
  }

  /** A scan of bytes given in chunks (a file, a zip entry), counting hits by source; see `LeakStream`. */
  stream(keep = 5): LeakStream {
    return new LeakStream(this, keep);
  }
}

/** ASCII word characters (the scrubber's: letters and digits) lower-cased; 0 for the rest. */
const LOWER = new Uint8Array(128);
for (let c = 48; c <= 57; c++) LOWER[c] = c;
for (let c = 97; c <= 122; c++) LOWER[c] = LOWER[c - 32] = c;
const wordCharAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c < 128 ? LOWER[c] !== 0 : isWordChar(c);
};
const RUN = /\d(?:[ \t\u00a0()./+-]{0,3}\d)*/g;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** A hit as reported: where (1-based line, byte offset) and whose source; never the value. */
export interface LeakHit {
  line: number;
  offset: number;
  source: number;
}

/** Bytes kept from one piece to the next: a value that starts before the cut is found in full. */
const OVERLAP = 4096;
/** Bytes kept before the cut, only to see where the words and digit runs at the cut begin. */
const CONTEXT = 64;

/**
 * Scans bytes as they come, in pieces cut anywhere: each piece is decoded with some bytes of the one
 * before (context) and some of the next held back (overlap), so a value split by a cut is found once.
 */
export class LeakStream {
  readonly #scanner: LeakScanner;
  readonly #keep: number;
  #pending: Buffer = Buffer.alloc(0);
  readonly #chunks: Buffer[] = [];
  /** Bytes in `#chunks`, not yet scanned. */
  #waiting = 0;
  /** Leading bytes of `#pending` that were scanned already (context for the next piece). */
  #context = 0;
  /** Offset in the stream of `#pending[0]`. */
  #base = 0;
  #line = 1;
  hits = 0;
  bytes = 0;
  /** Hits per source number. */
  readonly bySource = new Map<number, number>();
  /** The first hits with where they are. */
  readonly first: LeakHit[] = [];
  /** Whether the bytes are binary (see `sniffBinary`), decided on the first piece. */
  binary: boolean | undefined;

  constructor(scanner: LeakScanner, keep: number) {
    this.#scanner = scanner;
    this.#keep = keep;
  }

  write(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    // Copied: the caller may reuse its buffer; joined only once a piece is worth scanning.
    this.#chunks.push(Buffer.from(chunk));
    this.#waiting += chunk.length;
    if (this.#waiting >= 16 * OVERLAP) this.#piece(false);
  }

  end(): this {
    if (this.#waiting > 0) this.#piece(true);
    this.#pending = Buffer.alloc(0);
    return this;
  }

  #piece(last: boolean): void {
    const bytes = Buffer.concat([this.#pending, ...this.#chunks]);
    this.#chunks.length = 0;
    this.#waiting = 0;
    const cut = last ? bytes.length : boundary(bytes, bytes.length - OVERLAP);
    this.binary ??= sniffBinary(bytes);
    const text = bytes.toString('utf8');
    const from = this.#context === 0 ? 0 : bytes.toString('utf8', 0, this.#context).length;
    const to = last ? text.length : text.length - bytes.toString('utf8', cut).length;
    // Lines and bytes are counted up to each hit that is kept; afterwards only the counts matter.
    let counted = from;
    let countedBytes = this.#context;
    this.#scanner.scan(
      text,
      (start, _end, source) => {
        this.hits++;
        this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
        if (this.first.length >= this.#keep) return;
        const before = text.slice(counted, start);
        for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) this.#line++;
        countedBytes += Buffer.byteLength(before);
        counted = start;
        this.first.push({ line: this.#line, offset: this.#base + countedBytes, source });
      },
      from,
      to,
      this.binary,
    );
    if (this.first.length < this.#keep) {
      for (let i = text.indexOf('\n', counted); i !== -1 && i < to; i = text.indexOf('\n', i + 1))
        this.#line++;
    } else this.#line = Number.NaN;
    if (last) return;
    const keepFrom = boundary(bytes, Math.max(0, cut - CONTEXT));
    this.#base += keepFrom;
    this.#context = cut - keepFrom;
    this.#pending = Buffer.from(bytes.subarray(keepFrom));
    this.#waiting = this.#pending.length - this.#context;
  }
}

const SIGNATURES = ['%PDF', 'PK\x03\x04', '\x89PNG', '\xff\xd8\xff', 'GIF8', '\xd0\xcf\x11\xe0'].map((s) =>
  Buffer.from(s, 'latin1'),
);

/** Binary: a PDF, zip (Office files), image or OLE signature, or a NUL byte in the first 8 KiB. */
export function sniffBinary(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 8192));
  return SIGNATURES.some((s) => head.subarray(0, s.length).equals(s)) || head.includes(0);
}

/** The nearest start of a UTF-8 character at or before `at`. */
function boundary(bytes: Uint8Array, at: number): number {
  let i = Math.max(0, at);
  while (i > 0 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}
