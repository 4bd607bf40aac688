import type { FieldSchema } from '@talent-export/schema';
import { extraKeys, inSchemaOrder, writeNdjsonLine } from '@talent-export/schema/internal';
import { encodeCsvRow } from './csv.js';
import { type ExportColumn, encodeExportRow, exportColumns, type SourceRow } from './export-csv.js';
import type { Format, TypedRecord } from './types.js';
import { checkValue, type ValueContext } from './values.js';

/** Extra column names remembered per table; a record with endless new keys must not grow memory. */
export const MAX_EXTRA_NAMES = 1000;

/** Rows checked and encoded away from the output (e.g. in a worker thread), for `TableWriter.writeEncoded`. */
export interface EncodedRows {
  rows: number;
  ndjson?: Uint8Array[];
  csv?: Uint8Array[];
  /** The records themselves, for the formats the writer encodes as a whole (Parquet). */
  records?: TypedRecord[];
  /** Keys of the records that are not schema fields (kept by NDJSON). */
  extraColumns: string[];
}

/**
 * Checks every value against its field and answers whether the record's keys are exactly the fields, in
 * order; keys outside the schema are added to `extra`.
 */
export function checkRecord(
  record: TypedRecord,
  fields: readonly FieldSchema[],
  where: ValueContext,
  extra: Set<string>,
): boolean {
  for (const field of fields) checkValue(field, record[field.name], where);
  return schemaOrder(record, fields, extra);
}

/** String's own check and repair of lone surrogates (ES2024, in Node 20; not in the ES2023 lib). */
type Unicode = string & { isWellFormed(): boolean; toWellFormed(): string };

const wellFormedValue = (value: unknown): boolean =>
  typeof value === 'string'
    ? (value as Unicode).isWellFormed()
    : !Array.isArray(value) ||
      value.every((item) => typeof item !== 'string' || (item as Unicode).isWellFormed());

const repairValue = (value: unknown): unknown =>
  typeof value === 'string'
    ? (value as Unicode).toWellFormed()
    : Array.isArray(value)
      ? value.map((item) => (typeof item === 'string' ? (item as Unicode).toWellFormed() : item))
      : value;

/**
 * The record with each lone UTF-16 surrogate made U+FFFD, as CSV and Parquet write it (UTF-8 cannot hold
 * one): NDJSON would escape it (`"\ud800"`), which DuckDB refuses, failing the whole file, and which Python
 * reads as a string it cannot encode. The record itself when it has none, as nearly every record.
 */
export function wellFormed(record: TypedRecord): TypedRecord {
  for (const key in record) {
    if (!wellFormedValue(record[key])) {
      const repaired: Record<string, unknown> = {};
      // Assigned, a key `__proto__` (an extra column's header is any text) would set the prototype instead.
      for (const name in record)
        Object.defineProperty(repaired, name, {
          value: repairValue(record[name]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return repaired as TypedRecord;
    }
  }
  return record;
}

/** Whether the record's keys are exactly the fields, in order; keys outside the schema are added to `extra`. */
function schemaOrder(record: TypedRecord, fields: readonly FieldSchema[], extra: Set<string>): boolean {
  const ordered = inSchemaOrder(record, fields);
  if (!ordered && extra.size < MAX_EXTRA_NAMES) for (const key of extraKeys(record, fields)) extra.add(key);
  return ordered;
}

/** The size of the pieces `RowEncoder` writes into; a piece is only bigger when one row is. */
export const PIECE_BYTES = 64 * 1024;

/**
 * Pieces for `RowEncoder` to reuse once their bytes were written (e.g. handed back from the thread that
 * wrote them): fresh memory costs a page fault per 4 KB on first touch, which for gigabytes of output
 * costs more than the encoding. Keeps at most `max` pieces (the default: a slice's output is ~20 pieces, and
 * up to 6 slices per thread are out at once); anything not a whole piece is dropped. With 48, convert took
 * ~1,000 fresh pieces a gigabyte on each thread.
 */
export class PiecePool {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly max = 160) {}

  take(): Buffer {
    const buffer = this.free.pop();
    return buffer ? Buffer.from(buffer) : Buffer.allocUnsafeSlow(PIECE_BYTES);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === PIECE_BYTES && this.free.length < this.max) this.free.push(buffer);
  }

  /** The buffers of pieces a pool can take back (whole pieces, each its own buffer), to hand over. */
  static reusable(rows: EncodedRows): ArrayBuffer[] {
    const buffers: ArrayBuffer[] = [];
    for (const piece of [...(rows.ndjson ?? []), ...(rows.csv ?? [])]) {
      if (piece.byteOffset === 0 && piece.buffer.byteLength === PIECE_BYTES)
        buffers.push(piece.buffer as ArrayBuffer);
    }
    return buffers;
  }
}

/**
 * One text format's bytes, written row by row into pieces of a fixed, modest size (see `PiecePool`); also
 * what a schema decoder writes JSON lines into (`jsonLines`).
 */
export class TextBytes {
  private readonly done: Buffer[] = [];
  buffer: Buffer;
  length = 0;

  constructor(private readonly pool: PiecePool | undefined) {
    this.buffer = this.fresh(0);
  }

  add(text: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    this.reserve(text.length * 3);
    this.length += (this.buffer as Utf8Writer).utf8Write(text, this.length, this.buffer.length - this.length);
  }

  /** Makes room for `bytes` more bytes: the piece is sealed and another begun when they do not fit. */
  reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    this.seal();
    this.buffer = this.fresh(bytes);
  }

  /** The bytes: each piece starts its own buffer, so it may be handed to another thread whole. */
  take(): Buffer[] {
    this.seal();
    return this.done;
  }

  private seal(): void {
    if (this.length > 0) this.done.push(this.buffer.subarray(0, this.length));
    this.length = 0;
  }

  private fresh(room: number): Buffer {
    if (room > PIECE_BYTES) return Buffer.allocUnsafeSlow(room);
    return this.pool ? this.pool.take() : Buffer.allocUnsafeSlow(PIECE_BYTES);
  }
}

