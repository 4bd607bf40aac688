// The attachment index: every entry of every part, from zip central directories or folder listings only.
import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { kindOf, raiseOpenFiles } from '@talent-export/errors';
import { hiddenFileName, openZip, type ZipArchive, type ZipEntry, type ZipOptions } from '@talent-export/zip';
import type { AttachmentRecord, AttachmentTally, EntryMeta } from './attachments.js';
import { entryProblem, type Problem, ProblemList, problem } from './errors.js';
import type { PartInfo } from './find.js';
import { advises, archiveProblems, reason, refusedEntries } from './io.js';
import { candidateFolderId } from './names.js';
import { attachmentPartZip } from './options.js';
import { isSystemError, pathlessReason } from './verify-reason.js';

/** What reading one part needs; `problems` collects what the reading finds. */
export interface PartContext {
  tally: AttachmentTally;
  problems: ProblemList;
  zip: ZipOptions;
  signal: AbortSignal | undefined;
}

export type PartReader = (part: PartInfo, context: PartContext) => AsyncGenerator<AttachmentRecord>;

/** Reads the parts one after another with `readPart` (verifying); partFailed says what a failed part does. */
export async function* readParts<Summary>(
  parts: readonly PartInfo[],
  readPart: PartReader,
  context: PartContext,
  finish: () => Promise<Summary>,
): AsyncGenerator<AttachmentRecord, Summary> {
  const { tally, signal } = context;
  for (const part of parts) {
    signal?.throwIfAborted();
    tally.startPart(part.file, rangeOf(part), part.copies);
    try {
      yield* readPart(part, context);
    } catch (error) {
      partFailed(error, part, context);
    }
    tally.endPart(refusedEntries(context.problems.items, part.file));
  }
  return finish();
}

/** Records an index batch holds at most (a zip's entries come in batches of up to as many). */
const BATCH = 256;

/**
 * The index of every part, a batch of records at a time: each entry is tallied in a plain loop (see
 * AttachmentTally.addEntries), and a caller pays one promise a batch rather than a few turns of the
 * microtask queue a record.
 */
export async function* indexParts<Summary>(
  parts: readonly PartInfo[],
  context: PartContext,
  finish: () => Promise<Summary>,
): AsyncGenerator<AttachmentRecord[], Summary> {
  // The next zip is opened (its directory read and checked) while this one is walked: the walk then never
  // waits for the disk between parts.
  const open = (i: number) => {
    const part = parts[i];
    if (part?.kind !== 'zip') return undefined;
    const opening = openZip(part.path, attachmentPartZip(context.zip));
    opening.catch(() => undefined); // its failure is that part's, met when the part is read
    return opening;
  };
  let next = open(0);
  try {
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i]!;
      const opening = next;
      next = open(i + 1);
      yield* indexPart(part, opening, context);
    }
  } finally {
    // A run left early closes the zip opened ahead.
    next?.then((archive) => archive.close()).catch(() => undefined);
  }
  return finish();
}

