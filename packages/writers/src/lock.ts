import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alive, startedAfter, startTime, untouchedFor } from '@talent-export/errors';
import { trackTemp, untrackTemp } from './cleanup.js';
import { ioError, WriterError } from './errors.js';
import { tempName } from './sink.js';

/** Held by the run writing the folder; names its process, so a later run can tell a dead one's. */
export const LOCK_NAME = '.talent-export.lock';

/**
 * Which run of this process holds a lock: its pid alone is not enough, as a pid is reused once its
 * process ends (in a container every run is pid 1), and a lock naming a reused pid would be taken for
 * its holder's forever.
 */
const TOKEN = randomBytes(8).toString('hex');

/** `<pid> <start time or -> <token>`: the first number alone is what earlier versions wrote and read. */
function lockText(): string {
  return `${process.pid} ${startTime(process.pid) ?? '-'} ${TOKEN}\n`;
}

interface Holder {
  pid: number;
  start?: string;
  token?: string;
}

function parseLock(text: string): Holder | undefined {
  const [pid, start, token] = text.trim().split(/\s+/);
  const number = Number(pid);
  if (!Number.isSafeInteger(number) || number <= 0) return undefined;
  return {
    pid: number,
    ...(start !== undefined && start !== '-' ? { start } : {}),
    ...(token !== undefined ? { token } : {}),
  };
}

/**
 * Whether the run that wrote the lock may still be running. Its pid must be alive, and where Linux tells
 * when that process started, it must be the one that wrote the lock: the same start time, or for a lock
 * of an earlier version (a pid alone), a start before the lock was written.
 */
async function held(holder: Holder, path: string): Promise<boolean> {
  // Another run of this pid: an earlier process's (pid 1 in a container each time), or a live run's in
  // another container sharing the folder, whose ids are its own; taken over once left an hour.
  if (holder.pid === process.pid) return holder.token === TOKEN || !(await untouchedFor(path));
  if (!alive(holder.pid)) return false;
  const start = startTime(holder.pid);
  if (start === undefined) return true;
  if (holder.start !== undefined) return holder.start === start;
  const written = await stat(path).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  return written === undefined || !startedAfter(holder.pid, written);
}

/**
 * Takes the folder for this process: two runs into one folder at once would each publish their files
 * over the other's, and leave a manifest that lists one run's files beside the other's. A lock left by a
 * dead run (SIGKILL), or naming a pid given to another process since, is taken over. Returns the lock to
 * give back, or undefined when this run holds it already (two outputs of one program).
 */
export async function lockFolder(dir: string, handleSignals: boolean): Promise<string | undefined> {
  const path = join(dir, LOCK_NAME);
  // Written whole under a name of its own, then linked: the lock never appears empty to another run.
  const temp = tempName(join(dir, LOCK_NAME.slice(1)));
  // Tracked, so that another output of this process does not take it for a dead run's (see removeDeadTemps).
  trackTemp(temp, false);
  try {
    await writeFile(temp, lockText(), { flag: 'wx' });
  } catch (error) {
    untrackTemp(temp, false);
    throw ioError('write in the output folder', dir, error);
  }
  try {
    return await take(dir, path, temp, handleSignals);
  } finally {
    await rm(temp, { force: true });
    untrackTemp(temp, false);
  }
}

/** Tries to take a lock found stale this many times before the folder is said to be busy. */
const ATTEMPTS = 3;

async function take(dir: string, path: string, temp: string, handleSignals: boolean) {
  for (let attempt = 0; ; attempt++) {
    try {
      await link(temp, path);
      trackTemp(path, handleSignals);
      return path;
    } catch (error) {
      // A disk without hard links (FAT, exFAT): written without a lock, as before there was one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      if (attempt === ATTEMPTS) throw busy(dir, path, undefined);
    }
    const seen = await stat(path).catch(() => undefined);
    if (seen === undefined) continue;
    const holder = parseLock(await readFile(path, 'utf8').catch(() => ''));
    if (holder?.pid === process.pid && holder.token === TOKEN) return undefined;
    if (holder !== undefined && (await held(holder, path))) throw busy(dir, path, holder.pid);
    // Its run is gone (a pid now of another process, or of this one: a run before it in a container).
    await removeStale(path, seen, temp);
  }
}

function busy(dir: string, path: string, pid: number | undefined): WriterError {
  const who =
    pid === undefined
      ? 'another run, which took it at the same time as this one'
      : `another run (process ${pid})`;
  const which = pid === undefined ? 'that process' : `process ${pid}`;
  return new WriterError(
    'WRITER_BUSY',
    `${dir} is being written by ${who}; wait for it to end, or give another folder (if ${which} is no talent-export, remove ${path})`,
    { file: dir },
  );
}

/**
 * Removes a stale lock, and only it: two runs that find it stale at once would each remove it, the second
 * removing the lock the first has just taken, and both write. One run at a time removes it, holding a
 * breaker (`<lock>.break`, made as the lock is), and only while the lock is still the file found stale
 * (its inode): no run can put a lock in its place while it is there. (Moved aside and put back when it
 * was not the one found stale, a fresh lock was missing a moment: a third run took the folder too.)
 */
export async function removeStale(path: string, seen: Stats, mine: string): Promise<void> {
  const breaker = `${path}.break`;
  try {
    // `mine`: this run's lock written whole (see `lockFolder`), linked as the lock is.
    await link(mine, breaker);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw ioError('remove the lock of a run no longer alive (a breaker file),', path, error);
    // Another run is removing it, or one was killed doing so: its breaker goes once that run is gone.
    const holder = parseLock(await readFile(breaker, 'utf8').catch(() => ''));
    if (holder === undefined || !(await held(holder, breaker))) await rm(breaker, { force: true });
    return;
  }
  try {
    const now = await stat(path).catch(() => undefined);
    if (now !== undefined && now.ino === seen.ino && now.dev === seen.dev) await rm(path);
  } catch (error) {
    // Not ours to remove (a folder of others with the sticky bit): said as such, not as a busy folder.
    throw ioError('remove the lock of a run no longer alive,', path, error);
  } finally {
    await rm(breaker, { force: true });
  }
}

/** Gives the folder back: removes the lock this output took. */
export async function unlockFolder(path: string | undefined, handleSignals: boolean): Promise<void> {
  if (path === undefined) return;
  // Only while it is still this run's: a lock another run took over since is that run's.
  const holder = parseLock(await readFile(path, 'utf8').catch(() => ''));
  if (holder === undefined || holder.token === undefined || holder.token === TOKEN)
    await rm(path, { force: true });
  untrackTemp(path, handleSignals);
}
