import { createTableDecoder, type TableName } from '@talent-export/schema';
import type { TalentExport } from './export.js';

/**
 * A table's header as written (trimmed and matched by the schema, but spelled as the source spelled it):
 * read from the table's first bytes only. Readers give records, not the header; an output in the export's
 * shape keeps it.
 */
export async function readTableHeader(
  ex: TalentExport,
  table: TableName,
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  const stream = await ex.openTable(table, signal ? { signal } : {});
  const decoder = createTableDecoder(table);
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
