// A zip part's entries checked by a worker thread (see verify-worker.ts), so that the thread reading the
// tables keeps its time for them: checking the many small attachments of a part on it held up the tables'
// inflated chunks and the slices' results, and the threads decoding them waited.
import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { ERROR_KINDS, type ErrorKind, startWorker, TalentExportError } from '@talent-export/errors';
import type { ZipOptions } from '@talent-export/zip';
import type { EntryMeta } from './attachments.js';
import type { Problem } from './errors.js';

/**
 * Entries' listings (`EntryMeta`, field by field) and what checking each gave: the bytes read back, a
 * reason it failed, or null (a folder). Arrays of values, not an object per entry: cheaper to send across.
 */
export interface VerifyBatch {
  name: string[];
  isDirectory: boolean[];
  size: number[];
  crc32: (number | null)[];
  checked: (number | string | null)[];
}

export const emptyBatch = (): VerifyBatch => ({
  name: [],
  isDirectory: [],
  size: [],
  crc32: [],
  checked: [],
});

/** The batch's entries in order, each given as the same object, changed from one entry to the next. */
export function* entriesOf(batch: VerifyBatch): Generator<[EntryMeta, number | string | null]> {
  const meta: EntryMeta = { name: '', isDirectory: false, size: 0, crc32: null };
  const pair: [EntryMeta, number | string | null] = [meta, null];
  for (let i = 0; i < batch.name.length; i++) {
    meta.name = batch.name[i]!;
    meta.isDirectory = batch.isDirectory[i]!;
    meta.size = batch.size[i]!;
    meta.crc32 = batch.crc32[i]!;
    pair[1] = batch.checked[i]!;
    yield pair;
  }
}

export type VerifyMessage =
  | { ready: true }
  | { batch: VerifyBatch }
  | { problems: Problem[] }
  | { error: Record<string, unknown> & { name: string; message: string; code?: string; kind?: string } };

export interface VerifyWorkerData {
  path: string;
  file: string;
  /** The options that cross threads: limits and policies, no signal, no shared buffers. */
  zip: Pick<ZipOptions, 'limits' | 'onRefused' | 'duplicateNames' | 'hideFileNames' | 'truncated'>;
}

const WORKER = new URL('./verify-worker.js', import.meta.url);
/**
 * A worker that has not said it is ready by then is taken for one that cannot start (a preload that waits
 * forever in worker threads): the part is checked here rather than waited on for ever.
 */
const START_MS = 10_000;

/** Whether the worker's module is there to run (it is not when running from the TypeScript sources). */
export const canVerifyInThread = (): boolean => WORKER.protocol === 'file:' && existsSync(WORKER);

/**
 * The thread checking a part was lost before it was done: it could not start (`started` false: a preload
 * that fails in worker threads, the system refusing a thread, its module not loading) or stopped part way
 * (out of memory). The batches it sent were whole: the caller checks the rest of the part itself.
 */
export class VerifyThreadLost extends Error {
  override readonly name = 'VerifyThreadLost';
  constructor(
    readonly why: string,
    readonly started: boolean,
  ) {
    super(`the thread checking attachments was lost (${why})`);
  }
}

/**
 * A worker thread checking zip parts one after another, started at the first and kept for the next: a
 * thread a part took ~100 ms each to start, and 1,500 parts of a few files each 160 s to validate.
 * `close` stops it; a part left part way (an abort, too many corrupt entries) stops it too, and the next
 * part starts another.
 */
export class VerifyThread {
  #worker: Worker | undefined;
  #queue: Exclude<VerifyMessage, { ready: true }>[] = [];
  #failed: Error | undefined;
  #exited: number | undefined;
  /** Whether the worker running now has sent anything: until then it may not have started at all. */
  #heard = false;
  /** Why a worker could not start: the next parts are not tried on one either (see `unstarted`). */
  #unstarted: string | undefined;
  #wake: (() => void) | undefined;

