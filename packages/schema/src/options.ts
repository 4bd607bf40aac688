import type { TypedRecord } from './decoder.js';
import { SchemaError } from './errors.js';
import type { JsonLineSink } from './json.js';
import { SCHEMAS, type TableName } from './tables.js';
import type { Value } from './values.js';

export interface DecodeOptions {
  /** File name used in errors and rejects, e.g. `Contract_1/Messages.csv`. */
  file?: string;
  /** Largest record (bytes, one row) accepted before decoding stops; default 8 MiB. */
  maxRecordBytes?: number;
  /** Aborting stops decoding with `SCHEMA_ABORTED` at the next chunk. */
  signal?: AbortSignal;
  /**
   * Decode bytes that start at a record boundary after the header, e.g. a slice cut by `RecordSplitter`
   * or the rest of a table: the header and position come from an earlier decoder's `resume`.
   */
  continueAt?: Resume;
  /**
   * Also write each decoded record as one line of JSON here (what `JSON.stringify` would write, schema
   * fields first), straight from the CSV bytes: much faster than encoding the records.
   */
  jsonLines?: JsonLineSink;
  /**
   * Only these columns go into decoded records (e.g. the ids a reference check reads, when `jsonLines`
   * takes the rows); default all. Rows are checked in full either way.
   */
  fields?: readonly string[];
  /**
   * With `jsonLines`: each decoded record goes through `transform` before its line is written, and the
   * line takes the values of the record it returns (none when it returns null; a value it lacks is null)
   * for the columns records hold. The `asRead` columns are left out of records and written as they are
   * read, text copied from the CSV bytes; so is a value the transform left equal to the decoded one. Keys
   * it adds are not written. The decoded items hold the records as decoded. For a stage that changes a
   * few columns (redaction): the other columns cost what they cost without it.
   */
  lineStage?: LineStage;
  /**
   * Instead of a record per decoded row: the values of `fields`, in that order (null for an empty cell or a
   * column the table lacks), given to `fieldRows`, in the same array each time (read it, don't keep it);
   * the row then gets no record item (rejects still do). For callers that only tally a few columns of
   * every row (reference checks, counts): no object is made per row. Needs `fields`; not with `lineStage`.
   */
  fieldRows?: (values: readonly Value[]) => void;
  /**
   * With `fieldRows`: id columns given as the number they spell, where they spell one exactly (see
   * `numericId`), else as text. For ids that are only compared (reference checks): no string is made.
   */
  numericIds?: readonly string[];
  /**
   * With `fieldRows` (and no `jsonLines`): time columns given as the first N characters of their ISO text
   * (`{ created_time: 7 }`: the month, `2024-05`), for counts by month or year: one string a month, not a
   * whole text a row. 0 or absent: the whole text.
   */
  cutTimes?: Readonly<Record<string, number>>;
  /**
   * Names for extra columns (those not in the schema), by their header as written: records, lines and
   * `stats.extraColumns` take these instead. For a redacted output, whose extra columns' headers may name
   * people (a column headed with a candidate's name). Plain data, so slices decoded elsewhere get it too.
   */
  extraNames?: Readonly<Record<string, string>>;
  /**
   * Read a quote inside an unquoted field (`1,5" screen`) as text, as Python's `csv` and DuckDB do, instead
   * of rejecting the row (`ROW_INVALID_QUOTE`); such rows are counted in `stats.rowsLenientQuotes`. Text
   * after a closing quote (`"a"b`) is rejected either way. Default false.
   */
  lenientQuotes?: boolean;
  /**
   * Each decoded record comes with the text of every cell of its row as written (`texts`, in the header's
   * order, unquoted: `""` read as `"`), for an output that writes a value the caller left alone exactly as
   * the source wrote it (`1640171967`, `TRUE`, `0012`, `1.50`). Default false: it costs a string a cell.
   */
  cellTexts?: boolean;
}

export interface LineStage {
  readonly asRead: readonly string[];
  transform(record: TypedRecord): TypedRecord | null;
}

/** Where decoding can carry on: the header and the byte offset and line of the next record. */
export interface Resume {
  readonly header: readonly string[];
  readonly offset: number;
  readonly line: number;
  /** The header was quoted throughout, as R's write.csv writes it: an unquoted `NA` is an empty cell. */
  readonly quotedHeader?: boolean;
  /**
   * How many cells end the header empty as the file wrote it (`header` names them by their place,
   * `column7`); default none. Which of its cells were empty cannot be told from a name: a file's own
   * header may name a column `column7`.
   */
  readonly blankTail?: number;
}

export interface NormalizedOptions {
  readonly table: TableName;
  readonly file: string | undefined;
  /** How errors name the input: the file if given, else the table. */
  readonly source: string;
  readonly maxRecordBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly continueAt: Resume | undefined;
  readonly jsonLines: JsonLineSink | undefined;
  readonly fields: ReadonlySet<string> | undefined;
  readonly lineStage: { asRead: ReadonlySet<string>; transform: LineStage['transform'] } | undefined;
  readonly fieldRows: ((values: readonly Value[]) => void) | undefined;
  readonly numericIds: ReadonlySet<string> | undefined;
  readonly cutTimes: Readonly<Record<string, number>> | undefined;
  readonly extraNames: Readonly<Record<string, string>> | undefined;
  readonly lenientQuotes: boolean;
  readonly cellTexts: boolean;
}

