// The people a row names by their profile URL only (a message's sender, a note's owner, a feedback's
// requester): recruiters and interviewers, whom no table names, sign their messages and notes with the
// name their LinkedIn URL is made of (`linkedin.com/in/priya-sharma-1a2b3c` writes "Best, Priya Sharma").
import { fold, foldWord, isApostrophe } from './normalize.js';

/** Words of a profile URL's handle that are no part of a name: roles, degrees, titles. */
const NOT_NAME = new Set(
  'talent recruiter recruiting recruitment hr ta sourcer sourcing jobs careers hiring acquisition people mba phd md cpa pmp shrm cipd dr mr ms mrs jr sr ii iii'.split(
    ' ',
  ),
);

/**
 * The name a LinkedIn profile URL's handle is made of, as folded words (`['priya', 'sharma']` of
 * `…/in/priya-sharma-1a2b3c/`; `['sean', 'osullivan']` of `sean-o-sullivan`), or undefined: LinkedIn makes a
 * handle of the first and last name and a suffix with digits; a handle of one word, of more than 3, or with
 * a digit inside is no name it can read.
 */
export function profileName(url: string): string[] | undefined {
  const m = /linkedin\.com\/(?:in|pub)\/([^/?#\s]+)/i.exec(url);
  if (!m) return undefined;
  let handle = m[1]!;
  try {
    handle = decodeURIComponent(handle);
  } catch {
    // A stray % leaves the handle as written.
  }
  const words = handle.split(/[-_]+/).filter((w) => w !== '');
  while (words.length > 0 && /\d/.test(words[words.length - 1]!)) words.pop();
  const name: string[] = [];
  for (const word of words.map((w) => fold(w).replace(/'/g, ''))) {
    if (NOT_NAME.has(word)) continue;
    // A letter alone is an apostrophe the handle made a hyphen of (`o-sullivan` of O'Sullivan).
    const last = name.length - 1;
    if (last >= 0 && name[last]!.length === 1) name[last] += word;
    else name.push(word);
  }
  if (name.length < 2 || name.length > 3) return undefined;
  return name.every((w) => /^\p{L}{2,}$/u.test(w)) ? name : undefined;
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
/** What may stand between the words of a name: spaces, a hyphen or dash, at most 3 characters. */
const BETWEEN = /^[\s\-\u2010-\u2015]{1,3}$/;
/** What joins two words of a name written as one in a handle (`smith-jones` of `smithjones`). */
const JOINED = /^[-\u2010-\u2015]$/;

const NOT_ASCII = /[^\0-\x7f]/;

/** A name of `profileName` and a test that its first word may be in a text (see `urlName`). */
export interface UrlName {
  readonly words: readonly string[];
  readonly maybe: RegExp;
}

/**
 * `words` with a test of its first word, each letter in either case or as any accented Latin letter, and
 * an apostrophe allowed between (`Seán`, `O’Sullivan`), read natively: in ASCII text a test that may
 * say yes wrongly, never no, as most texts hold no such word.
 */
export function urlName(words: readonly string[]): UrlName {
  const letter = (l: string) => `[${l}${l.toUpperCase()}\\u00c0-\\u024f\\u1e00-\\u1eff]`;
  return { words, maybe: new RegExp([...words[0]!].map(letter).join("['\\u2019]?")) };
}

/**
 * `text` with each of `names` (`urlName`) written whole replaced by `replace(words)`: in any case and
 * accents, apostrophes left out (`O'Brien` is `obrien`), its words apart by spaces or a hyphen, a word of
 * the handle also as two written with a hyphen (`Smith-Jones` for `smithjones`). `found` is called once
 * per replacement. Words are cut by hand, and folded only where a name may start (a first letter in ASCII
 * that is the name's, or one beyond ASCII), as message bodies are many.
 */
export function replaceNames(
  text: string,
  names: readonly UrlName[],
  replace: (words: readonly string[]) => string,
  found: () => void,
  otherwise = true,
): string {
  let maybe = false;
  for (let k = 0; k < names.length && !maybe; k++) maybe = names[k]!.maybe.test(text);
  // The test knows letters one for one: text beyond ASCII may spell the name otherwise (`Sea\u0301n` with a
  // combining accent, `Æsa` for `aesa`), which only the walk below, folding each word, finds (`otherwise`).
  if (!maybe && (!otherwise || !NOT_ASCII.test(text))) return text;
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
      if (c < 128 && (c | 0x20) !== words[0]!.charCodeAt(0)) continue;
      matched = matchFrom(text, i, end, words);
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

/** Where `name` written from the word text[start, end) ends, or -1. */
function matchFrom(text: string, start: number, end: number, name: readonly string[]): number {
  let s = start;
  let e = end;
  for (let k = 0; k < name.length; k++) {
    if (k > 0) {
      // The next word, 1 to 3 spaces or dashes on.
      let next = e;
      while (next < text.length && next - e <= 3 && !isLetter(text.charCodeAt(next))) next++;
      if (next >= text.length || !BETWEEN.test(text.slice(e, next))) return -1;
      s = next;
      e = wordEnd(text, s);
    }
    const word = name[k]!;
    const same = asciiSame(text, s, e, word);
    if (same === true) continue;
    // A word of the handle written as two with a hyphen (`Smith-Jones` of `smithjones`).
    const second = e + 1;
    const joined = second < text.length && JOINED.test(text[e]!) && isLetter(text.charCodeAt(second));
    if (same === false && !joined) return -1;
    const read = folded(text, s, e);
    if (read === word) continue;
    if (!joined || !word.startsWith(read)) return -1;
    const after = wordEnd(text, second);
    if (read + folded(text, second, after) !== word) return -1;
    e = after;
  }
  return e;
}
