// extractExport's options: the public shape, checked and normalized in one place.
import { resolve } from 'node:path';
import type { TableName } from '@talent-export/schema';
import { WindowBuffers, type ZipOptions } from '@talent-export/zip';
import { ExportError, type Problem } from './errors.js';

export interface ExtractOptions {
  /** The folder to write; it must be missing or empty. */
  out: string;
  /** Keep the `empty.txt` markers (default true). */
  markers?: boolean;
  /** Extract only these candidates' folders (ids exactly as in the folder names); the tables stay whole. */
  candidates?: Iterable<string>;
  /** Limits for the attachment parts (as given to `openExport`); refused entries are always skipped. */
  zip?: Omit<ZipOptions, 'signal' | 'onRefused'>;
  signal?: AbortSignal;
  onProgress?: (progress: ExtractProgress) => void;
}

export interface ExtractProgress {
  /** Bytes read so far: table bytes, then the parts' bytes (zip size on disk, or file sizes of folders). */
  bytesDone: number;
  bytesTotal: number;
  /** Files written so far (tables, attachments, markers). */
  files: number;
}

export interface ExtractRename {
  /** The part and the entry (path inside it) that was renamed. */
  part: string;
  entry: string;
  /** Where it was written, relative to the output folder. */
  path: string;
}

export interface ExtractResult {
  out: string;
  /** Table files written at the top of `out`, with their names as in export.zip. */
  tables: { table: TableName; file: string; bytes: number }[];
  /** Whether export.csv was copied (only when nothing is left out, or its counts would not add up). */
  manifest: boolean;
  files: number;
  markers: number;
  bytes: number;
  /** Candidate folders written. */
  candidates: number;
  /**
   * Entries written under another name (first `MAX_LISTED`): one written before had it, or Windows cannot
   * create it (see `portableName`); `entry` keeps the name as it was.
   */
  renamed: ExtractRename[];
  renamedCount: number;
  /** Problems and notices of the extraction (the export's own stay in `ex.problems`). */
  problems: Problem[];
}

export interface Normalized {
  out: string;
  markers: boolean;
  candidates: Set<string> | undefined;
  zip: ZipOptions;
  signal: AbortSignal | undefined;
  onProgress: ((progress: ExtractProgress) => void) | undefined;
}

export function normalize(options: ExtractOptions): Normalized {
  const bad = (detail: string) => new ExportError('EXPORT_BAD_OPTION', `extractExport: ${detail}`);
  if (typeof options !== 'object' || options === null) throw bad('options must be an object');
  if (typeof options.out !== 'string' || options.out === '') throw bad('out must name a folder');
  if (options.markers !== undefined && typeof options.markers !== 'boolean')
    throw bad('markers must be a boolean');
  let candidates: Set<string> | undefined;
  if (options.candidates !== undefined) {
    candidates = new Set();
    for (const id of options.candidates) {
      if (typeof id !== 'string' || id === '') throw bad('candidates must be non-empty id strings');
      candidates.add(id);
    }
  }
  const { signal } = options;
  return {
    out: resolve(options.out),
    markers: options.markers ?? true,
    candidates,
    zip: {
      windowBuffers: new WindowBuffers(),
      ...options.zip,
      onRefused: 'skip',
      ...(signal ? { signal } : {}),
    },
    signal,
    onProgress: options.onProgress,
  };
}
