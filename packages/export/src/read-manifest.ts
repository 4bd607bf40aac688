// The manifest: export.csv read from the folder or from inside export.zip, then checked against the parts.
import { readFile, stat } from 'node:fs/promises';
import type { AttachmentSummary } from './attachments.js';
import { examples, type Problem, type ProblemList, problem } from './errors.js';
import type { Found, PartInfo } from './find.js';
import { reason } from './io.js';
import {
  checkManifestFiles,
  decodeManifest,
  type Manifest,
  parseManifest,
  reconcileStatistics,
} from './manifest.js';
import { classifyDownloadName, compareIds, downloadKey } from './names.js';
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
      const merged = mergedFolder(found);
      const present = merged ? withMerged(parsed.manifest, found.present, merged, problems) : found.present;
      problems.addAll(checkManifestFiles(parsed.manifest, present, found.pieces));
    }
    return parsed.manifest;
  } catch (error) {
    problems.add(problem('MANIFEST_UNREADABLE', `${file} cannot be read: ${reason(error)}`, { file }));
    return null;
  }
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
  const second = found.problems.some(
    (p) => p.code === 'DOWNLOAD_COPIES_DIFFER' && !downloadKey(p.file ?? '')?.startsWith('part:'),
  );
  if (!second) return [];
  const listed = manifest.files.flatMap((file) => {
    const kind = classifyDownloadName(file.name);
    return kind.kind === 'part' && kind.first !== undefined && found.present.has(kind.key)
      ? [{ name: file.name, first: kind.first, last: kind.last! }]
      : [];
  });
  const keys = new Set(manifest.files.map((file) => downloadKey(file.name)));
  const problems: Problem[] = [];
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
 * The folder beside export.zip that candidate folders of every part were moved into (as the guide's tip
 * says to do, for lookups), named after no part: read as a part of no range, only when no part is a zip.
 * A zip named as a part of no range (`Attachments.zip`) is that folder zipped to be sent on: it too is
 * taken to hold the listed parts that are not there.
 */
function mergedFolder(found: Found): PartInfo | undefined {
  if (found.layout !== 'download') return undefined;
  return found.parts.find((part) => part.first === undefined);
}

/**
 * `present`, with the parts export.csv lists and that are not there as zips taken to be in `merged`, one
 * notice saying so: told missing, each would be a problem saying to download again what is there. Whether
 * any is missing indeed, the file counts (reconcileStatistics) tell.
 */
function withMerged(
  manifest: Manifest,
  present: ReadonlyMap<string, string>,
  merged: PartInfo,
  problems: ProblemList,
): ReadonlyMap<string, string> {
  const taken = new Map(present);
  const names: string[] = [];
  for (const file of manifest.files) {
    const key = downloadKey(file.name);
    if (!key?.startsWith('part:') || taken.has(key)) continue;
    taken.set(key, merged.file);
    names.push(file.name);
  }
  // Taken to stand for listed parts, it is not told unlisted (of another export) as well.
  if (names.length > 0 && merged.kind === 'zip') taken.delete('part:');
  if (names.length > 0) {
    problems.add(
      problem(
        'PARTS_IN_ONE_FOLDER',
        merged.kind === 'folder'
          ? `${manifest.file} lists ${names.length} part(s) not in the folder as zips (${examples(names)}); ${merged.file}/ holds candidate folders as if every part's were moved into it, and is taken to hold theirs: the file counts say whether any are missing`
          : `${manifest.file} lists ${names.length} part(s) not in the folder (${examples(names)}); ${merged.file}, named after no candidate range, is taken for their candidate folders zipped into one: the file counts say whether any are missing`,
        { file: merged.file },
      ),
    );
  }
  return taken;
}

/** The manifest's file counts against what the parts were found to hold, listed parts not present included. */
export function reconcileParts(manifest: Manifest, found: Found, summary: AttachmentSummary): Problem[] {
  const unread = summary.parts.filter((p) => !p.readable).map((p) => p.file);
  if (found.layout === 'download' && mergedFolder(found) === undefined) {
    for (const listed of manifest.files) {
      const key = downloadKey(listed.name);
      if (key?.startsWith('part:') && !found.present.has(key)) unread.push(listed.name);
    }
  }
  return reconcileStatistics(manifest, {
    files: summary.files,
    markers: summary.markers,
    unknown: summary.unknownFiles,
    unread,
  });
}

function relative(found: Found, path: string): string {
  return path.startsWith(`${found.root}/`) ? path.slice(found.root.length + 1) : path;
}
