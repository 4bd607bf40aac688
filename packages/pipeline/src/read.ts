// Reads an export's tables one after another, big ones cut into slices for worker threads, and hands the
// rows on in file order: the same rows, rejects and counts whatever the number of threads.
import { kindOf } from '@talent-export/errors';
import { type Problem, problem, type TalentExport } from '@talent-export/export';
import { type CopyPlace, type CopyPlaces, copyPlaces, openTableInto } from '@talent-export/export/internal';
import {
  createReferenceChecker,
  type Decoded,
  IDS_NOT_SHOWN,
  type IdLookup,
  IdMap,
  IdSet,
  isMissingMarker,
  REFERENCE_ORDER,
  type ReferenceChecker,
  type ReferenceReport,
  type Reject,
  referenceColumns,
  SchemaError,
  type TableName,
  type TableStats,
  type TypedRecord,
  type Value,
} from '@talent-export/schema';
import { lineBreaks } from '@talent-export/schema/internal';
import type { EncodedRows, SourceRow } from '@talent-export/writers';
import { CountTally } from './counts.js';
import { PipelineError } from './errors.js';
import { type Normalized, normalizeOptions, type ReadOptions } from './options.js';
import type { SliceJob } from './slices/decode.js';
import { SlicePool } from './slices/pool.js';
import { type ParallelOptions, type SliceOk, TableReader } from './slices/reader.js';
import { spreadsheetFindings } from './spreadsheet.js';
import { loadStage, type RecordTransform, stagedRecord } from './stage.js';
import { addNameWords } from './words.js';

/** Tables at least this big are decoded in slices by worker threads (when there are any). */
const PARALLEL_MIN_BYTES = 64 * 1024;

const SLICE_BYTES = 1024 * 1024;

/** The error of a table's CSV file that changed while it was read (see `readChunks` of the export package). */
const TABLE_CHANGED = 'EXPORT_TABLE_CHANGED';

/** One table's counts: rows read = decoded + rejected, and decoded = written + dropped by the stage. */
export interface TableResult {
  rows: number;
  decoded: number;
  rejected: number;
  /** Records the record stage dropped. */
  dropped?: number;
  bytes: number;
  source?: string;
  /**
   * Its source is cut short (export.zip's download stopped in it, see EXPORT_ZIP_TRUNCATED): the rows are
   * those before the cut, never the whole table; references and candidate ids are not taken from it.
   */
  truncated?: true;
  /** Columns not in the schema as reports show them: one whose header may be a value by place (`column 4`). */
  extraColumns?: string[];
  /** Optional schema columns the file has no header for (read as null): reported, as extra columns are. */
  missingColumns?: string[];
  /**
   * Extra columns whose header repeats an earlier one's, kept under a suffixed name (`notes_1`), as shown
   * (see `TableStats.renamedColumns`).
   */
  renamedColumns?: string[];
  /** Empty cells ending the header, a spreadsheet's empty columns, read past (see `TableStats.paddingColumns`). */
  paddingColumns?: number;
  /** Columns (schema and extra) no decoded row held a value in; left out when every column had one. */
  emptyColumns?: string[];
  /** Rows read with a quote inside an unquoted field kept as text (--lenient-quotes). */
  lenientQuotes?: number;
  /**
   * Id cells a spreadsheet rounded (`6.91912E+18`); only the problem's message shows a few, since a
   * redacted run's report keeps the tables' counts but names no id.
   */
  roundedIds?: number;
  /** Id cells written with a zero fraction (`12.0`, as pandas writes them), shown likewise. */
  decimalIds?: number;
  /** Time cells with digits past the microsecond, cut there (see `TableStats.timesCut`). */
  timesCut?: number;
  /** Number cells holding more than a double, read as the nearest (see `TableStats.numbersRounded`). */
  numbersRounded?: number;
  /** Phone numbers a spreadsheet rounded (see `TableStats.roundedPhones`). */
  roundedPhones?: number;
  /** Name cells made of question marks (see `TableStats.lostNames`). */
  lostNames?: number;
  /** Name cells read in the wrong encoding and saved so (see `TableStats.garbledNames`). */
  garbledNames?: number;
  /** Name cells holding a control character (see `TableStats.controlNames`). */
  controlNames?: number;
  /** Times on the day of epoch 0, and their columns (see `TableStats.epochTimes`). */
  epochTimes?: number;
  epochTimeColumns?: string[];
  rejectCodes?: Record<string, number>;
  error?: { code: string; message: string };
  /**
   * Decoding stopped early (`error`, from the CSV: a record over the size cap, say): where, and what of
   * the bytes after it was still checked. `line` and `offset` are those of the record it stopped at;
   * `checked` whether every byte after it was still read to the end (`bytes` is then the whole table's;
   * `crc`: a zip entry's, whose CRC-32 and size then match), or `checkError` why not. Rows from the stop
   * on are not counted in `rows`.
   */
  stopped?: {
    line?: number;
    offset?: number;
    checked: boolean;
    crc?: boolean;
    checkError?: { code: string; message: string };
  };
}

export interface TablesOutcome {
  tables: Partial<Record<TableName, TableResult>>;
  references?: ReferenceReport[];
  candidateIds?: IdLookup;
  problems: Problem[];
}

