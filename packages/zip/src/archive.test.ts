import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  headers,
  patch,
  type RawItem,
  rawZip,
  rename,
  save,
  setExternalMode,
  tempDir,
  unzipTest,
  yazlZip,
} from './craft.test-helpers.js';
import {
  entryChunks,
  hiddenFileName,
  MAX_REFUSED_KEPT,
  openZip,
  readEntries,
  type ZipArchive,
  type ZipEntry,
  ZipError,
  type ZipErrorCode,
  type ZipOptions,
} from './index.js';

const csv = Buffer.from('candidate_id,first_name,last_name\n1,Ada,Lovelace\n2,Grace,Hopper\n'.repeat(50));
// Over 512 KiB, so it is inflated as a stream rather than in one call.
const bigCsv = Buffer.from(
  Array.from({ length: 20_000 }, (_, i) => `${i},Candidate ${i % 977},note ${(i * 7919) % 10007}\n`).join(''),
);
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads every entry of an archive to the end; returns names and contents, or throws the first ZipError. */
async function readAll(path: string, options?: ZipOptions): Promise<Map<string, Buffer>> {
  const archive = await openZip(path, options);
  const out = new Map<string, Buffer>();
  try {
    for await (const entry of archive.entries()) {
      const chunks: Buffer[] = [];
      for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
      out.set(entry.name, Buffer.concat(chunks));
    }
  } finally {
    await archive.close();
  }
  return out;
}

