// openZip: the archive handle. Finds the central directory, checks that no two entries share bytes, walks
// the directory lazily and hands out checked entry streams.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { hiddenFileName } from '@talent-export/errors';
import { blankRecord, DirectoryCursor, DirectoryError, parseRecord, readWhole } from './central.js';
import { classifyOpenError, sniff } from './classify.js';
import { cutBytes, cutEntryOf, unreadableCut, type ZipCutEntry } from './cut.js';
import { checkOneDisk, type Directory, endFurtherBack, locateDirectory } from './end.js';
import {
  EntryChecker,
  emptyDeflatedNotice,
  type Located,
  otherTypeTo,
  ROOT_FOLDER,
  Skipped,
  typeWords,
  YieldedEntry,
  type ZipEntry,
} from './entry.js';
import { aborted, type Problem, problem, readProblem, truncated, ZipError } from './errors.js';
import { ZipFile } from './file.js';
import { DESCRIPTOR_SIGNATURE, ENCRYPTED_FLAGS, LOCAL_SIGNATURE } from './format.js';
import { DeflateEndedEarly, inflater, inflatesWhole, inflateWhole, RawInflate, untaken } from './inflate.js';
import { fill, repack } from './into.js';
import { checkLayout, type Layout, limitOf } from './layout.js';
import { localMismatch, needsZip64Field } from './local.js';
import { EntryMeter, type MeterSpec, TotalMeter } from './meter.js';
import { checkName, localUnicodePath, sameFile, visibleName } from './names.js';
import { MAX_NOTICES_KEPT, type NoticeDraft, notice, type ZipNotice } from './notices.js';
import { type NormalizedOptions, normalizeOptions, type ZipOptions } from './options.js';
import { type CutHeader, type Salvage, salvageEntries } from './salvage.js';
import { ReadWindow } from './window.js';
import { XL_FOLDER, XL_REGULAR, xlType } from './xl.js';

export interface OpenStreamOptions {
  /** The compressed bytes exactly as stored (checked for length; for stored entries also CRC-32). */
  raw?: boolean;
  signal?: AbortSignal;
}

/** A file cut short, opened with the entries whole before the cut (see `ZipOptions.truncated`). */
export interface ZipTruncation {
  /** The file's size in bytes. */
  size: number;
  /** Where its last whole entry ends (0: none is whole); the bytes after it are lost or cut. */
  wholeEnd: number;
  /** Entries found whole by their local headers: the archive's entries. */
  recovered: number;
  /** Where the entry the end of the file cuts starts, when the file ends in one. */
  cutAt: number | undefined;
  /**
   * That entry, when its local header is whole and names it safely: not one of the archive's entries (it
   * cannot be checked), but its bytes before the cut can be read with `openCutEntry`.
   */
  cutEntry: ZipCutEntry | undefined;
  /**
   * The file ends in its central directory (the list of its entries, after them all): every entry is
   * whole, only the directory is lost. False when it ends in an entry (`cutAt`), right after a whole one,
   * or in bytes that are no entry.
   */
  inDirectory: boolean;
  /** What is wrong and what was found, in words (a ZIP_TRUNCATED message's). */
  detail: string;
}

export interface ZipArchive {
  readonly path: string;
  /**
   * Set when the file is cut short and was opened with `truncated: 'salvage'`: its entries are those whole
   * before the cut, walked from the start by their local headers. Undefined for a whole archive.
   */
  readonly truncated: ZipTruncation | undefined;
  /** Entry count from the end record (the zip64 one when present). */
  readonly entryCount: number;
  /**
   * Lazy walk of the central directory, one record at a time. May be called once per open archive (and
   * not beside entryBatches()).
   */
  entries(): AsyncIterableIterator<ZipEntry>;
  /**
   * The same walk, a batch of up to 256 entries at a time: a caller that handles entries synchronously
   * pays one promise per batch, not per entry.
   * Entries before a refusal that ends the walk (onRefused 'throw') come in a batch before the error.
   */
  entryBatches(): AsyncIterableIterator<readonly ZipEntry[]>;
  /**
   * Entries refused during the walk (with onRefused 'skip' they were not yielded): the first
   * `MAX_REFUSED_KEPT`; `refusedCount` counts them all.
   */
  readonly refused: ZipError[];
  readonly refusedCount: number;
  /**
   * Oddities accepted, as established readers accept them (bytes before or after the archive, names that
   * are not plausible CP437, ...): the first `MAX_NOTICES_KEPT`; `noticeCount` counts them all. Notices
   * about the whole archive are there once it is open; the rest appear as the walk reaches them.
   */
  readonly notices: ZipNotice[];
  readonly noticeCount: number;
  openStream(entry: ZipEntry, options?: OpenStreamOptions): Promise<Readable>;
  /**
   * The bytes of `truncated.cutEntry` before the cut, inflated as far as they go: the start of the file
   * it held, never checked whole (no CRC-32 or size can be), capped as an entry's reading is. Its last
   * bytes are most likely the middle of something (a row, a line): the caller decides what of it to use.
   * Throws ZIP_BAD_OPTION when there is no such entry, ZIP_ENCRYPTED or ZIP_UNSUPPORTED_METHOD when its
   * bytes cannot be read.
   */
  openCutEntry(options?: { signal?: AbortSignal }): Promise<Readable>;
  /**
   * Reads an entry through without handing out its bytes, checking all that `openStream` checks (local
   * header, size, CRC-32, caps); resolves with the bytes checked, throws the ZipError a stream would.
   * Far cheaper than a stream per entry for the many small files of a big archive read front to back.
   */
  verify(entry: ZipEntry, options?: { signal?: AbortSignal }): Promise<number>;
  /**
   * `verify` answered at once, when the entry's bytes are in memory already (read ahead while verifying the
   * entries before it, as a part of small files read front to back mostly is): the bytes checked, or
   * undefined when they are not there (or a `verify` is under way): then call `verify`. Throws what
   * `verify` would reject with. Without a promise per entry, checking 345,000 small files took half the time.
   */
  verifyHeld(entry: ZipEntry): number | undefined;
  /**
   * An entry's compressed bytes exactly as stored, for copying into another archive, served from a
   * read-ahead window instead of a stream per entry. Checks what `openStream(entry, { raw: true })` checks
   * (local header against the central record, no overlap, size) and throws the same ZipError from the loop,
   * except the CRC-32 of stored entries: the bytes are copied, not used, and the CRC-32 goes with them.
   * Each chunk is a view valid only until the next one is asked for (or the archive closes): copy it
   * before then. One entry at a time: finish (or break out of) one loop before starting the next.
   */
  readRaw(entry: ZipEntry, options?: { signal?: AbortSignal }): AsyncGenerator<Buffer, void, undefined>;
  /**
   * An entry's bytes (inflated), checked as `openStream` checks them, written into buffers from `take`:
   * each is handed on once full (the last one in part), and the next is taken only after the loop has
   * asked for more. A reader that gets its buffers back reads a big entry leaving no garbage: a stream
   * makes a new buffer of every 64 KiB it inflates.
   */
  readInto(
    entry: ZipEntry,
    take: () => Uint8Array,
    options?: { signal?: AbortSignal },
  ): AsyncGenerator<Uint8Array, void, undefined>;
  close(): Promise<void>;
}

