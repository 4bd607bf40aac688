// A table's copy in another contract's folder whose header names the same columns in another order (a
// spreadsheet moved one, a tool wrote them otherwise), or lacks a column the table does not require (a copy
// from an older export): its rows are put in the united header's order, an empty field where a column is
// lacking, so that the copies are read as one table by their columns' names, not by their places.
import { columnKey } from '@talent-export/schema';
import { csvCells } from '@talent-export/schema/internal';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** A header line's cells as CSV reads them: quotes undone, up to the first line break outside quotes. */
export const headerCells = (line: string): string[] => csvCells(line, true);

/**
 * For each named column of the header `first`, its place in the header `other`, when both name the same
 * columns (as `columnKey` spells them: any case, spaces and underscores aside, quoted or not), each once;
 * else undefined. Cells without a name ending a header (a spreadsheet's empty columns, `,,`) are no
 * columns to match: their fields stay where they are.
 */
export function columnOrder(first: string, other: string): number[] | undefined {
  const want = named(headerCells(first).map((cell) => columnKey(cell.trim())));
  const have = named(headerCells(other).map((cell) => columnKey(cell.trim())));
  if (want.length !== have.length) return undefined;
  const at = new Map(have.map((key, i) => [key, i]));
  if (at.size !== have.length || new Set(want).size !== want.length) return undefined;
  const order: number[] = [];
  for (const key of want) {
    const i = at.get(key);
    if (i === undefined) return undefined;
    order.push(i);
  }
  return order;
}

/**
 * As `columnOrder`, for a header `other` that may lack some of the columns of `first` whose keys are in
 * `lacking` (columns the table does not require): their places are -1, an empty field for each row.
 * Undefined when `other` names a column `first` does not, lacks another, or names one twice.
 */
export function columnPlaces(
  first: string,
  other: string,
  lacking: ReadonlySet<string>,
): number[] | undefined {
  const want = named(headerCells(first).map((cell) => columnKey(cell.trim())));
  const have = named(headerCells(other).map((cell) => columnKey(cell.trim())));
  const at = new Map(have.map((key, i) => [key, i]));
  if (at.size !== have.length || new Set(want).size !== want.length) return undefined;
  const order: number[] = [];
  for (const key of want) {
    const i = at.get(key);
    if (i === undefined && !lacking.has(key)) return undefined;
    order.push(i ?? -1);
  }
  // Every column of `other` has its place: none is left out.
  return order.filter((i) => i >= 0).length === have.length ? order : undefined;
}

/** Header cells (or their keys) without the empty ones ending them. */
function named(keys: string[]): string[] {
  let end = keys.length;
  while (end > 0 && keys[end - 1] === '') end -= 1;
  return keys.slice(0, end);
}

/** Whether two headers name the same columns, in any order (see `columnOrder`). */
export const sameColumns = (first: string, other: string): boolean =>
  first === other || columnOrder(first, other) !== undefined;

/**
 * Whether two header lines name the same columns alike, in the same order: their cells, quotes undone,
 * unnamed ones ending them aside.
 */
export function sameCells(first: string, other: string): boolean {
  const a = named(headerCells(first));
  const b = named(headerCells(other));
  return a.length === b.length && a.every((cell, k) => cell === b[k]);
}

/** Whether an order leaves every column where it is (and lacks none). */
export const inPlace = (order: readonly number[]): boolean => order.every((i, k) => i === k);

/**
 * Rows put in another order of their fields, as bytes: each field's bytes as written (quotes and all),
 * commas between them, the row's own line break after it, so that a row keeps its length and its lines.
 * Fields past the named columns (unnamed columns, a comma ending every row) stay at the end as they are.
 * A place of -1 (a column the copy lacks) is an empty field: the row grows by a comma, and where each row
 * so widened starts is kept (see `widened`), so that a row is still placed at its byte in its copy.
 * A row lacking a named column's field is handed on as it is: which one it lacks cannot be told, and the
 * decoder rejects it for its field count, named in its copy. Only the row in progress is kept.
 */
export class Reorder {
  readonly #order: readonly number[];
  /** The fields of a row the copy's header names: its columns the order takes. */
  readonly #width: number;
  /** Bytes each widened row gains: a comma for each column lacking. */
  readonly #added: number;
  /**
   * Bytes handed on so far (a push's rows counted as they are made), and where each widened row starts
   * among them, in `#starts[0, #count)`: 8 bytes a row, kept only for a copy lacking a column.
   */
  #out = 0;
  #starts = new Float64Array(0);
  #count = 0;
  /**
   * The row in progress, from its first byte, in `#buf[0, #len)`: chunks are added at its end, which grows
   * by doubling (a row of megabytes over many chunks, joined to each anew, cost its size a chunk).
   */
  #buf: Buffer = Buffer.alloc(0);
  #len = 0;
  /** Where scanning goes on, where the field in progress starts, the commas so far: in `#pending`. */
  #at = 0;
  #fieldStart = 0;
  #commas: number[] = [];
  #quoted = false;

