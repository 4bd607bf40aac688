export { type Batch, readBatches, type TableRun } from './batches.js';
export { PipelineError, type PipelineErrorCode } from './errors.js';
export type { CountColumn, CountSpec, ProgressEvent, ReadOptions } from './options.js';
export { readTables, type TableHooks, type TableResult, type TablesOutcome } from './read.js';
export type { RecordTransform, StageModule, StageSpec } from './stage.js';
export { WordFilter, wordsOf } from './words.js';
