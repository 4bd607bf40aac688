// A zip cut short (a download that stopped: its central directory and end record are gone) still holds
// every entry before the cut, each after its local header. They are listed here as Info-ZIP `zip -FF` and
// 7-Zip find them: walking the local headers from the start of the file, an entry kept when its sizes are
// known (in its local header, or after its data in a data descriptor that the data is checked against) and
// its data is whole; the walk stops at the entry the end of the file cuts, or at the first bytes that are
// not a local header. What it finds is written as the central directory the file lost, so the entries are
// read, checked and capped as those of any archive (see openZip).
import { crc32 } from 'node:zlib';
import { u16, u32 } from './central.js';
import { DescriptorSearch } from './descriptor.js';
import {
  CENTRAL_SIGNATURE as CENTRAL,
  DESCRIPTOR_SIGNATURE as DESCRIPTOR,
  DESCRIPTOR_FLAG,
  LOCAL_SIGNATURE as LOCAL,
  LOCAL_SIZE,
  MAX32,
  RECORD_SIZE,
  ZIP64_FIELD,
} from './format.js';
import { RawInflate } from './inflate.js';
import type { ZipLimits } from './options.js';

/** How much of an entry's data is read at a time when its end must be found by reading it. */
const PIECE = 256 * 1024;

export interface SalvageFile {
  size: number;
  /** Exactly `length` bytes at `start` (the caller keeps within the file). */
  read(start: number, length: number): Promise<Buffer>;
}

export interface Salvage {
  /** Central-directory records of the whole entries, in file order, as the lost directory would hold them. */
  directory: Buffer;
  /** The whole entries found. */
  count: number;
  /** Where the last whole entry (with its data descriptor) ends: 0 when there is none. */
  end: number;
  /** Where the entry cut by the end of the file starts, when the walk stopped at one. */
  cut: number | undefined;
  /** That entry's local header, when the file holds it whole: what its data is and where it starts. */
  cutHeader: CutHeader | undefined;
  /**
   * The walk ended at the central directory (its first bytes, or as much of them as the file holds): the
   * entries are all there, the file cut in the directory after them.
   */
  atDirectory: boolean;
}

/** The local header of the entry the end of the file cuts, read whole. */
export interface CutHeader {
  /** The header's 30 fixed bytes. */
  fixed: Buffer;
  name: Buffer;
  extra: Buffer;
  /** Where its data starts. */
  data: number;
}

/** What a local entry's data holds, once its end is found. */
interface Found {
  crc: number;
  compressed: number;
  uncompressed: number;
  /** Where the entry ends, its data descriptor included. */
  next: number;
}

/** The walk cannot go on: the end of the file cuts the entry (CUT), or its bytes are no entry (STOP). */
const CUT = 'cut';
const STOP = 'stop';
type Outcome = Found | typeof CUT | typeof STOP;

/**
 * Lists the whole entries of a file that starts with local headers, from the start. `until`: stop once an
 * entry reaching past this byte is found (whole or cut), for a caller that only asks what holds it.
 */
export async function salvageEntries(
  file: SalvageFile,
  limits: ZipLimits,
  until = Number.POSITIVE_INFINITY,
): Promise<Salvage> {
  const records = new RecordWriter();
  // What inflating entries to find their ends may produce in all, as the archive's caps bound a reading.
  const budget = {
    left: Math.min(
      limits.maxTotalBytes,
      Math.max(limits.ratioMinBytes, Math.max(limits.maxArchiveRatio, limits.maxRatio) * file.size),
    ),
  };
  let at = 0;
  let end = 0;
  let cut: number | undefined;
  let cutHeader: CutHeader | undefined;
  let atDirectory = false;
  while (at < until) {
    if (at + LOCAL_SIZE > file.size) {
      // A header the end of the file cuts: as far as it goes, it is one.
      const rest = at < file.size ? await file.read(at, file.size - at) : undefined;
      if (rest !== undefined && isStartOf(LOCAL, rest)) cut = at;
      else if (rest !== undefined && isStartOf(CENTRAL, rest)) atDirectory = true;
      break;
    }
    const header = await file.read(at, LOCAL_SIZE);
    if (u32(header, 0) !== LOCAL) {
      atDirectory = u32(header, 0) === CENTRAL;
      break;
    }
    const nameLength = u16(header, 26);
    const extraLength = u16(header, 28);
    const data = at + LOCAL_SIZE + nameLength + extraLength;
    if (data > file.size) {
      cut = at;
      break;
    }
    const fixed = Buffer.from(header);
    const nameExtra = Buffer.from(await file.read(at + LOCAL_SIZE, nameLength + extraLength));
    const found = await dataEnd(file, fixed, nameExtra.subarray(nameLength), data, limits, budget);
    if (found === CUT) {
      cut = at;
      cutHeader = {
        fixed,
        name: nameExtra.subarray(0, nameLength),
        extra: nameExtra.subarray(nameLength),
        data,
      };
    }
    if (typeof found === 'string') break;
    records.add(fixed, nameExtra, nameLength, found, at);
    end = found.next;
    at = found.next;
  }
  return { directory: records.done(), count: records.count, end, cut, cutHeader, atDirectory };
}

