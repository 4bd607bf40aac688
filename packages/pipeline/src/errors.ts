/** Every way the engine itself can fail; a table that cannot be read is a problem of the run instead. */
export type PipelineErrorCode =
  | 'PIPELINE_BAD_OPTION'
  | 'PIPELINE_STAGE_UNLOADABLE'
  | 'PIPELINE_STAGE_FAILED'
  | 'PIPELINE_WORKER_LOST';

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    details: { table?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.table !== undefined) this.table = details.table;
  }
  readonly table?: string;
}
