// Keyed pseudonyms and fakes. Everything derives from HMAC-SHA-256(key, domain + value) with domains that
// do not name a table, so a value gets the same pseudonym in every table, file and run with the same key.
import type { PiiClass } from '@talent-export/schema';
import { Hmac256 } from './hmac.js';
import { isPlaceholder } from './labels.js';
import { digits, fold } from './normalize.js';
import { countryCodeLength } from './phone-keys.js';

const ROUNDS = 8;
/** Longest digit id kept in form: two halves of at most 15 digits add up below 2^53. */
const MAX_DIGITS = 30;
/**
 * Values remembered per kind, a generation (see `Recent`): rows come grouped by candidate, so a few thousand
 * catch nearly every repeat; 65,536 of each of ~8 kinds held ~40 MB in every thread of a 100k-candidate run.
 */
const CACHE_LIMIT = 4096;

/**
 * Values remembered, bounded: two generations of at most `limit` each, a value found in the older carried
 * into the newer. Values that recur all along (a project's id on its candidates' rows) stay, those of
 * candidates long passed go: clearing one map when full dropped the project ids too, and the ids' misses
 * (8 MACs each) made a 100k-candidate redaction a sixth slower.
 */
class Recent<V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const value = this.#young.get(key);
    if (value !== undefined) return value;
    const old = this.#old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): V {
    if (this.#young.size >= this.limit) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
    return value;
  }
}

export type PersonClass = Exclude<PiiClass, 'free_text' | 'none'>;

// Pools a fake name is drawn from: ordinary, clearly made-up pairs.
const FIRST = [
  'Avery',
  'Blake',
  'Casey',
  'Dana',
  'Emery',
  'Finley',
  'Harper',
  'Jordan',
  'Kai',
  'Logan',
  'Morgan',
  'Parker',
  'Quinn',
  'Reese',
  'Riley',
  'Taylor',
];
const LAST = [
  'Ashby',
  'Brook',
  'Carver',
  'Dale',
  'Ellery',
  'Frost',
  'Grey',
  'Hale',
  'Irving',
  'Keane',
  'Lowe',
  'Marsh',
  'North',
  'Oakes',
  'Pryor',
  'Vance',
];

/** Every name a fake is drawn from, folded: the leak scan cannot tell a real one from a fake in the output. */
export const FAKE_NAMES: ReadonlySet<string> = new Set([...FIRST, ...LAST].map((name) => name.toLowerCase()));

