// Attachment parts of the redacted export: planned from the sizes the source declares (first pass over
// the central directories), then written part by part, kept files copied raw (never re-compressed).
import { join } from 'node:path';
import { createZip, DEFAULT_MAX_PART_BYTES, PartPlanner, type PlannedPart } from '@talent-export/bundle';
import { compareIds, type PartInfo } from '@talent-export/export';
import { WindowBuffers, type ZipArchive } from '@talent-export/zip';
import { type FolderCounts, type FolderRules, folderOutput, newCounts, partFolders } from './folders.js';

export interface PartsWritten {
  parts: { file: string; entries: number; bytes: number }[];
  /** Every file written in the parts, empty.txt markers included (what Total Files counts). */
  files: number;
  counts: FolderCounts;
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
  const zips = parts.filter((part) => part.kind === 'zip');
  const walk = (part: PartInfo, use?: (archive: ZipArchive) => void, onUnknown?: () => void) =>
    partFolders(
      part.path,
      part.file,
      { windowBuffers, ...(signal ? { signal } : {}), ...(onUnknown ? { onUnknown } : {}) },
      use,
    );

  const planner = new PartPlanner({
    maxPartBytes: options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES,
    compare: compareIds,
    // `Attachments_<min>-<max>/`, at most as long as the longest new id twice.
    prefixBytes: (longest) => 'Attachments_-/'.length + 2 * longest,
  });
  for (const part of zips) {
    for await (const folder of walk(part)) {
      const out = folderOutput(folder, rules);
      if (!out) continue;
      const id = rules.candidate(folder.id)!;
      planner.add(
        id,
        out.map((e) => ({
          nameBytes: Buffer.byteLength(e.name),
          dataBytes: e.source?.compressedSize ?? 0,
        })),
      );
    }
  }

  const counts = newCounts();
  const written: PartsWritten['parts'] = [];
  let files = 0;
  const plan = planner.parts;
  let at = 0;
  let groups = 0;
  let zip: ReturnType<typeof createZip> | undefined;
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
        zip ??= createZip(join(dir, partName(planned)), signal ? { signal } : {});
        const top = `${folderName(planned)}/`;
        for (const entry of out) {
          const source = entry.source;
          if (source === undefined) await zip.add({ name: top + entry.name, bytes: EMPTY, method: 'store' });
          else {
            const from = archive!;
            const { method, crc32, compressedSize, uncompressedSize } = source;
            await zip.add({
              name: top + entry.name,
              raw: {
                method,
                crc32,
                compressedSize,
                uncompressedSize,
                // Copied raw, the bytes would go out unchecked: a corrupt entry is refused first.
                open: async () => {
                  await from.verify(source, signal ? { signal } : {});
                  return from.readRaw(source, signal ? { signal } : {});
                },
              },
            });
          }
          files += 1;
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
  return { parts: written, files, counts };
}
