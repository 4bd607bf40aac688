// The people a row names by their profile URL only (a message's sender, a note's owner, a feedback's
// requester): recruiters and interviewers, whom no table names, sign their messages and notes with the
// name their LinkedIn URL is made of (`linkedin.com/in/priya-sharma-1a2b3c` writes "Best, Priya Sharma").
import { fold } from './normalize.js';

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

/** Words as a name is written: letters and marks, with apostrophes inside (`O'Brien`, `Zoë`). */
const WORD = /[\p{L}\p{M}]+(?:['\u2019][\p{L}\p{M}]+)*/gu;
/** What may stand between the words of a name: spaces, a hyphen or dash, at most 3 characters. */
const BETWEEN = /^[\s\-\u2010-\u2015]{1,3}$/;
/** What joins two words of a name written as one in a handle (`smith-jones` of `smithjones`). */
const JOINED = /^[-\u2010-\u2015]$/;

/**
 * `text` with each of `names` (folded words, `profileName`) written whole replaced by `replace(name)`: in
 * any case and accents, apostrophes left out (`O'Brien` is `obrien`), its words apart by spaces or a
 * hyphen, a word of the handle also as two written with a hyphen (`Smith-Jones` for `smithjones`).
 * `found` is called once per replacement.
 */
export function replaceNames(
  text: string,
  names: readonly (readonly string[])[],
  replace: (name: readonly string[]) => string,
  found: () => void,
): string {
  const lower = text.toLowerCase();
  if (!names.some((name) => lower.includes(name[0]!.slice(0, 2)))) return text;
  const words: { start: number; end: number; folded: string }[] = [];
  for (const m of text.matchAll(WORD))
    words.push({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]).replace(/'/g, '') });
  let out = '';
  let copied = 0;
  for (let i = 0; i < words.length; i++) {
    for (const name of names) {
      const end = matchAt(text, words, i, name);
      if (end === -1) continue;
      out += `${text.slice(copied, words[i]!.start)}${replace(name)}`;
      copied = words[end - 1]!.end;
      found();
      i = end - 1;
      break;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where (past which word) `name` matches the words from `i`, or -1. */
function matchAt(
  text: string,
  words: readonly { start: number; end: number; folded: string }[],
  i: number,
  name: readonly string[],
): number {
  let j = i;
  for (let k = 0; k < name.length; k++) {
    if (j >= words.length) return -1;
    if (k > 0 && !BETWEEN.test(text.slice(words[j - 1]!.end, words[j]!.start))) return -1;
    if (words[j]!.folded === name[k]) {
      j++;
      continue;
    }
    const next = words[j + 1];
    if (
      next !== undefined &&
      JOINED.test(text.slice(words[j]!.end, next.start)) &&
      words[j]!.folded + next.folded === name[k]
    ) {
      j += 2;
      continue;
    }
    return -1;
  }
  return j;
}
