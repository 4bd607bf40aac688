// Reads one table either in order on this thread or, for big tables, as slices decoded by worker threads
// while this thread keeps their results in order. A slice's result is used only when it began between two
// records; otherwise (quoting the cut misjudged) its bytes are decoded here, in order, until a cut lines up
// again. Either way the rows, rejects and counts are those of one decoder reading the whole table.
import {
  createTableDecoder,
  DEFAULT_MAX_RECORD_BYTES,
  type Decoded,
  type DecodeOptions,
  type TableDecoder,
  type TableName,
  type TableStats,
} from '@talent-export/schema';
import { RecordSplitter, type Resume, type Slice, shiftReject } from '@talent-export/schema/internal';
import { workerLost } from '../errors.js';
import { addCounts, type Counts, copyCounts, emptyCounts } from './counts.js';
import type { SliceJob, SliceResult } from './decode.js';

export type SliceOk = Extract<SliceResult, { ok: true }>;
export type RunSlice = (job: SliceJob) => Promise<SliceResult>;

export interface ReaderSinks {
  /** Rows decoded on this thread. */
  items(items: Decoded[]): Promise<void> | void;
  /** A slice decoded elsewhere; its rejects already carry their real line numbers. */
  slice(result: SliceOk): Promise<void> | void;
}

export interface ParallelOptions {
  run: RunSlice;
  sliceBytes: number;
  /** Buffers the input is read into, for the rest of a chunk a cut splits (see `RecordSplitter`). */
  readBuffer?: () => Uint8Array;
  /** Slices handed out and not yet taken back. */
  inFlight: number;
  /**
   * Whether a slice handed out waits for a worker still, decoding it here when `now` (see `SlicePool.help`);
   * false when none does.
   */
  help?: (now: boolean) => boolean;
  formats: SliceJob['formats'];
  refColumns: SliceJob['refColumns'];
  sentRefs?: SliceJob['sentRefs'];
  shared?: SliceJob['shared'];
  countColumns?: SliceJob['countColumns'];
  wordColumns?: SliceJob['wordColumns'];
  countChars?: SliceJob['countChars'];
  countGroups?: SliceJob['countGroups'];
  fields?: SliceJob['fields'];
  stage?: SliceJob['stage'];
  asRead?: SliceJob['asRead'];
  exportCsv?: SliceJob['exportCsv'];
}

interface Pending {
  slice: Slice;
  final: boolean;
  result: Promise<SliceResult> | undefined;
  /** The result has come. */
  ready?: boolean;
}

export class TableReader {
  private readonly first: TableDecoder;
  /** The decoder reading in order; undefined while slices go to workers. */
  private decoder: TableDecoder | undefined;
  private readonly splitter: RecordSplitter | undefined;
  /** Where the next slice to take back starts, while in parallel. */
  private at: Resume | undefined;
  private readonly queue: Pending[] = [];
  private readonly counts: Counts = emptyCounts();
  private bytes = 0;
  /** A slice had too many rejects to send back: the rest of the table is decoded in order, here. */
  private inOrder = false;

  constructor(
    private readonly table: TableName,
    private readonly options: DecodeOptions,
    private readonly sinks: ReaderSinks,
    private readonly parallel: ParallelOptions | undefined,
  ) {
    this.first = createTableDecoder(table, options);
    this.decoder = this.first;
    // A record over the cap stops the table as it grows, as when decoded in order, not once 8 slices of it
    // are held: a table smaller than that was read to its end (or to its bytes' own error) first.
    const cap = Math.max(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, parallel?.sliceBytes ?? 0);
    this.splitter = parallel
      ? new RecordSplitter(parallel.sliceBytes, Math.min(parallel.sliceBytes * 8, cap), parallel.readBuffer)
      : undefined;
  }

  /** Counts so far, as one decoder would give them. */
  get stats(): TableStats {
    const own = this.decoder && this.decoder !== this.first ? this.decoder.stats : undefined;
    const first = this.first.stats;
    const all = copyCounts(this.counts);
    addCounts(all, first);
    if (own) addCounts(all, own);
    return {
      ...first,
      ...all,
      emptyColumns: all.emptyColumns ?? first.emptyColumns,
      bytes: Math.max(this.bytes, first.bytes),
    };
  }

  async push(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    if (!this.splitter) return this.sinks.items(this.first.push(chunk));
    for (const slice of this.splitter.push(chunk)) await this.take(slice, false);
  }

  /** Settles every slice handed out so far, in order (its rows reach the sinks; a failure is thrown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.settle(this.queue.shift()!);
  }

  async end(): Promise<void> {
    if (this.splitter) for (const slice of this.splitter.end()) await this.take(slice, true);
    await this.drain();
    if (this.decoder) await this.sinks.items(this.decoder.end());
  }

  private async take(whole: Slice, final: boolean): Promise<void> {
    const parallel = this.parallel!;
    const slice = whole.offset === 0 ? await this.headerHere(whole) : whole;
    const dispatch = this.at !== undefined && slice.cut;
    const result = dispatch ? parallel.run(this.job(slice, final, parallel)) : undefined;
    const pending: Pending = { slice, final, result };
    result?.then(() => {
      pending.ready = true;
    });
    this.queue.push(pending);
    while (this.queue.length > (dispatch ? parallel.inFlight : 0)) await this.settle(this.queue.shift()!);
  }

  /**
   * The table's first lines, up to its header, decoded here; the rest of the first slice as a slice of its
   * own, to be decoded elsewhere. Decoded here whole, the first slice of every table (a megabyte of rows,
   * tallied) held up this thread while the workers waited. The whole slice when its first lines are not
   * plain enough to tell where the header ends: it is then decoded here, as before.
   */
  private async headerHere(slice: Slice): Promise<Slice> {
    const first = slice.parts[0];
    if (!slice.cut || first === undefined || this.decoder !== this.first) return slice;
    let at = 0;
    // A BOM, a `sep=` line, then the header: three lines at most.
    for (let line = 0; line < 3 && this.first.resume === undefined; line++) {
      const end = plainLineEnd(first, at);
      if (end < 0) break;
      await this.sinks.items(this.first.push(first.subarray(at, end)));
      at = end;
    }
    if (at === 0) return slice;
    const rest = {
      ...slice,
      offset: slice.offset + at,
      parts: [first.subarray(at), ...slice.parts.slice(1)],
    };
    const resume = this.first.resume;
    // Else the rest is read on here, in order, by the decoder that has the lines before it.
    if (resume !== undefined && resume.offset === rest.offset && at < slice.length) {
      this.at = resume;
      this.decoder = undefined;
    }
    return { ...rest, length: slice.length - at };
  }

