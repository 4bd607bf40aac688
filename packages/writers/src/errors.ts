/** Every way a write can fail; each has one cause and one fix, named in the message. */
export type WriterErrorCode =
  | 'WRITER_BAD_OPTION'
  | 'WRITER_BAD_TABLE'
  | 'WRITER_DUPLICATE_TABLE'
  | 'WRITER_BAD_VALUE'
  | 'WRITER_CLOSED'
  | 'WRITER_IO'
  | 'WRITER_ABORTED';

export class WriterError extends Error {
  readonly code: WriterErrorCode;
  readonly file?: string;

  constructor(code: WriterErrorCode, message: string, details: { file?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WriterError';
    this.code = code;
    if (details.file !== undefined) this.file = details.file;
  }
}

/** Wraps a file-system failure so the caller learns which file and what to check. */
export function ioError(action: string, file: string, cause: unknown): WriterError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new WriterError(
    'WRITER_IO',
    `could not ${action} ${file}: ${reason}; check that the output folder is writable and has free space`,
    { file, cause },
  );
}

export function abortedError(where: string): WriterError {
  return new WriterError(
    'WRITER_ABORTED',
    `output ${where} was aborted; no file was completed after the abort`,
  );
}
