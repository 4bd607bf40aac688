import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSink } from './sink.js';
import { tempDir } from './test-support.js';

/** 40 MiB in every kind of chunk: small strings, multi-byte text, small and big byte chunks. */
function* chunks(): Generator<string | Uint8Array> {
  for (let i = 0; (i * 4 + 1) * 10_240 < 40 * 1024 * 1024; i++) {
    yield `row ${i}, é张😀\n`;
    yield Buffer.alloc(10_000, i % 251);
    if (i % 97 === 0) yield Buffer.alloc(300 * 1024, 'b'); // over a batch: handed over whole
    if (i % 89 === 0) yield 'x'.repeat(100_000); // a string that may take over a batch
    yield new Uint8Array(30_000).fill(7);
  }
}

describe('FileSink', () => {
  it('writes every byte in order through many batches and early syncs, and reports their hash', async () => {
    const dir = tempDir('sink');
    const path = join(dir, 'big.bin');
    const sink = new FileSink(path);
    const expected = createHash('sha256');
    let bytes = 0;
    for (const chunk of chunks()) {
      const copy = Buffer.from(chunk);
      expected.update(copy);
      bytes += copy.length;
      await sink.write(chunk);
      // Chunks under a batch were copied: changing them now must not reach the file.
      if (typeof chunk !== 'string' && chunk.length < 256 * 1024) chunk.fill(0x21);
    }
    expect(bytes).toBeGreaterThan(40 * 1024 * 1024);
    const result = await sink.commit();
    expect(result.bytes).toBe(bytes);
    const written = readFileSync(path);
    expect(written.length).toBe(bytes);
    expect(createHash('sha256').update(written).digest('hex')).toBe(result.sha256);
    expect(result.sha256).toBe(expected.digest('hex'));
    expect(readdirSync(dir)).toEqual(['big.bin']);
  });

  it('refuses a chunk sent while it is being completed: it would be written after the file is closed', async () => {
    const dir = tempDir('sink-sealing');
    const sink = new FileSink(join(dir, 'done.bin'));
    for (let i = 0; i < 8; i++) sink.enqueue(Buffer.alloc(1024 * 1024, i));
    const sealed = sink.commit();
    expect(() => sink.enqueue('late')).toThrow(expect.objectContaining({ code: 'WRITER_CLOSED' }));
    expect((await sealed).bytes).toBe(8 * 1024 * 1024);
    expect(readFileSync(join(dir, 'done.bin')).length).toBe(8 * 1024 * 1024);
  });

  it('a sink discarded while the disk catches up leaves nothing behind', async () => {
    const dir = tempDir('sink-discard');
    const sink = new FileSink(join(dir, 'gone.bin'));
    for (let i = 0; i < 20; i++) await sink.write(Buffer.alloc(4 * 1024 * 1024, i));
    await sink.discard();
    expect(existsSync(join(dir, 'gone.bin'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
