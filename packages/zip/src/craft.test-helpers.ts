// Crafting zip fixtures at test time: yazl for well-formed archives, byte patches for the broken ones, and a
// tiny hand writer for names yazl refuses to write (empty, NUL, backslash, non-UTF-8 bytes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll } from 'vitest';
import yazl from 'yazl';
import { entryChunks, openZip, type ZipArchive, type ZipEntry } from './index.js';

export interface YazlItem {
  name: string;
  data?: Buffer;
  dir?: boolean;
  compress?: boolean;
  mode?: number;
  /** Written through addReadStream, so the archive gets a data descriptor after the data. */
  streamed?: boolean;
}

export function yazlZip(items: YazlItem[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-05-06T07:08:10Z');
  for (const item of items) {
    const mode = item.mode === undefined ? {} : { mode: item.mode };
    if (item.dir) zip.addEmptyDirectory(item.name, { mtime, ...mode });
    else if (item.streamed) {
      zip.addReadStream(Readable.from([item.data ?? Buffer.alloc(0)]), item.name, {
        mtime,
        compress: item.compress ?? true,
        ...mode,
      });
    } else
      zip.addBuffer(item.data ?? Buffer.alloc(0), item.name, {
        mtime,
        compress: item.compress ?? true,
        ...mode,
      });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Offsets of each central record and its local header, read from the end record (no archive comment). */
export function headers(zip: Buffer): { central: number; local: number }[] {
  const eocd = zip.length - 22;
  if (zip.readUInt32LE(eocd) !== 0x06054b50) throw new Error('fixture has a comment or is zip64');
  const count = zip.readUInt16LE(eocd + 10);
  let central = zip.readUInt32LE(eocd + 16);
  const out: { central: number; local: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push({ central, local: zip.readUInt32LE(central + 42) });
    central +=
      46 + zip.readUInt16LE(central + 28) + zip.readUInt16LE(central + 30) + zip.readUInt16LE(central + 32);
  }
  return out;
}

/** The same archive with its central records in reverse order: entries listed out of file order. */
export function reverseDirectory(zip: Buffer): Buffer {
  const records = headers(zip);
  const eocd = zip.length - 22;
  const start = zip.readUInt32LE(eocd + 16);
  const ends = [...records.slice(1).map((r) => r.central), eocd];
  const pieces = records.map((r, i) => zip.subarray(r.central, ends[i]));
  return Buffer.concat([zip.subarray(0, start), ...pieces.reverse(), zip.subarray(eocd)]);
}

type Field = 'flags' | 'method' | 'crc32' | 'compressedSize' | 'uncompressedSize';
const CENTRAL: Record<Field, [number, 2 | 4]> = {
  flags: [8, 2],
  method: [10, 2],
  crc32: [16, 4],
  compressedSize: [20, 4],
  uncompressedSize: [24, 4],
};
const LOCAL: Record<Field, [number, 2 | 4]> = {
  flags: [6, 2],
  method: [8, 2],
  crc32: [14, 4],
  compressedSize: [18, 4],
  uncompressedSize: [22, 4],
};

/** Rewrites one field of entry `index` in both the central and the local header (as a real tool would). */
export function patch(zip: Buffer, index: number, field: Field, update: (old: number) => number): Buffer {
  const out = Buffer.from(zip);
  const h = headers(out)[index]!;
  for (const [base, [offset, size]] of [
    [h.central, CENTRAL[field]],
    [h.local, LOCAL[field]],
  ] as const) {
    const at = base + offset;
    if (size === 2) out.writeUInt16LE(update(out.readUInt16LE(at)) & 0xffff, at);
    else out.writeUInt32LE(update(out.readUInt32LE(at)) >>> 0, at);
  }
  return out;
}

/** Replaces a name by another of the same byte length, in both headers. */
export function rename(zip: Buffer, from: string, to: Buffer | string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.isBuffer(to) ? to : Buffer.from(to, 'latin1');
  if (a.length !== b.length) throw new Error('rename needs names of equal length');
  const out = Buffer.from(zip);
  let at = out.indexOf(a);
  let hits = 0;
  while (at >= 0) {
    b.copy(out, at);
    hits += 1;
    at = out.indexOf(a, at + 1);
  }
  if (hits < 2) throw new Error(`name ${from} found ${hits} times`);
  return out;
}

export function setExternalMode(zip: Buffer, index: number, mode: number): Buffer {
  const out = Buffer.from(zip);
  const h = headers(out)[index]!;
  out.writeUInt16LE((3 << 8) | 20, h.central + 4);
  out.writeUInt32LE((mode << 16) >>> 0, h.central + 38);
  return out;
}

export interface RawItem {
  name: Buffer;
  data: Buffer;
  deflate?: boolean;
  flags?: number;
  madeBy?: number;
  extra?: Buffer;
  /** The local header's extra field, when not `extra`. */
  localExtra?: Buffer;
  /** External file attributes (the MS-DOS attribute byte in the low bits). */
  attributes?: number;
}

/** A minimal zip writer with full control over name bytes, flags and "version made by". */
export function rawZip(items: RawItem[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const body = item.deflate ? deflateRawSync(item.data) : item.data;
    const extra = item.extra ?? Buffer.alloc(0);
    const localExtra = item.localExtra ?? extra;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(item.flags ?? 0, 6);
    local.writeUInt16LE(item.deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE((44 << 9) | (1 << 5) | 1, 12);
    local.writeUInt32LE(crc32(item.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(item.data.length, 22);
    local.writeUInt16LE(item.name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(item.madeBy ?? 20, 4);
    record.writeUInt16LE(20, 6);
    local.copy(record, 8, 6, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt32LE(item.attributes ?? 0, 38);
    record.writeUInt32LE(offset, 42);
    parts.push(local, item.name, localExtra, body);
    central.push(record, item.name, extra);
    offset += 30 + item.name.length + localExtra.length + body.length;
  }
  const cd = Buffer.concat(central);
  const many = items.length > 0xffff;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(many ? 0xffff : items.length, 8);
  eocd.writeUInt16LE(many ? 0xffff : items.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  if (!many) return Buffer.concat([...parts, cd, eocd]);
  // More than 65,535 entries: the real count lives in the zip64 end record, found through its locator.
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(items.length), 24);
  record.writeBigUInt64LE(BigInt(items.length), 32);
  record.writeBigUInt64LE(BigInt(cd.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([...parts, cd, record, locator, eocd]);
}

/** Folders `tempDir` made, removed after the test file that imports this one (its hook is that file's). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  made.push(dir);
  return dir;
}

export function save(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Info-ZIP's verdict on a file: exit status of `unzip -tqq` (0 = all entries test fine). */
export function unzipTest(path: string): number {
  return spawnSync('unzip', ['-tqq', path], { stdio: 'ignore' }).status ?? -1;
}

/**
 * The same archive with its end written the zip64 way: a zip64 end record and locator, and a classic end
 * record holding 0xFFFF / 0xFFFFFFFF in every field (APPNOTE 4.4.1.4), as some writers always do.
 */
export function withZip64End(zip: Buffer): Buffer {
  const eocd = zip.length - 22;
  if (zip.readUInt32LE(eocd) !== 0x06054b50) throw new Error('fixture has a comment');
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(eocd), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.fill(0xff, 4, 20);
  return Buffer.concat([zip.subarray(0, eocd), record, locator, end]);
}

/** Whether CPython's zipfile reads every entry of the archive (its own checks: CRC, sizes). */
export function pythonReads(path: string): boolean {
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nsys.exit(1 if z.testzip() else 0)';
  return spawnSync('python3', ['-c', script, path], { stdio: 'ignore' }).status === 0;
}

/**
 * How each way of reading an archive's entries ends: each entry's byte count, or the error's code and
 * message (cut before ` in `, where the path begins, when `short`).
 */
export async function readEach(
  path: string,
  ways: readonly ('verify' | 'held' | 'stream' | 'into' | 'raw')[] = [
    'verify',
    'held',
    'stream',
    'into',
    'raw',
  ],
  short = false,
): Promise<string[]> {
  const outcomes: string[] = [];
  for (const how of ways) {
    const archive = await openZip(path);
    try {
      for await (const entry of archive.entries()) {
        let bytes = 0;
        if (how === 'verify') bytes = await archive.verify(entry);
        else if (how === 'held') bytes = await verifiedHeld(archive, entry);
        else if (how === 'stream')
          for await (const chunk of entryChunks(archive, entry)) bytes += chunk.length;
        else if (how === 'into') {
          for await (const chunk of archive.readInto(entry, () => new Uint8Array(4096)))
            bytes += chunk.length;
        } else for await (const chunk of archive.readRaw(entry)) bytes += chunk.length;
        outcomes.push(`${how}: ${bytes}`);
      }
    } catch (error) {
      const { code, message } = error as { code: string; message: string };
      outcomes.push(`${how}: ${code} ${short ? message.slice(0, message.indexOf(' in ')) : message}`);
    } finally {
      await archive.close();
    }
  }
  return outcomes;
}

/**
 * An entry checked by `verifyHeld`: when its bytes are not in memory yet, `verify` reads them (its outcome
 * set aside) and `verifyHeld` checks them again from there; an entry too big to be held is verified.
 */
async function verifiedHeld(archive: ZipArchive, entry: ZipEntry): Promise<number> {
  const held = archive.verifyHeld(entry);
  if (held !== undefined) return held;
  await archive.verify(entry).catch(() => undefined);
  return archive.verifyHeld(entry) ?? (await archive.verify(entry));
}
