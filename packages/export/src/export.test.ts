import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { TABLE_NAMES } from '@talent-export/schema';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, tempDir, write, zipAgain } from './download.fixture.js';
import {
  type AttachmentRecord,
  type AttachmentSummary,
  ExportError,
  extractExport,
  openExport,
  type TalentExport,
} from './index.js';
import { openTableInto } from './internal.js';

const fixtures: Fixture[] = [];
const opened: TalentExport[] = [];
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
  for (const f of fixtures.splice(0)) f.cleanup();
});

function fixture(options: Parameters<typeof makeDownload>[0]): Fixture {
  const f = makeDownload(options);
  fixtures.push(f);
  return f;
}

async function open(path: string): Promise<TalentExport> {
  const ex = await openExport(path);
  opened.push(ex);
  return ex;
}

async function drain(
  it: AsyncGenerator<AttachmentRecord, AttachmentSummary>,
): Promise<{ records: AttachmentRecord[]; summary: AttachmentSummary }> {
  const records: AttachmentRecord[] = [];
  let step = await it.next();
  while (!step.done) {
    records.push(step.value);
    step = await it.next();
  }
  return { records, summary: step.value };
}

/** The records, the summary, and every problem: opening's, then the index's. */
async function index(ex: TalentExport, candidateIds?: Set<string>) {
  const { records, summary } = await drain(ex.indexAttachments(candidateIds ? { candidateIds } : {}));
  return { records, summary, problems: [...ex.problems, ...summary.problems] };
}

