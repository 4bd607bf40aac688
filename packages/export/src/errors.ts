import { type ErrorKind, TalentExportError } from '@talent-export/errors';
import { IDS_NOT_SHOWN, showableId, type TableName } from '@talent-export/schema';
import { hiddenFileName } from '@talent-export/zip';
/** Fatal failures: the export cannot be opened or used at all. Everything else is a {@link Problem}. */
export type ExportErrorCode =
  | 'EXPORT_NOT_FOUND'
  | 'EXPORT_UNRECOGNIZED'
  | 'EXPORT_UNREADABLE'
  | 'EXPORT_TABLE_UNAVAILABLE'
  | 'EXPORT_TABLE_COPIES_DIFFER'
  | 'EXPORT_TABLE_CHANGED'
  | 'EXPORT_CLOSED'
  // extractExport(): the output folder
  | 'EXPORT_OUT_NOT_EMPTY'
  | 'EXPORT_OUT_UNWRITABLE'
  | 'EXPORT_BAD_OPTION';

const KIND: Record<ExportErrorCode, ErrorKind> = {
  EXPORT_NOT_FOUND: 'input',
  EXPORT_UNRECOGNIZED: 'input',
  EXPORT_UNREADABLE: 'input',
  EXPORT_TABLE_UNAVAILABLE: 'input',
  EXPORT_TABLE_COPIES_DIFFER: 'input',
  // A table's CSV file that changed while it was read (see `tableChanged`).
  EXPORT_TABLE_CHANGED: 'input',
  // Reading an export after close() is a bug of the caller.
  EXPORT_CLOSED: 'internal',
  EXPORT_BAD_OPTION: 'usage',
  // An output folder that is not empty is refused so that nothing is overwritten.
  EXPORT_OUT_NOT_EMPTY: 'output',
  EXPORT_OUT_UNWRITABLE: 'output',
};

export class ExportError extends TalentExportError<ExportErrorCode> {
  override readonly name = 'ExportError';
  readonly file: string | undefined;
  readonly entry: string | undefined;

  constructor(
    code: ExportErrorCode,
    message: string,
    where: { file?: string; entry?: string; cause?: unknown } = {},
  ) {
    super(code, KIND[code], message, { cause: where.cause });
    this.file = where.file;
    this.entry = where.entry;
  }
}