/**
 * Refusals kept as errors: a hostile archive may hold millions of entries refused alike, and an error
 * each (with its stack) took ~1 KB: 300,000 duplicate names took a walk to 450 MB.
 */
export const MAX_REFUSED_KEPT = 100;

/**
 * Entries a batch holds at most. A batch of a whole directory piece (~10,000 entries) outlived
 * young-generation collections, which then copied and promoted every entry: more CPU than the promises saved.
 */
const BATCH = 256;

/** What fill() stopped for. */
type Step = number;
const FULL = 0;
const READ = 1;
const REPLAY = 2;
const END = 3;
const FAILED = 4;

/** Where a walk of the directory is, between batches. */
class WalkState {
  /** One record parsed into again and again: the checker keeps nothing of it. */
  readonly record = blankRecord();
  batch: YieldedEntry[] = [];
  waiting: YieldedEntry | undefined = undefined;
  waitingAt = 0;
  seen = 0;
  /** The read the cursor asked for (READ), and what it answered, for the next fill(). */
  read: Promise<boolean> | undefined = undefined;
  more: boolean | undefined = undefined;
  /** The record parsed last is to be checked again (after REPLAY). */
  recheck = false;
  failure: ZipError | undefined = undefined;

  constructor(readonly cursor: DirectoryCursor) {}

  take(): YieldedEntry[] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }
}

/**
 * The least a local extra field worth reading with the name takes: an 'xl' field of external attributes
 * alone (id, length, bitmap, 4 bytes; see xl.ts). A Unicode Path field takes 10 at least.
 */
const LOCAL_FIELD_LEAST = 9;

/** Whether a name from a local header is the entry's, once checked as the central one was (and in NFC). */
function sameName(local: string, entry: string): boolean {
  const checked = checkName(local);
  if (!checked.ok) return false;
  const a = checked.name.normalize('NFC');
  const b = entry.normalize('NFC');
  return a === b || `${a}/` === b;
}

/**
 * The length of the local extra field to read with the name: when it may hold a Unicode Path or 'xl'
 * field and lies within the entry's bounds (beyond them, the entry is refused); else 0.
 */
function nameExtraLength(header: Buffer, record: Located): number {
  const extra = header.readUInt16LE(28);
  const fits = record.offset + 30 + header.readUInt16LE(26) + extra <= record.limit;
  return extra >= LOCAL_FIELD_LEAST && fits ? extra : 0;
}

/** The fixed part of a local header: less room than this after an entry cannot hide one. */
const UNLISTED_ROOM = 30;
/** "PK", and how much of the bytes after an entry is read at a time, looking for a header there. */
const PK = Buffer.from('PK', 'latin1');
const GAP_PIECE = 64 * 1024;
/** What a streaming reader matches a data descriptor by: its signature and CRC-32. */
const DESCRIPTOR_HEAD = 8;

/** A stored entry whose local header (read already) leaves its sizes to a data descriptor (flag bit 3). */
const endsAtDescriptor = (record: Located): boolean => record.deferred && record.headerMethod === 0;

/** A zip that ends `end` bytes into a file of `size`: bytes were appended, past where readers look. */
const appended = (end: number, size: number): Problem =>
  problem(
    'ZIP_CORRUPT',
    `Zip archive ends at byte ${end}, and ${size - end} bytes of something else follow it: more than the 64 KiB zip readers look through for its end`,
    `The file was added to after it was downloaded: download it again, or keep its first ${end} bytes (e.g. \`head -c ${end}\`).`,
  );

/** A Problem thrown as it is (see cutBytes), not an Error. */
const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' &&
  value !== null &&
  !(value instanceof Error) &&
  'code' in value &&
  'hint' in value;

/** The buffer verify() inflates big entries into, a piece at a time. */
const SCRATCH = 256 * 1024;

export async function openZip(path: string, options?: ZipOptions): Promise<ZipArchive> {
  const normalized = normalizeOptions(path, options);
  if (normalized.signal?.aborted) throw new ZipError(aborted(), path);
  let file: ZipFile;
  try {
    file = await ZipFile.open(path);
  } catch (error) {
    throw new ZipError(classifyOpenError(error), path, undefined, error);
  }
  try {
    const directory = await locateDirectory(file);
    // A file cut short may still hold an end record: that of a zip stored in it (see locateDirectory).
    if (directory === undefined || ('code' in directory && directory.code === 'ZIP_TRUNCATED')) {
      const found = directory ?? sniff(await file.read(0, Math.min(file.size, 1024)));
      const end = found.code === 'ZIP_TRUNCATED' ? await endFurtherBack(file) : undefined;
      if (end !== undefined) throw new ZipError(appended(end, file.size), path);
      if (found.code !== 'ZIP_TRUNCATED' || !(await startsWithLocal(file))) throw new ZipError(found, path);
      return await openCut(
        path,
        file,
        normalized,
        found.detail,
        await salvageEntries(file, normalized.limits),
      );
    }
    if ('code' in directory) throw new ZipError(directory, path);
    const inner = await notItsOwn(file, directory, normalized);
    if (inner !== undefined) return await openCut(path, file, normalized, inner.why, inner.salvage);
    const whole = await readWhole(file, directory);
    if (directory.disks !== undefined) {
      const disks = await checkOneDisk(file, directory, whole);
      if ('hint' in disks) throw new ZipError(disks, path);
      directory.notices.push(disks);
    }
    const layout = await checkLayout(file, directory, whole);
    if (!layout.ok) throw new ZipError(layout.problem, path);
    const archive = new Archive(path, file, directory, layout.layout, normalized, whole);
    // Bytes before the first entry that start as a local header: a streaming reader's first file. In an
    // archive that lists no entry, every byte is before it.
    const first = Number.isFinite(layout.layout.first) ? layout.layout.first : file.size;
    if (first >= UNLISTED_ROOM) {
      const start = await file.peek(0, 4);
      if (start.readUInt32LE(0) === LOCAL_SIGNATURE) archive.noticeUnlistedFirst(first);
    }
    return archive;
  } catch (error) {
    await file.close();
    if (error instanceof ZipError) throw error;
    const found = error instanceof DirectoryError ? error.problem : readProblem(error);
    throw new ZipError(found, path, undefined, error);
  }
}

/** Whether the file starts with a local header, as every zip written front to back does. */
async function startsWithLocal(file: ZipFile): Promise<boolean> {
  return file.size >= 4 && (await file.peek(0, 4)).readUInt32LE(0) === LOCAL_SIGNATURE;
}

/**
 * For an end record found in a file that starts with a local header: why the directory it lists cannot be
 * the file's (with the entries walked from the start), when it cannot. It lists no entry, yet entries
 * start the file: a writer or a download stopped before the directory, an empty one added. Or it counts
 * from past a prefix, and an entry walked from the start holds the end record, or the end of the file cuts
 * one that does: the end record is that of a zip stored in an entry (a .docx), the file's own lost. A
 * prefix that is no entry (a stub), or a copy cut short before a whole archive, has its end record in no
 * entry of its own, and is read as now (see heldByEntry, which sees the common case without a walk).
 */
