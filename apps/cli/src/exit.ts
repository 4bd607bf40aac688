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

export class UsageError extends Error {
  readonly code = 'CLI_USAGE';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export class InterruptedError extends Error {
  readonly code = 'CLI_INTERRUPTED';
  constructor() {
    super('interrupted: stopped before the end; nothing was left half-written');
    this.name = 'InterruptedError';
  }
}

interface CodedError extends Error {
  code?: unknown;
  archive?: unknown;
  entry?: unknown;
  table?: unknown;
  file?: unknown;
  line?: unknown;
}

/** Input errors (ZIP_*, EXPORT_*, SCHEMA_*, CSV_*, Node's ENOENT, EACCES, ...) and an output folder that cannot be written. */
const INPUT_CODE = /^(ZIP|EXPORT|SCHEMA|CSV|SAMPLE)_|^WRITER_IO$|^JOIN_(DISK_FULL|TEMP_IO|TABLE_MISSING)$/;

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof InterruptedError || isAbort(error)) return EXIT.interrupted;
  const code = (error as CodedError | undefined)?.code;
  if (typeof code === 'string' && code.endsWith('_BAD_OPTION')) return EXIT.usage;
  if (typeof code === 'string' && (INPUT_CODE.test(code) || /^E[A-Z]+$/.test(code))) return EXIT.refused;
  return EXIT.internal;
}

export function isAbort(error: unknown): boolean {
  const e = error as CodedError | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR' || /_ABORTED$/.test(String(e?.code ?? ''));
}

/** One line that says what failed and where; the packages' messages already say what to do. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as CodedError;
  const code = typeof e.code === 'string' ? `${e.code}: ` : '';
  return `${code}${e.message.split('\n')[0]}`;
}

/** Problems that mean part of the input was refused or could not be read, not merely that it disagrees. */
const REFUSED = new Set(['EXPORT_ZIP_UNREADABLE', 'ENTRY_REFUSED', 'PART_UNREADABLE', 'ATTACHMENT_CORRUPT']);

/** The exit code of a run that finished, from the problems it found. */
export function exitCodeForProblems(problems: readonly { code: string; severity: string }[]): ExitCode {
  const found = problems.filter((p) => p.severity === 'problem');
  if (found.some((p) => REFUSED.has(p.code) || INPUT_CODE.test(p.code))) return EXIT.refused;
  return found.length > 0 ? EXIT.problems : EXIT.ok;
}
