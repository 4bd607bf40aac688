import { openExport, type Problem, type TalentExport } from '@talent-export/export';
import { shippedExportPath } from '@talent-export/sample';
import type { InputLimits } from './args.js';
import type { Context } from './context.js';

/** Opens the export named on the command line, or the sample that ships when none is named. */
export async function openInput(
  path: string | undefined,
  { signal, progress }: Context,
  limits: InputLimits = {},
): Promise<TalentExport> {
  const target = path ?? shippedExportPath();
  if (path === undefined) progress.log(`no export given: using the sample export that ships (${target})`);
  return openExport(target, { signal, ...zipOptions(limits) });
}

/** The zip options for the given limits, also handed to the worker that reads attachment bytes. */
export function zipOptions(limits: InputLimits): { zip?: { limits: { maxRatio: number } } } {
  return limits.maxRatio === undefined ? {} : { zip: { limits: { maxRatio: limits.maxRatio } } };
}

/** Points a refusal caused by a limit at the option that raises it. */
export function withHint(problem: Problem): Problem {
  if (/\(maxRatio\)/.test(problem.message)) {
    return {
      ...problem,
      message: `${problem.message} If the export is genuine, raise the cap with --max-ratio.`,
    };
  }
  return problem;
}
