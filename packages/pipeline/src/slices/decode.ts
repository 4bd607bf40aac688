// One slice of a table, decoded on its own: the work a worker thread does. Pure, so tests run it in-process.
import {
  createTableDecoder,
  type Decoded,
  numericId,
  type Reject,
  SCHEMAS,
  type TableName,
  type TypedRecord,
  type Value,
} from '@talent-export/schema';
import type { MissingReferences, MissingRows, Resume, SharedCheck } from '@talent-export/schema/internal';
import type { EncodedRows, Format } from '@talent-export/writers';
import { checkValue, type PiecePool, RowEncoder, TextBytes } from '@talent-export/writers/internal';
import { type RecordTransform, type StageSpec, stagedRecord } from '../stage.js';
import { addNameWords } from '../words.js';
import { type SliceCounts, sliceCounts } from './counts.js';

export interface SliceJob {
  table: TableName;
  file: string | undefined;
  maxRecordBytes: number | undefined;
  lenientQuotes?: boolean | undefined;
  /** Names for extra columns (see `DecodeOptions.extraNames`). */
  extraNames?: Readonly<Record<string, string>>;
  header: readonly string[];
  /** The header was quoted throughout (see `Resume.quotedHeader`). */
  quotedHeader?: boolean;
  /** How many cells end the header empty as the file wrote it (see `Resume.blankTail`). */
  blankTail?: number;
  /** Byte offset of the slice in the table file. */
  offset: number;
  /** The slice's bytes, in the pieces they were read in: each piece's rows are encoded and let go in turn. */
  parts: readonly Uint8Array[];
  /** The table's last bytes: the decoder is ended after them. */
  final: boolean;
  /** Formats to encode the records to; none to only count and check them. */
  formats: readonly Format[];
  /** Columns the reference checks read (see `referenceColumns`); their values come back flat. */
  refColumns: readonly string[];
  /**
   * With `shared`: the columns of `refColumns` whose values come back (the table's keys and the checks not
   * run here); the shared checks' findings come back as `missing`.
   */
  sentRefs?: readonly string[];
  /**
   * The table's reference checks run where the slice is decoded (`ReferenceChecker.shareChecks`): sent to
   * a worker once per table with `checks`, then named by `id` alone (see `SlicePool.run`).
   */
  shared?: { id: number; checks?: readonly SharedCheck[] };
  /**
   * Columns whose value combinations are counted (`ReadOptions.count`), tallied apart from the references:
   * together, the references' ids made every combination one of its own.
   */
  countColumns?: readonly string[];
  /** Per `countColumns`, the characters of its text counted (0: the whole value; see `CountColumn`). */
  countChars?: readonly number[];
  /** The combinations counted, each apart, as indexes into `countColumns` (see `Counted.groups`); one of all when not given. */
  countGroups?: readonly (readonly number[])[];
  /** The only columns records hold (the stage's and the references'); all when not given. */
  fields?: readonly string[];
  /** The record stage, loaded by whoever decodes the slice (see `decodeSlice`'s `transform`). */
  stage?: StageSpec;
  /** Columns the stage never changes (`StageSpec.passThrough`) that nothing here reads: kept as bytes for NDJSON. */
  asRead?: readonly string[];
  /** `csv` in the export's own shape (see `ReadOptions.exportCsv`), keeping these extra columns. */
  exportCsv?: { keepExtra: readonly string[] };
  /** Columns whose words are hashed (see `ReadOptions.words`). */
  wordColumns?: readonly string[];
}

export type SliceResult =
  | (SliceCounts & {
      ok: true;
      /** Lines the slice spans: rejects and the next slice are that many lines further down. */
      lines: number;
      /** Records the stage dropped (counted in `rowsDecoded` too). */
      rowsDropped: number;
      /** Lines here are counted from 1 at the slice start (see `shiftReject`). */
      rejects: Reject[];
      /**
       * The distinct combinations of `refColumns` values among the decoded rows, one after another, and
       * how many rows had each: far less to send back than a value per row. Ids that spell a number come
       * as that number (`numericId`).
       */
      refs: Value[];
      refCounts: number[];
      /** What the shared checks found (see `SliceJob.shared`). */
      missing?: MissingRows[];
      /**
       * The same for each group of `countColumns` (see `countGroups`), when given; each value as a code into
       * `countedValues`, the slice's distinct values (a project or a state in thousands of combinations
       * crosses threads once).
       */
      counted?: Uint32Array[];
      countedValues?: Value[];
      countedRows?: number[][];
      /** The distinct hashes of the words of `wordColumns` (see `addNameWords`). */
      words?: Uint32Array;
      encoded: EncodedRows | undefined;
      /**
       * The slice's bytes, given back when they were handed over: read into again once the result is
       * used, or decoded in order when it is not (a slice behind one that was not usable).
       */
      parts?: readonly Uint8Array[];
    })
  /**
   * Not usable: the slice does not end between records (quoting the cut misjudged), or decoding threw.
   * `parts`: the slice's bytes, given back when they were handed over (see `wholeBuffers`).
   */
  | { ok: false; why: string; parts?: readonly Uint8Array[]; tooManyRejects?: true };

