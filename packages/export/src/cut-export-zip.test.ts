// export.zip cut short, as a download that stopped leaves it: zipped by Info-ZIP (plain, with data
// descriptors, zip64), then cut in a table's local header, in its data, right after an entry and in the
// central directory. The tables whole before the cut read byte for byte, the cut one up to its last whole
// row (never as whole), those after it missing, and one problem says which is which and what to do.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guideFile, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import type { AttachmentRecord, AttachmentSummary } from './attachments.js';
import { makeDownload, tempDir, write } from './download.fixture.js';
import { extractExport, openExport, type TalentExport } from './index.js';

/** A table's CSV, each row's end offset kept: notes of many rows, their text quoted over lines. */
function tableCsv(table: TableName, rows: number): { text: string; rowEnds: number[] } {
  const fields = SCHEMAS[table].fields.map((f) => f.name);
  const lines = [fields.join(',')];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      fields
        .map((f, k) =>
          f === 'content' || f === 'body'
            ? // Random text (it deflates little), a line break and quotes inside the quotes.
              `"note ${i}: ${randomBytes(60).toString('hex')}\r\nsays ""hello"", then ${randomBytes(20).toString('base64')}"`
            : k === 0
              ? String(1000 + i)
              : '',
        )
        .join(','),
    );
  }
  const rowEnds: number[] = [];
  let at = 0;
  for (const line of lines) {
    at += Buffer.byteLength(line) + 2;
    rowEnds.push(at);
  }
  return { text: `${lines.join('\r\n')}\r\n`, rowEnds };
}

interface Entry {
  name: string;
  local: number;
  data: number;
  compressed: number;
}

/** The entries of a zip from its central directory (Info-ZIP's, zip64 or not). */
function entriesOf(zip: Buffer): { entries: Entry[]; central: number } {
  const eocd = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  let central = zip.readUInt32LE(eocd + 16);
  let count = zip.readUInt16LE(eocd + 10);
  if (central === 0xffffffff || count === 0xffff) {
    const end64 = zip.readUInt32LE(zip.lastIndexOf(Buffer.from('PK\x06\x07', 'latin1')) + 8);
    count = Number(zip.readBigUInt64LE(end64 + 32));
    central = Number(zip.readBigUInt64LE(end64 + 48));
  }
  const start = central;
  const entries: Entry[] = [];
  for (let i = 0, at = central; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    let compressed = zip.readUInt32LE(at + 20);
    let local = zip.readUInt32LE(at + 42);
    if (compressed === 0xffffffff || local === 0xffffffff) {
      // The zip64 field holds those at their maximum, uncompressed size first.
      const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      let k = extra.indexOf(Buffer.from([1, 0])) + 4;
      if (zip.readUInt32LE(at + 24) === 0xffffffff) k += 8;
      if (compressed === 0xffffffff) {
        compressed = Number(extra.readBigUInt64LE(k));
        k += 8;
      }
      if (local === 0xffffffff) local = Number(extra.readBigUInt64LE(k));
    }
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({ name, local, data, compressed });
    at += 46 + nameLength + extraLength + zip.readUInt16LE(at + 32);
  }
  return { entries, central: start };
}

/** A download whose export.zip holds the ten tables in the guide's order, zipped with these `zip` flags. */
function download(flags: string[], secondNotes = false) {
  const f = makeDownload({ parts: [['1', '2']] });
  const work = tempDir('talent-export-cutzip-');
  const csv = new Map<TableName, { text: string; rowEnds: number[] }>();
  const names: string[] = [];
  for (const table of TABLE_NAMES) {
    const made = tableCsv(table, table === 'notes' ? 2000 : table === 'candidates' ? 500 : 20);
    csv.set(table, made);
    const name = `Contract_123456/${guideFile(table)}`;
    write(join(work, name), made.text);
    names.push(name);
  }
  if (secondNotes) {
    // A second contract's copy of the notes table, zipped last.
    write(join(work, 'Contract_123456 2/Notes.csv'), tableCsv('notes', 2000).text);
    names.push('Contract_123456 2/Notes.csv');
  }
  const zipPath = join(f.dir, 'export.zip');
  rmSync(zipPath);
  execFileSync('zip', ['-q', '-X', ...flags, zipPath, ...names], { cwd: work });
  const zip = readFileSync(zipPath);
  return { dir: f.dir, zipPath, zip, csv, ...entriesOf(zip) };
}

