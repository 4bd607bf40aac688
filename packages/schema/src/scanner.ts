/**
 * A byte-level RFC 4180 record scanner: push bytes, get records as byte ranges. It keeps only the record
 * in progress, resumes where it stopped (a record split over many chunks is scanned once), and knows the
 * byte offset and physical line of every record. Record ends: LF, CRLF or a lone CR; inside quoted fields
 * each of them counts as a line too, as editors and Python's `csv` count them. Quoted fields jump from
 * quote to quote with `indexOf`, which is what makes long free-text fields cheap.
 */

import { isUtf8 } from 'node:buffer';
import { everyByte, hasBelow, hasByte, TOP_BITS } from './words.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const COMMAS = everyByte(COMMA);
const QUOTES = everyByte(QUOTE);
/** Bytes below it: line breaks, and tabs and other control bytes, which the byte loop then reads. */
const BREAKS = everyByte(0x0e);
/** Whether none of four bytes (a little-endian word) can end a cell or be a quote (see words.ts). */
const plainBytes = (w: number): boolean =>
  ((hasBelow(w, BREAKS) | hasByte(w, COMMAS) | hasByte(w, QUOTES)) & TOP_BITS) === 0;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

/** A finished record; its ranges index into `buf` and are valid only during the callback. */
export interface ScannedRecord {
  readonly buf: Buffer;
  /** Range of the record's text, without its line ending. */
  readonly start: number;
  readonly end: number;
  /** Absolute byte offset of the record start in the input. */
  readonly offset: number;
  /** 1-based physical line where the record starts. */
  readonly line: number;
  readonly count: number;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Per field: quoted with doubled quotes inside, so `""` must become `"`. */
  readonly escaped: readonly boolean[];
  /** Text after a closing quote (`"a"b`). */
  readonly invalidQuote: boolean;
  /** A quote inside an unquoted field (`5" screen`), kept as text. */
  readonly bareQuote: boolean;
  /** The input ended inside a quoted field. */
  readonly unclosed: boolean;
  /** The record's bytes are known to be valid UTF-8 (checked with the lines around it); else check them. */
  readonly utf8: boolean;
}

export class RecordTooLarge extends Error {
  constructor(
    readonly offset: number,
    readonly line: number,
    readonly bytes: number,
    /** The limit was passed inside a quoted field still open (else on a line or a record that is that long). */
    readonly quoted: boolean,
  ) {
    super('record too large');
  }
}

/**
 * Buffers a scanner takes for a record that spans chunks, in sizes of powers of two from 64 KB to 1 MB, and
 * those given back by scanners with no record pending, for the next one on this thread: a worker decoding
 * slice after slice took a fresh one per slice (inspect of a 400,000-candidate export: the worker's malloc
 * arena 18 -> 16 MB), and a record spanning two 64 KB chunks took a fresh 128 KB one (convert: 250 a
 * gigabyte, which fragmented the heap glibc carves them from; peak memory grew with the export).
 */
const SPARE_MIN = 65536;
const SPARE_MAX = 1024 * 1024;
const MAX_SPARES = 4;
const spares = new Map<number, Buffer[]>();

function takeBuffer(size: number): Buffer {
  if (size > SPARE_MAX) return Buffer.allocUnsafe(size);
  let rounded = SPARE_MIN;
  while (rounded < size) rounded *= 2;
  return spares.get(rounded)?.pop() ?? Buffer.allocUnsafeSlow(rounded);
}

function giveBack(buffer: Buffer): void {
  const size = buffer.length;
  if (size < SPARE_MIN || size > SPARE_MAX || (size & (size - 1)) !== 0) return;
  let kept = spares.get(size);
  if (kept === undefined) spares.set(size, (kept = []));
  if (kept.length < MAX_SPARES) kept.push(buffer);
}

