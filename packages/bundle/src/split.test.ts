// createBundle: parts under the limit, named by the callback, a group never split across two parts.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createBundle } from './bundle.js';
import { BundleError } from './errors.js';
import { checkWithReaders, contents, tempDir } from './readers.test-helpers.js';

const dirs: string[] = [];
const dir = (): string => {
  const made = tempDir();
  dirs.push(made);
  return made;
};
afterEach(() => {
  for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
});

const file = (candidate: number, n: number, size: number): Buffer => Buffer.alloc(size, `${candidate}:${n};`);
const attachmentName = (first: string | undefined, last: string | undefined) =>
  `Attachment_${first}-${last}.zip`;

describe('createBundle', () => {
  it('splits into parts under the limit, each candidate whole in one part, named by first and last', async () => {
    const folder = dir();
    const max = 200_000;
    const bundle = createBundle({ dir: folder, name: attachmentName, maxPartBytes: max });
    const expected = new Map<string, { candidate: number; data: Buffer }>();
    for (let candidate = 1; candidate <= 30; candidate++) {
      // Sizes vary so that groups end at different places in a part; one entry of each group streams,
      // so its size is known only after it was written.
      for (let n = 0; n < 3; n++) {
        const size = ((candidate * 7919 + n * 104_729) % 20_000) + 100;
        const name = `Candidate_${candidate}/Public/file-${n}.pdf`;
        const data = file(candidate, n, size);
        if (n === 1)
          await bundle.add({ name, stream: Readable.from([data]), method: 'store' }, String(candidate));
        else await bundle.add({ name, bytes: data, method: 'store' }, String(candidate));
        expected.set(name, { candidate, data });
      }
    }
    const parts = await bundle.close();
    expect(parts.length).toBeGreaterThan(2);
    expect(readdirSync(folder).sort()).toEqual(
      parts.map((part) => part.path.slice(folder.length + 1)).sort(),
    );
    let next = 1;
    let total = 0;
    for (const part of parts) {
      expect(part.bytes).toBeLessThanOrEqual(max);
      expect(statSync(part.path).size).toBe(part.bytes);
      // Moved groups cut the part back: its hash is restored from a copy or computed again from the file.
      expect(part.sha256).toBe(createHash('sha256').update(readFileSync(part.path)).digest('hex'));
      expect(part.path).toBe(join(folder, `Attachment_${part.first}-${part.last}.zip`));
      expect(Number(part.first)).toBe(next);
      next = Number(part.last) + 1;
      const got = await contents(part.path);
      expect(got.size).toBe(part.entries);
      total += got.size;
      for (const [name, data] of got) {
        const want = expected.get(name)!;
        expect(want.candidate).toBeGreaterThanOrEqual(Number(part.first));
        expect(want.candidate).toBeLessThanOrEqual(Number(part.last));
        expect(data).toEqual(want.data);
      }
    }
    expect(next).toBe(31);
    expect(total).toBe(90);
    await checkWithReaders(parts[1]!.path);
  });

  it('refuses a group larger than a part and removes every temporary file', async () => {
    const folder = dir();
    const bundle = createBundle({ dir: folder, name: attachmentName, maxPartBytes: 10_000 });
    await bundle.add({ name: 'a/1.pdf', bytes: file(1, 0, 3000), method: 'store' }, '1');
    await bundle.add({ name: 'b/1.pdf', bytes: file(2, 0, 6000), method: 'store' }, '2');
    const error = await bundle
      .add({ name: 'b/2.pdf', bytes: file(2, 1, 6000), method: 'store' }, '2')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).code).toBe('BUNDLE_GROUP_TOO_LARGE');
    expect((error as BundleError).message).toContain('Group "2"');
    expect(readdirSync(folder)).toEqual([]);
    await expect(bundle.close()).rejects.toMatchObject({ code: 'BUNDLE_GROUP_TOO_LARGE' });
  });

  it('moves a group whose streamed entry overflows the part, keeping earlier parts intact', async () => {
    const folder = dir();
    const bundle = createBundle({
      dir: folder,
      name: (_f, _l, part) => `part-${part}.zip`,
      maxPartBytes: 10_000,
    });
    await bundle.add({ name: 'a.bin', bytes: file(1, 0, 5000), method: 'store' }, 'a');
    await bundle.add({ name: 'b1.bin', bytes: file(2, 0, 2000), method: 'store' }, 'b');
    await bundle.add({ name: 'b2.bin', stream: Readable.from([file(2, 1, 3000)]), method: 'store' }, 'b');
    const parts = await bundle.close();
    expect(parts.map((p) => [p.first, p.last, p.entries])).toEqual([
      ['a', 'a', 1],
      ['b', 'b', 2],
    ]);
    expect([...(await contents(join(folder, 'part-2.zip'))).keys()]).toEqual(['b1.bin', 'b2.bin']);
    expect(readFileSync(join(folder, 'part-1.zip')).length).toBe(parts[0]!.bytes);
    await checkWithReaders(join(folder, 'part-1.zip'));
    await checkWithReaders(join(folder, 'part-2.zip'));
    // The part cut back is hashed again from its bytes (the group started before any checkpoint).
    for (const part of parts) expect(part.sha256).toBe(sha256(readFileSync(part.path)));
  });

  it('moves a group that started past the checkpoint, the cut part hashed from the checkpoint', async () => {
    const folder = dir();
    const bundle = createBundle({
      dir: folder,
      name: (_f, _l, part) => `part-${part}.zip`,
      maxPartBytes: 10_000,
    });
    // 10,000 - 10,000 / 8: groups starting past 8,750 bytes keep a copy of the hash state.
    await bundle.add({ name: 'a.bin', bytes: file(1, 0, 8900), method: 'store' }, 'a');
    await bundle.add({ name: 'b1.bin', bytes: file(2, 0, 100), method: 'store' }, 'b');
    await bundle.add({ name: 'b2.bin', stream: Readable.from([file(2, 1, 3000)]), method: 'store' }, 'b');
    await bundle.add({ name: 'c.bin', bytes: file(3, 0, 100), method: 'store' }, 'c');
    const parts = await bundle.close();
    expect(parts.map((p) => [p.first, p.last, p.entries])).toEqual([
      ['a', 'a', 1],
      ['b', 'c', 3],
    ]);
    for (const part of parts) {
      expect(part.sha256).toBe(sha256(readFileSync(part.path)));
      await checkWithReaders(part.path);
    }
  });

  it('with sha256: false, moves a group just the same, the same bytes and no hash', async () => {
    const write = async (hashed: boolean) => {
      const folder = dir();
      const bundle = createBundle({
        dir: folder,
        name: (_f, _l, part) => `part-${part}.zip`,
        maxPartBytes: 10_000,
        sha256: hashed,
      });
      await bundle.add({ name: 'a.bin', bytes: file(1, 0, 8900), method: 'store' }, 'a');
      await bundle.add({ name: 'b1.bin', bytes: file(2, 0, 100), method: 'store' }, 'b');
      await bundle.add({ name: 'b2.bin', stream: Readable.from([file(2, 1, 3000)]), method: 'store' }, 'b');
      return bundle.close();
    };
    const [hashed, plain] = [await write(true), await write(false)];
    expect(plain.map((p) => p.entries)).toEqual([1, 2]);
    for (const [i, part] of plain.entries()) {
      expect(part).not.toHaveProperty('sha256');
      expect(readFileSync(part.path)).toEqual(readFileSync(hashed[i]!.path));
    }
  });

  it('refuses two parts with the same name', async () => {
    const folder = dir();
    const bundle = createBundle({ dir: folder, name: () => 'same.zip', maxPartBytes: 4000 });
    await bundle.add({ name: 'a', bytes: file(1, 0, 3000), method: 'store' });
    await bundle.add({ name: 'b', bytes: file(1, 0, 3000), method: 'store' });
    await expect(bundle.close()).rejects.toMatchObject({ code: 'BUNDLE_BAD_OPTION' });
    expect(readdirSync(folder)).toEqual([]);
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