async function text(ex: TalentExport, table: (typeof TABLE_NAMES)[number]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await ex.openTable(table)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const codes = (ex: TalentExport) => ex.problems.map((p) => p.code);
const TWO_PARTS = {
  parts: [
    ['1', '2'],
    ['3', '4'],
  ],
};

describe('openExport: the three layouts', () => {
  it('download: finds export.csv, export.zip, both parts, the ten tables and every attachment', async () => {
    const f = fixture(TWO_PARTS);
    const ex = await open(f.dir);
    expect(ex.layout).toBe('download');
    expect(ex.parts.map((p) => [p.file, p.first, p.last])).toEqual([
      ['Attachment_1-2.zip', '1', '2'],
      ['Attachment_3-4.zip', '3', '4'],
    ]);
    expect(ex.manifest?.totalFiles).toBe(12);
    expect(Object.keys(ex.tables).sort()).toEqual([...TABLE_NAMES].sort());
    expect(ex.tables.candidates).toMatchObject({
      file: 'export.zip',
      entry: 'Contract_123456/Candidate.csv',
    });
    for (const table of TABLE_NAMES) expect(await text(ex, table)).toBe(f.csv[table]);
    const { records, summary } = await index(ex, new Set(['1', '2', '3', '4']));
    expect(records.map((r) => `${r.candidate_id}/${r.kind}/${r.file_name}@${r.part}`).sort()).toEqual([
      '1/public/resume_candidate1.pdf@Attachment_1-2.zip',
      '2/public/resume_candidate2.pdf@Attachment_1-2.zip',
      '3/public/resume_candidate3.pdf@Attachment_3-4.zip',
      '4/public/resume_candidate4.pdf@Attachment_3-4.zip',
    ]);
    const one = records.find((r) => r.candidate_id === '1')!;
    expect(one.entry).toBe('Attachments_1-2/Candidate_1/Public/resume_candidate1.pdf');
    const bytes = Buffer.from('%PDF-1.4 1 Public resume_candidate1.pdf\n'.repeat(3));
    expect(one.size).toBe(bytes.length);
    expect(one.crc32).toBe(crc32(bytes).toString(16).padStart(8, '0'));
    expect(summary).toMatchObject({ files: 4, markers: 8, candidates: 4 });
    // 4 candidates x 3 folders = 12, as in the guide: nothing to report.
    expect(ex.problems).toEqual([]);
    expect(summary.problems).toEqual([]);
  });

  it('a part with bytes after its end record is read whole, the oddity a notice naming the part', async () => {
    const f = fixture(TWO_PARTS);
    appendFileSync(join(f.dir, 'Attachment_3-4.zip'), Buffer.alloc(100, 0x20));
    const ex = await open(f.dir);
    const { summary, problems } = await index(ex);
    expect(summary).toMatchObject({ files: 4, markers: 8, candidates: 4 });
    const notices = problems.filter((p) => p.code === 'ZIP_NOTICE');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ severity: 'notice', file: 'Attachment_3-4.zip' });
    expect(notices[0]!.message).toMatch(/^ZIP_TRAILING_BYTES: /);
    expect(problems.filter((p) => p.severity === 'problem')).toEqual([]);
  });

  it('download moved into a folder of its own (beside macOS junk): the folder is entered', async () => {
    const f = fixture(TWO_PARTS);
    const inner = join(f.dir, 'Talent Hub export');
    mkdirSync(inner);
    for (const name of ['export.csv', 'export.zip', 'Attachment_1-2.zip', 'Attachment_3-4.zip']) {
      renameSync(join(f.dir, name), join(inner, name));
    }
    write(join(f.dir, '.DS_Store'), 'junk');
    write(join(f.dir, '__MACOSX', '._export.zip'), 'junk');
    const ex = await open(f.dir);
    expect([ex.root, ex.layout, ex.parts.length]).toEqual([inner, 'download', 2]);
    expect(ex.problems).toEqual([]);
  });

  it('download with the tables at the root of export.zip', async () => {
    const f = fixture({ ...TWO_PARTS, contract: false });
    const ex = await open(f.dir);
    expect(ex.tables.notes).toMatchObject({ entry: 'Notes.csv' });
    expect(await text(ex, 'notes')).toBe(f.csv.notes);
  });

  it('export-zip: a lone export.zip gives the tables, no parts, and a notice about what is beside it', async () => {
    const f = fixture(TWO_PARTS);
    const ex = await open(join(f.dir, 'export.zip'));
    expect(ex.layout).toBe('export-zip');
    expect(ex.parts).toEqual([]);
    expect(ex.manifest).toBeNull();
    expect(await text(ex, 'candidates')).toBe(f.csv.candidates);
    expect(codes(ex)).toEqual(['SIBLING_FILES_IGNORED']);
    expect((await index(ex)).summary.files).toBe(0);
  });

  it('export.csv inside export.zip (as the guide shows it) is read when none is beside it', async () => {
    const manifest =
      'Filename\tDownload Url\nexport.zip\thttps://x\nStatistics\t\nTotal Files\t12\nExported files\t12\n';
    const f = fixture({ ...TWO_PARTS, extraExportEntries: { 'export.csv': manifest } });
    rmSync(join(f.dir, 'export.csv'));
    const lone = await open(join(f.dir, 'export.zip'));
    expect(lone.manifest).toMatchObject({ file: 'export.zip:export.csv', totalFiles: 12 });
    expect((await index(lone)).problems.map((p) => p.code)).toEqual(['SIBLING_FILES_IGNORED']);
    const ex = await open(f.dir);
    expect(ex.manifest?.exportedFiles).toBe(12);
    expect((await index(ex)).problems.map((p) => p.code)).toEqual([
      'MANIFEST_UNLISTED_FILE',
      'MANIFEST_UNLISTED_FILE',
    ]);
  });

  it('stops when its signal is aborted', async () => {
    const f = fixture(TWO_PARTS);
    const ex = await open(f.dir);
    const controller = new AbortController();
    controller.abort();
    await expect(ex.indexAttachments({ signal: controller.signal }).next()).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(ex.verifyAttachments({ signal: controller.signal }).next()).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(openExport(f.dir, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('extracted: everything unzipped in place is found, with the same records (no CRC)', async () => {
    const f = fixture(TWO_PARTS);
    const out = join(f.dir, 'unzipped');
    for (const zip of ['export.zip', 'Attachment_1-2.zip', 'Attachment_3-4.zip']) {
      execFileSync('unzip', ['-q', join(f.dir, zip), '-d', out]);
    }
    renameSync(join(f.dir, 'export.csv'), join(out, 'export.csv'));
    const ex = await open(out);
    expect(ex.layout).toBe('extracted');
    expect(ex.parts.map((p) => [p.file, p.kind, p.first, p.last])).toEqual([
      ['Attachments_1-2', 'folder', '1', '2'],
      ['Attachments_3-4', 'folder', '3', '4'],
    ]);
    expect(ex.tables.candidates).toEqual({
      table: 'candidates',
      file: 'Contract_123456/Candidate.csv',
      bytes: Buffer.byteLength(f.csv.candidates!),
    });
    expect(await text(ex, 'candidates')).toBe(f.csv.candidates);
    const { records, summary } = await index(ex);
    // Folder parts are listed in name order, so records come sorted.
    expect(records[0]).toEqual({
      candidate_id: '1',
      kind: 'public',
      file_name: 'resume_candidate1.pdf',
      size: Buffer.byteLength('%PDF-1.4 1 Public resume_candidate1.pdf\n') * 3,
      crc32: null,
      part: 'Attachments_1-2',
      entry: 'Candidate_1/Public/resume_candidate1.pdf',
    });
    expect(summary).toMatchObject({ files: 4, markers: 8, candidates: 4 });
    const verified = await drain(ex.verifyAttachments());
    expect(verified.records).toEqual(records);
    expect(verified.summary.parts.map((p) => p.verifiedBytes)).toEqual(summary.parts.map((p) => p.bytes));
    expect([...ex.problems, ...summary.problems, ...verified.summary.problems]).toEqual([]);
  });

  it.each(['extracted', 'download'])(
    '%s: a table read into the buffers the caller gives, chunk by chunk, until aborted',
    async (layout) => {
      const f = fixture(TWO_PARTS);
      const out = join(f.dir, 'unzipped');
      execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
      const ex = await open(layout === 'extracted' ? out : f.dir);
      expect(ex.layout).toBe(layout);
      // Buffers of 7 bytes, each chunk in the next one handed out (a file fills several with one read).
      const handed: Uint8Array[] = [];
      const into = () => handed[handed.push(new Uint8Array(7)) - 1]!;
      const copies: Buffer[] = [];
      for await (const chunk of await openTableInto(ex, 'candidates', { readInto: into })) {
        expect((chunk as Uint8Array).buffer).toBe(handed[copies.length]!.buffer);
        copies.push(Buffer.from(chunk as Uint8Array));
      }
      expect(Buffer.concat(copies).toString('utf8')).toBe(f.csv.candidates);
      expect(copies.length).toBe(Math.ceil(Buffer.byteLength(f.csv.candidates!) / 7));
      const controller = new AbortController();
      const reading = (async () => {
        for await (const _ of await openTableInto(ex, 'candidates', {
          signal: controller.signal,
          readInto: () => new Uint8Array(5),
        }))
          controller.abort();
      })();
      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
      // The public openTable reads into buffers of its own, whatever it is given.
      const given = new Uint8Array(7);
      const options = { readInto: () => given } as Parameters<TalentExport['openTable']>[1];
      for await (const chunk of await ex.openTable('candidates', options))
        expect((chunk as Uint8Array).buffer).not.toBe(given.buffer);
    },
  );

  it('extracted with every candidate folder moved into one folder, and links not followed', async () => {
    const f = fixture(TWO_PARTS);
    const out = join(f.dir, 'all');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    for (const part of ['1-2', '3-4']) {
      execFileSync('unzip', ['-q', join(f.dir, `Attachment_${part}.zip`), '-d', join(f.dir, 'tmp')]);
    }
    mkdirSync(join(out, 'candidates'));
    for (const id of ['1', '2', '3', '4']) {
      const from = join(f.dir, 'tmp', `Attachments_${Number(id) <= 2 ? '1-2' : '3-4'}`, `Candidate_${id}`);
      renameSync(from, join(out, 'candidates', `Candidate_${id}`));
    }
    const outside = tempDir();
    write(join(outside, 'secret.pdf'), 'not part of the export');
    symlinkSync(join(outside, 'secret.pdf'), join(out, 'candidates', 'Candidate_1', 'Public', 'link.pdf'));
    symlinkSync(outside, join(out, 'elsewhere'));
    const ex = await open(out);
    expect(ex.parts.map((p) => p.file)).toEqual(['candidates']);
    const { records, problems } = await index(ex);
    expect(records.map((r) => r.file_name)).not.toContain('link.pdf');
    expect(records).toHaveLength(4);
    expect(problems.filter((p) => p.code === 'SYMLINK_IGNORED').map((p) => p.file)).toEqual([
      'elsewhere',
      'candidates',
    ]);
    expect(problems.find((p) => p.file === 'elsewhere')?.message).toBe(
      'elsewhere is a symbolic link and is not followed: what it points to is not read (links in an extracted export are never followed); if that is part of the export, put it there itself and run again',
    );
    expect(problems.find((p) => p.code === 'MANIFEST_MISSING')?.severity).toBe('notice');
    rmSync(outside, { recursive: true });
  });

  it('extracted with a file whose name is not UTF-8: that file is refused, every other one indexed', async () => {
    const f = fixture(TWO_PARTS);
    const out = join(f.dir, 'all');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    for (const part of ['1-2', '3-4'])
      execFileSync('unzip', ['-q', join(f.dir, `Attachment_${part}.zip`), '-d', out]);
    const folder = join(out, 'Attachments_1-2', 'Candidate_1', 'Private');
    // A name with an "é" in Latin-1, as a zip of another code page unzipped as is gives it.
    writeFileSync(
      Buffer.concat([Buffer.from(`${folder}/r`), Buffer.from([0xe9]), Buffer.from('sum.pdf')]),
      'x',
    );
    const ex = await open(out);
    const { records, problems } = await index(ex);
    expect(records).toHaveLength(4);
    const refused = problems.filter((p) => p.code === 'ENTRY_REFUSED');
    expect(refused.map((p) => p.entry)).toEqual(['Candidate_1/Private/[file name, 9 characters].pdf']);
    expect(refused[0]!.message).not.toContain('sum');
  });

  it('extracted with a named pipe where a file would be: refused by name, not dropped unsaid nor opened', async () => {
    const f = fixture(TWO_PARTS);
    const out = join(f.dir, 'all');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    for (const part of ['1-2', '3-4'])
      execFileSync('unzip', ['-q', join(f.dir, `Attachment_${part}.zip`), '-d', out]);
    execFileSync('mkfifo', [join(out, 'Attachments_1-2', 'Candidate_1', 'Public', 'cv.pdf')]);
    const ex = await open(out);
    const { records, problems } = await index(ex);
    expect(records).toHaveLength(4);
    const refused = problems.filter((p) => p.code === 'ENTRY_REFUSED');
    expect(refused.map((p) => p.entry)).toEqual(['Candidate_1/Public/[file name, 6 characters].pdf']);
    expect(refused[0]!.message).toMatch(/named pipe \(FIFO\), not a regular file/);
  });
});

describe('openExport: bad input', () => {
  it('a missing part is a problem by name, and the counts say what is missing', async () => {
    const f = fixture(TWO_PARTS);
    rmSync(join(f.dir, 'Attachment_3-4.zip'));
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.file])).toEqual([
      ['MANIFEST_MISSING_FILE', 'Attachment_3-4.zip'],
    ]);
    const { summary, problems } = await index(ex);
    expect(summary.files).toBe(2);
    expect(problems.map((p) => p.code)).toEqual([
      'MANIFEST_MISSING_FILE',
      'MANIFEST_TOTAL_FILES_DIFFER',
      'MANIFEST_EXPORTED_FILES_DIFFER',
    ]);
    // Opening's problems stay as they were: indexing returns what it found.
    expect(codes(ex)).toEqual(['MANIFEST_MISSING_FILE']);
    expect(problems[1]!.message).toContain('not counted: Attachment_3-4.zip');
  });

  it('an HTML page saved as a part: PART_UNREADABLE naming it, the other part is still indexed', async () => {
    const f = fixture(TWO_PARTS);
    writeFileSync(join(f.dir, 'Attachment_1-2.zip'), '<!DOCTYPE html><html><body>Sign in</body></html>');
    const ex = await open(f.dir);
    const { records, summary, problems } = await index(ex);
    expect(records.map((r) => r.candidate_id)).toEqual(['3', '4']);
    const unreadable = problems.find((p) => p.code === 'PART_UNREADABLE');
    expect(unreadable).toMatchObject({ severity: 'problem', refused: true, file: 'Attachment_1-2.zip' });
    expect(unreadable!.message).toContain('ZIP_NOT_A_ZIP');
    expect(summary.parts.map((p) => p.readable)).toEqual([false, true]);
  });

  it('an index left early closes the part it opened ahead: no descriptor is left open', async () => {
    const f = fixture(TWO_PARTS);
    const ex = await open(f.dir);
    const parts = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return basename(readlinkSync(`/proc/self/fd/${fd}`)).startsWith('Attachment_');
        } catch {
          return false;
        }
      }).length;
    const it = ex.indexAttachmentBatches();
    expect((await it.next()).done).toBe(false);
    // The first part is being read and the second was opened ahead.
    expect(parts()).toBe(2);
    await it.return(undefined as never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(parts()).toBe(0);
  });

  it('a truncated part is a problem naming it, its entries before the cut read', async () => {
    const f = fixture(TWO_PARTS);
    const part = join(f.dir, 'Attachment_3-4.zip');
    const size = Math.floor(readFileSync(part).length / 2);
    truncateSync(part, size);
    const ex = await open(f.dir);
    const { problems } = await index(ex);
    expect(problems.find((p) => p.code === 'PART_UNREADABLE')).toBeUndefined();
    const cut = problems.find((p) => p.code === 'PART_TRUNCATED')!;
    expect(cut.file).toBe('Attachment_3-4.zip');
    expect(cut.severity).toBe('problem');
    expect(cut.message).toContain(`the file is ${size} bytes`);
    expect(cut.message.match(/download it again/gi)).toHaveLength(1);
  });

  it('a table in export.zip twice in one folder is a problem naming both entries; unknown files are notices', async () => {
    const f = fixture({
      ...TWO_PARTS,
      extraExportEntries: { 'Contract_123456/Note.csv': 'x\n', 'readme.txt': 'hi' },
    });
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.severity, p.entry])).toEqual([
      // An unknown entry's name may be anyone's: shown by its folders, length and extension.
      ['UNKNOWN_FILE', 'notice', '[file name, 10 characters].txt'],
      ['TABLE_DUPLICATE', 'problem', 'Contract_123456/Note.csv'],
    ]);
    expect(ex.problems[1]!.message).toContain('Contract_123456/Note.csv and Contract_123456/Notes.csv');
    // The largest copy is read; the problem says the other is not.
    expect(ex.tables.notes?.entry).toBe('Contract_123456/Notes.csv');
    expect(ex.problems[1]!.message).toContain('only Contract_123456/Notes.csv, the largest, is read');
  });

  it("two contracts' folders in export.zip (as the guide shows it): every copy's rows are read as one table", async () => {
    const f = fixture(TWO_PARTS);
    const header = f.csv.notes!.split('\r\n')[0]!;
    // The second contract's table: a byte order mark, LF line ends, no line break after its last row.
    const second = `\ufeff${header}\n${header
      .split(',')
      .map((_, k) => (k === 0 ? '9' : ''))
      .join(',')}`;
    const third = `${header}\r\n${header
      .split(',')
      .map((_, k) => (k === 0 ? '10' : ''))
      .join(',')}\r\n`;
    const g = fixture({
      ...TWO_PARTS,
      extraExportEntries: { 'Contract_123456 2/Notes.csv': second, 'Contract_7/Notes.csv': third },
    });
    const ex = await open(g.dir);
    expect(ex.problems.map((p) => [p.code, p.severity])).toEqual([['TABLE_COPIES_UNITED', 'notice']]);
    expect(ex.problems[0]!.message).toContain(
      '3 times (Contract_7/Notes.csv and Contract_123456/Notes.csv and Contract_123456 2/Notes.csv)',
    );
    expect(ex.tables.notes).toMatchObject({
      entry: 'Contract_7/Notes.csv',
      bytes: Buffer.byteLength(second) + Buffer.byteLength(third) + Buffer.byteLength(f.csv.notes!),
      copies: [
        { file: 'export.zip', entry: 'Contract_123456/Notes.csv' },
        { file: 'export.zip', entry: 'Contract_123456 2/Notes.csv' },
      ],
    });
    const chunks: Buffer[] = [];
    for await (const chunk of await ex.openTable('notes')) chunks.push(Buffer.from(chunk as Uint8Array));
    const rows = header
      .split(',')
      .map((_, k) => (k === 0 ? '10' : ''))
      .join(',');
    expect(Buffer.concat(chunks).toString()).toBe(
      `${header}\r\n${rows}\r\n${f.csv.notes!.slice(header.length + 2)}${second.slice(header.length + 2)}`,
    );
    // Copies whose headers name other columns are no two contracts' tables: the largest is read, the other
    // said not to be (one lacking only columns not required is read with them: see older-copy.test.ts).
    const h = fixture({
      ...TWO_PARTS,
      extraExportEntries: { 'Contract_2/Notes.csv': 'note_id,mood\n1,x\n' },
    });
    const other = await open(h.dir);
    expect(other.problems.map((p) => p.code)).toEqual(['TABLE_DUPLICATE']);
    expect(other.tables.notes).toMatchObject({ entry: 'Contract_123456/Notes.csv' });
    expect(other.tables.notes?.copies).toBeUndefined();
  });

  it("two contracts' copies whose headers name the same columns in another order: read as one table by the names", async () => {
    const f = fixture(TWO_PARTS);
    const header = f.csv.notes!.split('\r\n')[0]!.split(',');
    // Saved by a spreadsheet: a byte order mark, every cell quoted, the columns in reverse order.
    const cells = (names: string[]) =>
      names.map((name) => (name === 'note_id' ? '"9"' : name === 'content' ? '"a, ""b"""' : '""')).join(',');
    const names = [...header].reverse();
    const second = `\ufeff${names.map((n) => `"${n}"`).join(',')}\r\n${cells(names)}\r\n`;
    const g = fixture({ ...TWO_PARTS, extraExportEntries: { 'Contract_123456 2/Notes.csv': second } });
    const ex = await open(g.dir);
    expect(ex.problems.map((p) => [p.code, p.severity])).toEqual([['TABLE_COPIES_UNITED', 'notice']]);
    expect(ex.problems[0]!.message).toContain(
      "their headers naming the same columns (Contract_123456 2/Notes.csv in another order or spelling, its rows read by the columns' names)",
    );
    const chunks: Buffer[] = [];
    for await (const chunk of await ex.openTable('notes')) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe(`${f.csv.notes!}${cells(header)}\r\n`);
  });

  it("two contracts' copies, one with a spreadsheet's sep=, line above its header: read as one table", async () => {
    const f = fixture(TWO_PARTS);
    const header = f.csv.notes!.split('\r\n')[0]!;
    const row = header
      .split(',')
      .map((_, k) => (k === 0 ? '9' : ''))
      .join(',');
    const g = fixture({
      ...TWO_PARTS,
      extraExportEntries: { 'Contract_123456 2/Notes.csv': `sep=,\r\n${header}\r\n${row}\r\n` },
    });
    const ex = await open(g.dir);
    expect(ex.problems.map((p) => [p.code, p.severity])).toEqual([['TABLE_COPIES_UNITED', 'notice']]);
    expect(ex.problems[0]!.message).toContain('their headers alike');
    const chunks: Buffer[] = [];
    for await (const chunk of await ex.openTable('notes')) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe(`${f.csv.notes!}${row}\r\n`);
  });

  it('reads an export.csv saved as UTF-16 by a spreadsheet, and shows binary junk in one safe line', async () => {
    const f = fixture(TWO_PARTS);
    const text = readFileSync(join(f.dir, 'export.csv'), 'utf8');
    writeFileSync(join(f.dir, 'export.csv'), Buffer.from(`\uFEFF${text}`, 'utf16le'));
    let ex = await open(f.dir);
    expect(ex.manifest?.totalFiles).toBe(f.totalFiles);
    expect(ex.manifest?.files.map((m) => m.name)).toEqual([
      'export.zip',
      'Attachment_1-2.zip',
      'Attachment_3-4.zip',
    ]);
    expect(ex.problems).toEqual([]);
    const be = Buffer.from(`\uFEFF${text}`, 'utf16le').swap16();
    writeFileSync(join(f.dir, 'export.csv'), be);
    ex = await open(f.dir);
    expect(ex.manifest?.totalFiles).toBe(f.totalFiles);
    writeFileSync(
      join(f.dir, 'export.csv'),
      Buffer.from([0x01, 0x00, 0x9b, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0x0a]),
    );
    ex = await open(f.dir);
    // Nothing of it is a manifest's: one problem, naming none of its bytes.
    const junk = ex.problems.filter(
      (p) => p.code.startsWith('MANIFEST_') && p.code !== 'MANIFEST_UNLISTED_FILE',
    );
    expect(junk.map((p) => [p.code, p.message])).toEqual([
      [
        'MANIFEST_UNREADABLE',
        'export.csv holds no file list and no Statistics rows: it is not the export.csv Talent Hub writes (an empty file, or a web page saved in its place); download it again',
      ],
    ]);
  });

  it('a row of export.csv that is not understood is not shown: it may hold a live download link', async () => {
    const f = fixture(TWO_PARTS);
    const link = 'https://www.linkedin-ei.com/ambry/?x-li-ambry-ep=LIVE-TOKEN';
    writeFileSync(
      join(f.dir, 'export.csv'),
      `${readFileSync(join(f.dir, 'export.csv'), 'utf8')}Export_old.zip\t${link}\n`,
    );
    const ex = await open(f.dir);
    const rows = ex.problems.filter((p) => p.code === 'MANIFEST_UNKNOWN_ROW');
    expect(rows.map((p) => p.message)).toEqual([
      expect.stringMatching(/^export\.csv line \d+: a row of 2 cell\(s\) is neither/),
    ]);
    expect(JSON.stringify(ex.problems)).not.toContain('LIVE-TOKEN');
  });

  it('an export extracted twice (Contract_123456 2 beside Contract_123456) reads the tables once, saying so', async () => {
    const f = fixture(TWO_PARTS);
    const twice = join(f.dir, 'twice');
    mkdirSync(twice);
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', join(twice, 'export')]);
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', join(twice, 'copy')]);
    renameSync(join(twice, 'copy', 'Contract_123456'), join(twice, 'export', 'Contract_123456 2'));
    rmSync(join(twice, 'copy'), { recursive: true });
    execFileSync('zip', ['-q', '-r', '-X', join(twice, 'export.zip'), '.'], { cwd: join(twice, 'export') });
    for (const path of [join(twice, 'export.zip'), join(twice, 'export')]) {
      const ex = await open(path);
      // One notice, not a problem per table: nothing is wrong with what is read.
      expect(ex.problems.filter((p) => p.code === 'TABLE_DUPLICATE')).toEqual([]);
      const alike = ex.problems.filter((p) => p.code === 'TABLE_COPIES_IDENTICAL');
      expect(alike.map((p) => [p.severity, p.message])).toEqual([
        [
          'notice',
          expect.stringMatching(
            /^(?:export\.zip|the export folder) holds all ten tables more than once \(an export unpacked twice\?\), the copies alike byte for byte: in Contract_123456 2\/ and Contract_123456\/, read from Contract_123456\/\. The other copies are not read and can be deleted$/,
          ),
        ],
      ]);
      expect(ex.tables.candidates).toMatchObject({ bytes: f.csv.candidates!.length });
      const chunks: Buffer[] = [];
      for await (const chunk of await ex.openTable('candidates')) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe(f.csv.candidates);
    }
    // Copies that differ, each in a folder of its own (two contracts): the rows of both are read, as one
    // table; the nine alike are still one notice.
    const header = f.csv.notes!.split('\r\n')[0]!;
    const row = header
      .split(',')
      .map((_, k) => (k === 0 ? '9' : ''))
      .join(',');
    write(join(twice, 'export', 'Contract_123456 2', 'Notes.csv'), `${header}\r\n${row}\r\n`);
    const ex = await open(join(twice, 'export'));
    expect(ex.tables.notes).toMatchObject({
      file: 'Contract_123456/Notes.csv',
      copies: [{ file: 'Contract_123456 2/Notes.csv' }],
    });
    expect(ex.problems.filter((p) => p.code === 'TABLE_DUPLICATE')).toEqual([]);
    const united = ex.problems.filter((p) => p.code === 'TABLE_COPIES_UNITED');
    expect(united.map((p) => p.message)).toEqual([
      `the notes table is in the export folder 2 times (Contract_123456/Notes.csv and Contract_123456 2/Notes.csv), each in a contract's folder of its own, and the copies differ (${f.csv.notes!.length} bytes and ${header.length + row.length + 4} bytes), their headers alike: the rows of every copy are read as one table, the copies in the order named; a rejected row is named by its copy and its line there`,
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of await ex.openTable('notes')) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe(`${f.csv.notes!}${row}\r\n`);
    const alike = ex.problems.filter((p) => p.code === 'TABLE_COPIES_IDENTICAL');
    expect(alike.map((p) => p.message)).toEqual([expect.stringMatching(/holds 9 tables more than once/)]);
  });

  it('a table whose entry is refused is said to be there but refused, not missing (encrypted Notes.csv)', async () => {
    const f = fixture({ ...TWO_PARTS, omitTables: ['Notes.csv'] });
    const work = tempDir();
    write(join(work, 'Contract_123456', 'Notes.csv'), f.csv.notes!);
    execFileSync(
      'zip',
      ['-q', '-X', '-P', 'secret', join(f.dir, 'export.zip'), 'Contract_123456/Notes.csv'],
      {
        cwd: work,
      },
    );
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.entry ?? p.table])).toEqual([
      ['ENTRY_REFUSED', 'Contract_123456/Notes.csv'],
      ['TABLE_MISSING', 'notes'],
    ]);
    expect(ex.problems[1]!.message).toBe(
      'the notes table (e.g. Notes.csv) is in export.zip but its entry was refused (ENTRY_REFUSED says why)',
    );
    rmSync(work, { recursive: true });
  });

  it('a table file holding only a BOM and line breaks (an empty sheet saved) is a table not there', async () => {
    const f = fixture({ ...TWO_PARTS, omitTables: ['Notes.csv', 'Feedbacks.csv'] });
    const work = tempDir();
    write(join(work, 'Contract_123456', 'Notes.csv'), '\ufeff\r\n\r\n');
    write(join(work, 'Contract_123456', 'Feedbacks.csv'), '\n');
    execFileSync(
      'zip',
      ['-q', '-X', join(f.dir, 'export.zip'), 'Contract_123456/Notes.csv', 'Contract_123456/Feedbacks.csv'],
      {
        cwd: work,
      },
    );
    const missing = (ex: TalentExport) =>
      ex.problems
        .filter((p) => p.code === 'TABLE_MISSING')
        .map((p) => [p.table, p.message.split(', which ')[1]]);
    const download = await open(f.dir);
    expect(missing(download)).toEqual([
      ['feedbacks', 'is empty (no header, no rows)'],
      ['notes', 'is empty (no header, no rows)'],
    ]);
    expect(download.tables.notes).toBeUndefined();
    expect(download.tables.candidates).toBeDefined();
    // Extracted, with a header-only table beside them: that one is a table of no rows.
    const out = join(work, 'extracted');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    write(join(out, 'Contract_123456', 'Scorecards.csv'), '\ufeffscorecard_id,candidate_id\r\n');
    const extracted = await open(out);
    expect(missing(extracted).map(([table]) => table)).toEqual(['feedbacks', 'notes']);
    expect(extracted.tables.scorecards).toBeDefined();
    rmSync(work, { recursive: true });
  });

  it("a table file holding only a spreadsheet's sep=, line, blank rows or a Ctrl-Z is a table not there too", async () => {
    const blanks: Record<string, string> = {
      'Notes.csv': 'sep=,\r\n',
      'Feedbacks.csv': `\ufeffsep=,\r\n${',,,,,,,,,,\r\n'.repeat(40)}\u001a`,
      'Scorecards.csv': ' , ,\t\n\n',
      'Messages.csv': '\u001a',
    };
    const f = fixture({ ...TWO_PARTS, omitTables: Object.keys(blanks) });
    const work = tempDir();
    for (const [name, text] of Object.entries(blanks)) write(join(work, 'Contract_123456', name), text);
    execFileSync(
      'zip',
      ['-q', '-X', join(f.dir, 'export.zip'), ...Object.keys(blanks).map((n) => `Contract_123456/${n}`)],
      {
        cwd: work,
      },
    );
    const missing = (ex: TalentExport) =>
      ex.problems
        .filter((p) => p.code === 'TABLE_MISSING')
        .map((p) => [p.table, p.message.split(', which ')[1]]);
    const want = ['feedbacks', 'messages', 'notes', 'scorecards'].map((t) => [
      t,
      'is empty (no header, no rows)',
    ]);
    const download = await open(f.dir);
    expect(missing(download)).toEqual(want);
    const out = join(work, 'extracted');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    expect(missing(await open(out))).toEqual(want);
    // A sep=, line above a header, or a table of one column a Ctrl-Z ends, is a table.
    write(join(out, 'Contract_123456', 'Notes.csv'), 'sep=,\r\nnote_id\r\n');
    write(join(out, 'Contract_123456', 'Messages.csv'), 'x\u001a');
    expect(missing(await open(out)).map(([table]) => table)).toEqual(['feedbacks', 'scorecards']);
    rmSync(work, { recursive: true });
  });

  it('a missing table with a file named like it (a copy, a workbook, a text file) names that file and what to do', async () => {
    const f = fixture({ ...TWO_PARTS, omitTables: ['Notes.csv', 'Feedbacks.csv', 'Scorecards.csv'] });
    const work = tempDir();
    write(join(work, 'Contract_123456', 'Notes (1).csv'), f.csv.notes!);
    write(join(work, 'Contract_123456', 'Feedbacks.xlsx'), 'PK');
    write(join(work, 'Contract_123456', 'scorecards.csv.txt'), 'x');
    write(join(work, 'Contract_123456', 'Ann Smith.csv'), 'x');
    execFileSync('zip', ['-q', '-X', '-r', join(f.dir, 'export.zip'), 'Contract_123456'], { cwd: work });
    const missing = (ex: TalentExport) =>
      ex.problems.filter((p) => p.code === 'TABLE_MISSING').map((p) => p.message.split('; ')[1]);
    const said = [
      'Feedbacks.xlsx is named like it, but is a spreadsheet\'s own format, not CSV: open it and save it as "CSV UTF-8" named Feedbacks.csv, and run again',
      'Notes (1).csv is named like it, as a copy is: if it holds the table, name it Notes.csv and run again',
      'scorecards.csv.txt is named like it: if it holds the table, name it scorecards.csv (if a spreadsheet saved it as text, save it as "CSV UTF-8" instead), and run again',
    ];
    expect(missing(await open(f.dir))).toEqual(said);
    // Unzipped by hand into a folder: the same.
    const out = join(work, 'extracted');
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', out]);
    expect(missing(await open(out))).toEqual(said);
    rmSync(work, { recursive: true });
  });

  it('a missing table, a missing export.zip, a browser copy and unknown files', async () => {
    const f = fixture({ ...TWO_PARTS, omitTables: ['Scorecards.csv'] });
    expect(codes(await open(f.dir))).toEqual(['TABLE_MISSING']);
    renameSync(join(f.dir, 'Attachment_1-2.zip'), join(f.dir, 'Attachment_1-2 (1).zip'));
    writeFileSync(join(f.dir, 'Attachment_3-4 (1).zip'), 'a second copy');
    writeFileSync(join(f.dir, 'notes.docx'), 'mine');
    rmSync(join(f.dir, 'export.zip'));
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.file])).toEqual([
      ['DUPLICATE_DOWNLOAD', 'Attachment_3-4 (1).zip'],
      ['UNKNOWN_FILE', 'notes.docx'],
      ['MANIFEST_MISSING_FILE', 'export.zip'],
    ]);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2 (1).zip', 'Attachment_3-4.zip']);
    expect(ex.tables).toEqual({});
    const { summary } = await index(ex);
    expect(summary.files).toBe(4);
  });

  it('an unfinished browser download of a part is a problem, a leftover one beside the part is not', async () => {
    const f = fixture(TWO_PARTS);
    rmSync(join(f.dir, 'export.csv'));
    renameSync(join(f.dir, 'Attachment_3-4.zip'), join(f.dir, 'Attachment_3-4.zip.crdownload'));
    writeFileSync(join(f.dir, 'Attachment_1-2.zip.part'), 'a leftover');
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.severity, p.file])).toEqual([
      ['UNKNOWN_FILE', 'notice', 'Attachment_1-2.zip.part'],
      ['DOWNLOAD_INCOMPLETE', 'problem', 'Attachment_3-4.zip.crdownload'],
      ['MANIFEST_MISSING', 'notice', undefined],
    ]);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip']);
    // Nothing finished but export.csv: each unfinished file is told as such.
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    renameSync(join(f.dir, 'export.zip'), join(f.dir, 'export.zip.part'));
    writeFileSync(join(f.dir, 'export.csv'), 'Filename,Download Url\nexport.zip,https://x/1\n');
    const none = await open(f.dir);
    expect(none.problems.filter((p) => p.code === 'DOWNLOAD_INCOMPLETE').map((p) => p.file)).toEqual([
      'Attachment_1-2.zip.part',
      'Attachment_3-4.zip.crdownload',
      'export.zip.part',
    ]);
  });

  it('parts moved into folders beside export.zip are read from there; one export.csv does not list, not', async () => {
    const f = fixture(TWO_PARTS);
    mkdirSync(join(f.dir, 'attachments'));
    for (const part of ['Attachment_1-2.zip', 'Attachment_3-4.zip'])
      renameSync(join(f.dir, part), join(f.dir, 'attachments', part));
    const ex = await open(f.dir);
    expect(ex.problems).toEqual([]);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect((await index(ex)).summary.files).toBe(4);
    // Each day's downloads in a folder of their own: the parts export.csv lists are read from both.
    mkdirSync(join(f.dir, 'day 2'));
    renameSync(join(f.dir, 'attachments', 'Attachment_3-4.zip'), join(f.dir, 'day 2', 'Attachment_3-4.zip'));
    const two = await open(f.dir);
    expect(two.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(two.problems).toEqual([]);
    expect((await index(two)).summary.files).toBe(4);
    // A part export.csv does not list, in a folder apart (an older download's): not read.
    mkdirSync(join(f.dir, 'older'));
    copyFileSync(join(f.dir, 'day 2', 'Attachment_3-4.zip'), join(f.dir, 'older', 'Attachment_5-6.zip'));
    const older = await open(f.dir);
    expect(older.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(older.problems.map((p) => [p.code, p.file])).toEqual([
      ['PART_OF_ANOTHER_EXPORT', 'older/Attachment_5-6.zip'],
    ]);
    // The same part in two folders: a copy, or another export's; neither folder is read from.
    copyFileSync(join(f.dir, 'day 2', 'Attachment_3-4.zip'), join(f.dir, 'older', 'Attachment_3-4.zip'));
    const twice = await open(f.dir);
    expect(twice.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip']);
    expect(twice.problems.map((p) => p.code)).toContain('MANIFEST_MISSING_FILE');
    // One folder, but with an export.csv of its own: another download.
    renameSync(join(f.dir, 'day 2', 'Attachment_3-4.zip'), join(f.dir, 'attachments', 'Attachment_3-4.zip'));
    rmSync(join(f.dir, 'day 2'), { recursive: true });
    rmSync(join(f.dir, 'older'), { recursive: true });
    writeFileSync(join(f.dir, 'attachments', 'export.csv'), 'Filename,Download Url\n');
    expect((await open(f.dir)).parts).toEqual([]);
  });

  it('a part unzipped beside export.zip, its zip not kept, is read as that part', async () => {
    const f = fixture(TWO_PARTS);
    execFileSync('unzip', ['-q', join(f.dir, 'Attachment_1-2.zip'), '-d', f.dir]);
    rmSync(join(f.dir, 'Attachment_1-2.zip'));
    const ex = await open(f.dir);
    expect(ex.problems).toEqual([]);
    expect(ex.parts.map((p) => [p.file, p.kind])).toEqual([
      ['Attachments_1-2', 'folder'],
      ['Attachment_3-4.zip', 'zip'],
    ]);
    const { summary, problems } = await index(ex);
    expect(problems).toEqual([]);
    expect(summary.files).toBe(4);
  });

  it('a download with no attachment part tells no candidate as without a folder', async () => {
    const f = fixture({ parts: [] });
    const ex = await open(f.dir);
    const { summary, problems } = await index(ex, new Set(['1', '2']));
    expect(summary.candidatesWithoutAttachments).toEqual([]);
    expect(problems.map((p) => p.code)).not.toContain('CANDIDATE_NO_ATTACHMENTS');
    // With a part, a candidate it lacks is told.
    const g = fixture({ parts: [['1']] });
    const { problems: told } = await index(await open(g.dir), new Set(['1', '2']));
    expect(told.map((p) => p.code)).toContain('CANDIDATE_NO_ATTACHMENTS');
  });

  it('a part holding candidates outside its name, orphans both ways', async () => {
    const f = fixture({ parts: [['1', '2', '7']] });
    renameSync(join(f.dir, 'Attachment_1-7.zip'), join(f.dir, 'Attachment_1-5.zip'));
    const ex = await open(f.dir);
    const { summary, problems } = await index(ex, new Set(['1', '2', '3']));
    expect(summary.candidatesUnknown).toEqual(['7']);
    expect(summary.candidatesWithoutAttachments).toEqual(['3']);
    expect(problems.map((p) => p.code)).toEqual([
      'MANIFEST_MISSING_FILE',
      'MANIFEST_UNLISTED_FILE',
      'PART_RANGE_MISMATCH',
      'ATTACHMENT_CANDIDATE_UNKNOWN',
      'CANDIDATE_NO_ATTACHMENTS',
    ]);
  });

  it('an unsafe entry name in a part is refused, reported, and the rest indexed', async () => {
    const f = fixture({
      parts: [['1', '2']],
      files: (id) => ({ Public: id === '1' ? ['xx/evil.pdf'] : ['cv.pdf'] }),
    });
    const part = join(f.dir, 'Attachment_1-2.zip');
    // Same length, so the zip stays well formed: Candidate_1/Public/xx/evil.pdf -> Candidate_1/Public/../evil.pdf
    const bytes = readFileSync(part);
    const from = Buffer.from('Public/xx/');
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1))
      bytes.write('Public/../', at);
    writeFileSync(part, bytes);
    const ex = await open(f.dir);
    const { records, problems } = await index(ex);
    expect(records.map((r) => r.entry)).toEqual(['Attachments_1-2/Candidate_2/Public/cv.pdf']);
    const refused = problems.filter((p) => p.code === 'ENTRY_REFUSED');
    // The file and the folder entry Info-ZIP wrote for it.
    expect(refused.map((p) => [p.severity, p.file])).toEqual([
      ['problem', 'Attachment_1-2.zip'],
      ['problem', 'Attachment_1-2.zip'],
    ]);
    expect(refused.map((p) => p.entry).sort()).toEqual([
      'Attachments_1-2/Candidate_1/Public/[file name of entry 14, 11 characters].pdf',
      'Attachments_1-2/Candidate_1/Public/[folder name of entry 13, 2 characters]/',
    ]);
  });

  it('no export at all, or no such path, is a coded ExportError', async () => {
    const empty = tempDir();
    write(join(empty, 'holiday.jpg'), 'x');
    await expect(openExport(empty)).rejects.toMatchObject({ code: 'EXPORT_UNRECOGNIZED' });
    await expect(openExport(join(empty, 'nope'))).rejects.toBeInstanceOf(ExportError);
    await expect(openExport(join(empty, 'nope'))).rejects.toMatchObject({ code: 'EXPORT_NOT_FOUND' });
    write(join(empty, 'export.zip'), '<html>expired link</html>');
    await expect(openExport(join(empty, 'export.zip'))).rejects.toMatchObject({ code: 'EXPORT_UNREADABLE' });
    const ex = await open(empty);
    expect(ex.problems.map((p) => p.code)).toEqual([
      'UNKNOWN_FILE',
      'EXPORT_ZIP_UNREADABLE',
      'MANIFEST_MISSING',
    ]);
    rmSync(empty, { recursive: true });
  });
  it('a folder named like a part is said to be a folder, not the zip', async () => {
    const { dir } = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    // The second part unpacked where the download was.
    rmSync(join(dir, 'Attachment_3-4.zip'));
    mkdirSync(join(dir, 'Attachment_3-4.zip'));
    const ex = await open(dir);
    const notices = ex.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(notices).toEqual([
      'Attachment_3-4.zip/ is a folder, not the zip file of that name, and is ignored; put the Attachment_3-4.zip file as downloaded in its place',
    ]);
    // A folder named export.csv is not said to be a zip.
    rmSync(join(dir, 'export.csv'));
    mkdirSync(join(dir, 'export.csv'));
    const again = await open(dir);
    expect(again.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message)).toContain(
      'export.csv/ is a folder, not the file of that name, and is ignored; put the export.csv file as downloaded in its place',
    );
  });

  it('a folder named like a part that holds the part unzipped is read as it, not told missing', async () => {
    const f = fixture(TWO_PARTS);
    // Unzipped into a folder of the zip's own name, as ChromeOS's Files app and some unzip tools name it.
    const part = readFileSync(join(f.dir, 'Attachment_3-4.zip'));
    rmSync(join(f.dir, 'Attachment_3-4.zip'));
    write(join(f.dir, '.src.zip'), part);
    execFileSync('unzip', ['-q', join(f.dir, '.src.zip'), '-d', join(f.dir, 'Attachment_3-4.zip')]);
    rmSync(join(f.dir, '.src.zip'));
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip/Attachments_3-4']);
    const { summary, problems } = await index(ex);
    expect([summary.files, summary.markers]).toEqual([f.files, f.markers]);
    expect([...ex.problems, ...problems]).toEqual([]);
    // Its candidate folders moved up, out of Attachments_3-4/: the folder's name gives the range.
    const folder = join(f.dir, 'Attachment_3-4.zip');
    for (const id of ['3', '4'])
      renameSync(join(folder, 'Attachments_3-4', `Candidate_${id}`), join(folder, `Candidate_${id}`));
    rmSync(join(folder, 'Attachments_3-4'), { recursive: true });
    const flat = await open(f.dir);
    expect(flat.parts.map((p) => [p.file, p.first, p.last])).toEqual([
      ['Attachment_1-2.zip', '1', '2'],
      ['Attachment_3-4.zip', '3', '4'],
    ]);
    const read = await index(flat);
    expect(read.summary.files).toBe(f.files);
    expect([...flat.problems, ...read.problems]).toEqual([]);
    // The zip itself in it, moved into a folder made of its name.
    rmSync(folder, { recursive: true });
    mkdirSync(folder);
    write(join(folder, 'Attachment_3-4.zip'), part);
    const held = await open(f.dir);
    expect(held.parts.map((p) => p.path)).toEqual([
      join(f.dir, 'Attachment_1-2.zip'),
      join(folder, 'Attachment_3-4.zip'),
    ]);
    const inFolder = await index(held);
    expect(inFolder.summary.files).toBe(f.files);
    expect([...held.problems, ...inFolder.problems]).toEqual([]);
  });

  it('an empty zip in place of a part is unreadable for index, verify and extract, and its range is missing', async () => {
    const { dir } = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    writeFileSync(join(dir, 'Attachment_3-4.zip'), end);
    const message =
      'Attachment_3-4.zip holds no candidate folder at all, no attachment and no empty.txt marker: it is not the part Talent Hub wrote (candidates 3 to 4); download it again';
    const { summary, problems } = await index(await open(dir));
    expect(problems.filter((p) => p.code === 'PART_UNREADABLE').map((p) => p.message)).toEqual([message]);
    expect(summary.parts.map((p) => p.readable)).toEqual([true, false]);
    const verified = await drain((await open(dir)).verifyAttachments());
    expect(
      verified.summary.problems.filter((p) => p.code === 'PART_UNREADABLE').map((p) => p.message),
    ).toEqual([message]);
    const ex = await open(dir);
    const result = await extractExport(ex, { out: join(tempDir('talent-export-empty-part-'), 'out') });
    expect(result.problems.filter((p) => p.code === 'PART_UNREADABLE').map((p) => p.message)).toEqual([
      message,
    ]);
    // Its candidate folders there, but empty (every file deleted, empty.txt too, and zipped again): said so.
    const emptied = tempDir();
    for (const id of ['3', '4'])
      mkdirSync(join(emptied, 'Attachments_3-4', `Candidate_${id}`, 'Public'), { recursive: true });
    rmSync(join(dir, 'Attachment_3-4.zip'));
    execFileSync('zip', ['-q', '-r', join(dir, 'Attachment_3-4.zip'), 'Attachments_3-4'], { cwd: emptied });
    const folders =
      'Attachment_3-4.zip holds candidate folders but no file in them, not even the empty.txt markers Talent Hub writes where a candidate has no file: it is not the part Talent Hub wrote (candidates 3 to 4) but one emptied, or zipped again without its files; download it again';
    const again = await index(await open(dir));
    expect(again.problems.filter((p) => p.code === 'PART_UNREADABLE').map((p) => p.message)).toEqual([
      folders,
    ]);
    const checked = await drain((await open(dir)).verifyAttachments());
    expect(
      checked.summary.problems.filter((p) => p.code === 'PART_UNREADABLE').map((p) => p.message),
    ).toEqual([folders]);
    const out = join(tempDir('talent-export-emptied-part-'), 'out');
    const written = await extractExport(await open(dir), { out });
    expect(written.problems.filter((p) => p.code === 'PART_UNREADABLE').map((p) => p.message)).toEqual([
      folders,
    ]);
  });

  it('a named pipe named like a part is said to be no file, and is not read', async () => {
    const { dir } = fixture({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    rmSync(join(dir, 'Attachment_3-4.zip'));
    execFileSync('mkfifo', [join(dir, 'Attachment_3-4.zip')]);
    const ex = await open(dir);
    const notices = ex.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(notices).toEqual([
      'Attachment_3-4.zip is not a file (a named pipe, socket or device) and is not read; put the Attachment_3-4.zip file as downloaded in its place',
    ]);
  });

  it('folders made by unzipping export.zip and a part beside the zips are said to be that', async () => {
    const { dir } = fixture({ parts: [['1', '2']] });
    write(join(dir, 'Attachment_1-2', 'Attachments_1-2', 'Candidate_1', 'Public', 'empty.txt'), '');
    write(join(dir, 'export', 'Contract_1', 'Candidate.csv'), 'candidate_id\n1\n');
    write(join(dir, 'holiday', 'photo.jpg'), 'x');
    const ex = await open(dir);
    const notices = ex.problems.filter((p) => p.code === 'UNKNOWN_FILE').map((p) => p.message);
    expect(notices.sort()).toEqual([
      'Attachment_1-2/ looks like Attachment_1-2.zip unzipped, and is ignored (the zips are read)',
      'holiday/ is not part of a Talent Hub download and is ignored (the zips are read)',
    ]);
    // export.zip's tables unzipped are compared with its entries: this one differs.
    const differ = ex.problems.filter((p) => p.code === 'TABLE_COPY_DIFFERS').map((p) => p.message);
    expect(differ).toEqual([
      expect.stringMatching(
        /^export\/Contract_1\/Candidate\.csv beside export\.zip is the candidates table too, and differs from export\.zip's Contract_123456\/Candidate\.csv \(15 and \d+ bytes\): export\.zip's is read\./,
      ),
    ]);
  });

  it('a table CSV or another file given as the export says what to give instead', async () => {
    const dir = tempDir();
    write(join(dir, 'Candidate.csv'), 'candidate_id\n1\n');
    write(join(dir, 'notes.txt'), 'hello');
    const message = (file: string) =>
      openExport(join(dir, file)).then(
        () => '',
        (e: ExportError) => `${e.code}: ${e.message}`,
      );
    expect(await message('Candidate.csv')).toMatch(
      /^EXPORT_UNREADABLE: Candidate.csv is the candidates table of an export, not the export: give the export's folder/,
    );
    expect(await message('notes.txt')).toMatch(
      /^EXPORT_UNREADABLE: notes.txt is not a zip archive: give the export's folder/,
    );
    rmSync(dir, { recursive: true });
  });

  it('a zip of the whole download (download.zip) given as the export says to unzip it, whatever zipped it', async (context) => {
    const f = fixture(TWO_PARTS);
    const out = tempDir();
    // Info-ZIP with the files at the root, bsdtar with them in the download's folder (as Finder zips one).
    execFileSync('zip', ['-q', '-r', join(out, 'download.zip'), '.'], { cwd: f.dir });
    const message = (file: string) =>
      openExport(join(out, file)).then(
        () => '',
        (e: ExportError) => `${e.code}: ${e.message}`,
      );
    const said =
      /^EXPORT_UNRECOGNIZED: download.zip holds export.zip and 2 Attachment_\*.zip part\(s\), not the ten tables: it is a zip of the download. Unzip it, then give the folder/;
    expect(await message('download.zip')).toMatch(said);
    try {
      execFileSync('bsdtar', [
        '-a',
        '-cf',
        join(out, 'download.zip'),
        '-C',
        join(f.dir, '..'),
        basename(f.dir),
      ]);
    } catch {
      console.warn('openExport: bsdtar is not installed; a download zipped by libarchive is not checked');
      context.skip();
    }
    expect(await message('download.zip')).toMatch(said);
  });

  it("Google Drive's pieces of a downloaded folder say to unzip every piece into one folder", async () => {
    const f = fixture(TWO_PARTS);
    const out = tempDir();
    // Drive splits a folder's download into zips of about 2 GB, each holding some of its files.
    const [first, ...rest] = readdirSync(f.dir)
      .filter((name) => name.startsWith('Attachment_'))
      .sort();
    const piece = (n: number, files: string[]) =>
      execFileSync('zip', ['-q', '-0', join(out, `talent-20240101T090000Z-00${n}.zip`), ...files], {
        cwd: f.dir,
      });
    piece(1, ['export.csv', 'export.zip', first!]);
    piece(2, rest);
    const message = (path: string) =>
      openExport(path).then(
        () => '',
        (e: ExportError) => `${e.code}: ${e.message}`,
      );
    expect(await message(join(out, 'talent-20240101T090000Z-002.zip'))).toBe(
      "EXPORT_UNRECOGNIZED: talent-20240101T090000Z-002.zip holds 1 Attachment_*.zip part(s), not the ten tables: it is one of the zips Google Drive splits a downloaded folder into (talent-20240101T090000Z-001.zip, talent-20240101T090000Z-002.zip, ...), each holding some of the download's files. Unzip every one of them into one folder, then give the folder that holds export.csv, export.zip and the parts",
    );
    expect(await message(out)).toMatch(
      /; it holds 2 zips Google Drive split a downloaded folder into \(talent-20240101T090000Z-001\.zip, talent-20240101T090000Z-002\.zip\): unzip every one of them into one folder, then give the folder that holds export\.csv, export\.zip and the parts$/,
    );
    rmSync(out, { recursive: true });
  });

  it('a download packed as a tar or 7-Zip archive, given or in the folder given, says to unpack it', async () => {
    const f = fixture(TWO_PARTS);
    const out = tempDir();
    execFileSync('tar', ['-czf', join(out, 'download.tar.gz'), '-C', f.dir, '.']);
    const message = (path: string) =>
      openExport(path).then(
        () => '',
        (e: ExportError) => `${e.code}: ${e.message}`,
      );
    const said = (code: string) =>
      `${code}: download.tar.gz is a tar archive, not a zip: unpack it with \`tar -xf download.tar.gz\`, or 7-Zip, then give the folder that holds export.csv, export.zip and the Attachment_*.zip parts (or the folder it makes)`;
    expect(await message(join(out, 'download.tar.gz'))).toBe(said('EXPORT_UNREADABLE'));
    // The folder holding it alone was said to hold no export at all, the archive unnamed.
    expect(await message(out)).toBe(said('EXPORT_UNRECOGNIZED'));
    write(join(out, 'download.7z'), 'not read');
    expect(await message(out)).toMatch(
      /^EXPORT_UNRECOGNIZED: .* holds no Talent Hub export: .*; it holds 2 archives of other kinds \(download\.7z, download\.tar\.gz\): unpack the one that is the download and give the folder it makes$/,
    );
    rmSync(out, { recursive: true });
    // A name a shell would run part of is quoted as one word in the command given.
    const odd = tempDir();
    write(join(odd, 'Jane $(id) "Doe".7z'), 'not read');
    expect(await message(odd)).toContain(`7-Zip (\`7z x 'Jane $(id) "Doe".7z'\`)`);
    rmSync(odd, { recursive: true });
  });

  it('an export.zip zipped again in the download folder is unreadable, saying why; the parts are still read', async () => {
    const f = fixture(TWO_PARTS);
    renameSync(join(f.dir, 'export.zip'), join(f.dir, 'inner.zip'));
    execFileSync('python3', [
      '-c',
      'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z: z.write(sys.argv[2], "export.zip")',
      join(f.dir, 'export.zip'),
      join(f.dir, 'inner.zip'),
    ]);
    rmSync(join(f.dir, 'inner.zip'));
    const ex = await open(f.dir);
    expect(codes(ex)).toEqual(['EXPORT_ZIP_UNREADABLE']);
    expect(ex.problems[0]!.message).toBe(
      "export.zip holds export.zip, not the ten tables: it was zipped again. Unzip it and put the export.zip it holds (and any parts) in the export's folder",
    );
    expect((await index(ex)).summary.files).toBe(f.files);
  });

  it('a part zipped again is unreadable, saying why; its files are not counted as missing', async () => {
    const f = fixture(TWO_PARTS);
    zipAgain(f.dir, 'Attachment_3-4.zip');
    const ex = await open(f.dir);
    const { summary, problems } = await index(ex);
    expect(summary.parts.map((p) => [p.file, p.readable, p.files])).toEqual([
      ['Attachment_1-2.zip', true, 2],
      ['Attachment_3-4.zip', false, 0],
    ]);
    expect(problems.find((p) => p.code === 'PART_UNREADABLE')!.message).toBe(
      'Attachment_3-4.zip holds 1 zip file(s) named like a part or export.zip, not Candidate_<id> folders: it was zipped again. Unzip it and put the part it holds in its place',
    );
    // The zip it holds is no file of the parts: counted as one, it made up for one of those missing.
    expect(problems.find((p) => p.code === 'MANIFEST_TOTAL_FILES_DIFFER')!.message).toBe(
      'export.csv says Total Files 12 but the parts hold 6 (2 attachments + 4 empty.txt markers); not counted: Attachment_3-4.zip (missing or unreadable): 6 missing',
    );
  });

  it('a second download alike byte for byte is a notice; one that differs is a problem naming both and what to do', async () => {
    const f = fixture(TWO_PARTS);
    const bytes = readFileSync(join(f.dir, 'export.zip'));
    write(join(f.dir, 'export (1).zip'), bytes);
    write(join(f.dir, 'Attachment_1-2 (1).zip'), readFileSync(join(f.dir, 'Attachment_1-2.zip')));
    let ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'DUPLICATE_DOWNLOAD',
        'notice',
        'Attachment_1-2 (1).zip is a second download of Attachment_1-2.zip (the same size, and the same bytes where a zip lists its entries); Attachment_1-2.zip is read and Attachment_1-2 (1).zip can be deleted',
      ],
      [
        'DUPLICATE_DOWNLOAD',
        'notice',
        'export (1).zip is a second download of export.zip (the same size, and the same bytes where a zip lists its entries); export.zip is read and export (1).zip can be deleted',
      ],
    ]);
    // Of the same size, whole zips both, one byte apart (in a table's name in the central directory).
    const at = bytes.lastIndexOf('Candidate.csv');
    bytes[at] = 'c'.charCodeAt(0);
    write(join(f.dir, 'export (1).zip'), bytes);
    ex = await open(f.dir);
    const differ = ex.problems.filter((p) => p.code === 'DOWNLOAD_COPIES_DIFFER');
    expect(differ.map((p) => [p.severity, p.file, p.message])).toEqual([
      [
        'problem',
        'export (1).zip',
        `export.zip (${bytes.length.toLocaleString('en-US')} bytes) and export (1).zip (${bytes.length.toLocaleString('en-US')} bytes) are both in the folder and differ: export.zip is read. They may be two different exports: keep the one you mean under the name export.zip, move the other away, and run again`,
      ],
    ]);
    expect(await text(ex, 'candidates')).toBe(f.csv.candidates);
  });

  it("takes the export's own files a part holds (the guide's sample part) as counted in Total Files or not", async () => {
    const f = fixture(TWO_PARTS);
    // The guide's sample attachments zip holds the contracts' folders and export.csv beside the candidates.
    const add = `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'a') as z:
    z.writestr('export.csv', 'Filename,Download Url\\n')
    z.writestr('Contract_1/Notes.csv', 'note_id,project_id,candidate_id,content,owner_profile_url,visibility\\n')`;
    execFileSync('python3', ['-c', add, join(f.dir, 'Attachment_1-2.zip')]);
    const manifest = readFileSync(join(f.dir, 'export.csv'), 'utf8');
    for (const more of [0, 2]) {
      write(
        join(f.dir, 'export.csv'),
        manifest.replace(
          /^(Total Files|Exported files)(\s*[,\t]\s*)(\d+)/gm,
          (_, row, sep, n) => `${row}${sep}${Number(n) + more}`,
        ),
      );
      const ex = await open(f.dir);
      const { problems } = await index(ex);
      expect(problems.filter((p) => p.code.startsWith('MANIFEST_'))).toEqual([]);
    }
  });

  it('of three copies of a part, each other copy is told against the one read: alike, or differing', async () => {
    const f = fixture(TWO_PARTS);
    const part = readFileSync(join(f.dir, 'Attachment_1-2.zip'));
    // (1) another download that differs (the other part's bytes), (2) alike the original.
    write(join(f.dir, 'Attachment_1-2 (1).zip'), readFileSync(join(f.dir, 'Attachment_3-4.zip')));
    write(join(f.dir, 'Attachment_1-2 (2).zip'), part);
    const ex = await open(f.dir);
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'Attachment_3-4.zip']);
    expect(ex.problems.map((p) => [p.code, p.file, p.message.split(': ')[0]])).toEqual([
      [
        'DOWNLOAD_COPIES_DIFFER',
        'Attachment_1-2 (1).zip',
        expect.stringMatching(/^Attachment_1-2\.zip \(.*\) and Attachment_1-2 \(1\)\.zip/),
      ],
      [
        'DUPLICATE_DOWNLOAD',
        'Attachment_1-2 (2).zip',
        expect.stringMatching(/^Attachment_1-2 \(2\)\.zip is a second download of Attachment_1-2\.zip /),
      ],
    ]);
    expect(ex.problems[0]!.message).toMatch(/differ: Attachment_1-2\.zip is read\./);
  });

  it('two big downloads are compared where a zip lists its entries, not read in full', async () => {
    const f = fixture(TWO_PARTS);
    // A part of 160 MiB (its entries' data far from its end: sparse files), and a copy that differs only
    // in that data.
    const part = join(f.dir, 'Attachment_1-2.zip');
    const small = readFileSync(part);
    const size = 160 * 1024 * 1024;
    const copy = join(f.dir, 'Attachment_1-2 (1).zip');
    const place = (path: string, bytes: Buffer, at: number) => {
      const fd = openSync(path, 'r+');
      writeSync(fd, bytes, 0, bytes.length, at);
      closeSync(fd);
    };
    for (const path of [part, copy]) {
      write(path, Buffer.alloc(0));
      truncateSync(path, size);
      place(path, small, size - small.length);
    }
    place(copy, Buffer.from([1]), 8 * 1024 * 1024);
    let ex = await open(f.dir);
    expect(ex.problems.map((p) => p.code)).toEqual(['DUPLICATE_DOWNLOAD']);
    await ex.close();
    // One byte apart in the directory at its end: they differ.
    place(copy, Buffer.from([small[small.length - 30]! ^ 1]), size - 30);
    ex = await open(f.dir);
    expect(ex.problems.map((p) => p.code)).toEqual(['DOWNLOAD_COPIES_DIFFER']);
  });

  it('export.zip unzipped where it was and gone, the parts still zips: its tables are read from the files', async () => {
    // `export.zip/`: a folder of the zip's own name, as ChromeOS's Files app and some unzip tools make.
    for (const into of ['', 'export', 'export.zip']) {
      const f = fixture(TWO_PARTS);
      renameSync(join(f.dir, 'export.zip'), join(f.dir, '.src.zip'));
      execFileSync('unzip', ['-q', join(f.dir, '.src.zip'), '-d', join(f.dir, into)]);
      rmSync(join(f.dir, '.src.zip'));
      const ex = await open(f.dir);
      expect(
        ex.problems.map((p) => [p.code, p.severity]),
        into,
      ).toEqual([['EXPORT_ZIP_UNZIPPED', 'notice']]);
      expect(ex.problems[0]!.message).toContain(into ? `in ${into}/` : 'in Contract_123456/');
      expect(await text(ex, 'candidates')).toBe(f.csv.candidates);
      expect((await index(ex)).summary.files).toBe(f.files);
      await ex.close();
    }
  });

  it("export.zip's tables unzipped beside it: one notice when alike, a problem naming the copy that differs", async () => {
    const f = fixture(TWO_PARTS);
    execFileSync('unzip', ['-q', join(f.dir, 'export.zip'), '-d', f.dir]);
    let ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'TABLE_COPIES_IDENTICAL',
        'notice',
        'all ten tables of export.zip are also unzipped beside it, the copies alike byte for byte: in Contract_123456/, read from export.zip. The other copies are not read and can be deleted',
      ],
    ]);
    // Unzipped at the top of the folder too, and one copy there edited.
    execFileSync('unzip', ['-q', '-j', join(f.dir, 'export.zip'), '-d', f.dir]);
    write(join(f.dir, 'Notes.csv'), `${f.csv.notes}1,2,3,edited,,\r\n`);
    ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.severity, p.table])).toEqual([
      ['TABLE_COPIES_IDENTICAL', 'notice', undefined],
      ['TABLE_COPY_DIFFERS', 'problem', 'notes'],
    ]);
    expect(ex.problems[0]!.message).toMatch(
      /^all ten tables of export\.zip are also unzipped beside it, the copies alike byte for byte: in the top level and in Contract_123456\/, read from export\.zip\./,
    );
    expect(ex.problems[1]!.message).toBe(
      `Notes.csv beside export.zip is the notes table too, and differs from export.zip's Contract_123456/Notes.csv (${f.csv.notes!.length + 16} and ${f.csv.notes!.length} bytes): export.zip's is read. If the copy beside it holds changes you mean to keep, put it into export.zip in place of Contract_123456/Notes.csv; else delete it`,
    );
    expect(await text(ex, 'notes')).toBe(f.csv.notes);
  });

  it('a part cut short beside a whole second download of it (Attachment_1-2 (1).zip): the whole one is read', async () => {
    for (const cut of ['Attachment_1-2.zip', 'Attachment_1-2 (1).zip']) {
      const f = fixture(TWO_PARTS);
      const whole = readFileSync(join(f.dir, 'Attachment_1-2.zip'));
      write(join(f.dir, 'Attachment_1-2 (1).zip'), whole);
      truncateSync(join(f.dir, cut), whole.length - 30);
      const ex = await open(f.dir);
      const kept = cut === 'Attachment_1-2.zip' ? 'Attachment_1-2 (1).zip' : 'Attachment_1-2.zip';
      expect(ex.parts.map((p) => p.file)).toEqual([kept, 'Attachment_3-4.zip']);
      const { summary, problems } = await index(ex);
      expect(summary.files).toBe(f.files);
      expect(problems.map((p) => p.code)).toEqual(['DUPLICATE_DOWNLOAD']);
      expect(problems[0]!.message).toBe(
        `${cut} is cut short (it does not end as a zip does) and is ignored; ${kept}, another download of it, is read`,
      );
    }
  });

  it('a part cut short twice (Attachment_1-2.zip and Attachment_1-2 (1).zip) is not said to be two exports', async () => {
    const f = fixture(TWO_PARTS);
    const whole = readFileSync(join(f.dir, 'Attachment_1-2.zip'));
    write(join(f.dir, 'Attachment_1-2.zip'), whole.subarray(0, whole.length - 300));
    write(join(f.dir, 'Attachment_1-2 (1).zip'), whole.subarray(0, whole.length - 30));
    const ex = await open(f.dir);
    expect(ex.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'DUPLICATE_DOWNLOAD',
        'Attachment_1-2 (1).zip is cut short (it does not end as a zip does) as well, and is ignored: neither it nor Attachment_1-2.zip is a whole download of it; download Attachment_1-2.zip again',
      ],
    ]);
  });

  it("an expired link's page saved as the part beside a whole download of it is said to be no zip", async () => {
    const f = fixture(TWO_PARTS);
    const whole = readFileSync(join(f.dir, 'Attachment_1-2.zip'));
    write(join(f.dir, 'Attachment_1-2 (1).zip'), whole);
    write(
      join(f.dir, 'Attachment_1-2.zip'),
      '<!DOCTYPE html><html><body>This link has expired</body></html>',
    );
    const ex = await open(f.dir);
    const { summary, problems } = await index(ex);
    expect(summary.files).toBe(f.files);
    expect(problems.map((p) => p.message)).toEqual([
      'Attachment_1-2.zip is no zip but a web page (what a download link that has expired gives) and is ignored; Attachment_1-2 (1).zip, another download of it, is read',
    ]);
  });

  it('a lone zip holding the tables and a part too reads the tables; the part is an unknown file', async () => {
    const f = fixture({ ...TWO_PARTS, extraExportEntries: { 'Attachment_1-2.zip': 'PK' } });
    const ex = await open(join(f.dir, 'export.zip'));
    expect(await text(ex, 'candidates')).toBe(f.csv.candidates);
    expect(codes(ex)).toEqual(['SIBLING_FILES_IGNORED', 'UNKNOWN_FILE']);
  });

  it('an export.zip split by Info-ZIP (-s) says to join its pieces, not to download it again', async () => {
    const f = fixture({
      ...TWO_PARTS,
      extraExportEntries: { 'pad.txt': randomBytes(150_000).toString('base64') },
    });
    execFileSync('zip', ['-q', 'export.zip', '-s', '64k', '--out', 'split.zip'], { cwd: f.dir });
    renameSync(join(f.dir, 'split.zip'), join(f.dir, 'export.zip'));
    const ex = await open(f.dir);
    const problem = ex.problems.find((p) => p.code === 'EXPORT_ZIP_UNREADABLE')!;
    const error = await openExport(join(f.dir, 'export.zip')).catch((e: unknown) => e as Error);
    for (const message of [problem.message, (error as Error).message]) {
      expect(message).toMatch(/Join the pieces first/);
      expect(message).not.toMatch(/download it again/);
    }
  });

  it('a cut-short export.zip says to download it again once, not twice', async () => {
    const dir = tempDir();
    write(join(dir, 'export.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200)]));
    const error = await openExport(join(dir, 'export.zip')).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'EXPORT_UNREADABLE' });
    const ex = await open(dir);
    const problem = ex.problems.find((p) => p.code === 'EXPORT_ZIP_UNREADABLE')!;
    for (const message of [(error as Error).message, problem.message]) {
      expect(message).toMatch(/ZIP_TRUNCATED/);
      expect(message.match(/download it again/g)).toHaveLength(1);
    }
    rmSync(dir, { recursive: true });
  });
});