/** One part's index; `opening`: its zip, opened ahead (undefined for an extracted folder). */
async function* indexPart(
  part: PartInfo,
  opening: Promise<ZipArchive> | undefined,
  context: PartContext,
): AsyncGenerator<AttachmentRecord[]> {
  const { tally, problems, signal } = context;
  tally.startPart(part.file, rangeOf(part), part.copies);
  try {
    if (opening === undefined) {
      signal?.throwIfAborted();
      let batch: AttachmentRecord[] = [];
      for await (const meta of folderEntries(part, problems, signal)) {
        const record = tally.add(meta);
        if (record !== undefined) batch.push(record);
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } else {
      const archive = await opening;
      try {
        signal?.throwIfAborted();
        for await (const entries of archive.entryBatches()) {
          signal?.throwIfAborted();
          const batch = tally.addEntries(entries);
          if (batch.length > 0) yield batch;
        }
        problems.addAll(archiveProblems(archive, part.file));
      } finally {
        await archive.close();
      }
    }
  } catch (error) {
    partFailed(error, part, context);
  }
  tally.endPart(refusedEntries(problems.items, part.file));
}

/** A generator of batches as one of their records. */
export async function* flatten<T, R>(batches: AsyncGenerator<T[], R>): AsyncGenerator<T, R> {
  for (;;) {
    const step = await batches.next();
    if (step.done) return step.value;
    yield* step.value;
  }
}

/**
 * A part that cannot be read (an error of kind `input`) is a problem naming it and the run goes on with
 * the other parts; anything else (a cancellation, a bad option, a bug such as one in a caller's callback)
 * is thrown on.
 */
function partFailed(error: unknown, part: PartInfo, { tally, problems, signal }: PartContext): void {
  signal?.throwIfAborted();
  if (kindOf(error) !== 'input') throw error;
  tally.partUnreadable();
  const why = reason(error);
  problems.add(
    problem(
      'PART_UNREADABLE',
      `${part.file} cannot be read (${why}); its attachments are not all indexed.${partAdvice(why)}`,
      { file: part.file },
    ),
  );
}

/** What to do about a part that cannot be read, unless the zip reader's reason says it already. */
export function partAdvice(why: string): string {
  // The system would not open another file (its modules, the part): the part may well be whole. With too
  // many files open, Node says a module it could not open is not found.
  if (/\bE[MN]FILE\b/.test(why))
    return ` This process may not open more files at once (\`ulimit -n\`): ${raiseOpenFiles()} and run again; the part itself may be whole`;
  if (/\bERR_(?:MODULE_NOT_FOUND|WORKER_INIT_FAILED)\b/.test(why))
    return ` The thread that checks it could not start: if that file of talent-export is there, this process may not open more files at once (\`ulimit -n\`), so ${raiseOpenFiles()} and run again; else install talent-export again. The part itself may be whole`;
  return advises(why) ? '' : ' Download it again from its Download Url in export.csv';
}

export const entryMeta = (entry: ZipEntry): EntryMeta => ({
  name: entry.name,
  isDirectory: entry.isDirectory,
  size: entry.uncompressedSize,
  crc32: entry.crc32,
});

/**
 * An extracted part: Candidate_<id>/<kind>/<file> below the folder, by lstat only, links not followed. Each
 * file left out is its own problem, though two names hidden alike make two alike: a caller listing a part
 * twice gives the first listing a list of its own.
 */
export async function* folderEntries(
  part: PartInfo,
  problems: ProblemList,
  signal: AbortSignal | undefined,
): AsyncGenerator<EntryMeta> {
  const candidates: string[] = [];
  for await (const dirent of await opendir(part.path)) {
    if (dirent.isDirectory() && candidateFolderId(dirent.name) !== undefined) candidates.push(dirent.name);
  }
  candidates.sort();
  for (const candidate of candidates) {
    const pending = [candidate];
    while (pending.length > 0) {
      signal?.throwIfAborted();
      const rel = pending.shift()!;
      // A folder this user may not list (made by another user, or with other permissions) is that folder's
      // files left out, told; the rest of the part is read, as a zip's other entries are past a refused one.
      const children = await listed(join(part.path, rel)).catch((error: unknown) => {
        if (!isDenied(error)) throw error;
        problems.addApart(
          unreadableEntry(part, `${rel}/`, error, 'cannot be listed: its files are left out'),
        );
        return undefined;
      });
      if (children === undefined) continue;
      yield { name: `${rel}/`, isDirectory: true, size: 0, crc32: null };
      for (const dirent of children) {
        const name = `${rel}/${dirent.name}`;
        if (await notUtf8(join(part.path, name), dirent.name)) {
          problems.addApart(
            entryProblem(
              'ENTRY_REFUSED',
              part.file,
              name,
              'is left out: its name is not UTF-8, so it cannot be opened by the name read. Rename it and run again',
            ),
          );
        } else if (dirent.isSymbolicLink()) {
          problems.addApart(
            problem(
              'SYMLINK_IGNORED',
              `${part.file}/${hiddenFileName(name)} is a symbolic link and is not followed`,
              {
                file: part.file,
                entry: hiddenFileName(name),
              },
            ),
          );
        } else if (dirent.isDirectory()) {
          pending.push(name);
        } else if (dirent.isFile()) {
          const size = await lstat(join(part.path, name)).then(
            (stats) => stats.size,
            (error: unknown) => {
              if (!isDenied(error)) throw error;
              problems.addApart(unreadableEntry(part, name, error, 'cannot be read: it is left out'));
              return undefined;
            },
          );
          if (size !== undefined) yield { name, isDirectory: false, size, crc32: null };
        } else {
          // What the zip reader refuses in a zip (ZIP_NOT_REGULAR) is told here too, not dropped unsaid.
          problems.addApart(
            entryProblem(
              'ENTRY_REFUSED',
              part.file,
              name,
              `is left out: it is ${specialKind(dirent)}, not a regular file`,
            ),
          );
        }
      }
    }
  }
}

/**
 * The entries of an extracted part as `folderEntries` lists them, for a reader that copies its files (redact):
 * what is left out is told by the attachment index of the same part, so the problems found here go nowhere.
 */
export function partFolderEntries(part: PartInfo, signal?: AbortSignal): AsyncGenerator<EntryMeta> {
  return folderEntries(part, new ProblemList(), signal);
}

/** A folder's entries, by name. */
async function listed(dir: string): Promise<Dirent[]> {
  const children: Dirent[] = [];
  for await (const dirent of await opendir(dir)) children.push(dirent);
  return children.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * A permission refused: the one file or folder is left out. Anything else (a folder changed while it is
 * read) ends the part, told as a part cut short.
 */
const isDenied = (error: unknown): boolean =>
  isSystemError(error) && (error.code === 'EACCES' || error.code === 'EPERM');

/** A file or folder of an extracted part the system would not let this process read, named without its path. */
function unreadableEntry(part: PartInfo, name: string, error: unknown, what: string): Problem {
  const advice = ' Give this user read access to it (e.g. chmod -R u+rX) and run again';
  return entryProblem('ENTRY_REFUSED', part.file, name, `${what} (${pathlessReason(error)}).${advice}`);
}

function specialKind(dirent: Dirent): string {
  if (dirent.isFIFO()) return 'a named pipe (FIFO)';
  if (dirent.isSocket()) return 'a socket';
  if (dirent.isBlockDevice() || dirent.isCharacterDevice()) return 'a device';
  return 'of a kind no file reader opens';
}

/**
 * A name of bytes that are not UTF-8 (a zip of another code page unzipped as is) is read with U+FFFD in
 * their place: that name opens nothing, and the folder's walk stopped at it, leaving every later file out.
 */
async function notUtf8(path: string, name: string): Promise<boolean> {
  if (!name.includes('\uFFFD')) return false;
  try {
    await lstat(path);
    return false;
  } catch (error) {
    // Any other failure is told where the file is read.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

export function rangeOf(part: PartInfo): { first?: string; last?: string } {
  return part.first === undefined || part.last === undefined ? {} : { first: part.first, last: part.last };
}
