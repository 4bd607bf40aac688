import { describe, expect, it } from 'vitest';
import { NameSet } from './seen.js';

describe('NameSet', () => {
  it('tells new names from names seen, across growth, for near-identical names', () => {
    const set = new NameSet();
    const names: string[] = [];
    // Same length, one character apart, swapped characters, prefixes, and non-Latin text.
    for (let i = 0; i < 50_000; i++) {
      const id = String(1_000_000_000 + i);
      names.push(`Attachments/Candidate_${id}/Public/resume.pdf`);
      names.push(`Attachments/Candidate_${id}/Public/resume.pdG`);
      names.push(`Attachments/Candidate_${[...id].reverse().join('')}/Public/résumé.pdf`);
      names.push(`Attachments/Candidate_${id}`);
    }
    names.push('', 'a', 'b', 'ab', 'ba', '\u0000', '\u0000\u0000', '履歴書.pdf', '履歴書.pdf/', names[7]!);
    const distinct = new Set(names);
    let added = 0;
    for (const name of names) if (set.add(name)) added += 1;
    expect(added).toBe(distinct.size);
    expect(set.size).toBe(distinct.size);
    for (const name of distinct) expect(set.add(name)).toBe(false);
    expect(set.size).toBe(distinct.size);
  });

  it('keeps sets apart', () => {
    const a = new NameSet();
    const b = new NameSet();
    expect(a.add('x')).toBe(true);
    expect(b.add('x')).toBe(true);
    expect(a.add('x')).toBe(false);
  });
});

describe('NameSet folding and length', () => {
  it('takes A-Z as a-z only when asked, and only the first `length` code units', () => {
    const set = new NameSet();
    expect(set.add('Candidate_1/Public/CV.PDF', true)).toBe(true);
    expect(set.add('candidate_1/public/cv.pdf', true)).toBe(false);
    expect(set.add('candidate_1/public/cv.pdf')).toBe(false);
    expect(set.add('Candidate_1/Public/CV.PDF')).toBe(true);
    // Only ASCII letters fold: toLowerCase() of the others is the caller's to make.
    expect(set.add('Ä.txt', true)).toBe(true);
    expect(set.add('ä.txt', true)).toBe(true);
    expect(set.add('[@].txt', true)).toBe(true);
    expect(set.add('{`}.txt', true)).toBe(true);
    expect(set.add('Folder/', true, 'Folder/'.length - 1)).toBe(true);
    expect(set.add('folder', true)).toBe(false);
    expect(set.add('folder/', false)).toBe(true);
  });
});