  /**
   * The part's entries, in archive order, batch by batch; then the archive's own problems (refused
   * entries, notices). A failure of the whole part is thrown as it was thrown in the worker: same code,
   * kind and message. A worker lost meanwhile (not a failure of the part) is thrown as `VerifyThreadLost`,
   * after every batch it sent.
   */
  async *verify(
    path: string,
    file: string,
    zip: ZipOptions,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<VerifyBatch, Problem[]> {
    const part: VerifyWorkerData = {
      path,
      file,
      zip: {
        ...(zip.limits ? { limits: zip.limits } : {}),
        ...(zip.onRefused ? { onRefused: zip.onRefused } : {}),
        ...(zip.duplicateNames ? { duplicateNames: zip.duplicateNames } : {}),
        ...(zip.hideFileNames ? { hideFileNames: zip.hideFileNames } : {}),
        ...(zip.truncated ? { truncated: zip.truncated } : {}),
      },
    };
    const worker = await this.#start();
    worker.ref();
    worker.postMessage({ part });
    const onAbort = () => this.#notify();
    signal?.addEventListener('abort', onAbort);
    let finished = false;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const message = this.#queue.shift();
        if (message === undefined) {
          if (this.#failed !== undefined || this.#exited !== undefined) throw this.#lost();
          await new Promise<void>((resolve) => (this.#wake = resolve));
          continue;
        }
        if ('batch' in message) {
          yield message.batch;
          worker.postMessage('next');
        } else {
          finished = true;
          if ('problems' in message) return message.problems;
          throw rebuilt(message.error);
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Idle between parts, it does not keep the process alive.
      if (finished) worker.unref();
      else await this.close();
    }
  }

  /** The worker's thread id, while it runs. */
  get threadId(): number | undefined {
    return this.#exited !== undefined ? undefined : this.#worker?.threadId;
  }

  /** Why a worker could not start, once one could not: parts are then checked by the caller. */
  get unstarted(): string | undefined {
    return this.#unstarted;
  }

  /** The worker lost, said once it said all it had: 'error' (its message) or 'exit' alone (its code). */
  #lost(): VerifyThreadLost {
    const why = this.#failed?.message ?? `it exited with code ${this.#exited}`;
    if (!this.#heard) this.#unstarted ??= why;
    return new VerifyThreadLost(why, this.#heard);
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  async #start(): Promise<Worker> {
    if (this.#unstarted !== undefined) throw new VerifyThreadLost(this.#unstarted, false);
    if (this.#worker && this.#exited === undefined) return this.#worker;
    // Loaded when needed: a program that only lists an export does not pay for loading it.
    const { Worker } = await import('node:worker_threads');
    const worker = startWorker(Worker, WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.#worker = worker;
    this.#queue = [];
    this.#failed = undefined;
    this.#exited = undefined;
    this.#heard = false;
    // A worker stopped (see `close`) says no more: its 'exit' is not the next one's.
    const starting = setTimeout(() => {
      if (this.#worker !== worker || this.#heard) return;
      this.#failed = new Error(`it was not ready after ${START_MS / 1000} s`);
      this.#notify();
      void worker.terminate();
    }, START_MS);
    starting.unref();
    worker.on('message', (message: VerifyMessage) => {
      if (this.#worker !== worker) return;
      this.#heard = true;
      clearTimeout(starting);
      if ('ready' in message) return;
      this.#queue.push(message);
      this.#notify();
    });
    worker.on('error', (error) => {
      if (this.#worker !== worker) return;
      this.#failed = error;
      this.#notify();
    });
    // A worker that ends while it starts (a preload calling process.exit) says 'exit' alone, code 0 or not.
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return;
      this.#exited = code;
      this.#notify();
    });
    return worker;
  }

  #notify(): void {
    this.#wake?.();
    this.#wake = undefined;
  }
}

/** The worker's error as this thread's: a coded error keeps its code, kind, message and fields. */
function rebuilt(
  error: Record<string, unknown> & { name: string; message: string; code?: string; kind?: string },
): Error {
  const { name, message, code, kind, stack: _, ...fields } = error;
  const rebuilt =
    code !== undefined && ERROR_KINDS.includes(kind as ErrorKind)
      ? new TalentExportError(code, kind as ErrorKind, message)
      : Object.assign(new Error(message), code === undefined ? {} : { code });
  rebuilt.name = name;
  return Object.assign(rebuilt, fields);
}
