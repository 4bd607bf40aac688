// ZipArchive.readRaw: an entry's compressed bytes from a read-ahead window. Every check compares it with
// openStream(entry, { raw: true }) on the same bytes, on archives made at test time.
import { createCipheriv, createHash } from 'node:crypto';
import { rmSync, truncateSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headers, patch, rawZip, save, tempDir, yazlZip } from './craft.test-helpers.js';
import { openZip, type ZipArchive, type ZipEntry, ZipError, type ZipErrorCode } from './index.js';
import { ReadWindow } from './window.js';

const W = ReadWindow.max;
const KiB = 1024;
const MiB = 1024 * KiB;
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function noise(length: number, seed: number): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16)).update(Buffer.alloc(length));
}

const text = (length: number, seed = 0): Buffer =>
  Buffer.from(
    Array.from({ length: Math.ceil(length / 20) + 1 }, (_, i) => `${i + seed},row ${(i * 7919) % 977}\n`)
      .join('')
      .slice(0, length),
  );

/** Bytes as their length and SHA-256: deep equality of megabyte buffers takes vitest minutes. */
type Outcome = string | { code: ZipErrorCode; entry: string | undefined };

const digest = (bytes: Buffer): string =>
  `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`;

async function outcome(work: () => Promise<Buffer>): Promise<Outcome> {
  try {
    return digest(await work());
  } catch (error) {
    if (error instanceof ZipError) return { code: error.code, entry: error.entry };
    throw error;
  }
}

/** The chunks copied as they come: each is a view valid only until the next is asked for. */
async function rawBytes(archive: ZipArchive, entry: ZipEntry, signal?: AbortSignal): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of archive.readRaw(entry, signal === undefined ? {} : { signal })) {
    out.push(Buffer.from(chunk));
  }
  return Buffer.concat(out);
}

async function streamBytes(archive: ZipArchive, entry: ZipEntry): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of await archive.openStream(entry, { raw: true })) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

async function walk(archive: ZipArchive): Promise<Map<string, ZipEntry>> {
  const entries = new Map<string, ZipEntry>();
  for await (const entry of archive.entries()) entries.set(entry.name, entry);
  return entries;
}

/** Reads every named entry front to back, once with readRaw and once with raw streams. */
async function compare(path: string, names: string[]): Promise<{ raw: Outcome[]; stream: Outcome[] }> {
  const run = async (how: 'raw' | 'stream') => {
    const archive = await openZip(path);
    try {
      const entries = await walk(archive);
      const out: Outcome[] = [];
      for (const name of names) {
        const entry = entries.get(name)!;
        out.push(
          await outcome(() => (how === 'raw' ? rawBytes(archive, entry) : streamBytes(archive, entry))),
        );
      }
      return out;
    } finally {
      await archive.close();
    }
  };
  return { raw: await run('raw'), stream: await run('stream') };
}

describe('readRaw on a well-formed archive', () => {
  it('gives every entry the bytes a raw stream gives, across window stretches and in any order', async () => {
    const items = [
      { name: 'dir/', dir: true },
      { name: 'empty.txt', data: Buffer.alloc(0), compress: false },
      { name: 'small.csv', data: text(5000, 1) },
      { name: 'small.bin', data: noise(5000, 2), compress: false },
      { name: 'big-stored.bin', data: noise(2 * W + 777, 3), compress: false }, // three stretches
      { name: 'big-deflated.bin', data: noise(W + 5, 4) },
      ...Array.from({ length: 400 }, (_, i) => ({
        name: `many/${i}.${i % 2 ? 'csv' : 'bin'}`,
        data: i % 2 ? text((i * 37) % 3000, i) : noise((i * 53) % 9000, i),
        compress: i % 2 === 1,
      })),
    ];
    const path = save(dir, 'well-formed.zip', await yazlZip(items));
    const names = items.map((item) => item.name);
    const { raw, stream } = await compare(path, names);
    expect(raw).toEqual(stream);
    expect(raw[4]).toBe(digest(items[4]!.data!));
    // Backwards, each entry's header far from the last one read.
    const back = await compare(path, [...names].reverse());
    expect(back.raw).toEqual(back.stream);
  });

  it('copies a stored entry whose bytes fail their CRC-32, which a raw stream refuses', async () => {
    const zip = await yazlZip([{ name: 'a.bin', data: noise(10 * KiB, 5), compress: false }]);
    const start = headers(zip)[0]!.local + 30 + 'a.bin'.length;
    zip[start + 100]! ^= 1;
    const path = save(dir, 'flipped.zip', zip);
    const { raw, stream } = await compare(path, ['a.bin']);
    expect(stream).toEqual([{ code: 'ZIP_CRC_MISMATCH', entry: 'a.bin' }]);
    expect(raw).toEqual([digest(zip.subarray(start, start + 10 * KiB))]);
  });
});

