import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ioError, WriterError } from './errors.js';
import { openOutput } from './output.js';
import { tempDir } from './test-support.js';

describe('ioError', () => {
  it('an output folder under a file says a part of the path is a file, not to check the free space', async () => {
    const base = tempDir('errors');
    writeFileSync(join(base, 'a-file'), 'keep');
    const dir = join(base, 'a-file', 'out');
    const error = await openOutput({ dir, formats: ['ndjson'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).code).toBe('WRITER_IO');
    expect((error as WriterError).message).toMatch(
      /^could not create the output folder .*a-file\/out: ENOTDIR.*; a part of that path is a file, not a folder; give a path made of folders$/,
    );
  });

  it('names the fix its errno code tells, and the general one for any other', () => {
    const failure = (code: string) => Object.assign(new Error(`${code}: failed`), { code });
    expect(ioError('write', 'x.tmp', failure('ENOSPC')).message).toBe(
      'could not write x.tmp: ENOSPC: failed; the disk is full; free space there or give a folder on another disk',
    );
    expect(ioError('write', 'x.tmp', failure('EROFS')).message).toMatch(
      /; that disk is read-only; give a folder/,
    );
    expect(ioError('write', 'x.tmp', failure('EACCES')).message).toMatch(
      /; that folder cannot be written by this user/,
    );
    expect(ioError('write', 'x.tmp', failure('EIO')).message).toMatch(
      /; check that the output folder is writable and has free space$/,
    );
    expect(ioError('write', 'x.tmp', 'odd').message).toBe(
      'could not write x.tmp: odd; check that the output folder is writable and has free space',
    );
  });
});
