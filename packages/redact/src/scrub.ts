// Free-text scrubbing in one left-to-right pass: detectors (e-mails, LinkedIn URLs, phone numbers) first,
// then between their finds the words, looked up in the dictionary's name phrases. Every word costs one
// bit test unless a phrase may start with it, so scrubbing is linear in the text's length. Everything
// reads the text in place by offsets (no piece of it is cut out unless it is replaced or looked up by
// folding); around the anchors, the detectors are hand-written scans that give exactly what the regular
// expressions in their comments would.

import { decodedBase64 } from './base64-text.js';
import type { Counters } from './counters.js';
import type { Dictionary } from './dictionary.js';
import { FNV_OFFSET, FNV_PRIME, hashBits, wordHash } from './dictionary-memory.js';
import { decodedWords } from './encoded-words.js';
import { withoutInWordTags } from './inword-tags.js';
import {
  DROPPED,
  fold,
  foldUnit,
  foldWord,
  INVISIBLE_CHARS,
  isApostrophe,
  isDash,
  isZeroWidthJoiner,
} from './normalize.js';
import {
  digitsIn,
  extensionEnd,
  isDate,
  looksLikePhone,
  MAX_PHONE_DIGITS,
  numbersApart,
  vanityEnd,
} from './phone-shape.js';
import type { Policy } from './policy.js';
import type { Pseudonymizer } from './pseudonym.js';
import { hasRunOn, runOnNames } from './run-on.js';
import { MAIL_PROVIDERS, spelledEmails } from './spelled-email.js';
import { mayBeEscaped, unescapeMapped } from './unescape.js';

// Each kind is looked for by what it cannot do without (an @, a slash, a digit), so text without one
// costs a single fast search; the Unicode classes are applied only around those anchors.
// Characters that show nothing (a soft hyphen, zero-width characters, a BOM) are part of an address.
const LOCAL = new RegExp(`[\\p{L}\\p{N}._%+'\\-${INVISIBLE_CHARS}]`, 'u');
const DOMAIN = new RegExp(`[\\p{L}\\p{N}\\-${INVISIBLE_CHARS}]`, 'u');
/**
 * A LinkedIn URL's tail: /[^\s<>"'()[\]{},;\\]+/ from the end of `linkedin.com/in/`. A backslash is no
 * URL's (it is written %5C) but starts an escape of the text around it (`\"` or `\n` of JSON), kept.
 */
