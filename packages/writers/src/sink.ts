import { createHash, randomBytes } from 'node:crypto';
import { close, fdatasync, fsync, openSync, rename, rmSync, write } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { leftByDeadRun } from '@talent-export/errors';
import { isLiveTemp, trackTemp, untrackTemp } from './cleanup.js';
import { ioError, WriterError } from './errors.js';

/** Small chunks are copied into batches of this many bytes, one write to disk each; bigger ones go as they are. */
const BATCH = 256 * 1024;
/**
 * Batch buffers kept for reuse by the sinks of one output: fresh memory costs a page fault per 4 KB on
 * first touch, and buffers this size freed and taken anew fragment the heap glibc carves them from. As
 * many as a full queue holds (a caller's burst past `HIGH_WATER` included): with 12, convert took 1,200
 * fresh ones for 1 GB of NDJSON, and its peak memory grew with the size of the export.
 */
const SPARE_BATCHES = 32;
/** The caller is made to wait once this many bytes are queued and not yet on disk. */
const HIGH_WATER = 4 * 1024 * 1024;
/**
 * Written bytes after which the disk is asked to catch up (fdatasync, not waited for): the final fsync
 * then has little left, instead of waiting seconds for a gigabyte the kernel held back.
 */
const SYNC_EVERY = 32 * 1024 * 1024;
/**
 * Writes of one file sent to the disk at once, at most: all of a queue at once would fill the thread pool
 * (4 threads) ahead of the reads of the input.
 */
const WRITES_AT_ONCE = 3;

/** Buffers the sinks of one owner (an output) share, one file after another. */
export class SpareBatches {
  private readonly free: Buffer[] = [];
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(BATCH);
  }
  give(batch: Buffer): void {
    if (this.free.length < SPARE_BATCHES) this.free.push(batch);
  }
}

export interface SinkOptions {
  /** Remove the temp on SIGINT/SIGTERM/SIGHUP too, not only at exit (the application's choice). */
  handleSignals?: boolean;
  /** Where batch buffers come from and go back to (default: the sink's own). */
  spares?: SpareBatches;
}

/** `.<name>.<pid>-<random>.tmp`: the process that writes it is in the name, so a later run can tell a dead one's. */
export function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

const TEMP = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temps that runs no longer alive left in `dir` (killed with SIGKILL, or the machine went
 * down), and only those: a temp of a running process, this one's included, is left alone. One named with
 * this process's id that this process is not writing is an earlier process's given the same id (in a
 * container each run may be process 1), and so is one whose pid is now another process's, started well
 * after the temp was last written (Linux): removed once left unchanged an hour (`LEFT_FOR_MS`), as a
 * run in another container sharing the folder has the same ids.
 */
export async function removeDeadTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(TEMP.exec(name)?.[1]);
    if (!pid) continue;
    const path = join(dir, name);
    if (!(await leftByDeadRun(pid, path, pid === process.pid && isLiveTemp(path)))) continue;
    await rm(path, { force: true });
    removed.push(name);
  }
  return removed;
}

export interface SinkResult {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * One output file: written to a temp beside its final path (see `tempName`), hashed as it goes, renamed
 * to the final path only by `publish()` (or `commit()`, both at once). Writes go to the disk a few at once,
 * each at its place; `write` returns a promise only when the disk is behind, which is how a slow disk
 * slows the producer.
 */
export class FileSink {
  readonly path: string;
  readonly temp: string;
  bytes = 0;
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private readonly handleSignals: boolean;
  private readonly spares: SpareBatches;
  private batch: Buffer | undefined;
  private batchLength = 0;
  private queued = 0;
  private unsynced = 0;
  /** The early fdatasync under way; the descriptor is not closed before it ends. */
  private syncing: Promise<void> | undefined;
  /** Every write sent so far, done. */
  private tail: Promise<void> = Promise.resolve();
  /** Where the next buffer sent goes in the file. */
  private position = 0;
  /** Writes under way, and buffers waiting for one (see `startWrites`). */
  private writing = 0;
  private readonly waiting: { buffer: Buffer; at: number; batch: Buffer | undefined; done: () => void }[] =
    [];
  /** What `ready()` gave while `tail` was this. */
  private behind: { tail: Promise<void>; wait: Promise<void> } | undefined;
  /** seal() has begun: nothing more may be written. */
  private sealing = false;
  private failure: WriterError | undefined;
  private state: 'open' | 'sealed' | 'done' = 'open';
  private discarding: Promise<void> | undefined;

  constructor(path: string, options: SinkOptions = {}) {
    this.path = path;
    this.temp = tempName(path);
    this.handleSignals = options.handleSignals ?? false;
    this.spares = options.spares ?? new SpareBatches();
    try {
      this.fd = openSync(this.temp, 'wx', 0o644);
    } catch (error) {
      throw ioError('create', this.temp, error);
    }
    trackTemp(this.temp, this.handleSignals);
  }

  /**
   * Queues a chunk. A chunk under `BATCH` bytes is copied at once, so its buffer may be reused when the
   * call returns; a bigger one is handed over, not copied: the caller must not change it afterwards.
   */
  write(chunk: string | Uint8Array): void | Promise<void> {
    this.enqueue(chunk);
    return this.ready();
  }

