import { Transform, type TransformCallback } from 'node:stream';
import { createTableDecoder, type Decoded, type TableDecoder, type TableStats } from './decoder.js';
import type { DecodeOptions } from './options.js';
import type { TableName } from './tables.js';

export type ByteSource = AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;

/** Decoded rows of a table; the stats are the generator's return value and stay readable as `.stats`. */
export type TableGenerator = AsyncGenerator<Decoded, TableStats, undefined> & {
  readonly stats: TableStats;
  readonly notices: string[];
  readonly header: string[] | undefined;
};

/** Async-iterable adapter over the pure decoder. */
export function decodeTable(table: TableName, input: ByteSource, options?: DecodeOptions): TableGenerator {
  const decoder = createTableDecoder(table, options);
  const generator = run(decoder, input as AsyncIterable<Uint8Array | string>);
  return Object.defineProperties(generator, {
    stats: { get: () => decoder.stats },
    notices: { get: () => decoder.notices },
    header: { get: () => decoder.header },
  }) as TableGenerator;
}

async function* run(
  decoder: TableDecoder,
  input: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Decoded, TableStats, undefined> {
  for await (const chunk of input) yield* decoder.push(bytes(chunk));
  yield* decoder.end();
  return decoder.stats;
}

/** Node Transform: bytes in, {@link Decoded} objects out; emits `stats` (TableStats) before it finishes. */
export type DecodeStream = Transform & { readonly decoder: TableDecoder };

export function decodeStream(table: TableName, options?: DecodeOptions): DecodeStream {
  const decoder = createTableDecoder(table, options);
  const stream = new Transform({
    writableObjectMode: false,
    readableObjectMode: true,
    transform(chunk: Uint8Array | string, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        for (const item of decoder.push(bytes(chunk))) this.push(item);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        for (const item of decoder.end()) this.push(item);
        this.emit('stats', decoder.stats);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  return Object.defineProperty(stream, 'decoder', { value: decoder }) as DecodeStream;
}

function bytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}
