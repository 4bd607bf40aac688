import { resolve, sep } from 'node:path';
import { SampleError } from './errors.js';

export interface SampleProgress {
  phase: string;
  done: number;
  total: number;
  unit: 'rows' | 'bytes';
}

export interface SampleOptions {
  /** Output folder; created if missing, refused if not empty unless `force`. */
  dir: string;
  /** Number of candidates (default 300). */
  candidates?: number;
  /** Messages per candidate (default 3). */
  messagesPerCandidate?: number;
  /** About this many MiB of attachment files in total (default 5). */
  attachmentsMb?: number;
  /** Start a new attachment part before one would exceed this many MiB (default 2048). */
  partMb?: number;
  /** Same seed and options give byte-identical files (default 1). */
  seed?: number;
  /** Put the ten CSVs at the root of export.zip instead of `Contract_<id>/`. */
  flat?: boolean;
  /** BOM, CRLF line ends, quotes, embedded newlines, emoji and a spaces-only field. */
  edgeCases?: boolean;
  /** Also write `records/<table>.ndjson` into the truth folder. */
  truthRecords?: boolean;
  /** Write into non-empty folders, replacing earlier sample files. */
  force?: boolean;
  /** Ground-truth folder (default `<dir>.truth`, beside the export). */
  truthDir?: string;
  /** Called at most about ten times a second, and at the start and end of each phase. */
  onProgress?: (progress: SampleProgress) => void;
  /** Aborting stops promptly and removes the files written so far. */
  signal?: AbortSignal;
}

export interface NormalizedOptions {
  readonly dir: string;
  readonly truthDir: string;
  readonly candidates: number;
  readonly messagesPerCandidate: number;
  readonly attachmentBytes: number;
  readonly partBytes: number;
  readonly seed: number;
  readonly flat: boolean;
  readonly edgeCases: boolean;
  readonly truthRecords: boolean;
  readonly force: boolean;
  readonly onProgress: ((progress: SampleProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

const MIB = 1024 * 1024;
const KNOWN = new Set([
  'dir',
  'candidates',
  'messagesPerCandidate',
  'attachmentsMb',
  'partMb',
  'seed',
  'flat',
  'edgeCases',
  'truthRecords',
  'force',
  'truthDir',
  'onProgress',
  'signal',
]);

/** The one place options are checked and defaulted. */
export function normalizeOptions(options: SampleOptions): NormalizedOptions {
  const bad = (what: string) =>
    new SampleError('SAMPLE_BAD_OPTION', `Option ${what} (generating a sample export).`);
  if (typeof options !== 'object' || options === null) throw bad('object expected');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw bad(`"${key}" is unknown; known options are ${[...KNOWN].join(', ')}`);
  }
  const {
    dir,
    candidates = 300,
    messagesPerCandidate = 3,
    attachmentsMb = 5,
    partMb = 2048,
    seed = 1,
    flat = false,
    edgeCases = false,
    truthRecords = false,
    force = false,
    truthDir,
    onProgress,
    signal,
  } = options;
  if (typeof dir !== 'string' || dir === '') throw bad('"dir" must be a non-empty folder path');
  const integer = (name: string, value: number, min: number, max: number) => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw bad(`"${name}" must be an integer from ${min} to ${max}, got ${String(value)}`);
    }
  };
  integer('candidates', candidates, 1, 10_000_000);
  integer('messagesPerCandidate', messagesPerCandidate, 0, 1000);
  integer('seed', seed, 0, 0xffffffff);
  if (typeof attachmentsMb !== 'number' || !Number.isFinite(attachmentsMb) || attachmentsMb < 0) {
    throw bad(`"attachmentsMb" must be a number >= 0, got ${String(attachmentsMb)}`);
  }
  if (typeof partMb !== 'number' || !Number.isFinite(partMb) || partMb * MIB < 1024) {
    throw bad(`"partMb" must be a number of at least 1 KiB (0.0009765625), got ${String(partMb)}`);
  }
  for (const [name, value] of [
    ['flat', flat],
    ['edgeCases', edgeCases],
    ['truthRecords', truthRecords],
    ['force', force],
  ] as const) {
    if (typeof value !== 'boolean') throw bad(`"${name}" must be true or false`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function')
    throw bad('"onProgress" must be a function');
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw bad('"signal" must be an AbortSignal');
  const out = resolve(dir);
  if (truthDir !== undefined && (typeof truthDir !== 'string' || truthDir === '')) {
    throw bad('"truthDir" must be a non-empty folder path');
  }
  const truth = truthDir === undefined ? `${out}.truth` : resolve(truthDir);
  if (truth === out || truth.startsWith(out + sep) || out.startsWith(truth + sep)) {
    throw bad(
      `"truthDir" (${truth}) must not be "dir" (${out}), inside it, or contain it; keep them side by side`,
    );
  }
  return {
    dir: out,
    truthDir: truth,
    candidates,
    messagesPerCandidate,
    attachmentBytes: Math.round(attachmentsMb * MIB),
    partBytes: Math.floor(partMb * MIB),
    seed,
    flat,
    edgeCases,
    truthRecords,
    force,
    onProgress,
    signal,
  };
}
