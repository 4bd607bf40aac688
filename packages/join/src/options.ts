import type { ProgressEvent } from '@talent-export/pipeline';
import { JoinError } from './errors.js';

/** Where a join is: reading a table (the engine's event), listing attachments, or writing documents. */
export type JoinProgress =
  | { phase: 'table'; event: ProgressEvent }
  | { phase: 'attachments'; files: number; done: boolean }
  | { phase: 'documents'; partitions: number; total: number; documents: number };

export interface JoinOptions {
  /** Output folder: candidates.ndjson, orphans.ndjson, rejects.ndjson, projects.ndjson, manifest.json. */
  out: string;
  /** Folder for the temporary partitions (default: `out`); removed at the end, on failure and on abort. */
  tmp?: string;
  /** Also write projects.ndjson: one document per project. */
  byProject?: boolean;
  /** Threads in all for decoding (see the pipeline's `threads`). */
  threads?: number;
  signal?: AbortSignal;
  onProgress?: (progress: JoinProgress) => void;
  /** The largest CSV record accepted (default: the schema's). */
  maxRecordBytes?: number;
  /** About how many bytes of rows one partition holds; a partition is loaded whole (default 8 MiB). */
  partitionBytes?: number;
  /** Named in manifest.json (default: the export folder's name). */
  source?: string;
  /** Remove output temps on SIGINT/SIGTERM too (an application's choice, passed to the writers). */
  handleSignals?: boolean;
  /** Refuse an `out` another live process is writing (passed to the writers; an application's choice). */
  lock?: boolean;
}

export interface Normalized {
  out: string;
  tmp: string;
  byProject: boolean;
  threads: number | undefined;
  signal: AbortSignal;
  onProgress: (progress: JoinProgress) => void;
  maxRecordBytes: number | undefined;
  partitionBytes: number;
  source: string | undefined;
  handleSignals: boolean;
  lock: boolean;
}

/**
 * Partitions are files open at once; past this many they grow instead (and so does the memory of the
 * documents phase, which loads one whole). 512 was reached at 400,000 candidates.
 */
export const MAX_PARTITIONS = 1024;

export function normalizeOptions(options: JoinOptions): Normalized {
  if (typeof options?.out !== 'string' || options.out === '') bad('out must name the output folder');
  const whole = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min))
      bad(`${name} must be a whole number >= ${min}, got ${value}`);
  };
  whole('threads', options.threads, 1);
  whole('maxRecordBytes', options.maxRecordBytes, 1);
  whole('partitionBytes', options.partitionBytes, 1024);
  if (options.tmp !== undefined && (typeof options.tmp !== 'string' || options.tmp === ''))
    bad('tmp must name a folder');
  return {
    out: options.out,
    tmp: options.tmp ?? options.out,
    byProject: options.byProject ?? false,
    threads: options.threads,
    signal: options.signal ?? new AbortController().signal,
    onProgress: options.onProgress ?? (() => {}),
    maxRecordBytes: options.maxRecordBytes,
    partitionBytes: options.partitionBytes ?? 8 * 1024 * 1024,
    source: options.source,
    handleSignals: options.handleSignals ?? false,
    lock: options.lock ?? false,
  };
}

function bad(message: string): never {
  throw new JoinError('JOIN_BAD_OPTION', `${message}.`);
}
