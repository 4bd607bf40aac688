// The manifest: export.csv read from the folder or from inside export.zip, then checked against the parts.
import { readFile, stat } from 'node:fs/promises';
import { relative as relativePath } from 'node:path';
import { TABLE_NAMES, type TableName, tableForFile } from '@talent-export/schema';
import { hiddenFileName, openZip } from '@talent-export/zip';
import type { AttachmentSummary } from './attachments.js';
import { examples, type Problem, type ProblemList, problem } from './errors.js';
import { type Found, overlaps, type PartInfo } from './find.js';
import { reason } from './io.js';
import {
  checkManifestFiles,
  decodeManifest,
  type Manifest,
  parseManifest,
  reconcileStatistics,
} from './manifest.js';
import {
  baseName,
  classifyDownloadName,
  compareIds,
  downloadKey,
  isExportFile,
  isJunk,
  partFolderRange,
} from './names.js';
import type { Sources } from './sources.js';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** export.csv beside the zips; else (the guide shows one there) inside export.zip; else a notice. */
export async function readManifest(
  found: Found,
  tables: Sources,
  problems: ProblemList,
): Promise<Manifest | null> {
  let file: string;
  let read: () => Promise<Uint8Array>;
  if (found.manifestPath !== undefined) {
    const path = found.manifestPath;
    file = relative(found, path);
    read = async () => {
      const { size } = await stat(path);
      if (size > MAX_MANIFEST_BYTES) throw new Error(`it is ${size} bytes, far more than a manifest holds`);
      return readFile(path);
    };
  } else if (tables.manifestEntry !== undefined && tables.archive !== null) {
    const { archive, manifestEntry: entry } = tables;
    file = `${found.exportZip?.file}:${entry.name}`;
    read = async () => {
      if (entry.uncompressedSize > MAX_MANIFEST_BYTES)
        throw new Error(`it is ${entry.uncompressedSize} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of await archive.openStream(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };
  } else {
    if (found.layout !== 'export-zip') {
      problems.add(
        problem('MANIFEST_MISSING', 'no export.csv found: the file counts of the export are not checked'),
      );
    }
    return null;
  }
  try {
    const parsed = parseManifest(decodeManifest(await read()), file);
    problems.addAll(parsed.problems);
    // Not a manifest at all (an empty file, a page saved in its place): it lists nothing, so every part
    // would be told unlisted and every count differ, all of it noise about a file said to be unreadable.
    if (parsed.problems.some((p) => p.code === 'MANIFEST_UNREADABLE')) return null;
    if (found.layout === 'download') {
      problems.addAll(setAsideForeignParts(parsed.manifest, found));
      const { present, notice } = withMerged(parsed.manifest, found);
      if (notice !== undefined) problems.add(notice);
      const { zipped, renamed } = await zippedIn(parsed.manifest, present, found);
      const byUrl = namedByUrl(parsed.manifest, present, problems);
      // Its size tells a zip apart from others whose hidden names are alike (`download (1).zip`, `(2)`).
      const named = new Map([...renamed].map(([key, zip]) => [key, `${zip.shown} (${zip.bytes} bytes)`]));
      problems.addAll(checkManifestFiles(parsed.manifest, present, found.pieces, zipped, byUrl, named));
      holdersTold(problems, new Set(zipped.values()), renamed, parsed.manifest, found);
    }
    return parsed.manifest;
  } catch (error) {
    problems.add(problem('MANIFEST_UNREADABLE', `${file} cannot be read: ${reason(error)}`, { file }));
    return null;
  }
}

/**
 * Download key -> the zip of another name holding it, for the files export.csv lists that are not in the
 * folder: several of them zipped together to be sent or kept (the Finder names such a zip `Archive.zip`).
 * Told to download them again, one would fetch gigabytes that are there. `renamed`: download key -> the
 * zip of another name that is the listed file itself (see `ListedAs`), and its size. Only the zips'
 * listings are read, and only when a listed file is missing.
 */
async function zippedIn(
  manifest: Manifest,
  present: ReadonlyMap<string, string>,
  found: Found,
): Promise<{ zipped: Map<string, string>; renamed: Map<string, RenamedZip> }> {
  const zips = found.otherZips;
  const held = new Map<string, string>();
  const renamed = new Map<string, RenamedZip>();
  const missing = new Set(
    manifest.files
      .map((file) => downloadKey(file.name))
      .filter((key) => key !== undefined && !present.has(key)),
  );
  if (zips === undefined || missing.size === 0) return { zipped: held, renamed };
  for (const path of zips) {
    // Every missing file found: the other zips (a user's own, beside the download) are not opened.
    if (held.size + renamed.size === missing.size) break;
    const archive = await openZip(path).catch(() => undefined);
    if (archive === undefined) continue;
    const listing = new ListedAs();
    try {
      for await (const entry of archive.entries()) {
        const key = downloadKey(baseName(entry.name));
        if (key !== undefined && missing.has(key) && !held.has(key))
          held.set(key, shownZip(relative(found, path)));
        listing.add(entry.name, entry.isDirectory);
      }
      const key = listing.key();
      if (key !== undefined && missing.has(key) && !held.has(key) && !renamed.has(key))
        renamed.set(key, {
          path: relative(found, path),
          shown: shownZip(relative(found, path)),
          bytes: (await stat(path)).size,
        });
    } catch {
      // A zip that cannot be listed holds nothing to point at; reading it is not this check's business.
    } finally {
      await archive.close();
    }
  }
  return { zipped: held, renamed };
}

/** A zip of another name that is a listed file: where it is, its name as messages show it, and its size. */
interface RenamedZip {
  path: string;
  shown: string;
  bytes: number;
}

/**
 * Which listed file a zip of another name is, by what it holds: a part's (one `Attachments_<first>-<last>/`
 * folder, beside which the guide's sample shows tables and export.csv too) or export.zip's (most of the ten
 * tables, and nothing else). A browser given no file name by the link names a download after it
 * (`download.zip`), and a user may rename one by hand: told it is not there, one would download gigabytes
 * again.
 */
class ListedAs {
  #folder: string | undefined;
  readonly #tables = new Set<TableName>();
  #other = false;

  add(name: string, isDirectory: boolean): void {
    if (this.#other || isJunk(name)) return;
    const slash = name.indexOf('/');
    const top = slash < 0 ? undefined : name.slice(0, slash);
    if (top !== undefined && partFolderRange(top) !== undefined) {
      this.#folder ??= top;
      // Two parts' folders: the zip holds both, and is neither.
      if (this.#folder !== top) this.#other = true;
    } else if (!isDirectory) {
      const table = tableForFile(name);
      if (table !== undefined) this.#tables.add(table);
      else if (!isExportFile(name)) this.#other = true;
    }
  }

  /** The download key of the file the zip is, or undefined when it is none (or cannot be told). */
  key(): string | undefined {
    if (this.#other) return undefined;
    // Most of the ten tables: a zip of a few CSVs of the user's, named like tables, is not taken for it.
    if (this.#folder === undefined)
      return this.#tables.size >= TABLE_NAMES.length / 2 ? 'export-zip' : undefined;
    const range = partFolderRange(this.#folder)!;
    return `part:${range.first}-${range.last}`;
  }
}

/** How much of a Download Url's key (the query's value) a file's name must hold to be taken for its download. */
const URL_KEY_LENGTH = 24;

/**
 * Download key -> the hidden name of a file beside export.csv named after the Download Url of a listed
 * file not there (`wget URL` saves `index.html?x-li-ambry-ep=<key>`): that file, under another name. Its
 * UNKNOWN_FILE notice is said again as what it is. The name holds the link's key, so messages hide it.
 */
function namedByUrl(
  manifest: Manifest,
  present: ReadonlyMap<string, string>,
  problems: ProblemList,
): Map<string, string> {
  const saved = new Map<string, string>();
  const items = problems.items;
  for (const listed of manifest.files) {
    const key = downloadKey(listed.name);
    const query = listed.url.slice(listed.url.indexOf('?') + 1);
    const value = query.slice(query.indexOf('=') + 1);
    if (key === undefined || present.has(key) || !listed.url.includes('?') || value.length < URL_KEY_LENGTH)
      continue;
    const mark = value.slice(0, URL_KEY_LENGTH);
    const at = items.findIndex((p) => p.code === 'UNKNOWN_FILE' && p.file?.includes(mark) === true);
    if (at < 0) continue;
    const shown = hiddenFileName(items[at]!.file!);
    saved.set(key, shown);
    items[at] = problem(
      'UNKNOWN_FILE',
      `${shown} is ${listed.name} saved under a name made of its Download Url (MANIFEST_MISSING_FILE says so): rename it ${listed.name} and run again`,
      { file: shown },
    );
  }
  return saved;
}

/**
 * A zip beside export.csv that holds files it lists, or is one under another name (`renamed`), was told
 * "not part of a download, ignored" when the folder was found: said again as what it is, its name hidden
 * as MANIFEST_MISSING_FILE hides it.
 */
function holdersTold(
  problems: ProblemList,
  holders: ReadonlySet<string>,
  renamed: ReadonlyMap<string, RenamedZip>,
  manifest: Manifest,
  found: Found,
): void {
  if (holders.size === 0 && renamed.size === 0) return;
  // Path -> the listed file a zip is; shown name -> those of the zips so shown (sizes tell them apart).
  const byPath = new Map<string, string>();
  const byShown = new Map<string, string[]>();
  for (const [key, zip] of renamed) {
    const listed = manifest.files.find((file) => downloadKey(file.name) === key);
    if (listed === undefined) continue;
    byPath.set(zip.path, listed.name);
    byShown.set(zip.shown, [...(byShown.get(zip.shown) ?? []), listed.name]);
  }
  // A name hidden already (the walk of a folder holding neither export.zip nor parts hides a stray file's)
  // is told as a listed file only when every zip it may be is one: not a zip of the user's of that length.
  const alike = new Map<string, number>();
  for (const path of found.otherZips ?? []) {
    const shown = shownZip(relative(found, path));
    alike.set(shown, (alike.get(shown) ?? 0) + 1);
  }
  const items = problems.items;
  for (let i = 0; i < items.length; i++) {
    const { code, file } = items[i]!;
    if (code !== 'UNKNOWN_FILE' || file === undefined) continue;
    const named = byPath.get(file);
    const listed =
      named !== undefined
        ? [named]
        : alike.get(file) === byShown.get(file)?.length
          ? byShown.get(file)
          : undefined;
    const shown =
      listed !== undefined && named === undefined ? file : holders.has(file) ? file : shownZip(file);
    if (listed !== undefined) {
      const told =
        listed.length === 1
          ? `is ${listed[0]} under another name (MANIFEST_MISSING_FILE says so): rename it ${listed[0]}`
          : 'is a file export.csv lists, under another name (MANIFEST_MISSING_FILE says which, by its size): rename it as it says';
      items[i] = problem('UNKNOWN_FILE', `${shown} ${told} and run again`, { file: shown });
    } else if (holders.has(shown)) {
      items[i] = problem(
        'UNKNOWN_FILE',
        `${shown} holds files export.csv lists (MANIFEST_MISSING_FILE names them): unzip it here and run again`,
        { file: shown },
      );
    }
  }
}

/**
 * A zip of the user's named without its name (`../[file name, 11 characters].zip`): it may be named after
 * anyone, and the report page shows the messages naming it.
 */
function shownZip(path: string): string {
  const up = /^(?:\.\.\/)*/.exec(path)![0];
  return `${up}${hiddenFileName(path.slice(up.length).split('/').at(-1)!)}`;
}

/**
 * Parts of another export, when two downloads were saved into one folder (a second export.csv or
 * export.zip that differs from the first is there): a part that export.csv does not list, whose candidate
 * range runs into that of a part it lists and that is there, is taken for the other export's, as one
 * export's parts split its candidates into ranges apart (sharing at most the first or last id, when a
 * candidate's folder goes on in the next part). It is taken out of `found` (neither read nor counted), each
 * a problem saying so; read, its candidates were counted as this export's. With no sign of a second export,
 * an unlisted part is read (MANIFEST_UNLISTED_FILE): export.csv may be the one out of date.
 */
function setAsideForeignParts(manifest: Manifest, found: Found): Problem[] {
  const problems = setAsideScattered(manifest, found);
  const second = found.problems.some(
    (p) => p.code === 'DOWNLOAD_COPIES_DIFFER' && !downloadKey(p.file ?? '')?.startsWith('part:'),
  );
  if (!second) return problems;
  const listed = manifest.files.flatMap((file) => {
    const kind = classifyDownloadName(file.name);
    return kind.kind === 'part' && kind.first !== undefined && found.present.has(kind.key)
      ? [{ name: file.name, first: kind.first, last: kind.last! }]
      : [];
  });
  const keys = new Set(manifest.files.map((file) => downloadKey(file.name)));
  for (const part of [...found.parts]) {
    if (part.first === undefined || part.last === undefined) continue;
    const key = `part:${part.first}-${part.last}`;
    if (keys.has(key)) continue;
    const overlapped = listed.find(
      (other) => compareIds(part.first!, other.last) < 0 && compareIds(other.first, part.last!) < 0,
    );
    if (overlapped === undefined) continue;
    found.parts.splice(found.parts.indexOf(part), 1);
    if (found.present.get(key) === part.file) found.present.delete(key);
    problems.push(
      problem(
        'PART_OF_ANOTHER_EXPORT',
        `${part.file} is not listed in ${manifest.file}, and the candidate range in its name overlaps that of ${overlapped.name}, which is listed: with a second export's files in the folder, it is taken for a part of that export and is not read. Move it to a folder of its own with that export's export.csv and export.zip`,
        { file: part.file },
      ),
    );
  }
  return problems;
}

/**
 * Parts in folders of their own, spread over several (see `Found.scattered`), that export.csv does not
 * list: a folder of an older download's parts kept beside this one's. Read, its candidates were counted as
 * this export's; a part at the top, or alone in its folder, is read all the same (MANIFEST_UNLISTED_FILE).
 */
function setAsideScattered(manifest: Manifest, found: Found): Problem[] {
  if (found.scattered === undefined) return [];
  const keys = new Set(manifest.files.map((file) => downloadKey(file.name)));
  const problems: Problem[] = [];
  for (const [key, folder] of found.scattered) {
    if (keys.has(key)) continue;
    const file = found.present.get(key);
    const part = found.parts.find((p) => p.kind === 'zip' && p.file === file);
    if (part === undefined) continue;
    found.parts.splice(found.parts.indexOf(part), 1);
    found.present.delete(key);
    problems.push(
      problem(
        'PART_OF_ANOTHER_EXPORT',
        `${folder}/${part.file} is not listed in ${manifest.file}, and is in a folder apart from the parts it lists: it is taken for a part of another export and is not read. If it is this export's, put it beside the others and run again`,
        { file: `${folder}/${part.file}` },
      ),
    );
  }
  return problems;
}