/**
 * The buffers that views fill entirely, each once: these can be handed to another thread (transferred)
 * instead of copied; a buffer shared with other bytes (e.g. a chunk cut between two slices) cannot.
 */
export function wholeBuffers(
  views: Iterable<Uint8Array>,
  /** Buffers no other view outside `views` shares (see `SlicePool.readBuffer`): handed over however cut. */
  own?: WeakSet<ArrayBuffer>,
): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) {
    const buffer = view.buffer;
    if (!(buffer instanceof ArrayBuffer)) continue;
    if (own?.has(buffer) || (view.byteOffset === 0 && view.byteLength === buffer.byteLength))
      buffers.add(buffer);
  }
  return [...buffers];
}

/**
 * Rejected rows a slice may send back. Past it the slice is "not usable" and decoded in order by the
 * caller, whose rejects go out as they are found (with back-pressure from their writer): a table of
 * millions of rejected two-byte rows otherwise held every slice in flight's rejects at once (4.7M rows:
 * 2.8 GB with 2 threads against 150 MB with one).
 */
export const MAX_SLICE_REJECTS = 2048;

/** Combinations of reference values compared with each row before a key is built (see `tally`). */
const RECENT = 4;
/** Distinct combinations a slice finds before it stops looking them up, if they are most of its rows (see `tally`). */
const DISTINCT_AFTER = 256;

/**
 * `pool`: where the encoder's pieces come from (see `PiecePool`); `transform`: the job's stage, loaded;
 * `checks`: the job's shared checks, loaded.
 */
