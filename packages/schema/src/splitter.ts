/**
 * Cuts a CSV byte stream into slices that end between records, so each slice can be decoded on its own
 * (in another thread) with `continueAt`. A cut goes right after a line feed preceded by an even number of
 * quotes, which is a record end for well-formed CSV. A quote between two text characters in a field that
 * does not start with a quote (`1,5" screen`) is not counted: no decoder takes it for quoting, and in
 * well-formed CSV no quote sits between two such characters. For other malformed quoting (`27",` or
 * `"a"b` with a line feed after it) the two can disagree; a decoder
 * then does not end its slice between records (`resume` is undefined) and the caller decodes the rest in
 * order instead, so a wrong guess costs time, never correctness. Slices are lists of the caller's chunks
 * (views, no copies but the rest of a chunk cut, when the caller gives buffers for it): the caller copies a
 * slice once, if at all, to hand it over.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
/** Printable ASCII but a comma or a quote: text on both sides of a quote makes it a bare one. */
const TEXT = new Uint8Array(256).map((_, b) => (b >= 0x20 && b < 0x7f && b !== QUOTE && b !== COMMA ? 1 : 0));
/** How far back a bare quote's field start is looked for; past it, the quote counts. */
const FIELD_LOOKBACK = 256;

export interface Slice {
  /** Byte offset of the slice in the whole input. */
  readonly offset: number;
  readonly parts: readonly Buffer[];
  readonly length: number;
  /**
   * False once no cut was found within `maxBytes` (no line feeds, a record too long, or quoting that never
   * closes): from then on the input comes through as it arrives, to be decoded in order.
   */
  readonly cut: boolean;
}

export class RecordSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private offset = 0;
  private gaveUp = false;
  /** The pending bytes begin inside a quoted field (a caller's decoder found the quote count misled). */
  private inQuotes = false;
  /** Pending size at which to look for a cut again: doubled after a miss, so bytes are not rescanned often. */
  private nextTry: number;

  /**
   * Once `sliceBytes` are pending, cuts at the last record end among them (so slices are about that size,
   * a little under, or longer when records are); gives up past about `maxBytes` without a cut.
   */
  constructor(
    private readonly sliceBytes: number,
    private readonly maxBytes = sliceBytes * 8,
    /**
     * Where the bytes after a cut inside a chunk are copied to (a buffer at least that long, else they stay
     * a view): each slice then holds buffers no other slice shares, which a caller can hand to another
     * thread rather than copy.
     */
    private readonly take?: () => Uint8Array,
  ) {
    this.nextTry = sliceBytes;
  }

  push(chunk: Uint8Array): Slice[] {
    if (chunk.length === 0) return [];
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.gaveUp) return [this.emit([view], view.length, false)];
    this.pending.push(view);
    this.pendingBytes += view.length;
    if (this.pendingBytes < this.nextTry) return [];
    const cut = lastRecordEnd(this.pending, this.inQuotes);
    if (cut === 0) {
      if (this.pendingBytes <= this.maxBytes) {
        this.nextTry = this.pendingBytes * 2;
        return [];
      }
      this.gaveUp = true;
      return [this.emit(this.pending, this.pendingBytes, false)];
    }
    // Split the chunk the cut falls in; the parts after it stay pending.
    const head: Buffer[] = [];
    let at = 0;
    let i = 0;
    for (; i < this.pending.length && at + this.pending[i]!.length <= cut; i++) {
      head.push(this.pending[i]!);
      at += this.pending[i]!.length;
    }
    const rest = this.pending.slice(i);
    if (at < cut && rest.length > 0) {
      head.push(rest[0]!.subarray(0, cut - at));
      rest[0] = this.own(rest[0]!.subarray(cut - at));
    }
    const left = this.pendingBytes - cut;
    this.inQuotes = false;
    const slice = this.emit(head, cut, true);
    this.pending = rest;
    this.pendingBytes = left;
    this.nextTry = this.sliceBytes;
    return [slice];
  }

  /**
   * Says the bytes after the last cut begin inside a quoted field. A quote the decoder reads as text (in
   * an unquoted field, `5" screen`) still counts here, so cuts land inside quoted fields from then on;
   * a decoder reading the slices in order finds that at the cut, and says so here to bring cuts back.
   */
  startsInQuotes(): void {
    this.inQuotes = true;
  }

  /** What is left after the last cut. */
  end(): Slice[] {
    if (this.pendingBytes === 0) return [];
    return [this.emit(this.pending, this.pendingBytes, !this.gaveUp)];
  }

  private own(bytes: Buffer): Buffer {
    const into = this.take?.();
    if (into === undefined || into.length < bytes.length) return bytes;
    const copy = Buffer.from(into.buffer, into.byteOffset, bytes.length);
    bytes.copy(copy);
    return copy;
  }

  private emit(parts: Buffer[], length: number, cut: boolean): Slice {
    const slice = { offset: this.offset, parts, length, cut };
    this.offset += length;
    this.pending = [];
    this.pendingBytes = 0;
    return slice;
  }
}