const URL_CHAR = /[^\s<>"'()[\]{},;\\]/;
/**
 * Phone-shaped runs: from a digit (after an optional + and parenthesis) to a digit 5 or more further on.
 * Between digits: spaces of any width (typesetting puts U+202F or U+2009 between groups), dashes, and
 * characters that show nothing (a soft hyphen, zero-width characters: `212\u200b555\u200b0199`; the
 * direction marks right-to-left text puts around numbers).
 */
const PHONE_RUN = /\+?\(?\d[\d \t\u00a0\u2000-\u200f\u202f().\-/\u2010-\u2015\u00ad\u2060\ufeff]{4,}\d/g;

// Per code unit, whether it is in a class (0 not known yet, 1 yes, 2 no): a regular expression per
// character costs more than the rest of the search.
const localChars = new Uint8Array(65_536);
const domainChars = new Uint8Array(65_536);
const urlChars = new Uint8Array(65_536);

function inClass(known: Uint8Array, re: RegExp, c: number): boolean {
  let k = known[c]!;
  if (k === 0) {
    k = re.test(String.fromCharCode(c)) ? 1 : 2;
    known[c] = k;
  }
  return k === 1;
}

const EMAIL = 0;
const PROFILE = 1;
const PHONE = 2;

const isDigit = (c: number) => c >= 48 && c <= 57;
/** A dot between a host's labels: `.`, a full-width `．`, an ideographic `。` or its half-width `｡`. */
const isHostDot = (c: number) => c === 46 || c === 0xff0e || c === 0x3002 || c === 0xff61;
/** The fewest digits of a candidate id given its pseudonym in free text (see `#knownId`). */
const MIN_ID_DIGITS = 6;
/** /[\w-]/ (ASCII only, as without the u flag). */
const isHostChar = (c: number) =>
  (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c === 95 || c === 45;

/** Whether text at `at` holds `ascii` (lower case letters and punctuation), letters in any case. */
function hasAt(text: string, at: number, ascii: string): boolean {
  if (at < 0 || at + ascii.length > text.length) return false;
  for (let i = 0; i < ascii.length; i++) {
    const want = ascii.charCodeAt(i);
    const c = text.charCodeAt(at + i);
    if (c !== want && !(want >= 97 && want <= 122 && (c | 0x20) === want && c >= 65 && c <= 90)) return false;
  }
  return true;
}

// What `finds` found, in arrays reused from text to text (no object per find).
const starts: number[] = [];
const ends: number[] = [];
const kinds: number[] = [];
let found = 0;

const addEmail = (start: number, end: number) => add(start, end, EMAIL);

function add(start: number, end: number, kind: number): void {
  starts[found] = start;
  ends[found] = end;
  kinds[found] = kind;
  found++;
}

/** A local part may be quoted, spaces and all (`"John Smith"@example.com`): of 64 characters at most, on one line. */
const MAX_QUOTED = 64;

/** Where the quoted local part that ends before the @ at `at` starts (its opening quote), else `at`. */
function quotedLocal(text: string, at: number): number {
  const open = text.lastIndexOf('"', at - 2);
  if (open < 0 || open > at - 3 || at - 1 - open > MAX_QUOTED + 1) return at;
  for (let i = open + 1; i < at - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return at;
  }
  return open;
}

/**
 * The detectors' finds by start (the longer first), in `starts`, `ends` and `kinds`: e-mail addresses,
 * LinkedIn URLs and phone-shaped runs of digits; they may overlap. Their number.
 */
function finds(text: string): number {
  found = 0;
  const n = text.length;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    if (text.charCodeAt(at - 1) === 34) start = quotedLocal(text, at);
    else {
      while (start > 0 && inClass(localChars, LOCAL, text.charCodeAt(start - 1))) start--;
      // Not the letter of an escape before it (`\njane@example.com` of text stored JSON-escaped).
      if (start > 0 && text.charCodeAt(start - 1) === 92) start = pastEscape(text, start, at);
    }
    let end = at + 1;
    let dot = false;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (inClass(domainChars, DOMAIN, c)) continue;
      // A full-width dot or an ideographic full stop parts a host's labels too (`163。com`).
      const next = text.charCodeAt(end + 1);
      if (!isHostDot(c) || end + 1 >= n || !inClass(domainChars, DOMAIN, next)) break;
      // Not before a word of the sentence (`qq。com。谢谢`): a label after such a dot is ASCII.
      if (c !== 46 && !(next < 128 && isHostChar(next))) break;
      dot = true;
    }
    if (start < at && !dot) end = hostEnd(text, at + 1, end);
    if (start < at && end > at + 1) add(start, end, EMAIL);
  }
  // Spelled out so that machines should not read it ("jane at example dot com"): a person's address still.
  spelledEmails(text, addEmail);
  // /linkedin\.com\/(?:in|pub|profile|mwlite\/in|comm\/in|talent\/profile|talent\/hire|recruiter|
  // sales\/lead|sales\/people)\//gi, found by its first slash: most texts have none.
  if (n > 2) {
    for (let slash = text.indexOf('/', 2); slash !== -1; slash = text.indexOf('/', slash + 1)) {
      if (!hasAt(text, slash - 12, 'linkedin.com')) {
        // What leads to a profile without LinkedIn's host, as people paste it: a short link (`lnkd.in/…`),
        // the profile's path alone (`/in/jane-doe`) or after a label (`LinkedIn: in/jane-doe`).
        const bare = (text.charCodeAt(slash - 1) | 0x20) === 110 ? bareProfile(text, slash) : -1;
        if (bare !== -1) {
          const tail = urlTail(text, slash + 1);
          add(bare, tail, PROFILE);
          slash = tail - 1;
          continue;
        }
        // A Download Url of export.csv pasted in (`linkedin-ei.com/ambry/?x-li-ambry-ep=…`): while it lives
        // it opens the whole export, every person in it.
        if (hasAt(text, slash - 15, 'linkedin-ei.com')) {
          const index = slash - 15;
          let end = slash + 1;
          while (end < n && inClass(urlChars, URL_CHAR, text.charCodeAt(end))) end++;
          let tail = end;
          while (tail > slash + 1 && /[.!?:]/.test(text[tail - 1]!)) tail--;
          if (tail > slash + 1) add(index - urlHead(text, index), tail, PROFILE);
          slash = end - 1;
          continue;
        }
        // A profile on another network (`github.com/jdoe-dev`, `xing.com/profile/Jane_Doe`): its handle
        // names the person as a LinkedIn URL does.
        const host = socialHost(text, slash);
        if (host !== -1 && slash + 1 < n && isHandleChar(text.charCodeAt(slash + 1))) {
          const tail = urlTail(text, slash + 1);
          if (tail > slash + 1) add(host - urlHead(text, host), tail, PROFILE);
          slash = Math.max(slash + 1, tail) - 1;
        }
        continue;
      }
      const path = profilePath(text, slash + 1);
      if (path === 0) continue;
      const index = slash - 12;
      const after = slash + path;
      let tail = after;
      while (tail < n && inClass(urlChars, URL_CHAR, text.charCodeAt(tail))) tail++;
      // Trailing sentence punctuation is not the URL's: /[.!?:]+$/.
      while (tail > after) {
        const c = text.charCodeAt(tail - 1);
        if (c !== 46 && c !== 33 && c !== 63 && c !== 58) break;
        tail--;
      }
      if (tail > after) add(index - urlHead(text, index), tail, PROFILE);
      // Past the whole URL: another `linkedin.com/in/` inside it is part of this find, and starting again at
      // each would read the rest of the URL once per occurrence.
      slash = Math.max(after, tail) - 1;
    }
  }
  // A regular expression is the fastest search for phone numbers over the whole text (compiled for the
  // text's width of characters; a loop of charCodeAt pays for that on every character).
  PHONE_RUN.lastIndex = 0;
  for (let m = PHONE_RUN.exec(text); m !== null; m = PHONE_RUN.exec(text)) {
    addPhoneRun(text, m.index, m.index + m[0].length);
  }
  if (found < 2) return found;
  // By start, the longer first (stable). Overlaps are left to `scrub`: only it knows which finds are
  // replaced (a phone-shaped run may be no phone number, and must not hide a URL it runs into).
  for (let i = 1; i < found; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    const k = kinds[i]!;
    let j = i - 1;
    for (; j >= 0 && (starts[j]! > s || (starts[j] === s && ends[j]! < e)); j--) {
      starts[j + 1] = starts[j]!;
      ends[j + 1] = ends[j]!;
      kinds[j + 1] = kinds[j]!;
    }
    starts[j + 1] = s;
    ends[j + 1] = e;
    kinds[j + 1] = k;
  }
  return found;
}

/** A top-level domain typed after a space (`jane@example .com`): common ones only, never a word of a sentence. */
const SPACED_TLD =
  /[ \t]*\.[ \t]*(?:com|org|net|edu|gov|io|uk|de|fr|nl|ca|au|info|biz|dev)(?![\p{L}\p{N}])/iuy;
/** Mail providers written without their top-level domain (`jane@gmail`). */
const MAIL_HOST = new RegExp(`^(?:${MAIL_PROVIDERS})$`, 'i');

/**
 * Where the address whose host text[from, end) has no dot ends: after a top-level domain typed after a
 * space, at `end` for a mail provider's name alone, else at `from` (no address: `@team`, `jane@home`).
 */
function hostEnd(text: string, from: number, end: number): number {
  if (end === from) return from;
  SPACED_TLD.lastIndex = end;
  if (SPACED_TLD.test(text)) return SPACED_TLD.lastIndex;
  return MAIL_HOST.test(text.slice(from, end)) ? end : from;
}

/**
 * How far a LinkedIn URL starts before `linkedin.com` at `index`: what /(?:https?:\/\/)?(?:[\w-]+\.)?$/i
 * matches first in the 40 characters before it (a scheme, a host label and a dot such as `www.`).
 */
function urlHead(text: string, index: number): number {
  const low = Math.max(0, index - 40);
  const scheme = (end: number) =>
    end - 8 >= low && hasAt(text, end - 8, 'https://')
      ? end - 8
      : end - 7 >= low && hasAt(text, end - 7, 'http://')
        ? end - 7
        : end;
  if (index - 1 >= low && text.charCodeAt(index - 1) === 46) {
    let label = index - 1;
    while (label > low && isHostChar(text.charCodeAt(label - 1))) label--;
    return label < index - 1 ? index - scheme(label) : 0;
  }
  return index - scheme(index);
}

/** Names found inside a word (start, end, phrase), reused. */
const runOnFound: number[] = [];

/** Digits other than ASCII's that phone numbers are typed with: full-width, Arabic-Indic, Persian, Devanagari. */
const OTHER_DIGIT = /[\uff10-\uff19\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]/;
/** Those digits, the full-width signs of a phone number (＋ － （ ） ． ／) and the ideographic space. */
const OTHER_PHONE =
  /[\uff10-\uff19\uff0b\uff0d\uff08\uff09\uff0e\uff0f\u3000\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]/g;

/** Other digits and full-width phone signs as their ASCII forms (the ideographic space a space). */
function asciiDigits(text: string): string {
  return text.replace(OTHER_PHONE, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x3000) return ' ';
    if (code >= 0xff00) return String.fromCharCode(code - 0xfee0);
    const zero = code >= 0x0966 ? 0x0966 : code >= 0x06f0 ? 0x06f0 : 0x0660;
    return String.fromCharCode(48 + code - zero);
  });
}

export type Token = 'CANDIDATE' | 'PERSON' | 'EMAIL' | 'PHONE' | 'URL';