/** Where the rows go; every hook may return a promise, which is waited for (back-pressure). */
export interface TableHooks {
  /**
   * A record decoded on this thread (after the stage); `source`: the row as decoded, with its cells as
   * written when `exportCsv` is given (see `encodeExportRow`).
   */
  record?: (table: TableName, record: TypedRecord, source: SourceRow) => Promise<void> | void;
  /** Rows a worker thread decoded and encoded to `formats` (given with `record`, it lets big tables be split). */
  encoded?: (table: TableName, rows: EncodedRows) => Promise<void> | void;
  reject?: (reject: Reject) => Promise<void> | void;
  /** Called before a table is read (convert opens its writer here). */
  open?: (table: TableName) => Promise<void> | void;
  /**
   * Called once a table is read; `extraColumnsShown` names its extra columns (by record key) as reports
   * show them, for a manifest that lists them.
   */
  close?: (table: TableName, extraColumnsShown: ReadonlyMap<string, string>) => Promise<void> | void;
  /**
   * A distinct combination of the values of a table's `count` columns (see `ReadOptions.count`), as a
   * record of those columns, and the rows that hold it; `group`: which of the table's groups (0 for a
   * single combination). Called once per combination, in order of first sight, after the table's last
   * row. The record is reused: read it, don't keep it.
   */
  counted?: (table: TableName, values: TypedRecord, rows: number, group: number) => void;
  /**
   * Hashes of the words of the table's `words` columns (see `ReadOptions.words`), a batch at a time, the
   * same hash possibly in several batches. The batch is reused: read it during the call, don't keep it.
   */
  words?: (table: TableName, hashes: Iterable<number>) => void;
}

/** Decodes the given tables one after another; rows read = decoded + rejected for each. */
export async function readTables(
  ex: TalentExport,
  tables: readonly TableName[],
  hooks: TableHooks = {},
  options: ReadOptions = {},
): Promise<TablesOutcome> {
  const normalized = normalizeOptions(options);
  const transform = normalized.stage ? await loadStage(normalized.stage) : undefined;
  const pool =
    normalized.threads > 1
      ? new SlicePool(normalized.threads - 1, normalized.decodeHere, transform, normalized.stage)
      : undefined;
  try {
    const outcome = await readAll(ex, tables, hooks, normalized, pool, transform);
    const reduced = pool?.reduced;
    if (reduced) outcome.problems.push(problem('THREADS_REDUCED', threadsReduced(reduced)));
    return outcome;
  } finally {
    await pool?.close();
  }
}

/**
 * The notice of a run that decoded on fewer threads than asked for (see `SlicePool.reduced`): a worker
 * thread that cannot start (a preload that fails in threads, a stage that does not load there, the system's
 * limits) fails every run alike, so trying costs each run its start for nothing.
 */
function threadsReduced(reduced: NonNullable<SlicePool['reduced']>): string {
  const ran =
    reduced.threads === 1 ? 'ran on 1 thread' : `ran on ${reduced.threads} of ${reduced.asked} threads`;
  if (reduced.started)
    return `a worker thread stopped part way (${reduced.why}); the slices it held were decoded on the calling thread`;
  return `${ran}: a worker thread could not start (${reduced.why}); running with one thread avoids trying`;
}

