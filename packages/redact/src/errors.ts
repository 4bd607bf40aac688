import { type ErrorKind, TalentExportError } from '@talent-export/errors';

/** Every way redaction can fail before or while it runs. */
export type RedactErrorCode =
  | 'REDACT_BAD_POLICY'
  | 'REDACT_BAD_KEY'
  | 'REDACT_BAD_DICTIONARY'
  | 'REDACT_BAD_CANDIDATE_LIST'
  | 'REDACT_BAD_OPTION';

/** `usage`: the caller asked for something wrong (exit 2); `input`: a file it named cannot be used (exit 3). */
const KINDS: Record<RedactErrorCode, ErrorKind> = {
  REDACT_BAD_POLICY: 'usage',
  REDACT_BAD_KEY: 'usage',
  REDACT_BAD_OPTION: 'usage',
  REDACT_BAD_DICTIONARY: 'input',
  REDACT_BAD_CANDIDATE_LIST: 'input',
};

export class RedactError extends TalentExportError<RedactErrorCode> {
  override readonly name = 'RedactError';
  constructor(
    code: RedactErrorCode,
    message: string,
    details: { table?: string; column?: string; cause?: unknown } = {},
  ) {
    super(code, KINDS[code], message, { cause: details.cause });
    if (details.table !== undefined) this.table = details.table;
    if (details.column !== undefined) this.column = details.column;
  }
  readonly table?: string;
  readonly column?: string;
}
