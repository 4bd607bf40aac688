// Rows partitioned to temporary files by a range of candidate ids.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { leftByDeadRun, makeFolders } from '@talent-export/errors';
import { removeMadeFolders } from '@talent-export/writers/internal';
import { tempError } from './errors.js';

/**
 * Bytes gathered for all the files of one SpillFiles before they go to the disk: a fixed budget shared out,
 * so the memory is about the same for 100 partitions or 500 (8 KiB each grew with the export: 1 MB at
 * 100,000 candidates, 4 MB at 400,000). Writes of 4 KiB rather than 8 cost ~1 s of CPU more per 2.5 GB.
 */
const BUDGET = 2 * 1024 * 1024;
/** A file's share of the budget is at most this (fewer, bigger writes are not worth more memory past it)... */
const MOST = 64 * 1024;
/** ...and at least this, whatever the number of files (1024 partitions: 4 MiB). */
const LEAST = 4 * 1024;

const PREFIX = '.talent-export-join-';
const STALE = /^\.talent-export-join-(\d+)-[A-Za-z0-9]{6}$/;

/** The folders `TempDir.create` made in this process and not yet removed. */
const ours = new Set<string>();

/** A folder of temporary files, removed as a whole. */
export class TempDir {
  private constructor(
    readonly path: string,
    /** The first folder `create` made for its parent, if it made any: removed with it when left empty. */
    private readonly made: string | undefined,
  ) {}

  /**
   * `.talent-export-join-<pid>-XXXXXX` in `parent` (a name the writers' stale-temp sweep leaves alone).
   * Folders of runs no longer alive (killed, or the machine went down) are removed first.
   */
  static async create(parent: string): Promise<TempDir> {
    try {
      const made = await makeFolders(parent);
      for (const name of await readdir(parent)) {
        const pid = Number(STALE.exec(name)?.[1]);
        if (!pid) continue;
        const path = join(parent, name);
        if (await leftByDeadRun(pid, path, ours.has(path))) await rm(path, { recursive: true, force: true });
      }
      const path = await mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
      ours.add(path);
      return new TempDir(path, made);
    } catch (error) {
      throw tempError('create a temporary folder in', parent, error);
    }
  }

  file(name: string): string {
    return join(this.path, name);
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true, maxRetries: 3 });
    ours.delete(this.path);
    await removeMadeFolders(dirname(this.path), this.made);
  }
}

/**
 * Files written by appending records, each through its own small buffer. A full buffer is written at once
 * (a synchronous write into the page cache): one write per 8 KiB handed to a thread pool cost more than the
 * write itself, and a disk that falls behind then slows the reading, which is the back-pressure wanted.
 */
export class SpillFiles {
  private readonly fds: (number | undefined)[];
  private readonly buffers: (Buffer | undefined)[];
  private readonly lengths: number[];
  readonly bytes: number[];
  private failure: Error | undefined;
  /** Each file's buffer: its share of the budget, in whole KiB. */
  private readonly size: number;
  /** The files' buffers, one slab taken at the first row (see `slabMemory`). */
  private slab: ArrayBuffer | undefined;

  constructor(private readonly paths: readonly string[]) {
    this.fds = paths.map(() => undefined);
    this.buffers = paths.map(() => undefined);
    this.lengths = paths.map(() => 0);
    this.bytes = paths.map(() => 0);
    const share = Math.floor(BUDGET / Math.max(1, paths.length) / 1024) * 1024;
    this.size = Math.min(MOST, Math.max(LEAST, share));
  }

  /** Appends `head` (text) then `buf[start, end)` then a line feed to file `i`. */
  add(i: number, head: string, buf: Buffer, start: number, end: number): void {
    if (this.failure) throw this.failure;
    const most = head.length * 3 + (end - start) + 1;
    let buffer = this.buffers[i];
    if (buffer && this.lengths[i]! + most > buffer.length) this.flush(i);
    if (most > this.size) {
      const big = Buffer.allocUnsafe(most);
      let n = big.write(head, 0, 'utf8');
      n += buf.copy(big, n, start, end);
      big[n++] = 0x0a;
      this.send(i, big.subarray(0, n));
      return;
    }
    buffer ??= this.buffer(i);
    let n = this.lengths[i]!;
    n += buffer.write(head, n, 'utf8');
    n += buf.copy(buffer, n, start, end);
    buffer[n++] = 0x0a;
    this.lengths[i] = n;
  }