async function failure(path: string, options?: ZipOptions): Promise<ZipError> {
  try {
    await readAll(path, options);
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
  throw new Error(`${path} was read without error`);
}

// Fixtures named after what they must cause; each is crafted from real zip bytes at test time.
const failures: [
  file: string,
  code: ZipErrorCode,
  entry: string | undefined,
  make: () => Promise<Buffer> | Buffer,
][] = [
  ['not a zip.zip', 'ZIP_NOT_A_ZIP', undefined, () => Buffer.from('candidate_id,first_name\n1,Ada\n')],
  ['empty file.zip', 'ZIP_NOT_A_ZIP', undefined, () => Buffer.alloc(0)],
  [
    'truncated in the middle.zip',
    'ZIP_TRUNCATED',
    undefined,
    async () => {
      const zip = await yazlZip([
        { name: 'a.csv', data: csv },
        { name: 'b.csv', data: csv },
      ]);
      return zip.subarray(0, Math.floor(zip.length / 2));
    },
  ],
  [
    'truncated end record.zip',
    'ZIP_TRUNCATED',
    undefined,
    async () => {
      const zip = await yazlZip([{ name: 'a.csv', data: csv }]);
      return zip.subarray(0, zip.length - 5);
    },
  ],
  [
    'absolute path slash.zip',
    'ZIP_UNSAFE_NAME',
    '/etc/x',
    async () => rename(await yazlZip([{ name: 'qetc/x', data: csv }]), 'qetc/x', '/etc/x'),
  ],
  [
    'absolute path C xt.zip',
    'ZIP_UNSAFE_NAME',
    'C:/xt',
    async () => rename(await yazlZip([{ name: 'CQ/xt', data: csv }]), 'CQ/xt', 'C:/xt'),
  ],
  [
    'absolute path backslash UNC.zip',
    'ZIP_UNSAFE_NAME',
    '\\\\h\\x',
    async () => rename(await yazlZip([{ name: 'qqhqx', data: csv }]), 'qqhqx', '\\\\h\\x'),
  ],
  [
    'relative path dotdot.zip',
    'ZIP_UNSAFE_NAME',
    '../x.csv',
    async () => rename(await yazlZip([{ name: 'qq/x.csv', data: csv }]), 'qq/x.csv', '../x.csv'),
  ],
  [
    'backslash dotdot traversal.zip',
    'ZIP_UNSAFE_NAME',
    'a\\..\\..\\x',
    async () => rename(await yazlZip([{ name: 'aqqqqqqqx', data: csv }]), 'aqqqqqqqx', 'a\\..\\..\\x'),
  ],
  [
    'nul byte in name.zip',
    'ZIP_UNSAFE_NAME',
    // Named with the NUL escaped: control characters of a name never reach a message as they are.
    'a\\u0000.pdf',
    async () => rename(await yazlZip([{ name: 'aq.pdf', data: csv }]), 'aq.pdf', 'a\u0000.pdf'),
  ],
  ['empty name.zip', 'ZIP_UNSAFE_NAME', '', () => rawZip([{ name: Buffer.alloc(0), data: csv }])],
  [
    'symlink mode.zip',
    'ZIP_NOT_REGULAR',
    'Candidate_1/link',
    async () =>
      yazlZip([
        { name: 'Candidate_1/link', data: Buffer.from('/etc/passwd'), compress: false, mode: 0o120777 },
      ]),
  ],
  [
    'socket mode.zip',
    'ZIP_NOT_REGULAR',
    'socket',
    async () => setExternalMode(await yazlZip([{ name: 'socket', data: Buffer.alloc(0) }]), 0, 0o140644),
  ],
  [
    'directory with data.zip',
    'ZIP_NOT_REGULAR',
    'dir/',
    () => rawZip([{ name: Buffer.from('dir/'), data: csv }]),
  ],
  [
    'encrypted bit.zip',
    'ZIP_ENCRYPTED',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'flags', (f) => f | 1),
  ],
  [
    'strong encryption bit.zip',
    'ZIP_ENCRYPTED',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'flags', (f) => f | 0x41),
  ],
  [
    'method deflate64.zip',
    'ZIP_UNSUPPORTED_METHOD',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'method', () => 9),
  ],
  [
    'method lzma.zip',
    'ZIP_UNSUPPORTED_METHOD',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'method', () => 14),
  ],
  [
    'method aes.zip',
    'ZIP_ENCRYPTED',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'method', () => 99),
  ],
  [
    'crc flipped deflated.zip',
    'ZIP_CRC_MISMATCH',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'crc32', (c) => c ^ 0x10),
  ],
  [
    'crc flipped stored.zip',
    'ZIP_CRC_MISMATCH',
    'a.csv',
    async () =>
      patch(await yazlZip([{ name: 'a.csv', data: csv, compress: false }]), 0, 'crc32', (c) => c ^ 0x10),
  ],
  [
    'data longer than declared.zip',
    'ZIP_SIZE_MISMATCH',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'uncompressedSize', (n) => n - 1),
  ],
  [
    'data shorter than declared.zip',
    'ZIP_SIZE_MISMATCH',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'uncompressedSize', (n) => n + 1),
  ],
  [
    'data much longer than declared.zip',
    'ZIP_SIZE_MISMATCH',
    'a.csv',
    async () => patch(await yazlZip([{ name: 'a.csv', data: csv }]), 0, 'uncompressedSize', (n) => n - 100),
  ],
  [
    'large entry longer than declared.zip',
    'ZIP_SIZE_MISMATCH',
    'big.csv',
    async () =>
      patch(await yazlZip([{ name: 'big.csv', data: bigCsv }]), 0, 'uncompressedSize', (n) => n - 1),
  ],
  [
    'large entry shorter than declared.zip',
    'ZIP_SIZE_MISMATCH',
    'big.csv',
    async () =>
      patch(await yazlZip([{ name: 'big.csv', data: bigCsv }]), 0, 'uncompressedSize', (n) => n + 1),
  ],
  [
    'large entry crc flipped.zip',
    'ZIP_CRC_MISMATCH',
    'big.csv',
    async () => patch(await yazlZip([{ name: 'big.csv', data: bigCsv }]), 0, 'crc32', (c) => c ^ 0x80000000),
  ],
  [
    'stored sizes disagree.zip',
    'ZIP_SIZE_MISMATCH',
    'a.csv',
    async () =>
      patch(
        await yazlZip([{ name: 'a.csv', data: csv, compress: false }]),
        0,
        'uncompressedSize',
        (n) => n + 1,
      ),
  ],
  [
    'damaged deflate data.zip',
    'ZIP_CORRUPT',
    'a.csv',
    async () => {
      const zip = await yazlZip([{ name: 'a.csv', data: csv }]);
      const at = headers(zip)[0]!.local + 30 + 'a.csv'.length + zip.readUInt16LE(headers(zip)[0]!.local + 28);
      zip.fill(0xff, at, at + 8);
      return zip;
    },
  ],
  [
    'local name differs from central.zip',
    'ZIP_CORRUPT',
    'a.csv',
    async () => {
      const zip = await yazlZip([{ name: 'a.csv', data: csv }]);
      zip.write('b', headers(zip)[0]!.local + 30, 'latin1');
      return zip;
    },
  ],
  [
    'duplicate name.zip',
    'ZIP_DUPLICATE_ENTRY',
    'a.csv',
    () =>
      yazlZip([
        { name: 'a.csv', data: csv },
        { name: 'a.csv', data: csv },
      ]),
  ],
  [
    'duplicate after backslash.zip',
    'ZIP_DUPLICATE_ENTRY',
    'd/a.csv',
    async () =>
      rename(
        await yazlZip([
          { name: 'd/a.csv', data: csv },
          { name: 'dqa.csv', data: csv },
        ]),
        'dqa.csv',
        'd\\a.csv',
      ),
  ],
  [
    'duplicate differing in case.zip',
    'ZIP_DUPLICATE_ENTRY',
    'Candidate_1/public/resume.pdf',
    () =>
      yazlZip([
        { name: 'Candidate_1/Public/resume.pdf', data: csv },
        { name: 'Candidate_1/public/resume.pdf', data: csv },
      ]),
  ],
  [
    'bomb ratio 50 MiB of zeros.zip',
    'ZIP_RATIO_TOO_HIGH',
    'zeros.bin',
    () => yazlZip([{ name: 'zeros.bin', data: Buffer.alloc(50 * 1024 * 1024) }]),
  ],
];

