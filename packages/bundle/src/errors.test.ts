// Every refusal is a coded BundleError, and a failed or aborted write leaves no file behind.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createBundle, createZip } from './bundle.js';
import type { BundleEntry } from './entry.js';
import { BundleError, ioError, sourceError } from './errors.js';
import { contents, tempDir } from './readers.test-helpers.js';

const dirs: string[] = [];
const dir = (): string => {
  const made = tempDir();
  dirs.push(made);
  return made;
};
afterEach(() => {
  for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
});

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleError);
  return (error as BundleError).code;
};

describe('options', () => {
  it('refuses bad options with BUNDLE_BAD_OPTION', () => {
    const folder = dir();
    const name = () => 'a.zip';
    const cases: unknown[] = [
      { dir: join(folder, 'missing'), name },
      { dir: folder, name: 'a.zip' },
      { dir: folder, name, maxPartBytes: 10 },
      { dir: folder, name, maxPartBytes: Number.NaN },
      { dir: folder, name, level: 11 },
      { dir: folder, name, mtime: new Date('1970-01-01T00:00:00Z') },
      { dir: folder, name, signal: 'stop' },
    ];
    for (const options of cases) {
      expect(() => createBundle(options as never)).toThrow(
        expect.objectContaining({ code: 'BUNDLE_BAD_OPTION' }),
      );
    }
    expect(() => createZip(join(folder, '.hidden.zip'))).toThrow(
      expect.objectContaining({ code: 'BUNDLE_BAD_OPTION' }),
    );
  });

  it('reports a name() callback that throws as BUNDLE_BAD_OPTION, and writes nothing', async () => {
    const folder = dir();
    const bundle = createBundle({
      dir: folder,
      name: () => {
        throw new Error('no name');
      },
    });
    await bundle.add({ name: 'a', bytes: Buffer.from('a') });
    const error = await bundle.close().catch((e: BundleError) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_BAD_OPTION', cause: { message: 'no name' } });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a part name that is not a plain file name, and writes nothing', async () => {
    const folder = dir();
    const bundle = createBundle({ dir: folder, name: () => '../escape.zip' });
    await bundle.add({ name: 'a', bytes: Buffer.from('a') });
    expect(await codeOf(bundle.close())).toBe('BUNDLE_BAD_OPTION');
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('entries', () => {
  it('refuses unsafe or malformed entries without spoiling the archive', async () => {
    const folder = dir();
    const zip = createZip(join(folder, 'x.zip'));
    const refused: [BundleEntry, string][] = [
      [{ name: '', bytes: Buffer.alloc(0) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: '/etc/passwd', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'C:/x', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'a/../../b', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'a//b', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'a\\b', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'bad\u0000name', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'lone\ud800', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'folder/', bytes: Buffer.alloc(1) }, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'two', bytes: Buffer.alloc(1), stream: Readable.from([]) } as never, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'none' } as never, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'm', bytes: Buffer.alloc(1), method: 'lzma' } as never, 'BUNDLE_BAD_ENTRY'],
      [{ name: 'size', stream: Readable.from([]), size: -1 }, 'BUNDLE_BAD_ENTRY'],
      [
        {
          name: 'raw',
          raw: { method: 0, crc32: 0, compressedSize: 1, uncompressedSize: 2, open: () => Readable.from([]) },
        },
        'BUNDLE_BAD_ENTRY',
      ],
      [
        {
          name: 'raw',
          raw: {
            method: 12,
            crc32: 0,
            compressedSize: 1,
            uncompressedSize: 1,
            open: () => Readable.from([]),
          },
        },
        'BUNDLE_BAD_ENTRY',
      ],
      [{ name: 'when', bytes: Buffer.alloc(1), mtime: new Date(Number.NaN) }, 'BUNDLE_BAD_OPTION'],
    ];
    for (const [entry, code] of refused) expect(await codeOf(zip.add(entry))).toBe(code);
    await zip.add({ name: 'Resume.pdf', bytes: Buffer.from('first') });
    // Exports are unpacked on macOS and Windows, where these two are one file.
    expect(await codeOf(zip.add({ name: 'resume.PDF', bytes: Buffer.from('second') }))).toBe(
      'BUNDLE_DUPLICATE_ENTRY',
    );
    await zip.add({ name: 'R\u00e9sum\u00e9.pdf', bytes: Buffer.from('composed') });
    expect(await codeOf(zip.add({ name: 'Re\u0301sume\u0301.pdf', bytes: Buffer.from('decomposed') }))).toBe(
      'BUNDLE_DUPLICATE_ENTRY',
    );
    await zip.close();
    expect([...(await contents(join(folder, 'x.zip'))).keys()]).toEqual([
      'Resume.pdf',
      'R\u00e9sum\u00e9.pdf',
    ]);
  });
});

describe('failures leave nothing behind', () => {
  it('a raw source shorter than declared: BUNDLE_SIZE_MISMATCH, every temporary file removed', async () => {
    const folder = dir();
    const bundle = createBundle({ dir: folder, name: (_f, _l, n) => `p${n}.zip`, maxPartBytes: 2000 });
    await bundle.add({ name: 'a', bytes: Buffer.alloc(1500) }, 'g1');
    await bundle.add({ name: 'b', bytes: Buffer.alloc(1500, 1), method: 'store' }, 'g2');
    const raw = {
      method: 0,
      crc32: 0,
      compressedSize: 10,
      uncompressedSize: 10,
      open: () => Readable.from([Buffer.alloc(9)]),
    };
    expect(await codeOf(bundle.add({ name: 'c', raw }, 'g3'))).toBe('BUNDLE_SIZE_MISMATCH');
    expect(readdirSync(folder)).toEqual([]);
    expect(await codeOf(bundle.add({ name: 'd', bytes: Buffer.alloc(1) }))).toBe('BUNDLE_SIZE_MISMATCH');
    expect(await codeOf(bundle.close())).toBe('BUNDLE_SIZE_MISMATCH');
  });

  it('a stream that fails: BUNDLE_SOURCE, with the cause kept', async () => {
    const folder = dir();
    const zip = createZip(join(folder, 'x.zip'));
    async function* failing() {
      yield Buffer.from('some bytes');
      throw new Error('disk gone');
    }
    const error = await zip.add({ name: 'a.csv', stream: failing() }).catch((e: BundleError) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_SOURCE', kind: 'input', entry: 'a.csv' });
    expect((error as Error).cause).toMatchObject({ message: 'disk gone' });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a stream longer or shorter than its declared size: BUNDLE_SIZE_MISMATCH', async () => {
    for (const size of [3, 5]) {
      const folder = dir();
      const zip = createZip(join(folder, 'x.zip'));
      expect(await codeOf(zip.add({ name: 'a', stream: Readable.from([Buffer.from('four')]), size }))).toBe(
        'BUNDLE_SIZE_MISMATCH',
      );
      expect(readdirSync(folder)).toEqual([]);
    }
  });

  it('aborting mid-entry stops the write, removes every temporary file and finished part', async () => {
    const folder = dir();
    const controller = new AbortController();
    const bundle = createBundle({
      dir: folder,
      name: (_f, _l, n) => `p${n}.zip`,
      maxPartBytes: 4096,
      signal: controller.signal,
    });
    await bundle.add({ name: 'a', bytes: Buffer.alloc(3000, 1), method: 'store' });
    await bundle.add({ name: 'b', bytes: Buffer.alloc(3000, 2), method: 'store' });
    async function* slow() {
      yield Buffer.alloc(100);
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield Buffer.alloc(100);
    }
    const error = await bundle.add({ name: 'c', stream: slow() }).catch((e: BundleError) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_ABORTED', kind: 'interrupted' });
    expect(readdirSync(folder)).toEqual([]);
    expect(await codeOf(bundle.close())).toBe('BUNDLE_ABORTED');
  });

  it('aborting between entries removes the temporary files at once', async () => {
    const folder = dir();
    const controller = new AbortController();
    const zip = createZip(join(folder, 'x.zip'), { signal: controller.signal });
    await zip.add({ name: 'a', bytes: Buffer.alloc(10) });
    expect(readdirSync(folder)).toHaveLength(2);
    controller.abort();
    await expect.poll(() => readdirSync(folder)).toEqual([]);
    expect(await codeOf(zip.add({ name: 'b', bytes: Buffer.alloc(1) }))).toBe('BUNDLE_ABORTED');
  });

  it('abort() discards, and a closed writer refuses more entries', async () => {
    const folder = dir();
    const zip = createZip(join(folder, 'x.zip'));
    await zip.add({ name: 'a', bytes: Buffer.alloc(10) });
    await zip.abort();
    expect(readdirSync(folder)).toEqual([]);
    const other = createZip(join(folder, 'y.zip'));
    await other.close();
    expect(await codeOf(other.add({ name: 'a', bytes: Buffer.alloc(1) }))).toBe('BUNDLE_CLOSED');
  });
});

describe('messages', () => {
  it('take a cause that ends its own sentence without doubling the period', () => {
    const cause = new Error('The archive ended early; download it again.');
    expect(sourceError('out.zip', 'a.txt', cause).message).toContain('download it again. Fix the source');
    expect(ioError('write', 'out.zip', new Error('ENOSPC...')).message).toContain('ENOSPC. Check');
  });
});
