// Zip64 exactly when needed: more than 65,535 entries (a Zip64 end record), and nothing of it below that.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createZip } from './bundle.js';
import { checkWithReaders, tempDir } from './readers.test-helpers.js';

const folder = tempDir();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const ZIP64_END = Buffer.from([0x50, 0x4b, 0x06, 0x06]);

async function write(name: string, count: number): Promise<string> {
  const path = join(folder, name);
  const zip = createZip(path);
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(6, '0');
    await zip.add({ name: `Candidate_${id}/Public/empty.txt`, bytes: new Uint8Array(0), method: 'store' });
  }
  await zip.close();
  return path;
}

it('writes 70,000 entries with a Zip64 end record that every reader follows', async () => {
  const path = await write('many.zip', 70_000);
  const bytes = readFileSync(path);
  expect(bytes.readUInt16LE(bytes.length - 12)).toBe(0xffff); // classic end record: "see Zip64"
  expect(bytes.subarray(bytes.length - 98, bytes.length - 94)).toEqual(ZIP64_END);
  expect(await checkWithReaders(path)).toEqual({ count: 70_000, utf8: true });
}, 300_000);

it('keeps 65,534 entries in a classic end record, and needs Zip64 from 65,535 on', async () => {
  const classic = readFileSync(await write('classic.zip', 65_534));
  expect(classic.indexOf(ZIP64_END)).toBe(-1);
  expect(classic.readUInt16LE(classic.length - 12)).toBe(65_534);
  // 0xffff in the 16-bit count means "look for Zip64", so 65,535 entries already need it.
  const edge = await write('edge.zip', 65_535);
  const bytes = readFileSync(edge);
  expect(bytes.subarray(bytes.length - 98, bytes.length - 94)).toEqual(ZIP64_END);
  expect(await checkWithReaders(edge)).toEqual({ count: 65_535, utf8: true });
}, 300_000);
