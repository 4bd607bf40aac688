// The sha256 of the archives, computed on a worker thread. Hashing 3 GB took ~2.5 s of the main thread's
// time (as much as the rest of a re-pack's JavaScript); on the worker it runs while the main thread reads and
// writes. The sink's buffers live in shared memory, so the worker reads the very bytes being written: no copy.
import { Worker } from 'node:worker_threads';
import { startWorker } from '@talent-export/errors';

// Replies come in the order of the requests (one thread, one queue), so each request needs no id.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
const buffers = new Map();
parentPort.on('message', ({ op, id, to, buffer, offset, length }) => {
  try {
    if (op === 'update') hashes.get(id).update(new Uint8Array(buffers.get(buffer), offset, length));
    else if (op === 'buffer') buffers.set(id, buffer);
    else if (op === 'unbuffer') buffers.delete(id);
    else if (op === 'create') hashes.set(id, createHash('sha256'));
    else if (op === 'copy') hashes.set(to, hashes.get(id).copy());
    else if (op === 'drop') hashes.delete(id);
    else if (op === 'digest') {
      const hex = hashes.get(id).digest('hex');
      hashes.delete(id);
      parentPort.postMessage({ hex });
      return;
    }
    parentPort.postMessage({});
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
});
`;

interface Request {
  op: 'create' | 'update' | 'copy' | 'drop' | 'digest' | 'buffer' | 'unbuffer';
  id: number;
  to?: number;
  /** The memory itself with 'buffer'; with 'update', its id. */
  buffer?: SharedArrayBuffer | number;
  offset?: number;
  length?: number;
}

interface Reply {
  hex?: string;
  error?: string;
}

/** The one hashing thread of the process: started on first use, not keeping the process alive when idle. */
class HashThread {
  #worker: Worker | undefined;
  readonly #waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  #ids = 0;

  newId(): number {
    this.#ids += 1;
    return this.#ids;
  }

  send(request: Request): Promise<Reply> {
    const worker = this.#start();
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (this.#waiting.length === 1) worker.ref();
      worker.postMessage(request);
    });
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startWorker(Worker, WORKER_SOURCE, { eval: true });
    worker.on('message', (reply: Reply) => {
      const waiting = this.#waiting.shift();
      if (this.#waiting.length === 0) worker.unref();
      if (reply.error !== undefined) waiting?.reject(new Error(`sha256: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.#worker = undefined;
      for (const waiting of this.#waiting.splice(0)) waiting.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`sha256: the hashing thread exited (${code})`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }
}

const thread = new HashThread();

/**
 * Shared memory the hashing thread knows by an id: it is sent once, as sending it with every update cost
 * ~170 us a message (a re-pack of 3 GB spent a second of the main thread in postMessage).
 */
const registered = new WeakMap<SharedArrayBuffer, number>();

/** Memory the hashing thread reads as it is (the sink's buffers are made of it); `release` when done. */
export function sharedBuffer(size: number): Buffer {
  const memory = new SharedArrayBuffer(size);
  const id = thread.newId();
  registered.set(memory, id);
  settleLater(thread.send({ op: 'buffer', id, buffer: memory }));
  return Buffer.from(memory);
}

/**
 * Shared buffers given back, for the next sink or copy: the hashing thread holds each buffer it was sent
 * until told to forget it, and then until it collects garbage, which a thread that allocates so little
 * seldom does: a bundle per candidate for 1,000 candidates (1,000 archives, written one after another)
 * kept ~450 MB of buffers long forgotten. Reused, a buffer is sent once.
 */
const spares: Buffer[] = [];
const SPARES = 8;

/** A shared buffer of `size` bytes: a spare one when there is one; give it back with `giveShared`. */
export function takeShared(size: number): Buffer {
  for (let i = spares.length - 1; i >= 0; i--) if (spares[i]!.length === size) return spares.splice(i, 1)[0]!;
  return sharedBuffer(size);
}

/** A buffer from `takeShared` whose bytes nobody reads any more (hash updates of it are done). */
export function giveShared(buffer: Buffer): void {
  if (spares.length < SPARES) spares.push(buffer);
  else releaseShared(buffer);
}

/** Lets the hashing thread forget a sharedBuffer. */
export function releaseShared(buffer: Buffer): void {
  const id = registered.get(buffer.buffer as SharedArrayBuffer);
  if (id === undefined) return;
  registered.delete(buffer.buffer as SharedArrayBuffer);
  settleLater(thread.send({ op: 'unbuffer', id }));
}

/** A sha256 whose state lives on the hashing thread. Requests run in the order they are made. */
export class ThreadHash {
  private constructor(readonly id: number) {}

  static create(): ThreadHash {
    const hash = new ThreadHash(thread.newId());
    settleLater(thread.send({ op: 'create', id: hash.id }));
    return hash;
  }

  /**
   * Adds `bytes`. Bytes in shared memory are read in place and must not change until the promise settles;
   * others are copied first.
   */
  update(bytes: Uint8Array): Promise<void> {
    let view = bytes;
    const known = registered.get(view.buffer as SharedArrayBuffer);
    const copied = known === undefined;
    if (copied) {
      view = takeShared(bytes.length);
      view.set(bytes);
    }
    const memory = known ?? (registered.get(view.buffer as SharedArrayBuffer) as number);
    const done = thread.send({
      op: 'update',
      id: this.id,
      buffer: memory,
      offset: view.byteOffset,
      length: view.length,
    });
    // Reused only once the thread has read it.
    return done.then(() => {
      if (copied) giveShared(view as Buffer);
    });
  }

  /** A copy of the state as it will be once the updates asked for so far are done. */
  copy(): ThreadHash {
    const copy = new ThreadHash(thread.newId());
    settleLater(thread.send({ op: 'copy', id: this.id, to: copy.id }));
    return copy;
  }

  /** The digest in hex; the state is dropped. */
  async digest(): Promise<string> {
    const { hex } = await thread.send({ op: 'digest', id: this.id });
    return hex as string;
  }

  /** Frees the state on the hashing thread. */
  drop(): void {
    settleLater(thread.send({ op: 'drop', id: this.id }));
  }
}

/**
 * Requests whose reply nobody waits for: a failure of the thread also fails the next update or digest,
 * which is awaited, so it is reported there, never as an unhandled rejection.
 */
function settleLater(reply: Promise<unknown>): void {
  reply.catch(() => undefined);
}
