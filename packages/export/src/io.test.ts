import { describe, expect, it } from 'vitest';
import { advises, downloadAgain } from './io.js';
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
});