// Zip parts are checked on this thread from the sources, in a worker thread from the build (whose worker
// module exists): both must give the same records, summary, problems and errors.
const THREADS = [
  ['this thread', './index.js', './internal.js', false],
  ['a worker thread', '../dist/index.js', '../dist/internal.js', true],
] as const;

describe.each(THREADS)('verifyAttachments, zip parts checked on %s', (_, index_, thread, inWorker) => {
  let openWith: typeof openExport = openExport;
  beforeAll(async () => {
    openWith = ((await import(index_)) as typeof import('./index.js')).openExport;
    const { canVerifyInThread } = (await import(thread)) as typeof import('./internal.js');
    expect(canVerifyInThread()).toBe(inWorker);
  });
  const open = async (path: string): Promise<TalentExport> => {
    const ex = await openWith(path);
    opened.push(ex);
    return ex;
  };

  it('gives the summary the index gives, candidate ids awaited only once the parts are read', async () => {
    const f = fixture({ parts: [['1', '2'], ['7']] });
    const ids = new Set(['1', '2', '3']);
    const expected = await index(await open(f.dir), ids);
    const ex = await open(f.dir);
    let release: (ids: Set<string>) => void = () => {};
    const parts = new Set<string>();
    const verified = drain(
      ex.verifyAttachments({
        candidateIds: new Promise((resolve) => {
          release = resolve;
        }),
        onProgress: (p) => parts.add(p.part),
      }),
    );
    // Every part is read before the ids are known; the summary waits for them.
    for (let i = 0; i < 250 && parts.size < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect([...parts]).toEqual(['Attachment_1-2.zip', 'Attachment_7-7.zip']);
    release(ids);
    const { records, summary } = await verified;
    expect(records).toEqual(expected.records);
    expect(summary.candidatesUnknown).toEqual(['7']);
    expect(summary.candidatesWithoutAttachments).toEqual(['3']);
    const { parts: verifiedParts, ...rest } = summary;
    const { parts: indexedParts, ...expectedRest } = expected.summary;
    expect(rest).toEqual(expectedRest);
    expect(verifiedParts.map(({ verifiedBytes: _, ...p }) => p)).toEqual(indexedParts);
  });

  it('reads every byte with progress, and names a corrupted entry without stopping', async () => {
    const f = fixture({
      parts: [['1', '2'], ['3']],
      files: (id) => ({ Public: [`cv${id}.txt`], Private: [`o${id}.txt`] }),
    });
    const ex = await open(f.dir);
    const seen: string[] = [];
    const { summary } = await drain(
      ex.verifyAttachments({
        onProgress: (p) => seen.push(`${p.part}:${p.bytesDone}/${p.bytesTotal}`),
      }),
    );
    expect(summary.parts.map((p) => p.verifiedBytes)).toEqual([
      summary.parts[0]!.bytes,
      summary.parts[1]!.bytes,
    ]);
    // Every byte checked; the total of a zip part is its size on disk (listed and read in one pass).
    const onDisk = statSync(join(f.dir, 'Attachment_3-3.zip')).size;
    expect(seen.at(-1)).toBe(`Attachment_3-3.zip:${summary.parts[1]!.bytes}/${onDisk}`);
    expect([...ex.problems, ...summary.problems]).toEqual([]);

    // Flip one stored byte of cv1.txt (stored or deflated, the CRC no longer matches).
    const part = join(f.dir, 'Attachment_1-2.zip');
    const bytes = readFileSync(part);
    const at = bytes.indexOf(Buffer.from('cv1.txt')) + 'cv1.txt'.length + 2;
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(part, bytes);
    const again = await open(f.dir);
    const { summary: checked } = await drain(again.verifyAttachments());
    expect(again.problems).toEqual([]);
    const corrupt = checked.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT');
    expect(corrupt.map((p) => [p.file, p.entry])).toEqual([
      ['Attachment_1-2.zip', 'Attachments_1-2/Candidate_1/Public/[file name, 7 characters].txt'],
    ]);
    // Checked in a thread of its own, the entry is named the same way inside the reason too.
    expect(corrupt[0]!.message).not.toContain('cv1.txt');
  });
  it('stops checking a part after 20 corrupt entries: the part is named unreadable, the next is read', async () => {
    const names = Array.from({ length: 22 }, (_, i) => `cv${String(i).padStart(2, '0')}.txt`);
    const f = fixture({
      parts: [['1'], ['2']],
      files: (id) => ({ Public: id === '1' ? names : ['cv.txt'] }),
    });
    const part = join(f.dir, 'Attachment_1-1.zip');
    const bytes = readFileSync(part);
    for (const name of names) {
      const at = bytes.indexOf(Buffer.from(name)) + name.length + 2;
      bytes[at] = bytes[at]! ^ 0xff;
    }
    writeFileSync(part, bytes);
    const ex = await open(f.dir);
    const { summary } = await drain(ex.verifyAttachments());
    expect(summary.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT')).toHaveLength(20);
    const unreadable = summary.problems.filter((p) => p.code === 'PART_UNREADABLE');
    expect(unreadable.map((p) => [p.file, p.refused])).toEqual([['Attachment_1-1.zip', true]]);
    expect(unreadable[0]!.message).toContain('20 entries could not be read back');
    expect(summary.parts.map((p) => p.readable)).toEqual([false, true]);
  });

  it("a part that is not a zip is named unreadable with the zip reader's code; an abort stops the check", async () => {
    const f = fixture(TWO_PARTS);
    writeFileSync(join(f.dir, 'Attachment_3-4.zip'), Buffer.alloc(4096, 7));
    const { summary } = await drain((await open(f.dir)).verifyAttachments());
    const unreadable = summary.problems.filter((p) => p.code === 'PART_UNREADABLE');
    expect(unreadable.map((p) => p.file)).toEqual(['Attachment_3-4.zip']);
    expect(unreadable[0]!.message).toMatch(/cannot be read \(ZIP_[A-Z_]+: /);
    const controller = new AbortController();
    const verifying = (await open(f.dir)).verifyAttachments({ signal: controller.signal });
    await verifying.next();
    controller.abort();
    await expect(drain(verifying)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a bug (here in the progress callback of the caller) stops the run instead of naming a part unreadable', async () => {
    const f = fixture(TWO_PARTS);
    const ex = await open(f.dir);
    const bug = new TypeError('progress bar is undefined');
    const verifying = drain(
      ex.verifyAttachments({
        onProgress: () => {
          throw bug;
        },
      }),
    );
    await expect(verifying).rejects.toBe(bug);
  });
});

describe('verifyAttachments, the other files of export.zip', () => {
  it('reads back the files of export.zip that are not tables, and names a damaged one without its name', async () => {
    const f = fixture({ ...TWO_PARTS, extraExportEntries: { 'README.txt': 'read me first\n'.repeat(40) } });
    const clean = await open(f.dir);
    const { summary } = await drain(clean.verifyAttachments());
    expect([...clean.problems, ...summary.problems].filter((p) => p.severity === 'problem')).toEqual([]);

    const path = join(f.dir, 'export.zip');
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.from('README.txt')) + 'README.txt'.length + 2;
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(path, bytes);
    for (const where of [f.dir, path]) {
      const ex = await open(where);
      expect(ex.problems.filter((p) => p.severity === 'problem')).toEqual([]);
      const { summary: checked } = await drain(ex.verifyAttachments());
      const corrupt = checked.problems.filter((p) => p.code === 'EXPORT_ZIP_ENTRY_CORRUPT');
      expect(corrupt.map((p) => [p.file, p.entry, p.refused])).toEqual([
        ['export.zip', '[file name, 10 characters].txt', true],
      ]);
      expect(corrupt[0]!.message).not.toContain('README');
    }
  });
});
