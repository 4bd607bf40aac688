import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { changeOf, type FileStamp, stampOf, tableChanged } from './stamp.js';

/**
 * Chunks as a stream that reads one ahead and hands each on as it is (a byte stream would join chunks
 * into new buffers).
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

/**
 * Buffers filled by one read: a chunk a call of ~55 us on this thread (a promise, a trip to the thread
 * pool) cost convert 0.5 s of CPU on a 780 MB table in 64 KiB chunks; 16 at a time, 0.17 s.
 */
const READ_AT_ONCE = 16;

/** The file a table is read from, for `readChunks` to tell whether it changed while it was read. */
export interface Watched {
  /** As problems name it: relative to the export's root. */
  file: string;
  /** Its stamp as the export's folder was listed: a table read twice is the same file both times. */
  listed?: FileStamp;
}

/**
 * A file's bytes, each chunk read into the buffer `into` gives (several filled by one read); the file is
 * closed however reading ends. A file that is not as listed when opened, or changed by the end of its bytes
 * (fewer or more of them than its size, or its stamp another), fails the read (EXPORT_TABLE_CHANGED)
 * once every byte was handed on: its rows may be incomplete or mixed. One stat as it is opened and one at
 * the end, whatever its size; a reader that stops early checks nothing.
 */
export async function* readChunks(
  handle: FileHandle,
  into: () => Uint8Array,
  signal: AbortSignal | undefined,
  watched: Watched,
): AsyncGenerator<Uint8Array> {
  try {
    const opened = stampOf(await handle.stat({ bigint: true }));
    // Changed since the folder was listed (or between two reads of the table): no byte of it is read.
    const since = watched.listed && changeOf(watched.listed, opened);
    if (since) throw tableChanged(watched.file, since);
    const size = Number(opened.size);
    let at = 0;
    for (;;) {
      signal?.throwIfAborted();
      const first = into();
      // As many as the bytes left fill, so that none is taken only to be dropped at the end; one at
      // least, for a file that has grown since.
      const count = Math.max(1, Math.min(READ_AT_ONCE, Math.ceil((size - at) / first.length)));
      const buffers = [first];
      while (buffers.length < count) buffers.push(into());
      let { bytesRead } = await handle.readv(buffers);
      if (bytesRead === 0) break;
      at += bytesRead;
      // A read may stop short of filling them (not at the end only): the next one goes on from there.
      for (const buffer of buffers) {
        if (bytesRead === 0) break;
        yield bytesRead >= buffer.length ? buffer : buffer.subarray(0, bytesRead);
        bytesRead -= Math.min(bytesRead, buffer.length);
      }
    }
    // The end came before its size (cut short) or after it (grown); or it was rewritten, its size the same.
    if (at !== size) throw tableChanged(watched.file, `${at} bytes were read of the ${size} it held`);
    const now = changeOf(opened, stampOf(await handle.stat({ bigint: true })));
    if (now) throw tableChanged(watched.file, now);
  } finally {
    await handle.close();
  }
}
