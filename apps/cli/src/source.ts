import { openExport, type Problem, type TalentExport } from '@talent-export/export';
import type { InputLimits } from './args.js';
import type { Context } from './context.js';
import { cliWords } from './exit.js';

/** Opens the export named on the command line, or the sample that ships when none is named. */
export async function openInput(
  path: string | undefined,
  { signal, progress }: Context,
  limits: InputLimits = {},
): Promise<TalentExport> {
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
