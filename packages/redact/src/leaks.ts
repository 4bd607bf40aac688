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
   * Calls `found` for every value in `text` (offsets in characters); for names and tests. See `scanBytes`.
   */
  scan(text: string, found: (start: number, end: number, source: number) => void): void {
    const bytes = Buffer.from(text);
    const chars = (at: number) => bytes.toString('utf8', 0, at).length;
    this.scanBytes(bytes, (start, end, source) => found(chars(start), chars(end), source));
  }

  /**
   * Calls `found` for every value in UTF-8 `bytes` that starts in [from, to) (default: all of them), in
   * order, with its byte offsets and its source's number; bytes before `from` are context only. In `binary`
   * bytes (a PDF, an image) one-word names are not counted: short ones turn up there by chance. Words and
   * runs of digits are found in one pass over the bytes, with no string made for an ASCII word.
   */
  scanBytes(
    b: Uint8Array,
    found: (start: number, end: number, source: number) => void,
    from = 0,
    to = b.length,
    binary = false,
  ): void {
    this.#ensureFilter();
    const filter = this.#filter;
    const shift = 32 - this.#filterBits;
    const n = b.length;
    const run = this.#run;
    run.length = 0;
    let runEnd = -1;
    let runSkip = false;
    let i = 0;
    while (i < n) {
      let c = b[i]!;
      if (c < 128 ? LOWER[c] === 0 : !isWordCode(codeAt(b, i))) {
        i += c < 128 ? 1 : codeLength;
        continue;
      }
      // Past `to` only a run of digits begun before it is followed to its end.
      if (i >= to && run.length === 0) return;
      let start = i;
      let h = 0x811c9dc5;
      let beforeQuote = h;
      let ascii = true;
      let digits = true;
      let j = i;
      while (j < n) {
        c = b[j]!;
        if (c < 128) {
          const lower = LOWER[c]!;
          if (lower !== 0) {
            h = Math.imul(h ^ lower, 0x01000193);
            if (c > 57) digits = false;
            j++;
            continue;
          }
          if ((c === 39 || c === 45) && j + 1 < n && wordByteAt(b, j + 1)) {
            if (c === 39) {
              beforeQuote = h;
              digits = false;
            }
            h = Math.imul(h ^ c, 0x01000193);
            j++;
            continue;
          }
          break;
        }
        const code = codeAt(b, j);
        const length = codeLength;
        if (
          isWordCode(code) ||
          ((code === 0x2019 || code === 0x2bc) && j + length < n && wordByteAt(b, j + length))
        ) {
          ascii = false;
          digits = false;
          j += length;
          continue;
        }
        break;
      }
      const end = j;
      i = end;
      if (start > 0 && b[start - 1] === 92) {
        const after = escapedStart(b, start, end);
        if (after !== start) {
          start = after;
          ascii = false;
          digits = allDigits(b, start, end);
        }
      }
      // Digits: a word of digits (and inner hyphens) joins the run when at most 3 phone punctuation
      // characters stand since the last one; anything else closes the run.
      if (digits) {
        if (run.length > 0 && !phoneGap(b, runEnd, start)) this.#close(b, runSkip, found);
        if (run.length === 0) runSkip = start < from || start >= to;
        addGroups(b, start, end, run);
        runEnd = end;
      } else if (run.length > 0) this.#close(b, runSkip, found);
      if (start >= to || start < from) continue;
      const stem = stemAt(b, start, end);
      if (ascii) {
        const bit = (stem === end ? h : beforeQuote) >>> shift;
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      }
      begin();
      feedBytes(b, start, stem);
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
      for (let w = 1; w < most; w++) {
        const next = nextWordAt(b, wordEndAt);
        if (next === -1 || next - wordEndAt > MAX_GAP) break;
        wordEndAt = wordEndFrom(b, next);
        const nextStem = stemAt(b, next, wordEndAt);
        feed(32);
        feedBytes(b, next, nextStem);
        const s = this.#values.get(key());
        if (s >= 0) {
          source = s;
          matchEnd = nextStem;
          resume = wordEndAt;
        }
      }
      if (matchEnd === -1) continue;
      if (binary && resume === end && this.sources[source]!.pii === 'name') continue;
      if (run.length > 0 && resume > end) this.#close(b, runSkip, found);
      found(start, matchEnd, source);
      i = resume;
    }
    this.#close(b, runSkip, found);
  }

  /** Digit groups of one run (start, end pairs): every stretch of whole groups of 6 to 15 digits is looked up. */
  readonly #run: number[] = [];

  /** Looks up the run's numbers (unless it began outside the range) and empties it. */
  #close(b: Uint8Array, skip: boolean, found: (start: number, end: number, source: number) => void) {
    if (!skip) this.#phone(b, this.#run, found);
    this.#run.length = 0;
  }

  #phone(b: Uint8Array, groups: number[], found: (start: number, end: number, source: number) => void) {
    if (this.#phones.size === 0 || groups.length === 0) return;
    for (let g = 0; g < groups.length; g += 2) {
      let k = 1;
      let count = 0;
      for (let h = g; h < groups.length; h += 2) {
        const a = groups[h]!;
        const z = groups[h + 1]!;
        count += z - a;
        if (count > 15) break;
        for (let i = a; i < z; i++) k = k * 10 + b[i]! - 48;
        if (count < 6) continue;
        const source = this.#phones.get(k);
        if (source >= 0) {
          found(groups[g]!, z, source);
          g = h;
          break;
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

// UTF-8 read by hand: the code point at i, its length left in `codeLength` (1 for a byte that starts none).
let codeLength = 1;
function codeAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) {
    codeLength = 1;
    return c;
  }
  const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  if (n === 1 || i + n > b.length) {
    codeLength = 1;
    return 0xfffd;
  }
  let code = c & (0x7f >> n);
  for (let k = 1; k < n; k++) {
    const next = b[i + k]!;
    if ((next & 0xc0) !== 0x80) {
      codeLength = 1;
      return 0xfffd;
    }
    code = (code << 6) | (next & 0x3f);
  }
  codeLength = n;
  return code;
}

/** The scrubber's word characters by code point (letters beyond the first plane count, as there). */
const isWordCode = (code: number) => (code > 0xffff ? true : isWordChar(code));

function wordByteAt(b: Uint8Array, i: number): boolean {
  const c = b[i]!;
  return c < 128 ? LOWER[c] !== 0 : isWordCode(codeAt(b, i));
}

/** The start of the next word at or after `from`, or -1. */
function nextWordAt(b: Uint8Array, from: number): number {
  for (let i = from; i < b.length; ) {
    const c = b[i]!;
    if (c < 128) {
      if (LOWER[c] !== 0) return i;
      i++;
    } else {
      if (isWordCode(codeAt(b, i))) return i;
      i += codeLength;
    }
  }
  return -1;
}

/** Where the word starting at `start` ends: the scrubber's cut (inner apostrophes and hyphens join). */
function wordEndFrom(b: Uint8Array, start: number): number {
  let i = start;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 128) {
      if (LOWER[c] !== 0) i++;
      else if ((c === 39 || c === 45) && i + 1 < b.length && wordByteAt(b, i + 1)) i++;
      else break;
    } else {
      const code = codeAt(b, i);
      const length = codeLength;
      if (isWordCode(code)) i += length;
      else if ((code === 0x2019 || code === 0x2bc) && i + length < b.length && wordByteAt(b, i + length))
        i += length;
      else break;
    }
  }
  return i;
}

