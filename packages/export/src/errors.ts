import type { TableName } from '@talent-export/schema';
/** Fatal failures: the export cannot be opened or used at all. Everything else is a {@link Problem}. */
export type ExportErrorCode =
  | 'EXPORT_NOT_FOUND'
  | 'EXPORT_UNRECOGNIZED'
  | 'EXPORT_UNREADABLE'
  | 'EXPORT_TABLE_UNAVAILABLE'
  | 'EXPORT_CLOSED'
  // extractExport(): the output folder
  | 'EXPORT_OUT_NOT_EMPTY'
  | 'EXPORT_OUT_UNWRITABLE'
  | 'EXPORT_BAD_OPTION';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  readonly code: ExportErrorCode;
  readonly file: string | undefined;
  readonly entry: string | undefined;

  constructor(
    code: ExportErrorCode,
    message: string,
    where: { file?: string; entry?: string; cause?: unknown } = {},
  ) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.code = code;
    this.file = where.file;
    this.entry = where.entry;
  }
}

/**
 * Problems make a run end with exit code 1 (something is missing, unreadable or does not add up);
 * notices are reported but change nothing (extra files, browser duplicates, files the tool skips).
 */
export type ProblemCode =
  // export.csv
  | 'MANIFEST_MISSING'
  | 'MANIFEST_UNREADABLE'
  | 'MANIFEST_BAD_VALUE'
  | 'MANIFEST_UNKNOWN_ROW'
  | 'MANIFEST_MISSING_FILE'
  | 'MANIFEST_UNLISTED_FILE'
  | 'MANIFEST_NO_STATISTICS'
  | 'MANIFEST_STATISTICS_INCONSISTENT'
  | 'MANIFEST_TOTAL_FILES_DIFFER'
  | 'MANIFEST_EXPORTED_FILES_DIFFER'
  | 'MANIFEST_FAILED_FILES'
  // export.zip and the ten tables
  | 'EXPORT_ZIP_MISSING'
  | 'EXPORT_ZIP_UNREADABLE'
  | 'TABLE_MISSING'
  | 'TABLE_DUPLICATE'
  | 'ENTRY_REFUSED'
  // attachment parts
  | 'PART_UNREADABLE'
  | 'PART_RANGE_MISMATCH'
  | 'ATTACHMENT_CORRUPT'
  | 'ATTACHMENT_CANDIDATE_UNKNOWN'
  | 'CANDIDATE_NO_ATTACHMENTS'
  | 'CANDIDATE_IN_SEVERAL_PARTS'
  | 'MARKER_WITH_FILES'
  // the folder itself
  | 'DUPLICATE_DOWNLOAD'
  | 'SIBLING_FILES_IGNORED'
  | 'SYMLINK_IGNORED'
  | 'UNKNOWN_FILE'
  // extractExport()
  | 'NAME_CLASH_RENAMED'
  | 'MARKER_DUPLICATE'
  | 'CANDIDATE_NOT_FOUND'
  | 'MANIFEST_LEFT_OUT';

export type Severity = 'problem' | 'notice';

export interface Problem {
  severity: Severity;
  /** A {@link ProblemCode} when this package reports it; callers may add problems of their own. */
  code: string;
  message: string;
  file?: string;
  entry?: string;
  /** The table a problem is about (missing or duplicate tables), so callers reading a subset can filter. */
  table?: TableName;
}

const NOTICES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'MANIFEST_MISSING',
  'MANIFEST_UNKNOWN_ROW',
  'MANIFEST_UNLISTED_FILE',
  'MANIFEST_NO_STATISTICS',
  'CANDIDATE_NO_ATTACHMENTS',
  'CANDIDATE_IN_SEVERAL_PARTS',
  'MARKER_WITH_FILES',
  'DUPLICATE_DOWNLOAD',
  'SIBLING_FILES_IGNORED',
  'SYMLINK_IGNORED',
  'UNKNOWN_FILE',
  'NAME_CLASH_RENAMED',
  'MARKER_DUPLICATE',
  'CANDIDATE_NOT_FOUND',
  'MANIFEST_LEFT_OUT',
]);

/** The one place a code's severity is decided. */
export function severityOf(code: ProblemCode): Severity {
  return NOTICES.has(code) ? 'notice' : 'problem';
}

export function problem(
  code: ProblemCode,
  message: string,
  where: { file?: string; entry?: string; table?: TableName } = {},
): Problem {
  return {
    severity: severityOf(code),
    code,
    message,
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.entry === undefined ? {} : { entry: where.entry }),
    ...(where.table === undefined ? {} : { table: where.table }),
  };
}

/** A few examples and how many more, so a message stays one line however many ids it is about. */
export function examples(values: readonly string[], total = values.length, max = 5): string {
  const shown = values.slice(0, max).join(', ');
  return total > max ? `${shown} and ${total - Math.min(max, values.length)} more` : shown;
}

/** Problems in the order found, each reported once even when a check runs twice. */
export class ProblemList {
  readonly items: Problem[] = [];
  readonly #seen = new Set<string>();

  add(item: Problem): void {
    const key = `${item.code}\u0000${item.file ?? ''}\u0000${item.entry ?? ''}\u0000${item.message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.items.push(item);
  }

  addAll(items: Iterable<Problem>): void {
    for (const item of items) this.add(item);
  }
}
