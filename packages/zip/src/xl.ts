// The 'xl' extra field (0x6c78), an experimental field of libarchive's: the "version made by" and external
// attributes of the central record, repeated in the local header for readers that stream the archive.
// libarchive (bsdtar, and the tar of macOS and Windows) takes an entry's file type from it, in the local
// header and in the central record alike, over the external attributes: a file that Info-ZIP, CPython and
// 7-Zip extract as a file (and this package reads as one) was a symbolic link to /etc/passwd, or a folder,
// to bsdtar. No writer in use writes the field (libarchive's own does not).
import { u16, u32 } from './central.js';

const XL_FIELD = 0x6c78;
const S_IFMT = 0o170000;
const REGULAR = 0o100000;
const FOLDER = 0o040000;
const FIFO = 0o010000;
const UNIX = 3;
const MSDOS = 0;

/**
 * The file type libarchive gives an entry from the 'xl' fields among the extra fields [start, end) of
 * `bytes`, read as it reads them (every such field in turn, each made-by changing the host the attributes
 * after it are read for), or -1 when none gives external attributes. `host`: the host before the fields
 * (the central record's "made by", the local header's "version needed"); `folderName`: the name ends
 * with '/', which makes any entry a folder to libarchive.
 */
export function xlType(
  bytes: Uint8Array,
  start: number,
  end: number,
  host: number,
  folderName: boolean,
): number {
  let mode = -1;
  let system = host;
  for (let at = start; at + 4 <= end; ) {
    const length = u16(bytes, at + 2);
    const data = at + 4;
    if (data + length > end) break;
    if (u16(bytes, at) === XL_FIELD && length > 0) {
      const read = xlField(bytes, data, data + length, system);
      system = read.system;
      if (read.mode >= 0) mode = read.mode;
    }
    at = data + length;
  }
  if (mode < 0) return -1;
  const type = mode & S_IFMT;
  // As libarchive settles the type once the local header is read.
  if (folderName) return FOLDER;
  return type === 0 || type === FIFO ? REGULAR : type;
}

/** One 'xl' field: a bitmap (7 bits a byte while the top one is set), then the parts it names. */
function xlField(
  bytes: Uint8Array,
  from: number,
  end: number,
  host: number,
): { system: number; mode: number } {
  const bitmap = bytes[from]!;
  let at = from + 1;
  for (let last = bitmap; (last & 0x80) !== 0 && at < end; at += 1) last = bytes[at]!;
  let system = host;
  let mode = -1;
  if ((bitmap & 1) !== 0) {
    if (at + 2 > end) return { system, mode };
    system = bytes[at + 1]!;
    at += 2;
  }
  if ((bitmap & 2) !== 0) {
    if (at + 2 > end) return { system, mode };
    at += 2;
  }
  if ((bitmap & 4) !== 0 && at + 4 <= end) {
    const attributes = u32(bytes, at);
    if (system === UNIX) mode = attributes >>> 16;
    else if (system === MSDOS) mode = (attributes & 0x10) !== 0 ? FOLDER : REGULAR;
    else mode = 0;
  }
  return { system, mode };
}

export { FOLDER as XL_FOLDER, REGULAR as XL_REGULAR };
