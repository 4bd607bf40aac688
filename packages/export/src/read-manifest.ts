// The manifest: export.csv read from the folder or from inside export.zip, then checked against the parts.
import { readFile, stat } from 'node:fs/promises';
import type { AttachmentSummary } from './attachments.js';
import { type Problem, type ProblemList, problem } from './errors.js';
import type { Found } from './find.js';
import { reason } from './io.js';
import {
  checkManifestFiles,
  decodeManifest,
  type Manifest,
  parseManifest,
  reconcileStatistics,
} from './manifest.js';
import { downloadKey } from './names.js';
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
    if (found.layout === 'download') problems.addAll(checkManifestFiles(parsed.manifest, found.present));
    return parsed.manifest;
  } catch (error) {
    problems.add(problem('MANIFEST_UNREADABLE', `${file} cannot be read: ${reason(error)}`, { file }));
    return null;
  }
}

/** The manifest's file counts against what the parts were found to hold, listed parts not present included. */
export function reconcileParts(manifest: Manifest, found: Found, summary: AttachmentSummary): Problem[] {
  const unread = summary.parts.filter((p) => !p.readable).map((p) => p.file);
  if (found.layout === 'download') {
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
