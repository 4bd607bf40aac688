// The people a row names by their profile URL only (a message's sender, a note's owner, a feedback's
// requester): recruiters and interviewers, whom no table names, sign their messages and notes with the
// name their LinkedIn URL is made of (`linkedin.com/in/priya-sharma-1a2b3c` writes "Best, Priya Sharma").
import type { TypedRecord } from '@talent-export/schema';
import { DROPPED, fold, foldUnit, foldWord, isApostrophe } from './normalize.js';

/** Words of a profile URL's handle that are no part of a name: roles, degrees, titles. */
const NOT_NAME = new Set(
  'talent recruiter recruiting recruitment hr ta sourcer sourcing jobs careers hiring acquisition people mba phd md cpa pmp shrm cipd dr mr ms mrs jr sr ii iii'.split(
    ' ',
  ),
);

/** Letters a handle writes alone for a name's apostrophe (O'Sullivan, D'Angelo, L'Hermite). */
const APOSTROPHE_LETTERS = new Set(['o', 'd', 'l']);

/**
 * The name a LinkedIn profile URL's handle is made of, as folded words (`['priya', 'sharma']` of
 * `…/in/priya-sharma-1a2b3c/`; `['sean', 'osullivan']` of `sean-o-sullivan`), or undefined: LinkedIn makes a
 * handle of the first and last name and a suffix with digits; a handle of one word, of more than 3, or with
 * a digit inside is no name it can read.
 */
