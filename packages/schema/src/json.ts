// The one NDJSON encoder: a record as one line of JSON, schema fields first, in schema order (null when
// missing), then the other keys in the order a JS object lists them. Decoded rows are written straight
// from the CSV bytes (`JsonLines`): a text cell's bytes are copied with JSON's escapes, never made into a
// string, then a record, then JSON, then bytes again (for a table of free text that round trip was most
// of the cost of converting it); records are written by `writeNdjsonLine`, with the same keys and values.
import type { Column } from './header.js';
import type { ScannedRecord } from './scanner.js';
import type { FieldSchema } from './tables.js';
import type { Value } from './values.js';
import { everyByte, hasBelow, hasByte, TOP_BITS } from './words.js';

/** Where a decoder writes the JSON line of each record it decodes (`DecodeOptions.jsonLines`). */
export interface JsonLineSink {
  /** The buffer being filled: bytes from `length` on are free. */
  readonly buffer: Buffer;
  length: number;
  /** Makes room for `bytes` more bytes, moving on to another buffer if need be. */
  reserve(bytes: number): void;
}

/** Whether a column's cells are text, which `JsonLines` copies from the CSV bytes. */
export const isText = (column: Column): boolean => column.type === 'text' || column.type === 'id';

/**
 * A cell left as bytes: text copied as it is (see `JsonLines.write`); or, where no line is written, any cell
 * checked and never made into a value that no record holds.
 */
export const RAW = Symbol('raw cell');
export type CellValue = Value | typeof RAW;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';
/** Cells at least this long are measured before a row's room is reserved (see `JsonLines.write`). */
const LONG = 4096;
/** JSON.stringify's short escapes, by control byte. */
const SHORT: Readonly<Record<number, number>> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 };
/** 1 for a byte copied as it is. */
const PLAIN = new Uint8Array(256).map((_, b) => (b >= 0x20 && b !== QUOTE && b !== BACKSLASH ? 1 : 0));

/**
 * Writes each record as one line of JSON, byte for byte what `JSON.stringify` gives for a string value:
 * schema fields in schema order, then extra columns in the order a JS object lists its keys (array-index
 * names first, ascending), as a writer putting fields first would write the decoder's record.
 */
export class JsonLines {
  /** Column positions in the order their keys are written. */
  private readonly order: number[];
  /**
   * `{"name":` for the first key, `,"name":` for the others, in `order`, one after another: key `k` is
   * `keyBytes[keyAt[k]]` to `keyBytes[keyAt[k + 1]]` (one array, not a buffer per key: copying those
   * was a quarter of the cost of writing a line).
   */
  private readonly keyBytes: Uint8Array;
  private readonly keyView: DataView;
  private readonly keyAt: Int32Array;
  /** Per column: text copied from the CSV bytes (`text` and `id` columns). */
  private readonly copied: boolean[];
  private readonly texts: string[];
  /** Per column, for the row being written: a string value written as it is, between quotes. */
  private readonly direct: boolean[];

  constructor(
    private readonly columns: readonly Column[],
    fieldCount: number,
    private readonly sink: JsonLineSink,
  ) {
    const fields = columns.slice(0, fieldCount).map((_, i) => i);
    const extras = columns.slice(fieldCount).map((_, i) => i + fieldCount);
    const index = (c: number) => arrayIndex(columns[c]!.name);
    const numbered = extras.filter((c) => index(c) !== undefined).sort((a, b) => index(a)! - index(b)!);
    this.order = [...fields, ...numbered, ...extras.filter((c) => index(c) === undefined)];
    const keys = this.order.map((c, i) => Buffer.from(keyPrefix(columns[c]!.name, i === 0)));
    this.keyBytes = new Uint8Array(Buffer.concat(keys));
    this.keyView = new DataView(this.keyBytes.buffer);
    this.keyAt = new Int32Array(keys.length + 1);
    for (let k = 0; k < keys.length; k++) this.keyAt[k + 1] = this.keyAt[k]! + keys[k]!.length;
    this.copied = columns.map(isText);
    this.texts = new Array(columns.length).fill('');
    this.direct = new Array(columns.length).fill(false);
  }

