// A stray quote in a table without quoted fields takes in every row after it: the summary says so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guideFile, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Export, loadBuilt, type Pipeline, tempDir } from './test-export.js';

let pipeline: Pipeline;
let exp: Export;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
});

describe('a quote that never closes', () => {
  it('is told in ROWS_REJECTED with the lines it took in, which the rows lack', async () => {
    const dir = tempDir('unclosed-');
    for (const table of TABLE_NAMES) {
      const header = SCHEMAS[table].fields.map((f) => f.name).join(',');
      const rows =
        table === 'hiring_states'
          ? ['1,Applied,applicant', '2,"Phone screen,phone screen', '3,Offer,offer', '4,Hired,hired']
          : [];
      writeFileSync(join(dir, guideFile(table)), `${[header, ...rows].join('\r\n')}\r\n`);
    }
    const ex = await exp.openExport(dir);
    try {
      const outcome = await pipeline.readTables(ex, ['hiring_states'], {});
      expect(outcome.tables.hiring_states).toMatchObject({ rows: 2, decoded: 1, rejected: 1 });
      expect(outcome.problems.filter((p) => p.code === 'ROWS_REJECTED').map((p) => p.message)).toEqual([
        `hiring_states: 1 of 2 rows rejected (ROW_UNCLOSED_QUOTE x1); the quote opened on line 3 of ${guideFile('hiring_states')} never closes, so that row took in the 2 line(s) after it, most likely rows of their own, which are not counted: remove the stray quote (or double it) and run again`,
      ]);
    } finally {
      await ex.close();
    }
  });
});