describe('refuses broken and hostile archives with a coded error', () => {
  const paths = new Map<string, string>();
  beforeAll(async () => {
    const failureDir = join(dir, 'failure');
    mkdirSync(failureDir);
    for (const [file, , , make] of failures) paths.set(file, save(failureDir, file, await make()));
  });

  it.each(failures)('%s -> %s', async (file, code, entry) => {
    const path = paths.get(file)!;
    const error = await failure(path);
    expect(error.code).toBe(code);
    expect(error.archive).toBe(path);
    expect(error.entry).toBe(entry);
    expect(error.message).toContain(path);
    if (entry !== undefined) expect(error.message).toContain(`entry "${entry}"`);
  });

  it('agrees with Info-ZIP that the damaged-data fixtures are broken', () => {
    // Info-ZIP does not compare deflated data with its declared size (both size fixtures pass `unzip -t`).
    for (const file of ['crc flipped deflated.zip', 'crc flipped stored.zip', 'stored sizes disagree.zip']) {
      expect(unzipTest(paths.get(file)!), file).not.toBe(0);
    }
  });

  it('names an expired download link saved as .zip', async () => {
    const html =
      '\n  <!DOCTYPE html>\n<html lang="en"><head><title>Link expired</title></head><body>Expired</body></html>';
    const error = await failure(save(dir, 'Attachment_1-2.zip', Buffer.from(html)));
    expect(error.code).toBe('ZIP_NOT_A_ZIP');
    expect(error.message).toMatch(/looks like an HTML page.*download it again/);
  });

  it('tells bytes appended past where readers look for the end from a download cut short', async () => {
    const zip = await yazlZip([
      { name: 'Candidate_1/Public/a.pdf', data: csv },
      { name: 'Candidate_1/Public/b.pdf', data: randomBytes(5000) },
    ]);
    const appended = await failure(
      save(dir, 'Attachment_1-2.zip', Buffer.concat([zip, Buffer.alloc(200_000)])),
    );
    expect(appended.code).toBe('ZIP_CORRUPT');
    expect(appended.message).toContain(
      `ends at byte ${zip.length}, and 200000 bytes of something else follow it`,
    );
    expect(appended.message).toContain(`head -c ${zip.length}`);
    // A zip stored in the part (a .docx) ends before where the part was cut: the part is still cut short.
    const docx = await yazlZip([{ name: 'word/document.xml', data: csv, compress: false }]);
    const part = await yazlZip([
      { name: 'Candidate_1/Public/cv.docx', data: docx, compress: false },
      { name: 'Candidate_1/Public/big.bin', data: randomBytes(300_000), compress: false },
    ]);
    const cut = part.subarray(0, part.indexOf(docx) + docx.length + 200_000);
    const short = await failure(save(dir, 'Attachment_1-2.zip', cut));
    expect(short.code).toBe('ZIP_TRUNCATED');
  });

  it('names an XML or JSON error response, or text, saved as .zip', async () => {
    const made: [string, string][] = [
      [
        'an XML document',
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
      ],
      ['a JSON document', '{"status":403,"message":"Link expired"}\n'],
      ['text', 'candidate_id,first_name\r\n1,Zoë\r\n'],
    ];
    for (const [what, body] of made) {
      const error = await failure(save(dir, 'Attachment_1-2.zip', Buffer.from(body)));
      expect(error.code).toBe('ZIP_NOT_A_ZIP');
      expect(error.message).toContain(`File is ${what}`);
      expect(error.message).toContain('Download it again from Talent Hub');
    }
  });

  it('names the format of a 7-Zip, RAR or gzip file saved as .zip, and what to do', async () => {
    const packed = join(dir, 'packed');
    mkdirSync(packed, { recursive: true });
    writeFileSync(join(packed, 'cv.pdf'), csv);
    const made: [string, Buffer][] = [
      ['a RAR archive', Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(64)])],
      ['a gzip (.gz) file', gzipSync(csv)],
    ];
    try {
      execFileSync('7z', ['a', '-t7z', join(packed, 'x.7z'), join(packed, 'cv.pdf')], { stdio: 'ignore' });
      made.push(['a 7-Zip (.7z) archive', readFileSync(join(packed, 'x.7z'))]);
    } catch {
      console.warn('7z: 7-Zip is not installed; a .7z saved as .zip is not checked');
    }
    for (const [what, bytes] of made) {
      const error = await failure(save(dir, 'Attachment_1-2.zip', bytes));
      expect(error.code).toBe('ZIP_NOT_A_ZIP');
      expect(error.message).toContain(`File is ${what}, not a zip archive`);
      expect(error.message).toContain('zip what it holds with deflate');
    }
  });

  it('reports a missing file and a folder passed as a file', async () => {
    expect((await failure(join(dir, 'nope.zip'))).code).toBe('ZIP_NOT_FOUND');
    expect((await failure(dir)).code).toBe('ZIP_UNREADABLE');
  });

  it('refuses a real symlink and a real password-protected entry written by Info-ZIP zip', async () => {
    const src = join(dir, 'izsrc');
    mkdirSync(src);
    save(src, 'resume.pdf', csv);
    symlinkSync('/etc/passwd', join(src, 'passwd'));
    execFileSync('zip', ['-qy', join(dir, 'iz-symlink.zip'), 'resume.pdf', 'passwd'], { cwd: src });
    execFileSync('zip', ['-q', '-P', 'secret', join(dir, 'iz-encrypted.zip'), 'resume.pdf'], { cwd: src });
    const link = await failure(join(dir, 'iz-symlink.zip'));
    expect([link.code, link.entry]).toEqual(['ZIP_NOT_REGULAR', 'passwd']);
    const locked = await failure(join(dir, 'iz-encrypted.zip'));
    expect([locked.code, locked.entry]).toEqual(['ZIP_ENCRYPTED', 'resume.pdf']);
  });
});

