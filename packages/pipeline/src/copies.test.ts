// A table in two contracts' folders (`Contract_1/`, `Contract_1 2/`) is read as one: a rejected row is named
// by the copy it is in and its line and byte there, not counted through the copies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guideFile, type Reject, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, expect, it } from 'vitest';
import { type Export, loadBuilt, type Pipeline, tempDir } from './test-export.js';

let pipeline: Pipeline;
let exp: Export;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
});

it("names a rejected row of a table's second copy by that copy's file, line and byte", async () => {
  const dir = tempDir('copies-');
  const header = SCHEMAS.candidates.fields.map((f) => f.name).join(',');
  const row = (id: string) =>
    SCHEMAS.candidates.fields.map((f) => (f.name === 'candidate_id' ? id : '')).join(',');
  const copies = {
    Contract_1: [header, row('1'), row('2'), `${row('3')},extra`, row('4')],
    'Contract_1 2': [`\ufeff${header}`, row('5'), `${row('6')},extra`],
  };
  for (const [folder, lines] of Object.entries(copies)) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, 'Candidate.csv'), `${lines.join('\r\n')}\r\n`);
  }
  for (const table of TABLE_NAMES.filter((t) => t !== 'candidates')) {
    writeFileSync(join(dir, guideFile(table)), `${SCHEMAS[table].fields.map((f) => f.name).join(',')}\r\n`);
  }
  const ex = await exp.openExport(dir);
  const rejects: Reject[] = [];
  try {
    await pipeline.readTables(ex, ['candidates'], { reject: (r) => void rejects.push(r) });
  } finally {
    await ex.close();
  }
  const second = `\ufeff${header}\r\n${row('5')}\r\n`;
  expect(rejects.map((r) => [r.file, r.line, r.offset])).toEqual([
    ['Contract_1/Candidate.csv', 4, Buffer.byteLength([header, row('1'), row('2'), ''].join('\r\n'))],
    ['Contract_1 2/Candidate.csv', 3, Buffer.byteLength(second)],
  ]);
  expect(rejects[1]!.message).toMatch(
    /^Contract_1 2\/Candidate\.csv line 3 \(byte \d+\), table candidates: /,
  );
});

it("names a record too large in a table's second copy by that copy's file and line", async () => {
  const dir = tempDir('copies-');
  const header = SCHEMAS.candidates.fields.map((f) => f.name).join(',');
  const row = (id: string) =>
    SCHEMAS.candidates.fields.map((f) => (f.name === 'candidate_id' ? id : '')).join(',');
  mkdirSync(join(dir, 'Contract_1'));
  writeFileSync(join(dir, 'Contract_1', 'Candidate.csv'), `${[header, row('1'), row('2')].join('\n')}\n`);
  mkdirSync(join(dir, 'Contract_1 2'));
  writeFileSync(
    join(dir, 'Contract_1 2', 'Candidate.csv'),
    `${header}\n${row('3')}\n4,"${'x'.repeat(5000)}\n`,
  );
  for (const table of TABLE_NAMES.filter((t) => t !== 'candidates')) {
    writeFileSync(join(dir, guideFile(table)), `${SCHEMAS[table].fields.map((f) => f.name).join(',')}\r\n`);
  }
  const ex = await exp.openExport(dir);
  try {
    const outcome = await pipeline.readTables(
      ex,
      ['candidates'],
      {},
      { maxRecordBytes: 1024, failFast: false },
    );
    expect(outcome.tables.candidates?.error?.message).toMatch(
      /^Contract_1 2\/Candidate\.csv line 3 \(byte \d+\): /,
    );
    // Stopping the run, the error names it so too.
    await expect(pipeline.readTables(ex, ['candidates'], {}, { maxRecordBytes: 1024 })).rejects.toMatchObject(
      {
        file: 'Contract_1 2/Candidate.csv',
        line: 3,
      },
    );
  } finally {
    await ex.close();
  }
});
