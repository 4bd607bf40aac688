// One folding for everything that is compared: what the dictionary stores and what the scrubber looks up
// must agree, or a name written with another case or without its accents slips through.
import { CONTROL_CHARS, withoutControls } from '@talent-export/schema';

const MARKS = /\p{M}+/gu;
/**
 * Characters that show nothing and are left inside words by editors and web pages (as a class's source, for
 * the patterns that take them as part of a word or an address): the soft hyphen, the
 * zero-width space, the word joiner and the zero-width no-break space (BOM). Taken as part of a word and
 * folded away, so "Do\u00adnovan" is "Donovan". The zero-width (non-)joiners are folded away too, but
 * join words only after a letter of an alphabet that never spells with them (`isZeroWidthJoiner`): in Indic
 * and Persian scripts they stand between a word and its ending.
 */
export const INVISIBLE_CHARS = '\\u00ad\\u200b-\\u200d\\u2060\\ufeff';
/**
 * Folding drops the control characters that are no space (`CONTROL_CHARS`) as it drops the invisible ones: a
 * surname stored as "Wether\0spoon" was learned as two words, and "Wetherspoon" in the candidate's messages
 * was never found.
 */
const INVISIBLE = new RegExp(`[${INVISIBLE_CHARS}]|[${CONTROL_CHARS}]`, 'gu');

export { withoutControls };
export const isInvisible = (c: number) =>
  c === 0xad || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;

/** The zero-width non-joiner and joiner, which join the words around them only after `before` < U+0590. */
export const isZeroWidthJoiner = (c: number, before: number): boolean =>
  (c === 0x200c || c === 0x200d) && before < 0x590;

// Cyrillic and Greek letters that look like Latin ones, typed in a Latin name to slip past a filter
// ("Jаne" with a Cyrillic а): as their Latin letter in a word that also has a Latin letter. A word all in
// Cyrillic or Greek is left as it is ("Сергей", and "και" is no "Kai").
const LOOK_ALIKE_SCRIPT = /[\u0370-\u03ff\u0400-\u052f]/;
const WORD = /[\p{L}\p{M}]+/gu;
const LATIN_LETTER = /[a-zA-Z]/;
const LOOK_ALIKES: Record<string, string> = Object.fromEntries(
  [
    ['АВЕКМНОРСТХУІЈЅҮԚԜӀ', 'ABEKMHOPCTXYIJSYQWI'],
    ['аеорсухіјѕһԁԛԝӏ', 'aeopcyxijshdqwl'],
    ['ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', 'ABEZHIKMNOPTYX'],
    ['αοριενυχκ', 'aopievuxk'],
  ].flatMap(([from, to]) => [...from!].map((c, i) => [c, to![i]!])),
);
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'g');

/** Look-alike letters of a word that mixes Latin with Cyrillic or Greek as their Latin letters. */
function unmix(text: string): string {
  if (!LOOK_ALIKE_SCRIPT.test(text)) return text;
  return text.replace(WORD, (word) =>
    LATIN_LETTER.test(word) && LOOK_ALIKE_SCRIPT.test(word)
      ? word.replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c]!)
      : word,
  );
}
// Replaced before NFKD, which would make the acute accent a space and a mark ("O´Brien" as "o brien").
const QUOTES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
// Letters NFKD leaves whole (no base letter and mark to split), folded as a reader would spell them
// without them: "Łukasz Øberg" is written "Lukasz Oberg" as often as not. Lower case only: applied
// after `toLowerCase` (which makes Ł ł, Ø ø, ẞ ß, and leaves ı).
const LETTERS: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
};
const WHOLE_LETTERS = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/** Case-folded, accents removed (ł, ø, ß... too), typographic apostrophes made plain, inner spaces single. */
export function fold(text: string): string {
  // Most values (ids' texts, profile URLs, e-mails) are plain ASCII: six passes over them found nothing.
  return plainAscii(text) ? text.toLowerCase() : foldAny(text);
}