export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;
const KNOWN = new Set([
  'file',
  'maxRecordBytes',
  'signal',
  'continueAt',
  'jsonLines',
  'fields',
  'lineStage',
  'fieldRows',
  'numericIds',
  'cutTimes',
  'extraNames',
  'lenientQuotes',
  'cellTexts',
]);

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
  const {
    file,
    maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
    signal,
    continueAt,
    jsonLines,
    fields,
    lineStage,
    fieldRows,
    numericIds,
    cutTimes,
    extraNames,
    lenientQuotes = false,
    cellTexts = false,
  } = options;
  if (file !== undefined && typeof file !== 'string') throw bad('"file" must be a string');
  if (!Number.isSafeInteger(maxRecordBytes) || maxRecordBytes < 1) {
    throw bad(`"maxRecordBytes" must be a positive integer, got ${String(maxRecordBytes)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw bad('"signal" must be an AbortSignal');
  if (continueAt !== undefined) {
    const { header, offset, line } = continueAt ?? {};
    if (!Array.isArray(header) || !header.every((h) => typeof h === 'string'))
      throw bad('"continueAt.header" must be an array of strings');
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw bad('"continueAt.offset" must be a byte offset (an integer >= 0)');
    if (!Number.isSafeInteger(line) || line < 1) throw bad('"continueAt.line" must be a line number (>= 1)');
    const { quotedHeader } = continueAt;
    if (quotedHeader !== undefined && typeof quotedHeader !== 'boolean')
      throw bad('"continueAt.quotedHeader" must be true or false');
    const { blankTail } = continueAt;
    if (
      blankTail !== undefined &&
      !(Number.isSafeInteger(blankTail) && blankTail >= 0 && blankTail <= header.length)
    )
      throw bad('"continueAt.blankTail" must be a count of header cells (an integer >= 0)');
  }
  if (jsonLines !== undefined && typeof jsonLines?.reserve !== 'function')
    throw bad('"jsonLines" must have a reserve(bytes) method, a buffer and a length');
  if (fields !== undefined && !(Array.isArray(fields) && fields.every((f) => typeof f === 'string')))
    throw bad('"fields" must be an array of column names');
  if (
    lineStage !== undefined &&
    (typeof lineStage?.transform !== 'function' ||
      !Array.isArray(lineStage.asRead) ||
      !lineStage.asRead.every((f) => typeof f === 'string'))
  )
    throw bad('"lineStage" must be { asRead: column names, transform(record) }');
  if (lineStage !== undefined && jsonLines === undefined) throw bad('"lineStage" needs "jsonLines"');
  if (fieldRows !== undefined && typeof fieldRows !== 'function') throw bad('"fieldRows" must be a function');
  if (fieldRows !== undefined && fields === undefined) throw bad('"fieldRows" needs "fields"');
  if (fieldRows !== undefined && lineStage !== undefined)
    throw bad('"fieldRows" and "lineStage" exclude each other');
  if (
    numericIds !== undefined &&
    !(Array.isArray(numericIds) && numericIds.every((f) => typeof f === 'string'))
  )
    throw bad('"numericIds" must be an array of column names');
  if (numericIds !== undefined && fieldRows === undefined) throw bad('"numericIds" needs "fieldRows"');
  if (
    cutTimes !== undefined &&
    (typeof cutTimes !== 'object' ||
      cutTimes === null ||
      !Object.values(cutTimes).every((n) => Number.isSafeInteger(n) && n >= 0))
  )
    throw bad('"cutTimes" must map column names to a number of characters (>= 0)');
  if (cutTimes !== undefined && (fieldRows === undefined || jsonLines !== undefined))
    throw bad('"cutTimes" needs "fieldRows", and no "jsonLines" (lines hold whole times)');
  if (
    extraNames !== undefined &&
    (typeof extraNames !== 'object' ||
      extraNames === null ||
      !Object.values(extraNames).every((name) => typeof name === 'string' && name !== ''))
  )
    throw bad('"extraNames" must map headers to non-empty names');
  if (typeof lenientQuotes !== 'boolean') throw bad('"lenientQuotes" must be true or false');
  if (typeof cellTexts !== 'boolean') throw bad('"cellTexts" must be true or false');
  if (cellTexts && fieldRows !== undefined) throw bad('"cellTexts" and "fieldRows" exclude each other');
  return {
    table,
    file,
    source: file ?? `table ${table}`,
    maxRecordBytes,
    signal,
    continueAt,
    jsonLines,
    fields: fields === undefined ? undefined : new Set(fields),
    lineStage:
      lineStage === undefined
        ? undefined
        : { asRead: new Set(lineStage.asRead), transform: lineStage.transform.bind(lineStage) },
    fieldRows,
    numericIds: numericIds === undefined ? undefined : new Set(numericIds),
    cutTimes,
    extraNames,
    lenientQuotes,
    cellTexts,
  };
}
