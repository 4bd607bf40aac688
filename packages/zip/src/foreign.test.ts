// Archives from other tools and hosts: bsdtar's './' names, Unix modes written by non-Unix hosts.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { patch, type RawItem, rawZip, save, tempDir, yazlZip } from './craft.test-helpers.js';
import { checkArchiveRatio, checkRatio } from './entry.js';
import { entryChunks, openZip } from './index.js';
import { DEFAULT_LIMITS } from './options.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = Buffer.from('candidate_id,first_name\n1,Ada\n');

/** Every entry read with onRefused 'skip': names with contents, and the refusals as [code, entry, message]. */
async function readSkipping(zip: Buffer, file: string) {
  const archive = await openZip(save(dir, file, zip), { onRefused: 'skip' });
  const contents = new Map<string, string>();
  for await (const entry of archive.entries()) {
    const chunks: Buffer[] = [];
    for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
    contents.set(entry.name, Buffer.concat(chunks).toString());
  }
  await archive.close();
  return { contents, refused: archive.refused.map((e) => [e.code, e.entry, e.message]) };
}

const item = (name: string, data = Buffer.alloc(0), more: Partial<RawItem> = {}): RawItem => ({
  name: Buffer.from(name),
  data,
  ...more,
});

describe('entries that are not regular files', () => {
  it('names the kind of a symbolic link, a block device and a socket', async () => {
    const { refused } = await readSkipping(
      await yazlZip([
        { name: 'link', data: Buffer.from('/etc/passwd'), compress: false, mode: 0o120777 },
        { name: 'disk', mode: 0o060644 },
        { name: 'socket', mode: 0o140644 },
      ]),
      'kinds.zip',
    );
    expect(refused.map(([code]) => code)).toEqual(['ZIP_NOT_REGULAR', 'ZIP_NOT_REGULAR', 'ZIP_NOT_REGULAR']);
    expect(refused[0]![2]).toContain('Entry is a symbolic link, not a regular file');
    expect(refused[1]![2]).toContain('Entry is a block device, not a regular file');
    expect(refused[2]![2]).toContain('Entry is a socket, not a regular file');
    for (const [, , message] of refused) expect(message).not.toContain('unknown type');
  });

  it('reads what Info-ZIP zip took from a pipe (FIFO mode) as the file it is, as unzip does', async (context) => {
    const path = join(dir, 'piped.zip');
    const made = spawnSync('sh', ['-c', 'printf "candidate_id\\n1\\n" | zip -q "$0" -', path]);
    if (made.error !== undefined || made.status !== 0) {
      console.warn('zip: Info-ZIP zip is not installed; an entry read from a pipe is not checked');
      context.skip();
    }
    const zip = readFileSync(path);
    // The central directory's external attributes hold the pipe's mode (prw-------).
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect((zip.readUInt32LE(central + 38) >>> 16) & 0o170000).toBe(0o010000);
    const { contents, refused } = await readSkipping(zip, 'piped again.zip');
    expect(refused).toEqual([]);
    expect(contents.get('-')).toBe('candidate_id\n1\n');
  });

  // Info-ZIP unzip takes the high 16 bits as st_mode for these hosts too, and makes such entries links.
  it.each([
    [2, 'VMS'],
    [16, 'BeOS'],
  ])('refuses a symbolic link made on host %i (%s)', async (host, _label) => {
    const link = item('Candidate_1/Public/link.pdf', Buffer.from('/etc/passwd'), {
      madeBy: (host << 8) | 20,
      attributes: (0o120777 << 16) >>> 0,
    });
    const { contents, refused } = await readSkipping(rawZip([link, item('ok.csv', csv)]), `host${host}.zip`);
    expect([...contents.keys()]).toEqual(['ok.csv']);
    expect(refused).toEqual([
      ['ZIP_NOT_REGULAR', 'Candidate_1/Public/link.pdf', expect.stringContaining('a symbolic link')],
    ]);
  });

  // PKZip for Unix and libraries copying st_mode write a link's mode beside MS-DOS attributes: Info-ZIP
  // unzip makes a link of a FAT entry whose owner bits agree with the DOS ones, 7-Zip of any FAT or NTFS one.
  it.each([
    [0, 'FAT', '120644'],
    [0, 'FAT', '120777'],
    [11, 'NTFS', '120644'],
  ])('refuses a symbolic link made on host %i (%s, mode %s)', async (host, _label, octal) => {
    const mode = Number.parseInt(octal, 8);
    const link = item('Candidate_1/Public/cv.pdf', Buffer.from('/etc/passwd'), {
      madeBy: (host << 8) | 20,
      attributes: (mode << 16) >>> 0,
    });
    const zip = rawZip([link, item('ok.csv', csv)]);
    const { contents, refused } = await readSkipping(zip, `dos-link-${host}-${octal}.zip`);
    expect([...contents.keys()]).toEqual(['ok.csv']);
    expect(refused).toEqual([
      ['ZIP_NOT_REGULAR', 'Candidate_1/Public/cv.pdf', expect.stringContaining('a symbolic link')],
    ]);
  });

  it('Info-ZIP unzip makes a link of the FAT entry too (the fixture is what it claims)', (context) => {
    const link = item('cv.pdf', Buffer.from('/etc/passwd'), {
      madeBy: 20,
      attributes: (0o120644 << 16) >>> 0,
    });
    const path = save(dir, 'dos-link-unzip.zip', rawZip([link]));
    const out = join(dir, 'dos-link-unzipped');
    const made = spawnSync('unzip', ['-qo', path, '-d', out]);
    if (made.error !== undefined) {
      console.warn('unzip: Info-ZIP unzip is not installed; what it makes of a FAT link is not checked');
      context.skip();
    }
    expect(lstatSync(join(out, 'cv.pdf')).isSymbolicLink()).toBe(true);
  });

  it('reads files from DOS hosts whose high attribute bits hold a regular mode, or anything but a link', async () => {
    const files = [
      item('a.csv', csv, { madeBy: 20, attributes: ((0o100644 << 16) | 0x20) >>> 0 }),
      item('b.csv', csv, { madeBy: (11 << 8) | 20, attributes: 0x20 }),
      // Win32 attributes past 16 bits (FILE_ATTRIBUTE_PINNED, 0x80000) are no file type.
      item('c.csv', csv, { madeBy: (11 << 8) | 20, attributes: 0x80020 }),
    ];
    const { contents, refused } = await readSkipping(rawZip(files), 'dos-files.zip');
    expect(refused).toEqual([]);
    expect([...contents.keys()]).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('refuses a file whose MS-DOS attributes mark a folder: 7-Zip and bsdtar make a folder of it', async () => {
    const marked = item('Candidate_1/Public/a.pdf', csv, { madeBy: 20, attributes: 0x10 });
    const path = save(dir, 'dos-folder-bit.zip', rawZip([marked, item('ok.csv', csv)]));
    const out = join(dir, 'dos-folder-bit');
    mkdirSync(out, { recursive: true });
    const made = spawnSync('bsdtar', ['-xf', path, '-C', out]);
    if (made.error === undefined)
      expect(lstatSync(join(out, 'Candidate_1/Public/a.pdf')).isDirectory()).toBe(true);
    const { contents, refused } = await readSkipping(
      rawZip([marked, item('ok.csv', csv)]),
      'dos-folder-bit.zip',
    );
    expect([...contents.keys()]).toEqual(['ok.csv']);
    expect(refused).toEqual([
      [
        'ZIP_NOT_REGULAR',
        'Candidate_1/Public/a.pdf',
        expect.stringContaining('marked a folder by its MS-DOS attributes'),
      ],
    ]);
    // A Unix host's low byte is not what those tools go by: its mode is.
    const unix = item('b.csv', csv, { madeBy: (3 << 8) | 20, attributes: ((0o100644 << 16) | 0x10) >>> 0 });
    expect((await readSkipping(rawZip([unix]), 'unix-folder-bit.zip')).refused).toEqual([]);
  });

  it('still reads a regular file whose mode a non-Unix host wrote', async () => {
    const file = item('a.csv', csv, { madeBy: (16 << 8) | 20, attributes: (0o100644 << 16) >>> 0 });
    const { contents, refused } = await readSkipping(rawZip([file]), 'host16-file.zip');
    expect(refused).toEqual([]);
    expect(contents.get('a.csv')).toBe(csv.toString());
  });
});

describe('compression methods other than stored and deflate', () => {
  it.each([
    [2, 'Reduce'],
    [9, 'Deflate64'],
    [12, 'BZIP2'],
    [14, 'LZMA'],
    [20, 'Zstandard'],
    [96, 'JPEG'],
    [97, 'WavPack'],
    [98, 'PPMd'],
    [77, 'not a method the zip format defines'],
  ])('method %i is refused by its name (%s), saying how to write deflate instead', async (method, label) => {
    const zip = patch(rawZip([item('Candidate_1/Public/cv.pdf', csv)]), 0, 'method', () => method);
    const { contents, refused } = await readSkipping(zip, `method ${method}.zip`);
    expect(contents.size).toBe(0);
    expect(refused).toEqual([['ZIP_UNSUPPORTED_METHOD', 'Candidate_1/Public/cv.pdf', expect.any(String)]]);
    expect(refused[0]![2]).toContain(
      `compression method ${method} (${label}); only stored (0) and deflate (8)`,
    );
    expect(refused[0]![2]).toContain('`7z a -tzip -mm=Deflate`');
  });

  it.for([
    ['LZMA', 14, 'LZMA'],
    ['BZip2', 12, 'BZIP2'],
    ['Deflate64', 9, 'Deflate64'],
  ] as const)(
    'what 7-Zip writes with -mm=%s is refused naming the method',
    async ([option, method, label], context) => {
      const work = mkdtempSync(join(dir, '7z-'));
      writeFileSync(join(work, 'Candidate.csv'), Buffer.concat(Array.from({ length: 200 }, () => csv)));
      const made = spawnSync('7z', ['a', '-tzip', `-mm=${option}`, 'out.zip', 'Candidate.csv'], {
        cwd: work,
      });
      if (made.error !== undefined || made.status !== 0) {
        console.warn('7z: 7-Zip is not installed; the methods it writes are not checked');
        context.skip();
      }
      const { refused } = await readSkipping(readFileSync(join(work, 'out.zip')), `7z ${option}.zip`);
      expect(refused[0]![2]).toContain(`compression method ${method} (${label})`);
    },
  );
});

describe("names with './' segments (bsdtar)", () => {
  const names = ['Contract_1/', 'Contract_1/Candidate.csv', 'Contract_1/Notes.csv'];
  const build = (prefix: string) =>
    rawZip([
      ...(prefix === '' ? [] : [item(prefix)]),
      ...names.map((name) => item(`${prefix}${name}`, name.endsWith('/') ? Buffer.alloc(0) : csv)),
    ]);

  it("reads an archive with './' entries like the same archive without them", async () => {
    const plain = await readSkipping(build(''), 'plain.zip');
    const dotted = await readSkipping(build('./'), 'dotted.zip');
    expect(plain.refused).toEqual([]);
    expect(dotted.refused).toEqual([]);
    expect([...dotted.contents.entries()]).toEqual([...plain.contents.entries()]);
    expect([...dotted.contents.keys()]).toEqual(names);
  });

  it("drops '.' segments inside a name, and compares the names without them for duplicates", async () => {
    const { contents, refused } = await readSkipping(
      rawZip([
        item('a/./b.csv', csv),
        item('a/b.csv', csv),
        item('./A/B.csv', csv),
        item('x/.', Buffer.alloc(0)),
      ]),
      'dot-duplicates.zip',
    );
    expect([...contents.keys()]).toEqual(['a/b.csv', 'x/']);
    expect(refused.map(([code, entry]) => [code, entry])).toEqual([
      ['ZIP_DUPLICATE_ENTRY', 'a/b.csv'],
      ['ZIP_DUPLICATE_ENTRY', 'A/B.csv'],
    ]);
  });

  it("still refuses '..' however it is spelled with '.' segments", async () => {
    const { contents, refused } = await readSkipping(
      rawZip([item('a/./../b.csv', csv), item('./../b.csv', csv), item('./C:/b.csv', csv)]),
      'dot-dotdot.zip',
    );
    expect(contents.size).toBe(0);
    expect(refused.map(([code]) => code)).toEqual(['ZIP_UNSAFE_NAME', 'ZIP_UNSAFE_NAME', 'ZIP_UNSAFE_NAME']);
    expect(refused[0]![2]).toContain('".." segment');
    expect(refused[1]![2]).toContain('".." segment');
    expect(refused[2]![2]).toContain('drive letter');
  });

  it("refuses a './' entry that carries data", async () => {
    const { contents, refused } = await readSkipping(rawZip([item('./', csv)]), 'dot-data.zip');
    expect(contents.size).toBe(0);
    expect(refused.map(([code]) => code)).toEqual(['ZIP_NOT_REGULAR']);
  });
});

describe('ratio messages', () => {
  const limits = { ...DEFAULT_LIMITS, maxArchiveRatio: 200, maxRatio: 100, ratioMinBytes: 0 };

  it('show the whole-archive ratio above the cap when it is just over it', () => {
    const problem = checkArchiveRatio(200_400, 1000, limits, 'declare');
    expect(problem?.detail).toContain('(200.4x), over the 200x cap');
    expect(checkArchiveRatio(200_010, 1000, limits, 'declare')?.detail).toContain('(200.01x)');
    expect(checkArchiveRatio(2_000_001, 10_000, limits, 'declare')?.detail).toContain('(over 200x)');
    expect(checkArchiveRatio(300_000, 1000, limits, 'declare')?.detail).toContain('(300x)');
  });

  it('show an entry ratio above the cap when it is just over it', () => {
    expect(checkRatio(100_300, 1000, 100, 0)?.detail).toContain('inflates 100.3x (1000 -> 100300+ bytes)');
  });
});