export function decodeSlice(
  job: SliceJob,
  pool?: PiecePool,
  transform?: RecordTransform,
  checks?: MissingReferences,
): SliceResult {
  // Findings of a slice that failed part way are not this one's.
  checks?.take();
  // The decoder writes NDJSON itself, from the CSV bytes; records are encoded only for the other formats,
  // and with no other format (or none at all: validate) they hold just the columns read here (references,
  // counts). A stage changes the records: with NDJSON alone and columns it passes through, the decoder
  // still writes the lines, those columns from the bytes and the others from what the stage gives (see
  // `DecodeOptions.lineStage`); otherwise every format is encoded from what it gives, and checked. It gets
  // whole records unless it names its columns (`fields`).
  const spliced = transform !== undefined && job.asRead !== undefined && onlyNdjson(job.formats);
  const lines = job.formats.includes('ndjson') && (!transform || spliced) ? new TextBytes(pool) : undefined;
  const others = job.formats.filter((format) => format !== 'ndjson' || (transform && !spliced));
  let dropped = 0;
  const schema = SCHEMAS[job.table].fields;
  const changed = spliced ? schema.filter((field) => !job.asRead!.includes(field.name)) : [];
  const where = { table: job.table, row: 0 };
  const thin =
    others.length === 0 && !transform
      ? [...new Set([...job.refColumns, ...(job.countColumns ?? []), ...(job.wordColumns ?? [])])]
      : undefined;
  const words = job.wordColumns?.length ? new Set<number>() : undefined;
  const wordAt = (job.wordColumns ?? []).map((name) => thin?.indexOf(name) ?? -1);
  const refAt = job.refColumns.map((name) => thin?.indexOf(name) ?? -1);
  // Counted ids are tallied as numbers where they spell one, and go out as their text; cut ones stay text.
  const cutColumns = (job.countColumns ?? []).filter((_, k) => (job.countChars?.[k] ?? 0) > 0);
  const countedIds = (job.countColumns ?? []).map(
    (name) => thin !== undefined && schema.some((field) => field.name === name && field.type === 'id'),
  );
  const countAt = (job.countColumns ?? []).map((name) => thin?.indexOf(name) ?? -1);
  const countGroups = job.countColumns ? (job.countGroups ?? [job.countColumns.map((_, k) => k)]) : [];
  const groupAt = countGroups.map((group) => group.map((k) => countAt[k]!));
  // Checks run here whose table sends no keys back (the tables that only refer to others, the biggest):
  // each row is checked as it comes, and no combination is counted for it.
  const checkRow =
    checks !== undefined && thin !== undefined && job.sentRefs?.length === 0
      ? checks.rowChecker(thin)
      : undefined;
  const fieldRows = (values: readonly Value[]) => {
    if (checkRow) checkRow(values);
    else if (refs.width > 0) refs.addFrom(values, refAt);
    for (let g = 0; g < counts.length; g++) counts[g]!.addFrom(values, groupAt[g]!);
    if (words) for (const at of wordAt) addNameWords(values[at], words);
  };
  /** A decoded record tallied (references and counts are those of the input), then through the stage. */
  const staged = (record: TypedRecord): TypedRecord | null => {
    if (refs.width > 0) refs.add(record);
    for (const group of counts) group.add(record);
    if (words) for (const name of job.wordColumns!) addNameWords(record[name], words);
    const out = transform ? stagedRecord(transform(job.table, record)) : record;
    if (out === null) dropped += 1;
    return out;
  };
  const lineStage = (record: TypedRecord): TypedRecord | null => {
    const out = staged(record);
    where.row += 1;
    if (out !== null) for (const field of changed) checkValue(field, out[field.name], where);
    return out;
  };
  const decoder = createTableDecoder(job.table, {
    ...(job.file === undefined ? {} : { file: job.file }),
    ...(job.maxRecordBytes === undefined ? {} : { maxRecordBytes: job.maxRecordBytes }),
    ...(job.lenientQuotes ? { lenientQuotes: true } : {}),
    ...(job.extraNames ? { extraNames: job.extraNames } : {}),
    // The export's shape writes a value left as decoded as its cell was written.
    ...(job.exportCsv && others.includes('csv') ? { cellTexts: true } : {}),
    continueAt: {
      header: job.header,
      offset: job.offset,
      line: 1,
      ...(job.quotedHeader ? { quotedHeader: true } : {}),
      ...(job.blankTail ? { blankTail: job.blankTail } : {}),
    },
    ...(lines ? { jsonLines: lines } : {}),
    ...(spliced ? { lineStage: { asRead: job.asRead!, transform: lineStage } } : {}),
    ...(job.fields ? { fields: job.fields } : {}),
    // Nothing takes the records (no stage, no format encoded from them): the columns read here come as
    // values, and no object is made per row.
    // Ids read only for the reference checks go to the main thread as numbers (see `asNumbers`): made
    // numbers here, no string is made for them.
    // Counted ids too, made text again once per distinct value (see `coded`).
    ...(thin
      ? { fields: thin, fieldRows, numericIds: thin.filter((name) => !cutColumns.includes(name)) }
      : {}),
    // Counted times cut to a month are made a month at once, never the whole time's text.
    ...(thin && !lines && cutColumns.length > 0 ? { cutTimes: cutTimesOf(job) } : {}),
  });
  const encoder =
    others.length > 0
      ? new RowEncoder(job.table, schema, others, {
          decoded: !transform,
          ...(pool ? { pool } : {}),
          ...(job.exportCsv ? { exportCsv: { header: job.header, keepExtra: job.exportCsv.keepExtra } } : {}),
        })
      : undefined;
  const rejects: Reject[] = [];
  const refs = new Combinations(job.refColumns);
  const counts = countGroups.map(
    (group) =>
      new Combinations(
        group.map((k) => job.countColumns![k]!),
        group.map((k) => job.countChars?.[k] ?? 0),
        thin !== undefined,
      ),
  );
  /** False once the slice has too many rejects to send back. */
  const take = (items: Decoded[]): boolean => {
    for (const item of items) {
      if (item.kind === 'reject') {
        rejects.push(item.reject);
        if (rejects.length > MAX_SLICE_REJECTS) return false;
      } else if (!spliced) {
        const record = staged(item.record);
        if (record !== null) encoder?.add(record, item);
      }
    }
    return true;
  };
  const tooMany = {
    ok: false as const,
    why: 'too many rejected rows to send back',
    tooManyRejects: true as const,
  };
  for (const part of job.parts) if (!take(decoder.push(part))) return tooMany;
  if (job.final && !take(decoder.end())) return tooMany;
  const next: Resume | undefined = decoder.resume;
  if (next === undefined) return { ok: false, why: 'the slice does not end between records' };
  const stats = decoder.stats;
  let encoded: EncodedRows | undefined;
  if (job.formats.length > 0) {
    encoded = encoder?.finish() ?? {
      rows: stats.rowsDecoded - dropped,
      extraColumns: stats.rowsDecoded > dropped ? stats.extraColumns : [],
    };
    if (lines) encoded.ndjson = lines.take();
  }
  return {
    ok: true,
    lines: next.line - 1,
    ...sliceCounts(stats),
    rowsDropped: dropped,
    rejects,
    ...sentRefs(job, asNumbers(refs.values), refs.rows, checks),
    ...(counts.length > 0
      ? {
          ...coded(
            counts.map((group) => group.values),
            countGroups.map((group) => group.map((k) => countedIds[k]!)),
          ),
          countedRows: counts.map((group) => group.rows),
        }
      : {}),
    ...(words ? { words: Uint32Array.from(words) } : {}),
    encoded,
  };
}

