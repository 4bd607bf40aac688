// Async-iterable forms of the archive API, for callers that do not want Node streams.
import { type OpenStreamOptions, openZip, type ZipArchive } from './archive.js';
import type { ZipEntry } from './entry.js';
import type { ZipOptions } from './options.js';

/** Lists the checked entries of an archive, then closes it (also when the loop stops early). */
export async function* readEntries(
  path: string,
  options?: ZipOptions,
): AsyncGenerator<ZipEntry, void, undefined> {
  const archive = await openZip(path, options);
  try {
    yield* archive.entries();
  } finally {
    await archive.close();
  }
}

/** The content of one entry as Buffer chunks; a failed check is thrown as a ZipError from the loop. */
export async function* entryChunks(
  archive: ZipArchive,
  entry: ZipEntry,
  options?: OpenStreamOptions,
): AsyncGenerator<Buffer, void, undefined> {
  const stream = await archive.openStream(entry, options);
  for await (const chunk of stream) yield chunk as Buffer;
}