export class Scrubber {
  readonly #dict: Dictionary | undefined;
  readonly #ps: Pseudonymizer;
  readonly #values: boolean;
  readonly #email: boolean;
  readonly #url: boolean;
  readonly #phone: boolean;
  readonly #counters: Counters;
  readonly #slot: Record<string, number>;
  /** A candidate id as the policy writes it (its pseudonym, or itself where ids are kept). */
  readonly #ids: ((id: string) => string) | undefined;
  /** Whether the text being scrubbed gets its candidate ids as pseudonyms (see `scrub`). */
  #idsOn = true;
  /** The text scrubbed so far, and where in the input copying resumes. */
  #out = '';
  #copied = 0;
  /**
   * The text as written, while its digits are scrubbed as ASCII ones (same length, see `asciiDigits`): what
   * is not replaced is copied from it, so a date in Arabic-Indic digits beside a phone number stays so.
   */
  #source: string | undefined;
  /** While the text is scrubbed unescaped: where each of its characters starts in `#source`. */
  #map: Int32Array | undefined;

  constructor(
    dict: Dictionary | undefined,
    ps: Pseudonymizer,
    scrub: Policy['scrub'],
    counters: Counters,
    ids?: (id: string) => string,
  ) {
    this.#dict = dict;
    this.#ids = ids;
    this.#ps = ps;
    this.#values = scrub.replace === 'values';
    this.#email = scrub.detectors.includes('email');
    this.#url = scrub.detectors.includes('linkedin_url');
    this.#phone = scrub.detectors.includes('phone');
    this.#counters = counters;
    this.#slot = Object.fromEntries(
      ['email', 'phone', 'linkedin_url', 'candidate_name', 'person_name', 'known_phone', 'candidate_id'].map(
        (k) => [k, counters.slot(`find:${k}`)],
      ),
    );
  }

  /** The counts the last `scrub` added (slots, in order), so that a caller can add them again. */
  readonly trail: number[] = [];
  /**
   * Whether the last `scrub` asked who the row's candidate is (a known name was found): if not, its text
   * is scrubbed the same in every row, whoever the candidate.
   */
  byCandidate = false;

  #count(slot: number): void {
    this.#counters.add(slot);
    this.trail.push(slot);
  }

  /** Puts `replacement` for text[start, end) in the output. */
  #put(text: string, start: number, end: number, replacement: string): void {
    if (start > this.#copied) {
      const map = this.#map;
      const from = this.#source ?? text;
      this.#out += map ? from.slice(map[this.#copied], map[start]) : from.slice(this.#copied, start);
    }
    this.#out += replacement;
    this.#copied = end;
  }

  /**
   * The text with people replaced; the same string when nothing was found. `ordinal`: the row's candidate.
   * A known candidate id standing as a whole number ("see candidate 1002") becomes its pseudonym, as the
   * candidate_id columns do: the old id beside the new one would undo the pseudonym. `ids: false` for a
   * text whose ids were given their pseudonyms already (a file name), which may be other candidates' ids.
   */
  scrub(text: string, ordinal: number, ids = true): string {
    // A mail header's B-encoded words (`=?UTF-8?B?Wm/DqyBOZ3V54buFbg==?=`) and a body in base64 are scrubbed
    // as the text they are: one naming a person comes out as that text, scrubbed; a text with none found is
    // left as written.
    // And its tags inside words (`<span>Zo</span><span>ë</span>`, `<b>H</b>ope`) are taken out: the word is read
    // whole, as it shows.
    const plain = decodedWords(text) ?? decodedBase64(text) ?? withoutInWordTags(text);
    if (plain !== undefined) {
      const out = this.scrub(plain, ordinal, ids);
      return out === plain ? text : out;
    }
    this.#idsOn = ids;
    // Phone numbers typed with full-width digits (Japanese and Chinese keyboards: ０９０－１２３４－５６７８) or
    // Arabic, Persian or Devanagari ones (٠٥٠ ١٢٣ ٤٥٦٧) are scrubbed as digits; a text with none found is left
    // as written.
    if (OTHER_DIGIT.test(text)) {
      const plain = asciiDigits(text);
      this.#source = text;
      try {
        const out = this.#unescaped(plain, ordinal);
        return out === plain ? text : out;
      } finally {
        this.#source = undefined;
      }
    }
    return this.#unescaped(text, ordinal);
  }

  #unescaped(text: string, ordinal: number): string {
    // Links, HTML and JSON hide text behind escapes (`?email=jane%40example.com&name=Jane%20Doe`, `O&#39;Brien`,
    // `linkedin.com\/in\/jane-doe`, `Se\u00e1n O\u0027Brien`, a mail's quoted-printable `Ren=C3=A9e`):
    // such a text is scrubbed as it reads, and left as written, escapes and all, when nothing is found.
    if (mayBeEscaped(text)) {
      const plain = unescapeMapped(text);
      if (plain !== undefined) {
        // What is not replaced is copied as written, escapes and all (`&lt;` stays `&lt;`, not a tag).
        const source = this.#source;
        this.#source = source ?? text;
        this.#map = plain.at;
        try {
          const out = this.#scrub(plain.text, ordinal);
          return out === plain.text ? text : out;
        } finally {
          this.#source = source;
          this.#map = undefined;
        }
      }
    }
    return this.#scrub(text, ordinal);
  }

  #scrub(text: string, ordinal: number): string {
    this.trail.length = 0;
    this.byCandidate = false;
    this.#out = '';
    this.#copied = 0;
    // Names are looked for between the detectors' finds that are replaced, each stretch on its own.
    let from = 0;
    const found = finds(text);
    for (let f = 0; f < found; f++) {
      const start = starts[f]!;
      let end = ends[f]!;
      // Within what was replaced already: nothing left of it.
      if (end <= from) continue;
      const kind = kinds[f]!;
      const replacement = this.#replace(text, start, end, kind);
      if (replacement === undefined) {
        // More digits than a number has: the numbers the dictionary knows inside.
        if (kind === PHONE && this.#dict !== undefined && digitsIn(text, start, end) > MAX_PHONE_DIGITS)
          from = this.#knownIn(text, start, end, from, ordinal);
        continue;
      }
      // A phone number's extension is the person's line: it goes with the number.
      if (kind === PHONE) end = extensionEnd(text, end);
      // Running on past a find replaced before it (a phone number into a URL): the rest goes too.
      const at =
        kind === EMAIL ? this.#nameBefore(text, Math.max(start, from), from, ordinal) : Math.max(start, from);
      this.#names(text, from, at, ordinal);
      this.#put(text, at, end, replacement);
      from = end;
    }
    this.#names(text, from, text.length, ordinal);
    const out = this.#out;
    this.#out = '';
    if (this.#copied === 0) return text;
    if (this.#copied >= text.length) return out;
    const map = this.#map;
    return out + (this.#source ?? text).slice(map ? map[this.#copied] : this.#copied);
  }

  /**
   * Known numbers inside a run of more digits than a number has (`020 7946 0958.020 7946 0959`): the longest
   * stretch of whole groups of digits from each group that the dictionary knows, put in the output after the
   * names before it. Where the output has got to (else `from`).
   */
  #knownIn(text: string, start: number, end: number, from: number, ordinal: number): number {
    const dict = this.#dict!;
    for (let g = start; g < end; ) {
      if (!isDigit(text.charCodeAt(g))) {
        g++;
        continue;
      }
      let known = -1;
      let digits = 0;
      for (let h = g; h < end && digits <= MAX_PHONE_DIGITS; h++) {
        if (!isDigit(text.charCodeAt(h))) continue;
        digits++;
        const groupEnd = h + 1 >= end || !isDigit(text.charCodeAt(h + 1));
        if (groupEnd && digits >= 6 && digits <= MAX_PHONE_DIGITS && dict.knownPhoneIn(text, g, h + 1))
          known = h + 1;
      }
      if (known === -1 || g < from) {
        while (g < end && isDigit(text.charCodeAt(g))) g++;
        continue;
      }
      // With the + or parenthesis before its first digit.
      const c = g > Math.max(start, from) ? text.charCodeAt(g - 1) : 0;
      const at = c === 43 || c === 40 ? g - 1 : g;
      this.#names(text, from, at, ordinal);
      this.#count(this.#slot.known_phone!);
      this.#put(text, at, known, this.#phoneText(text, at, known));
      from = known;
      g = known;
    }
    return from;
  }

  #replace(text: string, start: number, end: number, kind: number): string | undefined {
    if (kind === EMAIL) {
      if (!this.#email) return undefined;
      this.#count(this.#slot.email!);
      return this.#values ? this.#ps.fake('email', text.slice(start, end)) : '[EMAIL]';
    }
    if (kind === PROFILE) {
      if (!this.#url) return undefined;
      this.#count(this.#slot.linkedin_url!);
      return this.#values ? this.#ps.fake('profile_url', text.slice(start, end)) : '[URL]';
    }
    if (this.#dict?.knownPhoneIn(text, start, end)) {
      this.#count(this.#slot.known_phone!);
    } else if (this.#idsOn && this.#ids !== undefined && this.#dict && this.#knownId(text, start, end)) {
      // A candidate id of 10 digits, as Talent Hub's are, has a phone's shape; kept where ids are.
      const first = text.charCodeAt(start) === 40 ? start + 1 : start;
      const id = text.slice(first, end);
      const newId = this.#ids(id);
      if (newId !== id) this.#count(this.#slot.candidate_id!);
      return text.slice(start, first) + newId;
    } else {
      if (!this.#phone || !looksLikePhone(text, start, end)) return undefined;
      this.#count(this.#slot.phone!);
    }
    return this.#phoneText(text, start, end);
  }

  /**
   * Whether text[start, end), after an opening parenthesis or not, is all digits and a known candidate id.
   * Not of fewer than 6 digits: an export with ids that short would lose its years and amounts to them
   * (Talent Hub's ids have 10).
   */
  #knownId(text: string, start: number, end: number): boolean {
    if (text.charCodeAt(start) === 40) start++;
    if (end - start > 30 || end - start < MIN_ID_DIGITS) return false;
    for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
    return this.#dict!.ordinal(text.slice(start, end)) >= 0;
  }

  /** What a phone number found at text[start, end) becomes: its fake, or the placeholder. */
  #phoneText(text: string, start: number, end: number): string {
    return this.#values ? this.#ps.fake('phone', text.slice(start, end)) : '[PHONE]';
  }

  /**
   * Where an e-mail address found at `start` starts once the words of a known name typed before it with a
   * space are taken in (`mary ann@corp.io`, `john . smith@example.com`): else `mary` of a first name `Mary
   * Ann` would be left as no name of its own. At most 3 words, none before `from`.
   */
  #nameBefore(text: string, start: number, from: number, ordinal: number): number {
    const dict = this.#dict;
    if (dict === undefined || start - from < 2) return start;
    let after: string | undefined;
    let at = start;
    for (let taken = 0; taken < 3; taken++) {
      // One space, or a dot, underscore or hyphen with at most a space either side (`john . smith@`).
      let gap = at;
      if (text.charCodeAt(gap - 1) === 32) gap--;
      const c = text.charCodeAt(gap - 1);
      if (c === 46 || c === 95 || c === 45) {
        gap--;
        if (text.charCodeAt(gap - 1) === 32) gap--;
      }
      if (gap === at || gap <= from || !wordAt(text, gap - 1)) break;
      let wordStart = gap - 1;
      while (
        wordStart > from &&
        (wordAt(text, wordStart - 1) ||
          (isJoiner(text.charCodeAt(wordStart - 1)) && wordStart - 2 >= from && wordAt(text, wordStart - 2)))
      )
        wordStart--;
      // Most words before an address (`to`, `at`, `email:`) start no name: one bit says so.
      if (!dict.mayStart(text, wordStart, gap)) break;
      const word = fold(text.slice(wordStart, gap));
      if (after === undefined) {
        let right = start;
        while (right < text.length && wordAt(text, right)) right++;
        after = fold(text.slice(start, right));
      }
      if (
        !this.#knownName(dict.phrase(word), ordinal) &&
        !this.#knownName(dict.phrase(`${word} ${after}`), ordinal)
      )
        break;
      at = wordStart;
      after = word;
    }
    return at;
  }

  /** A name found in any row, or in this candidate's; not one of one or two letters (a word of many texts). */
  #knownName(phrase: number, ordinal: number): boolean {
    const dict = this.#dict!;
    if (phrase < 0 || dict.isShort(phrase)) return false;
    // Whose row it is may decide: the text's result is the candidate's own (see `byCandidate`).
    this.byCandidate = true;
    return dict.isGlobal(phrase) || dict.role(ordinal, phrase) >= 0;
  }

  /**
   * Names in text[from, to), a stretch with no detector find, put in the output. Words are cut there as
   * `nextWord`, `wordEnd` and `stemEnd` cut them, in one pass that also takes the stem's hash as `wordHash`
   * takes it: every character of a text passes here, so it is written for speed.
   */
  #names(text: string, from: number, to: number, ordinal: number): void {
    const dict = this.#dict;
    if (dict === undefined) return;
    let lastToken = '';
    /** Where the last name replaced in this stretch ends (-1: none yet). */
    let lastEnd = -1;
    let i = from;
    while (i < to) {
      let c = text.charCodeAt(i);
      if (c < 0x80 ? LOWER[c]! < 0 : !wordAt(text, i)) {
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      let ascii = true;
      // Before the last joiner: the stem's hash when the word ends in a possessive 's.
      let joinAt = -1;
      let joinHash = 0;
      let joinAscii = true;
      // Each character read once: ASCII letters and digits (nearly all) cost a table load and a multiply.
      while (i < to) {
        c = text.charCodeAt(i);
        if (c < 0x80) {
          const lower = LOWER[c]!;
          if (lower >= 0) {
            h = Math.imul(h ^ lower, FNV_PRIME);
            i++;
            continue;
          }
        } else if (wordAt(text, i)) {
          const f = foldUnit(c);
          if (f < 0x80) {
            if (f !== DROPPED) h = Math.imul(h ^ f, FNV_PRIME);
          } else ascii = false;
          i++;
          continue;
        }
        // A space or punctuation ends the word: of ASCII, only an apostrophe joins two words.
        if (c < 0x80 && c !== 39) break;
        if (!joinsAt(text, i, c) || i + 1 >= to || !wordAt(text, i + 1)) break;
        joinAt = i;
        joinHash = h;
        joinAscii = ascii;
        const f = foldUnit(c);
        if (f === DROPPED) {
          // A zero-width joiner inside a Latin word ("J\u200dane"): folded away.
        } else if (f < 0x80) h = Math.imul(h ^ f, FNV_PRIME);
        else ascii = false;
        i++;
      }
      const end = i;
      // A word hyphenated at a line break ("Fair-\nweather", text pasted from a CV or PDF).
      if (c === 45 && end < to) {
        const broken = this.#broken(text, start, end, to, ordinal);
        if (broken > 0) {
          i = lastEnd = broken;
          lastToken = '';
          continue;
        }
      }
      // A number: no name, but it may be a candidate's id.
      if (end - start >= MIN_ID_DIGITS && isDigit(text.charCodeAt(start))) {
        if (this.#idsOn && this.#ids !== undefined && this.#knownId(text, start, end)) {
          const id = text.slice(start, end);
          const newId = this.#ids(id);
          if (newId !== id) {
            this.#count(this.#slot.candidate_id!);
            this.#put(text, start, end, newId);
          }
          lastToken = '';
          lastEnd = -1;
          continue;
        }
      }
      // A name spelled letter by letter ("J A N E  D O E", "D-O-E"): only a letter alone can start one.
      if (
        end === start + 1 &&
        end + 1 < to &&
        isSpacer(text.charCodeAt(end)) &&
        isLetterAlone(text, start, to)
      ) {
        const spelled = this.#spelled(text, start, to, ordinal);
        if (spelled > 0) {
          i = spelled;
          lastToken = '';
          lastEnd = spelled;
          continue;
        }
      }
      let stem = end;
      let hash: number;
      if (
        joinAt === end - 2 &&
        (text.charCodeAt(end - 1) | 0x20) === 115 &&
        isApostrophe(text.charCodeAt(joinAt))
      ) {
        stem = joinAt;
        hash = joinAscii ? hashBits(joinHash) : -1;
      } else hash = ascii ? hashBits(h) : -1;
      // A plural possessive ("the Smiths' house"): the family's name is the word without its s.
      if (
        stem === end &&
        end < to &&
        isApostrophe(text.charCodeAt(end)) &&
        this.#plural(text, start, end, hash)
      ) {
        stem = end - 1;
        hash = wordHash(text, start, stem);
      }
      // Most words are no name's first word: ruled out by their hash, without a string.
      if (!dict.mayStartHash(hash)) {
        // A handle with digits after the name ("janedoe92", "doe1990"): its letters may be one.
        const letters = isDigit(text.charCodeAt(stem - 1)) ? lettersEnd(text, start, stem) : -1;
        if (letters === -1) {
          i = afterEscape(text, start, end);
          continue;
        }
        hash = wordHash(text, start, letters);
        if (!dict.mayStartHash(hash)) {
          i = afterEscape(text, start, end);
          continue;
        }
        stem = letters;
      }
      // A word that folds to ASCII is looked up in place; others folded first (ß, Σ, CJK).
      let word: string | undefined;
      let best: number;
      let grows: boolean;
      if (hash !== -1) {
        best = dict.asciiPhrase(text, start, stem);
        grows = dict.prefixFound;
      } else {
        word = foldWord(text.slice(start, stem));
        best = dict.phrase(word);
        grows = dict.maxWords > 1 && dict.isPrefix(word);
      }
      if (best < 0 && !grows) {
        // A word of a script written without spaces ("王小明你好") may hold names.
        if (hash === -1 && hasRunOn(text, start, stem)) {
          lastEnd = this.#runOn(text, start, stem, ordinal, lastEnd);
          lastToken = '';
        } else i = afterEscape(text, start, end);
        continue;
      }
      if (best >= 0) this.byCandidate = true;
      let role = best >= 0 ? dict.role(ordinal, best) : -1;
      if (best >= 0 && role < 0 && !dict.isGlobal(best)) best = -1;
      let bestEnd = stem;
      if (grows) {
        // Longest phrase first, growing only along known beginnings; words separated by white space only.
        let phrase = word ?? foldWord(text.slice(start, stem));
        let at = stem;
        let grown = end;
        for (let n = 1; n < dict.maxWords && dict.isPrefix(phrase); n++) {
          let next = nextWord(text, grown, to);
          if (next === -1) break;
          // In an HTML body, tags between the words (`<b>Sarah</b> <b>Connor</b>`).
          if (!blank(text, at, next, true) && (next = pastTags(text, at, to)) === -1) break;
          grown = wordEnd(text, next, to);
          const nextStem = stemEnd(text, next, grown);
          phrase += ` ${foldWord(text.slice(next, nextStem))}`;
          at = nextStem;
          const match = dict.phrase(phrase);
          if (match < 0) continue;
          this.byCandidate = true;
          const matchRole = dict.role(ordinal, match);
          if (dict.isGlobal(match) || matchRole >= 0) {
            best = match;
            role = matchRole;
            bestEnd = at;
          }
        }
      }
      if (best < 0) {
        i = afterEscape(text, start, end);
        continue;
      }
      // A name of one or two letters ("Li", "Al", "O") is a word elsewhere ("AL-based", "et al."): only
      // where it stands as a name.
      if (
        bestEnd === stem &&
        dict.isShort(best) &&
        !standsAsName(dict, text, start, stem, to, role >= 0, lastEnd, ordinal)
      )
        continue;
      const token = this.#name(best, role, ordinal);
      // "[CANDIDATE] [CANDIDATE]" for a first and a last name reads as one: one token for the run.
      if (!this.#values && token === lastToken && lastEnd >= 0 && blank(text, lastEnd, start)) {
        this.#copied = bestEnd;
      } else this.#put(text, start, bestEnd, token);
      lastToken = token;
      lastEnd = bestEnd;
      i = bestEnd;
    }
  }

  /**
   * Whether text[start, end), a word before an apostrophe, is a plural possessive of a name: it ends in s
   * after 3 letters or more and, whole, begins no name (`Jones'` is Jones's). Its `wordHash` is `hash`.
   */
  #plural(text: string, start: number, end: number, hash: number): boolean {
    if (end - start < 4 || (text.charCodeAt(end - 1) | 0x20) !== 115) return false;
    const dict = this.#dict!;
    if (hash === -1) return !dict.startsPhrase(foldWord(text.slice(start, end)));
    if (!dict.mayStartHash(hash)) return true;
    return dict.asciiPhrase(text, start, end) < 0 && !dict.prefixFound;
  }

  /**
   * A name hyphenated at a line break: text[start, end) then a hyphen, a line end (spaces around it) and
   * the rest of the word. Put in the output when the two halves joined are a name; its end, else -1.
   */
  #broken(text: string, start: number, end: number, to: number, ordinal: number): number {
    let at = end + 1;
    while (at < to && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
    if (text.charCodeAt(at) === 13) at++;
    if (text.charCodeAt(at) !== 10) return -1;
    at++;
    while (at < to && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
    if (at >= to || !wordAt(text, at)) return -1;
    const next = wordEnd(text, at, to);
    const stem = stemEnd(text, at, next);
    const dict = this.#dict!;
    const best = dict.phrase(foldWord(text.slice(start, end) + text.slice(at, stem)));
    if (!this.#knownName(best, ordinal)) return -1;
    this.#put(text, start, stem, this.#name(best, dict.role(ordinal, best), ordinal));
    return stem;
  }

  /**
   * A name spelled out letter by letter from text[start] (letters alone parted by a space, dot, dash or
   * underscore; two spaces or more between its words): put in the output when its letters, all or one
   * word's of 3 or more, are a name of this row's. Where it ends, or -1.
   */
  #spelled(text: string, start: number, to: number, ordinal: number): number {
    const dict = this.#dict!;
    let all = '';
    let word = '';
    const words: string[] = [];
    let end = start;
    for (let at = start; ; ) {
      // No name is spelled with more letters; a longer run (`a a a a ...`) would be read again from each
      // of its letters.
      if (all.length >= MAX_SPELLED) return -1;
      all += text.charAt(at);
      word += text.charAt(at);
      end = at + 1;
      let gap = end;
      while (gap < to && gap - end < 3 && isSpacer(text.charCodeAt(gap))) gap++;
      // The next letter must stand alone too, and the gap must not end the run.
      if (gap === end || gap >= to || !isLetterAlone(text, gap, to)) break;
      if (gap - end >= 2 && text.charCodeAt(gap - 1) === 32 && text.charCodeAt(gap - 2) === 32) {
        words.push(word);
        word = '';
      }
      at = gap;
    }
    words.push(word);
    if (all.length < 3) return -1;
    let found = -1;
    for (const candidate of [all, ...(words.length > 1 ? words : [])]) {
      if (candidate.length < 3) continue;
      const phrase = dict.phrase(foldWord(candidate));
      if (phrase >= 0 && (dict.isGlobal(phrase) || dict.role(ordinal, phrase) >= 0)) {
        found = phrase;
        break;
      }
    }
    if (found < 0) return -1;
    this.byCandidate = true;
    this.#put(text, start, end, this.#name(found, dict.role(ordinal, found), ordinal));
    return end;
  }

  /**
   * Names inside text[start, end), a word of a script written without spaces (see run-on.ts), put in the
   * output; names side by side are one token. Where the last one ends (else `lastEnd`).
   */
  #runOn(text: string, start: number, end: number, ordinal: number, lastEnd: number): number {
    const dict = this.#dict!;
    const found = runOnFound;
    found.length = 0;
    runOnNames(
      text,
      start,
      end,
      (from, to) => {
        const phrase = dict.phrase(fold(text.slice(from, to)));
        if (phrase < 0) return -1;
        this.byCandidate = true;
        return dict.isGlobal(phrase) || dict.role(ordinal, phrase) >= 0 ? phrase : -1;
      },
      found,
    );
    let lastToken = '';
    for (let f = 0; f < found.length; f += 3) {
      const [from, to, phrase] = [found[f]!, found[f + 1]!, found[f + 2]!];
      const token = this.#name(phrase, dict.role(ordinal, phrase), ordinal);
      if (!this.#values && token === lastToken && lastEnd === from) this.#copied = to;
      else this.#put(text, from, to, token);
      lastToken = token;
      lastEnd = to;
    }
    return lastEnd;
  }

  /** The replacement of a phrase found; `role` as `Dictionary.role` gives it. */
  #name(phrase: number, role: number, ordinal: number): string {
    const dict = this.#dict!;
    this.#count(role >= 0 ? this.#slot.candidate_name! : this.#slot.person_name!);
    if (!this.#values) return role >= 0 ? '[CANDIDATE]' : '[PERSON]';
    // The same fake the name columns got: first and last from their own values.
    const text = dict.phraseText(phrase);
    const first = dict.nameOf(ordinal, 0);
    if (role === 0 || (role === 2 && first?.split(' ').includes(text))) {
      return this.#ps.fake('name', first ?? text, 'first_name');
    }
    if (role === 1 || role === 2) return this.#ps.fake('name', dict.nameOf(ordinal, 1) ?? text, 'last_name');
    return this.#ps.fake('name', text);
  }
}

