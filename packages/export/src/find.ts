import type { Dirent, Stats } from 'node:fs';
import { lstat, open, opendir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { hiddenFileName } from '@talent-export/errors';
import { tableForFile } from '@talent-export/schema';
import { isZipError, openZip } from '@talent-export/zip';
import { ExportError, examples, type Problem, problem } from './errors.js';
import {
  brokenLinkNotice,
  cpgzMessage,
  incompleteProblem,
  leftoverMessage,
  linkedFile,
  linkedFolder,
  placeholder,
  unfinishedDownload,
} from './leftovers.js';
import {
  candidateFolderId,
  classifyDownloadName,
  compareIds,
  type DownloadName,
  downloadKey,
  isDrivePiece,
  isFolderCopy,
  isJunk,
  joinVolumes,
  otherArchive,
  otherArchiveMessage,
  partFolderRange,
  shellWord,
  tableLookAlike,
} from './names.js';
import { outputsNotice, toolOutputs } from './outputs.js';
import { stampOf } from './stamp.js';
import { type Candidate, isKnownExportFile } from './tables.js';
import { isSystemError, pathlessReason } from './verify-reason.js';

/**
 * download: a folder with export.csv, export.zip and Attachment_*.zip parts, as downloaded;
 * export-zip: a lone export.zip (tables only);
 * extracted: a folder where everything was unzipped (CSV tables and Candidate_<id> folders anywhere below).
 */
export type Layout = 'download' | 'export-zip' | 'extracted';

/** An attachment part: a zip as downloaded, or the folder it (or the candidate folders) were extracted to. */
export interface PartInfo {
  /** File name (download) or folder relative to the root ('.' for the root itself) when extracted. */
  file: string;
  /** Absolute path. */
  path: string;
  kind: 'zip' | 'folder';
  /** Candidate id range from the name, e.g. `Attachment_1-2.zip` -> 1 and 2. */
  first?: string;
  last?: string;
  /** Size of the zip file; 0 for folders. */
  bytes: number;
  /**
   * A folder's smallest and largest candidate ids, from its `Candidate_<id>` folders' names: what it holds,
   * whatever it is named (see `asMerged`).
   */
  held?: IdRange;
  /**
   * Folders of a zip of the whole export (through their '/': `export (1)/`) that are copies of another of
   * its folders, alike in their attachments: not read (see `ZippedCopies`).
   */
  copies?: readonly string[];
}

export interface IdRange {
  first: string;
  last: string;
}

export interface Found {
  root: string;
  layout: Layout;
  manifestPath?: string;
  /** export.zip: file name (or path relative to the root) and absolute path. */
  exportZip?: { file: string; path: string };
  parts: PartInfo[];
  /** A walk for an extracted export stopped, having found nothing of one in `MAX_FOLDERS_UNFOUND` folders. */
  walkStopped?: true;
  /**
   * Parts found in folders of their own when they are spread over several (or some are at the top): part
   * key -> the folder. One export.csv does not list may be another export's (see `readManifest`).
   */
  scattered?: Map<string, string>;
  /** A folder beside export.zip walked for parts could not be listed (see `walkBeside`). */
  unlisted?: true;
  /** Extracted layout: CSV files that may be tables (`ref` is the absolute path). */
  csvFiles: Candidate<string>[];
  /**
   * Download layout: table CSVs beside export.zip (its tables unzipped there, at the top or in a folder of
   * their own), compared with export.zip's own; `name` is relative to the root.
   */
  besideTables?: Candidate<string>[];
  /** Download layout without export.zip: its tables, unzipped beside the parts, are `csvFiles` (see `tablesUnzipped`). */
  tablesUnzipped?: true;
  /** Extracted layout: files that are no table but named like one (see `tableLookAlike`). */
  lookAlikes?: string[];
  /** Download key (see names.ts) -> file name, of every recognised file present. */
  present: Map<string, string>;
  /** Download key -> the first 7-Zip volume of it (`x.zip.001`), when the zip is there only in volumes. */
  pieces?: Map<string, string>;
  /**
   * Zips at the top named like no file of a download (`Archive.zip`, what the Finder names a zip of several
   * files): a listed file missing may be in one, zipped to be sent or kept (see `zippedIn`).
   */
  otherZips?: string[];
  problems: Problem[];
}

const MAX_DEPTH = 16;
/**
 * Folders a walk for an extracted export looks in before it gives up, having found nothing of one: an
 * export's files are near its top (its candidate folders are not walked), and `inspect ~` walked a whole home
 * folder for seconds, with no progress, before it said there was no export.
 */
const MAX_FOLDERS_UNFOUND = 1000;
const MAX_WRAPPERS = 3;
const MAX_UNKNOWN_NOTICES = 20;

/**
 * Finds what `path` holds and how it is laid out, reading folder listings only, but for a file there twice
 * (`export (1).zip`): both copies of one size are compared (see `alike`).
 */
export async function findExport(path: string): Promise<Found> {
  // An empty path (a variable not set, in a script) resolves to the working folder: not what was meant.
  if (path.trim() === '') {
    throw new ExportError(
      'EXPORT_NOT_FOUND',
      'the path given is empty; give the folder holding export.csv, export.zip and the Attachment_*.zip parts, or export.zip itself',
    );
  }
  const { root, info } = await statAnyForm(resolve(path)).catch((error: NodeJS.ErrnoException) => {
    throw new ExportError(
      'EXPORT_NOT_FOUND',
      `${path}: ${error.code === 'ENOENT' ? 'no such file or folder' : error.message}; give the folder holding export.csv, export.zip and the Attachment_*.zip parts, or export.zip itself`,
      { file: path, cause: error },
    );
  });
  if (info.isFile()) return findFromFile(root, path);
  if (!info.isDirectory()) {
    throw new ExportError('EXPORT_UNRECOGNIZED', `${path} is neither a file nor a folder`, { file: path });
  }
  return findInFolder((await downloadAbove(root)) ?? root);
}

/**
 * The download a folder of candidate folders (or of part folders) only is a part of, unzipped in it
 * (`talent/Attachments_1-2`, `talent/part2/`): given, it stands for the download, read whole, as a part's
 * zip does. Read alone, the export would be one part without its tables.
 */
async function downloadAbove(dir: string): Promise<string | undefined> {
  const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const own = names.filter((dirent) => !isJunk(dirent.name));
  const partOnly = (d: Dirent) =>
    d.isDirectory() && (candidateFolderId(d.name) !== undefined || partFolderRange(d.name) !== undefined);
  if (own.length === 0 || !own.every(partOnly)) return undefined;
  for (let up = dirname(dir), level = 0; level < 2 && up !== dirname(up); up = dirname(up), level++) {
    const above = await readdir(up).catch(() => [] as string[]);
    const kinds = above.map((name) => classifyDownloadName(name).kind);
    if (kinds.includes('manifest') || kinds.includes('export-zip')) return up;
  }
  return undefined;
}

/**
 * `path` and what it is; when it is not there, the same path in the other Unicode form, if that is: a name
 * typed (NFC, as most keyboards give it) for one copied from macOS (NFD, as its file systems kept it) is
 * no other file to a user, though it is to this file system.
 */
async function statAnyForm(path: string): Promise<{ root: string; info: Stats }> {
  try {
    return { root: path, info: await stat(path) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    for (const form of ['NFD', 'NFC'] as const) {
      const other = path.normalize(form);
      if (other === path) continue;
      const info = await stat(other).catch(() => undefined);
      if (info !== undefined) return { root: other, info };
    }
    throw error;
  }
}

async function findFromFile(path: string, given = path): Promise<Found> {
  const name = basename(path);
  const kind = classifyDownloadName(name);
  // export.csv or a part stands for the download it is part of (a part alone is no export): its folder is
  // read whole. export.zip alone holds the tables, and is read alone (see `Layout`).
  if (kind.kind === 'manifest') return findInFolder(dirname(path));
  if (kind.kind === 'part') {
    const found = await findInFolder(dirname(path));
    // One part given reads as every part and table beside it: said, as it is not what the path named.
    found.problems.unshift(partFolderNotice(name, dirname(given)));
    return found;
  }
  const found: Found = {
    root: path,
    layout: 'export-zip',
    exportZip: { file: name, path },
    parts: [],
    csvFiles: [],
    present: new Map([['export-zip', name]]),
    problems: [],
  };
  const siblings = await readdir(dirname(path)).catch(() => [] as string[]);
  const others = siblings.filter((s) => {
    const c = classifyDownloadName(s);
    return c.kind === 'manifest' || c.kind === 'part';
  });
  if (others.length > 0) {
    found.problems.push(
      problem(
        'SIBLING_FILES_IGNORED',
        `only the tables in ${name} are read; ${others.sort().join(', ')} beside it are not (give the folder to include them)`,
        { file: name },
      ),
    );
  }
  return found;
}

/**
 * What is read when the zip given as the export turned out to be an attachment part under another name
 * (see `Sources.renamedPart`): as for a part given, the export in its folder, with the zip among its parts
 * (in place of the part of its range, when that one is not there). With no export beside it (or only it
 * in its folder), it is read as a part alone: a download without export.csv or export.zip.
 */
export async function findRenamedPart(
  path: string,
  held: { folder?: string; first?: string; last?: string },
): Promise<Found> {
  const dir = dirname(path);
  const name = basename(path);
  const beside = await findInFolder(dir).catch((error: unknown) => {
    if (error instanceof ExportError && error.code === 'EXPORT_UNRECOGNIZED') return undefined;
    throw error;
  });
  const found: Found =
    beside === undefined || beside.layout === 'export-zip'
      ? { root: dir, layout: 'download', parts: [], csvFiles: [], present: new Map(), problems: [] }
      : beside;
  const file = relative(found.root, path);
  const bytes = (await stat(path)).size;
  const range = held.first === undefined ? {} : { first: held.first, last: held.last! };
  // The part of its range there under its own name, alike byte for byte: a copy kept under another name.
  const same = found.parts.find(
    (part) =>
      part.kind === 'zip' && part.first === held.first && part.last === held.last && part.bytes === bytes,
  );
  const copyOf = same !== undefined && (await alike(same.path, path, bytes)) ? same : undefined;
  if (copyOf === undefined) {
    found.parts.push({ file, path, kind: 'zip', ...range, bytes });
    found.parts.sort(byRange);
    // It is the listed part of its range, read: not a zip of the user's that may hold what is missing.
    const key = held.first === undefined ? undefined : `part:${held.first}-${held.last}`;
    if (key !== undefined && !found.present.has(key)) found.present.set(key, file);
    if (found.otherZips !== undefined) found.otherZips = found.otherZips.filter((zip) => zip !== path);
  }
  // Told below, once.
  found.problems = found.problems.filter(
    (p) => !(p.code === 'UNKNOWN_FILE' && (p.file === file || p.file === name)),
  );
  const as =
    copyOf !== undefined
      ? `is a copy of ${copyOf.file} beside it, which is read`
      : `is read as ${held.first === undefined ? 'an attachment part' : `the attachment part Attachment_${held.first}-${held.last}.zip`} under another name`;
  found.problems.unshift(
    problem(
      'PART_RENAMED',
      `${name} holds candidate folders${held.folder === undefined ? '' : ` (those of ${held.folder}/)`} and no table: it ${as}, with the export in its folder (${dir}: export.csv, export.zip and every part there)`,
      { file: name },
    ),
  );
  return found;
}

/** What is read when one part is given: the folder it is in, named as the path given names it. */
function partFolderNotice(name: string, folder: string): Problem {
  const where = folder === '.' ? 'the current folder' : folder;
  return problem(
    'PART_FOLDER_READ',
    `${name} is one attachment part, so the export in its folder is read whole (${where}: export.csv, export.zip and every part there); give that folder to read the same without this notice`,
    { file: name },
  );
}

interface Pick {
  name: string;
  path: string;
  kind: Exclude<DownloadName, { kind: 'other' }>;
}

/** The files of `dir` named like a download's (one of each, browser copies set aside), and the rest. */
async function pickDownloads(
  dir: string,
  problems: Problem[],
): Promise<{ picks: Map<string, Pick>; rest: Dirent[] }> {
  const dirents = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const picks = new Map<string, Pick>();
  const groups = new Map<string, Pick[]>();
  const rest: Dirent[] = [];
  for (const dirent of dirents) {
    if (isJunk(dirent.name)) continue;
    const kind = classifyDownloadName(dirent.name);
    if (kind.kind === 'other') {
      rest.push(dirent.isSymbolicLink() ? await linkedFolder(dir, dirent) : dirent);
      continue;
    }
    let path = join(dir, dirent.name);
    if (dirent.isSymbolicLink()) {
      // A link made to a file of the download (one copy of a 2 GB part kept elsewhere) stands for it: the
      // file it ends at is read, by its own path. A link to nothing, or to a folder, is not read.
      const target = await linkedFile(path);
      if (target === undefined) {
        problems.push(brokenLinkNotice(dirent.name));
        continue;
      }
      path = target;
    } else if (!dirent.isFile()) {
      rest.push(dirent);
      continue;
    }
    const key = kind.kind === 'part' ? kind.key : kind.kind;
    const pick = { name: dirent.name, path, kind };
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [pick]);
    else group.push(pick);
  }
  // The copy read is chosen among all of a name's copies first, and each other copy is then told against
  // it: told pair by pair as they came, a third copy was said to be read in place of a second one that
  // lost to the first after all, and a copy alike the one read was said to differ from another.
  for (const [key, group] of groups) {
    if (group.length === 1) {
      picks.set(key, group[0]!);
      continue;
    }
    // Why each does not open as a zip (undefined: it does): a download cut short lost its end.
    const broken =
      group[0]!.kind.kind === 'manifest'
        ? group.map(() => undefined)
        : await Promise.all(group.map((pick) => whyNotZip(pick.path)));
    const whole = broken.map((why) => why === undefined);
    const best = keptCopy(group, whole);
    const kept = group[best]!;
    picks.set(key, kept);
    for (const [i, ignored] of group.entries()) {
      if (i === best) continue;
      // A download cut short and downloaded again (`Attachment_1-2 (1).zip`): the whole one is read.
      if (whole[i] !== whole[best]) {
        problems.push(cutShortNotice(ignored.name, kept.name, broken[i]!));
      } else if (!whole[i]) {
        // Both cut short (the one a prefix of the other, most often): one download, not two exports.
        problems.push(noneWholeNotice(ignored.name, kept.name, broken[i]!));
      } else problems.push(await copyProblem(ignored, kept));
    }
  }
  const outputs = await toolOutputs(
    dir,
    rest.filter((dirent) => dirent.isFile()).map((dirent) => dirent.name),
  );
  if (outputs.size === 0) return { picks, rest };
  const written = rest.filter((dirent) => dirent.isFile() && outputs.has(dirent.name));
  problems.push(outputsNotice(basename(dir), written.length));
  return { picks, rest: rest.filter((dirent) => !written.includes(dirent)) };
}

/**
 * Of several copies of one download, the index of the one to read: one that ends as a zip does (`whole`)
 * before one cut short; then
 * the original name before browser copies (`export (1).zip`), among copies the lowest number; of names in
 * other cases (`Export.zip` beside `export.zip`, on a disk that tells them apart), Talent Hub's.
 */
function keptCopy(group: readonly Pick[], whole: readonly boolean[]): number {
  let best = 0;
  for (let i = 1; i < group.length; i++) {
    const [a, b] = [group[i]!, group[best]!];
    const better =
      whole[i] !== whole[best]
        ? whole[i]!
        : a.kind.copy !== b.kind.copy
          ? a.kind.copy < b.kind.copy
          : asNamed(a.name) && !asNamed(b.name);
    if (better) best = i;
  }
  return best;
}

/** Whether a name is spelled as Talent Hub spells it: `export.zip`, `export.csv`, `Attachment_<range>.zip`. */
const asNamed = (name: string): boolean => /^(?:export\.(?:zip|csv)|Attachments?_[^/]*\.zip)$/.test(name);

/**
 * Undefined when a file opens as a zip, as the zip reader finds one (an end record, and the central
 * directory where it says), else what it is instead: a download cut short lost its end, which a zip keeps
 * last; an empty file or a web page (an expired link's) was never the zip.
 */
async function whyNotZip(path: string): Promise<string | undefined> {
  try {
    await (await openZip(path, { hideFileNames: true })).close();
    return undefined;
  } catch (error) {
    if (isZipError(error) && error.code === 'ZIP_NOT_A_ZIP') {
      if (error.message.startsWith('File is empty')) return 'is empty (0 bytes)';
      if (error.message.startsWith('File looks like an HTML page'))
        return 'is no zip but a web page (what a download link that has expired gives)';
    }
    return 'is cut short (it does not end as a zip does)';
  }
}

function cutShortNotice(ignored: string, kept: string, what: string): Problem {
  return problem(
    'DUPLICATE_DOWNLOAD',
    `${ignored} ${what} and is ignored; ${kept}, another download of it, is read`,
    { file: ignored },
  );
}

function noneWholeNotice(ignored: string, kept: string, what: string): Problem {
  return problem(
    'DUPLICATE_DOWNLOAD',
    `${ignored} ${what} as well, and is ignored: neither it nor ${kept} is a whole download of it; download ${kept} again`,
    { file: ignored },
  );
}

interface PartsFolder {
  dirent: Dirent;
  picks: Map<string, Pick>;
  rest: Dirent[];
  problems: Problem[];
}

/**
 * The folders beside export.zip that hold attachment parts: people move the parts into a folder of their
 * own (`attachments/`), or some of them (each day's downloads in a folder, one part left at the top), or
 * export.zip into one, beside the parts.
 * `top`: which of export.zip and export.csv are at the top, and its parts; a folder may hold the other,
 * moved in with the parts (the zips collected in one folder, export.csv saved apart), never a second of
 * one. A part there twice (at the top and in a folder, or in two folders) may be two exports' or a copy:
 * such a folder is not read from. Two folders each holding export.zip or export.csv: none is.
 */
async function partsFolders(
  root: string,
  rest: readonly Dirent[],
  top: { exportZip: boolean; manifest: boolean; picks: Map<string, Pick> },
): Promise<PartsFolder[]> {
  const holding: PartsFolder[] = [];
  for (const dirent of rest) {
    // A folder named like a part may hold it (the zip moved into a folder made of its name).
    const kind = classifyDownloadName(dirent.name).kind;
    if (!dirent.isDirectory() || (kind !== 'other' && kind !== 'part')) continue;
    // Safari's download under way (`Attachment_1-2.zip.download/`) holds the file it is writing: not a part.
    if (unfinishedDownload(dirent.name) !== undefined) continue;
    const problems: Problem[] = [];
    const { picks, rest: inside } = await pickDownloads(join(root, dirent.name), problems).catch(() => ({
      picks: new Map<string, Pick>(),
      rest: [],
    }));
    // A folder with an export.zip or export.csv of its own is another download, not this one's parts.
    if ((picks.has('export-zip') && top.exportZip) || (picks.has('manifest') && top.manifest)) continue;
    // With neither at the top, only the parts are: a folder holding parts too may be another download.
    if (!top.exportZip && !top.manifest && hasParts(picks)) continue;
    // export.zip (and export.csv) moved into a folder of their own (`data/export.zip`) beside the parts, too.
    if (hasParts(picks) || (picks.has('export-zip') && !top.exportZip))
      holding.push({ dirent, picks, rest: inside, problems });
  }
  const partKeys = (picks: Map<string, Pick>) => [...picks.keys()].filter((key) => key.startsWith('part:'));
  const seen = new Map<string, number>();
  for (const key of [...partKeys(top.picks), ...holding.flatMap((h) => partKeys(h.picks))])
    seen.set(key, (seen.get(key) ?? 0) + 1);
  const taken = holding.filter((h) => partKeys(h.picks).every((key) => seen.get(key) === 1));
  const twice = (key: string) => taken.filter((h) => h.picks.has(key)).length > 1;
  return twice('export-zip') || twice('manifest') ? [] : taken;
}

const hasParts = (picks: Map<string, Pick>): boolean =>
  [...picks.keys()].some((key) => key.startsWith('part:'));

async function findInFolder(root: string, depth = 0): Promise<Found> {
  const found: Found = {
    root,
    layout: 'download',
    parts: [],
    csvFiles: [],
    present: new Map(),
    problems: [],
  };
  const { picks, rest } = await pickDownloads(root, found.problems);
  const otherZips = rest.filter((dirent) => dirent.isFile() && /\.zip$/i.test(dirent.name));
  if (otherZips.length > 0)
    found.otherZips = otherZips.slice(0, MAX_UNKNOWN_NOTICES).map((dirent) => join(root, dirent.name));
  const partsDirs: { name: string; rest: Dirent[] }[] = [];
  // export.csv alone at the top is a download too: export.zip may have been unzipped and deleted, or moved
  // in with the parts.
  if (picks.has('export-zip') || picks.has('manifest') || hasParts(picks)) {
    const top = { exportZip: picks.has('export-zip'), manifest: picks.has('manifest'), picks };
    const folders = await partsFolders(root, rest, top);
    const scattered = folders.length > 1 || hasParts(picks);
    for (const folder of folders) {
      rest.splice(rest.indexOf(folder.dirent), 1);
      found.problems.push(...folder.problems);
      for (const [key, pick] of folder.picks) {
        picks.set(key, pick);
        if (scattered && key.startsWith('part:'))
          (found.scattered ??= new Map()).set(key, folder.dirent.name);
      }
      partsDirs.push({ name: folder.dirent.name, rest: folder.rest });
    }
  }
  // The parts' sizes asked all at once: one after another, each waited its turn on the thread pool.
  const sizes = new Map(
    await Promise.all(
      [...picks.values()]
        .filter((pick) => pick.kind.kind === 'part')
        .map(async (pick) => [pick, (await stat(pick.path)).size] as const),
    ),
  );
  for (const [key, pick] of picks) {
    found.present.set(key, pick.name);
    const path = pick.path;
    if (pick.kind.kind === 'manifest') found.manifestPath = path;
    else if (pick.kind.kind === 'export-zip') found.exportZip = { file: pick.name, path };
    else if (pick.kind.kind === 'part') {
      const range = pick.kind.first === undefined ? {} : { first: pick.kind.first, last: pick.kind.last! };
      found.parts.push({ file: pick.name, path, kind: 'zip', ...range, bytes: sizes.get(pick)! });
    }
  }
  // A part unzipped in the parts' folder, its zip not kept, is one of them.
  for (const dir of partsDirs) {
    await extractedBeside(join(root, dir.name), dir.rest, found, new Map(), `${dir.name}/`);
    // A part unzipped in the parts' folder without a folder of its own: its candidate folders beside the zips.
    candidatesAtTop(join(root, dir.name), dir.rest, found, dir.name);
    // What else is there is told, as beside export.zip: nothing there goes unsaid.
    for (const dirent of dir.rest.slice(0, MAX_UNKNOWN_NOTICES)) {
      const message = `${dir.name}/${unknownMessage(dirent)}`;
      found.problems.push(problem('UNKNOWN_FILE', message, { file: `${dir.name}/${dirent.name}` }));
    }
    if (dir.rest.length > MAX_UNKNOWN_NOTICES)
      found.problems.push(moreUnknown(dir.rest.length - MAX_UNKNOWN_NOTICES));
  }
  // Each folder beside the zips is walked once, for parts and tables unzipped there alike.
  const walked = new Map<string, Found>();
  if (found.exportZip !== undefined || found.parts.length > 0) candidatesAtTop(root, rest, found);
  if (found.exportZip !== undefined) {
    await extractedBeside(root, rest, found, walked);
    const tables = await tablesBeside(root, rest, found, walked);
    if (tables.length > 0) found.besideTables = tables;
  } else if (found.parts.length > 0) {
    await tablesUnzipped(root, rest, found, walked);
    // A double click (or Safari, on its own) unzips a part as it unzips export.zip: both gone, both read.
    await extractedBeside(root, rest, found, walked);
  }
  found.parts.sort(byRange);
  // Unfinished downloads make a download folder too: they are told as such, not as files of an extracted one.
  const unfinished = rest.some((dirent) => unfinishedDownload(dirent.name) !== undefined);
  if (found.exportZip !== undefined || found.parts.length > 0 || unfinished) {
    let unknown = 0;
    const splits = new Set<string>();
    for (const dirent of rest) {
      const unfinished = unfinishedDownload(dirent.name);
      const inner = walked.get(dirent.name);
      if (inner?.unlisted) found.problems.push(...inner.problems);
      else if (dirent.isSymbolicLink()) found.problems.push(symlinkNotice(dirent.name));
      else if (unfinished !== undefined && !found.present.has(unfinished.key)) {
        found.problems.push(incompleteProblem(dirent.name, unfinished.name));
      } else if (unfinished !== undefined && (await placeholder(found, unfinished.key))) {
        found.problems.push(incompleteProblem(dirent.name, unfinished.name, true));
      } else {
        const whole = dirent.isFile() ? pieceOf(dirent.name) : undefined;
        const key = whole === undefined ? undefined : downloadKey(whole);
        if (key !== undefined && !found.pieces?.has(key)) (found.pieces ??= new Map()).set(key, dirent.name);
        // One notice for all the pieces of one split archive: a part in 10 MB volumes is hundreds of them.
        const split = dirent.isFile() ? splitArchive(dirent.name) : undefined;
        if (split !== undefined && splits.has(split)) continue;
        if (split !== undefined) splits.add(split);
        if (++unknown <= MAX_UNKNOWN_NOTICES) {
          // Candidate folders the zips hold too: a part unzipped where it is, its zip kept.
          const named = classifyDownloadName(`${dirent.name}.zip`).kind !== 'other';
          const another = dirent.isDirectory() && !named ? await downloadIn(join(root, dirent.name)) : [];
          const message =
            inner?.parts.length && !named
              ? `${dirent.name}/ holds candidate folders that ${examples(found.parts.filter((p) => p.kind === 'zip').map((p) => p.file))} hold too (a part unzipped, its zip kept): it is not read, the zips are`
              : another.length > 0
                ? `${dirent.name}/ holds another download (${another.join(', ')}), which is not read with this one; to read it, give that folder`
                : unknownMessage(dirent, found.present);
          found.problems.push(problem('UNKNOWN_FILE', message, { file: dirent.name }));
        }
      }
    }
    if (unknown > MAX_UNKNOWN_NOTICES) found.problems.push(moreUnknown(unknown - MAX_UNKNOWN_NOTICES));
    return found;
  }
  // A folder that only wraps the export (e.g. the download was moved into a folder of its own): go in.
  const only = rest.length === 1 && picks.size === 0 ? rest[0]! : undefined;
  if (
    only?.isDirectory() &&
    candidateFolderId(only.name) === undefined &&
    partFolderRange(only.name) === undefined &&
    depth < MAX_WRAPPERS
  ) {
    return findInFolder(join(root, only.name), depth + 1);
  }
  const wrapping = picks.size === 0 && depth < MAX_WRAPPERS ? await wrappedDownload(root, rest) : undefined;
  if (wrapping !== undefined) {
    const wrapped = wrapping.folder;
    const inner = await findInFolder(join(root, wrapped.name, wrapping.inside), depth + 1);
    // From the download's folder back up to `root`: `../`, or `../../` for `talent/talent/`.
    const up = '../'.repeat(1 + (wrapping.inside === '' ? 0 : wrapping.inside.split('/').length));
    if (wrapping.parts.length > 0 && inner.layout === 'download') {
      // A part unzipped beside the download's folder (`Downloads/part2/` beside `Downloads/talent/`).
      await extractedBeside(root, [...wrapping.parts], inner, new Map(), up);
    }
    if (inner.layout === 'download') await zipsBeside(inner, wrapping, up);
    // A zip beside the download's folder may hold what it lacks (Drive's other piece, not yet unzipped).
    const besideZips = rest.filter((dirent) => dirent.isFile() && /\.zip$/i.test(dirent.name));
    if (besideZips.length > 0) {
      inner.otherZips = [
        ...(inner.otherZips ?? []),
        ...besideZips.map((dirent) => join(root, dirent.name)),
      ].slice(0, MAX_UNKNOWN_NOTICES);
    }
    inner.parts.sort(byRange);
    for (const dirent of rest) {
      if (dirent === wrapped || wrapping.parts.includes(dirent)) continue;
      if (wrapping.zips.some((folder) => folder.dirent === dirent)) continue;
      // A file of the user's beside the download may be named after anyone: shown without its name.
      const shown = hiddenFileName(dirent.name);
      const message = `${shown} beside the download's folder ${wrapped.name}/ is not part of it and is ignored`;
      inner.problems.push(problem('UNKNOWN_FILE', message, { file: shown }));
    }
    return inner;
  }
  await walkExtracted(root, found);
  await refuseNestedDownload(root, found);
  if (found.csvFiles.length > 0 || found.parts.length > 0) {
    found.layout = 'extracted';
    found.parts = found.parts.map((part) => {
      const merged = asMerged(part);
      if (merged !== part) found.problems.push(mergedNotice(part));
      return merged;
    });
    return found;
  }
  if (found.manifestPath !== undefined) return found;
  // A zip of another name, alone: export.zip renamed, or the download zipped whole to be sent (its reading
  // then says to unzip it). Read as export.zip given as the path is.
  const zips = rest.filter((dirent) => dirent.isFile() && /\.zip$/i.test(dirent.name)).map((d) => d.name);
  if (zips.length === 1) return findFromFile(join(root, zips[0]!));
  // The download packed another way (`tar czf`, 7-Zip, WinRAR) to be moved or sent: said, not searched past.
  const packed = rest.filter((dirent) => dirent.isFile() && otherArchive(dirent.name) !== undefined);
  if (zips.length === 0 && packed.length === 1) {
    const name = packed[0]!.name;
    throw new ExportError('EXPORT_UNRECOGNIZED', otherArchiveMessage(name, otherArchive(name)!), {
      file: name,
    });
  }
  const held =
    zips.length > 1 && zips.every(isDrivePiece)
      ? `; it holds ${zips.length} zips Google Drive split a downloaded folder into (${examples(zips)}): unzip every one of them into one folder, then give the folder that holds export.csv, export.zip and the parts`
      : zips.length > 1
        ? `; it holds ${zips.length} zip files named otherwise (${examples(zips)}): give the one that is the export (or the download zipped whole), or unzip them and give the folder`
        : packed.length > 1
          ? `; it holds ${packed.length} archives of other kinds (${examples(packed.map((d) => d.name))}): unpack the one that is the download and give the folder it makes`
          : '';
  throw new ExportError(
    'EXPORT_UNRECOGNIZED',
    `${root} holds no Talent Hub export: no export.csv, export.zip, Attachment_*.zip, table CSVs (e.g. Candidates.csv) or Candidate_<id> folders${found.walkStopped ? ` in its first ${MAX_FOLDERS_UNFOUND} folders` : ''}${held}`,
    { file: root },
  );
}

/**
 * An export.csv, and nothing else of an export, found by the walk of an extracted export in a folder holding
 * export.zip or parts: a download in a folder of its own, beside other folders that `wrappedDownload` could
 * not tell apart from it (another download's parts). The walk reads no zip: taken as the extracted export's
 * export.csv, it had export.zip and every part told missing, to be downloaded again, though they were beside
 * it. With tables or parts unzipped found too, the download's zips were kept beside what they hold unzipped.
 */
async function refuseNestedDownload(root: string, found: Found): Promise<void> {
  const manifest = found.manifestPath;
  if (manifest === undefined || dirname(manifest) === root) return;
  if (found.csvFiles.length > 0 || found.parts.length > 0) return;
  const { picks } = await pickDownloads(dirname(manifest), []).catch(() => ({
    picks: new Map<string, Pick>(),
  }));
  if (!picks.has('export-zip') && !hasParts(picks)) return;
  const folder = `${relative(root, dirname(manifest)).split(sep).join('/')}/`;
  throw new ExportError(
    'EXPORT_UNRECOGNIZED',
    `${root} holds a download in ${folder} (export.csv, and export.zip or parts beside it) and, beside that folder, more parts that may or may not be its: give ${folder} to read the download alone, or move the download's files into one folder and give that`,
    { file: folder },
  );
}

/** A folder beside the download's folder holding some of its parts as zips (`talent-...-002/`). */
interface ZipsFolder {
  dirent: Dirent;
  /** The folder the zips are in, below `dirent` (see `unwrapped`). */
  inside: string;
  picks: Map<string, Pick>;
  rest: Dirent[];
  problems: Problem[];
}

interface Wrapping {
  folder: Dirent;
  /** The download's folder below `folder`: '' or the folders each holding only the next (`talent`). */
  inside: string;
  /** Folders beside it holding parts unzipped. */
  parts: Dirent[];
  /** Folders beside it holding parts as zips. */
  zips: ZipsFolder[];
}

/**
 * The folders a chain of folders each holding nothing else leads to below `dir`: '' when `dir` holds more
 * (or a candidate or part folder). Google Drive's pieces of a downloaded folder unzip so, each to
 * `talent-<time>-001/talent/`; so does a download moved into a folder of its own, then zipped and unzipped.
 */
async function unwrapped(dir: string): Promise<string> {
  let inside = '';
  for (let depth = 0; depth < MAX_WRAPPERS; depth += 1) {
    const dirents = await readdir(join(dir, inside), { withFileTypes: true }).catch(() => [] as Dirent[]);
    const kept = dirents.filter((dirent) => !isJunk(dirent.name));
    const only = kept.length === 1 ? kept[0]! : undefined;
    if (
      !only?.isDirectory() ||
      candidateFolderId(only.name) !== undefined ||
      partFolderRange(only.name) !== undefined ||
      classifyDownloadName(only.name).kind !== 'other'
    )
      return inside;
    inside = inside === '' ? only.name : `${inside}/${only.name}`;
  }
  return inside;
}

/**
 * The one folder of `rest` holding a download (export.zip or parts), when all else beside it is files that
 * are no tables (a note, a checksum list kept with the download), folders of its parts (unzipped, or zips
 * in a folder: Google Drive's pieces of a downloaded folder, each unzipped apart), or folders holding
 * nothing of an export: the download moved into a folder of its own, beside things of the user's. With
 * tables or another export.csv beside it, it may be one of several; two folders holding an export.zip each
 * are two downloads, and which is meant cannot be told.
 */
async function wrappedDownload(root: string, rest: readonly Dirent[]): Promise<Wrapping | undefined> {
  if (rest.some((dirent) => dirent.isFile() && tableForFile(dirent.name) !== undefined)) return undefined;
  const holding: (ZipsFolder & { whole: boolean })[] = [];
  const others: Dirent[] = [];
  for (const folder of rest) {
    if (!folder.isDirectory() || candidateFolderId(folder.name) !== undefined) continue;
    const inside = partFolderRange(folder.name) === undefined ? await unwrapped(join(root, folder.name)) : '';
    const problems: Problem[] = [];
    const { picks, rest: left } =
      partFolderRange(folder.name) !== undefined
        ? { picks: new Map<string, Pick>(), rest: [] }
        : await pickDownloads(join(root, folder.name, inside), problems).catch(() => ({
            picks: new Map<string, Pick>(),
            rest: [],
          }));
    if (picks.has('export-zip') || hasParts(picks))
      holding.push({ dirent: folder, inside, picks, rest: left, problems, whole: picks.has('export-zip') });
    else others.push(folder);
  }
  const downloads = holding.filter((h) => h.whole).map((h) => `${h.dirent.name}/`);
  if (downloads.length > 1) {
    throw new ExportError(
      'EXPORT_UNRECOGNIZED',
      `${root} holds ${downloads.length} downloads, each in a folder of its own (${examples(downloads)}): give the folder of the one to read`,
      { file: root },
    );
  }
  const only = holding.find((h) => h.whole);
  if (only === undefined) {
    const alone = rest.every((dirent) => dirent === holding[0]?.dirent || dirent.isFile());
    return holding.length === 1 && alone
      ? { folder: holding[0]!.dirent, inside: '', parts: [], zips: [] }
      : undefined;
  }
  // Beside the download's folder, folders of its parts as zips, one of them maybe with export.csv (a Drive
  // piece holding export.csv, another export.zip). A second export.csv, or a part there twice, may be
  // another download's: which is meant cannot be told.
  const zips = holding.filter((h) => h !== only);
  if (holding.filter((h) => h.picks.has('manifest')).length > 1) return undefined;
  const keys = holding.flatMap((h) => [...h.picks.keys()].filter((key) => key.startsWith('part:')));
  if (new Set(keys).size !== keys.length) return undefined;
  // Beside the download's folder, folders of candidate folders only: its parts, unzipped apart from it.
  const parts: Dirent[] = [];
  const empty: Dirent[] = [];
  for (const folder of others) {
    const inner: Found = {
      root,
      layout: 'extracted',
      parts: [],
      csvFiles: [],
      present: new Map(),
      problems: [],
    };
    await walkExtracted(join(root, folder.name), inner).catch(() => undefined);
    const alike = inner.csvFiles.length > 0 || inner.manifestPath !== undefined;
    if (inner.parts.length > 0 && !alike) parts.push(folder);
    // A folder of the user's holding nothing of an export is beside the download as a file of theirs is.
    else if (inner.parts.length === 0 && !alike) empty.push(folder);
  }
  const alone = rest.every(
    (dirent) =>
      dirent === only.dirent ||
      dirent.isFile() ||
      parts.includes(dirent) ||
      empty.includes(dirent) ||
      zips.some((z) => z.dirent === dirent),
  );
  return alone ? { folder: only.dirent, inside: only.inside, parts, zips } : undefined;
}

/**
 * The parts in folders beside the download's folder (see `wrappedDownload`) as parts of the download, each
 * told apart as parts in folders of their own are (`Found.scattered`): one export.csv does not list is set
 * aside as another export's.
 */
async function zipsBeside(found: Found, wrapping: Wrapping, up: string): Promise<void> {
  for (const folder of wrapping.zips) {
    const shown = `${up}${folder.dirent.name}${folder.inside === '' ? '' : `/${folder.inside}`}`;
    found.problems.push(...folder.problems);
    for (const [key, pick] of folder.picks) {
      if (pick.kind.kind === 'manifest' && found.manifestPath === undefined) {
        found.manifestPath = pick.path;
        found.present.set(key, pick.name);
      }
      if (pick.kind.kind !== 'part' || found.present.has(key)) continue;
      const { first, last } = pick.kind;
      const range = first === undefined ? {} : { first, last: last! };
      const bytes = (await stat(pick.path)).size;
      found.parts.push({ file: pick.name, path: pick.path, kind: 'zip', ...range, bytes });
      found.present.set(key, pick.name);
      (found.scattered ??= new Map()).set(key, shown);
    }
    for (const dirent of folder.rest.slice(0, MAX_UNKNOWN_NOTICES)) {
      const message = `${shown}/${unknownMessage(dirent)}`;
      found.problems.push(problem('UNKNOWN_FILE', message, { file: `${shown}/${dirent.name}` }));
    }
    if (folder.rest.length > MAX_UNKNOWN_NOTICES)
      found.problems.push(moreUnknown(folder.rest.length - MAX_UNKNOWN_NOTICES));
  }
}

/**
 * Parts unzipped beside export.zip, their zips not kept (`Attachments_1-2/Candidate_<id>/...`): folders of
 * `rest` holding Candidate_<id> folders are parts, as in an extracted export, and leave `rest`. A part
 * whose zip is there too is read from the zip; a folder of no range (all candidates moved into one) only
 * when there is no zip, as it may hold them all again.
 */
async function extractedBeside(
  root: string,
  rest: Dirent[],
  found: Found,
  walked: Map<string, Found>,
  prefix = '',
): Promise<void> {
  const before = [...found.parts];
  for (const dirent of [...rest]) {
    // A folder named like a part (`Attachment_3-4.zip/`) may hold the part unzipped, as ChromeOS and some
    // unzip tools name the folder: read when it does; empty, it is told to be a folder, not the zip.
    const kind = classifyDownloadName(dirent.name).kind;
    if (!dirent.isDirectory() || (kind !== 'other' && kind !== 'part')) continue;
    const inner = await walkBeside(root, dirent.name, found, walked);
    let copies = 0;
    const parts: PartInfo[] = [];
    for (const part of inner.parts) {
      const there =
        part.first === undefined ? undefined : found.present.get(`part:${part.first}-${part.last}`);
      const holder = found.parts.find((p) => p.file === there);
      // A folder of no range is read unless a part there holds its candidates (a part unzipped, its zip
      // kept): the parts unzipped into folders of any name (`part2/`), beside a part still zipped, are read.
      if (part.first === undefined ? !heldElsewhere(part, before) : there === undefined) parts.push(part);
      else if (holder?.kind === 'folder') {
        // The part unzipped twice (`Attachments_1-2 2/`): read once, as a zip there twice is.
        found.problems.push(await folderCopyProblem(holder, { ...part, file: prefix + dirent.name }));
        copies += 1;
      }
    }
    if (parts.length === 0 && copies === 0) continue;
    rest.splice(rest.indexOf(dirent), 1);
    for (const part of parts) {
      const file = prefix + (part.file === '.' ? dirent.name : `${dirent.name}/${part.file}`);
      found.parts.push(asMerged({ ...part, file }));
      if (part.first !== undefined) found.present.set(`part:${part.first}-${part.last}`, file);
    }
  }
}

/**
 * Candidate_<id> folders at the top of the download, beside export.zip: the one folder the guide's tip
 * says to move every part's candidate folders into may be the download's own. Read as a part of no range,
 * as such a folder beside export.zip is, unless the zips there hold those candidates (a part unzipped where
 * it was, its zip kept): then they are one notice, not one a folder.
 */
function candidatesAtTop(root: string, rest: Dirent[], found: Found, file = '.'): void {
  const folders = rest.filter(
    (dirent) => dirent.isDirectory() && candidateFolderId(dirent.name) !== undefined,
  );
  if (folders.length === 0) return;
  for (const dirent of folders) rest.splice(rest.indexOf(dirent), 1);
  let held: IdRange | undefined;
  for (const dirent of folders) held = widen(held, candidateFolderId(dirent.name)!);
  const part: PartInfo = { file, path: root, kind: 'folder', bytes: 0, held: held! };
  if (!heldElsewhere(part, found.parts)) {
    found.parts.push(part);
    return;
  }
  found.problems.push(
    problem(
      'UNKNOWN_FILE',
      `${folders.length} Candidate_<id> folder(s) ${file === '.' ? 'at the top of the folder' : `in ${file}/`} hold candidates that ${examples(found.parts.map((p) => p.file))} hold too (a part unzipped there, its zip kept): they are not read, the zips are`,
    ),
  );
}

/** `held` widened to take in `id`. */
function widen(held: IdRange | undefined, id: string): IdRange {
  if (held === undefined) return { first: id, last: id };
  if (compareIds(id, held.first) < 0) return { first: id, last: held.last };
  if (compareIds(id, held.last) > 0) return { first: held.first, last: id };
  return held;
}

/** Whether two candidate id ranges share an id. */
export function overlaps(a: IdRange, b: IdRange): boolean {
  return compareIds(a.first, b.last) <= 0 && compareIds(b.first, a.last) <= 0;
}

/** Whether a zip of `parts` (one of no range may hold anyone) holds candidates of `part`'s folders. */
function heldElsewhere(part: PartInfo, parts: readonly PartInfo[]): boolean {
  return parts.some(
    (other) =>
      other.kind === 'zip' &&
      (other.first === undefined || part.held === undefined || overlaps(part.held, rangeOf(other)!)),
  );
}

const rangeOf = (part: PartInfo): IdRange | undefined =>
  part.first === undefined ? undefined : { first: part.first, last: part.last! };

/**
 * A folder named after one part that holds candidates outside its range (`Attachments_1-2/` holding those
 * of `Attachment_3-4.zip` too: every part unzipped into the first one's folder, or their candidate folders
 * moved there) is the one folder of the guide's tip, merged, whatever its name: read as a part of no
 * range, as export.csv's other parts (see `readManifest`), not told to hold candidates it should not.
 */
function asMerged(part: PartInfo): PartInfo {
  const named = rangeOf(part);
  if (named === undefined || part.held === undefined) return part;
  const within = compareIds(named.first, part.held.first) <= 0 && compareIds(part.held.last, named.last) <= 0;
  if (within) return part;
  const { first: _, last: __, ...merged } = part;
  return merged;
}

/**
 * export.zip unzipped where it was downloaded (a double click does it) and gone, the parts still zips: its
 * tables, at the top or in the folder it was unzipped to, are the export's tables (see `locateSources`).
 */
async function tablesUnzipped(
  root: string,
  rest: Dirent[],
  found: Found,
  walked: Map<string, Found>,
): Promise<void> {
  const tables = await tablesBeside(root, rest, found, walked);
  if (tables.length === 0) return;
  found.csvFiles = tables;
  found.tablesUnzipped = true;
  const folders = [...new Set(tables.map((t) => (t.name.includes('/') ? `${t.name.split('/')[0]}/` : '')))];
  const where =
    folders.filter(Boolean).length > 0 ? `in ${folders.filter(Boolean).join(', ')}` : 'at the top';
  found.present.set('export-zip', folders[0] || '.');
  found.problems.push(
    problem(
      'EXPORT_ZIP_UNZIPPED',
      `export.zip is not in the folder but its tables are, unzipped (${where}): they are read from there`,
    ),
  );
}

/**
 * export.zip's tables unzipped beside it (`Candidate.csv`, or `Contract_1/Candidate.csv`): not read, as
 * export.zip is, but set apart from `rest` to be compared with its entries rather than each be told an
 * unknown file.
 */
async function tablesBeside(
  root: string,
  rest: Dirent[],
  found: Found,
  walked: Map<string, Found>,
): Promise<Candidate<string>[]> {
  const tables: Candidate<string>[] = [];
  for (const dirent of [...rest]) {
    if (dirent.isFile() && tableForFile(dirent.name) !== undefined) {
      const path = join(root, dirent.name);
      const info = await lstat(path, { bigint: true });
      tables.push({ name: dirent.name, bytes: Number(info.size), ref: path, stamp: stampOf(info) });
    } else if (dirent.isDirectory() && tablesFolder(dirent.name)) {
      const inner = await walkBeside(root, dirent.name, found, walked);
      const csv = inner.csvFiles.filter((file) => tableForFile(file.name) !== undefined);
      // A folder of other things too (candidate folders, a second manifest) is not just the tables unzipped;
      // export.csv moved in with them, none at the top, is this download's.
      const manifest = inner.manifestPath;
      const another =
        manifest !== undefined &&
        (found.manifestPath !== undefined || dirname(manifest) !== join(root, dirent.name));
      if (csv.length === 0 || inner.parts.length > 0 || another) continue;
      if (manifest !== undefined) found.manifestPath = manifest;
      found.problems.push(...inner.problems);
      for (const file of csv) tables.push({ ...file, name: `${dirent.name}/${file.name}` });
    } else continue;
    rest.splice(rest.indexOf(dirent), 1);
  }
  return tables;
}

/** What a folder beside the zips holds (parts, CSV files, a manifest), walked once however often asked. */
async function walkBeside(
  root: string,
  name: string,
  found: Found,
  walked: Map<string, Found>,
): Promise<Found> {
  let inner = walked.get(name);
  if (inner === undefined) {
    inner = { ...found, parts: [], csvFiles: [], problems: [] };
    delete inner.manifestPath;
    await walkExtracted(join(root, name), inner).catch((error: unknown) => {
      if (!isSystemError(error)) throw error;
      inner!.problems.push(folderUnreadable(name, error, true));
      inner!.unlisted = true;
    });
    walked.set(name, inner);
  }
  return inner;
}

/**
 * Walks an extracted export without following links: notes CSV files, export.csv, and the folders holding
 * Candidate_<id> folders (whose contents are read only when attachments are indexed).
 */
async function walkExtracted(root: string, found: Found): Promise<void> {
  let unknown = 0;
  const pending: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  let manifestDepth = found.manifestPath === undefined ? Number.POSITIVE_INFINITY : 0;
  let folders = 0;
  while (pending.length > 0) {
    const nothing =
      found.csvFiles.length === 0 && found.parts.length === 0 && found.manifestPath === undefined;
    if (++folders > MAX_FOLDERS_UNFOUND && nothing) {
      found.walkStopped = true;
      break;
    }
    const { rel, depth } = pending.shift()!;
    const dir = rel === '' ? root : join(root, rel);
    let held: IdRange | undefined;
    const entries: Dirent[] = [];
    try {
      for await (const dirent of await opendir(dir)) {
        if (isJunk(dirent.name)) continue;
        const id = dirent.isDirectory() ? candidateFolderId(dirent.name) : undefined;
        if (id !== undefined) held = widen(held, id);
        else entries.push(dirent);
      }
    } catch (error) {
      // One folder this user may not list (another user's, a system folder) stops no walk; the folder given is
      // another matter, said by whoever lists it.
      if (rel === '' || !isSystemError(error)) throw error;
      found.problems.push(folderUnreadable(rel, error));
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    const outputs = await toolOutputs(
      dir,
      entries.filter((dirent) => dirent.isFile()).map((dirent) => dirent.name),
    );
    if (outputs.size > 0) {
      const shown = rel === '' ? basename(root) : rel;
      const files = entries.filter((dirent) => dirent.isFile() && outputs.has(dirent.name));
      found.problems.push(outputsNotice(shown, files.length));
      for (const file of files) entries.splice(entries.indexOf(file), 1);
    }
    if (held !== undefined) {
      const folder = rel === '' ? '.' : rel;
      const range = partFolderRange(basename(dir));
      found.parts.push({ file: folder, path: dir, kind: 'folder', ...range, bytes: 0, held });
    }
    for (const dirent of entries) {
      const path = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
      if (dirent.isSymbolicLink()) {
        found.problems.push(symlinkNotice(path, true));
      } else if (dirent.isDirectory()) {
        if (depth + 1 < MAX_DEPTH) pending.push({ rel: path, depth: depth + 1 });
      } else if (dirent.isFile() && classifyDownloadName(dirent.name).kind === 'manifest') {
        if (depth < manifestDepth) {
          manifestDepth = depth;
          found.manifestPath = join(root, path);
        }
      } else if (dirent.isFile() && isKnownExportFile(path)) {
        const info = await lstat(join(root, path), { bigint: true });
        found.csvFiles.push({
          name: path,
          bytes: Number(info.size),
          ref: join(root, path),
          stamp: stampOf(info),
        });
      } else {
        // Named where its table is missing (see `tableLookAlike`).
        if (dirent.isFile() && tableLookAlike(path) !== undefined) (found.lookAlikes ??= []).push(path);
        if (++unknown > MAX_UNKNOWN_NOTICES) continue;
        // Inside an extracted export, a stray file's name may be anyone's: shown without it.
        const shown = hiddenFileName(path);
        found.problems.push(
          problem('UNKNOWN_FILE', `${shown} is not part of a Talent Hub export and is ignored`, {
            file: shown,
          }),
        );
      }
    }
  }
  if (unknown > MAX_UNKNOWN_NOTICES) found.problems.push(moreUnknown(unknown - MAX_UNKNOWN_NOTICES));
  found.parts = await withoutFolderCopies(found.parts, found.problems);
  found.parts.sort(byRange);
}

/**
 * Part folders of one range where one is named as a copy of the other (`Attachments_1-2 2`: the Finder's
 * name for a part unzipped a second time; or in a folder so named, `Attachment_1-2 (1)/Attachments_1-2`, as
 * Windows unzips it again), or holding the same files: the original is read, the copy is not, as for a zip
 * downloaded twice; read too, every file of the part was counted and extracted twice. Two folders of one
 * range that differ and neither named a copy are both read: which one is the part cannot be told.
 */
async function withoutFolderCopies(parts: PartInfo[], problems: Problem[]): Promise<PartInfo[]> {
  const namedCopy = (part: PartInfo) => part.file.split('/').some(isFolderCopy);
  const originals = new Map<string, PartInfo>();
  for (const part of parts) {
    const key = `${part.first}-${part.last}`;
    if (part.kind === 'folder' && part.first !== undefined && !namedCopy(part) && !originals.has(key)) {
      originals.set(key, part);
    }
  }
  const kept: PartInfo[] = [];
  for (const part of parts) {
    const original = originals.get(`${part.first}-${part.last}`);
    if (part.kind !== 'folder' || original === undefined || original === part) kept.push(part);
    else {
      const told = await folderCopyProblem(original, part);
      if (namedCopy(part) || told.code === 'DUPLICATE_DOWNLOAD') problems.push(told);
      else kept.push(part);
    }
  }
  return kept;
}

/** A part folder there twice: a notice when both hold the same files (names and sizes), else a problem. */
async function folderCopyProblem(kept: PartInfo, ignored: PartInfo): Promise<Problem> {
  const [a, b] = await Promise.all([treeDigest(kept.path), treeDigest(ignored.path)]);
  if (a === b) {
    return problem(
      'DUPLICATE_DOWNLOAD',
      `${ignored.file}/ is a second copy of ${kept.file}/ (the part unzipped twice: the same files, of the same sizes); ${kept.file}/ is read and ${ignored.file}/ can be deleted`,
      { file: ignored.file },
    );
  }
  return problem(
    'DOWNLOAD_COPIES_DIFFER',
    `${kept.file}/ and ${ignored.file}/ hold the same part and differ: ${kept.file}/ is read. Keep the one you mean under the name ${kept.file}, move the other away, and run again`,
    { file: ignored.file },
  );
}

/** A digest of a folder's tree (names, kinds, file sizes), links not followed, one folder listed at a time. */
async function treeDigest(dir: string): Promise<string> {
  // Loaded when needed: a program that only lists an export does not pay for loading it.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    const dirents = (await readdir(join(dir, rel), { withFileTypes: true })).sort((x, y) =>
      x.name < y.name ? -1 : 1,
    );
    for (const dirent of dirents) {
      const path = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
      if (dirent.isDirectory()) pending.push(path);
      const size = dirent.isFile() ? (await lstat(join(dir, path))).size : -1;
      hash.update(`${dirent.isDirectory() ? 'd' : 'f'} ${size} ${path}\n`);
    }
  }
  return hash.digest('hex');
}

