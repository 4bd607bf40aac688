// Scanning bytes given in chunks cut anywhere (a file, a zip entry), with lines and byte offsets.
import { TextDecoder } from 'node:util';
import type { LeakScanner } from './leaks.js';
import { decodedOffset } from './references.js';

/** A hit as reported: where (1-based line, byte offset) and whose source; never the value. */
export interface LeakHit {
  line: number;
  offset: number;
  source: number;
}

/** Bytes kept from one piece to the next: a value that starts before the cut is found in full. */
const OVERLAP = 4096;
/** Bytes kept before the cut, only to see where the words and digit runs at the cut begin. */
const CONTEXT = 64;

/**
 * Scans bytes as they come, in pieces cut anywhere: each piece is decoded with some bytes of the one
 * before (context) and some of the next held back (overlap), so a value split by a cut is found once.
 */
export class LeakStream {
  readonly #scanner: LeakScanner;
  readonly #keep: number;
  #pending: Buffer = Buffer.alloc(0);
  readonly #chunks: Buffer[] = [];
  /** Bytes in `#chunks`, not yet scanned. */
  #waiting = 0;
  /** Leading bytes of `#pending` that were scanned already (context for the next piece). */
  #context = 0;
  /** Offset in the stream of `#pending[0]`. */
  #base = 0;
  #line = 1;
  hits = 0;
  bytes = 0;
  /** Hits per source number. */
  readonly bySource = new Map<number, number>();
  /** The first hits with where they are. */
  readonly first: LeakHit[] = [];
  /** Set when the bytes start as UTF-16 (`utf16Decoder`): what they are read as (offsets then count UTF-8). */
  #utf16: TextDecoder | undefined;
  /** The first bytes, held until there are 4 to say whether they are UTF-16. */
  #first: Buffer | undefined;
  /** Whether the bytes are binary (see `sniffBinary`), decided on the first piece; never for text. */
  binary: boolean | undefined;

  /** Whether the bytes are XML or HTML, read as text with their tags taken out (`markupText`). */
  readonly #markup: boolean;

  constructor(scanner: LeakScanner, keep: number, text = false, markup = false) {
    this.#scanner = scanner;
    this.#keep = keep;
    this.#markup = markup;
    if (text) this.binary = false;
  }

