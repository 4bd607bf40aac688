// Converting into a folder that holds other people's files: they are left alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'talent-export-convert-folder-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const convert = (out: string, ...args: string[]) =>
  spawnSync(process.execPath, [bin, 'convert', '--out', out, '--quiet', ...args], { encoding: 'utf8' });

describe('convert into a folder with files of its own', () => {
  it("leaves the files another tool's manifest.json lists", () => {
    const out = join(work, 'site');
    rmSync(out, { recursive: true, force: true });
    convert(out, '--to', 'csv', '--tables', 'hiring_states');
    // Another tool's manifest, in convert's place, listing that tool's files and one of convert's names.
    writeFileSync(
      join(out, 'manifest.json'),
      JSON.stringify({
        files: [{ path: 'precious.txt' }, { path: 'data.json' }, { path: 'hiring_states.csv' }],
      }),
    );
    writeFileSync(join(out, 'precious.txt'), 'mine');
    writeFileSync(join(out, 'data.json'), '{}');
    const r = convert(out, '--to', 'ndjson', '--tables', 'hiring_states');
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'data.json',
      'hiring_states.ndjson',
      'manifest.json',
      'precious.txt',
      'report.json',
    ]);
  });
});

describe("a file of the user's that bears an output's name", () => {
  // They were replaced without a word: help says "other files are left alone".
  it('is not replaced: convert and join refuse the folder (exit 2), naming the files, and write nothing', () => {
    for (const [command, name] of [
      ['convert', 'notes.ndjson'],
      ['join', 'candidates.ndjson'],
    ] as const) {
      const out = join(work, `${command}-mine`);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, name), 'my own notes');
      writeFileSync(join(out, 'report.json'), '{"mine": true}');
      const r = spawnSync(process.execPath, [bin, command, '--out', out, '--quiet'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`--out .*${command}-mine holds ${name.replace('.', '\\.')}`));
      expect(r.stderr).toMatch(/which no earlier .* wrote/);
      expect(readFileSync(join(out, name), 'utf8')).toBe('my own notes');
      expect(readdirSync(out).sort()).toEqual([name, 'report.json'].sort());
    }
  });

  it("is refused when an earlier run's manifest does not list it, and a re-run replaces that run's files", () => {
    const out = join(work, 'rerun');
    rmSync(out, { recursive: true, force: true });
    expect(convert(out, '--tables', 'hiring_states').status).toBe(0);
    expect(convert(out, '--tables', 'hiring_states', '--to', 'csv').status).toBe(0);
    writeFileSync(join(out, 'notes.ndjson'), 'my own notes');
    const r = convert(out, '--tables', 'hiring_states,notes');
    expect(r.status, r.stderr).toBe(2);
    expect(readFileSync(join(out, 'notes.ndjson'), 'utf8')).toBe('my own notes');
  });
});

describe('the summary of a convert', () => {
  it('counts every file written: the tables, report.json, manifest.json and datapackage.json', () => {
    for (const to of ['csv,parquet', 'ndjson']) {
      const out = join(work, `counted-${to}`);
      rmSync(out, { recursive: true, force: true });
      const r = spawnSync(
        process.execPath,
        [bin, 'convert', '--out', out, '--to', to, '--tables', 'hiring_states,notes'],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`wrote ${readdirSync(out).length} file(s) to ${out}`);
    }
  });
});

