import { availableParallelism } from 'node:os';
import { TABLE_NAMES, type TableName } from '@talent-export/schema';
import type { Format } from '@talent-export/writers';
import { PipelineError } from './errors.js';
import type { StageSpec } from './stage.js';

/** Where a table's reading is: `start` before it, `update` as bytes are read, `done` after it. */
export interface ProgressEvent {
  phase: 'start' | 'update' | 'done';
  table: string;
  /** Bytes of the table read so far (as stored: inflated for a zip entry). */
  bytes: number;
  /** The table's size, as far as it is known beforehand. */
  total: number;
  /** Rows read, once the table is done. */
  rows?: number;
}

export interface ReadOptions {
  /** Threads in all, this one included: big tables are cut into slices decoded by the others (default: CPUs, at most 4). */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Check references between tables (default: when all ten are read). */
  references?: boolean;
  /** A table that cannot be read ends the run (default); otherwise it becomes a problem and the next is read. */
  failFast?: boolean;
  /** The largest CSV record accepted (default: the schema's, 8 MiB). */
  maxRecordBytes?: number;
  /** Read a quote inside an unquoted field as text, as Python's csv and DuckDB do (default: reject the row). */
  lenientQuotes?: boolean;
  /**
   * Names for extra columns (not in the schema), per table, by their header as written: records, lines
   * and the tables' `extraColumns` take these (see `DecodeOptions.extraNames`).
   */
  extraNames?: Partial<Record<TableName, Readonly<Record<string, string>>>>;
  /** Formats the rows are encoded to where they are decoded (see `TableHooks.encoded`). */
  formats?: readonly Format[];
  /**
   * This thread decodes slices waiting for a worker too, whenever it would otherwise wait on the workers
   * with nothing else to do (for a caller that does little else meanwhile).
   */
  decodeHere?: boolean;
  /**
   * The columns records hold, per table (a table not named gets every column): the others are still
   * checked, never made into values, which saves most of the decoding of a wide table read for a few
   * columns. A stage that names no columns of its own still gets whole records. Not with `formats`:
   * encoded rows hold every column.
   */
  columns?: Partial<Record<TableName, readonly string[]>>;
  /** Run on every decoded record (see `StageSpec`). */
  stage?: StageSpec;
  /**
   * Worker threads encode `csv` in the export's own shape (`exportColumns` of @talent-export/writers: the
   * source's header and column order, `;` lists, times as the export writes them) instead of typed CSV,
   * keeping the extra columns named per table: a value the stage leaves as decoded is written as its cell
   * was. Records decoded on this thread (`record` hook) are the caller's to encode, with the row each was
   * made from (`encodeExportRow`'s `source`).
   */
  exportCsv?: { keepExtra?: Partial<Record<TableName, readonly string[]>> };
  /**
   * Columns whose combinations of values are counted, per table: one combination of columns, or several
   * counted apart (`{ groups }`: a project by stage, and the channels on their own, rather than every
   * project, stage and channel list at once). Slices tally them where they are decoded, so no record
   * travels for it; the `counted` hook gets each distinct combination of the whole table once, with the
   * rows that hold it (the input's, before any stage), after the table's last row. The distinct
   * combinations are kept until then: count columns of few distinct values.
   */
  count?: Partial<Record<TableName, CountSpec>>;
  /**
   * Columns, per table, whose words (see `wordsOf`; controls left out) are hashed where the rows are
   * decoded and given to `TableHooks.words`, a few at a time: for a `WordFilter`, which says whether a text
   * shares a word with a value of them without keeping the values.
   */
  words?: Partial<Record<TableName, readonly string[]>>;
}

/**
 * A counted column: its name, or `{ column, chars }` to count the first `chars` characters of its text
 * (of a time, 7 is its month: `2024-05`), so that values distinct in every row still fall into few counts.
 */
export type CountColumn = string | { column: string; chars: number };

/** A table's counted columns: one combination, or several groups of columns, each counted on its own. */
export type CountSpec = readonly CountColumn[] | { readonly groups: readonly (readonly CountColumn[])[] };

/**
 * A table's counted columns: each column once (a column counts with the same `chars` in every group), how
 * many characters of each are counted (0: the whole value), and the groups as indexes into `columns`.
 */
export interface Counted {
  columns: string[];
  chars: number[];
  groups: number[][];
}

