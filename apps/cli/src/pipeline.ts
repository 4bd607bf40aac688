import type { AttachmentRecord, AttachmentSummary, Problem, TalentExport } from '@talent-export/export';
import {
  createReferenceChecker,
  type Decoded,
  type IdLookup,
  IdSet,
  type NoticeCode,
  REFERENCE_ORDER,
  type ReferenceReport,
  type Reject,
  referenceColumns,
  type TableName,
  type TableStats,
  type TypedRecord,
} from '@talent-export/schema';
import type { EncodedRows, Format } from '@talent-export/writers';
import type { Context } from './context.js';
import type { SliceJob } from './slices/decode.js';
import { SlicePool } from './slices/pool.js';
import { type SliceOk, TableReader } from './slices/reader.js';

/** Tables at least this big are decoded in slices by worker threads (when there are any). */
const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
const SLICE_BYTES = 1024 * 1024;

export interface TableResult {
  rows: number;
  decoded: number;
  rejected: number;
  bytes: number;
  source?: string;
  extraColumns?: string[];
  /** Rows read with a quote inside an unquoted field kept as text (--lenient-quotes). */
  lenientQuotes?: number;
  rejectCodes?: Record<string, number>;
  error?: { code: string; message: string };
}

export interface TablesOutcome {
  tables: Partial<Record<TableName, TableResult>>;
  references?: ReferenceReport[];
  candidateIds?: IdLookup;
  problems: Problem[];
  refused: boolean;
}

export interface TableHooks {
  record?: (table: TableName, record: TypedRecord) => Promise<void> | void;
  /** Rows a worker thread decoded and encoded to `formats` (given with `record`, it lets big tables be split). */
  encoded?: (table: TableName, rows: EncodedRows) => Promise<void> | void;
  reject?: (reject: Reject) => Promise<void> | void;
  /** Called before a table is read (convert opens its writer here). */
  open?: (table: TableName) => Promise<void> | void;
  close?: (table: TableName) => Promise<void> | void;
}

/** Decodes the given tables one after another; rows read = decoded + rejected for each. */
export async function readTables(
  ex: TalentExport,
  tables: readonly TableName[],
  context: Context,
  hooks: TableHooks = {},
  options: {
    references: boolean;
    failFast: boolean;
    maxRecordBytes?: number | undefined;
    lenientQuotes?: boolean | undefined;
    /** Threads in all, this one included; big tables are split over the others. */
    threads: number;
    /** What `encoded` rows hold. */
    formats?: readonly Format[];
    /** This thread has nothing else to do meanwhile: it may decode slices too (see SlicePool). */
    decodeHere?: boolean;
  },
): Promise<TablesOutcome> {
  const pool = options.threads > 1 ? new SlicePool(options.threads - 1, options.decodeHere) : undefined;
  try {
    return await readAll(ex, tables, context, hooks, options, pool);
  } finally {
    await pool?.close();
  }
}

