import type { TableName } from './tables.js';

/** Fatal for a table: decoding stops and a {@link SchemaError} is thrown. */
export type SchemaErrorCode =
  | 'SCHEMA_MISSING_COLUMN'
  | 'SCHEMA_DUPLICATE_COLUMN'
  | 'SCHEMA_EMPTY_HEADER'
  | 'SCHEMA_BAD_HEADER'
  | 'SCHEMA_NO_HEADER'
  | 'CSV_RECORD_TOO_LARGE'
  | 'SCHEMA_BAD_OPTION'
  | 'SCHEMA_UNKNOWN_TABLE'
  | 'SCHEMA_ABORTED'
  | 'SCHEMA_ENDED';

/** Worth telling, but nothing is lost and no exit code changes: rows read under `lenientQuotes`. */
export type NoticeCode = 'QUOTES_LENIENT';

/** Why one row was rejected; decoding goes on with the next row. */
export type RejectCode =
  | 'ROW_FIELD_COUNT'
  | 'ROW_UNCLOSED_QUOTE'
  | 'ROW_INVALID_QUOTE'
  | 'ROW_BAD_UTF8'
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

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  readonly code: SchemaErrorCode;
  readonly table: TableName | undefined;
  readonly file: string | undefined;
  /** 1-based physical line where the offending record starts. */
  readonly line: number | undefined;
  /** Byte offset of the offending record in the input (a BOM included). */
  readonly offset: number | undefined;
  readonly column: string | undefined;

  constructor(code: SchemaErrorCode, message: string, details: SchemaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.table = details.table;
    this.file = details.file;
    this.line = details.line;
    this.offset = details.offset;
    this.column = details.column;
  }
}
