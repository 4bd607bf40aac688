import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * Chunks as a stream that reads one ahead and hands each on as it is (a byte stream would join chunks
 * into new buffers): a buffer may be filled again once the chunk before the last one is done with.
 */
export const chunkStream = (chunks: AsyncIterable<Uint8Array>): Readable =>
  Readable.from(chunks, { objectMode: true, highWaterMark: 1 });

/** A file's bytes, each chunk read into the buffer `into` gives; the file is closed however reading ends. */
export async function* readChunks(
  handle: FileHandle,
  into: () => Uint8Array,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  try {
    for (;;) {
      signal?.throwIfAborted();
      const buffer = into();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of `chunks` again, copied into buffers from `take` and passed on as each fills (the last one
 * in part), until `signal` is aborted: chunks made elsewhere (e.g. inflated) are garbage at once, while
 * young, and the caller's buffers can go round again.
 */
export async function* repack(
  chunks: AsyncIterable<Uint8Array>,
  take: () => Uint8Array,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let buffer = take();
  let length = 0;
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      const n = Math.min(buffer.length - length, chunk.length - at);
      buffer.set(chunk.subarray(at, at + n), length);
      length += n;
      at += n;
      if (length === buffer.length) {
        // The source may be well ahead (a small entry inflated at once): stop here all the same.
        signal?.throwIfAborted();
        yield buffer;
        buffer = take();
        length = 0;
      }
    }
  }
  signal?.throwIfAborted();
  if (length > 0) yield buffer.subarray(0, length);
}
