// Options are checked and completed here and nowhere else.
import { statSync } from 'node:fs';
import { hiddenFileName } from '@talent-export/errors';
import { checkDate } from './entry.js';
import { BundleError } from './errors.js';

/** Talent Hub's attachment parts are at most 2 GB. */
export const DEFAULT_MAX_PART_BYTES = 2_000_000_000;
/** 1980-01-01 00:00:00, the earliest zip time: fixed, so the same entries give byte-identical archives. */
export const DEFAULT_MTIME = new Date(Date.UTC(1980, 0, 1));

export type PartNamer = (first: string | undefined, last: string | undefined, part: number) => string;

export interface BundleOptions {
  /** Existing folder the parts are written into. */
  dir: string;
  /**
   * File name of a part from the keys of its first and last group (undefined when the part holds only
   * entries added without a group) and its number, from 1. E.g. `(first, last) => \`Attachment_${first}-${last}.zip\``.
   */
  name: PartNamer;
  /** Largest size of one part in bytes, central directory included (default 2,000,000,000). */
  maxPartBytes?: number;
  /** Time stamp of entries that do not give one (default 1980-01-01 00:00:00). */
  mtime?: Date;
  /** Deflate level 0-9 for `bytes` and `stream` entries (default 6). */
  level?: number;
  /** Aborting removes every temporary file; no part appears under its final name. */
  signal?: AbortSignal;
  /**
   * Compute each archive's sha256 as it is written, on a thread of its own (default true). A caller that
   * does not use `sha256` saves that thread's work and the hand-over of every buffer to it.
   */
  sha256?: boolean;
  /**
   * Errors name an entry by the export's folders, then the length and extension of the rest only (see
   * `hiddenFileName` of `@talent-export/errors`), and give a file system error's code, not its path: for
   * entries whose file names are personal data, such as attachments. Default false.
   */
  hideFileNames?: boolean;
}

export interface NormalizedOptions {
  dir: string;
  name: PartNamer;
  maxPartBytes: number;
  mtime: Date;
  level: number;
  signal: AbortSignal | undefined;
  sha256: boolean;
  /** How errors name an entry (see `hideFileNames`). */
  shown: (name: string) => string;
  hideFileNames: boolean;
}

const badOption = (detail: string): BundleError => new BundleError('BUNDLE_BAD_OPTION', `${detail}.`);

export function normalizeOptions(options: BundleOptions): NormalizedOptions {
  if (typeof options !== 'object' || options === null) throw badOption('Options must be an object');
  const {
    dir,
    name,
    maxPartBytes = DEFAULT_MAX_PART_BYTES,
    mtime = DEFAULT_MTIME,
    level = 6,
    signal,
    sha256 = true,
    hideFileNames = false,
  } = options;
  if (typeof dir !== 'string' || dir === '') throw badOption('dir must be the path of a folder');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {}
  if (!isDir) throw badOption(`dir ${dir} is not an existing folder; create it first`);
  if (typeof name !== 'function') throw badOption('name must be a function (first, last, part) => file name');
  // Below 1 KiB no part could hold even one entry with its headers.
  if (typeof maxPartBytes !== 'number' || !(maxPartBytes >= 1024)) {
    throw badOption(`maxPartBytes must be a number >= 1024 (or Infinity), got ${String(maxPartBytes)}`);
  }
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw badOption(`level must be an integer from 0 to 9, got ${String(level)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw badOption('signal must be an AbortSignal');
  if (typeof hideFileNames !== 'boolean') throw badOption('hideFileNames must be true or false');
  if (typeof sha256 !== 'boolean') throw badOption('sha256 must be true or false');
  const shown = hideFileNames ? (entry: string) => hiddenFileName(entry) : (entry: string) => entry;
  const date = checkDate(mtime, 'mtime');
  return { dir, name, maxPartBytes, mtime: date, level, signal, sha256, shown, hideFileNames };
}

/** A part name must be a plain file name: parts never land outside `dir`. */
export function checkPartName(value: unknown, part: number): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value === '.' ||
    value === '..' ||
    /[/\\\u0000]/.test(value) ||
    value.startsWith('.')
  ) {
    throw badOption(
      `name() returned ${JSON.stringify(value)} for part ${part}; it must be a plain file name (no folder, not starting with ".")`,
    );
  }
  return value;
}
