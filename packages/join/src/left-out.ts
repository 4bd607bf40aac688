// A file in a candidate's folder that the attachment index leaves out (it is in no Public, Private or
// Miscellaneous folder): that candidate's document and bundle lack it, which a notice would let pass.
import { type Problem, problem } from '@talent-export/export';

/** The candidate folder an entry path (or a message naming one) is in. */
export const FOLDER = /(?:^|[/"\s])Candidate_([A-Za-z0-9_-]+)\//i;

/** The id of the candidate folder a problem's entry (or message) names, if any. */
export function folderOf(p: Problem): string | undefined {
  return (FOLDER.exec(p.entry ?? '') ?? FOLDER.exec(p.message))?.[1];
}

/** An UNKNOWN_FILE notice about a file in a candidate's folder, as the ATTACHMENT_LEFT_OUT problem it is. */
export function leftOut(p: Problem, where: 'document' | 'bundle'): Problem {
  if (p.code !== 'UNKNOWN_FILE' || folderOf(p) === undefined) return p;
  const what = p.message.replace(/; it is not indexed$/, '');
  const fix =
    where === 'bundle'
      ? 'Add it to the bundle by hand, or move it into one of those folders and run again'
      : 'Move it into one of those folders and run again';
  return problem(
    'ATTACHMENT_LEFT_OUT',
    `${what}, so it is in no ${where}, though it is in the folder of a candidate${where === 'bundle' ? ' asked for' : ''}. ${fix}`,
    {
      ...(p.file === undefined ? {} : { file: p.file }),
      ...(p.entry === undefined ? {} : { entry: p.entry }),
    },
  );
}