/** The form a value of a class is compared in: the same person written two ways gets one pseudonym. */
export function canonical(cls: PersonClass | 'text', value: string): string {
  if (cls === 'phone') return digits(value);
  if (cls === 'email') {
    const address = fold(value);
    // Spelled out in text ("jane dot doe at example dot com", "jane[at]example.com"): the address it spells,
    // so that it gets the fake its column got.
    return address.includes('@') && !SPELLED_HINT.test(address)
      ? address
      : address.replace(SPELLED_AT, '@').replace(SPELLED_DOT, '.').replace(/\s+/g, '');
  }
  if (cls === 'profile_url') {
    // The same profile is pasted with tracking parameters (`?trk=`, `?originalSubdomain=uk`) and
    // percent-escapes (`jane%2Ddoe`): one person, one fake, in columns and in text alike.
    let url = fold(value)
      .replace(/^https?:\/\//, '')
      .replace(/^[a-z]{2,3}\./, '')
      .replace(/[?#][\s\S]*$/, '');
    if (url.includes('%')) {
      try {
        url = fold(decodeURIComponent(url));
      } catch {
        // A lone % is no escape: the URL as written.
      }
    }
    return url.replace(/\/+$/, '');
  }
  return fold(value);
}

const SPELLED_HINT = /\s|[[({<]/;
const SPELLED_AT = /\s*[[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+-at-\s+|\s+at\s+|\s*@\s*/g;
const SPELLED_DOT = /\s*[[({<]\s*dot\s*[\])}>]\s*|\s+-dot-\s+|\s+dot\s+|\s*\.\s*/g;

/**
 * What a phone number's fake is drawn from: its digits without extension, country code (after `+` or `00`)
 * or trunk 0, so that `+1-202-555-0147` in a column and `(202) 555-0147` or `202.555.0147 ext. 12` in a
 * message get one fake, as do `+31 6 1234 5678` and `06 12345678`. Not for pseudonyms: numbers of two
 * countries may share it, and a pseudonym must not join two people.
 */
export function nationalNumber(value: string): string {
  const first = value.search(/\d/);
  if (first === -1) return '';
  // An extension starts at the first letter after the number's first digit (`x12`, `ext. 12`).
  const letter = value.slice(first).search(/\p{L}/u);
  const number = digits(letter === -1 ? value : value.slice(0, first + letter));
  const plus = /\+[\s(]*$/.test(value.slice(0, first));
  if (!plus && !number.startsWith('00')) return number.replace(/^0+(?=\d{6})/, '');
  const international = plus ? number : number.slice(2);
  const national = international.slice(countryCodeLength(international)).replace(/^0+/, '');
  return national.length >= 6 ? national : international;
}

const FAKE_CACHE: Record<PersonClass, string[]> = {
  name: ['fake-name', 'fake-first', 'fake-last'],
  email: ['fake-email'],
  phone: ['fake-phone'],
  profile_url: ['fake-url'],
};
const TEXT_CACHE: Record<PersonClass | 'text', string> = {
  name: 'p-name',
  email: 'p-email',
  phone: 'p-phone',
  profile_url: 'p-url',
  text: 'p-text',
};

export class Pseudonymizer {
  readonly #hmac: Hmac256;
  readonly #caches = new Map<string, Recent<string>>();
  readonly #pow: number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
  /** Per number of digits, the message blocks of the id permutation's rounds (domains `id10.3`). */
  readonly #rounds: Int32Array[][] = [];

  readonly #ids = this.#cache('id');
  /** Per candidate, the number its date shift derives from: one MAC per candidate, not per value. */
  readonly #shifts = new Recent<number>(CACHE_LIMIT);

  constructor(key: Buffer) {
    this.#hmac = new Hmac256(key);
  }

  /** The raw HMAC-SHA-256 of a domain, a 0 byte and a value. */
  mac(domain: string, value: string): Buffer {
    return this.#hmac.digest(domain, value);
  }

  #cache(kind: string): Recent<string> {
    let cache = this.#caches.get(kind);
    if (cache === undefined) {
      cache = new Recent(CACHE_LIMIT);
      this.#caches.set(kind, cache);
    }
    return cache;
  }

  /**
   * An id's pseudonym. A digit string stays a digit string of the same length, and a leading zero stays
   * (or stays absent): a keyed Feistel permutation over the n-digit numbers (FF1's structure) walked
   * until it lands in the input's class, so two ids never share a pseudonym. Other ids (letters, longer
   * than 30 digits) become 24 hex digits of the HMAC (96 bits).
   */
  id(value: string): string {
    const cache = this.#ids;
    const known = cache.get(value);
    if (known !== undefined) return known;
    const n = value.length;
    let out: string;
    if (n === 0 || n > MAX_DIGITS || !/^\d+$/.test(value)) out = this.mac('id', value).toString('hex', 0, 12);
    else if (n === 1) out = this.#digit(value);
    else out = this.#permute(value);
    return cache.set(value, out);
  }

  #digit(value: string): string {
    if (value === '0') return value;
    const order = '123456789'.split('').sort((a, b) => this.mac('id1', a).compare(this.mac('id1', b)));
    return order[Number(value) - 1]!;
  }

  #permute(value: string): string {
    const n = value.length;
    const u = Math.floor(n / 2);
    const v = n - u;
    const leadingZero = value.charCodeAt(0) === 48;
    let a = Number(value.slice(0, u));
    let b = Number(value.slice(u));
    const low = this.#pow[u - 1]!;
    const rounds = (this.#rounds[n] ??= Array.from({ length: ROUNDS }, (_, i) =>
      this.#hmac.digitBlock(`id${n}.${i}`, i % 2 === 0 ? v : u),
    ));
    do {
      for (let i = 0; i < ROUNDS; i++) {
        const m = i % 2 === 0 ? u : v;
        const width = i % 2 === 0 ? v : u;
        // The MAC's first 6 bytes as a number.
        const words = this.#hmac.digitWords(rounds[i]!, b, width);
        const y = (words[0]! >>> 0) * 65_536 + (words[1]! >>> 16);
        const c = (a + (y % this.#pow[m]!)) % this.#pow[m]!;
        a = b;
        b = c;
      }
    } while (a < low !== leadingZero);
    return String(a).padStart(u, '0') + String(b).padStart(v, '0');
  }

  /** A text value's pseudonym: 16 hex digits, the same for the same value in any case or accents. */
  text(cls: PersonClass | 'text', value: string): string {
    const cache = this.#cache(TEXT_CACHE[cls]);
    return cache.get(value) ?? cache.set(value, this.mac(cls, canonical(cls, value)).toString('hex', 0, 8));
  }

  /** A format-preserving fake, deterministic from the key: clearly invented, never someone real. */
  fake(cls: PersonClass, value: string, column = ''): string {
    // Constant cache names: a name built per call would be hashed anew on every lookup.
    const part = cls !== 'name' ? 0 : /first/i.test(column) ? 1 : /last/i.test(column) ? 2 : 0;
    const cache = this.#cache(FAKE_CACHE[cls][part]!);
    return cache.get(value) ?? cache.set(value, this.#fake(cls, part, value));
  }

  #fake(cls: PersonClass, part: number, value: string): string {
    // `N/A` typed for no phone stays: a fake would invent a number (once per value: the result is cached).
    if (isPlaceholder(value)) return value;
    const h = this.mac(cls, cls === 'phone' ? nationalNumber(value) : canonical(cls, value));
    // 48 bits: a new ATS dedupes candidates by e-mail, and 32 would give two of 400k people one fake.
    const tag = h.toString('hex', 0, 6);
    switch (cls) {
      case 'email':
        return `person-${tag}@example.invalid`;
      case 'phone':
        // 555-0100 to 555-0199 is reserved for fiction in every North American area code.
        return `+1 (${201 + (h.readUInt16BE(4) % 799)}) 555-01${String(h[6]! % 100).padStart(2, '0')}`;
      case 'profile_url':
        return `https://www.linkedin.com/in/person-${tag}`;
      case 'name': {
        const first = FIRST[h[4]! % FIRST.length]!;
        const last = LAST[h[5]! % LAST.length]!;
        return part === 1 ? first : part === 2 ? last : `${first} ${last}`;
      }
    }
  }

  /** A per-candidate offset in whole days within +-days (never 0), so intervals within a candidate stay true. */
  shiftMs(candidateId: string, days: number): number {
    let h = this.#shifts.get(candidateId);
    if (h === undefined) {
      h = this.#shifts.set(candidateId, this.#hmac.words('shift', candidateId)[0]! >>> 0);
    }
    const span = h % (2 * days);
    return (span < days ? span - days : span - days + 1) * 86_400_000;
  }
}

/** A masked value: the part that identifies nobody kept (an e-mail's domain, a name's initial). */
export function mask(cls: PiiClass, value: string): string {
  switch (cls) {
    case 'email': {
      const at = value.lastIndexOf('@');
      return at === -1 ? '***' : `***${value.slice(at)}`;
    }
    case 'phone': {
      const last = digits(value).slice(-2);
      return `***${last}`;
    }
    case 'profile_url':
      return 'https://www.linkedin.com/in/***';
    case 'name':
      return value.length ? `${Array.from(value)[0]!.toUpperCase()}.` : value;
    default:
      return '***';
  }
}
