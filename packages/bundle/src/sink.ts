// A temporary file written front to back through one reused buffer, hashed as it goes (on another thread).
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ioError } from './errors.js';
import { giveShared, ThreadHash, takeShared } from './hasher.js';

/**
 * Two buffers of this size: one fills while the other is being written (writes take as long as reads).
 * Small enough to stay in the CPU cache between filling and writing: with 4 MiB the kernel's copy into the
 * page cache took 7 s of system time for 3 GB re-packed, with 512 KiB 2.5 s.
 */
const BUFFER_BYTES = 512 * 1024;
/**
 * Bytes written after which the disk is asked to catch up (fdatasync, not waited for): the sync at the end
 * then has little left, instead of waiting for the gigabytes the kernel held back.
 */
const SYNC_EVERY = 32 * 1024 * 1024;

/**
 * `.name.<pid>-<hex>.tmp` beside `target`: same folder, so the final rename cannot cross file systems; the
 * process id lets a later run tell the temps of a run that was killed (as the writers' temps do).
 */
export const tempPathFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);

export class FileSink {
  private buffer: Buffer;
  private spare: Buffer;
  private filled = 0;
  /** Bytes handed to the file system (written, or being written by `inflight`). */
  private flushed = 0;
  /** The write of the other buffer, and the hashing of its bytes: both done, it may be filled again. */
  private inflight: Promise<unknown> | undefined;
  private hash: ThreadHash | undefined;
  /** Bytes of `buffer` handed to the hash: a buffer at a time, not a write at a time, costs far less. */
  private hashed = 0;
  /** The last hash update of `buffer`'s bytes (updates run in order, so this one settles last). */
  private hashing: Promise<void> = Promise.resolve();
  private done = false;
  /** Bytes written since the last early sync started, and that sync while it runs. */
  private unsynced = 0;
  private syncing: Promise<void> | undefined;
  private syncFailure: unknown;
  /** Whether the buffers are shared ones (hashed), and given back. */
  private readonly shared: boolean;
  private released = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    hashed: boolean,
    private readonly size: number,
  ) {
    if (hashed) this.hash = ThreadHash.create();
    this.shared = hashed;
    // The hashing thread reads the buffers in place.
    const take = hashed ? takeShared : takePlain;
    this.buffer = take(size);
    this.spare = take(size);
  }

  static async create(path: string, hashed: boolean, size = BUFFER_BYTES): Promise<FileSink> {
    try {
      return new FileSink(path, await open(path, 'wx+'), hashed, size);
    } catch (error) {
      throw ioError('create', path, error);
    }
  }

  /** Bytes written so far (buffered or not). */
  get position(): number {
    return this.flushed + this.filled;
  }

  /** Copies `chunk` in: the caller may reuse it as soon as the returned promise settles. */
  async write(chunk: Uint8Array): Promise<void> {
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(chunk.length - from, this.size - this.filled);
      this.buffer.set(from === 0 && n === chunk.length ? chunk : chunk.subarray(from, from + n), this.filled);
      this.filled += n;
      from += n;
      if (this.filled === this.size) await this.handOff();
    }
  }

  /** Starts writing the full buffer and goes on filling the other one; waits only for the write before. */
  private async handOff(): Promise<void> {
    await this.inflight; // the other buffer is free again
    this.hashFilled();
    this.hashed = 0;
    const hashing = this.hashing;
    this.hashing = Promise.resolve();
    const full = this.buffer.subarray(0, this.filled);
    [this.buffer, this.spare] = [this.spare, this.buffer];
    const at = this.flushed;
    this.flushed += this.filled;
    this.filled = 0;
    const write = Promise.all([
      this.writeOut(full, at),
      hashing.catch((error) => Promise.reject(hashError(this.path, error))),
    ]);
    // A failed write is reported by the next call that waits for it, never as an unhandled rejection.
    write.catch(() => undefined);
    this.inflight = write;
  }

  async flush(): Promise<void> {
    if (this.filled > 0) await this.handOff();
    await this.inflight;
  }

  private async writeOut(bytes: Uint8Array, position: number): Promise<void> {
    let at = 0;
    try {
      while (at < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, at, bytes.length - at, position + at);
        at += bytesWritten;
      }
    } catch (error) {
      throw ioError('write', this.path, error);
    }
    this.unsynced += bytes.length;
    if (this.unsynced >= SYNC_EVERY && this.syncing === undefined) {
      this.unsynced = 0;
      // The kernel reports a write-back failure once: kept for finish() to throw.
      this.syncing = this.handle.datasync().then(
        () => {
          this.syncing = undefined;
        },
        (error: unknown) => {
          this.syncing = undefined;
          this.syncFailure ??= error;
        },
      );
    }
  }

  private hashFilled(): void {
    if (this.hash !== undefined && this.hashed < this.filled) {
      const update = this.hash.update(this.buffer.subarray(this.hashed, this.filled));
      update.catch(() => undefined); // awaited with the buffer's write
      this.hashing = update;
    }
    this.hashed = this.filled;
  }

  /** A copy of the hash state: what the digest would be if the file ended here (the caller drops it). */
  hashCheckpoint(): ThreadHash | undefined {
    this.hashFilled();
    return this.hash?.copy();
  }

  /**
   * Cuts the file back to `length` bytes. The hash becomes `checkpoint` (taken when the file was that long)
   * or, without one, is computed again from the file.
   */
  async truncate(length: number, checkpoint: ThreadHash | undefined): Promise<void> {
    await this.flush();
    try {
      await this.handle.truncate(length);
    } catch (error) {
      throw ioError('truncate', this.path, error);
    }
    this.flushed = length;
    if (this.hash === undefined) return;
    this.hash.drop();
    if (checkpoint !== undefined) {
      // A copy: the checkpoint stays the caller's to drop.
      this.hash = checkpoint.copy();
      return;
    }
    const hash = ThreadHash.create();
    this.hash = hash;
    await this.readRange(0, length, (bytes) =>
      hash.update(bytes).catch((error) => Promise.reject(hashError(this.path, error))),
    );
  }

  /** Reads back `length` bytes from `start`, a block at a time, into `into`. */
  async copyTo(into: FileSink, start: number, length: number): Promise<void> {
    await this.readRange(start, length, (bytes) => into.write(bytes));
  }

  private async readRange(
    start: number,
    length: number,
    use: (bytes: Buffer) => Promise<void>,
  ): Promise<void> {
    await this.flush();
    const block = Buffer.allocUnsafe(Math.min(BUFFER_BYTES, Math.max(length, 1)));
    let at = start;
    const end = start + length;
    while (at < end) {
      let n: number;
      try {
        ({ bytesRead: n } = await this.handle.read(block, 0, Math.min(block.length, end - at), at));
      } catch (error) {
        throw ioError('read back', this.path, error);
      }
      if (n === 0) throw ioError('read back', this.path, new Error('file ended early'));
      await use(block.subarray(0, n));
      at += n;
    }
  }

  /** Flushes, syncs to disk and closes; returns the sha256 of the content when hashed. */
  async finish(): Promise<string | undefined> {
    await this.flush();
    try {
      await this.syncing;
      if (this.syncFailure !== undefined) throw this.syncFailure;
      await this.handle.sync();
      await this.handle.close();
    } catch (error) {
      throw ioError('sync', this.path, error);
    }
    this.done = true;
    this.releaseBuffers();
    if (this.hash === undefined) return undefined;
    try {
      return await this.hash.digest();
    } catch (error) {
      throw hashError(this.path, error);
    }
  }

  /** Closes (if open) and removes the file; never throws, as it runs while another error is reported. */
  async discard(): Promise<void> {
    await this.inflight?.catch(() => undefined);
    await this.syncing;
    if (!this.done) {
      this.hash?.drop();
      await this.handle.close().catch(() => undefined);
    }
    this.done = true;
    this.releaseBuffers();
    await unlink(this.path).catch(() => undefined);
  }

  /** Gives the buffers back, once: the next sink takes them. */
  private releaseBuffers(): void {
    if (this.released) return;
    this.released = true;
    const give = this.shared ? giveShared : givePlain;
    give(this.buffer);
    give(this.spare);
  }
}

/**
 * Buffers of sinks without a hash, given back for the next sink: a bundle per candidate for thousands of
 * candidates writes thousands of archives one after another.
 */
const plainSpares: Buffer[] = [];

function takePlain(size: number): Buffer {
  const i = plainSpares.findIndex((buffer) => buffer.length === size);
  return i === -1 ? Buffer.allocUnsafeSlow(size) : plainSpares.splice(i, 1)[0]!;
}

function givePlain(buffer: Buffer): void {
  if (plainSpares.length < 8) plainSpares.push(buffer);
}

const hashError = (path: string, error: unknown) => ioError('hash', path, error);

export async function publish(temp: string, final: string): Promise<void> {
  try {
    await rename(temp, final);
  } catch (error) {
    throw ioError('rename into place', final, error);
  }
}

/** Makes renames in `dir` durable; some file systems refuse to sync a folder, which loses nothing here. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle === undefined) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}
