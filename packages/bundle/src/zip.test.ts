// createZip: every kind of entry, checked by five independent readers; determinism; raw copy.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openZip } from '@talent-export/zip';
import { afterEach, describe, expect, it } from 'vitest';
import { createZip } from './bundle.js';
import type { BundleEntry } from './entry.js';
import { checkWithReaders, contents, rawOf, run, tempDir } from './readers.test-helpers.js';

const dirs: string[] = [];
const dir = (): string => {
  const made = tempDir();
  dirs.push(made);
  return made;
};
afterEach(() => {
  for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
});

const text = (n: number): Buffer => Buffer.from('candidate,stage,note\n'.repeat(n));
const noise = (n: number, seed = 1): Buffer => {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
};
const chunks = (data: Buffer, size: number): Readable =>
  Readable.from(
    Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)),
  );

function entries(): { entries: () => BundleEntry[]; expected: Map<string, Buffer> } {
  const csv = text(5000);
  const pdf = noise(300_000);
  const expected = new Map<string, Buffer>([
    ['Contract_1/Candidates.csv', csv],
    ['Contract_1/Notes.csv', text(3)],
    ['Candidate_1/Public/Zoë O’Brien – résumé.pdf', pdf],
    ['Candidate_1/Private/empty.txt', Buffer.alloc(0)],
    ['Candidate_1/Miscellaneous/', Buffer.alloc(0)],
    ['Candidate_1/Public/offer.pdf', pdf.subarray(0, 70_000)],
    ['Candidate_1/Public/streamed-unknown.bin', csv.subarray(0, 12_345)],
  ]);
  return {
    expected,
    entries: () => [
      { name: 'Contract_1/Candidates.csv', stream: chunks(csv, 4096) },
      { name: 'Contract_1/Notes.csv', bytes: text(3) },
      {
        name: 'Candidate_1/Public/Zoë O’Brien – résumé.pdf',
        stream: chunks(pdf, 65_536),
        size: pdf.length,
        method: 'store',
      },
      { name: 'Candidate_1/Private/empty.txt', bytes: new Uint8Array(0), method: 'store' },
      { name: 'Candidate_1/Miscellaneous/', bytes: new Uint8Array(0) },
      { name: 'Candidate_1/Public/offer.pdf', bytes: pdf.subarray(0, 70_000), method: 'store' },
      {
        name: 'Candidate_1/Public/streamed-unknown.bin',
        stream: chunks(csv.subarray(0, 12_345), 1000),
        method: 'store',
      },
    ],
  };
}

async function write(path: string, list: BundleEntry[]) {
  const zip = createZip(path);
  for (const entry of list) await zip.add(entry);
  return zip.close();
}

