import { readdirSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import {
  classifyDownloadName,
  ExportError,
  openExport,
  type Problem,
  problem,
  type TalentExport,
} from '@talent-export/export';
import { TABLE_NAMES } from '@talent-export/schema';
import type { InputLimits } from './args.js';
import type { Context } from './context.js';
import { cliWords, UsageError } from './exit.js';

/** Opens the export named on the command line, or the sample that ships when none is named. */
export async function openInput(
  path: string | undefined,
  { signal, progress }: Context,
  limits: InputLimits = {},
): Promise<TalentExport> {
  if (path === undefined) refuseUnnamedHere();
  // Said as what it is, not as a file named "-" that is not there.
  if (path === '-')
    throw new UsageError(
      '"-": an export cannot be read from standard input (a zip is read from its end); give the folder holding it, or export.zip, by its path',
    );
  // The sample package is loaded only when its export is used.
  const target = path ?? (await import('@talent-export/sample')).shippedExportPath();
  if (path === undefined) progress.log(`no export given: using the sample export that ships (${target})`);
  const zip = limits.maxRatio === undefined ? {} : { zip: { limits: { maxRatio: limits.maxRatio } } };
  const ex = await openExport(target, { signal, ...zip });
  const foreign = notAnExport(ex, path ?? target);
  if (foreign !== undefined) {
    await ex.close();
    throw foreign;
  }
  return ex;
}

/** What opening may say of a zip or folder holding nothing of an export: it lacks the tables, its files are unknown. */
const NOTHING_FOUND = new Set(['TABLE_MISSING', 'UNKNOWN_FILE', 'MANIFEST_MISSING', 'SIBLING_FILES_IGNORED']);

/**
 * A zip (or folder) holding nothing of Talent Hub's (no table, no export.csv, no attachment part, and
 * nothing damaged that could have been one): refused as what it is, not read as an export missing its ten
 * tables, which told ten TABLE_MISSING problems of a zip of photos. A damaged export.zip is not this: it
 * is told as unreadable.
 */
function notAnExport(ex: TalentExport, given: string): ExportError | undefined {
  if (Object.keys(ex.tables).length > 0 || ex.parts.length > 0 || ex.manifest !== null) return undefined;
  if (!ex.problems.every((p) => NOTHING_FOUND.has(p.code))) return undefined;
  // A folder holding one zip is read as that zip: named, since the files found are the zip's.
  const shown = resolve(given) === ex.root ? given : relative('.', ex.root) || '.';
  const found = foundFiles(ex.problems);
  // Named export.zip, or holding CSV files: maybe an export whose tables are named otherwise than the
  // guide's, which "not a Talent Hub export" would deny.
  const tablesLike = /\.csv\b/.test(found) || classifyDownloadName(basename(ex.root)).kind === 'export-zip';
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

/**
 * The files opening found and ignored, counted by extension: their names are never shown (a file name
 * may be a person's), only the ending the notices keep (`[file name, 5 characters].jpg`).
 */
function foundFiles(problems: readonly Problem[]): string {
  const unknown = problems.filter((p) => p.code === 'UNKNOWN_FILE');
  // Past 20 files one notice stands for the rest: "<zip>: 30 more unknown files are ignored".
  const MORE = /: (\d+) more unknown files/;
  const more = unknown.reduce((n, p) => n + Number(MORE.exec(p.message)?.[1] ?? 0), 0);
  const named = unknown.filter((p) => !MORE.test(p.message));
  const total = named.length + more;
  if (total === 0) return 'no file';
  const byEnding = new Map<string, number>();
  for (const p of named) {
    const ending = /\.[A-Za-z0-9]{1,8}$/.exec(p.entry ?? p.file ?? '')?.[0]?.toLowerCase() ?? 'no extension';
    byEnding.set(ending, (byEnding.get(ending) ?? 0) + 1);
  }
  const endings = [...byEnding].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
  const n = (v: number) => v.toLocaleString('en-US');
  const shown = endings.map(([ending, k]) => (total === 1 ? ending : `${n(k)} ${ending}`));
  const rest = total - endings.reduce((sum, [, k]) => sum + k, 0);
  if (rest > 0) shown.push(`${n(rest)} more`);
  return `${n(total)} file${total === 1 ? '' : 's'}, ${shown.join(', ')}`;
}

/**
 * The ten TABLE_MISSING problems of an export holding none of its tables (attachment parts only, unzipped
 * beside nothing else) as one, saying where the tables come from: ten lines said the same ten times. As
 * the download's `EXPORT_ZIP_MISSING` says it for the parts as zips.
 */
export function tablesMissingAsOne(ex: TalentExport, problems: readonly Problem[]): Problem[] {
  const missing = problems.filter((p) => p.code === 'TABLE_MISSING' && p.table !== undefined);
  if (new Set(missing.map((p) => p.table)).size < TABLE_NAMES.length) return [...problems];
  const first = problems.indexOf(missing[0]!);
  const one = problem(
    'TABLE_MISSING',
    `none of the ten tables (e.g. Candidates.csv, Messages.csv) is in the export, nor export.zip that holds them${ex.parts.length > 0 ? ` (found: ${ex.parts.length} attachment part(s) only)` : ''}; put export.zip (or the tables unzipped from it) in the same folder, then give that folder`,
    missing[0]!.file === undefined ? {} : { file: missing[0]!.file },
  );
  const rest = problems.filter((p) => !missing.includes(p));
  return [...rest.slice(0, first), one, ...rest.slice(first)];
}

/** Points a refusal caused by a limit at the option that raises it. */
export function withHint(problem: Problem): Problem {
  const message = cliWords(problem.message);
  return message === problem.message ? problem : { ...problem, message };
}

/**
 * A file of a download, as Talent Hub names it or a browser, the Finder or Explorer copies it
 * (`export (1).zip`, `export - Copy.zip`, `export.txt`); not candidates.csv: convert writes one too.
 */
const isDownloadFile = (name: string): boolean => classifyDownloadName(name).kind !== 'other';

/**
 * No export named, run from inside one (`cd ~/Downloads/export; talent-export convert --out lake`): the
 * sample that ships is not what is meant, and with -q nothing would say it was used.
 */
function refuseUnnamedHere(): void {
  let names: string[];
  try {
    names = readdirSync('.');
  } catch {
    return;
  }
  const found = names.find(isDownloadFile);
  if (found === undefined) return;
  throw new UsageError(
    `no export given, and this folder holds ${found}: to read the export here, give it as "." (the sample that ships is read only when the current folder holds no export)`,
  );
}

/** The files the export is read from: export.csv, the tables' files (export.zip or loose CSVs), the zip parts. */
export function filesOf(ex: TalentExport): Set<string> {
  const files = new Set<string>();
  if (ex.manifest) files.add(resolve(ex.root, ex.manifest.file));
  for (const source of Object.values(ex.tables)) if (source) files.add(resolve(ex.root, source.file));
  for (const part of ex.parts) if (part.kind === 'zip') files.add(resolve(part.path));
  return files;
}

/**
 * The first of `names` in `dir` that is a file the export is read from, compared without case: a disk
 * that ignores case (macOS, Windows) takes notes.csv for the export's Notes.csv, and replacing it would
 * destroy the input.
 */
export function inputAmong(ex: TalentExport, dir: string, names: Iterable<string>): string | undefined {
  const inputs = new Map([...filesOf(ex)].map((file) => [file.toLowerCase(), file]));
  for (const name of names) {
    const input = inputs.get(resolve(dir, name).toLowerCase());
    if (input !== undefined) return input;
  }
  return undefined;
}
