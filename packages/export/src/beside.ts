// export.zip's tables unzipped beside it in the download folder: export.zip is what is read, and the
// unzipped copies are compared with its entries, so that one notice says they are alike, or a problem
// says which differs (an edited copy that the user may think is read).
import { crc32 } from 'node:zlib';
import { columnKey, SCHEMAS, type TableName, tableForFile } from '@talent-export/schema';
import type { ZipEntry } from '@talent-export/zip';
import { type Problem, problem } from './errors.js';
import { openNoFollow } from './io.js';
import { type Candidate, copiesIdentical, folderOf, tablesCounted } from './tables.js';

/** What the tables unzipped beside `zipFile` are, against its entries (`entries`: the table read of each). */
export async function besideProblems(
  beside: readonly Candidate<string>[],
  entries: Partial<Record<TableName, ZipEntry>>,
  zipFile: string,
  signal: AbortSignal | undefined,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const alike: string[] = [];
  for (const file of beside) {
    const table = tableForFile(file.name)!;
    const entry = entries[table];
    if (!(await headedAs(file, table, signal))) {
      // A file of the user's that a download folder holds too (`Downloads/Notes.csv`), named like a table.
      problems.push(
        problem(
          'UNKNOWN_FILE',
          `${file.name} beside ${zipFile} is named like the ${table} table, but its first line names none of that table's columns: it is not part of the download and is ignored`,
          { file: file.name },
        ),
      );
    } else if (entry === undefined) {
      problems.push(
        problem(
          'UNKNOWN_FILE',
          `${file.name} beside ${zipFile} is the ${table} table, which is not read from ${zipFile} either (see above): the tables of a download are read from ${zipFile} only`,
          { file: file.name, table },
        ),
      );
    } else if (await sameAsEntry(file, entry, signal)) {
      alike.push(file.name);
    } else {
      const sizes = `${file.bytes.toLocaleString('en-US')} and ${entry.uncompressedSize.toLocaleString('en-US')} bytes`;
      problems.push(
        problem(
          'TABLE_COPY_DIFFERS',
          `${file.name} beside ${zipFile} is the ${table} table too, and differs from ${zipFile}'s ${entry.name} (${sizes}): ${zipFile}'s is read. If the copy beside it holds changes you mean to keep, put it into ${zipFile} in place of ${entry.name}; else delete it`,
          { file: file.name, table },
        ),
      );
    }
  }
  if (alike.length > 0) problems.unshift(alikeNotice(alike, zipFile));
  return problems;
}

/** The longest first line read: a table's header is a few hundred bytes. */
const HEAD_BYTES = 64 * 1024;

/**
 * Whether a file's first line names a column of `table` (any case, quoted or not): what export.zip's table
 * unzipped, or edited, still has. A file that cannot be read is taken to be the table (told as differing).
 */
async function headedAs(
  file: Candidate<string>,
  table: TableName,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of await openNoFollow(file.ref, signal)) {
      chunks.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if ((chunk as Buffer).includes(0x0a) || bytes >= HEAD_BYTES) break;
    }
  } catch {
    signal?.throwIfAborted();
    return true;
  }
  const text = Buffer.concat(chunks).subarray(0, HEAD_BYTES).toString('utf8');
  return namesAColumn(text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)[0] ?? '', table);
}

/**
 * Whether a header line names a column of `table` (any case, quoted or not, spaced as the decoder matches
 * names: `Candidate ID`). Cells split on the separators a spreadsheet saves with too (`;`, tabs, `|`), and
 * UTF-16's zero bytes left out: a copy of the table saved so is the table, which the decoder then refuses
 * saying how to save it, where told a stranger it was ignored, its rows lost with a notice.
 */
export function namesAColumn(line: string, table: TableName): boolean {
  const names = new Set(SCHEMAS[table].fields.map((field) => columnKey(field.name)));
  const column = (cell: string) => columnKey(cell.trim().replace(/^"|"$/g, ''));
  return line
    .replaceAll('\0', '')
    .split(/[,;\t|]/)
    .some((cell) => names.has(column(cell)));
}

/** Same size, then the same CRC-32 as the entry's (which the entry's bytes are checked against when read). */
async function sameAsEntry(
  file: Candidate<string>,
  entry: ZipEntry,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (file.bytes !== entry.uncompressedSize) return false;
  let crc = 0;
  try {
    for await (const chunk of await openNoFollow(file.ref, signal)) crc = crc32(chunk as Buffer, crc);
  } catch {
    signal?.throwIfAborted();
    // One that cannot be read is told as differing: it is not the entry's bytes either.
    return false;
  }
  return crc >>> 0 === entry.crc32 >>> 0;
}

function alikeNotice(alike: readonly string[], zipFile: string): Problem {
  const folders = [...new Set(alike.map(folderOf))].map((folder) => `in ${folder}`);
  // Tables, not files: the ten unzipped both at the top and in Contract_<id>/ are still ten tables.
  const tables = new Set(alike.map((name) => tableForFile(name))).size;
  return copiesIdentical(
    `${tablesCounted(tables)} of ${zipFile} ${tables === 1 ? 'is' : 'are'} also unzipped beside it`,
    `${folders.join(' and ')}, read from ${zipFile}`,
    zipFile,
  );
}
