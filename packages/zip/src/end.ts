// Finding the central directory from the end of the file, as Info-ZIP, CPython and Go do: the end record is
// searched backwards (it may be followed by a comment and, in the wild, by padding or junk), zip64 values are
// taken from the zip64 end record when its locator is there (APPNOTE 4.4.1.4: 0xFFFF / 0xFFFFFFFF in the
// classic record mean "see zip64"), and offsets are shifted when bytes were put before the first entry
// without adjusting them. Every oddity accepted becomes a notice; a refusal says what is actually wrong.
import { DirectoryCursor, type DirectoryReader, parseRecord, u16 } from './central.js';
import { SPLIT_START } from './classify.js';
import { type Problem, problem } from './errors.js';
import {
  CENTRAL_SIGNATURE as CENTRAL,
  END_SIGNATURE as END,
  END_SIZE,
  END64_SIGNATURE as END64,
  LOCAL_SIGNATURE as LOCAL,
  LOCAL_SIZE,
  LOCATOR_SIZE,
  LOCATOR64_SIGNATURE as LOCATOR64,
} from './format.js';
import type { NoticeDraft } from './notices.js';

const END64_SIZE = 56;
/** How far back the end record is searched: the longest comment plus room for trailing bytes. */
export const TAIL = END_SIZE + 0xffff + 64 * 1024;

export interface Directory {
  /** Where the central directory starts in the file (shift applied). */
  start: number;
  size: number;
  /** Entry count from the end record (zip64 when present). */
  count: number;
  zip64: boolean;
  /** Added to every offset the archive declares: the length of a prefix the writer did not account for. */
  shift: number;
  notices: NoticeDraft[];
  /** Where the end record is in the file. */
  record: number;
  /**
   * The disk numbers of the end record, when not 0: a split archive's last piece, or a whole archive some
   * writer numbered so. `checkOneDisk` tells which.
   */
  disks?: { disk: number; directoryDisk: number };
}

export interface Source {
  size: number;
  read(start: number, length: number): Promise<Buffer>;
  /** As read, without reading ahead (see ZipFile.peek). */
  peek?(start: number, length: number): Promise<Buffer>;
}

const LAST_PIECE =
  'Archive is the last piece of a zip split over several disks (multi-part zip): its entries are in the pieces before it (.z01, .z02, ...), and reading them is not supported';

const lastPiece = (): Problem =>
  problem('ZIP_CORRUPT', LAST_PIECE, 'Join the pieces first (e.g. `zip -s 0 in.zip --out whole.zip`).');

const joinedPieces = (): Problem =>
  problem(
    'ZIP_CORRUPT',
    "File is the pieces of a split (multi-part) zip joined into one file, as `cat` joins them (.z01, .z02, ... then .zip): it starts with the first piece's split mark and ends with the last piece's end record, whose offsets count from each piece's own start, so it is not one archive and reading it is not supported",
    'Join the pieces themselves instead, side by side in one folder (e.g. `zip -s 0 last.zip --out whole.zip`), or extract this file with Info-ZIP `unzip`, which reads pieces joined so, and zip what it holds again.',
  );

/**
 * `problem`, or when it says the file is the last piece of a split archive and the file starts with the
 * split mark only the first piece starts with (see `sniff`): every piece joined into one file (`cat
 * export.z01 export.zip`), which was told "the last piece" of a file holding them all. Asked once a
 * file, not for each end record tried: a file may hold millions of signatures.
 */
async function joinedOrLast(file: Source, found: Problem): Promise<Problem> {
  if (found.detail !== LAST_PIECE || file.size < SPLIT_START.length) return found;
  const head = await file.read(0, SPLIT_START.length);
  return head.equals(SPLIT_START) ? joinedPieces() : found;
}

const damaged = (detail: string): Problem =>
  problem('ZIP_CORRUPT', detail, 'Download or create the archive again.');