/**
 * The references a slice sends back: with shared checks, run here over every combination, only the
 * columns the checker still reads (the table's keys), and what the checks found.
 */
function sentRefs(
  job: SliceJob,
  values: Value[],
  rows: number[],
  checks: MissingReferences | undefined,
): { refs: Value[]; refCounts: number[]; missing?: MissingRows[] } {
  if (!job.shared || !job.sentRefs) return { refs: values, refCounts: rows };
  if (!checks) throw new Error(`the shared reference checks of ${job.table} were not loaded`);
  checks.addRows(job.refColumns, values, rows);
  const missing = checks.take();
  const width = job.refColumns.length;
  const at = job.sentRefs.map((name) => job.refColumns.indexOf(name));
  if (at.length === 0) return { refs: [], refCounts: [], missing };
  const refs: Value[] = [];
  for (let base = 0; base < values.length; base += width) for (const k of at) refs.push(values[base + k]!);
  return { refs, refCounts: rows, missing };
}

/** A text's first `chars` characters (all of it for 0); other values as they are. */
export const cutValue = (value: Value, chars: number): Value =>
  chars > 0 && typeof value === 'string' && value.length > chars ? value.slice(0, chars) : value;

/**
 * Ids that spell a number go to the main thread as that number (see `numericId`): a string made there for
 * each of the hundreds of thousands of ids a big export's slices send cost more time in garbage collection
 * than the reference checks themselves.
 */
function asNumbers(values: Value[]): Value[] {
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (typeof value !== 'string') continue;
    const n = numericId(value);
    if (n !== undefined) values[k] = n;
  }
  return values;
}

/**
 * Each group's values as codes into their distinct ones (see `SliceResult.counted`), ids read as numbers
 * made the text they were read from, once each (`ids[g][k]`: column k of group g's combinations holds
 * ids). A list is told apart by reference: the decoder gives the same array for the same text
 * (`DecodeOptions.fieldRows`), and one seen twice only costs a second copy.
 */
function coded(
  groups: readonly (readonly Value[])[],
  ids: readonly (readonly boolean[])[],
): { counted: Uint32Array[]; countedValues: Value[] } {
  // Ids as numbers apart from other numbers, which stay numbers.
  const codes = new Map<Value, number>();
  const idCodes = new Map<number, number>();
  const countedValues: Value[] = [];
  const counted = groups.map((values, g) => {
    const out = new Uint32Array(values.length);
    const idAt = ids[g]!;
    for (let k = 0; k < values.length; k++) {
      const value = values[k]!;
      const id = typeof value === 'number' && idAt[k % idAt.length] === true;
      const map: Map<Value, number> = id ? idCodes : codes;
      let code = map.get(value);
      if (code === undefined) {
        code = countedValues.length;
        map.set(value, code);
        countedValues.push(id ? String(value) : value);
      }
      out[k] = code;
    }
    return out;
  });
  return { counted, countedValues };
}

/** The counted columns cut to some characters (see `CountColumn`), as `cutTimes` takes them. */
function cutTimesOf(job: SliceJob): Record<string, number> {
  const out: Record<string, number> = {};
  job.countColumns?.forEach((name, k) => {
    const chars = job.countChars?.[k] ?? 0;
    if (chars > 0) out[name] = chars;
  });
  return out;
}

