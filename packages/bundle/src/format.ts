// Zip records as bytes. Pure: no I/O. Zip64 fields appear only where a value does not fit its 32-bit slot.

export const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const UTF8_FLAG = 0x0800;
const DESCRIPTOR_FLAG = 0x0008;
const UNIX_FILE = (0o100644 << 16) >>> 0;
const UNIX_DIR = ((0o040755 << 16) | 0x10) >>> 0;
/** Made by Unix (3), so readers take the high 16 bits of the external attributes as the mode. */
const MADE_BY_UNIX = 3 << 8;
const END_BYTES = 22;
/** From Node's shared pool (small sizes): a fresh ArrayBuffer per header cost more than writing it. */
const zeroed = (size: number): Buffer => Buffer.allocUnsafe(size).fill(0);
const ZIP64_END_BYTES = 56 + 20;

/** What the central directory needs to know of one written entry. */
export interface EntryRecord {
  name: Buffer;
  method: 0 | 8;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local header in its archive. */
  offset: number;
  dosTime: number;
  dosDate: number;
  /** Data descriptor follows the data (sizes and CRC were unknown when the local header was written). */
  descriptor: boolean;
  /** The local header carried a Zip64 extra field. */
  zip64Local: boolean;
}

export interface LocalSpec {
  name: Buffer;
  method: 0 | 8;
  dosTime: number;
  dosDate: number;
  /** Known sizes and CRC; undefined for an entry streamed with a data descriptor. */
  known?: { crc32: number; compressedSize: number; uncompressedSize: number };
  /** For a streamed entry: whether its sizes might reach 4 GiB (then the descriptor holds 64-bit sizes). */
  mayBeLarge?: boolean;
}

/** Whether a deflate stream of `size` input bytes could need 4 GiB: stored blocks add 5 bytes per 16 KiB. */
export const mayReach4GiB = (size: number | undefined, method: 0 | 8): boolean =>
  size === undefined || (method === 0 ? size : size + Math.ceil(size / 16_384) * 5 + 64) >= MAX32;

export const needsZip64 = (spec: LocalSpec): boolean =>
  spec.known === undefined
    ? spec.mayBeLarge === true
    : spec.known.compressedSize >= MAX32 || spec.known.uncompressedSize >= MAX32;

const version = (zip64: boolean): number => (zip64 ? 45 : 20);

export function localHeader(spec: LocalSpec): Buffer {
  const zip64 = needsZip64(spec);
  const header = zeroed(30 + spec.name.length + (zip64 ? 20 : 0));
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(version(zip64), 4);
  header.writeUInt16LE(UTF8_FLAG | (spec.known === undefined ? DESCRIPTOR_FLAG : 0), 6);
  header.writeUInt16LE(spec.method, 8);
  header.writeUInt16LE(spec.dosTime, 10);
  header.writeUInt16LE(spec.dosDate, 12);
  const known = spec.known;
  header.writeUInt32LE(known === undefined ? 0 : known.crc32 >>> 0, 14);
  header.writeUInt32LE(zip64 ? MAX32 : (known?.compressedSize ?? 0), 18);
  header.writeUInt32LE(zip64 ? MAX32 : (known?.uncompressedSize ?? 0), 22);
  header.writeUInt16LE(spec.name.length, 26);
  header.writeUInt16LE(zip64 ? 20 : 0, 28);
  spec.name.copy(header, 30);
  if (zip64) {
    // With a descriptor the sizes here are zero (APPNOTE 4.4.4); the descriptor then holds 8-byte sizes.
    const at = 30 + spec.name.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(16, at + 2);
    header.writeBigUInt64LE(BigInt(known?.uncompressedSize ?? 0), at + 4);
    header.writeBigUInt64LE(BigInt(known?.compressedSize ?? 0), at + 12);
  }
  return header;
}

export function dataDescriptor(record: EntryRecord): Buffer {
  const zip64 = record.zip64Local;
  const out = zeroed(zip64 ? 24 : 16);
  out.writeUInt32LE(0x08074b50, 0);
  out.writeUInt32LE(record.crc32 >>> 0, 4);
  if (zip64) {
    out.writeBigUInt64LE(BigInt(record.compressedSize), 8);
    out.writeBigUInt64LE(BigInt(record.uncompressedSize), 16);
  } else {
    out.writeUInt32LE(record.compressedSize, 8);
    out.writeUInt32LE(record.uncompressedSize, 12);
  }
  return out;
}

