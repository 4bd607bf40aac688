// Central-directory records, read from the directory in large pieces and parsed in memory: the listing
// costs about one read per megabyte of directory, as `unzip -l` does, instead of reads per record.
import { type Problem, problem } from './errors.js';
import { CENTRAL_SIGNATURE as CENTRAL, MAX32, RECORD_SIZE, ZIP64_FIELD } from './format.js';

const PIECE = 1024 * 1024;
/** The longest central record: the fixed part and three fields of up to 65,535 bytes. */
const MAX_RECORD = RECORD_SIZE + 3 * 65_535;

/**
 * Little-endian integers at `at`, which the caller has checked lie within `bytes`. Not Buffer's readUInt16LE
 * and readUInt32LE: calls through their argument checks cost much of a record's parsing until the
 * optimizing compiler has compiled them (listing four parts cold: 168 -> 146 ms).
 */
export const u16 = (bytes: Uint8Array, at: number): number => bytes[at]! | (bytes[at + 1]! << 8);
export const u32 = (bytes: Uint8Array, at: number): number =>
  (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

/** The fields of a central-directory record this package reads. */
export interface CentralRecord {
  /** Index in the central directory. */
  index: number;
  /** The stored name bytes, one character a byte (latin1): cheap to keep and compare with the local header. */
  rawName: string;
  /** The piece of directory holding the record; with the offsets below, valid until the next record. */
  piece: Buffer;
  nameStart: number;
  nameEnd: number;
  extraStart: number;
  extraEnd: number;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  versionMadeBy: number;
  externalFileAttributes: number;
  lastModDate: number;
  lastModTime: number;
  /** Where the local header is in the file (the archive's shift applied). */
  localHeaderOffset: number;
}

/** The stored name bytes, as a view. */
export const nameBytes = (record: CentralRecord): Buffer =>
  record.piece.subarray(record.nameStart, record.nameEnd);

/**
 * The data of the first extra field with this id, as a view, or undefined. A field that claims more bytes
 * than are left ends the list (as Info-ZIP reads it).
 */
export function extraField(record: CentralRecord, id: number): Buffer | undefined {
  return findExtra(record.piece, record.extraStart, record.extraEnd, id);
}

/**
 * Where the data of the first extra field with this id starts in `record.piece` (its length is in the two
 * bytes before), or -1: `extraField` without a view made.
 */
export function extraAt(record: CentralRecord, id: number): number {
  return findExtraAt(record.piece, record.extraStart, record.extraEnd, id);
}

function findExtra(piece: Buffer, start: number, end: number, id: number): Buffer | undefined {
  const at = findExtraAt(piece, start, end, id);
  return at < 0 ? undefined : piece.subarray(at, at + u16(piece, at - 2));
}

function findExtraAt(piece: Buffer, start: number, end: number, id: number): number {
  for (let at = start; at + 4 <= end; ) {
    const length = u16(piece, at + 2);
    if (at + 4 + length > end) return -1;
    if (u16(piece, at) === id) return at + 4;
    at += 4 + length;
  }
  return -1;
}

export interface DirectoryReader {
  /** Reads exactly `length` bytes at `start` of the file into `buffer` at `offset`. */
  readExactlyInto(buffer: Buffer, offset: number, length: number, start: number): Promise<void>;
}

const damaged = (detail: string): Problem =>
  problem('ZIP_CORRUPT', detail, 'Download or create the archive again.');

export class DirectoryError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/**
 * Steps through the records of the directory [start, start + size), read a megabyte at a time. `next()`
 * answers synchronously while the record is in the piece at hand (a promise only when a piece must be
 * read), so a walk pays no promise per record. Throws DirectoryError on a damaged record.
 */
export class DirectoryCursor {
  /** The piece of directory holding the current record, and where in it the record starts. */
  piece: Buffer = Buffer.alloc(0);
  at = 0;
  /** Index of the current record; -1 before the first. */
  index = -1;
  private length = 0;
  private pieceStart: number;
  /** Two buffers taking turns as the piece: a directory of 140 MB read into fresh ones made 280 MB of garbage. */
  private readonly buffers: (Buffer | undefined)[] = [undefined, undefined];
  private turn = 0;
  private readonly end: number;

  /** `whole`: the directory's bytes, read already; the cursor then reads nothing. */
  constructor(
    private readonly file: DirectoryReader,
    start: number,
    size: number,
    whole?: Buffer,
  ) {
    this.pieceStart = start;
    this.end = start + size;
    if (whole !== undefined && whole.length === size) this.piece = whole;
  }

  /** Moves to the next record: true when there is one, false at the end of the directory. */
  next(): boolean | Promise<boolean> {
    const at = this.at + this.length;
    if (this.pieceStart + at >= this.end) return false;
    this.index += 1;
    const piece = this.piece;
    if (at + RECORD_SIZE <= piece.length) {
      const need = RECORD_SIZE + variableLength(piece, at);
      if (at + need <= piece.length) return this.land(at, need);
    }
    return this.refill(at);
  }

  private async refill(at: number): Promise<boolean> {
    // Carry the unread rest over into the other buffer: a record is at most MAX_RECORD bytes.
    const rest = this.piece.subarray(at);
    const from = this.pieceStart + this.piece.length;
    const length = Math.min(PIECE, this.end - from);
    this.turn ^= 1;
    // What is left to read bounds what a piece holds: a small directory takes a small buffer.
    const into = (this.buffers[this.turn] ??= Buffer.allocUnsafeSlow(
      Math.min(PIECE + MAX_RECORD, this.end - this.pieceStart),
    ));
    rest.copy(into, 0);
    if (length > 0) await this.file.readExactlyInto(into, rest.length, length, from);
    this.piece = into.subarray(0, rest.length + length);
    this.pieceStart += at;
    const cut = () => new DirectoryError(damaged(recordDetail(this.index, 'is cut short')));
    if (this.piece.length < RECORD_SIZE) throw cut();
    const need = RECORD_SIZE + variableLength(this.piece, 0);
    if (need > this.piece.length) throw cut();
    return this.land(0, need);
  }

  private land(at: number, need: number): boolean {
    if (u32(this.piece, at) !== CENTRAL) {
      throw new DirectoryError(damaged(recordDetail(this.index, 'has no record signature')));
    }
    this.at = at;
    this.length = need;
    return true;
  }
}

const variableLength = (piece: Buffer, at: number): number =>
  u16(piece, at + 28) + u16(piece, at + 30) + u16(piece, at + 32);

const recordDetail = (index: number, what: string) =>
  `Central directory record ${index + 1} ${what} (the directory is damaged)`;

/**
 * Directories up to this size are read whole, once, for the layout check and the walk alike: a part of
 * 17,000 entries (1.5 MB) was read four times, a megabyte at a time, and the listing waited on each read.
 */
export const WHOLE_DIRECTORY = 8 * 1024 * 1024;

/** The directory's bytes when it is small enough to read whole (see WHOLE_DIRECTORY), else undefined. */
export async function readWhole(
  file: DirectoryReader,
  directory: { start: number; size: number },
): Promise<Buffer | undefined> {
  if (directory.size > WHOLE_DIRECTORY) return undefined;
  const bytes = Buffer.allocUnsafeSlow(directory.size);
  try {
    await file.readExactlyInto(bytes, 0, directory.size, directory.start);
    return bytes;
  } catch {
    // Read a piece at a time, as a bigger one is, the cursor says what is wrong where.
    return undefined;
  }
}

/** A record to parse into again and again (parseRecord's `into`): a walk then makes no object per record. */
export const blankRecord = (): CentralRecord => ({
  index: 0,
  rawName: '',
  piece: Buffer.alloc(0),
  nameStart: 0,
  nameEnd: 0,
  extraStart: 0,
  extraEnd: 0,
  generalPurposeBitFlag: 0,
  compressionMethod: 0,
  compressedSize: 0,
  uncompressedSize: 0,
  crc32: 0,
  versionMadeBy: 0,
  externalFileAttributes: 0,
  lastModDate: 0,
  lastModTime: 0,
  localHeaderOffset: 0,
});

type Latin1Slicer = Buffer & { latin1Slice(start: number, end: number): string };

/** The record at `at`, into `into` when given (valid until it is parsed into again). */
export function parseRecord(
  piece: Buffer,
  at: number,
  index: number,
  shift: number,
  into: CentralRecord = blankRecord(),
): CentralRecord {
  const nameStart = at + RECORD_SIZE;
  const nameEnd = nameStart + u16(piece, at + 28);
  const extraEnd = nameEnd + u16(piece, at + 30);
  let uncompressedSize = u32(piece, at + 24);
  let compressedSize = u32(piece, at + 20);
  let localHeaderOffset = u32(piece, at + 42);
  if (uncompressedSize === MAX32 || compressedSize === MAX32 || localHeaderOffset === MAX32) {
    // Only the fields that are at their maximum in the record are in the zip64 field, in this order.
    const zip64 = findExtra(piece, nameEnd, extraEnd, ZIP64_FIELD) ?? Buffer.alloc(0);
    let cursor = 0;
    const next = (): number => {
      if (cursor + 8 > zip64.length) {
        throw new DirectoryError(damaged(recordDetail(index, 'has no zip64 field for its sizes')));
      }
      const value = zip64.readBigUInt64LE(cursor);
      cursor += 8;
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new DirectoryError(damaged(recordDetail(index, 'declares a size no file can have')));
      }
      return Number(value);
    };
    if (uncompressedSize === MAX32) uncompressedSize = next();
    if (compressedSize === MAX32) compressedSize = next();
    if (localHeaderOffset === MAX32) localHeaderOffset = next();
  }
  into.index = index;
  // latin1Slice, not toString('latin1', ...): the call it makes after checking its arguments, once a record.
  into.rawName = (piece as Latin1Slicer).latin1Slice(nameStart, nameEnd);
  into.piece = piece;
  into.nameStart = nameStart;
  into.nameEnd = nameEnd;
  into.extraStart = nameEnd;
  into.extraEnd = extraEnd;
  into.generalPurposeBitFlag = u16(piece, at + 8);
  into.compressionMethod = u16(piece, at + 10);
  into.compressedSize = compressedSize;
  into.uncompressedSize = uncompressedSize;
  into.crc32 = u32(piece, at + 16);
  into.versionMadeBy = u16(piece, at + 4);
  into.externalFileAttributes = u32(piece, at + 38);
  into.lastModTime = u16(piece, at + 12);
  into.lastModDate = u16(piece, at + 14);
  into.localHeaderOffset = localHeaderOffset + shift;
  return into;
}
