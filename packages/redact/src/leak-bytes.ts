// Words cut from UTF-8 bytes as the scrubber cuts them from strings (letters and digits, inner
// apostrophes, a possessive 's left out; a hyphen parts words), with no decoding for ASCII; and phone
// digit runs.
import { feed, feedWord } from './leak-hash.js';
import { isWordCode } from './scrub.js';

/** ASCII word characters (the scrubber's: letters and digits) lower-cased; 0 for the rest. */
export const LOWER = new Uint8Array(128);
for (let c = 48; c <= 57; c++) LOWER[c] = c;
for (let c = 97; c <= 122; c++) LOWER[c] = LOWER[c - 32] = c;

// UTF-8 read by hand: the code point at i, its length left in `codeLength` (1 for a byte that starts none).
export let codeLength = 1;
export function codeAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) {
    codeLength = 1;
    return c;
  }
  const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  if (n === 1 || i + n > b.length) {
    codeLength = 1;
    return 0xfffd;
  }
  let code = c & (0x7f >> n);
  for (let k = 1; k < n; k++) {
    const next = b[i + k]!;
    if ((next & 0xc0) !== 0x80) {
      codeLength = 1;
      return 0xfffd;
    }
    code = (code << 6) | (next & 0x3f);
  }
  // Lead bytes F4-F7 spell numbers past Unicode's last code point: binary data (a PDF), not text.
  if (code > 0x10ffff) {
    codeLength = 1;
    return 0xfffd;
  }
  codeLength = n;
  return code;
}

/** The scrubber's word characters by code point: letters, digits and marks in any plane, no emoji. */
export { isWordCode };

export function wordByteAt(b: Uint8Array, i: number): boolean {
  const c = b[i]!;
  return c < 128 ? LOWER[c] !== 0 : isWordCode(codeAt(b, i));
}

/** The start of the next word at or after `from`, or -1. */
export function nextWordAt(b: Uint8Array, from: number): number {
  for (let i = from; i < b.length; ) {
    const c = b[i]!;
    if (c < 128) {
      if (LOWER[c] !== 0) return i;
      i++;
    } else {
      if (isWordCode(codeAt(b, i))) return i;
      i += codeLength;
    }
  }
  return -1;
}

/** Where the word starting at `start` ends: the scrubber's cut (inner apostrophes join, hyphens part). */
export function wordEndFrom(b: Uint8Array, start: number): number {
  let i = start;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 128) {
      if (LOWER[c] !== 0) i++;
      else if (c === 39 && i + 1 < b.length && wordByteAt(b, i + 1)) i++;
      else break;
    } else {
      const code = codeAt(b, i);
      const length = codeLength;
      if (isWordCode(code)) i += length;
      else if (joinsBytes(b, i, code) && i + length < b.length && wordByteAt(b, i + length)) i += length;
      else break;
    }
  }
  return i;
}

/** A joiner beyond ASCII, as the scrubber's: ’ ‘ ´ (apostrophes as typed) and ʼ. */
export const isJoinerCode = (code: number): boolean =>
  code === 0x2019 || code === 0x2018 || code === 0xb4 || code === 0x2bc;

/**
 * Whether the code point at i joins the words around it: a joiner, or a zero-width (non-)joiner after a
 * code point below U+0590 (one or two UTF-8 bytes), as the scrubber's `isZeroWidthJoiner` takes it.
 */
export function joinsBytes(b: Uint8Array, i: number, code: number): boolean {
  if (isJoinerCode(code)) return true;
  if ((code !== 0x200c && code !== 0x200d) || i === 0) return false;
  const before = b[i - 1]!;
  if (before < 0x80) return true;
  const lead = i >= 2 ? b[i - 2]! : 0;
  return (
    (before & 0xc0) === 0x80 &&
    lead >= 0xc2 &&
    lead <= 0xdf &&
    (((lead & 0x1f) << 6) | (before & 0x3f)) < 0x590
  );
}

