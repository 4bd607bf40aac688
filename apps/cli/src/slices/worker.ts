// Worker thread entry: decodes the slices it is sent, one at a time, and sends back what it found. The
// pieces of output it hands over come back once written, to be filled again.

import { parentPort } from 'node:worker_threads';
import { PiecePool } from '@talent-export/writers';
import { type SliceJob, trySlice } from './decode.js';

const pool = new PiecePool();

type Message = { id: number; job: SliceJob } | { reuse: ArrayBuffer[] };

parentPort?.on('message', (message: Message) => {
  if ('reuse' in message) {
    for (const buffer of message.reuse) pool.give(buffer);
    return;
  }
  const result = trySlice(message.job, pool);
  const transfer: ArrayBuffer[] = [];
  if (result.ok && result.encoded) {
    // Each piece starts a buffer of its own (see RowEncoder): handed over whole rather than copied.
    for (const piece of [...(result.encoded.ndjson ?? []), ...(result.encoded.csv ?? [])]) {
      if (piece.byteOffset === 0) transfer.push(piece.buffer as ArrayBuffer);
    }
  }
  parentPort?.postMessage({ id: message.id, result }, transfer);
});
