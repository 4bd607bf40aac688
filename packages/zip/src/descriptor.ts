// A stored entry whose local header leaves its sizes to a data descriptor after the data (flag bit 3) has no
// length a reader streaming the archive can know: libarchive (bsdtar reading a pipe) ends its data at the
// first data-descriptor signature followed by the CRC-32 of the bytes before it. Data holding such a
// descriptor is one file to the readers of the central directory (Info-ZIP, CPython, 7-Zip) and its first
// bytes to bsdtar, each without an error: this finds one, as the data streams past.
import { crc32 } from 'node:zlib';
import { u32 } from './central.js';

const MARK = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** A descriptor's signature and CRC-32: what a streaming reader matches it by. */
const HEAD = 8;
/** Bytes at the end of a piece that a descriptor may start in, its CRC-32 in the next piece. */
const KEEP = HEAD - 1;

export class DescriptorSearch {
  /** Where in the data the first descriptor that fits starts, or -1. */
  found = -1;
  /** Data bytes pushed so far. */
  private bytes = 0;
  /** The last bytes pushed (up to KEEP), and the CRC-32 of the data before them. */
  private readonly held = Buffer.alloc(2 * KEEP);
  private heldLength = 0;
  private heldCrc = 0;

  /**
   * Takes the next piece of data; `crc` is the CRC-32 of the data before it. Answers the CRC-32 with the
   * piece: computed once, a stretch between two signatures at a time, so a piece full of signatures costs
   * no more than one without.
   */
  push(chunk: Uint8Array, crc: number): number {
    const start = this.bytes;
    this.bytes += chunk.length;
    if (this.found >= 0) return crc32(chunk, crc);
    const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.heldLength > 0) this.searchHeld(piece, start);
    let at = 0;
    let before = crc;
    for (let i = piece.indexOf(MARK); i >= 0 && i + HEAD <= piece.length; i = piece.indexOf(MARK, i + 1)) {
      before = crc32(piece.subarray(at, i), before);
      at = i;
      if (this.found < 0 && u32(piece, i + 4) === before) this.found = start + i;
    }
    return this.keep(piece, at, before, crc);
  }

  /** Descriptors starting in the held bytes, whose CRC-32 this piece completes. */
  private searchHeld(piece: Buffer, start: number): void {
    const joint = this.held;
    const held = this.heldLength;
    const length = held + piece.copy(joint, held, 0, KEEP);
    for (
      let i = joint.indexOf(MARK);
      i >= 0 && i < held && i + HEAD <= length;
      i = joint.indexOf(MARK, i + 1)
    ) {
      if (u32(joint, i + 4) === crc32(joint.subarray(0, i), this.heldCrc)) {
        this.found = start - held + i;
        return;
      }
    }
  }

  /**
   * Keeps the piece's last bytes for the next one; `at` is where the CRC-32 `before` reaches in the piece
   * (`crc` the one before the piece). Answers the CRC-32 with the piece.
   */
  private keep(piece: Buffer, at: number, before: number, crc: number): number {
    if (piece.length >= KEEP) {
      const cut = piece.length - KEEP;
      this.heldCrc = crc32(piece.subarray(at, cut), before);
      piece.copy(this.held, 0, cut);
      this.heldLength = KEEP;
      return crc32(this.held.subarray(0, KEEP), this.heldCrc);
    }
    // A piece shorter than what is held: the held bytes and it, less those now too far from the end.
    const joint = this.held;
    const length = this.heldLength + piece.copy(joint, this.heldLength);
    const drop = Math.max(0, length - KEEP);
    this.heldCrc = crc32(joint.subarray(0, drop), this.heldCrc);
    joint.copy(joint, 0, drop, length);
    this.heldLength = length - drop;
    return crc32(piece, crc);
  }
}
