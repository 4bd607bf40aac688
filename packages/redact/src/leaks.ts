// The leak scan: every personal value of a source export, held as hashes, searched for in the text of
// what redaction wrote. Words are cut and folded exactly as the scrubber cuts and folds them (one
// normalizer), hashed as they are read, and most are ruled out by one bit; a value is a run of whole words
// keyed by its first, so the cost is one pass over the text whatever the number of values.

import {
  columnKey,
  type PiiClass,
  SCHEMAS,
  type TableName,
  type TypedRecord,
  type Value,
} from '@talent-export/schema';
import { base64Bytes } from './base64-text.js';
import { gluedNames } from './dictionary.js';
import { decodedWordBytes } from './encoded-words.js';
import { inWordTagBytes } from './inword-tags.js';
import { isPlaceholder, labelClass, looksLike } from './labels.js';
import {
  allDigits,
  apostropheAt,
  codeAt,
  codeLength,
  escapedStart,
  feedBytes,
  isWordCode,
  joinsBytes,
  LOWER,
  nextWordAt,
  percentStart,
  phoneGap,
  stemAt,
  wordByteAt,
  wordEndFrom,
} from './leak-bytes.js';
import { begin, feed, feedWord, HashTable, h1, key } from './leak-hash.js';
import { isTextName, LeakStream } from './leak-stream.js';
import { addressesIn, emailLocal, profileLinksIn, profileSlugs } from './leak-urls.js';
import { isMarkupName, markupText } from './markup.js';
import { fold, isInvisible, nameSpellings, withoutControls } from './normalize.js';
import { asciiDigitBytes } from './other-digits.js';
import { phoneKeys } from './phone-keys.js';
import { FAKE_NAMES } from './pseudonym.js';
import { decodedOffset, decodeReferences, decodeWindows1252 } from './references.js';
import { hasRunOn, runOnNames } from './run-on.js';
import { nextWord, stemEnd, wordEnd } from './scrub.js';
import { namedByProfile, profileName } from './url-names.js';

/** What shows nothing and parts nothing (the zero-width (non-)joiners part words in some scripts). */
const isInvisibleCode = (code: number) => isInvisible(code) && code !== 0x200c && code !== 0x200d;

/** A name of one or two Latin letters (`O`, `Å`, `Li`): a word of many texts. */
const isShort = (name: string) => /^[a-z]{1,2}$/.test(fold(name));

/** The classes whose values are searched for (free text is covered by them, see README). */
export const LEAK_CLASSES = ['name', 'email', 'phone', 'profile_url'] as const;
export type LeakClass = (typeof LEAK_CLASSES)[number];

/** Where a value came from: never the value. */
export interface LeakSource {
  table: string;
  column: string;
  /**
   * `download_link`: no person's, but a signed link that opens the whole export (see `addLink`);
   * `sensitive`: a value of a custom field of special personal data (see `addSensitive`).
   */
  pii: LeakClass | 'download_link' | 'sensitive';
}

/** The most bytes of an HTML tag between two words of a value (`<span style="…">`). */
const MAX_TAG = 200;

/**
 * Where the word after b[from] starts when only HTML tags and at most MAX_GAP spaces stand before it
 * (`</b> <b>`, `<br>`), else -1.
 */
function pastTagBytes(b: Uint8Array, from: number): number {
  let spaces = 0;
  let tags = 0;
  let i = from;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 60) {
      const close = b.indexOf(62, i + 1);
      if (close === -1 || close - i > MAX_TAG) return -1;
      tags++;
      i = close + 1;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (++spaces > MAX_GAP) return -1;
      i++;
    } else break;
  }
  return tags > 0 && i < b.length && nextWordAt(b, i) === i ? i : -1;
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
/** Where the name `#nameAfter` found stands. */
let nameAfterStart = 0;
let nameAfterStem = 0;
let nameAfterEnd = 0;
/** Names found inside a word (start, end, source), reused. */
const runOnFound: number[] = [];
/** The candidates table's own columns, as headers are matched to them. */
const CANDIDATE_COLUMNS = new Set(SCHEMAS.candidates.fields.map((field) => columnKey(field.name)));
/** Leading words of a URL that say nothing of whose it is. */
const URL_NOISE = new Set(['http', 'https', 'www']);

