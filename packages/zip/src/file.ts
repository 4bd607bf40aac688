// The archive file: one descriptor, positioned reads and entry data streams. Local headers and small entries
// are served from two read-ahead blocks (one per read position), which turns several reads per entry into
// one read per block for the thousands of small files of an attachments part.
import { close, createReadStream, fstat, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { ShortRead } from './errors.js';
import { ReadWindow, type WindowBuffers } from './window.js';

const BLOCK = 1024 * 1024;
/** Entries up to this size are served from the read-ahead block that also holds their local header. */
const SMALL = BLOCK / 2;
const BLOCKS = 2;
const STREAM_CHUNK = 256 * 1024;

// Entry streams share the archive's descriptor, so their `close` must not close it.
const sharedFd = {
  open: () => undefined,
  read,
  close: (_fd: number, cb: (error: null) => void) => setImmediate(() => cb(null)),
};

export class ZipFile {
  private blocks: { start: number; data: Buffer }[] = [];
  private closed = false;
  /** Reads in flight: the descriptor is closed only once they have settled. */
  private pending = new Set<Promise<unknown>>();

  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Opens a regular file; throws Node's own errors (ENOENT, EACCES, EISDIR) for the caller to classify. */
  static async open(path: string): Promise<ZipFile> {
    const fd = await promisify(open)(path, 'r');
    try {
      const stat = await promisify(fstat)(fd);
      if (!stat.isFile())
        throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR', syscall: 'open' });
      return new ZipFile(fd, stat.size);
    } catch (error) {
      await promisify(close)(fd);
      throw error;
    }
  }

  /** A read-ahead window over the same file, for reading it front to back (see ReadWindow). */
  window(buffers: WindowBuffers): ReadWindow {
    return new ReadWindow(this.fd, this.size, buffers);
  }

  /**
   * Bytes [start, start + length); throws ShortRead past the end of the file. Small reads may be views of a
   * shared block: copy what must outlive the next read.
   */
  async read(start: number, length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    if (length > BLOCK / 2) return this.readExactly(start, length);
    const hit = this.#cached(start, length);
    if (hit !== undefined) return hit;
    const data = await this.readUpTo(start, Math.min(BLOCK, Math.max(this.size - start, 0)));
    if (data.length < length) throw new ShortRead();
    this.blocks.unshift({ start, data });
    this.blocks.length = Math.min(this.blocks.length, BLOCKS);
    return data.subarray(0, length);
  }

  /**
   * As read, without reading a block ahead: for a few bytes where nothing else will be read (the directory's
   * first signature, read whole straight after; a block there doubled the directory's reading).
   */
  async peek(start: number, length: number): Promise<Buffer> {
    return this.#cached(start, length) ?? this.readExactly(start, length);
  }

  /** Exactly `length` bytes in a buffer of their own. */
  async readExactly(start: number, length: number): Promise<Buffer> {
    const data = await this.readUpTo(start, length);
    if (data.length < length) throw new ShortRead();
    return data;
  }

  /** Exactly `length` bytes at `start` into `buffer` at `offset`. */
  async readExactlyInto(buffer: Buffer, offset: number, length: number, start: number): Promise<void> {
    if (this.closed) throw new Error('read after close');
    const done = new Promise<number>((resolve, reject) => {
      read(this.fd, buffer, offset, length, start, (error, bytesRead) =>
        error ? reject(error) : resolve(bytesRead),
      );
    });
    this.pending.add(done);
    const settle = () => this.pending.delete(done);
    done.then(settle, settle);
    if ((await done) < length) throw new ShortRead();
  }

  /** A stream of bytes [start, start + length); it ends early, without an error, where the file does. */
  createReadStream(start: number, length: number): Readable {
    if (length === 0) return Readable.from([]);
    if (length <= SMALL) {
      let pending = true;
      const stream = new Readable({
        read: () => {
          if (!pending) return;
          pending = false;
          this.read(start, length).then(
            (data) => {
              stream.push(data);
              stream.push(null);
            },
            (error: Error) => stream.destroy(error),
          );
        },
      });
      return stream;
    }
    return createReadStream('', {
      fd: this.fd,
      start,
      end: start + length - 1,
      highWaterMark: STREAM_CHUNK,
      fs: sharedFd,
    } as Parameters<typeof createReadStream>[1]);
  }

  /** Closes the descriptor once reads in flight have settled; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.blocks = [];
    await Promise.allSettled([...this.pending]);
    await promisify(close)(this.fd);
  }

  #cached(start: number, length: number): Buffer | undefined {
    const hit = this.blocks.find((b) => start >= b.start && start + length <= b.start + b.data.length);
    return hit?.data.subarray(start - hit.start, start - hit.start + length);
  }

  private readUpTo(start: number, length: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('read after close'));
    const done = new Promise<Buffer>((resolve, reject) => {
      const buffer = Buffer.allocUnsafe(Math.max(length, 0));
      read(this.fd, buffer, 0, buffer.length, start, (error, bytesRead) => {
        if (error) reject(error);
        else resolve(buffer.subarray(0, bytesRead));
      });
    });
    this.pending.add(done);
    const settle = () => this.pending.delete(done);
    done.then(settle, settle);
    return done;
  }
}
