// A bundle's candidate.json is the document indented. Parsed and written again, a 230 MB document took
// 2.3 GB; this indents the compact JSON as it passes, one byte at a time, nothing parsed.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Output is handed on in pieces of this size. */
const PIECE = 64 * 1024;

const isOpen = (b: number) => b === 0x7b || b === 0x5b;
const isClose = (b: number) => b === 0x7d || b === 0x5d;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Indents compact JSON as `JSON.stringify(JSON.parse(json), null, 2)` does, for JSON that stringify wrote
 * (each string's escapes, each number as stringify writes them; an object's keys in the order a parse keeps
 * them: none made of digits alone, which a parse would put first), whatever the chunks it comes in.
 */
export class PrettyJson {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** An opening bracket not written yet: `{}` and `[]` stay on one line. */
  private open = 0;
  private out = Buffer.allocUnsafe(PIECE);
  private length = 0;
  private readonly done: Buffer[] = [];

  /** The indented bytes of `chunk` that are ready (a piece is handed on when full). */
  push(chunk: Uint8Array): Buffer[] {
    for (let i = 0; i < chunk.length; ) {
      if (this.inString && !this.escaped) {
        // A string's text is copied as a run up to its next quote or backslash.
        let j = i;
        while (j < chunk.length && chunk[j] !== QUOTE && chunk[j] !== BACKSLASH) j++;
        this.putRun(chunk, i, j);
        if (j === chunk.length) break;
        i = j;
      }
      this.byte(chunk[i++]!);
    }
    return this.done.splice(0);
  }

  /** What is left, once the input has ended. */
  end(): Buffer[] {
    if (this.open !== 0) this.put(this.open);
    this.open = 0;
    if (this.length > 0) this.done.push(this.out.subarray(0, this.length));
    this.length = 0;
    return this.done.splice(0);
  }

  private byte(b: number): void {
    if (this.inString) {
      this.put(b);
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) this.inString = false;
      return;
    }
    if (isSpace(b)) return;
    if (this.open !== 0) {
      const open = this.open;
      this.open = 0;
      this.put(open);
      if (isClose(b)) {
        this.put(b);
        return;
      }
      this.depth += 1;
      this.newline();
    }
    if (isOpen(b)) this.open = b;
    else if (isClose(b)) {
      this.depth -= 1;
      this.newline();
      this.put(b);
    } else if (b === 0x2c) {
      this.put(b);
      this.newline();
    } else if (b === 0x3a) {
      this.put(b);
      this.put(0x20);
    } else {
      if (b === QUOTE) this.inString = true;
      this.put(b);
    }
  }

  private newline(): void {
    this.put(0x0a);
    for (let k = 0; k < this.depth * 2; k++) this.put(0x20);
  }

  private putRun(chunk: Uint8Array, start: number, end: number): void {
    while (start < end) {
      if (this.length === this.out.length) this.full();
      const n = Math.min(end - start, this.out.length - this.length);
      this.out.set(chunk.subarray(start, start + n), this.length);
      this.length += n;
      start += n;
    }
  }

  private full(): void {
    this.done.push(this.out);
    this.out = Buffer.allocUnsafe(PIECE);
    this.length = 0;
  }

  private put(b: number): void {
    if (this.length === this.out.length) this.full();
    this.out[this.length++] = b;
  }
}

/** The chunks of `input` indented (see PrettyJson), then a line feed, as the bundle's candidate.json ends. */
export async function* prettyJson(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const pretty = new PrettyJson();
  for await (const chunk of input) yield* pretty.push(chunk);
  yield* pretty.end();
  yield Buffer.from('\n');
}
