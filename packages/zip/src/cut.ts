// The entry a file cut short ends in: its local header says what it is, and the bytes of its data before
// the cut inflate to the start of the file it held. Nothing of it can be checked (its CRC-32 is of the
// whole), so it is never listed as an entry: a caller that asks for it (the rows of a table up to the cut)
// gets its bytes as far as they go, capped as any entry's are, and must treat them as what they are.
import { u16 } from './central.js';
import { type Problem, problem } from './errors.js';
import { DESCRIPTOR_FLAG, ENCRYPTED_FLAGS, MAX32 } from './format.js';
import { RawInflate } from './inflate.js';
import { EntryMeter, type TotalMeter } from './meter.js';
import { checkName, decodeName, UNICODE_PATH_FIELD } from './names.js';
import type { ZipLimits } from './options.js';
import { type CutHeader, extraFieldOf, localSizes } from './salvage.js';

/** The entry the end of a file cut short falls in, as its local header describes it. */
export interface ZipCutEntry {
  /** Its name, decoded and checked as a listed entry's is. */
  name: string;
  /** Where its local header starts. */
  offset: number;
  /** 0 stored, 8 deflate (another method or encryption: its bytes cannot be read, see `openCutEntry`). */
  method: number;
  /** Bytes of its compressed data the file holds, before the cut. */
  heldBytes: number;
  /**
   * Its sizes as its local header gives them: the whole entry's, of which `heldBytes` were downloaded.
   * Undefined when the header leaves them to a data descriptor after the data (a streaming writer's).
   */
  compressedSize: number | undefined;
  uncompressedSize: number | undefined;
}

/** The longest data descriptor (signature, CRC-32, zip64 sizes): what may follow stored data of unknown length. */
const DESCRIPTOR_MAX = 24;

/** What the end of the file cuts, from its local header; undefined when its name is no safe name. */
export function cutEntryOf(header: CutHeader, offset: number, size: number): ZipCutEntry | undefined {
  const flags = u16(header.fixed, 6);
  const decoded = decodeName(header.name, flags, extraFieldOf(header.extra, UNICODE_PATH_FIELD));
  if (!decoded.ok) return undefined;
  const checked = checkName(decoded.name);
  if (!checked.ok || checked.name === '' || checked.name.endsWith('/')) return undefined;
  const deferred = (flags & DESCRIPTOR_FLAG) !== 0;
  const sizes = localSizes(header.fixed, header.extra);
  // A descriptor's zeros (or 0xFFFFFFFF without a zip64 field) are no sizes.
  const known = sizes !== undefined && !(deferred && sizes.compressed === 0) ? sizes : undefined;
  const method = u16(header.fixed, 8);
  let held = size - header.data;
  if (known !== undefined) held = Math.min(held, known.compressed);
  // Stored data of unknown length may end in the start of its data descriptor: those bytes are no data.
  else if (method === 0 && deferred) held = Math.max(0, held - DESCRIPTOR_MAX);
  return {
    name: checked.name,
    offset,
    method,
    heldBytes: Math.max(0, held),
    compressedSize: known?.compressed,
    uncompressedSize: known === undefined || known.uncompressed === MAX32 ? undefined : known.uncompressed,
  };
}

/** Why a cut entry's bytes cannot be read at all, or undefined. */
export function unreadableCut(header: CutHeader): Problem | undefined {
  const flags = u16(header.fixed, 6);
  const method = u16(header.fixed, 8);
  if ((flags & ENCRYPTED_FLAGS) !== 0)
    return problem('ZIP_ENCRYPTED', 'The entry the file is cut in is encrypted', 'Download it again.');
  if (method !== 0 && method !== 8) {
    return problem(
      'ZIP_UNSUPPORTED_METHOD',
      `The entry the file is cut in is compressed with method ${method}: only its whole bytes could be read`,
      'Download it again.',
    );
  }
  return undefined;
}

/** How much of the file is read, and inflated, at a time. */
const PIECE = 256 * 1024;

/**
 * The bytes of the cut entry's data the file holds, inflated as far as they go: its start, up to the cut
 * (or to where its deflate data ends, when the cut falls in the data descriptor after it). Capped as an
 * entry's reading is; a Problem is thrown when a cap is passed or the data is damaged.
 */
export async function* cutBytes(
  read: (start: number, length: number) => Promise<Buffer>,
  header: CutHeader,
  cut: ZipCutEntry,
  caps: { limits: ZipLimits; total: TotalMeter; key: object },
): AsyncGenerator<Buffer, void, undefined> {
  const meter = new EntryMeter({
    entry: caps.key,
    expectedBytes: Number.POSITIVE_INFINITY,
    sizeIsCertain: false,
    crc32: undefined,
    caps: { limits: caps.limits, compressedSize: cut.heldBytes, total: caps.total },
  });
  const end = header.data + cut.heldBytes;
  if (cut.method === 0) {
    for (let at = header.data; at < end; ) {
      const piece = Buffer.from(await read(at, Math.min(PIECE, end - at)));
      const found = meter.push(piece);
      if (found) throw found;
      yield piece;
      at += piece.length;
    }
    return;
  }
  const inflate = RawInflate.create();
  if (inflate === undefined) throw damaged('this Node.js cannot inflate it a piece at a time');
  try {
    for (let at = header.data; at < end; ) {
      const input = await read(at, Math.min(PIECE, end - at));
      let taken = 0;
      for (;;) {
        const out = Buffer.allocUnsafe(PIECE);
        let full: boolean;
        try {
          full = inflate.write(input, taken, out, 0, false);
        } catch (error) {
          throw damaged((error as Error).message);
        }
        taken += inflate.read;
        if (inflate.written > 0) {
          const piece = out.subarray(0, inflate.written);
          const found = meter.push(piece);
          if (found) throw found;
          yield piece;
        }
        if (full) continue;
        // Room left and input not all taken: the deflate data ended (the cut is after it).
        if (taken < input.length) return;
        break;
      }
      if (taken === 0) return;
      at += taken;
    }
  } finally {
    inflate.close();
  }
}

const damaged = (why: string): Problem =>
  problem(
    'ZIP_CORRUPT',
    `Compressed data of the entry the file is cut in is damaged (${why})`,
    'Download it again.',
  );
