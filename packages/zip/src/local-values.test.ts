// Local headers whose CRC-32 or sizes differ from the central directory's: Info-ZIP unzip checks the data
// against the local CRC-32 and streaming readers go by the local sizes, so such an entry reads as different
// data in different tools (7-Zip and libarchive refuse it). Fixtures are built at test time.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { headers, rawZip, readEach, save, tempDir, yazlZip } from './craft.test-helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cv = Buffer.from('%PDF-1.4 resume of a candidate\n'.repeat(60));

/** The zip with a 32-bit field of its first local header (not the central record) set to `value`. */
function patchLocal(zip: Buffer, offset: number, value: number): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt32LE(value, headers(out)[0]!.local + offset);
  return out;
}

describe('local header values against the central directory', () => {
  const zip = rawZip([{ name: Buffer.from('Candidate_1/Public/cv.pdf'), data: cv, deflate: true }]);

  it('refuses a local CRC-32 other than the central one, naming both, however the entry is read', async () => {
    const path = save(dir, 'local-crc.zip', patchLocal(zip, 14, 0x1234));
    for (const outcome of await readEach(path)) {
      expect(outcome).toMatch(
        /: ZIP_CORRUPT Local header and central directory disagree on the CRC-32 \(0x00001234 in the local header, 0x[0-9a-f]{8} in the central directory\)/,
      );
    }
  });

  it('refuses local sizes other than the central ones', async () => {
    const compressed = headers(zip)[0]!;
    const csize = zip.readUInt32LE(compressed.central + 20);
    const smaller = await readEach(save(dir, 'local-csize.zip', patchLocal(zip, 18, 5)));
    expect(smaller[0]).toContain(
      `ZIP_CORRUPT Local header and central directory disagree on the compressed size (5 bytes in the local header, ${csize} in the central directory)`,
    );
    const larger = await readEach(save(dir, 'local-size.zip', patchLocal(zip, 22, cv.length + 1)));
    expect(larger[0]).toContain(
      `disagree on the size (${cv.length + 1} bytes in the local header, ${cv.length} in the central directory)`,
    );
  });

  it('says the headers disagree when only the local header marks the entry encrypted', async () => {
    const marked = Buffer.from(zip);
    const local = headers(marked)[0]!.local;
    marked.writeUInt16LE(marked.readUInt16LE(local + 6) | 1, local + 6);
    const [outcome] = await readEach(save(dir, 'local-encrypted.zip', marked));
    expect(outcome).toContain(
      'ZIP_ENCRYPTED Local header marks the entry encrypted, the central directory does not',
    );
  });

  it('still reads entries whose values follow the data (flag bit 3: zeros in the local header)', async () => {
    const streamed = await yazlZip([{ name: 'Candidate_1/Public/cv.pdf', data: cv, streamed: true }]);
    const local = headers(streamed)[0]!.local;
    expect(streamed.readUInt16LE(local + 6) & 8).toBe(8);
    expect(streamed.readUInt32LE(local + 14)).toBe(0);
    const outcomes = await readEach(save(dir, 'descriptor.zip', streamed));
    expect(outcomes.slice(0, 4)).toEqual([
      `verify: ${cv.length}`,
      `held: ${cv.length}`,
      `stream: ${cv.length}`,
      `into: ${cv.length}`,
    ]);
  });

  it("reads local sizes from the zip64 field (CPython's force_zip64), and refuses one there that differs", async (context) => {
    const path = join(dir, 'python-zip64.zip');
    const script =
      "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n" +
      "  with z.open('Candidate_1/Public/cv.pdf', 'w', force_zip64=True) as f: f.write(sys.stdin.buffer.read())";
    const made = spawnSync('python3', ['-c', script, path], { input: cv });
    if (made.error !== undefined || made.status !== 0) {
      console.warn('python3: CPython is not installed; its zip64 local headers are not checked');
      context.skip();
    }
    const python = readFileSync(path);
    const local = headers(python)[0]!.local;
    // The fixture is what it claims: both local sizes sent to the zip64 field, no data descriptor.
    expect(python.readUInt32LE(local + 18)).toBe(0xffffffff);
    expect(python.readUInt16LE(local + 6) & 8).toBe(0);
    expect((await readEach(path)).slice(0, 4)).toEqual([
      `verify: ${cv.length}`,
      `held: ${cv.length}`,
      `stream: ${cv.length}`,
      `into: ${cv.length}`,
    ]);
    // The zip64 field's compressed size, after its id, length and the uncompressed size.
    const field = local + 30 + python.readUInt16LE(local + 26) + 4 + 8;
    const wrong = Buffer.from(python);
    wrong.writeBigUInt64LE(3n, field);
    const [outcome] = await readEach(save(dir, 'python-zip64-wrong.zip', wrong));
    expect(outcome).toContain('disagree on the compressed size (3 bytes in the local header');
  });
});

