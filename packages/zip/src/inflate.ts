// Inflating small entries in one call. A zlib stream costs a thread-pool round trip per chunk plus its own
// set-up; for the thousands of sub-megabyte files of an attachments part that overhead, not the inflating,
// dominated. The output is capped one byte past the declared size, so the caps checked against the
// declaration at walk time also bound the memory used here.
import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

/** Entries whose compressed and declared sizes are both at most this are inflated in one call. */
export const WHOLE_INFLATE_MAX = 512 * 1024;

class WholeInflate extends Transform {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly declaredSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunks.push(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    let out: Buffer;
    try {
      const input = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      out = inflateWhole(input, this.declaredSize);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (out.length > 0) this.push(out);
    callback();
  }
}

/** Whether an entry is small enough, and its size certain enough, to inflate in one call. */
export const inflatesWhole = (
  compressedSize: number,
  declaredSize: number,
  sizeIsCertain: boolean,
): boolean => sizeIsCertain && compressedSize <= WHOLE_INFLATE_MAX && declaredSize <= WHOLE_INFLATE_MAX;

/** Inflates in one call, capped one byte past the declared size (ERR_BUFFER_TOO_LARGE: longer than declared). */
export const inflateWhole = (input: Buffer, declaredSize: number): Buffer =>
  inflateRawSync(input, { maxOutputLength: declaredSize + 1 });

/** An inflating transform; errors with code ERR_BUFFER_TOO_LARGE mean "longer than declared". */
export function inflater(compressedSize: number, declaredSize: number, sizeIsCertain: boolean): Transform {
  if (inflatesWhole(compressedSize, declaredSize, sizeIsCertain)) return new WholeInflate(declaredSize);
  return createInflateRaw({ chunkSize: 64 * 1024 });
}
