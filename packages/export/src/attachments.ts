import {
  type FieldSchema,
  type IdLookup,
  IdMap,
  looseId,
  numericId,
  showableId,
} from '@talent-export/schema';
import type { ZipEntry } from '@talent-export/zip';
import { entryProblem, idExamples, type Problem, problem } from './errors.js';
import {
  type AttachmentKind,
  type AttachmentPath,
  compareIds,
  copiedName,
  emptyPart,
  holdsCandidateFolder,
  isCandidateCopy,
  isDownloadZip,
  isExportFile,
  isJunk,
  isJunkSegment,
  isMarkerCopy,
  outsideKindFolders,
  PartFolderCopies,
  parseAttachmentPath,
  partFolderCopy,
  zippedAgain,
} from './names.js';
import { inCopy } from './zipped-copies.js';

/** One attachment file of a candidate (never an empty.txt marker). */
export interface AttachmentRecord {
  candidate_id: string;
  kind: AttachmentKind;
  file_name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** CRC-32 as 8 lowercase hex digits, from the zip's central directory; null for extracted files. */
  crc32: string | null;
  /** The part (zip file name, or folder relative to the export's root when extracted). */
  part: string;
  /** The entry inside the part (or path relative to the part's folder when extracted). */
  entry: string;
}

/** The attachment index as a table named `attachments`, for writers. */
export const ATTACHMENT_FIELDS: FieldSchema[] = [
  { name: 'candidate_id', type: 'id', required: true, pii: 'none', description: 'candidates.candidate_id.' },
  {
    name: 'kind',
    type: 'text',
    required: true,
    pii: 'none',
    description: 'public (resumes), private (e.g. offer letters) or miscellaneous (e.g. referral letters).',
  },
  {
    name: 'file_name',
    type: 'text',
    required: true,
    pii: 'free_text',
    description: 'File name as exported.',
  },
  { name: 'size', type: 'integer', required: true, pii: 'none', description: 'Uncompressed size in bytes.' },
  {
    name: 'crc32',
    type: 'text',
    required: false,
    pii: 'none',
    description:
      'CRC-32 (8 hex digits) from the zip central directory; empty when read from an extracted folder.',
  },
  {
    name: 'part',
    type: 'text',
    required: true,
    pii: 'none',
    description: 'Attachment zip (or folder) holding it.',
  },
  { name: 'entry', type: 'text', required: true, pii: 'free_text', description: 'Path inside the part.' },
];

export interface PartSummary {
  file: string;
  first?: string;
  last?: string;
  /** File entries of the part (not folders): attachments, markers, unknown and system files. */
  entries: number;
  files: number;
  markers: number;
  bytes: number;
  /** Candidate folders in this part. */
  candidates: number;
  unknownFiles: number;
  /** False when the part is missing or could not be read (to the end); its counts are then partial. */
  readable: boolean;
  /** Entries refused (ENTRY_REFUSED), not counted above: absent when none was. */
  refused?: number;
  /** Bytes inflated and checked by verifyAttachments(); absent after indexAttachments(). */
  verifiedBytes?: number;
}

export interface AttachmentSummary {
  files: number;
  markers: number;
  bytes: number;
  /** Candidates with at least one attachment file. */
  candidates: number;
  /** Distinct candidate folders across all parts, markers-only folders included. */
  candidateFolders: number;
  byKind: Record<AttachmentKind, number>;
  unknownFiles: number;
  /**
   * The export's own files found in the parts, outside the candidate folders (its tables and export.csv,
   * as the guide's sample part holds them): not indexed, not told, but files of the parts all the same,
   * which export.csv's Total Files may count.
   */
  exportFiles?: number;
  parts: PartSummary[];
  /**
   * Candidate folders with no row in the candidates table (only when candidate ids were given): the
   * smallest `LISTED_IDS` of them; `candidatesUnknownCount` says how many there are.
   */
  candidatesUnknown: string[];
  candidatesUnknownCount: number;
  /**
   * Candidates-table ids with no folder in any part (only when candidate ids were given): the smallest
   * `LISTED_IDS`; an export without attachments would otherwise list every candidate.
   */
  candidatesWithoutAttachments: string[];
  candidatesWithoutAttachmentsCount: number;
  /** Attachment files copied beside a file of the same name and size (ATTACHMENT_COPY), counted in `files`. */
  copies?: number;
  /** What reading the parts found, in the order found: problems and notices. */
  problems: Problem[];
}

