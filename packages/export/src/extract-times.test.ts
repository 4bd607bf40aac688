import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

describe('extractExport gives no made-up time to a file whose zip time is out of range', () => {
  it('leaves the time it was written, not month 13 rolled into the next year', async () => {
    const dir = tempDir('talent-export-bad-time-');
    const tree = join(dir, 'tree');
    write(join(tree, 'Candidate_7/Public/resume.pdf'), 'resume');
    const download = join(dir, 'download');
    write(join(download, 'export.zip.src/Candidate.csv'), 'candidate_id\r\n7\r\n');
    execFileSync('zip', ['-q', '-r', join(download, 'export.zip'), '.'], {
      cwd: join(download, 'export.zip.src'),
    });
    execFileSync('rm', ['-r', join(download, 'export.zip.src')]);
    // -X: no extended timestamp, so the DOS fields are all there is.
    const part = join(download, 'Attachment_7-7.zip');
    execFileSync('zip', ['-q', '-X', '-r', part, '.'], { cwd: tree });
    const bytes = readFileSync(part);
    const badTime = (25 << 11) | (61 << 5) | 31;
    const badDate = (41 << 9) | (13 << 5);
    for (let at = bytes.indexOf('PK\u0003\u0004'); at >= 0; at = bytes.indexOf('PK\u0003\u0004', at + 4))
      bytes.writeUInt32LE(badTime | (badDate << 16), at + 10);
    for (let at = bytes.indexOf('PK\u0001\u0002'); at >= 0; at = bytes.indexOf('PK\u0001\u0002', at + 4))
      bytes.writeUInt32LE(badTime | (badDate << 16), at + 12);
    writeFileSync(part, bytes);

    const before = Date.now() - 60_000;
    const out = join(dir, 'out');
    await extractTo(download, out);
    const { mtime } = statSync(join(out, 'Candidate_7/Public/resume.pdf'));
    expect(mtime.getTime()).toBeGreaterThan(before);
  });
});