async function readAll(
  ex: TalentExport,
  tables: readonly TableName[],
  { signal, progress }: Context,
  hooks: TableHooks,
  options: Parameters<typeof readTables>[4],
  pool: SlicePool | undefined,
): Promise<TablesOutcome> {
  const outcome: TablesOutcome = { tables: {}, problems: [], refused: false };
  const checker = options.references ? createReferenceChecker() : undefined;
  // The checker keeps every candidate id already; without it, the ids are gathered here.
  const gathered = checker ? undefined : new IdSet();
  // Referenced tables first: references to a table already read are checked row by row, keeping only key sets.
  const order = REFERENCE_ORDER.filter((t) => tables.includes(t));
  for (const table of order) {
    const source = ex.tables[table];
    if (!source) continue;
    const label = source.entry ? `${source.file}:${source.entry}` : source.file;
    const result: TableResult = { rows: 0, decoded: 0, rejected: 0, bytes: source.bytes, source: label };
    outcome.tables[table] = result;
    const codes: Record<string, number> = {};
    let started: TableReader | undefined;
    try {
      await hooks.open?.(table);
      const onRecord = (record: TypedRecord, rows = 1) => {
        checker?.add(table, record, rows);
        if (gathered && table === 'candidates' && typeof record.candidate_id === 'string') {
          gathered.add(record.candidate_id);
        }
      };
      const onReject = (reject: Reject) => {
        codes[reject.code] = (codes[reject.code] ?? 0) + 1;
        return hooks.reject?.(reject);
      };
      // Rows decoded here: the pure decoder gives a batch per chunk; only a full disk queue makes this wait.
      const items = async (items: Decoded[]) => {
        for (const item of items) {
          if (item.kind === 'record') {
            onRecord(item.record);
            const pending = hooks.record?.(table, item.record);
            if (pending) await pending;
          } else {
            const pending = onReject(item.reject);
            if (pending) await pending;
          }
        }
      };
      // Rows decoded by a worker thread: the columns read here come back as thin records.
      const refColumns = checker
        ? referenceColumns(table)
        : gathered && table === 'candidates'
          ? ['candidate_id']
          : [];
      const thin: TypedRecord = {};
      const slice = async (done: SliceOk) => {
        for (let row = 0; row < done.refCounts.length; row++) {
          for (let k = 0; k < refColumns.length; k++)
            thin[refColumns[k]!] = done.refs[row * refColumns.length + k]!;
          onRecord(thin, done.refCounts[row]!);
        }
        for (const reject of done.rejects) await onReject(reject);
        if (done.encoded) await hooks.encoded?.(table, done.encoded);
        pool?.used(done);
      };
      // Parquet is encoded here from whole records: sending them back from workers cost more than it saved.
      const canSplit =
        hooks.record === undefined ||
        (hooks.encoded !== undefined &&
          options.formats !== undefined &&
          !options.formats.includes('parquet'));
      const parallel =
        pool && canSplit && source.bytes >= PARALLEL_MIN_BYTES
          ? {
              run: (job: SliceJob) => pool.run(job),
              sliceBytes: SLICE_BYTES,
              inFlight: pool.inFlight,
              formats: hooks.record ? (options.formats ?? []) : [],
              refColumns,
            }
          : undefined;
      // Slices are read into the buffers the workers give back.
      const readInto = parallel ? pool?.readBuffer : undefined;
      const stream = await ex.openTable(table, { signal, ...(readInto ? { readInto } : {}) });
      progress.start(table, source.bytes, 'bytes');
      const reader = new TableReader(
        table,
        {
          file: label,
          signal,
          ...(options.maxRecordBytes ? { maxRecordBytes: options.maxRecordBytes } : {}),
          ...(options.lenientQuotes ? { lenientQuotes: true } : {}),
        },
        { items, slice },
        parallel,
      );
      started = reader;
      let bytes = 0;
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        progress.update(bytes);
        await reader.push(chunk);
      }
      await reader.end();
      applyStats(result, reader.stats);
      checker?.complete(table);
      await hooks.close?.(table);
      progress.done(`${result.rows.toLocaleString('en-US')} rows`);
    } catch (error) {
      progress.done();
      if (signal.aborted || options.failFast) throw error;
      // The rows read before the failure still count.
      if (started) applyStats(result, started.stats);
      const e = error as { code?: string; message?: string };
      result.error = { code: String(e.code ?? 'TABLE_UNREADABLE'), message: String(e.message ?? error) };
      outcome.refused = true;
      outcome.problems.push({
        severity: 'problem',
        code: result.error.code,
        message: `${table}: could not be read to the end: ${result.error.message}`,
        file: source.file,
        ...(source.entry ? { entry: source.entry } : {}),
      });
    }
    if (result.lenientQuotes) {
      outcome.problems.push({
        severity: 'notice',
        code: 'QUOTES_LENIENT' satisfies NoticeCode,
        message: `${table}: ${result.lenientQuotes} row(s) read with a quote inside an unquoted field kept as text (--lenient-quotes)`,
        file: source.file,
        ...(source.entry ? { entry: source.entry } : {}),
      });
    }
    if (Object.keys(codes).length > 0) {
      result.rejectCodes = codes;
      const detail = Object.entries(codes)
        .map(([code, n]) => `${code} x${n}`)
        .join(', ');
      outcome.problems.push({
        severity: 'problem',
        code: 'ROWS_REJECTED',
        message: `${table}: ${result.rejected} of ${result.rows} rows rejected (${detail})`,
        file: source.file,
        ...(source.entry ? { entry: source.entry } : {}),
      });
    }
  }
  if (tables.includes('candidates') && outcome.tables.candidates && !outcome.tables.candidates.error) {
    const ids = checker?.keys('candidates', 'candidate_id') ?? gathered;
    if (ids) outcome.candidateIds = ids;
  }
  const complete = tables.every((t) => outcome.tables[t] && !outcome.tables[t]?.error);
  // Reports list tables in their usual order, whatever order they were read in.
  outcome.tables = Object.fromEntries(
    tables.filter((t) => outcome.tables[t]).map((t) => [t, outcome.tables[t]]),
  ) as TablesOutcome['tables'];
  if (checker && complete) {
    outcome.references = checker.finish();
    for (const ref of outcome.references) {
      if (ref.rows === 0) continue;
      outcome.problems.push({
        severity: 'problem',
        code: 'ORPHAN_REFERENCES',
        message: `${ref.check}: ${ref.rows} row(s) refer to missing values (e.g. ${ref.examples.join(', ')})`,
      });
    }
  }
  return outcome;
}

function applyStats(result: TableResult, stats: TableStats): void {
  result.rows = stats.rowsRead;
  result.decoded = stats.rowsDecoded;
  result.rejected = stats.rowsRejected;
  result.bytes = stats.bytes;
  if (stats.extraColumns.length > 0) result.extraColumns = stats.extraColumns;
  if (stats.rowsLenientQuotes > 0) result.lenientQuotes = stats.rowsLenientQuotes;
}

export async function indexAttachments(
  ex: TalentExport,
  { signal, progress }: Context,
  candidateIds: IdLookup | undefined,
  onRecord?: (record: AttachmentRecord) => Promise<void> | void,
): Promise<AttachmentSummary> {
  progress.start('attachments index', 0, 'files');
  const index = ex.indexAttachments({ signal, ...(candidateIds ? { candidateIds } : {}) });
  let n = 0;
  let step = await index.next();
  while (!step.done) {
    n += 1;
    progress.update(n);
    const pending = onRecord?.(step.value);
    if (pending) await pending;
    step = await index.next();
  }
  progress.done();
  return step.value;
}
