import { describe, expect, it } from 'vitest';
import { holdsLongRun } from './base64-text.js';

const LONG = /[A-Za-z0-9+/]{40}/;

describe('holdsLongRun', () => {
  it('tells a run of 40 base64 characters wherever it stands, as a regular expression does', () => {
    // Texts of base64 characters broken by others at random places, runs of every length around 40.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = 'aZ09+/';
    let found = 0;
    for (let n = 0; n < 20000; n++) {
      let text = '';
      const length = next() % 200;
      const breakEvery = 20 + (next() % 40);
      for (let i = 0; i < length; i++)
        text += next() % breakEvery === 0 ? ' .=-é\n'[next() % 6] : alphabet[next() % alphabet.length];
      const expected = LONG.test(text);
      if (expected) found++;
      expect(holdsLongRun(text), text).toBe(expected);
      expect(holdsLongRun(Buffer.from(text, 'latin1')), text).toBe(expected);
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('finds a run at the very start and end, and not one a character short', () => {
    const run = 'QUJD'.repeat(10);
    expect(holdsLongRun(run)).toBe(true);
    expect(holdsLongRun(`${run} and words`)).toBe(true);
    expect(holdsLongRun(`words and ${run}`)).toBe(true);
    expect(holdsLongRun(`words ${run.slice(1)} and ${run.slice(1)}`)).toBe(false);
  });
});