/** The central directory, or why it cannot be found; `undefined` when there is no end record at all. */
export async function locateDirectory(file: Source): Promise<Directory | Problem | undefined> {
  const tailStart = Math.max(0, file.size - TAIL);
  const tail = await file.read(tailStart, file.size - tailStart);
  let first: Problem | undefined;
  let best: Directory | undefined;
  const search: Search = { heldChecks: HELD_CHECKS };
  for (let at = tail.length - END_SIZE; at >= 0; at -= 1) {
    if (tail.readUInt32LE(at) !== END) continue;
    const found = await fromEndRecord(file, tail.subarray(at), tailStart + at, search);
    // The last signature is the end record unless it fails its checks; an earlier one may be the real one
    // (a signature inside the comment or inside trailing junk).
    if ('problem' in found) {
      first ??= found.problem;
      continue;
    }
    if (looseness(found) === 0) return found;
    // One that leaves bytes after it, or between it and its directory, may be four bytes of a comment or of
    // junk: "PK\5\6" and zeros passes every check as an empty archive. The record that fits best is taken
    // (as 7-Zip does; Info-ZIP, CPython and bsdtar read such an archive as empty).
    if (best === undefined || looseness(found) < looseness(best)) best = found;
  }
  if (best !== undefined) return best;
  return first === undefined ? undefined : joinedOrLast(file, first);
}

/** How far before the last 128 KiB an end record is looked for, to tell junk appended from a file cut short. */
const FURTHER = 16 * 1024 * 1024;
const END_MARK = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const PIECE = 1024 * 1024;

/**
 * For a file with no end record in its last 128 KiB: the end of the zip it holds, when one ends further
 * back (other bytes were appended after it, more than readers look through), else undefined (it is cut
 * short). Looks through the 16 MiB before those 128 KiB, a megabyte at a time, from the end.
 */
export async function endFurtherBack(file: Source): Promise<number | undefined> {
  const stop = Math.max(0, file.size - TAIL - FURTHER);
  const search: Search = { heldChecks: HELD_CHECKS };
  let looks = FURTHER_LOOKS;
  // Pieces overlap by a record's length, so no record is cut between two of them.
  for (let end = file.size - TAIL + END_SIZE; end > stop; end -= PIECE) {
    const start = Math.max(stop, end - PIECE - END_SIZE);
    if (end - start < END_SIZE) break;
    const piece = Buffer.from(await file.read(start, end - start));
    for (let at = piece.lastIndexOf(END_MARK, piece.length - END_SIZE); at >= 0; ) {
      if (!mayEndHere(piece, at, start)) {
        at = at === 0 ? -1 : piece.lastIndexOf(END_MARK, at - 1);
        continue;
      }
      // Records that pass mayEndHere yet end no zip are crafted: past a few, the file is taken as cut short.
      looks -= 1;
      if (looks < 0) return undefined;
      const found = await fromEndRecord(file, piece.subarray(at), start + at, search);
      if (
        !('problem' in found) &&
        found.count > 0 &&
        // A zip stored in the file (a .docx attachment before where a part was cut) ends there too, but
        // its offsets count from its own start: read as this file's, they take it for a prefix.
        found.shift === 0 &&
        found.notices.every((n) => n.code !== 'ZIP_GAP_BEFORE_END')
      ) {
        return start + at + END_SIZE + piece.readUInt16LE(at + 20);
      }
      at = at === 0 ? -1 : piece.lastIndexOf(END_MARK, at - 1);
    }
  }
  return undefined;
}

/**
 * End records further back looked at beyond their own bytes, at most: a file of 16 MiB of nothing but
 * end-record signatures made a read for each of its four million, minutes of work before it was said to be
 * cut short.
 */
const FURTHER_LOOKS = 64;

/**
 * Whether the end record at `at` of `piece` (which starts at `start` in the file) may end the zip
 * `endFurtherBack` looks for, by its own bytes and those of the piece: one disk, entries, its directory
 * right before it, starting with a record signature where the piece holds it. One after a zip64 locator
 * (or where the piece cannot tell) is looked at in full.
 */
function mayEndHere(piece: Buffer, at: number, start: number): boolean {
  if (at < LOCATOR_SIZE || piece.readUInt32LE(at - LOCATOR_SIZE) === LOCATOR64) return true;
  if (piece.readUInt16LE(at + 4) !== 0 || piece.readUInt16LE(at + 6) !== 0) return false;
  const size = piece.readUInt32LE(at + 12);
  const offset = piece.readUInt32LE(at + 16);
  if (piece.readUInt16LE(at + 10) === 0 || offset + size !== start + at) return false;
  return offset < start || piece.readUInt32LE(offset - start) === CENTRAL;
}

/**
 * What one search for an end record may still spend: the check of an entry holding the zip found (a read of
 * up to 16 MiB) is made for a few records at most. Thousands of records crafted to need it, near the end of
 * a file of 17 MiB, read 16 MiB each: a minute of work.
 */
