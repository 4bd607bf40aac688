import type { AttachmentRecord, AttachmentSummary, TalentExport } from '@talent-export/export';
import type { ProgressEvent, ReadOptions } from '@talent-export/pipeline';
import type { IdLookup } from '@talent-export/schema';
import type { InputLimits } from './args.js';
import type { Context } from './context.js';
import type { Progress } from './progress.js';

/** What every command that reads tables passes the engine: limits, threads, stop signal and progress. */
export function engineOptions(
  limits: InputLimits,
  threads: number,
  { signal, progress }: Context,
): ReadOptions {
  return {
    ...(limits.maxRecordBytes ? { maxRecordBytes: limits.maxRecordBytes } : {}),
    ...(limits.lenientQuotes ? { lenientQuotes: true } : {}),
    threads,
    signal,
    onProgress: tableProgress(progress),
  };
}

/** The engine's table progress on the terminal's progress line. */
export function tableProgress(progress: Progress): (event: ProgressEvent) => void {
  return ({ phase, table, bytes, total, rows }) => {
    if (phase === 'start') progress.start(table, total, 'bytes');
    else if (phase === 'update') progress.update(bytes);
    else progress.done(rows === undefined ? undefined : `${rows.toLocaleString('en-US')} rows`);
  };
}

/** Attachments the index lists at most before it lets other work on this thread in: one batch. */
export const HAND_BACK_EVERY = 256;

/** Lists the attachments of every part (central directories only), with progress. */
export async function indexAttachments(
  ex: TalentExport,
  { signal, progress }: Context,
  candidateIds: IdLookup | Promise<IdLookup | undefined> | undefined,
  onRecord?: (record: AttachmentRecord) => Promise<void> | void,
): Promise<AttachmentSummary> {
  progress.start('attachments index', 0, 'files');
  const index = ex.indexAttachmentBatches({ signal, ...(candidateIds ? { candidateIds } : {}) });
  let n = 0;
  let step = await index.next();
  while (!step.done) {
    for (const record of step.value) {
      const pending = onRecord?.(record);
      if (pending) await pending;
    }
    n += step.value.length;
    progress.update(n);
    // Thousands of entries come from one read of a central directory: run beside the tables, the index
    // held this thread for a whole read at a time, the tables' inflated chunks waited and the decoding
    // workers sat idle. Handing the event loop back after each batch lets them in.
    await new Promise((resolve) => setImmediate(resolve));
    step = await index.next();
  }
  progress.done();
  return step.value;
}

/**
 * An error of the engine reading with a record stage of talent-export's own (report's tally, convert's
 * redaction): one that cannot be loaded is a broken install, not a user's mistake, though the engine says
 * "give a file path" as to a user who named a stage of theirs (exit 2). A module not found is told as a
 * command's module not found is (exit 3: too many files open, else install again); any other, as a bug.
 */
export function ownStage(error: unknown): unknown {
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (code !== 'PIPELINE_STAGE_UNLOADABLE') return error;
  if ((cause as { code?: unknown } | undefined)?.code === 'ERR_MODULE_NOT_FOUND') return cause;
  return new Error(
    `talent-export's own record stage could not be loaded (${(error as Error).message.replace(/; give a file path.*$/, '')}); install talent-export again`,
    { cause: error },
  );
}