describe('convert into a folder that cannot be written', () => {
  it('a read-only folder is a coded output error (exit 3), not a crash; nothing is left', () => {
    const out = join(work, 'read-only');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    // A read-only disk, as root sees it too: no file can be created in the folder.
    const hook = join(work, 'read-only.mjs');
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const openSync = fs.openSync;',
        `fs.openSync = (p, ...rest) => { if (!String(p).startsWith(${JSON.stringify(out)})) return openSync(p, ...rest); throw Object.assign(new Error('EROFS: read-only file system, open ' + p), { code: 'EROFS' }); };`,
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [`--import=${hook}`, bin, 'convert', '--out', out, '-q'], {
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([
      3,
      expect.stringMatching(/^talent-export convert: WRITER_IO: could not create .*EROFS.*\n$/),
    ]);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('two runs into one folder at once', () => {
  it('convert and join refuse a folder another live run writes (exit 3), and take over a dead one', () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      for (const command of ['convert', 'join']) {
        const out = join(work, `busy-${command}`);
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, '.talent-export.lock'), `${other.pid}\n`);
        const r = spawnSync(process.execPath, [bin, command, '--out', out, '-q'], { encoding: 'utf8' });
        expect([r.status, r.stderr]).toEqual([
          3,
          `talent-export ${command}: WRITER_BUSY: ${out} is being written by another run (process ${other.pid}); wait for it to end, or give another folder (if process ${other.pid} is no talent-export, remove ${join(out, '.talent-export.lock')})\n`,
        ]);
        expect(readdirSync(out)).toEqual(['.talent-export.lock']);
      }
    } finally {
      other.kill('SIGKILL');
    }
    // The lock of a run killed with SIGKILL: taken over, and given back at the end.
    const out = join(work, 'busy-convert');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(out, '.talent-export.lock'), `${dead}\n`);
    expect(convert(out, '--tables', 'hiring_states').status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['hiring_states.ndjson', 'manifest.json', 'report.json']);
  });
});

describe('convert into the folder of an extracted export', () => {
  it.each(['notes.csv', 'Notes.csv'])(
    'refuses to replace its %s (the same file where case is ignored): exit 2, the export untouched',
    (name) => {
      const dir = join(work, `extracted-${name}`);
      mkdirSync(dir, { recursive: true });
      const candidates = 'candidate_id,first_name\n1,Ann\n';
      const notes = 'note_id,candidate_id,content\n7,1,"Call, then write"\n';
      writeFileSync(join(dir, 'Candidate.csv'), candidates);
      writeFileSync(join(dir, name), notes);
      const r = spawnSync(process.execPath, [bin, 'convert', dir, '--out', dir, '--to', 'csv', '-q'], {
        encoding: 'utf8',
      });
      expect([r.status, r.stderr]).toEqual([
        2,
        expect.stringMatching(
          new RegExp(
            `^talent-export convert: CLI_USAGE: --out .* would replace .*${name}, a file of the export being read`,
          ),
        ),
      ]);
      expect(readdirSync(dir).sort()).toEqual(['Candidate.csv', name]);
      expect(readFileSync(join(dir, name), 'utf8')).toBe(notes);
      // NDJSON replaces no file of the export: written beside it.
      const ndjson = spawnSync(process.execPath, [bin, 'convert', dir, '--out', dir, '-q']);
      expect(ndjson.status).toBeLessThan(2);
      expect(readFileSync(join(dir, name), 'utf8')).toBe(notes);
    },
  );
});

describe('Ctrl-C while the finished files get their names', () => {
  it('every file convert wrote appears (the run had finished), none is left half-renamed', () => {
    const out = join(work, 'renaming');
    const hook = join(work, 'interrupt-rename.mjs');
    writeFileSync(
      hook,
      [
        "import fs from 'node:fs';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const rename = fs.rename;',
        'let sent = false;',
        "fs.rename = (from, to, done) => { if (!sent && !String(to).endsWith('.tmp')) { sent = true; process.kill(process.pid, 'SIGINT'); } return rename(from, to, done); };",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [`--import=${hook}`, bin, 'convert', '--out', out, '-q'], {
      encoding: 'utf8',
    });
    expect(r.status).toBeLessThan(2);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const listed = manifest.files.map((f: { path: string }) => f.path);
    expect(readdirSync(out).sort()).toEqual([...listed, 'manifest.json', 'report.json'].sort());
  });
});
