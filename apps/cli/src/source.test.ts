import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
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

describe('one attachment part given', () => {
  it('reads the folder it is in, and a notice says so, naming that folder as given', async () => {
    const dir = join(work, 'download');
    await generateExport({ dir, seed: 3, candidates: 8, attachmentsMb: 1 });
    const part = readdirSync(dir).find((name) => name.startsWith('Attachment_'))!;
    const inspect = (path: string, cwd = work) =>
      spawnSync(process.execPath, [bin, 'inspect', path, '--json'], { encoding: 'utf8', cwd });
    const notice = {
      code: 'PART_FOLDER_READ',
      severity: 'notice',
      file: part,
      message: `${part} is one attachment part, so the export in its folder is read whole (download: export.csv, export.zip and every part there); give that folder to read the same without this notice`,
    };
    const folder = JSON.parse(inspect('download').stdout);
    const given = JSON.parse(inspect(join('download', part)).stdout);
    expect(given.notices).toEqual([notice, ...folder.notices]);
    expect({ ...given, notices: folder.notices }).toEqual(folder);
    const here = spawnSync(process.execPath, [bin, 'validate', part], { encoding: 'utf8', cwd: dir });
    const whole = spawnSync(process.execPath, [bin, 'validate', '.'], { encoding: 'utf8', cwd: dir });
    expect(here.status).toBe(whole.status);
    expect(here.stdout).toContain(
      `notice   PART_FOLDER_READ: ${part} is one attachment part, so the export in its folder is read whole (the current folder: `,
    );
  });
});