/** Answers that say nothing of anyone (`Prefer not to say`), typed in fields of special data. */
const NO_ANSWER =
  /^(?:i )?(?:(?:would )?prefer not to (?:say|answer|disclose)|rather not say|not (?:disclosed|applicable|specified|provided|known|stated)|declined?(?: to (?:answer|state|say|disclose))?|n a|none|unknown|other|yes|no)$/;
/** An amount with its thousands grouped (`85,000`, `1.250.000`): salaries repeat across texts. */
const GROUPED = /^\d{1,3}(?: \d{3})+(?: \d{1,2})?$/;

/**
 * Whether a value of special personal data can be told from other text: a date (`1987-03-04`), a number of
 * 7 digits or more that is no grouped amount (`123-45-6789`), a word of letters and digits (`X1234567`,
 * `LS1`), or 3 words or more (`12 Rose Street, Leeds`, `Rose Cottage, Mill Lane`); not a word or two of
 * many texts (`Female`, `United Kingdom`), an amount (`85000`, `€85,000`) or an answer that says nothing.
 */
function distinctive(value: string): boolean {
  const words = value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0 || NO_ANSWER.test(words.join(' '))) return false;
  if (words.every((word) => /^\d+$/.test(word))) {
    if (/^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/.test(value)) return true;
    return words.join('').length >= 7 && !GROUPED.test(words.join(' '));
  }
  if (words.some((word) => /\d/.test(word) && /\p{L}/u.test(word))) return true;
  return words.length >= 3;
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
  /** A phone number's `phoneKeys` -> its source. */
  readonly #phones = new HashTable();
  /** Distinct phone numbers (each held by up to six keys), and other values (each with its other spellings). */
  #phoneValues = 0;
  #wordValues = 0;
  /**
   * Name values not searched for: the fake names redaction puts in their place are the same words, and
   * names of one or two letters, which every text holds.
   */
  readonly #fakeNames = new Set<string>();
  readonly #recent = new Set<string>();
  readonly #recentPhones = new Set<string>();

  /**
   * Adds the values of one record's personal columns (columns beyond the schema are not known), and the
   * LinkedIn links its free text holds (`profileLinksIn`), as profile URLs.
   */
  add(table: TableName, given: TypedRecord): void {
    // Searched as the dictionary learns them: a candidate with no name by the one its profile URL spells.
    const record = table === 'candidates' ? namedByProfile(given) : given;
    for (const field of SCHEMAS[table].fields) {
      const pii = field.pii;
      if (pii === 'free_text') this.#addLinks(table, field.name, record[field.name]);
      if (pii === 'none' || pii === 'free_text') continue;
      const value = record[field.name];
      if (typeof value === 'string') this.addValue(table, field.name, pii, value);
      else if (Array.isArray(value))
        for (const item of value) if (typeof item === 'string') this.addValue(table, field.name, pii, item);
    }
    // The people a row names by profile URL only (a sender, an owner, an interviewer): the name their URL
    // is made of, as the redactor takes it out of the row's text (`profileName`).
    if (table !== 'candidates')
      for (const field of SCHEMAS[table].fields) {
        const url = record[field.name];
        const name = field.pii === 'profile_url' && typeof url === 'string' ? profileName(url) : undefined;
        if (name === undefined) continue;
        const source = this.#source(table, field.name, 'profile_url');
        // Also as a signature or a list writes it: `T. Kowalski`, `Kowalski, Tomasz`.
        const last = name.length - 1;
        for (const words of [name, [name[0]![0]!, ...name.slice(1)], [name[last]!, ...name.slice(0, last)]])
          this.#addWords(words.join(' '), 'name', source);
      }
    // Columns beyond the schema headed for a name or contact (`Mobile 2`, `Preferred name`), as the
    // scrubber's dictionary knows them (see `labelClass`).
    if (table === 'candidates') {
      for (const key in record) {
        const cls = this.#extraClass(key);
        const value = record[key];
        if (cls === undefined || typeof value !== 'string') continue;
        for (const item of value.split(';'))
          if (looksLike(cls, item))
            this.addValue(table, `(a ${cls} column beyond the schema)`, cls, item.trim());
      }
    }
    // A full name run together, as handles and links write it (`@JaneDoe`, `github.com/janedoe`).
    const { first_name: firstWritten, last_name: lastWritten } = record;
    if (table === 'candidates' && typeof firstWritten === 'string' && typeof lastWritten === 'string') {
      const first = withoutControls(firstWritten);
      const last = withoutControls(lastWritten);
      // Another spelling of the name, not another value (`values` counts names, not their spellings).
      for (const glued of gluedNames(first, last))
        this.#addWords(glued, 'name', this.#source(table, 'last_name', 'name'));
      // A name of one or two letters is searched beside the other name, either way round (`Al Okafor`).
      if (first.trim() !== '' && last.trim() !== '' && (isShort(first) || isShort(last))) {
        const source = this.#source(table, 'last_name', 'name');
        this.#addWords(`${first} ${last}`, 'name', source);
        this.#addWords(`${last} ${first}`, 'name', source);
      }
    }
  }

  #addLinks(table: string, column: string, value: Value | undefined): void {
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const text of texts)
      if (typeof text === 'string')
        for (const link of profileLinksIn(text)) this.addValue(table, column, 'profile_url', link);
  }

  /** Per record key of the candidates table: its class if it is no schema column and is headed for one. */
  readonly #extraClasses = new Map<string, LeakClass | undefined>();

  #extraClass(key: string): LeakClass | undefined {
    let cls = this.#extraClasses.get(key);
    if (cls === undefined && !this.#extraClasses.has(key)) {
      cls = CANDIDATE_COLUMNS.has(columnKey(key)) ? undefined : labelClass(key);
      this.#extraClasses.set(key, cls);
    }
    return cls;
  }

  addValue(table: string, column: string, pii: PiiClass, written: string): void {
    // Searched as the redactor learns it: "Wether\0spoon" is the name "Wetherspoon".
    const value = withoutControls(written);
    if (pii === 'none' || pii === 'free_text' || value === '') return;
    // Exports repeat values row after row (a candidate per project, a recruiter per message): a value seen
    // lately is skipped before it is cut and hashed (its first source is kept either way).
    const recent = pii === 'phone' ? this.#recentPhones : this.#recent;
    if (recent.has(value)) return;
    if (recent.size >= RECENT) recent.clear();
    recent.add(value);
    // `N/A` for no e-mail is no one's, and the redactor keeps it (every `n/a` of a text would be a hit).
    if (isPlaceholder(value)) return;
    // A cell of several addresses joined otherwise than by ";" (", " as people type lists), or of one with
    // a display name or a scheme (`Jane Doe <jane@example.com>`, `mailto:`): each address is a value.
    if (pii === 'email') {
      const addresses = addressesIn(value);
      if (addresses.length !== 1 || addresses[0] !== value) {
        for (const one of addresses) this.addValue(table, column, pii, one);
        return;
      }
    }
    const source = this.#source(table, column, pii);
    if (pii === 'phone') {
      // As the scrubber knows it: also without its country code or extension (the first key: as written).
      const keys = phoneKeys(value);
      if (keys.length > 0 && this.#phones.get(keys[0]!) < 0) this.#phoneValues++;
      for (const k of keys) this.#phones.set(k, source);
      return;
    }
    // A candidate named as a fake is (Taylor, Grey) would be found wherever the fakes stand: not searched.
    // Nor is a name of one or two Latin letters ("O", "Li", "Al") alone: the scrubber takes it only where
    // it stands as a name, and elsewhere it is a word ("a", "li", "et al."); a full name run together is.
    if (pii === 'name' && (FAKE_NAMES.has(fold(value)) || isShort(value))) {
      this.#fakeNames.add(fold(value));
      return;
    }
    if (this.#addWords(value, pii, source)) this.#wordValues++;
    // A profile also by its own part, whatever the host and path around it.
    if (pii === 'profile_url') for (const slug of profileSlugs(value)) this.#addWords(slug, pii, source);
    // An e-mail also by its local part, spelled out (`jane.doe42 at example dot com`) or alone.
    if (pii === 'email') {
      const local = emailLocal(value, (word) => FAKE_NAMES.has(word));
      if (local !== undefined) this.#addWords(local, pii, source);
    }
    // A name also as written without its marks (OBrien, O Brien, Juergen), as the scrubber knows it.
    if (pii !== 'name') return;
    const { glued, spaced } = nameSpellings(value);
    for (const other of glued) {
      // A name inside the field ("Taylor" of "Dr. Taylor") is left out as that name alone would be.
      if (FAKE_NAMES.has(fold(other)) || isShort(other)) this.#fakeNames.add(fold(other));
      else this.#addWords(other, pii, source);
    }
    for (const other of spaced) this.#addWords(other, pii, source);
  }

  /**
   * A value of a custom field of special personal data (`sensitiveField`: an address, a birth date, a
   * national id...), which redaction replaces whole: searched where it can be told from other text (see
   * `distinctive`), so that a value left in the output is found and a word of many texts is no hit.
   */
  addSensitive(table: string, column: string, value: string): void {
    const text = value.trim();
    if (!distinctive(text) || this.#recent.has(text)) return;
    if (this.#recent.size >= RECENT) this.#recent.clear();
    this.#recent.add(text);
    if (this.#addWords(text, 'free_text', this.#source(table, column, 'sensitive'))) this.#wordValues++;
  }

  /**
   * A Download Url of export.csv: while it lives, anyone holding it downloads the whole export unredacted.
   * Searched by its long parts (the signed token of `?x-li-ambry-ep=…`), whatever the host around them;
   * the redacted export.csv has none (its Download Url cells are emptied).
   */
  addLink(table: string, column: string, url: string): void {
    const source = this.#source(table, column, 'download_link');
    // Not the host (`www.linkedin-ei.com`, named by every link): tokens have no dot.
    for (const piece of url.split(/[?&=#/]/))
      if (piece.length >= 16 && !piece.includes('.')) this.#addWords(piece, 'none', source);
  }

  #source(table: string, column: string, pii: LeakSource['pii']): number {
    const label = `${table}.${column}`;
    let source = this.#sourceIndex.get(label);
    if (source === undefined) {
      source = this.sources.length;
      this.sources.push({ table, column, pii });
      this.#sourceIndex.set(label, source);
    }
    return source;
  }

  /** A value as the hash of its words, under its first word; whether it was new. */
  #addWords(value: string, pii: PiiClass, source: number): boolean {
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
      if (++words > MAX_WORDS) return false;
      start = next;
    }
    if (words === 0) return false;
    const k = key();
    const added = this.#values.get(k) < 0;
    this.#values.set(k, source);
    this.#firsts.set(first, words, true);
    this.#filter = EMPTY_FILTER;
    return added;
  }

  /** Distinct values held (word values and phone numbers). */
  get values(): number {
    return this.#wordValues + this.#phoneValues;
  }

  /**
   * Distinct name values not searched for because fakes are drawn from the same names (a candidate named
   * Taylor or Grey): every fake would be a hit. Such a name is still scrubbed from free text.
   */
  get fakeNames(): number {
    return this.#fakeNames.size;
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
    markup = false,
  ): void {
    // Text saved on Windows is Windows-1252, where a name's accented letters are no UTF-8: read as it is.
    const windows = binary ? undefined : decodeWindows1252(b);
    if (windows !== undefined) {
      const { bytes, at } = windows;
      this.scanBytes(
        bytes,
        (start, end, source) => found(at[start]!, at[end]!, source),
        decodedOffset(at, from),
        decodedOffset(at, to),
        binary,
        markup,
      );
      return;
    }
    // Text as it reads: a mail header's B-encoded words (`=?UTF-8?B?...?=`) and base64 bodies as their text,
    // full-width, Arabic, Persian and Devanagari digits as ASCII ones, inline tags inside a word
    // (`<span>Zo</span><span>ë</span>`) left out; hits told at their places as written (in an encoded word:
    // the word).
    const view = binary
      ? undefined
      : (decodedWordBytes(b) ?? base64Bytes(b) ?? asciiDigitBytes(b) ?? inWordTagBytes(b));
    if (view !== undefined) {
      const { bytes, at, after } = view;
      this.scanBytes(
        bytes,
        (start, end, source) => found(at[start]!, after[end - 1]!, source),
        decodedOffset(at, from),
        decodedOffset(at, to),
        binary,
        markup,
      );
      return;
    }
    // XML and HTML (a Word document's entries, a web page) are read as written (what tags and comments hold)
    // and as a reader sees them, tags taken out (a word typed in two runs); a value both find is one hit.
    const text = markup ? markupText(b) : undefined;
    if (text !== undefined) {
      const hits: [number, number, number][] = [];
      const push = (start: number, end: number, source: number) => hits.push([start, end, source]);
      this.scanBytes(b, push, from, to, binary);
      const { bytes, at } = text;
      const mapped = (start: number, end: number, source: number) => push(at[start]!, at[end]!, source);
      this.scanBytes(bytes, mapped, decodedOffset(at, from), decodedOffset(at, to), binary);
      hits.sort((x, y) => x[0] - y[0] || x[2] - y[2]);
      for (let k = 0; k < hits.length; k++) {
        const [start, end, source] = hits[k]!;
        if (k > 0 && hits[k - 1]![0] === start && hits[k - 1]![2] === source) continue;
        found(start, end, source);
      }
      return;
    }
    // HTML (mail bodies, notes, job posts) hides text behind character references (`jane&#64;example.com`,
    // `O&#39;Brien`), JSON and RTF behind escapes (`Se\u00e1n`, `Se\'e1n`): the bytes are scanned as they
    // read, and hits told at their places as written.
    const references = decodeReferences(b);
    if (references === undefined) {
      this.#scan(b, found, from, to, binary);
      return;
    }
    const { bytes, at } = references;
    this.#scan(
      bytes,
      (start, end, source) => found(at[start]!, at[end]!, source),
      decodedOffset(at, from),
      decodedOffset(at, to),
      binary,
    );
  }

  #scan(
    b: Uint8Array,
    found: (start: number, end: number, source: number) => void,
    from: number,
    to: number,
    binary: boolean,
  ): void {
    this.#ensureFilter();
    const filter = this.#filter;
    const shift = 32 - this.#filterBits;
    const n = b.length;
    const run = this.#run;
    let runCount = 0;
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
      if (i >= to && runCount === 0) return;
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
          if (c === 39 && j + 1 < n && wordByteAt(b, j + 1)) {
            beforeQuote = h;
            digits = false;
            h = Math.imul(h ^ c, 0x01000193);
            j++;
            continue;
          }
          break;
        }
        const code = codeAt(b, j);
        const length = codeLength;
        // Between digits, what shows nothing parts groups of a number (`212\u200b555`), as a space would.
        if (digits && isInvisibleCode(code)) {
          if (j > start) break;
          start = j + length;
          j = start;
          continue;
        }
        if (isWordCode(code) || (joinsBytes(b, j, code) && j + length < n && wordByteAt(b, j + length))) {
          ascii = false;
          digits = false;
          j += length;
          continue;
        }
        break;
      }
      const end = j;
      i = end;
      // Only characters that show nothing, before no digit: no word.
      if (end === start) continue;
      // Escapes before a word (`\u00e9`, `%40`) are not its letters.
      const after = b[start - 1] === 92 ? escapedStart(b, start, end) : percentStart(b, start, end);
      if (after !== start) {
        start = after;
        ascii = false;
        digits = allDigits(b, start, end);
      }
      // Digits: a word of digits joins the run when at most 3 phone punctuation
      // characters stand since the last one; anything else closes the run.
      if (digits) {
        if (runCount > 0 && (runCount > run.length - 16 || !phoneGap(b, runEnd, start))) {
          if (!runSkip) this.#phone(b, runCount, found);
          runCount = 0;
        }
        if (runCount === 0) runSkip = start < from || start >= to;
        // A word never holds a hyphen: it is one group of digits (room kept by the check above).
        run[runCount++] = start;
        run[runCount++] = end;
        runEnd = end;
      } else if (runCount > 0) {
        if (!runSkip) this.#phone(b, runCount, found);
        runCount = 0;
      }
      if (start >= to || start < from) continue;
      // A word hyphenated at a line break ("Fair-\nweather"), as the scrubber joins it.
      if (b[end] === 45 && !digits && !binary) {
        const broken = this.#broken(b, start, end, found);
        if (broken > 0) {
          if (runCount > 0) {
            if (!runSkip) this.#phone(b, runCount, found);
            runCount = 0;
          }
          i = broken;
          continue;
        }
      }
      let stem = stemAt(b, start, end);
      // A plural possessive ("the Smiths' house"), as the scrubber takes it: the word without its s.
      if (stem === end && end - start > 3 && (b[end - 1]! | 0x20) === 115 && apostropheAt(b, end))
        stem = this.#plural(b, start, end);
      if (ascii && stem !== end - 1) {
        const bit = (stem === end ? h : beforeQuote) >>> shift;
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue;
      }
      begin();
      feedBytes(b, start, stem);
      if (!ascii) {
        const bit = h1 >>> shift;
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) {
          if (!binary) this.#runOn(b, start, stem, found);
          continue;
        }
      }
      const first = key();
      const most = this.#firsts.get(first);
      if (most < 1) {
        if (!ascii && !binary) this.#runOn(b, start, stem, found);
        continue;
      }
      let source = this.#values.get(first);
      let matchEnd = source >= 0 ? stem : -1;
      let resume = end;
      let wordEndAt = end;
      // Longer values starting with this word: the next words, each with at most MAX_GAP characters before.
      for (let w = 1; w < most; w++) {
        let next = nextWordAt(b, wordEndAt);
        if (next === -1) break;
        // In an HTML body, tags between the words (`<b>Sarah</b> <b>Connor</b>`), as the scrubber reads them.
        if (next - wordEndAt <= MAX_GAP && b.subarray(wordEndAt, next).includes(60)) {
          next = pastTagBytes(b, wordEndAt);
          if (next === -1) break;
        } else if (next - wordEndAt > MAX_GAP) break;
        wordEndAt = wordEndFrom(b, next);
        const nextStart = percentStart(b, next, wordEndAt);
        const nextStem = stemAt(b, nextStart, wordEndAt);
        feed(32);
        feedBytes(b, nextStart, nextStem);
        const s = this.#values.get(key());
        if (s >= 0) {
          source = s;
          matchEnd = nextStem;
          resume = wordEndAt;
        }
      }
      if (matchEnd === -1) continue;
      // In binary bytes a one-word name counts only beside another (a PDF's `(Jane Doe) Tj`, its `/Author`).
      let other = -1;
      if (binary && resume === end && this.sources[source]!.pii === 'name') {
        other = this.#nameAfter(b, end);
        if (other < 0) continue;
        resume = nameAfterEnd;
      }
      if (runCount > 0 && resume > end) {
        if (!runSkip) this.#phone(b, runCount, found);
        runCount = 0;
      }
      found(start, matchEnd, source);
      if (other >= 0) found(nameAfterStart, nameAfterStem, other);
      i = resume;
    }
    if (runCount > 0 && !runSkip) this.#phone(b, runCount, found);
  }

  /** Where b[start, end), a word ending in s before an apostrophe, ends as a name: end - 1 if whole it begins no value. */
  #plural(b: Uint8Array, start: number, end: number): number {
    begin();
    feedBytes(b, start, end);
    return this.#firsts.get(key()) < 1 ? end - 1 : end;
  }

  /**
   * The source of a one-word name standing at most MAX_GAP characters after `end`, or -1; its place is left
   * in `nameAfterStart`, `nameAfterStem` and `nameAfterEnd`.
   */
  #nameAfter(b: Uint8Array, end: number): number {
    const next = nextWordAt(b, end);
    if (next === -1 || next - end > MAX_GAP) return -1;
    const wordEnd = wordEndFrom(b, next);
    const stem = stemAt(b, next, wordEnd);
    begin();
    feedBytes(b, next, stem);
    const source = this.#values.get(key());
    if (source < 0 || this.sources[source]!.pii !== 'name') return -1;
    nameAfterStart = next;
    nameAfterStem = stem;
    nameAfterEnd = wordEnd;
    return source;
  }

  /**
   * A value b[start, end) and the word after a hyphen and a line end (raw, or escaped as JSON writes it;
   * spaces around it) make together: found, and where the word ends; else -1.
   */
  #broken(
    b: Uint8Array,
    start: number,
    end: number,
    found: (start: number, end: number, source: number) => void,
  ) {
    let at = end + 1;
    const spaces = () => {
      while (b[at] === 32 || b[at] === 9) at++;
    };
    spaces();
    if (b[at] === 92 && b[at + 1] === 114) at += 2;
    else if (b[at] === 13) at++;
    if (b[at] === 92 && b[at + 1] === 110) at += 2;
    else if (b[at] === 10) at++;
    else return -1;
    spaces();
    if (at >= b.length || !wordByteAt(b, at)) return -1;
    const next = wordEndFrom(b, at);
    const stem = stemAt(b, at, next);
    begin();
    feedBytes(b, start, end);
    feedBytes(b, at, stem);
    const source = this.#values.get(key());
    if (source < 0) return -1;
    found(start, stem, source);
    return next;
  }

  /**
   * Names inside b[start, end), a word that is no value as a whole, when it is of a script written without
   * spaces (see run-on.ts; "王小明你好"): as the scrubber finds them. Not in binary bytes (compressed data
   * decodes to such characters all the time).
   */
  #runOn(
    b: Uint8Array,
    start: number,
    end: number,
    found: (start: number, end: number, source: number) => void,
  ) {
    // Such scripts take 3 or 4 bytes a character in UTF-8.
    let wide = false;
    for (let i = start; i < end && !wide; i++) wide = b[i]! >= 0xe0;
    if (!wide) return;
    const word = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
    if (!hasRunOn(word, 0, word.length)) return;
    const names = runOnFound;
    names.length = 0;
    runOnNames(
      word,
      0,
      word.length,
      (from, to) => {
        begin();
        feedWord(word, from, to);
        const source = this.#values.get(key());
        return source >= 0 && this.sources[source]!.pii === 'name' ? source : -1;
      },
      names,
    );
    for (let f = 0; f < names.length; f += 3) {
      const from = start + Buffer.byteLength(word.slice(0, names[f]!));
      found(from, from + Buffer.byteLength(word.slice(names[f]!, names[f + 1]!)), names[f + 2]!);
    }
  }

  /** Digit groups of one run (start, end pairs): every stretch of whole groups of 6 to 15 digits is looked up. */
  readonly #run = new Int32Array(256);

  #phone(b: Uint8Array, count: number, found: (start: number, end: number, source: number) => void) {
    if (this.#phones.size === 0) return;
    const groups = this.#run;
    for (let g = 0; g < count; g += 2) {
      let k = 1;
      let digits = 0;
      for (let h = g; h < count; h += 2) {
        const a = groups[h]!;
        const z = groups[h + 1]!;
        digits += z - a;
        if (digits > 15) break;
        for (let i = a; i < z; i++) k = k * 10 + b[i]! - 48;
        if (digits < 6) continue;
        const source = this.#phones.get(k);
        if (source >= 0) {
          found(groups[g]!, z, source);
          g = h;
          break;
        }
      }
    }
  }

  /**
   * A scan of bytes given in chunks (a file, a zip entry), counting hits by source; see `LeakStream`.
   * `as.name`: the file's or entry's name, so that a table (.csv, .ndjson, .json, .txt) is always scanned
   * as text; `as.text`: text whatever the name (values read back from Parquet). Else binary bytes (see
   * `sniffBinary`) count no one-word name. XML and HTML (`.xml`, `.html`: a Word document's entries) are
   * read with their tags taken out (`markupText`).
   */
  stream(keep = 5, as: { name?: string; text?: boolean } = {}): LeakStream {
    const name = as.name;
    return new LeakStream(
      this,
      keep,
      as.text === true || (name !== undefined && isTextName(name)),
      name !== undefined && isMarkupName(name),
    );
  }
}

export { type LeakHit, LeakStream } from './leak-stream.js';