  private job(slice: Slice, final: boolean, parallel: ParallelOptions): SliceJob {
    return {
      table: this.table,
      file: this.options.file,
      maxRecordBytes: this.options.maxRecordBytes,
      lenientQuotes: this.options.lenientQuotes,
      ...(this.options.extraNames ? { extraNames: this.options.extraNames } : {}),
      header: this.at!.header,
      ...(this.at!.quotedHeader ? { quotedHeader: true } : {}),
      ...(this.at!.blankTail ? { blankTail: this.at!.blankTail } : {}),
      offset: slice.offset,
      parts: slice.parts,
      final,
      formats: parallel.formats,
      refColumns: parallel.refColumns,
      ...(parallel.sentRefs ? { sentRefs: parallel.sentRefs } : {}),
      ...(parallel.shared ? { shared: parallel.shared } : {}),
      ...(parallel.countColumns ? { countColumns: parallel.countColumns } : {}),
      ...(parallel.wordColumns ? { wordColumns: parallel.wordColumns } : {}),
      ...(parallel.countChars ? { countChars: parallel.countChars } : {}),
      ...(parallel.countGroups ? { countGroups: parallel.countGroups } : {}),
      ...(parallel.fields ? { fields: parallel.fields } : {}),
      ...(parallel.stage ? { stage: parallel.stage } : {}),
      ...(parallel.asRead ? { asRead: parallel.asRead } : {}),
      ...(parallel.exportCsv ? { exportCsv: parallel.exportCsv } : {}),
    };
  }

  private async settle(pending: Pending): Promise<void> {
    const { slice, final, result } = pending;
    // Rather than wait on the workers, this thread decodes what waits for one, but only when it has
    // nothing else to do: a turn of the event loop that ran nothing else (no attachment index, no other
    // table's reading). Busy elsewhere, it would take work the workers would have done and hold up its own.
    const help = this.parallel?.help;
    while (result && help && !pending.ready) {
      const start = performance.now();
      await nextTurn();
      if (pending.ready || !help(performance.now() - start < QUIET_MS)) break;
    }
    const done = result ? await result : undefined;
    if (done && !done.ok && done.tooManyRejects) this.inOrder = true;
    if (this.decoder === undefined && done?.ok && this.at) {
      for (let i = 0; i < done.rejects.length; i++)
        done.rejects[i] = shiftReject(done.rejects[i]!, this.at.line - 1);
      addCounts(this.counts, done);
      this.at = { ...this.at, offset: slice.offset + slice.length, line: this.at.line + done.lines };
      await this.sinks.slice(done);
      if (final) this.at = undefined;
      return;
    }
    // In order on this thread: from where the last usable result ended, or carrying on as before.
    if (this.decoder === undefined) {
      this.decoder = createTableDecoder(this.table, { ...this.options, continueAt: this.at! });
      // Nothing more is handed out until a cut lines up with the records again.
      this.at = undefined;
    }
    const decoder = this.decoder;
    for (const part of this.bytesOf(slice, done)) await this.sinks.items(decoder.push(part));
    if (final || !slice.cut) return;
    const resume = decoder.resume;
    if (resume === undefined) {
      // At a cut the decoder is between records or inside a quoted field; if inside, the quote count
      // that placed the cut was misled, and the bytes not cut yet begin in quotes too.
      if (this.queue.length === 0 && decoder.header !== undefined) this.splitter?.startsInQuotes();
      return;
    }
    // Between two records again: the following slices can be decoded elsewhere (unless rejects crowd them).
    if (this.inOrder) return;
    this.at = resume;
    if (decoder !== this.first) addCounts(this.counts, decoder.stats);
    this.decoder = undefined;
  }

  /** The slice's bytes: kept here, or handed over and given back with the result. */
  private bytesOf(slice: Slice, done: SliceResult | undefined): readonly Uint8Array[] {
    const parts = done?.parts ?? slice.parts;
    let length = 0;
    for (const part of parts) length += part.length;
    if (length === slice.length) return parts;
    const why = done?.ok === false ? done.why : 'no result';
    const cause = (done as { cause?: unknown } | undefined)?.cause;
    throw workerLost(`bytes ${slice.offset} to ${slice.offset + slice.length}`, why, cause, this.table);
  }
}

const LF = 0x0a;
const QUOTE = 0x22;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A turn of the event loop this short ran nothing but the waiting reader (some 50 us here). */
const QUIET_MS = 0.5;

/** Where the line from `at` ends (past its line feed, outside quotes), or -1 when it does not end in `bytes`. */
function plainLineEnd(bytes: Uint8Array, at: number): number {
  let quoted = false;
  for (let i = at; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) quoted = !quoted;
    else if (byte === LF && !quoted) return i + 1;
  }
  return -1;
}
