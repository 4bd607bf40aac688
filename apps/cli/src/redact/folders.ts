// The candidate folders of attachment parts, one at a time, and what each becomes in the redacted export.
import { join } from 'node:path';
import {
  type AttachmentKind,
  foldName,
  isJunk,
  type PartInfo,
  parseAttachmentPath,
  SuffixCursor,
} from '@talent-export/export';
import { attachmentPartZip, inCopy, partFolderEntries } from '@talent-export/export/internal';
import { openZip, type WindowBuffers, type ZipArchive, type ZipEntry } from '@talent-export/zip';

/**
 * A file of a part extracted to a folder: `name` relative to the part's folder, as in the attachment index,
 * `path` absolute. Its bytes are read from the file and stored, as bundle stores them.
 */
export interface FolderFile {
  name: string;
  path: string;
  size: number;
}

/** Where a part's file is: an entry of its zip (copied raw) or a file of the folder it was extracted to. */
export type PartEntry = ZipEntry | FolderFile;

export const isFolderFile = (entry: PartEntry): entry is FolderFile => 'path' in entry;

export interface SourceFile {
  entry: PartEntry;
  kind: AttachmentKind;
  /** The kind's folder as the source wrote it (`Public`). */
  kindFolder: string;
  marker: boolean;
}

export interface Folder {
  id: string;
  files: SourceFile[];
}

/** What a folder's entries become: raw copies of kept files and empty.txt markers, by their new names. */
export interface OutEntry {
  name: string;
  /** The source entry (copied raw) or file; none for a marker written here. */
  source: PartEntry | undefined;
  /** A kept file's kind (counted in `FolderCounts.kept` once it is copied). */
  kind?: AttachmentKind;
}

/** How names and rules apply (from the redaction policy and key). */
export interface FolderRules {
  /** The candidate's new id, or null when the candidate is dropped. */
  candidate(id: string): string | null;
  /** Whether files of this kind are kept (copied raw) or dropped (the folder gets an empty.txt marker). */
  keep(kind: AttachmentKind): boolean;
  /** A kept file's new name (scrubbed), from its source path. */
  fileName(path: string): string;
}

export interface FolderCounts {
  kept: Record<AttachmentKind, number>;
  dropped: Record<AttachmentKind, number>;
  /** Folders of candidates removed entirely. */
  foldersDropped: number;
  /** Entries that are no candidate's attachment (left out). */
  unknownDropped: number;
}

export const newCounts = (): FolderCounts => ({
  kept: { public: 0, private: 0, miscellaneous: 0 },
  dropped: { public: 0, private: 0, miscellaneous: 0 },
  foldersDropped: 0,
  unknownDropped: 0,
});

/**
 * The folder's entries in the redacted export, in source order, under `Candidate_<new id>/`; null when the
 * candidate is dropped. A kept kind keeps its files (names scrubbed, a clash suffixed as Talent Hub
 * does) and markers; a dropped kind becomes one empty.txt marker.
 */
export function folderOutput(folder: Folder, rules: FolderRules, counts?: FolderCounts): OutEntry[] | null {
  const id = rules.candidate(folder.id);
  if (id === null) {
    if (counts) {
      counts.foldersDropped += 1;
      for (const f of folder.files) if (!f.marker) counts.dropped[f.kind] += 1;
    }
    return null;
  }
  const out: OutEntry[] = [];
  // Names that are one file on macOS and Windows (case, Unicode form) are one name here too.
  const taken = new Set<string>();
  const isTaken = (name: string) => taken.has(foldName(name));
  const suffixes = new SuffixCursor();
  const take = (base: string, source: PartEntry | undefined, kind?: AttachmentKind) => {
    const name = suffixes.free(base, isTaken);
    taken.add(foldName(name));
    out.push(kind === undefined ? { name, source } : { name, source, kind });
  };
  for (const file of folder.files) {
    const dir = `Candidate_${id}/${file.kindFolder}/`;
    if (rules.keep(file.kind)) {
      if (file.marker) take(`${dir}empty.txt`, undefined);
      else take(dir + rules.fileName(file.entry.name), file.entry, file.kind);
    } else {
      if (!file.marker && counts) counts.dropped[file.kind] += 1;
      if (!isTaken(`${dir}empty.txt`)) take(`${dir}empty.txt`, undefined);
    }
  }
  return out;
}

