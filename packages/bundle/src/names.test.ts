import { expect, it } from 'vitest';
import { NameSet } from './names.js';

it('finds every name added and no other, across growth of the table', () => {
  const names = new NameSet();
  for (let i = 0; i < 50_000; i++) {
    const key = `attachments_1-2/candidate_${i}/public/resume.pdf`;
    expect(names.has(key)).toBe(false);
    names.add(key);
    expect(names.has(key)).toBe(true);
  }
  for (let i = 0; i < 50_000; i += 997)
    expect(names.has(`attachments_1-2/candidate_${i}/public/resume.pdf`)).toBe(true);
  for (let i = 50_000; i < 60_000; i++)
    expect(names.has(`attachments_1-2/candidate_${i}/public/resume.pdf`)).toBe(false);
  expect(names.has('')).toBe(false);
});

it('forgets every name when cleared, and takes names again after', () => {
  const names = new NameSet();
  for (let i = 0; i < 10_000; i++) names.add(`candidate_${i}/public/cv.pdf`);
  names.clear();
  for (let i = 0; i < 10_000; i += 101) expect(names.has(`candidate_${i}/public/cv.pdf`)).toBe(false);
  names.add('candidate_7/public/cv.pdf');
  expect(names.has('candidate_7/public/cv.pdf')).toBe(true);
  expect(names.has('candidate_8/public/cv.pdf')).toBe(false);
});