export interface Normalized {
  threads: number;
  signal: AbortSignal;
  onProgress: ((event: ProgressEvent) => void) | undefined;
  references: boolean | undefined;
  failFast: boolean;
  maxRecordBytes: number | undefined;
  lenientQuotes: boolean;
  extraNames: Partial<Record<TableName, Readonly<Record<string, string>>>>;
  formats: readonly Format[];
  decodeHere: boolean;
  columns: Partial<Record<TableName, readonly string[]>>;
  stage: StageSpec | undefined;
  exportCsv: ReadOptions['exportCsv'];
  count: Partial<Record<TableName, Counted>>;
  words: Partial<Record<TableName, readonly string[]>>;
}

const FORMATS: readonly Format[] = ['ndjson', 'csv', 'parquet'];

/** The one place options are checked and defaulted. */
export function normalizeOptions(options: ReadOptions = {}): Normalized {
  const threads = options.threads ?? Math.min(availableParallelism(), 4);
  if (!Number.isSafeInteger(threads) || threads < 1)
    bad(`threads must be a whole number >= 1, got ${threads}`);
  const max = options.maxRecordBytes;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1))
    bad(`maxRecordBytes must be a whole number >= 1, got ${max}`);
  for (const format of options.formats ?? []) {
    if (!FORMATS.includes(format)) bad(`unknown format ${JSON.stringify(format)}; use ${FORMATS.join(', ')}`);
  }
  const stage = options.stage;
  if (stage !== undefined && (typeof stage !== 'object' || typeof stage.module !== 'string' || !stage.module))
    bad('stage must be { module: "path or package", options?: ... }');
  columnsByTable(options.columns, 'columns');
  if (options.columns && options.formats?.length)
    bad('columns cannot be combined with formats: encoded rows hold every column');
  columnsByTable(stage?.columns, 'stage.columns');
  columnsByTable(stage?.passThrough, 'stage.passThrough');
  columnsByTable(options.words, 'words');
  return {
    threads,
    signal: options.signal ?? new AbortController().signal,
    onProgress: options.onProgress,
    references: options.references,
    failFast: options.failFast ?? true,
    maxRecordBytes: max,
    lenientQuotes: options.lenientQuotes ?? false,
    extraNames: options.extraNames ?? {},
    formats: options.formats ?? [],
    decodeHere: options.decodeHere ?? false,
    columns: options.columns ?? {},
    stage,
    count: countedOf(options.count),
    words: options.words ?? {},
    exportCsv: options.exportCsv,
  };
}

/** A map of table names to column names, or undefined. */
function columnsByTable(value: unknown, what: string): void {
  if (value === undefined) return;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    Object.entries(value).every(
      ([table, names]) =>
        (TABLE_NAMES as readonly string[]).includes(table) &&
        Array.isArray(names) &&
        names.every((n) => typeof n === 'string'),
    );
  if (!ok) bad(`${what} must map table names to arrays of column names`);
}

function countedOf(count: ReadOptions['count']): Partial<Record<TableName, Counted>> {
  const out: Partial<Record<TableName, Counted>> = {};
  if (count === undefined) return out;
  const how =
    'count must map table names to arrays of column names or { column, chars } (chars >= 1), or to { groups: [such arrays] }';
  if (typeof count !== 'object' || count === null) bad(how);
  for (const [table, spec] of Object.entries(count)) {
    const groups = Array.isArray(spec) ? [spec] : (spec as { groups?: unknown } | null)?.groups;
    if (!(TABLE_NAMES as readonly string[]).includes(table) || !Array.isArray(groups) || groups.length === 0)
      bad(how);
    const counted: Counted = { columns: [], chars: [], groups: [] };
    for (const group of groups as unknown[]) {
      if (!Array.isArray(group) || group.length === 0) bad(how);
      counted.groups.push(group.map((column: unknown) => columnAt(counted, column, how, table)));
    }
    out[table as TableName] = counted;
  }
  return out;
}

/** Where a counted column is in `counted.columns`, added at its first sight. */
function columnAt(counted: Counted, column: unknown, how: string, table: string): number {
  const { column: name, chars } =
    typeof column === 'string'
      ? { column, chars: 0 }
      : ((column ?? {}) as { column?: unknown; chars?: unknown });
  if (
    typeof name !== 'string' ||
    !Number.isSafeInteger(chars) ||
    (chars as number) < (name === column ? 0 : 1)
  )
    bad(how);
  const at = counted.columns.indexOf(name);
  if (at === -1) {
    counted.columns.push(name);
    counted.chars.push(chars as number);
    return counted.columns.length - 1;
  }
  if (counted.chars[at] !== chars)
    bad(`count: ${table}.${name} is counted with different chars in two groups; count it one way`);
  return at;
}

function bad(message: string): never {
  throw new PipelineError('PIPELINE_BAD_OPTION', `${message}.`);
}
