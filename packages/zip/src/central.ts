// Central-directory records, read from the directory in large pieces and parsed in memory: the listing
// costs about one read per megabyte of directory, as `unzip -l` does, instead of reads per record.
import { type Problem, problem } from './errors.js';

const CENTRAL = 0x02014b50;
const RECORD_SIZE = 46;
const ZIP64_FIELD = 0x0001;
const PIECE = 1024 * 1024;

/** The fields of a central-directory record this package reads. */
export interface CentralRecord {
  /** Index in the central directory. */
  index: number;
  filename: Buffer;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  versionMadeBy: number;
  externalFileAttributes: number;
  extraFields: { id: number; data: Buffer }[];
  lastModDate: number;
  lastModTime: number;
  /** Where the local header is in the file (the archive's shift applied). */
  localHeaderOffset: number;
}

export interface DirectoryReader {
  readExactly(start: number, length: number): Promise<Buffer>;
}

const damaged = (detail: string): Problem =>
  problem('ZIP_CORRUPT', detail, 'Download or create the archive again.');

export class DirectoryError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** Where one record lies: `piece` holds it from `at`; reused from one record to the next. */
export interface Slot {
  piece: Buffer;
  at: number;
  index: number;
}

/**
 * The records of the directory [start, start + size), one at a time, read a megabyte at a time. A slot and
 * the views of a record are valid until the next one. Throws DirectoryError on a damaged record.
 */
export async function* recordSlots(
  file: DirectoryReader,
  start: number,
  size: number,
): AsyncGenerator<Slot, void, undefined> {
  const end = start + size;
  const slot: Slot = { piece: Buffer.alloc(0), at: 0, index: 0 };
  let pieceStart = start;
  for (; pieceStart + slot.at < end; slot.index += 1) {
    let { piece, at } = slot;
    let need = RECORD_SIZE;
    if (at + need <= piece.length) need += variableLength(piece, at);
    if (at + need > piece.length) {
      // Carry the unread rest over into a fresh piece: a record is at most 46 + 3 * 65,535 bytes.
      const rest = piece.subarray(at);
      const from = pieceStart + at + rest.length;
      const length = Math.min(Math.max(PIECE, need), end - from);
      const more = length > 0 ? await file.readExactly(from, length) : Buffer.alloc(0);
      piece = rest.length === 0 ? more : Buffer.concat([rest, more]);
      pieceStart += at;
      at = 0;
      const cut = () => new DirectoryError(damaged(recordDetail(slot.index, 'is cut short')));
      if (piece.length < RECORD_SIZE) throw cut();
      need = RECORD_SIZE + variableLength(piece, 0);
      if (need > piece.length) throw cut();
    }
    if (piece.readUInt32LE(at) !== CENTRAL) {
      throw new DirectoryError(damaged(recordDetail(slot.index, 'has no record signature')));
    }
    slot.piece = piece;
    slot.at = at;
    yield slot;
    slot.at = at + need;
  }
}

/** Parsed records; the views in a record are valid until the next one (copy what must outlive it). */
export async function* centralRecords(
  file: DirectoryReader,
  start: number,
  size: number,
  shift: number,
): AsyncGenerator<CentralRecord, void, undefined> {
  for await (const { piece, at, index } of recordSlots(file, start, size)) {
    yield parseRecord(piece, at, index, shift);
  }
}

const variableLength = (piece: Buffer, at: number): number =>
  piece.readUInt16LE(at + 28) + piece.readUInt16LE(at + 30) + piece.readUInt16LE(at + 32);

const recordDetail = (index: number, what: string) =>
  `Central directory record ${index + 1} ${what} (the directory is damaged)`;

export function parseRecord(piece: Buffer, at: number, index: number, shift: number): CentralRecord {
  const nameLength = piece.readUInt16LE(at + 28);
  const extraLength = piece.readUInt16LE(at + 30);
  const nameStart = at + RECORD_SIZE;
  const extraStart = nameStart + nameLength;
  const extraFields = parseExtra(piece.subarray(extraStart, extraStart + extraLength));
  let uncompressedSize = piece.readUInt32LE(at + 24);
  let compressedSize = piece.readUInt32LE(at + 20);
  let localHeaderOffset = piece.readUInt32LE(at + 42);
  const zip64 = extraFields.find((f) => f.id === ZIP64_FIELD);
  if (zip64 !== undefined) {
    // Only the fields that are at their maximum in the record are present, in this order.
    let cursor = 0;
    const next = (): number => {
      if (cursor + 8 > zip64.data.length) {
        throw new DirectoryError(damaged(recordDetail(index, 'has a zip64 field too short for its sizes')));
      }
      const value = zip64.data.readBigUInt64LE(cursor);
      cursor += 8;
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new DirectoryError(damaged(recordDetail(index, 'declares a size no file can have')));
      }
      return Number(value);
    };
    if (uncompressedSize === 0xffffffff) uncompressedSize = next();
    if (compressedSize === 0xffffffff) compressedSize = next();
    if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
  }
  return {
    index,
    filename: piece.subarray(nameStart, nameStart + nameLength),
    generalPurposeBitFlag: piece.readUInt16LE(at + 8),
    compressionMethod: piece.readUInt16LE(at + 10),
    compressedSize,
    uncompressedSize,
    crc32: piece.readUInt32LE(at + 16),
    versionMadeBy: piece.readUInt16LE(at + 4),
    externalFileAttributes: piece.readUInt32LE(at + 38),
    extraFields,
    lastModTime: piece.readUInt16LE(at + 12),
    lastModDate: piece.readUInt16LE(at + 14),
    localHeaderOffset: localHeaderOffset + shift,
  };
}

/** Extra fields as views; a field that claims more bytes than are left ends the list (as Info-ZIP reads it). */
function parseExtra(extra: Buffer): { id: number; data: Buffer }[] {
  const fields: { id: number; data: Buffer }[] = [];
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(at + 2);
    if (at + 4 + length > extra.length) break;
    fields.push({ id: extra.readUInt16LE(at), data: extra.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return fields;
}
