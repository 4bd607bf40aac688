import { readdirSync } from 'node:fs';
import { openExport, type Problem, type TalentExport } from '@talent-export/export';
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
  // The sample package is loaded only when its export is used.
  const target = path ?? (await import('@talent-export/sample')).shippedExportPath();
  if (path === undefined) progress.log(`no export given: using the sample export that ships (${target})`);
  const zip = limits.maxRatio === undefined ? {} : { zip: { limits: { maxRatio: limits.maxRatio } } };
  return openExport(target, { signal, ...zip });
}

/** Points a refusal caused by a limit at the option that raises it. */
export function withHint(problem: Problem): Problem {
  const message = cliWords(problem.message);
  // --max-ratio sets maxRatio, and the archive's cap is never below it.
  if (/\((maxRatio|maxArchiveRatio)\)/.test(message)) {
    return { ...problem, message: `${message} If the export is genuine, raise the cap with --max-ratio.` };
  }
  return message === problem.message ? problem : { ...problem, message };
}

/** A file of a download, as Talent Hub names it (not candidates.csv: convert writes one too). */
const EXPORT_FILE = /^(export\.(zip|csv)|attachments?_.+\.zip)$/i;

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
  const found = names.find((name) => EXPORT_FILE.test(name));
  if (found === undefined) return;
  throw new UsageError(
    `no export given, and this folder holds ${found}: to read the export here, give it as "." (the sample that ships is read only when the current folder holds no export)`,
  );
}