export class Scanner {
  private buf: Buffer = Buffer.alloc(0);
  private len = 0;
  /** Whether `buf` is ours (else it is the caller's chunk and must be copied before we keep any of it). */
  private owned = false;
  /** Absolute input offset of `buf[0]`. */
  private base = 0;
  private recStart = 0;
  private pos = 0;
  private state = FIELD_START;
  private fieldStart = 0;
  private fieldEscaped = false;
  private sawQuoted = false;
  private invalid = false;
  private bare = false;
  private line = 1;
  private skipLF = false;
  private bomChecked = false;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly escaped: boolean[] = [];
  private count = 0;
  /**
   * `buf[0, utf8End)` holds whole lines known to be valid UTF-8 (see `checkUtf8`), as far as they are in
   * the record in progress or after it.
   */
  private utf8End = 0;
  /**
   * `buf[0, searched)` was searched for line breaks by `checkUtf8`: a record spanning many chunks is not
   * searched again at every chunk (a field of megabytes without line breaks in chunks of a few KB: each
   * search ran back over the whole record, quadratic).
   */
  private searched = 0;
  private readonly lf = new ByteFinder(LF);
  private readonly cr = new ByteFinder(CR);

  constructor(
    private readonly maxRecordBytes: number,
    private readonly onRecord: (record: ScannedRecord) => void,
    /** Carry on mid-input at a record start: no BOM is looked for there. */
    start?: { offset: number; line: number },
  ) {
    if (start) {
      this.base = start.offset;
      this.line = start.line;
      this.bomChecked = true;
    }
  }

  /** Where the next record starts, when the bytes so far end exactly between records; else undefined. */
  get next(): { offset: number; line: number } | undefined {
    if (this.recStart !== this.len || this.state !== FIELD_START || this.count !== 0 || this.skipLF)
      return undefined;
    if (!this.bomChecked) return undefined;
    return { offset: this.base + this.len, line: this.line };
  }

  /**
   * The record still in progress (its line not ended), as bytes valid until the next `push` or `end`:
   * what the last line holds before the input ends; undefined when none is pending.
   */
  get pending(): { bytes: Buffer; offset: number; line: number } | undefined {
    if (this.recStart >= this.len) return undefined;
    const bytes = this.buf.subarray(this.recStart, this.len);
    return { bytes, offset: this.base + this.recStart, line: this.line };
  }

  /** Leaves out the record in progress: its caller has dealt with it whole (see `pending`). */
  dropPending(): void {
    this.resetRecord(this.len);
  }