  /**
   * `values` holds each column's value (`RAW`: text left as bytes); text is copied from `rec`, but for the
   * columns `given` marks (values from elsewhere, see `DecodeOptions.lineStage`).
   */
  write(rec: ScannedRecord, values: readonly CellValue[], given?: readonly boolean[]): void {
    const { order, keyBytes, keyView, keyAt, texts, sink, copied, columns, direct } = this;
    // A byte of text takes at most 6 as JSON (\u00XX); a UTF-16 unit at most 3 bytes of UTF-8. A long
    // cell is measured instead: a record of megabytes must not take six times that.
    let room = 2 + keyBytes.length;
    for (let k = 0; k < order.length; k++) {
      const c = order[k]!;
      const value = values[c]!;
      if (value !== null && copied[c] && given?.[c] !== true) {
        const i = columns[c]!.index;
        const bytes = rec.ends[i]! - rec.starts[i]!;
        room += 2 + (bytes < LONG ? 6 * bytes : quotedLength(rec.buf, rec.starts[i]!, rec.ends[i]!));
      } else if (typeof value === 'string' && value.length < LONG) {
        // A time, or a stage's text: written here, as JSON.stringify would (no string made, no call out).
        direct[c] = true;
        room += 2 + 6 * value.length;
      } else {
        // RAW is only ever given for text, which is copied above.
        direct[c] = false;
        texts[c] = valueJson(value as Value);
        room += 3 * texts[c]!.length;
      }
    }
    sink.reserve(room);
    const out = sink.buffer;
    const outView = viewOf(out, 1);
    const srcView = viewOf(rec.buf, 0);
    let at = sink.length;
    for (let k = 0; k < order.length; k++) {
      const c = order[k]!;
      const keyEnd = keyAt[k + 1]!;
      let j = keyAt[k]!;
      for (; j + 4 <= keyEnd; j += 4, at += 4) outView.setInt32(at, keyView.getInt32(j));
      for (; j < keyEnd; j++) out[at++] = keyBytes[j]!;
      if (values[c] !== null && copied[c] && given?.[c] !== true) {
        const i = columns[c]!.index;
        at = quote(rec.buf, srcView, rec.starts[i]!, rec.ends[i]!, rec.escaped[i]!, out, outView, at);
      } else if (direct[c]) at = quoteString(values[c] as string, out, at);
      else at += (out as Utf8Writer).utf8Write(texts[c]!, at, out.length - at);
    }
    out[at++] = 0x7d;
    out[at++] = 0x0a;
    sink.length = at;
  }
}

/** `{"name":` for a line's first key, `,"name":` for the others. */
const keyPrefix = (name: string, first: boolean): string => `${first ? '{' : ','}${JSON.stringify(name)}:`;

/** A value as JSON; a missing one is null. */
const valueJson = (value: Value | undefined): string =>
  value === undefined || value === null ? 'null' : JSON.stringify(value);

type Line = Record<string, Value>;

/**
 * A record as one JSON line, into `sink`: the line `JsonLines` writes for the row it was decoded from.
 * `ordered`: the record's own keys are the fields, in order, none undefined (see `inSchemaOrder`).
 */
export function writeNdjsonLine(
  record: Line,
  fields: readonly FieldSchema[],
  sink: JsonLineSink,
  ordered = inSchemaOrder(record, fields),
): void {
  // The usual case (a decoded record): JSON.stringify writes exactly this line, much faster.
  const text = ordered ? JSON.stringify(record) : keyByKey(record, fields);
  // A UTF-16 unit takes at most 3 bytes of UTF-8.
  sink.reserve(text.length * 3 + 1);
  sink.length += (sink.buffer as Utf8Writer).utf8Write(text, sink.length, sink.buffer.length - sink.length);
  sink.buffer[sink.length++] = 0x0a;
}

/** `writeNdjsonLine`'s line as a string, line feed included. */
export function encodeNdjsonLine(
  record: Line,
  fields: readonly FieldSchema[],
  ordered = inSchemaOrder(record, fields),
): string {
  return `${ordered ? JSON.stringify(record) : keyByKey(record, fields)}\n`;
}

function keyByKey(record: Line, fields: readonly FieldSchema[]): string {
  const keys = keyPrefixes(fields);
  let line = '';
  for (let i = 0; i < fields.length; i++) line += keys[i]! + valueJson(record[fields[i]!.name]);
  for (const key of extraKeys(record, fields)) line += keyPrefix(key, line === '') + valueJson(record[key]);
  return line === '' ? '{}' : `${line}}`;
}

const prefixes = new WeakMap<readonly FieldSchema[], string[]>();

/** Key prefixes computed once per field list: names never change between rows. */
function keyPrefixes(fields: readonly FieldSchema[]): string[] {
  let keys = prefixes.get(fields);
  if (!keys) {
    keys = fields.map((field, i) => keyPrefix(field.name, i === 0));
    prefixes.set(fields, keys);
  }
  return keys;
}

const known = new WeakMap<readonly FieldSchema[], Set<string>>();

/** True when the record's own keys are the fields, in order, with no value left undefined. */
export function inSchemaOrder(record: Line, fields: readonly FieldSchema[]): boolean {
  let i = 0;
  for (const key in record) {
    if (i >= fields.length || key !== fields[i]!.name || record[key] === undefined) return false;
    i++;
  }
  return i === fields.length;
}

/** Keys of a record that are not fields of the schema, in the record's order. */
export function extraKeys(record: Line, fields: readonly FieldSchema[]): string[] {
  if (inSchemaOrder(record, fields)) return [];
  let names = known.get(fields);
  if (!names) {
    names = new Set(fields.map((field) => field.name));
    known.set(fields, names);
  }
  const extra: string[] = [];
  for (const key in record) if (!names.has(key)) extra.push(key);
  return extra;
}

/**
 * A view of each buffer last written from (0) and into (1): a line's bytes are copied four at a time
 * (see `quote`), and a view made per line cost more than that saved.
 */