/**
 * The parts of no range beside export.zip: a folder that candidate folders of the parts were moved into (as
 * the guide's tip says to do, for lookups; or one named after a part, holding others' too), a part unzipped
 * into a folder of another name (`part2/`), or such a folder zipped to be sent on (`Attachments.zip`).
 */
function mergedParts(found: Found): PartInfo[] {
  if (found.layout !== 'download') return [];
  return found.parts.filter((part) => part.first === undefined);
}

/**
 * `found.present`, with the parts export.csv lists and that are not there as zips taken to be in the parts
 * of no range that hold their candidates (any of them, for a zip, whose candidates are not known here), one
 * notice saying so: told missing, each would be a problem saying to download again what is there. Whether
 * any is missing indeed, the file counts (reconcileStatistics) tell.
 */
function withMerged(
  manifest: Manifest,
  found: Found,
): { present: ReadonlyMap<string, string>; notice?: Problem } {
  const merged = mergedParts(found);
  if (merged.length === 0) return { present: found.present };
  const taken = new Map(found.present);
  const names: string[] = [];
  const holders = new Set<PartInfo>();
  for (const file of manifest.files) {
    const name = classifyDownloadName(file.name);
    if (name.kind !== 'part' || taken.has(name.key)) continue;
    const range = name.first === undefined ? undefined : { first: name.first, last: name.last! };
    const holder = merged.find(
      (part) => part.held === undefined || range === undefined || overlaps(part.held, range),
    );
    if (holder === undefined) continue;
    taken.set(name.key, holder.file);
    names.push(file.name);
    holders.add(holder);
  }
  if (names.length === 0) return { present: taken };
  const [first, ...others] = [...holders];
  // Taken to stand for listed parts, it is not told unlisted (of another export) as well.
  if (first!.kind === 'zip') taken.delete('part:');
  const listed = `${manifest.file} lists ${names.length} part(s) not in the folder`;
  const counts = 'the file counts say whether any are missing';
  // With no part there as a zip, one folder holds what every part held: the guide's tip followed.
  const all = others.length === 0 && found.parts.every((part) => part.kind === 'folder');
  const message =
    first!.kind === 'zip'
      ? `${listed} (${examples(names)}); ${first!.file}, named after no candidate range, is taken for their candidate folders zipped into one: ${counts}`
      : all && first!.file === '.'
        ? `${listed} as zips (${examples(names)}); the Candidate_<id> folders at the top of the folder are as if every part's were moved there, and are taken to be theirs: ${counts}`
        : all
          ? `${listed} as zips (${examples(names)}); ${first!.file}/ holds candidate folders as if every part's were moved into it, and is taken to hold theirs: ${counts}`
          : `${listed} as zips (${examples(names)}); ${examples([...holders].map(shownFolder))} ${holders.size === 1 && first!.file !== '.' ? 'holds' : 'hold'} the candidate folders of parts, unzipped or moved there, and ${holders.size === 1 && first!.file !== '.' ? 'is' : 'are'} taken to hold theirs: ${counts}`;
  return { present: taken, notice: problem('PARTS_IN_ONE_FOLDER', message, { file: first!.file }) };
}

