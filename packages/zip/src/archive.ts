// openZip: the archive handle. Walks the central directory lazily and hands out checked entry streams.
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import * as yauzl from 'yauzl-promise';
import { classifyOpenError, classifyStructure } from './classify.js';
import { type CentralRecord, EntryChecker, type ZipEntry } from './entry.js';
import { aborted, type Problem, problem, ZipError } from './errors.js';
import { inflater, inflatesWhole, inflateWhole } from './inflate.js';
import { EntryMeter, type MeterSpec, TotalMeter } from './meter.js';
import { type NormalizedOptions, normalizeOptions, type ZipOptions } from './options.js';
import { BlockReader } from './reader.js';
import { ReadWindow } from './window.js';

export interface OpenStreamOptions {
  /** The compressed bytes exactly as stored (checked for length; for stored entries also CRC-32). */
  raw?: boolean;
  signal?: AbortSignal;
}

export interface ZipArchive {
  readonly path: string;
  /** Entry count from the end record (for macOS Archive Utility archives, a lower bound). */
  readonly entryCount: number;
  /** Lazy walk of the central directory, one record at a time. May be called once per open archive. */
  entries(): AsyncIterableIterator<ZipEntry>;
  /**
   * Entries refused during the walk (with onRefused 'skip' they were not yielded): the first
   * `MAX_REFUSED_KEPT`; `refusedCount` counts them all.
   */
  readonly refused: ZipError[];
  readonly refusedCount: number;
  openStream(entry: ZipEntry, options?: OpenStreamOptions): Promise<Readable>;
  /**
   * Reads an entry through without handing out its bytes, checking all that `openStream` checks (local
   * header, size, CRC-32, caps); resolves with the bytes checked, throws the ZipError a stream would.
   * Far cheaper than a stream per entry for the many small files of a big archive read front to back.
   */
  verify(entry: ZipEntry, options?: { signal?: AbortSignal }): Promise<number>;
  close(): Promise<void>;
}

/**
 * Refusals kept as errors: a hostile archive may hold millions of entries refused alike, and an error
 * each (with its stack) took ~1 KB: 300,000 duplicate names took a walk to 450 MB.
 */
export const MAX_REFUSED_KEPT = 100;

type RecordWithData = yauzl.Entry & { fileHeaderOffset: number };

const YAUZL_OPTIONS = {
  // Names, sizes and types are checked here so that every refusal is coded and can be skipped.
  decodeStrings: false,
  validateEntrySizes: false,
  validateFilenames: false,
  supportMacArchive: true,
} as const;

export async function openZip(path: string, options?: ZipOptions): Promise<ZipArchive> {
  const normalized = normalizeOptions(path, options);
  if (normalized.signal?.aborted) throw new ZipError(aborted(), path);
  let reader: BlockReader;
  try {
    reader = await BlockReader.open(path);
  } catch (error) {
    throw new ZipError(await classifyOpenError(path, error), path, undefined, error);
  }
  let zip: yauzl.ZipFile;
  try {
    // Too small for an end record: yauzl-promise would only say the size is invalid.
    if (reader.size < 22) throw new Error('End of Central Directory Record not found');
    zip = await yauzl.fromReader(reader as unknown as yauzl.Reader, reader.size, YAUZL_OPTIONS);
  } catch (error) {
    await reader.dispose();
    throw new ZipError(await classifyOpenError(path, error), path, undefined, error);
  }
  return new Archive(path, zip, reader, normalized);
}