async function notItsOwn(
  file: ZipFile,
  directory: Directory,
  options: NormalizedOptions,
): Promise<{ why: string; salvage: Salvage } | undefined> {
  if (directory.size > 0 && directory.shift === 0) return undefined;
  if (!(await startsWithLocal(file))) return undefined;
  if (directory.size === 0) {
    const salvage = await salvageEntries(file, options.limits);
    if (salvage.count === 0 && salvage.cut === undefined) return undefined;
    return {
      why: `Zip archive is cut short: its end record (at byte ${directory.record}) lists no entry, yet entries start the file`,
      salvage,
    };
  }
  const salvage = await salvageEntries(file, options.limits, directory.record + 22);
  const held = salvage.end >= directory.record + 22 || (salvage.cut ?? file.size) < directory.record;
  if (!held) return undefined;
  return {
    why: `Zip archive is cut short: the only end record near its end (at byte ${directory.record}) is that of a zip stored in one of its entries (an attachment such as a .docx), not its own`,
    salvage: await salvageEntries(file, options.limits),
  };
}

/**
 * A file cut short: refused (ZIP_TRUNCATED, saying what is whole), or with `truncated: 'salvage'` opened
 * with the entries found from their local headers, written as the directory it lost.
 */
async function openCut(
  path: string,
  file: ZipFile,
  options: NormalizedOptions,
  why: string,
  salvage: Salvage,
): Promise<ZipArchive> {
  const truncation = truncationOf(why, file.size, salvage);
  if (options.truncated !== 'salvage') throw new ZipError(truncated(truncation.detail), path);
  const directory: Directory = {
    start: salvage.end,
    size: salvage.directory.length,
    count: salvage.count,
    zip64: false,
    shift: 0,
    notices: [],
    record: file.size,
  };
  const layout = await checkLayout(file, directory, salvage.directory);
  if (!layout.ok) throw new ZipError(layout.problem, path);
  const archive = new Archive(path, file, directory, layout.layout, options, salvage.directory);
  archive.truncated = truncation;
  if (truncation.cutEntry !== undefined) archive.cutHeader = salvage.cutHeader;
  return archive;
}

/** What the entries walked from the start say of a file cut short, in words. */
function truncationOf(why: string, size: number, salvage: Salvage): ZipTruncation {
  const whole =
    salvage.count === 0
      ? 'no entry before the cut is whole'
      : `its last whole entry ends at byte ${salvage.end}: ${salvage.count === 1 ? 'the entry' : `the ${salvage.count} entries`} up to there ${salvage.count === 1 ? 'is' : 'are'} whole, found by ${salvage.count === 1 ? 'its local header' : 'their local headers'}`;
  const cut = salvage.cut === undefined ? '' : `, the entry from byte ${salvage.cut} is cut off`;
  const header = salvage.cutHeader;
  return {
    size,
    wholeEnd: salvage.end,
    recovered: salvage.count,
    cutAt: salvage.cut,
    inDirectory: salvage.atDirectory,
    cutEntry:
      header === undefined || salvage.cut === undefined ? undefined : cutEntryOf(header, salvage.cut, size),
    detail: `${why}; the file is ${size} bytes, ${whole}${cut}`,
  };
}

