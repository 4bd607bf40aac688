// File access for yauzl-promise. The central directory and the local headers are read in many tiny pieces
// (two reads per record), and attachment parts hold thousands of small files. Serving headers and small
// entries from two read-ahead blocks (one following the central directory, one following the data) turns
// several reads per entry into one read per block, which is most of the difference to Info-ZIP.
import { close, createReadStream, fstat, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import * as yauzl from 'yauzl-promise';
import { ReadWindow } from './window.js';

const BLOCK = 1024 * 1024;
/** Entries up to this size are served from the read-ahead block that also holds their local header. */
const SMALL = BLOCK / 2;
const BLOCKS = 2; // one follows the central directory, one the local headers
const STREAM_CHUNK = 256 * 1024;

interface ReaderBase {
  readCount: number;
  read(start: number, length: number): Promise<Buffer>;
}
const Base = yauzl.Reader as unknown as new () => ReaderBase;

// Entry streams share the archive's descriptor, so their `close` must not close it.
const sharedFd = {
  open: () => undefined,
  read,
  close: (_fd: number, cb: (error: null) => void) => setImmediate(() => cb(null)),
};

export class BlockReader extends Base {
  private blocks: { start: number; data: Buffer }[] = [];
  private closed = false;

  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {
    super();
  }

  /** Opens a regular file; throws Node's own errors (ENOENT, EACCES, EISDIR) for the caller to classify. */
  static async open(path: string): Promise<BlockReader> {
    const fd = await promisify(open)(path, 'r');
    try {
      const stat = await promisify(fstat)(fd);
      if (!stat.isFile())
        throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR', syscall: 'open' });
      return new BlockReader(fd, stat.size);
    } catch (error) {
      await promisify(close)(fd);
      throw error;
    }
  }

  /** A read-ahead window over the same file, for reading it front to back (see ReadWindow). */
  window(): ReadWindow {
    return new ReadWindow(this.fd, this.size);
  }

  /** yauzl-promise's own read() fails on zero-length reads (a record with no name, extra field or comment). */
  override async read(start: number, length: number): Promise<Buffer> {
    return length === 0 ? Buffer.alloc(0) : super.read(start, length);
  }

  async _open(): Promise<void> {}

  async _close(): Promise<void> {
    await this.dispose();
  }

  /** Closes the descriptor; safe to call more than once and before yauzl-promise has opened the reader. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.blocks = [];
    await promisify(close)(this.fd);
  }

  async _read(start: number, length: number): Promise<Buffer> {
    if (length > BLOCK / 2) return this.readExactly(start, length);
    const hit = this.blocks.find((b) => start >= b.start && start + length <= b.start + b.data.length);
    // Views, not copies: a block is only ever read, and it is let go once no view of it is left.
    if (hit !== undefined) return hit.data.subarray(start - hit.start, start - hit.start + length);
    const data = await this.readUpTo(start, Math.min(BLOCK, this.size - start));
    if (data.length < length) throw new Error('Unexpected end of file');
    this.blocks.unshift({ start, data });
    this.blocks.length = Math.min(this.blocks.length, BLOCKS);
    return data.subarray(0, length);
  }

  _createReadStream(start: number, length: number): Readable {
    if (length <= SMALL) {
      let pending = true;
      const stream = new Readable({
        read: () => {
          if (!pending) return;
          pending = false;
          this._read(start, length).then(
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

  private async readExactly(start: number, length: number): Promise<Buffer> {
    const data = await this.readUpTo(start, length);
    if (data.length < length) throw new Error('Unexpected end of file');
    return data;
  }

  private readUpTo(start: number, length: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const buffer = Buffer.allocUnsafe(Math.max(length, 0));
      read(this.fd, buffer, 0, buffer.length, start, (error, bytesRead) => {
        if (error) reject(error);
        else resolve(buffer.subarray(0, bytesRead));
      });
    });
  }
}
