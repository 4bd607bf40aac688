// Property: the archive depends only on the entries, never on how their streams are cut into chunks, and
// our reader gives every entry back byte for byte.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { createZip } from './bundle.js';
import type { BundleEntry, Method } from './entry.js';
import { contents, tempDir } from './readers.test-helpers.js';

const folder = tempDir();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Spec {
  name: string;
  data: Uint8Array;
  kind: 'bytes' | 'stream' | 'sized';
  method: Method;
}

const spec = fc.record({
  name: fc
    .tuple(
      fc.stringMatching(/^[a-zA-Z0-9_é -]{1,12}(\/[a-zA-Z0-9_é -]{1,8}){0,2}$/),
      fc.constantFrom('', '😀'),
    )
    .map(([path, emoji]) => path + emoji),
  // Repeated runs deflate well, random bytes do not: both kinds of data.
  data: fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom(new Uint8Array(20_000).fill(65))),
  kind: fc.constantFrom('bytes' as const, 'stream' as const, 'sized' as const),
  method: fc.constantFrom('store' as const, 'deflate' as const),
});

/** Cuts `data` at the given fractions of its length. */
function* cut(data: Uint8Array, cuts: number[]): Generator<Uint8Array> {
  const points = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, data.length]) {
    yield data.subarray(from, point);
    from = point;
  }
}

const entryOf = (s: Spec, cuts: number[]): BundleEntry => {
  if (s.kind === 'bytes') return { name: s.name, bytes: s.data, method: s.method };
  const stream = (async function* () {
    yield* cut(s.data, cuts);
  })();
  return s.kind === 'sized'
    ? { name: s.name, stream, size: s.data.length, method: s.method }
    : { name: s.name, stream, method: s.method };
};

let run = 0;
async function write(specs: Spec[], cuts: number[]): Promise<string> {
  const path = join(folder, `p${run++}.zip`);
  const zip = createZip(path);
  for (const s of specs) await zip.add(entryOf(s, cuts));
  await zip.close();
  return path;
}

it('gives byte-identical archives whatever the chunking, with every entry read back intact', async () => {
  const unique = fc.uniqueArray(spec, {
    maxLength: 8,
    selector: (s) => s.name.normalize('NFC').toLowerCase(),
  });
  const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });
  await fc.assert(
    fc.asyncProperty(unique, fractions, fractions, async (specs, cutsA, cutsB) => {
      const a = await write(specs, cutsA);
      const b = await write(specs, cutsB);
      expect(readFileSync(a)).toEqual(readFileSync(b));
      const got = await contents(a);
      expect([...got.keys()]).toEqual(specs.map((s) => s.name));
      for (const s of specs) expect(new Uint8Array(got.get(s.name)!)).toEqual(s.data);
    }),
    { numRuns: 25 },
  );
}, 120_000);
