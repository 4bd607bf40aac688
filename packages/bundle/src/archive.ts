// One archive being written: entries front to back into a temporary file, central records into a second
// one (so memory does not grow with entries), the records of the current group held back until it is
// complete, because a group that does not fit moves whole to the next part.
import { unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import type { PreparedEntry, RawData } from './entry.js';
import { abortedError, BundleError, sourceError } from './errors.js';
import {
  centralBytes,
  centralHeader,
  dataDescriptor,
  type EntryRecord,
  endRecords,
  localHeader,
  MAX_END_BYTES,
  MAX32,
  mayReach4GiB,
  needsZip64,
} from './format.js';
import type { ThreadHash } from './hasher.js';
import { NameSet } from './names.js';
import { FileSink, tempPathFor } from './sink.js';

export interface WriteContext {
  level: number;
  signal: AbortSignal | undefined;
  /** How the archive is named in messages while its final name is not known yet. */
  label: string;
  /** How messages name an entry, and whether they leave out file system paths (`hideFileNames`). */
  shown: (name: string) => string;
  hideFileNames: boolean;
}

export interface FinishedArchive {
  temp: string;
  entries: number;
  bytes: number;
  sha256: string | undefined;
}

export class ArchiveFile {
  private readonly names = new NameSet();
  /** Records of the current group, not yet in the central directory file. */
  private pending: { record: EntryRecord; key: string }[] = [];
  private pendingCentral = 0;
  private committedEntries = 0;
  private centralSize = 0;
  private groupStart = 0;
  private groupHash: ThreadHash | undefined;
  /** Keys of the first and the last committed group (entries without a group do not count), for the name. */
  first: string | undefined;
  last: string | undefined;
  currentGroup: string | undefined;

  private constructor(
    private readonly out: FileSink,
    private readonly central: FileSink,
    private readonly checkpointFrom: number,
  ) {}

  /**
   * Creates the two temporary files beside `target` (a path in the output folder). Groups that start past
   * `checkpointFrom` bytes keep a copy of the hash state, so moving them costs no re-reading of the part.
   */
  static async create(target: string, checkpointFrom = Infinity, hashed = true): Promise<ArchiveFile> {
    const out = await FileSink.create(tempPathFor(target), hashed);
    try {
      const central = await FileSink.create(tempPathFor(`${target}.cd`), false, 256 * 1024);
      return new ArchiveFile(out, central, checkpointFrom);
    } catch (error) {
      await out.discard();
      throw error;
    }
  }

  get entries(): number {
    return this.committedEntries + this.pending.length;
  }

  get hasCommitted(): boolean {
    return this.committedEntries > 0;
  }

  /** The archive's size if it ended after `extra` more bytes (end records at their largest). */
  projected(extra: number): number {
    return this.out.position + this.centralSize + this.pendingCentral + MAX_END_BYTES + extra;
  }

  has(key: string): boolean {
    return this.names.has(key);
  }

  /** Ends the current group: its records join the central directory and it can no longer move. */
  async commitGroup(): Promise<void> {
    if (this.pending.length > 0) {
      if (this.currentGroup !== undefined) {
        this.first ??= this.currentGroup;
        this.last = this.currentGroup;
      }
      for (const { record } of this.pending) await this.central.write(centralHeader(record));
      this.committedEntries += this.pending.length;
      this.centralSize += this.pendingCentral;
      this.pending = [];
      this.pendingCentral = 0;
    }
    this.groupStart = this.out.position;
    // A copy per group cost more than the rare re-read: only groups near the end of a part ever move.
    this.groupHash?.drop();
    this.groupHash = this.projected(0) >= this.checkpointFrom ? this.out.hashCheckpoint() : undefined;
  }

  startGroup(key: string | undefined): void {
    this.currentGroup = key;
  }

  /** Moves the current (uncommitted) group into `into`, which must be empty, and cuts it off here. */
  async moveGroupTo(into: ArchiveFile): Promise<void> {
    const length = this.out.position - this.groupStart;
    await this.out.copyTo(into.out, this.groupStart, length);
    await this.out.truncate(this.groupStart, this.groupHash);
    into.currentGroup = this.currentGroup;
    // The names stay in this part's set: nothing is added to a part after a group moved out of it.
    for (const { record, key } of this.pending) {
      into.remember({ ...record, offset: record.offset - this.groupStart }, key);
    }
    this.pending = [];
    this.pendingCentral = 0;
  }

  private remember(record: EntryRecord, key: string): void {
    this.names.add(key);
    this.pending.push({ record, key });
    this.pendingCentral += centralBytes(record);
  }

  /** Bytes an entry of known sizes adds: local header and data now, its central record later. */
  static knownBytes(entry: PreparedEntry): number | undefined {
    const { spec } = entry;
    if (spec.known === undefined) return undefined;
    const local = 30 + entry.nameBytes.length + (needsZip64(spec) ? 20 : 0);
    return local + spec.known.compressedSize + 46 + entry.nameBytes.length + 28;
  }

  async write(entry: PreparedEntry, context: WriteContext): Promise<void> {
    const { spec } = entry;
    const offset = this.out.position;
    await this.out.write(localHeader(spec));
    const record: EntryRecord = {
      name: entry.nameBytes,
      method: spec.method,
      crc32: spec.known?.crc32 ?? 0,
      compressedSize: spec.known?.compressedSize ?? 0,
      uncompressedSize: spec.known?.uncompressedSize ?? 0,
      offset,
      dosTime: entry.dosTime,
      dosDate: entry.dosDate,
      descriptor: spec.known === undefined,
      zip64Local: needsZip64(spec),
    };
    const { source } = entry;
    if (source.kind === 'bytes') {
      await this.out.write(source.data);
    } else if (source.kind === 'raw') {
      await this.copyRaw(context.shown(entry.name), source.raw, context);
    } else {
      const sizes = await this.pump(context.shown(entry.name), source, context);
      Object.assign(record, sizes);
      await this.out.write(dataDescriptor(record));
    }
    this.remember(record, entry.key);
  }

  private async copyRaw(name: string, raw: RawData, context: WriteContext): Promise<void> {
    let copied = 0;
    try {
      for await (const chunk of await raw.open()) {
        if (context.signal?.aborted) throw abortedError(context.label);
        if (!(chunk instanceof Uint8Array)) throw new TypeError('raw data yielded a chunk that is not bytes');
        copied += chunk.length;
        if (copied > raw.compressedSize) break;
        await this.out.write(chunk);
      }
    } catch (error) {
      throw sourceError(context.label, name, error, context.hideFileNames);
    }
    if (copied !== raw.compressedSize) {
      throw new BundleError(
        'BUNDLE_SIZE_MISMATCH',
        `Entry "${name}" for ${context.label}: raw data has ${copied > raw.compressedSize ? 'more than' : 'only'} ${copied} bytes, ${raw.compressedSize} declared. The source archive is damaged or its entry was misread.`,
        { archive: context.label, entry: name },
      );
    }
  }

  /** Streams one entry through CRC-32, size check and (for deflate) zlib, with back-pressure throughout. */
  private async pump(
    name: string,
    source: { method: 0 | 8; stream: AsyncIterable<Uint8Array>; size: number | undefined },
    context: WriteContext,
  ): Promise<Pick<EntryRecord, 'crc32' | 'compressedSize' | 'uncompressedSize'>> {
    let crc = 0;
    let plain = 0;
    let packed = 0;
    const mismatch = (): BundleError =>
      new BundleError(
        'BUNDLE_SIZE_MISMATCH',
        `Entry "${name}" for ${context.label}: the stream gave ${plain} bytes, ${source.size} declared. Pass the exact size or leave it out.`,
        { archive: context.label, entry: name },
      );
    const measure = async function* (input: AsyncIterable<unknown>) {
      for await (const chunk of input) {
        if (!(chunk instanceof Uint8Array))
          throw new TypeError('the stream yielded a chunk that is not bytes');
        if (chunk.length === 0) continue;
        crc = crc32(chunk, crc);
        plain += chunk.length;
        if (source.size !== undefined && plain > source.size) throw mismatch();
        yield chunk;
      }
    };
    const out = this.out;
    const write = async (input: AsyncIterable<Uint8Array>) => {
      for await (const chunk of input) {
        packed += chunk.length;
        await out.write(chunk);
      }
    };
    const options = context.signal === undefined ? {} : { signal: context.signal };
    try {
      if (source.method === 8) {
        await pipeline(source.stream, measure, createDeflateRaw({ level: context.level }), write, options);
      } else {
        await pipeline(source.stream, measure, write, options);
      }
    } catch (error) {
      if (context.signal?.aborted) throw abortedError(context.label);
      throw sourceError(context.label, name, error, context.hideFileNames);
    }
    if (source.size !== undefined && plain !== source.size) throw mismatch();
    if (!mayReach4GiB(source.size, source.method) && (packed >= MAX32 || plain >= MAX32)) {
      throw new BundleError('BUNDLE_SIZE_MISMATCH', `Entry "${name}" outgrew its declared size.`, {
        entry: name,
      });
    }
    return { crc32: crc >>> 0, compressedSize: packed, uncompressedSize: plain };
  }

  /** Writes the central directory and end records, syncs, and closes; the file stays temporary. */
  async finish(): Promise<FinishedArchive> {
    await this.commitGroup();
    this.dropCheckpoint();
    const cdOffset = this.out.position;
    await this.central.copyTo(this.out, 0, this.centralSize);
    await this.central.discard();
    await this.out.write(endRecords(this.committedEntries, cdOffset, this.centralSize));
    const bytes = this.out.position;
    const sha256 = await this.out.finish();
    this.names.clear();
    return { temp: this.out.path, entries: this.committedEntries, bytes, sha256 };
  }

  async discard(): Promise<void> {
    this.names.clear();
    this.dropCheckpoint();
    await this.central.discard();
    await this.out.discard();
  }

  private dropCheckpoint(): void {
    this.groupHash?.drop();
    this.groupHash = undefined;
  }

  /** Removes a finished archive's temporary file (never throws: it runs while another error is reported). */
  static async removeTemp(path: string): Promise<void> {
    await unlink(path).catch(() => undefined);
  }
}
