import { describe, expect, it } from 'vitest';
import { ZippedCopies } from './zipped-copies.js';

describe('ZippedCopies', () => {
  const fill = (copies: ZippedCopies, top: string, crc = 7) => {
    for (const id of ['1', '2']) copies.add(`${top}Candidate_${id}/Public/cv.pdf`, 10, crc);
  };

  it('finds a copy of the outermost folder alike, and one that differs by a checksum', () => {
    const alike = new ZippedCopies();
    fill(alike, 'export/Attachments_1-2/');
    fill(alike, 'export - Copy/Attachments_1-2/');
    expect(alike.copies('x.zip').roots).toEqual(['export - Copy/']);
    const differ = new ZippedCopies();
    fill(differ, 'Attachments_1-2/');
    fill(differ, 'Attachments_1-2 2/', 8);
    const { roots, problems } = differ.copies('x.zip');
    expect([roots, problems.map((p) => p.message)]).toEqual([
      [],
      [
        expect.stringMatching(
          /^x\.zip holds Attachments_1-2\/ and a copy of it, Attachments_1-2 2\/, .* not alike/,
        ),
      ],
    ]);
  });

  it('looks for no copy among more folders than an export holds: each copy is compared with every folder', () => {
    const copies = new ZippedCopies();
    for (let i = 0; i < 5000; i += 1) {
      fill(copies, `f${i}/`);
      fill(copies, `f${i} (1)/`);
    }
    expect(copies.copies('x.zip')).toEqual({ roots: [], problems: [] });
    expect(copies.partFolder()).toBeUndefined();
  });
});
