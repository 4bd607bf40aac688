import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { alive, fileSystemRemedy, makeFolders } from '@talent-export/errors';
import { SampleError } from './errors.js';

/** Names a sample run writes into the export folder; `force` replaces only these. */
export function isExportFile(name: string): boolean {
  return (
    name === 'export.csv' ||
    name === 'export.zip' ||
    /^Attachment_.+\.zip$/.test(name) ||
    /^\..+\.partial(\.cd)?$/.test(name)
  );
}

/** Names a sample run writes into the truth folder. */
export function isTruthFile(name: string): boolean {
  return ['truth.json', 'pii.txt', 'records', 'stamp.json'].includes(name) || /^\..+\.partial$/.test(name);
}

/**
 * In a folder a run writes to, while it does: which process, so that another run into the same folder at
 * once is refused (the two would write the same temporary names and remove each other's), and a folder
 * left by a killed run is known as such.
 */
export const LOCK = '.talent-export-sample.lock';
/** A temporary file of a run (see `Run.temp`), and a zip's central directory kept beside it. */
const PARTIAL = /^\..+\.partial(\.cd)?$/;
/** The locks the runs of this process hold, by token (a pid alone cannot tell two runs of one process apart). */
const held = new Set<string>();
/** A lock this young whose text cannot be read yet is being written by its run. */
const FRESH_MS = 10_000;
/** How long a lock written on another host is taken for a run's. */
const OTHER_HOST_MS = 60 * 60 * 1000;

export interface Held {
  /** Whether the run made the folder. */
  created: boolean;
  /** Lets go of the folder (its lock removed). */
  release(): Promise<void>;
}

/**
 * Creates `dir` if needed and holds it for this run (see `LOCK`). A non-empty folder is refused, unless
 * `force`: then earlier sample files are removed and anything else is left alone. The temporary files of
 * a run no longer alive (killed) are removed first, as no running run can own them.
 */
export async function prepareDir(
  dir: string,
  force: boolean,
  ours: (name: string) => boolean,
): Promise<Held> {
  let created = false;
  try {
    await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailed(dir, error);
    await makeFolders(dir).catch((cause: unknown) => {
      throw writeFailed(dir, cause);
    });
    created = true;
  }
  const { token, tookOver } = await lock(dir);
  const release = async () => {
    held.delete(token);
    await unlink(join(dir, LOCK)).catch(() => undefined);
  };
  try {
    let existing: string[];
    try {
      existing = await readdir(dir);
    } catch (error) {
      throw writeFailed(dir, error);
    }
    // A killed run's unfinished files, once its lock was taken over; else they may be anyone's.
    if (tookOver) {
      for (const name of existing.filter((n) => PARTIAL.test(n))) await rm(join(dir, name), { force: true });
      existing = existing.filter((name) => !PARTIAL.test(name));
    }
    existing = existing.filter((name) => name !== LOCK);
    if (existing.length > 0 && !force) {
      throw new SampleError(
        'SAMPLE_DIR_NOT_EMPTY',
        `Folder ${dir} is not empty (${existing.length === 1 ? `it holds "${existing[0]}"` : `${existing.length} entries, e.g. "${existing[0]}"`}); choose an empty or new folder, or pass force (--force on the command line) to replace an earlier sample there.`,
        { path: dir },
      );
    }
    for (const name of existing) {
      if (ours(name)) await rm(join(dir, name), { recursive: true, force: true });
    }
  } catch (error) {
    await release();
    if (created) await rmdir(dir).catch(() => undefined);
    throw error;
  }
  return { created, release };
}

/**
 * Takes `dir`'s lock (its token returned, and whether a lock of a run no longer alive was taken over), or
 * refuses the folder as another run's.
 */
async function lock(dir: string): Promise<{ token: string; tookOver: boolean }> {
  const path = join(dir, LOCK);
  const token = randomBytes(8).toString('hex');
  const text = JSON.stringify({ pid: process.pid, host: hostname(), token });
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' });
      held.add(token);
      return { token, tookOver: attempt > 0 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailed(dir, error);
    }
    const holder = await lockHolder(dir);
    if (holder.running || attempt > 0) {
      const who =
        holder.pid === undefined
          ? 'another sample run'
          : `another sample run (process ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`})`;
      throw new SampleError(
        'SAMPLE_DIR_BUSY',
        `Folder ${dir} is being written by ${who}; wait for it to end, or choose another folder. If no such run is going on, delete ${path} and run again.`,
        { path: dir },
      );
    }
    await unlink(path).catch(() => undefined);
  }
}

/** Who holds `dir`'s lock, and whether that run may still be going on. */
async function lockHolder(dir: string): Promise<{ running: boolean; pid?: number; host?: string }> {
  const path = join(dir, LOCK);
  let holder: { pid?: unknown; host?: unknown; token?: unknown } = {};
  try {
    holder = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // Being written this instant, or cut short by a kill: only a young one may still be a run's.
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    );
    return { running: age < FRESH_MS };
  }
  const pid = Number.isSafeInteger(holder.pid) ? (holder.pid as number) : undefined;
  const host = typeof holder.host === 'string' ? holder.host : undefined;
  if (pid === undefined || host === undefined) return { running: false };
  // On another machine (or container) whether it runs cannot be told: it is taken to, for an hour (a
  // container has a new host name each time, and a sample is written in minutes).
  if (host !== hostname()) {
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    );
    return { running: age < OTHER_HOST_MS, pid, host };
  }
  // This process's id: a run of this process, or one of an earlier process given the same id (pid 1 in
  // a container each time).
  if (pid === process.pid)
    return { running: typeof holder.token === 'string' && held.has(holder.token), pid, host };
  return { running: alive(pid), pid, host };
}

export function writeFailed(path: string, cause: unknown): SampleError {
  if (cause instanceof SampleError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  // What to do, as the code tells it: "check free disk space" is no help when a part of the path is a file.
  const fix = fileSystemRemedy(cause);
  return new SampleError(
    'SAMPLE_WRITE_FAILED',
    fix === undefined
      ? `Could not write ${path}: ${reason}. Check free disk space and permissions, then run again.`
      : `Could not write ${path}: ${reason}; ${fix}, then run again.`,
    { path, cause },
  );
}

/** Undo a failed run: remove what it wrote, and the folders it created if they are empty again. */
export async function removeAll(
  paths: Iterable<string>,
  createdDirs: Iterable<string>,
  releases: Iterable<() => Promise<void>> = [],
): Promise<void> {
  for (const path of paths) await unlink(path).catch(() => undefined);
  for (const release of releases) await release();
  for (const dir of createdDirs) await rmdir(dir).catch(() => undefined);
}
