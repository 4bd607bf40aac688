import { describe, expect, it } from 'vitest';
import { repack } from './into.js';

describe('repack', () => {
  it('passes on the same bytes in whole buffers from take(), never touched again once passed on', async () => {
    const input = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31 + 7) % 256));
    const sizes = [0, 1, 3, 7, 8, 20, 64];
    async function* chunks() {
      for (let at = 0, k = 0; at < input.length; k++) {
        const n = sizes[(k * 5) % sizes.length]!;
        yield input.subarray(at, at + n);
        at += n;
      }
    }
    const taken: Uint8Array[] = [];
    const take = () => taken[taken.push(new Uint8Array(8)) - 1]!;
    const out: { chunk: Uint8Array; copy: Buffer }[] = [];
    for await (const chunk of repack(chunks(), take)) out.push({ chunk, copy: Buffer.from(chunk) });
    expect(Buffer.concat(out.map((o) => o.copy))).toEqual(input);
    // Each but the last fills a buffer of its own, as taken; what was passed on is unchanged at the end.
    for (const [i, { chunk, copy }] of out.entries()) {
      expect(chunk.buffer).toBe(taken[i]!.buffer);
      if (i < out.length - 1) expect(chunk.length).toBe(8);
      expect(Buffer.from(chunk)).toEqual(copy);
    }
    expect(out.length).toBe(Math.ceil(input.length / 8));
  });
});
