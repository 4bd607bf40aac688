// Why a file could not be read, said without its path: a path below a candidate folder holds an
// attachment's file name, personal data that no message may show.
import { reason } from './io.js';

/** An error of the file system (it names a system call), as opposed to a check of ours or the zip reader's. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | undefined;
  return error instanceof Error && typeof e?.code === 'string' && typeof e.syscall === 'string';
}

/** `reason(error)`, a system error's path left out: `EACCES: permission denied, open '/x/cv.pdf'` -> `EACCES: permission denied`. */
export function pathlessReason(error: unknown): string {
  if (!isSystemError(error)) return reason(error);
  const what = /^[A-Z0-9_]+: (.*?), \w+ '/.exec(error.message)?.[1];
  return what === undefined ? error.code! : `${error.code}: ${what}`;
}