/**
 * Problems make a run end with exit code 1 (something is missing, unreadable or does not add up); a problem
 * that is a refusal (part of the input refused or unreadable) makes it 3. Notices are reported but change
 * nothing (extra files, browser duplicates, files the tool skips).
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
  | 'MANIFEST_TRUNCATED'
  | 'MANIFEST_STATISTICS_INCONSISTENT'
  | 'MANIFEST_TOTAL_FILES_DIFFER'
  | 'MANIFEST_EXPORTED_FILES_DIFFER'
  | 'MANIFEST_FAILED_FILES'
  // export.zip and the ten tables
  | 'EXPORT_ZIP_MISSING'
  | 'EXPORT_ZIP_UNZIPPED'
  | 'EXPORT_ZIP_UNREADABLE'
  | 'EXPORT_ZIP_ENTRY_CORRUPT'
  | 'EXPORT_ZIP_TRUNCATED'
  | 'TABLE_MISSING'
  | 'TABLE_DUPLICATE'
  | 'TABLE_COPY_DIFFERS'
  | 'TABLE_COPIES_IDENTICAL'
  | 'TABLE_COPIES_UNITED'
  | 'ENTRY_REFUSED'
  | 'ZIP_NOTICE'
  // reading the tables' rows
  | 'TABLE_UNREADABLE'
  | 'TABLE_CHANGED'
  | 'ROWS_REJECTED'
  | 'ORPHAN_REFERENCES'
  | 'ORPHAN_ROWS'
  | 'ROWS_DUPLICATE'
  | 'REFERENCES_NOT_CHECKED'
  | 'QUOTES_LENIENT'
  // the reading engine
  | 'THREADS_REDUCED'
  // attachment parts
  | 'PART_UNREADABLE'
  | 'PART_TRUNCATED'
  | 'PART_RANGE_MISMATCH'
  | 'PART_OF_ANOTHER_EXPORT'
  | 'PARTS_IN_ONE_FOLDER'
  | 'ATTACHMENT_CORRUPT'
  | 'ATTACHMENTS_UNREADABLE'
  | 'ATTACHMENT_CANDIDATE_UNKNOWN'
  | 'CANDIDATE_NO_ATTACHMENTS'
  | 'CANDIDATE_IN_SEVERAL_PARTS'
  | 'CANDIDATE_FOLDER_COPY'
  | 'MARKER_WITH_FILES'
  | 'MARKER_NOT_EMPTY'
  | 'MARKER_COPY'
  | 'ATTACHMENT_COPY'
  | 'KEY_REPEATED'
  // the folder itself
  | 'DUPLICATE_DOWNLOAD'
  | 'DOWNLOAD_COPIES_DIFFER'
  | 'DOWNLOAD_INCOMPLETE'
  | 'SIBLING_FILES_IGNORED'
  | 'PART_FOLDER_READ'
  | 'PART_RENAMED'
  | 'SYMLINK_IGNORED'
  | 'UNKNOWN_FILE'
  | 'FOLDER_UNREADABLE'
  // extractExport()
  | 'NAME_CLASH_RENAMED'
  | 'NAME_UNSAFE_RENAMED'
  | 'MARKER_DUPLICATE'
  | 'CANDIDATE_NOT_FOUND'
  // a bundle of candidates
  | 'CANDIDATE_UNKNOWN'
  | 'CANDIDATE_ID_VARIANT'
  | 'BUNDLE_INCOMPLETE'
  | 'MANIFEST_LEFT_OUT'
  | 'PROBLEMS_ELSEWHERE'
  | 'ATTACHMENT_LEFT_OUT'
  | 'BUNDLE_NO_PARTS'
  // a join by candidate
  | 'PROJECT_VALUES_LEFT_OUT'
  // redaction
  | 'NAMES_UNKNOWN'
  | 'IDS_ROUNDED'
  | 'IDS_DECIMAL'
  // convert
  | 'EXTRA_COLUMNS_NDJSON_ONLY'
  | 'EXTRA_COLUMNS_DROPPED'
  | 'TIMES_CUT'
  | 'NUMBERS_ROUNDED'
  | 'PHONES_ROUNDED'
  | 'TIMES_EPOCH'
  | 'NAMES_LOST'
  | 'NAMES_GARBLED'
  | 'NAMES_CONTROL'
  // a table opened and saved again in a spreadsheet
  | 'TABLE_AT_ROW_LIMIT'
  | 'CELLS_AT_LIMIT'
  | 'TABLE_NOT_UTF8'
  | 'TIMES_PLACEHOLDER'
  | 'TIMES_SPREADSHEET'
  | 'CELLS_SPREADSHEET_ERROR';

export type Severity = 'problem' | 'notice';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  /** Part of the input was refused or could not be read, rather than read and found not to add up. */
  refused?: true;
  message: string;
  file?: string;
  entry?: string;
  /** The table a problem is about (missing or duplicate tables), so callers reading a subset can filter. */
  table?: TableName;
  /** How many entries one problem stands for, when more than one (the refusals past those listed one by one). */
  count?: number;
}

type ProblemClass = Severity | 'refused';

