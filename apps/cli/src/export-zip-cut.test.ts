// export.zip cut short, as a download that stopped leaves it, cut where downloads stop: in a table's data,
// in its local header, right after an entry, in the central directory. Every command reads what is whole,
// says once what was cut and what is missing (EXPORT_ZIP_TRUNCATED, exit 1 as PART_TRUNCATED), and no
// table the cut falls in passes for whole; redact makes no copy that would pass for the export (exit 3).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GroundTruth, generateExport } from '@talent-export/sample';
import { TABLE_NAMES, type TableName } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;
let truth: GroundTruth;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]) {
  const r = run([...args, '--json', '--quiet']);
  return { ...r, report: JSON.parse(r.stdout) };
}

interface Entry {
  name: string;
  local: number;
  data: number;
  compressed: number;
}

/** export.zip's entries in file order, and where its central directory starts. */
function entriesOf(zip: Buffer): { entries: Entry[]; central: number } {
  const eocd = zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  const count = zip.readUInt16LE(eocd + 10);
  const central = zip.readUInt32LE(eocd + 16);
  const entries: Entry[] = [];
  for (let i = 0, at = central; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.push({ name, local, data, compressed: zip.readUInt32LE(at + 20) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { entries: entries.sort((a, b) => a.local - b.local), central };
}

/** A copy of the download, its export.zip cut at `at` (of `zip`, export.zip as given when undefined). */
function cutCopy(name: string, at: (zip: Buffer) => number, zip?: Buffer): string {
  const dir = join(work, name);
  cpSync(download, dir, { recursive: true });
  const bytes = zip ?? readFileSync(join(dir, 'export.zip'));
  writeFileSync(join(dir, 'export.zip'), bytes.subarray(0, at(bytes)));
  return dir;
}

const entryOf = (zip: Buffer, table: TableName): Entry =>
  entriesOf(zip).entries.find((e) => e.name === truth.tables[table].entry)!;
const tableAt = (zip: Buffer, k: number): TableName => {
  const name = entriesOf(zip).entries[k]!.name;
  return TABLE_NAMES.find((t) => truth.tables[t].entry === name)!;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-cut-zip-'));
  download = join(work, 'download');
  truth = await generateExport({ dir: download, seed: 4, candidates: 300, attachmentsMb: 1 });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('export.zip cut short', () => {
  it('in the data of a table: whole tables read, the cut one up to the cut and marked, the rest missing; exit 1', () => {
    const zip = readFileSync(join(download, 'export.zip'));
    const order = entriesOf(zip).entries.map(
      (e) => TABLE_NAMES.find((t) => truth.tables[t].entry === e.name)!,
    );
    const cutTable = order[6]!;
    const entry = entryOf(zip, cutTable);
    const dir = cutCopy('in-data', () => entry.data + Math.floor(entry.compressed / 2));
    const { code, report } = json(['inspect', dir]);
    expect(code).toBe(1);
    for (const table of order.slice(0, 6)) {
      expect(report.tables[table].rows).toBe(truth.tables[table].rows);
      expect(report.tables[table].truncated).toBeUndefined();
    }
    const cut = report.tables[cutTable];
    expect(cut.truncated).toBe(true);
    expect(cut.rows).toBeGreaterThan(0);
    expect(cut.rows).toBeLessThan(truth.tables[cutTable].rows);
    // Its rows end where a whole row ends: none is rejected as cut short, none passes for whole.
    expect(cut.rejected).toBe(0);
    for (const table of order.slice(7)) expect(report.tables[table]).toBeUndefined();
    const codes = report.problems.map((p: { code: string }) => p.code);
    expect(codes[0]).toBe('EXPORT_ZIP_TRUNCATED');
    expect(codes).not.toContain('EXPORT_ZIP_UNREADABLE');
    expect(codes.filter((c: string) => c === 'TABLE_MISSING')).toHaveLength(3);
    const message: string = report.problems[0].message;
    expect(message).toContain(`ends in ${truth.tables[cutTable].entry}`);
    expect(message).toContain(
      `Tables whole, read and checked: ${TABLE_NAMES.filter((t) => order.indexOf(t) < 6).join(', ')}.`,
    );
    expect(message).toContain(`Cut: ${cutTable}: its rows before the cut are read`);
    expect(message).toContain(
      `Missing (after the cut): ${TABLE_NAMES.filter((t) => order.indexOf(t) > 6).join(', ')}.`,
    );

    // validate: every byte read, the same tables, exit 1; references unchecked, the cut table named.
    const v = run(['validate', dir]);
    expect(v.code).toBe(1);
    v.stderr += v.stdout;
    expect(v.stderr).toMatch(
      /problem {2}EXPORT_ZIP_TRUNCATED: export\.zip is cut short \(its download stopped\)/,
    );
    expect(v.stderr).toContain('Download export.zip again from its Download Url in export.csv');
    expect(v.stderr).toMatch(new RegExp(`${cutTable} +[\\d,]+ rows {2}CUT SHORT`));
    expect(v.stderr).toContain(`${cutTable} cut short in export.zip`);
    expect(v.stderr).not.toMatch(/ORPHAN_REFERENCES/);

    // convert writes what it can: the cut table's rows before the cut, the missing ones not at all.
    const out = join(work, 'in-data-out');
    const c = run(['convert', dir, '--out', out, '--to', 'ndjson', '--quiet']);
    expect(c.code).toBe(1);
    const lines = (table: string) =>
      readFileSync(join(out, `${table}.ndjson`), 'utf8')
        .split('\n')
        .filter(Boolean).length;
    expect(lines(cutTable)).toBe(cut.rows);
    expect(lines(order[0]!)).toBe(truth.tables[order[0]!].rows);
    expect(existsSync(join(out, `${order[9]}.ndjson`))).toBe(false);

    // report: the page is written, and says it.
    const page = join(work, 'in-data.html');
    const r = run(['report', dir, '--out', page, '--quiet']);
    expect(r.code).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('export.zip was cut short (its download stopped)');

    // redact, join and bundle make nothing that would pass for whole: refused, saying why.
    const red = run(['redact', dir, '--out', join(work, 'in-data-red'), '--quiet']);
    expect(red.code).toBe(3);
    expect(red.stderr).toContain('EXPORT_ZIP_TRUNCATED');
    const joined = run(['join', dir, '--out', join(work, 'in-data-join'), '--quiet']);
    expect(joined.code).toBe(3);
    expect(joined.stderr).toMatch(
      /JOIN_TABLE_MISSING: .* table\(s\) are cut short or missing \(export\.zip is cut short/,
    );
    const bundled = run([
      'bundle',
      dir,
      '--out',
      join(work, 'in-data-bundle'),
      '--candidates',
      '1',
      '--quiet',
    ]);
    expect(bundled.code).toBe(3);
    expect(bundled.stderr).toContain('cut short or missing');
  });

  it('in the local header of a table: it and those after it missing; exit 1', () => {
    const zip = readFileSync(join(download, 'export.zip'));
    const table = tableAt(zip, 4);
    const dir = cutCopy('in-header', () => entryOf(zip, table).local + 12);
    const { code, report } = json(['validate', dir]);
    expect(code).toBe(1);
    expect(report.tables[table]).toBeUndefined();
    expect(Object.keys(report.tables)).toHaveLength(4);
    for (const t of Object.keys(report.tables))
      expect(report.tables[t].rows).toBe(truth.tables[t as TableName].rows);
    expect(report.problems[0].message).toContain(
      `ends in the header of the entry from byte ${entryOf(zip, table).local}, whose name is lost`,
    );
    expect(report.problems.filter((p: { code: string }) => p.code === 'TABLE_MISSING')).toHaveLength(6);
  });

  it('right after an entry: the tables before it whole, the rest missing; exit 1', () => {
    const zip = readFileSync(join(download, 'export.zip'));
    const dir = cutCopy('between', () => entryOf(zip, tableAt(zip, 8)).local);
    const { code, report } = json(['inspect', dir]);
    expect(code).toBe(1);
    expect(Object.keys(report.tables)).toHaveLength(8);
    expect(report.problems[0].message).toContain('ends right after an entry, the entries after it missing');
  });

  it('in the central directory: all ten tables read whole; still told, exit 1', () => {
    const dir = cutCopy('in-directory', (zip) => entriesOf(zip).central + 60);
    const { code, report } = json(['validate', dir]);
    expect(code).toBe(1);
    for (const table of TABLE_NAMES) {
      expect(report.tables[table].rows).toBe(truth.tables[table].rows);
      expect(report.tables[table].truncated).toBeUndefined();
    }
    // The problems of the whole export (the sample's own orphans), and the cut told first.
    const whole = json(['validate', download]).report;
    expect(report.problems.map((p: { code: string }) => p.code)).toEqual([
      'EXPORT_ZIP_TRUNCATED',
      ...whole.problems.map((p: { code: string }) => p.code),
    ]);
    expect(report.problems[0].message).toContain('every entry in it is whole');
    // Every table whole: join and redact read them all.
    const red = run(['redact', dir, '--out', join(work, 'in-directory-red'), '--quiet']);
    expect(red.code).not.toBe(3);
    expect(existsSync(join(work, 'in-directory-red', 'export.zip'))).toBe(true);
    const out = join(work, 'in-directory-join');
    const joined = run(['join', dir, '--out', out, '--quiet']);
    expect(joined.code).not.toBe(3);
    expect(existsSync(join(out, 'candidates.ndjson'))).toBe(true);
  });

  it('in the candidates table, zipped last: no orphans nor unknown candidate folders from its missing rows', () => {
    // export.zip as another zip tool may order it: the candidates table last.
    const unzipped = join(work, 'unzipped');
    execFileSync('unzip', ['-q', '-o', join(download, 'export.zip'), '-d', unzipped]);
    const files = readdirSync(unzipped, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.csv'),
    );
    const last = truth.tables.candidates.entry;
    const ordered = [...files.filter((f) => f !== last), last];
    const rezipped = join(work, 'candidates-last.zip');
    execFileSync('zip', ['-q', '-X', rezipped, ...ordered], { cwd: unzipped });
    const zip = readFileSync(rezipped);
    const entry = entriesOf(zip).entries.at(-1)!;
    expect(entry.name).toBe(last);
    const dir = cutCopy('candidates-cut', () => entry.data + Math.floor(entry.compressed / 2), zip);
    const { code, report } = json(['validate', dir]);
    expect(code).toBe(1);
    expect(report.tables.candidates.truncated).toBe(true);
    expect(report.tables.candidates.rows).toBeLessThan(truth.tables.candidates.rows);
    const codes: string[] = report.problems.map((p: { code: string }) => p.code);
    expect(codes).toContain('EXPORT_ZIP_TRUNCATED');
    const notices: string[] = report.notices.map((p: { code: string; message: string }) => p.message);
    expect(notices.join('\n')).toContain('candidates cut short in export.zip');
    expect(codes).not.toContain('ORPHAN_REFERENCES');
    expect(codes).not.toContain('ATTACHMENT_CANDIDATE_UNKNOWN');
  });
});
