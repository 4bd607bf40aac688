/** Every way generating a sample export can fail. */
export type SampleErrorCode =
  | 'SAMPLE_BAD_OPTION'
  | 'SAMPLE_DIR_NOT_EMPTY'
  | 'SAMPLE_ABORTED'
  | 'SAMPLE_WRITE_FAILED'
  | 'SAMPLE_INTERNAL';

export class SampleError extends Error {
  override readonly name = 'SampleError';
  readonly code: SampleErrorCode;
  /** The file or folder the error is about, when there is one. */
  readonly path: string | undefined;

  constructor(code: SampleErrorCode, message: string, details: { path?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
  }
}
