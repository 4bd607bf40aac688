// Reads every attachment byte in a worker thread, so validate checks the parts while the main thread
// decodes the tables: the two use both cores instead of taking turns on one.
import { parentPort, workerData } from 'node:worker_threads';
import { openExport } from '@talent-export/export';

export type VerifyMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; problems: unknown[] }
  | {
      type: 'error';
      error: { code?: string; message: string; archive?: string; entry?: string };
      problems: unknown[];
    };

const PROGRESS_MS = 100;
const port = parentPort!;
const controller = new AbortController();
port.on('message', (message) => {
  if (message === 'abort') controller.abort();
});

const send = (message: VerifyMessage) => port.postMessage(message);
const done = new Map<string, number>();
let last = 0;
let problems: unknown[] = [];
try {
  const { path, zip } = workerData as { path: string; zip?: { limits: { maxRatio: number } } };
  const ex = await openExport(path, { signal: controller.signal, ...(zip ? { zip } : {}) });
  problems = ex.problems;
  try {
    await ex.verifyAttachments({
      signal: controller.signal,
      onProgress: (p) => {
        done.set(p.part, p.bytesDone);
        const now = Date.now();
        if (now - last < PROGRESS_MS) return;
        last = now;
        send({ type: 'progress', bytes: [...done.values()].reduce((a, b) => a + b, 0) });
      },
    });
    send({ type: 'done', problems: ex.problems });
  } finally {
    await ex.close();
  }
} catch (error) {
  const e = error as { code?: string; message?: string; archive?: string; entry?: string };
  send({
    type: 'error',
    problems,
    error: {
      message: e.message ?? String(error),
      ...(e.code ? { code: e.code } : {}),
      ...(e.archive ? { archive: e.archive } : {}),
      ...(e.entry ? { entry: e.entry } : {}),
    },
  });
}
