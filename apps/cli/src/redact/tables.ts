// export.zip of the redacted export: every table read by the engine with the redaction stage, encoded in
// the export's own CSV shape where it is decoded (worker threads for big tables), streamed into the zip.
import { basename, dirname } from 'node:path';
import { createZip } from '@talent-export/bundle';
import { readTableHeader, type TalentExport } from '@talent-export/export';
import { LineEnds, shapePrefix, sourceShape } from '@talent-export/export/internal';
import { type ReadOptions, readTables, type TableHooks, type TablesOutcome } from '@talent-export/pipeline';
import { createCounters } from '@talent-export/redact';
import { foldHeader, placeName, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { type ExportColumn, encodeExportRow, exportColumns, exportHeaderLine } from '@talent-export/writers';
import { unusedHeader } from '../redaction.js';
import { Channel } from './channel.js';
import { type TableCopy, tableCopies } from './copies.js';

/** Text encoded here (small tables, decoded on this thread) is handed on in pieces of about this size. */
const PIECE = 64 * 1024;

export interface TablesWritten {
  outcome: TablesOutcome;
  /** Entry name in export.zip per table written. */
  entries: Partial<Record<TableName, string>>;
  /**
   * export.zip is complete once `finish` adds the last files (its own export.csv, known only once the
   * parts are written) and closes it; `abort` removes it.
   */
  finish(files: readonly { name: string; data: Buffer }[]): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Writes `path` (export.zip) with every table the export has, under its source entry name, header and
 * column order; extra columns are kept only where `keepExtra` names them. The zip stays open for `finish`.
 */
export async function writeTables(
  ex: TalentExport,
  path: string,
  options: ReadOptions & {
    keepExtra: Partial<Record<TableName, readonly string[]>>;
    /** What the header of an extra column not kept becomes (its name may be a person's: "Jane Doe <jane@…>"). */
    dropped?: (header: string, index: number) => string;
    /** What a folder of a table's entry name becomes (a tool may have put the tables under a person's name). */
    folder?: (name: string) => string;
  },
): Promise<TablesWritten> {
  const { keepExtra, dropped, folder, ...read } = options;
  const tables = TABLE_NAMES.filter((table) => ex.tables[table] !== undefined);
  const entries: Partial<Record<TableName, string>> = {};
  const zip = createZip(path, { sha256: false, ...(read.signal ? { signal: read.signal } : {}) });
  // Tables of two contracts' folders: read united for the counts and checks, written copy by copy after.
  const copied = new Map<TableName, TableCopy[]>();
  for (const table of tables) {
    const copies = await tableCopies(ex, table, read.signal);
    if (copies) copied.set(table, copies);
  }
  let current:
    | {
        channel: Channel;
        adding: Promise<void>;
        columns: ExportColumn[];
        text: string;
        lines: LineEnds | undefined;
      }
    | undefined;
  const push = (piece: Buffer) => current!.channel.push([current!.lines?.convert(piece) ?? piece]);
  const flush = () => {
    const open = current;
    if (open === undefined || open.text === '') return undefined;
    const piece = Buffer.from(open.text, 'utf8');
    open.text = '';
    return push(piece);
  };
  /** Hooks writing each table read from `from` into the zip; the tables of `skip` are read, not written. */
  const hooks = (from: TalentExport, skip: ReadonlySet<TableName>): TableHooks => ({
    open: async (table) => {
      if (skip.has(table)) return;
      const source = from.tables[table]!;
      const header = (await readTableHeader(from, table, read.signal)) ?? [];
      const columns = renameDropped(exportColumns(header, SCHEMAS[table].fields, keepExtra[table]), dropped);
      const shape = await sourceShape(from, table, read.signal);
      const name = entryName(sourceEntry(source), folder);
      entries[table] ??= name;
      const channel = new Channel();
      const adding = zip.add({ name, stream: channel });
      adding.catch((error) => channel.fail(error));
      current = {
        channel,
        adding,
        columns,
        text: shapePrefix(shape) + exportHeaderLine(columns),
        lines: shape.eol === 'lf' ? undefined : new LineEnds(shape.eol),
      };
    },
    record: (_table, record, source) => {
      if (current === undefined) return undefined;
      current.text += encodeExportRow(record, current.columns, source);
      return current.text.length >= PIECE ? flush() : undefined;
    },
    encoded: async (_table, rows) => {
      if (current === undefined) return;
      await flush();
      // Copied: the engine hands its pieces back to the workers once this returns, while zlib may
      // still be reading them on its own thread (the zip's deflate stream reads ahead).
      const pieces = rows.csv ?? [];
      if (pieces.length > 0) await push(Buffer.concat(pieces));
    },
    close: async () => {
      if (current === undefined) return;
      await flush();
      current.channel.end();
      await current.adding;
      current = undefined;
    },
  });
  const engine = {
    ...read,
    failFast: true,
    formats: ['csv'],
    exportCsv: { keepExtra },
    decodeHere: true,
  } satisfies ReadOptions;
  try {
    const outcome = await readTables(ex, tables, hooks(ex, new Set(copied.keys())), {
      ...engine,
      references: tables.length === TABLE_NAMES.length,
    });
    for (const [table, copies] of copied) {
      for (const copy of copies) {
        // Counted once, in the run above: this stage's counts go nowhere.
        const stage = read.stage && {
          ...read.stage,
          options: { ...(read.stage.options as object), counters: createCounters() },
        };
        await readTables(copy.ex, [table], hooks(copy.ex, new Set()), {
          ...engine,
          ...(stage ? { stage } : {}),
          references: false,
        });
      }
    }
    return {
      outcome,
      entries,
      finish: async (files) => {
        for (const { name, data } of files) await zip.add({ name, bytes: data });
        await zip.close();
      },
      abort: () => zip.abort(),
    };
  } catch (error) {
    current?.channel.fail(error);
    await zip.abort();
    throw error;
  }
}

/**
 * The columns with the headers of extra columns not kept made by `rename`; one that becomes another
 * column's header takes a number (` (2)`), so that the table still reads with one column per header.
 */
export function renameDropped(
  columns: ExportColumn[],
  rename?: (header: string, index: number) => string,
): ExportColumn[] {
  if (!rename) return columns;
  const taken = new Set(columns.map((column) => foldHeader(column.header)));
  // The columns are the source header's, in its order: `k` is a column's place.
  return columns.map((column, k) => {
    if (!column.emptied) return column;
    // A blank header cell (a spreadsheet's trailing empty column) names nobody: it stays blank. The schema
    // reads it as a column named by its place without a space (`column12`), so that name is one too.
    if (column.header.trim() === '' || placeName(column.header, k)) return { ...column, header: '' };
    const renamed = rename(column.header, k);
    return renamed === column.header ? column : { ...column, header: unusedHeader(renamed, taken) };
  });
}

const CONTRACT = /^contracts?_\d+(?: \d+)?$/i;

/**
 * A table's entry name in export.zip: its entry, or for a table unzipped from one, its file's name with its
 * contract's folder (`Contract_1 2/Notes.csv`), as export.zip had it: two contracts' copies of a table are
 * two entries, and the name alone would be the same entry twice.
 */
export function sourceEntry(source: { file: string; entry?: string }): string {
  if (source.entry !== undefined) return source.entry;
  const folder = dirname(source.file);
  return CONTRACT.test(basename(folder))
    ? `${basename(folder)}/${basename(source.file)}`
    : basename(source.file);
}

/** A table's entry name with its folders renamed by `folder`; the file's own name stays (it names the table). */
export function entryName(name: string, folder: ((name: string) => string) | undefined): string {
  if (!folder || !name.includes('/')) return name;
  const parts = name.split('/');
  const file = parts.pop()!;
  return [...parts.map((part) => (part === '' ? part : folder(part))), file].join('/');
}
