import { openExport, type TalentExport } from '@talent-export/export';
import { shippedExportPath } from '@talent-export/sample';
import type { Context } from './context.js';

/** Opens the export named on the command line, or the sample that ships when none is named. */
export async function openInput(
  path: string | undefined,
  { signal, progress }: Context,
): Promise<TalentExport> {
  const target = path ?? shippedExportPath();
  if (path === undefined) progress.log(`no export given: using the sample export that ships (${target})`);
  return openExport(target, { signal });
}