class Archive implements ZipArchive {
  truncated: ZipTruncation | undefined = undefined;
  /** The local header of `truncated.cutEntry` (see openCutEntry). */
  cutHeader: CutHeader | undefined = undefined;
  readonly refused: ZipError[] = [];
  refusedCount = 0;
  readonly notices: ZipNotice[] = [];
  noticeCount = 0;
  private readonly checker: EntryChecker;
  private readonly total: TotalMeter;
  private readonly open = new Set<Readable>();
  /**
   * What each entry stream being read does when the archive's own signal fires: one listener on that
   * signal for them all (see `onAbort`). A listener each made Node warn of a leak on stderr once more than
   * ten entries were read at once, as the tables of an export are when it is opened.
   */
  private readonly aborts = new Set<() => void>();
  private readonly abortAll = () => {
    for (const abort of [...this.aborts]) abort();
  };
  /** Where a local header of no listed entry was looked for (see noticeUnlisted). */
  private readonly unlisted = new Set<number>();
  private walked = false;
  private closed = false;
  private window: ReadWindow | undefined;
  /** verify() calls run one after another: they share the window's buffers. */
  private verifying: Promise<unknown> = Promise.resolve();
  /** Calls of `verify` not settled yet: `verifyHeld` waits its turn behind them. */
  private verifies = 0;
  /** readRaw has a window of its own: its views outlive a call, so verify() must not reuse its buffers. */
  private rawWindow: ReadWindow | undefined;
  private rawBusy = false;
  /** Where verify() inflates big entries, to count and check their bytes. */
  private scratch: Buffer | undefined;
  /** Windows of readInto() loops, closed with the archive when a loop was left waiting. */
  private readonly windows = new Set<ReadWindow>();
  /** The raw window's read in flight, settled before close() hands its buffers on. */
  private rawReading: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly file: ZipFile,
    private readonly directory: Directory,
    private readonly layout: Layout,
    private readonly options: NormalizedOptions,
    /** The directory's bytes when read whole (see readWhole), until the walk ends. */
    private whole: Buffer | undefined,
  ) {
    this.checker = new EntryChecker(options, file.size);
    this.total = new TotalMeter(options.limits.maxTotalBytes, {
      limits: options.limits,
      archiveSize: file.size,
    });
    for (const draft of directory.notices) this.addNotice(draft);
  }

  get entryCount(): number {
    return this.directory.count;
  }

  private addNotice(draft: NoticeDraft, entry?: string): void {
    this.noticeCount += 1;
    if (this.notices.length < MAX_NOTICES_KEPT) this.notices.push(notice(draft, this.path, entry));
  }

  entries(): AsyncIterableIterator<ZipEntry> {
    return new EntryIterator(this.entryBatches(), () => this.assertUsable());
  }

  entryBatches(): AsyncIterableIterator<readonly ZipEntry[]> {
    if (this.walked) {
      throw new ZipError(
        problem(
          'ZIP_BAD_OPTION',
          'entries() was already called',
          'Keep the entries from the first walk, or open the archive again.',
        ),
        this.path,
      );
    }
    this.walked = true;
    return this.walk();
  }

  /**
   * The walk hands out what fill() parses: fill is a plain method called once a batch, so it is optimized
   * early and once for every archive (a loop in this generator, with closures made anew each walk, ran
   * unoptimized through the first part and was optimized again for each next one).
   */
  private async *walk(): AsyncGenerator<YieldedEntry[], void, undefined> {
    const { start, size, count } = this.directory;
    const w = new WalkState(new DirectoryCursor(this.file, start, size, this.whole));
    for (;;) {
      const step = this.fill(w);
      if (step === FULL) {
        yield w.take();
      } else if (step === READ) {
        // Hand out what the last piece held before reading the next.
        if (w.batch.length > 0) yield w.take();
        try {
          this.assertUsable();
          w.more = await w.read;
        } catch (error) {
          w.failure = error instanceof ZipError ? error : this.directoryFailure(error);
        }
      } else if (step === REPLAY) {
        // The duplicate check could not tell: read the directory so far again, keeping names another way.
        try {
          await this.replay(w.record.index);
        } catch (error) {
          w.failure = error instanceof ZipError ? error : this.directoryFailure(error);
        }
      } else if (step === END) break;
      if (w.failure !== undefined) {
        // Before the walk ends on an error: what was read is handed out.
        this.release(w, undefined);
        if (w.batch.length > 0) yield w.take();
        throw w.failure;
      }
    }
    this.release(w, undefined);
    // Nothing reads the directory again: an archive kept open to read entries does not keep its bytes.
    this.whole = undefined;
    if (w.batch.length > 0) yield w.take();
    if (this.checker.emptyDeflated > 0) this.addNotice(emptyDeflatedNotice(this.checker.emptyDeflated));
    // Info-ZIP, CPython and Go all read the directory by its size; macOS Archive Utility writes the count
    // modulo 65,536 past 65,535 entries.
    if (w.seen !== count) {
      this.addNotice({
        code: 'ZIP_ENTRY_COUNT',
        detail: `The end record counts ${count} entries but the central directory holds ${w.seen}; all ${w.seen} were read`,
      });
    }
  }

  /** Parses and checks records into w.batch until it is full, a read or a replay is needed, or the end. */
  private fill(w: WalkState): Step {
    const record = w.record;
    const limits = this.layout.limits;
    try {
      this.assertUsable();
    } catch (error) {
      w.failure = error as ZipError;
      return FAILED;
    }
    for (;;) {
      if (w.recheck) w.recheck = false;
      else {
        if (w.batch.length >= BATCH) return FULL;
        try {
          let more = w.more;
          w.more = undefined;
          if (more === undefined) {
            const next = w.cursor.next();
            if (typeof next !== 'boolean') {
              w.read = next;
              return READ;
            }
            more = next;
          }
          if (!more) return END;
          parseRecord(w.cursor.piece, w.cursor.at, w.cursor.index, this.directory.shift, record);
        } catch (error) {
          w.failure = error instanceof ZipError ? error : this.directoryFailure(error);
          return FAILED;
        }
        w.seen += 1;
        if (limits === undefined) this.release(w, record.localHeaderOffset);
      }
      const checked = this.checker.check(record);
      if (checked === undefined) {
        w.recheck = true;
        return REPLAY;
      }
      if (checked === ROOT_FOLDER) continue;
      if (checked instanceof Skipped) {
        const notice = this.checker.notice;
        if (notice !== undefined) this.addNotice(notice, this.shown(checked.name, record.index));
        continue;
      }
      if (checked instanceof YieldedEntry) {
        const offset = record.localHeaderOffset;
        YieldedEntry.bind(checked, this, offset, limits?.[record.index] ?? this.file.size, record.rawName);
        const notice = this.checker.notice;
        if (notice !== undefined) this.addNotice(notice, this.shown(checked.name, record.index));
        if (limits === undefined) {
          w.waiting = checked;
          w.waitingAt = offset;
        } else w.batch.push(checked);
        continue;
      }
      this.refusedCount += 1;
      // With 'throw' the first refusal ends the walk, so it is always kept.
      if (this.refused.length < MAX_REFUSED_KEPT)
        this.refused.push(new ZipError(checked.problem, this.path, this.shown(checked.name, record.index)));
      if (this.options.onRefused === 'throw') {
        w.failure = this.refused.at(-1);
        return FAILED;
      }
    }
  }

  /**
   * In a directory in file order, an entry's limit is the offset of the record after it: the entry waits
   * in w.waiting for that record, and goes into the batch once it is known.
   */
  private release(w: WalkState, next: number | undefined): void {
    const waiting = w.waiting;
    if (waiting === undefined) return;
    YieldedEntry.limit(waiting, limitOf(w.waitingAt, next, this.directory.start, this.file.size));
    w.batch.push(waiting);
    w.waiting = undefined;
  }

  /**
   * Reads the `count` first records again into a checker keeping names the next way (see EntryChecker),
   * and the next again should that one not tell either; takes its names.
   */
  private async replay(count: number): Promise<void> {
    const { start, size, shift } = this.directory;
    let names = this.checker.names;
    for (;;) {
      names = names === 0 ? 1 : 2;
      const checker = new EntryChecker(this.options, this.file.size, names, this.directory.count);
      const cursor = new DirectoryCursor(this.file, start, size, this.whole);
      const record = blankRecord();
      let told = true;
      for (let i = 0; i < count && told; i += 1) {
        const more = cursor.next();
        if (!(typeof more === 'boolean' ? more : await more)) break;
        parseRecord(cursor.piece, cursor.at, cursor.index, shift, record);
        told = checker.check(record) !== undefined;
      }
      if (told) {
        this.checker.takeNames(checker);
        return;
      }
    }
  }

  private directoryFailure(error: unknown): ZipError {
    this.assertUsable();
    const found = error instanceof DirectoryError ? error.problem : readProblem(error);
    return new ZipError(found, this.path, undefined, error);
  }

  async openStream(entry: ZipEntry, options: OpenStreamOptions = {}): Promise<Readable> {
    const raw = options.raw ?? false;
    if (typeof raw !== 'boolean') throw this.badOption('openStream: raw must be a boolean');
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('openStream: signal must be an AbortSignal');
    }
    const record = YieldedEntry.located(entry, this);
    if (record === undefined) throw this.badOption('openStream: the entry was not yielded by this archive');
    this.assertUsable(options.signal);
    const at = await this.checkLocalHeader(entry, record);
    const source = this.file.createReadStream(at, record.compressedSize);
    const inflating = !raw && record.method === 8;
    const spec = this.spec(entry, record, raw);
    const inflate = inflating ? inflater(record.compressedSize, record.uncompressedSize, true) : undefined;
    return this.wire(this.shown(entry.name), source, inflate, spec, options.signal);
  }

  async openCutEntry(options: { signal?: AbortSignal } = {}): Promise<Readable> {
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('openCutEntry: signal must be an AbortSignal');
    }
    const cut = this.truncated?.cutEntry;
    const header = this.cutHeader;
    if (cut === undefined || header === undefined)
      throw this.badOption('openCutEntry: the archive is not cut short in an entry it can name');
    this.assertUsable(options.signal);
    const name = this.shown(cut.name);
    const refused = unreadableCut(header);
    if (refused !== undefined) throw new ZipError(refused, this.path, name);
    // Its reading counts toward the archive's total as an entry's does, under a key of its own.
    const caps = { limits: this.options.limits, total: this.total, key: cut };
    const bytes = cutBytes((start, length) => this.file.read(start, length), header, cut, caps);
    const path = this.path;
    const signals = [this.options.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
    async function* checked(): AsyncGenerator<Buffer> {
      try {
        for await (const piece of bytes) {
          if (signals.some((s) => s.aborted)) throw new ZipError(aborted(), path, name);
          yield piece;
        }
      } catch (error) {
        if (error instanceof ZipError) throw error;
        const found = isProblem(error) ? error : readProblem(error);
        throw new ZipError(found, path, name, error);
      }
    }
    const stream = Readable.from(checked(), { objectMode: false });
    this.open.add(stream);
    stream.once('close', () => this.open.delete(stream));
    return stream;
  }

  private spec(entry: ZipEntry, record: Located, raw: boolean): MeterSpec {
    return {
      entry,
      expectedBytes: raw ? record.compressedSize : record.uncompressedSize,
      sizeIsCertain: true,
      // Raw deflate bytes have no checksum of their own: the CRC-32 is of the inflated data.
      crc32: raw && record.method === 8 ? undefined : record.crc32,
      endsAtDescriptor: endsAtDescriptor(record),
      caps: raw
        ? undefined
        : { limits: this.options.limits, compressedSize: record.compressedSize, total: this.total },
    };
  }

  verify(entry: ZipEntry, options: { signal?: AbortSignal } = {}): Promise<number> {
    this.verifies += 1;
    const run = this.verifying.then(() => this.verifyNow(entry, options));
    this.verifying = run.then(
      () => (this.verifies -= 1),
      () => (this.verifies -= 1),
    );
    return run;
  }

  verifyHeld(entry: ZipEntry): number | undefined {
    const record = YieldedEntry.located(entry, this);
    if (record === undefined) throw this.badOption('verifyHeld: the entry was not yielded by this archive');
    this.assertUsable(undefined);
    const window = this.window;
    if (this.verifies > 0 || window === undefined) return undefined;
    if (record.method === 8 && !inflatesWhole(record.compressedSize, record.uncompressedSize, true))
      return undefined;
    const at = this.heldLocalHeader(entry, record, window);
    const bytes = at === undefined ? undefined : window.held(at, record.compressedSize);
    return bytes === undefined ? undefined : this.checkWhole(entry, record, bytes);
  }

  /** An entry's data, all of it at hand, checked as `verify` checks it: the bytes it holds. */
  private checkWhole(entry: ZipEntry, record: Located, data: Buffer): number {
    const spec = this.spec(entry, record, false);
    const meter = new EntryMeter(spec);
    let out = data;
    if (record.method === 8) {
      try {
        out = inflateWhole(data, record.uncompressedSize);
      } catch (error) {
        throw this.entryError(entry, inflateProblem(error as Error, spec), error);
      }
    }
    const found = meter.push(out) ?? meter.end();
    if (found) throw this.entryError(entry, found);
    return meter.byteCount;
  }

  private entryError(entry: ZipEntry, found: Problem, cause?: unknown): ZipError {
    return new ZipError(found, this.path, this.shown(entry.name), cause);
  }

  private async verifyNow(entry: ZipEntry, options: { signal?: AbortSignal }): Promise<number> {
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('verify: signal must be an AbortSignal');
    }
    const record = YieldedEntry.located(entry, this);
    if (record === undefined) throw this.badOption('verify: the entry was not yielded by this archive');
    this.assertUsable(options.signal);
    const deflated = record.method === 8;
    const window = (this.window ??= this.file.window(this.options.windowBuffers));
    if (deflated && !inflatesWhole(record.compressedSize, record.uncompressedSize, true)) {
      // Big deflated entries inflate a piece at a time, into one buffer that goes round.
      const scratch = (this.scratch ??= Buffer.allocUnsafeSlow(SCRATCH));
      let bytes = 0;
      for await (const chunk of this.chunksInto(entry, record, () => scratch, options, window))
        bytes += chunk.length;
      return bytes;
    }
    let meter: EntryMeter;
    try {
      let at = await this.checkLocalHeader(entry, record, (start, length) => window.read(start, length));
      this.assertUsable(options.signal);
      if (deflated) return this.checkWhole(entry, record, await window.read(at, record.compressedSize));
      // Made once the local header is read: what it says decides what the data is checked for.
      meter = new EntryMeter(this.spec(entry, record, false));
      const end = at + record.compressedSize;
      while (at < end) {
        this.assertUsable(options.signal);
        const piece = await window.readSome(at, end - at);
        at += piece.length;
        const found = meter.push(piece);
        if (found) throw this.entryError(entry, found);
      }
    } catch (error) {
      if (error instanceof ZipError) throw error;
      throw this.entryError(entry, readProblem(error), error);
    }
    const found = meter.end();
    if (found) throw this.entryError(entry, found);
    return meter.byteCount;
  }

  readRaw(entry: ZipEntry, options: { signal?: AbortSignal } = {}): AsyncGenerator<Buffer, void, undefined> {
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('readRaw: signal must be an AbortSignal');
    }
    const record = YieldedEntry.located(entry, this);
    if (record === undefined) throw this.badOption('readRaw: the entry was not yielded by this archive');
    return this.rawChunks(entry, record, options.signal);
  }

  private async *rawChunks(
    entry: ZipEntry,
    record: Located,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Buffer, void, undefined> {
    if (this.rawBusy) {
      throw this.badOption('readRaw: the previous entry is still being read; finish its loop first');
    }
    this.rawBusy = true;
    try {
      this.assertUsable(signal);
      const window = (this.rawWindow ??= this.file.window(this.options.windowBuffers));
      const read = async (start: number, length: number, some = false): Promise<Buffer> => {
        this.assertUsable(signal);
        const reading = some ? window.readSome(start, length) : window.read(start, length);
        this.rawReading = reading.catch(() => undefined);
        const bytes = await reading;
        // Once closed, the window's buffers may serve another archive: nothing read is handed out.
        this.assertUsable(signal);
        return bytes;
      };
      const fail = (found: Problem, cause?: unknown) =>
        new ZipError(found, this.path, this.shown(entry.name), cause);
      // The CRC-32 travels with the copied bytes and is checked by whoever inflates them; computing it
      // here cost more than the rest of the read for stored attachments.
      const meter = new EntryMeter({ ...this.spec(entry, record, true), crc32: undefined });
      let at = await this.checkLocalHeader(entry, record, read);
      const end = at + record.compressedSize;
      while (at < end) {
        let piece: Buffer;
        try {
          piece = await read(at, Math.min(ReadWindow.max / 2, end - at), true);
        } catch (error) {
          if (error instanceof ZipError) throw error;
          throw fail(readProblem(error), error);
        }
        at += piece.length;
        const found = meter.push(piece);
        if (found) throw fail(found);
        yield piece;
      }
      const found = meter.end();
      if (found) throw fail(found);
    } finally {
      this.rawBusy = false;
    }
  }

  readInto(
    entry: ZipEntry,
    take: () => Uint8Array,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<Uint8Array, void, undefined> {
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('readInto: signal must be an AbortSignal');
    }
    if (typeof take !== 'function') throw this.badOption('readInto: take must be a function');
    const record = YieldedEntry.located(entry, this);
    if (record === undefined) throw this.badOption('readInto: the entry was not yielded by this archive');
    // A buffer of no bytes would never fill: refused, not looped on.
    const given = () => {
      const buffer = take();
      if (!(buffer instanceof Uint8Array) || buffer.length === 0)
        throw this.badOption('readInto: take() must give a Uint8Array of at least one byte');
      return buffer;
    };
    return this.chunksInto(entry, record, given, options);
  }

  private async *chunksInto(
    entry: ZipEntry,
    record: Located,
    take: () => Uint8Array,
    options: { signal?: AbortSignal },
    shared?: ReadWindow,
  ): AsyncGenerator<Uint8Array, void, undefined> {
    this.assertUsable(options.signal);
    const inflate = record.method === 8 ? RawInflate.create() : undefined;
    if (record.method === 8 && inflate === undefined) {
      yield* repack(await this.openStream(entry, options), take);
      return;
    }
    const fail = (found: Problem, cause?: unknown) =>
      new ZipError(found, this.path, this.shown(entry.name), cause);
    const spec = this.spec(entry, record, false);
    // Made once the local header is read: what it says decides what the data is checked for.
    let meter: EntryMeter | undefined;
    const check = (bytes: Uint8Array) => {
      // Inflated pieces come without a read between them: abort and close are seen here.
      this.assertUsable(options.signal);
      const found = meter!.push(bytes);
      if (found) throw fail(found);
    };
    const window = shared ?? this.file.window(this.options.windowBuffers);
    if (shared === undefined) this.windows.add(window);
    const readSome = (at: number, most: number) => {
      this.assertUsable(options.signal);
      return window.readSome(at, most);
    };
    try {
      const at = await this.checkLocalHeader(entry, record, (start, length) => window.read(start, length));
      meter = new EntryMeter({ ...spec, endsAtDescriptor: endsAtDescriptor(record) });
      try {
        yield* fill(readSome, at, at + record.compressedSize, inflate, take, check);
      } catch (error) {
        if (error instanceof ZipError) throw error;
        const found =
          (error as { errno?: unknown }).errno !== undefined || error instanceof DeflateEndedEarly
            ? inflateProblem(error as Error, spec)
            : readProblem(error);
        throw fail(found, error);
      }
      const found = meter.end();
      if (found) throw fail(found);
    } finally {
      inflate?.close();
      if (shared === undefined) {
        this.windows.delete(window);
        await window.close();
      }
    }
  }

  /** Connects source -> (inflate) -> meter; any failure surfaces as a ZipError on the returned stream. */
  private wire(
    name: string,
    source: Readable,
    inflate: Transform | undefined,
    spec: MeterSpec,
    signal?: AbortSignal,
  ): Readable {
    const meter = new MeterStream(new EntryMeter(spec), this.path, name);
    const fail = (error: ZipError) => {
      if (!meter.destroyed) meter.destroy(error);
    };
    source.on('error', (error) => fail(new ZipError(readProblem(error), this.path, name, error)));
    if (inflate !== undefined) {
      inflate.on('error', (error) => fail(new ZipError(inflateProblem(error, spec), this.path, name, error)));
      // Before the pipe's own listener ends the meter, which would pass the entry.
      inflate.once('end', () => {
        const compressedSize = spec.caps?.compressedSize ?? 0;
        const unused = untaken(inflate, compressedSize);
        if (unused > 0) {
          const early = new DeflateEndedEarly(unused, compressedSize);
          fail(new ZipError(inflateProblem(early, spec), this.path, name, early));
        }
      });
      source.pipe(inflate).pipe(meter);
    } else {
      source.pipe(meter);
    }
    const onAbort = () => fail(new ZipError(aborted(), this.path, name));
    const own = this.options.signal;
    if (own !== undefined) {
      if (this.aborts.size === 0) own.addEventListener('abort', this.abortAll, { once: true });
      this.aborts.add(onAbort);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    // A signal that fired while the local header was being read will not fire again.
    if (own?.aborted || signal?.aborted) process.nextTick(onAbort);
    this.open.add(meter);
    meter.once('close', () => {
      this.open.delete(meter);
      this.aborts.delete(onAbort);
      if (this.aborts.size === 0) own?.removeEventListener('abort', this.abortAll);
      signal?.removeEventListener('abort', onAbort);
      // Stop reading the file when the consumer stops early or the data failed a check.
      source.destroy();
      inflate?.destroy();
    });
    return meter;
  }

  /**
   * The local header must agree with the central directory, or two tools could see different files; and
   * the entry must end before the next one starts. Returns where its data starts.
   */
  private async checkLocalHeader(
    entry: ZipEntry,
    record: Located,
    read: (start: number, length: number) => Promise<Buffer> = (start, length) =>
      this.file.read(start, length),
  ): Promise<number> {
    const readError = (error: unknown) =>
      error instanceof ZipError
        ? error
        : new ZipError(readProblem(error), this.path, this.shown(entry.name), error);
    if (record.offset + 30 > this.file.size) throw this.pastEnd(entry, record, 'local header', 30);
    let header: Buffer;
    let name: Buffer;
    // The local extra field, when read with the name (see nameExtraLength).
    let nameExtra: Buffer | undefined;
    try {
      header = await read(record.offset, 30);
      const nameLength = header.readUInt16LE(26);
      if (record.offset + 30 + nameLength > this.file.size) {
        throw this.pastEnd(entry, record, 'local header and name', 30 + nameLength);
      }
      // Copied out: a window's next read may reuse the bytes of this one.
      header = Buffer.from(header);
      const both = await read(record.offset + 30, nameLength + nameExtraLength(header, record));
      name = both.subarray(0, nameLength);
      if (both.length > nameLength) nameExtra = both.subarray(nameLength);
    } catch (error) {
      throw readError(error);
    }
    const data = this.localDataStart(entry, record, header, name);
    this.checkLocalName(entry, name, nameExtra);
    this.checkLocalType(entry, record, header, nameExtra);
    let localExtra: Buffer | undefined;
    if (needsZip64Field(header)) {
      const extra = header.readUInt16LE(28);
      try {
        localExtra = nameExtra ?? (await read(data - extra, extra));
      } catch (error) {
        throw readError(error);
      }
    }
    this.checkLocalFields(entry, record, header, localExtra);
    if (endsAtDescriptor(record)) {
      const end = data + record.compressedSize;
      let after: Buffer | undefined;
      // Read apart from the window, which would leave the entry's data behind to fetch it.
      if (end + DESCRIPTOR_HEAD <= record.limit) {
        try {
          after = await this.file.peek(end, DESCRIPTOR_HEAD);
        } catch (error) {
          throw readError(error);
        }
      }
      this.checkDescriptorAfter(entry, record, end, after);
    }
    if (this.roomAfter(record, data))
      await this.noticeUnlisted(entry, data + record.compressedSize, record.limit);
    return data;
  }

  /**
   * A stored entry whose local header leaves its sizes to a data descriptor ends, to a reader streaming the
   * archive, at the first data descriptor (signature and CRC-32) that fits the bytes before it: the one
   * after its data, at `end`, must be there (`after`, its first bytes; undefined where there is no room).
   * Without it, bsdtar reading a pipe reads on into the entries that follow (and Info-ZIP unzip refuses an
   * entry with no room for one as overlapping the next).
   */
  private checkDescriptorAfter(
    entry: ZipEntry,
    record: Located,
    end: number,
    after: Buffer | undefined,
  ): void {
    if (
      after !== undefined &&
      after.readUInt32LE(0) === DESCRIPTOR_SIGNATURE &&
      after.readUInt32LE(4) === record.crc32
    )
      return;
    throw this.localError(
      entry,
      'ZIP_CORRUPT',
      `The local header leaves the stored entry's sizes to a data descriptor, and none follows its data (a signature and the CRC-32 of its bytes, at byte ${end}): readers that stream the archive (bsdtar reading a pipe) read on past the entry's end, into the entries after it`,
    );
  }

  /**
   * `checkLocalHeader` on bytes the window holds already; undefined when it does not hold them all, or
   * when what follows the entry must be looked at (see `noticeUnlisted`).
   */
  private heldLocalHeader(entry: ZipEntry, record: Located, window: ReadWindow): number | undefined {
    const header = window.held(record.offset, 30);
    if (header === undefined) return undefined;
    const nameLength = header.readUInt16LE(26);
    const both = window.held(record.offset + 30, nameLength + nameExtraLength(header, record));
    if (both === undefined) return undefined;
    const name = both.subarray(0, nameLength);
    const nameExtra = both.length > nameLength ? both.subarray(nameLength) : undefined;
    const data = this.localDataStart(entry, record, header, name);
    this.checkLocalName(entry, name, nameExtra);
    this.checkLocalType(entry, record, header, nameExtra);
    const extra = header.readUInt16LE(28);
    const localExtra = needsZip64Field(header) ? (nameExtra ?? window.held(data - extra, extra)) : undefined;
    if (needsZip64Field(header) && localExtra === undefined) return undefined;
    this.checkLocalFields(entry, record, header, localExtra);
    if (endsAtDescriptor(record)) {
      const end = data + record.compressedSize;
      if (end + DESCRIPTOR_HEAD > record.limit) this.checkDescriptorAfter(entry, record, end, undefined);
      const after = window.held(end, DESCRIPTOR_HEAD);
      if (after === undefined) return undefined;
      this.checkDescriptorAfter(entry, record, end, after);
    }
    return this.roomAfter(record, data) ? undefined : data;
  }

  private localError(entry: ZipEntry, code: 'ZIP_CORRUPT' | 'ZIP_OVERLAP', detail: string): ZipError {
    const hint =
      code === 'ZIP_OVERLAP'
        ? 'Do not extract this archive with any tool; ask its sender for a plain zip.'
        : 'Download or create the archive again.';
    return new ZipError(problem(code, detail, hint), this.path, this.shown(entry.name));
  }

  /**
   * The file is as long as when it was opened: a header past its end is the directory's fault, not a
   * download cut short (which would have lost the end record).
   */
  private pastEnd(entry: ZipEntry, record: Located, what: string, length: number): ZipError {
    return this.localError(
      entry,
      'ZIP_CORRUPT',
      `The central directory puts the entry's ${what} at bytes ${record.offset}-${record.offset + length}, past the end of the file (${this.file.size} bytes)`,
    );
  }

  /** The checks of a local header and name read: where the entry's data starts. */
  private localDataStart(entry: ZipEntry, record: Located, header: Buffer, name: Buffer): number {
    if (header.readUInt32LE(0) !== LOCAL_SIGNATURE)
      throw this.localError(entry, 'ZIP_CORRUPT', 'Local header signature is missing');
    if ((header.readUInt16LE(6) & ENCRYPTED_FLAGS) !== 0) {
      throw new ZipError(
        // The central record said otherwise, or the walk would have refused the entry.
        problem(
          'ZIP_ENCRYPTED',
          'Local header marks the entry encrypted, the central directory does not',
          'Decrypt the archive (re-create it without a password); if it never had one, it is damaged: download or create it again.',
        ),
        this.path,
        this.shown(entry.name),
      );
    }
    if (header.readUInt16LE(8) !== record.headerMethod) {
      throw this.localError(
        entry,
        'ZIP_CORRUPT',
        'Local header and central directory disagree on the compression method',
      );
    }
    const central = record.rawName;
    if (
      name.toString('latin1') !== central &&
      !sameFile(name, header.readUInt16LE(6), Buffer.from(central, 'latin1'))
    ) {
      throw this.localError(
        entry,
        'ZIP_CORRUPT',
        `Local header names the entry "${this.shown(name.toString('latin1'))}", the central directory differently`,
      );
    }
    record.deferred = (header.readUInt16LE(6) & 0x08) !== 0;
    const extra = header.readUInt16LE(28);
    const data = record.offset + 30 + header.readUInt16LE(26) + extra;
    const end = data + record.compressedSize;
    if (end > record.limit) {
      // Data that would start past the limit: the local extra field alone reaches it.
      const what =
        data > record.limit
          ? `Local header (with its extra field of ${extra} bytes, to byte ${data})`
          : `Entry data (bytes ${data}-${end})`;
      if (record.limit === this.directory.start || record.limit === this.file.size) {
        const bound =
          record.limit === this.directory.start
            ? `the start of the central directory at ${this.directory.start}`
            : `the end of the file (${this.file.size} bytes)`;
        throw this.localError(entry, 'ZIP_CORRUPT', `${what} runs past ${bound}`);
      }
      // The central lengths put the entry clear of the next one; its local extra field does not.
      throw this.localError(
        entry,
        'ZIP_OVERLAP',
        `${what} runs into the next entry, whose local header is at byte ${record.limit}, the mark of an overlap zip bomb or of a damaged size`,
      );
    }
    return data;
  }

  /** A reader of local headers (bsdtar) takes the name a Unicode Path field there gives: it must be this one. */
  private checkLocalName(entry: ZipEntry, name: Buffer, nameExtra: Buffer | undefined): void {
    const localName = nameExtra === undefined ? undefined : localUnicodePath(nameExtra, name);
    if (localName !== undefined && !sameName(localName, entry.name)) {
      throw this.localError(
        entry,
        'ZIP_CORRUPT',
        `Local header's Unicode Path field names the entry "${this.shown(localName)}", the central directory differently: bsdtar extracts it under the one, Info-ZIP, 7-Zip and CPython under the other`,
      );
    }
  }

  /** libarchive takes an entry's type from an 'xl' field of its local header: it must be the entry's own. */
  private checkLocalType(
    entry: ZipEntry,
    record: Located,
    header: Buffer,
    nameExtra: Buffer | undefined,
  ): void {
    if (nameExtra === undefined) return;
    const slash = record.rawName.charCodeAt(record.rawName.length - 1) === 0x2f;
    // The host the local header names: the high byte of its "version needed", as libarchive reads it.
    const type = xlType(nameExtra, 0, nameExtra.length, header[5]!, slash);
    if (type < 0 || type === (entry.isDirectory ? XL_FOLDER : XL_REGULAR)) return;
    const found = otherTypeTo('bsdtar', typeWords(type), 'its local header', entry.isDirectory);
    throw new ZipError(found, this.path, this.shown(entry.name));
  }

  /** The local header's sizes and CRC (and its zip64 field, when it needs one) against the central record. */
  private checkLocalFields(
    entry: ZipEntry,
    record: Located,
    header: Buffer,
    localExtra: Buffer | undefined,
  ): void {
    const mismatch = localMismatch(header, record, localExtra);
    if (mismatch !== undefined) {
      throw this.localError(
        entry,
        'ZIP_CORRUPT',
        `Local header and central directory disagree on the ${mismatch}: readers that go by one or the other read different data`,
      );
    }
  }

  /** Room for a local header between the entry's data and the next entry listed (most often none at all). */
  private roomAfter(record: Located, data: number): boolean {
    return record.limit - (data + record.compressedSize) >= UNLISTED_ROOM && record.limit !== this.file.size;
  }

  /** The archive starts with a local header before the first entry the directory lists. */
  noticeUnlistedFirst(first: number): void {
    const where =
      first === this.file.size
        ? 'A local header at byte 0, in an archive whose central directory lists no entry,'
        : `A local header at byte 0, before the first entry the central directory lists (at byte ${first}),`;
    this.addNotice({
      code: 'ZIP_UNLISTED_ENTRY',
      detail: `${where} is of no entry it lists: readers that stream the archive from its start (bsdtar reading a pipe, Java's ZipInputStream) would extract a file there that this reader, Info-ZIP, CPython and 7-Zip leave out`,
    });
  }

  /**
   * A local header after an entry (and its data descriptor) that the central directory does not list: a
   * reader that streams the archive from its start (bsdtar from a pipe, Java's ZipInputStream) finds a
   * file there that every reader going by the directory (this one, Info-ZIP, CPython, 7-Zip) leaves out.
   * Hidden on purpose, or a file "deleted" by rewriting the directory alone, its bytes still in the
   * archive: a notice either way. libarchive looks for the next header past whatever bytes come first,
   * so the header is looked for as it does (see `nextHeader`). Read outside the entry's window, once per place.
   */
  private async noticeUnlisted(entry: ZipEntry, end: number, limit: number): Promise<void> {
    if (this.unlisted.has(end)) return;
    this.unlisted.add(end);
    const at = await this.nextHeader(end, limit);
    if (at === undefined || at + 30 > limit) return;
    const where = at === end ? 'right after this entry' : `after this entry and ${at - end} other bytes`;
    this.addNotice(
      {
        code: 'ZIP_UNLISTED_ENTRY',
        detail: `A local header at byte ${at}, ${where}, is of no entry the central directory lists: readers that stream the archive from its start (bsdtar reading a pipe, Java's ZipInputStream) would extract a file there that this reader, Info-ZIP, CPython and 7-Zip leave out`,
      },
      this.shown(entry.name),
    );
  }

  /**
   * Where a reader streaming the archive finds the next local header in [from, limit), as libarchive
   * looks for it: the first "PK" and 3 4 (a local header), 1 2 or 5 6 or 6 6 (the directory's records,
   * where it stops). Undefined when that is not a local header, or there is none (or it cannot be read:
   * the reads of the entries themselves report that). Read a piece at a time.
   */
  private async nextHeader(from: number, limit: number): Promise<number | undefined> {
    for (let start = from; start + 4 <= limit; start += GAP_PIECE) {
      let piece: Buffer;
      try {
        // Pieces overlap by 3 bytes, so that no signature is cut between two.
        piece = await this.file.peek(start, Math.min(limit - start, GAP_PIECE + 3));
      } catch {
        return undefined;
      }
      for (let i = piece.indexOf(PK); i >= 0 && i + 4 <= piece.length; i = piece.indexOf(PK, i + 1)) {
        const kind = piece.readUInt16LE(i + 2);
        if (kind === 0x0403) return start + i;
        if (kind === 0x0201 || kind === 0x0605 || kind === 0x0606) return undefined;
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.whole = undefined;
    const error = new ZipError(
      problem(
        'ZIP_CLOSED',
        'Archive was closed while an entry was being read',
        'Finish reading before close().',
      ),
      this.path,
    );
    for (const stream of this.open) stream.destroy(error);
    // A verify() in progress stops at its next read (the archive is closed) before the file is.
    await this.verifying;
    await this.window?.close();
    await this.rawReading;
    await this.rawWindow?.close();
    for (const window of this.windows) await window.close();
    await this.file.close();
  }

  private assertUsable(signal?: AbortSignal): void {
    if (this.closed) {
      throw new ZipError(
        problem('ZIP_CLOSED', 'Archive is closed', 'Open it again with openZip().'),
        this.path,
      );
    }
    if (this.options.signal?.aborted || signal?.aborted) throw new ZipError(aborted(), this.path);
  }

  /** An entry's name as errors and notices give it (see `ZipOptions.hideFileNames`); `index` from 0. */
  private shown(name: string, index?: number): string {
    return this.options.hideFileNames
      ? hiddenFileName(name, index === undefined ? undefined : index + 1)
      : visibleName(name);
  }

  private badOption(detail: string): ZipError {
    return new ZipError(problem('ZIP_BAD_OPTION', detail, 'Fix the call.'), this.path);
  }
}

class MeterStream extends Transform {
  constructor(
    private readonly meter: EntryMeter,
    private readonly archive: string,
    private readonly entry: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const found = this.meter.push(chunk);
    if (found === undefined) callback(null, chunk);
    else callback(new ZipError(found, this.archive, this.entry));
  }

  override _flush(callback: TransformCallback): void {
    const found = this.meter.end();
    callback(found === undefined ? null : new ZipError(found, this.archive, this.entry));
  }
}

function inflateProblem(error: Error, spec: MeterSpec): Problem {
  if (error instanceof DeflateEndedEarly) {
    return problem(
      'ZIP_SIZE_MISMATCH',
      `${error.message}; those bytes belong to no file`,
      'The archive is damaged, or hides data there; download or create it again.',
    );
  }
  if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
    return problem(
      'ZIP_SIZE_MISMATCH',
      `Entry data is longer than the declared ${spec.expectedBytes} bytes`,
      'The archive is damaged (often a cut-short or corrupted download); download or create it again.',
    );
  }
  return problem(
    'ZIP_CORRUPT',
    `Compressed data is damaged (${error.message})`,
    'Download or create the archive again.',
  );
}

/**
 * Entries one at a time from the batches: a step answered from the batch at hand costs one settled promise,
 * where an async generator's yield took several turns of the microtask queue. Steps asked for before the
 * last one settled wait their turn, as a generator's would.
 */
class EntryIterator implements AsyncIterableIterator<ZipEntry> {
  #batch: readonly ZipEntry[] = [];
  #at = 0;
  #waiting = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly batches: AsyncIterator<readonly ZipEntry[]>,
    private readonly assertUsable: () => void,
  ) {}

  next(): Promise<IteratorResult<ZipEntry>> {
    if (this.#waiting === 0 && this.#at < this.#batch.length) {
      try {
        this.assertUsable();
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve({ value: this.#batch[this.#at++]!, done: false });
    }
    this.#waiting += 1;
    const step = this.#queue.then(() => this.#step());
    this.#queue = step.then(
      () => (this.#waiting -= 1),
      () => (this.#waiting -= 1),
    );
    return step;
  }

  async #step(): Promise<IteratorResult<ZipEntry>> {
    while (this.#at === this.#batch.length) {
      const read = await this.batches.next();
      if (read.done === true) return { value: undefined, done: true };
      this.#batch = read.value;
      this.#at = 0;
    }
    this.assertUsable();
    return { value: this.#batch[this.#at++]!, done: false };
  }

  async return(): Promise<IteratorResult<ZipEntry>> {
    this.#batch = [];
    this.#at = 0;
    await this.batches.return?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