describe('readRaw refuses what a raw stream refuses, with the same code', () => {
  const names = ['first.txt', 'small.csv', 'stored.bin', 'tail.csv'];
  let base: Buffer;
  beforeAll(async () => {
    base = await yazlZip([
      { name: 'first.txt', data: Buffer.from('first\n'), compress: false },
      { name: 'small.csv', data: text(200 * KiB, 6) },
      { name: 'stored.bin', data: noise(300 * KiB, 7), compress: false },
      { name: 'tail.csv', data: text(1000) },
    ]);
  });
  const at = (zip: Buffer, index: number) => headers(zip)[index]!.local;
  const copy = (edit: (out: Buffer) => void) => (zip: Buffer) => {
    const out = Buffer.from(zip);
    edit(out);
    return out;
  };
  const cases: [label: string, entry: string, code: ZipErrorCode, make: (zip: Buffer) => Buffer][] = [
    [
      'a local header naming another file',
      'small.csv',
      'ZIP_CORRUPT',
      copy((z) => z.write('S', at(z, 1) + 30, 'latin1')),
    ],
    [
      'a local header with the encryption bit',
      'stored.bin',
      'ZIP_ENCRYPTED',
      copy((z) => z.writeUInt16LE(z.readUInt16LE(at(z, 2) + 6) | 1, at(z, 2) + 6)),
    ],
    [
      'a local header saying stored where the central directory says deflate',
      'small.csv',
      'ZIP_CORRUPT',
      copy((z) => z.writeUInt16LE(0, at(z, 1) + 8)),
    ],
    [
      'a local header without its signature',
      'tail.csv',
      'ZIP_CORRUPT',
      copy((z) => z.writeUInt32LE(0x04034b51, at(z, 3))),
    ],
    [
      'a local extra field that pushes the data into the next entry (overlap)',
      'first.txt',
      'ZIP_OVERLAP',
      copy((z) => z.writeUInt16LE(40, at(z, 0) + 28)),
    ],
    [
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
      'a deflated entry declaring more compressed bytes than it holds',
      'small.csv',
      'ZIP_OVERLAP',
      (zip) => patch(zip, 1, 'compressedSize', (n) => n + 10),
    ],
  ];

  it.each(cases)('%s', async (label, entry, code, make) => {
    const path = save(dir, `refuse ${label}.zip`, make(base));
    const { raw, stream } = await compare(path, [entry]);
    expect(stream).toEqual([{ code, entry }]);
    expect(raw).toEqual(stream);
  });

  it('the unpatched fixture reads fine both ways (the refusals come from the patches)', async () => {
    const { raw, stream } = await compare(save(dir, 'refuse base.zip', base), names);
    expect(raw.every((r) => typeof r === 'string')).toBe(true);
    expect(raw).toEqual(stream);
  });

  it('never yields entries the walk refused (a duplicate name)', async () => {
    const zip = rawZip([
      { name: Buffer.from('a.txt'), data: Buffer.from('one') },
      { name: Buffer.from('A.txt'), data: Buffer.from('two') },
    ]);
    const archive = await openZip(save(dir, 'duplicate.zip', zip), { onRefused: 'skip' });
    const entries = [...(await walk(archive)).values()];
    expect(entries.map((e) => e.name)).toEqual(['a.txt']);
    expect(archive.refused.map((e) => e.code)).toEqual(['ZIP_DUPLICATE_ENTRY']);
    expect(await rawBytes(archive, entries[0]!)).toEqual(Buffer.from('one'));
    await archive.close();
  });

  it('a file cut short after it was opened: the entry past the cut fails as a raw stream does', async () => {
    const path = save(dir, 'shrinks.zip', base);
    const archive = await openZip(path);
    const entries = await walk(archive);
    truncateSync(path, at(base, 2) + 1000);
    expect((await rawBytes(archive, entries.get('small.csv')!)).length).toBe(
      entries.get('small.csv')!.compressedSize,
    );
    const raw = await outcome(() => rawBytes(archive, entries.get('stored.bin')!));
    const stream = await outcome(() => streamBytes(archive, entries.get('stored.bin')!));
    expect(stream).toMatchObject({ entry: 'stored.bin' });
    expect(raw).toMatchObject({ code: (stream as { code: string }).code, entry: 'stored.bin' });
    await archive.close();
  });
});

