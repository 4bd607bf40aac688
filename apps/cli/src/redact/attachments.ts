// Attachment parts of the redacted export: planned from the sizes the source declares (first pass over
// the central directories, or the listings of unzipped parts), then written part by part, kept files copied
// raw (never re-compressed), those of an unzipped part stored.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import {
  type BundleEntry,
  createZip,
  DEFAULT_MAX_PART_BYTES,
  isBundleError,
  PartPlanner,
  type PlannedEntry,
  type PlannedPart,
} from '@talent-export/bundle';
import { kindOf } from '@talent-export/errors';
import { compareIds, type PartInfo, type Problem, SuffixCursor, suffixedPath } from '@talent-export/export';
import { entryProblem, isDownloadZip, zippedAgain } from '@talent-export/export/internal';
import { WindowBuffers, type ZipArchive } from '@talent-export/zip';
import { IncompleteInputError } from '../exit.js';
import {
  type FolderCounts,
  type FolderRules,
  folderOutput,
  isFolderFile,
  NotGrouped,
  newCounts,
  type OutEntry,
  type PartEntry,
  partFolders,
} from './folders.js';

export interface PartsWritten {
  parts: { file: string; entries: number; bytes: number }[];
  /** Every file written in the parts, empty.txt markers included (what Total Files counts). */
  files: number;
  counts: FolderCounts;
  /** Kept files left out because their bytes are damaged (ATTACHMENT_CORRUPT, one each). */
  corrupt: Problem[];
}

const EMPTY = Buffer.alloc(0);
const folderName = (part: PlannedPart) => `Attachments_${part.min}-${part.max}`;
const partName = (part: PlannedPart) => `Attachment_${part.min}-${part.max}.zip`;

/**
 * Re-splits the zip parts into `dir`: each candidate's folder whole in one part, parts at most
 * `maxPartBytes`, each named (and its top folder) by the smallest and largest new id it holds.
 */
export async function writeParts(
  parts: readonly PartInfo[],
  dir: string,
  rules: FolderRules,
  options: { maxPartBytes?: number; signal?: AbortSignal },
): Promise<PartsWritten> {
  const signal = options.signal;
  const windowBuffers = new WindowBuffers();
  // Zips and folders they were extracted to alike; a part of neither kind is none to copy.
  const zips = parts.filter((part) => part.kind === 'zip' || part.kind === 'folder');
  // Parts whose candidate folders are not each in one place: their entries are gathered first.
  const scattered = new Set<string>();
  const walk = (part: PartInfo, use?: (archive: ZipArchive) => void, onUnknown?: (name: string) => void) =>
    partFolders(
      part,
      {
        windowBuffers,
        ...(signal ? { signal } : {}),
        ...(onUnknown ? { onUnknown } : {}),
        ...(scattered.has(part.path) ? { gather: true } : {}),
      },
      use,
    );

  const planner = new PartPlanner({
    maxPartBytes: options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES,
    compare: compareIds,
    // `Attachments_<min>-<max>/`, at most as long as the longest new id twice.
    prefixBytes: (longest) => 'Attachments_-/'.length + 2 * longest,
  });
  for (const part of zips) {
    // Planned after the part was walked to its end: a walk that finds it scattered starts again.
    const groups: [string, PlannedEntry[]][] = [];
    let folders = 0;
    let zips = 0;
    const planPart = async () => {
      folders = 0;
      zips = 0;
      const zipped = (name: string) => {
        if (isDownloadZip(name)) zips++;
      };
      for await (const folder of walk(part, undefined, zipped)) {
        folders++;
        const out = folderOutput(folder, rules);
        if (!out) continue;
        groups.push([
          rules.candidate(folder.id)!,
          out.map((e) => ({
            nameBytes: Buffer.byteLength(e.name),
            dataBytes: e.source === undefined ? 0 : storedBytes(e.source),
          })),
        ]);
      }
    };
    try {
      await planPart();
    } catch (error) {
      if (!(error instanceof NotGrouped)) throw error;
      scattered.add(part.path);
      groups.length = 0;
      await planPart();
    }
    // Its files are in the zip it holds: a copy without them would pass for the export.
    if (folders === 0 && zips > 0) throw new IncompleteInputError(zippedAgain(part.file, zips));
    for (const [id, entries] of groups) planner.add(id, entries);
  }

  const counts = newCounts();
  const corrupt: Problem[] = [];
  const written: PartsWritten['parts'] = [];
  let files = 0;
  const plan = planner.parts;
  let at = 0;
  let groups = 0;
  let zip: ReturnType<typeof createZip> | undefined;
  let suffixes = new SuffixCursor();
  try {
    for (const part of zips) {
      let archive: ZipArchive | undefined;
      const folders = walk(
        part,
        (a) => {
          archive = a;
        },
        () => {
          counts.unknownDropped += 1;
        },
      );
      for await (const folder of folders) {
        const out = folderOutput(folder, rules, counts);
        if (!out) continue;
        const planned = plan[at];
        if (!planned) throw new Error('attachment folders differ from the plan made of them');
        // Kept file names may name a person (scrubbed ones too, when scrubbing missed): errors do not show them.
        if (!zip) {
          // Nothing here reads an archive's sha256: the thread that would compute it is not started.
          zip = createZip(join(dir, partName(planned)), {
            sha256: false,
            ...(signal ? { signal } : {}),
            hideFileNames: true,
          });
          suffixes = new SuffixCursor();
        }
        const top = `${folderName(planned)}/`;
        for (const entry of out) {
          const from = archive;
          // Copied raw, its bytes would go out unchecked: a damaged file is left out (and told), as extract
          // and bundle leave it out, where it stopped the whole copy.
          const damaged = await damage(entry, from, signal);
          if (damaged !== undefined) {
            corrupt.push(entryProblem('ATTACHMENT_CORRUPT', part.file, entry.source!.name, damaged));
            continue;
          }
          const added = await addOnce(zip, suffixes, top + entry.name, (name) =>
            bundleEntry(name, entry.source, from, signal),
          );
          if (added) files += 1;
          if (added && entry.kind !== undefined) counts.kept[entry.kind] += 1;
        }
        if (++groups === planned.groups) {
          const done = await zip.close();
          zip = undefined;
          written.push({ file: partName(planned), entries: done.entries, bytes: done.bytes });
          at += 1;
          groups = 0;
        }
      }
    }
    if (zip || at !== plan.length) throw new Error('attachment folders differ from the plan made of them');
  } catch (error) {
    await zip?.abort();
    throw error;
  }
  return { parts: written, files, counts, corrupt };
}

