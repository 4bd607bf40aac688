/**
 * An entry's name with its file name left out, for messages about archives whose file names are personal
 * data: the folders, then the file name's length and extension (`Candidate_7/Public/[file name, 14
 * characters].pdf`), and the entry's number in the central directory when given (1 for the first), which
 * tells entries alike in those apart. A folder's name (ending in `/`) is given as it is.
 */
export function hiddenFileName(name: string, entry?: number): string {
  if (name === '' || name.endsWith('/')) return name;
  const at = name.lastIndexOf('/') + 1;
  const file = name.slice(at);
  const dot = file.lastIndexOf('.');
  const extension = dot > 0 && /^\.[A-Za-z0-9]{1,8}$/.test(file.slice(dot)) ? file.slice(dot) : '';
  const length = [...file].length;
  const which = entry === undefined ? '' : ` of entry ${entry}`;
  return `${name.slice(0, at)}[file name${which}, ${length} character${length === 1 ? '' : 's'}]${extension}`;
}
