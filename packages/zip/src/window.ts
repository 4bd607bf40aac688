// A read-ahead window over a file read front to back, for checking every entry of an archive. Two buffers
// of a fixed size are reused: one is read from while the next stretch of the file is read into the other.
// Fresh large buffers cost a page fault per 4 KB on first touch, which for gigabytes of small files cost
// more than the reading itself. A view it returns is valid only until the next call.
import { read } from 'node:fs';
import { ShortRead } from './errors.js';

const WINDOW = 4 * 1024 * 1024;

/**
 * Buffers of closed windows, for the next window to use: whoever reads archives one after another gives
 * them all the same one (`ZipOptions.windowBuffers`). Two 4 MB blocks freed and taken anew for every part
 * fragmented the heap glibc carves them from: over a 12 GB export it grew by 35 MB it never gave back.
 */
export class WindowBuffers {
  private readonly spares: Buffer[] = [];

  take(size: number): Buffer {
    return (size === WINDOW ? this.spares.pop() : undefined) ?? Buffer.allocUnsafeSlow(size);
  }

  give(buffer: Buffer | undefined): void {
    if (buffer?.length === WINDOW && this.spares.length < SPARES) this.spares.push(buffer);
  }
}
const SPARES = 2;

interface Stretch {
  start: number;
  length: number;
  data: Buffer;
}

export class ReadWindow {
  private current: Stretch | undefined;
  private spare: Buffer;
  private ahead: { start: number; done: Promise<Stretch>; buffer: Buffer } | undefined;

  constructor(
    private readonly fd: number,
    private readonly size: number,
    private readonly buffers: WindowBuffers,
  ) {
    this.spare = buffers.take(Math.min(WINDOW, size));
  }

  /** The largest read served at once. */
  static readonly max = WINDOW;

  /** Bytes [start, start + length) of the file when the stretch at hand holds them all, else undefined. */
  held(start: number, length: number): Buffer | undefined {
    const cur = this.current;
    if (cur === undefined || start < cur.start || start + length > cur.start + cur.length) return undefined;
    return cur.data.subarray(start - cur.start, start - cur.start + length);
  }

  /** Bytes [start, start + length) of the file; throws "Unexpected end of file" past its end. */
  async read(start: number, length: number): Promise<Buffer> {
    if (length > WINDOW) throw new RangeError(`read of ${length} bytes is over the window`);
    if (start + length > this.size) throw new ShortRead();
    const held = this.held(start, length);
    if (held !== undefined) return held;
    const cur = this.current;
    const end = cur ? cur.start + cur.length : 0;
    // Bytes across the end of this stretch (a local header, a small entry) are joined from it and the one
    // read ahead: reading again from `start` waited for the disk at every window's end and threw the read
    // ahead away (0.7 s of a 3 GB re-pack).
    const from = cur && start >= cur.start && start < end ? end : start;
    let next: Stretch | undefined;
    if (this.ahead) {
      // A failed read ahead is not this call's failure unless this call needed those bytes.
      const ahead = await this.ahead.done.catch(() => undefined);
      const buffer = this.ahead.buffer;
      this.ahead = undefined;
      if (ahead && from >= ahead.start && start + length <= ahead.start + ahead.length) next = ahead;
      else this.spare = buffer;
    }
    next ??= await this.fill(this.spare, start);
    // A file cut short after it was opened: bytes before the cut still read.
    if (start + length > next.start + next.length) throw new ShortRead();
    let bytes: Buffer;
    if (next.start > start) {
      bytes = Buffer.allocUnsafe(length);
      cur!.data.copy(bytes, 0, start - cur!.start, cur!.length);
      next.data.copy(bytes, next.start - start, 0, start + length - next.start);
    } else bytes = next.data.subarray(start - next.start, start - next.start + length);
    this.spare = cur ? cur.data : this.buffers.take(this.spare.length);
    this.current = next;
    // Read what follows while the caller works through this stretch.
    const following = next.start + next.length;
    if (following < this.size && next.length === next.data.length) {
      const done = this.fill(this.spare, following);
      done.catch(() => undefined); // seen when awaited; never an unhandled rejection meanwhile
      this.ahead = { start: following, done, buffer: this.spare };
    }
    return bytes;
  }

  /**
   * Bytes from `start`: at most `most` (up to a window), fewer where the stretch holding `start` ends, so
   * that a long run of bytes is read without copies; none only past the end of the file.
   */
  readSome(start: number, most: number): Promise<Buffer> {
    const cur = this.current;
    const end = cur ? cur.start + cur.length : 0;
    const left = cur && start >= cur.start && start < end ? end - start : this.size - start;
    return this.read(start, Math.max(0, Math.min(most, WINDOW, left)));
  }

  /** Waits for a read still in flight, so the descriptor may be closed; the buffers go to other windows. */
  async close(): Promise<void> {
    await this.ahead?.done.catch(() => undefined);
    this.ahead = undefined;
    for (const buffer of [this.current?.data, this.spare]) this.buffers.give(buffer);
    this.current = undefined;
    this.spare = Buffer.alloc(0);
  }

  /** Reads up to a window at `start`; fewer bytes only where the file now ends. */
  private fill(data: Buffer, start: number): Promise<Stretch> {
    const length = Math.min(WINDOW, this.size - start);
    return new Promise((resolve, reject) => {
      read(this.fd, data, 0, length, start, (error, bytesRead) => {
        if (error) reject(error);
        else resolve({ start, length: bytesRead, data });
      });
    });
  }
}
