import { type ErrorKind, TalentExportError } from '@talent-export/errors';
import type { TableName } from './tables.js';

/** Fatal for a table: decoding stops and a {@link SchemaError} is thrown. */
export type SchemaErrorCode =
  | 'SCHEMA_MISSING_COLUMN'
  | 'SCHEMA_DUPLICATE_COLUMN'
  | 'SCHEMA_BAD_HEADER'
  | 'SCHEMA_NO_HEADER'
  | 'CSV_RECORD_TOO_LARGE'
  | 'SCHEMA_BAD_OPTION'
  | 'SCHEMA_UNKNOWN_TABLE'
  | 'SCHEMA_ABORTED'
  | 'SCHEMA_ENDED';

const KIND: Record<SchemaErrorCode, ErrorKind> = {
  SCHEMA_MISSING_COLUMN: 'input',
  SCHEMA_DUPLICATE_COLUMN: 'input',
  SCHEMA_BAD_HEADER: 'input',
  SCHEMA_NO_HEADER: 'input',
  CSV_RECORD_TOO_LARGE: 'input',
  SCHEMA_BAD_OPTION: 'usage',
  SCHEMA_UNKNOWN_TABLE: 'usage',
  SCHEMA_ABORTED: 'interrupted',
  // Bytes pushed into a decoder that has ended: a bug of the caller.
  SCHEMA_ENDED: 'internal',
};

/** Why one row was rejected; decoding goes on with the next row. */
export type RejectCode =
  | 'ROW_FIELD_COUNT'
  | 'ROW_UNCLOSED_QUOTE'
  | 'ROW_INVALID_QUOTE'
  | 'ROW_BAD_UTF8'
  | 'ROW_ZERO_PADDED'
  | 'ROW_HEADER_REPEATED'
  | 'ROW_MISSING_VALUE'
  | 'ROW_BAD_NUMBER'
  | 'ROW_BAD_INTEGER'
  | 'ROW_BAD_BOOLEAN'
  | 'ROW_BAD_TIMESTAMP';

export interface SchemaErrorDetails {
  table?: TableName | undefined;
  file?: string | undefined;
  line?: number | undefined;
  offset?: number | undefined;
  column?: string | undefined;
  cause?: unknown;
}

export class SchemaError extends TalentExportError<SchemaErrorCode> {
  override readonly name = 'SchemaError';
  readonly table: TableName | undefined;
  readonly file: string | undefined;
  /** 1-based physical line where the offending record starts. */
  readonly line: number | undefined;
  /** Byte offset of the offending record in the input (a BOM included). */
  readonly offset: number | undefined;
  readonly column: string | undefined;

  constructor(code: SchemaErrorCode, message: string, details: SchemaErrorDetails = {}) {
    super(code, KIND[code], message, { cause: details.cause });
    this.table = details.table;
    this.file = details.file;
    this.line = details.line;
    this.offset = details.offset;
    this.column = details.column;
  }
}