/** The one place a code's severity is decided: a refusal is a problem too. */
const CLASS: Record<ProblemCode, ProblemClass> = {
  MANIFEST_MISSING: 'notice',
  MANIFEST_UNREADABLE: 'problem',
  MANIFEST_BAD_VALUE: 'problem',
  MANIFEST_UNKNOWN_ROW: 'notice',
  MANIFEST_MISSING_FILE: 'problem',
  MANIFEST_UNLISTED_FILE: 'notice',
  MANIFEST_NO_STATISTICS: 'notice',
  MANIFEST_TRUNCATED: 'problem',
  MANIFEST_STATISTICS_INCONSISTENT: 'problem',
  MANIFEST_TOTAL_FILES_DIFFER: 'problem',
  MANIFEST_EXPORTED_FILES_DIFFER: 'problem',
  MANIFEST_FAILED_FILES: 'problem',
  EXPORT_ZIP_MISSING: 'problem',
  EXPORT_ZIP_UNZIPPED: 'notice',
  EXPORT_ZIP_UNREADABLE: 'refused',
  EXPORT_ZIP_ENTRY_CORRUPT: 'refused',
  // A download cut short, as PART_TRUNCATED: the tables whole before the cut are read, the rest told missing.
  EXPORT_ZIP_TRUNCATED: 'problem',
  TABLE_MISSING: 'problem',
  TABLE_DUPLICATE: 'problem',
  TABLE_COPY_DIFFERS: 'problem',
  TABLE_COPIES_IDENTICAL: 'notice',
  TABLE_COPIES_UNITED: 'notice',
  ENTRY_REFUSED: 'refused',
  ZIP_NOTICE: 'notice',
  TABLE_UNREADABLE: 'refused',
  // Its rows may lack some or be of two versions: as unreliable as a zip entry whose CRC-32 does not match.
  TABLE_CHANGED: 'refused',
  ROWS_REJECTED: 'problem',
  ORPHAN_REFERENCES: 'problem',
  ORPHAN_ROWS: 'problem',
  ROWS_DUPLICATE: 'notice',
  REFERENCES_NOT_CHECKED: 'notice',
  QUOTES_LENIENT: 'notice',
  // Fewer threads than asked for read the same rows, only slower.
  THREADS_REDUCED: 'notice',
  PART_UNREADABLE: 'refused',
  // A download cut short: the entries whole before the cut are read, the rest are missing.
  PART_TRUNCATED: 'problem',
  PART_RANGE_MISMATCH: 'problem',
  PART_OF_ANOTHER_EXPORT: 'problem',
  PARTS_IN_ONE_FOLDER: 'notice',
  ATTACHMENT_CORRUPT: 'refused',
  ATTACHMENTS_UNREADABLE: 'refused',
  ATTACHMENT_CANDIDATE_UNKNOWN: 'problem',
  CANDIDATE_NO_ATTACHMENTS: 'notice',
  CANDIDATE_IN_SEVERAL_PARTS: 'notice',
  CANDIDATE_FOLDER_COPY: 'notice',
  MARKER_WITH_FILES: 'notice',
  MARKER_NOT_EMPTY: 'notice',
  MARKER_COPY: 'notice',
  ATTACHMENT_COPY: 'notice',
  KEY_REPEATED: 'notice',
  DUPLICATE_DOWNLOAD: 'notice',
  DOWNLOAD_COPIES_DIFFER: 'problem',
  DOWNLOAD_INCOMPLETE: 'problem',
  SIBLING_FILES_IGNORED: 'notice',
  PART_FOLDER_READ: 'notice',
  PART_RENAMED: 'notice',
  SYMLINK_IGNORED: 'notice',
  UNKNOWN_FILE: 'notice',
  FOLDER_UNREADABLE: 'notice',
  NAME_CLASH_RENAMED: 'notice',
  NAME_UNSAFE_RENAMED: 'notice',
  MARKER_DUPLICATE: 'notice',
  CANDIDATE_NOT_FOUND: 'notice',
  CANDIDATE_UNKNOWN: 'problem',
  CANDIDATE_ID_VARIANT: 'problem',
  BUNDLE_INCOMPLETE: 'refused',
  NAMES_UNKNOWN: 'problem',
  MANIFEST_LEFT_OUT: 'notice',
  PROBLEMS_ELSEWHERE: 'notice',
  ATTACHMENT_LEFT_OUT: 'problem',
  BUNDLE_NO_PARTS: 'problem',
  PROJECT_VALUES_LEFT_OUT: 'problem',
  IDS_ROUNDED: 'problem',
  IDS_DECIMAL: 'problem',
  // Columns beyond the guide are text in NDJSON; typed CSV and Parquet hold the guide's columns.
  EXTRA_COLUMNS_NDJSON_ONLY: 'notice',
  EXTRA_COLUMNS_DROPPED: 'problem',
  TIMES_CUT: 'notice',
  NUMBERS_ROUNDED: 'notice',
  PHONES_ROUNDED: 'notice',
  TIMES_EPOCH: 'notice',
  NAMES_LOST: 'notice',
  NAMES_GARBLED: 'notice',
  NAMES_CONTROL: 'notice',
  // Rows past the sheet's last are lost; the others lose a value, or tell why rows were set aside.
  TABLE_AT_ROW_LIMIT: 'problem',
  CELLS_AT_LIMIT: 'notice',
  TABLE_NOT_UTF8: 'notice',
  TIMES_PLACEHOLDER: 'notice',
  TIMES_SPREADSHEET: 'notice',
  CELLS_SPREADSHEET_ERROR: 'notice',
};

