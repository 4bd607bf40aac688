// An entry's bytes written into the caller's buffers, each handed on once full (the last one in part):
// a reader that gets its buffers back (e.g. from worker threads) reads on in those and leaves no garbage.
import { ShortRead } from './errors.js';
import { DeflateEndedEarly, type RawInflate } from './inflate.js';

/**
 * Bytes [at, end) of a file, read a piece at a time with `readSome` (a view valid until its next call),
 * inflated when `inflate` is given, into buffers from `take`. `check` sees every output byte before it is
 * handed on and throws to stop.
 */
export async function* fill(
  readSome: (at: number, most: number) => Promise<Uint8Array>,
  at: number,
  end: number,
  inflate: RawInflate | undefined,
  take: () => Uint8Array,
  check: (bytes: Uint8Array) => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  let out = take();
  let length = 0;
  // No compressed bytes at all: zlib says what is missing.
  if (inflate !== undefined && at === end) inflate.write(new Uint8Array(0), 0, out, 0, true);
  const size = end - at;
  while (at < end) {
    const piece = await readSome(at, end - at);
    // No bytes where the entry says there are: never loop on an empty read.
    if (piece.length === 0) throw new ShortRead();
    at += piece.length;
    let used = 0;
    let full: boolean;
    do {
      if (inflate === undefined) {
        const n = Math.min(out.length - length, piece.length - used);
        out.set(piece.subarray(used, used + n), length);
        check(out.subarray(length, length + n));
        used += n;
        length += n;
        full = length === out.length && used < piece.length;
      } else {
        // Called again while the output fills buffers: the last piece's output may be many buffers long.
        full = inflate.write(piece, used, out, length, at === end);
        used += inflate.read;
        check(out.subarray(length, length + inflate.written));
        length += inflate.written;
        // Room to spare and input left over: the deflate stream ended before the entry's bytes did.
        if (!full && used < piece.length) throw new DeflateEndedEarly(piece.length - used + end - at, size);
      }
      if (length === out.length) {
        yield out;
        out = take();
        length = 0;
      }
    } while (full);
  }
  if (length > 0) yield out.subarray(0, length);
}

/**
 * The bytes of `chunks` again, copied into buffers from `take` and passed on as each fills (the last one
 * in part): chunks made elsewhere are garbage at once, while young, and the caller's buffers go round.
 */
export async function* repack(
  chunks: AsyncIterable<Uint8Array>,
  take: () => Uint8Array,
): AsyncGenerator<Uint8Array, void, undefined> {
  let buffer = take();
  let length = 0;
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      const n = Math.min(buffer.length - length, chunk.length - at);
      buffer.set(chunk.subarray(at, at + n), length);
      length += n;
      at += n;
      if (length === buffer.length) {
        yield buffer;
        buffer = take();
        length = 0;
      }
    }
  }
  if (length > 0) yield buffer.subarray(0, length);
}
