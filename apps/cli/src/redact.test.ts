// `talent-export redact` end to end on a generated export: the output is an export of the same shape that
// validate reads with the same rows and problems, joins still join, keys behave, files are copied raw.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { guideFile, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folders, readZips, table, unzipTest, type ZipView } from './redact.fixture.js';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const hex = '3c'.repeat(8) + 'd1'.repeat(24);
const otherHex = '77'.repeat(32);
let work: string;
let download: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function validate(dir: string) {
  const r = run(['validate', dir, '--json', '-q']);
  return JSON.parse(r.stdout) as {
    tables: Record<string, { rows: number; rejected: number }>;
    references: { check: string; rows: number }[];
    problems: { code: string }[];
    attachments: { files: number; markers: number; candidateFolders: number; candidatesUnknownCount: number };
  };
}

const bytesOf = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));

/** The default policy as printed, with attachment rules changed. */
function policyFile(name: string, attachments: Record<string, 'keep' | 'drop'>): string {
  let text = run(['redact', '--print-policy']).stdout;
  for (const [kind, rule] of Object.entries(attachments))
    text = text.replace(new RegExp(`^  ${kind}: drop$`, 'm'), `  ${kind}: ${rule}`);
  writeFileSync(join(work, name), text);
  return name;
}

let views: Record<string, ZipView>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-cmd-'));
  download = join(work, 'download');
  await generateExport({
    dir: download,
    seed: 11,
    candidates: 120,
    attachmentsMb: 3,
    partMb: 1,
    edgeCases: true,
  });
  writeFileSync(join(work, 'key'), hex);
  writeFileSync(join(work, 'other'), otherHex);
  policyFile('keep-public.yaml', { public: 'keep', miscellaneous: 'keep' });
  const args = ['--key-file', 'key', '--policy', 'keep-public.yaml', '--max-part-mb', '1', '-q'];
  expect(run(['redact', download, '-o', 'a', ...args]).code).toBe(1);
  views = readZips(join(work, 'a'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: a kept attachment whose bytes fail their CRC (flipped byte in a part)', () => {
  it('is left out and told (ATTACHMENT_CORRUPT, exit 3 as extract), counted as a failed file; the rest is copied', () => {
    const bad = join(work, 'flipped');
    cpSync(download, bad, { recursive: true });
    const part = readdirSync(bad).find((n) => n.startsWith('Attachment_'))!;
    const zip = readFileSync(join(bad, part));
    // The first Public file's local header: its data follows the name and the local extra field.
    const name = /[^\0]*\/Public\/(?!empty\.txt)[^\0/]+?\.(pdf|docx)/.exec(zip.toString('latin1'))![0];
    const nameAt = zip.indexOf(Buffer.from(name, 'latin1'));
    const size = zip.readUInt32LE(nameAt - 30 + 18);
    expect(size).toBeGreaterThan(100);
    zip[nameAt + name.length + zip.readUInt16LE(nameAt - 2) + (size >> 1)]! ^= 0xff;
    writeFileSync(join(bad, part), zip);
    const args = ['--key-file', 'key', '--policy', 'keep-public.yaml', '--max-part-mb', '1'];
    const r = run(['redact', bad, '-o', 'flipped-out', ...args]);
    // Part of the input refused (3), as extract says it; the copy is written all the same.
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The source's part is named, never the run's temporary folder.
    expect(r.stderr).not.toContain('.tmp');
    const out = join(work, 'flipped-out');
    const report = JSON.parse(readFileSync(join(out, 'redaction.json'), 'utf8')) as {
      problems: { code: string }[];
    };
    expect(report.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT')).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(`ATTACHMENT_CORRUPT: ${part.replace(/[.]/g, '\\.')}: .* is left out`),
    );
    // The same files as the clean run's (same key and policy) but the damaged one, each intact.
    const names = (zips: Record<string, ZipView>) =>
      Object.values(zips).flatMap((view) => view.entries.map((e) => e.name.replace(/^[^/]+\//, '')));
    const copied = readZips(out);
    const clean = names(views);
    const left = names(copied);
    expect(left.length).toBe(clean.length - 1);
    expect(clean.filter((n) => !left.includes(n))).toHaveLength(1);
    expect(Object.values(copied).every((view) => view.testzip === null)).toBe(true);
    // Talent Hub counts a file it could not export as failed: Total Files still adds up, so validate
    // of the copy finds no difference in the statistics, and tells of the failed file.
    const failed = (dir: string) =>
      Number(/Failed files,(\d+)/i.exec(readFileSync(join(dir, 'export.csv'), 'utf8'))?.[1] ?? 0);
    expect(failed(out)).toBe(failed(download) + 1);
    const codes = validate(out).problems.map((p) => p.code);
    expect(codes.filter((c) => c.startsWith('MANIFEST_'))).toEqual(['MANIFEST_FAILED_FILES']);
  });
});

describe('redact: an export.zip that cannot be read (expired link saved as export.zip)', () => {
  it('is refused with exit 3 before anything is written: no tables would make an export that is not one', () => {
    const bad = join(work, 'expired');
    cpSync(download, bad, { recursive: true });
    writeFileSync(join(bad, 'export.zip'), '<!DOCTYPE html><html><body>This link has expired</body></html>');
    const r = run(['redact', bad, '-o', 'expired-out', '--key-file', 'key', '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/CLI_INCOMPLETE_INPUT: .*EXPORT_ZIP_UNREADABLE/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(work).filter((n) => n.includes('expired-out'))).toEqual([]);
  });
});

describe('redact: a download without its export.zip (export.csv lists it, or not)', () => {
  it('is refused with exit 3 before anything is written, as an unreadable one is', () => {
    const bare = join(work, 'no-export-zip');
    cpSync(download, bare, { recursive: true });
    rmSync(join(bare, 'export.zip'));
    const r = run(['redact', bare, '-o', 'no-export-zip-out', '--key-file', 'key', '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/CLI_INCOMPLETE_INPUT: the export holds none of the ten tables/);
    expect(readdirSync(work).filter((n) => n.includes('no-export-zip-out'))).toEqual([]);
  });
});

describe("redact: export.zip with a table in two contracts' folders", () => {
  it('reads the rows of both copies as one table, and writes each copy with its own rows: none is lost', () => {
    const dir = join(work, 'two-contracts');
    cpSync(download, dir, { recursive: true });
    const notes = `${SCHEMAS.notes.fields.map((f) => f.name).join(',')}\r\nn1,p1,c1,text,,Project\r\n`;
    const add =
      'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "a") as z: z.writestr("Contract_2/Notes.csv", sys.argv[2])';
    execFileSync('python3', ['-c', add, join(dir, 'export.zip'), notes]);
    const r = run(['redact', dir, '-o', 'two-contracts-out', '--key-file', 'key', '-q']);
    // The added note refers to a project and a candidate the export does not hold: orphans, exit 1.
    expect([r.code, r.stderr]).toEqual([1, '']);
    const out = readZips(join(work, 'two-contracts-out'))['export.zip']!;
    const written = Object.keys(out.tables).filter((name) => name.endsWith('Notes.csv'));
    const source = Object.keys(readZips(download)['export.zip']!.tables).find((n) =>
      n.endsWith('Notes.csv'),
    )!;
    expect(written.sort()).toEqual(['Contract_2/Notes.csv', source].sort());
    expect(out.tables['Contract_2/Notes.csv']!.length).toBe(2);
    expect(out.tables[source]!.length).toBe(table(readZips(download), 'Notes.csv').length);
  });
});

describe('redact: a table unzipped beside export.zip and edited', () => {
  it('is told (TABLE_COPY_DIFFERS) but does not stop redact: export.zip is what is read', () => {
    const dir = join(work, 'beside-edited');
    cpSync(download, dir, { recursive: true });
    execFileSync('unzip', ['-q', '-j', join(dir, 'export.zip'), '*Notes.csv', '-d', dir]);
    const [notes] = readdirSync(dir).filter((n) => /^notes?\.csv$/i.test(n));
    appendFileSync(join(dir, notes!), 'edited,,,,,\r\n');
    const r = run(['redact', dir, '-o', 'beside-edited-out', '--key-file', 'key', '-q']);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'beside-edited-out', 'redaction.json'), 'utf8'));
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'TABLE_COPY_DIFFERS' }));
  });
});

describe('redact: a source whose export.csv Statistics do not add up with its parts', () => {
  it('finds it as the other commands do: exit 1, the code in redaction.json', () => {
    const dir = join(work, 'short-statistics');
    cpSync(download, dir, { recursive: true });
    const manifest = readFileSync(join(dir, 'export.csv'), 'utf8');
    const total = Number(/Total Files[\t,](\d+)/.exec(manifest)![1]);
    writeFileSync(join(dir, 'export.csv'), manifest.replace(/(Total Files[\t,])\d+/, `$1${total + 5}`));
    const r = run(['redact', dir, '-o', 'short-statistics-out', '--key-file', 'key', '-q']);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'short-statistics-out', 'redaction.json'), 'utf8'));
    expect(report.problems).toContainEqual({ code: 'MANIFEST_TOTAL_FILES_DIFFER' });
    const clean = JSON.parse(readFileSync(join(work, 'a', 'redaction.json'), 'utf8'));
    expect(clean.problems.map((p: { code: string }) => p.code)).not.toContain('MANIFEST_TOTAL_FILES_DIFFER');
  });
});