describe('createZip', () => {
  it('writes bytes, streams (stored and deflated, sized or not) and folders that five readers accept', async () => {
    const out = join(dir(), 'export.zip');
    const { entries: make, expected } = entries();
    const written = await write(out, make());
    expect(written.entries).toBe(expected.size);
    expect(written.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(written.bytes).toBe(readFileSync(out).length);
    expect(await checkWithReaders(out)).toEqual({ count: expected.size, utf8: true });
    expect(await contents(out)).toEqual(expected);
    // Info-ZIP extracts the same bytes under the same (UTF-8) names.
    const extracted = dir();
    run('unzip', ['-qq', out, '-d', extracted]);
    expect(readFileSync(join(extracted, 'Candidate_1/Public/Zoë O’Brien – résumé.pdf'))).toEqual(
      expected.get('Candidate_1/Public/Zoë O’Brien – résumé.pdf'),
    );
  });

  it('gives byte-identical archives for the same entries', async () => {
    const folder = dir();
    const { entries: make } = entries();
    const a = await write(join(folder, 'a.zip'), make());
    const b = await write(join(folder, 'b.zip'), make());
    expect(readFileSync(join(folder, 'a.zip'))).toEqual(readFileSync(join(folder, 'b.zip')));
    expect(a.sha256).toBe(b.sha256);
  });

  it('copies raw entries unchanged from an Info-ZIP archive, without inflating them', async () => {
    const folder = dir();
    const source = join(folder, 'source');
    writeFileSync(join(folder, 'notes.csv'), text(20_000));
    writeFileSync(join(folder, 'scan.pdf'), noise(500_000, 7));
    run('zip', ['-qXj', source, join(folder, 'notes.csv'), join(folder, 'scan.pdf')]);
    run('zip', ['-qXj0', join(folder, 'stored.zip'), join(folder, 'scan.pdf')]);
    const out = join(folder, 'copy.zip');
    const zip = createZip(out);
    for (const file of [`${source}.zip`, join(folder, 'stored.zip')]) {
      const archive = await openZip(file);
      for await (const entry of archive.entries()) {
        await zip.add({ name: `${entry.method}/${entry.name}`, raw: rawOf(archive, entry) });
      }
      await archive.close();
    }
    await zip.close();
    await checkWithReaders(out);
    const got = await contents(out);
    expect(got.get('8/notes.csv')).toEqual(text(20_000));
    expect(got.get('0/scan.pdf')).toEqual(noise(500_000, 7));
    // Same compressed bytes as the source: Info-ZIP deflates differently from zlib at level 6.
    const copied = await openZip(out);
    const methods = new Map<string, number>();
    for await (const entry of copied.entries()) methods.set(entry.name, entry.compressedSize);
    await copied.close();
    const original = await openZip(`${source}.zip`);
    for await (const entry of original.entries())
      expect(methods.get(`8/${entry.name}`)).toBe(entry.compressedSize);
    await original.close();
  });

  it('copies raw through readRaw (views of a reused window) into the same bytes as through raw streams', async () => {
    const folder = dir();
    const items = [
      { name: 'big.bin', data: noise(9 * 1024 * 1024, 3) }, // over two window stretches
      ...Array.from({ length: 300 }, (_, i) => ({ name: `c/${i}.csv`, data: text(i * 7) })),
      { name: 'last.bin', data: noise(70_000, 4) },
    ];
    const source = join(folder, 'source.zip');
    const build = createZip(source);
    for (const item of items) await build.add({ name: item.name, bytes: item.data });
    await build.close();
    const copy = async (out: string, how: 'readRaw' | 'stream') => {
      const archive = await openZip(source);
      const zip = createZip(out);
      for await (const entry of archive.entries()) {
        const raw = rawOf(archive, entry);
        if (how === 'readRaw') raw.open = () => archive.readRaw(entry);
        await zip.add({ name: entry.name, raw });
      }
      await archive.close();
      return zip.close();
    };
    const viaWindow = await copy(join(folder, 'window.zip'), 'readRaw');
    const viaStreams = await copy(join(folder, 'streams.zip'), 'stream');
    expect(viaWindow.sha256).toBe(createHash('sha256').update(readFileSync(viaWindow.path)).digest('hex'));
    expect(viaWindow.sha256).toBe(viaStreams.sha256);
    const got = await contents(viaWindow.path);
    // Buffer.equals: vitest's deep equality of a 9 MB buffer takes minutes.
    for (const item of items) expect(got.get(item.name)?.equals(item.data), item.name).toBe(true);
  });

  it('writes a valid empty archive', async () => {
    const out = join(dir(), 'empty.zip');
    const written = await createZip(out).close();
    expect(written.entries).toBe(0);
    expect(readFileSync(out)).toHaveLength(22);
    run('python3', ['-c', 'import sys,zipfile; assert zipfile.ZipFile(sys.argv[1]).namelist() == []', out]);
  });

  it('leaves nothing under the final name until close, and only the archive after it', async () => {
    const folder = dir();
    const zip = createZip(join(folder, 'export.zip'));
    await zip.add({ name: 'a.csv', bytes: text(10) });
    expect(readdirSync(folder).filter((name) => !name.startsWith('.'))).toEqual([]);
    // The process id in the name lets a later run remove the temps of one that was killed.
    const temp = new RegExp(`^\\.export\\.zip(\\.cd)?\\.${process.pid}-[0-9a-f]{12}\\.tmp$`);
    expect(readdirSync(folder).every((name) => temp.test(name))).toBe(true);
    await zip.close();
    expect(readdirSync(folder)).toEqual(['export.zip']);
  });
});