/** An id in a message: as written when made of digits, else not (see `idExamples`). */
const shownId = (id: string | undefined) =>
  id !== undefined && showableId(id) ? id : '(an id not made of digits)';

/** How many ids a summary lists at most; the counts beside the lists give the totals. */
export const LISTED_IDS = 100;

/** The `max` smallest ids added, in order, kept as they come: memory bounded by `max`, not by the ids. */
class SmallestIds {
  readonly ids: string[] = [];
  count = 0;
  constructor(private readonly max: number) {}

  add(id: string): void {
    this.count += 1;
    const ids = this.ids;
    if (ids.length === this.max && compareIds(id, ids[ids.length - 1]!) >= 0) return;
    let at = ids.length;
    while (at > 0 && compareIds(id, ids[at - 1]!) < 0) at -= 1;
    ids.splice(at, 0, id);
    if (ids.length > this.max) ids.pop();
  }
}

export interface EntryMeta {
  name: string;
  isDirectory: boolean;
  size: number;
  crc32: number | null;
}

/**
 * Every name isJunk() accepts holds one of these; most names hold none, and isJunk splits the path, which
 * cost more than the rest of indexing an entry.
 */
// `u`: case folding as toLowerCase() does it (the Kelvin sign is a k).
const MAYBE_JUNK = /__MACOSX|\._|\.ds_store|thumbs\.db|desktop\.ini|\.localized|:zone\.identifier/iu;

const KIND_BIT: Record<AttachmentKind, number> = { public: 1, private: 2, miscellaneous: 4 };
const MARKER_SHIFT = 3;
const FILE_BITS = 7;
const PART_UNIT = 64;
const MAX_UNKNOWN_NOTICES = 10;
const MAX_EXAMPLES = 5;
/** How many files of one kind folder are kept to find copies among: a real one holds a few. */
const KIND_FOLDER_KEPT = 64;

/** The kind of the folder name at [start, end) of `path` spelled as the export spells it, else undefined. */
function kindFolder(path: string, start: number, end: number): AttachmentKind | undefined {
  // By length, then slice and ===: a loop over the names (and startsWith) cost more than the rest.
  switch (end - start) {
    case 6:
      return path.slice(start, end) === 'Public' ? 'public' : undefined;
    case 7:
      return path.slice(start, end) === 'Private' ? 'private' : undefined;
    case 13:
      return path.slice(start, end) === 'Miscellaneous' ? 'miscellaneous' : undefined;
    default:
      return undefined;
  }
}

/** The index of the last '/' at or before `from`, or -1 (lastIndexOf is a call into the runtime, far slower). */
function lastSlash(path: string, from: number): number {
  let at = from;
  while (at >= 0 && path.charCodeAt(at) !== SLASH) at -= 1;
  return at;
}
const SLASH = 0x2f;

const HEX = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
/** A CRC-32 as 8 lowercase hex digits (a sixth of the time toString(16) and padStart took). */
const crcText = (crc: number): string =>
  String.fromCharCode(
    HEX[(crc >>> 28) & 15]!,
    HEX[(crc >>> 24) & 15]!,
    HEX[(crc >>> 20) & 15]!,
    HEX[(crc >>> 16) & 15]!,
    HEX[(crc >>> 12) & 15]!,
    HEX[(crc >>> 8) & 15]!,
    HEX[(crc >>> 4) & 15]!,
    HEX[crc & 15]!,
  );

