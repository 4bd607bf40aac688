import { describe, expect, it } from 'vitest';
import { tempError } from './errors.js';

const failure = (code: string, text: string) => Object.assign(new Error(`${code}: ${text}`), { code });

describe('tempError', () => {
  it('says what to do when a part of the path is a file, or the folder is not writable', () => {
    const notDir = tempError('create', 'file/out', failure('ENOTDIR', "not a directory, mkdir 'file/out'"));
    expect(notDir.code).toBe('JOIN_TEMP_IO');
    expect(notDir.message).toMatch(/ENOTDIR.*; a part of that path is a file, not a folder/);
    expect(tempError('create', 'out', failure('EACCES', 'permission denied')).message).toContain(
      'cannot be written by this user',
    );
  });

  it('names a full disk as such, and adds nothing it cannot tell', () => {
    expect(tempError('write', 'out/x', failure('ENOSPC', 'no space left')).code).toBe('JOIN_DISK_FULL');
    expect(tempError('read', 'out/x', failure('EIO', 'i/o error')).message).toBe(
      'could not read out/x: EIO: i/o error',
    );
  });
});
