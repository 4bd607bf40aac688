// A part whose entries take turns between candidates' folders (a zip tool that writes entries as parallel
// jobs finish): each folder's names are read from disk once, not again at every turn.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDownload, tempDir } from './download.fixture.js';
import { extractExport, openExport } from './index.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, readdirSync: vi.fn(real.readdirSync) };
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The calls of readdirSync on a candidate's kind folder. */
const kindFolderReads = () =>
  vi
    .mocked(fs.readdirSync)
    .mock.calls.filter(([path]) => /Candidate_\d+[/\\](Public|Private|Miscellaneous)$/.test(String(path)))
    .length;

describe('a part whose entries take turns between folders', () => {
  it('reads no folder again at each turn, and still gives a name met before a suffix', async () => {
    const f = makeDownload({ parts: [['1', '3']] });
    cleanups.push(f.cleanup);
    // 2 x 1,500 files in turn between Candidate_2 and Candidate_3, then 20 folders in turn, in two parts.
    const part = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for i in range(3000): z.writestr(f'Candidate_{2 + i % 2}/Public/f{i}.pdf', str(i))
    for i in range(20): z.writestr(f'Candidate_{10 + i}/Private/same.pdf', str(i))
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    for i in range(20, 40): z.writestr(f'Candidate_{10 + i % 20}/Private/same.pdf', str(i))
`;
    execFileSync('python3', [
      '-c',
      part,
      join(f.dir, 'Attachment_2-29.zip'),
      join(f.dir, 'Attachment_30-31.zip'),
    ]);
    const dir = tempDir('talent-export-interleaved-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    const ex = await openExport(f.dir);
    vi.mocked(fs.readdirSync).mockClear();
    try {
      await extractExport(ex, { out });
    } finally {
      await ex.close();
    }
    expect(kindFolderReads()).toBeLessThanOrEqual(25);
    for (const id of [2, 3]) {
      const names = fs.readdirSync(join(out, `Candidate_${id}`, 'Public'));
      expect(names.filter((n) => n.startsWith('f'))).toHaveLength(1500);
    }
    expect(fs.readFileSync(join(out, 'Candidate_3/Public/f2999.pdf'), 'utf8')).toBe('2999');
    for (let id = 10; id < 30; id++) {
      const folder = join(out, `Candidate_${id}`, 'Private');
      expect(fs.readdirSync(folder).sort()).toEqual(['same.pdf', 'same_1.pdf']);
      expect(fs.readFileSync(join(folder, 'same.pdf'), 'utf8')).toBe(String(id - 10));
      expect(fs.readFileSync(join(folder, 'same_1.pdf'), 'utf8')).toBe(String(id + 10));
    }
  });
});