interface Search {
  heldChecks: number;
}

const HELD_CHECKS = 8;

const tooManyEnds = (): Problem =>
  damaged(
    `More than ${HELD_CHECKS} end records near the end of the file each put the central directory after a prefix; no more were looked at`,
  );

/**
 * How loosely an end record fits: 0 when it ends the file right after its directory (or zip64 end
 * records); more for bytes after it (1), and more again for bytes between it and its directory (2).
 */
function looseness(directory: Directory): number {
  let score = 0;
  for (const { code } of directory.notices) {
    if (code === 'ZIP_GAP_BEFORE_END') score |= 2;
    else if (code === 'ZIP_TRAILING_BYTES' || code === 'ZIP_COMMENT_CUT') score |= 1;
  }
  return score;
}

async function fromEndRecord(
  file: Source,
  record: Buffer,
  position: number,
  search: Search,
): Promise<Directory | { problem: Problem }> {
  const notices: NoticeDraft[] = [];
  let disk = record.readUInt16LE(4);
  let directoryDisk = record.readUInt16LE(6);
  let onDisk = record.readUInt16LE(8);
  let count = record.readUInt16LE(10);
  let size = record.readUInt32LE(12);
  let offset = record.readUInt32LE(16);
  const commentLength = record.readUInt16LE(20);
  const recordEnd = position + END_SIZE + commentLength;
  if (recordEnd < file.size) {
    notices.push({
      code: 'ZIP_TRAILING_BYTES',
      detail: `${file.size - recordEnd} byte(s) follow the end record and its comment; they were ignored`,
    });
  } else if (recordEnd > file.size) {
    notices.push({
      code: 'ZIP_COMMENT_CUT',
      detail: `The archive comment is declared ${recordEnd - file.size} byte(s) longer than the file; it was ignored`,
    });
  }

  let directoryEnd = position;
  let zip64 = false;
  const locator =
    position >= LOCATOR_SIZE ? await file.read(position - LOCATOR_SIZE, LOCATOR_SIZE) : undefined;
  if (locator !== undefined && locator.readUInt32LE(0) === LOCATOR64) {
    const found = await readEnd64(file, locator, position - LOCATOR_SIZE);
    if ('problem' in found) return found;
    const { end64, at } = found;
    // A locator counting more than one disk is what CPython and Go refuse as split; the disk numbers of the
    // record itself are checked against the entries, as the classic ones are.
    if (locator.readUInt32LE(16) > 1) return { problem: lastPiece() };
    disk = end64.readUInt32LE(16);
    directoryDisk = end64.readUInt32LE(20);
    const count64 = end64.readBigUInt64LE(32);
    const declared = {
      count: safe(count64),
      size: safe(end64.readBigUInt64LE(40)),
      offset: safe(end64.readBigUInt64LE(48)),
    };
    if (await classicInstead(file, { count, size, offset }, declared, at)) {
      notices.push({
        code: 'ZIP_END_RECORDS_DISAGREE',
        detail: `The zip64 end record puts the central directory at ${declared.offset} (${declared.size} bytes), where there is none; the end record's offset ${offset} (${size} bytes), where it is, was used`,
      });
    } else {
      ({ count, size, offset } = declared);
      onDisk = safe(end64.readBigUInt64LE(24));
    }
    directoryEnd = at;
    zip64 = true;
  } else if (offset === 0xffffffff) {
    return { problem: damaged('The end record points to a zip64 end record that is not there') };
  }
  if (onDisk !== count) {
    // Both disk numbers say one disk: a count field is wrong, not the archive split. Info-ZIP, CPython and
    // bsdtar read it (by the directory's size, as here); taken for a split archive, it was refused as one.
    notices.push({
      code: 'ZIP_ENTRY_COUNT',
      detail: `The end record counts ${onDisk} entries on this disk but ${count} in all, in an archive of one disk; the central directory was read by its size`,
    });
  }
  // Disk numbers other than 0: the last piece of a split archive, or a whole archive a writer numbered 1
  // (or 0xFFFF). Info-ZIP, CPython and bsdtar read on; so is it here, when the directory is where it says
  // (else the pieces before this one hold it) and its entries are in this file (see checkOneDisk).
  const disks = disk !== 0 || directoryDisk !== 0;
  const found = await directoryFound(file, position, search, {
    count,
    size,
    offset,
    directoryEnd,
    zip64,
    notices,
  });
  if ('problem' in found) return disks ? { problem: lastPiece() } : found;
  if (disks) found.disks = { disk, directoryDisk };
  return found;
}

