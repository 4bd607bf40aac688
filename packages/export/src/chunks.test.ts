import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readChunks } from './chunks.js';

/** Every chunk, as its bytes, and whether each was a buffer `into` gave (or the start of one). */
async function readAll(handle: FileHandle, size: number) {
  const given = new Set<ArrayBuffer>();
  let taken = 0;
  const into = () => {
    const buffer = new Uint8Array(size);
    taken += 1;
    given.add(buffer.buffer);
    return buffer;
  };
  const chunks: Buffer[] = [];
  for await (const chunk of readChunks(handle, into, undefined, { file: 'table.csv' })) {
    expect(given.has(chunk.buffer as ArrayBuffer) && chunk.byteOffset === 0).toBe(true);
    chunks.push(Buffer.from(chunk));
  }
  return { chunks, taken };
}

describe('a file read into the buffers given', () => {
  it('gives every byte once, in order, each chunk a whole buffer but the last', async () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 251));
    const dir = mkdtempSync(join(tmpdir(), 'chunks-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'table.csv');
    writeFileSync(file, bytes);
    const { chunks, taken } = await readAll(await open(file), 7);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    // Buffers are taken for the bytes there are, and one more to find the end: none dropped unused.
    expect(taken).toBe(chunks.length + 1);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 7)).toBe(true);
    expect(chunks.at(-1)!.length).toBe(1000 % 7);
  });

  it('goes on after a read that stops short of filling the buffers, and closes the file', async () => {
    const bytes = Buffer.from('id,name\n1,a\n2,b\n3,c\n');
    let at = 0;
    let closed = false;
    // A read gives 5 bytes at most, as a pipe or a network file system may.
    const handle = {
      async readv(buffers: Uint8Array[]) {
        const n = Math.min(5, bytes.length - at, buffers[0]!.length);
        buffers[0]!.set(bytes.subarray(at, at + n));
        at += n;
        return { bytesRead: n, buffers };
      },
      async stat() {
        return { size: BigInt(bytes.length), mtimeNs: 1n, ino: 1n, dev: 1n };
      },
      async close() {
        closed = true;
      },
    } as unknown as FileHandle;
    const { chunks } = await readAll(handle, 8);
    expect(Buffer.concat(chunks).toString()).toBe(bytes.toString());
    expect(chunks.map((chunk) => chunk.length)).toEqual([5, 5, 5, 5]);
    expect(closed).toBe(true);
  });

  it('fails once its bytes are handed on when they end before the size its stat gave (EXPORT_TABLE_CHANGED)', async () => {
    const bytes = Buffer.from('id,name\n1,a\n2,b\n3,c\n');
    // The stat says 20 bytes, unchanged at the end; the reads find 12 of them (a file cut, and its stat stale).
    let at = 0;
    const stamp = { size: BigInt(bytes.length), mtimeNs: 1n, ino: 1n, dev: 1n };
    const handle = {
      async readv(buffers: Uint8Array[]) {
        const n = Math.min(12 - at, buffers[0]!.length);
        buffers[0]!.set(bytes.subarray(at, at + n));
        at += n;
        return { bytesRead: n, buffers };
      },
      stat: async () => stamp,
      close: async () => {},
    } as unknown as FileHandle;
    const chunks: Uint8Array[] = [];
    const reading = (async () => {
      for await (const chunk of readChunks(handle, () => new Uint8Array(64), undefined, {
        file: 'Notes.csv',
      }))
        chunks.push(chunk);
    })();
    await expect(reading).rejects.toMatchObject({
      code: 'EXPORT_TABLE_CHANGED',
      file: 'Notes.csv',
      message: expect.stringContaining('(12 bytes were read of the 20 it held)'),
    });
    expect(Buffer.concat(chunks).toString()).toBe('id,name\n1,a\n');
  });
});
