// Worker thread entry: decodes the slices it is sent, one at a time, and sends back what it found. The
// pieces of output it hands over come back once written, to be filled again; the bytes of a slice it
// cannot use go back, as they may have been handed over rather than copied, and so do the buffers of a
// slice it used, for the caller to read on into: dropped here, they outlived young collections and
// waited in the old generation for a full one (on a 4x export, peak RSS crept up by ~30 MB).

import { parentPort } from 'node:worker_threads';
import { PiecePool } from '@talent-export/writers';
import { type SliceJob, trySlice, wholeBuffers } from './decode.js';

const pool = new PiecePool();

type Message = { id: number; job: SliceJob } | { reuse: ArrayBuffer[] };

parentPort?.on('message', (message: Message) => {
  if ('reuse' in message) {
    for (const buffer of message.reuse) pool.give(buffer);
    return;
  }
  const result = trySlice(message.job, pool);
  if (!result.ok) {
    const parts = message.job.parts;
    parentPort?.postMessage({ id: message.id, result: { ...result, parts } }, wholeBuffers(parts));
    return;
  }
  // Each piece starts a buffer of its own (see RowEncoder): handed over whole rather than copied.
  const transfer: ArrayBuffer[] = [];
  for (const piece of [...(result.encoded?.ndjson ?? []), ...(result.encoded?.csv ?? [])]) {
    if (piece.byteOffset === 0) transfer.push(piece.buffer as ArrayBuffer);
  }
  const parts = message.job.parts;
  parentPort?.postMessage({ id: message.id, result: { ...result, parts } }, [
    ...transfer,
    ...wholeBuffers(parts),
  ]);
});
