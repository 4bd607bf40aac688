// Every failure of this package is a BundleError with a stable code; the message says what, where and what to do.
import { type ErrorKind, TalentExportError } from '@talent-export/errors';

export type BundleErrorCode =
  | 'BUNDLE_BAD_OPTION'
  | 'BUNDLE_BAD_ENTRY'
  | 'BUNDLE_DUPLICATE_ENTRY'
  | 'BUNDLE_SIZE_MISMATCH'
  | 'BUNDLE_SOURCE'
  | 'BUNDLE_GROUP_TOO_LARGE'
  | 'BUNDLE_IO'
  | 'BUNDLE_ABORTED'
  | 'BUNDLE_CLOSED';

const KINDS: Record<BundleErrorCode, ErrorKind> = {
  BUNDLE_BAD_OPTION: 'usage',
  // Entries and calls out of order come from the calling code, not from the user or the data.
  BUNDLE_BAD_ENTRY: 'internal',
  BUNDLE_DUPLICATE_ENTRY: 'internal',
  BUNDLE_CLOSED: 'internal',
  BUNDLE_SIZE_MISMATCH: 'input',
  BUNDLE_SOURCE: 'input',
  BUNDLE_GROUP_TOO_LARGE: 'output',
  BUNDLE_IO: 'output',
  BUNDLE_ABORTED: 'interrupted',
};

export class BundleError extends TalentExportError<BundleErrorCode> {
  override readonly name = 'BundleError';
  /** The archive (final name, or the folder while a part is unnamed) and the entry, when known. */
  readonly archive?: string;
  readonly entry?: string;

  constructor(
    code: BundleErrorCode,
    message: string,
    where: { archive?: string; entry?: string; cause?: unknown } = {},
  ) {
    super(code, KINDS[code], message, { cause: where.cause });
    if (where.archive !== undefined) this.archive = where.archive;
    if (where.entry !== undefined) this.entry = where.entry;
  }
}

export const isBundleError = (value: unknown): value is BundleError => value instanceof BundleError;

/** The cause's message without its closing period: the sentence around it has its own. */
const reasonOf = (cause: unknown): string =>
  (cause instanceof Error ? cause.message : String(cause)).replace(/\.+\s*$/, '');

/** What to do about a failed write, from its cause: a folder where an archive goes is no matter of space. */
function remedy(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST')
    return 'A folder of that name is in the way: move or remove it and run again.';
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return 'Free some space there (or write to another folder) and run again.';
  return 'Check that the output folder is writable and has free space.';
}

export const ioError = (action: string, file: string, cause: unknown): BundleError =>
  new BundleError('BUNDLE_IO', `Could not ${action} ${file}: ${reasonOf(cause)}. ${remedy(cause)}`, {
    archive: file,
    cause,
  });

export const abortedError = (archive: string): BundleError =>
  new BundleError(
    'BUNDLE_ABORTED',
    `Writing ${archive} was aborted; its temporary files were removed and no archive was completed.`,
    { archive },
  );

/** `hidePath`: a file system error is given by its code, as its message holds the path (see `hideFileNames`). */
export const sourceError = (
  archive: string,
  entry: string,
  cause: unknown,
  hidePath = false,
): BundleError => {
  if (cause instanceof BundleError) return cause;
  const { code, path } = (cause ?? {}) as { code?: unknown; path?: unknown };
  const reason =
    hidePath && typeof path === 'string'
      ? `${String(code ?? 'I/O error')} reading a source file`
      : reasonOf(cause);
  return new BundleError(
    'BUNDLE_SOURCE',
    `The data of entry "${entry}" for ${archive} could not be read: ${reason}. Fix the source and run again.`,
    { archive, entry, cause },
  );
};
