import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * Chunks as a stream that reads one ahead and hands each on as it is (a byte stream would join chunks
 * into new buffers): a buffer may be filled again once the chunk before the last one is done with.
 */
export const chunkStream = (chunks: AsyncIterable<Uint8Array>, signal?: AbortSignal): Readable =>
  Readable.from(signal ? untilAborted(chunks, signal) : chunks, { objectMode: true, highWaterMark: 1 });

/** Chunks until `signal` is aborted: a source well ahead (a small entry inflated at once) stops all the same. */
async function* untilAborted(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    signal.throwIfAborted();
    yield chunk;
  }
  signal.throwIfAborted();
}

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
