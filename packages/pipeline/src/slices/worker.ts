// Worker thread entry: decodes the slices it is sent, one at a time, and sends back what it found. The
// pieces of output it hands over come back once written, to be filled again; the bytes of a slice it
// cannot use go back, as they may have been handed over rather than copied, and so do the buffers of a
// slice it used, for the caller to read on into: dropped here, they outlived young collections and
// waited in the old generation for a full one (on a 4x export, peak RSS crept up by ~30 MB).

import { parentPort, workerData } from 'node:worker_threads';
import { MissingReferences, type SharedCheck } from '@talent-export/schema/internal';
import { PiecePool } from '@talent-export/writers/internal';
import { loadStage, type RecordTransform, type StageSpec } from '../stage.js';
import { type SliceJob, trySlice } from './decode.js';
import { detachOnce } from './detach.js';

detachOnce();

// This thread's own: it lives as long as the thread, which belongs to one SlicePool.
const pool = new PiecePool();
/** Stages loaded here, by module and options. */
const stages = new Map<string, Promise<RecordTransform>>();

function stageFor(spec: StageSpec): Promise<RecordTransform> {
  const key = JSON.stringify([spec.module, spec.options ?? null]);
  let stage = stages.get(key);
  if (!stage) {
    stage = loadStage(spec);
    stages.set(key, stage);
  }
  return stage;
}

/** The reference checks of the table being read, run here on its slices (see `SliceJob.shared`). */
let shared: { id: number; checks: MissingReferences } | undefined;

type Message =
  | { id: number; job: SliceJob }
  | { reuse: ArrayBuffer[] }
  | { share: { id: number; checks: readonly SharedCheck[] } };

parentPort?.on('message', async (message: Message) => {
  if ('reuse' in message) {
    for (const buffer of message.reuse) pool.give(buffer);
    return;
  }
  if ('share' in message) {
    shared = { id: message.share.id, checks: new MissingReferences(message.share.checks) };
    return;
  }
  // Jobs wait for the stage in the order they came (promise reactions run first in, first out).
  let transform: RecordTransform | undefined;
  try {
    transform = message.job.stage ? await stageFor(message.job.stage) : undefined;
  } catch {
    // Not usable here: the slice is decoded in order by the caller, which loads the stage itself and
    // reports why it could not be loaded.
  }
  const result =
    message.job.stage && !transform
      ? { ok: false as const, why: 'the record stage could not be loaded in a worker thread' }
      : trySlice(
          message.job,
          pool,
          transform,
          shared?.id === message.job.shared?.id ? shared?.checks : undefined,
        );
  // The slice's buffers came in this message alone (handed over or copied): each goes back, however cut.
  const parts = message.job.parts;
  const handed = [...new Set(parts.map((part) => part.buffer as ArrayBuffer))];
  if (!result.ok) {
    parentPort?.postMessage({ id: message.id, result: { ...result, parts } }, handed);
    return;
  }
  // Each piece starts a buffer of its own (see RowEncoder): handed over whole rather than copied.
  const transfer: ArrayBuffer[] = [];
  for (const piece of [...(result.encoded?.ndjson ?? []), ...(result.encoded?.csv ?? [])]) {
    if (piece.byteOffset === 0) transfer.push(piece.buffer as ArrayBuffer);
  }
  parentPort?.postMessage({ id: message.id, result: { ...result, parts } }, [...transfer, ...handed]);
});

// Slices are handed over once the modules above and the stage are loaded: until then the caller decodes
// them itself. A stage that does not load here is said so, and this thread is sent none.
const preload = (workerData as { stage?: StageSpec } | null)?.stage;
const unloadable = preload
  ? await stageFor(preload).then(
      () => undefined,
      (error: unknown) => String((error as Error)?.message ?? error),
    )
  : undefined;
parentPort?.postMessage(unloadable === undefined ? { ready: true } : { ready: false, why: unloadable });