function byRange(a: PartInfo, b: PartInfo): number {
  // A folder of no range comes where its candidates do: `part1/` before `part 2/`.
  const [x, y] = [a.first ?? a.held?.first, b.first ?? b.held?.first];
  if (x !== undefined && y !== undefined && x !== y) return compareIds(x, y);
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/** A folder the system would not list for this user: told, as it may hold part of the export. */
function folderUnreadable(path: string, error: NodeJS.ErrnoException, top = false): Problem {
  // A folder of the download's own (named by the user, beside export.zip) is named, as other files there are.
  const shown = top ? `${path}/` : hiddenFileName(`${path}/`);
  return problem(
    'FOLDER_UNREADABLE',
    `${shown} cannot be listed (${pathlessReason(error)}) and is not looked in; if it holds part of the export, give this user read access to it (e.g. chmod -R u+rX) and run again`,
    { file: shown },
  );
}

/** An extracted export's folder named after one part, holding the candidate folders of others too. */
function mergedNotice(part: PartInfo): Problem {
  return problem(
    'PARTS_IN_ONE_FOLDER',
    `${part.file}/ is named for candidates ${part.first} to ${part.last} but holds candidate folders from ${part.held!.first} to ${part.held!.last}: it is read as the parts' candidate folders moved into one, and the file counts say whether any are missing`,
    { file: part.file },
  );
}

function symlinkNotice(path: string, extracted = false): Problem {
  // Beside the download's files, a link to one of them or to a folder outside is followed: this one is not such.
  const why = extracted
    ? 'links in an extracted export are never followed'
    : 'it points into this folder, or to no file of a download';
  return problem(
    'SYMLINK_IGNORED',
    `${path} is a symbolic link and is not followed: what it points to is not read (${why}); if that is part of the export, put it there itself and run again`,
    { file: path },
  );
}

/**
 * A second download beside the first: a notice when both are alike, else a problem, as the one read may
 * not be the one meant (two exports made on different days are both named export.zip).
 */
async function copyProblem(ignored: Pick, kept: Pick): Promise<Problem> {
  const sizes = await Promise.all([kept.path, ignored.path].map((path) => stat(path).then((s) => s.size)));
  if (sizes[0] === sizes[1] && (await alike(kept.path, ignored.path, sizes[0]!))) {
    return problem(
      'DUPLICATE_DOWNLOAD',
      `${ignored.name} is a second download of ${kept.name} (the same size, and the same bytes where a zip lists its entries); ${kept.name} is read and ${ignored.name} can be deleted`,
      { file: ignored.name },
    );
  }
  const [a, b] = sizes.map((n) => `${n!.toLocaleString('en-US')} bytes`);
  return problem(
    'DOWNLOAD_COPIES_DIFFER',
    `${kept.name} (${a}) and ${ignored.name} (${b}) are both in the folder and differ: ${kept.name} is read. They may be two different exports: keep the one you mean under the name ${kept.name}, move the other away, and run again`,
    { file: ignored.name },
  );
}

const COMPARE_CHUNK = 1024 * 1024;
/** Copies up to this size are compared whole. */
const WHOLE_BYTES = 64 * 1024 * 1024;
/**
 * Of bigger copies, their first MiB and their last bytes, where a zip keeps the directory of its entries
 * (names, sizes, CRC-32s, places) and its end record: two downloads alike there are one archive, and a
 * byte damaged elsewhere fails its CRC-32 when read. Reading two parts of 2 GB in full took seconds at
 * every open.
 */
const TAIL_BYTES = 64 * 1024 * 1024;

/** Whether two files of `size` bytes are alike (see `TAIL_BYTES`): read side by side, to the first difference. */
async function alike(a: string, b: string, size: number): Promise<boolean> {
  const ranges: [number, number][] =
    size <= WHOLE_BYTES
      ? [[0, size]]
      : [
          [0, COMPARE_CHUNK],
          [size - TAIL_BYTES, size],
        ];
  const [ha, hb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [ba, bb] = [Buffer.alloc(COMPARE_CHUNK), Buffer.alloc(COMPARE_CHUNK)];
    for (const [from, to] of ranges) {
      for (let at = from; at < to; ) {
        const length = Math.min(COMPARE_CHUNK, to - at);
        const [ra, rb] = await Promise.all([ha.read(ba, 0, length, at), hb.read(bb, 0, length, at)]);
        if (ra.bytesRead !== rb.bytesRead) return false;
        if (ra.bytesRead === 0) break;
        if (!ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
        at += ra.bytesRead;
      }
    }
    return true;
  } finally {
    await Promise.all([ha.close(), hb.close()]);
  }
}

/** How many names of a folder told unknown are looked through for a download's files. */
const LOOKED_THROUGH = 1000;

/**
 * The export.csv and export.zip a folder beside the download holds (a second download kept in it), as
 * named there, sorted; none when it holds neither or cannot be read. Asked only of folders told unknown,
 * and only of their first LOOKED_THROUGH names: a folder of the user's may hold any number.
 */
async function downloadIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    let seen = 0;
    for await (const dirent of await opendir(dir)) {
      const kind = classifyDownloadName(dirent.name).kind;
      if (dirent.isFile() && (kind === 'manifest' || kind === 'export-zip')) found.push(dirent.name);
      if (++seen >= LOOKED_THROUGH) break;
    }
  } catch {
    return [];
  }
  return found.sort();
}

