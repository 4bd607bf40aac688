// The known-value dictionary: what the export itself says about people, built in a first pass over the
// candidates table into one SharedArrayBuffer that every worker thread's stage reads in place (one copy
// per run, nothing parsed; see dictionary-memory.ts). A file of it is that memory as it is. Names are what
// no pattern can find, so they are the heart of it; phone numbers are added so a known number is found in
// any punctuation, even where it does not look like one. E-mails and LinkedIn URLs are left to the detectors,
// which find every one of them whatever whose it is (see README).
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IdMap, SCHEMAS, TABLE_NAMES, type TableName, type TypedRecord } from '@talent-export/schema';
import {
  allocate,
  bad,
  chainsFit,
  entriesFit,
  find,
  HASH_BITS,
  insert,
  type Key,
  keyHash,
  probe,
  putChars,
  type Sections,
  sectionsOf,
  slotsFor,
  text,
  whole,
  wordHash,
} from './dictionary-memory.js';
import { RedactError } from './errors.js';
import { isPlaceholder } from './labels.js';
import { addressesIn, emailLocal } from './leak-urls.js';
import { fold, foldWord, nameSpellings, withoutControls, writtenOut } from './normalize.js';
import { phoneKeys } from './phone-keys.js';
import { FAKE_NAMES } from './pseudonym.js';
import { nextWord, wordEnd } from './scrub.js';
import { namedByProfile, profileHandle, profileName } from './url-names.js';

/**
 * A phone number as the dictionary keeps it: its digits behind a 1, so a leading 0 survives as a number
 * (6 to 15 digits; exact, below 2^53). Of text[start, end), read in place.
 */
export function phoneKeyIn(text: string, start: number, end: number): number | undefined {
  let key = 1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (++n > 15) return undefined;
    key = key * 10 + (c - 48);
  }
  return n >= 6 ? key : undefined;
}

