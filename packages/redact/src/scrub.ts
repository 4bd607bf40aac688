// Free-text scrubbing in one left-to-right pass: detectors (e-mails, LinkedIn URLs, phone numbers) by one
// regular expression, and between their finds the words, looked up in the dictionary's name phrases. Every
// word costs one set lookup unless a phrase starts with it, so scrubbing is linear in the text's length.
import type { Counters } from './counters.js';
import type { Dictionary } from './dictionary.js';
import { FNV_OFFSET, FNV_PRIME, hashBits } from './dictionary-memory.js';
import { foldWord } from './normalize.js';
import type { Policy } from './policy.js';
import type { Pseudonymizer } from './pseudonym.js';

// Each kind is looked for by what it cannot do without (an @, "linkedin.com/", a digit), so text without
// one costs a single fast search; the Unicode classes are applied only around those anchors.
const LOCAL = /[\p{L}\p{N}._%+'-]/u;
const DOMAIN = /[\p{L}\p{N}-]/u;
const LINKEDIN = /linkedin\.com\/(?:in|pub|profile)\//gi;
const URL_HEAD = /(?:https?:\/\/)?(?:[\w-]+\.)?$/i;
const URL_TAIL = /[^\s<>"'()[\]{},;]+/y;
const PHONE = /\+?\(?\d[\d \t\u00a0().\-/]{4,}\d/g;
const DATE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/;

// Per code unit, whether it is in LOCAL or DOMAIN (0 not known yet, 1 yes, 2 no): a regular expression
// per character costs more than the rest of the search.
const localChars = new Uint8Array(65_536);
const domainChars = new Uint8Array(65_536);

function inClass(known: Uint8Array, re: RegExp, c: number): boolean {
  let k = known[c]!;
  if (k === 0) {
    k = re.test(String.fromCharCode(c)) ? 1 : 2;
    known[c] = k;
  }
  return k === 1;
}

interface Find {
  start: number;
  end: number;
  kind: 'email' | 'url' | 'phone';
}

/** E-mail addresses, LinkedIn URLs and phone-shaped runs of digits, in order, none overlapping. */
function finds(text: string): Find[] {
  const found: Find[] = [];
  const n = text.length;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && inClass(localChars, LOCAL, text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    let dot = false;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (inClass(domainChars, DOMAIN, c)) continue;
      if (c !== 46 || end + 1 >= n || !inClass(domainChars, DOMAIN, text.charCodeAt(end + 1))) break;
      dot = true;
    }
    if (start < at && dot) found.push({ start, end, kind: 'email' });
  }
  // Every profile URL has a slash: most texts have none and skip the search.
  if (n > 12 && text.includes('/')) {
    LINKEDIN.lastIndex = 0;
    for (let m = LINKEDIN.exec(text); m !== null; m = LINKEDIN.exec(text)) {
      const head = URL_HEAD.exec(text.slice(Math.max(0, m.index - 40), m.index))![0].length;
      URL_TAIL.lastIndex = m.index + m[0].length;
      const tail = URL_TAIL.exec(text)?.[0].replace(/[.!?:]+$/, '') ?? '';
      if (tail) found.push({ start: m.index - head, end: m.index + m[0].length + tail.length, kind: 'url' });
    }
  }
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(text); m !== null; m = PHONE.exec(text)) {
    found.push({ start: m.index, end: m.index + m[0].length, kind: 'phone' });
  }
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Find[] = [];
  for (const f of found) if (kept.length === 0 || f.start >= kept[kept.length - 1]!.end) kept.push(f);
  return kept;
}

export type Token = 'CANDIDATE' | 'PERSON' | 'EMAIL' | 'PHONE' | 'URL';

export class Scrubber {
  readonly #dict: Dictionary | undefined;
  readonly #ps: Pseudonymizer;
  readonly #values: boolean;
  readonly #detect: Set<string>;
  readonly #counters: Counters;
  readonly #slot: Record<string, number>;

  constructor(dict: Dictionary | undefined, ps: Pseudonymizer, scrub: Policy['scrub'], counters: Counters) {
    this.#dict = dict;
    this.#ps = ps;
    this.#values = scrub.replace === 'values';
    this.#detect = new Set(scrub.detectors);
    this.#counters = counters;
    this.#slot = Object.fromEntries(
      ['email', 'phone', 'linkedin_url', 'candidate_name', 'person_name', 'known_phone'].map((k) => [
        k,
        counters.slot(`find:${k}`),
      ]),
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

  /** The text with people replaced; the same string when nothing was found. `ordinal`: the row's candidate. */
  scrub(text: string, ordinal: number): string {
    this.trail.length = 0;
    this.byCandidate = false;
    let out = '';
    let done = 0;
    for (const f of finds(text)) {
      const replacement = this.#replace(text.slice(f.start, f.end), f.kind);
      if (replacement === undefined) continue;
      out += this.#names(text.slice(done, f.start), ordinal) + replacement;
      done = f.end;
    }
    if (done === 0) return this.#names(text, ordinal);
    return out + this.#names(text.slice(done), ordinal);
  }

  #replace(value: string, kind: Find['kind']): string | undefined {
    if (kind === 'email') {
      if (!this.#detect.has('email')) return undefined;
      this.#count(this.#slot.email!);
      return this.#values ? this.#ps.fake('email', value) : '[EMAIL]';
    }
    if (kind === 'url') {
      if (!this.#detect.has('linkedin_url')) return undefined;
      this.#count(this.#slot.linkedin_url!);
      return this.#values ? this.#ps.fake('profile_url', value) : '[URL]';
    }
    if (this.#dict?.knownPhone(value)) {
      this.#count(this.#slot.known_phone!);
    } else {
      if (!this.#detect.has('phone') || !looksLikePhone(value)) return undefined;
      this.#count(this.#slot.phone!);
    }
    return this.#values ? this.#ps.fake('phone', value) : '[PHONE]';
  }

  /** Names in a stretch of text with no detector find. */
  #names(text: string, ordinal: number): string {
    const dict = this.#dict;
    if (dict === undefined || text === '') return text;
    let out = '';
    let done = 0;
    let lastToken = '';
    for (let found = scanWord(text, 0); found; ) {
      const start = foundStart;
      const end = foundEnd;
      const stem = foundStem;
      // Most words are no name's first word: an ASCII word is ruled out by its hash, without a string.
      if (!dict.mayStartHash(foundHash)) {
        found = scanWord(text, end);
        continue;
      }
      // An ASCII word is looked up in place; others folded first (accents, typographic apostrophes).
      let word: string | undefined;
      let best: number;
      let grows: boolean;
      if (foundHash !== -1) {
        best = dict.asciiPhrase(text, start, stem);
        grows = dict.prefixFound;
      } else {
        word = foldWord(text.slice(start, stem));
        best = dict.phrase(word);
        grows = dict.maxWords > 1 && dict.isPrefix(word);
      }
      if (best < 0 && !grows) {
        found = scanWord(text, end);
        continue;
      }
      if (best >= 0) this.byCandidate = true;
      let role = best >= 0 ? dict.role(ordinal, best) : -1;
      if (best >= 0 && role < 0 && !dict.isGlobal(best)) best = -1;
      let bestEnd = stem;
      if (grows) {
        // Longest phrase first, growing only along known beginnings; words separated by white space only.
        let phrase = word ?? text.slice(start, stem).toLowerCase();
        let at = stem;
        let grown = end;
        for (let n = 1; n < dict.maxWords && dict.isPrefix(phrase); n++) {
          const next = nextWord(text, grown);
          if (next === -1 || !blank(text, at, next)) break;
          grown = wordEnd(text, next);
          const w = lookupForm(text, next, grown);
          phrase += ` ${w.word}`;
          at = w.end;
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
        found = scanWord(text, end);
        continue;
      }
      const token = this.#name(best, role, ordinal);
      // "[CANDIDATE] [CANDIDATE]" for a first and a last name reads as one: one token for the run.
      const merged = !this.#values && token === lastToken && done > 0 && blank(text, done, start);
      if (!merged) out += text.slice(done, start) + token;
      lastToken = token;
      done = bestEnd;
      found = scanWord(text, bestEnd);
    }
    return done === 0 ? text : out + text.slice(done);
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

/** Whether text[from, to) is white space only (and not empty). */
function blank(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xa0) return false;
  }
  return true;
}

// Words cut by hand rather than by a Unicode regular expression: a word is letters, digits and marks,
// with inner apostrophes and hyphens (O'Brien, Smith-Jones); ASCII is decided by code, the rest once per
// code unit by WORD_CHAR and remembered.
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const wordChars = new Uint8Array(65_536);

export function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  // Surrogates: the letters beyond the first plane (rare CJK) count as letters.
  if (c >= 0xd800 && c <= 0xdfff) return true;
  let known = wordChars[c]!;
  if (known === 0) {
    known = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    wordChars[c] = known;
  }
  return known === 1;
}

const isJoiner = (c: number) => c === 39 || c === 45 || c === 0x2019 || c === 0x2bc;

export function nextWord(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isWordChar(text.charCodeAt(i))) return i;
  return -1;
}

export function wordEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) i++;
    else if (isJoiner(c) && i + 1 < text.length && isWordChar(text.charCodeAt(i + 1))) i += 2;
    else break;
  }
  return i;
}

