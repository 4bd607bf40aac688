// A record stage: a synchronous function run on every decoded record, wherever it is decoded (worker
// threads included), so that a transformation (redaction) costs no more than decoding in parallel.
// It is named by module and options, not passed as a function, because a worker thread must load it itself.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TableName, TypedRecord } from '@talent-export/schema';
import { PipelineError } from './errors.js';

/** What a stage does to one record: the record to write (the same or another), or null to drop it. */
export type RecordTransform = (table: TableName, record: TypedRecord) => TypedRecord | null;

/** What a stage module exports: `createStage(options)` giving a transform or `{ transform }`. */
export interface StageModule {
  createStage(options: unknown): RecordTransform | { transform: RecordTransform };
}

/** A stage: a module (a file path, a file: URL or a package name) and options it can be sent (structured-cloneable). */
export interface StageSpec {
  module: string;
  options?: unknown;
  /**
   * The columns the stage reads, per table: its records hold only these (and those the reference checks
   * read); the other cells are still checked, never made into values. A table not named gets every column.
   */
  columns?: Partial<Record<TableName, readonly string[]>>;
  /**
   * The columns the stage never changes, per table. Where worker threads write NDJSON alone, these are
   * copied from the CSV bytes as without a stage, never made into values: the stage's records do not hold
   * them (unless the reference checks read them), and its lines take the values it returns for the other
   * columns only (a value it leaves out is null; keys it adds are not written). Elsewhere (other formats,
   * rows decoded on the calling thread) it gets them as usual, and must give them back unchanged.
   */
  passThrough?: Partial<Record<TableName, readonly string[]>>;
}

/** The specifier a worker thread can import: paths become file: URLs, from the current folder. */
export function stageSpecifier(module: string): string {
  if (module.startsWith('.') || isAbsolute(module)) return pathToFileURL(resolve(module)).href;
  return module;
}

/** Loads a stage; its module must export `createStage`. */
export async function loadStage(spec: StageSpec): Promise<RecordTransform> {
  let mod: Partial<StageModule>;
  try {
    mod = (await import(stageSpecifier(spec.module))) as Partial<StageModule>;
  } catch (error) {
    throw new PipelineError(
      'PIPELINE_STAGE_UNLOADABLE',
      `the record stage module "${spec.module}" could not be loaded (${(error as Error).message}); give a file path, a file: URL or an installed package name`,
      { cause: error },
    );
  }
  if (typeof mod.createStage !== 'function') {
    throw new PipelineError(
      'PIPELINE_STAGE_UNLOADABLE',
      `the record stage module "${spec.module}" has no createStage export; export a function createStage(options) that returns (table, record) => record | null`,
    );
  }
  const made = mod.createStage(spec.options);
  const transform = typeof made === 'function' ? made : made?.transform?.bind(made);
  if (typeof transform !== 'function') {
    throw new PipelineError(
      'PIPELINE_STAGE_UNLOADABLE',
      `createStage of "${spec.module}" returned neither a function nor an object with transform(table, record)`,
    );
  }
  return transform;
}

/**
 * What a stage gave for a record, checked: a record (a plain object) or null. Anything else (undefined from
 * a path that forgot to return, a number, an array) is a bug of the stage, thrown as one: written, it made
 * a line of nothing, or failed in the writer with a TypeError that named no stage.
 */
export function stagedRecord(out: unknown): TypedRecord | null {
  if (out === null || (typeof out === 'object' && !Array.isArray(out))) return out as TypedRecord | null;
  const given = Array.isArray(out) ? 'an array' : out === undefined ? 'undefined' : `a ${typeof out}`;
  throw new TypeError(`it returned ${given} for a record, not a record or null`);
}
