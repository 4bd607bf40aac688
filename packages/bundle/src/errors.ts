// Every failure of this package is a BundleError with a stable code; the message says what, where and what to do.

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

/** How the error reads to a command line: which exit code family it belongs to. */
export type BundleErrorKind = 'usage' | 'input' | 'output' | 'interrupted';

const KINDS: Record<BundleErrorCode, BundleErrorKind> = {
  BUNDLE_BAD_OPTION: 'usage',
  BUNDLE_BAD_ENTRY: 'usage',
  BUNDLE_DUPLICATE_ENTRY: 'usage',
  BUNDLE_CLOSED: 'usage',
  BUNDLE_SIZE_MISMATCH: 'input',
  BUNDLE_SOURCE: 'input',
  BUNDLE_GROUP_TOO_LARGE: 'output',
  BUNDLE_IO: 'output',
  BUNDLE_ABORTED: 'interrupted',
};

export class BundleError extends Error {
  override readonly name = 'BundleError';
  readonly code: BundleErrorCode;
  readonly kind: BundleErrorKind;
  /** The archive (final name, or the folder while a part is unnamed) and the entry, when known. */
  readonly archive?: string;
  readonly entry?: string;

  constructor(
    code: BundleErrorCode,
    message: string,
    where: { archive?: string; entry?: string; cause?: unknown } = {},
  ) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.code = code;
    this.kind = KINDS[code];
    if (where.archive !== undefined) this.archive = where.archive;
    if (where.entry !== undefined) this.entry = where.entry;
  }
}

export const isBundleError = (value: unknown): value is BundleError => value instanceof BundleError;

const reasonOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

export const ioError = (action: string, file: string, cause: unknown): BundleError =>
  new BundleError(
    'BUNDLE_IO',
    `Could not ${action} ${file}: ${reasonOf(cause)}. Check that the output folder is writable and has free space.`,
    { archive: file, cause },
  );

export const abortedError = (archive: string): BundleError =>
  new BundleError(
    'BUNDLE_ABORTED',
    `Writing ${archive} was aborted; its temporary files were removed and no archive was completed.`,
    { archive },
  );

export const sourceError = (archive: string, entry: string, cause: unknown): BundleError =>
  cause instanceof BundleError
    ? cause
    : new BundleError(
        'BUNDLE_SOURCE',
        `The data of entry "${entry}" for ${archive} could not be read: ${reasonOf(cause)}. Fix the source and run again.`,
        { archive, entry, cause },
      );
