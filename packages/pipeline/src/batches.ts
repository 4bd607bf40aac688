// `readTables` as an async iterable: batches in file order, the next ones read only as these are taken.
import type { TalentExport } from '@talent-export/export';
import { type Reject, SCHEMAS, type TableName, type TypedRecord } from '@talent-export/schema';
import type { EncodedRows } from '@talent-export/writers';
import { RowEncoder } from '@talent-export/writers/internal';
import type { ReadOptions } from './options.js';
import { readTables, type TablesOutcome } from './read.js';

/**
 * Records (typed, after the stage) when no `formats` are asked for; otherwise the rows already encoded to
 * them, by the worker threads for big tables. Rejects come in batches of their own.
 */
export type Batch =
  | { kind: 'records'; table: TableName; records: TypedRecord[] }
  | { kind: 'encoded'; table: TableName; rows: EncodedRows }
  | { kind: 'rejects'; table: TableName; rejects: Reject[] };

/**
 * The batches of a run. The bytes of an `encoded` batch are lent: they are the caller's until it asks for
 * the next batch (or leaves the loop), then go back to be filled again; copy what must be kept longer.
 */
export interface TableRun extends AsyncIterable<Batch> {
  /** Counts, references and problems; settles once the batches were all taken (or the run failed). */
  readonly outcome: Promise<TablesOutcome>;
}

/** Batches read ahead of the one being taken. */
const AHEAD = 4;

export function readBatches(
  ex: TalentExport,
  tables: readonly TableName[],
  options: ReadOptions & { batchRows?: number } = {},
): TableRun {
  const { batchRows = 1000, ...rest } = options;
  const formats = rest.formats ?? [];
  const stop = new AbortController();
  const signal = rest.signal ? AbortSignal.any([rest.signal, stop.signal]) : stop.signal;
  const queue: Batch[] = [];
  /** Called when the batch last given out is done with: the caller asked for the next one, or left. */
  let release: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let room: (() => void) | undefined;
  signal.addEventListener('abort', () => room?.(), { once: true });

  const put = async (batch: Batch) => {
    queue.push(batch);
    wake?.();
    while (queue.length >= AHEAD && !signal.aborted) await new Promise<void>((r) => (room = r));
  };
  // An encoded batch's pieces go back to the thread that made them, to be filled again, once the caller
  // is done with them: it owns them until it asks for the next batch.
  const lend = async (batch: Batch) => {
    // Stopped already: nobody takes it, and the abort that would give it back has fired.
    if (signal.aborted) return;
    const released = new Promise<void>((r) => {
      const own = () => {
        signal.removeEventListener('abort', own);
        r();
      };
      (batch as { release?: () => void }).release = own;
      signal.addEventListener('abort', own, { once: true });
    });
    await put(batch);
    await released;
  };
  let records: TypedRecord[] = [];
  /** Rows taken since the last batch (kept in `records`, or encoded). */
  let pending = 0;
  let rejects: Reject[] = [];
  let encoder: RowEncoder | undefined;
  let table: TableName | undefined;
  const flush = async () => {
    if (pending === 0) return;
    pending = 0;
    if (encoder) {
      const rows = encoder.finish();
      encoder = newEncoder(table!);
      await put({ kind: 'encoded', table: table!, rows });
    } else {
      const batch = records;
      records = [];
      await put({ kind: 'records', table: table!, records: batch });
    }
  };
  const newEncoder = (name: TableName) =>
    new RowEncoder(name, SCHEMAS[name].fields, formats, { decoded: rest.stage === undefined });

  const outcome = readTables(
    ex,
    tables,
    {
      open: (name) => {
        table = name;
        if (formats.length > 0) encoder = newEncoder(name);
      },
      record: async (_name, record) => {
        if (encoder) encoder.add(record);
        else records.push(record);
        pending += 1;
        if (pending >= batchRows) await flush();
      },
      ...(formats.length > 0
        ? {
            encoded: async (name: TableName, rows: EncodedRows) => {
              await flush();
              await lend({ kind: 'encoded', table: name, rows });
            },
          }
        : {}),
      reject: async (reject) => {
        rejects.push(reject);
        if (rejects.length >= batchRows) {
          await put({ kind: 'rejects', table: reject.table as TableName, rejects });
          rejects = [];
        }
      },
      close: async (name) => {
        await flush();
        if (rejects.length > 0) await put({ kind: 'rejects', table: name, rejects });
        rejects = [];
        encoder = undefined;
      },
    },
    { ...rest, signal },
  ).then(
    (result) => {
      ended = true;
      wake?.();
      return result;
    },
    (error: unknown) => {
      ended = true;
      failure = error;
      wake?.();
      throw error;
    },
  );
  // Read through `outcome` or the iterator; neither leaves the other's failure unhandled.
  outcome.catch(() => undefined);

  async function* batches(): AsyncGenerator<Batch> {
    try {
      for (;;) {
        release?.();
        release = undefined;
        const batch = queue.shift();
        if (batch) {
          room?.();
          const lent = batch as Batch & { release?: () => void };
          release = lent.release;
          delete lent.release;
          yield batch;
        } else if (ended) {
          if (failure !== undefined) throw failure;
          return;
        } else await new Promise<void>((r) => (wake = r));
      }
    } finally {
      release?.();
      // Left early: the reading stops.
      if (!ended) stop.abort();
    }
  }
  return { outcome, [Symbol.asyncIterator]: batches };
}