  /** Adds a chunk without ever making the caller wait; `ready()` tells when to. */
  enqueue(chunk: string | Uint8Array): void {
    if (this.failure) throw this.failure;
    // Sent while seal() waits on the last writes, it would be written after the file is closed.
    if (this.sealing)
      throw new WriterError('WRITER_CLOSED', `${this.path} is being completed`, { file: this.path });
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    const most = typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (most >= BATCH) {
      // Big enough to go to the disk as it is, without a copy: the caller hands it over for good.
      this.flushBatch();
      this.send(
        typeof chunk === 'string'
          ? Buffer.from(chunk)
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length),
      );
      return;
    }
    if (this.batchLength + most > BATCH) this.flushBatch();
    const batch = (this.batch ??= this.spares.take());
    if (typeof chunk === 'string') this.batchLength += batch.write(chunk, this.batchLength);
    else {
      batch.set(chunk, this.batchLength);
      this.batchLength += chunk.length;
    }
  }

  /** Sends what is gathered to the disk queue, in order. */
  private flushBatch(): void {
    if (this.batch === undefined || this.batchLength === 0) return;
    const batch = this.batch;
    const length = this.batchLength;
    this.batch = undefined;
    this.batchLength = 0;
    this.send(batch.subarray(0, length), batch);
  }

  /** `batch`: the batch buffer `buffer` is part of, to reuse once written. */
  private send(buffer: Buffer, batch?: Buffer): void {
    this.hash.update(buffer);
    this.bytes += buffer.length;
    this.queued += buffer.length;
    const at = this.position;
    this.position += buffer.length;
    const written = new Promise<void>((done) => this.waiting.push({ buffer, at, batch, done }));
    this.tail = Promise.all([this.tail, written]).then(() => undefined);
    this.startWrites();
  }

  /**
   * Sends waiting buffers to the disk, `WRITES_AT_ONCE` at a time, each at its own place in the file: one
   * after another, each write was started only when this thread took the answer to the one before, and
   * none went on while it decoded a slice (convert waited ~2.8 s on them in a 7 s run).
   */
  private startWrites(): void {
    while (this.writing < WRITES_AT_ONCE && this.waiting.length > 0) {
      const { buffer, at, batch, done } = this.waiting.shift()!;
      this.writing += 1;
      void this.writeOut(buffer, at).then(() => {
        this.writing -= 1;
        if (batch) this.spares.give(batch);
        done();
        this.startWrites();
      });
    }
  }

  /**
   * A promise only while too much is queued for the disk: then the caller must wait. The same one until the
   * next batch is sent: a caller that writes on before it waits (rows of no candidate, told as they come)
   * made one a line, each held until the disk caught up.
   */
  ready(): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (this.queued <= HIGH_WATER) return;
    if (this.behind?.tail !== this.tail)
      this.behind = { tail: this.tail, wait: this.tail.then(() => this.check()) };
    return this.behind.wait;
  }

  /** Flushes, syncs and closes the temp; the final name appears only with `publish()`. */
  async seal(): Promise<SinkResult> {
    if (this.state !== 'open')
      throw new WriterError('WRITER_CLOSED', `${this.path} was already closed`, { file: this.path });
    this.flushBatch();
    this.sealing = true;
    await this.tail;
    this.check();
    this.state = 'sealed';
    try {
      await this.syncing;
      this.check();
      await new Promise<void>((resolve, reject) =>
        fsync(this.fd, (error) => (error ? reject(error) : resolve())),
      );
      await closeFd(this.fd);
    } catch (error) {
      this.state = 'done';
      this.removeTemp();
      throw ioError('complete', this.path, error);
    }
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Renames a sealed temp to the final path. */
  async publish(): Promise<void> {
    if (this.state !== 'sealed')
      throw new WriterError('WRITER_CLOSED', `${this.path} is not complete`, { file: this.path });
    this.state = 'done';
    try {
      await new Promise<void>((resolve, reject) =>
        rename(this.temp, this.path, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      this.removeTemp();
      throw ioError('complete', this.path, error);
    }
    untrackTemp(this.temp, this.handleSignals);
  }

  async commit(): Promise<SinkResult> {
    const result = await this.seal();
    await this.publish();
    return result;
  }

  /**
   * Drops the file: waits for queued writes (so the descriptor is not reused under them), then removes the
   * temp. Every call waits for that same removal: an output removes its folder only once it is empty.
   */
  discard(): Promise<void> {
    this.discarding ??= this.drop();
    return this.discarding;
  }

  private async drop(): Promise<void> {
    if (this.state === 'done') return;
    const sealed = this.state === 'sealed';
    this.state = 'done';
    this.failure ??= new WriterError('WRITER_ABORTED', `${this.path} was discarded`, { file: this.path });
    await this.tail;
    await this.syncing?.catch(() => undefined);
    if (!sealed) await closeFd(this.fd).catch(() => undefined);
    this.removeTemp();
  }

  private removeTemp(): void {
    rmSync(this.temp, { force: true });
    untrackTemp(this.temp, this.handleSignals);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async writeOut(buffer: Buffer, at: number): Promise<void> {
    try {
      if (!this.failure) await writeFully(this.fd, buffer, at);
    } catch (error) {
      // The first failure is the one to tell: later writes fail after it, or for it.
      this.failure ??= ioError('write', this.temp, error);
    } finally {
      this.queued -= buffer.length;
    }
    this.unsynced += buffer.length;
    if (this.unsynced >= SYNC_EVERY && this.syncing === undefined && !this.failure) {
      this.unsynced = 0;
      this.syncing = new Promise<void>((resolve) =>
        fdatasync(this.fd, (error) => {
          if (error) this.failure ??= ioError('write', this.temp, error);
          this.syncing = undefined;
          resolve();
        }),
      );
    }
  }
}

async function writeFully(fd: number, buffer: Buffer, at: number): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    offset += await new Promise<number>((resolve, reject) =>
      write(fd, buffer, offset, buffer.length - offset, at + offset, (error, written) =>
        error ? reject(error) : resolve(written),
      ),
    );
  }
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
}
