import { constants as fsConstants } from 'node:fs';
import { type FileHandle, open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ZipArchive, ZipTruncation } from '@talent-export/zip';
import { type Problem, problem } from './errors.js';

/** O_NOFOLLOW: a link put in place after the folder was listed is not followed either. */
export function openHandle(path: string): Promise<FileHandle> {
  return openFile(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0));
}

export async function openNoFollow(path: string, signal: AbortSignal | undefined): Promise<Readable> {
  return (await openHandle(path)).createReadStream(signal ? { signal } : {});
}

/** The entries a zip opened with `onRefused: 'skip'` left out, as problems naming the archive. */
/** What reading an archive found: entries refused and skipped, and oddities read as the archive meant (notices). */
export function archiveProblems(archive: ZipArchive, file: string): Problem[] {
  const problems = archive.truncated === undefined ? [] : [truncatedPart(archive.truncated, file)];
  problems.push(
    ...archive.refused.map((refused) =>
      problem('ENTRY_REFUSED', `${file}: an entry was refused and skipped: ${refused.message}`, {
        file,
        ...(refused.entry === undefined ? {} : { entry: refused.entry }),
      }),
    ),
  );
  const more = archive.refusedCount - archive.refused.length;
  if (more > 0) {
    problems.push(
      problem('ENTRY_REFUSED', `${file}: ${more} more entries were refused and skipped`, {
        file,
        count: more,
      }),
    );
  }
  problems.push(...archiveNotices(archive, file));
  return problems;
}

/** A part cut short, read as far as its entries are whole: what was lost, what was read, what to do. */
export function truncatedPart(truncated: ZipTruncation, file: string): Problem {
  const read =
    truncated.recovered === 0
      ? 'none of its entries is whole, so none of its attachments could be read'
      : `its ${truncated.recovered} whole ${truncated.recovered === 1 ? 'entry was' : 'entries were'} read and checked, the attachments after byte ${truncated.wholeEnd} are missing`;
  return problem(
    'PART_TRUNCATED',
    `${file}: ${truncated.detail}. So ${read}. Its download did not finish: download it again from its Download Url in export.csv`,
    { file },
  );
}

/**
 * How many entries of `file` the problems say were refused: one a problem, and the count of the one for
 * those past the refusals kept (archiveProblems; a part checked on another thread has only its problems).
 */
export function refusedEntries(problems: readonly Problem[], file: string): number {
  let count = 0;
  for (const p of problems) if (p.code === 'ENTRY_REFUSED' && p.file === file) count += p.count ?? 1;
  return count;
}

/** The oddities an archive's reading accepted (`archive.notices`), as ZIP_NOTICE notices naming it. */
export function archiveNotices(archive: ZipArchive, file: string): Problem[] {
  const notices = archive.notices.map((notice) =>
    problem('ZIP_NOTICE', `${notice.code}: ${notice.message}`, {
      file,
      ...(notice.entry === undefined ? {} : { entry: notice.entry }),
    }),
  );
  const unlisted = archive.noticeCount - archive.notices.length;
  if (unlisted > 0) notices.push(problem('ZIP_NOTICE', `${file}: ${unlisted} more notices`, { file }));
  return notices;
}

/** An error's code and message, for a problem that says why something could not be read. */
export function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/**
 * Whether a reason (the zip reader's, most often) says what to do already: download or create it again,
 * check the permissions, or join a split zip's pieces (whole once joined, as the zip reader says: not a
 * bad download). Advice of ours beside it would say the same twice, or contradict it.
 */
export function advises(reason: string): boolean {
  return /(download|create) (it|the archive) again|permissions|join the pieces/i.test(reason);
}

/** `message` and the advice to download again, once: the zip reader's reason may already give it. */
export function downloadAgain(message: string): string {
  return advises(message) ? message : `${message}; download it again`;
}