/** Whether `fold` of `text` is its lower case: ASCII without a backtick or a control, spaces single and inside it. */
function plainAscii(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x7f || c === 0x60) return false;
    if (c <= 0x20 && (c !== 0x20 || i === 0 || i === n - 1 || text.charCodeAt(i - 1) === 0x20)) return false;
  }
  return true;
}

/** `fold` of any text. */
export function foldAny(text: string): string {
  return unmix(text.replace(QUOTES, "'").replace(INVISIBLE, '').normalize('NFKD').replace(MARKS, ''))
    .toLowerCase()
    .replace(WHOLE_LETTERS, (c) => LETTERS[c]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** `fold` of one word: plain ASCII words (most of them) only need lower case. */
export function foldWord(word: string): string {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) > 0x7f) {
      let folded = folds.get(word);
      if (folded === undefined) {
        folded = fold(word);
        if (folds.size >= 16_384) folds.clear();
        folds.set(word, folded);
      }
      return folded;
    }
  }
  return word.toLowerCase();
}
/** Folded non-ASCII words: names with accents come back row after row; bounded. */
const folds = new Map<string, string>();

/** `foldUnit`'s answer for a code unit that folding removes (a combining mark, an invisible character). */
export const DROPPED = -1;
// Per code unit beyond ASCII, what `fold` makes of it alone: 0 not known yet, 1 dropped, 2 kept as it is,
// else the ASCII code + 3. Decided once per code unit by `fold` itself and remembered.
const unitFolds = new Uint8Array(65_536);
const MARK = /^\p{M}$/u;

/**
 * What folding makes of one code unit inside a word: ASCII capitals lower-cased, a letter with an accent
 * (é, Ü, Ł...) its plain ASCII letter, a typographic apostrophe `'`, a combining mark DROPPED, and the code
 * unit itself for everything folding does not turn into one ASCII character or nothing (ß, Æ, Σ, 王,
 * ligatures, surrogates). Folding a word whose units all fold to ASCII or nothing is the same as folding
 * each unit (NFKD decomposes unit by unit; case needs no context outside ASCII but for Σ, left alone), so a
 * scanner can hash and compare such a word in place, as `foldWord` would make it.
 */
export function foldUnit(c: number): number {
  if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
  let k = unitFolds[c]!;
  if (k === 0) {
    k = 2;
    if (c < 0xd800 || c > 0xdfff) {
      const one = String.fromCharCode(c);
      const folded = fold(one);
      if (folded === '') k = MARK.test(one) || isInvisible(c) ? 1 : 2;
      else if (folded.length === 1 && folded.charCodeAt(0) < 0x80 && folded !== ' ')
        k = folded.charCodeAt(0) + 3;
    }
    unitFolds[c] = k;
  }
  return k === 1 ? DROPPED : k === 2 ? c : k - 3;
}

/** A phone number's digits only: `+1 (212) 555-0100` and `12125550100` are the same number. */
export function digits(text: string): string {
  return text.replace(/\D+/g, '');
}

/**
 * Whether a code unit is written for an apostrophe inside a name (O'Brien, O’Brien, O‘Brien, O´Brien): the
 * joiners of words but U+02BC, a letter in some scripts, which ends no possessive.
 */
export const isApostrophe = (c: number): boolean => c === 39 || c === 0x2019 || c === 0x2018 || c === 0xb4;

/** Whether a code unit parts the words of a name as a space does: a hyphen or a dash. */
export const isDash = (c: number): boolean =>
  c === 45 || (c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63 || c === 0xff0d;

/** Titles written before a name in a name field, and suffixes after it (folded, without dots). */
const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'sir', 'dame', 'rev']);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'mba', 'esq']);
/** A part in brackets or quotes: a nickname ("Krzysztof (Chris)", 'Robert "Bob"'), or pronouns. */
const BRACKETED = /[([{"\u201c]([^)\]}"\u201d]*)[)\]}"\u201d]/g;
const titleKey = (word: string) => word.replace(/\./g, '').toLowerCase();

