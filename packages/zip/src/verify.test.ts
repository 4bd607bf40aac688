// ZipArchive.verify: reads an entry through without handing out its bytes. Every check here compares it with
// what reading the same entry through openStream gives on the same bytes, on archives made at test time.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  truncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  headers,
  patch,
  type RawItem,
  rawZip,
  save,
  tempDir,
  unzipTest,
  yazlZip,
} from './craft.test-helpers.js';
import {
  openZip,
  WindowBuffers,
  type ZipArchive,
  type ZipEntry,
  ZipError,
  type ZipErrorCode,
  type ZipLimits,
  type ZipOptions,
} from './index.js';
import { RawInflate } from './inflate.js';
import { ReadWindow } from './window.js';

const W = ReadWindow.max; // one stretch of the read-ahead window (4 MiB)
const KiB = 1024;
const MiB = 1024 * KiB;
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Incompressible but reproducible bytes. */
function noise(length: number, seed: number): Buffer {
  const key = Buffer.alloc(16, seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** Compressible CSV-like text of exactly `length` bytes. */
function text(length: number, seed = 0): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i += 1) {
    const line = `${i + seed},Candidate ${(i * 7919 + seed) % 977},note ${(i * 104729) % 10007},ok\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('').slice(0, length));
}

type Outcome = number | { code: ZipErrorCode; entry: string | undefined };

async function outcome(work: () => Promise<number>): Promise<Outcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ZipError) return { code: error.code, entry: error.entry };
    throw error;
  }
}

async function streamBytes(
  archive: ZipArchive,
  entry: ZipEntry,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  let bytes = 0;
  for await (const chunk of await archive.openStream(entry, options)) bytes += (chunk as Buffer).length;
  return bytes;
}

async function walk(archive: ZipArchive): Promise<Map<string, ZipEntry>> {
  const entries = new Map<string, ZipEntry>();
  for await (const entry of archive.entries()) entries.set(entry.name, entry);
  return entries;
}

/** The bytes readInto hands out, into buffers of `size` bytes. */
async function intoBytes(archive: ZipArchive, entry: ZipEntry, size = 64 * KiB): Promise<number> {
  let bytes = 0;
  for await (const chunk of archive.readInto(entry, () => new Uint8Array(size))) bytes += chunk.length;
  return bytes;
}

/**
 * Reads the named entries in this order with verify, with streams and with readInto, each on a fresh
 * archive.
 */
async function compare(
  path: string,
  names: string[],
  options?: ZipOptions,
): Promise<{ verify: Outcome[]; stream: Outcome[]; into: Outcome[] }> {
  const run = async (how: 'verify' | 'stream' | 'into') => {
    const archive = await openZip(path, options);
    try {
      const entries = await walk(archive);
      const out: Outcome[] = [];
      for (const name of names) {
        const entry = entries.get(name);
        if (entry === undefined) throw new Error(`no entry ${name}`);
        const read = { verify: () => archive.verify(entry), stream: () => streamBytes(archive, entry) };
        out.push(await outcome(how === 'into' ? () => intoBytes(archive, entry) : read[how]));
      }
      return out;
    } finally {
      await archive.close();
    }
  };
  return { verify: await run('verify'), stream: await run('stream'), into: await run('into') };
}

/** Descriptors of this process open on the file (Linux). */
function descriptorsOn(path: string): number {
  const real = realpathSync(path);
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === real) count += 1;
    } catch {
      // closed while listing (the listing's own descriptor)
    }
  }
  return count;
}

/**
 * An archive laid out byte by byte so that reading it front to back makes the window cross its stretches in
 * every way: a local header across a stretch end, compressed data across one, a name across one, data that
 * starts exactly where the prefetched stretch starts, stored data spanning stretches. Reading front to back
 * from offset 0, the stretches start at 0, W, 2W, 3W and 4W (a read across a stretch's end is joined from it
 * and the stretch read ahead).
 */
function mixedArchive(): { zip: Buffer; sizes: Map<string, number> } {
  const items: RawItem[] = [];
  const sizes = new Map<string, number>();
  let offset = 0;
  let seed = 1;
  let placing = true; // offsets are only needed up to the last filler (deflating twice is slow)
  const add = (name: string, data: Buffer, deflate = false) => {
    items.push({ name: Buffer.from(name), data, deflate });
    sizes.set(name, data.length);
    if (placing)
      offset += 30 + Buffer.byteLength(name) + (deflate ? deflateRawSync(data).length : data.length);
  };
  /** A stored filler so that the next local header starts at `target`. */
  const padTo = (target: number) => {
    const name = `pad-${items.length}.bin`;
    const length = target - offset - 30 - name.length;
    if (length < 0) throw new Error(`cannot pad to ${target} from ${offset}`);
    add(name, noise(length, (seed += 1)));
    if (offset !== target) throw new Error('padding is off');
  };
  add('dir/', Buffer.alloc(0));
  add('dir/empty-stored.txt', Buffer.alloc(0));
  add('dir/empty-deflated.txt', Buffer.alloc(0), true);
  add('deflated-dir/', Buffer.alloc(0), true); // some tools deflate directories to the 2-byte empty stream
  add('dir/small.csv', text(5000), true);
  add('dir/small.bin', noise(5000, 2));
  padTo(W - 10);
  add('header-straddle.csv', text(100 * KiB, 3), true);
  const dataStraddle = 'data-straddle.csv';
  padTo(2 * W - 110 - 30 - dataStraddle.length);
  add(dataStraddle, text(200 * KiB, 4), true);
  padTo(3 * W - 30 - 8);
  add('name-straddle.bin', noise(1000, 5));
  const atBoundary = 'data-at-prefetched-stretch.csv';
  padTo(4 * W - 30 - atBoundary.length);
  add(atBoundary, text(50 * KiB, 6), true);
  placing = false;
  add('big-stored.bin', noise(5 * MiB + 7, 7));
  add('big-deflated.bin', noise(700 * KiB, 8), true); // compressed over 512 KiB: inflated as a stream
  add('big-text.csv', text(MiB + 512 * KiB, 9), true); // compressed under 512 KiB but declared over: a stream too
  add('exactly-512k.csv', text(512 * KiB, 10), true);
  add('over-512k.csv', text(512 * KiB + 1, 11), true);
  for (let i = 0; i < 300; i += 1) {
    const size = (i * 37) % 3000;
    const data = i % 3 === 0 ? noise(size, 12 + (i % 200)) : text(size, i);
    add(`many/${String(i).padStart(3, '0')}.${i % 2 ? 'csv' : 'bin'}`, data, i % 2 === 1);
  }
  add('last.bin', noise(777, 13));
  return { zip: rawZip(items), sizes };
}

/** Deterministic shuffle (xorshift), so a failing order can be reproduced. */
function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('verify on a well-formed archive', () => {
  let path: string;
  let sizes: Map<string, number>;
  /** name -> bytes read through openStream */
  const streamed = new Map<string, number>();
  let names: string[];

  beforeAll(async () => {
    const made = mixedArchive();
    sizes = made.sizes;
    path = save(dir, 'mixed.zip', made.zip);
    const archive = await openZip(path);
    for (const entry of (await walk(archive)).values()) {
      streamed.set(entry.name, await streamBytes(archive, entry));
    }
    await archive.close();
    names = [...streamed.keys()];
  });

  it('is an archive that openStream reads in full, every CRC-32 checked (the baseline)', () => {
    expect(names.length).toBe(sizes.size);
    for (const [name, size] of sizes) expect(streamed.get(name), name).toBe(size);
  });

  const orders: [string, (all: string[]) => string[]][] = [
    ['front to back', (all) => all],
    ['back to front', (all) => [...all].reverse()],
    ['in a random order', (all) => shuffled(all, 0x2545f491)],
    ['each entry twice in a row', (all) => all.flatMap((n) => [n, n])],
    [
      'every 7th entry, alternating between the two ends',
      (all) => all.flatMap((n, i) => (i % 7 ? [] : [n, all.at(-1 - i)!])),
    ],
  ];

  it.each(orders)('resolves with the bytes openStream yields, %s', async (_label, order) => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    const got: [string, number][] = [];
    const want: [string, number][] = [];
    for (const name of order(names)) {
      got.push([name, await archive.verify(entries.get(name)!)]);
      want.push([name, streamed.get(name)!]);
    }
    await archive.close();
    expect(got).toEqual(want);
  });

  it.each([
    [1000, 'buffers of 1,000 bytes'],
    [64 * KiB, 'buffers of 64 KiB'],
    [3 * MiB + 1, 'buffers of 3 MiB'],
  ])('readInto writes the bytes openStream yields into the buffers taken, %#: %s', async (size) => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    for (const name of names) {
      const want = createHash('sha256');
      for await (const chunk of await archive.openStream(entries.get(name)!)) want.update(chunk as Buffer);
      const got = createHash('sha256');
      const taken: Uint8Array[] = [];
      const chunks: Uint8Array[] = [];
      for await (const chunk of archive.readInto(
        entries.get(name)!,
        () => taken[taken.push(new Uint8Array(size)) - 1]!,
      )) {
        got.update(chunk);
        chunks.push(chunk);
      }
      expect(got.digest('hex'), name).toBe(want.digest('hex'));
      // Each chunk is the next buffer taken, all but the last one full; a buffer is taken only when needed.
      expect(
        chunks.map((c) => c.buffer),
        name,
      ).toEqual(taken.slice(0, chunks.length).map((t) => t.buffer));
      expect(
        chunks.slice(0, -1).every((c) => c.length === size),
        name,
      ).toBe(true);
      expect(taken.length - chunks.length, name).toBeLessThanOrEqual(1);
    }
    await archive.close();
  });

  it('resolves with the right bytes when verifying during the walk (as the export check does)', async () => {
    const archive = await openZip(path);
    const got = new Map<string, number>();
    for await (const entry of archive.entries()) got.set(entry.name, await archive.verify(entry));
    await archive.close();
    expect(got).toEqual(streamed);
  });

  it('verifies deflated entries over 512 KiB a piece at a time, without a stream, with their full byte count', async () => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    const opened = vi.spyOn(archive, 'openStream');
    const inflaters = vi.spyOn(RawInflate, 'create');
    const counts: number[] = [];
    try {
      for (const name of ['big-deflated.bin', 'big-text.csv', 'over-512k.csv', 'exactly-512k.csv']) {
        expect(await archive.verify(entries.get(name)!), name).toBe(sizes.get(name));
        counts.push(inflaters.mock.calls.length);
      }
      expect(await archive.verify(entries.get('big-stored.bin')!)).toBe(5 * MiB + 7);
      expect(await archive.verify(entries.get('dir/small.csv')!)).toBe(5000);
      expect(opened).not.toHaveBeenCalled();
      // The three over 512 KiB (compressed or declared), not the one of exactly 512 KiB.
      expect(counts).toEqual([1, 2, 3, 3]);
    } finally {
      inflaters.mockRestore();
    }
    await archive.close();
    expect(entries.get('big-deflated.bin')!.compressedSize).toBeGreaterThan(512 * KiB);
    expect(entries.get('big-text.csv')!.compressedSize).toBeLessThan(512 * KiB);
  });

  it('does not count entries verified again, or verified and then streamed, twice against maxTotalBytes', async () => {
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const archive = await openZip(path, { limits: { maxTotalBytes: total } });
    const entries = [...(await walk(archive)).values()];
    const got: Outcome[] = [];
    for (const entry of entries) got.push(await outcome(() => archive.verify(entry)));
    for (const entry of entries) got.push(await outcome(() => archive.verify(entry)));
    for (const entry of entries.slice(-50)) got.push(await outcome(() => streamBytes(archive, entry)));
    await archive.close();
    const want = entries.map((e) => sizes.get(e.name));
    expect(got).toEqual([...want, ...want, ...want.slice(-50)]);
  });
});

describe('verify on an archive written by Info-ZIP zip', () => {
  it('resolves every entry with the bytes openStream yields and the file sizes on disk', async () => {
    const src = join(dir, 'infozip-src');
    const files = new Map<string, Buffer>([
      ['docs/Candidates.csv', text(300 * KiB, 1)],
      ['docs/empty.txt', Buffer.alloc(0)],
      ['media/video.bin', noise(W + 300 * KiB, 2)], // stored (zip -n .bin), over one stretch
      ['media/photo.jpg', noise(600 * KiB, 3)], // deflated but incompressible: over 512 KiB compressed
    ]);
    for (let i = 0; i < 60; i += 1) files.set(`notes/n${i}.txt`, text(i * 13, i));
    for (const [name, data] of files) {
      mkdirSync(join(src, name, '..'), { recursive: true });
      save(src, name, data);
    }
    mkdirSync(join(src, 'docs', 'empty-dir'));
    const file = join(dir, 'infozip.zip');
    execFileSync('zip', ['-qr', '-n', '.bin', file, 'docs', 'media', 'notes'], { cwd: src });
    expect(unzipTest(file)).toBe(0);

    const archive = await openZip(file);
    const entries = [...(await walk(archive)).values()];
    const verified = new Map<string, number>();
    for (const entry of shuffled(entries, 7)) verified.set(entry.name, await archive.verify(entry));
    const read = new Map<string, number>();
    for (const entry of entries) read.set(entry.name, await streamBytes(archive, entry));
    await archive.close();

    expect(verified).toEqual(read);
    expect(entries.find((e) => e.name === 'media/video.bin')?.method).toBe(0);
    expect(entries.some((e) => e.name === 'docs/empty-dir/' && e.isDirectory)).toBe(true);
    for (const [name, data] of files) expect(verified.get(name), name).toBe(data.length);
  });
});

describe('verify refuses what openStream refuses, with the same code', () => {
  const csv = text(200 * KiB, 5); // deflated, inflated in one call
  const large = Buffer.concat([noise(600 * KiB, 6), text(600 * KiB, 7)]); // compressed over 512 KiB
  const stored = noise(300 * KiB, 8);
  const names = ['first.txt', 'small.csv', 'stored.bin', 'large.bin', 'tail.csv'];
  let base: Buffer;
  beforeAll(async () => {
    base = await yazlZip([
      { name: 'first.txt', data: Buffer.from('first\n'), compress: false },
      { name: 'small.csv', data: csv },
      { name: 'stored.bin', data: stored, compress: false },
      { name: 'large.bin', data: large },
      { name: 'tail.csv', data: text(1000) },
    ]);
  });

  const at = (zip: Buffer, index: number) => headers(zip)[index]!.local;
  const dataStart = (zip: Buffer, index: number) =>
    at(zip, index) + 30 + zip.readUInt16LE(at(zip, index) + 26) + zip.readUInt16LE(at(zip, index) + 28);
  const copy = (zip: Buffer, edit: (out: Buffer) => void) => {
    const out = Buffer.from(zip);
    edit(out);
    return out;
  };
  const index = (name: string) => names.indexOf(name);
  /** The ratio cap that the declaration just meets, so the walk passes and one more byte is over it. */
  const justMet = (zip: Buffer, name: string): Partial<ZipLimits> => {
    const h = headers(zip)[index(name)]!.central;
    return { maxRatio: zip.readUInt32LE(h + 24) / zip.readUInt32LE(h + 20) + 1e-9, ratioMinBytes: 0 };
  };

  const cases: [
    label: string,
    entry: string,
    code: ZipErrorCode,
    make: (zip: Buffer) => Buffer,
    options?: (zip: Buffer) => ZipOptions,
  ][] = [
    [
      'a flipped data byte of a stored entry',
      'stored.bin',
      'ZIP_CRC_MISMATCH',
      (zip) => copy(zip, (z) => (z[dataStart(z, 2) + 150_000]! ^= 0x20)),
    ],
    [
      'a flipped CRC-32 of a small deflated entry',
      'small.csv',
      'ZIP_CRC_MISMATCH',
      (zip) => patch(zip, 1, 'crc32', (c) => c ^ 1),
    ],
    [
      'a flipped CRC-32 of a large deflated entry',
      'large.bin',
      'ZIP_CRC_MISMATCH',
      (zip) => patch(zip, 3, 'crc32', (c) => c ^ 0x80000000),
    ],
    [
      'a local header naming another file',
      'small.csv',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.write('S', at(z, 1) + 30, 'latin1')),
    ],
    [
      'a local header naming another file (stored entry)',
      'stored.bin',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.write('x', at(z, 2) + 30 + 'stored.'.length, 'latin1')),
    ],
    [
      'a local header with the encryption bit',
      'small.csv',
      'ZIP_ENCRYPTED',
      (zip) => copy(zip, (z) => z.writeUInt16LE(z.readUInt16LE(at(z, 1) + 6) | 1, at(z, 1) + 6)),
    ],
    [
      'a local header with the encryption bit (large entry)',
      'large.bin',
      'ZIP_ENCRYPTED',
      (zip) => copy(zip, (z) => z.writeUInt16LE(z.readUInt16LE(at(z, 3) + 6) | 1, at(z, 3) + 6)),
    ],
    [
      'a local header saying stored where the central directory says deflate',
      'small.csv',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.writeUInt16LE(0, at(z, 1) + 8)),
    ],
    [
      'a local header saying deflate where the central directory says stored',
      'stored.bin',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.writeUInt16LE(8, at(z, 2) + 8)),
    ],
    [
      'a local header without its signature',
      'tail.csv',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.writeUInt32LE(0x04034b51, at(z, 4))),
    ],
    [
      'a small deflated entry inflating to one byte more than declared',
      'small.csv',
      'ZIP_SIZE_MISMATCH',
      (zip) => patch(zip, 1, 'uncompressedSize', (n) => n - 1),
    ],
    [
      'a small deflated entry inflating to far more than declared',
      'small.csv',
      'ZIP_SIZE_MISMATCH',
      (zip) => patch(zip, 1, 'uncompressedSize', (n) => n >> 1),
    ],
    [
      'a small deflated entry inflating to less than declared',
      'small.csv',
      'ZIP_SIZE_MISMATCH',
      (zip) => patch(zip, 1, 'uncompressedSize', (n) => n + 1),
    ],
    [
      'a large deflated entry inflating to more than declared',
      'large.bin',
      'ZIP_SIZE_MISMATCH',
      (zip) => patch(zip, 3, 'uncompressedSize', (n) => n - 1),
    ],
    [
      'a large deflated entry inflating to less than declared',
      'large.bin',
      'ZIP_SIZE_MISMATCH',
      (zip) => patch(zip, 3, 'uncompressedSize', (n) => n + 1),
    ],
    [
      // Its declared data runs one byte into the next local header: refused before reading.
      'a stored entry declaring one byte more than it holds',
      'stored.bin',
      'ZIP_OVERLAP',
      (zip) =>
        patch(
          patch(zip, 2, 'uncompressedSize', (n) => n + 1),
          2,
          'compressedSize',
          (n) => n + 1,
        ),
    ],
    [
      'damaged deflate data of a small entry',
      'small.csv',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.fill(0xff, dataStart(z, 1), dataStart(z, 1) + 8)),
    ],
    [
      'damaged deflate data of a large entry',
      'large.bin',
      'ZIP_CORRUPT',
      (zip) => copy(zip, (z) => z.fill(0xff, dataStart(z, 3), dataStart(z, 3) + 8)),
    ],
    [
      'deflate data of a small entry cut short by its declared compressed size',
      'small.csv',
      'ZIP_CORRUPT',
      (zip) => patch(zip, 1, 'compressedSize', (n) => n - 200),
    ],
    [
      'a small entry over maxRatio once it inflates past its declaration',
      'small.csv',
      'ZIP_RATIO_TOO_HIGH',
      (zip) => patch(zip, 1, 'uncompressedSize', (n) => n - 1),
      (zip) => ({ onRefused: 'skip', limits: justMet(zip, 'small.csv') }),
    ],
    [
      'a large entry over maxRatio once it inflates past its declaration',
      'large.bin',
      'ZIP_RATIO_TOO_HIGH',
      (zip) => patch(zip, 3, 'uncompressedSize', (n) => n - 1),
      (zip) => ({ onRefused: 'skip', limits: justMet(zip, 'large.bin') }),
    ],
    [
      'a small entry over maxEntryBytes once it inflates past its declaration',
      'small.csv',
      'ZIP_ENTRY_TOO_LARGE',
      (zip) => patch(zip, 1, 'uncompressedSize', (n) => n - 1),
      () => ({ onRefused: 'skip', limits: { maxEntryBytes: csv.length - 1 } }),
    ],
  ];

  it.each(cases)('%s', async (label, entry, code, make, options) => {
    const zip = make(base);
    const path = save(dir, `refuse ${label}.zip`, zip);
    const { verify, stream, into } = await compare(path, [entry], options?.(zip));
    expect(stream).toEqual([{ code, entry }]);
    expect(verify).toEqual(stream);
    expect(into).toEqual(stream);
  });

  it('the unpatched fixture reads fine both ways (the refusals come from the patches)', async () => {
    const path = save(dir, 'refuse base.zip', base);
    const { verify, stream, into } = await compare(path, names);
    expect(stream).toEqual([6, csv.length, stored.length, large.length, 1000]);
    expect(verify).toEqual(stream);
    expect(into).toEqual(stream);
  });

  it('a flipped byte in the second stretch of a stored entry over 4 MiB', async () => {
    const data = noise(W + MiB, 9);
    let zip = await yazlZip([
      { name: 'a.txt', data: Buffer.from('a'), compress: false },
      { name: 'video.bin', data, compress: false },
    ]);
    zip = copy(zip, (z) => (z[dataStart(z, 1) + W + 12_345]! ^= 1));
    const path = save(dir, 'flipped deep.zip', zip);
    const { verify, stream, into } = await compare(path, ['a.txt', 'video.bin']);
    expect(stream).toEqual([1, { code: 'ZIP_CRC_MISMATCH', entry: 'video.bin' }]);
    expect(verify).toEqual(stream);
    expect(into).toEqual(stream);
  });

  it('maxTotalBytes exceeded across several verified entries', async () => {
    // The walk checks the declared total, so only an entry inflating past its declaration gets this far.
    const items = ['a.csv', 'b.csv', 'c.csv'].map((name, i) => ({ name, data: text(100 * KiB, i) }));
    const zip = patch(await yazlZip(items), 2, 'uncompressedSize', (n) => n - 1);
    const path = save(dir, 'total across entries.zip', zip);
    const options = { limits: { maxTotalBytes: 300 * KiB - 1 } };
    const all = await compare(path, ['a.csv', 'b.csv', 'c.csv'], options);
    expect(all.stream).toEqual([100 * KiB, 100 * KiB, { code: 'ZIP_TOTAL_TOO_LARGE', entry: 'c.csv' }]);
    expect(all.verify).toEqual(all.stream);
    expect(all.into).toEqual(all.stream);
    // Alone, the same entry is only longer than declared: the total is what the two before it added.
    const alone = await compare(path, ['c.csv'], options);
    expect(alone.stream).toEqual([{ code: 'ZIP_SIZE_MISMATCH', entry: 'c.csv' }]);
    expect(alone.verify).toEqual(alone.stream);
    expect(alone.into).toEqual(alone.stream);
  });

  it('counts verified and streamed entries against one maxTotalBytes', async () => {
    const items = ['a.csv', 'b.csv'].map((name, i) => ({ name, data: text(100 * KiB, i) }));
    const path = save(
      dir,
      'total shared.zip',
      patch(await yazlZip(items), 1, 'uncompressedSize', (n) => n - 1),
    );
    const archive = await openZip(path, { limits: { maxTotalBytes: 200 * KiB - 1 } });
    const entries = await walk(archive);
    expect(await archive.verify(entries.get('a.csv')!)).toBe(100 * KiB);
    await expect(streamBytes(archive, entries.get('b.csv')!)).rejects.toMatchObject({
      code: 'ZIP_TOTAL_TOO_LARGE',
    });
    await archive.close();
  });

  // A file cut in the middle of an entry's data, with a central directory after the cut that still
  // declares the whole entry (as a writer that lost part of its output would leave it).
  // Both refuse before reading: the data would overflow the file -> ZIP_CORRUPT.
  it('a file cut in the middle of an entry, central directory intact', async () => {
    const whole = await yazlZip([
      { name: 'first.txt', data: Buffer.from('first\n'), compress: false },
      { name: 'small.csv', data: csv },
      { name: 'stored.bin', data: stored, compress: false },
    ]);
    const cut = dataStart(whole, 2) + 1000;
    const zip = Buffer.concat([whole.subarray(0, cut), whole.subarray(headers(whole)[0]!.central)]);
    zip.writeUInt32LE(cut, zip.length - 22 + 16); // the central directory now starts at the cut
    const path = save(dir, 'cut in stored data.zip', zip);
    const { verify, stream, into } = await compare(path, ['first.txt', 'small.csv', 'stored.bin']);
    expect(stream).toEqual([6, csv.length, { code: 'ZIP_CORRUPT', entry: 'stored.bin' }]);
    expect(verify).toEqual(stream);
    expect(into).toEqual(stream);
  });
});

describe('a file that shrinks while it is open', () => {
  const a = noise(MiB, 20);
  const b = noise(MiB, 21);
  let zip: Buffer;
  beforeAll(async () => {
    zip = await yazlZip([
      { name: 'a.bin', data: a, compress: false },
      { name: 'b.bin', data: b, compress: false },
    ]);
  });

  /** Opens and walks the archive, then cuts the file in the middle of b.bin's data. */
  async function shrunk(file: string): Promise<{ archive: ZipArchive; entries: Map<string, ZipEntry> }> {
    const path = save(dir, file, zip);
    const archive = await openZip(path);
    const entries = await walk(archive);
    truncateSync(path, Math.floor(MiB * 1.5));
    return { archive, entries };
  }

  it('refuses the entry whose data was cut, as openStream does', async () => {
    const viaStream = await shrunk('shrunk stream.zip');
    const stream = await outcome(() => streamBytes(viaStream.archive, viaStream.entries.get('b.bin')!));
    await viaStream.archive.close();
    const viaVerify = await shrunk('shrunk verify.zip');
    const verify = await outcome(() => viaVerify.archive.verify(viaVerify.entries.get('b.bin')!));
    await viaVerify.archive.close();
    expect(typeof stream).toBe('object');
    expect(typeof verify).toBe('object');
    expect((verify as { entry: string }).entry).toBe('b.bin');
  });

  // openStream: the file stream ends early -> ZIP_SIZE_MISMATCH; verify: the read comes back short -> ZIP_TRUNCATED.
  it('says why: data shorter than declared (stream) or the file ends early (verify)', async () => {
    const viaStream = await shrunk('shrunk stream 2.zip');
    const stream = await outcome(() => streamBytes(viaStream.archive, viaStream.entries.get('b.bin')!));
    await viaStream.archive.close();
    const viaVerify = await shrunk('shrunk verify 2.zip');
    const verify = await outcome(() => viaVerify.archive.verify(viaVerify.entries.get('b.bin')!));
    await viaVerify.archive.close();
    expect(stream).toEqual({ code: 'ZIP_SIZE_MISMATCH', entry: 'b.bin' });
    expect(verify).toEqual({ code: 'ZIP_TRUNCATED', entry: 'b.bin' });
  });

  // The window's read of a stretch may come back short: the entry before the cut, whose bytes are all there, still reads.
  it('still reads an entry before the cut', async () => {
    const { archive, entries } = await shrunk('shrunk intact.zip');
    expect(await streamBytes(archive, entries.get('a.bin')!)).toBe(a.length);
    const verified = await outcome(() => archive.verify(entries.get('a.bin')!));
    await archive.close();
    expect(verified).toBe(a.length);
  });

  // The prefetch of the next stretch is a promise nobody awaits until a later read needs it. When that read
  // fails (file cut short, EIO) before then, the rejection is unhandled: in a plain Node process that ends
  // the process. Here the archive is over one stretch and cut in the second: verifying the first entry, all
  // in the first stretch, starts the prefetch that fails.
  it('leaves no unhandled rejection behind', async () => {
    const first = noise(3 * MiB, 22);
    const bytes = await yazlZip([
      { name: 'first.bin', data: first, compress: false },
      { name: 'second.bin', data: noise(3 * MiB, 23), compress: false },
    ]);
    const path = save(dir, 'shrunk prefetch.zip', bytes);
    const archive = await openZip(path);
    const entries = await walk(archive);
    truncateSync(path, 5 * MiB);
    // Vitest's own listener is set aside for the duration, so that the rejection is seen here and not
    // reported as an error of the whole run; a listener for its late handling keeps Node from warning.
    const saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    const onHandledLate = () => undefined;
    process.on('unhandledRejection', onUnhandled);
    process.on('rejectionHandled', onHandledLate);
    try {
      expect(await archive.verify(entries.get('first.bin')!)).toBe(first.length);
      for (let i = 0; i < 50 && unhandled.length === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
      await archive.close();
      await new Promise((r) => setTimeout(r, 1));
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('rejectionHandled', onHandledLate);
      for (const listener of saved) process.on('unhandledRejection', listener);
      await archive.close();
    }
    expect(unhandled).toEqual([]);
  });
});

describe('verify: options, abort and close', () => {
  let path: string;
  const big = noise(2 * W + MiB, 30); // stored, three stretches
  beforeAll(async () => {
    path = save(
      dir,
      'lifecycle.zip',
      await yazlZip([
        { name: 'small.csv', data: text(10 * KiB) },
        { name: 'large.bin', data: noise(700 * KiB, 31) }, // through openStream
        { name: 'big.bin', data: big, compress: false },
      ]),
    );
  });

  it('refuses an entry not yielded by this archive with ZIP_BAD_OPTION', async () => {
    const other = await openZip(path);
    const foreign = (await walk(other)).get('small.csv')!;
    const archive = await openZip(path);
    const own = (await walk(archive)).get('small.csv')!;
    await expect(archive.verify(foreign)).rejects.toMatchObject({ code: 'ZIP_BAD_OPTION' });
    await expect(archive.verify({ ...own })).rejects.toMatchObject({ code: 'ZIP_BAD_OPTION' });
    await expect(archive.verify(own, { signal: 'x' as never })).rejects.toMatchObject({
      code: 'ZIP_BAD_OPTION',
    });
    // Still usable after the refusals, and the other archive's entry is fine there.
    expect(await archive.verify(own)).toBe(10 * KiB);
    expect(await other.verify(foreign)).toBe(10 * KiB);
    await archive.close();
    await other.close();
  });

  it('refuses with ZIP_CLOSED after close, like openStream', async () => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    await archive.verify(entries.get('small.csv')!);
    await archive.close();
    for (const name of ['small.csv', 'large.bin', 'big.bin']) {
      await expect(archive.verify(entries.get(name)!), name).rejects.toMatchObject({ code: 'ZIP_CLOSED' });
      await expect(archive.openStream(entries.get(name)!), name).rejects.toMatchObject({
        code: 'ZIP_CLOSED',
      });
    }
  });

  it('refuses with ZIP_ABORTED when its signal or the archive signal is already aborted', async () => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    const signal = AbortSignal.abort();
    for (const name of ['small.csv', 'large.bin', 'big.bin']) {
      const entry = entries.get(name)!;
      const verify = await outcome(() => archive.verify(entry, { signal }));
      const stream = await outcome(() => streamBytes(archive, entry, { signal }));
      expect(verify, name).toEqual({ code: 'ZIP_ABORTED', entry: undefined });
      expect(verify, name).toEqual(stream);
    }
    expect(await archive.verify(entries.get('small.csv')!)).toBe(10 * KiB);
    await archive.close();

    const controller = new AbortController();
    const guarded = await openZip(path, { signal: controller.signal });
    const mine = await walk(guarded);
    expect(await guarded.verify(mine.get('small.csv')!)).toBe(10 * KiB);
    controller.abort();
    for (const name of ['small.csv', 'large.bin', 'big.bin']) {
      await expect(guarded.verify(mine.get(name)!), name).rejects.toMatchObject({ code: 'ZIP_ABORTED' });
    }
    await guarded.close();
  });

  it('a stream of the big stored entry aborted just after it was asked for ends with ZIP_ABORTED', async () => {
    const archive = await openZip(path);
    const entry = (await walk(archive)).get('big.bin')!;
    const controller = new AbortController();
    const reading = outcome(() => streamBytes(archive, entry, { signal: controller.signal }));
    controller.abort();
    expect(await reading).toEqual({ code: 'ZIP_ABORTED', entry: 'big.bin' });
    await archive.close();
  });

  // verify checks the signal once, before reading; a stored entry (or a small deflated one) is then read to
  // the end whatever the signal does, where a stream stops with ZIP_ABORTED (test above).
  it('stops a verify aborted while it reads', async () => {
    const archive = await openZip(path);
    const entry = (await walk(archive)).get('big.bin')!;
    const controller = new AbortController();
    const verifying = outcome(() => archive.verify(entry, { signal: controller.signal }));
    controller.abort();
    const result = await verifying;
    await archive.close();
    expect(result).toMatchObject({ code: 'ZIP_ABORTED' });
  });

  it.runIf(existsSync('/proc/self/fd'))(
    'close() with nothing pending releases the file, and may be called twice',
    async () => {
      const own = save(dir, 'released.zip', await yazlZip([{ name: 'big.bin', data: big, compress: false }]));
      const archive = await openZip(own);
      const entry = (await walk(archive)).get('big.bin')!;
      expect(await archive.verify(entry)).toBe(big.length);
      expect(descriptorsOn(own)).toBeGreaterThan(0);
      // Right after a verify the window may still be reading ahead; close waits for that read.
      await archive.close();
      expect(descriptorsOn(own)).toBe(0);
      await archive.close();
      await expect(archive.verify(entry)).rejects.toMatchObject({ code: 'ZIP_CLOSED' });
    },
  );

  // close() waits only for the window's prefetch, not for a read a verify is waiting on, and closes the
  // descriptor under it: the verify then fails on EBADF, reported as ZIP_CORRUPT ("archive damaged"), or
  // (if the number was reused meanwhile) reads another file. A stream gets ZIP_CLOSED.
  it('close() during a verify makes it fail with ZIP_CLOSED', async () => {
    const archive = await openZip(path);
    const entry = (await walk(archive)).get('big.bin')!;
    const verifying = outcome(() => archive.verify(entry));
    await new Promise((r) => setImmediate(r));
    await archive.close();
    expect(await verifying).toMatchObject({ code: 'ZIP_CLOSED' });
  });
});

describe('readInto: the cases a stream never meets', () => {
  it('inflates a table-like entry of 150x its compressed size into many small buffers', async () => {
    const data = text(6 * MiB, 40);
    const path = save(dir, 'into ratio.zip', rawZip([{ name: Buffer.from('t.csv'), data, deflate: true }]));
    const archive = await openZip(path);
    const entry = (await walk(archive)).get('t.csv')!;
    const chunks: Buffer[] = [];
    for await (const chunk of archive.readInto(entry, () => new Uint8Array(4000)))
      chunks.push(Buffer.from(chunk));
    await archive.close();
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(chunks.length).toBe(Math.ceil(data.length / 4000));
  });

  it('bytes after the end of the deflate stream, no compressed bytes at all: as openStream has it', async () => {
    const data = text(300 * KiB, 41);
    let zip = rawZip([
      { name: Buffer.from('empty.csv'), data: Buffer.alloc(0), deflate: true },
      { name: Buffer.from('whole.csv'), data, deflate: true },
    ]);
    const plain = await compare(save(dir, 'into ends.zip', zip), ['empty.csv', 'whole.csv']);
    expect(plain.stream).toEqual([0, data.length]);
    expect(plain.into).toEqual(plain.stream);
    const deflated = deflateRawSync(data);
    zip = rawZip([
      { name: Buffer.from('trailing.csv'), data: Buffer.concat([deflated, Buffer.from('after the end')]) },
      { name: Buffer.from('cut.csv'), data: Buffer.alloc(0) },
    ]);
    // Stored items, then marked deflated with the sizes and CRC of the text.
    for (const index of [0, 1]) {
      zip = patch(zip, index, 'method', () => 8);
      zip = patch(zip, index, 'uncompressedSize', () => data.length);
      zip = patch(zip, index, 'crc32', () => crc32(data));
    }
    const odd = save(dir, 'into odd ends.zip', zip);
    const both = await compare(odd, ['trailing.csv', 'cut.csv']);
    // The bytes after the end would be in no file, and copied unseen with the entry's compressed bytes.
    expect(both.stream).toEqual([
      { code: 'ZIP_SIZE_MISMATCH', entry: 'trailing.csv' },
      { code: 'ZIP_CORRUPT', entry: 'cut.csv' },
    ]);
    expect(both.into).toEqual(both.stream);
  });

  it('refuses a take() that gives no room, a foreign entry and a bad signal with ZIP_BAD_OPTION', async () => {
    const path = save(
      dir,
      'into options.zip',
      rawZip([{ name: Buffer.from('t.csv'), data: text(5000, 44), deflate: true }]),
    );
    const archive = await openZip(path);
    const entry = (await walk(archive)).get('t.csv')!;
    const read = async (take: () => Uint8Array, options?: { signal?: AbortSignal }) => {
      for await (const _ of archive.readInto(entry, take, options));
    };
    await expect(read(() => new Uint8Array(0))).rejects.toMatchObject({ code: 'ZIP_BAD_OPTION' });
    await expect(read(() => 'x' as never)).rejects.toMatchObject({ code: 'ZIP_BAD_OPTION' });
    expect(() => archive.readInto({ ...entry }, () => new Uint8Array(9))).toThrow(ZipError);
    expect(() => archive.readInto(entry, () => new Uint8Array(9), { signal: 'x' as never })).toThrow(
      ZipError,
    );
    await read(() => new Uint8Array(1));
    await archive.close();
  });

  it('reads through a stream when the zlib handle cannot be driven, with the same bytes', async () => {
    const data = text(2 * MiB, 42);
    const path = save(
      dir,
      'into fallback.zip',
      rawZip([{ name: Buffer.from('t.csv'), data, deflate: true }]),
    );
    const archive = await openZip(path);
    const entry = (await walk(archive)).get('t.csv')!;
    const spy = vi.spyOn(RawInflate, 'create').mockReturnValue(undefined);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of archive.readInto(entry, () => new Uint8Array(100_000)))
        chunks.push(Buffer.from(chunk));
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    await archive.close();
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.length === 100_000)).toBe(true);
  });

  it.runIf(existsSync('/proc/self/fd'))(
    'stops with ZIP_ABORTED or ZIP_CLOSED in the middle, and close() releases the file',
    async () => {
      const data = text(12 * MiB, 43);
      const path = save(dir, 'into stop.zip', rawZip([{ name: Buffer.from('t.csv'), data, deflate: true }]));
      for (const how of ['abort', 'close', 'left waiting'] as const) {
        const archive = await openZip(path);
        const entry = (await walk(archive)).get('t.csv')!;
        const controller = new AbortController();
        const chunks = archive.readInto(entry, () => new Uint8Array(MiB), { signal: controller.signal });
        const result = outcome(async () => {
          let bytes = 0;
          for await (const chunk of chunks) {
            bytes += chunk.length;
            if (bytes === 2 * MiB && how === 'abort') controller.abort();
            if (bytes === 2 * MiB && how === 'close') await archive.close();
            if (bytes === 2 * MiB && how === 'left waiting') return bytes;
          }
          return bytes;
        });
        if (how === 'left waiting') {
          expect(await result).toBe(2 * MiB);
          await archive.close();
        } else {
          expect(await result, how).toEqual({
            code: how === 'abort' ? 'ZIP_ABORTED' : 'ZIP_CLOSED',
            entry: undefined,
          });
          await archive.close();
        }
        expect(descriptorsOn(path), how).toBe(0);
      }
    },
  );
});

describe('overlapping verify calls', () => {
  // Nothing in the API says calls must not overlap (streams may), but the window hands out views of two
  // reused buffers and overlapping calls read into the same buffer: valid entries come back as ZIP_CORRUPT
  // (local header "disagrees" with the central directory), here all 24 of them.
  it('resolve each with its byte count', async () => {
    const items = Array.from({ length: 24 }, (_, i) => ({
      name: `f${i}.bin`,
      data: i % 2 ? noise(300 * KiB, 40 + i) : text(40 * KiB, i),
      compress: i % 2 === 0,
    }));
    const path = save(dir, 'overlapping.zip', await yazlZip(items));
    const archive = await openZip(path);
    const entries = [...(await walk(archive)).values()];
    const results = await Promise.all(entries.map((entry) => outcome(() => archive.verify(entry))));
    await archive.close();
    expect(results).toEqual(items.map((item) => item.data.length));
  });
});

describe('archives verified at once', () => {
  // Closed archives give their window buffers to the next ones (given the same WindowBuffers): a buffer
  // handed to two open archives would have both read into it, and intact entries would fail their checks.
  it('never share a window buffer, as archives close and others open meanwhile', async () => {
    const windowBuffers = new WindowBuffers();
    const paths = await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const items = Array.from({ length: 6 }, (_, i) => ({
          name: `${k}-${i}.bin`,
          data: noise(1.5 * MiB + i * 4099, 100 * k + i),
          compress: false,
        }));
        return save(dir, `at-once-${k}.zip`, await yazlZip(items));
      }),
    );
    const opened = async (path: string) => {
      const archive = await openZip(path, { windowBuffers });
      return { archive, entries: [...(await walk(archive)).values()] };
    };
    // Entries of the given archives in turns, all at once: each archive's calls queue on its own window.
    const turns = (all: Awaited<ReturnType<typeof opened>>[]) =>
      Promise.all(
        [0, 1, 2, 3, 4, 5].flatMap((i) =>
          all.map(({ archive, entries }) => outcome(() => archive.verify(entries[i]!))),
        ),
      );
    const sizes = (k: number[]) => [0, 1, 2, 3, 4, 5].flatMap((i) => k.map(() => 1.5 * MiB + i * 4099));

    const [a, b] = [await opened(paths[0]!), await opened(paths[1]!)];
    expect(await turns([a, b])).toEqual(sizes([0, 1]));
    await a.archive.close();
    const c = await opened(paths[2]!);
    await turns([c]);
    const d = await opened(paths[3]!);
    expect(await turns([b, c, d])).toEqual(sizes([1, 2, 3]));
    await Promise.all([b, c, d].map(({ archive }) => archive.close()));
  });
});