describe('readRaw: options, one entry at a time, abort and close', () => {
  let path: string;
  const big = noise(2 * W + MiB, 8);
  beforeAll(async () => {
    path = save(
      dir,
      'lifecycle.zip',
      await yazlZip([
        { name: 'small.csv', data: text(10 * KiB) },
        { name: 'big.bin', data: big, compress: false },
      ]),
    );
  });

  it('refuses an entry not yielded by this archive, and a signal that is not one, with ZIP_BAD_OPTION', async () => {
    const other = await openZip(path);
    const foreign = (await walk(other)).get('small.csv')!;
    const archive = await openZip(path);
    const own = (await walk(archive)).get('small.csv')!;
    expect(() => archive.readRaw(foreign)).toThrow(expect.objectContaining({ code: 'ZIP_BAD_OPTION' }));
    expect(() => archive.readRaw({ ...own })).toThrow(expect.objectContaining({ code: 'ZIP_BAD_OPTION' }));
    expect(() => archive.readRaw(own, { signal: 'x' as never })).toThrow(
      expect.objectContaining({ code: 'ZIP_BAD_OPTION' }),
    );
    expect((await rawBytes(archive, own)).length).toBe(own.compressedSize);
    await archive.close();
    await other.close();
  });

  it('refuses a second entry while the first is still being read, and reads on once that loop ends', async () => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    const first = archive.readRaw(entries.get('big.bin')!);
    expect((await first.next()).value).toBeInstanceOf(Buffer);
    await expect(rawBytes(archive, entries.get('small.csv')!)).rejects.toMatchObject({
      code: 'ZIP_BAD_OPTION',
    });
    await first.return(undefined); // what `break` does
    expect((await rawBytes(archive, entries.get('small.csv')!)).length).toBe(
      entries.get('small.csv')!.compressedSize,
    );
    expect((await rawBytes(archive, entries.get('big.bin')!)).equals(big)).toBe(true);
    await archive.close();
  });

  it('stops with ZIP_ABORTED when its signal or the archive signal fires', async () => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    await expect(rawBytes(archive, entries.get('small.csv')!, AbortSignal.abort())).rejects.toMatchObject({
      code: 'ZIP_ABORTED',
    });
    const controller = new AbortController();
    const chunks = archive.readRaw(entries.get('big.bin')!, { signal: controller.signal });
    await chunks.next();
    controller.abort();
    await expect(chunks.next()).rejects.toMatchObject({ code: 'ZIP_ABORTED' });
    await archive.close();

    const guard = new AbortController();
    const guarded = await openZip(path, { signal: guard.signal });
    const mine = await walk(guarded);
    guard.abort();
    await expect(rawBytes(guarded, mine.get('small.csv')!)).rejects.toMatchObject({ code: 'ZIP_ABORTED' });
    await guarded.close();
  });

  it('fails with ZIP_CLOSED after close, also in the middle of an entry', async () => {
    const archive = await openZip(path);
    const entries = await walk(archive);
    const chunks = archive.readRaw(entries.get('big.bin')!);
    await chunks.next();
    // Settled into a value at once: it fails while close() is awaited, before anything awaits it.
    const pending = chunks.next().then(
      () => 'read',
      (error: ZipError) => error.code,
    );
    await archive.close();
    expect(await pending).toBe('ZIP_CLOSED');
    await expect(rawBytes(archive, entries.get('small.csv')!)).rejects.toMatchObject({ code: 'ZIP_CLOSED' });
  });
});
