// What browsers and people leave in a download folder beside its files: unfinished downloads and their
// leftovers, and links made to files (or folders) of the download kept elsewhere.
import type { Dirent } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Problem, problem } from './errors.js';
import type { Found } from './find.js';
import { downloadKey } from './names.js';

/**
 * `Attachment_1-2.zip.crdownload` (Chrome, Edge), `.part` (Firefox), `.partial` (old Edge), `.download`
 * (Safari): a browser still writing, or one that stopped, the file named before the suffix.
 */
const UNFINISHED = /^(.+)\.(?:crdownload|part|partial|download)$/i;

export function unfinishedDownload(name: string): { name: string; key: string } | undefined {
  const m = UNFINISHED.exec(name);
  const key = m ? downloadKey(m[1]!) : undefined;
  return key === undefined ? undefined : { name: m![1]!, key };
}

/**
 * A browser's leftover (see `unfinishedDownload`) whose file is there whole, or one named before its file
 * was known (Chrome's `Unconfirmed 123456.crdownload`): told as what it is, not as a stranger's file.
 * `present`: download key -> the file read for it (see Found), to name the file read.
 */
export function leftoverMessage(name: string, present?: ReadonlyMap<string, string>): string | undefined {
  const unfinished = unfinishedDownload(name);
  if (unfinished !== undefined) {
    // `x (1).zip.crdownload`, downloaded again beside `x.zip`: the file read is `x.zip`, not the copy.
    const read = present?.get(unfinished.key) ?? unfinished.name;
    const which = read === unfinished.name ? read : `${read}, another download of it,`;
    return `${name} is left over from a download of ${unfinished.name} that did not finish; ${which} is in the folder and read, and ${name} can be deleted`;
  }
  if (!UNFINISHED.test(name)) return undefined;
  return `${name} is an unfinished browser download, and is ignored; if a file of the export is missing, let its download finish (or download it again) and run again`;
}

/** `Attachment_1-2.zip.cpgz`: what the Finder's Archive Utility writes beside a zip it cannot unzip. */
const CPGZ = /^(.+)\.cpgz$/i;

/**
 * A `.cpgz` the Finder made of a zip of the download, told as what it is: Archive Utility does not unzip a
 * zip of over 65,535 entries or 4 GB (zip64, as Talent Hub's big parts are), and on a double click packs
 * the zip into `x.zip.cpgz` instead, whose double click gives `x 2.zip` back, and so on.
 */
export function cpgzMessage(name: string): string | undefined {
  const m = CPGZ.exec(name);
  const zip = m?.[1];
  if (zip === undefined || downloadKey(zip) === undefined) return undefined;
  return `${name} is what the Finder's Archive Utility makes of ${zip} when it cannot unzip it (a zip of over 65,535 files or 4 GB), and is not read; it can be deleted. ${zip} is read as it is; to unzip it on a Mac, use \`ditto -x -k\` or \`unzip\` in Terminal, not a double click`;
}

export function incompleteProblem(name: string, original: string, empty = false): Problem {
  // Not a stray file to ignore: the file it should have become is not there, so nothing of it is read.
  const which = empty ? ` (the empty ${original} beside it is a placeholder the browser made)` : '';
  return problem(
    'DOWNLOAD_INCOMPLETE',
    `${name} is an unfinished download of ${original}${which}, which is not read; let the download finish or download ${original} again, and run again`,
    { file: name },
  );
}

/**
 * Whether the file read for `key` is empty: Firefox makes the file, empty, beside the `.part` it writes,
 * so the `.part` is the download under way, not a leftover to delete.
 */
export async function placeholder(found: Found, key: string): Promise<boolean> {
  const name = found.present.get(key);
  const path =
    key === 'manifest'
      ? found.manifestPath
      : key === 'export-zip'
        ? found.exportZip?.path
        : found.parts.find((part) => part.file === name)?.path;
  if (path === undefined) return false;
  return (await stat(path).catch(() => undefined))?.size === 0;
}

/** The file a link ends at, when it is one (a link to a folder, or to nothing, is not). */
export async function linkedFile(path: string): Promise<string | undefined> {
  try {
    const target = await realpath(path);
    return (await stat(target)).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A link to a folder outside `dir` (the parts kept on another disk, linked beside export.zip) as that
 * folder, to be looked into as one; its own entries are still walked without following links. Any other
 * link as it is (told not followed): one into `dir` is walked where it points, and one to `dir` or above
 * would walk it again.
 */
export async function linkedFolder(dir: string, dirent: Dirent): Promise<Dirent> {
  try {
    const [target, here] = await Promise.all([realpath(join(dir, dirent.name)), realpath(dir)]);
    const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`);
    if (related(target, here) || related(here, target) || !(await stat(target)).isDirectory()) return dirent;
  } catch {
    return dirent;
  }
  const folder: Dirent = Object.create(dirent);
  return Object.assign(folder, {
    isDirectory: () => true,
    isFile: () => false,
    isSymbolicLink: () => false,
  });
}

export function brokenLinkNotice(name: string): Problem {
  return problem(
    'SYMLINK_IGNORED',
    `${name} is a symbolic link to no file that can be read (moved or deleted?) and is not read; put the file itself, or a link to it, in its place`,
    { file: name },
  );
}