async function tableBytes(ex: TalentExport, table: TableName): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await ex.openTable(table)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function drain(
  listing: AsyncGenerator<AttachmentRecord, AttachmentSummary>,
): Promise<AttachmentSummary> {
  let step = await listing.next();
  while (!step.done) step = await listing.next();
  return step.value;
}

/** What opening the download cut at `at` finds, table by table. */
async function openCut(d: ReturnType<typeof download>, at: number) {
  writeFileSync(d.zipPath, d.zip.subarray(0, at));
  const ex = await openExport(d.dir);
  try {
    const whole: TableName[] = [];
    const read = new Map<TableName, Buffer>();
    for (const table of TABLE_NAMES) {
      if (ex.tables[table] === undefined) continue;
      const bytes = await tableBytes(ex, table);
      read.set(table, bytes);
      if (ex.tables[table]!.truncated !== true) whole.push(table);
    }
    const missing = ex.problems.filter((p) => p.code === 'TABLE_MISSING').map((p) => p.table);
    const truncated = ex.problems.filter((p) => p.code === 'EXPORT_ZIP_TRUNCATED');
    const verified = await drain(ex.verifyAttachments({ threads: 1 }));
    return { ex, whole, read, missing, truncated, codes: ex.problems.map((p) => p.code), verified };
  } finally {
    await ex.close();
  }
}

const notesAt = TABLE_NAMES.indexOf('notes');
const before = TABLE_NAMES.slice(0, notesAt);
const after = TABLE_NAMES.slice(notesAt + 1);

/** The tables whole before the cut are read byte for byte. */
function expectWhole(
  r: Awaited<ReturnType<typeof openCut>>,
  d: ReturnType<typeof download>,
  tables: TableName[],
) {
  expect(r.whole).toEqual(tables);
  for (const table of tables) expect(r.read.get(table)!.toString()).toBe(d.csv.get(table)!.text);
}

/** The cut table: the start of its CSV, up to a row end, some rows and not all; never said whole. */
function expectCutRows(r: Awaited<ReturnType<typeof openCut>>, d: ReturnType<typeof download>) {
  const notes = r.read.get('notes')!;
  const full = d.csv.get('notes')!;
  expect(r.whole).not.toContain('notes');
  expect(notes.equals(Buffer.from(full.text).subarray(0, notes.length))).toBe(true);
  expect(full.rowEnds).toContain(notes.length);
  expect(notes.length).toBeGreaterThan(full.rowEnds[1]!);
  expect(notes.length).toBeLessThan(full.text.length);
  expect(r.missing).not.toContain('notes');
  expect(r.truncated[0]!.message).toContain(
    'Cut: notes: its rows before the cut are read, the row the cut falls in is left out',
  );
}