/** Whether `bytes`, the last of the file, start as a record of this signature does. */
function isStartOf(signature: number, bytes: Buffer): boolean {
  const start = Buffer.alloc(4);
  start.writeUInt32LE(signature);
  return bytes.length > 0 && start.subarray(0, bytes.length).equals(bytes.subarray(0, 4));
}

/** Where an entry's data (and descriptor) ends, and its values; CUT or STOP when that cannot be told. */
async function dataEnd(
  file: SalvageFile,
  header: Buffer,
  extra: Buffer,
  data: number,
  limits: ZipLimits,
  budget: { left: number },
): Promise<Outcome> {
  const flags = u16(header, 6);
  const method = u16(header, 8);
  const sizes = localSizes(header, extra);
  if (sizes === undefined) return STOP;
  if ((flags & DESCRIPTOR_FLAG) === 0) {
    const next = data + sizes.compressed;
    if (next > file.size) return CUT;
    return { crc: u32(header, 14), ...sizes, next };
  }
  // The values follow the data: its length from the local header when it gives one (the descriptor must
  // then agree), else by inflating to the end of the deflate stream, or for stored data up to the first
  // descriptor whose CRC-32 is that of the bytes before it (where a streaming reader ends it too).
  let read: { compressed: number; crc?: number; uncompressed?: number } | typeof CUT | typeof STOP;
  if (sizes.compressed > 0) {
    if (data + sizes.compressed > file.size) return CUT;
    read = { compressed: sizes.compressed };
  } else if (method === 8) read = await inflatedEnd(file, data, limits, budget);
  else if (method === 0) read = await storedEnd(file, data);
  else return STOP;
  if (typeof read === 'string') return read;
  return descriptorAfter(file, data + read.compressed, read);
}

/** The local header's sizes (from its zip64 field when they are 0xFFFFFFFF), undefined when it lacks them. */
export function localSizes(
  header: Buffer,
  extra: Buffer,
): { compressed: number; uncompressed: number } | undefined {
  let compressed = u32(header, 18);
  let uncompressed = u32(header, 22);
  if (compressed !== MAX32 && uncompressed !== MAX32) return { compressed, uncompressed };
  const field = extraFieldOf(extra, ZIP64_FIELD);
  let at = 0;
  const next = (): number | undefined => {
    if (field === undefined || at + 8 > field.length) return undefined;
    const value = field.readBigUInt64LE(at);
    at += 8;
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(value);
  };
  // The local zip64 field holds the uncompressed size, then the compressed one (APPNOTE 4.5.3).
  const u = uncompressed === MAX32 ? next() : uncompressed;
  const c = compressed === MAX32 ? next() : compressed;
  if (u === undefined || c === undefined) return undefined;
  compressed = c;
  uncompressed = u;
  return { compressed, uncompressed };
}

export function extraFieldOf(extra: Buffer, id: number): Buffer | undefined {
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = u16(extra, at + 2);
    if (at + 4 + length > extra.length) return undefined;
    if (u16(extra, at) === id) return extra.subarray(at + 4, at + 4 + length);
    at += 4 + length;
  }
  return undefined;
}

/**
 * Deflate data of unknown length, inflated (the bytes counted and checked, not kept) to where its stream
 * ends: the compressed length, CRC-32 and size. Data inflating past the caps (the entry's, or the
 * archive's for all entries inflated so: `budget`) is no entry the walk goes through (the reading would
 * refuse it): the walk stops there.
 */
async function inflatedEnd(
  file: SalvageFile,
  data: number,
  limits: ZipLimits,
  budget: { left: number },
): Promise<{ compressed: number; crc: number; uncompressed: number } | typeof CUT | typeof STOP> {
  const inflate = RawInflate.create();
  if (inflate === undefined) return STOP;
  const out = Buffer.allocUnsafe(PIECE);
  let crc = 0;
  let uncompressed = 0;
  let at = data;
  try {
    while (at < file.size) {
      const input = await file.read(at, Math.min(PIECE, file.size - at));
      let taken = 0;
      for (;;) {
        const full = inflate.write(input, taken, out, 0, false);
        taken += inflate.read;
        crc = crc32(out.subarray(0, inflate.written), crc);
        uncompressed += inflate.written;
        budget.left -= inflate.written;
        const compressed = at + taken - data;
        if (
          budget.left < 0 ||
          uncompressed > limits.maxEntryBytes ||
          (uncompressed > limits.ratioMinBytes && uncompressed > limits.maxRatio * compressed)
        )
          return STOP;
        if (full) continue;
        // Output room left and input not all taken: the deflate stream ended.
        if (taken < input.length) return { compressed, crc, uncompressed };
        // All taken: more input is needed, unless the stream ended with it (the next write takes nothing).
        break;
      }
      if (taken === 0) return { compressed: at - data, crc, uncompressed };
      at += taken;
    }
    // The end of the file, the stream still open; or it ended with the file's last byte, no descriptor after.
    return CUT;
  } catch {
    return STOP;
  } finally {
    inflate.close();
  }
}

