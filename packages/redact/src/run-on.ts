// Names inside words of scripts written without spaces between words (Chinese, Japanese, Thai; Korean
// glues particles and titles to a name): "您好，王小明：" is one word holding 王 and 小明. Both the scrubber
// and the leak scan look for names inside such words when the word as a whole is none.

/** Longest name looked for inside a word, in code units. */
const MAX_NAME = 8;

/** Whether a code unit is of a script written without spaces (CJK, kana, Hangul, Thai; CJK beyond the BMP). */
export function isRunOn(c: number): boolean {
  return (
    (c >= 0x2e80 && c <= 0x9fff) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xd840 && c <= 0xd8bf) ||
    (c >= 0x0e00 && c <= 0x0e7f)
  );
}

/** Whether text[from, to) has a code unit of such a script. */
export function hasRunOn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isRunOn(text.charCodeAt(i))) return true;
  return false;
}

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * The names inside text[from, to): at each place the longest piece `lookup` knows (its number, or -1),
 * left to right; a name of one character stands only beside another name (王 of 王小明, not of 王国).
 * Appended to `out` as start, end, number.
 */
export function runOnNames(
  text: string,
  from: number,
  to: number,
  lookup: (start: number, end: number) => number,
  out: number[],
): void {
  const first = out.length;
  for (let i = from; i < to; ) {
    let found = -1;
    let end = i;
    for (let j = Math.min(to, i + MAX_NAME); j > i; j--) {
      // Never between the halves of a pair.
      if (j < to && isLow(text.charCodeAt(j))) continue;
      found = lookup(i, j);
      if (found >= 0) {
        end = j;
        break;
      }
    }
    if (found < 0) {
      i += i + 1 < to && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
      continue;
    }
    out.push(i, end, found);
    i = end;
  }
  // One character alone (a pair of halves counts as one) goes unless a neighbour touches it.
  let kept = first;
  for (let f = first; f < out.length; f += 3) {
    const start = out[f]!;
    const end = out[f + 1]!;
    const single = end - start === 1 || (end - start === 2 && isLow(text.charCodeAt(start + 1)));
    const before = f > first && out[f - 2] === start;
    const after = f + 3 < out.length && out[f + 3] === end;
    if (single && !before && !after) continue;
    out[kept] = start;
    out[kept + 1] = end;
    out[kept + 2] = out[f + 2]!;
    kept += 3;
  }
  out.length = kept;
}
