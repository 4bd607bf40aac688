import { describe, expect, it } from 'vitest';
import { fitName, foldName, portableName, SuffixCursor, suffixedName, suffixedPath } from './index.js';

/** The search the cursor replaces: from 1 each time. */
function searchFromOne(path: string, taken: (path: string) => boolean): string {
  if (!taken(path)) return path;
  let n = 1;
  while (taken(suffixedPath(path, n))) n += 1;
  return suffixedPath(path, n);
}

/** Gives each name its free form, as extract, bundle and redact do, with `free`. */
function giveAll(
  names: string[],
  free: (path: string, taken: (path: string) => boolean) => string,
): string[] {
  const used = new Set<string>();
  const taken = (path: string) => used.has(foldName(path));
  return names.map((name) => {
    const given = free(name, taken);
    used.add(foldName(given));
    return given;
  });
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('suffixedPath', () => {
  it('suffixes the last segment only', () => {
    expect(suffixedPath('Candidate_1/Public/resume.pdf', 2)).toBe('Candidate_1/Public/resume_2.pdf');
    expect(suffixedPath('a.b/README', 1)).toBe('a.b/README_1');
    expect(suffixedPath('resume.pdf', 3)).toBe(suffixedName('resume.pdf', 3));
  });
});

describe('foldName', () => {
  it('takes names Windows makes one file of for one name: case, Unicode form, dots and spaces at the end', () => {
    const names = [
      'Public/empty.txt',
      'Public/empty.txt.',
      'Public/empty.txt ',
      'Public/EMPTY.TXT',
      'Public/e\u0301.pdf',
    ];
    expect(new Set(names.slice(0, 4).map(foldName)).size).toBe(1);
    expect(foldName('Public/\u00e9.pdf. .')).toBe(foldName(names[4]!));
    expect(foldName('Candidate_1./Public /cv.pdf')).toBe(foldName('candidate_1/public/cv.pdf'));
    const cursor = new SuffixCursor();
    const given = giveAll(names, (p, t) => cursor.free(p, t));
    expect(new Set(given.map(foldName)).size).toBe(names.length);
  });
});

describe('SuffixCursor', () => {
  it('gives thousands of copies of one name the suffixes in order, skipping one the source holds', () => {
    const names = ['Public/r_3.pdf', ...Array.from({ length: 5000 }, () => 'Public/r.pdf')];
    const cursor = new SuffixCursor();
    let tries = 0;
    const counted = (taken: (path: string) => boolean) => (path: string) => {
      tries += 1;
      return taken(path);
    };
    const given = giveAll(names, (p, t) => cursor.free(p, counted(t)));
    // Linear: about two tries a name (a search from 1 for each would make over 12 million).
    expect(tries).toBeLessThan(3 * names.length);
    const suffixes = [1, 2, ...Array.from({ length: 4997 }, (_, i) => i + 4)];
    expect(given).toEqual(['Public/r_3.pdf', 'Public/r.pdf', ...suffixes.map((n) => `Public/r_${n}.pdf`)]);
  });

  it('gives the names a search from 1 gives, for names that clash in case, Unicode form or suffix', () => {
    // Letters whose lower case depends on what follows (Σ), composed and decomposed é, dots and suffix-like tails.
    const parts = [
      'r',
      'R',
      'Σ',
      'σ',
      'ς',
      'é',
      'e\u0301',
      'É',
      '.',
      '_1',
      '_2',
      '.pdf',
      '.PDF',
      'x',
      'İ',
      '/',
    ];
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const pool = Array.from({ length: 6 }, () => {
        let name = 'd/';
        const length = 1 + Math.floor(next() * 4);
        for (let i = 0; i < length; i++) name += parts[Math.floor(next() * parts.length)];
        return name;
      });
      const names = Array.from({ length: 60 }, () => pool[Math.floor(next() * pool.length)]!);
      const cursor = new SuffixCursor();
      expect(giveAll(names, (p, t) => cursor.free(p, t))).toEqual(giveAll(names, searchFromOne));
    }
  });

  it('counts apart names that fold alike but not once suffixed (a final sigma before the suffix)', () => {
    // `AΣ.B` and `Aσ.B` fold alike; `AΣ_1.B` and `Aσ_1.B` do not (Σ before `_` lowers to final ς).
    const names = ['d/Aσ.B', 'd/Aσ.B', 'd/Aσ.B', 'd/AΣ.B', 'd/AΣ.B'];
    const cursor = new SuffixCursor();
    const given = giveAll(names, (p, t) => cursor.free(p, t));
    expect(given).toEqual(giveAll(names, searchFromOne));
    expect(given).toEqual(['d/Aσ.B', 'd/Aσ_1.B', 'd/Aσ_2.B', 'd/AΣ_1.B', 'd/AΣ_2.B']);
  });

  it('gives the same name again while it is not taken', () => {
    const used = new Set(['r.pdf', 'r_1.pdf']);
    const cursor = new SuffixCursor();
    const taken = (path: string) => used.has(path);
    expect(cursor.free('r.pdf', taken)).toBe('r_2.pdf');
    expect(cursor.free('r.pdf', taken)).toBe('r_2.pdf');
  });
});

describe('portableName', () => {
  it('makes the names Windows cannot create ones it can, and leaves the others as they are', () => {
    const cases: [string, string][] = [
      ['CON', 'CON_'],
      ['con.pdf', 'con_.pdf'],
      ['Aux.tar.gz', 'Aux_.tar.gz'],
      ['NUL', 'NUL_'],
      ['prn .txt', 'prn_ .txt'],
      ['COM1.doc', 'COM1_.doc'],
      ['lpt9', 'lpt9_'],
      ['COM\u00b9.txt', 'COM\u00b9_.txt'],
      ['cv.pdf.', 'cv.pdf'],
      ['cv.pdf . ', 'cv.pdf'],
      ['...', '_'],
      ['a<b>c:d"e|f?g*h\\i.pdf', 'a_b_c_d_e_f_g_h_i.pdf'],
      ['tab\there\u001f.pdf', 'tab_here_.pdf'],
    ];
    for (const [name, portable] of cases) expect(portableName(name), name).toBe(portable);
    for (const name of [
      'CONTRACT.pdf',
      'COM10.txt',
      'LPT0',
      'console',
      'my CON.pdf',
      '.hidden',
      'résumé.pdf',
      'COM',
    ])
      expect(portableName(name), name).toBe(name);
  });

  it('gives names that stay portable with a suffix, however it is fitted', () => {
    for (const name of ['CON', 'nul.txt', 'cv.pdf.', 'a?.pdf', `${'x'.repeat(300)}?.pdf`]) {
      const portable = portableName(name);
      for (const given of [suffixedName(portable, 2), fitName(portable, 3, 255)])
        expect(portableName(given), given).toBe(given);
    }
  });
});