export function severityOf(code: ProblemCode): Severity {
  return CLASS[code] === 'notice' ? 'notice' : 'problem';
}

/** Whether a problem of this code means part of the input was refused or could not be read. */
export function isRefusal(code: ProblemCode): boolean {
  return CLASS[code] === 'refused';
}

/**
 * A problem about one attachment entry of `file`: `${file}: <entry> ${what}`, the entry named as
 * `hiddenFileName` names it in the message and in `entry` alike, since a file name may name a person.
 */
export function entryProblem(code: ProblemCode, file: string, entry: string, what: string): Problem {
  const shown = hiddenFileName(entry);
  return problem(code, `${file}: ${shown} ${what}`, { file, entry: shown });
}

export function problem(
  code: ProblemCode,
  message: string,
  where: { file?: string; entry?: string; table?: TableName; count?: number } = {},
): Problem {
  return {
    severity: severityOf(code),
    code,
    ...(isRefusal(code) ? { refused: true as const } : {}),
    message,
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.entry === undefined ? {} : { entry: where.entry }),
    ...(where.table === undefined ? {} : { table: where.table }),
    ...(where.count === undefined ? {} : { count: where.count }),
  };
}

/**
 * `examples` of ids, those not made of digits (see `showableId`) counted but never shown: a hand-edited
 * table or folder may hold a name or an e-mail where an id belongs.
 */
export function idExamples(ids: readonly string[], total = ids.length, max = 5): string {
  const shown = ids.filter(showableId);
  if (shown.length === 0) return IDS_NOT_SHOWN;
  // Those not shown are in the count of more, however few are shown: `3 ...: 1000000550` read as all three.
  const listed = shown.slice(0, max);
  const more = total - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

/**
 * Ids a user asked for (`--candidates`) that are not there: those made of digits as `examples`, the others
 * counted, as a name or an e-mail pasted by mistake may be among them.
 */
export function askedIds(ids: readonly string[]): string {
  const digits = ids.filter((id) => /^\d+$/.test(id));
  const others = ids.length - digits.length;
  return [
    ...(digits.length > 0 ? [examples(digits, digits.length)] : []),
    ...(others > 0 ? [`${others} not made of digits (not shown: they may be personal data)`] : []),
  ].join('; ');
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

  /**
   * `item` even when one alike was added: one damaged attachment each, where two names hidden alike
   * (`[file name, 8 characters].pdf` for `cv_1.pdf` and `cv_2.pdf`) would be told as one.
   */
  addApart(item: Problem): void {
    const key = `${item.code}\u0000${item.file ?? ''}\u0000${item.entry ?? ''}\u0000${item.message}`;
    this.#seen.add(key);
    this.items.push(item);
  }

  /**
   * `items`, each UNKNOWN_FILE notice apart (see `addApart`): one notice per file ignored, though two names
   * may be hidden alike (`Photo1.jpg`, `Photo2.jpg`), or a count of the files found fell short.
   */
  addFound(items: Iterable<Problem>): void {
    for (const item of items) {
      if (item.code === 'UNKNOWN_FILE') this.addApart(item);
      else this.add(item);
    }
  }
}
