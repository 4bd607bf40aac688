// export.zip cut short (its download stopped, at 95% of 2 GB): the tables whole before the cut are read as
// any are (their CRC-32 and sizes checked), the table the cut falls in is read up to its last whole row,
// and the tables after it are missing. One problem says which is which, and to download it again.
import { TABLE_NAMES, type TableName } from '@talent-export/schema';
import { RecordSplitter } from '@talent-export/schema/internal';
import type { ZipTruncation } from '@talent-export/zip';
import { type Problem, problem } from './errors.js';
import type { TableSource } from './tables.js';

/** The longest row looked through for its end: the decoder's own cap on a record (maxRecordBytes). */
const ROW_MAX = 8 * 1024 * 1024;

/**
 * The rows of a table cut short, whole: its bytes up to the end of the last row that ends before the cut
 * (a line feed after an even number of quotes, where the reading engine cuts tables into slices too). The
 * row the cut falls in is left out: its last field cut (`Jane Do`) reads as a whole row, and would pass
 * for one. Where no row end is found within ROW_MAX bytes, nothing more is given.
 */
export async function* wholeRows(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // Cut at the last row end of every chunk (a slice of 1 byte or more): what is pending is the row begun.
  const splitter = new RecordSplitter(1, ROW_MAX);
  for await (const chunk of chunks) {
    for (const slice of splitter.push(chunk)) {
      // No row end within ROW_MAX: where rows end cannot be told any more.
      if (!slice.cut) return;
      yield* slice.parts;
    }
  }
  // What is left after the last row end (splitter.end()) is the row the cut falls in: left out.
}

/** What export.zip cut short holds of each table. */
export interface CutTables {
  file: string;
  truncated: ZipTruncation;
  /** The tables read, each from an entry whole before the cut. */
  whole: TableName[];
  /** The table of the entry the file ends in, when it is one: read up to the cut (`read`), or not. */
  cut?: { table: TableName; entry: string; read: boolean; why?: string; other?: string };
  /** The tables of no entry in it. */
  missing: TableName[];
}

const list = (tables: readonly string[]): string => (tables.length === 0 ? 'none' : tables.join(', '));

/** EXPORT_ZIP_TRUNCATED: where export.zip is cut, which tables are whole, cut and missing, and what to do. */
export function truncatedExportZip(cut: CutTables): Problem {
  const { truncated, file } = cut;
  const entry = truncated.cutEntry;
  let where: string;
  if (truncated.inDirectory) {
    where = `the file is ${truncated.size} bytes and ends in the list of its files (its central directory), after its last entry: every entry in it is whole`;
  } else if (truncated.cutAt === undefined) {
    where =
      truncated.wholeEnd === truncated.size
        ? `the file is ${truncated.size} bytes and ends right after an entry, the entries after it missing`
        : `the file is ${truncated.size} bytes, and the bytes after byte ${truncated.wholeEnd} are no entry`;
  } else if (entry === undefined) {
    where = `the file is ${truncated.size} bytes and ends in the header of the entry from byte ${truncated.cutAt}, whose name is lost`;
  } else {
    const name = cut.cut?.entry ?? 'a file that is not one of the ten tables';
    const of =
      entry.compressedSize === undefined
        ? `${entry.heldBytes} compressed bytes of it are there`
        : `${entry.heldBytes} of its ${entry.compressedSize} compressed bytes are there`;
    where = `the file is ${truncated.size} bytes and ends in ${name}: ${of}`;
  }
  const lastWhole =
    truncated.recovered === 0
      ? 'no entry before the cut is whole'
      : `the last whole entry ends at byte ${truncated.wholeEnd}`;
  const said = [
    `${file} is cut short (its download stopped): ${where}; ${lastWhole}.`,
    `Tables whole, read and checked: ${list(cut.whole)}.`,
  ];
  if (cut.cut !== undefined) {
    const c = cut.cut;
    said.push(
      c.other !== undefined
        ? `Cut: a copy of the ${c.table} table, in ${c.entry}, not read: the ${c.table} table is read from ${c.other} alone.`
        : c.read
          ? `Cut: ${c.table}: its rows before the cut are read, the row the cut falls in is left out, its rows after the cut are missing.`
          : `Cut: ${c.table}: none of its rows can be read${c.why === undefined ? '' : ` (${c.why})`}.`,
    );
  }
  if (cut.missing.length > 0) said.push(`Missing (after the cut): ${list(cut.missing)}.`);
  said.push(
    `Download ${file} again from its Download Url in export.csv (once the link has expired, 24 hours after the export, export again from Talent Hub's Product Settings) and run again with it.`,
  );
  return problem('EXPORT_ZIP_TRUNCATED', said.join(' '), { file });
}

/** The tables of `sources` whole, and those missing, in the order of the ten (the cut one in neither). */
export function tablesOf(
  sources: Partial<Record<TableName, TableSource>>,
  cutTable: TableName | undefined,
): { whole: TableName[]; missing: TableName[] } {
  const whole = TABLE_NAMES.filter((t) => sources[t] !== undefined && sources[t]!.truncated !== true);
  const missing = TABLE_NAMES.filter((t) => sources[t] === undefined && t !== cutTable);
  return { whole, missing };
}
