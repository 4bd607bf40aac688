// Independent readers for the archives the tests write: Info-ZIP, Python, 7-Zip, libarchive and our own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openZip, type ZipArchive, type ZipEntry } from '@talent-export/zip';
import { afterAll } from 'vitest';
import type { RawData } from './entry.js';

const made: string[] = [];
// Registered when a test file imports this module: every folder made for that file goes when it ends,
// pass or fail, even one a test meant to remove itself but did not reach.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  made.push(dir);
  return dir;
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

const PYTHON_CHECK = `
import sys, zipfile, json
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    if bad is not None:
        sys.exit('bad entry: ' + bad)
    infos = z.infolist()
    print(json.dumps({'count': len(infos), 'utf8': all(i.flag_bits & 0x800 for i in infos)}))
`;

/** Runs every reader over the archive; throws with the reader's output when one of them complains. */
export async function checkWithReaders(path: string): Promise<{ count: number; utf8: boolean }> {
  run('unzip', ['-tqq', path]);
  const python = JSON.parse(run('python3', ['-c', PYTHON_CHECK, path])) as { count: number; utf8: boolean };
  const sevenZip = run('7z', ['t', path]);
  if (!/Everything is Ok/.test(sevenZip)) throw new Error(`7z t did not pass:\n${sevenZip}`);
  const listed = run('bsdtar', ['-tf', path])
    .split('\n')
    .filter((line) => line !== '').length;
  if (listed !== python.count) throw new Error(`bsdtar listed ${listed} entries, python ${python.count}`);
  const ours = await verifyOurs(path);
  if (ours !== python.count) throw new Error(`our reader read ${ours} entries, python ${python.count}`);
  return python;
}

/** Reads every entry through with our reader (local header, size and CRC-32 checked). */
export async function verifyOurs(path: string): Promise<number> {
  const archive = await openZip(path, { duplicateNames: 'exact' });
  let count = 0;
  try {
    for await (const entry of archive.entries()) {
      await archive.verify(entry);
      count += 1;
    }
  } finally {
    await archive.close();
  }
  return count;
}

/** Name -> content of every entry, read with our reader. */
export async function contents(path: string): Promise<Map<string, Buffer>> {
  const archive = await openZip(path, { duplicateNames: 'exact' });
  const out = new Map<string, Buffer>();
  try {
    for await (const entry of archive.entries()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await archive.openStream(entry)) chunks.push(chunk as Buffer);
      out.set(entry.name, Buffer.concat(chunks));
    }
  } finally {
    await archive.close();
  }
  return out;
}

/** The raw source of an entry of an open archive, as callers of the bundle build it. */
export const rawOf = (archive: ZipArchive, entry: ZipEntry): RawData => ({
  method: entry.method,
  crc32: entry.crc32,
  compressedSize: entry.compressedSize,
  uncompressedSize: entry.uncompressedSize,
  open: () => archive.openStream(entry, { raw: true }),
});

export { run };
