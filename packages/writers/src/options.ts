import { resolve } from 'node:path';
import { WriterError } from './errors.js';
import { FORMATS, type Format } from './types.js';

export interface OutputOptions {
  /** Output folder; created if missing. Files of the same name are replaced atomically, others left alone. */
  dir: string;
  /** Formats written for every table, from one pass over the records. */
  formats: Format[];
  /** Description of the input, copied into manifest.json. */
  source?: string;
  /** Parquet: most rows in one row group (default 65 536). */
  rowGroupRows?: number;
  /** Parquet: about this much data in one row group, whichever limit comes first (default 6 MiB). */
  rowGroupBytes?: number;
  /** Aborting it aborts the output: temps removed, no further file completed. */
  signal?: AbortSignal;
  /**
   * Remove temps on SIGINT/SIGTERM/SIGHUP, then re-raise the signal if no one else handles it (default
   * false: what a signal does is the application's decision; temps are removed at exit and on abort either way).
   */
  handleSignals?: boolean;
  /**
   * Refuse the folder while another live process writes it with `lock: true` (`WRITER_BUSY`), holding a
   * `.talent-export.lock` there until finish or abort: two runs into one folder at once publish their files
   * over each other's (default false: a library's outputs may share a folder).
   */
  lock?: boolean;
}

export interface NormalizedOptions {
  readonly dir: string;
  readonly formats: readonly Format[];
  readonly source: string | undefined;
  readonly rowGroupRows: number;
  readonly rowGroupBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly handleSignals: boolean;
  readonly lock: boolean;
}

/** The one place options are checked and defaulted. */
export function normalizeOptions(options: OutputOptions): NormalizedOptions {
  if (typeof options !== 'object' || options === null) bad('options must be an object like { dir, formats }');
  if (typeof options.dir !== 'string' || options.dir === '') bad('dir must be a non-empty folder path');
  if (!Array.isArray(options.formats) || options.formats.length === 0) {
    bad(`formats must list one or more of ${FORMATS.join(', ')}`);
  }
  for (const format of options.formats) {
    if (!FORMATS.includes(format)) bad(`unknown format ${JSON.stringify(format)}; use ${FORMATS.join(', ')}`);
  }
  if (options.source !== undefined && typeof options.source !== 'string') bad('source must be a string');
  return {
    dir: resolve(options.dir),
    formats: FORMATS.filter((format) => options.formats.includes(format)),
    source: options.source,
    rowGroupRows: count('rowGroupRows', options.rowGroupRows, 65_536, 1),
    rowGroupBytes: count('rowGroupBytes', options.rowGroupBytes, 6 * 1024 * 1024, 1024),
    signal: options.signal,
    handleSignals: options.handleSignals ?? false,
    lock: options.lock ?? false,
  };
}

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) bad(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

function bad(message: string): never {
  throw new WriterError('WRITER_BAD_OPTION', `openOutput: ${message}`);
}
