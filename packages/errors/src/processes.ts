// This process and others: whether one runs and when it started, so that a file naming a pid can be told
// from one of a later process given the same pid (pids are reused once their process ends: in a container
// every run is pid 1); how many files this one may open.
import { readFileSync } from 'node:fs';
import { lstat } from 'node:fs/promises';

/**
 * When the process of `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat on Linux),
 * or undefined where there is no /proc. The name in field 2 may hold spaces and parentheses: fields are
 * counted after its last `)`.
 */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The Linux boot time in seconds (`btime` of /proc/stat). */
function bootTime(): number | undefined {
  try {
    const line = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A file's time may come from another clock (a network disk's server): a process is taken to have
 * started after a file was written only when it started this much later.
 */
const CLOCKS_APART_MS = 60_000;
/** Clock ticks a second in /proc/<pid>/stat: USER_HZ, 100 on every Linux architecture. */
const TICKS = 100;

/**
 * Whether the process of `pid` is known to have started after `timeMs` (a file's modification time): a
 * file it names is then a former process's. False where Linux does not tell.
 */
export function startedAfter(pid: number, timeMs: number): boolean {
  const start = startTime(pid);
  const boot = bootTime();
  if (start === undefined || boot === undefined) return false;
  return (boot + Number(start) / TICKS) * 1000 > timeMs + CLOCKS_APART_MS;
}

/** Whether a process of this pid is running (signal 0 sends nothing: it only asks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The soft limit of open files of this process (Linux's /proc/self/limits), or undefined; read when this
 * module loads, as once the limit is reached it cannot be read.
 */
const OPEN_FILES = openFilesLimit();

function openFilesLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What to do when the system would not open another file (EMFILE; `system`: ENFILE, the system's own
 * limit); `fewer` says how to run with one thread.
 */
export function tooManyFiles(system: boolean, fewer: string): string {
  const limit = OPEN_FILES === undefined ? 'only a few' : `only ${OPEN_FILES}`;
  return `this process may have ${limit} files open at once (\`ulimit -n\`${system ? ", or the system's limit" : ''}): raise it (\`ulimit -n 4096\`) and run again, or ${fewer}`;
}

/**
 * How long a file or folder left by a run, named with a pid that may still be a live run's (this process's
 * own id, or a live id another process was given since), must be left unchanged before it is taken for a
 * killed run's: a run in another container sharing the folder has process ids of its own, pid 1 among them.
 */
export const LEFT_FOR_MS = 60 * 60 * 1000;

/** Whether `path` has been left unchanged for `ms` (false when it cannot be seen). */
export const untouchedFor = (path: string, ms = LEFT_FOR_MS): Promise<boolean> =>
  lstat(path).then(
    (info) => Date.now() - info.mtimeMs > ms,
    () => false,
  );

/**
 * Whether a file or folder a run left, named with `pid`, is a killed run's: its process is gone; or, unless
 * `ours` (this process made it and has it still), the pid is this process's or a live one's started after
 * it was last changed (the pid given to another process since: pid 1 in a container each run), and it has
 * been left unchanged for `LEFT_FOR_MS`, as a run in another container sharing the folder has the same ids.
 */
export async function leftByDeadRun(pid: number, path: string, ours: boolean): Promise<boolean> {
  if (ours) return false;
  if (pid !== process.pid) {
    if (!alive(pid)) return true;
    const changed = await lstat(path).then(
      (info) => info.mtimeMs,
      () => undefined,
    );
    if (changed === undefined || !startedAfter(pid, changed)) return false;
  }
  return untouchedFor(path);
}
