import { type ErrorKind, kindOf, TalentExportError, tooManyFiles } from '@talent-export/errors';

/** Exit codes, documented in `--help`; every command maps its outcome here and nowhere else. */
export const EXIT = {
  ok: 0,
  problems: 1,
  usage: 2,
  refused: 3,
  internal: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of each kind of error (see `@talent-export/errors`): input and output both exit 3. */
const EXIT_FOR_KIND: Record<ErrorKind, ExitCode> = {
  usage: EXIT.usage,
  input: EXIT.refused,
  output: EXIT.refused,
  internal: EXIT.internal,
  interrupted: EXIT.interrupted,
};

export type CliErrorCode =
  | 'CLI_USAGE'
  | 'CLI_INTERRUPTED'
  | 'CLI_INCOMPLETE_INPUT'
  | 'CLI_NOT_A_FOLDER'
  | 'CLI_OUT_UNWRITABLE';

export class UsageError extends TalentExportError<CliErrorCode> {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super('CLI_USAGE', 'usage', message);
  }
}

export class InterruptedError extends TalentExportError<CliErrorCode> {
  override readonly name = 'InterruptedError';
  constructor() {
    super(
      'CLI_INTERRUPTED',
      'interrupted',
      'interrupted: stopped before the end; nothing was left half-written; run the same command again to do it all',
    );
  }
}

/** An output made from the input would lack a part of it that could not be read: none is written. */
export class IncompleteInputError extends TalentExportError<CliErrorCode> {
  override readonly name = 'IncompleteInputError';
  constructor(message: string) {
    super('CLI_INCOMPLETE_INPUT', 'input', message);
  }
}

/** A folder option (`--out DIR`, `--tmp DIR`) names a file: the output cannot be written there. */
export class NotAFolderError extends TalentExportError<CliErrorCode> {
  override readonly name = 'NotAFolderError';
  constructor(message: string) {
    super('CLI_NOT_A_FOLDER', 'output', message);
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  return EXIT_FOR_KIND[errorKind(error)];
}

/**
 * The kind of anything thrown (see `kindOf`): a module of the program that could not be loaded is most
 * often one the system would not open (too many files open), no bug.
 */
export function errorKind(error: unknown): ErrorKind {
  return moduleNotLoaded(error) ? 'input' : kindOf(error);
}

const moduleNotLoaded = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND';

/** A library's message with its option names as the command line spells them. */
export function cliWords(message: string): string {
  const words = message
    .replace('raise maxRecordBytes', 'raise the limit with --max-record-mb')
    .replace('or run with one thread', 'or run with --threads 1')
    .replace('running with one thread avoids trying', '--threads 1 avoids trying')
    .replace('join with byProject', 'run join with --by project')
    // The zip reader's caps, named as its options: the command line raises both with --max-ratio.
    .replace(
      /raise limits\.maxArchiveRatio and limits\.maxRatio|raise limits\.maxRatio/,
      'raise the cap with --max-ratio',
    );
  // --max-ratio sets maxRatio, and the archive's cap is never below it.
  return /\((maxRatio|maxArchiveRatio)\)/.test(words) && !words.includes('--max-ratio')
    ? `${words}${/[.!?]$/.test(words) ? '' : '.'} If the export is genuine, raise the cap with --max-ratio.`
    : words;
}

/** One line that says what failed and where; the packages' messages already say what to do. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  const line =
    cliWords(error.message.split('\n')[0]!) +
    (typeof syscall === 'string' ? whatToDo(code, syscall) : '') +
    (moduleNotLoaded(error)
      ? `; if that file is there, ${tooManyFiles(false, 'run with --threads 1')}; else install talent-export again`
      : '');
  // A system error's message begins with its code already (EROFS: read-only file system, ...).
  return typeof code === 'string' && !line.startsWith(`${code}:`) ? `${code}: ${line}` : line;
}

const READS = new Set(['open', 'opendir', 'scandir', 'read', 'stat', 'lstat', 'access', 'readlink']);

/** Node's own errors (EACCES: permission denied, scandir '/x') say what and where, but not what to do. */
function whatToDo(code: unknown, syscall: string): string {
  if (code === 'EMFILE' || code === 'ENFILE')
    return `; ${tooManyFiles(code === 'ENFILE', 'run with --threads 1')}`;
  if (code !== 'EACCES' && code !== 'EPERM') return '';
  const access = READS.has(syscall) ? 'read' : 'write';
  return `; check its permissions: the user running talent-export must be able to ${access} it`;
}

/**
 * The exit code of a run that finished, from the problems it found: a refusal (part of the input refused
 * or unreadable) is the exit code of an input error; notices change nothing.
 */
export function exitCodeForProblems(problems: readonly { severity: string; refused?: true }[]): ExitCode {
  const found = problems.filter((p) => p.severity === 'problem');
  if (found.some((p) => p.refused === true)) return EXIT_FOR_KIND.input;
  return found.length > 0 ? EXIT.problems : EXIT.ok;
}

/**
 * A file option (`report --out FILE`) names a file that cannot be written: the message keeps the system's
 * code, `(ENOTDIR)`, and says what to do.
 */
export class OutUnwritableError extends TalentExportError<CliErrorCode> {
  override readonly name = 'OutUnwritableError';
  constructor(message: string) {
    super('CLI_OUT_UNWRITABLE', 'output', message);
  }
}
