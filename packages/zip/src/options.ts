// Options are checked and completed here and nowhere else.
import { problem, ZipError } from './errors.js';
import { WindowBuffers } from './window.js';

/** Decompression-bomb caps. `Infinity` switches a cap off. */
export interface ZipLimits {
  /** Largest inflated size of one entry, in bytes. */
  maxEntryBytes: number;
  /** Largest inflated size of all entries of one archive together, in bytes. */
  maxTotalBytes: number;
  /** Largest inflated/compressed ratio of one entry ... */
  maxRatio: number;
  /** ... checked only once the entry inflates to more than this many bytes. */
  ratioMinBytes: number;
  /**
   * Largest ratio of all inflated bytes of an archive to its size on disk, checked once they exceed
   * `ratioMinBytes`: bounds bombs built of many entries, each under the per-entry threshold. Never taken
   * below `maxRatio`.
   */
  maxArchiveRatio: number;
}

const GiB = 1024 ** 3;

/**
 * Generous enough for real exports: ~2 GB attachment parts of incompressible PDFs, single entries of several
 * GB, and CSV tables that deflate 5-20x (sparse tables up to ~100x). A deflate stream can reach ~1032x, so a
 * 200x cap over 1 MiB still catches every classic bomb while passing any plausible text.
 */
export const DEFAULT_LIMITS: ZipLimits = Object.freeze({
  maxEntryBytes: 64 * GiB,
  maxTotalBytes: 512 * GiB,
  maxRatio: 200,
  ratioMinBytes: 1024 * 1024,
  maxArchiveRatio: 200,
});

export interface ZipOptions {
  limits?: Partial<ZipLimits>;
  /** `throw` (default): the first refused entry ends the walk. `skip`: it is left out and kept in `refused`. */
  onRefused?: 'throw' | 'skip';
  /** `case-insensitive` (default) also refuses names that differ only in letter case or Unicode form. */
  duplicateNames?: 'exact' | 'case-insensitive';
  signal?: AbortSignal;
  /**
   * Where the read-ahead windows of `verify()` and `readRaw()` take their buffers and give them back:
   * archives read one after another should share one (default: the archive's own).
   */
  windowBuffers?: WindowBuffers;
  /**
   * Errors and notices (their messages and `entry`) name an entry by the export's own folders only, and the
   * rest of its name by length and extension (`Candidate_7/Public/[file name, 14 characters].pdf`, see
   * `hiddenFileName`): for archives whose file names are personal data, such as an export's attachments.
   * Default false.
   */
  hideFileNames?: boolean;
  /**
   * A file cut short (its central directory and end record lost, as a download that stopped leaves it):
   * `refuse` (default) throws `ZIP_TRUNCATED`, saying how many whole entries precede the cut; `salvage`
   * opens it with those entries, found by their local headers from the start of the file, and says what
   * was found in `archive.truncated`.
   */
  truncated?: 'refuse' | 'salvage';
}

export interface NormalizedOptions {
  limits: ZipLimits;
  onRefused: 'throw' | 'skip';
  duplicateNames: 'exact' | 'case-insensitive';
  signal: AbortSignal | undefined;
  windowBuffers: WindowBuffers;
  hideFileNames: boolean;
  truncated: 'refuse' | 'salvage';
}

const badOption = (archive: string, detail: string): ZipError =>
  new ZipError(problem('ZIP_BAD_OPTION', detail, 'Fix the option passed to openZip/readEntries.'), archive);

export function normalizeOptions(archive: string, options: ZipOptions | undefined): NormalizedOptions {
  const given = options ?? {};
  if (typeof given !== 'object') throw badOption(archive, 'Options must be an object');
  const limits: ZipLimits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(given.limits ?? {})) {
    if (!(key in DEFAULT_LIMITS)) throw badOption(archive, `Unknown limit "${key}"`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
      throw badOption(archive, `Limit "${key}" must be a number >= 0 (or Infinity), got ${String(value)}`);
    }
    limits[key as keyof ZipLimits] = value;
  }
  const onRefused = given.onRefused ?? 'throw';
  if (onRefused !== 'throw' && onRefused !== 'skip') {
    throw badOption(archive, `onRefused must be "throw" or "skip", got ${String(onRefused)}`);
  }
  const duplicateNames = given.duplicateNames ?? 'case-insensitive';
  if (duplicateNames !== 'exact' && duplicateNames !== 'case-insensitive') {
    throw badOption(
      archive,
      `duplicateNames must be "exact" or "case-insensitive", got ${String(duplicateNames)}`,
    );
  }
  if (given.signal !== undefined && !(given.signal instanceof AbortSignal)) {
    throw badOption(archive, 'signal must be an AbortSignal');
  }
  if (given.windowBuffers !== undefined && !(given.windowBuffers instanceof WindowBuffers))
    throw badOption(archive, 'windowBuffers must be a WindowBuffers');
  const windowBuffers = given.windowBuffers ?? new WindowBuffers();
  const hideFileNames = given.hideFileNames ?? false;
  if (typeof hideFileNames !== 'boolean') throw badOption(archive, 'hideFileNames must be true or false');
  const truncated = given.truncated ?? 'refuse';
  if (truncated !== 'refuse' && truncated !== 'salvage')
    throw badOption(archive, `truncated must be "refuse" or "salvage", got ${String(truncated)}`);
  return { limits, onRefused, duplicateNames, signal: given.signal, windowBuffers, hideFileNames, truncated };
}