const bigFields = (r: EntryRecord): number[] =>
  [r.uncompressedSize, r.compressedSize, r.offset].filter((value) => value >= MAX32);

/** Size of a central-directory record, without building it. */
export const centralBytes = (r: EntryRecord): number => {
  const big = bigFields(r).length;
  return 46 + r.name.length + (big === 0 ? 0 : 4 + 8 * big);
};

export function centralHeader(r: EntryRecord): Buffer {
  // Zip64 extra fields hold, in this order, only the values too big for their 32-bit slots (APPNOTE 4.5.3).
  const big = bigFields(r);
  const extra = big.length === 0 ? 0 : 4 + 8 * big.length;
  const header = zeroed(46 + r.name.length + extra);
  const needed = version(big.length > 0 || r.zip64Local);
  const isDirectory = r.name[r.name.length - 1] === 0x2f;
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX | 45, 4);
  header.writeUInt16LE(needed, 6);
  header.writeUInt16LE(UTF8_FLAG | (r.descriptor ? DESCRIPTOR_FLAG : 0), 8);
  header.writeUInt16LE(r.method, 10);
  header.writeUInt16LE(r.dosTime, 12);
  header.writeUInt16LE(r.dosDate, 14);
  header.writeUInt32LE(r.crc32 >>> 0, 16);
  header.writeUInt32LE(Math.min(r.compressedSize, MAX32), 20);
  header.writeUInt32LE(Math.min(r.uncompressedSize, MAX32), 24);
  header.writeUInt16LE(r.name.length, 28);
  header.writeUInt16LE(extra, 30);
  header.writeUInt32LE(isDirectory ? UNIX_DIR : UNIX_FILE, 38);
  header.writeUInt32LE(Math.min(r.offset, MAX32), 42);
  r.name.copy(header, 46);
  if (extra > 0) {
    let at = 46 + r.name.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(extra - 4, at + 2);
    at += 4;
    for (const value of big) {
      header.writeBigUInt64LE(BigInt(value), at);
      at += 8;
    }
  }
  return header;
}

export const endNeedsZip64 = (entries: number, cdOffset: number, cdSize: number): boolean =>
  entries >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;

/** The largest the end records can be: callers keep room for them when a part has a size limit. */
export const MAX_END_BYTES = END_BYTES + ZIP64_END_BYTES;

/** Zip64 end record and locator when needed, then the classic end record. */
export function endRecords(entries: number, cdOffset: number, cdSize: number): Buffer {
  const zip64 = endNeedsZip64(entries, cdOffset, cdSize);
  const out = zeroed(END_BYTES + (zip64 ? ZIP64_END_BYTES : 0));
  let at = 0;
  if (zip64) {
    const recordAt = cdOffset + cdSize;
    out.writeUInt32LE(0x06064b50, 0);
    out.writeBigUInt64LE(44n, 4);
    out.writeUInt16LE(MADE_BY_UNIX | 45, 12);
    out.writeUInt16LE(45, 14);
    out.writeBigUInt64LE(BigInt(entries), 24);
    out.writeBigUInt64LE(BigInt(entries), 32);
    out.writeBigUInt64LE(BigInt(cdSize), 40);
    out.writeBigUInt64LE(BigInt(cdOffset), 48);
    out.writeUInt32LE(0x07064b50, 56);
    out.writeBigUInt64LE(BigInt(recordAt), 64);
    out.writeUInt32LE(1, 72);
    at = ZIP64_END_BYTES;
  }
  out.writeUInt32LE(0x06054b50, at);
  out.writeUInt16LE(Math.min(entries, MAX16), at + 8);
  out.writeUInt16LE(Math.min(entries, MAX16), at + 10);
  out.writeUInt32LE(Math.min(cdSize, MAX32), at + 12);
  out.writeUInt32LE(Math.min(cdOffset, MAX32), at + 16);
  return out;
}

/** DOS date and time fields from the UTC fields of `date` (zip stores local time of no stated zone). */
export function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = date.getUTCFullYear();
  return {
    dosTime: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    dosDate: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