/**
 * The names inside what a name field holds beside them, as people fill them in: without a title before
 * ("Dr. Priyanka"), a suffix after ("Doe Jr.", "Smith, PhD"), initials ("Gwendolyn Q.") and a part in
 * brackets or quotes, and that part alone ("Chris" of "Krzysztof (Chris)"; not pronouns, "she/her").
 * Each is a spelling of the name, found wherever the name is. Empty when there is nothing beside it.
 */
export function bareNames(name: string): string[] {
  const inside: string[] = [];
  const rest = name.replace(BRACKETED, (_, part: string) => {
    if (part.trim() !== '' && !part.includes('/')) inside.push(part.trim());
    return ' ';
  });
  let words = rest.split(/[\s,]+/).filter((w) => w !== '');
  while (words.length > 1 && TITLES.has(titleKey(words[0]!))) words.shift();
  while (words.length > 1 && SUFFIXES.has(titleKey(words[words.length - 1]!))) words.pop();
  const initials = words.filter((w) => !/^\p{L}\.$/u.test(w));
  if (initials.length > 0) words = initials;
  const bare = words.join(' ');
  const out = bare === name.trim().replace(/\s+/g, ' ') || bare === '' ? [] : [bare];
  for (const part of inside) if (!out.includes(part)) out.push(part);
  return out;
}

// How a name is spelled by those who leave its marks out: an apostrophe dropped or made a space (OBrien,
// O Brien), German and Nordic letters written out (Juergen, Oedegaard) as keyboards and passports do, its
// words run together (MaryAnn, VanderBerg) as e-mails, handles and file names do.
const APOSTROPHES = /['\u2018\u2019\u02bc\u0060\u00b4]/g;
const WRITTEN_OUT: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ø: 'oe',
  å: 'aa',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  Ø: 'Oe',
  Å: 'Aa',
};
const WRITTEN_OUT_LETTERS = /[äöüøåÄÖÜØÅ]/g;
/** A name with its letters ä, ö, ü, ø, å written out (`Juergen` of Jürgen); as it is without them. */
export const writtenOut = (name: string): string =>
  name.normalize('NFC').replace(WRITTEN_OUT_LETTERS, (c) => WRITTEN_OUT[c]!);
/** What parts the words of a name: white space, hyphens and dashes. */
const PARTS = /[\s\-\u2010-\u2015]+/g;

/**
 * Other spellings of a name (not folded; the name itself left out): with its letters ä, ö, ü, ø, å
 * written out, with its apostrophes left out or made spaces, and with its words run together. `spaced`: those made spaces, whose
 * single words are too short or too common to stand alone ("O", "D").
 */
export function nameSpellings(name: string): { glued: string[]; spaced: string[] } {
  const glued = new Set<string>();
  const spaced = new Set<string>();
  const composed = name.normalize('NFC');
  const bases = [composed];
  // The name a field holds with a title, a suffix, an initial or a nickname beside it ("Dr. Priyanka").
  for (const bare of bareNames(composed)) {
    bases.push(bare);
    glued.add(bare);
  }
  const out = writtenOut(composed);
  if (out !== composed) {
    bases.push(out);
    glued.add(out);
  }
  for (const base of bases) {
    const bare = base.replace(APOSTROPHES, '');
    if (bare !== base) {
      glued.add(bare);
      spaced.add(base.replace(APOSTROPHES, ' '));
    }
    // The words of a name run together, as in e-mails, handles and file names (MaryAnn, DelaCruz).
    // Not of initials: "J R" as "JR" would be every "Jr".
    const joined = bare.replace(PARTS, '');
    if (joined !== bare.trim() && joined.length >= 4) glued.add(joined);
  }
  glued.delete(name);
  return { glued: [...glued], spaced: [...spaced] };
}
