import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyDownloadName, openExport, type Problem, type TalentExport } from '@talent-export/export';
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
  // A zip or folder holding nothing of an export is refused by openExport itself (EXPORT_UNRECOGNIZED).
  return openExport(target, { signal, ...zip });
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
