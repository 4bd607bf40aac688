import { describe, expect, it } from 'vitest';
import { closestName } from './typos.js';

describe('closestName', () => {
  const names = ['candidates', 'custom_field_values', 'messages', 'notes', 'keep', 'drop', 'pseudonym'];

  it('finds the name a letter dropped, added, changed or two swapped away', () => {
    expect(closestName('candidtes', names)).toBe('candidates');
    expect(closestName('messagess', names)).toBe('messages');
    expect(closestName('psuedonym', names)).toBe('pseudonym');
    expect(closestName('kep', names)).toBe('keep');
  });

  it('gives nothing for a word far from every name, or near several', () => {
    expect(closestName('projects', names)).toBeUndefined();
    expect(closestName('brop', ['drop', 'prop'])).toBeUndefined();
    expect(closestName('drop', names)).toBeUndefined();
  });
});
