// A plain file's stamp: what says the bytes read of a table's CSV file are those of the file listed. An
// entry of export.zip has its CRC-32 and sizes to say its bytes came through whole; a CSV file of an
// extracted export has nothing of the kind, and one still being copied or downloaded, or rewritten by a
// sync client, reads as fewer rows (cut at a line end) or rows of two versions, with no error at all.
import type { BigIntStats } from 'node:fs';
import { ExportError } from './errors.js';

/**
 * Size, modification time (to the nanosecond) and which file it is. Not the change time: a new hard link
 * or a change of permissions moves it, the bytes the same.
 */
export interface FileStamp {
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
  readonly dev: bigint;
}

export const stampOf = (stats: BigIntStats): FileStamp => ({
  size: stats.size,
  mtimeNs: stats.mtimeNs,
  ino: stats.ino,
  dev: stats.dev,
});

/** How a file stamped `then` differs as stamped `now`, in words; undefined when it does not. */
export function changeOf(then: FileStamp, now: FileStamp): string | undefined {
  if (now.ino !== then.ino || now.dev !== then.dev) return 'another file was put in its place';
  if (now.size !== then.size) return `it held ${then.size} bytes, then ${now.size}`;
  if (now.mtimeNs !== then.mtimeNs) return 'it was written to';
  return undefined;
}

/**
 * A table's file that changed while it was read: the rows read may lack some (a file cut short, or still
 * growing), or be of two versions. Refused, as a zip entry whose CRC-32 does not match is.
 */
export function tableChanged(file: string, what: string): ExportError {
  return new ExportError(
    'EXPORT_TABLE_CHANGED',
    `the rows read from ${file} may be incomplete or mixed: the file changed while it was being read (${what}); run again once nothing writes to it (a copy, download or sync still going on)`,
    { file },
  );
}
