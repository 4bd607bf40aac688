// HTML tags inside a word, as mail editors write them (`<span>Zo</span><span>ë</span>`, a bold initial
// `<b>H</b>ope`): a reader sees the word whole, so the scrubber and the leak scan read it whole too. Tags
// between words are read past where words are cut (see `Scrubber`); these are taken out of the text first.
import { MappedBuilder } from './mapped.js';
import type { MappedBytes } from './references.js';

/**
 * The inline tags, which a word runs on through; others (`p`, `br`, `div`, `td`) part the words around them
 * as a line break does.
 */
const INLINE = [
  'a',
  'abbr',
  'b',
  'big',
  'code',
  'del',
  'em',
  'font',
  'i',
  'ins',
  'mark',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'tt',
  'u',
];
/** Inline tags (one or more) with a letter right before and right after them. */
const IN_WORD = new RegExp(
  `(?<=[\\p{L}\\p{M}])(?:</?(?:${INLINE.join('|')})(?:\\s[^<>]*)?/?>)+(?=[\\p{L}\\p{M}])`,
  'giu',
);
const INLINE_NAMES = new Set(INLINE);

/** `text` without its tags inside words; undefined when it holds none. */
export function withoutInWordTags(text: string): string | undefined {
  if (!text.includes('<')) return undefined;
  IN_WORD.lastIndex = 0;
  if (!IN_WORD.test(text)) return undefined;
  return text.replace(IN_WORD, '');
}

/** Whether b[i] is a letter's byte: an ASCII letter, or any byte of a character beyond ASCII. */
const letterByte = (c: number | undefined) =>
  c !== undefined && (c >= 0x80 || ((c | 0x20) >= 97 && (c | 0x20) <= 122));

/** Where the inline tag at b[i] (a `<`) ends, past its `>`; -1 when it is none. */
function tagEnd(b: Uint8Array, i: number): number {
  let j = i + 1;
  if (b[j] === 47) j++;
  const name = j;
  while (j < b.length && j - name < 8 && (b[j]! | 0x20) >= 97 && (b[j]! | 0x20) <= 122) j++;
  const tag = Buffer.from(b.buffer, b.byteOffset + name, j - name)
    .toString('latin1')
    .toLowerCase();
  if (!INLINE_NAMES.has(tag) || !(b[j] === 62 || b[j] === 47 || b[j] === 32 || b[j] === 9)) return -1;
  for (; j < b.length && j - i < 1024; j++) {
    const c = b[j]!;
    if (c === 62) return j + 1;
    if (c === 60) return -1;
  }
  return -1;
}

/**
 * UTF-8 bytes without their inline tags inside words, where each byte came from (`at`; `at[length]`: the
 * bytes' end) and where it ends (`after`); undefined when they hold none.
 */
export function inWordTagBytes(b: Uint8Array): MappedBytes | undefined {
  const view = new MappedBuilder(b);
  const none = new Uint8Array(0);
  for (let i = b.indexOf(60); i !== -1; i = b.indexOf(60, i + 1)) {
    if (!letterByte(b[i - 1])) continue;
    let end = tagEnd(b, i);
    if (end < 0) continue;
    while (b[end] === 60 && tagEnd(b, end) > 0) end = tagEnd(b, end);
    if (!letterByte(b[end])) continue;
    view.put(i, end, none);
    i = end - 1;
  }
  return view.finish();
}