/**
 * Why a kept zip entry is left out (its CRC-32 or size does not match, its data cannot be inflated), or
 * undefined when it checks out or is no zip entry (a file of an unzipped part has no CRC-32 to check).
 */
async function damage(
  entry: OutEntry,
  from: ZipArchive | undefined,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const source = entry.source;
  if (source === undefined || isFolderFile(source) || from === undefined) return undefined;
  try {
    await from.verify(source, signal ? { signal } : {});
    return undefined;
  } catch (error) {
    if (signal?.aborted || kindOf(error) !== 'input') throw error;
    return `is left out of the redacted export: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** What a part's entry takes in the part written: a zip entry its compressed bytes, a folder's file all its bytes. */
const storedBytes = (source: PartEntry): number =>
  isFolderFile(source) ? source.size : source.compressedSize;

/**
 * A folder's output entry as the bundle writes it: a marker; a zip's entry copied raw, checked first; a file
 * of an extracted part stored (most are PDFs, documents and images, compressed already), as bundle stores
 * them, its size checked as it is read.
 */
function bundleEntry(
  name: string,
  source: PartEntry | undefined,
  from: ZipArchive | undefined,
  signal: AbortSignal | undefined,
): BundleEntry {
  if (source === undefined) return { name, bytes: EMPTY, method: 'store' };
  if (isFolderFile(source)) {
    return {
      name,
      stream: createReadStream(source.path, signal ? { signal } : {}),
      size: source.size,
      method: 'store',
    };
  }
  return {
    name,
    raw: {
      method: source.method,
      crc32: source.crc32,
      compressedSize: source.compressedSize,
      uncompressedSize: source.uncompressedSize,
      // Checked before it is added (see `damage`).
      open: async () => from!.readRaw(source, signal ? { signal } : {}),
    },
  };
}

/**
 * Adds an entry under `name`, or, when the part holds that name already (a candidate whose folder was in
 * two source parts, both written into this one), a marker not again and a file under the next numeric
 * suffix, as Talent Hub names several files of one kind. The writer keeps the names; `suffixes` (one per
 * part) remembers where each name's search stopped. False when nothing was added.
 */
async function addOnce(
  zip: ReturnType<typeof createZip>,
  suffixes: SuffixCursor,
  name: string,
  entry: (name: string) => BundleEntry,
): Promise<boolean> {
  const added = async (given: string) => {
    try {
      await zip.add(entry(given));
      return true;
    } catch (error) {
      if (!isBundleError(error) || error.code !== 'BUNDLE_DUPLICATE_ENTRY') throw error;
      return false;
    }
  };
  if (await added(name)) return true;
  if (name.slice(name.lastIndexOf('/') + 1) === 'empty.txt') return false;
  for (let n = suffixes.start(name); ; n++) {
    if (await added(suffixedPath(name, n))) {
      suffixes.takenBelow(name, n + 1);
      return true;
    }
  }
}
