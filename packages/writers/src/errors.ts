import { type ErrorKind, TalentExportError } from '@talent-export/errors';

/** Every way a write can fail; each has one cause and one fix, named in the message. */
export type WriterErrorCode =
  | 'WRITER_BAD_OPTION'
  | 'WRITER_BAD_TABLE'
  | 'WRITER_DUPLICATE_TABLE'
  | 'WRITER_BAD_VALUE'
  | 'WRITER_CLOSED'
  | 'WRITER_IO'
  | 'WRITER_ABORTED'
  | 'WRITER_BUSY';

const KIND: Record<WriterErrorCode, ErrorKind> = {
  WRITER_BAD_OPTION: 'usage',
  // Tables, rows and calls out of order come from the calling code, not from the user or the data.
  WRITER_BAD_TABLE: 'internal',
  WRITER_DUPLICATE_TABLE: 'internal',
  WRITER_BAD_VALUE: 'internal',
  WRITER_CLOSED: 'internal',
  WRITER_IO: 'output',
  WRITER_ABORTED: 'interrupted',
  // Another run writes the folder now: the output cannot be written there.
  WRITER_BUSY: 'output',
};

export class WriterError extends TalentExportError<WriterErrorCode> {
  override readonly name = 'WriterError';
  readonly file?: string;

  constructor(code: WriterErrorCode, message: string, details: { file?: string; cause?: unknown } = {}) {
    super(code, KIND[code], message, { cause: details.cause });
    if (details.file !== undefined) this.file = details.file;
  }
}

/**
 * What to do about a file-system failure whose cause its code tells: "check the free space" is no help when
 * a part of --out is a file, and "check it is writable" none on a full disk.
 */
const REMEDIES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full; free space there or give a folder on another disk',
  EDQUOT: 'the disk quota is used up; free space there or give a folder on another disk',
  ENOTDIR: 'a part of that path is a file, not a folder; give a path made of folders',
  EACCES: 'that folder cannot be written by this user; give a folder that can',
  EPERM: 'that folder cannot be written by this user; give a folder that can',
  EROFS: 'that disk is read-only; give a folder on a writable one',
};

/** Wraps a file-system failure so the caller learns which file and what to check. */
export function ioError(action: string, file: string, cause: unknown): WriterError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const remedy =
    (code !== undefined && REMEDIES[code]) || 'check that the output folder is writable and has free space';
  return new WriterError('WRITER_IO', `could not ${action} ${file}: ${reason}; ${remedy}`, { file, cause });
}

export function abortedError(where: string): WriterError {
  return new WriterError(
    'WRITER_ABORTED',
    `output ${where} was aborted; no file was completed after the abort`,
  );
}
