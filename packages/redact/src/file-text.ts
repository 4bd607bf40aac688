// Text files people write by hand or with another tool (a key, a list of ids): UTF-8 with or without a BOM,
// or UTF-16 with one, as Windows PowerShell 5 writes `... > key` and Excel saves "Unicode Text".
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The bytes of the file at `path`, or undefined when it holds more than `most`: a file is not read then, a
 * pipe or device (`<(...)`, `/dev/urandom`, which never ends) only up to one byte more. Throws as `open`
 * and `read` do (ENOENT, EISDIR).
 */
export function readAtMost(path: string, most: number): Buffer | undefined {
  // `-` is standard input, as for the command-line tools that read a file or a pipe: not closed after.
  const fd = path === STDIN ? 0 : openSync(path, 'r');
  try {
    if (fstatSync(fd).size > most) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (let n: number; (n = readWaiting(fd, chunk)) > 0; ) {
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      total += n;
      if (total > most) return undefined;
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** The path that names standard input. */
export const STDIN = '-';

/** How a message names the file at `path` (`the key file K`): standard input by its name, not as a file "-". */
export const pathWords = (path: string, file: string) =>
  path === STDIN ? `${file.replace(/ file$/, '')} on standard input` : `${file} ${path}`;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * `readSync`, waiting on a descriptor a parent process left non-blocking (standard input of some shells and
 * runners): EAGAIN there says "nothing yet", not an error.
 */
function readWaiting(fd: number, into: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, into, 0, into.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

/**
 * The text of UTF-16 bytes with a BOM, when they are well-formed text (no unpaired surrogate, no control
 * character but tabs and line ends); undefined for other bytes.
 */
export function utf16Text(raw: Buffer): string | undefined {
  const bom = raw.length >= 2 ? (raw[0]! << 8) | raw[1]! : 0;
  const encoding = bom === 0xfffe ? 'utf-16le' : bom === 0xfeff ? 'utf-16be' : undefined;
  if (encoding === undefined || raw.length % 2 !== 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(raw.subarray(2));
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/** A file's text: UTF-16 with a BOM decoded (see `utf16Text`), else UTF-8 without its BOM. */
export function fileText(raw: Buffer): string {
  return utf16Text(raw) ?? raw.toString('utf8').replace(/^\ufeff/, '');
}

/**
 * What to do when the file an option names cannot be read, as its code tells: a folder, a missing file or one
 * this user may not read each have their own fix, not "check --key-file".
 */
export function unreadableFix(code: string, option: string, what: string): string {
  if (code === 'EISDIR') return `it is a folder; give ${what}`;
  if (code === 'ENOENT') return `there is no such file; check the path given to ${option}`;
  if (code === 'EACCES' || code === 'EPERM')
    return 'the user running talent-export may not read it; give that user read permission, or give a copy it can read';
  return `check ${option}`;
}