/**
 * Where the next word is looked for after the word text[start, end) that is no name: behind an escape
 * glued to its start, as text stored JSON- or C-escaped shows one (`Regards,\nJane`, `\u00a0Jane`), so
 * that the word behind it is looked up too, as the leak scan reads it; else at its end.
 */
function afterEscape(text: string, start: number, end: number): number {
  const past = pastEscape(text, start, end);
  return past === start ? end : past;
}

/** Where text[start, end) starts once a JSON or C escape glued to its start (`\n`, `\u00a0`) is left out. */
function pastEscape(text: string, start: number, end: number): number {
  if (start === 0 || text.charCodeAt(start - 1) !== 92) return start;
  const c = text.charCodeAt(start);
  if ((c === 110 || c === 116 || c === 114 || c === 98 || c === 102) && end - start > 1) return start + 1;
  return c === 117 && end - start > 5 && HEX4.test(text.slice(start + 1, start + 5)) ? start + 5 : start;
}
const HEX4 = /^[0-9a-f]{4}$/i;

/** Where the letters before the digits that end text[start, end) end, if 3 or more letters start it; else -1. */
function lettersEnd(text: string, start: number, end: number): number {
  let at = end;
  while (at > start && isDigit(text.charCodeAt(at - 1))) at--;
  if (at - start < 3) return -1;
  for (let i = start; i < at; i++) if (isDigit(text.charCodeAt(i))) return -1;
  return at;
}