/** Where a word ends once a possessive 's (or ’s, ‘s, ´s) is left out. */
export function stemAt(b: Uint8Array, start: number, end: number): number {
  if ((b[end - 1]! | 0x20) !== 115) return end;
  if (end - start > 2 && b[end - 2] === 39) return end - 2;
  if (end - start > 3 && b[end - 3] === 0xc2 && b[end - 2] === 0xb4) return end - 3;
  if (
    end - start > 4 &&
    b[end - 4] === 0xe2 &&
    b[end - 3] === 0x80 &&
    (b[end - 2] === 0x99 || b[end - 2] === 0x98)
  )
    return end - 4;
  return end;
}

/** Whether an apostrophe (', ’, ‘ or ´) starts at b[i]. */
export function apostropheAt(b: Uint8Array, i: number): boolean {
  const c = b[i];
  if (c === 39) return true;
  if (c === 0xc2) return b[i + 1] === 0xb4;
  return c === 0xe2 && b[i + 1] === 0x80 && (b[i + 2] === 0x99 || b[i + 2] === 0x98);
}

/** Where a word really starts: after a JSON or C escape glued to it (`\nJane`, `\u00a0Jane`). */
export function escapedStart(b: Uint8Array, start: number, end: number): number {
  const c = b[start]!;
  if (c === 117 && end - start > 5 && isHex(b, start + 1, start + 5)) return start + 5;
  if ((c === 110 || c === 116 || c === 114 || c === 98 || c === 102) && end - start > 1) return start + 1;
  return start;
}

/**
 * Where the word at `start` (ending at `end`) begins once the two hex digits of a percent escape before it
 * are left out (`%40example`: at `example`, as the scrubber reads the text unescaped); else `start`.
 */
export function percentStart(b: Uint8Array, start: number, end: number): number {
  return start > 0 && b[start - 1] === 37 && end - start > 2 && isHex(b, start, start + 2)
    ? start + 2
    : start;
}

function isHex(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = b[i]! | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Feeds bytes [start, end) folded, as `feedWord` feeds the same word as a string. */
export function feedBytes(b: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    if (b[i]! > 0x7f) {
      const word = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
      feedWord(word, 0, word.length);
      return;
    }
  }
  for (let i = start; i < end; i++) feed(LOWER[b[i]!] || b[i]!);
}

/**
 * Whether only phone punctuation (space, tab, no-break space, the spaces U+2000-200A and U+202F, ( ) . / + -,
 * the dashes U+2010-2015, and what shows nothing: a soft hyphen, U+200B-200D, U+2060, a BOM; as the
 * scrubber's phone runs take them), at most 3 characters, stands between.
 */
export function phoneGap(b: Uint8Array, from: number, to: number): boolean {
  let chars = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c === 0xc2 && (b[i + 1] === 0xa0 || b[i + 1] === 0xad)) i++;
    else if (c === 0xe2 && b[i + 1] === 0x80 && isPhoneSpaceOrDash(b[i + 2]!)) i += 2;
    else if (c === 0xe2 && b[i + 1] === 0x81 && b[i + 2] === 0xa0) i += 2;
    else if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) i += 2;
    else if (!(c === 32 || c === 9 || c === 40 || c === 41 || c === 46 || c === 47 || c === 43 || c === 45))
      return false;
    if (++chars > 3) return false;
  }
  return true;
}

/**
 * The last byte of U+2000-200A (spaces), U+200B-200D (zero-width), U+200E-200F (direction marks),
 * U+2010-2015 (dashes) or U+202F (narrow no-break space).
 */
const isPhoneSpaceOrDash = (last: number) =>
  (last >= 0x80 && last <= 0x8f) || (last >= 0x90 && last <= 0x95) || last === 0xaf;

export function allDigits(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!(b[i]! >= 48 && b[i]! <= 57)) return false;
  return true;
}
