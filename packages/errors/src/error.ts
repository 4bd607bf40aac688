/**
 * What a failure means to whoever called: `usage` (called or invoked wrongly), `input` (input refused or
 * unreadable), `output` (cannot write), `internal` (a bug), `interrupted` (cancelled).
 */
export type ErrorKind = 'usage' | 'input' | 'output' | 'internal' | 'interrupted';

export const ERROR_KINDS: readonly ErrorKind[] = ['usage', 'input', 'output', 'internal', 'interrupted'];

/**
 * The base of every error the packages throw. Each package narrows `code` to its own closed union and
 * decides the kind of each code in one `Record<Code, ErrorKind>`, so a new code cannot lack a kind.
 */
export class TalentExportError<C extends string = string> extends Error {
  override name = 'TalentExportError';
  readonly code: C;
  readonly kind: ErrorKind;

  constructor(code: C, kind: ErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = kind;
  }
}

/**
 * The kind of anything thrown. Errors of this model say theirs; a cancelled operation (AbortError) is
 * `interrupted`; Node's system errors (ENOENT, EACCES, ...) are `input`, because code that writes wraps its
 * own file-system errors as `output` errors; anything else is a bug.
 */
export function kindOf(error: unknown): ErrorKind {
  if (error instanceof TalentExportError) return error.kind;
  const e = error as { name?: unknown; code?: unknown; kind?: unknown } | null | undefined;
  if (e === null || typeof e !== 'object') return 'internal';
  // Another copy of this package (two versions installed) makes instanceof fail: its errors are still coded.
  if (typeof e.code === 'string' && ERROR_KINDS.includes(e.kind as ErrorKind)) return e.kind as ErrorKind;
  if (e.name === 'AbortError' || e.code === 'ABORT_ERR') return 'interrupted';
  if (typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code)) return 'input';
  return 'internal';
}
