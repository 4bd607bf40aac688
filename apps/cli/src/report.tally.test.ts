import { describe, expect, it } from 'vitest';
import { Grid } from './report/tally.js';

describe('Grid (candidate rows per project and stage)', () => {
  it('adds up counts per row and column, leaving out columns a row has none of', () => {
    const grid = new Grid();
    grid.add('p1', 's1', 2);
    grid.add('p2', 's2', 1);
    grid.add('p1', 's1', 3);
    grid.add('p1', 's3', 1);
    const rows = grid.rows();
    expect([...rows.keys()]).toEqual(['p1', 'p2']);
    expect(Object.fromEntries(rows.get('p1')!)).toEqual({ s1: 5, s3: 1 });
    expect(Object.fromEntries(rows.get('p2')!)).toEqual({ s2: 1 });
  });

  it('keeps what each row has, not every column for every row (50,000 projects of 2,000 stages)', () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const grid = new Grid();
    // Each project in one stage of its own: rows x columns cells would be 100 million numbers (800 MB).
    for (let p = 0; p < 50_000; p++) grid.add(`project ${p}`, `stage ${p % 2_000}`, 1);
    const used = process.memoryUsage().heapUsed - before;
    expect(used).toBeLessThan(100e6);
    expect(grid.rows().get('project 49999')?.get('stage 1999')).toBe(1);
  });
});