interface PartState {
  summary: PartSummary;
  outOfRange: string[];
  outOfRangeCount: number;
  /** Entries named like a part or export.zip: a part zipped again holds nothing else. */
  zipped: number;
  /** The export's own files in the part (its tables, export.csv), outside the candidate folders. */
  exportFiles: number;
  /** A folder entry of a candidate folder was seen: a part of no file holds empty candidate folders. */
  emptyFolders: boolean;
  /** The part folders its candidate folders are in, to tell a part folder and its copy (see PartFolderCopies). */
  partFolders?: PartFolderCopies;
  min?: string;
  max?: string;
  /** The `numericId` of min, max and the part name's first and last id, where they spell one. */
  minN?: number | undefined;
  maxN?: number | undefined;
  firstN?: number | undefined;
  lastN?: number | undefined;
}

/**
 * Whether `a` orders before `b` (see compareIds), `an` and `bn` their `numericId`s: compared as numbers
 * when both spell one, which cost a fifth of compareIds' two regular expressions.
 */
const before = (a: string, an: number | undefined, b: string, bn: number | undefined): boolean =>
  an !== undefined && bn !== undefined ? an < bn : compareIds(a, b) < 0;

/**
 * Counts what the parts hold, one entry at a time, and checks it. Memory: one small number per distinct
 * candidate id (which kinds it has files and markers of, and the last part it was seen in), nothing per file.
 */
export class AttachmentTally {
  readonly problems: Problem[] = [];
  #candidateIds: IdLookup | undefined;
  /** candidate id -> (last part index + 1) * 64 + marker bits << 3 + file bits. */
  readonly #candidates = new IdMap();
  readonly #parts: PartState[] = [];
  readonly #byKind: Record<AttachmentKind, number> = { public: 0, private: 0, miscellaneous: 0 };
  #several = 0;
  readonly #severalExamples: string[] = [];
  /** Candidate folders that are copies made beside the candidate's own (see `isCandidateCopy`), by path. */
  readonly #copies = new Set<string>();
  readonly #copyExamples: string[] = [];
  /** empty.txt markers that hold bytes, and the first candidates they are in. */
  #fullMarkers = 0;
  readonly #fullMarkerExamples: string[] = [];
  /**
   * The files of the kind folder being read, while its entries come one after another (at most
   * `KIND_FOLDER_KEPT`): a copy made beside one of them (`cv (2).pdf` beside `cv.pdf`) is told.
   */
  #kindFolder: { prefix: string; candidateId: string } | undefined;
  #kindName: AttachmentKind | undefined;
  readonly #kindFiles: string[] = [];
  readonly #kindSizes: number[] = [];
  #fileCopies = 0;
  #fileCopyCandidates = 0;
  #fileCopyLast: string | undefined;
  readonly #fileCopyExamples: string[] = [];
  /** Copies of empty.txt made beside it (see `isMarkerCopy`), not counted, and the first candidates they are in. */
  #markerCopies = 0;
  #markerCopyCandidates = 0;
  #markerCopyLast: string | undefined;
  readonly #markerCopyExamples: string[] = [];
  /**
   * The candidate of the last entry added in this part, and its state after that entry: kept here while
   * its entries come, and written to `#candidates` once, when another candidate's come (see `#keepLast`).
   */
  #lastId: string | undefined;
  #lastState = 0;
  /** The candidate folder of the last attachment path read: `prefix` is the path through its '/'. */
  #folder: { prefix: string; candidateId: string } | undefined;
  /** Folders of the current part that are copies of another, left out (see `ZippedCopies`). */
  #copyRoots: readonly string[] | undefined;

  constructor(candidateIds?: IdLookup) {
    this.#candidateIds = candidateIds;
  }

  /** The candidates table's ids, when they become known only after the parts were read. */
  setCandidateIds(candidateIds: IdLookup): void {
    this.#candidateIds = candidateIds;
  }