  write(chunk: Uint8Array): void {
    if (this.bytes === 0) {
      // Text saved as UTF-16 (a spreadsheet's "Unicode text", an export.csv) is read as the text it is:
      // byte by byte its names are letters between NULs, which no value matches. Fewer than 4 bytes say
      // nothing yet.
      if (this.#first !== undefined) {
        chunk = Buffer.concat([this.#first, chunk]);
        this.#first = undefined;
      }
      if (chunk.length < 4) {
        if (chunk.length > 0) this.#first = Buffer.from(chunk);
        return;
      }
      this.#utf16 = utf16Decoder(chunk, this.binary === false);
    }
    this.bytes += chunk.length;
    this.#accept(this.#utf16 ? Buffer.from(this.#utf16.decode(chunk, { stream: true }), 'utf8') : chunk);
  }

  #accept(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Copied: the caller may reuse its buffer; joined only once a piece is worth scanning.
    this.#chunks.push(Buffer.from(chunk));
    this.#waiting += chunk.length;
    if (this.#waiting >= 16 * OVERLAP) this.#piece(false);
  }

  end(): this {
    if (this.#first !== undefined) {
      this.bytes += this.#first.length;
      this.#accept(this.#first);
      this.#first = undefined;
    }
    const rest = this.#utf16?.decode();
    if (rest) this.#accept(Buffer.from(rest, 'utf8'));
    if (this.#waiting > 0) this.#piece(true);
    this.#pending = Buffer.alloc(0);
    return this;
  }

  #piece(last: boolean): void {
    const bytes = Buffer.concat([this.#pending, ...this.#chunks]);
    this.#chunks.length = 0;
    this.#waiting = 0;
    const cut = last ? bytes.length : boundary(bytes, bytes.length - OVERLAP);
    this.binary ??= sniffBinary(bytes);
    // Lines are counted up to each hit that is kept; afterwards only the counts matter.
    let counted = this.#context;
    const found = (start: number, _end: number, source: number) => {
      this.hits++;
      this.bySource.set(source, (this.bySource.get(source) ?? 0) + 1);
      if (this.first.length >= this.#keep) return;
      for (let i = bytes.indexOf(10, counted); i !== -1 && i < start; i = bytes.indexOf(10, i + 1))
        this.#line++;
      counted = Math.max(counted, start);
      this.first.push({ line: this.#line, offset: this.#base + start, source });
    };
    this.#scanner.scanBytes(bytes, found, this.#context, cut, this.binary, this.#markup && !this.binary);
    // A Word .doc or an Excel .xls keeps its text as UTF-16: letters between NULs, which no value matches.
    // Each run is scanned alone: runs far apart in the file are no words of one text ("Kowalski" at byte
    // 1,000 and "Mateo" at byte 50,000 are no name), and a hit is counted in the piece where it starts.
    if (this.binary)
      for (const parity of [0, 1]) {
        const { text, at, ends } = utf16Text(bytes, parity);
        let start = 0;
        for (const end of ends) {
          const run = at.subarray(start, end + 1);
          const from = decodedOffset(run, this.#context);
          const to = decodedOffset(run, cut);
          if (from < to)
            this.#scanner.scanBytes(
              text.subarray(start, end),
              (a, b, source) => found(run[a]!, run[b]!, source),
              from,
              to,
              true,
            );
          start = end + 1;
        }
      }
    if (this.first.length < this.#keep) {
      for (let i = bytes.indexOf(10, counted); i !== -1 && i < cut; i = bytes.indexOf(10, i + 1))
        this.#line++;
    } else this.#line = Number.NaN;
    if (last) return;
    const keepFrom = boundary(bytes, Math.max(0, cut - CONTEXT));
    this.#base += keepFrom;
    this.#context = cut - keepFrom;
    this.#pending = Buffer.from(bytes.subarray(keepFrom));
    this.#waiting = this.#pending.length - this.#context;
  }
}

/**
 * The decoder of bytes that start as UTF-16: with a byte order mark, or in a text file without one (as
 * `iconv -t UTF-16LE` writes it) with two ASCII characters each beside a NUL. A binary file's UTF-16 runs
 * are read anyway (`utf16Text`).
 */
function utf16Decoder(head: Uint8Array, text: boolean): TextDecoder | undefined {
  const bom = (head[0]! << 8) | head[1]!;
  if (bom === 0xfffe || bom === 0xfeff) return new TextDecoder(bom === 0xfffe ? 'utf-16le' : 'utf-16be');
  if (!text) return undefined;
  if (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return new TextDecoder('utf-16le');
  if (head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return new TextDecoder('utf-16be');
  return undefined;
}

const SIGNATURES = ['%PDF', 'PK\x03\x04', '\x89PNG', '\xff\xd8\xff', 'GIF8', '\xd0\xcf\x11\xe0'].map((s) =>
  Buffer.from(s, 'latin1'),
);

/**
 * Binary: a PDF, zip (Office files), image or OLE signature, or a NUL byte in the first 8 KiB. Only for
 * bytes of unknown kind (an attachment): a table is text whatever stray byte a cell holds.
 */
export function sniffBinary(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 8192));
  return SIGNATURES.some((s) => head.subarray(0, s.length).equals(s)) || head.includes(0);
}

/** Names of files that are text by what writes them: tables (CSV, NDJSON, JSON) and plain text. */
const TEXT_NAME = /\.(?:csv|tsv|ndjson|jsonl|json|txt)$/i;

/** Whether a file or zip entry of this name is text, to scan as such whatever bytes it holds. */
export const isTextName = (name: string): boolean => TEXT_NAME.test(name);

/** The nearest start of a UTF-8 character at or before `at`. */
function boundary(bytes: Uint8Array, at: number): number {
  let i = Math.max(0, at);
  while (i > 0 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** Fewest UTF-16 characters in a row read as text in binary bytes. */
const UTF16_RUN = 4;

/** A UTF-16 code unit of text: a tab or line end, letters, digits, punctuation (no control, no surrogate). */
function isTextUnit(unit: number): boolean {
  if (unit < 0x20) return unit === 0x09 || unit === 0x0a || unit === 0x0d;
  if (unit < 0x7f) return true;
  if (unit < 0xa0) return false;
  return unit < 0xd800 || (unit >= 0xf900 && unit < 0xfff0);
}

/**
 * The text `bytes` hold as UTF-16LE at byte `parity` (0 or 1): runs of UTF16_RUN characters of text or
 * more, as UTF-8, each followed by a line end, with `ends` where those line ends are; and for each of its bytes
 * (and one past the end) the offset in `bytes` it came from, ascending (a run's line end: where the run
 * ends). Random bytes (a compressed image, a PDF's streams) read as UTF-16 are mostly CJK characters: a run
 * is text only with an ASCII character in it (a space, a digit, a Latin letter; its second byte a NUL),
 * which they rarely give. Runs are found from those NULs, found natively: the bytes are not read one by one.
 */
export function utf16Text(
  bytes: Uint8Array,
  parity: number,
): { text: Buffer; at: Int32Array; ends: number[] } {
  const unitAt = (i: number) => bytes[i]! | (bytes[i + 1]! << 8);
  let text = '';
  const at: number[] = [];
  const ends: number[] = [];
  let done = parity;
  for (let nul = bytes.indexOf(0, parity + 1); nul !== -1; nul = bytes.indexOf(0, nul + 1)) {
    const i = nul - 1;
    if ((i - parity) % 2 !== 0 || i < done || bytes[i]! >= 0x80 || !isTextUnit(bytes[i]!)) continue;
    let start = i;
    while (start - 2 >= done && isTextUnit(unitAt(start - 2))) start -= 2;
    let end = i + 2;
    while (end + 1 < bytes.length && isTextUnit(unitAt(end))) end += 2;
    done = end;
    if (end - start < UTF16_RUN * 2) continue;
    for (let k = start; k < end; k += 2) {
      const unit = unitAt(k);
      text += String.fromCharCode(unit);
      const size = unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
      for (let n = 0; n < size; n++) at.push(k);
    }
    text += '\n';
    ends.push(at.length);
    at.push(end);
  }
  at.push(bytes.length);
  return { text: Buffer.from(text, 'utf8'), at: Int32Array.from(at), ends };
}