/** Where a word ends once a possessive 's is left out. */
export function stemEnd(text: string, start: number, end: number): number {
  if (
    end - start > 2 &&
    (text.charCodeAt(end - 1) | 0x20) === 115 &&
    (text.charCodeAt(end - 2) === 39 || text.charCodeAt(end - 2) === 0x2019)
  ) {
    return end - 2;
  }
  return end;
}

/** Per ASCII code: the letter or digit in lower case, -1 for the rest. */
const LOWER = Int16Array.from({ length: 128 }, (_, c) =>
  isWordChar(c) ? String.fromCharCode(c).toLowerCase().charCodeAt(0) : -1,
);

// What `scanWord` found, in module variables so that no object is made per word.
let foundStart = -1;
let foundEnd = 0;
let foundStem = 0;
let foundHash = -1;

/**
 * The next word at or after `from`, cut as `nextWord`, `wordEnd` and `stemEnd` cut it but in one pass that
 * also takes the stem's `wordHash`: false when there is none, else foundStart, foundEnd, foundStem and
 * foundHash are set. Every character of a text passes here, so it is written for speed.
 */
function scanWord(text: string, from: number): boolean {
  const n = text.length;
  let i = from;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 ? LOWER[c]! >= 0 : isWordChar(c)) break;
  }
  if (i >= n) return false;
  foundStart = i;
  let h = FNV_OFFSET;
  let ascii = true;
  // Before the last joiner: the stem's hash when the word ends in a possessive 's.
  let joinAt = -1;
  let joinHash = 0;
  let joinAscii = true;
  // Each character read once: ASCII letters and digits (nearly all) cost a table load and a multiply.
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      const lower = LOWER[c]!;
      if (lower >= 0) {
        h = Math.imul(h ^ lower, FNV_PRIME);
        i++;
        continue;
      }
    } else if (isWordChar(c)) {
      ascii = false;
      i++;
      continue;
    }
    if (!isJoiner(c) || i + 1 >= n || !isWordChar(text.charCodeAt(i + 1))) break;
    joinAt = i;
    joinHash = h;
    joinAscii = ascii;
    if (c > 0x7f) ascii = false;
    else h = Math.imul(h ^ c, FNV_PRIME);
    i++;
  }
  foundEnd = i;
  if (
    joinAt === i - 2 &&
    (text.charCodeAt(i - 1) | 0x20) === 115 &&
    (text.charCodeAt(joinAt) === 39 || text.charCodeAt(joinAt) === 0x2019)
  ) {
    foundStem = joinAt;
    foundHash = joinAscii ? hashBits(joinHash) : -1;
  } else {
    foundStem = i;
    foundHash = ascii ? hashBits(h) : -1;
  }
  return true;
}

/** A word as looked up: folded, without a possessive 's; `end` where that form ends in the text. */
function lookupForm(text: string, start: number, end: number): { word: string; end: number } {
  const stem = stemEnd(text, start, end);
  return { word: foldWord(text.slice(start, stem)), end: stem };
}

/** A phone number by shape: a + or parentheses and 7+ digits, or 10 to 15 digits; never a date. */
function looksLikePhone(value: string): boolean {
  if (DATE.test(value)) return false;
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  if (n > 15) return false;
  return /^[+(]/.test(value) || value.includes('(') ? n >= 7 : n >= 10;
}
