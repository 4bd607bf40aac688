/**
 * An entry's name with its own part left out, for messages about archives whose file names are personal
 * data. The folders of the export's own layout are kept: a top `Attachments_<first>-<last>` (or
 * `Attachment_…`) folder, `Contract_<id>`, `Candidate_<id>` and the kind folders (Public, Private,
 * Miscellaneous). What follows the first other segment is part of the attachment's name (a folder under
 * Public can be named after the person) and is given as its length and extension only:
 * `Candidate_7/Public/[file name, 14 characters].pdf`, or `Candidate_7/Public/[folder name, 2 characters]/`
 * for a directory entry. The file names of the export's own tables (`Candidate.csv`, `Notes.csv`, ...) and
 * of its manifest (`export.csv`) in such folders are kept: they name no one. `entry` is the entry's number in the central directory (1 for the first), which
 * tells entries alike in those apart.
 */
export function hiddenFileName(name: string, entry?: number): string {
  if (name === '') return name;
  const folder = name.endsWith('/');
  const segments = (folder ? name.slice(0, -1) : name).split('/');
  // A file's own name is never kept, even when it is spelled like a folder of the layout.
  const last = folder ? segments.length : segments.length - 1;
  let kept = 0;
  while (kept < last && isLayoutFolder(segments[kept]!, kept)) kept += 1;
  if (kept === segments.length) return name;
  if (kept === last && !folder && EXPORT_FILE.test(segments[last]!)) return name;
  const rest = segments.slice(kept).join('/');
  const length = [...rest].length;
  const which = entry === undefined ? '' : ` of entry ${entry}`;
  const counted = `${which}, ${length} character${length === 1 ? '' : 's'}]`;
  const shown = folder ? `[folder name${counted}/` : `[file name${counted}${extensionOf(segments.at(-1)!)}`;
  return `${segments.slice(0, kept).join('/')}${kept > 0 ? '/' : ''}${shown}`;
}

const TOP_FOLDER = /^attachments?_[\d-]*$/i;
const ID_FOLDER = /^(?:contract|candidate)s?_\d+$/i;
const KIND_FOLDER = /^(?:public|private|miscellaneous)$/i;
/** The ten tables' file names as export.zip spells them (any case, singular or plural), and the manifest's. */
const EXPORT_FILE =
  /^(?:(?:candidate|customfielddefinition|customfieldvalue|feedback|hiringstate|interviewmodule|message|note|project|scorecard)s?|export)\.csv$/i;

function isLayoutFolder(segment: string, index: number): boolean {
  return (index === 0 && TOP_FOLDER.test(segment)) || ID_FOLDER.test(segment) || KIND_FOLDER.test(segment);
}

function extensionOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 && /^\.[A-Za-z0-9]{1,8}$/.test(file.slice(dot)) ? file.slice(dot) : '';
}
