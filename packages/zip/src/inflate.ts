// Inflating small entries in one call. A zlib stream costs a thread-pool round trip per chunk plus its own
// set-up; for the thousands of sub-megabyte files of an attachments part that overhead, not the inflating,
// dominated. The output is capped one byte past the declared size, so the caps checked against the
// declaration at walk time also bound the memory used here.
import { Transform, type TransformCallback } from 'node:stream';
import { constants, createInflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';

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

/**
 * Deflate data that ends before the entry's compressed bytes do. zlib stops at the end of the deflate
 * stream and leaves what follows unread, so those bytes are in no file: hidden there, they would be copied
 * unseen with the entry's compressed bytes into another archive. 7-Zip refuses such entries too.
 */
export class DeflateEndedEarly extends Error {
  constructor(
    readonly unused: number,
    readonly compressedSize: number,
  ) {
    super(`Deflate data ends ${unused} byte(s) before the entry's ${compressedSize} compressed bytes do`);
  }
}

/**
 * Inflates in one call, capped one byte past the declared size (ERR_BUFFER_TOO_LARGE: longer than declared);
 * throws DeflateEndedEarly when the deflate data ends before `input` does.
 */
export function inflateWhole(input: Buffer, declaredSize: number): Buffer {
  const { buffer, engine } = inflateRawSync(input, {
    // Inflated into one buffer, not 16 KB pieces joined in another: checking a part's small files
    // otherwise left twice their bytes as garbage, which a worker thread held by the tens of megabytes.
    chunkSize: Math.max(constants.Z_MIN_CHUNK, declaredSize + 1),
    maxOutputLength: declaredSize + 1,
    info: true,
  } as ZlibOptions) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  if (engine.bytesWritten < input.length) {
    throw new DeflateEndedEarly(input.length - engine.bytesWritten, input.length);
  }
  return buffer;
}

/**
 * Compressed bytes an inflater() stream that has ended did not take: zlib ends its output where the
 * deflate data ends, even with input left to come. 0 for the one-call inflater, which throws instead.
 */
export function untaken(inflate: Transform, compressedSize: number): number {
  const taken = (inflate as { bytesWritten?: unknown }).bytesWritten;
  return typeof taken === 'number' ? Math.max(0, compressedSize - taken) : 0;
}

/** An inflating transform; errors with code ERR_BUFFER_TOO_LARGE mean "longer than declared". */
export function inflater(compressedSize: number, declaredSize: number, sizeIsCertain: boolean): Transform {
  if (inflatesWhole(compressedSize, declaredSize, sizeIsCertain)) return new WholeInflate(declaredSize);
  return createInflateRaw({ chunkSize: 64 * 1024 });
}

interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    out: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
  onerror: (message: string, errno: number) => void;
}

/** What a zlib stream holds that RawInflate drives: present in every Node release since 10. */
interface ZlibInternals {
  _handle?: ZlibHandle;
  _writeState?: Uint32Array;
}

/**
 * Raw deflate inflated synchronously into the caller's buffers. A zlib stream puts every 64 KiB it inflates
 * in a new buffer; V8 counts those bytes toward its next full collection, so reading a 750 MB table made
 * the reading thread mark its whole heap every few megabytes. This drives the zlib handle of a stream the
 * way zlib's own *Sync functions do, writing where the caller says. `create()` answers undefined where
 * the handle is not there to drive (callers then inflate with a stream).
 */
export class RawInflate {
  /** Input bytes the last write() took, and output bytes it wrote. */
  read = 0;
  written = 0;
  #error: Error | undefined;

  private constructor(
    private readonly stream: Transform,
    private readonly handle: ZlibHandle,
    private readonly state: Uint32Array,
  ) {
    handle.onerror = (message, errno) => {
      this.#error ??= Object.assign(new Error(message), { errno });
    };
  }

  static create(): RawInflate | undefined {
    const stream = createInflateRaw();
    const { _handle: handle, _writeState: state } = stream as unknown as ZlibInternals;
    if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length < 2) {
      stream.destroy();
      return undefined;
    }
    return new RawInflate(stream, handle, state);
  }

  /**
   * Inflates input[inAt..] into out[outAt..]; `last`: no input follows. True when `out` filled up, so
   * more output may be waiting for the next call (with the input the call did not take). Throws zlib's
   * error for damaged data.
   */
  write(input: Uint8Array, inAt: number, out: Uint8Array, outAt: number, last: boolean): boolean {
    const inLength = input.length - inAt;
    const outLength = out.length - outAt;
    this.handle.writeSync(
      last ? constants.Z_FINISH : constants.Z_NO_FLUSH,
      input,
      inAt,
      inLength,
      out,
      outAt,
      outLength,
    );
    if (this.#error !== undefined) throw this.#error;
    this.read = inLength - this.state[1]!;
    this.written = outLength - this.state[0]!;
    return this.state[0] === 0;
  }

  close(): void {
    this.stream.destroy();
  }
}
