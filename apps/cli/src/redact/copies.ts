// A table of two contracts' folders (`Contract_1/Notes.csv` and `Contract_1 2/Notes.csv`, see `united` of
// @talent-export/export) is read as one: each copy's rows after the other's. A redacted copy of the export
// keeps both entries, each with its own rows, so that it has the source's shape and reads back as the same
// united table. Each copy is cut from the united bytes: the first copy is its own size, the second what
// follows it (a line break put between the two, if any, left out), behind its header line.
import { Readable } from 'node:stream';
import type { OpenTableOptions, TableSource, TalentExport } from '@talent-export/export';
import type { TableName } from '@talent-export/schema';

export interface TableCopy {
  /** An export holding only this copy of the table, for the reading engine. */
  ex: TalentExport;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The copies of `table` as exports of their own, in the order they are united; undefined for a table of
 * one copy, or of more than two (the lengths of the header lines between them are not known).
 */
export async function tableCopies(
  ex: TalentExport,
  table: TableName,
  signal?: AbortSignal,
): Promise<TableCopy[] | undefined> {
  const source = ex.tables[table];
  const copies = source?.copies;
  if (source === undefined || copies === undefined || copies.length !== 1) return undefined;
  const second = copies[0]!;
  const firstBytes = source.bytes - second.bytes;
  // One pass over the united bytes: their length, the first copy's last byte and its header line.
  let length = 0;
  let last = LF;
  const head: Buffer[] = [];
  let headed = false;
  const stream = await ex.openTable(table, signal ? { signal } : {});
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      if (!headed) {
        const lf = chunk.indexOf(LF);
        head.push(Buffer.from(chunk.subarray(0, lf < 0 ? chunk.length : lf + 1)));
        headed = lf >= 0;
      }
      if (firstBytes > length && firstBytes <= length + chunk.length) last = chunk[firstBytes - length - 1]!;
      length += chunk.length;
    }
  } finally {
    stream.destroy();
  }
  const joined = last === LF || last === CR ? 0 : 1;
  const rowsFrom = firstBytes + joined;
  const header = Buffer.concat(head);
  const bom = header[0] === 0xef && header[1] === 0xbb && header[2] === 0xbf ? 3 : 0;
  let text = header.length;
  while (text > bom && (header[text - 1] === LF || header[text - 1] === CR)) text--;
  const words = header.subarray(bom, text);
  // The second copy's header line is its size less its rows: the same words, with or without a byte
  // order mark, ended by LF, CRLF or nothing (a copy of a header alone).
  const extra = second.bytes - (length - rowsFrom) - words.length;
  if (!headed || extra < 0 || extra > 5 || rowsFrom > length) return undefined;
  const ending = [Buffer.alloc(0), Buffer.of(LF), Buffer.of(CR, LF)][extra % 3]!;
  const bomBytes = extra >= 3 ? Buffer.of(0xef, 0xbb, 0xbf) : Buffer.alloc(0);
  const secondHead = Buffer.concat([bomBytes, words, ending]);
  const { copies: _, ...first } = source;
  return [
    { ex: copyExport(ex, table, { ...first, bytes: firstBytes }, () => cut(ex, table, 0, firstBytes)) },
    {
      ex: copyExport(ex, table, { ...first, ...second }, (options) =>
        cut(ex, table, rowsFrom, length, secondHead, options),
      ),
    },
  ];
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