/** What parts the letters of a name spelled letter by letter: a space, a dot, a dash, an underscore. */
/** The most letters of a name spelled letter by letter (`#spelled`). */
const MAX_SPELLED = 48;
const isSpacer = (c: number) => c === 32 || c === 46 || c === 45 || c === 95;

/** Whether text[at] is a Latin letter standing alone (no letter or digit after it). */
function isLetterAlone(text: string, at: number, to: number): boolean {
  const c = text.charCodeAt(at) | 0x20;
  if (c < 97 || c > 122) return false;
  return at + 1 >= to || !wordAt(text, at + 1);
}

/** A title or greeting before a name: `Mr. Li`, `Dear Al`, `Hi Li`. */
const TITLE = /\b(?:mr|mrs|ms|miss|mx|dr|prof|dear|hi|hello|hey|thanks)\.?,?\s+$/i;

/**
 * Whether a short name at text[start, end) stands as a name: beside another name of this row's (a name
 * just replaced before it, a known one after it) written with a capital if it is, after a title or
 * greeting, or, in its candidate's own rows (`own`), written with a capital and not the first part of a
 * hyphenated word (`AL-based`, `Li-ion`).
 */
function standsAsName(
  dict: Dictionary,
  text: string,
  start: number,
  end: number,
  to: number,
  own: boolean,
  lastEnd: number,
  ordinal: number,
): boolean {
  // Beside another name written with a capital, or both without ("Wei Li", "Wei li", "AL OKAFOR", "li wei";
  // not "He will" for candidates Wei He and Will Smith); two short names only with capitals ("Bo Ng", not
  // "es su").
  const lower = !capital(text, start);
  if (lastEnd >= 0 && blank(text, lastEnd, start, true)) {
    let before = lastEnd;
    while (before > 0 && wordAt(text, before - 1)) before--;
    if (capital(text, before) ? true : lower && lastEnd - before > 2) return true;
  }
  const next = nextWord(text, end, to);
  if (next !== -1 && blank(text, end, next, true) && (lower || capital(text, next))) {
    const phrase = dict.phrase(foldWord(text.slice(next, stemEnd(text, next, wordEnd(text, next, to)))));
    const short = phrase >= 0 && dict.isShort(phrase);
    if (phrase >= 0 && (dict.isGlobal(phrase) || dict.role(ordinal, phrase) >= 0) && !(short && lower))
      return true;
  }
  if (TITLE.test(text.slice(Math.max(0, start - 10), start))) return true;
  if (!own || !capital(text, start)) return false;
  const after = text.charCodeAt(end + 1);
  return !(text.charCodeAt(end) === 45 && after >= 97 && after <= 122);
}