class Archive implements ZipArchive {
  readonly refused: ZipError[] = [];
  refusedCount = 0;
  private readonly records = new WeakMap<ZipEntry, RecordWithData>();
  private readonly checker: EntryChecker;
  private readonly total: TotalMeter;
  private readonly open = new Set<Readable>();
  private walked = false;
  private closed = false;
  private window: ReadWindow | undefined;
  /** verify() calls run one after another: they share the window's buffers. */
  private verifying: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly zip: yauzl.ZipFile,
    private readonly reader: BlockReader,
    private readonly options: NormalizedOptions,
  ) {
    this.checker = new EntryChecker(options);
    this.total = new TotalMeter(options.limits.maxTotalBytes);
  }

  get entryCount(): number {
    return this.zip.entryCount;
  }

  entries(): AsyncIterableIterator<ZipEntry> {
    if (this.walked) {
      throw new ZipError(
        problem(
          'ZIP_BAD_OPTION',
          'entries() was already called',
          'Keep the entries from the first walk, or open the archive again.',
        ),
        this.path,
      );
    }
    this.walked = true;
    return this.walk();
  }

  private async *walk(): AsyncGenerator<ZipEntry, void, undefined> {
    for (;;) {
      this.assertUsable();
      let record: yauzl.Entry | null;
      try {
        record = await this.zip.readEntry();
      } catch (error) {
        throw new ZipError(classifyStructure(messageOf(error)), this.path, undefined, error);
      }
      if (record === null) return;
      const checked = this.checker.check(record as unknown as CentralRecord);
      if (checked.ok) {
        this.records.set(checked.entry, record as RecordWithData);
        yield checked.entry;
        continue;
      }
      this.refusedCount += 1;
      // With 'throw' the first refusal ends the walk, so it is always kept.
      if (this.refused.length < MAX_REFUSED_KEPT)
        this.refused.push(new ZipError(checked.problem, this.path, checked.name));
      if (this.options.onRefused === 'throw') throw this.refused.at(-1);
    }
  }

  async openStream(entry: ZipEntry, options: OpenStreamOptions = {}): Promise<Readable> {
    const raw = options.raw ?? false;
    if (typeof raw !== 'boolean') throw this.badOption('openStream: raw must be a boolean');
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('openStream: signal must be an AbortSignal');
    }
    const record = this.records.get(entry);
    if (record === undefined) throw this.badOption('openStream: the entry was not yielded by this archive');
    this.assertUsable(options.signal);
    await this.checkLocalHeader(entry, record);
    let source: Readable;
    try {
      source = await record.openReadStream({ decompress: false, validateCrc32: false });
    } catch (error) {
      throw new ZipError(classifyStructure(messageOf(error)), this.path, entry.name, error);
    }
    const inflating = !raw && record.compressionMethod === 8;
    const spec = this.spec(entry, record, raw);
    const inflate = inflating
      ? inflater(record.compressedSize, record.uncompressedSize, record.uncompressedSizeIsCertain)
      : undefined;
    return this.wire(entry.name, source, inflate, spec, options.signal);
  }

  private spec(entry: ZipEntry, record: RecordWithData, raw: boolean): MeterSpec {
    return {
      entry,
      expectedBytes: raw ? record.compressedSize : record.uncompressedSize,
      sizeIsCertain: raw || record.uncompressedSizeIsCertain,
      // Raw deflate bytes have no checksum of their own: the CRC-32 is of the inflated data.
      crc32: raw && record.compressionMethod === 8 ? undefined : record.crc32,
      caps: raw
        ? undefined
        : { limits: this.options.limits, compressedSize: record.compressedSize, total: this.total },
    };
  }

  verify(entry: ZipEntry, options: { signal?: AbortSignal } = {}): Promise<number> {
    const run = this.verifying.then(() => this.verifyNow(entry, options));
    this.verifying = run.catch(() => undefined);
    return run;
  }

  private async verifyNow(entry: ZipEntry, options: { signal?: AbortSignal }): Promise<number> {
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw this.badOption('verify: signal must be an AbortSignal');
    }
    const record = this.records.get(entry);
    if (record === undefined) throw this.badOption('verify: the entry was not yielded by this archive');
    this.assertUsable(options.signal);
    const deflated = record.compressionMethod === 8;
    const certain = record.uncompressedSizeIsCertain;
    if (!certain || (deflated && !inflatesWhole(record.compressedSize, record.uncompressedSize, certain))) {
      // Big deflated entries inflate as a stream, a chunk at a time; so do entries of uncertain size.
      let bytes = 0;
      for await (const chunk of await this.openStream(entry, options)) bytes += (chunk as Buffer).length;
      return bytes;
    }
    const window = (this.window ??= this.reader.window());
    const fail = (found: Problem, cause?: unknown) => new ZipError(found, this.path, entry.name, cause);
    const spec = this.spec(entry, record, false);
    const meter = new EntryMeter(spec);
    try {
      let at = await this.checkLocalHeader(entry, record, (start, length) => window.read(start, length));
      this.assertUsable(options.signal);
      // As yauzl-promise refuses a stream of it: declared data past the end of the file.
      if (at + record.compressedSize > this.reader.size) throw new Error('File data overflows file bounds');
      if (deflated) {
        const compressed = await window.read(at, record.compressedSize);
        let out: Buffer;
        try {
          out = inflateWhole(compressed, record.uncompressedSize);
        } catch (error) {
          throw fail(inflateProblem(error as Error, spec), error);
        }
        const found = meter.push(out);
        if (found) throw fail(found);
      } else {
        const end = at + record.compressedSize;
        while (at < end) {
          this.assertUsable(options.signal);
          const piece = await window.read(at, Math.min(ReadWindow.max / 2, end - at));
          at += piece.length;
          const found = meter.push(piece);
          if (found) throw fail(found);
        }
      }
    } catch (error) {
      if (error instanceof ZipError) throw error;
      throw fail(classifyStructure(messageOf(error)), error);
    }
    const found = meter.end();
    if (found) throw fail(found);
    return meter.byteCount;
  }

  /** Connects source -> (inflate) -> meter; any failure surfaces as a ZipError on the returned stream. */
  private wire(
    name: string,
    source: Readable,
    inflate: Transform | undefined,
    spec: MeterSpec,
    signal?: AbortSignal,
  ): Readable {
    const meter = new MeterStream(new EntryMeter(spec), this.path, name);
    const fail = (error: ZipError) => {
      if (!meter.destroyed) meter.destroy(error);
    };
    source.on('error', (error) =>
      fail(new ZipError(classifyStructure(messageOf(error)), this.path, name, error)),
    );
    if (inflate !== undefined) {
      inflate.on('error', (error) => fail(new ZipError(inflateProblem(error, spec), this.path, name, error)));
      source.pipe(inflate).pipe(meter);
    } else {
      source.pipe(meter);
    }
    const signals = [this.options.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    const onAbort = () => fail(new ZipError(aborted(), this.path, name));
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    // A signal that fired while the local header was being read will not fire again.
    if (signals.some((s) => s.aborted)) process.nextTick(onAbort);
    this.open.add(meter);
    meter.once('close', () => {
      this.open.delete(meter);
      for (const s of signals) s.removeEventListener('abort', onAbort);
      // Stop reading the file when the consumer stops early or the data failed a check.
      source.destroy();
      inflate?.destroy();
    });
    return meter;
  }

  /** The local header must agree with the central directory, or two tools could see different files. */
  private async checkLocalHeader(
    entry: ZipEntry,
    record: RecordWithData,
    read: (start: number, length: number) => Promise<Buffer> = (start, length) =>
      this.reader.read(start, length),
  ): Promise<number> {
    const corrupt = (detail: string) =>
      new ZipError(
        problem('ZIP_CORRUPT', detail, 'Download or create the archive again.'),
        this.path,
        entry.name,
      );
    let header: Buffer;
    let name: Buffer;
    try {
      header = await read(record.fileHeaderOffset, 30);
      const nameLength = header.readUInt16LE(26);
      // Copied out: a window's next read may reuse the bytes of this one.
      header = Buffer.from(header);
      name = nameLength === 0 ? Buffer.alloc(0) : await read(record.fileHeaderOffset + 30, nameLength);
    } catch (error) {
      throw new ZipError(classifyStructure(messageOf(error)), this.path, entry.name, error);
    }
    if (header.readUInt32LE(0) !== 0x04034b50) throw corrupt('Local header signature is missing');
    if ((header.readUInt16LE(6) & 0x1) !== 0) {
      throw new ZipError(
        problem('ZIP_ENCRYPTED', 'Entry is encrypted (local header)', 'Decrypt the archive and try again.'),
        this.path,
        entry.name,
      );
    }
    if (header.readUInt16LE(8) !== record.compressionMethod) {
      throw corrupt('Local header and central directory disagree on the compression method');
    }
    if (!name.equals(record.filename as unknown as Buffer)) {
      throw corrupt(
        `Local header names the entry "${name.toString('latin1')}", the central directory differently`,
      );
    }
    return record.fileHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new ZipError(
      problem(
        'ZIP_CLOSED',
        'Archive was closed while an entry was being read',
        'Finish reading before close().',
      ),
      this.path,
    );
    for (const stream of this.open) stream.destroy(error);
    // A walk may have a read in flight; the reader refuses to close until it settles.
    for (let i = 0; i < 1000 && this.reader.readCount > 0; i += 1) await new Promise(setImmediate);
    // A verify() in progress stops at its next read (the archive is closed) before the file is.
    await this.verifying;
    await this.window?.close();
    await this.zip.close();
  }

  private assertUsable(signal?: AbortSignal): void {
    if (this.closed) {
      throw new ZipError(
        problem('ZIP_CLOSED', 'Archive is closed', 'Open it again with openZip().'),
        this.path,
      );
    }
    if (this.options.signal?.aborted || signal?.aborted) throw new ZipError(aborted(), this.path);
  }

  private badOption(detail: string): ZipError {
    return new ZipError(problem('ZIP_BAD_OPTION', detail, 'Fix the call.'), this.path);
  }
}

class MeterStream extends Transform {
  constructor(
    private readonly meter: EntryMeter,
    private readonly archive: string,
    private readonly entry: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const found = this.meter.push(chunk);
    if (found === undefined) callback(null, chunk);
    else callback(new ZipError(found, this.archive, this.entry));
  }

  override _flush(callback: TransformCallback): void {
    const found = this.meter.end();
    callback(found === undefined ? null : new ZipError(found, this.archive, this.entry));
  }
}

function inflateProblem(error: Error, spec: MeterSpec): Problem {
  if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
    return problem(
      'ZIP_SIZE_MISMATCH',
      `Entry data is longer than the declared ${spec.expectedBytes} bytes`,
      'The archive is damaged (often a cut-short or corrupted download); download or create it again.',
    );
  }
  return problem(
    'ZIP_CORRUPT',
    `Compressed data is damaged (${error.message})`,
    'Download or create the archive again.',
  );
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