  /** Total bytes seen so far. */
  get bytes(): number {
    return this.base + this.len;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.recStart === this.len) {
      // Nothing pending: scan the caller's chunk in place.
      this.base += this.len;
      this.buf = view;
      this.len = view.length;
      this.owned = false;
      this.utf8End = 0;
      this.searched = 0;
      this.pos -= this.recStart;
      this.fieldStart -= this.recStart;
      this.recStart = 0;
    } else {
      this.append(view);
    }
    this.scan(false);
    this.keepPending();
  }

  end(): void {
    this.scan(true);
    this.release();
  }

  /**
   * Gives the scanner's own buffer to the next scanner on this thread. Records' ranges are valid only
   * during their callback, so nothing refers to it once no record is pending in it.
   */
  private release(): void {
    if (!this.owned) return;
    giveBack(this.buf);
    this.buf = Buffer.alloc(0);
    this.owned = false;
    this.utf8End = 0;
    this.searched = 0;
  }

  private append(view: Buffer): void {
    if (!this.owned || this.len + view.length > this.buf.length) {
      // Move the pending record to the front, in place while it takes at most half the buffer: each byte
      // is then moved a bounded number of times however many chunks a long record spans, and a buffer is
      // taken anew only when a record outgrows it (not at every other chunk, as when the room for the
      // chunk counted too: ~800 MB of short-lived buffers per 800 MB table in a worker).
      const pending = this.len - this.recStart;
      const need = pending + view.length;
      const grow = !this.owned || need > this.buf.length || pending * 2 > this.buf.length;
      const target = grow ? takeBuffer(need * 2) : this.buf;
      this.buf.copy(target, 0, this.recStart, this.len);
      this.shift(this.recStart);
      if (target !== this.buf && this.owned) giveBack(this.buf);
      this.buf = target;
      this.owned = true;
    }
    view.copy(this.buf, this.len);
    this.len += view.length;
  }

  /** After a push, keep the record in progress in our own buffer (the caller may reuse its chunk). */
  private keepPending(): void {
    // Nothing pending (as at the end of a slice): our buffer is free for the next scanner.
    if (this.recStart === this.len) {
      this.release();
      return;
    }
    if (this.owned) return;
    const pending = this.len - this.recStart;
    const target = takeBuffer(pending * 2);
    this.buf.copy(target, 0, this.recStart, this.len);
    this.shift(this.recStart);
    this.buf = target;
    this.owned = true;
  }

  private shift(by: number): void {
    if (by === 0) return;
    this.base += by;
    this.len -= by;
    this.utf8End = Math.max(0, this.utf8End - by);
    this.searched = Math.max(0, this.searched - by);
    this.recStart -= by;
    this.pos -= by;
    this.fieldStart -= by;
    for (let i = 0; i < this.count; i += 1) {
      this.starts[i]! -= by;
      this.ends[i]! -= by;
    }
  }

  private pushField(start: number, end: number): void {
    const i = this.count;
    this.starts[i] = start;
    this.ends[i] = end;
    this.escaped[i] = this.fieldEscaped;
    this.count = i + 1;
    this.fieldEscaped = false;
  }

  /** Ends the record at `end` (exclusive); `next` is where the following record starts. */
  private endRecord(end: number, next: number, unclosed: boolean): void {
    const { buf, recStart } = this;
    if (end - recStart > this.maxRecordBytes) this.tooLarge(end);
    this.onRecord({
      buf,
      start: recStart,
      end,
      offset: this.base + recStart,
      line: this.line,
      count: this.count,
      starts: this.starts,
      ends: this.ends,
      escaped: this.escaped,
      invalidQuote: this.invalid,
      bareQuote: this.bare,
      unclosed,
      utf8: end <= this.utf8End,
    });
    if (this.sawQuoted) this.line += this.linesIn(recStart, end);
    if (next > end) this.line += 1;
    this.resetRecord(next);
  }

  /** Line breaks in buf[from, to), inside quoted fields: every LF, and every CR but that of a CRLF. */
  private linesIn(from: number, to: number): number {
    const { buf, base, len } = this;
    let n = 0;
    const end = base + to;
    for (let i = this.lf.find(buf, base, len, base + from, end); i !== -1; ) {
      n += 1;
      i = this.lf.find(buf, base, len, i + 1, end);
    }
    for (let i = this.cr.find(buf, base, len, base + from, end); i !== -1; ) {
      if (i + 1 === end || buf[i + 1 - base] !== LF) n += 1;
      i = this.cr.find(buf, base, len, i + 1, end);
    }
    return n;
  }

  private resetRecord(at: number): void {
    this.recStart = at;
    this.pos = at;
    this.count = 0;
    this.state = FIELD_START;
    this.invalid = false;
    this.bare = false;
    this.sawQuoted = false;
    this.fieldEscaped = false;
  }

  private tooLarge(at: number): never {
    const quoted = this.state === QUOTED;
    throw new RecordTooLarge(this.base + this.recStart, this.line, at - this.recStart, quoted);
  }

  /** Ends the record at a line ending; after a CR, an LF that follows (maybe in the next chunk) is skipped. */
  private lineEnd(at: number, c: number): void {
    this.endRecord(at, at + 1, false);
    if (c === CR) this.skipLF = true;
  }

  /**
   * Checks that the whole lines at hand are UTF-8 in one call rather than row by row (a view and a call a
   * row cost more than the check): a record among them is valid, as it starts and ends at a line break,
   * which no multi-byte character holds. Where they are not, each record is checked on its own.
   */
  private checkUtf8(): void {
    if (this.utf8End < this.recStart) this.utf8End = this.recStart;
    const from = Math.max(this.utf8End, this.searched);
    this.searched = this.len;
    if (from >= this.len) return;
    const fresh = this.buf.subarray(from, this.len);
    const last = Math.max(fresh.lastIndexOf(LF), fresh.lastIndexOf(CR));
    if (last === -1) return;
    const end = from + last + 1;
    if (isUtf8(this.buf.subarray(this.utf8End, end))) this.utf8End = end;
  }

  /** Out of bytes mid-record: wait for more, unless the record already exceeds the limit. */
  private waitForMore(): void {
    this.pos = this.len;
    if (this.len - this.recStart > this.maxRecordBytes) this.tooLarge(this.len);
  }

  private scan(final: boolean): void {
    const { len } = this;
    if (!this.bomChecked) {
      if (len < 3 && !final) return;
      this.bomChecked = true;
      const b = this.buf;
      if (len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.resetRecord(3);
    }
    this.checkUtf8();
    const buf = this.buf;
    const words = new DataView(buf.buffer, buf.byteOffset, buf.length);
    let pos = this.pos;
    for (;;) {
      switch (this.state) {
        case FIELD_START: {
          if (pos >= len) {
            if (final && this.count > 0) {
              this.pushField(pos, pos);
              this.endRecord(pos, pos, false);
            } else this.waitForMore();
            return;
          }
          const c = buf[pos]!;
          if (this.count === 0 && pos === this.recStart && this.skipLF) {
            this.skipLF = false;
            if (c === LF) {
              pos += 1;
              this.resetRecord(pos);
              continue;
            }
          }
          if (c === QUOTE) {
            this.state = QUOTED;
            this.sawQuoted = true;
            this.fieldStart = pos + 1;
            pos += 1;
          } else if (c === CR || c === LF) {
            if (this.count > 0) this.pushField(pos, pos);
            // A line with nothing on it is skipped (not a row): resetRecord keeps count 0.
            if (this.count === 0) {
              this.line += 1;
              this.resetRecord(pos + 1);
              if (c === CR) this.skipLF = true;
            } else {
              this.lineEnd(pos, c);
            }
            pos += 1;
          } else {
            this.state = UNQUOTED;
            this.fieldStart = pos;
          }
          break;
        }
        case UNQUOTED: {
          let i = pos;
          // Four bytes at a time while none can end the cell or be a quote: most of a plain cell's bytes.
          while (i + 4 <= len && plainBytes(words.getInt32(i, true))) i += 4;
          let c = 0;
          for (; i < len; i += 1) {
            c = buf[i]!;
            if (c === COMMA || c === LF || c === CR) break;
            if (c === QUOTE) this.bare = true;
          }
          if (i >= len) {
            if (final) {
              this.pushField(this.fieldStart, len);
              this.endRecord(len, len, false);
            } else this.waitForMore();
            return;
          }
          this.pushField(this.fieldStart, i);
          if (c === COMMA) {
            this.state = FIELD_START;
            pos = i + 1;
          } else {
            this.lineEnd(i, c);
            pos = i + 1;
          }
          break;
        }
        case QUOTED: {
          const q = buf.indexOf(QUOTE, pos);
          if (q === -1 || q >= len) {
            if (final) {
              this.pushField(this.fieldStart, len);
              this.endRecord(len, len, true);
            } else this.waitForMore();
            return;
          }
          pos = q + 1;
          this.state = AFTER_QUOTE;
          break;
        }
        default: {
          // AFTER_QUOTE: the byte after a quote inside a quoted field decides what it was.
          if (pos >= len) {
            if (final) {
              this.pushField(this.fieldStart, pos - 1);
              this.endRecord(pos, pos, false);
            } else this.waitForMore();
            return;
          }
          const c = buf[pos]!;
          if (c === QUOTE) {
            this.fieldEscaped = true;
            this.state = QUOTED;
            pos += 1;
          } else if (c === COMMA) {
            this.pushField(this.fieldStart, pos - 1);
            this.state = FIELD_START;
            pos += 1;
          } else if (c === LF || c === CR) {
            this.pushField(this.fieldStart, pos - 1);
            this.lineEnd(pos, c);
            pos += 1;
          } else {
            // Text after a closing quote: keep reading the field as plain text; the row is rejected.
            this.invalid = true;
            this.state = UNQUOTED;
          }
        }
      }
    }
  }
}

/**
 * Finds a byte's next position in the input and remembers it: a search that runs past the record it was
 * for (no CR anywhere in an LF file) then serves the records after it instead of running again for each.
 * Positions are input offsets, so they hold whichever buffer the bytes are in; searches only move forward.
 */
class ByteFinder {
  /** The last search started at `from` and found `at`; or found none before `to` (`at` = -1). */
  private from = 0;
  private to = 0;
  private at = -1;

  constructor(private readonly byte: number) {}

  /** The offset of the first `byte` in [start, end), or -1; `buf[0]` is at offset `base`, `len` bytes are valid. */
  find(buf: Buffer, base: number, len: number, start: number, end: number): number {
    if (start < this.from || (this.at === -1 ? end > this.to : this.at < start)) {
      const i = buf.indexOf(this.byte, start - base);
      this.from = start;
      this.at = i === -1 || i >= len ? -1 : base + i;
      this.to = base + len;
    }
    return this.at !== -1 && this.at < end ? this.at : -1;
  }
}
