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
 * The limits of open files of this process (Linux's /proc/self/limits: soft, then hard; `unlimited` is
 * Infinity), or null; read when this module loads, as once the limit is reached it cannot be read.
 * Node 20 has no call that gives them.
 */
const OPEN_FILES = openFilesLimits();

export interface FileLimits {
  soft: number;
  hard: number;
}

function openFilesLimits(): FileLimits | null {
  try {
    const line = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(
      readFileSync('/proc/self/limits', 'latin1'),
    );
    const limit = (text: string) => (text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text));
    return line ? { soft: limit(line[1]!), hard: limit(line[2]!) } : null;
  } catch {
    return null;
  }
}

/** A limit of open files above the soft one: 4096 at least, else twice it, no more than the hard limit. */
const RAISED_AT_LEAST = 4096;

/**
 * What to do when the system would not open another file (EMFILE; `system`: ENFILE, the system's own
 * limit); `fewer` says how to run with one thread. The value to raise the limit to is above the current
 * one: `ulimit -n 4096` said to a process allowed 20,000 would lower it. `limits`: this process's.
 */
export function tooManyFiles(system: boolean, fewer: string, limits: FileLimits | null = OPEN_FILES): string {
  const soft = limits?.soft;
  const limit = soft === undefined || !Number.isFinite(soft) ? 'only a few' : `only ${soft}`;
  const open = `this process may have ${limit} files open at once (\`ulimit -n\`${system ? ", or the system's limit" : ''})`;
  return `${open}: ${raise(limits)} and run again, or ${fewer}`;
}

/** How to raise the soft limit of open files, to a value above it where it is known ("raise it ..."). */
export function raise(limits: FileLimits | null = OPEN_FILES): string {
  if (limits === null || !Number.isFinite(limits.soft)) return 'raise it above its current value';
  const { soft, hard } = limits;
  // The soft limit can be raised up to the hard one by anyone, past it only by root; Node raises it to the
  // hard one as it starts, so it is most often there already.
  if (soft >= hard)
    return `raise it, as root since it is its hard limit too (\`ulimit -Hn ${soft * 2}; ulimit -n ${soft * 2}\`, or \`--ulimit nofile=${soft * 2}\` for a container)`;
  const to = Math.min(hard, Math.max(RAISED_AT_LEAST, soft * 2));
  return `raise it (\`ulimit -n ${Number.isFinite(to) ? to : soft * 2}\`)`;
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
