import { execFileSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, write } from './download.fixture.js';
import { extractExport, openExport } from './index.js';

// 2019-05-06 07:08:10 UTC: a DOS time (even seconds), the same in any time zone's reading of an `UT` field.
const WHEN = new Date(Date.UTC(2019, 4, 6, 7, 8, 10));

async function extractTo(path: string, out: string) {
  const ex = await openExport(path);
  try {
    return await extractExport(ex, { out });
  } finally {
    await ex.close();
  }
}

describe('extractExport keeps the times of the files, as unzip does', () => {
  it('gives an attachment of a zip part the time the zip says, and one of a folder part its own', async () => {
    const dir = tempDir('talent-export-times-');
    const tree = join(dir, 'tree');
    const file = join(tree, 'Candidate_7/Public/resume.pdf');
    write(file, 'resume');
    utimesSync(file, WHEN, WHEN);
    const download = join(dir, 'download');
    write(join(download, 'export.zip.src/Candidate.csv'), 'candidate_id\r\n7\r\n');
    execFileSync('zip', ['-q', '-r', join(download, 'export.zip'), '.'], {
      cwd: join(download, 'export.zip.src'),
    });
    execFileSync('rm', ['-r', join(download, 'export.zip.src')]);
    // Info-ZIP writes the time twice: the DOS field and the extended (UT) field.
    execFileSync('zip', ['-q', '-r', join(download, 'Attachment_7-7.zip'), '.'], { cwd: tree });

    const fromZip = join(dir, 'from-zip');
    await extractTo(download, fromZip);
    expect(statSync(join(fromZip, 'Candidate_7/Public/resume.pdf')).mtime).toEqual(WHEN);

    const fromFolder = join(dir, 'from-folder');
    await extractTo(fromZip, fromFolder);
    expect(statSync(join(fromFolder, 'Candidate_7/Public/resume.pdf')).mtime).toEqual(WHEN);
  });
});
