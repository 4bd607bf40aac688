// What opening tells of an input holding nothing of an export, or none of its tables: one refusal, or one
// problem, not ten TABLE_MISSING problems that each say a table is missing.
import { basename, relative, resolve } from 'node:path';
import { TABLE_NAMES } from '@talent-export/schema';
import { ExportError, type Problem, type ProblemCode, problem } from './errors.js';
import { classifyDownloadName } from './names.js';

/** What opening may say of a zip or folder holding nothing of an export: it lacks the tables, its files are unknown. */
const NOTHING_FOUND = new Set<ProblemCode>([
  'TABLE_MISSING',
  'UNKNOWN_FILE',
  'MANIFEST_MISSING',
  'SIBLING_FILES_IGNORED',
]);

/** What of an opened export `notAnExport` looks at. */
export interface Opened {
  root: string;
  tables: object;
  parts: readonly unknown[];
  manifest: unknown;
  problems: readonly Problem[];
}

/**
 * A zip (or folder) holding nothing of Talent Hub's (no table, no export.csv, no attachment part, and
 * nothing damaged that could have been one): refused as what it is, not read as an export missing its ten
 * tables, which told ten TABLE_MISSING problems of a zip of photos. A damaged export.zip is not this: it
 * is told as unreadable. `given` is the path as the caller gave it.
 */
export function notAnExport(ex: Opened, given: string): ExportError | undefined {
  if (Object.keys(ex.tables).length > 0 || ex.parts.length > 0 || ex.manifest !== null) return undefined;
  if (!ex.problems.every((p) => NOTHING_FOUND.has(p.code))) return undefined;
  // A folder holding one zip is read as that zip: named, since the files found are the zip's.
  const shown = resolve(given) === ex.root ? given : relative('.', ex.root) || '.';
  const files = foundFiles(ex.problems);
  const found = filesSaid(files);
  // Named export.zip, or holding CSV files: maybe an export whose tables are named otherwise than the
  // guide's, which "not a Talent Hub export" would deny.
  const tablesLike =
    files.byEnding.has('.csv') || classifyDownloadName(basename(ex.root)).kind === 'export-zip';
  // export.csv or parts beside the zip given: the folder was meant.
  const beside = ex.problems.some((p) => p.code === 'SIBLING_FILES_IGNORED')
    ? `; the folder it is in holds export.csv or attachment parts: give that folder`
    : tablesLike
      ? "; give the export.zip downloaded from Talent Hub, its tables' names as it wrote them"
      : '; give the folder holding export.csv, export.zip and the Attachment_*.zip parts, or export.zip itself';
  const what = tablesLike
    ? `holds none of the ten tables of a Talent Hub export (found: ${found}): no file in it is named as LinkedIn's guide names a table (e.g. Candidate.csv, Messages.csv, at its root or in Contract_<id>/), and it holds no export.csv and no Candidate_<id> folders`
    : `is not a Talent Hub export (found: ${found}): it holds none of the ten tables (e.g. Candidates.csv, Messages.csv), no export.csv and no Candidate_<id> folders`;
  return new ExportError('EXPORT_UNRECOGNIZED', `${shown} ${what}${beside}`, { file: shown });
}

/** The files opening found and ignored: how many, and how many of each ending of those named. */
export interface FoundFiles {
  total: number;
  /** Lowercased ending (`.jpg`, or `no extension`) -> files, of the files told one by one. */
  byEnding: Map<string, number>;
}

/**
 * The files the UNKNOWN_FILE notices tell of, counted by extension: their names are never shown (a file
 * name may be a person's), only the ending the notices keep (`[file name, 5 characters].jpg`). The
 * notice standing for those past the ones told one by one counts them in its `count`.
 */
export function foundFiles(problems: readonly Problem[]): FoundFiles {
  const byEnding = new Map<string, number>();
  let total = 0;
  for (const p of problems) {
    if (p.code !== 'UNKNOWN_FILE') continue;
    if (p.count !== undefined) {
      total += p.count;
      continue;
    }
    total += 1;
    const ending = /\.[A-Za-z0-9]{1,8}$/.exec(p.entry ?? p.file ?? '')?.[0]?.toLowerCase() ?? 'no extension';
    byEnding.set(ending, (byEnding.get(ending) ?? 0) + 1);
  }
  return { total, byEnding };
}

/** `3 files, 2 .jpg, 1 .txt`: the five commonest endings, and how many more. */
function filesSaid({ total, byEnding }: FoundFiles): string {
  if (total === 0) return 'no file';
  const endings = [...byEnding].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
  const n = (v: number) => v.toLocaleString('en-US');
  const shown = endings.map(([ending, k]) => (total === 1 ? ending : `${n(k)} ${ending}`));
  const rest = total - endings.reduce((sum, [, k]) => sum + k, 0);
  if (rest > 0) shown.push(`${n(rest)} more`);
  return `${n(total)} file${total === 1 ? '' : 's'}, ${shown.join(', ')}`;
}

/**
 * The ten TABLE_MISSING problems of an export holding none of its tables (attachment parts only, unzipped
 * beside nothing else) as one, in the place of the first, saying where the tables come from: ten lines
 * said the same ten times. As EXPORT_ZIP_MISSING says it for the parts as zips. The one problem names no
 * table: it is about every one.
 */
export function tablesMissingAsOne(problems: readonly Problem[], parts: number): Problem[] {
  // export.zip cut short before any table: EXPORT_ZIP_TRUNCATED says where they went.
  if (problems.some((p) => p.code === 'EXPORT_ZIP_TRUNCATED')) return [...problems];
  const missing = problems.filter((p) => p.code === 'TABLE_MISSING' && p.table !== undefined);
  if (new Set(missing.map((p) => p.table)).size < TABLE_NAMES.length) return [...problems];
  const first = problems.indexOf(missing[0]!);
  const one = problem(
    'TABLE_MISSING',
    `none of the ten tables (e.g. Candidates.csv, Messages.csv) is in the export, nor export.zip that holds them${parts > 0 ? ` (found: ${parts} attachment part(s) only)` : ''}; put export.zip (or the tables unzipped from it) in the same folder, then give that folder`,
    missing[0]!.file === undefined ? {} : { file: missing[0]!.file },
  );
  const rest = problems.filter((p) => !missing.includes(p));
  return [...rest.slice(0, first), one, ...rest.slice(first)];
}