/**
 * A folder that may hold export.zip's tables unzipped: any of another name than the download's files, and
 * `export.zip/`, the folder of the zip's own name that ChromeOS's Files app and some unzip tools make (told
 * "a folder, not the zip", its tables were not read and export.zip was said to be missing).
 */
const tablesFolder = (name: string): boolean => {
  const kind = classifyDownloadName(name).kind;
  return kind === 'other' || kind === 'export-zip';
};

function moreUnknown(count: number): Problem {
  return problem('UNKNOWN_FILE', `${count} more files that are not part of a Talent Hub export are ignored`, {
    count,
  });
}

/** `present`: download key -> the file read for it, when `dirent` is beside those files (see leftoverMessage). */
function unknownMessage(dirent: Dirent, present?: ReadonlyMap<string, string>): string {
  // Safari's download under way is a folder (`x.zip.download/`): a leftover, not `x.zip.download.zip` unzipped.
  if (dirent.isDirectory() && unfinishedDownload(dirent.name) !== undefined)
    return leftoverMessage(dirent.name, present)!;
  // A folder named like a part is most often the part unpacked by a browser or a file manager: the message
  // must not leave the user thinking the zip is there and was skipped.
  if (dirent.isDirectory() && classifyDownloadName(dirent.name).kind !== 'other') {
    // export.csv (or export.txt) is no zip: a folder of its name was told "not the zip file".
    const file = /\.zip$/i.test(dirent.name) ? 'zip file' : 'file';
    return `${dirent.name}/ is a folder, not the ${file} of that name, and is ignored; put the ${dirent.name} file as downloaded in its place`;
  }
  // A named pipe, socket or device of a download file's name is not that file: reading one could wait forever.
  if (!dirent.isDirectory() && !dirent.isFile() && classifyDownloadName(dirent.name).kind !== 'other') {
    return `${dirent.name} is not a file (a named pipe, socket or device) and is not read; put the ${dirent.name} file as downloaded in its place`;
  }
  // `Attachment_1-2/` or `export/` beside the zips: what unzipping them makes, not a stranger's folder.
  if (dirent.isDirectory() && classifyDownloadName(`${dirent.name}.zip`).kind !== 'other') {
    return `${dirent.name}/ looks like ${dirent.name}.zip unzipped, and is ignored (the zips are read)`;
  }
  const piece = dirent.isFile() ? splitPiece(dirent.name) : undefined;
  if (piece !== undefined) return piece;
  const leftover =
    leftoverMessage(dirent.name, present) ?? (dirent.isFile() ? cpgzMessage(dirent.name) : undefined);
  if (leftover !== undefined) return leftover;
  // What `talent-export redact` writes beside the export it makes: a report of counts, no part of an export.
  if (dirent.isFile() && dirent.name === 'redaction.json') {
    return 'redaction.json is the report of the redaction that made this export (counts, no data), and is ignored';
  }
  // export.csv opened in a spreadsheet and saved in its own format: what it holds cannot be read here.
  if (dirent.isFile() && /^export(?:\s*\(\d+\))?\.(?:xlsx|xls|numbers|ods)$/i.test(dirent.name)) {
    return `${dirent.name} looks like export.csv saved as a spreadsheet, which is not read; save it as CSV (export.csv) beside the zips, or download export.csv again`;
  }
  return `${dirent.name}${dirent.isDirectory() ? '/' : ''} is not part of a Talent Hub download and is ignored (the zips are read)`;
}