describe('limits', () => {
  it('refuses by declared size before inflating anything', async () => {
    const path = save(dir, 'entry too large.zip', await yazlZip([{ name: 'a.csv', data: csv }]));
    const error = await failure(path, { limits: { maxEntryBytes: csv.length - 1 } });
    expect([error.code, error.entry]).toEqual(['ZIP_ENTRY_TOO_LARGE', 'a.csv']);
  });
  it('refuses when the archive total is over the cap', async () => {
    const items = ['a', 'b', 'c'].map((n) => ({ name: `${n}.csv`, data: csv }));
    const path = save(dir, 'total too large.zip', await yazlZip(items));
    const error = await failure(path, { limits: { maxTotalBytes: csv.length * 2.5 } });
    expect([error.code, error.entry]).toEqual(['ZIP_TOTAL_TOO_LARGE', 'c.csv']);
  });
  it('passes realistic export content with the default limits', async () => {
    let text = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n';
    for (let i = 0; text.length < 4 * 1024 * 1024; i += 1) {
      text += `${i},${i % 97},${i * 7},https://www.linkedin.com/in/person-${i % 1000},Hello ${i},"Thanks for applying, we will be in touch about role ${i % 50}.",email\n`;
    }
    const random = Buffer.from(Array.from({ length: 256 * 1024 }, () => Math.floor(Math.random() * 256)));
    const path = save(
      dir,
      'realistic.zip',
      await yazlZip([
        { name: 'Messages.csv', data: Buffer.from(text) },
        { name: 'Candidate_1/Public/resume.pdf', data: random },
      ]),
    );
    const read = await readAll(path);
    expect(read.get('Messages.csv')?.toString()).toBe(text);
    expect(read.get('Candidate_1/Public/resume.pdf')?.equals(random)).toBe(true);
  });
  it('rejects bad options with ZIP_BAD_OPTION', async () => {
    const path = save(dir, 'ok.zip', await yazlZip([{ name: 'a.csv', data: csv }]));
    await expect(openZip(path, { limits: { maxRatio: -1 } })).rejects.toMatchObject({
      code: 'ZIP_BAD_OPTION',
    });
    await expect(openZip(path, { limits: { nope: 1 } as never })).rejects.toMatchObject({
      code: 'ZIP_BAD_OPTION',
    });
    await expect(openZip(path, { onRefused: 'ignore' as never })).rejects.toMatchObject({
      code: 'ZIP_BAD_OPTION',
    });
  });
});

