import { Transform, Writable } from 'node:stream';
import type { FieldSchema } from '@talent-export/schema';
import { encodeNdjsonLine } from '@talent-export/schema/internal';
import { csvHeader, encodeCsvRow } from './csv.js';
import type { TableWriter } from './output.js';
import type { TypedRecord } from './types.js';

/** Records in, NDJSON text out, for piping into any Node stream. */
export function ndjsonStream(fields: readonly FieldSchema[]): Transform {
  return new Transform({
    writableObjectMode: true,
    transform(record: TypedRecord, _encoding, callback) {
      callback(null, encodeNdjsonLine(record, fields));
    },
  });
}

/** Records in, CSV text out (header first). */
export function csvStream(fields: readonly FieldSchema[]): Transform {
  let header = false;
  return new Transform({
    writableObjectMode: true,
    transform(record: TypedRecord, _encoding, callback) {
      const row = encodeCsvRow(record, fields);
      callback(null, header ? row : csvHeader(fields) + row);
      header = true;
    },
    flush(callback) {
      callback(null, header ? '' : csvHeader(fields));
    },
  });
}

/** Writes every record of an iterable to a table, waiting whenever the disk is behind, then closes it. */
export async function writeAll(
  table: TableWriter,
  records: Iterable<TypedRecord> | AsyncIterable<TypedRecord>,
): Promise<number> {
  for await (const record of records) {
    const wait = table.write(record);
    if (wait) await wait;
  }
  await table.close();
  return table.rows;
}

/** A Writable (object mode) over a table, for `pipeline(source, tableWritable(table))`. */
export function tableWritable(table: TableWriter): Writable {
  return new Writable({
    objectMode: true,
    write(record: TypedRecord, _encoding, callback) {
      try {
        const wait = table.write(record);
        if (wait) wait.then(() => callback(), callback);
        else callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      table.close().then(() => callback(), callback);
    },
  });
}
