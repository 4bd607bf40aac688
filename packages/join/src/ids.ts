/**
 * The order of candidate ids (and of every id array in a document): ids made of digits first, by their
 * value (leading zeros ignored, any length), ties by their text; then every other id by UTF-16 code unit.
 * A total order, so sorting and range partitioning agree whatever the ids are.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const za = digitStart(a);
  const zb = digitStart(b);
  if (za >= 0 && zb >= 0) {
    // Significant digits: more of them is a bigger number; as many, the text decides.
    const la = a.length - za;
    const lb = b.length - zb;
    if (la !== lb) return la - lb;
    for (let i = 0; i < la; i++) {
      const d = a.charCodeAt(za + i) - b.charCodeAt(zb + i);
      if (d !== 0) return d;
    }
  } else if (za >= 0 || zb >= 0) return za >= 0 ? -1 : 1;
  return a < b ? -1 : 1;
}

/** Where the significant digits of an id made of digits start (its last digit if all are zeros); -1 if it is not one. */
function digitStart(id: string): number {
  if (id.length === 0) return -1;
  let start = -1;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    if (start < 0 && c !== 0x30) start = i;
  }
  return start < 0 ? id.length - 1 : start;
}

const Z = 0x5a;
const ZEROS_THEN_Z = /^0*Z$/;

/**
 * Two ISO UTC times as records hold them (a fraction of 3 to 6 digits: `.123Z`, `.1234Z`, `.123456Z`) in time
 * order, null last. As text, `.1234Z` came before `.123Z` ('4' < 'Z'), a time before an earlier one.
 */
export function compareTimes(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null || b === null) return a === null ? 1 : -1;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const [ca, cb] = [a.charCodeAt(i), b.charCodeAt(i)];
  // One fraction ends where the other goes on: that one is later, unless its further digits are zeros.
  if (ca === Z) return ZEROS_THEN_Z.test(b.slice(i)) ? 0 : -1;
  if (cb === Z) return ZEROS_THEN_Z.test(a.slice(i)) ? 0 : 1;
  return ca < cb ? -1 : 1;
}

/** `compareIds` with null last. */
export function compareNullableIds(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareIds(a, b);
}

/** Index of the first range a value belongs to, `bounds` sorted by `compareIds`: ranges are [b(i-1), b(i)). */
export function rangeOf(bounds: readonly string[], id: string): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(bounds[mid]!, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `rangeOf` for the ids of NDJSON tokens (`"123"`), read from the bytes: an id of up to 15 digits with no
 * leading zero is compared as a number when every bound is one too (no string is made for it); any
 * other id goes through `compareIds`.
 */
export class Ranges {
  private readonly numbers: Float64Array | undefined;

  constructor(private readonly bounds: readonly string[]) {
    const plain = bounds.every((b) => /^[1-9]\d{0,14}$/.test(b));
    this.numbers = plain ? Float64Array.from(bounds, Number) : undefined;
  }

  of(id: string): number {
    return rangeOf(this.bounds, id);
  }

  /** The range of the id whose JSON token is `buf[start, end)`; `value` gives its string when needed. */
  ofToken(buf: Buffer, start: number, end: number, value: () => string): number {
    const numbers = this.numbers;
    const digits = end - start - 2;
    if (numbers && digits >= 1 && digits <= 15 && buf[start] === 0x22 && buf[start + 1] !== 0x30) {
      let n = 0;
      let i = start + 1;
      for (; i < end - 1; i++) {
        const c = buf[i]! - 0x30;
        if (c < 0 || c > 9) break;
        n = n * 10 + c;
      }
      if (i === end - 1 && buf[i] === 0x22) {
        let lo = 0;
        let hi = numbers.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (numbers[mid]! <= n) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      }
    }
    return rangeOf(this.bounds, value());
  }
}
