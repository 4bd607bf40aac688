// Reading values out of NDJSON lines as bytes, without parsing the whole line: the messages table is GBs.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const keys = new Map<string, Buffer>();

/**
 * The raw JSON token of a top-level string-or-null field (`"123"` or `null`) in a line written by
 * `JSON.stringify` (no spaces), as [start, end) in `buf`, or undefined when the key is not in the line.
 * A key cannot be mistaken for text inside a value: a quote inside a JSON string is always escaped.
 */
export function tokenAt(buf: Buffer, start: number, end: number, key: string): [number, number] | undefined {
  let pattern = keys.get(key);
  if (!pattern) {
    pattern = Buffer.from(`"${key}":`);
    keys.set(key, pattern);
  }
  const at = buf.indexOf(pattern, start);
  if (at < 0 || at >= end) return undefined;
  const from = at + pattern.length;
  if (buf[from] !== QUOTE) {
    // null (or a number, which id fields never are)
    let to = from;
    while (to < end && buf[to] !== 0x2c && buf[to] !== 0x7d) to += 1;
    return [from, to];
  }
  let to = from + 1;
  while (to < end && buf[to] !== QUOTE) to += buf[to] === BACKSLASH ? 2 : 1;
  return [from, to + 1];
}

/** A token's value: the string, or null. */
export function tokenValue(token: string): string | null {
  if (token === '' || token === 'null') return null;
  if (token.includes('\\')) return JSON.parse(token) as string;
  if (token.charCodeAt(0) === QUOTE) return token.slice(1, -1);
  return token;
}

/**
 * The id of a JSON string token `buf[start, end)` as an `IdSet` takes it: a number when it is up to 15
 * digits with no leading zero (no string is made for it), else its text.
 */
export function tokenId(buf: Buffer, start: number, end: number): string | number {
  const digits = end - start - 2;
  if (digits >= 1 && digits <= 15 && buf[start + 1] !== 0x30) {
    let n = 0;
    for (let i = start + 1; i < end - 1; i++) {
      const c = buf[i]! - 0x30;
      if (c < 0 || c > 9) return tokenValue(buf.toString('utf8', start, end))!;
      n = n * 10 + c;
    }
    return n;
  }
  return tokenValue(buf.toString('utf8', start, end))!;
}

/** Calls `line(buf, start, end)` for every complete line of pieces read in order; keeps a line cut across pieces. */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;

  push(piece: Uint8Array, line: (buf: Buffer, start: number, end: number) => void): void {
    const buf = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let start = 0;
    let nl = buf.indexOf(0x0a, start);
    if (this.carryBytes > 0 && nl >= 0) {
      const joined = Buffer.concat([...this.carry, buf.subarray(0, nl)]);
      this.carry = [];
      this.carryBytes = 0;
      if (joined.length > 0) line(joined, 0, joined.length);
      start = nl + 1;
      nl = buf.indexOf(0x0a, start);
    }
    while (nl >= 0) {
      if (nl > start) line(buf, start, nl);
      start = nl + 1;
      nl = buf.indexOf(0x0a, start);
    }
    if (start < buf.length) {
      // Copied: the piece goes back to be filled again once the batch is done with.
      this.carry.push(Buffer.from(buf.subarray(start)));
      this.carryBytes += buf.length - start;
    }
  }

  /** Whatever is left (a last line without a line feed). */
  end(line: (buf: Buffer, start: number, end: number) => void): void {
    if (this.carryBytes === 0) return;
    const joined = Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    line(joined, 0, joined.length);
  }
}

/** `tokenAt` into `out[2 * slot]`, `out[2 * slot + 1]` (-1 when the key is not in the line), making nothing. */
export function tokenInto(
  buf: Buffer,
  start: number,
  end: number,
  key: string,
  out: Int32Array,
  slot: number,
): void {
  const token = tokenAt(buf, start, end, key);
  out[2 * slot] = token ? token[0] : -1;
  out[2 * slot + 1] = token ? token[1] : -1;
}