describe('redact: a table whose entry export.zip holds but the reader refuses (re-zipped with bzip2, a password)', () => {
  // A user re-zips the tables with 7-Zip or Info-ZIP's -Z bzip2 / -P: the entries are there, unreadable.
  const cases: [string, string[]][] = [
    ['one table in bzip2', ['-Z', 'bzip2']],
    ['every table encrypted', ['-P', 'secret']],
  ];
  it.for(cases)(
    '%s: refused with exit 3 naming the entry, before anything is written',
    ([label, flags], context) => {
      if (spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0) {
        console.warn('redact: Info-ZIP zip is not installed; a re-zipped export.zip is not checked');
        context.skip();
      }
      const dir = join(work, label.replaceAll(' ', '-'));
      cpSync(download, dir, { recursive: true });
      const tables = join(dir, 'tables');
      execFileSync('unzip', ['-q', join(dir, 'export.zip'), '-d', tables]);
      rmSync(join(dir, 'export.zip'));
      const names = execFileSync('find', ['.', '-name', '*.csv'], { cwd: tables, encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      const notes = names.find((n) => n.endsWith('Notes.csv'))!;
      const refused = flags[0] === '-P' ? names : [notes];
      const plain = names.filter((n) => !refused.includes(n));
      if (plain.length > 0) execFileSync('zip', ['-q', join(dir, 'export.zip'), ...plain], { cwd: tables });
      execFileSync('zip', ['-q', ...flags, join(dir, 'export.zip'), ...refused], { cwd: tables });
      rmSync(tables, { recursive: true });
      const out = `${label.replaceAll(' ', '-')}-out`;
      const r = run(['redact', dir, '-o', out, '--key-file', 'key', '-q']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /CLI_INCOMPLETE_INPUT: \d+ table\(s\) or part\(s\) of the export could not be read \(ENTRY_REFUSED: /,
      );
      expect(r.stderr).toContain(flags[0] === '-P' ? 'Entry is encrypted' : 'Notes.csv');
      expect(r.stderr).not.toContain('Download export.zip');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(work).filter((n) => n.includes(out))).toEqual([]);
    },
  );
});

describe('redact: a part zipped again (the part inside a zip of its own name)', () => {
  it('is refused with exit 3 saying to unzip it, before anything is written: the copy would lack its files', () => {
    const again = join(work, 'zipped-again');
    cpSync(download, again, { recursive: true });
    const part = readdirSync(again).find((n) => n.startsWith('Attachment_'))!;
    mkdirSync(join(again, 'inner'));
    execFileSync('mv', [join(again, part), join(again, 'inner', part)]);
    execFileSync('zip', ['-q', join(again, part), part], { cwd: join(again, 'inner') });
    rmSync(join(again, 'inner'), { recursive: true });
    const r = run(['redact', again, '-o', 'zipped-again-out', '--key-file', 'key', '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `CLI_INCOMPLETE_INPUT: ${part} holds 1 zip file(s) named like a part or export.zip`,
    );
    expect(r.stderr).toContain('it was zipped again. Unzip it');
    expect(readdirSync(work).filter((n) => n.includes('zipped-again-out'))).toEqual([]);
  });
});

describe('redact: a candidate whose folder is in two parts (candidate in two parts.zip)', () => {
  it('writes one marker per kind and suffixes a kept file of the same name, and Total Files counts them', () => {
    const two = join(work, 'two-parts');
    cpSync(download, two, { recursive: true });
    const part = readdirSync(two).find((n) => n.startsWith('Attachment_'))!;
    const unzipped = join(work, 'two-parts-unzipped');
    execFileSync('unzip', ['-q', join(two, part), '-d', unzipped]);
    const top = readdirSync(unzipped)[0]!;
    const folder = readdirSync(join(unzipped, top)).find((n) =>
      readdirSync(join(unzipped, top, n, 'Public')).some((f) => f !== 'empty.txt'),
    )!;
    const id = folder.replace('Candidate_', '');
    execFileSync('zip', ['-q', '-r', '-X', join(two, `Attachment_${id}-${id}.zip`), `${top}/${folder}`], {
      cwd: unzipped,
    });
    for (const policy of ['keep-public.yaml', 'default']) {
      const out = `two-parts-${policy}`;
      const r = run(['redact', two, '-o', out, '--key-file', 'key', '--policy', policy, '-q']);
      expect([r.code, r.stderr]).toEqual([1, '']);
      const codes = validate(join(work, out)).problems.map((p) => p.code);
      expect(codes).not.toContain('MANIFEST_TOTAL_FILES_DIFFER');
      expect(unzipTest(join(work, out))).toBe(true);
    }
    const kept = folders(readZips(join(work, 'two-parts-keep-public.yaml'))).files;
    expect(kept.some((f) => /\/Public\/[^/]+_1\.[a-z]+$/.test(f))).toBe(true);
  });
});

describe("redact: a file in a folder of its own inside a candidate's kind folder (Miscellaneous/<a name>/)", () => {
  it('is left out, and the summary says so in a line of its own, naming no file or folder', () => {
    const nested = join(work, 'nested-folder');
    cpSync(download, nested, { recursive: true });
    const part = join(nested, readdirSync(nested).find((n) => n.startsWith('Attachment_'))!);
    const add = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'a') as z:
    top = '/'.join(z.namelist()[0].split('/')[:2])
    z.writestr(top + '/Miscellaneous/Ngozi Ferreira-Lund/referral.pdf', b'%PDF-1.4 referral')
`;
    execFileSync('python3', ['-c', add, part]);
    const r = run([
      'redact',
      nested,
      '-o',
      'nested-out',
      '--key-file',
      'key',
      '--policy',
      'keep-public.yaml',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^left out {2}1 file\(s\) outside the Candidate_<id>\/.*\(UNKNOWN_FILE\)/m);
    expect(r.stderr).not.toMatch(/Ferreira|referral\.pdf/);
    const json = JSON.parse(readFileSync(join(work, 'nested-out', 'redaction.json'), 'utf8'));
    expect(json.attachments.unknownDropped).toBe(1);
  });
});

describe('redact: thousands of same-named files of one candidate, in two parts', () => {
  it('gives them the suffixes in order, skipping one the part holds, and suffixes the second part after the first', () => {
    const many = join(work, 'many-same-named');
    cpSync(download, many, { recursive: true });
    const part = readdirSync(many).find((n) => n.startsWith('Attachment_'))!;
    const listed = execFileSync('unzip', ['-Z1', join(many, part)], { encoding: 'utf8' });
    const id = /\/Candidate_(\d+)\//.exec(listed)![1]!;
    // Part a: `r_3.pdf` itself, then 1,500 files `F<i>/Candidate_<id>/Public/r.pdf` holding `a<i>`; part b:
    // 1,500 more holding `b<i>`, its folder named as part a's.
    const make = `
import sys, zipfile
path, id, tag = sys.argv[1:]
with zipfile.ZipFile(path, 'w') as z:
    if tag == 'a': z.writestr(f'Candidate_{id}/Public/r_3.pdf', 'own')
    for i in range(1500): z.writestr(f'F{i}/Candidate_{id}/Public/r.pdf', f'{tag}{i}')
`;
    execFileSync('python3', ['-c', make, join(many, `Attachment_${id}-${id}.zip`), id, 'a']);
    execFileSync('python3', ['-c', make, join(many, `Attachment_${id}-${id}0.zip`), id, 'b']);
    const r = run([
      'redact',
      many,
      '-o',
      'many-out',
      '--key-file',
      'key',
      '--policy',
      'keep-public.yaml',
      '-q',
    ]);
    expect([r.code, r.stderr]).toEqual([1, '']);
    const read = `
import json, os, re, sys, zipfile
out = []
for name in sorted(os.listdir(sys.argv[1])):
    if not name.startswith('Attachment_'): continue
    with zipfile.ZipFile(os.path.join(sys.argv[1], name)) as z:
        out += [[i.filename.split('/', 2)[2], z.read(i).decode()] for i in z.infolist() if re.search(r'/Public/r(_\\d+)*\\.pdf$', i.filename)]
print(json.dumps(out))
`;
    const got = JSON.parse(
      execFileSync('python3', ['-c', read, join(work, 'many-out')], { encoding: 'utf8', maxBuffer: 1 << 26 }),
    ) as [string, string][];
    const a = [1, 2, ...Array.from({ length: 1497 }, (_, i) => i + 4)].map((n) => `r_${n}.pdf`);
    const b = Array.from({ length: 1499 }, (_, i) => `r_${i + 1}_1.pdf`);
    const expected = [
      ['r_3.pdf', 'own'],
      ...['r.pdf', ...a].map((name, i) => [name, `a${i}`]),
      ...['r_1501.pdf', ...b].map((name, i) => [name, `b${i}`]),
    ];
    expect(got.map(([name, text]) => [name.slice(name.lastIndexOf('/') + 1), text])).toEqual(expected);
    expect(new Set(got.map(([name]) => name.split('/')[0])).size).toBe(1);
  });
});

describe('redact: a table saved by a spreadsheet with a comma ending every line, the header too', () => {
  it("keeps that last header cell blank, as the source's, not named by its place", () => {
    const dir = join(work, 'trailing-commas');
    cpSync(download, dir, { recursive: true });
    const plant = `
import sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    items = [(i, z.read(i)) for i in z.infolist()]
with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
    for info, data in items:
        if info.filename.endswith('HiringStates.csv'):
            nl = b'\\r\\n' if b'\\r\\n' in data else b'\\n'
            data = nl.join(line + b',' if line.strip() else line for line in data.split(nl))
        z.writestr(info, data)
`;
    execFileSync('python3', ['-c', plant, join(dir, 'export.zip')]);
    const r = run(['redact', dir, '-o', 'trailing-out', '--key-file', 'key', '-q']);
    expect(r.code).toBe(1);
    const source = table(readZips(dir), 'HiringStates.csv');
    const redacted = table(readZips(join(work, 'trailing-out')), 'HiringStates.csv');
    expect(source[0]!.at(-1)).toBe('');
    expect(redacted[0]).toEqual(source[0]);
    expect(redacted.length).toBe(source.length);
  });
});

describe('redact: extra columns whose headers name a candidate (a column per recipient)', () => {
  it('scrubs the headers of the dropped columns, one column per header still, and --verify finds nothing', () => {
    const dir = join(work, 'named-headers');
    cpSync(download, dir, { recursive: true });
    // Two extra Notes.csv columns headed "First Last <e-mail>" of the first candidate with an e-mail, and
    // a third headed as the scrubbed header of the first would be.
    const plant = `
import csv, io, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    items = [(i.filename, z.read(i)) for i in z.infolist()]
def rows(name): return list(csv.reader(io.StringIO(dict(items)[name].decode())))
cands = rows(next(n for n, _ in items if n.endswith('Candidate.csv')))
c = next(dict(zip(cands[0], r)) for r in cands[1:] if r[cands[0].index('emails')])
heads = [f"{c['first_name']} {c['last_name']} <{c['emails'].split(';')[0]}>", c['last_name'].upper(), '[PERSON] <[EMAIL]>', 'Zbigniew Secretname', 'recruiter_notes']
with zipfile.ZipFile(path + '.new', 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in items:
        if name.endswith('Notes.csv'):
            t = rows(name)
            out = io.StringIO()
            csv.writer(out, lineterminator='\\n').writerows([t[0] + heads] + [r + ['x', 'y', 'z', 'w', 'v'] for r in t[1:]])
            data = out.getvalue().encode()
        z.writestr(name, data)
`;
    execFileSync('python3', ['-c', plant, join(dir, 'export.zip')]);
    renameSync(join(dir, 'export.zip.new'), join(dir, 'export.zip'));
    const r = run(['redact', dir, '-o', 'named-headers-out', '--key-file', 'key', '--verify', '-q']);
    expect(r.code).toBe(1);
    const proof = JSON.parse(readFileSync(join(work, 'named-headers-out', 'redaction.json'), 'utf8')).verify;
    expect(proof).toMatchObject({ hits: 0, places: [] });
    const header = table(readZips(join(work, 'named-headers-out')), 'Notes.csv')[0]!;
    // What the scrubber leaves that is no plausible column name (its marks, a stranger's name) is named by
    // its place; a plain column name stays.
    const n = header.length;
    expect(header.slice(-5)).toEqual([
      `column ${n - 4}`,
      `column ${n - 3}`,
      `column ${n - 2}`,
      `column ${n - 1}`,
      'recruiter_notes',
    ]);
    expect(JSON.stringify(readZips(join(work, 'named-headers-out')))).not.toContain('Secretname');
  });
});

describe('redact: parts whose candidate folders are scattered (entries ordered by kind, as some tools write them)', () => {
  it('gathers each folder and writes the same files as from the grouped parts', () => {
    const scattered = join(work, 'scattered');
    cpSync(download, scattered, { recursive: true });
    // Re-written with every Public entry first, then Private, then Miscellaneous: each folder in three places.
    const reorder = `
import sys, zipfile
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, 'w') as out:
    for info in sorted(z.infolist(), key=lambda i: (i.filename.rstrip('/').split('/')[-2:-1], i.filename)):
        out.writestr(info, z.read(info))
`;
    for (const part of readdirSync(scattered).filter((n) => n.startsWith('Attachment_'))) {
      const path = join(scattered, part);
      execFileSync('python3', ['-c', reorder, path, `${path}.new`]);
      execFileSync('mv', [`${path}.new`, path]);
    }
    const args = ['--key-file', 'key', '--policy', 'keep-public.yaml', '--max-part-mb', '1', '-q'];
    const r = run(['redact', scattered, '-o', 'scattered-out', ...args]);
    expect([r.code, r.stderr]).toEqual([1, '']);
    const files = (v: Record<string, ZipView>) =>
      Object.entries(v)
        .filter(([zip]) => zip !== 'export.zip')
        .flatMap(([, view]) => view.entries.map((e) => `${e.name.replace(/^[^/]+\//, '')}:${e.crc}`))
        .sort();
    const out = readZips(join(work, 'scattered-out'));
    expect(files(out).length).toBeGreaterThan(100);
    expect(files(out)).toEqual(files(views));
    expect(unzipTest(join(work, 'scattered-out'))).toBe(true);
  });
});

describe('redact: the shape of the export', () => {
  it('validate reads the same rows per table, the same problems and orphans; zips pass unzip -t and zipfile', () => {
    const [before, after] = [validate(download), validate(join(work, 'a'))];
    for (const [name, t] of Object.entries(before.tables))
      expect([name, after.tables[name]?.rows]).toEqual([name, t.rows]);
    expect(after.problems.map((p) => p.code).sort()).toEqual(before.problems.map((p) => p.code).sort());
    // Every join key still joins: the same rows per reference check refer to nothing.
    const checks = (r: typeof before) => r.references.map(({ check, rows }) => ({ check, rows }));
    expect(checks(after)).toEqual(checks(before));
    expect(after.attachments.candidateFolders).toBe(before.attachments.candidateFolders);
    expect(after.attachments.candidatesUnknownCount).toBe(before.attachments.candidatesUnknownCount);
    expect(unzipTest(join(work, 'a'))).toBe(true);
    for (const view of Object.values(views)) expect(view.testzip).toBeNull();
  });

  it('keeps entry names, headers and column order; parts re-split by size and named by their id ranges', () => {
    const source = readZips(download);
    const names = (v: Record<string, ZipView>) => v['export.zip']!.entries.map((e) => e.name).sort();
    expect(names(views)).toEqual(names(source));
    for (const name of names(source)) {
      expect(views['export.zip']!.tables[name]![0]).toEqual(source['export.zip']!.tables[name]![0]);
    }
    const parts = Object.keys(views).filter((n) => n !== 'export.zip');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const [, min, max] = /^Attachment_(\d+)-(\d+)\.zip$/.exec(part)!;
      const ids = folders({ [part]: views[part]! }).ids;
      expect(Math.min(...[...ids].map(Number))).toBe(Number(min));
      expect(Math.max(...[...ids].map(Number))).toBe(Number(max));
      expect(readFileSync(join(work, 'a', part)).length).toBeLessThanOrEqual(1_000_000);
    }
    // export.csv lists the parts, and Total Files counts every file in them, markers included.
    const manifest = readFileSync(join(work, 'a', 'export.csv'), 'utf8');
    const files = parts.reduce((n, p) => n + views[p]!.entries.length, 0);
    for (const part of parts) expect(manifest).toContain(`${part},`);
    // In the source's shape: its line ends.
    const eol = readFileSync(join(download, 'export.csv'), 'utf8').includes('\r\n') ? '\r\n' : '\n';
    expect(manifest).toContain(`Total Files,${files}${eol}Exported files,${files}${eol}`);
  });

  it('kept kinds are byte-identical raw copies; dropped kinds leave empty.txt; candidate folders are renamed', () => {
    const source = folders(readZips(download));
    const stored = (v: Record<string, ZipView>, kind: string) =>
      Object.entries(v)
        .filter(([zip]) => zip !== 'export.zip')
        .flatMap(([, view]) => view.entries)
        .filter((e) => e.name.includes(`/${kind}/`) && !e.name.endsWith('/empty.txt'))
        .map((e) => `${e.raw}:${e.crc}:${e.csize}`)
        .sort();
    const before = readZips(download);
    expect(stored(views, 'Public').length).toBeGreaterThan(0);
    expect(stored(views, 'Public')).toEqual(stored(before, 'Public'));
    expect(stored(views, 'Miscellaneous')).toEqual(stored(before, 'Miscellaneous'));
    expect(stored(views, 'Private')).toEqual([]);
    const out = folders(views);
    for (const id of out.ids) expect(out.files).toContain(`${id}/Private/empty.txt`);
    expect([...out.ids].filter((id) => source.ids.has(id))).toEqual([]);
  });

  it('no PII value the generator wrote is in any table or entry name of the output', () => {
    const pii = readFileSync(`${download}.truth/pii.txt`, 'utf8').split('\n').filter(Boolean);
    const texts = Object.values(views).flatMap((view) => [
      ...view.entries.map((e) => e.name),
      ...Object.values(view.tables).flatMap((rows) => rows.map((row) => row.join(','))),
    ]);
    const text = texts.join('\n').toLowerCase();
    expect(pii.length).toBeGreaterThan(100);
    expect(pii.filter((value) => text.includes(value.toLowerCase()))).toEqual([]);
  });

  it('the key is in no output byte; redaction.json holds counts', () => {
    const key = Buffer.from(hex, 'hex');
    for (const [name, bytes] of Object.entries(bytesOf(join(work, 'a')))) {
      for (const needle of [key, Buffer.from(hex), Buffer.from(key.toString('base64'))])
        expect([name, bytes.includes(needle)]).toEqual([name, false]);
    }
    const report = JSON.parse(readFileSync(join(work, 'a', 'redaction.json'), 'utf8'));
    expect(report.key).toBe('file');
    expect(report.tables.messages.columns.body.operator).toBe('scrub');
    expect(report.tables.messages.columns.body.changed).toBeGreaterThan(0);
    expect(report.attachments.private.dropped).toBeGreaterThan(0);
    expect(report.attachments.public.kept).toBeGreaterThan(0);
  });
});

describe('redact: keys and erasure', () => {
  it('two runs with the same key are byte-identical; another key shares no pseudonym', () => {
    const args = ['--policy', 'keep-public.yaml', '--max-part-mb', '1', '-q'];
    run(['redact', download, '-o', 'same', ...args], { TALENT_EXPORT_REDACT_KEY: hex });
    const [same, a] = [bytesOf(join(work, 'same')), bytesOf(join(work, 'a'))];
    expect(Object.keys(same).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) {
      // The report says where the key came from: a file there, the environment here.
      const expected =
        name === 'redaction.json' ? a[name]!.toString().replace('"key": "file"', '"key": "env"') : a[name];
      expect([name, same[name]!.equals(Buffer.from(expected!))]).toEqual([name, true]);
    }
    run(['redact', download, '-o', 'b', '--key-file', 'other', ...args]);
    const ids = (v: Record<string, ZipView>) => {
      const rows = table(v, 'Candidate.csv');
      const at = rows[0]!.indexOf('candidate_id');
      return new Set(rows.slice(1).map((r) => r[at]));
    };
    const [first, second] = [ids(views), ids(readZips(join(work, 'b')))];
    expect(first.size).toBeGreaterThan(100);
    expect([...second].filter((id) => first.has(id))).toEqual([]);
    expect([...folders(readZips(join(work, 'b'))).ids].filter((id) => first.has(id!))).toEqual([]);
  });

  it('--key-file - reads the key from standard input: the bytes of the same key in a file', () => {
    const args = ['--policy', 'keep-public.yaml', '--max-part-mb', '1', '-q'];
    const piped = spawnSync(
      process.execPath,
      [bin, 'redact', download, '-o', 'piped', '--key-file', '-', ...args],
      {
        cwd: work,
        input: `${hex}\n`,
        encoding: 'utf8',
        env: { ...process.env, TALENT_EXPORT_REDACT_KEY: undefined },
      },
    );
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(1);
    const [same, a] = [bytesOf(join(work, 'piped')), bytesOf(join(work, 'a'))];
    for (const name of Object.keys(a)) expect([name, same[name]?.equals(a[name]!)]).toEqual([name, true]);
    // Nothing piped: said of standard input, not of a file named "-".
    const none = spawnSync(
      process.execPath,
      [bin, 'redact', download, '-o', 'no-key', '--key-file', '-', '-q'],
      {
        cwd: work,
        input: '',
        encoding: 'utf8',
      },
    );
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('REDACT_BAD_KEY: the key on standard input holds a key of 0 byte(s)');
    // Standard input is read once: both lists cannot come from it.
    const both = run(['redact', download, '-o', 'both', '--key-file', '-', '--drop-candidates', '-', '-q']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--key-file - and --drop-candidates - both read standard input');
    expect(existsSync(join(work, 'no-key'))).toBe(false);
  });

  it('--drop-candidates removes every row of those candidates and their folders; the report counts them', () => {
    const rows = table(views, 'Candidate.csv');
    const at = rows[0]!.indexOf('candidate_id');
    const source = table(readZips(download), 'Candidate.csv');
    const gone = [source[3]![at]!, source[7]![at]!];
    const pseudonyms = [rows[3]![at]!, rows[7]![at]!];
    writeFileSync(join(work, 'erase.txt'), `${gone.join('\n')}\n`);
    const r = run([
      'redact',
      download,
      '-o',
      'erased',
      '--key-file',
      'key',
      '--policy',
      'keep-public.yaml',
      '--drop-candidates',
      'erase.txt',
      '--max-part-mb',
      '1',
      '-q',
    ]);
    expect(r.code).toBe(1);
    const erased = readZips(join(work, 'erased'));
    const report = JSON.parse(readFileSync(join(work, 'erased', 'redaction.json'), 'utf8'));
    for (const [name, t] of Object.entries(erased['export.zip']!.tables)) {
      const before = views['export.zip']!.tables[name]!;
      const hits = before.filter((row) => row.some((cell) => pseudonyms.includes(cell)));
      expect(t.filter((row) => row.some((cell) => pseudonyms.includes(cell)))).toEqual([]);
      expect(before.length - t.length).toBe(hits.length);
    }
    const ids = new Set(gone);
    expect(report.rows.candidates.dropped).toBe(source.filter((row) => ids.has(row[at]!)).length);
    expect(report.rows.messages.dropped).toBeGreaterThan(0);
    for (const id of pseudonyms) expect(folders(erased).ids.has(id)).toBe(false);
    expect(folders(erased).ids.size).toBe(folders(views).ids.size - 2);
    expect(report.problems.map((p: { code: string }) => p.code)).not.toContain('CANDIDATE_UNKNOWN');
  });

  it('--drop-candidates: a list saved by a spreadsheet is read; ids in no candidates row are a problem, never a silent no-op', () => {
    const source = table(readZips(download), 'Candidate.csv');
    const at = source[0]!.indexOf('candidate_id');
    const [quoted, plain] = [source[3]![at]!, source[7]![at]!];
    // As a spreadsheet saves a one-column list: BOM, a header, CRLF, a cell quoted.
    writeFileSync(
      join(work, 'erase-sheet.txt'),
      `\ufeffcandidate_id\r\n"${quoted}"\r\n${plain}\r\n404404\r\n`,
    );
    const r = run([
      'redact',
      download,
      '-o',
      'erased-sheet',
      '--key-file',
      'key',
      '--drop-candidates',
      'erase-sheet.txt',
    ]);
    expect(r.code).toBe(1);
    // The summary says which ids and what to do, as every command's does: an erasure not done is no code alone.
    expect(r.stderr).toContain(
      'problem  CANDIDATE_UNKNOWN: 1 id(s) of --drop-candidates are in no row of the candidates table (e.g. 404404), so nothing was dropped for them; check the list',
    );
    const report = JSON.parse(readFileSync(join(work, 'erased-sheet', 'redaction.json'), 'utf8'));
    expect(report.problems).toContainEqual({ code: 'CANDIDATE_UNKNOWN', table: 'candidates' });
    // The header line is skipped and the quoted id read as the id: only 404404 is in no row.
    expect(report.rows.candidates.dropped).toBe(
      source.filter((row) => row[at] === plain || row[at] === quoted).length,
    );
  });

  it('--drop-candidates reads a sheet of erasure requests as bundle --candidates-file does: exactly its candidates go', () => {
    const source = table(readZips(download), 'Candidate.csv');
    const at = source[0]!.indexOf('candidate_id');
    const [formula, typed, grouped] = [source[2]![at]!, source[5]![at]!, source[9]![at]!];
    expect(grouped).toMatch(/^\d{7,}$/);
    // Saved from a sheet: several columns, names with commas, ids kept as text by formulas (as the CSV
    // quotes one, and as a tool writes one), digits grouped as the sheet showed them.
    writeFileSync(
      join(work, 'erase-requests.csv'),
      '\ufeff"Asked on","Name","Candidate ID","Notes"\r\n' +
        `2024-05-03,"Lopez, Ana","=""${formula}""","by mail; all data"\r\n` +
        `2024-05-04,Bo,="${typed}",\r\n` +
        `2024-05-06,Cy,"${grouped.replace(/\B(?=(\d{3})+$)/g, ',')}",phone\r\n`,
    );
    const r = run([
      'redact',
      download,
      '-o',
      'erased-requests',
      '--key-file',
      'key',
      '--drop-candidates',
      'erase-requests.csv',
      '-q',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'erased-requests', 'redaction.json'), 'utf8'));
    expect(report.problems.map((p: { code: string }) => p.code)).not.toContain('CANDIDATE_UNKNOWN');
    const gone = new Set([formula, typed, grouped]);
    const dropped = source.slice(1).filter((row) => gone.has(row[at]!)).length;
    expect(dropped).toBeGreaterThanOrEqual(3);
    expect(report.rows.candidates.dropped).toBe(dropped);
    const left = table(readZips(join(work, 'erased-requests')), 'Candidate.csv');
    expect(left.length).toBe(source.length - dropped);
  });
});

describe('redact: usage', () => {
  it('--verify proves the output clean in redaction.json; a policy that keeps names fails it, naming no value', () => {
    const args = ['--key-file', 'key', '--max-part-mb', '1', '--verify', '--threads', '2'];
    const clean = run(['redact', download, '-o', 'verified', ...args]);
    // The source's planted orphans make it 1 with or without --verify.
    expect(clean.code).toBe(1);
    const proof = JSON.parse(readFileSync(join(work, 'verified', 'redaction.json'), 'utf8')).verify;
    expect(proof).toMatchObject({ hits: 0, places: [], unreadable: [] });
    expect(proof.values).toBeGreaterThan(300);
    expect(proof.entries).toBeGreaterThan(100);
    let keepNames = run(['redact', '--print-policy']).stdout;
    keepNames = keepNames.replace(/^ {4}candidate_id: pseudonym$/m, '$&\n    last_name: keep');
    expect(keepNames).toMatch(/last_name: keep/);
    writeFileSync(join(work, 'keep-names.yaml'), keepNames);
    const leaky = run(['redact', download, '-o', 'leaky', ...args, '--policy', 'keep-names.yaml']);
    expect(leaky.code).toBe(1);
    const found = JSON.parse(readFileSync(join(work, 'leaky', 'redaction.json'), 'utf8')).verify;
    expect(found.hits).toBeGreaterThan(0);
    expect(found.places.map((p: { entry?: string }) => p.entry)).toEqual([
      expect.stringMatching(/Candidate\.csv$/),
    ]);
    expect(leaky.stderr).toMatch(/candidates\.last_name \(name\)/);
    const pii = readFileSync(`${download}.truth/pii.txt`, 'utf8').split('\n');
    const output = leaky.stdout + leaky.stderr + JSON.stringify(found);
    expect(pii.filter((v) => v.length >= 5 && output.includes(v))).toEqual([]);
  });

  it('policy errors exit 2 naming the table, column or operator', () => {
    const cases = [
      ['tables:\n  nope:\n    x: keep\n', 'nope'],
      ['tables:\n  notes:\n    colour: keep\n', 'colour'],
      ['tables:\n  notes:\n    content: blur\n', 'blur'],
    ];
    for (const [text, named] of cases) {
      writeFileSync(join(work, 'bad.yaml'), text!);
      const r = run(['redact', download, '-o', 'bad', '--policy', 'bad.yaml']);
      expect([r.code, r.stderr.includes(named!)]).toEqual([2, true]);
      expect(existsSync(join(work, 'bad'))).toBe(false);
    }
    expect(run(['redact', download]).code).toBe(2);
    // What extract wrote, and a download with one part unzipped beside the others' zips: read as they are,
    // their files stored in the copy's parts.
    expect(run(['extract', download, '-o', 'extracted', '-q']).code).toBeLessThan(2);
    const extracted = run(['redact', 'extracted', '-o', 'from-extracted', '-q']);
    expect([extracted.code, extracted.stderr]).toEqual([1, '']);
    const half = join(work, 'half-unzipped');
    cpSync(download, half, { recursive: true });
    const part = readdirSync(half).find((n) => n.startsWith('Attachment_'))!;
    execFileSync('unzip', ['-q', join(half, part), '-d', join(half, 'unzipped')]);
    rmSync(join(half, part));
    const folder = run(['redact', half, '-o', 'from-half', '-q']);
    expect([folder.code, folder.stderr]).toEqual([1, '']);
    expect(unzipTest(join(work, 'from-half'))).toBe(true);
    expect(run(['redact', download, '-o', 'a']).stderr).toContain('not empty');
  });

  it('an --out that cannot be used is refused as extract refuses it: coded, exit 3, nothing left', () => {
    writeFileSync(join(work, 'a-file'), 'x');
    const file = run(['redact', download, '-o', 'a-file', '-q']);
    expect([file.code, file.stderr]).toEqual([
      3,
      expect.stringMatching(
        /^talent-export redact: EXPORT_OUT_UNWRITABLE: .*a-file exists and is not a folder/,
      ),
    ]);
    const under = run(['redact', download, '-o', join('a-file', 'out'), '-q']);
    expect([under.code, under.stderr]).toEqual([
      3,
      expect.stringMatching(/EXPORT_OUT_UNWRITABLE: .*ENOTDIR/),
    ]);
    const full = run(['redact', download, '-o', 'not-empty', '-q']);
    expect(full.code).toBeLessThan(2);
    const again = run(['redact', download, '-o', 'not-empty', '-q']);
    expect([again.code, again.stderr]).toEqual([
      3,
      expect.stringMatching(/EXPORT_OUT_NOT_EMPTY: .*is not empty/),
    ]);
    // A read-only disk where DIR goes (the key's temporary folder elsewhere is made), as root sees it too.
    const hook = join(work, 'read-only.mjs');
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs/promises';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const mkdir = fs.mkdir;',
        "fs.mkdir = async (p, ...rest) => { if (!String(p).includes('.redact-')) return mkdir(p, ...rest); throw Object.assign(new Error('EROFS: read-only file system, mkdir ' + p), { code: 'EROFS' }); };",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const ro = run(['redact', download, '-o', 'read-only', '-q'], { NODE_OPTIONS: `--import=${hook}` });
    expect([ro.code, ro.stderr]).toEqual([
      3,
      expect.stringMatching(
        /^talent-export redact: EXPORT_OUT_UNWRITABLE: .*read-only cannot be written \(EROFS: .*check the folder's permissions/,
      ),
    ]);
    expect(
      readdirSync(work).filter((name) => name.includes('read-only') && name !== 'read-only.mjs'),
    ).toEqual([]);
  });

  it('a full disk while export.csv or redaction.json is written is a coded error naming DIR, nothing left', () => {
    for (const name of ['export.csv', 'redaction.json']) {
      const hook = join(work, 'disk-full.mjs');
      writeFileSync(
        hook,
        [
          "import fs from 'node:fs/promises';",
          "import { syncBuiltinESMExports } from 'node:module';",
          'const writeFile = fs.writeFile;',
          `fs.writeFile = async (p, ...rest) => { if (!String(p).endsWith(${JSON.stringify(name)})) return writeFile(p, ...rest); throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); };`,
          'syncBuiltinESMExports();',
        ].join('\n'),
      );
      const r = run(['redact', download, '-o', 'disk-full', '-q'], { NODE_OPTIONS: `--import=${hook}` });
      expect([name, r.code, r.stderr]).toEqual([
        name,
        3,
        expect.stringMatching(
          /^talent-export redact: EXPORT_OUT_UNWRITABLE: .*disk-full cannot be written \(ENOSPC: .*free space/,
        ),
      ]);
      expect(readdirSync(work).filter((n) => n.includes('disk-full') && n !== 'disk-full.mjs')).toEqual([]);
    }
  });

  it('a DIR another run fills meanwhile is a coded error that says so; what is there stays', () => {
    // Another run publishes into DIR just before this one would: the hook makes it, with a file, first.
    const hook = join(work, 'other-run.mjs');
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs/promises';",
        "import { mkdirSync, writeFileSync } from 'node:fs';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const rename = fs.rename;',
        "fs.rename = async (from, to) => { if (String(to).endsWith('raced')) { mkdirSync(to); writeFileSync(to + '/other.txt', 'theirs'); } return rename(from, to); };",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const r = run(['redact', download, '-o', 'raced', '-q'], { NODE_OPTIONS: `--import=${hook}` });
    expect([r.code, r.stderr]).toEqual([
      3,
      expect.stringMatching(
        /^talent-export redact: EXPORT_OUT_UNWRITABLE: .*raced cannot be written \(ENOTEMPTY: .*another run into the same folder/,
      ),
    ]);
    expect(readdirSync(join(work, 'raced'))).toEqual(['other.txt']);
    expect(readdirSync(work).filter((n) => n.startsWith('.raced'))).toEqual([]);
  });

  it('writes through a DIR that links to an empty folder, and into a DIR named with 255 bytes', () => {
    mkdirSync(join(work, 'linked-real'));
    symlinkSync('linked-real', join(work, 'linked'));
    const linked = run(['redact', download, '-o', 'linked', '--key-file', 'key', '-q']);
    expect([linked.code, linked.stderr]).toEqual([1, '']);
    expect(readdirSync(join(work, 'linked')).sort()).toEqual(readdirSync(join(work, 'linked-real')).sort());
    expect(readdirSync(join(work, 'linked-real'))).toContain('redaction.json');
    const long = `${'é'.repeat(127)}x`;
    const named = run(['redact', download, '-o', long, '--key-file', 'key', '-q']);
    expect([named.code, named.stderr]).toEqual([1, '']);
    expect(readdirSync(join(work, long))).toContain('redaction.json');
  });

  it('writes into an empty DIR that is a mount point (a drive of its own), not beside it', (context) => {
    const drive = join(work, 'drive');
    mkdirSync(drive);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', drive], { stdio: 'ignore' });
    } catch {
      console.warn('redact: no file system could be mounted here (root on Linux); a mount point not checked');
      context.skip();
    }
    try {
      const r = run(['redact', download, '-o', 'drive', '--key-file', 'key', '-q']);
      expect([r.code, r.stderr]).toEqual([1, '']);
      expect(readdirSync(drive)).toContain('redaction.json');
      expect(readdirSync(drive).filter((name) => name.startsWith('.'))).toEqual([]);
    } finally {
      execFileSync('umount', [drive]);
    }
  });

  it("removes the private folder (a generated key) of a redacting run that was killed, not a live run's", () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const left = join(tmpdir(), `talent-export-redact-${dead}-AbC123`);
    const live = join(tmpdir(), `talent-export-redact-${process.pid}-AbC123`);
    for (const dir of [left, live]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'key'), 'a generated key');
    }
    try {
      expect(run(['redact', download, '-o', 'after-kill', '-q']).code).toBe(1);
      expect([existsSync(left), existsSync(live)]).toEqual([false, true]);
    } finally {
      rmSync(left, { recursive: true, force: true });
      rmSync(live, { recursive: true, force: true });
    }
  });

  it('--print-policy prints the default policy, which loads back to the same output', () => {
    writeFileSync(join(work, 'printed.yaml'), run(['redact', '--print-policy']).stdout);
    run(['redact', download, '-o', 'printed', '--key-file', 'key', '--policy', 'printed.yaml', '-q']);
    run(['redact', download, '-o', 'default', '--key-file', 'key', '-q']);
    expect(bytesOf(join(work, 'printed'))).toEqual(bytesOf(join(work, 'default')));
  });
});

describe('redact: interrupted', () => {
  // In this process, so the stop comes at a known point: once the hidden folder exists (tables being
  // written), or once it holds export.zip (attachment parts being written).
  it.each([
    ['tables', (names: string[]) => names.length > 0],
    ['attachments', (names: string[]) => names.includes('export.zip')],
  ])('a run stopped while writing %s leaves nothing, under DIR or beside it', async (_phase, when) => {
    const { main } = await import('./main.js');
    const parent = mkdtempSync(join(work, 'stop-'));
    const controller = new AbortController();
    let seen: string | undefined;
    const watch = setInterval(() => {
      if (controller.signal.aborted) return;
      const staging = readdirSync(parent).find((name) => name.startsWith('.out.redact-'));
      if (staging === undefined) return;
      seen = staging;
      let names: string[];
      try {
        names = readdirSync(join(parent, staging));
      } catch {
        // The run removed or renamed its hidden folder between the two reads.
        return;
      }
      if (when(names)) controller.abort();
    }, 1);
    const err: string[] = [];
    const code = await main(
      ['redact', download, '-o', join(parent, 'out'), '--key-file', join(work, 'key')],
      {
        signal: controller.signal,
        out: () => undefined,
        err: (text) => err.push(text),
      },
    );
    clearInterval(watch);
    expect([code, controller.signal.aborted]).toEqual([130, true]);
    expect(err.join('')).toContain('interrupted');
    expect(readdirSync(parent)).toEqual([]);
    // The process id in its name lets a later run remove it had this one been killed (SIGKILL).
    expect(seen).toMatch(new RegExp(`^\\.out\\.redact-${process.pid}-`));
  });
});

describe('redact: worker threads', () => {
  it('a table big enough to be cut into slices gives the same bytes with 1 and 2 threads', async () => {
    // Messages.csv of ~12 MB: decoded, redacted and encoded by worker threads.
    const big = join(work, 'big');
    await generateExport({ dir: big, candidates: 1500, messagesPerCandidate: 30, attachmentsMb: 1 });
    const args = ['--key-file', 'key', '-q'];
    expect(run(['redact', big, '-o', 'big-1', '--threads', '1', ...args]).code).toBe(1);
    expect(run(['redact', big, '-o', 'big-2', '--threads', '2', ...args]).code).toBe(1);
    expect(bytesOf(join(work, 'big-2'))).toEqual(bytesOf(join(work, 'big-1')));
    const rows = validate(join(work, 'big-2')).tables;
    expect(rows.messages!.rows).toBe(validate(big).tables.messages!.rows);
  }, 300_000);
});

describe('redact: a Windows export (byte order mark, CRLF line ends)', () => {
  it('keeps both in every table, a line break inside a value as it was, with 1 and 2 threads', () => {
    const dir = join(work, 'windows');
    mkdirSync(dir);
    const header = (t: TableName) => SCHEMAS[t].fields.map((f) => f.name).join(',');
    // Messages.csv of ~10 MB: cut into slices that worker threads encode.
    const body = '"Hi,\nwe ""loved"" your profile; talk soon?\nBest"';
    const messages = Array.from({ length: 140_000 }, (_, i) => `${i + 1},10,1,,Hello,${body},INMAIL`);
    const rows: Partial<Record<TableName, string[]>> = {
      candidates: ['1,10,Ann,Lee,,,,,,'],
      messages,
      notes: ['5,10,1,"two\nlines",,Project'],
    };
    const entries = TABLE_NAMES.map((t) => ({
      name: `Contract_1/${guideFile(t)}`,
      data: `\ufeff${[header(t), ...(rows[t] ?? [])].join('\r\n')}\r\n`,
    }));
    writeFileSync(join(dir, 'export.zip'), rawZip(entries));
    const zip = join(dir, 'export.zip');
    for (const threads of ['1', '2']) {
      const out = `windows-${threads}`;
      // Exit 1: project 10 is no row of Projects.csv (an orphan reference), written all the same.
      expect(run(['redact', zip, '-o', out, '--threads', threads, '--key-file', 'key', '-q']).code).toBe(1);
    }
    const entry = (out: string, name: string) =>
      execFileSync('unzip', ['-p', join(work, out, 'export.zip'), `Contract_1/${name}`], {
        maxBuffer: 64 << 20,
      });
    for (const t of TABLE_NAMES) {
      const text = entry('windows-2', guideFile(t)).toString('utf8');
      expect(text.startsWith(`\ufeff${header(t)}\r\n`)).toBe(true);
      expect(text.endsWith('\r\n')).toBe(true);
    }
    const notes = entry('windows-1', 'Notes.csv').toString('utf8');
    expect(notes).toContain('"two\nlines"');
    const big = entry('windows-2', 'Messages.csv');
    expect(big.equals(entry('windows-1', 'Messages.csv'))).toBe(true);
    const text = big.toString('utf8');
    // Each row ends with CRLF; each body keeps its two LF.
    expect(text.split('\r\n').length - 1).toBe(140_001);
    expect(text.split('\n').length - 1).toBe(140_001 + 2 * 140_000);
  }, 300_000);
});
