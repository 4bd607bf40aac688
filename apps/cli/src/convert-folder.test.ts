// Converting into a folder that holds other people's files: they are left alone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