/** The most characters of an HTML tag between two words of a name (`<span style="…">`). */
const MAX_TAG = 200;
/** Tags that part lines or blocks, a space between words (`Sarah<br>Connor`). */
const BREAK_TAG = /^<\/?(?:br|p|div|li|td|tr|h[1-6])\b/i;

/**
 * Where the word after text[from, to) starts when only HTML tags and 1 to 3 spaces stand before it
 * (`</b> <b>`; a tag that breaks a line is a space), else -1: a name's words as an HTML body shows them.
 */
function pastTags(text: string, from: number, to: number): number {
  let spaces = 0;
  let tags = 0;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 60) {
      const close = text.indexOf('>', i + 1);
      if (close === -1 || close >= to || close - i > MAX_TAG) return -1;
      if (BREAK_TAG.test(text.slice(i, i + 8))) spaces++;
      tags++;
      i = close + 1;
    } else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0) {
      spaces++;
      i++;
    } else break;
  }
  return tags > 0 && spaces >= 1 && spaces <= 3 && i < to && wordAt(text, i) ? i : -1;
}

/** Whether the word at text[at] starts with a capital letter. */
function capital(text: string, at: number): boolean {
  const c = text.charAt(at);
  return c !== c.toLowerCase();
}

/**
 * Whether text[from, to) is white space only (and not empty); with `dashes`, dashes and quote marks too: the
 * words of one name ("Anne Marie", "Anne-Marie" and "ANNE – MARIE" are the same name). Two names found apart are one
 * token only across white space: "Alice Walker - Bob Stone" names two people.
 */
