// Every failure of this package is a ZipError with a stable code, the archive path and, when known, the entry.
import { type ErrorKind, TalentExportError } from '@talent-export/errors';

export type ZipErrorCode =
  | 'ZIP_NOT_FOUND'
  | 'ZIP_UNREADABLE'
  | 'ZIP_NOT_A_ZIP'
  | 'ZIP_TRUNCATED'
  | 'ZIP_CORRUPT'
  | 'ZIP_UNSAFE_NAME'
  | 'ZIP_NOT_REGULAR'
  | 'ZIP_ENCRYPTED'
  | 'ZIP_UNSUPPORTED_METHOD'
  | 'ZIP_CRC_MISMATCH'
  | 'ZIP_SIZE_MISMATCH'
  | 'ZIP_DUPLICATE_ENTRY'
  | 'ZIP_ENTRY_TOO_LARGE'
  | 'ZIP_TOTAL_TOO_LARGE'
  | 'ZIP_RATIO_TOO_HIGH'
  | 'ZIP_ARCHIVE_RATIO'
  | 'ZIP_OVERLAP'
  | 'ZIP_ABORTED'
  | 'ZIP_CLOSED'
  | 'ZIP_BAD_OPTION';

/** What each failure means to the caller: one line per code, so a new code cannot go without a kind. */
const KIND: Record<ZipErrorCode, ErrorKind> = {
  ZIP_NOT_FOUND: 'input',
  ZIP_UNREADABLE: 'input',
  ZIP_NOT_A_ZIP: 'input',
  ZIP_TRUNCATED: 'input',
  ZIP_CORRUPT: 'input',
  ZIP_UNSAFE_NAME: 'input',
  ZIP_NOT_REGULAR: 'input',
  ZIP_ENCRYPTED: 'input',
  ZIP_UNSUPPORTED_METHOD: 'input',
  ZIP_CRC_MISMATCH: 'input',
  ZIP_SIZE_MISMATCH: 'input',
  ZIP_DUPLICATE_ENTRY: 'input',
  ZIP_ENTRY_TOO_LARGE: 'input',
  ZIP_TOTAL_TOO_LARGE: 'input',
  ZIP_RATIO_TOO_HIGH: 'input',
  ZIP_ARCHIVE_RATIO: 'input',
  ZIP_OVERLAP: 'input',
  ZIP_ABORTED: 'interrupted',
  ZIP_CLOSED: 'internal',
  ZIP_BAD_OPTION: 'usage',
};

/** A problem found by the pure checks, before it is tied to an archive and entry. */
export interface Problem {
  code: ZipErrorCode;
  /** What is wrong, e.g. `CRC-32 is 0x1234abcd but the header says 0x00000000`. */
  detail: string;
  /** What the user can do about it. */
  hint: string;
}

export class ZipError extends TalentExportError<ZipErrorCode> {
  override readonly name = 'ZipError';
  readonly archive: string;
  readonly entry?: string;
  readonly hint: string;

  constructor(problem: Problem, archive: string, entry?: string, cause?: unknown) {
    const where = entry === undefined ? `in ${archive}` : `in ${archive}, entry "${entry}"`;
    super(problem.code, KIND[problem.code], `${problem.detail} ${where}. ${problem.hint}`, {
      cause,
    });
    this.archive = archive;
    if (entry !== undefined) this.entry = entry;
    this.hint = problem.hint;
  }
}

export const isZipError = (value: unknown): value is ZipError => value instanceof ZipError;

export const problem = (code: ZipErrorCode, detail: string, hint: string): Problem => ({
  code,
  detail,
  hint,
});

export const aborted = (): Problem =>
  problem('ZIP_ABORTED', 'Reading was aborted', 'Nothing is wrong with the archive; run again to finish.');

/** A read that came back short: the file ends before the bytes asked for. */
export class ShortRead extends Error {
  constructor() {
    super('Unexpected end of file');
  }
}

export const truncated = (detail = 'Zip archive ends before the data it points to'): Problem =>
  problem('ZIP_TRUNCATED', detail, 'The download did not finish; download it again.');

/** Problems of reading the file itself: a short read means the file ends early, anything else is I/O. */
export function readProblem(error: unknown): Problem {
  if (error instanceof ShortRead) return truncated();
  const code = (error as { code?: unknown }).code;
  return problem(
    'ZIP_UNREADABLE',
    `File cannot be read (${typeof code === 'string' ? code : String(error)})`,
    'Check that the file is still there and readable, then run again.',
  );
}