/**
 * Thrown by `partFolders` when a candidate's entries are in two places of a part: walk it again with
 * `gather`. Most parts keep each folder together, as Talent Hub writes them, and are streamed.
 */
export class NotGrouped extends Error {}

/**
 * Walks a part's entries (a zip's, or the files of the folder it was extracted to) and yields its candidate
 * folders, each whole. Streamed, a folder ends where the next candidate's entries start, and a candidate met
 * again throws `NotGrouped`; with `gather`, every entry of the part is held first and the folders come in
 * the order of their first entries (a part re-zipped by a tool that orders entries otherwise). `onUnknown`
 * hears of entries that are no candidate's attachment; `use` gets a zip part's archive, open while walked.
 */
export async function* partFolders(
  part: PartInfo,
  options: {
    signal?: AbortSignal;
    windowBuffers: WindowBuffers;
    onUnknown?: (name: string) => void;
    gather?: boolean;
  },
  use?: (archive: ZipArchive) => void,
): AsyncGenerator<Folder> {
  if (part.kind === 'folder') {
    yield* foldersOf(folderFiles(part, options.signal), options);
    return;
  }
  const archive = await openZip(part.path, {
    // An attachment's file name is personal data: errors name its folders, length and extension only.
    ...attachmentPartZip({ windowBuffers: options.windowBuffers }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  use?.(archive);
  try {
    yield* foldersOf(withoutCopies(archive.entries(), part.copies), options);
  } finally {
    await archive.close();
  }
}

/** A zip's entries but those in a folder that copies another of it (see `PartInfo.copies`): read once, as indexed. */
async function* withoutCopies(
  entries: AsyncIterable<ZipEntry>,
  copies: readonly string[] | undefined,
): AsyncGenerator<ZipEntry> {
  for await (const entry of entries) if (!copies || !inCopy(entry.name, copies)) yield entry;
}

/** The files of an extracted part, listed as the attachment index lists them (links and special files left out). */
async function* folderFiles(part: PartInfo, signal: AbortSignal | undefined): AsyncGenerator<FolderFile> {
  for await (const meta of partFolderEntries(part, signal)) {
    if (!meta.isDirectory) yield { name: meta.name, path: join(part.path, meta.name), size: meta.size };
  }
}

/** The candidate folders of a part's entries (see `partFolders`). */
async function* foldersOf(
  entries: AsyncIterable<PartEntry & { isDirectory?: boolean }>,
  options: { onUnknown?: (name: string) => void; gather?: boolean },
): AsyncGenerator<Folder> {
  const folders = new Map<string, Folder>();
  let folder: Folder | undefined;
  for await (const entry of entries) {
    if (entry.isDirectory || isJunk(entry.name)) continue;
    const parsed = parseAttachmentPath(entry.name);
    if (parsed.kind === 'unknown') {
      options.onUnknown?.(entry.name);
      continue;
    }
    const id = parsed.candidateId;
    if (folder?.id !== id) {
      if (options.gather) folder = folders.get(id);
      else {
        if (folder) yield folder;
        if (folders.has(id)) throw new NotGrouped();
        folder = undefined;
      }
      if (!folder) {
        folder = { id, files: [] };
        // Streamed, only the ids are needed: the folder's files go with it.
        folders.set(id, options.gather ? folder : EMPTY_FOLDER);
      }
    }
    const segments = entry.name.split('/');
    folder.files.push({
      entry,
      kind: parsed.attachmentKind,
      kindFolder: segments[segments.length - 2]!,
      marker: parsed.kind === 'marker',
    });
  }
  if (options.gather) yield* folders.values();
  else if (folder) yield folder;
}

const EMPTY_FOLDER: Folder = { id: '', files: [] };