/** The distinct combinations of some columns' values among the rows added, and how many rows had each. */
class Combinations {
  readonly values: Value[] = [];
  readonly rows: number[] = [];
  readonly width: number;
  /**
   * Where each combination is: a map a column deep, keyed by that column's values (lists by their JSON
   * text). A key string made of the whole combination cost more than the rest of the reference checks.
   */
  readonly #index = new Map<unknown, unknown>();
  readonly #current: Value[];
  /** The combination of the last row, and whether this row's values differ from it. */
  #last = -1;
  #changed = true;
  // Rows of one candidate come together, alternating among a few projects: most rows repeat one of the
  // last few combinations, found without a lookup.
  // A ring: moving the others along for each new one (unshift) cost more than the lookups it spared.
  readonly #recent = new Int32Array(RECENT).fill(-1);
  #nextRecent = 0;
  // Where most rows are a combination of their own (a table's own ids), looking them up costs more than
  // it saves: they are sent as they are.
  #added = 0;
  #lookUp = true;

  constructor(
    private readonly columns: readonly string[],
    private readonly chars?: readonly number[],
    /**
     * Lists come from `fieldRows`, the same array for the same text while it repeats: keyed by the array
     * itself, not its JSON text (made for nearly every row, it doubled the cost of counting channels). A
     * list met again as another array is one more combination, merged by whoever adds them up.
     */
    private readonly listsAlike = false,
  ) {
    this.width = columns.length;
    this.#current = new Array(this.width).fill(null);
  }

  add(record: TypedRecord): void {
    for (let k = 0; k < this.width; k++) this.#put(k, record[this.columns[k]!] ?? null);
    this.#tally();
  }

  /** `add` from a row's values: this combination's column `k` is `values[at[k]]`. */
  addFrom(values: readonly Value[], at: readonly number[]): void {
    for (let k = 0; k < this.width; k++) this.#put(k, values[at[k]!] ?? null);
    this.#tally();
  }

  #put(k: number, value: Value): void {
    const chars = this.chars?.[k];
    const next = chars ? cutValue(value, chars) : value;
    if (next !== this.#current[k]) {
      this.#current[k] = next;
      this.#changed = true;
    }
  }

  #tally(): void {
    const { width, values, rows } = this;
    const current = this.#current;
    this.#added += 1;
    if (!this.#lookUp) {
      rows.push(1);
      for (const value of current) values.push(value);
      return;
    }
    if (!this.#changed && this.#last >= 0) {
      rows[this.#last]! += 1;
      return;
    }
    this.#changed = false;
    const recent = this.#recent;
    for (let r = 0; r < RECENT; r++) {
      const at = recent[r]!;
      if (at < 0) break;
      let k = 0;
      while (k < width && values[at * width + k] === current[k]) k++;
      if (k === width) {
        rows[at]! += 1;
        this.#last = at;
        return;
      }
    }
    let level = this.#index;
    for (let k = 0; k < width - 1; k++) {
      const key = this.listsAlike ? current[k] : keyOf(current[k]!);
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (next === undefined) level.set(key, (next = new Map()));
      level = next;
    }
    const lastKey = this.listsAlike ? current[width - 1] : keyOf(current[width - 1]!);
    let at = level.get(lastKey) as number | undefined;
    if (at === undefined) {
      at = rows.length;
      level.set(lastKey, at);
      rows.push(0);
      for (const value of current) values.push(value);
      if (at >= DISTINCT_AFTER && at * 2 > this.#added) this.#lookUp = false;
    }
    rows[at]! += 1;
    this.#last = at;
    recent[this.#nextRecent] = at;
    this.#nextRecent = (this.#nextRecent + 1) % RECENT;
  }
}

/** A value as a map key: lists (a new array each row) by their JSON text; a column holds lists or none. */
const keyOf = (value: Value): unknown =>
  typeof value === 'object' && value !== null ? JSON.stringify(value) : value;

const onlyNdjson = (formats: readonly Format[]) => formats.length === 1 && formats[0] === 'ndjson';

/** `decodeSlice`, a throw made "not usable": the slice is decoded again in order, where an error gets its real line. */
export function trySlice(
  job: SliceJob,
  pool?: PiecePool,
  transform?: RecordTransform,
  checks?: MissingReferences,
): SliceResult {
  try {
    return decodeSlice(job, pool, transform, checks);
  } catch (error) {
    return { ok: false, why: String((error as Error)?.message ?? error) };
  }
}