/** Stored data of unknown length: up to the first data descriptor whose CRC-32 is that of the bytes before it. */
async function storedEnd(
  file: SalvageFile,
  data: number,
): Promise<{ compressed: number; crc: number; uncompressed: number } | typeof CUT> {
  const search = new DescriptorSearch();
  let crc = 0;
  for (let at = data; at < file.size; ) {
    const piece = await file.read(at, Math.min(PIECE, file.size - at));
    crc = search.push(piece, crc);
    if (search.found >= 0) {
      const before = await file.read(data + search.found + 4, 4);
      return { compressed: search.found, crc: u32(before, 0), uncompressed: search.found };
    }
    at += piece.length;
  }
  return CUT;
}

/**
 * The data descriptor at `at` (with or without its signature; sizes of 4 or, zip64, 8 bytes), which must
 * say the compressed length found, and the CRC-32 and size when they were found by reading the data.
 */
async function descriptorAfter(
  file: SalvageFile,
  at: number,
  known: { compressed: number; crc?: number; uncompressed?: number },
): Promise<Outcome> {
  const have = Math.min(24, file.size - at);
  if (have < 12) return CUT;
  const d = Buffer.from(await file.read(at, have));
  const signed = u32(d, 0) === DESCRIPTOR ? 4 : 0;
  for (const wide of [false, true]) {
    const length = signed + 4 + (wide ? 16 : 8);
    if (length > have) {
      // The descriptor's form fits no more than what is left of the file: cut, if nothing shorter fitted.
      if (!wide || signed > 0 || have < 20) return CUT;
      continue;
    }
    const crc = u32(d, signed);
    const compressed = wide ? Number(d.readBigUInt64LE(signed + 4)) : u32(d, signed + 4);
    const uncompressed = wide ? Number(d.readBigUInt64LE(signed + 12)) : u32(d, signed + 8);
    if (compressed !== known.compressed) continue;
    if (known.crc !== undefined && crc !== known.crc) continue;
    if (known.uncompressed !== undefined && uncompressed !== known.uncompressed) continue;
    return { crc, compressed, uncompressed, next: at + length };
  }
  return STOP;
}

/** Central-directory records written one after another into a buffer that grows. */
class RecordWriter {
  count = 0;
  private bytes = Buffer.alloc(64 * 1024);
  private length = 0;

  add(header: Buffer, nameExtra: Buffer, nameLength: number, found: Found, offset: number): void {
    const name = nameExtra.subarray(0, nameLength);
    // The local extra fields go along (Unicode Path, times, 'xl'), but for a zip64 field written anew.
    let extra = withoutField(nameExtra.subarray(nameLength), ZIP64_FIELD);
    const wide = [found.uncompressed, found.compressed, offset].filter((v) => v >= MAX32);
    const zip64 = Buffer.alloc(wide.length === 0 ? 0 : 4 + 8 * wide.length);
    if (wide.length > 0) {
      zip64.writeUInt16LE(ZIP64_FIELD, 0);
      zip64.writeUInt16LE(8 * wide.length, 2);
      for (const [i, value] of wide.entries()) zip64.writeBigUInt64LE(BigInt(value), 4 + 8 * i);
    }
    if (extra.length + zip64.length > 0xffff) extra = Buffer.alloc(0);
    const size = RECORD_SIZE + name.length + extra.length + zip64.length;
    this.room(size);
    const r = this.bytes.subarray(this.length, this.length + size);
    r.fill(0, 0, RECORD_SIZE);
    r.writeUInt32LE(0x02014b50, 0);
    // Made by the version the header needs, on MS-DOS: no Unix mode is known, so none is read.
    r.writeUInt16LE(u16(header, 4) & 0xff, 4);
    header.copy(r, 6, 4, 16); // version needed, flags, method, time, date
    r.writeUInt32LE(found.crc >>> 0, 16);
    r.writeUInt32LE(Math.min(found.compressed, MAX32), 20);
    r.writeUInt32LE(Math.min(found.uncompressed, MAX32), 24);
    r.writeUInt16LE(name.length, 28);
    r.writeUInt16LE(extra.length + zip64.length, 30);
    r.writeUInt32LE(Math.min(offset, MAX32), 42);
    name.copy(r, RECORD_SIZE);
    extra.copy(r, RECORD_SIZE + name.length);
    zip64.copy(r, RECORD_SIZE + name.length + extra.length);
    this.length += size;
    this.count += 1;
  }

  done(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  private room(size: number): void {
    if (this.length + size <= this.bytes.length) return;
    const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.length + size));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

/** The extra fields but those with this id. */
function withoutField(extra: Buffer, id: number): Buffer {
  const kept: Buffer[] = [];
  for (let at = 0; at + 4 <= extra.length; ) {
    const length = u16(extra, at + 2);
    const end = Math.min(extra.length, at + 4 + length);
    if (u16(extra, at) !== id) kept.push(extra.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}
