// The local header's CRC-32 and sizes against the central record's. A reader that goes by the local headers
// (Info-ZIP unzip for the CRC-32, streaming readers for everything) reads another file than one that goes
// by the directory when they disagree; 7-Zip and libarchive refuse such entries.
//
// An entry with a data descriptor (flag bit 3) has its values after the data, and zeros in the local header:
// a zero there says nothing. A size that is not zero is still read: bsdtar (from a pipe, and from a file too,
// after a warning) reads a stored entry by it, so a local header of bit 3 and 7 bytes before a data
// descriptor that stood inside the data extracted "evil=1" where Info-ZIP, CPython and 7-Zip read 44 bytes,
// each tool without an error.

import { DESCRIPTOR_FLAG, MAX32, ZIP64_FIELD } from './format.js';

/** What the central record says of an entry, as the local header must say it too. */
export interface CentralValues {
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

/** Whether the local header's sizes point into its zip64 field, which must then be read to compare them. */
export const needsZip64Field = (header: Buffer): boolean =>
  header.readUInt32LE(18) === MAX32 || header.readUInt32LE(22) === MAX32;

/**
 * What the 30-byte local header `header` says otherwise than the central record, in words, or undefined.
 * An entry with a data descriptor (flag bit 3) holds its values after the data: its local CRC-32 is not
 * compared (Info-ZIP unzip takes the central one), nor a size of 0, the "not known yet" every such writer
 * puts there (Info-ZIP `zip -fd` and bsdtar write the uncompressed size, which must then agree). `extra`:
 * the local extra field, needed only when `needsZip64Field(header)`; a size left at 0xFFFFFFFF with no
 * zip64 value for it is not compared (the data is found by the central sizes).
 */
export function localMismatch(header: Buffer, central: CentralValues, extra?: Buffer): string | undefined {
  const deferred = (header.readUInt16LE(6) & DESCRIPTOR_FLAG) !== 0;
  const crc = header.readUInt32LE(14);
  if (!deferred && crc !== central.crc32 >>> 0)
    return `CRC-32 (${hex(crc)} in the local header, ${hex(central.crc32)} in the central directory)`;
  let compressed: number | undefined = header.readUInt32LE(18);
  let uncompressed: number | undefined = header.readUInt32LE(22);
  if (compressed === MAX32 || uncompressed === MAX32) {
    // The local zip64 field holds the uncompressed size, then the compressed one (APPNOTE 4.5.3).
    const zip64 = extra === undefined ? undefined : zip64Field(extra);
    let at = 0;
    const next = (): number | undefined => {
      if (zip64 === undefined || at + 8 > zip64.length) return undefined;
      const value = Number(zip64.readBigUInt64LE(at));
      at += 8;
      return value;
    };
    if (uncompressed === MAX32) uncompressed = next();
    if (compressed === MAX32) compressed = next();
  }
  // CPython writing to a stream leaves zeros in the zip64 field of such an entry too.
  if (deferred && compressed === 0) compressed = undefined;
  if (deferred && uncompressed === 0) uncompressed = undefined;
  if (compressed !== undefined && compressed !== central.compressedSize) {
    return `compressed size (${compressed} bytes in the local header, ${central.compressedSize} in the central directory)`;
  }
  if (uncompressed !== undefined && uncompressed !== central.uncompressedSize) {
    return `size (${uncompressed} bytes in the local header, ${central.uncompressedSize} in the central directory)`;
  }
  return undefined;
}

function zip64Field(extra: Buffer): Buffer | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = extra.readUInt16LE(at + 2);
    if (at + 4 + length > extra.length) return undefined;
    if (extra.readUInt16LE(at) === ZIP64_FIELD) return extra.subarray(at + 4, at + 4 + length);
    at += 4 + length;
  }
  return undefined;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
