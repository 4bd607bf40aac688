import { type ErrorKind, fileSystemRemedy, TalentExportError } from '@talent-export/errors';

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

/** Wraps a file-system failure so the caller learns which file and what to check. */
export function ioError(action: string, file: string, cause: unknown): WriterError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const remedy = fileSystemRemedy(cause) ?? 'check that the output folder is writable and has free space';
  return new WriterError('WRITER_IO', `could not ${action} ${file}: ${reason}; ${remedy}`, { file, cause });
}

export function abortedError(where: string): WriterError {
  return new WriterError(
    'WRITER_ABORTED',
    `output ${where} was aborted; no file was completed after the abort`,
  );
}
