import { type ErrorKind, TalentExportError } from '@talent-export/errors';

/** Every way generating a sample export can fail. */
export type SampleErrorCode =
  | 'SAMPLE_BAD_OPTION'
  | 'SAMPLE_DIR_NOT_EMPTY'
  | 'SAMPLE_DIR_BUSY'
  | 'SAMPLE_ABORTED'
  | 'SAMPLE_WRITE_FAILED'
  | 'SAMPLE_INTERNAL';

const KIND: Record<SampleErrorCode, ErrorKind> = {
  SAMPLE_BAD_OPTION: 'usage',
  SAMPLE_DIR_NOT_EMPTY: 'output',
  SAMPLE_DIR_BUSY: 'output',
  SAMPLE_ABORTED: 'interrupted',
  SAMPLE_WRITE_FAILED: 'output',
  SAMPLE_INTERNAL: 'internal',
};

export class SampleError extends TalentExportError<SampleErrorCode> {
  override readonly name = 'SampleError';
  /** The file or folder the error is about, when there is one. */
  readonly path: string | undefined;

  constructor(code: SampleErrorCode, message: string, details: { path?: string; cause?: unknown } = {}) {
    super(code, KIND[code], message, { cause: details.cause });
    this.path = details.path;
  }
}
