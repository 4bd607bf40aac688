import { describe, expect, it } from 'vitest';
import { fold, foldAny } from './normalize.js';

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
