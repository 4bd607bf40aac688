import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { guideFile, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rawZip, withTableRefused } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const helpOf = (command: string) =>
  spawnSync(process.execPath, [bin, command, '--help'], { encoding: 'utf8' }).stdout;
let work: string;
let download: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Candidate ids with a folder in the parts, from Info-ZIP's listing of them. */
function candidatesOf(dir: string): string[] {
  const ids = new Set<string>();
  for (const part of readdirSync(dir).filter((n) => n.startsWith('Attachment_')))
    for (const m of execFileSync('unzip', ['-Z1', join(dir, part)], { encoding: 'utf8' }).matchAll(
      /Candidate_(\d+)\//g,
    ))
      ids.add(m[1]!);
  return [...ids];
}

/** Whether Info-ZIP lists a folder of the candidate in the part. */
const unzipHas = (part: string, id: string) =>
  execFileSync('unzip', ['-Z1', part], { encoding: 'utf8' }).includes(`/Candidate_${id}/`);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-bundle-'));
  download = join(work, 'download');
  await generateExport({ dir: download, candidates: 150, attachmentsMb: 1, partMb: 1 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('talent-export bundle', () => {
  it('writes Candidate_<id>.zip per id, names an unknown id with exit 1, and prints no personal data', () => {
    const [a, b] = candidatesOf(download);
    const out = join(work, 'requests');
    const ids = join(work, 'ids.txt');
    writeFileSync(ids, `candidate_id\n${b}\n424242424242\n`);
    const { code, stderr } = run([
      'bundle',
      download,
      '--out',
      out,
      '--candidates',
      a!,
      '--candidates-file',
      ids,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /CANDIDATE_UNKNOWN: 1 candidate id\(s\) asked for are not in the candidates table: 424242424242/,
    );
    expect(stderr).toMatch(/bundles {2}2 of 3 candidate\(s\)/);
    expect(readdirSync(out).sort()).toEqual([`Candidate_${a}.zip`, `Candidate_${b}.zip`].sort());
    for (const name of readdirSync(out)) execFileSync('unzip', ['-tqq', join(out, name)]);
    const document = JSON.parse(
      execFileSync('unzip', ['-p', join(out, `Candidate_${a}.zip`), 'candidate.json'], { encoding: 'utf8' }),
    );
    expect(document.candidate_id).toBe(a);
    for (const value of [document.last_name, document.profile_url, ...(document.emails ?? [])])
      if (typeof value === 'string' && value.length > 3) expect(stderr).not.toContain(value);
  });

  it("prints nothing of another candidate's rows, files or id: those problems are one count", () => {
    const dir = join(work, 'others');
    cpSync(download, dir, { recursive: true });
    const [mine, other] = candidatesOf(download);
    // Another candidate's file twice (refused), one outside the kind folders, and a stray file.
    const part = `
import sys, warnings, zipfile
warnings.simplefilter('ignore')
path, other = sys.argv[1:]
with zipfile.ZipFile(path, 'w') as z:
    z.writestr(f'Candidate_{other}/Public/cv.pdf', 'first')
    z.writestr(f'Candidate_{other}/Public/cv.pdf', 'second')
    z.writestr(f'Candidate_{other}/Scans/passport.pdf', 'scan')
    z.writestr('stray.txt', 'stray')
`;
    execFileSync('python3', ['-c', part, join(dir, 'Attachment_1-2.zip'), other!]);
    const { code, stderr } = run(['bundle', dir, '--out', join(work, 'others-out'), '--candidates', mine!]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/notice {3}PROBLEMS_ELSEWHERE: not shown, .*ENTRY_REFUSED: 1.*UNKNOWN_FILE: 2/);
    // No id but the one asked for: the other candidates' ids are all 6 digits or more.
    const ids = [...stderr.matchAll(/\d{6,}/g)].map((m) => m[0]);
    expect(ids.filter((id) => id !== mine)).toEqual([]);
    expect(stderr).not.toMatch(/Candidate_|stray|passport/);
  });

  it('an --out no archive can be written in is said before the tables are read (exit 3)', () => {
    // A read-only disk, as root sees it too: only writing in the folder fails.
    const hook = join(work, 'read-only-out.mjs');
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs/promises';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const access = fs.access;',
        "fs.access = async (p, ...rest) => { if (!String(p).endsWith('read-only-out')) return access(p, ...rest); throw Object.assign(new Error('EROFS: read-only file system, access ' + p), { code: 'EROFS' }); };",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const tmp = join(work, 'elsewhere');
    mkdirSync(tmp, { recursive: true });
    const [id] = candidatesOf(download);
    const r = spawnSync(
      process.execPath,
      [`--import=${hook}`, bin, 'bundle', download, '-o', 'read-only-out', '--tmp', tmp, '--candidates', id!],
      { encoding: 'utf8', cwd: work },
    );
    expect([r.status, r.stderr]).toEqual([
      3,
      'talent-export bundle: JOIN_TEMP_IO: could not write in read-only-out: EROFS: read-only file system, access read-only-out; that disk is read-only; give a folder on a writable one (--out, --tmp)\n',
    ]);
    expect(existsSync(join(work, 'read-only-out'))).toBe(false);
  });

  it('writes no bundle for a candidate whose part cannot be read (exit 3), the others as usual', async () => {
    const dir = join(work, 'cut');
    await generateExport({ dir, candidates: 60, attachmentsMb: 3, partMb: 1 });
    const parts = readdirSync(dir)
      .filter((n) => n.startsWith('Attachment_'))
      .sort();
    expect(parts.length).toBeGreaterThan(1);
    const idsIn = (part: string) => candidatesOf(dir).filter((id) => unzipHas(join(dir, part), id));
    const [inCut] = idsIn(parts[1]!);
    const [whole] = idsIn(parts[0]!);
    // The part cut short, as an unfinished download is.
    const cut = join(dir, parts[1]!);
    truncateSync(cut, statSync(cut).size - 5000);
    const out = join(work, 'cut-requests');
    const { code, stderr } = run(['bundle', dir, '--out', out, '--candidates', `${whole},${inCut}`]);
    expect(code).toBe(3);
    // Its entries before the cut are read, but not those after it: a candidate in its range gets no bundle.
    expect(stderr).toMatch(/PART_TRUNCATED/);
    expect(stderr).toMatch(
      new RegExp(
        `BUNDLE_INCOMPLETE: 1 candidate\\(s\\) may have attachments in ${parts[1]} \\(is cut short\\).*: ${inCut}`,
      ),
    );
    expect(readdirSync(out)).toEqual([`Candidate_${whole}.zip`]);
  });

  it('writes no bundle for a candidate whose part export.csv lists is not in the folder (exit 3)', async () => {
    const dir = join(work, 'gone');
    await generateExport({ dir, candidates: 60, attachmentsMb: 3, partMb: 1 });
    const parts = readdirSync(dir)
      .filter((n) => n.startsWith('Attachment_'))
      .sort();
    expect(parts.length).toBeGreaterThan(1);
    const idsIn = (part: string) =>
      new Set(
        [
          ...execFileSync('unzip', ['-Z1', join(dir, part)], { encoding: 'utf8' }).matchAll(
            /Candidate_(\d+)\//g,
          ),
        ].map((m) => m[1]!),
      );
    const [first, second] = [idsIn(parts[0]!), idsIn(parts[1]!)];
    const inGone = [...second].find((id) => !first.has(id));
    const whole = [...first].find((id) => !second.has(id));
    rmSync(join(dir, parts[1]!));
    const out = join(work, 'gone-requests');
    const { code, stderr } = run(['bundle', dir, '--out', out, '--candidates', `${whole},${inGone}`]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/MANIFEST_MISSING_FILE/);
    expect(stderr).toMatch(
      new RegExp(
        `BUNDLE_INCOMPLETE: 1 candidate\\(s\\) may have attachments in ${parts[1]} \\(not in the folder\\).*: ${inGone}`,
      ),
    );
    expect(readdirSync(out)).toEqual([`Candidate_${whole}.zip`]);
  });

  it('says a folder in the way of an archive is in the way, not that space or rights are lacking (exit 3)', () => {
    const [id] = candidatesOf(download);
    const out = join(work, 'in-the-way');
    mkdirSync(join(out, `Candidate_${id}.zip`), { recursive: true });
    const r = run(['bundle', download, '--out', out, '--candidates', id!, '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`BUNDLE_IO: Could not rename into place ${join(out, `Candidate_${id}.zip`)}`);
    expect(r.stderr).toContain('A folder of that name is in the way: move or remove it and run again.');
    expect(readdirSync(out)).toEqual([`Candidate_${id}.zip`]);
  });

  it('refuses a Candidate_<id>.zip it did not write (exit 2), leaving it whole; replaces one it wrote', () => {
    const [a, b] = candidatesOf(download);
    const out = join(work, 'mixed');
    mkdirSync(out);
    // A user's own file under a bundle's name: replaced, or removed for an id with no archive, it was lost.
    writeFileSync(join(out, `Candidate_${b}.zip`), rawZip([{ name: 'resume.pdf', data: 'mine' }]));
    writeFileSync(join(out, 'Candidate_424242424242.zip'), 'mine');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const r = run(['bundle', download, '--out', out, '--candidates', `${a},${b},424242424242`, '-q']);
    expect([r.code, r.stderr]).toEqual([
      2,
      `talent-export bundle: CLI_USAGE: --out ${out} holds Candidate_${b}.zip, Candidate_424242424242.zip, which no earlier bundle wrote (no candidate.json first in them); bundle would replace them: move them away, or give another folder\nTry "talent-export bundle --help".\n`,
    ]);
    expect(readdirSync(out).sort()).toEqual(
      [`Candidate_${b}.zip`, 'Candidate_424242424242.zip', 'notes.txt'].sort(),
    );
    expect(readFileSync(join(out, 'Candidate_424242424242.zip'), 'utf8')).toBe('mine');
    // Its own archives are replaced, other files left alone.
    rmSync(join(out, `Candidate_${b}.zip`));
    rmSync(join(out, 'Candidate_424242424242.zip'));
    expect(run(['bundle', download, '--out', out, '--candidates', `${a},${b}`, '-q']).code).toBe(0);
    expect(run(['bundle', download, '--out', out, '--candidates', `${a},${b}`, '-q']).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([`Candidate_${a}.zip`, `Candidate_${b}.zip`, 'notes.txt'].sort());
  });

  it('bundles from a part unzipped beside export.zip, its zip not kept', () => {
    const dir = join(work, 'unzipped');
    cpSync(download, dir, { recursive: true });
    const [part] = readdirSync(dir).filter((n) => n.startsWith('Attachment_'));
    const [id] = candidatesOf(dir);
    execFileSync('unzip', ['-q', join(dir, part!), '-d', dir]);
    rmSync(join(dir, part!));
    const out = join(work, 'unzipped-requests');
    const { code, stderr } = run(['bundle', dir, '--out', out, '--candidates', id!]);
    expect(stderr).not.toMatch(/BUNDLE_INCOMPLETE|MANIFEST_MISSING_FILE/);
    expect(code).toBe(0);
    expect(readdirSync(out)).toEqual([`Candidate_${id}.zip`]);
  });

  it('makes no folder when no id asked for is in the export: nothing was written there', () => {
    const out = join(work, 'none-known');
    const r = run(['bundle', download, '--out', out, '--candidates', '424242424242']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CANDIDATE_UNKNOWN: 1 candidate id\(s\) asked for/);
    expect(r.stderr).toMatch(/\nwrote no archive in \d+\.\d s\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it("writes no archive when a table of export.zip is refused: each would lack the candidate's rows there", () => {
    const dir = join(work, 'notes refused');
    withTableRefused(download, dir, 'Notes.csv');
    const [id] = candidatesOf(download);
    const out = join(work, 'notes-refused-requests');
    const r = run(['bundle', dir, '--out', out, '--candidates', id!]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /JOIN_TABLE_MISSING: .*the notes table\(s\) cannot be read \(.*compression method 12.*Notes\.csv.*every bundle would lack .*ask for these ids again/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('reads the parts with --max-ratio as given: a very repetitive attachment is refused, then bundled', () => {
    const dir = join(work, 'repetitive');
    cpSync(download, dir, { recursive: true });
    const [id] = candidatesOf(download);
    const make = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(f'Candidate_{sys.argv[2]}/Miscellaneous/zeros.txt', bytes(3 << 20))
`;
    execFileSync('python3', ['-c', make, join(dir, `Attachment_${id}-${id}.zip`), id!]);
    const refused = run(['bundle', dir, '--out', join(work, 'capped'), '--candidates', id!]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/ENTRY_REFUSED: .*raise the cap with --max-ratio/);
    expect(readdirSync(join(work, 'capped'))).toEqual([`Candidate_${id}.zip`]);
    const out = join(work, 'raised');
    const raised = run(['bundle', dir, '--out', out, '--candidates', id!, '--max-ratio', '5000']);
    expect(raised.stderr).not.toMatch(/ENTRY_REFUSED|ZIP_RATIO/);
    const listing = execFileSync('unzip', ['-l', join(out, `Candidate_${id}.zip`)], { encoding: 'utf8' });
    expect(listing).toMatch(/3145728 .*attachments\/Miscellaneous\/zeros\.txt/);
  });

  it('writes times of its CSVs as the export wrote them (epoch milliseconds stay epoch milliseconds), as --help says', () => {
    const dir = join(work, 'epoch-times');
    mkdirSync(dir);
    const header = (table: TableName) => SCHEMAS[table].fields.map((f) => f.name).join(',');
    const tables: Partial<Record<TableName, string>> = {
      candidates: `${header('candidates')}\n1,10,A,B,,,,,,\n`,
      custom_field_values:
        'custom_field_id,entity_type,entity_id,custom_field_values,created_time,last_modified_time\n' +
        '5,CANDIDATE,1,x,1611683100000,1611683100123\n',
    };
    const entries = TABLE_NAMES.map((table) => ({
      name: `Contract_1/${guideFile(table)}`,
      data: tables[table] ?? `${header(table)}\n`,
    }));
    writeFileSync(join(dir, 'export.zip'), rawZip(entries));
    // 1: BUNDLE_NO_PARTS, a lone export.zip has no attachments to put in the bundle.
    expect(
      run(['bundle', join(dir, 'export.zip'), '--out', join(dir, 'out'), '--candidates', '1', '-q']).code,
    ).toBe(1);
    expect(helpOf('bundle').replace(/\s+/g, ' ')).toContain('every cell as the export wrote it');
    const csv = execFileSync('unzip', ['-p', join(dir, 'out', 'Candidate_1.zip'), 'CustomFieldValues.csv'], {
      encoding: 'utf8',
    });
    expect(csv.split('\n')[1]).toBe('5,CANDIDATE,1,x,1611683100000,1611683100123');
  });

  it('wants ids and --out', () => {
    expect(run(['bundle', download, '--out', join(work, 'none')]).code).toBe(2);
    expect(run(['bundle', download, '--candidates', '1']).code).toBe(2);
    expect(run(['bundle', download, '--out', join(work, 'none'), '--candidates', '../1']).code).toBe(2);
    const help = run(['bundle', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
  });

  it('stops on Ctrl-C with exit 130: only whole archives, no temporary file', async () => {
    const big = join(work, 'big');
    await generateExport({ dir: big, seed: 5, candidates: 3000, attachmentsMb: 30 });
    const ids = join(work, 'all.txt');
    writeFileSync(ids, candidatesOf(big).join('\n'));
    const out = join(work, 'interrupted');
    const tmp = join(work, 'tmp');
    const child = spawn(process.execPath, [
      bin,
      'bundle',
      big,
      '--out',
      out,
      '--tmp',
      tmp,
      '--candidates-file',
      ids,
      '-q',
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Interrupt once archives are being written.
    const writing = () => existsSync(out) && readdirSync(out).some((n) => n.endsWith('.zip'));
    for (let i = 0; i < 2400 && !writing(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(writing()).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    const left = readdirSync(out);
    expect(left.length).toBeLessThan(3000);
    for (const name of left) {
      expect(name).toMatch(/^Candidate_\d+\.zip$/);
      execFileSync('unzip', ['-tqq', join(out, name)]);
    }
    // The temporary folder the run made goes with it.
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
  }, 120_000);
});
