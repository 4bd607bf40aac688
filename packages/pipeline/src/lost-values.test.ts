// Values a save lost before the export reached us (phone numbers rounded, names turned into question marks)
// and times at epoch 0: counted per table, told as notices naming the columns, never a value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guideFile, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Export, loadBuilt, type Pipeline, tempDir } from './test-export.js';

let pipeline: Pipeline;
let exp: Export;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
});

function extracted(rows: Partial<Record<TableName, Record<string, string>[]>>): string {
  const dir = tempDir('lost-');
  for (const table of TABLE_NAMES) {
    const names = SCHEMAS[table].fields.map((f) => f.name);
    const lines = (rows[table] ?? []).map((row) => names.map((n) => row[n] ?? '').join(','));
    writeFileSync(join(dir, guideFile(table)), `${[names.join(','), ...lines].join('\r\n')}\r\n`);
  }
  return dir;
}

describe('values a save lost, and times at epoch 0', () => {
  it('are counted per table and told as notices naming the columns, never a value', async () => {
    const dir = extracted({
      candidates: [
        { candidate_id: '1', first_name: '????', last_name: 'Ng', phone_numbers: '4.15555E+09' },
        { candidate_id: '2', first_name: 'Ann', last_name: '?? ???', phone_numbers: '+1 415 555 0123' },
        { candidate_id: '3', first_name: 'JosÃ©', last_name: 'Ng', phone_numbers: '' },
        { candidate_id: '4', first_name: 'Philippa', last_name: 'Wether\u0000spoon', phone_numbers: '' },
        { candidate_id: '5', first_name: 'Line\tbreak', last_name: 'Ng', phone_numbers: '' },
      ],
      interview_modules: [
        { interview_module_id: '1', start_time: '0', end_time: '2021-10-13 07:40:00' },
        { interview_module_id: '2', start_time: '1970-01-01 00:00:00', end_time: '' },
      ],
    });
    const ex = await exp.openExport(dir);
    try {
      const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { references: true });
      expect(outcome.tables.candidates).toMatchObject({
        roundedPhones: 1,
        lostNames: 2,
        garbledNames: 1,
        controlNames: 1,
      });
      expect(outcome.tables.interview_modules).toMatchObject({
        epochTimes: 2,
        epochTimeColumns: ['start_time'],
      });
      // Tables finish in any order.
      const told = outcome.problems
        .filter((p) =>
          ['PHONES_ROUNDED', 'NAMES_LOST', 'NAMES_GARBLED', 'NAMES_CONTROL', 'TIMES_EPOCH'].includes(p.code),
        )
        .sort((a, b) => (a.code < b.code ? -1 : 1));
      expect(told.map((p) => [p.code, p.severity, p.message.split(':')[0]])).toEqual([
        ['NAMES_CONTROL', 'notice', 'candidates'],
        ['NAMES_GARBLED', 'notice', 'candidates'],
        ['NAMES_LOST', 'notice', 'candidates'],
        ['PHONES_ROUNDED', 'notice', 'candidates'],
        ['TIMES_EPOCH', 'notice', 'interview_modules'],
      ]);
      expect(told[4]!.message).toMatch(/2 time\(s\) of column\(s\) start_time are on 1970-01-01/);
      // Never the value.
      expect(told[0]!.message).not.toMatch(/spoon/i);
    } finally {
      await ex.close();
    }
  });

  it('numbers holding more than a double are counted and told, with one thread or several', async () => {
    const scores = ['9007199254740993', '4.5', '1e-400', '12345678901234567890', '3'];
    const dir = extracted({
      feedbacks: scores.map((score, k) => ({ feedback_id: String(k), recommendation_score: score })),
    });
    const ex = await exp.openExport(dir);
    try {
      for (const threads of [1, 2]) {
        const outcome = await pipeline.readTables(ex, ['feedbacks'], {}, { threads });
        expect(outcome.tables.feedbacks).toMatchObject({ rows: 5, numbersRounded: 3 });
        const told = outcome.problems.filter((p) => p.code === 'NUMBERS_ROUNDED');
        expect(told.map((p) => [p.severity, p.message.split(':')[0]])).toEqual([['notice', 'feedbacks']]);
        expect(told[0]!.message).toMatch(/3 number\(s\) hold more digits/);
      }
    } finally {
      await ex.close();
    }
  });
});
