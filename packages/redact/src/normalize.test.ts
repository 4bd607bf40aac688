import { describe, expect, it } from 'vitest';
import { bareNames, fold, foldAny } from './normalize.js';

describe('fold', () => {
  it('gives what the full folding gives, ASCII taken the short way', () => {
    // Every ASCII unit, with spaces, tabs, newlines and backticks at either end and doubled.
    const units = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), ' ', ' ', 'a', 'Z', '`'];
    let state = 11;
    const pick = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    for (let k = 0; k < 20_000; k++) {
      const text = Array.from({ length: pick(12) }, () => units[pick(units.length)]).join('');
      expect(fold(text), JSON.stringify(text)).toBe(foldAny(text));
    }
    for (const text of [
      'Jane DOE',
      ' jane',
      'jane ',
      'o`brien',
      'a\tb',
      'ÉLODIE',
      'Jаne',
      'Do\u00adnovan',
      '',
    ]) {
      expect(fold(text), text).toBe(foldAny(text));
    }
    expect(fold('Jane  Doe')).toBe('jane doe');
    expect(fold('O´Brien')).toBe("o'brien");
  });
});

describe('bareNames', () => {
  it('gives the names a field holds beside a title, suffix, initials or a nickname, and nothing for a plain name', () => {
    expect(bareNames('Dr. Priyanka')).toEqual(['Priyanka']);
    expect(bareNames('Wojciechowski Jr.')).toEqual(['Wojciechowski']);
    expect(bareNames('Abernathy, PhD')).toEqual(['Abernathy']);
    expect(bareNames('Gwendolyn Q.')).toEqual(['Gwendolyn']);
    expect(bareNames('Krzysztof (Chris)')).toEqual(['Krzysztof', 'Chris']);
    expect(bareNames('Robert \u201cBob\u201d Smith')).toEqual(['Robert Smith', 'Bob']);
    expect(bareNames('Jane (she/her)')).toEqual(['Jane']);
    for (const plain of ['Jane', 'Mary Ann', 'van der Berg', "O'Brien", 'Dr', 'J.'])
      expect(bareNames(plain)).toEqual([]);
  });
});
