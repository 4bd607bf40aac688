// The reading side of an extraction: which entries of a part are written, and their bytes, checked.
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { looseId } from '@talent-export/schema';
import { hiddenFileName, openZip, type ZipArchive, type ZipEntry, ZipError } from '@talent-export/zip';
import { entryProblem, type Problem, ProblemList, problem } from './errors.js';
import type { Normalized } from './extract-options.js';
import type { PartInfo } from './find.js';
import { archiveNotices, truncatedPart } from './io.js';
import {
  type AttachmentKind,
  emptyPart,
  holdsCandidateFolder,
  isDownloadZip,
  isJunk,
  isMarkerCopy,
  outsideKindFolders,
  PartFolderCopies,
  parseAttachmentPath,
  partFolderCopy,
  partFolderOf,
  zippedAgain,
} from './names.js';
import { attachmentPartZip } from './options.js';
import { folderEntries, rangeOf } from './parts.js';
import { inCopy } from './zipped-copies.js';

/** How many renames and per-kind notices are listed one by one; the counts beside them give the totals. */
export const MAX_LISTED = 20;

/** An entry to write: where it is from, where it goes, and its bytes. */
export interface Item {
  part: string;
  entry: string;
  candidateId: string;
  kind: AttachmentKind;
  fileName: string;
  marker: boolean;
  /** When the file was last changed, as the zip or the folder says; the written file is given it, as unzip does. */
  modified: () => Date | undefined;
  open: () => Promise<AsyncIterable<Buffer>>;
}

/** The entries of the parts to write: attachments and markers of the candidates asked for. */
export class Items {
  /** Files outside candidate folders, left out (the first MAX_LISTED are problems of their own). */
  unknown = 0;
  /** Copies of empty.txt made beside it (`empty (2).txt`, see `isMarkerCopy`), left out. */
  markerCopies = 0;
  /** Entries the reader refused (unsafe, encrypted, over a cap...), left out. */
  refused = 0;
  /**
   * Folders of candidates asked for with the id written otherwise (`Candidate_1000000003` for
   * `001000000003`): the id asked for, to the folders' ids. Ids are matched exactly, so these are left out.
   */
  readonly variants = new Map<string, Set<string>>();
  /** The ids asked for, by their loose form (see `looseId`). */
  #loose: Map<string, string> | undefined;
  /** Entries in candidate folders, of any candidate (asked for or not). */
  #inFolders = 0;
  readonly #opts: Normalized;
  readonly #add: (problem: Problem) => void;
  readonly #opened: (bytes: number) => void;

  /** `opened`: the size of a file of a folder part, when it is opened (it adds to the progress total). */
  constructor(opts: Normalized, add: (problem: Problem) => void, opened: (bytes: number) => void) {
    this.#opts = opts;
    this.#add = add;
    this.#opened = opened;
  }