export function profileName(url: string): string[] | undefined {
  const handle = profileHandle(url);
  if (handle === undefined) return undefined;
  const words = handle.split(/[-_]+/).filter((w) => w !== '');
  while (words.length > 0 && /\d/.test(words[words.length - 1]!)) words.pop();
  const name: string[] = [];
  const folded = words.map((w) => fold(w).replace(/'/g, ''));
  for (let k = 0; k < folded.length; k++) {
    const word = folded[k]!;
    if (NOT_NAME.has(word)) continue;
    // A letter alone is an apostrophe the handle made a hyphen of (`o-sullivan` of O'Sullivan, `d-angelo`),
    // or else an initial (`priya-k-raman`, `j-robert-smith`), which is no word of the name: the name is
    // written with or without it, and `replaceNames` takes an initial between its words.
    if (word.length === 1 && !(APOSTROPHE_LETTERS.has(word) && name.length > 0 && k + 1 < folded.length))
      continue;
    const last = name.length - 1;
    if (last >= 0 && name[last]!.length === 1) name[last] += word;
    else name.push(word);
  }
  if (name.length < 2 || name.length > 3) return undefined;
  return name.every((w) => /^\p{L}{2,}$/u.test(w)) ? name : undefined;
}

/**
 * A candidates row as its names are learned: one holding no first and no last name (an import that lost
 * them) is named as its profile URL's handle spells the name (`thandiwe-dlamini-4711`), as a message's sender
 * is; else, or when the handle spells none, the row as it is.
 */
export function namedByProfile(record: TypedRecord): TypedRecord {
  const { first_name: first, last_name: last, profile_url: url } = record;
  if (hasText(first) || hasText(last) || typeof url !== 'string') return record;
  const words = profileName(url);
  return words ? { ...record, first_name: words[0]!, last_name: words.slice(1).join(' ') } : record;
}

const hasText = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/**
 * The handle of a LinkedIn profile URL (`priya-sharma-1a2b3c` of `https://www.linkedin.com/in/priya-sharma-1a2b3c/`),
 * percent escapes decoded, or undefined for a URL of no profile.
 */
export function profileHandle(url: string): string | undefined {
  const m = /linkedin\.com\/(?:in|pub)\/([^/?#\s]+)/i.exec(url);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    // A stray % leaves the handle as written.
    return m[1]!;
  }
}

/** Whether a code unit is a letter or a mark (cached per code unit: a regular expression per character costs). */
const LETTER = /[\p{L}\p{M}]/u;
const letters = new Uint8Array(65_536);
function isLetter(c: number): boolean {
  if (c < 128) return (c | 0x20) >= 97 && (c | 0x20) <= 122;
  let k = letters[c]!;
  if (k === 0) letters[c] = k = LETTER.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1;
}
/** What joins two words of a name written as one in a handle (`smith-jones` of `smithjones`). */
const JOINED = /^[-\u2010-\u2015]$/;

/** A name of `profileName` (see `urlName`). */
export interface UrlName {
  readonly words: readonly string[];
}

export function urlName(words: readonly string[]): UrlName {
  return { words };
}

/**
 * Whether `text` may hold `word` (a name's last word, folded), as `replaceNames` reads words: every way it
 * finds a name has the last word in it (whole, `P. Raman`, `Raman, Priya`). May say yes wrongly, never no,
 * as most texts hold no such word. Where the word may start: its first letter in either case (found
 * natively), or a unit beyond ASCII. A loop, not a regular expression: a name's expression was compiled for
 * the few rows of its sender and took ~8 us a row, a sixth of the whole redaction; and walking every word
 * of a text beyond ASCII (most messages in some languages) took a fifth of the stage.
 */
function mayHold(text: string, word: string): boolean {
  const lower = word.charCodeAt(0);
  // A word beyond ASCII (a handle in another script) is left to the walk.
  if (lower >= 0x80) return true;
  const upper = String.fromCharCode(lower).toUpperCase();
  for (let i = text.indexOf(word[0]!); i !== -1; i = text.indexOf(word[0]!, i + 1))
    if (holdsAt(text, i, word)) return true;
  if (upper !== word[0])
    for (let i = text.indexOf(upper); i !== -1; i = text.indexOf(upper, i + 1))
      if (holdsAt(text, i, word)) return true;
  // A word may start beyond ASCII (`Émile`, a combining accent, a look-alike letter).
  NOT_ASCII_ALL.lastIndex = 0;
  for (let m = NOT_ASCII_ALL.exec(text); m !== null; m = NOT_ASCII_ALL.exec(text)) {
    const f = foldUnit(text.charCodeAt(m.index));
    if ((f === lower || f === DROPPED || f >= 0x80) && holdsAt(text, m.index, word)) return true;
  }
  return false;
}
const NOT_ASCII_ALL = /[^\0-\x7f]/g;

/**
 * Whether text from `at` holds the ASCII letters of `word` in any case, `'` or `-` between them. A unit
 * beyond ASCII counts as what it folds to alone (`foldUnit`: `ü` as `u`, an accent as nothing); one that
 * folds to no single ASCII character (`ß`, a ligature, a look-alike letter, a dash) may be some of the word's
 * letters: yes.
 */
function holdsAt(text: string, at: number, word: string): boolean {
  let k = 0;
  for (let j = at; k < word.length && j < text.length; j++) {
    let c = text.charCodeAt(j);
    if (c >= 0x80) {
      c = foldUnit(c);
      if (c === DROPPED) continue;
      if (c >= 0x80) return true;
    }
    if ((c | 0x20) === word.charCodeAt(k)) k++;
    else if (c !== 39 && c !== 45) break;
  }
  return k === word.length;
}

/**
 * `text` with each of `names` (`urlName`) replaced by `replace(words)` where it is written whole: in any
 * case and accents, apostrophes left out (`O'Brien` is `obrien`), its words apart by spaces or a hyphen, a
 * word of the handle also as two written with a hyphen (`Smith-Jones` for `smithjones`), with middle
 * initials (`Priya K. Raman`), the first name as a capital initial (`P. Raman`), or the last name first
 * (`Raman, Priya`, `RAMAN Priya`). A word of the name alone is left: it may be another person's or a
 * word. `found` is called once per replacement. Words are cut by hand, and folded only where a name may
 * start (a first letter in ASCII that is the name's first or last word's, or one beyond ASCII), as
 * message bodies are many.
 */
export function replaceNames(
  text: string,
  names: readonly UrlName[],
  replace: (words: readonly string[]) => string,
  found: () => void,
): string {
  // Text beyond ASCII may spell the name otherwise (`Seán`, `Sea\u0301n` with a combining accent, `Æsa` for
  // `aesa`), which only the walk below, folding each word, finds: it is walked only when the quick test
  // says the text may hold a name's last word.
  let maybe = false;
  for (let k = 0; k < names.length && !maybe; k++) {
    const words = names[k]!.words;
    maybe = mayHold(text, words[words.length - 1]!);
  }
  if (!maybe) return text;
  const n = text.length;
  let out = '';
  let copied = 0;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (!isLetter(c)) {
      i++;
      continue;
    }
    const end = wordEnd(text, i);
    let matched = -1;
    for (const { words } of names) {
      matched = nameAt(text, i, end, c, words);
      if (matched === -1) continue;
      out += `${text.slice(copied, i)}${replace(words)}`;
      copied = matched;
      found();
      break;
    }
    i = matched === -1 ? end : matched;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Where `name` written from the word text[start, end) (first letter `c`) ends, or -1: whole, its first
 * name as a capital initial, or its last name first (a comma after it or not).
 */
function nameAt(text: string, start: number, end: number, c: number, name: readonly string[]): number {
  const ascii = c < 128;
  const lower = c | 0x20;
  if (!ascii || lower === name[0]!.charCodeAt(0)) {
    const whole = matchFrom(text, start, end, name);
    if (whole !== -1) return whole;
    // `P. Raman`, `P Raman`: a capital letter alone, the first name's, then the rest of the name.
    if (end === start + 1 && ascii && c !== lower) {
      let next = end;
      if (text.charCodeAt(next) === 46) next++;
      const rest = nextName(text, next);
      if (rest !== -1) {
        const after = matchFrom(text, rest, wordEnd(text, rest), name.slice(1));
        if (after !== -1) return after;
      }
    }
  }
  // `Raman, Priya`, `RAMAN Priya`: the last name, a comma or not, the others.
  const last = name.length - 1;
  if (ascii && lower !== name[last]!.charCodeAt(0)) return -1;
  const lastEnd = matchFrom(text, start, end, name.slice(last));
  if (lastEnd === -1) return -1;
  const next = nextName(text, text.charCodeAt(lastEnd) === 44 ? lastEnd + 1 : lastEnd);
  return next === -1 ? -1 : matchFrom(text, next, wordEnd(text, next), name.slice(0, last));
}

/** A space as HTML writes it (`&nbsp;`, `&#160;`, `&#xa0;`, `&#32;`), at the start of a text. */
const SPACE_REFERENCE = /^&(?:nbsp|#160|#x0*a0|#32|#x0*20);/i;
/** The most characters of an HTML tag between two words of a name (`<span style="…">`). */
const MAX_TAG = 200;
/** Tags that part lines or blocks, read as a space between words (`Sarah<br>Connor`). */
const BREAK_TAG = /^<\/?(?:br|p|div|li|td|tr|h[1-6])\b/i;
const BETWEEN_CHAR = /[\s\-\u2010-\u2015]/;

/**
 * Where the word 1 to 3 spaces or dashes after `from` starts, or -1. A message body is often HTML: its
 * tags are read past (`<b>Sarah</b> <b>Connor</b>`, a tag that breaks a line as a space) and a no-break
 * space's reference as a space (`S.&nbsp;Connor`).
 */
function nextName(text: string, from: number): number {
  const n = text.length;
  let spaces = 0;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isLetter(c)) break;
    if (c === 60) {
      const close = text.indexOf('>', i + 1);
      if (close === -1 || close - i > MAX_TAG) return -1;
      if (BREAK_TAG.test(text.slice(i, i + 8))) spaces++;
      i = close + 1;
    } else if (c === 38) {
      const reference = SPACE_REFERENCE.exec(text.slice(i, i + 10));
      if (reference === null) return -1;
      spaces++;
      i += reference[0].length;
    } else {
      if (!BETWEEN_CHAR.test(text[i]!)) return -1;
      spaces++;
      i++;
    }
    if (spaces > 3) return -1;
  }
  return i < n && spaces >= 1 ? i : -1;
}

/** Whether text[start] is a capital letter standing alone (an initial), a dot after it or not. */
function initialEnd(text: string, start: number, end: number): number {
  if (end !== start + 1) return -1;
  const c = text.charAt(start);
  if (c === c.toLowerCase()) return -1;
  return text.charCodeAt(end) === 46 ? end + 1 : end;
}

/** Where the word that starts at `start` ends: letters and marks, apostrophes between letters. */
function wordEnd(text: string, start: number): number {
  const n = text.length;
  let end = start + 1;
  while (
    end < n &&
    (isLetter(text.charCodeAt(end)) ||
      (isApostrophe(text.charCodeAt(end)) && end + 1 < n && isLetter(text.charCodeAt(end + 1))))
  )
    end++;
  return end;
}

// Words beyond ASCII come back text after text (the accented names of a sender's messages): folded once.
const folded = (text: string, start: number, end: number) => {
  const word = foldWord(text.slice(start, end));
  return word.includes("'") ? word.replace(/'/g, '') : word;
};

/**
 * Whether the word text[start, end) is `word` (folded), compared in place when it is ASCII letters alone:
 * folding every word that starts with a name's first letter cost more than the scrubber's whole walk.
 * Undefined when it must be folded first (letters beyond ASCII, an apostrophe).
 */
function asciiSame(text: string, start: number, end: number, word: string): boolean | undefined {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || c === 39) return undefined;
  }
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++)
    if ((text.charCodeAt(start + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** The most middle initials taken between two words of a name (`Mary J. K. Blige`). */
const MAX_INITIALS = 2;

/** Where `name` written from the word text[start, end) ends, or -1; middle initials may stand between its words. */
function matchFrom(text: string, start: number, end: number, name: readonly string[]): number {
  let e = wordMatch(text, start, end, name[0]!);
  for (let k = 1; k < name.length && e !== -1; k++) {
    // The next word, 1 to 3 spaces or dashes on; else past an initial or two (`Priya K. Raman`), though
    // a letter alone may be the name's own (`O-Sullivan`).
    let s = nextName(text, e);
    if (s === -1) return -1;
    const word = name[k]!;
    const next = wordMatch(text, s, wordEnd(text, s), word);
    if (next !== -1) {
      e = next;
      continue;
    }
    e = -1;
    for (let taken = 0; taken < MAX_INITIALS && e === -1; taken++) {
      const initial = initialEnd(text, s, wordEnd(text, s));
      if (initial === -1) break;
      s = nextName(text, initial);
      if (s === -1) break;
      e = wordMatch(text, s, wordEnd(text, s), word);
    }
  }
  return e;
}

/** Where `word` (folded) written from the word text[s, e) ends, or -1. */
function wordMatch(text: string, s: number, e: number, word: string): number {
  const same = asciiSame(text, s, e, word);
  if (same === true) return e;
  // A word of the handle written as two with a hyphen (`Smith-Jones` of `smithjones`).
  const second = e + 1;
  const joined = second < text.length && JOINED.test(text[e]!) && isLetter(text.charCodeAt(second));
  if (same === false && !joined) return -1;
  const read = folded(text, s, e);
  if (read === word) return e;
  if (!joined || !word.startsWith(read)) return -1;
  const after = wordEnd(text, second);
  return read + folded(text, second, after) === word ? after : -1;
}
