import { type ErrorKind, TalentExportError, tooManyFiles } from '@talent-export/errors';

/** Every way the engine itself can fail; a table that cannot be read is a problem of the run instead. */
export type PipelineErrorCode =
  | 'PIPELINE_BAD_OPTION'
  | 'PIPELINE_STAGE_UNLOADABLE'
  | 'PIPELINE_STAGE_FAILED'
  | 'PIPELINE_WORKER_LOST'
  | 'PIPELINE_WORKER_UNSTARTED';

const KIND: Record<PipelineErrorCode, ErrorKind> = {
  PIPELINE_BAD_OPTION: 'usage',
  // A stage is named by the user (a policy, a module path): one that cannot be loaded is a usage error.
  PIPELINE_STAGE_UNLOADABLE: 'usage',
  PIPELINE_STAGE_FAILED: 'internal',
  PIPELINE_WORKER_LOST: 'internal',
  // The system would not give a thread its files or itself (ulimit -n, thread limits): no bug, as any
  // file the system will not open is an input error.
  PIPELINE_WORKER_UNSTARTED: 'input',
};

export class PipelineError extends TalentExportError<PipelineErrorCode> {
  override readonly name = 'PipelineError';
  readonly table?: string;

  constructor(code: PipelineErrorCode, message: string, details: { table?: string; cause?: unknown } = {}) {
    super(code, KIND[code], message, { cause: details.cause });
    if (details.table !== undefined) this.table = details.table;
  }
}

/** Codes of a system that would not give a worker thread what it needs to start. */
const UNSTARTED = new Set([
  'EMFILE',
  'ENFILE',
  'EAGAIN',
  'ENOMEM',
  'ERR_WORKER_INIT_FAILED',
  'ERR_WORKER_OUT_OF_MEMORY',
  // A module the worker imports could not be opened: with too many files open, Node says it is not found.
  'ERR_MODULE_NOT_FOUND',
]);

/**
 * The error for bytes a worker thread took and never gave back: the system's refusal to start it (too many
 * files open, no thread left) says what to change; anything else is a bug.
 */
export function workerLost(where: string, why: string, cause: unknown, table: string): PipelineError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !UNSTARTED.has(code))
    return new PipelineError(
      'PIPELINE_WORKER_LOST',
      `${where} were handed to a worker thread that did not give them back (${why}); run again, or with one thread`,
      { table, cause },
    );
  const reason = (cause as Error).message;
  const files = tooManyFiles(code === 'ENFILE', 'run with one thread');
  const todo =
    code === 'EMFILE' || code === 'ENFILE'
      ? files
      : code === 'ERR_MODULE_NOT_FOUND'
        ? `if that file is there, ${files}; else install talent-export again`
        : 'the system gives this process no more threads or memory: run with fewer threads (one), or with more memory';
  return new PipelineError(
    'PIPELINE_WORKER_UNSTARTED',
    `a worker thread could not start (${reason}), and ${where} it was given are lost, so the table is not read; ${todo}.`,
    { table, cause },
  );
}
