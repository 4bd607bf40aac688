// Worker thread entry: decodes the slices it is sent, one at a time, and sends back what it found.
import { parentPort } from 'node:worker_threads';
import { type SliceJob, trySlice } from './decode.js';

parentPort?.on('message', ({ id, job }: { id: number; job: SliceJob }) => {
  const result = trySlice(job);
  const transfer: ArrayBuffer[] = [];
  if (result.ok && result.encoded) {
    // Each piece starts a buffer of its own (see RowEncoder): handed over whole rather than copied.
    for (const piece of [...(result.encoded.ndjson ?? []), ...(result.encoded.csv ?? [])]) {
      if (piece.byteOffset === 0) transfer.push(piece.buffer as ArrayBuffer);
    }
  }
  parentPort?.postMessage({ id, result }, transfer);
});
