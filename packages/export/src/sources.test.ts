// What reading export.zip says about entries that are not the tables: never a name that may be a person's.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, makeDownload, tempDir } from './download.fixture.js';
import { openExport, type TalentExport } from './index.js';

const cleanups: (Fixture | TalentExport)[] = [];
afterEach(async () => {
  for (const item of cleanups.splice(0)) {
    if ('cleanup' in item) item.cleanup();
    else await item.close();
  }
});

describe('export.zip entries refused or odd', () => {
  it('are named by their folders of the layout and a length, the tables by name', async (context) => {
    if (spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0) {
      console.warn('export: Info-ZIP zip is not installed; a link added to export.zip is not checked');
      context.skip();
    }
    const f = makeDownload({ parts: [['1', '2']] });
    cleanups.push(f);
    // A user added a link named after a candidate beside the tables (zip -y stores the link itself).
    const work = tempDir();
    mkdirSync(join(work, 'Contract_123456'));
    symlinkSync('/etc/passwd', join(work, 'Contract_123456', 'Jane Doe.pdf'));
    execFileSync('zip', ['-q', '-y', join(f.dir, 'export.zip'), 'Contract_123456/Jane Doe.pdf'], {
      cwd: work,
    });
    const ex = await openExport(f.dir);
    cleanups.push(ex);
    const refused = ex.problems.filter((p) => p.code === 'ENTRY_REFUSED');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.entry).toMatch(/^Contract_123456\/\[file name of entry \d+, 12 characters\]\.pdf$/);
    expect(JSON.stringify(ex.problems)).not.toContain('Jane');
    expect(Object.keys(ex.tables)).toHaveLength(10);
  });
});

describe('a zip of the unpacked export', () => {
  it('holds two uploads whose names differ only in case: both indexed, none refused', async () => {
    const f = makeDownload({
      parts: [['1', '2']],
      files: (id) => (id === '1' ? { Public: ['Resume.PDF', 'resume.pdf'] } : {}),
    });
    cleanups.push(f);
    const unpacked = tempDir();
    for (const zip of ['export.zip', 'Attachment_1-2.zip'])
      execFileSync('unzip', ['-q', join(f.dir, zip), '-d', unpacked]);
    renameSync(join(f.dir, 'export.csv'), join(unpacked, 'export.csv'));
    const out = tempDir();
    execFileSync('zip', ['-q', '-r', join(out, 'talent hub.zip'), '.'], { cwd: unpacked });
    const ex = await openExport(join(out, 'talent hub.zip'));
    cleanups.push(ex);
    const it = ex.indexAttachments();
    const names: string[] = [];
    let step = await it.next();
    for (; !step.done; step = await it.next())
      names.push(`${step.value.candidate_id}/${step.value.file_name}`);
    expect(names.sort()).toEqual(['1/Resume.PDF', '1/resume.pdf']);
    expect([...ex.problems, ...step.value.problems].map((p) => p.code)).toEqual([]);
  });
});