const views: [Uint8Array | undefined, Uint8Array | undefined] = [undefined, undefined];
const viewsOf: [DataView, DataView] = [new DataView(new ArrayBuffer(0)), new DataView(new ArrayBuffer(0))];
function viewOf(bytes: Uint8Array, role: 0 | 1): DataView {
  if (views[role] !== bytes) {
    views[role] = bytes;
    viewsOf[role] = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return viewsOf[role];
}

const QUOTES = everyByte(QUOTE);
const BACKSLASHES = everyByte(BACKSLASH);
const CONTROLS = everyByte(0x20);
/** Whether none of four bytes (a little-endian word) needs an escape: a control byte, quote or backslash (see words.ts). */
const plainWord = (w: number): boolean =>
  ((hasBelow(w, CONTROLS) | hasByte(w, QUOTES) | hasByte(w, BACKSLASHES)) & TOP_BITS) === 0;

/**
 * Copies UTF-8 text as a JSON string; `escaped`: a CSV cell whose quotes are doubled. Four bytes at a time
 * while none needs an escape: a byte at a time took 2.7 ns a byte, most of writing a table of free text.
 */
function quote(
  src: Uint8Array,
  srcView: DataView,
  start: number,
  end: number,
  escaped: boolean,
  out: Buffer,
  outView: DataView,
  at: number,
): number {
  out[at++] = QUOTE;
  let i = start;
  for (;;) {
    for (; i + 4 <= end; i += 4, at += 4) {
      const w = srcView.getInt32(i, true);
      if (!plainWord(w)) break;
      outView.setInt32(at, w, true);
    }
    if (i >= end) break;
    const b = src[i++]!;
    if (PLAIN[b] === 1) {
      out[at++] = b;
      continue;
    }
    out[at++] = BACKSLASH;
    if (b === QUOTE || b === BACKSLASH) {
      out[at++] = b;
      if (b === QUOTE && escaped) i++;
    } else if (SHORT[b] !== undefined) out[at++] = SHORT[b];
    else {
      out[at++] = 0x75;
      out[at++] = 0x30;
      out[at++] = 0x30;
      out[at++] = HEX.charCodeAt(b >> 4);
      out[at++] = HEX.charCodeAt(b & 15);
    }
  }
  out[at++] = QUOTE;
  return at;
}

/** Code units `quoteString` writes other than as their UTF-8: those escaped, and surrogates (pairs too). */
const SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;
/**
 * From this length, a string without SPECIAL units is written by the runtime's UTF-8 encoder: twice as
 * fast at 200 units, slower below ~64 (the search and the call cost more than the loop).
 */
const NATIVE = 64;

/**
 * A string as JSON.stringify writes it, in UTF-8: `quote`'s escapes, and a lone surrogate as `\udxxx`. At
 * most 6 bytes a UTF-16 unit (an escape; 3 for other units, 4 for a pair).
 */
function quoteString(text: string, out: Buffer, at: number): number {
  if (text.length >= NATIVE && !SPECIAL.test(text)) {
    out[at++] = QUOTE;
    at += (out as Utf8Writer).utf8Write(text, at, out.length - at);
    out[at++] = QUOTE;
    return at;
  }
  out[at++] = QUOTE;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (PLAIN[c] === 1) {
        out[at++] = c;
        continue;
      }
      out[at++] = BACKSLASH;
      if (c === QUOTE || c === BACKSLASH) out[at++] = c;
      else if (SHORT[c] !== undefined) out[at++] = SHORT[c];
      else at = hex4(c, out, at);
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 63);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    } else {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[at++] = 0xf0 | (cp >> 18);
        out[at++] = 0x80 | ((cp >> 12) & 63);
        out[at++] = 0x80 | ((cp >> 6) & 63);
        out[at++] = 0x80 | (cp & 63);
        i++;
      } else {
        out[at++] = BACKSLASH;
        at = hex4(c, out, at);
      }
    }
  }
  out[at++] = QUOTE;
  return at;
}

/** `u` and four lower-case hex digits. */
function hex4(c: number, out: Buffer, at: number): number {
  out[at++] = 0x75;
  out[at++] = HEX.charCodeAt(c >> 12);
  out[at++] = HEX.charCodeAt((c >> 8) & 15);
  out[at++] = HEX.charCodeAt((c >> 4) & 15);
  out[at++] = HEX.charCodeAt(c & 15);
  return at;
}

/** How many bytes `quote` writes between the quotes (`escaped` or not: a doubled quote is counted twice). */
function quotedLength(src: Buffer, start: number, end: number): number {
  let length = end - start;
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    if (PLAIN[b] === 0) length += b === QUOTE || b === BACKSLASH || SHORT[b] !== undefined ? 1 : 5;
  }
  return length;
}

/** A name JS objects list before all others, in numeric order: an array index (0 to 2^32-2). */
function arrayIndex(name: string): number | undefined {
  if (!/^(?:0|[1-9]\d{0,9})$/.test(name)) return undefined;
  const n = Number(name);
  return n < 2 ** 32 - 1 ? n : undefined;
}

type Utf8Writer = Buffer & { utf8Write(text: string, offset: number, length: number): number };
