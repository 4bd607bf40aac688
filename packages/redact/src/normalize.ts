// One folding for everything that is compared: what the dictionary stores and what the scrubber looks up
// must agree, or a name written with another case or without its accents slips through.

const MARKS = /\p{M}+/gu;
const QUOTES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;

/** Case-folded, accents removed, typographic apostrophes made plain, inner spaces single. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(QUOTES, "'")
    .toLowerCase()
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

/** A phone number's digits only: `+1 (212) 555-0100` and `12125550100` are the same number. */
export function digits(text: string): string {
  return text.replace(/\D+/g, '');
}

/** Words of a text as the scrubber cuts it: letters, digits, marks, inner apostrophes and hyphens. */
export const WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019\u02bc-][\p{L}\p{N}\p{M}]+)*/gu;

/** The folded words of a name, for the dictionary; the same cut as the scrubber's. */
export function nameWords(name: string): string[] {
  return Array.from(name.matchAll(WORD), (m) => fold(m[0]));
}
