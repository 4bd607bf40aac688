import { type ErrorKind, TalentExportError } from '@talent-export/errors';

/** Every way the engine itself can fail; a table that cannot be read is a problem of the run instead. */
export type PipelineErrorCode =
  | 'PIPELINE_BAD_OPTION'
  | 'PIPELINE_STAGE_UNLOADABLE'
  | 'PIPELINE_STAGE_FAILED'
  | 'PIPELINE_WORKER_LOST';

const KIND: Record<PipelineErrorCode, ErrorKind> = {
  PIPELINE_BAD_OPTION: 'usage',
  // A stage is named by the user (a policy, a module path): one that cannot be loaded is a usage error.
  PIPELINE_STAGE_UNLOADABLE: 'usage',
  PIPELINE_STAGE_FAILED: 'internal',
  PIPELINE_WORKER_LOST: 'internal',
};

export class PipelineError extends TalentExportError<PipelineErrorCode> {
  override readonly name = 'PipelineError';
  readonly table?: string;

  constructor(code: PipelineErrorCode, message: string, details: { table?: string; cause?: unknown } = {}) {
    super(code, KIND[code], message, { cause: details.cause });
    if (details.table !== undefined) this.table = details.table;
  }
}
