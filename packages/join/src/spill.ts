// Rows partitioned to temporary files by a range of candidate ids, written in order with back-pressure.
import { close, open, write } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempError } from './errors.js';

/** Bytes gathered per partition before they go to the disk: memory is partitions x this. */
const BUFFER = 8 * 1024;
/** The producer waits once this many bytes are queued for the disk. */
const HIGH_WATER = 8 * 1024 * 1024;

/** A folder of temporary files, removed as a whole. */
export class TempDir {
  private constructor(readonly path: string) {}

  /** `.talent-export-join-XXXXXX` in `parent` (a name the writers' stale-temp sweep leaves alone). */
  static async create(parent: string): Promise<TempDir> {
    try {
      await mkdir(parent, { recursive: true });
      return new TempDir(await mkdtemp(join(parent, '.talent-export-join-')));
    } catch (error) {
      throw tempError('create a temporary folder in', parent, error);
    }
  }

  file(name: string): string {
    return join(this.path, name);
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Files written by appending records, each file through its own small buffer, all through one disk queue. */
export class SpillFiles {
  private readonly fds: (number | undefined)[];
  private readonly buffers: (Buffer | undefined)[];
  private readonly lengths: number[];
  readonly bytes: number[];
  private readonly spare: Buffer[] = [];
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: Error | undefined;

  constructor(private readonly paths: readonly string[]) {
    this.fds = paths.map(() => undefined);
    this.buffers = paths.map(() => undefined);
    this.lengths = paths.map(() => 0);
    this.bytes = paths.map(() => 0);
  }

  /** Appends `head` (text) then `buf[start, end)` then a line feed to file `i`. */
  add(i: number, head: string, buf: Buffer, start: number, end: number): void {
    if (this.failure) throw this.failure;
    const most = head.length * 3 + (end - start) + 1;
    let buffer = this.buffers[i];
    if (buffer && this.lengths[i]! + most > buffer.length) {
      this.flush(i);
      buffer = undefined;
    }
    if (most > BUFFER) {
      const big = Buffer.allocUnsafe(most);
      let n = big.write(head, 0, 'utf8');
      n += buf.copy(big, n, start, end);
      big[n++] = 0x0a;
      this.send(i, big.subarray(0, n), undefined);
      return;
    }
    buffer ??= this.buffers[i] = this.spare.pop() ?? Buffer.allocUnsafeSlow(BUFFER);
    let n = this.lengths[i]!;
    n += buffer.write(head, n, 'utf8');
    n += buf.copy(buffer, n, start, end);
    buffer[n++] = 0x0a;
    this.lengths[i] = n;
  }

  /** A promise only while too much is queued: the caller waits for the disk. */
  ready(): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.queued > HIGH_WATER) return this.tail.then(() => this.check());
    return undefined;
  }

  /** Writes what is buffered and closes every file. */
  async end(): Promise<void> {
    for (let i = 0; i < this.paths.length; i++) this.flush(i);
    await this.tail;
    this.check();
    await this.closeAll();
  }

  /** Stops: waits for queued writes, closes every file (the caller removes the folder). */
  async discard(): Promise<void> {
    this.failure ??= new Error('discarded');
    await this.tail.catch(() => undefined);
    await this.closeAll().catch(() => undefined);
  }

  private flush(i: number): void {
    const buffer = this.buffers[i];
    const length = this.lengths[i]!;
    if (!buffer || length === 0) return;
    this.buffers[i] = undefined;
    this.lengths[i] = 0;
    this.send(i, buffer.subarray(0, length), buffer);
  }

  private send(i: number, bytes: Buffer, reuse: Buffer | undefined): void {
    this.queued += bytes.length;
    this.bytes[i]! += bytes.length;
    this.tail = this.tail.then(async () => {
      if (this.failure) return;
      try {
        this.fds[i] ??= await openFile(this.paths[i]!);
        await writeFully(this.fds[i]!, bytes);
      } catch (error) {
        this.failure ??= tempError('write', this.paths[i]!, error);
      }
      this.queued -= bytes.length;
      if (reuse && this.spare.length < 64) this.spare.push(reuse);
    });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async closeAll(): Promise<void> {
    const fds = this.fds.filter((fd): fd is number => fd !== undefined);
    this.fds.fill(undefined);
    await Promise.all(fds.map((fd) => new Promise<void>((r) => close(fd, () => r()))));
  }
}

function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'w', 0o600, (e, fd) => (e ? reject(e) : resolve(fd))));
}

async function writeFully(fd: number, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await new Promise<number>((resolve, reject) =>
      write(fd, bytes, offset, bytes.length - offset, null, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
}
