import { type FileHandle, open } from 'node:fs/promises';

const FLUSH_BYTES = 1024 * 1024;

/**
 * Append-only file output with a small write buffer. Every write is awaited, so memory stays bounded
 * whatever the file size, and bytes already written can be patched in place (zip headers).
 */
export class FileSink {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes handed to the file so far. */
  private flushed = 0;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(path: string): Promise<FileSink> {
    return new FileSink(path, await open(path, 'wx'));
  }

  /** Logical size: everything written, flushed or not. */
  get position(): number {
    return this.flushed + this.pendingBytes;
  }

  async write(chunk: Buffer | string): Promise<void> {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (buffer.length === 0) return;
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /**
   * Overwrite bytes of a buffer written earlier at `at`. The caller keeps the buffer: if it is still
   * pending it is changed in place, else the bytes go straight to the file.
   */
  async patch(at: number, written: Buffer, offset: number, bytes: Buffer): Promise<void> {
    if (at >= this.flushed) {
      bytes.copy(written, offset);
    } else {
      await this.handle.write(bytes, 0, bytes.length, at + offset);
    }
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunks = this.pending;
    const size = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    let at = 0;
    while (at < size) {
      const { bytesWritten } = await this.handle.writev(chunks, this.flushed + at);
      if (bytesWritten === size - at) break;
      // A short write is rare; finish with the rest as one buffer.
      const rest = Buffer.concat(chunks).subarray(at + bytesWritten);
      at += bytesWritten;
      chunks.length = 0;
      chunks.push(rest);
    }
    this.flushed += size;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }

  /** Close without flushing, after a failure. */
  async discard(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.close().catch(() => undefined);
  }
}
