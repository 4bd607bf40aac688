// A temporary file written front to back through one reused buffer, hashed as it goes.
import { createHash, type Hash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ioError } from './errors.js';

const BUFFER_BYTES = 1024 * 1024;
/** Chunks this large go straight to the file: copying them into the buffer first costs more than a call. */
const DIRECT_BYTES = 64 * 1024;

/** `.name.<hex>.tmp` beside `target`: same folder, so the final rename cannot cross file systems. */
export const tempPathFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);

export class FileSink {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private filled = 0;
  private flushed = 0;
  private hash: Hash | undefined;
  private done = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    hashed: boolean,
  ) {
    if (hashed) this.hash = createHash('sha256');
  }

  static async create(path: string, hashed: boolean): Promise<FileSink> {
    try {
      return new FileSink(path, await open(path, 'wx+'), hashed);
    } catch (error) {
      throw ioError('create', path, error);
    }
  }

  /** Bytes written so far (buffered or not). */
  get position(): number {
    return this.flushed + this.filled;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.hash?.update(chunk);
    if (chunk.length >= DIRECT_BYTES) {
      await this.flush();
      await this.writeOut(chunk);
      return;
    }
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(chunk.length - from, BUFFER_BYTES - this.filled);
      this.buffer.set(chunk.subarray(from, from + n), this.filled);
      this.filled += n;
      from += n;
      if (this.filled === BUFFER_BYTES) await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.filled === 0) return;
    const n = this.filled;
    this.filled = 0;
    await this.writeOut(this.buffer.subarray(0, n));
  }

  private async writeOut(bytes: Uint8Array): Promise<void> {
    let at = 0;
    try {
      while (at < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, at, bytes.length - at, this.flushed);
        at += bytesWritten;
        this.flushed += bytesWritten;
      }
    } catch (error) {
      throw ioError('write', this.path, error);
    }
  }

  /** A copy of the hash state: what the digest would be if the file ended here. */
  hashCheckpoint(): Hash | undefined {
    return this.hash?.copy();
  }

  /** Cuts the file back to `length` bytes; the hash becomes `checkpoint`, taken when it was that long. */
  async truncate(length: number, checkpoint: Hash | undefined): Promise<void> {
    await this.flush();
    try {
      await this.handle.truncate(length);
    } catch (error) {
      throw ioError('truncate', this.path, error);
    }
    this.flushed = length;
    this.hash = checkpoint;
  }

  /** Reads back `length` bytes from `start`, a block at a time, into `into`. */
  async copyTo(into: FileSink, start: number, length: number): Promise<void> {
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
      await into.write(block.subarray(0, n));
      at += n;
    }
  }

  /** Flushes, syncs to disk and closes; returns the sha256 of the content when hashed. */
  async finish(): Promise<string | undefined> {
    await this.flush();
    try {
      await this.handle.sync();
      await this.handle.close();
    } catch (error) {
      throw ioError('sync', this.path, error);
    }
    this.done = true;
    return this.hash?.digest('hex');
  }

  /** Closes (if open) and removes the file; never throws, as it runs while another error is reported. */
  async discard(): Promise<void> {
    if (!this.done) await this.handle.close().catch(() => undefined);
    this.done = true;
    await unlink(this.path).catch(() => undefined);
  }
}

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
