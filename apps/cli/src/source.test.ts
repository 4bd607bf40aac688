import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'te-source-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('no export given', () => {
  it('inside a folder of browser or Explorer copies of the download: refused, not the sample read', () => {
    for (const [i, names] of [
      // Listed in no set order: any of them is named.
      ['export (1).zip', 'export (1).csv'],
      ['export - Copy.zip'],
      ['export.txt'],
    ].entries()) {
      const dir = join(work, `copies-${i}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const name of names) writeFileSync(join(dir, name), '');
      const r = spawnSync(process.execPath, [bin, 'inspect', '-q'], { encoding: 'utf8', cwd: dir });
      expect([r.status, r.stderr]).toEqual([
        2,
        expect.stringMatching(/no export given, and this folder holds export[^:]*: to read the export here/),
      ]);
    }
  });
});