describe.each([
  ['Info-ZIP', []],
  ['data descriptors', ['-fd']],
  ['zip64', ['-fz']],
])('export.zip (%s) cut short', (_how, flags) => {
  const d = download(flags);
  const notes = d.entries.find((e) => e.name.endsWith('/Notes.csv'))!;
  const notesEnd = d.entries[notesAt + 1]!.local;

  it('in the data of a table: the tables before it whole, its rows up to the cut, the rest missing', async () => {
    const r = await openCut(d, notes.data + Math.floor(notes.compressed / 2));
    expectWhole(r, d, before);
    expectCutRows(r, d);
    expect(r.missing).toEqual(after);
    expect(r.truncated).toHaveLength(1);
    const message = r.truncated[0]!.message;
    expect(message).toContain('export.zip is cut short (its download stopped)');
    expect(message).toContain(`the file is ${notes.data + Math.floor(notes.compressed / 2)} bytes`);
    expect(message).toContain('ends in Contract_123456/Notes.csv');
    expect(message).toContain(`Tables whole, read and checked: ${before.join(', ')}.`);
    expect(message).toContain(`Missing (after the cut): ${after.join(', ')}.`);
    expect(message).toMatch(/Download export\.zip again from its Download Url in export\.csv/);
    // Not said unreadable, nor cut short as a part: once, as export.zip.
    expect(r.codes).not.toContain('EXPORT_ZIP_UNREADABLE');
    expect(r.codes).not.toContain('PART_TRUNCATED');
    expect(r.verified.problems.map((p) => p.code)).not.toContain('EXPORT_ZIP_UNREADABLE');
  });

  it('in the local header of a table: it and the tables after it missing', async () => {
    const r = await openCut(d, notes.local + 10);
    expectWhole(r, d, before);
    expect(r.missing).toEqual(['notes', ...after]);
    const message = r.truncated[0]!.message;
    expect(message).toContain(`ends in the header of the entry from byte ${notes.local}, whose name is lost`);
    expect(message).toContain(`Missing (after the cut): notes, ${after.join(', ')}.`);
  });

  it('right after an entry: the tables before whole, the rest missing', async () => {
    const r = await openCut(d, notes.local);
    expectWhole(r, d, before);
    expect(r.missing).toEqual(['notes', ...after]);
    expect(r.truncated[0]!.message).toContain('ends right after an entry, the entries after it missing');
  });

  it('in the data descriptor or right after the data of a table: still never read as whole', async () => {
    // The last bytes of the entry (its descriptor, when it has one): its data may be all there, unchecked.
    const r = await openCut(d, notesEnd - 4);
    expectWhole(r, d, before);
    expect(r.whole).not.toContain('notes');
    expect(r.missing).toEqual(after);
    const read = r.read.get('notes');
    // Read, it is the start of the table up to a row end; not read, it is told cut.
    if (read !== undefined) expect(d.csv.get('notes')!.rowEnds).toContain(read.length);
    expect(r.truncated[0]!.message).toMatch(/Cut: notes/);
  });

  it('in the central directory: every table whole, and the download still told cut short', async () => {
    const r = await openCut(d, d.central + 50);
    expectWhole(r, d, [...TABLE_NAMES]);
    expect(r.missing).toEqual([]);
    const message = r.truncated[0]!.message;
    expect(message).toContain('ends in the list of its files (its central directory), after its last entry');
    expect(message).toContain(`Tables whole, read and checked: ${TABLE_NAMES.join(', ')}.`);
    expect(message).not.toContain('Missing');
  });
});

it('a cut in the header of the first table: nothing to read, refused as cut short as before', async () => {
  const d = download([]);
  writeFileSync(d.zipPath, d.zip.subarray(0, d.entries[0]!.local + 5));
  const ex = await openExport(d.dir);
  try {
    const unreadable = ex.problems.filter((p) => p.code === 'EXPORT_ZIP_UNREADABLE');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.message).toMatch(/ZIP_TRUNCATED.*no entry before the cut is whole/);
    expect(ex.problems.map((p) => p.code)).not.toContain('EXPORT_ZIP_TRUNCATED');
  } finally {
    await ex.close();
  }
});