/** A folder part as a message names it: the download folder's own candidate folders are no folder of it. */
const shownFolder = (part: PartInfo): string =>
  part.file === '.' ? 'the Candidate_<id> folders at the top of the folder' : `${part.file}/`;

/** The manifest's file counts against what the parts were found to hold, listed parts not present included. */
export function reconcileParts(manifest: Manifest, found: Found, summary: AttachmentSummary): Problem[] {
  const unread = summary.parts.filter((p) => !p.readable).map((p) => p.file);
  if (found.layout === 'download') {
    const { present } = withMerged(manifest, found);
    for (const listed of manifest.files) {
      const key = downloadKey(listed.name);
      if (key?.startsWith('part:') && !present.has(key)) unread.push(listed.name);
    }
  }
  // A part not read is not counted, the stray files of it found (the zip a part zipped again holds) too:
  // counted, each made up for one of its files told missing.
  const unreadUnknown = summary.parts.reduce((n, p) => n + (p.readable ? 0 : p.unknownFiles), 0);
  return reconcileStatistics(manifest, {
    files: summary.files,
    markers: summary.markers,
    unknown: summary.unknownFiles - unreadUnknown + (summary.exportFiles ?? 0),
    unread,
    refused: summary.parts.reduce((n, p) => n + (p.readable ? (p.refused ?? 0) : 0), 0),
    copies: summary.copies ?? 0,
  });
}

function relative(found: Found, path: string): string {
  if (path.startsWith(`${found.root}/`)) return path.slice(found.root.length + 1);
  // Beside the download's folder: named from it (`../x.zip`), not by a path of this machine.
  const up = relativePath(found.root, path);
  return up.startsWith('../') && !up.startsWith('../../../') ? up : path;
}