async function readAll(
  ex: TalentExport,
  tables: readonly TableName[],
  hooks: TableHooks,
  options: Normalized,
  pool: SlicePool | undefined,
  transform: RecordTransform | undefined,
): Promise<TablesOutcome> {
  const { signal, onProgress } = options;
  const outcome: TablesOutcome = { tables: {}, problems: [] };
  const checker =
    (options.references ?? tables.length === REFERENCE_ORDER.length) ? createReferenceChecker() : undefined;
  // The checker keeps every candidate id already; without it, the ids are gathered here.
  const gathered = checker ? undefined : new IdSet();
  // Referenced tables first: references to a table already read are checked row by row, keeping only key sets.
  const order = REFERENCE_ORDER.filter((t) => tables.includes(t));
  for (const table of order) {
    const source = ex.tables[table];
    if (!source) continue;
    const label = source.entry ? `${source.file}:${source.entry}` : source.file;
    const where = { file: source.file, ...(source.entry ? { entry: source.entry } : {}) };
    /** A problem of this table, said where it is. */
    const tell = (code: Parameters<typeof problem>[0], detail: string) =>
      outcome.problems.push(problem(code, detail, where));
    const result: TableResult = {
      rows: 0,
      decoded: 0,
      rejected: 0,
      bytes: source.bytes,
      source: label,
      ...(source.truncated ? { truncated: true as const } : {}),
    };
    outcome.tables[table] = result;
    const codes: Record<string, number> = {};
    // The first row whose quote never closed: it took in the lines after it, which the rows lack.
    let unclosed: Reject | undefined;
    let dropped = 0;
    let started: TableReader | undefined;
    // The table's bytes, and whether an error came from decoding them (the rest can still be read) or not.
    let chunks: AsyncIterator<Uint8Array> | undefined;
    let decoding = false;
    // The error of the table's bytes, when they could not be read to the end.
    let unreadable: unknown;
    let bytes = 0;
    const progress = (phase: 'start' | 'update' | 'done', bytes: number, rows?: number) =>
      onProgress?.({ phase, table, bytes, total: source.bytes, ...(rows === undefined ? {} : { rows }) });
    const counting = options.count[table];
    const counted = counting ? hooks.counted : undefined;
    const tally = counted ? new CountTally(counting!) : undefined;
    const flush = () => tally?.flush((values, rows, group) => counted!(table, values, rows, group));
    const wordColumns = hooks.words ? (options.words[table] ?? []) : [];
    // Of the rows decoded here, handed on with each batch of them.
    const words = wordColumns.length > 0 ? new Set<number>() : undefined;
    // A table in several contracts' folders is read as one: a reject is named by its own copy and line.
    let places: CopyPlaces | undefined;
    try {
      await hooks.open?.(table);
      const onReferences = (record: TypedRecord, rows = 1) => {
        checker?.add(table, record, rows);
        const id = record.candidate_id;
        if (gathered && table === 'candidates' && (typeof id === 'string' || typeof id === 'number')) {
          gathered.add(id);
        }
      };
      const onRecord = (record: TypedRecord) => {
        onReferences(record);
        tally?.addRecord(record);
        if (words) for (const name of wordColumns) addNameWords(record[name], words);
      };
      const onReject = (reject: Reject) => {
        codes[reject.code] = (codes[reject.code] ?? 0) + 1;
        const placed = places ? inItsCopy(reject, places) : reject;
        if (reject.code === 'ROW_UNCLOSED_QUOTE') unclosed ??= placed;
        return hooks.reject?.(placed);
      };
      const staged = (record: TypedRecord): TypedRecord | null => {
        try {
          return stagedRecord(transform!(table, record));
        } catch (error) {
          throw new PipelineError(
            'PIPELINE_STAGE_FAILED',
            `${table}: the record stage failed (${(error as Error)?.message ?? error}); fix the stage module`,
            { table, cause: error },
          );
        }
      };
      // Rows decoded here: the pure decoder gives a batch per chunk; only a full disk queue makes this wait.
      const items = async (items: Decoded[]) => {
        for (const item of items) {
          if (item.kind === 'record') {
            // References are those of the input, before the stage.
            onRecord(item.record);
            const record = transform ? staged(item.record) : item.record;
            if (record === null) {
              dropped += 1;
              continue;
            }
            const pending = hooks.record?.(table, record, item);
            if (pending) await pending;
          } else {
            const pending = onReject(item.reject);
            if (pending) await pending;
          }
        }
        if (words?.size) {
          hooks.words!(table, words);
          words.clear();
        }
      };
      // Rows decoded by a worker thread: the columns read here (references, counts) come back as thin records,
      // references and counts apart (see SliceJob.countColumns).
      const refColumns = checker
        ? referenceColumns(table)
        : gathered && table === 'candidates'
          ? ['candidate_id']
          : [];
      const countColumns = counted ? counting!.columns : [];
      const thin = (
        columns: readonly string[],
        values: readonly Value[],
        counts: readonly number[],
        add: (record: TypedRecord, rows: number) => void,
      ) => {
        const record: TypedRecord = {};
        for (let row = 0; row < counts.length; row++) {
          for (let k = 0; k < columns.length; k++) record[columns[k]!] = values[row * columns.length + k]!;
          add(record, counts[row]!);
        }
      };
      const slice = async (done: SliceOk) => {
        if (checker) {
          checker.addRows(table, parallel?.sentRefs ?? refColumns, done.refs, done.refCounts);
          for (const found of done.missing ?? []) checker.addMissing(found);
        } else thin(refColumns, done.refs, done.refCounts, onReferences);
        if (tally && done.counted && done.countedValues && done.countedRows)
          tally.addSlice(done.counted, done.countedValues, done.countedRows);
        if (done.words) hooks.words?.(table, done.words);
        dropped += done.rowsDropped;
        for (const reject of done.rejects) await onReject(reject);
        if (done.encoded) await hooks.encoded?.(table, done.encoded);
        pool?.used(done);
      };
      // Records hold only what is read of them: the columns the caller and the stage name (a stage that
      // names none gets whole records), else nothing but the references and counts when nobody takes them
      // (validate). Other text is checked, never made a string.
      const stageColumns = options.stage?.columns?.[table];
      const wanted = options.columns[table];
      const named =
        options.stage && !stageColumns
          ? undefined
          : stageColumns || wanted
            ? [...(wanted ?? []), ...(stageColumns ?? [])]
            : undefined;
      // Columns the stage never changes stay bytes in the lines workers write; those read here stay values.
      const asRead = options.stage?.passThrough?.[table]?.filter(
        (name) => !refColumns.includes(name) && !countColumns.includes(name),
      );
      const fields = named
        ? [...new Set([...named, ...refColumns, ...countColumns, ...wordColumns])]
        : options.stage === undefined && hooks.record === undefined
          ? [...new Set([...refColumns, ...countColumns, ...wordColumns])]
          : undefined;
      // Parquet is encoded here from whole records: sending them back from workers cost more than it saved.
      const canSplit =
        hooks.record === undefined ||
        (hooks.encoded !== undefined && options.formats.length > 0 && !options.formats.includes('parquet'));
      // Small tables too: read on this thread alone (as those under 8 MB were), they left the workers idle and
      // ran the reference and count code cold here while the attachment index waited (report 2.54 -> 2.34 s,
      // validate 2.98 -> 2.80 s on the benchmark export; convert and inspect level). A table of a few rows
      // does not start a worker thread.
      const split = pool !== undefined && canSplit && source.bytes >= PARALLEL_MIN_BYTES;
      // Checks whose target is complete run where the slices are decoded, against a copy of the target's
      // keys: only the table's own keys come back, not every id it refers to.
      const shares = split && checker ? checker.shareChecks(table) : [];
      const parallel: ParallelOptions | undefined = split
        ? {
            run: (job: SliceJob) => pool.run(job),
            sliceBytes: SLICE_BYTES,
            readBuffer: pool.readBuffer,
            inFlight: pool.inFlight,
            // Without decodeHere nothing is decoded here: the reader then waits as it always did.
            ...(options.decodeHere ? { help: pool.help } : {}),
            formats: hooks.record ? options.formats : [],
            refColumns,
            ...(shares.length > 0
              ? {
                  sentRefs: referenceColumns(table, new Set(shares.map((s) => s.check))),
                  shared: { id: order.indexOf(table), checks: shares },
                }
              : {}),
            ...(wordColumns.length > 0 ? { wordColumns } : {}),
            ...(countColumns.length > 0
              ? { countColumns, countChars: counting!.chars, countGroups: counting!.groups }
              : {}),
            ...(named && fields ? { fields } : {}),
            ...(options.stage ? { stage: options.stage } : {}),
            ...(asRead?.length ? { asRead } : {}),
            ...(options.exportCsv
              ? { exportCsv: { keepExtra: options.exportCsv.keepExtra?.[table] ?? [] } }
              : {}),
          }
        : undefined;
      // Slices are read into the buffers the workers give back.
      const readInto = parallel ? pool?.readBuffer : undefined;
      const stream = await openTableInto(ex, table, { signal, ...(readInto ? { readInto } : {}) });
      places = copyPlaces(stream);
      progress('start', 0);
      const reader = new TableReader(
        table,
        {
          file: label,
          signal,
          ...(options.maxRecordBytes ? { maxRecordBytes: options.maxRecordBytes } : {}),
          ...(options.lenientQuotes ? { lenientQuotes: true } : {}),
          ...(options.extraNames[table] ? { extraNames: options.extraNames[table] } : {}),
          // Nobody takes the records (validate): they hold only what the reference checks read.
          ...(fields ? { fields } : {}),
          ...(options.exportCsv && hooks.record ? { cellTexts: true } : {}),
        },
        { items, slice },
        parallel,
      );
      started = reader;
      const iterator = (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
      chunks = iterator;
      const readOn = async () => {
        try {
          return await iterator.next();
        } catch (error) {
          // Rows handed to workers before these bytes may have stopped the table first: that is its error then.
          unreadable = error;
          decoding = true;
          await reader.drain();
          decoding = false;
          throw error;
        }
      };
      for (let next = await readOn(); !next.done; next = await readOn()) {
        bytes += next.value.length;
        progress('update', bytes);
        decoding = true;
        await reader.push(next.value);
        decoding = false;
      }
      decoding = true;
      await reader.end();
      decoding = false;
      applyStats(result, reader.stats, dropped);
      flush();
      checker?.complete(table);
      await hooks.close?.(table, shownExtra(reader.stats));
      progress('done', bytes, result.rows);
    } catch (error) {
      progress('done', result.bytes);
      // A record too large in a table's second copy is named by that copy's file and line, as a reject is.
      const failed = places ? errorInItsCopy(error, label, places) : error;
      // Only a table the input makes unreadable is a problem of the run; a bug or a stop ends it.
      if (signal.aborted || options.failFast || kindOf(failed) !== 'input') throw failed;
      // The rows read before the failure still count.
      if (started) applyStats(result, started.stats, dropped);
      flush();
      const e = failed as { code?: string; message?: string; line?: unknown; offset?: unknown };
      result.error = { code: String(e.code ?? 'TABLE_UNREADABLE'), message: String(e.message ?? failed) };
      let rest = '';
      if (decoding && chunks) {
        const { stopped, after } = await readRest(chunks, e, signal, unreadable);
        // An entry cut short has no CRC-32 to match: its bytes end at the cut.
        const crc = stopped.checked && source.entry !== undefined && !source.truncated;
        result.stopped = crc ? { ...stopped, crc: true } : stopped;
        if (stopped.checked) result.bytes = bytes + after;
        rest = stoppedText(result.stopped, result.bytes, result.rows);
        // Its file changed too, found as the bytes past the stop were read: said as a change is, as well.
        const check = result.stopped.checkError;
        if (check?.code === TABLE_CHANGED) tell('TABLE_CHANGED', `${table}: ${check.message}`);
      }
      // Read to its end, but not as it was when it began (a CSV file still being copied or rewritten): its
      // rows may be incomplete or mixed, which is no failure to read it.
      if (result.error.code === TABLE_CHANGED) tell('TABLE_CHANGED', `${table}: ${result.error.message}`);
      else
        tell(
          'TABLE_UNREADABLE',
          `${table}: could not be read to the end (${result.error.code}): ${result.error.message}${rest}`,
        );
    } finally {
      await chunks?.return?.();
    }
    if (result.lenientQuotes) {
      tell(
        'QUOTES_LENIENT',
        `${table}: ${result.lenientQuotes} row(s) read with a quote inside an unquoted field kept as text (lenient quotes)`,
      );
    }
    const examples = started?.stats;
    if (result.roundedIds && examples) {
      tell(
        'IDS_ROUNDED',
        `${table}: ${result.roundedIds} id(s) of column(s) ${examples.roundedIdColumns.join(', ')} are written as rounded numbers (e.g. ${examples.roundedIdExamples.join(', ')}): a spreadsheet most likely re-wrote them when the table was saved there, and their digits are lost, so those rows cannot be told apart or joined; take the table from export.zip again`,
      );
    }
    if (result.decimalIds && examples) {
      tell(
        'IDS_DECIMAL',
        `${table}: ${result.decimalIds} id(s) of column(s) ${examples.decimalIdColumns.join(', ')} are written with decimals (e.g. ${examples.decimalIdExamples.join(', ')}), as pandas writes a column of whole numbers with an empty cell: ids are kept as written, so these match no other table's; take the table from export.zip again`,
      );
    }
    if (result.timesCut) {
      tell(
        'TIMES_CUT',
        `${table}: ${result.timesCut} time(s) have digits past the microsecond (as .NET and Java write them); the values keep microseconds, as Parquet and DuckDB hold them, and those digits are cut`,
      );
    }
    if (result.numbersRounded) {
      tell(
        'NUMBERS_ROUNDED',
        `${table}: ${result.numbersRounded} number(s) hold more digits than a number of JSON, Parquet or DuckDB (a double) keeps, or are too small for one (1e-400): each is read as the nearest (9007199254740993 as 9007199254740992, 1e-400 as 0)`,
      );
    }
    if (result.roundedPhones) {
      tell(
        'PHONES_ROUNDED',
        `${table}: ${result.roundedPhones} phone number cell(s) of column phone_numbers are written as rounded numbers (such as 4.15555E+09): a spreadsheet most likely re-wrote them when the table was saved there, and their digits are lost; they are kept as written; take the table from export.zip again`,
      );
    }
    if (result.lostNames) {
      tell(
        'NAMES_LOST',
        `${table}: ${result.lostNames} name cell(s) of columns first_name, last_name are only question marks (such as ??? ???): a program that saved the table in an encoding without those letters (a spreadsheet's "CSV" rather than "CSV UTF-8") most likely wrote ? for each, and the names are lost; they are kept as written; take the table from export.zip again`,
      );
    }
    if (result.garbledNames) {
      tell(
        'NAMES_GARBLED',
        `${table}: ${result.garbledNames} name cell(s) of columns first_name, last_name hold letters read in the wrong encoding (such as JosÃ© for José): a spreadsheet most likely opened the table as Windows-1252 and saved it as UTF-8 again; they are kept as written; take the table from export.zip again, or open it in the spreadsheet as UTF-8 (import it, choosing UTF-8) before saving`,
      );
    }
    if (result.controlNames) {
      tell(
        'NAMES_CONTROL',
        `${table}: ${result.controlNames} name cell(s) of columns first_name, last_name hold a control character (such as NUL), which shows nothing: a broken encoding or a program's bug most likely wrote it; they are kept as written, and redaction reads the names without it; take the table from export.zip again`,
      );
    }
    if (result.epochTimes) {
      tell(
        'TIMES_EPOCH',
        `${table}: ${result.epochTimes} time(s) of column(s) ${result.epochTimeColumns!.join(', ')} are on 1970-01-01 (epoch 0, written 0 or 1970-01-01 00:00:00), most likely a placeholder for an unknown time, not a real one; they are read as written: treat them as missing`,
      );
    }
    if (examples) {
      const shown = shownExtra(examples);
      const whole = places === undefined && result.error === undefined;
      for (const { code, message } of spreadsheetFindings(
        table,
        examples,
        codes.ROW_BAD_UTF8 ?? 0,
        whole,
        (name) => shown.get(name) ?? name,
      ))
        tell(code, message);
    }
    if (Object.keys(codes).length > 0) {
      result.rejectCodes = codes;
      const detail = Object.entries(codes)
        .map(([code, n]) => `${code} x${n}`)
        .join(', ');
      tell(
        'ROWS_REJECTED',
        `${table}: ${result.rejected} of ${result.rows} rows rejected (${detail})${unclosedHint(unclosed)}`,
      );
    }
  }
  // A table cut short is not whole: checked against it, every row after the cut would be an orphan.
  const wholeTable = (t: TableName) =>
    outcome.tables[t] && !outcome.tables[t]?.error && !outcome.tables[t]?.truncated;
  if (tables.includes('candidates') && wholeTable('candidates')) {
    const ids = checker?.keys('candidates', 'candidate_id') ?? gathered;
    if (ids) outcome.candidateIds = ids;
  }
  const complete = tables.every(wholeTable);
  // Reports list tables in their usual order, whatever order they were read in.
  outcome.tables = Object.fromEntries(
    tables.filter((t) => outcome.tables[t]).map((t) => [t, outcome.tables[t]]),
  ) as TablesOutcome['tables'];
  for (const r of checker?.repeated() ?? []) {
    outcome.problems.push(
      problem(
        'KEY_REPEATED',
        `${r.table}: ${r.rows} row(s) repeat the ${r.column} of an earlier row (${examplesText(r.examples)}); where rows are looked up by it (join, the report page), the first is used${roundedHint(checker?.keys(r.table, r.column), r.table)}`,
        { table: r.table },
      ),
    );
  }
  if (checker && complete) {
    outcome.references = checker.finish();
    for (const ref of outcome.references) {
      if (ref.rows === 0) continue;
      outcome.problems.push(
        problem(
          'ORPHAN_REFERENCES',
          `${ref.check}: ${ref.rows} row(s) refer to missing values (${examplesText(ref.examples)})${paddedHint(ref, checker) || spreadsheetHint(ref, checker)}${markerHint(ref)}${blankHint(ref)}${rejectedHint(ref, outcome.tables)}`,
        ),
      );
    }
  }
  return outcome;
}

/**
 * What to do when missing ids are there written otherwise by a spreadsheet or pandas, which read ids as
 * numbers when a table is opened and saved there: the referenced table without their leading zeros (`0042`
 * asked, `42` held), with decimals (`12` asked, `12.0` held) or rounded to 15 digits
 * (`9.00719925474099E+15`), or the referring table with decimals (`12.0` asked, `12` held: pandas makes a
 * column with empty cells decimal).
 */
function spreadsheetHint(ref: ReferenceReport, checker: ReferenceChecker): string {
  const from = ref.check.split('.')[0];
  const [table, column] = ref.check.split(' -> ')[1]?.split('.') ?? [];
  const keys = table && column ? checker.keys(table as TableName, column) : undefined;
  if (keys === undefined) return '';
  const again =
    'a spreadsheet most likely re-wrote them when the table was saved there, so take that table from export.zip again';
  const found = ref.examples.filter((id) => /^0+\d/.test(id) && keys.has(id.replace(/^0+(?=\d)/, '')));
  if (found.length > 0) return `; ${table} has ${found.join(', ')} without the leading zeros: ${again}`;
  const decimal = ref.examples.filter((id) => /^\d+\.0+$/.test(id) && keys.has(id.replace(/\.0+$/, '')));
  if (decimal.length > 0)
    return `; ${from} writes ${decimal.join(', ')} with decimals where ${table} has whole numbers: pandas or a spreadsheet most likely re-wrote ${from}, so take it from export.zip again`;
  const written = writtenOtherwise(ref, keys, table as string, from as string);
  if (written !== '') return written;
  // Cut to a spreadsheet's 15 digits where they are held (`1234567890123456789` asked, `1234567890123450000` held).
  const cut = ref.examples
    .filter((id) => /^\d{16,}$/.test(id))
    .map((id) => id.slice(0, 15).padEnd(id.length, '0'))
    .filter((id) => keys.has(id));
  if (cut.length > 0)
    return `; ${table} has ${cut.join(', ')}, the digits past the 15th made zeros: a spreadsheet, which holds 15 digits of a number, most likely re-wrote ${table} when it was saved there, so take it from export.zip again`;
  // Rounded where they are asked: no digits are left to find them by.
  const rounded = ref.examples.filter((id) => ROUNDED.test(id));
  if (rounded.length > 0)
    return `; ${from} writes ${rounded.join(', ')} as rounded numbers: a spreadsheet most likely re-wrote ${from} when it was saved there, so take it from export.zip again`;
  // The other way round: the referenced table re-written (`12.0` held, `12` asked).
  const held = ref.examples.filter((id) => /^\d+$/.test(id) && keys.has(`${id}.0`));
  if (held.length > 0)
    return `; ${table} has ${held.join(', ')} with decimals (${held[0]}.0): pandas or a spreadsheet most likely re-wrote ${table}, so take it from export.zip again`;
  return roundedHint(keys, table as string);
}

/** Excel's text formula around an id (`="0042"`), which tools writing a CSV for Excel put to keep zeros. */
const FORMULA = /^="\d+"$/;
/** An id written with thousands separators by a spreadsheet (`1,000,000,003`, `1.000.000.003`, `1 000 000 003`). */
const GROUPED = /^\d{1,3}([,.' \u00a0\u202f])\d{3}(?:\1\d{3})*$/;

/**
 * What to do when missing ids are held written otherwise, all found in one look at the keys that spell no
 * plain number (an IdMap lists them alone, see `roundedHint`): with leading zeros (`42` asked, `0042`
 * held), with spaces around them (` 42`), as Excel's text formula (`="42"`), or with thousands separators
 * (`1,000,000,003`). Every row referring to
 * them is an orphan, and nothing else said why. (Asked so, they are no example: only ids of digits are
 * shown.)
 */
function writtenOtherwise(ref: ReferenceReport, keys: IdLookup, table: string, from: string): string {
  const asked = new Set(ref.examples.filter((id) => /^\d+$/.test(id)));
  if (asked.size === 0) return '';
  const zeros: string[] = [];
  const spaced: string[] = [];
  const formula: string[] = [];
  const grouped: string[] = [];
  for (const id of keys instanceof IdMap ? keys.texts() : keys) {
    if (zeros.length + spaced.length + formula.length + grouped.length >= asked.size) break;
    if (/^0+\d/.test(id) && asked.has(id.replace(/^0+(?=\d)/, ''))) zeros.push(id);
    else if (PADDED.test(id) && asked.has(id.trim())) spaced.push(id);
    else if (FORMULA.test(id) && asked.has(id.slice(2, -1))) formula.push(id);
    else if (GROUPED.test(id) && asked.has(id.replace(/\D/g, ''))) grouped.push(id);
  }
  if (zeros.length > 0)
    return `; ${table} has ${zeros.join(', ')} with leading zeros: a spreadsheet most likely re-wrote ${from} when it was saved there, so take it from export.zip again`;
  if (spaced.length > 0)
    return `; ${table} has ${spaced.map(shownId).join(', ')} with spaces around the id: ids are kept as written, so remove the spaces in ${table} (a tool or an edit padded the cells), or take it from export.zip again`;
  if (grouped.length > 0)
    return `; ${table} has ${grouped.join(', ')} with thousands separators: a spreadsheet most likely re-wrote ${table} when it was saved there, so take it from export.zip again`;
  if (formula.length > 0)
    return `; ${table} has ${formula.join(', ')} written as a spreadsheet formula (="...", as a tool writing for Excel keeps leading zeros): ids are kept as written, so write ${table} with the ids alone, or take it from export.zip again`;
  return '';
}

/**
 * What to do when a table's ids were rounded by a spreadsheet (`1.00E+08`): rows that refer to them find
 * none, and ids rounded alike repeat one another.
 */
function roundedHint(keys: IdLookup | undefined, table: string): string {
  if (keys === undefined) return '';
  // A rounded id spells no plain number: an IdMap lists those alone (100k others made strings at the end).
  for (const id of keys instanceof IdMap ? keys.texts() : keys)
    if (ROUNDED.test(id))
      return `; ${table} holds ids written as rounded numbers (1.2E+15): a spreadsheet most likely re-wrote them when the table was saved there, so take that table from export.zip again`;
  return '';
}

/**
 * What to do when the ids asked for are a tool's word for an empty cell: R's write.csv writes `NA` in every
 * empty cell, ids too, and an id column keeps what it holds unless the header is quoted throughout, as
 * write.csv quotes it (with `quote = FALSE` it is not; a database's `NULL` never is).
 */
function markerHint(ref: ReferenceReport): string {
  const words = ref.examples.filter(isMissingMarker);
  if (words.length === 0) return '';
  return `; ${words.join(', ')} is how R (write.csv), pandas or a database writes an empty cell, not an id: save the table with empty cells for missing values (in R, write.csv(..., na = "")), or take it from export.zip again`;
}

/**
 * What a table's rejected rows hide when a quote never closed: the lines after it, to the end of the
 * table, are in that one reject, and the rows counted lack them (a stray quote in a table without quoted
 * fields took in all the rows after it). Said in the summary, where the reject's own message is not.
 */
function unclosedHint(reject: Reject | undefined): string {
  if (reject === undefined) return '';
  const lines = reject.raw === null ? 0 : lineBreaks(Buffer.from(reject.raw));
  if (lines === 0) return '';
  return `; the quote opened on line ${reject.line}${reject.file ? ` of ${reject.file}` : ''} never closes, so that row took in the ${lines} line(s) after it, most likely rows of their own, which are not counted: remove the stray quote (or double it) and run again`;
}

/**
 * What to do when missing ids are spaces alone: an empty cell a tool padded (or an edit left), read as
 * written since ids are, so it is a reference to an id of spaces that no table holds.
 */
function blankHint(ref: ReferenceReport): string {
  if (!ref.examples.some((id) => id.trim() === '')) return '';
  const from = ref.check.split('.')[0];
  return `; ${from} holds cells of spaces alone where an id should be (a tool or an edit padded empty cells): ids are kept as written, so empty those cells, or take ${from} from export.zip again`;
}

/**
 * What to do when the referenced table had rows rejected: their ids are not known, so rows referring to
 * them count as missing too (a table a spreadsheet re-wrote has its rows rejected, then every table
 * pointing at it has orphans).
 */
function rejectedHint(ref: ReferenceReport, tables: TablesOutcome['tables']): string {
  const table = ref.check.split(' -> ')[1]?.split('.')[0] as TableName | undefined;
  const rejected = table === undefined ? 0 : (tables[table]?.rejected ?? 0);
  if (rejected === 0) return '';
  return `; ${rejected} row(s) of ${table} were rejected, and rows referring to them count here: fix those first`;
}

/** An id a spreadsheet showed in its number format, rounded (its digits are lost). */
const ROUNDED = /^\d(?:\.\d+)?E\+\d+$/i;

/** Examples of ids as a message shows them; none when none is made of digits (see `ReferenceReport.examples`). */
const examplesText = (examples: readonly string[]) =>
  examples.length > 0 ? `e.g. ${examples.map(shownId).join(', ')}` : IDS_NOT_SHOWN;

/** Spaces around an id, which a message would hide: quoted, a no-break space spelled out. */
const PADDED = /^\s|\s$/;
const shownId = (id: string) =>
  PADDED.test(id)
    ? JSON.stringify(id).replace(
        /[\u00a0\u2000-\u200b\u3000\ufeff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
    : id;

/**
 * What to do when the missing ids are ids with spaces around them (` 10`): ids are kept as written, so
 * they match none; said when the target holds them without the spaces.
 */
function paddedHint(ref: ReferenceReport, checker: ReferenceChecker | undefined): string {
  const padded = ref.examples.filter((id) => PADDED.test(id));
  if (padded.length === 0) return '';
  const [table, column] = ref.check.split(' -> ')[1]?.split('.') ?? [];
  const keys = table && column ? checker?.keys(table as TableName, column) : undefined;
  if (!padded.some((id) => keys?.has(id.trim()))) return '';
  const from = ref.check.split('.')[0];
  return `; ${from} writes ${padded.map(shownId).join(', ')} with spaces around the id, which ${table} has without them: ids are kept as written, so remove the spaces (a tool or an edit padded the cells), or take ${from} from export.zip again`;
}

/** A table's extra columns, by record key, as reports show them. */
function shownExtra(stats: TableStats): Map<string, string> {
  return new Map(stats.extraColumns.map((name, k) => [name, stats.extraColumnsShown[k]!]));
}

/** The empty columns, extra ones as `extraColumnsShown` names them. */
function shownEmpty(stats: TableStats): string[] {
  const shown = shownExtra(stats);
  return stats.emptyColumns.map((name) => shown.get(name) ?? name);
}

/**
 * Reads a table's bytes past the record decoding stopped at to their end, without decoding them: a zip
 * entry's CRC-32 and size are checked only once every byte has come through, so a table whose rows stop
 * early is still known to be whole (or not) as stored.
 */
async function readRest(
  chunks: AsyncIterator<Uint8Array>,
  error: { line?: unknown; offset?: unknown },
  signal: AbortSignal,
  /** The bytes' own error, when reading them had failed already. */
  unreadable?: unknown,
): Promise<{ stopped: NonNullable<TableResult['stopped']>; after: number }> {
  const where = {
    ...(typeof error.line === 'number' ? { line: error.line } : {}),
    ...(typeof error.offset === 'number' ? { offset: error.offset } : {}),
  };
  let after = 0;
  try {
    if (unreadable !== undefined) throw unreadable;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      signal.throwIfAborted();
      after += next.value.length;
    }
  } catch (failure) {
    if (signal.aborted || kindOf(failure) === 'internal') throw failure;
    const f = failure as { code?: string; message?: string };
    const checkError = { code: String(f.code ?? 'TABLE_UNREADABLE'), message: String(f.message ?? failure) };
    return { stopped: { ...where, checked: false, checkError }, after };
  }
  return { stopped: { ...where, checked: true }, after };
}

/** What a TABLE_UNREADABLE problem adds about the rows not read and the bytes still checked. */
function stoppedText(stopped: NonNullable<TableResult['stopped']>, bytes: number, rows: number): string {
  const at = stopped.line === undefined ? 'the record it stopped at' : `line ${stopped.line}`;
  // A header that cannot be read stops the table before its first row.
  const notRead =
    rows === 0
      ? 'No row was read'
      : `Rows from ${at} on were not read (the rows counted are those before it)`;
  if (!stopped.checked) {
    return ` ${notRead}, nor were the bytes after ${at} (${stopped.checkError!.code}: ${stopped.checkError!.message}).`;
  }
  const whole = stopped.crc ? ', and its CRC-32 and size match' : '';
  return ` ${notRead}; the table's ${bytes} bytes were still read to the end${whole}.`;
}

function applyStats(result: TableResult, stats: TableStats, dropped: number): void {
  result.rows = stats.rowsRead;
  result.decoded = stats.rowsDecoded;
  result.rejected = stats.rowsRejected;
  if (dropped > 0) result.dropped = dropped;
  result.bytes = stats.bytes;
  // Reports name extra columns as the schema package shows them: a header cell may be a person's name.
  if (stats.extraColumns.length > 0) result.extraColumns = stats.extraColumnsShown;
  if (stats.missingOptionalColumns.length > 0) result.missingColumns = stats.missingOptionalColumns;
  if (stats.renamedColumns.length > 0) result.renamedColumns = stats.renamedColumns;
  if (stats.paddingColumns > 0) result.paddingColumns = stats.paddingColumns;
  if (stats.rowsDecoded > 0 && stats.emptyColumns.length > 0) result.emptyColumns = shownEmpty(stats);
  if (stats.rowsLenientQuotes > 0) result.lenientQuotes = stats.rowsLenientQuotes;
  if (stats.roundedIds > 0) result.roundedIds = stats.roundedIds;
  if (stats.decimalIds > 0) result.decimalIds = stats.decimalIds;
  if (stats.timesCut > 0) result.timesCut = stats.timesCut;
  if (stats.numbersRounded > 0) result.numbersRounded = stats.numbersRounded;
  if (stats.roundedPhones > 0) result.roundedPhones = stats.roundedPhones;
  if (stats.lostNames > 0) result.lostNames = stats.lostNames;
  if (stats.garbledNames > 0) result.garbledNames = stats.garbledNames;
  if (stats.controlNames > 0) result.controlNames = stats.controlNames;
  if (stats.epochTimes > 0) {
    result.epochTimes = stats.epochTimes;
    result.epochTimeColumns = stats.epochTimeColumns;
  }
}

/** A reject of a table read from several copies, named by the copy it is in and its line and byte there. */
function inItsCopy(reject: Reject, places: CopyPlaces): Reject {
  const at = placed(reject.message, reject.file, reject.line, reject.offset, places);
  if (at.place === undefined) return reject;
  const { name, line, offset } = at.place;
  return { ...reject, file: name, line, offset, message: at.message };
}

/** A decoding error of a table read from several copies, as of the copy its place is in. */
function errorInItsCopy(error: unknown, file: string, places: CopyPlaces): unknown {
  if (!(error instanceof SchemaError) || error.line === undefined || error.offset === undefined) return error;
  const at = placed(error.message, file, error.line, error.offset, places);
  if (at.place === undefined) return error;
  const { name, line, offset } = at.place;
  return new SchemaError(error.code, at.message, {
    table: error.table,
    file: name,
    line,
    offset,
    column: error.column,
    cause: error,
  });
}

/** A message that begins `<file> line <n> (byte <m>)`, of the united table, as of the copy that place is in. */
function placed(
  message: string,
  file: string | undefined,
  line: number,
  offset: number,
  places: CopyPlaces,
): { message: string; place?: CopyPlace } {
  const place = places.place(line, offset);
  if (place === undefined) return { message };
  const was = `${file} line ${line} (byte ${offset})`;
  const now = `${place.name} line ${place.line} (byte ${place.offset})`;
  return { message: message.startsWith(was) ? now + message.slice(was.length) : message, place };
}