  /** The checked entries of a zip part that are to be written; refusals become problems. */
  async *zip(part: PartInfo): AsyncGenerator<Item> {
    const archive = await openZip(part.path, attachmentPartZip(this.#opts.zip));
    // A part zipped again holds zips named like a part and no entry in a candidate folder.
    const inFolders = this.#inFolders;
    const unknownBefore = this.unknown;
    let zips = 0;
    // A folder entry of a candidate folder: a part of no file holds empty candidate folders (see emptyPart).
    let folders = false;
    // The part folders of its candidate folders: one and its copy, each file is written twice.
    const copies = new PartFolderCopies();
    let partFolder = '';
    // Folders copying another of the zip (a zip of the whole export unpacked twice): told when it was opened.
    const copyRoots = part.copies;
    try {
      for await (const entry of archive.entries()) {
        if (copyRoots !== undefined && inCopy(entry.name, copyRoots)) continue;
        if (entry.isDirectory && !folders) folders = holdsCandidateFolder(entry.name);
        const unknown = this.unknown;
        const item = this.#select(part.file, entry.name, entry.isDirectory, entry.uncompressedSize);
        if (this.unknown > unknown && isDownloadZip(entry.name)) zips++;
        if (item === undefined) continue;
        const folder = partFolderOf(entry.name);
        if (folder !== partFolder) copies.note((partFolder = folder));
        const signal = this.#opts.signal;
        yield {
          ...item,
          modified: () => entry.modified,
          open: async () =>
            entry.method === 0
              ? storedBytes(archive, entry, signal)
              : archive.openStream(entry, signal ? { signal } : {}),
        };
      }
      this.refused += archive.refusedCount;
      if (archive.truncated !== undefined) this.#add(truncatedPart(archive.truncated, part.file));
      for (const pair of copies.pairs)
        this.#add(problem('CANDIDATE_FOLDER_COPY', partFolderCopy(part.file, pair), { file: part.file }));
      for (const refused of archive.refused) {
        this.#add(
          problem(
            'ENTRY_REFUSED',
            `${part.file}: an entry was refused and not extracted: ${refused.message}`,
            {
              file: part.file,
              ...(refused.entry === undefined ? {} : { entry: refused.entry }),
            },
          ),
        );
      }
      if (this.#inFolders === inFolders && zips > 0) {
        this.#add(problem('PART_UNREADABLE', zippedAgain(part.file, zips), { file: part.file }));
      } else if (
        this.#inFolders === inFolders &&
        this.unknown === unknownBefore &&
        archive.refusedCount === 0 &&
        archive.truncated === undefined
      ) {
        this.#add(
          problem('PART_UNREADABLE', emptyPart(part.file, rangeOf(part), folders), { file: part.file }),
        );
      }
      const more = archive.refusedCount - archive.refused.length;
      if (more > 0) {
        this.#add(
          problem('ENTRY_REFUSED', `${part.file}: ${more} more entries were refused and not extracted`, {
            file: part.file,
            count: more,
          }),
        );
      }
      // How the part was read where it is odd (a prefix, names that may be in another code page, ...):
      // inspect and validate say so, and so must the run that writes the files.
      for (const notice of archiveNotices(archive, part.file)) this.#add(notice);
    } finally {
      await archive.close();
    }
  }

  /** An extracted part: `Candidate_<id>/<kind>/<file>` below the folder, links never followed. */
  async *folder(part: PartInfo): AsyncGenerator<Item> {
    const found = new ProblemList();
    for await (const meta of folderEntries(part, found, this.#opts.signal)) {
      if (meta.isDirectory) continue;
      const item = this.#select(part.file, meta.name, false, meta.size);
      if (item === undefined) continue;
      const path = join(part.path, meta.name);
      let modified: Date | undefined;
      yield {
        ...item,
        modified: () => modified,
        open: async () => {
          const handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
          const info = await handle.stat();
          modified = info.mtime;
          this.#opened(info.size);
          return handle.createReadStream(this.#opts.signal ? { signal: this.#opts.signal } : {});
        },
      };
    }
    for (const item of found.items) {
      if (item.code === 'ENTRY_REFUSED') this.refused += 1;
      this.#add(item);
    }
  }

  /** Notes a folder whose id is one asked for written otherwise (see `variants`). */
  #variant(wanted: ReadonlySet<string>, id: string): void {
    this.#loose ??= new Map([...wanted].map((asked) => [looseId(asked), asked]));
    const asked = this.#loose.get(looseId(id));
    if (asked === undefined) return;
    let ids = this.variants.get(asked);
    if (ids === undefined) this.variants.set(asked, (ids = new Set()));
    ids.add(id);
  }

  /** What an entry is and whether it is extracted: attachments and markers of the candidates asked for. */
  #select(
    part: string,
    entry: string,
    isDirectory: boolean,
    size: number,
  ): Omit<Item, 'open' | 'modified'> | undefined {
    if (isDirectory || isJunk(entry)) return undefined;
    const parsed = parseAttachmentPath(entry);
    if (parsed.kind === 'unknown') {
      if (++this.unknown <= MAX_LISTED) {
        this.#add(entryProblem('UNKNOWN_FILE', part, entry, `${outsideKindFolders(entry)}; it is left out`));
      }
      return undefined;
    }
    this.#inFolders++;
    if (size === 0 && parsed.kind === 'file' && isMarkerCopy(parsed.fileName)) {
      this.markerCopies++;
      return undefined;
    }
    // An empty.txt that holds bytes is not an empty folder's marker but a file: its bytes are kept (with
    // markers: false too, and under a suffix beside a marker), never dropped as a marker would be.
    const marker = parsed.kind === 'marker' && size === 0;
    if (marker && !this.#opts.markers) return undefined;
    const wanted = this.#opts.candidates;
    if (wanted !== undefined && !wanted.has(parsed.candidateId)) {
      this.#variant(wanted, parsed.candidateId);
      return undefined;
    }
    return {
      part,
      entry,
      candidateId: parsed.candidateId,
      kind: parsed.attachmentKind,
      fileName: parsed.fileName,
      marker,
    };
  }
}

/**
 * A stored entry's bytes straight from the archive's read window (no stream per entry: most attachments
 * are stored, and a stream each cost more than the copy), checked as a stream checks them: size and CRC-32.
 * Each chunk is only valid until the next is asked for; `#write` copies or writes it before that.
 */
async function* storedBytes(
  archive: ZipArchive,
  entry: ZipEntry,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  let crc = 0;
  let size = 0;
  for await (const chunk of archive.readRaw(entry, signal ? { signal } : {})) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    yield chunk;
  }
  const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
  const wrong =
    size !== entry.uncompressedSize
      ? `Entry data is ${size} bytes but ${entry.uncompressedSize} were declared`
      : crc >>> 0 !== entry.crc32 >>> 0
        ? `CRC-32 of the data is ${hex(crc)} but the header says ${hex(entry.crc32)}`
        : undefined;
  if (wrong !== undefined) {
    const code = size !== entry.uncompressedSize ? 'ZIP_SIZE_MISMATCH' : 'ZIP_CRC_MISMATCH';
    throw new ZipError(
      {
        code,
        detail: wrong,
        hint: 'The archive is damaged (often a cut-short or corrupted download); download it again.',
      },
      archive.path,
      // The part's file names are personal data (see `partZip`).
      hiddenFileName(entry.name),
    );
  }
}