/** What parts the words of a name and what joins them: white space, hyphens, dashes, apostrophes. */
const NAME_BREAKS = /[\s\-\u2010-\u2015'\u2018\u2019\u02bc\u0060\u00b4]+/g;
/** What parts the words of a name, its apostrophes kept: `HopeO'Neil` is Hope O'Neil run together too. */
const WORD_BREAKS = /[\s\-\u2010-\u2015]+/g;

/**
 * First and last name as one word (`janedoe` of Jane Doe), when that has 6 characters or more and is one
 * word (`J.` of an initial would part it).
 */
export function fullNameGlued(first: string, last: string, breaks = NAME_BREAKS): string | undefined {
  const glued = `${first}${last}`.replace(breaks, '');
  // Counted folded: `jweiss` of Jürgen Weiß is 6 letters where `JWeiß` is 5 characters.
  if (foldWord(glued).length < 6 || first.trim() === '' || last.trim() === '') return undefined;
  return nextWord(glued, 0) === 0 && wordEnd(glued, 0) === glued.length ? glued : undefined;
}

/** The candidates columns `DictionaryBuilder.add` reads: a first pass need decode no others. */
export const DICTIONARY_COLUMNS = [
  'candidate_id',
  'first_name',
  'last_name',
  'emails',
  'phone_numbers',
  'profile_url',
] as const;

/**
 * The local parts of a candidate's e-mails that say whose they are as one word, as the leak scan searches
 * them (`emailLocal`: 6 letters and digits or more, `xiaoming`, `jdoe42`): a chat handle or a file name
 * written with one (`WeChat: xiaoming`, `jdoe42_cv.pdf`) names the candidate. Folded.
 */
function handles(emails: unknown): string[] {
  const out: string[] = [];
  for (const email of list(emails).flatMap(addressesIn)) {
    const local = emailLocal(email, (word) => FAKE_NAMES.has(fold(word)));
    if (local === undefined || !/^[\p{L}\p{N}]+$/u.test(local)) continue;
    const phrase = foldWord(local);
    if (!out.includes(phrase)) out.push(phrase);
  }
  return out;
}

/**
 * Per table, the profile URL columns of the people no table names (a message's sender, a note's or project's
 * owner, a feedback's requester, an interviewer), which `DictionaryBuilder.add` reads: a first pass need
 * decode no others of those tables.
 */
export const PEOPLE_COLUMNS: Partial<Record<TableName, readonly string[]>> = Object.fromEntries(
  TABLE_NAMES.filter((table) => table !== 'candidates')
    .map((table) => [
      table,
      SCHEMAS[table].fields.filter((field) => field.pii === 'profile_url').map((field) => field.name),
    ])
    .filter(([, columns]) => columns!.length > 0),
);

/** Profile URLs remembered to skip repeats (a recruiter's URL on each of their messages); bounded. */
const SEEN_URLS = 4096;

/**
 * Collects candidates' names and phones from candidates records, and from the records of other tables the
 * names their profile URL columns are made of (`PEOPLE_COLUMNS`).
 */
export class DictionaryBuilder {
  /** Candidate id -> ordinal. */
  readonly #ordinals = new IdMap();
  /** Ids in the order first seen, so the same export gives the same file. */
  readonly #ids: string[] = [];
  readonly #phrases = new Map<string, number>();
  /** Per phrase: 1 when it is some candidate's whole first or last name (matched in every row). */
  readonly #global = new IntList();
  readonly #starts = new IntList();
  readonly #refs = new IntList();
  /**
   * Per ordinal, phrases of the candidate's later rows (another project's row may spell the name another
   * way) that the first row did not give: few candidates have any, so they wait here until `build`.
   */
  readonly #more = new Map<number, number[]>();
  readonly #phones = new NumberSet();
  /** The candidates' profile URLs (`profileKey`): a message of theirs is no other person's. */
  readonly #candidateUrls = new NumberSet();
  #candidateUrlsSorted: Float64Array | undefined;
  /** Names taken apart (see `#nameParts`). */
  readonly #partsOf = new Map<string, NameParts>();
  /** The last row's candidate and names as written: rows come grouped, most repeat the one before. */
  #last: [id: string, first: unknown, last: unknown, emails: string] = ['', undefined, undefined, ''];

  add(table: string, given: TypedRecord): void {
    if (table !== 'candidates') {
      this.#addPeople(table, given);
      return;
    }
    const record = namedByProfile(given);
    const id = record.candidate_id;
    if (typeof id !== 'string') return;
    const profile = profileKey(record.profile_url);
    if (profile !== undefined) this.#candidateUrls.add(profile);
    // Each number also as it is written at home (no country code, no extension).
    for (const phone of list(record.phone_numbers)) for (const key of phoneKeys(phone)) this.#phones.add(key);
    const [lastId, lastFirst, lastLast, lastEmails] = this.#last;
    const emails = list(record.emails).join(';');
    if (
      id === lastId &&
      record.first_name === lastFirst &&
      record.last_name === lastLast &&
      emails === lastEmails
    )
      return;
    this.#last = [id, record.first_name, record.last_name, emails];
    const first = this.#nameParts(record.first_name);
    const last = this.#nameParts(record.last_name);
    const known = this.#ordinals.get(id);
    if (known !== undefined) {
      this.#addMore(known, first, last, record.first_name, record.last_name, handles(record.emails));
      return;
    }
    this.#ordinals.set(id, this.#ids.length);
    this.#ids.push(id);
    this.#starts.push(this.#refs.length);
    // Role by position: first, last (-1 when absent), then the words of a multi-word name, which are
    // matched only in the candidate's own rows ("van", "der", "Mary" alone are too common to scrub everywhere).
    this.#refs.push(this.#intern(first.phrase, true));
    this.#refs.push(this.#intern(last.phrase, true));
    for (const w of first.own) this.#refs.push(this.#intern(w, false));
    for (const w of last.own) this.#refs.push(this.#intern(w, false));
    for (const p of [...first.spellings, ...last.spellings]) this.#refs.push(this.#intern(p, true));
    for (const glued of gluedPhrases(record.first_name, record.last_name))
      this.#refs.push(this.#intern(glued, true));
    for (const handle of handles(record.emails)) this.#refs.push(this.#intern(handle, true));
  }

  /**
   * A person or contact the export names who is no candidate (a custom field's hiring manager or second
   * phone): a name is scrubbed as `[PERSON]` wherever it stands whole (its spellings too, not its single
   * words), a phone is known as candidates' phones are.
   */
  addOther(cls: 'name' | 'phone', value: string): void {
    if (cls === 'phone') {
      for (const key of phoneKeys(value)) this.#phones.add(key);
      return;
    }
    const { phrase, spellings } = this.#nameParts(value);
    for (const p of [phrase, ...spellings]) this.#intern(p, true);
  }

  readonly #seenUrls = new Set<string>();

  /**
   * The names of the people a row names by profile URL only (`profileName`: `Priya Sharma` of
   * `linkedin.com/in/priya-sharma-1a2b3c`), whole, as `addOther` knows a name: the redactor reads one row at
   * a time, and a recruiter is named in the text of rows that are not theirs (a note of another owner).
   */
  #addPeople(table: string, record: TypedRecord): void {
    for (const column of PEOPLE_COLUMNS[table as TableName] ?? []) {
      const url = record[column];
      if (typeof url !== 'string' || url === '' || this.#seenUrls.has(url)) continue;
      if (this.#seenUrls.size >= SEEN_URLS) this.#seenUrls.clear();
      this.#seenUrls.add(url);
      const words = profileName(url);
      if (words !== undefined) this.#addProfileName(words);
    }
  }

  /**
   * A name a profile URL is made of, whole and with its last name first (`Kowalski Tomasz`, as lists and
   * some languages write it): no word of it alone (`addOther`).
   */
  #addProfileName(words: readonly string[]): void {
    this.addOther('name', words.join(' '));
    this.addOther('name', [words[words.length - 1]!, ...words.slice(0, -1)].join(' '));
  }

  /**
   * The name a profile URL is made of (a message's sender), where some word of it is no whole first or
   * last name of any candidate: "Priya Raman" when no candidate is named Raman, whose "Priya" the scrubber
   * took alone and left "[PERSON] Raman". A name of such words only is scrubbed word by word already, and
   * the candidates' own (their replies' senders) are not kept a second time. Call it once the candidates
   * are added.
   */
  addProfile(url: string): void {
    if (this.#seenUrls.has(url)) return;
    if (this.#seenUrls.size >= SEEN_URLS) this.#seenUrls.clear();
    this.#seenUrls.add(url);
    // A candidate's reply: its handle's suffix (`-gjdgzb`) or a short first name (`Wei`) is no global word,
    // and 100k candidates' names kept a second time took ~60 MB through the run.
    const key = profileKey(url);
    this.#candidateUrlsSorted ??= this.#candidateUrls.sorted();
    if (key !== undefined && sortedHas(this.#candidateUrlsSorted, key)) return;
    const words = profileName(url);
    if (words === undefined) return;
    const known = (word: string) => {
      const at = this.#phrases.get(word);
      return at !== undefined && this.#global.at(at) === 1;
    };
    if (words.every(known)) return;
    this.#addProfileName(words);
  }

  /** A later row's names: each phrase the candidate does not have yet, as the first row's would be. */
  #addMore(
    ordinal: number,
    first: NameParts,
    last: NameParts,
    firstName: unknown,
    lastName: unknown,
    extra: readonly string[],
  ): void {
    const phrases: [string, boolean][] = [];
    for (const name of [first, last]) {
      if (name.phrase !== '') phrases.push([name.phrase, true]);
      for (const w of name.own) phrases.push([w, false]);
      for (const p of name.spellings) phrases.push([p, true]);
    }
    for (const glued of gluedPhrases(firstName, lastName)) phrases.push([glued, true]);
    for (const handle of extra) phrases.push([handle, true]);
    const start = this.#starts.at(ordinal);
    const end = ordinal + 1 < this.#starts.length ? this.#starts.at(ordinal + 1) : this.#refs.length;
    let more = this.#more.get(ordinal);
    for (const [phrase, global] of phrases) {
      const had = this.#phrases.get(phrase);
      const theirs = had !== undefined && (this.#refsHold(start, end, had) || !!more?.includes(had));
      const index = this.#intern(phrase, global);
      if (theirs) continue;
      if (more === undefined) {
        more = [];
        this.#more.set(ordinal, more);
      }
      more.push(index);
    }
  }

  /**
   * `nameParts`, remembered: first names (and many last names) repeat from candidate to candidate, and
   * taking a row's two names apart was about half of its cost. The parts are only read, never changed.
   */
  #nameParts(name: unknown): NameParts {
    if (typeof name !== 'string') return nameParts(name);
    let parts = this.#partsOf.get(name);
    if (parts === undefined) {
      if (this.#partsOf.size >= PARTS_REMEMBERED) this.#partsOf.clear();
      parts = nameParts(name);
      this.#partsOf.set(name, parts);
    }
    return parts;
  }

  #refsHold(start: number, end: number, phrase: number): boolean {
    for (let i = start; i < end; i++) if (this.#refs.at(i) === phrase) return true;
    return false;
  }

  #intern(phrase: string, global: boolean): number {
    if (phrase === '') return -1;
    let index = this.#phrases.get(phrase);
    if (index === undefined) {
      index = this.#global.length;
      this.#phrases.set(phrase, index);
      this.#global.push(0);
    }
    // A name of one Latin letter ("O", "Å" folded to "a") is a word of every text: only its own rows lose it.
    if (global && !ONE_LETTER.test(phrase)) this.#global.set(index, 1);
    return index;
  }

  get candidates(): number {
    return this.#ids.length;
  }

  /** The dictionary's memory, shared: give it to `new Dictionary` here or in any worker thread. */
  build(): SharedArrayBuffer {
    const phrases = [...this.#phrases.keys()];
    const ids = this.#ids;
    const { starts, refs } = this.#allRefs();
    // Beginnings of longer phrases ("mary" of "mary ann"), each with a phrase that starts so.
    const prefixes = new Map<string, number>();
    let maxWords = 1;
    phrases.forEach((p, i) => {
      if (!p.includes(' ')) return;
      const words = p.split(' ');
      maxWords = Math.max(maxWords, words.length);
      for (let n = 1; n < words.length; n++) {
        const prefix = words.slice(0, n).join(' ');
        if (!prefixes.has(prefix)) prefixes.set(prefix, i);
      }
    });
    const phones = this.#phones.sorted();
    const length = (texts: string[]) => texts.reduce((sum, t) => sum + t.length, 0);
    // Sizes first, then every section written in place: the memory is the only copy ever made.
    const counts: Record<keyof Sections, number> = {
      phraseChars: length(phrases),
      phraseStarts: phrases.length + 1,
      global: phrases.length,
      phraseTable: slotsFor(phrases.length),
      prefixTable: slotsFor(prefixes.size),
      firstBits: 1 << (HASH_BITS - 5),
      idChars: length(ids),
      idStarts: ids.length + 1,
      idTable: slotsFor(ids.length),
      starts: ids.length + 1,
      refs: refs.length,
      phones: phones.length,
    };
    const seed = randomBytes(4).readUInt32LE(0);
    const memory = allocate({ seed, maxWords }, counts);
    const s = sectionsOf(memory);
    putChars(phrases, s.phraseChars, s.phraseStarts);
    s.global.set(this.#global.view());
    phrases.forEach((p, i) => {
      insert(s.phraseTable, seed, p, i);
      const space = p.indexOf(' ');
      const h = wordHash(p, 0, space === -1 ? p.length : space);
      if (h !== -1) s.firstBits[h >>> 5]! |= 1 << (h & 31);
    });
    for (const [prefix, i] of prefixes) insert(s.prefixTable, seed, prefix, i);
    putChars(ids, s.idChars, s.idStarts);
    ids.forEach((id, i) => {
      insert(s.idTable, seed, id, i);
    });
    s.starts.set(starts);
    s.starts[ids.length] = refs.length;
    s.refs.set(refs);
    s.phones.set(phones);
    return memory;
  }

  /** Every candidate's references: the first row's, then those of later rows (role 2, a word of either). */
  #allRefs(): { starts: Int32Array; refs: Int32Array } {
    if (this.#more.size === 0) return { starts: this.#starts.view(), refs: this.#refs.view() };
    const starts = new IntList();
    const refs = new IntList();
    const n = this.#starts.length;
    for (let o = 0; o < n; o++) {
      starts.push(refs.length);
      const end = o + 1 < n ? this.#starts.at(o + 1) : this.#refs.length;
      for (let i = this.#starts.at(o); i < end; i++) refs.push(this.#refs.at(i));
      const more = this.#more.get(o);
      if (more !== undefined) for (const r of more) refs.push(r);
    }
    return { starts: starts.view(), refs: refs.view() };
  }

  /** Writes the dictionary where the stage can load it (atomically: temp file, then rename). */
  async write(path: string): Promise<void> {
    // A name no one can guess, made new (never a file or link put there before): the names in it are
    // personal data, and a folder may be shared (a link planted at a guessed name would take them).
    const temp = join(
      dirname(path),
      `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`,
    );
    try {
      await writeFile(temp, new Uint8Array(this.build()), { mode: 0o600, flag: 'wx' });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
  }
}

/**
 * The first name's initial and the last name as one word (`jnunez` of José Núñez), as user names and the
 * file names made of them write it (`JNunez_CV.pdf`), when that has 6 characters or more and is one word.
 */
export function initialGlued(first: string, last: string): string | undefined {
  const initial = Array.from(first.normalize('NFC').trim())[0];
  return initial === undefined ? undefined : fullNameGlued(initial, last);
}

/**
 * `fullNameGlued` either way round (`wangxiaoming` of Xiaoming Wang, as the family name first writes handles)
 * and `initialGlued`, of a name as written and with its letters written out (`juergenmueller`, `jmueller` of
 * Jürgen Müller, as a keyboard without them types a handle or file name), and of each part of a last name
 * of several.
 */
export function gluedNames(first: string, last: string): string[] {
  const out = new Set<string>();
  const lasts = new Set([last, writtenOut(last)]);
  // Of a double surname, each part of 4 letters or more too (no particle: `van`, `de`, `la`), as people
  // shorten it in a handle or file name: `EQuintanilla_CV.pdf` of Eulalia O'Sullivan-Quintanilla.
  const parts = last.split(/[\s\-\u2010-\u2015]+/).filter((part) => foldWord(part).length >= 4);
  if (parts.length > 1) for (const part of parts) lasts.add(part).add(writtenOut(part));
  for (const f of new Set([first, writtenOut(first)]))
    for (const l of lasts)
      for (const glued of [
        fullNameGlued(f, l),
        fullNameGlued(f, l, WORD_BREAKS),
        fullNameGlued(l, f),
        initialGlued(f, l),
      ])
        if (glued !== undefined) out.add(glued);
  return [...out];
}

/**
 * `gluedNames` folded, as phrases: `@JaneDoe`, `janedoe` and `jdoe42` are the name, as the leak scan finds
 * them.
 */
function gluedPhrases(first: unknown, last: unknown): string[] {
  if (typeof first !== 'string' || typeof last !== 'string') return [];
  return [...new Set(gluedNames(first, last).map(foldWord))];
}

/**
 * Numbers kept unboxed, sorted and made unique when the room is full: a Set of 1.3M phone keys (400k
 * candidates) held 63 MB of heap and took the builder's peak over 512 MB; these take 8 bytes a key.
 */
/**
 * A profile URL as a number: 52 bits of two FNV-1a hashes of its handle in lower case (of the whole URL
 * when it names no handle), so 400k candidates' URLs take 8 bytes each, not a string each.
 */
function profileKey(url: unknown): number | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  const text = (profileHandle(url) ?? url.trim()).toLowerCase();
  let a = 0x811c9dc5 | 0;
  let b = 0x050c5d1f | 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0) * 2 ** 20 + (b >>> 12);
}

/** Whether a sorted array holds `value`. */
function sortedHas(values: Float64Array, value: number): boolean {
  let low = 0;
  let high = values.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const v = values[mid]!;
    if (v === value) return true;
    if (v < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

class NumberSet {
  #values = new Float64Array(1024);
  #length = 0;

  add(value: number): void {
    if (this.#length === this.#values.length) {
      this.#length = unique(this.#values.subarray(0, this.#length).sort());
      if (this.#length > this.#values.length / 2) {
        const more = new Float64Array(this.#values.length * 2);
        more.set(this.#values.subarray(0, this.#length));
        this.#values = more;
      }
    }
    this.#values[this.#length++] = value;
  }

  sorted(): Float64Array {
    const values = this.#values.subarray(0, this.#length).sort();
    return values.subarray(0, unique(values));
  }
}

/**
 * A growing list of 32-bit integers in one typed array: 4 bytes each, where an array of numbers took 8 (and
 * the 400k-candidate dictionary's build peaked over the 512 MB it must keep under, as often as not).
 */
class IntList {
  #values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.#values.length) {
      const more = new Int32Array(this.#values.length * 2);
      more.set(this.#values);
      this.#values = more;
    }
    this.#values[this.length++] = value;
  }

  at(index: number): number {
    return this.#values[index]!;
  }

  set(index: number, value: number): void {
    this.#values[index] = value;
  }

  view(): Int32Array {
    return this.#values.subarray(0, this.length);
  }
}

/** Moves the distinct values of a sorted array to its front; returns how many there are. */
function unique(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (n === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return n;
}

/** Names whose parts the builder remembers: bounded, for exports with very many distinct names. */
const PARTS_REMEMBERED = 65_536;

/** A folded phrase of one Latin letter. */
const ONE_LETTER = /^[a-z]$/;

interface NameParts {
  /** The name's folded words joined by a space ('' for none). */
  phrase: string;
  /** Its words matched in the candidate's own rows alone. */
  own: string[];
  /** The phrases of its other spellings (`nameSpellings`), matched as the name is. */
  spellings: string[];
}

/**
 * `partsOf` the name and of its other spellings: their phrases, and their own words of 3 letters or more
 * ("Brien" of "O Brien", not "O").
 */
function nameParts(name: unknown): NameParts {
  // `Unknown` or `N/A` typed for no name is no one's: as a name it would be taken out of every text.
  if (typeof name !== 'string' || isPlaceholder(name)) return { phrase: '', own: [], spellings: [] };
  const shown = withoutControls(name);
  const { phrase, own } = partsOf(shown);
  const spellings: string[] = [];
  const { glued, spaced } = nameSpellings(shown);
  for (const other of [...glued, ...spaced]) {
    const parts = partsOf(other);
    if (parts.phrase !== '' && parts.phrase !== phrase && !spellings.includes(parts.phrase))
      spellings.push(parts.phrase);
    for (const w of parts.own) if (w.length >= 3 && !own.includes(w)) own.push(w);
  }
  return { phrase, own, spellings };
}

/**
 * A first or last name as the dictionary takes it: its words cut at spaces and dashes alike ("Anne-Marie"
 * is "anne marie"), and those matched in the candidate's own rows. Those are the words of a name of
 * several words ("van", "der", "Berg"); of a hyphenated part, only one of 3 letters or more ("Jones" of
 * "Smith-Jones", not "Al" of "Al-Amin": tiny words are everywhere).
 */
function partsOf(name: string): { phrase: string; own: string[] } {
  const chunks = name
    .trim()
    .split(/\s+/)
    .map(nameWords)
    .filter((c) => c.length > 0);
  const own: string[] = [];
  let words = 0;
  for (const chunk of chunks) words += chunk.length;
  for (const chunk of chunks) {
    for (const w of chunk) {
      if (chunk.length > 1 ? w.replace(/'/g, '').length >= 3 : words > 1) own.push(w);
    }
  }
  return { phrase: chunks.map((c) => c.join(' ')).join(' '), own };
}

/**
 * The folded words of a name, cut as the scrubber cuts text: letters, digits and marks, with inner
 * apostrophes (O'Brien); a hyphen or dash parts words as a space does.
 */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  for (let at = nextWord(name, 0); at !== -1; ) {
    const end = wordEnd(name, at);
    words.push(foldWord(name.slice(at, end)));
    at = nextWord(name, end);
  }
  return words;
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];

/** The dictionary as the scrubber uses it: lookups in place over (shared) memory. */
export class Dictionary {
  /** The memory it reads: give it to another thread's `new Dictionary` to share it. */
  readonly memory: SharedArrayBuffer | ArrayBuffer;
  readonly maxWords: number;
  readonly #s: Sections;
  readonly #seed: number;
  #lastId = '';
  #lastOrdinal = -1;
  /** Reused for every lookup, so that none makes an object. */
  readonly #key: Key = { text: '', start: 0, end: 0, lower: false, units: 0 };

  constructor(memory: SharedArrayBuffer | ArrayBuffer) {
    this.memory = memory;
    const { seed, maxWords, ...sections } = sectionsOf(memory);
    this.#s = sections;
    this.#seed = seed;
    this.maxWords = maxWords;
    const s = sections;
    const phrases = s.global.length;
    const candidates = s.starts.length - 1;
    // What lookups index must hold together, or a crafted file could read out of bounds.
    if (
      s.phraseStarts.length !== phrases + 1 ||
      s.idStarts.length !== candidates + 1 ||
      s.firstBits.length !== 1 << (HASH_BITS - 5) ||
      !chainsFit(s.phraseStarts, s.phraseChars.length) ||
      !chainsFit(s.idStarts, s.idChars.length) ||
      !chainsFit(s.starts, s.refs.length) ||
      !entriesFit(s.phraseTable, phrases) ||
      !entriesFit(s.prefixTable, phrases) ||
      !entriesFit(s.idTable, candidates) ||
      s.refs.some((r) => r < -1 || r >= phrases)
    )
      bad('sections that do not fit together');
  }

  get candidates(): number {
    return this.#s.starts.length - 1;
  }

  /** The candidate's ordinal, or -1 for an id the candidates table does not hold. */
  ordinal(candidateId: string): number {
    // Rows come grouped by candidate.
    if (candidateId === this.#lastId) return this.#lastOrdinal;
    const s = this.#s;
    const found = find(s.idTable, this.#seed, whole(this.#key, candidateId), s.idChars, s.idStarts, false);
    this.#lastId = candidateId;
    this.#lastOrdinal = found;
    return found;
  }

  /** Whether text[start, end) may be a phrase's first word, in any case (always, for words beyond ASCII). */
  mayStart(text: string, start: number, end: number): boolean {
    return this.mayStartHash(wordHash(text, start, end));
  }

  /** `mayStart` by the word's `wordHash`. */
  mayStartHash(h: number): boolean {
    return h === -1 || (this.#s.firstBits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }

  /** Whether a phrase starts with this (folded) word: it is a phrase, or begins a longer one. */
  startsPhrase(word: string): boolean {
    return this.phrase(word) !== -1 || this.isPrefix(word);
  }

  /** Whether these (folded) words begin a longer phrase. */
  isPrefix(words: string): boolean {
    return this.#prefix(whole(this.#key, words));
  }

  /** A phrase's index, or -1. */
  phrase(folded: string): number {
    return this.#phrase(whole(this.#key, folded));
  }

  /**
   * `phrase` and `isPrefix` of a word in place, text[start, end) folded as `foldUnit` folds each unit (ASCII
   * words, and words whose accented letters fold to ASCII): no string is made. The phrase's index or -1,
   * and in `prefixFound` whether it begins a longer one.
   */
  asciiPhrase(text: string, start: number, end: number): number {
    const key = this.#key;
    key.text = text;
    key.start = start;
    key.end = end;
    key.lower = true;
    const s = this.#s;
    const h = keyHash(this.#seed, key);
    this.prefixFound =
      this.maxWords > 1 && probe(s.prefixTable, h, key, s.phraseChars, s.phraseStarts, true) !== -1;
    return probe(s.phraseTable, h, key, s.phraseChars, s.phraseStarts, false);
  }
  prefixFound = false;

  #phrase(key: Key): number {
    const s = this.#s;
    return find(s.phraseTable, this.#seed, key, s.phraseChars, s.phraseStarts, false);
  }

  #prefix(key: Key): boolean {
    const s = this.#s;
    return find(s.prefixTable, this.#seed, key, s.phraseChars, s.phraseStarts, true) !== -1;
  }

  /** A phrase's text (folded). */
  phraseText(phrase: number): string {
    const s = this.#s;
    return text(s.phraseChars, s.phraseStarts[phrase]!, s.phraseStarts[phrase + 1]!);
  }

  /** Whether a phrase is a name of one or two Latin letters (`li`, `al`, `o`), found only where it stands as a name. */
  isShort(phrase: number): boolean {
    const { phraseChars, phraseStarts } = this.#s;
    const from = phraseStarts[phrase]!;
    const to = phraseStarts[phrase + 1]!;
    if (to - from > 2) return false;
    for (let i = from; i < to; i++) if (phraseChars[i]! < 97 || phraseChars[i]! > 122) return false;
    return true;
  }

  isGlobal(phrase: number): boolean {
    return this.#s.global[phrase] === 1;
  }

  /** Where the phrase stands among the candidate's names: 0 first, 1 last, 2 a word of either; -1 not theirs. */
  role(ordinal: number, phrase: number): number {
    if (ordinal < 0) return -1;
    const { starts, refs } = this.#s;
    const start = starts[ordinal]!;
    const end = starts[ordinal + 1]!;
    for (let i = start; i < end; i++) if (refs[i] === phrase) return Math.min(i - start, 2);
    return -1;
  }

  /** The candidate's first or last name (folded). */
  nameOf(ordinal: number, role: 0 | 1): string | undefined {
    const { starts, refs } = this.#s;
    const ref = starts[ordinal + 1]! - starts[ordinal]! > role ? refs[starts[ordinal]! + role]! : -1;
    return ref >= 0 ? this.phraseText(ref) : undefined;
  }

  knownPhone(text: string): boolean {
    return this.knownPhoneIn(text, 0, text.length);
  }

  /** `knownPhone` of text[start, end), read in place. */
  knownPhoneIn(text: string, start: number, end: number): boolean {
    const key = phoneKeyIn(text, start, end);
    if (key === undefined) return false;
    return sortedHas(this.#s.phones, key);
  }
}

/** Loads a dictionary file written by `DictionaryBuilder.write` into shared memory, read in one go. */
export function loadDictionary(path: string): Dictionary {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const memory = new SharedArrayBuffer(size);
    const bytes = new Uint8Array(memory);
    for (let at = 0; at < size; ) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return new Dictionary(memory);
  } catch (error) {
    if (error instanceof RedactError) throw error;
    throw new RedactError(
      'REDACT_BAD_DICTIONARY',
      `the dictionary file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); build it again with DictionaryBuilder`,
      { cause: error },
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
