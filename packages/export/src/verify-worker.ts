// Worker thread entry: lists and checks every entry of a zip part (local headers, sizes, CRC-32, bomb
// caps), as `verifyPart` would on the calling thread, and sends back each entry's listing and outcome in
// batches, a few at a time: the caller tallies them, and acknowledges each batch it took. Parts come one
// at a time, the next once the caller has this one's problems.
import { parentPort } from 'node:worker_threads';
import { openZip, WindowBuffers, type ZipOptions } from '@talent-export/zip';
import { archiveProblems, reason } from './io.js';
import { emptyBatch, type VerifyBatch, type VerifyMessage, type VerifyWorkerData } from './verify-thread.js';

/** Entries per batch, and batches sent and not yet acknowledged. */
const BATCH = 1024;
const AHEAD = 4;
/**
 * Name characters per batch: a name may be 65,535 bytes long, and a hostile part of such names held
 * AHEAD batches of 1024 of them (half a gigabyte, copied again on the other thread) in flight.
 */
const BATCH_CHARS = 256 * 1024;

/**
 * The read-ahead buffers of one part, kept for the next (they cannot cross threads with the options): two
 * 4 MB buffers freed and taken anew for every part fragmented this thread's heap, which grew with the
 * number of parts.
 */
const windowBuffers = new WindowBuffers();

let unacknowledged = 0;
let wake: (() => void) | undefined;
// Acknowledgements of a part's batches all come before the next part, which the caller sends once it
// has this one's problems.
parentPort?.on('message', (message: 'next' | { part: VerifyWorkerData }) => {
  if (message !== 'next') {
    run(message.part).catch(failed);
    return;
  }
  unacknowledged -= 1;
  wake?.();
  wake = undefined;
});

const send = (message: VerifyMessage) => parentPort?.postMessage(message);

async function sendBatch(batch: VerifyBatch): Promise<void> {
  send({ batch });
  unacknowledged += 1;
  while (unacknowledged >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
}

async function run({ path, file, zip }: VerifyWorkerData): Promise<void> {
  const archive = await openZip(path, { ...(zip as ZipOptions), windowBuffers });
  try {
    let batch = emptyBatch();
    let chars = 0;
    for await (const entries of archive.entryBatches()) {
      for (const entry of entries) {
        let checked: number | string | null = null;
        if (!entry.isDirectory) {
          try {
            // Most small files are in memory already, read ahead: checked without a promise each.
            checked = archive.verifyHeld(entry) ?? (await archive.verify(entry));
          } catch (error) {
            checked = reason(error);
          }
        }
        batch.name.push(entry.name);
        batch.isDirectory.push(entry.isDirectory);
        batch.size.push(entry.uncompressedSize);
        batch.crc32.push(entry.crc32);
        batch.checked.push(checked);
        chars += entry.name.length;
        if (batch.name.length >= BATCH || chars >= BATCH_CHARS) {
          await sendBatch(batch);
          batch = emptyBatch();
          chars = 0;
        }
      }
    }
    if (batch.name.length > 0) await sendBatch(batch);
    send({ problems: archiveProblems(archive, file) });
  } finally {
    await archive.close();
  }
}

function failed(error: unknown): void {
  const e = error as Error & { code?: unknown; kind?: unknown };
  // Fields that say where (archive, entry, offset...): plain values, which cross threads.
  const own = Object.fromEntries(
    Object.entries(error instanceof Error ? error : {}).filter(([, v]) =>
      ['string', 'number', 'boolean'].includes(typeof v),
    ),
  );
  send({
    error: {
      ...own,
      name: e?.name ?? 'Error',
      message: String(e?.message ?? error),
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(typeof e?.kind === 'string' ? { kind: e.kind } : {}),
    },
  });
}

// Loaded: the caller gives up on a worker that does not say so in time (see `VerifyThread`).
send({ ready: true });
