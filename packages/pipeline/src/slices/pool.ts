// Worker threads that decode slices of big tables. A worker is handed two slices at a time; the rest of
// the queue waits here, and this thread decodes the newest of them itself when it would otherwise wait on
// the workers with nothing else to do (`help`: the end of a table, slices that cost more to decode than to
// read). Handed over, a slice could not be taken back. This replaced decoding a slice here whenever every
// worker had 2-4 queued (tuned per kind of slice): that took slices while this thread's own work
// (inflating, the attachment index, writing) was the slower side, and left it idle at the ends of tables
// (convert 9.4 -> 8.5 s, redaction 5.4 -> 4.9 s, inspect and report level, medians of 3-6 alternating runs
// on a busy machine). Helping whenever a worker had room cost more in garbage collection than it saved.
// A worker that fails or exits answers "not usable" for what it held: slices it had copies of are decoded
// in order by the caller; bytes handed over are gone with it, and the caller fails the table (PIPELINE_WORKER_LOST)
// rather than lose rows.

import { Worker } from 'node:worker_threads';
import { startWorker } from '@talent-export/errors';
import { MissingReferences } from '@talent-export/schema/internal';
import type { EncodedRows } from '@talent-export/writers';
import { PiecePool } from '@talent-export/writers/internal';
import type { RecordTransform, StageSpec } from '../stage.js';
import { type SliceJob, type SliceResult, trySlice, wholeBuffers } from './decode.js';
import { detachOnce } from './detach.js';
import type { SliceOk } from './reader.js';

detachOnce();

/** Slices out per worker at once (handed over or waiting here), so it never waits on this thread. */
const DEPTH = 4;
/** The same with a record stage: a slice then costs several times more to decode than to read. */
const STAGE_DEPTH = 6;
/** Slices handed to a worker at once; the rest of its share waits here (see `postHeld`). */
const POSTED = 2;
/**
 * A worker not ready by then is taken for one that cannot start (a preload that waits forever in worker
 * threads): its slices waited for it, and a caller that does not decode here (`decodeHere`) waited on
 * them for ever. It starts in ~150 ms; one taken for lost late costs only its share of the work.
 */
const START_MS = 10_000;
/**
 * Read buffers kept for reuse: the slices out at once (DEPTH or STAGE_DEPTH per worker, 16 buffers of
 * 64 KiB each) and those read ahead; with 64, a 4-thread run dropped and took anew hundreds a gigabyte.
 */
const READ_BUFFERS = 160;

interface Member {
  worker: Worker;
  pending: Map<number, (result: SliceResult) => void>;
  alive: boolean;
  /**
   * Its modules and the stage loaded: until then nothing is handed to it, and slices wait here, where this
   * thread decodes them (see `help`). Handed over at once, they waited in its queue while it started
   * (~150 ms), this thread idle.
   */
  ready: boolean;
  /** The id of the shared reference checks it was sent last (see `SliceJob.shared`). */
  shared?: number;
}

export class SlicePool {
  private readonly members: Member[] = [];
  /** Slices not yet handed to a worker, oldest first (see `postHeld`). */
  private readonly held: { job: SliceJob; resolve: (result: SliceResult) => void }[] = [];
  private nextId = 0;
  /** Pieces for slices decoded on this thread. */
  private readonly here = new PiecePool();
  /** Buffers of slices the workers gave back, to read on into. */
  private readonly reads = new PiecePool(READ_BUFFERS);
  /**
   * Buffers read into that no view outside one slice shares: those `readBuffer` gave (the splitter copies
   * the rest of a chunk it cuts into another), and those a worker gave back. Handed over and taken back
   * however a slice's views cut them: copied, a cut chunk was cloned into both slices' messages and left
   * as garbage on both threads (~1,000 64 KB buffers a gigabyte; peak memory grew with the export).
   */
  private readonly own = new WeakSet<ArrayBuffer>();
  /** Where the pieces of each result go back to once written. */
  private readonly owners = new WeakMap<EncodedRows, (buffers: ArrayBuffer[]) => void>();
  /** The first worker lost while the pool was open, and why (see `reduced`). */
  private firstLost: { why: string; started: boolean } | undefined;
  /** Workers that were ready at some point: the threads that decoded slices, with this one. */
  private everReady = 0;
  private closed = false;
  /** The shared reference checks loaded for the slices decoded here. */
  private sharedHere: { id: number; checks: MissingReferences } | undefined;
  private readonly giveHere = (buffers: ArrayBuffer[]) => {
    for (const buffer of buffers) this.here.give(buffer);
  };

