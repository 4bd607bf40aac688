// The 'xl' extra field (0x6c78), from which libarchive (bsdtar, and the tar of macOS and Windows) takes an
// entry's file type over its external attributes. Fixtures are built at test time.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawZip, readEach, save, tempDir } from './craft.test-helpers.js';
import { openZip } from './index.js';
import { xlType } from './xl.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINK = 0o120777;
const UNIX = 3;

/** An 'xl' field: its bitmap, then a "version made by" naming `host` and external attributes. */
function xl(host: number | undefined, attributes: number): Buffer {
  const parts = [Buffer.from([host === undefined ? 4 : 5])];
  if (host !== undefined) parts.push(Buffer.from([20, host]));
  const value = Buffer.alloc(4);
  value.writeUInt32LE(attributes >>> 0);
  parts.push(value);
  const data = Buffer.concat(parts);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(0x6c78, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
}

/** A field of another id, as Info-ZIP writes before its others (an extended timestamp). */
const timestamp = Buffer.from('545505000100000000', 'hex');

const target = Buffer.from('/etc/passwd');
const other = { name: Buffer.from('Candidate_1/Public/b.pdf'), data: Buffer.from('%PDF-1.4 b') };
const cv = Buffer.from('Candidate_1/Public/cv.pdf');

/** What bsdtar extracts cv.pdf as, reading the archive from a file or a pipe; undefined without bsdtar. */
function bsdtarMakes(zip: Buffer, how: 'file' | 'pipe', name: string): string | undefined {
  const out = join(dir, `bsdtar-${name}-${how}`);
  mkdirSync(out);
  const path = save(dir, `${name}-for-bsdtar.zip`, zip);
  const made =
    how === 'file'
      ? spawnSync('bsdtar', ['-xf', path, '-C', out])
      : spawnSync('bsdtar', ['-xf', '-', '-C', out], { input: zip });
  if (made.error !== undefined) return undefined;
  const stat = lstatSync(join(out, 'Candidate_1/Public/cv.pdf'));
  if (stat.isSymbolicLink()) return `link to ${readlinkSync(join(out, 'Candidate_1/Public/cv.pdf'))}`;
  return stat.isDirectory() ? 'folder' : 'file';
}

describe("an 'xl' field (0x6c78) that gives a file another type", () => {
  it('in the central record: refused with the other entries read, as bsdtar makes a link of it', async (context) => {
    const zip = rawZip([
      { name: cv, data: target, extra: xl(UNIX, LINK << 16), localExtra: Buffer.alloc(0) },
      other,
    ]);
    const archive = await openZip(save(dir, 'central-xl-link.zip', zip), { onRefused: 'skip' });
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    await archive.close();
    expect(names).toEqual(['Candidate_1/Public/b.pdf']);
    expect(archive.refused.map((e) => [e.code, e.entry])).toEqual([['ZIP_NOT_REGULAR', cv.toString()]]);
    expect(archive.refused[0]!.message).toContain(
      "Entry is a symbolic link to bsdtar (libarchive), by the 'xl' extra field (0x6c78) of its central record, and a file to Info-ZIP, CPython and 7-Zip",
    );
    const made = bsdtarMakes(zip, 'file', 'central');
    if (made === undefined) {
      console.warn('bsdtar: libarchive is not installed; what it makes of the fixture is not checked');
      context.skip();
    }
    expect(made).toBe('link to /etc/passwd');
  });

  it('in the local header: refused however the entry is read, as bsdtar makes a link of it, even from a pipe', async (context) => {
    const zip = rawZip([
      { name: cv, data: target, localExtra: Buffer.concat([timestamp, xl(UNIX, LINK << 16)]) },
    ]);
    for (const outcome of await readEach(save(dir, 'local-xl-link.zip', zip), undefined, true)) {
      expect(outcome).toMatch(
        /: ZIP_NOT_REGULAR Entry is a symbolic link to bsdtar \(libarchive\), by the 'xl' extra field \(0x6c78\) of its local header, and a file to Info-ZIP/,
      );
    }
    const made = [bsdtarMakes(zip, 'file', 'local'), bsdtarMakes(zip, 'pipe', 'local')];
    if (made[0] === undefined) {
      console.warn('bsdtar: libarchive is not installed; what it makes of the fixture is not checked');
      context.skip();
    }
    expect(made).toEqual(['link to /etc/passwd', 'link to /etc/passwd']);
  });

  it("takes the host of a field without one from the local header's version (9 bytes), and an MS-DOS folder bit", async (context) => {
    const unix = rawZip([{ name: cv, data: target, localExtra: xl(undefined, LINK << 16) }]);
    // The high byte of "version needed to extract": the host libarchive reads the attributes for.
    unix[5] = UNIX;
    const [linked] = await readEach(save(dir, 'local-xl-9-bytes.zip', unix), ['verify'], true);
    expect(linked).toContain('ZIP_NOT_REGULAR Entry is a symbolic link to bsdtar');
    const folder = rawZip([{ name: cv, data: target, localExtra: xl(0, 0x10) }]);
    const [made] = await readEach(save(dir, 'local-xl-folder.zip', folder), ['stream'], true);
    expect(made).toContain('ZIP_NOT_REGULAR Entry is a folder to bsdtar');
    const tools = [bsdtarMakes(unix, 'pipe', 'nine'), bsdtarMakes(folder, 'pipe', 'folder')];
    if (tools[0] === undefined) {
      console.warn('bsdtar: libarchive is not installed; what it makes of the fixtures is not checked');
      context.skip();
    }
    expect(tools).toEqual(['link to /etc/passwd', 'folder']);
  });

  it('reads entries whose field gives the type they have', async () => {
    const zip = rawZip([
      { name: cv, data: target, extra: xl(UNIX, 0o100644 << 16), madeBy: (UNIX << 8) | 20 },
      { name: Buffer.from('Candidate_1/Private/'), data: Buffer.alloc(0), extra: xl(0, 0x10) },
      { name: Buffer.from('Candidate_1/Private/empty.txt'), data: Buffer.alloc(0), extra: xl(0, 0x20) },
      { name: Buffer.from('fifo.txt'), data: target, extra: xl(UNIX, 0o010644 << 16) },
      { name: Buffer.from('other-host.txt'), data: target, extra: xl(11, LINK << 16) },
    ]);
    expect(await readEach(save(dir, 'xl-agrees.zip', zip), ['verify', 'stream'])).toEqual([
      'verify: 11',
      'verify: 0',
      'verify: 0',
      'verify: 11',
      'verify: 11',
      'stream: 11',
      'stream: 0',
      'stream: 0',
      'stream: 11',
      'stream: 11',
    ]);
  });
});

describe('xlType', () => {
  const fields = (...parts: Buffer[]) => Buffer.concat(parts);

  it('reads every field in turn, as libarchive does: the last one with attributes gives the type', () => {
    const both = fields(xl(UNIX, LINK << 16), timestamp, xl(UNIX, 0o100600 << 16));
    expect(xlType(both, 0, both.length, 0, false)).toBe(0o100000);
    const reversed = fields(xl(UNIX, 0o100600 << 16), xl(UNIX, LINK << 16));
    expect(xlType(reversed, 0, reversed.length, 0, false)).toBe(0o120000);
    // A made-by alone changes the host the next field's attributes are read for.
    const hostOnly = Buffer.from('786c030001140378' + '6c050004000000a0', 'hex');
    expect(xlType(hostOnly, 0, hostOnly.length, 0, false)).toBe(0o120000);
  });

  it('skips the bitmap bytes past the first, and gives nothing for a field cut short or none at all', () => {
    const longBitmap = Buffer.from('786c06008400000000a0', 'hex');
    expect(xlType(longBitmap, 0, longBitmap.length, UNIX, false)).toBe(0o120000);
    const cut = Buffer.from('786c0300040000', 'hex');
    expect(xlType(cut, 0, cut.length, UNIX, false)).toBe(-1);
    expect(xlType(timestamp, 0, timestamp.length, UNIX, false)).toBe(-1);
    // A name ending in '/' is a folder to libarchive whatever the field says.
    const link = xl(UNIX, LINK << 16);
    expect(xlType(link, 0, link.length, UNIX, true)).toBe(0o040000);
  });
});