/** A data descriptor: its signature, CRC-32 and 32-bit sizes. */
function descriptor(data: Buffer): Buffer {
  const out = Buffer.alloc(16);
  out.writeUInt32LE(0x08074b50, 0);
  out.writeUInt32LE(crc32(data), 4);
  out.writeUInt32LE(data.length, 8);
  out.writeUInt32LE(data.length, 12);
  return out;
}

describe('local header values of entries with a data descriptor (flag bit 3)', () => {
  // Data whose first bytes, and a data descriptor for them, make a file of their own.
  const hidden = Buffer.from('evil=1\n');
  const data = Buffer.concat([hidden, descriptor(hidden), cv]);

  it('refuses a size other than 0 that is not the central one: bsdtar reads a stored entry by it', async (context) => {
    const streamed = await yazlZip([
      { name: 'Candidate_1/Public/cv.pdf', data, compress: false, streamed: true },
    ]);
    const local = headers(streamed)[0]!.local;
    expect(streamed.readUInt16LE(local + 6) & 8).toBe(8);
    const crafted = Buffer.from(streamed);
    crafted.writeUInt32LE(crc32(hidden), local + 14);
    crafted.writeUInt32LE(hidden.length, local + 18);
    crafted.writeUInt32LE(hidden.length, local + 22);
    const path = save(dir, 'descriptor-local-sizes.zip', crafted);
    for (const outcome of await readEach(path)) {
      expect(outcome).toContain(
        `ZIP_CORRUPT Local header and central directory disagree on the compressed size (${hidden.length} bytes in the local header, ${data.length} in the central directory)`,
      );
    }
    // The fixture is what it claims: bsdtar reading it from a pipe extracts the hidden bytes, no error.
    const out = join(dir, 'bsdtar-out');
    mkdirSync(out);
    const made = spawnSync('bsdtar', ['-xf', '-', '-C', out], { input: crafted });
    if (made.error !== undefined) {
      console.warn('bsdtar: libarchive is not installed; what it reads of the fixture is not checked');
      context.skip();
    }
    expect(made.status).toBe(0);
    expect(readFileSync(join(out, 'Candidate_1/Public/cv.pdf'))).toEqual(hidden);
  });

  it('refuses stored data holding a data descriptor of the bytes before it: bsdtar ends the entry there', async (context) => {
    const streamed = await yazlZip([
      { name: 'Candidate_1/Public/cv.pdf', data, compress: false, streamed: true },
      { name: 'Candidate_1/Public/other.pdf', data: cv, compress: false, streamed: true },
    ]);
    const path = save(dir, 'descriptor-in-data.zip', streamed);
    const refused = `ZIP_CORRUPT Stored data holds, at byte ${hidden.length}, a data descriptor of the ${hidden.length} bytes before it`;
    const outcomes = await readEach(path);
    for (const outcome of outcomes.slice(0, 4)) expect(outcome).toContain(refused);
    // A raw copy checks no CRC-32, and finds nothing: the entry's bytes go along as they are.
    expect(outcomes[4]).toBe(`raw: ${data.length}`);
    // Without the descriptor's fitting CRC-32, the same bytes are read whole.
    const other = Buffer.concat([hidden, descriptor(Buffer.from('other bytes')), cv]);
    const plain = await yazlZip([{ name: 'cv.pdf', data: other, compress: false, streamed: true }]);
    expect(await readEach(save(dir, 'descriptor-of-other-bytes.zip', plain), ['verify', 'stream'])).toEqual([
      `verify: ${other.length}`,
      `stream: ${other.length}`,
    ]);
    // The fixture is what it claims: bsdtar reading it from a pipe extracts the hidden bytes, no error.
    const out = join(dir, 'bsdtar-in-data');
    mkdirSync(out);
    const made = spawnSync('bsdtar', ['-xf', '-', '-C', out], { input: streamed });
    if (made.error !== undefined) {
      console.warn('bsdtar: libarchive is not installed; what it reads of the fixture is not checked');
      context.skip();
    }
    expect(made.status).toBe(0);
    expect(readFileSync(join(out, 'Candidate_1/Public/cv.pdf'))).toEqual(hidden);
    expect(readFileSync(join(out, 'Candidate_1/Public/other.pdf'))).toEqual(cv);
  });

  it('refuses a stored one with no data descriptor after its data: bsdtar reads on into the next entry', async (context) => {
    const next = { name: Buffer.from('Candidate_1/Public/b.pdf'), data: Buffer.from('%PDF-1.4 b') };
    const zip = rawZip([{ name: Buffer.from('Candidate_1/Public/cv.pdf'), data: cv, flags: 8 }, next]);
    // Zeros in the local header, as writers of data descriptors leave it.
    zip.fill(0, headers(zip)[0]!.local + 14, headers(zip)[0]!.local + 26);
    const local = headers(zip)[1]!.local;
    for (const outcome of await readEach(save(dir, 'descriptor-missing.zip', zip))) {
      expect(outcome).toContain(
        `ZIP_CORRUPT The local header leaves the stored entry's sizes to a data descriptor, and none follows its data (a signature and the CRC-32 of its bytes, at byte ${local})`,
      );
    }
    // Deflated, its end is the deflate data's own: read, as Info-ZIP (given room), CPython, 7-Zip and bsdtar read it.
    const deflated = rawZip([{ name: Buffer.from('a.pdf'), data: cv, flags: 8, deflate: true }]);
    expect(
      await readEach(save(dir, 'deflated-descriptor-missing.zip', deflated), ['verify', 'held']),
    ).toEqual([`verify: ${cv.length}`, `held: ${cv.length}`]);
    // The fixture is what it claims: bsdtar reading it from a pipe takes the next entry for the first one's data.
    const out = join(dir, 'bsdtar-missing');
    mkdirSync(out);
    const made = spawnSync('bsdtar', ['-xf', '-', '-C', out], { input: zip });
    if (made.error !== undefined) {
      console.warn('bsdtar: libarchive is not installed; what it reads of the fixture is not checked');
      context.skip();
    }
    expect(readFileSync(join(out, 'Candidate_1/Public/cv.pdf')).length).toBeGreaterThan(cv.length);
  });

  it('reads what writers of data descriptors leave in the local header', async (context) => {
    // yazl: zeros; CPython writing to a pipe with force_zip64: 0xFFFFFFFF and zeros in the zip64 field.
    const yazl = await yazlZip([{ name: 'a.pdf', data: cv, streamed: true }]);
    const paths = [save(dir, 'yazl-descriptor.zip', yazl)];
    const script =
      "import sys, zipfile\nwith zipfile.ZipFile(sys.stdout.buffer, 'w', zipfile.ZIP_DEFLATED) as z:\n" +
      "  with z.open('a.pdf', 'w', force_zip64=True) as f: f.write(sys.stdin.buffer.read())";
    const piped = spawnSync('python3', ['-c', script], { input: cv });
    // Info-ZIP `zip -fd`: the uncompressed size, the CRC-32 and compressed size 0.
    const infoZip = join(dir, 'info-zip-fd.zip');
    writeFileSync(join(dir, 'a.pdf'), cv);
    const zipped = spawnSync('zip', ['-q', '-fd', infoZip, 'a.pdf'], { cwd: dir });
    if (piped.status !== 0 || zipped.status !== 0) {
      console.warn('python3 or zip is not installed: their data descriptors are not checked');
      context.skip();
    }
    paths.push(save(dir, 'python-pipe.zip', piped.stdout), infoZip);
    const fd = readFileSync(infoZip);
    expect(fd.readUInt32LE(headers(fd)[0]!.local + 22)).toBe(cv.length);
    for (const path of paths) {
      expect(await readEach(path, ['verify', 'stream', 'into'])).toEqual([
        `verify: ${cv.length}`,
        `stream: ${cv.length}`,
        `into: ${cv.length}`,
      ]);
    }
  });
});
