// One slice of a table, decoded on its own: the work a worker thread does. Pure, so tests run it in-process.
import {
  createTableDecoder,
  type Decoded,
  type Reject,
  type Resume,
  SCHEMAS,
  type TableName,
  type Value,
} from '@talent-export/schema';
import { type EncodedRows, type Format, RowEncoder } from '@talent-export/writers';

export interface SliceJob {
  table: TableName;
  file: string | undefined;
  maxRecordBytes: number | undefined;
  header: readonly string[];
  /** Byte offset of the slice in the table file. */
  offset: number;
  /** The slice's bytes, in the pieces they were read in: each piece's rows are encoded and let go in turn. */
  parts: readonly Uint8Array[];
  /** The table's last bytes: the decoder is ended after them. */
  final: boolean;
  /** Formats to encode the records to; none to only count and check them. */
  formats: readonly Format[];
  /** Columns the reference checks read (see `referenceColumns`); their values come back flat. */
  refColumns: readonly string[];
}

export type SliceResult =
  | {
      ok: true;
      /** Lines the slice spans: rejects and the next slice are that many lines further down. */
      lines: number;
      rowsRead: number;
      rowsDecoded: number;
      rowsRejected: number;
      /** Lines here are counted from 1 at the slice start (see `shiftReject`). */
      rejects: Reject[];
      /** Per decoded row, the values of `refColumns`, row after row. */
      refs: Value[];
      encoded: EncodedRows | undefined;
    }
  /** Not usable: the slice does not end between records (quoting the cut misjudged), or decoding threw. */
  | { ok: false; why: string };

export function decodeSlice(job: SliceJob): SliceResult {
  const decoder = createTableDecoder(job.table, {
    ...(job.file === undefined ? {} : { file: job.file }),
    ...(job.maxRecordBytes === undefined ? {} : { maxRecordBytes: job.maxRecordBytes }),
    continueAt: { header: job.header, offset: job.offset, line: 1 },
  });
  const encoder =
    job.formats.length > 0 ? new RowEncoder(job.table, SCHEMAS[job.table].fields, job.formats) : undefined;
  const rejects: Reject[] = [];
  const refs: Value[] = [];
  const take = (items: Decoded[]) => {
    for (const item of items) {
      if (item.kind === 'reject') {
        rejects.push(item.reject);
        continue;
      }
      encoder?.add(item.record);
      for (const column of job.refColumns) refs.push(item.record[column] ?? null);
    }
  };
  for (const part of job.parts) take(decoder.push(part));
  if (job.final) take(decoder.end());
  const next: Resume | undefined = decoder.resume;
  if (next === undefined) return { ok: false, why: 'the slice does not end between records' };
  const { rowsRead, rowsDecoded, rowsRejected } = decoder.stats;
  return {
    ok: true,
    lines: next.line - 1,
    rowsRead,
    rowsDecoded,
    rowsRejected,
    rejects,
    refs,
    encoded: encoder?.finish(),
  };
}

/** `decodeSlice`, a throw made "not usable": the slice is decoded again in order, where an error gets its real line. */
export function trySlice(job: SliceJob): SliceResult {
  try {
    return decodeSlice(job);
  } catch (error) {
    return { ok: false, why: String((error as Error)?.message ?? error) };
  }
}
