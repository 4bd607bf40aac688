const DIGITS = /^\d+$/;

/**
 * The order of candidate ids (and of every id array in a document): ids made of digits first, by their
 * value (leading zeros ignored, any length), ties by their text; then every other id by UTF-16 code unit.
 * A total order, so sorting and range partitioning agree whatever the ids are.
 */
export function compareIds(a: string, b: string): number {
  const da = DIGITS.test(a);
  const db = DIGITS.test(b);
  if (da && db) {
    const x = stripZeros(a);
    const y = stripZeros(b);
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  } else if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `compareIds` with null last. */
export function compareNullableIds(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareIds(a, b);
}

function stripZeros(id: string): string {
  let i = 0;
  while (i < id.length - 1 && id.charCodeAt(i) === 0x30) i += 1;
  return i === 0 ? id : id.slice(i);
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
