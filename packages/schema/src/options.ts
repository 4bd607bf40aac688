import { SchemaError } from './errors.js';
import { SCHEMAS, type TableName } from './tables.js';

export interface DecodeOptions {
  /** File name used in errors and rejects, e.g. `Contract_1/Messages.csv`. */
  file?: string;
  /** Largest record (bytes, one row) accepted before decoding stops; default 8 MiB. */
  maxRecordBytes?: number;
  /** Aborting stops decoding with `SCHEMA_ABORTED` at the next chunk. */
  signal?: AbortSignal;
}

export interface NormalizedOptions {
  readonly table: TableName;
  readonly file: string | undefined;
  /** How errors name the input: the file if given, else the table. */
  readonly source: string;
  readonly maxRecordBytes: number;
  readonly signal: AbortSignal | undefined;
}

export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
const KNOWN = new Set(['file', 'maxRecordBytes', 'signal']);

/** The one place options are checked and defaulted. */
export function normalizeOptions(table: TableName, options: DecodeOptions = {}): NormalizedOptions {
  if (!Object.hasOwn(SCHEMAS, table)) {
    throw new SchemaError(
      'SCHEMA_UNKNOWN_TABLE',
      `Unknown table "${String(table)}"; use one of: ${Object.keys(SCHEMAS).join(', ')}.`,
    );
  }
  const bad = (what: string) =>
    new SchemaError('SCHEMA_BAD_OPTION', `Option ${what} (decoding table ${table}).`, { table });
  if (typeof options !== 'object' || options === null) throw bad('object expected');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw bad(`"${key}" is unknown; known options are ${[...KNOWN].join(', ')}`);
  }
  const { file, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES, signal } = options;
  if (file !== undefined && typeof file !== 'string') throw bad('"file" must be a string');
  if (!Number.isSafeInteger(maxRecordBytes) || maxRecordBytes < 1) {
    throw bad(`"maxRecordBytes" must be a positive integer, got ${String(maxRecordBytes)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw bad('"signal" must be an AbortSignal');
  return { table, file, source: file ?? `table ${table}`, maxRecordBytes, signal };
}