  /**
   * Appends a row as `rowHead` would write it, the tokens copied from `buf` (`tokens`: three [start, end)
   * pairs, -1 for a missing one, written as null), then `buf[start, end)` and a line feed.
   */
  addRow(
    i: number,
    code: string,
    row: number,
    buf: Buffer,
    tokens: Int32Array,
    start: number,
    end: number,
  ): void {
    if (this.failure) throw this.failure;
    let most = 24 + (end - start);
    for (let k = 0; k < 6; k += 2) most += tokens[k]! < 0 ? 4 : tokens[k + 1]! - tokens[k]!;
    if (most > this.size) {
      const head = `${code}${row}\t${tokenText(buf, tokens, 0)}\t${tokenText(buf, tokens, 2)}\t${tokenText(buf, tokens, 4)}\t`;
      this.add(i, head, buf, start, end);
      return;
    }
    let buffer = this.buffers[i];
    if (buffer && this.lengths[i]! + most > buffer.length) this.flush(i);
    buffer ??= this.buffer(i);
    let n = this.lengths[i]!;
    buffer[n++] = code.charCodeAt(0);
    n += buffer.write(String(row), n, 'latin1');
    for (let k = 0; k < 6; k += 2) {
      buffer[n++] = 0x09;
      if (tokens[k]! < 0) n += buffer.write('null', n, 'latin1');
      else n += buf.copy(buffer, n, tokens[k]!, tokens[k + 1]!);
    }
    buffer[n++] = 0x09;
    n += buf.copy(buffer, n, start, end);
    buffer[n++] = 0x0a;
    this.lengths[i] = n;
  }

  /** Kept for callers that yield to the event loop between batches; writes are already done. */
  ready(): undefined {
    if (this.failure) throw this.failure;
    return undefined;
  }

  /** Writes what is buffered and closes every file. */
  async end(): Promise<void> {
    for (let i = 0; i < this.paths.length; i++) this.flush(i);
    this.buffers.fill(undefined);
    this.slab = undefined;
    this.closeAll();
  }

  /** Stops: closes every file (the caller removes the folder). */
  async discard(): Promise<void> {
    this.failure ??= new Error('discarded');
    this.buffers.fill(undefined);
    this.slab = undefined;
    this.closeAll();
  }

  private buffer(i: number): Buffer {
    this.slab ??= slabMemory(this.size * this.paths.length);
    const buffer = Buffer.from(this.slab, i * this.size, this.size);
    this.buffers[i] = buffer;
    return buffer;
  }

  private flush(i: number): void {
    const buffer = this.buffers[i];
    const length = this.lengths[i]!;
    if (!buffer || length === 0) return;
    this.lengths[i] = 0;
    this.send(i, buffer.subarray(0, length));
  }

  private send(i: number, bytes: Buffer): void {
    this.bytes[i]! += bytes.length;
    try {
      this.fds[i] ??= openSync(this.paths[i]!, 'w', 0o600);
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(this.fds[i]!, bytes, offset, bytes.length - offset);
    } catch (error) {
      this.failure ??= tempError('write', this.paths[i]!, error);
      throw this.failure;
    }
  }

  private closeAll(): void {
    for (const fd of this.fds) if (fd !== undefined) closeSync(fd);
    this.fds.fill(undefined);
  }
}

/**
 * The memory of the partitions' buffers, taken once. Not a resizable ArrayBuffer (memory V8 maps itself,
 * which glibc's thresholds never see): Buffers over those take slower paths wherever code also meets
 * ordinary ones, and the join ran 13% longer (21.5 s against 24.6 s at 100,000 candidates) for no peak
 * RSS that could be told apart from run-to-run noise (400,000 candidates: 198-227 MB either way).
 */
export const slabMemory = (bytes: number): ArrayBuffer => new ArrayBuffer(bytes);

const tokenText = (buf: Buffer, tokens: Int32Array, k: number): string =>
  tokens[k]! < 0 ? 'null' : buf.toString('utf8', tokens[k]!, tokens[k + 1]!);

/** A whole file of `size` bytes, into `into` when it is big enough (a buffer reused file after file). */
export function readWhole(path: string, size: number, into?: Buffer): Buffer {
  if (size === 0) return Buffer.alloc(0);
  const buf = into && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size);
  try {
    const fd = openSync(path, 'r');
    try {
      let at = 0;
      while (at < size) {
        const n = readSync(fd, buf, at, size - at, at);
        if (n === 0) break;
        at += n;
      }
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw tempError('read', path, error);
  }
  return buf;
}
