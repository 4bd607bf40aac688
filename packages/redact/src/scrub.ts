// Free-text scrubbing in one left-to-right pass: detectors (e-mails, LinkedIn URLs, phone numbers) by one
// regular expression, and between their finds the words, looked up in the dictionary's name phrases. Every
// word costs one set lookup unless a phrase starts with it, so scrubbing is linear in the text's length.
import type { Counters } from './counters.js';
import type { Dictionary } from './dictionary.js';
import { fold, WORD } from './normalize.js';
import type { Policy } from './policy.js';
import type { Pseudonymizer } from './pseudonym.js';

const FINDS = new RegExp(
  [
    // An e-mail address.
    String.raw`(?<email>[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)`,
    // A LinkedIn profile URL, with or without scheme and subdomain.
    String.raw`(?<url>(?:https?:\/\/)?(?:[\w-]+\.)?linkedin\.com\/(?:in|pub|profile)\/[^\s<>"'()\[\]{},;]+)`,
    // Something shaped like a phone number: digits with spaces, dots, dashes, parentheses, maybe a +.
    String.raw`(?<phone>\+?\(?\d[\d \t\u00a0().\-\/]{4,}\d)`,
  ].join('|'),
  'giu',
);
const DATE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/;
const POSSESSIVE = /['\u2019]s$/i;

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

  /** The text with people replaced; the same string when nothing was found. `ordinal`: the row's candidate. */
  scrub(text: string, ordinal: number): string {
    let out = '';
    let done = 0;
    FINDS.lastIndex = 0;
    for (let m = FINDS.exec(text); m !== null; m = FINDS.exec(text)) {
      const found = this.#find(m);
      if (found === undefined) continue;
      const [start, end, replacement] = found;
      out += this.#names(text.slice(done, start), ordinal) + replacement;
      done = end;
      FINDS.lastIndex = end;
    }
    if (done === 0) return this.#names(text, ordinal);
    return out + this.#names(text.slice(done), ordinal);
  }

  #find(m: RegExpExecArray): [number, number, string] | undefined {
    const g = m.groups!;
    let value = m[0];
    if (g.email !== undefined) {
      if (!this.#detect.has('email')) return undefined;
      this.#counters.add(this.#slot.email!);
      return [m.index, m.index + value.length, this.#values ? this.#ps.fake('email', value) : '[EMAIL]'];
    }
    if (g.url !== undefined) {
      if (!this.#detect.has('linkedin_url')) return undefined;
      value = value.replace(/[.!?:]+$/, '');
      this.#counters.add(this.#slot.linkedin_url!);
      return [m.index, m.index + value.length, this.#values ? this.#ps.fake('profile_url', value) : '[URL]'];
    }
    // A phone: trailing separators are not part of it.
    value = value.replace(/[^\d]+$/, '');
    if (this.#dict?.knownPhone(value)) {
      this.#counters.add(this.#slot.known_phone!);
    } else {
      if (!this.#detect.has('phone') || !looksLikePhone(value)) return undefined;
      this.#counters.add(this.#slot.phone!);
    }
    return [m.index, m.index + value.length, this.#values ? this.#ps.fake('phone', value) : '[PHONE]'];
  }

  /** Names in a stretch of text with no detector find. */
  #names(text: string, ordinal: number): string {
    const dict = this.#dict;
    if (dict === undefined || text === '') return text;
    const words: { start: number; end: number; folded: string }[] = [];
    for (const m of text.matchAll(WORD)) {
      let word = m[0];
      if (POSSESSIVE.test(word)) word = word.slice(0, -2);
      words.push({ start: m.index, end: m.index + word.length, folded: fold(word) });
    }
    let out = '';
    let done = 0;
    for (let i = 0; i < words.length; i++) {
      if (!dict.firstWords.has(words[i]!.folded)) continue;
      // Longest phrase first; its words separated by white space only.
      let phrase = words[i]!.folded;
      let best = -1;
      let bestEnd = i;
      for (let j = i; j < words.length && j - i < dict.maxWords; j++) {
        if (j > i) {
          if (!/^\s+$/.test(text.slice(words[j - 1]!.end, words[j]!.start))) break;
          phrase += ` ${words[j]!.folded}`;
        }
        const found = dict.phrase(phrase);
        if (found >= 0 && (dict.isGlobal(found) || dict.role(ordinal, found) >= 0)) {
          best = found;
          bestEnd = j;
        }
      }
      if (best < 0) continue;
      out += text.slice(done, words[i]!.start) + this.#name(best, ordinal);
      done = words[bestEnd]!.end;
      i = bestEnd;
    }
    return done === 0 ? text : out + text.slice(done);
  }

  #name(phrase: number, ordinal: number): string {
    const dict = this.#dict!;
    const role = dict.role(ordinal, phrase);
    this.#counters.add(role >= 0 ? this.#slot.candidate_name! : this.#slot.person_name!);
    if (!this.#values) return role >= 0 ? '[CANDIDATE]' : '[PERSON]';
    // The same fake the name columns got: first and last from their own values.
    const first = dict.nameOf(ordinal, 0);
    const last = dict.nameOf(ordinal, 1);
    if (role === 0 || (role === 3 && first?.split(' ').includes(dict.phrases[phrase]!))) {
      return this.#ps.fake('name', first ?? dict.phrases[phrase]!, 'first_name');
    }
    if (role === 1 || role === 3) return this.#ps.fake('name', last ?? dict.phrases[phrase]!, 'last_name');
    if (role === 2 && first && last) {
      return `${this.#ps.fake('name', first, 'first_name')} ${this.#ps.fake('name', last, 'last_name')}`;
    }
    return this.#ps.fake('name', dict.phrases[phrase]!);
  }
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