  /** `copies`: folders of the part that copy another of it, whose entries are left out (see `ZippedCopies`). */
  startPart(file: string, range: { first?: string; last?: string } = {}, copies?: readonly string[]): void {
    this.#copyRoots = copies !== undefined && copies.length > 0 ? copies : undefined;
    const summary: PartSummary = {
      file,
      ...range,
      entries: 0,
      files: 0,
      markers: 0,
      bytes: 0,
      candidates: 0,
      unknownFiles: 0,
      readable: true,
    };
    this.#keepLast();
    this.#parts.push({
      summary,
      outOfRange: [],
      outOfRangeCount: 0,
      zipped: 0,
      exportFiles: 0,
      emptyFolders: false,
      firstN: range.first === undefined ? undefined : numericId(range.first),
      lastN: range.last === undefined ? undefined : numericId(range.last),
    });
  }

  /** The part being read has failed; what was counted so far stays, marked partial. */
  partUnreadable(): void {
    this.#current().summary.readable = false;
  }

  /** Adds one entry of the current part; returns its record when it is an attachment file. */
  add(meta: EntryMeta): AttachmentRecord | undefined {
    return this.addEntry(meta.name, meta.isDirectory, meta.size, meta.crc32);
  }

  /** Adds a zip's entries of the current part; returns the records of the attachment files among them. */
  addEntries(entries: readonly ZipEntry[]): AttachmentRecord[] {
    const records: AttachmentRecord[] = [];
    for (let i = 0; i < entries.length; i += 1) {
      const { name, isDirectory, uncompressedSize, crc32 } = entries[i]!;
      const record = this.addEntry(name, isDirectory, uncompressedSize, crc32);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  /** `add` without an EntryMeta object to make per entry. */
  addEntry(
    name: string,
    isDirectory: boolean,
    size: number,
    crc32: number | null,
  ): AttachmentRecord | undefined {
    const part = this.#current();
    const summary = part.summary;
    if (isDirectory) {
      if (!part.emptyFolders) part.emptyFolders = holdsCandidateFolder(name);
      return undefined;
    }
    summary.entries += 1;
    const parsed = this.#parse(name);
    if (parsed === undefined) return undefined;
    if (parsed.kind === 'unknown') {
      if (isDownloadZip(name)) part.zipped += 1;
      // The tables and export.csv of a zip of the whole export unpacked are read as such, not strays.
      if (isExportFile(name)) {
        part.exportFiles += 1;
        return undefined;
      }
      summary.unknownFiles += 1;
      if (summary.unknownFiles <= MAX_UNKNOWN_NOTICES) {
        this.problems.push(
          entryProblem('UNKNOWN_FILE', summary.file, name, `${outsideKindFolders(name)}; it is not indexed`),
        );
      }
      return undefined;
    }
    const id = parsed.candidateId;
    // Counted as a file, each copy of a marker made the count one more than the export's and told the
    // candidate's folder to hold files beside its marker.
    if (size === 0 && parsed.kind === 'file' && isMarkerCopy(parsed.fileName)) {
      this.#markerCopy(id);
      return undefined;
    }
    // A part's entries come a candidate folder at a time: the state of the last candidate is at hand.
    const state = id === this.#lastId ? this.#lastState : this.#see(id, part);
    const bit = KIND_BIT[parsed.attachmentKind];
    // An empty.txt that holds bytes is no empty folder's marker but a file (as extract writes it): one
    // uploaded under that name. Its bytes go where the candidate's files go (documents, bundles).
    const marker = parsed.kind === 'marker' && size === 0;
    if (parsed.kind === 'marker' && size > 0 && ++this.#fullMarkers <= MAX_EXAMPLES)
      this.#fullMarkerExamples.push(id);
    const next = marker ? state | (bit << MARKER_SHIFT) : state | bit;
    this.#lastId = id;
    this.#lastState = next;
    if (marker) {
      summary.markers += 1;
      return undefined;
    }
    summary.files += 1;
    summary.bytes += size;
    this.#byKind[parsed.attachmentKind] += 1;
    // The folder object stays the same while a candidate's entries come (see `#parse`): no string compared.
    if (this.#folder !== this.#kindFolder || parsed.attachmentKind !== this.#kindName) {
      this.#endKindFolder();
      this.#kindFolder = this.#folder;
      this.#kindName = parsed.attachmentKind;
    }
    if (this.#kindFiles.length < KIND_FOLDER_KEPT) {
      this.#kindFiles.push(parsed.fileName);
      this.#kindSizes.push(size);
    }
    return {
      candidate_id: id,
      kind: parsed.attachmentKind,
      file_name: parsed.fileName,
      size,
      crc32: crc32 === null ? null : crcText(crc32),
      part: summary.file,
      entry: name,
    };
  }

  /**
   * parseAttachmentPath, with the candidate folder of the last entry remembered: a candidate's entries come
   * one after another, and reading the id from the path again cost more than the rest of the entry.
   * Undefined for a file the system added (see isJunk).
   */
  #parse(name: string): AttachmentPath | undefined {
    const fileAt = lastSlash(name, name.length - 1);
    const folder = this.#folder;
    if (folder !== undefined && fileAt + 1 < name.length) {
      const { prefix } = folder;
      // A kind folder right below the candidate's: Public, Private and Miscellaneous hold no '/'.
      const attachmentKind =
        fileAt > prefix.length && name.slice(0, prefix.length) === prefix
          ? kindFolder(name, prefix.length, fileAt)
          : undefined;
      if (attachmentKind !== undefined) {
        // The folders were checked with the entry that found them: only the file can be the system's.
        const fileName = name.slice(fileAt + 1);
        if (isJunkSegment(fileName)) return undefined;
        const kind = fileName.length === 9 && fileName.toLowerCase() === 'empty.txt' ? 'marker' : 'file';
        return { kind, candidateId: folder.candidateId, attachmentKind, fileName };
      }
    }
    if (MAYBE_JUNK.test(name) && isJunk(name)) return undefined;
    // Never the last folder's (it is none of a copy's): only a path that found no folder comes here.
    if (this.#copyRoots !== undefined && inCopy(name, this.#copyRoots)) return undefined;
    const parsed = parseAttachmentPath(name);
    if (parsed.kind !== 'unknown') {
      const kindAt = lastSlash(name, fileAt - 1);
      const prefix = name.slice(0, kindAt + 1);
      this.#folder = { prefix, candidateId: parsed.candidateId };
      const candidateAt = lastSlash(name, kindAt - 1) + 1;
      if (candidateAt > 0) {
        const folder = name.slice(lastSlash(name, candidateAt - 2) + 1, candidateAt - 1);
        (this.#current().partFolders ??= new PartFolderCopies()).note(folder);
      }
      // Looked at once a folder (the entries after it take the path above).
      if (isCandidateCopy(name.slice(candidateAt, kindAt)) && !this.#copies.has(prefix)) {
        this.#copies.add(prefix);
        if (this.#copyExamples.length < MAX_EXAMPLES) this.#copyExamples.push(parsed.candidateId);
      }
    }
    return parsed;
  }

  /** Counts a copy of a marker; a candidate's entries come together, so one met again is rarely counted twice. */
  #markerCopy(id: string): void {
    this.#markerCopies += 1;
    if (id === this.#markerCopyLast) return;
    this.#markerCopyLast = id;
    this.#markerCopyCandidates += 1;
    if (this.#markerCopyExamples.length < MAX_EXAMPLES) this.#markerCopyExamples.push(id);
  }

  /**
   * Counts the files of the kind folder just read that are copies of another of them, of the same size
   * (what a part unzipped twice into one folder leaves when Windows keeps both), and forgets the folder.
   * Only a folder of two files or more is looked at, and only its names a copy's suffix ends.
   */
  #endKindFolder(): void {
    const names = this.#kindFiles;
    const sizes = this.#kindSizes;
    let copies = 0;
    for (let i = 0; names.length > 1 && i < names.length; i += 1) {
      const original = copiedName(names[i]!);
      if (original === undefined) continue;
      const at = names.indexOf(original);
      if (at >= 0 && sizes[at] === sizes[i]) copies += 1;
    }
    if (copies > 0) {
      const id = this.#kindFolder!.candidateId;
      this.#fileCopies += copies;
      if (id !== this.#fileCopyLast) {
        this.#fileCopyLast = id;
        this.#fileCopyCandidates += 1;
        if (this.#fileCopyExamples.length < MAX_EXAMPLES) this.#fileCopyExamples.push(id);
      }
    }
    names.length = 0;
    sizes.length = 0;
    this.#kindFolder = undefined;
  }

  /** Writes the last candidate's state to `#candidates`: a candidate met again is then seen anew. */
  #keepLast(): void {
    if (this.#lastId !== undefined) this.#candidates.set(this.#lastId, this.#lastState);
    this.#lastId = undefined;
  }

  /** A candidate's state; at its first sight in the current part, counts it and checks the part's range. */
  #see(id: string, part: PartState): number {
    this.#keepLast();
    const index = this.#parts.length;
    const state = this.#candidates.get(id);
    const lastPart = state === undefined ? 0 : Math.floor(state / PART_UNIT);
    if (lastPart === index) return state!;
    if (state !== undefined) {
      this.#several += 1;
      if (this.#severalExamples.length < MAX_EXAMPLES) this.#severalExamples.push(id);
    }
    const seen = index * PART_UNIT + ((state ?? 0) % PART_UNIT);
    const summary = part.summary;
    summary.candidates += 1;
    const n = numericId(id);
    if (part.min === undefined || before(id, n, part.min, part.minN)) {
      part.min = id;
      part.minN = n;
    }
    if (part.max === undefined || before(part.max, part.maxN, id, n)) {
      part.max = id;
      part.maxN = n;
    }
    const { first, last } = summary;
    if (
      first !== undefined &&
      last !== undefined &&
      (before(id, n, first, part.firstN) || before(last, part.lastN, id, n))
    ) {
      part.outOfRangeCount += 1;
      if (part.outOfRange.length < MAX_EXAMPLES) part.outOfRange.push(id);
    }
    return seen;
  }

  /** `refused`: entries of the part refused (problems say so); holding no others, it is not empty but unread. */
  endPart(refused = 0): void {
    this.#keepLast();
    this.#endKindFolder();
    const part = this.#current();
    const { summary } = part;
    if (refused > 0) summary.refused = refused;
    if (part.zipped > 0 && summary.files + summary.markers === 0 && summary.readable) {
      // Its files are in the zip it holds: counted as missing, they would be a wrong count, not the cause.
      summary.readable = false;
      this.problems.push(
        problem('PART_UNREADABLE', zippedAgain(summary.file, part.zipped), { file: summary.file }),
      );
    } else if (summary.readable && refused === 0 && summary.candidates + summary.unknownFiles === 0) {
      summary.readable = false;
      this.problems.push(
        problem('PART_UNREADABLE', emptyPart(summary.file, summary, part.emptyFolders), {
          file: summary.file,
        }),
      );
    }
    for (const pair of part.partFolders?.pairs ?? []) {
      this.problems.push(
        problem('CANDIDATE_FOLDER_COPY', partFolderCopy(summary.file, pair), { file: summary.file }),
      );
    }
    if (summary.unknownFiles > MAX_UNKNOWN_NOTICES) {
      this.problems.push(
        problem(
          'UNKNOWN_FILE',
          `${summary.file}: ${summary.unknownFiles - MAX_UNKNOWN_NOTICES} more files outside Candidate_<id>/<kind>/ folders are not indexed`,
          { file: summary.file },
        ),
      );
    }
    if (part.outOfRangeCount > 0) {
      this.problems.push(
        problem(
          'PART_RANGE_MISMATCH',
          `${summary.file} is named for candidates ${summary.first} to ${summary.last} but holds ${part.outOfRangeCount} candidate folder(s) outside that range (${idExamples(part.outOfRange, part.outOfRangeCount)}); its candidates run from ${shownId(part.min)} to ${shownId(part.max)}`,
          { file: summary.file },
        ),
      );
    }
  }

  /** The part being read. */
  get current(): PartSummary {
    return this.#current().summary;
  }

  #current(): PartState {
    const part = this.#parts[this.#parts.length - 1];
    if (part === undefined) throw new Error('AttachmentTally: startPart() must come first');
    return part;
  }

  /**
   * What to do when the candidates table holds ids of candidate folders it lacks written otherwise (with
   * thousands separators, decimals, leading zeros, spaces or as Excel's text formula): a spreadsheet
   * re-wrote the table, and its rows are there though every such folder is said to have none. Counted by
   * kind, never shown: an id not made of digits may be personal data. Looked at only when folders lack a
   * row, among the ids that spell no plain number (an IdMap lists those alone).
   */
  #heldOtherwise(side: 'unknown' | 'without' = 'unknown'): string {
    const ids = this.#candidateIds;
    if (ids === undefined) return '';
    const kinds = new Set<string>();
    let count = 0;
    for (const id of ids instanceof IdMap ? ids.texts() : ids) {
      const [plain, how] = plainId(id);
      if (how === undefined || ids.has(plain) || !this.#candidates.has(plain)) continue;
      count += 1;
      kinds.add(how);
    }
    if (count === 0) return '';
    const how = `written otherwise (with ${[...kinds].join(', ')}): a spreadsheet most likely re-wrote the candidates table when it was saved there, so take it from export.zip again`;
    return side === 'unknown'
      ? `; the candidates table holds ${count} of those ids ${how}`
      : `; ${count} of them are ids of candidate folders ${how}`;
  }

  /** The totals, plus the checks that need every part: orphans both ways, markers beside files. */
  finish(): AttachmentSummary {
    this.#keepLast();
    this.#endKindFolder();
    const parts = this.#parts.map((p) => p.summary);
    const sum = (key: 'files' | 'markers' | 'bytes' | 'unknownFiles') =>
      parts.reduce((n, p) => n + p[key], 0);
    const summary: AttachmentSummary = {
      files: sum('files'),
      markers: sum('markers'),
      bytes: sum('bytes'),
      candidates: 0,
      candidateFolders: this.#candidates.size,
      byKind: { ...this.#byKind },
      unknownFiles: sum('unknownFiles'),
      exportFiles: this.#parts.reduce((n, p) => n + p.exportFiles, 0),
      // Only when there are: summaries are written out as they are (report --json).
      ...(this.#fileCopies > 0 ? { copies: this.#fileCopies } : {}),
      parts,
      candidatesUnknown: [],
      candidatesUnknownCount: 0,
      candidatesWithoutAttachments: [],
      candidatesWithoutAttachmentsCount: 0,
      problems: [],
    };
    // The smallest ids, whatever order the ids are kept in.
    const both = new SmallestIds(MAX_EXAMPLES);
    const unknown = new SmallestIds(LISTED_IDS);
    const without = new SmallestIds(LISTED_IDS);
    for (const [id, state] of this.#candidates.entries()) {
      const bits = state % PART_UNIT;
      if ((bits & FILE_BITS) !== 0) summary.candidates += 1;
      if ((bits & (bits >> MARKER_SHIFT)) !== 0) both.add(id);
      if (this.#candidateIds !== undefined && !this.#candidateIds.has(id)) unknown.add(id);
    }
    if (this.#candidateIds !== undefined) {
      for (const id of this.#candidateIds) if (!this.#candidates.has(id)) without.add(id);
    }
    // Ids not made of digits are counted, never listed (see `idExamples`).
    summary.candidatesUnknown = unknown.ids.filter(showableId);
    summary.candidatesUnknownCount = unknown.count;
    summary.candidatesWithoutAttachments = without.ids.filter(showableId);
    summary.candidatesWithoutAttachmentsCount = without.count;
    if (unknown.count > 0) {
      this.problems.push(
        problem(
          'ATTACHMENT_CANDIDATE_UNKNOWN',
          `${unknown.count} candidate folder(s) in the attachments have no row in the candidates table: ${idExamples(unknown.ids, unknown.count)}${this.#heldOtherwise()}`,
        ),
      );
    }
    if (without.count > 0) {
      this.problems.push(
        problem(
          'CANDIDATE_NO_ATTACHMENTS',
          `${without.count} candidate(s) have no folder in any attachment part: ${idExamples(without.ids, without.count)}${this.#heldOtherwise('without')}`,
        ),
      );
    }
    if (this.#several > 0) {
      this.problems.push(
        problem(
          'CANDIDATE_IN_SEVERAL_PARTS',
          `${this.#several} time(s) a candidate folder continues in another part: ${idExamples(this.#severalExamples, this.#several)}`,
        ),
      );
    }
    if (this.#copies.size > 0) {
      this.problems.push(
        problem(
          'CANDIDATE_FOLDER_COPY',
          `${this.#copies.size} candidate folder(s) are copies made beside the candidate's own (\`Candidate_1 2\`, \`Candidate_1 (1)\`, \`Candidate_1 - Copy\`, as when the folders of several parts are moved into one): their files are read as that candidate's, so a file in both is counted, extracted and bundled twice; merge each copy into its folder (or delete it) and run again: ${idExamples(this.#copyExamples, this.#copies.size)}`,
        ),
      );
    }
    if (this.#markerCopies > 0) {
      this.problems.push(
        problem(
          'MARKER_COPY',
          `${this.#markerCopies} copies of empty.txt in ${this.#markerCopyCandidates} candidate folder(s) (\`empty (2).txt\`, \`empty_1.txt\`: what Windows and 7-Zip name the second of two files they keep when a part is unzipped twice into one folder) are not counted as markers or files; the files beside them may be there twice as well (\`resume (2).pdf\` beside \`resume.pdf\`), counted and extracted twice: unzip the part once into an empty folder and run again: ${idExamples([...this.#markerCopyExamples].sort(compareIds), this.#markerCopyCandidates)}`,
        ),
      );
    }
    if (this.#fileCopies > 0) {
      this.problems.push(
        problem(
          'ATTACHMENT_COPY',
          `${this.#fileCopies} attachment file(s) in ${this.#fileCopyCandidates} candidate folder(s) are copies left beside a file of the same name and size (\`resume (2).pdf\` beside \`resume.pdf\`, as a part unzipped twice into one folder leaves them): they are extracted and counted among the files as attachments of their own, though not against export.csv's counts; delete them and run again: ${idExamples([...this.#fileCopyExamples].sort(compareIds), this.#fileCopyCandidates)}`,
        ),
      );
    }
    if (both.count > 0) {
      this.problems.push(
        problem(
          'MARKER_WITH_FILES',
          `${both.count} candidate(s) have empty.txt beside real files in the same folder; it is counted as a marker, not an attachment: ${idExamples(both.ids, both.count)}`,
        ),
      );
    }
    if (this.#fullMarkers > 0) {
      // As the guide has it, empty.txt says a folder is empty: its bytes, if any, are not an attachment.
      this.problems.push(
        problem(
          'MARKER_NOT_EMPTY',
          `${this.#fullMarkers} empty.txt file(s) hold bytes; they are taken for attachments, not for empty folders' markers: ${idExamples(this.#fullMarkerExamples, this.#fullMarkers)}`,
        ),
      );
    }
    summary.problems = [...this.problems];
    return summary;
  }
}

/** An id written with thousands separators by a spreadsheet (`1,000,000,003`, `1.000.000.003`, `1 000 000 003`). */
const GROUPED = /^\d{1,3}([,.' \u00a0\u202f])\d{3}(?:\1\d{3})*$/;

/** An id as a plain number, and how it was written otherwise; no way for one written so, or not an id. */
function plainId(id: string): [string, string | undefined] {
  const trimmed = id.trim();
  if (GROUPED.test(trimmed)) return [trimmed.replace(/\D/g, ''), 'thousands separators'];
  if (/^\d+\.0+$/.test(trimmed)) return [trimmed.replace(/\.0+$/, ''), 'decimals'];
  if (/^="\s*\d+\s*"$/.test(trimmed)) return [looseId(trimmed), "Excel's text formula"];
  const loose = looseId(id);
  return loose !== id && /^\d+$/.test(loose) ? [loose, 'leading zeros or spaces'] : [id, undefined];
}