/** Buffer's own UTF-8 write, without `write`'s argument handling: it runs for every row. */
type Utf8Writer = Buffer & { utf8Write(text: string, offset: number, length: number): number };

export interface RowEncoderOptions {
  /**
   * The records come straight from the schema decoder, whose values always have their field's type:
   * they are not checked again (the check is a good part of the cost of encoding).
   */
  decoded?: boolean;
  /** Where pieces come from and may be given back to once written (see `PiecePool`). */
  pool?: PiecePool;
  /**
   * Write `csv` in the export's own shape (see `exportColumns`) for this source header instead of typed
   * CSV, keeping the extra columns named.
   */
  exportCsv?: { header: readonly string[]; keepExtra?: readonly string[] };
}

/**
 * Checks and encodes rows as `TableWriter.write` would, away from the output (e.g. in a worker thread);
 * `TableWriter.writeEncoded` then writes what `finish` gives.
 */
export class RowEncoder {
  private readonly extra = new Set<string>();
  private readonly where: ValueContext & { row: number };
  private rows = 0;
  private readonly ndjson: TextBytes | undefined;
  private readonly csv: TextBytes | undefined;
  private readonly records: TypedRecord[] | undefined;
  private readonly decoded: boolean;
  private readonly exportColumns: ExportColumn[] | undefined;

  constructor(
    table: string,
    private readonly fields: readonly FieldSchema[],
    formats: readonly Format[],
    options: RowEncoderOptions = {},
  ) {
    this.where = { table, row: 0 };
    this.decoded = options.decoded === true;
    if (formats.includes('ndjson')) this.ndjson = new TextBytes(options.pool);
    if (formats.includes('csv')) this.csv = new TextBytes(options.pool);
    if (formats.includes('parquet')) this.records = [];
    const shape = options.exportCsv;
    if (shape) this.exportColumns = exportColumns(shape.header, fields, shape.keepExtra);
  }

  /**
   * Checks and encodes a record; a record that fails its check (WRITER_BAD_VALUE) is not counted.
   * `source`: the row it was made from, whose cells export-shaped CSV writes as they were where the
   * record's values are those decoded (see `encodeExportRow`).
   */
  add(record: TypedRecord, source?: SourceRow): void {
    const { fields } = this;
    this.where.row = this.rows + 1;
    const ordered = this.decoded
      ? schemaOrder(record, fields, this.extra)
      : checkRecord(record, fields, this.where, this.extra);
    this.rows += 1;
    if (!this.decoded) record = wellFormed(record);
    if (this.ndjson) writeNdjsonLine(record, fields, this.ndjson, ordered);
    if (this.csv) {
      const columns = this.exportColumns;
      this.csv.add(columns ? encodeExportRow(record, columns, source) : encodeCsvRow(record, fields));
    }
    this.records?.push(record);
  }

  finish(): EncodedRows {
    return {
      rows: this.rows,
      ...(this.ndjson ? { ndjson: this.ndjson.take() } : {}),
      ...(this.csv ? { csv: this.csv.take() } : {}),
      ...(this.records ? { records: this.records } : {}),
      extraColumns: [...this.extra],
    };
  }
}
