// The charts of the report page, on their own.
import { describe, expect, it } from 'vitest';
import { bars, clip } from './report/charts.js';

describe('bars', () => {
  it('draws no bar for a count of 0, and one of a pixel at least for any other', () => {
    const svg = bars(
      'Files per size',
      [
        ['under 10 KB', 0],
        ['10-100 KB', 1],
        ['100 KB-1 MB', 100_000],
      ],
      { sort: false },
    );
    const widths = [...svg.matchAll(/<rect class="s0" x="\d+" y="\d+" width="(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toEqual([0, 1, 420]);
  });
});

describe('clip', () => {
  it('keeps a label that fits, cuts one that does not at a whole character', () => {
    expect(clip('Backend Engineer')).toBe('Backend Engineer');
    expect(clip('😀'.repeat(40))).toBe(`${'😀'.repeat(13)}…`);
    expect(clip('高'.repeat(40)).length).toBeLessThan(16);
  });
});