describe('reading', () => {
  let archivePath: string;
  const pdf = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251));
  beforeAll(async () => {
    archivePath = save(
      dir,
      'Attachment_1-2.zip',
      await yazlZip([
        { name: 'Attachments_1-2/', dir: true },
        { name: 'Attachments_1-2/Candidate_1/Public/resume.pdf', data: pdf, compress: false },
        { name: 'Attachments_1-2/Candidate_1/Private/empty.txt', data: Buffer.alloc(0) },
        { name: 'Attachments_1-2/Candidate_2/Miscellaneous/Référence_日本.pdf', data: csv, streamed: true },
        {
          name: '__MACOSX/Attachments_1-2/Candidate_1/Public/._resume.pdf',
          data: Buffer.from([0, 5, 22, 7]),
        },
      ]),
    );
  });

  it('reads the time of an entry from its Unix timestamp field to the second, else from its MS-DOS time', async () => {
    const folder = join(dir, 'times');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'odd.txt'), 'x');
    // An odd second: MS-DOS times hold even seconds only, Info-ZIP's extended timestamp every second.
    utimesSync(join(folder, 'odd.txt'), 1714979291, 1714979291);
    const path = join(dir, 'times.zip');
    execFileSync('zip', ['-q', path, 'odd.txt'], { cwd: folder });
    const archive = await openZip(path);
    const times: string[] = [];
    for await (const entry of archive.entries()) times.push(entry.modified!.toISOString());
    await archive.close();
    expect(times).toEqual(['2024-05-06T07:08:11.000Z']);
    const plain = await yazlZip([{ name: 'a.txt', data: csv }]);
    const archive2 = await openZip(save(dir, 'dos time.zip', plain));
    for await (const entry of archive2.entries()) expect(entry.modified!.getUTCSeconds() % 2).toBe(0);
    await archive2.close();
  });

  it('yields checked entries with metadata and exact contents, like Info-ZIP', async () => {
    const archive = await openZip(archivePath);
    expect(archive.entryCount).toBe(5);
    const entries: ZipEntry[] = [];
    for await (const entry of archive.entries()) entries.push(entry);
    await archive.close();
    expect(entries.map((e) => [e.name, e.isDirectory, e.method, e.uncompressedSize])).toEqual([
      ['Attachments_1-2/', true, 0, 0],
      ['Attachments_1-2/Candidate_1/Public/resume.pdf', false, 0, pdf.length],
      ['Attachments_1-2/Candidate_1/Private/empty.txt', false, 8, 0],
      ['Attachments_1-2/Candidate_2/Miscellaneous/Référence_日本.pdf', false, 8, csv.length],
      ['__MACOSX/Attachments_1-2/Candidate_1/Public/._resume.pdf', false, 8, 4],
    ]);
    expect(entries[1]!.modified!.toISOString()).toBe('2024-05-06T07:08:10.000Z');
    const read = await readAll(archivePath);
    expect(read.get('Attachments_1-2/Candidate_1/Public/resume.pdf')!.equals(pdf)).toBe(true);
    expect(read.get('Attachments_1-2/Candidate_2/Miscellaneous/Référence_日本.pdf')!.equals(csv)).toBe(true);
    expect(unzipTest(archivePath)).toBe(0);
    const listing = execFileSync('unzip', ['-Z1', archivePath], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(entries.map((e) => e.name));
  });

  it('gives raw bytes as stored', async () => {
    const archive = await openZip(archivePath);
    for await (const entry of archive.entries()) {
      if (!entry.name.includes('Référence')) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await archive.openStream(entry, { raw: true })) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      expect(raw.length).toBe(entry.compressedSize);
      expect(inflateRawSync(raw).equals(csv)).toBe(true);
    }
    await archive.close();
  });

  it('reads CP437 names and unflagged UTF-8 names', async () => {
    const path = save(
      dir,
      'names.zip',
      rawZip([
        { name: Buffer.from([0x63, 0x82, 0x2e, 0x74, 0x78, 0x74]), data: csv },
        { name: Buffer.from('Résumé.pdf'), data: csv, deflate: true },
      ]),
    );
    const names: string[] = [];
    for await (const entry of readEntries(path)) names.push(entry.name);
    expect(names).toEqual(['cé.txt', 'Résumé.pdf']);
    expect(unzipTest(path)).toBe(0);
  });

  it('skips refused entries and reports them when asked to', async () => {
    let zip = await yazlZip([
      { name: 'good1.csv', data: csv },
      { name: 'qq/evil.csv', data: csv },
      { name: 'link', data: Buffer.from('x'), mode: 0o120777 },
      { name: 'good2.csv', data: csv },
      { name: 'GOOD1.csv', data: csv },
    ]);
    zip = rename(zip, 'qq/evil.csv', '../evil.csv');
    const path = save(dir, 'mixed.zip', zip);
    const archive = await openZip(path, { onRefused: 'skip' });
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    expect(names).toEqual(['good1.csv', 'good2.csv']);
    expect(archive.refused.map((e) => [e.code, e.entry])).toEqual([
      ['ZIP_UNSAFE_NAME', '../evil.csv'],
      ['ZIP_NOT_REGULAR', 'link'],
      ['ZIP_DUPLICATE_ENTRY', 'GOOD1.csv'],
    ]);
    await archive.close();
    const exact: string[] = [];
    for await (const entry of readEntries(path, { onRefused: 'skip', duplicateNames: 'exact' }))
      exact.push(entry.name);
    expect(exact).toEqual(['good1.csv', 'good2.csv', 'GOOD1.csv']);
  });

  it('leaves file names out of errors and notices with hideFileNames: folders, length and extension only', async () => {
    const person = 'Candidate_7/Public/Jane_Doe_CV.pdf';
    let zip = await yazlZip([
      { name: 'Candidate_7/Public/empty.txt', data: Buffer.alloc(0) },
      { name: 'Candidate_7/Private/Ødegård offer.pdf', data: csv },
      { name: 'qq/Candidate_7/Public/Jane_Doe_CV.pdf', data: csv },
      { name: person, data: csv },
    ]);
    zip = rename(zip, 'qq/Candidate_7/Public/Jane_Doe_CV.pdf', '../Candidate_7/Public/Jane_Doe_CV.pdf');
    const path = save(dir, 'hidden-names.zip', zip);
    const archive = await openZip(path, { onRefused: 'skip', hideFileNames: true });
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    // Entries keep their names; only what errors say changes.
    expect(names).toContain(person);
    expect(archive.refused.map((e) => [e.code, e.entry])).toEqual([
      ['ZIP_UNSAFE_NAME', '[file name of entry 3, 37 characters].pdf'],
    ]);
    for (const error of archive.refused) expect(error.message).not.toMatch(/Jane|Doe/);
    await archive.close();
    const plain = await openZip(path, { onRefused: 'skip' });
    for await (const _ of plain.entries());
    expect(plain.refused[0]?.entry).toBe('../Candidate_7/Public/Jane_Doe_CV.pdf');
    await plain.close();
    expect(hiddenFileName('Candidate_7/Private/Ødegård offer.pdf')).toBe(
      'Candidate_7/Private/[file name, 17 characters].pdf',
    );
  });

  it('finds a repeated name when the entries of a folder do not come together in the directory', async () => {
    const items = [
      { name: 'Candidate_1/Public/cv.pdf', data: csv },
      { name: 'Candidate_2/Public/cv.pdf', data: csv },
      { name: 'Candidate_1/Private/offer.pdf', data: csv },
      { name: 'Candidate_3/Public/cv.pdf', data: csv },
      { name: 'candidate_2/public/CV.pdf', data: csv },
      { name: 'Candidate_3/Public/cover.pdf', data: csv },
    ];
    const path = save(dir, 'interleaved.zip', await yazlZip(items));
    const archive = await openZip(path, { onRefused: 'skip' });
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    await archive.close();
    expect(names).toEqual(items.filter((_, i) => i !== 4).map((item) => item.name));
    expect(archive.refused.map((e) => [e.code, e.entry])).toEqual([
      ['ZIP_DUPLICATE_ENTRY', 'candidate_2/public/CV.pdf'],
    ]);
  });

  it('finds repeated names in candidate folders at the top, in any order of their kinds', async () => {
    const items = ['Public/cv.pdf', 'Private/empty.txt', 'Miscellaneous/note.pdf', 'public/CV.PDF'].flatMap(
      (file) => [{ name: `Candidate_9/${file}`, data: csv }],
    );
    items.push(
      { name: 'Candidate_10/Public/cv.pdf', data: csv },
      { name: 'Candidate_10/Private/empty.txt', data: csv },
    );
    items.push({ name: 'Candidate_10/private/Empty.txt', data: csv });
    const path = save(dir, 'top folders.zip', await yazlZip(items));
    const archive = await openZip(path, { onRefused: 'skip' });
    const names: string[] = [];
    for await (const entry of archive.entries()) names.push(entry.name);
    await archive.close();
    expect(archive.refused.map((e) => e.entry)).toEqual([
      'Candidate_9/public/CV.PDF',
      'Candidate_10/private/Empty.txt',
    ]);
    expect(names).toHaveLength(5);
  });

  it('keeps the first MAX_REFUSED_KEPT refusals and counts them all', async () => {
    const items = Array.from({ length: MAX_REFUSED_KEPT + 50 }, (_, i) => [
      { name: `f${i}.csv`, data: csv },
      { name: `F${i}.CSV`, data: csv },
    ]).flat();
    const path = save(dir, 'many-refused.zip', await yazlZip(items));
    const archive = await openZip(path, { onRefused: 'skip' });
    let yielded = 0;
    for await (const _ of archive.entries()) yielded += 1;
    await archive.close();
    expect(yielded).toBe(MAX_REFUSED_KEPT + 50);
    expect(archive.refusedCount).toBe(MAX_REFUSED_KEPT + 50);
    expect(archive.refused).toHaveLength(MAX_REFUSED_KEPT);
    expect(archive.refused.at(-1)?.entry).toBe(`F${MAX_REFUSED_KEPT - 1}.CSV`);
  });

  it('stops a walk when the archive signal aborts', async () => {
    const controller = new AbortController();
    const archive = await openZip(archivePath, { signal: controller.signal });
    const walk = archive.entries();
    expect((await walk.next()).value?.name).toBe('Attachments_1-2/');
    controller.abort();
    await expect(walk.next()).rejects.toMatchObject({ code: 'ZIP_ABORTED', archive: archivePath });
    await archive.close();
    await expect(openZip(archivePath, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ZIP_ABORTED',
    });
  });

  it('hands out entries in batches, the ones before a refusal that ends the walk first', async () => {
    const items = Array.from({ length: 600 }, (_, i) => ({ name: `f${i}.csv`, data: csv }));
    items.splice(300, 0, { name: 'F7.CSV', data: csv });
    const path = save(dir, 'batches.zip', await yazlZip(items));
    const archive = await openZip(path);
    const sizes: number[] = [];
    const names: string[] = [];
    const walk = async () => {
      for await (const batch of archive.entryBatches()) {
        sizes.push(batch.length);
        for (const entry of batch) names.push(entry.name);
      }
    };
    await expect(walk()).rejects.toMatchObject({ code: 'ZIP_DUPLICATE_ENTRY', entry: 'F7.CSV' });
    expect(names).toEqual(items.slice(0, 300).map((item) => item.name));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
    expect(() => archive.entries()).toThrow(expect.objectContaining({ code: 'ZIP_BAD_OPTION' }));
    await archive.close();
    const skipping = await openZip(path, { onRefused: 'skip' });
    const all: string[] = [];
    for await (const entry of skipping.entries()) all.push(entry.name);
    await skipping.close();
    expect(all).toEqual(items.filter((item) => item.name !== 'F7.CSV').map((item) => item.name));
  });

  it('walks entries once per open archive', async () => {
    const archive = await openZip(archivePath);
    archive.entries();
    expect(() => archive.entries()).toThrow(expect.objectContaining({ code: 'ZIP_BAD_OPTION' }));
    await archive.close();
  });

  it('stops a stream on abort and on close with coded errors', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 'abcdefgh');
    const path = save(dir, 'big.zip', await yazlZip([{ name: 'big.txt', data: big }]));
    const archive: ZipArchive = await openZip(path, { limits: { maxRatio: Infinity } });
    const { value: entry } = await archive.entries().next();
    const controller = new AbortController();
    const stream = await archive.openStream(entry!, { signal: controller.signal });
    const seen = (async () => {
      for await (const _ of stream) controller.abort();
    })();
    await expect(seen).rejects.toMatchObject({ code: 'ZIP_ABORTED', entry: 'big.txt' });
    const second = await archive.openStream(entry!);
    const closing = (async () => {
      for await (const _ of second) await archive.close();
    })();
    await expect(closing).rejects.toMatchObject({ code: 'ZIP_CLOSED' });
    await expect(archive.openStream(entry!)).rejects.toMatchObject({ code: 'ZIP_CLOSED' });
  });
  it('reads many entries at once under the archive signal, stopping them all when it aborts, with no leak warning', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 'abcdefgh');
    const items = Array.from({ length: 12 }, (_, i) => ({ name: `t${i}.csv`, data: big }));
    const path = save(dir, 'twelve.zip', await yazlZip(items));
    const controller = new AbortController();
    const archive = await openZip(path, { signal: controller.signal, limits: { maxRatio: Infinity } });
    const entries: ZipEntry[] = [];
    for await (const entry of archive.entries()) entries.push(entry);
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    try {
      const streams = await Promise.all(entries.map((entry) => archive.openStream(entry)));
      const firsts = await Promise.all(streams.map((stream) => stream[Symbol.asyncIterator]().next()));
      expect(firsts.every((first) => first.done === false)).toBe(true);
      controller.abort();
      const ends = await Promise.allSettled(streams.map((stream) => finished(stream)));
      expect(ends.map((end) => end.status === 'rejected' && (end.reason as ZipError).code)).toEqual(
        entries.map(() => 'ZIP_ABORTED'),
      );
      // Warnings are emitted a turn later.
      await new Promise((done) => setImmediate(done));
      expect(warnings.map((warning) => warning.name)).toEqual([]);
    } finally {
      process.off('warning', warned);
      await archive.close();
    }
  });
});

describe('more than 65,535 entries (zip64 end record)', () => {
  it('walks 70,000 entries and reads the last one', async () => {
    const items: RawItem[] = Array.from({ length: 70_000 }, (_, i) => ({
      name: Buffer.from(`Attachments_1-70000/Candidate_${i}/Public/empty.txt`),
      data: Buffer.alloc(0),
    }));
    items.push({ name: Buffer.from('last.csv'), data: csv, deflate: true });
    const path = save(dir, 'many.zip', rawZip(items));
    expect(unzipTest(path)).toBe(0);
    const archive = await openZip(path);
    expect(archive.entryCount).toBe(70_001);
    let count = 0;
    let last: ZipEntry | undefined;
    for await (const entry of archive.entries()) {
      count += 1;
      last = entry;
    }
    expect(count).toBe(70_001);
    const chunks: Buffer[] = [];
    for await (const chunk of entryChunks(archive, last!)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(csv)).toBe(true);
    await archive.close();
  });
});
