// Rows a candidate has twice, exactly alike (a hand-edited export): their document holds every copy, and a
// notice says how many, so that a count that looks doubled is explained.
import { type Problem, problem } from '@talent-export/export';
import { CODES, type KeyedTable, type Row } from './rows.js';

export class Duplicates {
  private readonly counts: Partial<Record<KeyedTable, number>> = {};

  /** For `buildDocument`: one row that repeats an earlier one. */
  readonly add = (row: Row): void => {
    const table = CODES[row.code];
    this.counts[table] = (this.counts[table] ?? 0) + 1;
  };

  /** The ROWS_DUPLICATE notice, if any row repeated another. */
  problem(): Problem | undefined {
    const repeated = Object.entries(this.counts);
    if (repeated.length === 0) return undefined;
    const total = repeated.reduce((sum, [, n]) => sum + n, 0);
    const list = repeated.map(([table, n]) => `${table}: ${n}`).join(', ');
    return problem(
      'ROWS_DUPLICATE',
      `${total} row(s) repeat an earlier row of the same candidate exactly, and its document holds every copy (${list}); remove the copies from the export if they are not meant`,
    );
  }
}
