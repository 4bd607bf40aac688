import { createTableDecoder, type TableName } from '@talent-export/schema';
import type { TalentExport } from './export.js';

/**
 * A table's header as written (trimmed and matched by the schema, but spelled as the source spelled it):
 * read from the table's first bytes only. Readers give records, not the header; an output in the export's
 * shape keeps it. A header that cannot be read names the file, as the readers of its rows do.
 */
export async function readTableHeader(
  ex: TalentExport,
  table: TableName,
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const source = ex.tables[table];
  const stream = await ex.openTable(table, signal ? { signal } : {});
  const file = source?.entry ? `${source.file}:${source.entry}` : source?.file;
  const decoder = createTableDecoder(table, file === undefined ? {} : { file });
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      decoder.push(chunk);
      if (decoder.header !== undefined) return decoder.header;
    }
    decoder.end();
    return decoder.header;
  } finally {
    stream.destroy();
  }
}