it('a cut in the data of the first table: none whole, its rows before the cut read', async () => {
  const d = download([]);
  const first = d.entries[0]!;
  writeFileSync(d.zipPath, d.zip.subarray(0, first.data + Math.floor(first.compressed / 2)));
  const ex = await openExport(d.dir);
  try {
    const codes = ex.problems.map((p) => p.code);
    expect(codes[0]).toBe('EXPORT_ZIP_TRUNCATED');
    expect(ex.problems.filter((p) => p.code === 'TABLE_MISSING')).toHaveLength(9);
    expect(ex.problems[0]!.message).toContain('Tables whole, read and checked: none.');
    expect(ex.tables.candidates?.truncated).toBe(true);
    const rows = (await tableBytes(ex, 'candidates')).toString();
    expect(d.csv.get('candidates')!.text.startsWith(rows)).toBe(true);
    expect([0, ...d.csv.get('candidates')!.rowEnds]).toContain(rows.length);
  } finally {
    await ex.close();
  }
});

it('a cut in the header line of a table: the table not read (no table of no header), told cut', async () => {
  const d = download([]);
  const notes = d.entries[notesAt]!;
  writeFileSync(d.zipPath, d.zip.subarray(0, notes.data + 2));
  const ex = await openExport(d.dir);
  try {
    expect(ex.tables.notes).toBeUndefined();
    expect(ex.problems[0]!.message).toContain(
      'Cut: notes: none of its rows can be read (the cut falls in its header line: no whole line is before it).',
    );
    expect(ex.problems.filter((p) => p.code === 'TABLE_MISSING').map((p) => p.table)).toEqual([
      'notes',
      ...after,
    ]);
  } finally {
    await ex.close();
  }
  // The first table so cut, nothing of the export is whole: refused as cut short, as before.
  writeFileSync(d.zipPath, d.zip.subarray(0, d.entries[0]!.data + 2));
  const again = await openExport(d.dir);
  await again.close();
  expect(again.problems.map((p) => p.code)).toContain('EXPORT_ZIP_UNREADABLE');
});

it("a cut in a second contract's copy of a table: read from the whole copy, and still never as whole", async () => {
  const d = download([], true);
  const copy = d.entries.at(-1)!;
  expect(copy.name).toBe('Contract_123456 2/Notes.csv');
  writeFileSync(d.zipPath, d.zip.subarray(0, copy.data + Math.floor(copy.compressed / 2)));
  const ex = await openExport(d.dir);
  try {
    expect(ex.tables.notes).toMatchObject({ entry: 'Contract_123456/Notes.csv', truncated: true });
    expect((await tableBytes(ex, 'notes')).toString()).toBe(d.csv.get('notes')!.text);
    const message = ex.problems[0]!.message;
    expect(message).toContain(
      'Cut: a copy of the notes table, in Contract_123456 2/Notes.csv, not read: the notes table is read from Contract_123456/Notes.csv alone.',
    );
    expect(message).toContain(
      `Tables whole, read and checked: ${TABLE_NAMES.filter((t) => t !== 'notes').join(', ')}.`,
    );
    expect(ex.problems.map((p) => p.code)).not.toContain('TABLE_MISSING');
  } finally {
    await ex.close();
  }
});

it('extract writes the tables whole before the cut, and not the one it cuts: written, it would pass for whole', async () => {
  const d = download([]);
  const notes = d.entries[notesAt]!;
  writeFileSync(d.zipPath, d.zip.subarray(0, notes.data + Math.floor(notes.compressed / 2)));
  const out = join(tempDir('talent-export-cut-extract-'), 'out');
  const ex = await openExport(d.dir);
  const result = await extractExport(ex, { out }).finally(() => ex.close());
  expect(result.tables.map((t) => t.table)).toEqual(before);
  expect(readFileSync(join(out, 'Candidate.csv'), 'utf8')).toBe(d.csv.get('candidates')!.text);
  expect(existsSync(join(out, 'Notes.csv'))).toBe(false);
  const told = result.problems.filter((p) => p.code === 'EXPORT_ZIP_TRUNCATED');
  expect(told.map((p) => p.message)).toEqual([
    'the notes table is cut short in export.zip and is not extracted: written, Notes.csv would pass for the whole table; download export.zip again',
  ]);
});