  /**
   * `size` worker threads. `decodeHere`: this thread decodes slices waiting for a worker when it has
   * nothing else to do (see `help`; for a caller whose thread otherwise waits on the workers, as the CLI's
   * convert, inspect, validate and report do).
   */
  constructor(
    readonly size: number,
    private readonly decodeHere = false,
    /** The record stage, loaded on this thread, for the slices decoded here. */
    private readonly transform?: RecordTransform,
    /** The same stage as a worker loads it, before it says it is ready. */
    private readonly stage?: StageSpec,
  ) {}

  private get depth(): number {
    return this.transform ? STAGE_DEPTH : DEPTH;
  }

  /** How many slices a caller may have out at once. */
  get inFlight(): number {
    return this.size * this.depth;
  }

  /** Callers keep at most `inFlight` slices out, so a worker has room unless every worker was lost. */
  run(job: SliceJob): Promise<SliceResult> {
    if (this.members.length < this.size) this.start();
    if (!this.members.some((m) => m.alive))
      return Promise.resolve({ ok: false, why: 'no worker thread is running' });
    return new Promise((resolve) => {
      this.held.push({ job, resolve });
      this.postHeld();
    });
  }

  /**
   * Whether a slice waits here for a worker, and with `now`, decodes the newest such slice here: for a
   * caller waiting on the workers (see `TableReader`), which would otherwise sit idle while they work
   * through their queues.
   */
  readonly help = (now: boolean): boolean => {
    if (!this.decodeHere || this.held.length === 0) return false;
    if (now) {
      // The newest while a worker takes the others in order; the oldest while none is ready, as the results
      // are used in order: taking the newest, this thread left the oldest to the worker once it started,
      // and waited on them (~200 ms of a 1.3 s convert of the candidates table).
      const waiting = this.members.some((m) => m.ready && m.alive) ? this.held.pop()! : this.held.shift()!;
      waiting.resolve(this.decodeHereNow(waiting.job));
    }
    return true;
  };

  private decodeHereNow(job: SliceJob): SliceResult {
    const result = trySlice(job, this.here, this.transform, this.checksHere(job));
    if (!result.ok) return result;
    if (result.encoded) this.owners.set(result.encoded, this.giveHere);
    // Read into again once the result is used (see `used`), as a worker's slices are: dropped, they
    // were a quarter of what was read, left for the garbage collector (x4: ~30 MB of them at the peak).
    return { ...result, parts: job.parts };
  }

  /**
   * Hands the slices held here to workers with room, oldest first. A worker is sent `POSTED` at most: the
   * rest wait here, where this thread can still take them (see `help`); sent, they could not be taken back.
   */
  private postHeld(): void {
    while (this.held.length > 0) {
      const member = this.pick();
      if (member === undefined) break;
      const { job, resolve } = this.held.shift()!;
      this.post(member, job, resolve);
    }
  }

  private post(member: Member, job: SliceJob, resolve: (result: SliceResult) => void): void {
    const id = this.nextId++;
    // A table's shared checks (the keys of the tables it refers to) go to a worker once, not with every slice.
    const shared = job.shared;
    if (shared?.checks && member.shared !== shared.id) {
      member.worker.postMessage({ share: shared });
      member.shared = shared.id;
    }
    const sent = shared ? { ...job, shared: { id: shared.id } } : job;
    if (member.pending.size === 0) member.worker.ref();
    member.pending.set(id, resolve);
    // Bytes in buffers of their own are handed over, not copied (no copy, and no garbage left here to
    // collect); a worker that cannot use the slice sends them back.
    member.worker.postMessage({ id, job: sent }, wholeBuffers(job.parts, this.own));
  }

  private checksHere(job: SliceJob): MissingReferences | undefined {
    const shared = job.shared;
    if (!shared?.checks) return undefined;
    if (this.sharedHere?.id !== shared.id)
      this.sharedHere = { id: shared.id, checks: new MissingReferences(shared.checks) };
    return this.sharedHere.checks;
  }

  /** A buffer to read a table's next chunk into: one a worker gave back, else a new one. */
  readonly readBuffer = (): Uint8Array => {
    const buffer = this.reads.take();
    this.own.add(buffer.buffer as ArrayBuffer);
    return buffer;
  };

  /**
   * A result was used and its pieces written: the pieces go back to the thread that made them, the
   * slice's buffers to be read into again. Not before: the bytes of a result that is not used (a slice
   * behind one that was not usable) are decoded in order.
   */
  used(result: SliceOk): void {
    if (result.encoded) {
      const owner = this.owners.get(result.encoded);
      this.owners.delete(result.encoded);
      owner?.(PiecePool.reusable(result.encoded));
    }
    for (const buffer of wholeBuffers(result.parts ?? [], this.own)) this.reads.give(buffer);
  }