  constructor(order: readonly number[]) {
    this.#order = order;
    this.#width = order.filter((i) => i >= 0).length;
    this.#added = order.length - this.#width;
  }

  /**
   * The bytes added (empty fields) to the rows handed on before `offset`, a byte of what was handed on:
   * less them, it is the byte of the copy's rows.
   */
  widened(offset: number): number {
    if (this.#added === 0) return 0;
    // The widened rows starting before `offset`: their starts are in order.
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo * this.#added;
  }

  /** The rows these bytes complete, reordered; the chunk may be filled again once this returns. */
  push(chunk: Uint8Array): Buffer {
    if (this.#len + chunk.length > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#len + chunk.length, this.#buf.length * 2));
      this.#buf.copy(grown, 0, 0, this.#len);
      this.#buf = grown;
    }
    // Kept apart from the chunk, whose buffer may be filled again.
    this.#buf.set(chunk, this.#len);
    this.#len += chunk.length;
    return this.#scan(this.#buf.subarray(0, this.#len), false);
  }

  /** The last row, when the table does not end in a line break. */
  end(): Buffer {
    return this.#scan(this.#buf.subarray(0, this.#len), true);
  }

  #scan(buf: Buffer, final: boolean): Buffer {
    const out: Buffer[] = [];
    let rowStart = 0;
    let i = this.#at;
    let fieldStart = this.#fieldStart;
    let quoted = this.#quoted;
    const commas = this.#commas;
    const n = buf.length;
    for (; i < n; i++) {
      const c = buf[i]!;
      if (quoted) {
        if (c !== QUOTE) continue;
        if (i + 1 >= n && !final) break;
        if (buf[i + 1] === QUOTE) i += 1;
        else quoted = false;
        continue;
      }
      if (c === QUOTE) {
        if (i === fieldStart) quoted = true;
      } else if (c === COMMA) {
        commas.push(i);
        fieldStart = i + 1;
      } else if (c === CR || c === LF) {
        if (c === CR && i + 1 >= n && !final) break;
        const next = c === CR && buf[i + 1] === LF ? i + 2 : i + 1;
        out.push(this.#row(buf, rowStart, i, commas), buf.subarray(i, next));
        this.#out += next - i;
        rowStart = next;
        fieldStart = next;
        commas.length = 0;
        i = next - 1;
      }
    }
    if (final && rowStart < n) {
      out.push(this.#row(buf, rowStart, n, commas));
      rowStart = n;
    }
    // Copied out (line breaks are views of `buf`) before the row in progress is moved to the start.
    const rows = Buffer.concat(out);
    if (rowStart > 0) {
      buf.copyWithin(0, rowStart);
      this.#len -= rowStart;
    }
    this.#at = i - rowStart;
    this.#fieldStart = fieldStart - rowStart;
    for (let k = 0; k < commas.length; k++) commas[k] = commas[k]! - rowStart;
    this.#quoted = quoted;
    return rows;
  }

  /** Row bytes [start, end) with commas at `commas`, its fields in the header's order. */
  #row(buf: Buffer, start: number, end: number, commas: readonly number[]): Buffer {
    const order = this.#order;
    const width = this.#width;
    const count = commas.length + 1;
    const from = (k: number) => (k === 0 ? start : commas[k - 1]! + 1);
    const to = (k: number) => (k === commas.length ? end : commas[k]!);
    if (end === start || count < width) {
      this.#out += end - start;
      return Buffer.from(buf.subarray(start, end));
    }
    if (this.#added > 0) this.#widen();
    const row = Buffer.allocUnsafe(end - start + this.#added);
    let at = 0;
    for (let k = 0; k < order.length; k++) {
      if (k > 0) row[at++] = COMMA;
      const i = order[k]!;
      if (i >= 0) at += buf.copy(row, at, from(i), to(i));
    }
    // The fields past the named columns, from the comma before them, as they are.
    if (count > width) buf.copy(row, at, commas[width - 1]!, end);
    this.#out += row.length;
    return row;
  }

  /** A widened row starts where the bytes handed on end (`#out`: those of this push before it counted). */
  #widen(): void {
    if (this.#count === this.#starts.length) {
      const grown = new Float64Array(Math.max(1024, this.#starts.length * 2));
      grown.set(this.#starts);
      this.#starts = grown;
    }
    this.#starts[this.#count++] = this.#out;
  }
}