/** Where a word ends once a possessive 's (or ’s) is left out. */
function stemAt(b: Uint8Array, start: number, end: number): number {
  if ((b[end - 1]! | 0x20) !== 115) return end;
  if (end - start > 2 && b[end - 2] === 39) return end - 2;
  if (end - start > 4 && b[end - 4] === 0xe2 && b[end - 3] === 0x80 && b[end - 2] === 0x99) return end - 4;
  return end;
}

/** Where a word really starts: after a JSON or C escape glued to it (`\nJane`, `\u00a0Jane`). */
function escapedStart(b: Uint8Array, start: number, end: number): number {
  const c = b[start]!;
  if (c === 117 && end - start > 5 && isHex(b, start + 1, start + 5)) return start + 5;
  if ((c === 110 || c === 116 || c === 114 || c === 98 || c === 102) && end - start > 1) return start + 1;
  return start;
}

function isHex(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = b[i]! | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Feeds bytes [start, end) folded, as `feedWord` feeds the same word as a string. */
function feedBytes(b: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    if (b[i]! > 0x7f) {
      const word = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
      feedWord(word, 0, word.length);
      return;
    }
  }
  for (let i = start; i < end; i++) feed(LOWER[b[i]!] || b[i]!);
}

/** Whether only phone punctuation (space, tab, no-break space, ( ) . / + -), at most 3 characters, stands between. */
function phoneGap(b: Uint8Array, from: number, to: number): boolean {
  let chars = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c === 0xc2 && b[i + 1] === 0xa0) i++;
    else if (!(c === 32 || c === 9 || c === 40 || c === 41 || c === 46 || c === 47 || c === 43 || c === 45))
      return false;
    if (++chars > 3) return false;
  }
  return true;
}

/** The digit groups of a word of digits and hyphens, as start, end pairs. */
function addGroups(b: Uint8Array, start: number, end: number, run: number[]): void {
  let at = start;
  for (let i = start; i <= end; i++) {
    if (i === end || b[i] === 45) {
      if (i > at) run.push(at, i);
      at = i + 1;
    }
  }
}

function allDigits(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!((b[i]! >= 48 && b[i]! <= 57) || b[i] === 45)) return false;
  return true;
}

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
    // Lines are counted up to each hit that is kept; afterwards only the counts matter.
    let counted = this.#context;
    this.#scanner.scanBytes(
      bytes,
      (start, _end, source) => {
        this.hits++;
        this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
        if (this.first.length >= this.#keep) return;
        for (let i = bytes.indexOf(10, counted); i !== -1 && i < start; i = bytes.indexOf(10, i + 1))
          this.#line++;
        counted = Math.max(counted, start);
        this.first.push({ line: this.#line, offset: this.#base + start, source });
      },
      this.#context,
      cut,
      this.binary,
    );
    if (this.first.length < this.#keep) {
      for (let i = bytes.indexOf(10, counted); i !== -1 && i < cut; i = bytes.indexOf(10, i + 1))
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