function blank(text: string, from: number, to: number, dashes = false): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0) continue;
    if (!dashes || !(isDash(c) || isQuoteMark(c))) return false;
  }
  return true;
}

/**
 * A mark typed for an apostrophe that joins no word (a backtick, a prime, a full-width or reversed quote,
 * or one before a space: `O`Connor`, `O′Connor`, `Oʼ Connor`): between the words of a name it parts them as
 * a space does, so the name's spelling with a space (`O Connor`) is found, as the leak scan finds it.
 */
const isQuoteMark = (c: number) =>
  isApostrophe(c) || c === 0x2bc || c === 0x60 || c === 0x2032 || c === 0x201b || c === 0xff07;

// Words cut by hand rather than by a Unicode regular expression: a word is letters, digits and marks,
// with inner apostrophes (O'Brien, and the marks typed for one: ’ ‘ ´ ʼ); a hyphen parts words (Smith-Jones
// is two). ASCII is decided by code, the rest once per code unit by WORD_CHAR and remembered. Characters
// that show nothing (a soft hyphen, a zero-width space: `INVISIBLE`) are part of the word they stand in,
// and folding drops them: "Do\u00adnovan" is the name, not "Do" and "novan".
const WORD_CHAR = /[\p{L}\p{N}\p{M}\u00ad\u200b\u2060\ufeff]/u;
const wordChars = new Uint8Array(65_536);

/** Whether a code unit of the first plane is a letter, digit or mark; a surrogate alone is none. */
export function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  let known = wordChars[c]!;
  if (known === 0) {
    known = (c & 0xf800) !== 0xd800 && WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    wordChars[c] = known;
  }
  return known === 1;
}

/** Code points beyond the first plane found to be letters, digits or marks (rare CJK, not emoji); bounded. */
const astral = new Map<number, boolean>();

/** `isWordChar` of a code point in any plane. */
export function isWordCode(code: number): boolean {
  if (code <= 0xffff) return isWordChar(code);
  let known = astral.get(code);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCodePoint(code));
    if (astral.size >= 4096) astral.clear();
    astral.set(code, known);
  }
  return known;
}

/**
 * Whether text[i] is part of a word: a surrogate by the code point of its pair, so that both halves of
 * a letter beyond the first plane count and neither half of an emoji does ("José🙏" ends at é).
 */
export function wordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if ((c & 0xf800) !== 0xd800) return isWordChar(c);
  const high = c <= 0xdbff ? c : text.charCodeAt(i - 1);
  const low = c <= 0xdbff ? text.charCodeAt(i + 1) : c;
  if (high < 0xd800 || high > 0xdbff || low < 0xdc00 || low > 0xdfff) return false;
  return isWordCode(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00));
}

const isJoiner = (c: number) => isApostrophe(c) || c === 0x2bc;

/** Whether text[i] (code unit `c`) joins the words around it: an apostrophe, or a zero-width joiner in Latin. */
const joinsAt = (text: string, i: number, c: number) =>
  isJoiner(c) || (i > 0 && isZeroWidthJoiner(c, text.charCodeAt(i - 1)));

/** Where the next word starts in text[from, to) (`to`: the text's end), or -1. */
export function nextWord(text: string, from: number, to = text.length): number {
  for (let i = from; i < to; i++) if (wordAt(text, i)) return i;
  return -1;
}

/** Where the word at `start` ends, within text[start, to). */
export function wordEnd(text: string, start: number, to = text.length): number {
  let i = start + 1;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (wordAt(text, i)) i++;
    else if (joinsAt(text, i, c) && i + 1 < to && wordAt(text, i + 1)) i += 2;
    else break;
  }
  return i;
}

/** Where a word ends once a possessive 's is left out. */
export function stemEnd(text: string, start: number, end: number): number {
  if (
    end - start > 2 &&
    (text.charCodeAt(end - 1) | 0x20) === 115 &&
    isApostrophe(text.charCodeAt(end - 2))
  ) {
    return end - 2;
  }
  return end;
}

/** Per ASCII code: the letter or digit in lower case, -1 for the rest. */
const LOWER = Int16Array.from({ length: 128 }, (_, c) =>
  isWordChar(c) ? String.fromCharCode(c).toLowerCase().charCodeAt(0) : -1,
);

/**
 * The paths under which LinkedIn shows a person: the mobile site's, its e-mails' (`comm/in/`), Recruiter's
 * (`talent/hire/<project>/.../profile/<id>`, and the older `recruiter/profile/<id>`) and Sales Navigator's.
 */
