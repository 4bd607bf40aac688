import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alive } from '@talent-export/errors';
import { trackTemp, untrackTemp } from './cleanup.js';
import { ioError, WriterError } from './errors.js';
import { tempName } from './sink.js';

/** Held by the run writing the folder; names its process, so a later run can tell a dead one's. */
export const LOCK_NAME = '.talent-export.lock';

/**
 * Takes the folder for this process: two runs into one folder at once would each publish their files
 * over the other's, and leave a manifest that lists one run's files beside the other's. A lock left by a
 * dead run (SIGKILL) is taken over. Returns the lock to give back, or undefined when this process holds
 * it already (two outputs of one program).
 */
export async function lockFolder(dir: string, handleSignals: boolean): Promise<string | undefined> {
  const path = join(dir, LOCK_NAME);
  // Written whole under a name of its own, then linked: the lock never appears empty to another run.
  const temp = tempName(join(dir, LOCK_NAME.slice(1)));
  // Tracked, so that another output of this process does not take it for a dead run's (see removeDeadTemps).
  trackTemp(temp, false);
  try {
    await writeFile(temp, `${process.pid}\n`, { flag: 'wx' });
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

async function take(dir: string, path: string, temp: string, handleSignals: boolean) {
  for (let attempt = 0; ; attempt++) {
    try {
      await link(temp, path);
      trackTemp(path, handleSignals);
      return path;
    } catch (error) {
      // A disk without hard links (FAT, exFAT): written without a lock, as before there was one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      if (attempt > 0) throw ioError('write in the output folder', dir, error);
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (pid === process.pid) return undefined;
    if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) {
      throw new WriterError(
        'WRITER_BUSY',
        `${dir} is being written by another run (process ${pid}); wait for it to end, or give another folder (if process ${pid} is no talent-export, remove ${path})`,
        { file: dir },
      );
    }
    await rm(path, { force: true });
  }
}

/** Gives the folder back: removes the lock this output took. */
export async function unlockFolder(path: string | undefined, handleSignals: boolean): Promise<void> {
  if (path === undefined) return;
  await rm(path, { force: true });
  untrackTemp(path, handleSignals);
}
