import { type ErrorKind, fileSystemRemedy, TalentExportError } from '@talent-export/errors';
import type { TalentExport } from '@talent-export/export';
import { TABLE_NAMES, tableForFile } from '@talent-export/schema';

/** Every way a join can fail; orphans and rejected rows are values of the result, not errors. */
export type JoinErrorCode =
  | 'JOIN_BAD_OPTION'
  | 'JOIN_TABLE_MISSING'
  | 'JOIN_DISK_FULL'
  | 'JOIN_TEMP_IO'
  | 'JOIN_ABORTED'
  | 'JOIN_ATTACHMENT_MISSING'
  | 'JOIN_INTERNAL';

const KIND: Record<JoinErrorCode, ErrorKind> = {
  JOIN_BAD_OPTION: 'usage',
  JOIN_TABLE_MISSING: 'input',
  JOIN_DISK_FULL: 'output',
  JOIN_TEMP_IO: 'output',
  JOIN_ABORTED: 'interrupted',
  JOIN_ATTACHMENT_MISSING: 'input',
  JOIN_INTERNAL: 'internal',
};

export class JoinError extends TalentExportError<JoinErrorCode> {
  override readonly name = 'JoinError';
  constructor(code: JoinErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, KIND[code], message, options);
  }
}

/** A failed read or write of a temporary file: a full disk says so and where, anything else names the file. */
export function tempError(action: string, path: string, error: unknown): JoinError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new JoinError(
      'JOIN_DISK_FULL',
      `the disk is full: could not ${action} ${path}; free space there or give --tmp a folder on a disk with room (about the size of the tables)`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  const fix = fileSystemRemedy(error, '--out, --tmp');
  return new JoinError('JOIN_TEMP_IO', `could not ${action} ${path}: ${reason}${fix ? `; ${fix}` : ''}`, {
    cause: error,
  });
}

/** No candidates table to build on, and why: missing, in the export twice, its entry refused, or export.zip unreadable. */
export function noCandidatesError(ex: TalentExport, consequence: string): JoinError {
  const why =
    ex.problems.find(
      (p) => p.table === 'candidates' && (p.code === 'TABLE_MISSING' || p.code === 'TABLE_DUPLICATE'),
    ) ??
    ex.problems.find(
      (p) =>
        p.code === 'EXPORT_ZIP_UNREADABLE' ||
        p.code === 'EXPORT_ZIP_MISSING' ||
        // export.csv lists export.zip and it is not there: where to get it is said.
        (p.code === 'MANIFEST_MISSING_FILE' && p.file === 'export.zip'),
    ) ??
    // An export of no table at all: one problem, naming none, says where the tables come from.
    ex.problems.find((p) => p.code === 'TABLE_MISSING' && p.table === undefined);
  // This error is all the run prints: a refused entry's reason (a cap an option raises) is said here.
  const refused = ex.problems.find(
    (p) => p.code === 'ENTRY_REFUSED' && p.entry !== undefined && tableForFile(p.entry) === 'candidates',
  );
  return new JoinError(
    'JOIN_TABLE_MISSING',
    `${ex.root} has no candidates table that can be read (${why ? why.message : 'Candidate.csv'}${refused ? `: ${refused.message}` : ''}); ${consequence}`,
  );
}

/**
 * A table other than candidates whose entry export.zip holds but the reader refused (a compression ratio
 * over the cap, encrypted, bzip2): it may hold any candidate's rows, and output made without them would
 * pass for whole. Undefined when every table there was read.
 */
export function refusedTableError(ex: TalentExport, consequence: string): JoinError | undefined {
  // export.zip cut short (a download that stopped): the tables after the cut are missing and the one it
  // cuts lacks rows; unless it was cut in its directory, every table whole.
  const cut = ex.problems.find((p) => p.code === 'EXPORT_ZIP_TRUNCATED');
  const lacking = TABLE_NAMES.filter((t) => ex.tables[t] === undefined || ex.tables[t]!.truncated);
  if (cut !== undefined && lacking.length > 0) {
    return new JoinError(
      'JOIN_TABLE_MISSING',
      `${ex.root}: the ${lacking.join(', ')} table(s) are cut short or missing (${cut.message}); ${consequence}`,
    );
  }
  const refused = ex.problems.filter((p) => {
    const table = p.code === 'ENTRY_REFUSED' && p.entry !== undefined ? tableForFile(p.entry) : undefined;
    return table !== undefined && !ex.tables[table];
  });
  const [first] = refused;
  if (first === undefined) return undefined;
  const tables = [...new Set(refused.map((p) => tableForFile(p.entry!)))].join(', ');
  return new JoinError(
    'JOIN_TABLE_MISSING',
    `${ex.root}: the ${tables} table(s) cannot be read (${first.message}); ${consequence}`,
  );
}

export const abortedError = (): JoinError =>
  new JoinError('JOIN_ABORTED', 'the join was stopped; its temporary files were removed');
