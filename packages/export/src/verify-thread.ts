// A zip part's entries checked by a worker thread (see verify-worker.ts), so that the thread reading the
// tables keeps its time for them: checking the many small attachments of a part on it held up the tables'
// inflated chunks and the slices' results, and the threads decoding them waited.
import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { ERROR_KINDS, type ErrorKind, TalentExportError } from '@talent-export/errors';
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
  | { batch: VerifyBatch }
  | { problems: Problem[] }
  | { error: Record<string, unknown> & { name: string; message: string; code?: string; kind?: string } };

export interface VerifyWorkerData {
  path: string;
  file: string;
  /** The options that cross threads: limits and policies, no signal, no shared buffers. */
  zip: Pick<ZipOptions, 'limits' | 'onRefused' | 'duplicateNames' | 'hideFileNames'>;
}

const WORKER = new URL('./verify-worker.js', import.meta.url);

/** Whether the worker's module is there to run (it is not when running from the TypeScript sources). */
export const canVerifyInThread = (): boolean => WORKER.protocol === 'file:' && existsSync(WORKER);

/**
 * A worker thread checking zip parts one after another, started at the first and kept for the next: a
 * thread a part took ~100 ms each to start, and 1,500 parts of a few files each 160 s to validate.
 * `close` stops it; a part left part way (an abort, too many corrupt entries) stops it too, and the next
 * part starts another.
 */
export class VerifyThread {
  #worker: Worker | undefined;
  #queue: VerifyMessage[] = [];
  #failed: Error | undefined;
  #exited = false;
  #wake: (() => void) | undefined;

  /**
   * The part's entries, in archive order, batch by batch; then the archive's own problems (refused
   * entries, notices). A failure of the whole part is thrown as it was thrown in the worker: same code,
   * kind and message.
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
          if (this.#failed) throw this.#failed;
          if (this.#exited) throw new Error('the thread checking attachments exited before it was done');
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
    return this.#exited ? undefined : this.#worker?.threadId;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  async #start(): Promise<Worker> {
    if (this.#worker && !this.#exited) return this.#worker;
    // Loaded when needed: a program that only lists an export does not pay for loading it.
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.#worker = worker;
    this.#queue = [];
    this.#failed = undefined;
    this.#exited = false;
    worker.on('message', (message: VerifyMessage) => {
      this.#queue.push(message);
      this.#notify();
    });
    worker.on('error', (error) => {
      this.#failed = error;
      this.#notify();
    });
    worker.on('exit', () => {
      this.#exited = true;
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
