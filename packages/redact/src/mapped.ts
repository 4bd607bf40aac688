// Bytes read as they read (a B-encoded word as its text, a full-width digit as an ASCII one, tags inside a
// word left out), with where each byte came from, so that the leak scan tells a hit at its place as written.
import type { MappedBytes } from './references.js';

/** A view of `b` built from start to end: its bytes copied, or others put in place of some. */
export class MappedBuilder {
  #out: Buffer | undefined;
  #at = new Int32Array(0);
  #after = new Int32Array(0);
  #o = 0;
  #copied = 0;

  constructor(private readonly b: Uint8Array) {}

  /** Puts `bytes` in place of b[start, end) (none: left out), after the bytes before it as they are. */
  put(start: number, end: number, bytes: Uint8Array): void {
    this.#copy(start);
    this.#grow(bytes.length);
    for (let k = 0; k < bytes.length; k++) this.#push(bytes[k]!, start, end);
    this.#copied = end;
  }

  /** The view, or undefined when nothing was put. */
  finish(): MappedBytes | undefined {
    if (this.#out === undefined) return undefined;
    this.#copy(this.b.length);
    this.#at[this.#o] = this.b.length;
    const n = this.#o;
    return {
      bytes: this.#out.subarray(0, n),
      at: this.#at.subarray(0, n + 1),
      after: this.#after.subarray(0, n + 1),
    };
  }

  #copy(end: number): void {
    this.#grow(end - this.#copied);
    for (let k = this.#copied; k < end; k++) this.#push(this.b[k]!, k, k + 1);
    this.#copied = end;
  }

  #push(byte: number, from: number, to: number): void {
    this.#out![this.#o] = byte;
    this.#at[this.#o] = from;
    this.#after[this.#o++] = to;
  }

  /** Room for `more` bytes (and the end's place). */
  #grow(more: number): void {
    const need = this.#o + more + 1;
    if (this.#out !== undefined && need <= this.#out.length) return;
    const size = Math.max(need, this.b.length + 1, 2 * (this.#out?.length ?? 0));
    const out = Buffer.allocUnsafe(size);
    const at = new Int32Array(size);
    const after = new Int32Array(size);
    if (this.#out !== undefined) {
      this.#out.copy(out, 0, 0, this.#o);
      at.set(this.#at.subarray(0, this.#o));
      after.set(this.#after.subarray(0, this.#o));
    }
    this.#out = out;
    this.#at = at;
    this.#after = after;
  }
}

/** A stretch of a text read as another (an encoded word, a base64 run): where it stands, what it reads. */
export interface ReadAs {
  start: number;
  end: number;
  text: string;
}

/** `text` with each of `runs` (in order) as what it reads; undefined for none. */
export function textReadAs(text: string, runs: readonly ReadAs[]): string | undefined {
  if (runs.length === 0) return undefined;
  let out = '';
  let copied = 0;
  for (const run of runs) {
    out += text.slice(copied, run.start) + run.text;
    copied = run.end;
  }
  return out + text.slice(copied);
}

/** UTF-8 bytes (`runs` found in them read as Latin-1) with each run as what it reads; undefined for none. */
export function bytesReadAs(b: Uint8Array, runs: readonly ReadAs[]): MappedBytes | undefined {
  if (runs.length === 0) return undefined;
  const view = new MappedBuilder(b);
  for (const run of runs) view.put(run.start, run.end, Buffer.from(run.text));
  return view.finish();
}
