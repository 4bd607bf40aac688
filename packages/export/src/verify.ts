// Verification: every byte of every attachment read back and checked (CRC-32 and sizes for zips).
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { openZip } from '@talent-export/zip';
import type { AttachmentRecord, EntryMeta } from './attachments.js';
import { ExportError, entryProblem, type Problem, ProblemList, problem } from './errors.js';
import type { PartInfo } from './find.js';
import { archiveProblems, openNoFollow } from './io.js';
import { attachmentPartZip } from './options.js';
import { entryMeta, folderEntries, type PartContext, type PartReader } from './parts.js';
import { pathlessReason } from './verify-reason.js';
import { canVerifyInThread, entriesOf, type VerifyThread, VerifyThreadLost } from './verify-thread.js';

export interface VerifyProgress {
  part: string;
  bytesDone: number;
  /**
   * The bytes to check in the part: for a zip its size on disk, an estimate (read once, its entries are
   * listed and checked in one pass); for a folder the sum of its files.
   */
  bytesTotal: number;
}

const MAX_CORRUPT_PER_PART = 20;
/** Entries checked between looks at the clock (see `yielder`). */
const CHECK_EVERY = 64;
/** The longest this thread checks entries without letting other work run. */
const TURN_MS = 2;

/**
 * Gives the event loop a turn every `TURN_MS` of checking. Small entries are checked from a read-ahead
 * window without any I/O to wait for, so thousands of them ran as one stretch of promise callbacks: the
 * inflated chunks of the tables and the results of the worker threads decoding them waited, and the
 * workers idled (a third of a validate run).
 */
function yielder(): () => Promise<void> | undefined {
  let count = 0;
  let since = performance.now();
  return () => {
    if (++count < CHECK_EVERY) return undefined;
    count = 0;
    const now = performance.now();
    if (now - since < TURN_MS) return undefined;
    return turn().then(() => {
      since = performance.now();
    });
  };
}

/**
 * A part reader that reads every entry to the end, yielding each attachment once it was read back; zip
 * parts are checked by `thread`, which the caller closes. `threads`: threads in all; with 1, every part is
 * checked on the calling thread and no worker thread is started (one that cannot start, as a preload that
 * fails in worker threads, is not tried, and no notice says it could not).
 */
export function verifyPart(
  onProgress: ((progress: VerifyProgress) => void) | undefined,
  thread: VerifyThread,
  threads?: number,
): PartReader {
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1))
    throw new ExportError('EXPORT_BAD_OPTION', `threads must be a whole number >= 1, got ${threads}`);
  const inThread = threads !== 1;
  return async function* (part: PartInfo, context: PartContext): AsyncGenerator<AttachmentRecord> {
    const { tally, problems, signal } = context;
    let bytesTotal = part.bytes;
    // A folder is listed twice: first for the total its progress is measured against.
    if (part.kind === 'folder') {
      // What the listing finds is told by the second one, which reads the files.
      for await (const meta of folderEntries(part, new ProblemList(), signal)) {
        if (!meta.isDirectory) bytesTotal += meta.size;
      }
    }
    const summary = tally.current;
    summary.verifiedBytes = 0;
    let bytesDone = 0;
    let corrupt = 0;
    const report = () => onProgress?.({ part: part.file, bytesDone, bytesTotal });
    report();
    const done = (bytes: number) => {
      bytesDone += bytes;
      summary.verifiedBytes = bytesDone;
      report();
    };
    // `check` reads a whole entry and answers its size, or gives its bytes as they come.
    const read = async (meta: EntryMeta, check: () => Promise<Readable | number>) => {
      try {
        const checked = await check();
        let read = typeof checked === 'number' ? checked : 0;
        if (typeof checked === 'number') done(checked);
        else {
          for await (const chunk of checked) {
            read += (chunk as Buffer).length;
            done((chunk as Buffer).length);
          }
        }
        // Zip entries are size-checked by the zip reader; a file of an extracted folder may have changed.
        if (read !== meta.size) throw new Error(`${read} bytes read but ${meta.size} listed`);
      } catch (error) {
        signal?.throwIfAborted();
        problems.addApart(
          entryProblem(
            'ATTACHMENT_CORRUPT',
            part.file,
            meta.name,
            `cannot be read back intact (${pathlessReason(error)})`,
          ),
        );
        if (++corrupt >= MAX_CORRUPT_PER_PART) {
          throw new ExportError(
            'EXPORT_UNREADABLE',
            `${corrupt} entries could not be read back; the rest of the part is not checked`,
            { file: part.file },
          );
        }
      }
    };
    const pause = yielder();
    if (part.kind === 'folder') {
      for await (const meta of folderEntries(part, problems, signal)) {
        const record = tally.add(meta);
        if (meta.isDirectory) continue;
        await pause();
        await read(meta, () => openNoFollow(join(part.path, meta.name), signal));
        if (record !== undefined) yield record;
      }
      return;
    }
    // Entries the thread checked and sent back before it was lost: the rest are checked here.
    let taken = 0;
    if (inThread && canVerifyInThread() && thread.unstarted === undefined) {
      const checking = thread.verify(part.path, part.file, attachmentPartZip(context.zip), signal);
      try {
        let step = await checking.next();
        for (; !step.done; step = await checking.next()) {
          taken += step.value.name.length;
          for (const [meta, checked] of entriesOf(step.value)) {
            const record = tally.add(meta);
            if (meta.isDirectory) continue;
            // Read back whole: counted here, with no promise per entry (hundreds of thousands of them).
            if (checked === meta.size) done(checked);
            else
              await read(meta, async () => {
                if (typeof checked === 'string') throw new Error(checked);
                return checked ?? 0;
              });
            if (record !== undefined) yield record;
          }
        }
        problems.addAll(step.value);
        return;
      } catch (error) {
        if (!(error instanceof VerifyThreadLost)) throw error;
        signal?.throwIfAborted();
        problems.add(threadLost(part.file, error));
      } finally {
        // Left early (too many corrupt entries, an abort, a caller that stopped): the worker stops too.
        await checking.return([]);
      }
    }
    const archive = await openZip(part.path, attachmentPartZip(context.zip));
    try {
      const options = signal ? { signal } : {};
      for await (const entry of archive.entries()) {
        if (taken > 0) {
          taken -= 1;
          continue;
        }
        const meta = entryMeta(entry);
        const record = tally.add(meta);
        if (entry.isDirectory) continue;
        await pause();
        await read(meta, () => archive.verify(entry, options));
        if (record !== undefined) yield record;
      }
      problems.addAll(archiveProblems(archive, part.file));
    } finally {
      await archive.close();
    }
  };
}

/**
 * The notice of a part checked here after all: the same words for every part when no thread could start,
 * so it is told once.
 */
function threadLost(file: string, lost: VerifyThreadLost): Problem {
  if (!lost.started)
    return problem(
      'THREADS_REDUCED',
      `the attachments were checked on the calling thread: a worker thread could not start (${lost.why})`,
    );
  return problem(
    'THREADS_REDUCED',
    `${file}: the worker thread checking it stopped part way (${lost.why}); the rest of its entries were checked on the calling thread`,
    { file },
  );
}