/**
 * For an end record numbering its disks (see `Directory.disks`): the split problem when the entries are not
 * all in this file, else the notice that they are. They are when every central record puts its entry on
 * one disk, 0 or the end record's, and the first entry's local header is where its record says: in the last piece `zip -s` writes,
 * the records name the pieces before it (disks 0, 1, ...) and their offsets count from those pieces' starts.
 * Read only for such an archive; `whole` is the directory's bytes when read already.
 */
export async function checkOneDisk(
  file: Source & DirectoryReader,
  directory: Directory,
  whole: Buffer | undefined,
): Promise<Problem | NoticeDraft> {
  const cursor = new DirectoryCursor(file, directory.start, directory.size, whole);
  let entryDisk = -1;
  let first = -1;
  for (;;) {
    let more = cursor.next();
    if (typeof more !== 'boolean') more = await more;
    if (!more) break;
    const on = u16(cursor.piece, cursor.at + 34);
    if (entryDisk < 0) {
      // Disk 0, or the end record's own: a disk between them is one of the pieces before this one.
      if (on !== 0 && on !== directory.disks?.disk && on !== directory.disks?.directoryDisk)
        return joinedOrLast(file, lastPiece());
      entryDisk = on;
      first = parseRecord(cursor.piece, cursor.at, cursor.index, directory.shift).localHeaderOffset;
    } else if (on !== entryDisk) return joinedOrLast(file, lastPiece());
  }
  if (first >= 0 && !(await signatureAt(file, first, LOCAL))) return joinedOrLast(file, lastPiece());
  return {
    code: 'ZIP_DISK_NUMBERS',
    detail: `The end record numbers its disks as a split archive's last piece does (this one ${directory.disks?.disk}, the central directory's ${directory.disks?.directoryDisk}), but the central directory and every entry are in this file: it was read as one archive`,
  };
}

/** The directory the end record's values put where they say (or after a prefix), or why it is not there. */
async function directoryFound(
  file: Source,
  position: number,
  search: Search,
  declared: {
    count: number;
    size: number;
    offset: number;
    directoryEnd: number;
    zip64: boolean;
    notices: NoticeDraft[];
  },
): Promise<Directory | { problem: Problem }> {
  const { count, size, offset, directoryEnd, zip64, notices } = declared;
  if (!Number.isSafeInteger(count + size + offset)) {
    return { problem: damaged('The zip64 end record holds sizes no file can have') };
  }

  const gap = directoryEnd - (offset + size);
  if (gap < 0) {
    // The directory would run into its own end record: a cut-short file whose end record survived, or damage.
    return {
      problem: damaged(
        `The end record puts the central directory at ${offset}-${offset + size}, past the end record at ${directoryEnd}`,
      ),
    };
  }
  let shift = 0;
  if (gap > 0) {
    // Either bytes before the first entry (offsets not adjusted: what self-extractors and `cat stub a.zip`
    // leave) or bytes between the directory and its end record. Whichever has a directory where it says.
    const asDeclared = count === 0 || (await signatureAt(file, offset, CENTRAL));
    if (asDeclared) {
      notices.push({
        code: 'ZIP_GAP_BEFORE_END',
        detail: `${gap} byte(s) lie between the central directory and the end record; they were ignored`,
      });
    } else if (await signatureAt(file, offset + gap, CENTRAL)) {
      // Unless the "prefix" ends in the header of an entry holding the archive found: the end record is that
      // of a zip stored in the file (a .docx attachment near where a part was cut), counting from its start.
      if (search.heldChecks <= 0) return { problem: tooManyEnds() };
      search.heldChecks -= 1;
      if (await heldByEntry(file, gap, position)) return { problem: endOfAZipInside(gap) };
      shift = gap;
      notices.push({
        code: 'ZIP_PREFIX_BYTES',
        detail: `${gap} byte(s) come before the first entry and the offsets do not count them (a prefix or self-extractor stub); offsets were shifted by ${gap}`,
      });
    } else {
      return {
        problem: damaged(
          `No central directory where the end record puts it (offset ${offset}, ${size} bytes)`,
        ),
      };
    }
  } else if (count > 0 && !(await signatureAt(file, offset, CENTRAL))) {
    return {
      problem: damaged(`No central directory where the end record puts it (offset ${offset}, ${size} bytes)`),
    };
  }
  return { start: offset + shift, size, count, zip64, shift, notices, record: position };
}

