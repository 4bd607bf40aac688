import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { makeDownload } from './download.fixture.js';
import { type AttachmentSummary, openExport } from './index.js';

// A folder this process may not list, as one made by another user: made so here by the system's own error
// (tests may run as root, whom permissions do not stop).
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const opendir = (async (path: string, ...rest: unknown[]) => {
    if (/unlisted.*Candidate_3$|\/locked$/.test(String(path))) {
      throw Object.assign(new Error(`EACCES: permission denied, opendir '${path}'`), {
        errno: -13,
        code: 'EACCES',
        syscall: 'opendir',
        path,
      });
    }
    return (fs.opendir as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.opendir;
  return { ...fs, opendir, default: { ...fs, opendir } };
});

async function drain<T, R>(it: AsyncGenerator<T, R>): Promise<R> {
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
  }
}

describe('a candidate folder of an extracted part that cannot be listed', () => {
  it('is told, and the other candidate folders of the part are read', async () => {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4', '5'],
      ],
    });
    execFileSync('unzip', ['-q', 'Attachment_3-5.zip', '-d', 'unlisted'], { cwd: f.dir });
    rmSync(join(f.dir, 'Attachment_3-5.zip'));
    const ex = await openExport(f.dir);
    let summary: AttachmentSummary;
    try {
      expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip', 'unlisted/Attachments_3-5']);
      summary = await drain(ex.indexAttachments());
    } finally {
      await ex.close();
    }
    // Candidates 4 and 5 are read: one folder is left out, not the part.
    expect(summary.files).toBe(f.files - 1);
    expect(summary.parts.map((p) => [p.file, p.readable, p.candidates])).toEqual([
      ['Attachment_1-2.zip', true, 2],
      ['unlisted/Attachments_3-5', true, 2],
    ]);
    const refused = summary.problems.filter((p) => p.code === 'ENTRY_REFUSED');
    expect(refused.map((p) => [p.file, p.entry, p.refused])).toEqual([
      ['unlisted/Attachments_3-5', 'Candidate_3/', true],
    ]);
    expect(refused[0]!.message).toBe(
      'unlisted/Attachments_3-5: Candidate_3/ cannot be listed: its files are left out (EACCES: permission denied). Give this user read access to it (e.g. chmod -R u+rX) and run again',
    );
    expect(summary.problems.map((p) => p.code)).not.toContain('PART_UNREADABLE');
  });
});

describe('a folder beside the export that cannot be listed', () => {
  it('is told, not the whole export refused: in a download, and in an extracted export', async () => {
    const f = makeDownload({
      parts: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
    execFileSync('unzip', ['-q', 'Attachment_3-4.zip', '-d', 'locked'], { cwd: f.dir });
    rmSync(join(f.dir, 'Attachment_3-4.zip'));
    const ex = await openExport(f.dir);
    await ex.close();
    expect(ex.parts.map((p) => p.file)).toEqual(['Attachment_1-2.zip']);
    expect(ex.problems.map((p) => [p.code, p.file])).toEqual([
      ['FOLDER_UNREADABLE', 'locked/'],
      ['MANIFEST_MISSING_FILE', 'Attachment_3-4.zip'],
    ]);
    expect(ex.problems[0]!.message).toBe(
      'locked/ cannot be listed (EACCES: permission denied) and is not looked in; if it holds part of the export, give this user read access to it (e.g. chmod -R u+rX) and run again',
    );
    for (const zip of ['export.zip', 'Attachment_1-2.zip']) {
      execFileSync('unzip', ['-q', zip], { cwd: f.dir });
      rmSync(join(f.dir, zip));
    }
    rmSync(join(f.dir, 'locked'), { recursive: true });
    mkdirSync(join(f.dir, 'notes', 'locked'), { recursive: true });
    const extracted = await openExport(f.dir);
    await extracted.close();
    expect(extracted.layout).toBe('extracted');
    expect(extracted.parts.map((p) => p.file)).toEqual(['Attachments_1-2']);
    // Deeper in, a folder's name may be anyone's: not shown.
    expect(extracted.problems.map((p) => [p.code, p.file])).toEqual([
      ['FOLDER_UNREADABLE', '[folder name, 12 characters]/'],
    ]);
  });
});
