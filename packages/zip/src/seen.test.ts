import { describe, expect, it } from 'vitest';
import { FolderNames, follows, NameSet } from './seen.js';

describe('NameSet', () => {
  it.each([0, 200_000])(
    'tells new names from names seen, across growth, for near-identical names (%i expected)',
    (expected) => {
      const set = new NameSet(expected);
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
    },
  );

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

describe('NameSet directories', () => {
  it('tells a folder listed again from a file and a folder of one name', () => {
    const set = new NameSet();
    expect(set.add('Contract_1', false, 10, true)).toBe(true);
    expect(set.add('Contract_1', false, 10, true)).toBe('directory');
    expect(set.add('Contract_1', false, 10, false)).toBe(false);
    expect(set.add('a.csv')).toBe(true);
    expect(set.add('a.csv', false, 5, true)).toBe(false);
    expect(set.add('A.CSV', true, 5, false)).toBe(false);
  });

  it('keeps what it marked through growth', () => {
    const set = new NameSet(0, 16);
    for (let i = 0; i < 1000; i += 1) expect(set.add(`d${i}`, false, undefined, i % 2 === 0)).toBe(true);
    for (let i = 0; i < 1000; i += 1)
      expect(set.add(`d${i}`, false, undefined, true)).toBe(i % 2 === 0 ? 'directory' : false);
  });
});

describe('FolderNames', () => {
  it('finds a repeat inside a folder (the first two segments), and forgets a folder once the next starts', () => {
    const names = new FolderNames(2);
    expect(names.add('Attachments_1-2/', false, 'Attachments_1-2'.length)).toBe(true);
    expect(names.add('Attachments_1-2/Candidate_1/', false, 'Attachments_1-2/Candidate_1'.length)).toBe(true);
    expect(names.add('Attachments_1-2/Candidate_1/Public/cv.pdf')).toBe(true);
    expect(names.add('Attachments_1-2/Candidate_1/Private/empty.txt')).toBe(true);
    expect(names.add('Attachments_1-2/Candidate_1/Public/cv.pdf')).toBe(false);
    expect(names.add('Attachments_1-2/Candidate_1', false)).toBe(false);
    expect(names.add('Attachments_1-2/Candidate_10/Public/cv.pdf')).toBe(true);
    expect(names.add('Attachments_1-2/Candidate_10/Public/cv.pdf')).toBe(false);
    // Many names in one folder: past what a cheap clear tracks.
    for (let i = 0; i < 100; i++) expect(names.add(`big/one/${i}`)).toBe(true);
    expect(names.add('big/one/7')).toBe(false);
    expect(names.add('big/two/7')).toBe(true);
    expect(names.add('big/two/7')).toBe(false);
    expect(names.add('top.csv')).toBe(true);
    expect(names.add('top.csv')).toBe(false);
  });

  it('cannot tell once a folder comes out of order (digits as numbers), case-folded when folding', () => {
    const ids = new FolderNames(2);
    for (const id of [7, 99, 100, 1000, 1001, 123456789])
      expect(ids.add(`P/Candidate_${id}/Public/cv.pdf`)).toBe(true);
    expect(ids.add('P/Candidate_55/Public/cv.pdf')).toBeUndefined();
    const names = new FolderNames(2);
    expect(names.add('P/A/x', true)).toBe(true);
    expect(names.add('P/B/x', true)).toBe(true);
    expect(names.add('p/a/y', true)).toBeUndefined();
    const exact = new FolderNames(2);
    expect(exact.add('P/A/x')).toBe(true);
    expect(exact.add('P/a/x')).toBe(true);
    expect(exact.add('P/A/y')).toBeUndefined();
    const deeper = new FolderNames(2);
    expect(deeper.add('P/C1/Public/cv.pdf')).toBe(true);
    expect(deeper.add('P/C2/Public/cv.pdf')).toBe(true);
    expect(deeper.add('P/C1/Private/offer.pdf')).toBeUndefined();
  });

  it('takes a folder of one segment when asked: Candidate_1 of Candidate_1/Public/cv.pdf', () => {
    const names = new FolderNames(1);
    expect(names.add('Candidate_1/Public/cv.pdf')).toBe(true);
    expect(names.add('Candidate_1/Private/empty.txt')).toBe(true);
    expect(names.add('Candidate_1/Public/cv.pdf')).toBe(false);
    expect(names.add('Candidate_2/Public/cv.pdf')).toBe(true);
    expect(names.add('Candidate_1/Miscellaneous/x')).toBeUndefined();
    // Two segments: the same names come out of order at once.
    const two = new FolderNames(2);
    expect(two.add('Candidate_1/Public/cv.pdf')).toBe(true);
    expect(two.add('Candidate_1/Private/empty.txt')).toBeUndefined();
  });

  it('tells repeats alike in a folder of a few names and in one that outgrew them', () => {
    const names = new FolderNames(2);
    const sub = (i: number) => `P/C1/Public/f${i}/`;
    for (let n = 1; n <= 12; n += 1) {
      expect(names.add(`P/C${n + 1}/x`)).toBe(true);
      for (let i = 0; i < n; i += 1) {
        const dir = `P/C${n + 1}/Public/f${i}/`;
        expect(names.add(dir, false, dir.length - 1, true)).toBe(true);
      }
      // A folder listed again, the same name as a file, a file in two spellings when folding.
      const last = `P/C${n + 1}/Public/f${n - 1}/`;
      expect(names.add(last, false, last.length - 1, true)).toBe('directory');
      expect(names.add(last.slice(0, -1))).toBe(false);
      expect(names.add(`P/C${n + 1}/Public/CV.pdf`, true)).toBe(true);
      expect(names.add(`P/C${n + 1}/public/cv.PDF`, true)).toBe(false);
      expect(names.add(`P/C${n + 1}/public/cv.pdf`)).toBe(false);
      expect(names.add(`P/C${n + 1}/Public/cv.pdf`)).toBe(true);
      expect(names.add(`P/C${n + 1}/x`)).toBe(false);
    }
    expect(names.add(sub(0))).toBeUndefined();
  });

  it('compares the folder case-folded when folding, so a folder in two spellings stays one', () => {
    const names = new FolderNames(2);
    expect(names.add('Candidate_1/Public/CV.PDF', true)).toBe(true);
    expect(names.add('candidate_1/public/cv.pdf', true)).toBe(false);
    // The key of a name that is not plain ASCII comes lowercased already.
    expect(names.add('candidate_1/public/résumé.pdf')).toBe(true);
    expect(names.add('CANDIDATE_1/Public/other.pdf', true)).toBe(true);
  });
});

describe('follows', () => {
  const names = [
    'a',
    'A',
    'b',
    'a1',
    'a01',
    'a2',
    'a10',
    'a9b',
    'a9/',
    'a/9',
    'a1b',
    'a1B',
    'a12b',
    'a012',
    '9a',
    'Candidate_1000/x',
    'Candidate_999',
    'candidate_1000',
    '',
    '_',
    '0',
    '00',
    'é',
  ];
  it.each([false, true])(
    'orders any two folders one way only, and the same folder neither way (fold %s)',
    (fold) => {
      const key = (text: string) => (fold ? text.replace(/[A-Z]/g, (c) => c.toLowerCase()) : text);
      for (const a of names) {
        for (const b of names) {
          const after = follows(a, a.length, b, fold);
          const before = follows(b, b.length, a, fold);
          if (key(a) === key(b)) expect([a, b, after, before]).toEqual([a, b, false, false]);
          else expect([a, b, after !== before]).toEqual([a, b, true]);
        }
      }
    },
  );

  it.each([false, true])('orders them transitively (fold %s)', (fold) => {
    const after = (a: string, b: string) => follows(a, a.length, b, fold);
    for (const a of names)
      for (const b of names)
        for (const c of names)
          if (after(b, a) && after(c, b)) expect([a, b, c, after(c, a)]).toEqual([a, b, c, true]);
  });

  it.each([false, true])('answers alike when told how much of the start is the same (fold %s)', (fold) => {
    for (const a of names)
      for (const b of names) {
        let same = 0;
        while (same < Math.min(a.length, b.length) && a[same] === b[same]) same += 1;
        for (let from = 0; from <= same; from += 1)
          expect([a, b, from, follows(a, a.length, b, fold, from)]).toEqual([
            a,
            b,
            from,
            follows(a, a.length, b, fold),
          ]);
      }
  });

  it('takes runs of digits as numbers, and only the first `end` code units', () => {
    expect(follows('Candidate_1000', 14, 'Candidate_999', false)).toBe(true);
    expect(follows('Candidate_999/Public', 13, 'Candidate_1000', false)).toBe(false);
    expect(follows('candidate_2', 11, 'Candidate_1', true)).toBe(true);
    expect(follows('candidate_1', 11, 'Candidate_1', false)).toBe(true);
  });
});
