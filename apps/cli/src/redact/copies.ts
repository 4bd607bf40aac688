// A table of two contracts' folders (`Contract_1/Notes.csv` and `Contract_1 2/Notes.csv`, see `united` of
// @talent-export/export) is read as one: each copy's rows after the other's. A redacted copy of the export
// keeps every entry, each with its own rows, so that it has the source's shape and reads back as the same
// united table. Each copy is cut from the united bytes where the reader put it (see `CopyPlaces.parts`),
// behind the header its rows are read under: a copy from an older export lacking a column is written with
// it, empty, as every output of the table has every column.
import { Readable } from 'node:stream';
import type { OpenTableOptions, TableSource, TalentExport } from '@talent-export/export';
import { copyPlaces } from '@talent-export/export/internal';
import type { TableName } from '@talent-export/schema';

export interface TableCopy {
  /** An export holding only this copy of the table, for the reading engine. */
  ex: TalentExport;
}

/** The copies of `table` as exports of their own, in the order they are united; undefined for a table of one. */
export async function tableCopies(
  ex: TalentExport,
  table: TableName,
  signal?: AbortSignal,
): Promise<TableCopy[] | undefined> {
  const source = ex.tables[table];
  const copies = source?.copies;
  if (source === undefined || copies === undefined || copies.length === 0) return undefined;
  // One pass over the united bytes: their length, and where each copy's are.
  let length = 0;
  const stream = await ex.openTable(table, signal ? { signal } : {});
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) length += chunk.length;
  } finally {
    stream.destroy();
  }
  const parts = copyPlaces(stream)?.parts();
  if (parts === undefined || parts.length !== copies.length + 1) return undefined;
  const { copies: _, ...first } = source;
  const held = [{ ...first, bytes: copies.reduce((n, c) => n - c.bytes, source.bytes) }, ...copies];
  return parts.map((part, k) => {
    const to = parts[k + 1]?.start ?? length;
    return {
      ex: copyExport(ex, table, { ...first, ...held[k]! }, (options) =>
        cut(ex, table, part.start, to, part.head, options),
      ),
    };
  });
}

/** The united bytes [from, to), behind `head`. */
async function* cut(
  ex: TalentExport,
  table: TableName,
  from: number,
  to: number,
  head?: Buffer,
  options: OpenTableOptions = {},
): AsyncGenerator<Uint8Array> {
  if (head !== undefined) yield head;
  const stream = await ex.openTable(table, options);
  let at = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      const start = Math.max(from - at, 0);
      const end = Math.min(to - at, chunk.length);
      at += chunk.length;
      if (end > start) yield chunk.subarray(start, end);
      if (at >= to) break;
    }
  } finally {
    stream.destroy();
  }
}

/** `ex` with `table` read from `bytes` alone, under `source`'s name. */
function copyExport(
  ex: TalentExport,
  table: TableName,
  source: TableSource,
  bytes: (options?: OpenTableOptions) => AsyncIterable<Uint8Array>,
): TalentExport {
  return {
    root: ex.root,
    layout: ex.layout,
    manifest: ex.manifest,
    parts: ex.parts,
    problems: [],
    tables: { [table]: source },
    openTable: async (_table, options) => Readable.from(bytes(options), { objectMode: false }),
    indexAttachments: (options) => ex.indexAttachments(options),
    indexAttachmentBatches: (options) => ex.indexAttachmentBatches(options),
    verifyAttachments: (options) => ex.verifyAttachments(options),
    close: async () => {},
  };
}
