import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from './commands/extract.js';
import { HELP } from './help.js';
import { main } from './main.js';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;

function run(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function report(path: string) {
  const r = run(['inspect', path, '--json', '--quiet']);
  return JSON.parse(r.stdout);
}

/** Every path below a folder, relative, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const candidateFolders = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.startsWith('Candidate_'))
    .sort();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-extract-'));
  download = join(work, 'download');
  // The default seed, so the ids in --help's examples are in it.
  await generateExport({ dir: download, candidates: 60, attachmentsMb: 2, partMb: 1 });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('extract', () => {
  it('gives a folder that inspect and validate read as "extracted" with the counts of the download', () => {
    const out = join(work, 'all');
    const r = run(['extract', download, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/extract: no problems found\nwrote \d+ file\(s\) to/);
    const [before, after] = [report(download), report(out)];
    expect(after.export.layout).toBe('extracted');
    expect(before.attachments.parts.length).toBeGreaterThan(1);
    expect(after.attachments.parts.map((p: { file: string }) => p.file)).toEqual(['.']);
    for (const [table, counts] of Object.entries(before.tables))
      expect(after.tables[table].rows).toBe((counts as { rows: number }).rows);
    for (const key of ['files', 'markers', 'bytes', 'candidates', 'candidateFolders'])
      expect(after.attachments[key]).toBe(before.attachments[key]);
    // export.csv came along, and its Statistics still add up.
    expect(after.problems.map((p: { code: string }) => p.code)).toEqual(
      before.problems.map((p: { code: string }) => p.code),
    );
    expect(readdirSync(out)).toContain('Candidate.csv');
    const validated = spawnSync(process.execPath, [bin, 'validate', out, '--json', '--quiet'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(validated.stdout).attachments).toMatchObject({
      verified: true,
      files: before.attachments.files,
    });
  });

  it("refuses --out inside an extracted export: it would be read as the export's own files next time", () => {
    const extracted = join(work, 'extracted-once');
    expect(run(['extract', download, '--out', extracted, '-q']).code).toBe(0);
    const r = run(['extract', extracted, '--out', join(extracted, 'again'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `--out ${join(extracted, 'again')} is inside the extracted export ${extracted}: its tables and Candidate_<id> folders would be read as the export's own from then on (every file twice); give a folder outside it`,
    );
    expect(existsSync(join(extracted, 'again'))).toBe(false);
    // Its tables alone, in the contract's folder as export.zip holds them: the folder given is the export.
    const tables = join(work, 'tables-only');
    mkdirSync(tables);
    execFileSync('unzip', ['-q', join(download, 'export.zip'), '-d', tables]);
    const inner = run(['extract', tables, '--out', join(tables, 'copy'), '-q']);
    expect(inner.code).toBe(2);
    expect(inner.stderr).toContain(`--out ${join(tables, 'copy')} is inside the extracted export ${tables}:`);
    expect(existsSync(join(tables, 'copy'))).toBe(false);
    // Through a link to the export, the output would land inside it all the same.
    const link = join(work, 'link-to-extracted');
    symlinkSync(extracted, link);
    const linked = run(['extract', extracted, '--out', join(link, 'copy'), '-q']);
    expect(linked.code).toBe(2);
    expect(existsSync(join(extracted, 'copy'))).toBe(false);
    // A sibling whose name merely starts like the export's is outside it.
    expect(run(['extract', tables, '--out', `${tables}-out`, '-q']).code).toBe(0);
  });

  it('--no-markers leaves out every empty.txt and nothing else', () => {
    const out = join(work, 'no-markers');
    expect(run(['extract', download, '--out', out, '--quiet', '--no-markers']).code).toBe(0);
    expect(tree(out).filter((p) => p.endsWith('empty.txt'))).toEqual([]);
    const [before, after] = [report(download), report(out)];
    expect(after.attachments).toMatchObject({
      files: before.attachments.files,
      bytes: before.attachments.bytes,
      markers: 0,
    });
    expect(readdirSync(out)).not.toContain('export.csv');
  });

  it('--candidates and --candidates-file extract only those folders', () => {
    const all = candidateFolders(join(work, 'all'));
    const ids = all.slice(0, 3).map((n) => n.slice('Candidate_'.length));
    const out = join(work, 'some');
    expect(run(['extract', download, '--out', out, '-q', '--candidates', `${ids[0]},${ids[1]}`]).code).toBe(
      0,
    );
    expect(candidateFolders(out)).toEqual(all.slice(0, 2));
    writeFileSync(join(work, 'ids.csv'), `candidate_id\n${ids[2]}\n${ids[0]}\n`);
    const listed = join(work, 'listed');
    expect(run(['extract', download, '--out', listed, '-q', '--candidates-file', 'ids.csv']).code).toBe(0);
    expect(candidateFolders(listed)).toEqual([all[0], all[2]]);
    // "-": the list from standard input.
    const piped = join(work, 'piped');
    const stdin = spawnSync(
      process.execPath,
      [bin, 'extract', download, '--out', piped, '-q', '--candidates-file', '-'],
      { encoding: 'utf8', cwd: work, input: `${ids[2]}\n${ids[0]}\n` },
    );
    expect([stdin.status, stdin.stderr]).toEqual([0, '']);
    expect(candidateFolders(piped)).toEqual([all[0], all[2]]);
    expect(tree(join(listed, all[2]!))).toEqual(tree(join(work, 'all', all[2]!)));
    const missing = run(['extract', download, '--out', join(work, 'none'), '--candidates', '42']);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain('CANDIDATE_NOT_FOUND');
  });

  it('refuses a non-empty --out and a missing one, and names the option', () => {
    const r = run(['extract', download, '--out', download]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('EXPORT_OUT_NOT_EMPTY');
    const u = run(['extract', download]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--out DIR is required');
    expect(run(['extract', download, '--out', join(work, 'x'), '--candidates', ',']).code).toBe(2);
  });

  it('refuses hostile entries of a part, writes nothing outside --out, and keeps the rest', () => {
    const dir = join(work, 'hostile');
    cpSync(download, dir, { recursive: true });
    writeFileSync(
      join(dir, 'Attachment_2000000000-2000000001.zip'),
      rawZip([
        { name: '../../evil.txt', data: 'gotcha' },
        { name: 'Candidate_2000000000/Public/link.pdf', data: '/etc/passwd', mode: 0o120777 },
        { name: 'Candidate_2000000000/Public/lies.pdf', data: 'twelve bytes', declaredSize: 99 },
        { name: 'Candidate_2000000000/Public/secret.pdf', data: 'secret', flags: 1 },
        { name: 'Candidate_2000000001/Public/fine.pdf', data: 'fine' },
      ]),
    );
    const outside = () => tree(work).filter((p) => !p.startsWith('out-hostile'));
    const before = outside();
    const out = join(work, 'out-hostile');
    const r = run(['extract', dir, '--out', out]);
    expect(r.code).toBe(3);
    // Each is named by the export's folders, the length and extension of the rest of its name, and its
    // entry number: a file name may name a person. `../../` is no folder of the export: hidden with the rest.
    expect(r.stderr).toMatch(/problem {2}ENTRY_REFUSED: .*"\[file name of entry \d+, 14 characters\]\.txt"/);
    expect(r.stderr).toMatch(
      /problem {2}ENTRY_REFUSED: .*Public\/\[file name of entry \d+, 8 characters\]\.pdf/,
    );
    expect(r.stderr).toMatch(
      /problem {2}(ENTRY_REFUSED|ATTACHMENT_CORRUPT): .*Public\/\[file name.*, 8 characters\]\.pdf/,
    );
    expect(r.stderr).toMatch(
      /problem {2}ENTRY_REFUSED: .*Public\/\[file name of entry \d+, 10 characters\]\.pdf/,
    );
    expect(r.stderr).not.toMatch(/evil|link\.pdf|lies\.pdf|secret\.pdf/);
    expect(outside()).toEqual(before);
    expect(existsSync(join(out, 'Candidate_2000000000'))).toBe(false);
    expect(readFileSync(join(out, 'Candidate_2000000001/Public/fine.pdf'), 'utf8')).toBe('fine');
  });

  it('keeps two files whose names differ only in case (suffixed); an exact duplicate is still refused', () => {
    const dir = join(work, 'case');
    cpSync(download, dir, { recursive: true });
    const [id] = candidateFolders(join(work, 'all')).map((n) => n.slice('Candidate_'.length));
    writeFileSync(
      join(dir, `Attachment_${id}-${id}.zip`),
      rawZip([
        { name: `Candidate_${id}/Miscellaneous/notes.txt`, data: 'lower' },
        { name: `Candidate_${id}/Miscellaneous/NOTES.TXT`, data: 'upper' },
        { name: `Candidate_${id}/Miscellaneous/Cafe\u0301.txt`, data: 'decomposed' },
        { name: `Candidate_${id}/Miscellaneous/Caf\u00e9.txt`, data: 'composed' },
      ]),
    );
    const listed = report(dir);
    expect(listed.problems.map((p: { code: string }) => p.code)).not.toContain('ENTRY_REFUSED');
    const out = join(work, 'out-case');
    const r = run(['extract', dir, '--out', out, '--candidates', id!]);
    expect(r.stderr).not.toMatch(/ENTRY_REFUSED/);
    const folder = join(out, `Candidate_${id}`, 'Miscellaneous');
    const ours = ['composed', 'decomposed', 'lower', 'upper'];
    const texts = readdirSync(folder)
      .map((n) => readFileSync(join(folder, n), 'utf8'))
      .filter((t) => ours.includes(t));
    expect(texts.sort()).toEqual(ours);

    writeFileSync(
      join(dir, `Attachment_${id}-${id}.zip`),
      rawZip([
        { name: `Candidate_${id}/Miscellaneous/notes.txt`, data: 'one' },
        { name: `Candidate_${id}/Miscellaneous/notes.txt`, data: 'two' },
      ]),
    );
    expect(run(['extract', dir, '--out', join(work, 'out-same'), '--candidates', id!]).code).toBe(3);
  });

  it('an interrupted run (exit 130) leaves neither --out nor a temporary beside it', async () => {
    const parent = join(work, 'interrupted');
    mkdirSync(parent);
    const controller = new AbortController();
    controller.abort();
    const err: string[] = [];
    const code = await main(['extract', download, '--out', join(parent, 'out'), '-q'], {
      signal: controller.signal,
      out: () => undefined,
      err: (text) => err.push(text),
    });
    expect(code).toBe(130);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("removes the staging folders a killed run left (beside --out and inside an empty one), not a live run's", () => {
    const parent = join(work, 'killed');
    const out = join(parent, 'out');
    mkdirSync(out, { recursive: true });
    // A process that has ended: its pid names no running process (pids are not reused this soon).
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const beside = `.out.extract-${dead}-0123456789ab.tmp`;
    const inside = `.extract-${dead}-0123456789ab.tmp`;
    const redacting = `.out.redact-${dead}-AbC123`;
    const live = `.out.extract-${process.pid}-0123456789ab.tmp`;
    for (const dir of [
      join(parent, beside),
      join(out, inside),
      join(parent, redacting),
      join(parent, live),
    ]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'Candidate.csv'), 'partial');
    }
    const r = run(['extract', download, '--out', out, '-q']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(parent).sort()).toEqual([live, 'out']);
    expect(readdirSync(out)).toContain('Candidate.csv');
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('takes an --out whose name is 255 bytes long; refuses a link to a missing folder before any work', () => {
    const parent = join(work, 'names');
    mkdirSync(parent);
    const long = `${'é'.repeat(127)}x`;
    expect(Buffer.byteLength(long)).toBe(255);
    const r = run(['extract', download, '--out', join(parent, long), '-q']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(join(parent, long))).toContain('Candidate.csv');
    symlinkSync('nowhere', join(parent, 'dangling'));
    const dangling = run(['extract', download, '--out', join(parent, 'dangling'), '-q']);
    expect([dangling.code, dangling.stderr]).toEqual([
      3,
      expect.stringMatching(
        /EXPORT_OUT_UNWRITABLE: .*dangling is a symbolic link to nowhere, which does not exist/,
      ),
    ]);
    expect(readdirSync(parent).sort()).toEqual(['dangling', long]);
  });

  it('a killed run leaves nothing under a final name: what it had moved into an empty --out is taken back', () => {
    // Killed (SIGKILL, by a module loaded first) after moving 3 entries of its staging folder into `out`.
    const out = join(work, 'cut-publish');
    mkdirSync(out);
    const killer = join(work, 'kill-on-third-move.mjs');
    writeFileSync(
      killer,
      `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const rename = fs.promises.rename;
let moved = 0;
fs.promises.rename = async (from, to) => {
  await rename(from, to);
  if (to.startsWith(${JSON.stringify(`${out}/`)}) && !to.slice(${out.length + 1}).includes('/') && ++moved === 3)
    process.kill(process.pid, 'SIGKILL');
};
syncBuiltinESMExports();
`,
    );
    const killed = spawnSync(process.execPath, [
      '--import',
      killer,
      bin,
      'extract',
      download,
      '-o',
      out,
      '-q',
    ]);
    expect(killed.signal).toBe('SIGKILL');
    expect(readdirSync(out).filter((name) => !name.startsWith('.'))).toHaveLength(3);
    const r = run(['extract', download, '--out', out, '-q']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(run(['extract', download, '--out', join(work, 'cut-whole'), '-q']).code).toBe(0);
    expect(tree(out)).toEqual(tree(join(work, 'cut-whole')));
    // Another folder beside it: the staging folders killed runs left for other outputs go too.
    // Once left unchanged for an hour: a younger one may be a run's this process cannot see (a container's).
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const old = `.old.redact-${dead}-0123456789ab.tmp`;
    const young = `.young.redact-${dead}-0123456789ab.tmp`;
    for (const name of [old, young]) mkdirSync(join(work, name));
    const hours = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(work, old), hours, hours);
    expect(run(['extract', download, '--out', join(work, 'beside-other'), '-q']).code).toBe(0);
    expect([existsSync(join(work, old)), existsSync(join(work, young))]).toEqual([false, true]);
  });

  it('shows bytes and files as it goes', async () => {
    const updates: { done: number; total?: number; note?: string }[] = [];
    const progress = {
      start: () => undefined,
      update: (done: number, total?: number, note?: string) => {
        updates.push({
          done,
          ...(total === undefined ? {} : { total }),
          ...(note === undefined ? {} : { note }),
        });
      },
      done: () => undefined,
      log: () => undefined,
      clear: () => undefined,
      end: () => undefined,
    };
    const out = join(work, 'progress');
    const code = await extract([download, '--out', out], {
      signal: new AbortController().signal,
      progress,
      quiet: true,
      out: () => undefined,
      err: () => undefined,
    });
    expect(code).toBe(0);
    const final = updates.at(-1)!;
    expect(final.note).toBe(`${tree(out).filter((p) => /\.[a-z]+$/.test(p)).length} files`);
    expect(final.done).toBeGreaterThan(0);
    expect(final.done).toBe(final.total);
  });

  it('runs the examples of its --help', () => {
    const help = HELP.extract!;
    const examples = help
      .slice(help.indexOf('Examples:'))
      .split('\n')
      .filter((line) => line.startsWith('  talent-export '))
      .map((line) => line.trim().split(/\s+/).slice(1));
    expect(examples.filter((args) => args[0] === 'extract')).toHaveLength(4);
    const cwd = join(work, 'help');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'ids.txt'), '1000000003\n1000000051\n');
    for (const args of examples) {
      const r = run(
        args.map((a) => (a === '~/Downloads/talent-hub-export' ? download : a)),
        cwd,
      );
      // inspect finds the sample's planted orphan folder: exit 1.
      expect({ args, code: r.code }).toEqual({ args, code: args[0] === 'inspect' ? 1 : 0 });
    }
    expect(candidateFolders(join(cwd, 'two'))).toEqual(['Candidate_1000000003', 'Candidate_1000000051']);
    expect(candidateFolders(join(cwd, 'listed'))).toEqual(['Candidate_1000000003', 'Candidate_1000000051']);
    expect(existsSync(join(cwd, 'no-markers', 'Candidate.csv'))).toBe(true);
  });
});
