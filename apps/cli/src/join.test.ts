import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTableRefused } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-join-'));
  download = join(work, 'download');
  await generateExport({ dir: download, candidates: 150, attachmentsMb: 1, partMb: 1 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('talent-export join', () => {
  it('writes no documents when a table of export.zip is refused: they would lack its rows', () => {
    const dir = join(work, 'messages refused');
    withTableRefused(download, dir, 'Messages.csv');
    const out = join(work, 'messages-refused-documents');
    const { code, stderr } = run(['join', dir, '--out', out]);
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /JOIN_TABLE_MISSING: .*the messages table\(s\) cannot be read \(.*compression method 12.*Messages\.csv.*the documents would lack its rows.*then join again/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('writes one document per candidate, orphans and projects, and exits 1 for the planted orphans', () => {
    const out = join(work, 'docs');
    const { code, stderr } = run(['join', download, '--out', out, '--by', 'candidate,project']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/ORPHAN_ROWS/);
    expect(readdirSync(out).sort()).toEqual([
      'candidates.ndjson',
      'candidates.schema.json',
      'manifest.json',
      'orphans.ndjson',
      'projects.ndjson',
      'projects.schema.json',
    ]);
    const docs = readFileSync(join(out, 'candidates.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.report.documents).toBe(docs.length);
    expect(new Set(docs.map((d) => d.candidate_id)).size).toBe(docs.length);
    // No personal data in what the terminal shows: counts, codes and ids only.
    const first = docs[0];
    expect(stderr).not.toContain(first.last_name);
    expect(stderr).not.toContain(first.profile_url);
  });

  it('a disk that fills up on manifest.json ends with exit 3 and leaves nothing, not even the folder', (context) => {
    const sized = join(work, 'sized');
    run(['join', download, '--out', sized, '--quiet']);
    const pages = (name: string) => Math.ceil(statSync(join(sized, name)).size / 4096) * 4096;
    expect(pages('manifest.json')).toBeGreaterThan(4096);
    const room = readdirSync(sized)
      .filter((name) => name !== 'manifest.json')
      .reduce((sum, name) => sum + pages(name), 0);
    const disk = join(work, 'disk');
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${room + 4096}`, 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      console.warn('join: no small file system could be mounted here (root on Linux); ENOSPC not checked');
      context.skip();
    }
    try {
      const args = ['--tmp', join(work, 'spill'), '--quiet'];
      const r = run(['join', download, '--out', join(disk, 'docs'), ...args]);
      expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(/WRITER_IO: .*manifest\.json.*ENOSPC/)]);
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('removes the files of an earlier join into the folder that this one does not write, and no other file', () => {
    const out = join(work, 'again');
    expect(run(['join', download, '--out', out, '--by', 'candidate,project', '-q']).code).toBe(1);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['projects.ndjson', 'projects.schema.json']));
    writeFileSync(join(out, 'mine.ndjson'), '{}\n');
    const again = run(['join', download, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `replaced what an earlier join wrote to ${out}; removed projects.ndjson, projects.schema.json, which this run does not write`,
    );
    expect(readdirSync(out).sort()).toEqual([
      'candidates.ndjson',
      'candidates.schema.json',
      'manifest.json',
      'mine.ndjson',
      'orphans.ndjson',
    ]);
  });

  it("refuses convert's folder, and convert a join's: each would replace the other's candidates.ndjson", () => {
    const lake = join(work, 'lake');
    expect(run(['convert', download, '--out', lake, '-q']).code).toBeLessThan(2);
    const converted = readdirSync(lake).sort();
    const joined = run(['join', download, '--out', lake, '-q']);
    expect(joined.code).toBe(2);
    expect(joined.stderr).toContain(`--out ${lake} holds what convert wrote (its manifest.json lists it)`);
    expect(readdirSync(lake).sort()).toEqual(converted);
    const documents = join(work, 'documents');
    expect(run(['join', download, '--out', documents, '-q']).code).toBe(1);
    const before = readdirSync(documents).sort();
    const converting = run(['convert', download, '--out', documents, '--tables', 'notes', '-q']);
    expect(converting.code).toBe(2);
    expect(converting.stderr).toContain('give convert a folder of its own');
    expect(readdirSync(documents).sort()).toEqual(before);
  });

  it('refuses Parquet, saying why, and wants --out', () => {
    const parquet = run(['join', download, '--out', join(work, 'p'), '--to', 'parquet']);
    expect(parquet.code).toBe(2);
    expect(parquet.stderr).toMatch(/nested/);
    expect(run(['join', download]).code).toBe(2);
    const help = run(['join', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
  });

  it('stops on Ctrl-C with exit 130, leaving neither output nor temporary files', async () => {
    const big = join(work, 'big');
    await generateExport({ dir: big, seed: 3, candidates: 20000, messagesPerCandidate: 6, attachmentsMb: 1 });
    const out = join(work, 'interrupted');
    const tmp = join(work, 'tmp');
    const child = spawn(process.execPath, [bin, 'join', big, '--out', out, '--tmp', tmp, '--quiet']);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Interrupt once rows are being spilled: the temporary folder exists.
    const spilling = () => existsSync(tmp) && readdirSync(tmp).length > 0;
    for (let i = 0; i < 600 && !spilling(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(spilling()).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
  });

  it('a candidates table refused as a zip bomb: join and bundle say why and what raises the cap', () => {
    const dir = join(work, 'repetitive');
    mkdirSync(dir);
    // A spreadsheet's thousands of blank columns: a genuine table that deflates past the 200x cap.
    const make = `
import sys, zipfile
blank = ',' * 16000
rows = ['candidate_id,project_id,first_name,last_name' + blank] + [f'{i},1,A,B' + blank for i in range(1, 80)]
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('Candidate.csv', '\\n'.join(rows) + '\\n')
`;
    execFileSync('python3', ['-c', make, join(dir, 'export.zip')]);
    for (const args of [['join'], ['bundle', '--candidates', '1']]) {
      const [command, ...rest] = args;
      const refused = run([command!, dir, '--out', join(dir, `${command}-capped`), ...rest]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(
        /JOIN_TABLE_MISSING: .*refused.*inflates \d+x.*raise the cap with --max-ratio/,
      );
      const raised = run([
        command!,
        dir,
        '--out',
        join(dir, `${command}-raised`),
        ...rest,
        '--max-ratio',
        '5000',
      ]);
      expect(raised.stderr).not.toMatch(/JOIN_TABLE_MISSING/);
    }
  });

  // The summary's counts were bare (27658) beside every other line's 27,658.
  it('writes the summary counts with thousands separators, as every other summary does', async () => {
    const dir = join(work, 'thousands');
    await generateExport({ dir, candidates: 400, attachmentsMb: 1, partMb: 1 });
    const { stderr } = run(['join', dir, '--out', join(work, 'thousands-documents')]);
    const messages = /^ {2}messages +(\S+) in documents/m.exec(stderr)?.[1];
    expect(messages).toMatch(/^\d{1,3}(,\d{3})+$/);
  });

  // A project without candidates is in no candidate's document: its custom field values were counted
  // "in projects" and written nowhere, exit 0.
  it('says that the custom field values of a project without candidates are left out, and what writes them', () => {
    const dir = join(work, 'project-without-candidates');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Candidates.csv'), 'candidate_id,project_id,first_name\r\n1,10,Ana\r\n');
    writeFileSync(join(dir, 'Projects.csv'), 'project_id,project_name\r\n10,Backend\r\n30,Draft\r\n');
    writeFileSync(
      join(dir, 'CustomFieldValues.csv'),
      'custom_field_id,entity_type,entity_id,custom_field_values\r\n7,project,10,100\r\n7,project,30,300\r\n',
    );
    const alone = run(['join', dir, '--out', join(work, 'project-without-candidates-documents')]);
    // 1 also for the seven tables this export lacks (TABLE_MISSING).
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/^ {2}custom_field_values +0 in documents, 1 in projects, 1 left out$/m);
    expect(alone.stderr).toMatch(
      /PROJECT_VALUES_LEFT_OUT: custom_field_values: 1 value\(s\) of 1 project\(s\) that no candidates row names \(e\.g\. 30\) are in no document.*run join with --by project/,
    );
    const byProject = run([
      'join',
      dir,
      '--out',
      join(work, 'project-without-candidates-both'),
      '--by',
      'candidate,project',
    ]);
    expect(byProject.stderr).not.toMatch(/PROJECT_VALUES_LEFT_OUT/);
    expect(byProject.stderr).toMatch(/^ {2}custom_field_values +0 in documents, 2 in projects$/m);
  });
});
