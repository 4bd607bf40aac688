// Worker threads that decode slices of big tables, with this thread as one more decoder: a slice no
// worker has room for is decoded here at once, so N threads in all need only N-1 workers (each one a
// whole JavaScript heap). A worker that fails or exits answers "not usable" for what it held, so the
// caller decodes those slices in order itself: a lost worker costs time, never rows.
import { Worker } from 'node:worker_threads';
import { type SliceJob, type SliceResult, trySlice } from './decode.js';

/** Slices queued per worker: one to decode, the next ready for when it is done. */
const DEPTH = 2;
/** Without this thread decoding, workers get a longer queue so they never wait on it. */
const DEPTH_ALONE = 4;

interface Member {
  worker: Worker;
  pending: Map<number, (result: SliceResult) => void>;
  alive: boolean;
}

export class SlicePool {
  private readonly members: Member[] = [];
  private nextId = 0;

  private readonly depth: number;

  /**
   * `size` worker threads; `here`: this thread decodes the slices no worker has room for (leave it off
   * when this thread has other work, such as checking attachment bytes, to do meanwhile).
   */
  constructor(
    readonly size: number,
    private readonly here = true,
  ) {
    this.depth = here ? DEPTH : DEPTH_ALONE;
  }

  /** How many slices may be out at once for the results to come back without waiting on this thread. */
  get inFlight(): number {
    return this.size * this.depth + (this.here ? 1 : 0);
  }

  /** Callers keep at most `inFlight` slices out, so a worker has room unless every worker was lost. */
  run(job: SliceJob): Promise<SliceResult> {
    const member = this.pick();
    if (member === undefined) {
      return Promise.resolve(this.here ? trySlice(job) : { ok: false, why: 'no worker thread is running' });
    }
    const id = this.nextId++;
    // The pieces are copied over: this thread keeps its own in case it has to decode the slice after all.
    return new Promise((resolve) => {
      if (member.pending.size === 0) member.worker.ref();
      member.pending.set(id, resolve);
      member.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const members = this.members.splice(0);
    await Promise.all(members.map((m) => m.worker.terminate()));
  }

  private pick(): Member | undefined {
    if (this.members.length < this.size) this.start();
    let best: Member | undefined;
    for (const m of this.members) {
      if (m.alive && m.pending.size < this.depth && (!best || m.pending.size < best.pending.size)) best = m;
    }
    return best;
  }

  private start(): void {
    // A small young generation: a worker's rows live for one slice, and each megabyte here is one of RSS.
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    const member: Member = { worker, pending: new Map(), alive: true };
    const lost = (why: string) => {
      member.alive = false;
      for (const resolve of member.pending.values()) resolve({ ok: false, why });
      member.pending.clear();
    };
    worker.on('message', ({ id, result }: { id: number; result: SliceResult }) => {
      const resolve = member.pending.get(id);
      member.pending.delete(id);
      // An idle worker must not keep the process alive.
      if (member.pending.size === 0) worker.unref();
      resolve?.(result);
    });
    worker.on('error', (error) => lost(`worker thread failed: ${error.message}`));
    worker.on('exit', () => lost('worker thread exited'));
    worker.unref();
    this.members.push(member);
  }
}
