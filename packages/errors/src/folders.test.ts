import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolders } from './index.js';

const work = mkdtempSync(join(tmpdir(), 'talent-export-folders-'));
const readOnly = join(work, 'read-only');
mkdirSync(readOnly);
// A read-only file system, where one can be mounted (root on Linux); the test says so when it cannot.
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly], { stdio: 'ignore' });
  mounted = true;
} catch {}
afterAll(() => {
  if (mounted) execFileSync('umount', [readOnly]);
  rmSync(work, { recursive: true, force: true });
});

describe('makeFolders', () => {
  it('makes the missing folders and gives the first one made', async () => {
    expect(await makeFolders(join(work, 'a', 'b', 'c'))).toBe(join(work, 'a'));
    expect(existsSync(join(work, 'a', 'b', 'c'))).toBe(true);
    expect(await makeFolders(join(work, 'a', 'b'))).toBeUndefined();
  });

  it('says what is wrong where a folder cannot be made, not "no such file or directory"', async () => {
    writeFileSync(join(work, 'file'), '');
    await expect(makeFolders(join(work, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    if (!mounted) {
      console.warn('makeFolders: no read-only file system could be mounted here; EROFS not checked');
      return;
    }
    await expect(makeFolders(join(readOnly, 'x', 'y'))).rejects.toMatchObject({ code: 'EROFS' });
  });

  it('fails where a file system takes no folder (/proc), where recursive mkdir never returned', async () => {
    if (!existsSync('/proc/self')) return;
    await expect(makeFolders('/proc/talent-export-none/x')).rejects.toMatchObject({
      code: 'ENOENT',
      message: expect.stringContaining('/proc takes no new folder'),
    });
    writeFileSync(join(work, 'plain'), '');
    await expect(makeFolders(join(work, 'plain'))).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('says a link to a missing folder is one, not "file already exists"', async () => {
    symlinkSync('nowhere', join(work, 'dangling'));
    await expect(makeFolders(join(work, 'dangling'))).rejects.toMatchObject({
      code: 'EEXIST',
      message: expect.stringContaining('dangling is a symbolic link to nowhere, which does not exist'),
    });
    await expect(makeFolders(join(work, 'file'))).rejects.toMatchObject({
      message: expect.stringContaining('file already exists'),
    });
  });
});
