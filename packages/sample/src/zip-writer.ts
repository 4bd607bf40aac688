import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { SampleError } from './errors.js';
import { FileSink } from './sink.js';

/**
 * A minimal streaming zip writer: every entry's sizes and CRC are in its local header (no data
 * descriptors), timestamps are fixed, and Zip64 records appear only where a size, offset or entry count
 * needs them. Central directory records go to a temporary file, so memory does not grow with entries.
 */

const MAX32 = 0xffffffff;
const UTF8_FLAG = 0x0800;
/** 2021-10-13 07:40:00, the export date in LinkedIn's guide: a fixed stamp keeps archives byte-identical. */
const DOS_TIME = (7 << 11) | (40 << 5);
const DOS_DATE = ((2021 - 1980) << 9) | (10 << 5) | 13;
const UNIX_FILE = (0o100644 << 16) >>> 0;

export type ZipMethod = 'store' | 'deflate';

export interface ZipStats {
  entries: number;
  bytes: number;
}

export class ZipWriter {
  private entries = 0;
  private closed = false;

  private constructor(
    private readonly out: FileSink,
    private readonly central: FileSink,
  ) {}

  /** Writes to `path`; central directory records are kept in `path + '.cd'` until close. */
  static async create(path: string): Promise<ZipWriter> {
    const out = await FileSink.create(path);
    try {
      return new ZipWriter(out, await FileSink.create(`${path}.cd`));
    } catch (error) {
      await out.discard();
      throw error;
    }
  }

  get path(): string {
    return this.out.path;
  }

  get position(): number {
    return this.out.position;
  }

  /** A stored entry of known size whose bytes `fill` emits; the CRC is patched in afterwards. */
  async addStored(
    name: string,
    size: number,
    fill: (emit: (chunk: Buffer) => Promise<void>) => Promise<void>,
  ) {
    const offset = this.out.position;
    const header = localHeader(name, 0, 0, size, size);
    await this.out.write(header);
    let crc = 0;
    let written = 0;
    await fill(async (chunk) => {
      crc = updateCrc(crc, chunk);
      written += chunk.length;
      await this.out.write(chunk);
    });
    if (written !== size) {
      throw new SampleError(
        'SAMPLE_INTERNAL',
        `Entry ${name} got ${written} bytes, ${size} planned; this is a bug.`,
      );
    }
    const crcBytes = Buffer.alloc(4);
    crcBytes.writeUInt32LE(crc >>> 0);
    await this.out.patch(offset, header, 14, crcBytes);
    await this.record(name, 0, crc >>> 0, size, size, offset);
  }

  /** An entry whose (already compressed) data sits in `dataPath`. */
  async addPrepared(
    name: string,
    method: ZipMethod,
    crc: number,
    csize: number,
    usize: number,
    dataPath: string,
  ) {
    const offset = this.out.position;
    const code = method === 'deflate' ? 8 : 0;
    await this.out.write(localHeader(name, code, crc, csize, usize));
    let copied = 0;
    for await (const chunk of createReadStream(dataPath, { highWaterMark: 1024 * 1024 })) {
      copied += (chunk as Buffer).length;
      await this.out.write(chunk as Buffer);
    }
    if (copied !== csize) {
      throw new SampleError('SAMPLE_INTERNAL', `Entry ${name}: ${copied} bytes copied, ${csize} expected.`);
    }
    await this.record(name, code, crc, csize, usize, offset);
  }

  private async record(
    name: string,
    method: number,
    crc: number,
    csize: number,
    usize: number,
    offset: number,
  ) {
    this.entries++;
    await this.central.write(centralHeader(name, method, crc, csize, usize, offset));
  }

