import { describe, expect, it } from 'vitest';
import { problem } from './errors.js';
import { advises, downloadAgain, refusedEntries } from './io.js';
import { partAdvice } from './parts.js';

describe('advice to download again, once', () => {
  it("adds none where the zip reader's reason says what to do already, for export.zip and parts alike", () => {
    const given = [
      'File is empty, not a zip archive in a.zip. Download or create the archive again.',
      'The archive is damaged (often a cut-short download); download or create it again.',
      'Check that it is a readable file, not a folder, and its permissions.',
      'Archive is split over several disks. Join the pieces first (zip -s 0).',
    ];
    for (const reason of given) {
      expect(advises(reason)).toBe(true);
      expect(downloadAgain(reason)).toBe(reason);
      expect(partAdvice(reason)).toBe('');
    }
    expect(downloadAgain('x.zip cannot be read: ENOENT')).toBe(
      'x.zip cannot be read: ENOENT; download it again',
    );
    expect(partAdvice('ENOENT')).toBe(' Download it again from its Download Url in export.csv');
  });

  it('says to raise the open files limit, not to download again, when the system would not open a file', () => {
    const why = "EMFILE: too many open files, open '/app/dist/verify-worker.js'";
    expect(partAdvice(why)).toMatch(
      /^ This process may not open more files at once \(`ulimit -n`\): raise it/,
    );
    expect(partAdvice(why)).not.toMatch(/Download it again/);
    const lost = "ERR_MODULE_NOT_FOUND: Cannot find module '/app/dist/verify-worker.js'";
    expect(partAdvice(lost)).toMatch(/^ The thread that checks it could not start: .*raise it/);
    expect(partAdvice(lost)).not.toMatch(/Download it again/);
  });
});

describe('refused entries of a part', () => {
  it('counts one a problem, and the number a problem for the refusals past those listed stands for', () => {
    const problems = [
      problem('ENTRY_REFUSED', 'a.zip: an entry was refused and skipped: encrypted', { file: 'a.zip' }),
      problem('ENTRY_REFUSED', 'a.zip: 150 more entries were refused and skipped', {
        file: 'a.zip',
        count: 150,
      }),
      problem('ENTRY_REFUSED', 'b.zip: an entry was refused and skipped: encrypted', { file: 'b.zip' }),
      problem('ZIP_NOTICE', 'a.zip: a notice', { file: 'a.zip' }),
    ];
    expect(refusedEntries(problems, 'a.zip')).toBe(151);
    expect(refusedEntries(problems, 'b.zip')).toBe(1);
    // Structured-cloned to and from a checking thread, the number goes with it.
    expect(refusedEntries(structuredClone(problems), 'a.zip')).toBe(151);
  });
});