const PROFILE_PATHS = [
  'in/',
  'pub/',
  'profile/',
  'mwlite/in/',
  'comm/in/',
  'talent/profile/',
  'talent/hire/',
  'recruiter/',
  'sales/lead/',
  'sales/people/',
];

/**
 * Hosts where a person's profile is the first part of the path (`github.com/<user>`, `x.com/<user>`), as
 * CVs and notes link them; ordered so that no host is a suffix of one before it.
 */
const SOCIAL_HOSTS = [
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'twitter.com',
  'x.com',
  'facebook.com',
  'fb.com',
  'instagram.com',
  'xing.com',
  'medium.com',
  'behance.net',
  'dribbble.com',
  'stackoverflow.com',
  'tiktok.com',
  'youtube.com',
  'threads.net',
  'bsky.app',
  'wa.me',
  't.me',
];

/** Where the social host ending at the slash at `slash` starts (after a dot or no host character), or -1. */
function socialHost(text: string, slash: number): number {
  // Their top-level domains end in m, g, t, p or e: most slashes (dates, paths) are ruled out at once.
  const last = text.charCodeAt(slash - 1) | 0x20;
  if (last !== 109 && last !== 103 && last !== 116 && last !== 112 && last !== 101) return -1;
  for (const host of SOCIAL_HOSTS) {
    const at = slash - host.length;
    if (!hasAt(text, at, host)) continue;
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    if (before === 46 || !isHostChar(before)) return at;
  }
  return -1;
}

/** A character a handle may start with (`@` of `medium.com/@jane`). */
const isHandleChar = (c: number) => isHostChar(c) || c === 64 || c === 46 || c > 0x7f;

/** Where the URL whose path starts at `from` ends: its characters, less trailing sentence punctuation. */
function urlTail(text: string, from: number): number {
  let tail = from;
  while (tail < text.length && inClass(urlChars, URL_CHAR, text.charCodeAt(tail))) tail++;
  while (tail > from && /[.!?:]/.test(text[tail - 1]!)) tail--;
  return tail;
}

/** A label for a LinkedIn handle before it: `LinkedIn:`, `LinkedIn profile -`, `linkedin url =`. */
const LINKEDIN_LABEL =
  /(?:linked[ -]?in(?:[ -]+(?:profile|url|page|handle))?|\bli)[ \t]*(?<mark>[:=|\-\u2013\u2014]?)\s*$/i;
/** A handle as LinkedIn makes one: name words and a suffix with a digit (`jane-doe-42`, `jane-doe-1a2b3c`). */
const MADE_HANDLE = /^[^\d-]+(?:-[^\d-]+)+-[^-]*\d[^-]*$/;

/**
 * Where a profile link without LinkedIn's host starts when the slash at `slash` follows `in` (or -1):
 * a short link `lnkd.in/<token>` (which may lead to anyone's profile), a profile path standing alone
 * (`/in/jane-doe`, after no host) whose handle cannot be a word (a digit, `-`, `_` or `%` in it: not `/in/out`),
 * `in/<handle>` of a handle as LinkedIn makes them (`in/jane-doe-42`), or after a LinkedIn label (`LinkedIn:
 * in/jane`, `LI: in/jane`; without `:`, `-` or `=` a handle that cannot be a word). Never `sign in/register`
 * or `check in/out`: `in/` alone is too common a pair of words.
 */
function bareProfile(text: string, slash: number): number {
  const next = text.charCodeAt(slash + 1);
  if (!(isHostChar(next) || next > 0x7f || next === 37)) return -1;
  if (hasAt(text, slash - 7, 'lnkd.in')) {
    const before = slash > 7 ? text.charCodeAt(slash - 8) : 32;
    if (isHostChar(before) || before === 46) return -1;
    const start = slash - 7;
    return start - urlHead(text, start);
  }
  if ((text.charCodeAt(slash - 2) | 0x20) !== 105) return -1;
  let end = slash + 1;
  let plain = true;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (isDigit(c) || c === 45 || c === 95 || c === 37) plain = false;
    else if (!(isHostChar(c) || (c > 0x7f && inClass(urlChars, URL_CHAR, c)))) break;
  }
  const handle = end - slash - 1;
  const before = slash > 2 ? text.charCodeAt(slash - 3) : 32;
  if (before === 47) {
    const host = slash > 3 ? text.charCodeAt(slash - 4) : 32;
    if (isHostChar(host) || host === 46 || host === 47 || host === 37 || host > 0x7f) return -1;
    return handle >= 3 && !plain ? slash - 3 : -1;
  }
  if (isHostChar(before) || before === 46 || before > 0x7f) return -1;
  // A handle as LinkedIn makes them needs no label: no word of a sentence has that shape.
  if (handle >= 5 && MADE_HANDLE.test(text.slice(slash + 1, end))) return slash - 2;
  const label = LINKEDIN_LABEL.exec(text.slice(Math.max(0, slash - 42), slash - 2));
  if (label === null) return -1;
  return handle >= 2 && (label.groups!.mark !== '' || !plain) ? slash - 2 : -1;
}

/** The length of the profile path at `at` plus the slash before it, or 0. */
function profilePath(text: string, at: number): number {
  for (const path of PROFILE_PATHS) if (hasAt(text, at, path)) return path.length + 1;
  return 0;
}

/**
 * A phone-shaped run as one find, or, when it holds more digits than one number has or a sentence's end
 * (`. `), cut where another number may start: after a leading date (`2024-01-15 (415) 555-0132`), at ` / `
 * between two numbers or a `/` between groups of 3 digits or more after 7 digits (`020 7946 0958/07700 900123`;
 * not `0171/1234567`, `01/15/2024`), after
 * `. `, and before a `(` or `+` after a space (`Order 1234567 (415) 555-0132`).
 * Each piece is judged on its own.
 */
function addPhoneRun(text: string, start: number, end: number): void {
  let digits = 0;
  let sentences = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c === 32 && text.charCodeAt(i - 1) === 46) sentences = true;
  }
  if (digits <= MAX_PHONE_DIGITS && !sentences && !isDate(text, start, end)) {
    add(start, vanityEnd(text, end, digits), PHONE);
    return;
  }
  let from = start;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    const cut =
      (c === 47 && (text.charCodeAt(i - 1) === 32 || numbersApart(text, from, i))) ||
      ((c === 40 || c === 43) && text.charCodeAt(i - 1) === 32) ||
      // A sentence ends between two numbers: "07700 900123. 020 7946 0958 is the office".
      (c === 32 && text.charCodeAt(i - 1) === 46) ||
      (c === 32 && i - from >= 8 && isDate(text, from, i));
    if (!cut) continue;
    addPiece(text, from, i);
    from = c === 47 ? i + 1 : i;
  }
  addPiece(text, from, end);
}

/** [start, end) without the spaces and separators at either end, as a phone find if a digit is left. */
function addPiece(text: string, start: number, end: number): void {
  while (start < end && !isPhoneStart(text.charCodeAt(start))) start++;
  while (end > start && !isDigit(text.charCodeAt(end - 1))) end--;
  if (end - start >= 5) add(start, end, PHONE);
}

const isPhoneStart = (c: number) => isDigit(c) || c === 40 || c === 43;