const VOLUME = /^(.+\.zip)\.\d{3}$/i;
const SPLIT = /^(.+)\.z\d{2,}$/i;

/**
 * The zip that `name` is a 7-Zip volume of (`x.zip.001`). Not Info-ZIP's pieces (`x.z01`): their zip is their
 * last piece, so with it gone one piece is missing indeed.
 */
const pieceOf = (name: string): string | undefined => VOLUME.exec(name)?.[1];

/** The part or export.zip that `name` is a piece of, split by an archiver (see `splitPiece`). */
function splitArchive(name: string): string | undefined {
  const volume = VOLUME.exec(name);
  if (volume && classifyDownloadName(volume[1]!).kind !== 'other') return volume[1];
  const split = SPLIT.exec(name);
  if (split && classifyDownloadName(`${split[1]}.zip`).kind !== 'other') return `${split[1]}.zip`;
  return undefined;
}

/**
 * A piece of a part or export.zip split by an archiver to fit a disk or a mail: 7-Zip's volumes
 * (`x.zip.001`), Info-ZIP's split archives (`x.z01` beside the last piece, `x.zip`). Told once for all
 * pieces of one archive, by the first of them listed.
 */
function splitPiece(name: string): string | undefined {
  const archive = splitArchive(name);
  if (archive === undefined) return undefined;
  if (VOLUME.test(name)) {
    return `${name} and the pieces after it are ${archive} split into volumes (7-Zip -v), which is not read; join them into ${archive} (${joinVolumes(archive)}) and run again`;
  }
  return `${name} and the pieces after it are pieces of the split archive ${archive}, which is not read; join them (zip -s 0 ${shellWord(archive)} --out whole.zip) and put whole.zip in its place`;
}
