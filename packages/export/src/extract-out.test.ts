import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDownload, tempDir } from './download.fixture.js';
import { prepare, removeDeadStaging } from './extract-staging.js';
import { extractExport, openExport } from './index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('extractExport into a folder inside the export', () => {
  it('refuses a folder inside a candidate folder it reads: it would extract its own files again', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    cleanups.push(f.cleanup);
    const source = join(tempDir('talent-export-out-'), 'extracted');
    const first = await openExport(f.dir);
    await extractExport(first, { out: source }).finally(() => first.close());
    const before = readdirSync(join(source, 'Candidate_1/Public'));

    const ex = await openExport(source);
    try {
      await expect(
        extractExport(ex, { out: join(source, 'Candidate_1/Public/again') }),
      ).rejects.toMatchObject({
        code: 'EXPORT_OUT_UNWRITABLE',
        message: expect.stringContaining('inside Candidate_1, a candidate folder being extracted'),
      });
      expect(readdirSync(join(source, 'Candidate_1/Public'))).toEqual(before);
      // Beside the candidate folders is fine: their listing does not see it.
      const result = await extractExport(ex, { out: join(source, 'again') });
      expect(result.files).toBe(f.files);
    } finally {
      await ex.close();
    }
  });
});

describe('extractExport into an empty folder something else writes to meanwhile', () => {
  it('overwrites nothing written there, and leaves nothing of its own behind', async () => {
    const f = makeDownload({ parts: [['1', '2']] });
    cleanups.push(f.cleanup);
    const out = join(tempDir('talent-export-out-'), 'out');
    mkdirSync(out);
    let wrote = false;
    const onProgress = () => {
      if (wrote) return;
      wrote = true;
      writeFileSync(join(out, 'Candidate.csv'), 'mine');
    };
    const ex = await openExport(f.dir);
    try {
      await expect(extractExport(ex, { out, onProgress })).rejects.toMatchObject({
        code: 'EXPORT_OUT_UNWRITABLE',
        message: expect.stringContaining('something else wrote there while this run did'),
      });
    } finally {
      await ex.close();
    }
    expect(readdirSync(out)).toEqual(['Candidate.csv']);
    expect(readFileSync(join(out, 'Candidate.csv'), 'utf8')).toBe('mine');
  });
});

describe('staging folders of runs killed', () => {
  it("takes one named with this process's id that it did not make for an earlier process's (pid 1 in containers)", async () => {
    const parent = tempDir('talent-export-pid-');
    cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
    const out = join(parent, 'out');
    const earlier = join(parent, `.out.extract-${process.pid}-0123456789ab.tmp`);
    mkdirSync(earlier);
    const hoursAgo = new Date(Date.now() - 2 * 3600e3);
    utimesSync(earlier, hoursAgo, hoursAgo);
    // Changed just now: a live run's in another container sharing the folder may have this id too.
    const fresh = join(parent, `.out.extract-${process.pid}-ba9876543210.tmp`);
    mkdirSync(fresh);
    const staging = await prepare(out);
    expect(existsSync(earlier)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    // Its own is left alone.
    await removeDeadStaging(out);
    expect(existsSync(staging.path)).toBe(true);
    await staging.publish();
    expect(existsSync(out)).toBe(true);
  });
});