/** A local header, and how far before an end record the header of an entry holding it is looked for. */
const LOCAL_MARK = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const HELD_WITHIN = 16 * 1024 * 1024;
/** How far past the end of the file the data of an entry cut short may be declared to run. */
const CUT_WITHIN = 64 * 1024;

/**
 * Whether the archive found at `start`, its end record at `position`, is the data of an entry of the file:
 * an entry whose local header comes before it and whose data (by the size the header gives) holds the end
 * record and ends by the end of the file, give or take the last bytes of a deflate stream; with its size
 * after the data (flag bit 3), one stored whose data starts where the archive found does. A stub holds no
 * such header; nor does a download cut short and then written again whole after itself (its last entry's
 * data ends long before the whole copy's end record).
 */
async function heldByEntry(file: Source, start: number, position: number): Promise<boolean> {
  const from = Math.max(0, position - HELD_WITHIN);
  const before = await file.read(from, position - from);
  for (
    let at = before.lastIndexOf(LOCAL_MARK);
    at >= 0;
    at = at > 0 ? before.lastIndexOf(LOCAL_MARK, at - 1) : -1
  ) {
    if (at + LOCAL_SIZE > before.length) continue;
    const data = from + at + LOCAL_SIZE + before.readUInt16LE(at + 26) + before.readUInt16LE(at + 28);
    const size = before.readUInt32LE(at + 18);
    if ((before.readUInt16LE(at + 6) & 0x8) !== 0 || size === 0xffffffff) {
      if (data === start && before.readUInt16LE(at + 8) === 0) return true;
    } else if (data + size >= position + END_SIZE && data + size <= file.size + CUT_WITHIN) return true;
  }
  return false;
}

const endOfAZipInside = (start: number): Problem =>
  problem(
    'ZIP_TRUNCATED',
    `Zip archive is cut short: the only end record near its end is that of a zip stored in one of its entries (an attachment such as a .docx, from about byte ${start}), not its own`,
    'The download did not finish; download it again.',
  );

/**
 * Whether the classic end record is right where the zip64 one is wrong: its fields hold values, not the
 * 0xFFFF / 0xFFFFFFFF that send a reader to the zip64 record, and the directory is where they put it (ending at
 * the zip64 end record) but not where the zip64 record does. Taking the zip64 values then, as Info-ZIP and
 * CPython do, read every entry at a shifted offset (taken for a prefix) and refused the archive as cut short.
 */
async function classicInstead(
  file: Source,
  classic: { count: number; size: number; offset: number },
  declared: { size: number; offset: number },
  end64At: number,
): Promise<boolean> {
  if (classic.count === 0xffff || classic.size === 0xffffffff || classic.offset === 0xffffffff) return false;
  if (classic.offset === declared.offset && classic.size === declared.size) return false;
  if (classic.offset + classic.size !== end64At || classic.count === 0) return false;
  return (
    (await signatureAt(file, classic.offset, CENTRAL)) && !(await signatureAt(file, declared.offset, CENTRAL))
  );
}

/** The zip64 end record: where the locator says, else just before the locator (a prefix moved it). */
async function readEnd64(
  file: Source,
  locator: Buffer,
  locatorAt: number,
): Promise<{ end64: Buffer; at: number } | { problem: Problem }> {
  const declared = locator.readBigUInt64LE(8);
  const candidates = [Number(declared), locatorAt - END64_SIZE];
  for (const at of candidates) {
    if (!Number.isSafeInteger(at) || at < 0 || at + END64_SIZE > locatorAt) continue;
    const end64 = await file.read(at, END64_SIZE);
    if (end64.readUInt32LE(0) !== END64) continue;
    // The record's own size field: the record (and its extensible data) must end at the locator.
    const recordEnd = at + 12 + Number(end64.readBigUInt64LE(4));
    if (recordEnd !== locatorAt && at !== Number(declared)) continue;
    return { end64: Buffer.from(end64), at };
  }
  return { problem: damaged('The zip64 end record is missing where its locator points') };
}

async function signatureAt(file: Source, at: number, signature: number): Promise<boolean> {
  if (at < 0 || at + 4 > file.size) return false;
  return (await (file.peek ?? file.read).call(file, at, 4)).readUInt32LE(0) === signature;
}

const safe = (value: bigint): number =>
  value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(value);
