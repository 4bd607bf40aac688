// Phone numbers typed with full-width digits (Japanese and Chinese keyboards: ＋４４ ２０ ７９４６ ０９５８) or
// Arabic, Persian or Devanagari ones, which the scrubber reads as ASCII digits (see `asciiDigits` in
// scrub.ts): the leak scan reads their bytes so too, or a number left in a copy went unseen.
import { MappedBuilder } from './mapped.js';
import type { MappedBytes } from './references.js';

/** The ASCII byte of the character whose UTF-8 bytes start at b[i] (two or three of them), or -1. */
function asciiOf(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const c1 = b[i + 1] ?? 0;
  const c2 = b[i + 2] ?? 0;
  // U+FF10-FF19 digits, and ＋ － （ ） ． ／ (U+FF0B, FF0D, FF08, FF09, FF0E, FF0F).
  if (c === 0xef && c1 === 0xbc) {
    if (c2 >= 0x90 && c2 <= 0x99) return 48 + c2 - 0x90;
    if (c2 === 0x8b || c2 === 0x8d || c2 === 0x88 || c2 === 0x89 || c2 === 0x8e || c2 === 0x8f)
      return c2 - 0x60;
    return -1;
  }
  // The ideographic space U+3000.
  if (c === 0xe3 && c1 === 0x80 && c2 === 0x80) return 32;
  // Devanagari U+0966-096F.
  if (c === 0xe0 && c1 === 0xa5 && c2 >= 0xa6 && c2 <= 0xaf) return 48 + c2 - 0xa6;
  // Arabic-Indic U+0660-0669, and the Persian forms U+06F0-06F9.
  if (c === 0xd9 && c1 >= 0xa0 && c1 <= 0xa9) return 48 + c1 - 0xa0;
  if (c === 0xdb && c1 >= 0xb0 && c1 <= 0xb9) return 48 + c1 - 0xb0;
  return -1;
}

/**
 * The bytes with those digits and signs as ASCII, where each byte came from (`at`) and where what it came
 * from ends (`after`); undefined when they hold none.
 */
export function asciiDigitBytes(b: Uint8Array): MappedBytes | undefined {
  const view = new MappedBuilder(b);
  const one = new Uint8Array(1);
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    const ascii = c === 0xef || c === 0xe3 || c === 0xe0 || c === 0xd9 || c === 0xdb ? asciiOf(b, i) : -1;
    if (ascii < 0) continue;
    const length = c < 0xe0 ? 2 : 3;
    one[0] = ascii;
    view.put(i, i + length, one);
    i += length - 1;
  }
  return view.finish();
}
