// export.zip's entries other than the tables read (a README, a stray file, export.csv): the tables' bytes
// are checked as they are read, these would otherwise never be, and a validate checks every byte.
import { kindOf } from '@talent-export/errors';
import { openZip, type ZipEntry, type ZipOptions } from '@talent-export/zip';
import { entryProblem, type ProblemList, problem } from './errors.js';
import type { Found } from './find.js';
import { downloadAgain, reason } from './io.js';
import type { Sources } from './sources.js';

const MAX_CORRUPT = 20;

const keyOf = (entry: ZipEntry) => `${entry.name}\u0000${entry.crc32}\u0000${entry.compressedSize}`;

/**
 * Reads back (CRC-32, sizes) each entry of export.zip that is not a table read from it, and names each one
 * that is not intact (`EXPORT_ZIP_ENTRY_CORRUPT`). Nothing to do when export.zip is an attachment part too
 * (every entry of it is checked as one) or was not read.
 */
export async function verifyExportZip(
  found: Found,
  sources: Sources,
  zip: ZipOptions,
  problems: ProblemList,
): Promise<void> {
  const file = found.exportZip?.file;
  const path = found.exportZip?.path;
  if (file === undefined || path === undefined || sources.archive === null) return;
  if (found.parts.some((part) => part.path === path)) return;
  // A table's other copies (two contracts') are read with it, as the tables are.
  const copies = Object.values(sources.more).flatMap((more) => more.filter((e) => typeof e !== 'string'));
  const tables = new Set([...Object.values(sources.zipEntries), ...copies].map(keyOf));
  let corrupt = 0;
  try {
    // Entry names may name people (a file a user added): hidden in errors, as when export.zip was opened.
    // Cut short, its entries whole before the cut are checked (EXPORT_ZIP_TRUNCATED told the rest).
    const archive = await openZip(path, { ...zip, hideFileNames: true, truncated: 'salvage' });
    try {
      const options = zip.signal ? { signal: zip.signal } : {};
      for await (const entry of archive.entries()) {
        if (entry.isDirectory || tables.has(keyOf(entry))) continue;
        try {
          await archive.verify(entry, options);
        } catch (error) {
          zip.signal?.throwIfAborted();
          if (kindOf(error) !== 'input') throw error;
          if (++corrupt <= MAX_CORRUPT) problems.add(corruptProblem(file, entry.name, error));
        }
      }
    } finally {
      await archive.close();
    }
  } catch (error) {
    zip.signal?.throwIfAborted();
    if (kindOf(error) !== 'input') throw error;
    problems.add(
      problem(
        'EXPORT_ZIP_UNREADABLE',
        downloadAgain(`${file} cannot be read to the end (${reason(error)})`),
        {
          file,
        },
      ),
    );
  }
  if (corrupt > MAX_CORRUPT) {
    problems.add(
      problem('EXPORT_ZIP_ENTRY_CORRUPT', `${file}: ${corrupt - MAX_CORRUPT} more entries are damaged`, {
        file,
      }),
    );
  }
}

function corruptProblem(file: string, entry: string, error: unknown) {
  return entryProblem(
    'EXPORT_ZIP_ENTRY_CORRUPT',
    file,
    entry,
    `cannot be read back intact (${reason(error)})`,
  );
}
