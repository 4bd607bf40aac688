// ReadWindow on a file of known bytes: reads across a stretch's end, and readSome stopping where one ends.
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './craft.test-helpers.js';
import { ReadWindow, WindowBuffers } from './window.js';

const W = ReadWindow.max;
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Byte i of the file is a function of i, so any slice can be checked on its own. */
const byteAt = (i: number) => (i * 31 + (i >>> 12)) & 0xff;
const size = 3 * W + 12_345;
const path = join(dir, 'bytes.bin');
const expected = (start: number, length: number) => {
  const bytes = Buffer.allocUnsafe(length);
  for (let k = 0; k < length; k += 1) bytes[k] = byteAt(start + k);
  return bytes;
};
writeFileSync(path, expected(0, size));

async function withWindow<T>(use: (window: ReadWindow) => Promise<T>): Promise<T> {
  const fd = openSync(path, 'r');
  const window = new ReadWindow(fd, size, new WindowBuffers());
  try {
    return await use(window);
  } finally {
    await window.close();
    closeSync(fd);
  }
}

describe('ReadWindow', () => {
  it('gives the right bytes for reads across every stretch end, front to back', async () => {
    await withWindow(async (window) => {
      for (const [start, length] of [
        [0, 30],
        [W - 10, 46], // a local header across the first stretch's end
        [W + 100, 1000],
        [2 * W - 300_000, 512 * 1024], // a small entry's data across the next one
        [3 * W, 20], // exactly where the stretch read ahead starts
        [3 * W + 12_000, 345], // the file's last bytes
      ] as const) {
        expect((await window.read(start, length)).equals(expected(start, length))).toBe(true);
      }
    });
  });

  it('readSome stops where the stretch holding its start ends, and goes on from there', async () => {
    await withWindow(async (window) => {
      await window.read(0, 10); // the first stretch: [0, W)
      const pieces: number[] = [];
      const got: Buffer[] = [];
      for (let at = W - 1000; at < size; ) {
        const piece = await window.readSome(at, W / 2);
        got.push(Buffer.from(piece));
        pieces.push(piece.length);
        at += piece.length;
      }
      expect(Buffer.concat(got).equals(expected(W - 1000, size - (W - 1000)))).toBe(true);
      // Up to the first stretch's end, then stretch by stretch, the last one up to the file's end.
      expect(pieces).toEqual([1000, W / 2, W / 2, W / 2, W / 2, 12_345]);
    });
  });

  it('refuses a read past the end of the file', async () => {
    await withWindow(async (window) => {
      await expect(window.read(size - 10, 11)).rejects.toThrow();
    });
  });
});