  /**
   * Whether fewer threads decoded than asked for: the first worker lost (one that could not start, its
   * modules, a preload or the stage failing in it, or the system refusing it a thread; or one that stopped
   * part way), why, and the threads that did decode, this one included. Its slices were decoded here, so
   * the rows are the same; only the time is not, and a caller says so rather than run on one thread
   * unawares. A worker still starting when the run ends is not counted: it cost nothing.
   */
  get reduced(): { why: string; started: boolean; threads: number; asked: number } | undefined {
    if (this.firstLost === undefined) return undefined;
    return { ...this.firstLost, threads: 1 + this.everReady, asked: 1 + this.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    const members = this.members.splice(0);
    // One still starting holds nothing, and waiting for it to stop mid-start took up to 70 ms: it is told
    // to stop, not waited for here (the process still waits for it at its exit).
    for (const m of members.filter((m) => !m.ready)) void m.worker.terminate();
    // A timer holds the process while they stop: a worker stopping keeps nothing alive (an idle one is
    // unref'd, see `start`, and ref() then did not help), so with nothing else left to wait on (a run that
    // failed) the process ended mid-await, its error unsaid (a script's top-level await: exit 13).
    const hold = setInterval(() => undefined, 60_000);
    try {
      await Promise.all(members.filter((m) => m.ready).map((m) => m.worker.terminate()));
    } finally {
      clearInterval(hold);
    }
  }

  private pick(): Member | undefined {
    let best: Member | undefined;
    for (const m of this.members) {
      if (m.ready && m.alive && m.pending.size < POSTED && (!best || m.pending.size < best.pending.size))
        best = m;
    }
    return best;
  }

  private start(): void {
    // A young generation of 16 MB: 8 promoted more rows to the old one and took more memory, not less.
    const worker = startWorker(Worker, new URL('./worker.js', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
      workerData: { stage: this.stage },
    });
    const member: Member = { worker, pending: new Map(), alive: true, ready: false };
    const starting = setTimeout(() => {
      lost('worker thread did not start', undefined, `it was not ready after ${START_MS / 1000} s`);
      void worker.terminate();
    }, START_MS);
    starting.unref();
    // The cause goes with the bytes it lost: a system's refusal (too many open files) is told as such.
    // A worker that failed says so twice ('error', then 'exit'): the first says why.
    const lost = (why: string, cause?: Error, reason = why) => {
      clearTimeout(starting);
      if (!member.alive) return;
      member.alive = false;
      if (!this.closed) this.firstLost ??= { why: reason, started: member.ready };
      for (const resolve of member.pending.values())
        resolve(Object.assign({ ok: false as const, why }, { cause }));
      member.pending.clear();
      // What waits here for a worker goes to one still running; with none left, it is said not usable
      // and the caller decodes it in order.
      if (this.members.some((m) => m.alive)) this.postHeld();
      else
        for (const waiting of this.held.splice(0))
          waiting.resolve(Object.assign({ ok: false as const, why }, { cause }));
    };
    const giveBack = (buffers: ArrayBuffer[]) => {
      if (member.alive && buffers.length > 0) worker.postMessage({ reuse: buffers }, buffers);
    };
    type Reply = { id: number; result: SliceResult } | { ready: true } | { ready: false; why: string };
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        // The stage loads here but not there: no slice goes to it (each would come back to be decoded here).
        if (!reply.ready) {
          lost(
            `the record stage could not be loaded in a worker thread (${reply.why})`,
            undefined,
            `the record stage could not be loaded there: ${reply.why}`,
          );
          void worker.terminate();
          return;
        }
        clearTimeout(starting);
        member.ready = true;
        this.everReady += 1;
        this.postHeld();
        if (member.pending.size === 0) worker.unref();
        return;
      }
      const { id, result } = reply;
      if (result.ok && result.encoded) this.owners.set(result.encoded, giveBack);
      // Sent back whole, each in this message alone.
      for (const part of result.parts ?? []) this.own.add(part.buffer as ArrayBuffer);
      const resolve = member.pending.get(id);
      member.pending.delete(id);
      // An idle worker must not keep the process alive.
      if (member.pending.size === 0) worker.unref();
      resolve?.(result);
      this.postHeld();
    });
    worker.on('error', (error) => lost(`worker thread failed: ${error.message}`, error, error.message));
    // A preload that ends the thread while it starts (process.exit) gives 'exit' alone, code 0 or not.
    worker.on('exit', (code) => lost('worker thread exited', undefined, `it exited with code ${code}`));
    // Held until it is ready: slices wait on it (see `ready`).
    this.members.push(member);
  }
}