  /** Writes the central directory and end records; returns the archive's size. */
  async close(): Promise<ZipStats> {
    if (this.closed) throw new SampleError('SAMPLE_INTERNAL', `Zip ${this.path} closed twice.`);
    this.closed = true;
    const cdOffset = this.out.position;
    await this.central.close();
    for await (const chunk of createReadStream(this.central.path, { highWaterMark: 1024 * 1024 })) {
      await this.out.write(chunk as Buffer);
    }
    await unlink(this.central.path);
    const cdSize = this.out.position - cdOffset;
    if (this.entries >= 0xffff || cdSize >= MAX32 || cdOffset >= MAX32) {
      const zip64At = this.out.position;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(45, 12);
      record.writeUInt16LE(45, 14);
      record.writeBigUInt64LE(BigInt(this.entries), 24);
      record.writeBigUInt64LE(BigInt(this.entries), 32);
      record.writeBigUInt64LE(BigInt(cdSize), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(zip64At), 8);
      locator.writeUInt32LE(1, 16);
      await this.out.write(record);
      await this.out.write(locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(this.entries, 0xffff), 8);
    end.writeUInt16LE(Math.min(this.entries, 0xffff), 10);
    end.writeUInt32LE(Math.min(cdSize, MAX32), 12);
    end.writeUInt32LE(Math.min(cdOffset, MAX32), 16);
    await this.out.write(end);
    const bytes = this.out.position;
    await this.out.close();
    return { entries: this.entries, bytes };
  }

  /** Close both files after a failure; the caller removes them. */
  async discard(): Promise<void> {
    await this.out.discard();
    await this.central.discard();
    await unlink(this.central.path).catch(() => undefined);
  }
}

/** CRC-32 of `chunk` continued from `crc`. Empty chunks are skipped: Node's crc32 returns 0 for some of them. */
export function updateCrc(crc: number, chunk: Buffer): number {
  return chunk.length === 0 ? crc : crc32(chunk, crc);
}

function localHeader(name: string, method: number, crc: number, csize: number, usize: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const zip64 = csize >= MAX32 || usize >= MAX32;
  const header = Buffer.alloc(30 + nameBytes.length + (zip64 ? 20 : 0));
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(zip64 ? 45 : 20, 4);
  header.writeUInt16LE(UTF8_FLAG, 6);
  header.writeUInt16LE(method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(crc >>> 0, 14);
  header.writeUInt32LE(zip64 ? MAX32 : csize, 18);
  header.writeUInt32LE(zip64 ? MAX32 : usize, 22);
  header.writeUInt16LE(nameBytes.length, 26);
  header.writeUInt16LE(zip64 ? 20 : 0, 28);
  nameBytes.copy(header, 30);
  if (zip64) {
    const at = 30 + nameBytes.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(16, at + 2);
    header.writeBigUInt64LE(BigInt(usize), at + 4);
    header.writeBigUInt64LE(BigInt(csize), at + 12);
  }
  return header;
}

function centralHeader(
  name: string,
  method: number,
  crc: number,
  csize: number,
  usize: number,
  offset: number,
) {
  const nameBytes = Buffer.from(name, 'utf8');
  // Zip64 extra fields hold, in this order, only the values too big for their 32-bit slots.
  const big = [usize, csize, offset].filter((value) => value >= MAX32);
  const extra = big.length === 0 ? 0 : 4 + 8 * big.length;
  const header = Buffer.alloc(46 + nameBytes.length + extra);
  const version = big.length > 0 ? 45 : 20;
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE((3 << 8) | version, 4);
  header.writeUInt16LE(version, 6);
  header.writeUInt16LE(UTF8_FLAG, 8);
  header.writeUInt16LE(method, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(crc >>> 0, 16);
  header.writeUInt32LE(Math.min(csize, MAX32), 20);
  header.writeUInt32LE(Math.min(usize, MAX32), 24);
  header.writeUInt16LE(nameBytes.length, 28);
  header.writeUInt16LE(extra, 30);
  header.writeUInt32LE(UNIX_FILE, 38);
  header.writeUInt32LE(Math.min(offset, MAX32), 42);
  nameBytes.copy(header, 46);
  if (extra > 0) {
    let at = 46 + nameBytes.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(extra - 4, at + 2);
    at += 4;
    for (const value of big) {
      header.writeBigUInt64LE(BigInt(value), at);
      at += 8;
    }
  }
  return header;
}