/**
 * In the bytes of `parts` taken as one: the position just after the last line feed with an even number
 * of quotes before it (odd, when they begin `inQuotes`); 0 when there is none.
 */
export function lastRecordEnd(parts: readonly Buffer[], inQuotes = false): number {
  // Positions are [part, index]; quotes are counted once over the whole, then only between candidates.
  let total = 0;
  for (let i = 0; i < parts.length; i++) total += quotesIn(parts, i, 0, parts[i]!.length);
  const back = (byte: number, i: number, from: number): [number, number] | undefined => {
    for (; i >= 0; i--, from = Number.POSITIVE_INFINITY) {
      const part = parts[i]!;
      const found = from < 0 ? -1 : part.lastIndexOf(byte, Math.min(from, part.length - 1));
      if (found !== -1) return [i, found];
    }
    return undefined;
  };
  const between = ([i, a]: [number, number], [j, b]: [number, number]): number => {
    if (i === j) return quotesIn(parts, i, a, b);
    let n = quotesIn(parts, i, a, parts[i]!.length) + quotesIn(parts, j, 0, b);
    for (let k = i + 1; k < j; k++) n += quotesIn(parts, k, 0, parts[k]!.length);
    return n;
  };
  const last = parts.length - 1;
  let lf = back(LF, last, Number.POSITIVE_INFINITY);
  if (lf === undefined) return 0;
  // Quotes before the candidate line feed.
  let before = total - between(lf, [last, parts[last]!.length]) + (inQuotes ? 1 : 0);
  while (before % 2 === 1) {
    // Inside a quoted stretch: try the line feed before the quote that opened it.
    const open = back(QUOTE, lf[0], lf[1]);
    const earlier = open && back(LF, open[0], open[1] - 1);
    if (earlier === undefined) return 0;
    before -= between(earlier, lf);
    lf = earlier;
  }
  let at = lf[1] + 1;
  for (let k = 0; k < lf[0]; k++) at += parts[k]!.length;
  return at;
}
/** Counted quotes in parts[i][from, to). Buffer's indexOf beats any byte loop in JavaScript here. */
function quotesIn(parts: readonly Buffer[], i: number, from: number, to: number): number {
  const buf = parts[i]!;
  let n = 0;
  for (let q = buf.indexOf(QUOTE, from); q !== -1 && q < to; q = buf.indexOf(QUOTE, q + 1)) {
    if (!bare(parts, i, q)) n++;
  }
  return n;
}

/**
 * Whether the quote at parts[i][q] is a bare one (`5" screen`): text on both sides, in a field that does
 * not start with a quote. Decoders read it as text; in a field that does start with one it may be the
 * closing quote of `"a"b`, which they take for quoting.
 */
function bare(parts: readonly Buffer[], i: number, q: number): boolean {
  const buf = parts[i]!;
  const before = q > 0 ? buf[q - 1]! : byteAt(parts, i, q - 1);
  const after = q + 1 < buf.length ? buf[q + 1]! : byteAt(parts, i, q + 1);
  if (before === -1 || after === -1 || TEXT[before] === 0 || TEXT[after] === 0) return false;
  for (let k = i, j = q - 1, steps = 0; steps < FIELD_LOOKBACK; steps++, j--) {
    while (j < 0) {
      // The parts start at a record start (the input's, or a cut's).
      if (--k < 0) return byteAt(parts, 0, 0) !== QUOTE;
      j = parts[k]!.length - 1;
    }
    const c = parts[k]![j]!;
    if (c === COMMA || c === LF || c === CR) return byteAt(parts, k, j + 1) !== QUOTE;
  }
  return false;
}

/** The byte at parts[i][j], j running on into the parts before or after; -1 outside them all. */
function byteAt(parts: readonly Buffer[], i: number, j: number): number {
  while (j < 0) {
    if (--i < 0) return -1;
    j += parts[i]!.length;
  }
  while (j >= parts[i]!.length) {
    j -= parts[i]!.length;
    if (++i >= parts.length) return -1;
  }
  return parts[i]![j]!;
}
