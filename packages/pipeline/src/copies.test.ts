// A table in two contracts' folders (`Contract_1/`, `Contract_1 2/`) is read as one: a rejected row is named
// by the copy it is in and its line and byte there, not counted through the copies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guideFile, type Reject, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { beforeAll, describe, expect, it } from 'vitest';
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

describe("a table's copy lacking a column the table does not require (a copy from an older export)", () => {
  const fields = SCHEMAS.candidates.fields.map((f) => f.name);
  const older = fields.filter((name) => name !== 'tags');
  // Rows enough to be cut into several slices for the worker threads (~3 MB).
  const ROWS = 12_000;
  const LONG = 'L'.repeat(100);
  const line = (columns: readonly string[], id: number) =>
    columns
      .map((name) =>
        name === 'candidate_id'
          ? `${id}`
          : name === 'tags'
            ? `t${id}`
            : name === 'first_name'
              ? `Name ${id}`
              : name === 'last_name'
                ? LONG
                : '',
      )
      .join(',');

  /** Contract_1/ and Contract_1 2/ holding the candidates table; `olderFirst`: the older copy in Contract_1/. */
  function copiesExport(olderFirst: boolean): { dir: string; olderText: string } {
    const dir = tempDir('copies-lacking-');
    const newerText = `${fields.join(',')}\r\n${Array.from({ length: ROWS }, (_, k) => line(fields, k + 1)).join('\r\n')}\r\n`;
    const rows = Array.from({ length: ROWS }, (_, k) => line(older, ROWS + k + 1));
    // One row of the older copy has a field too many: rejected, named at its line and byte there.
    rows[ROWS / 2] = `${rows[ROWS / 2]},extra`;
    const olderText = `\ufeff${older.join(',')}\n${rows.join('\n')}\n`;
    const [first, second] = olderFirst ? [olderText, newerText] : [newerText, olderText];
    for (const [folder, text] of [
      ['Contract_1', first],
      ['Contract_1 2', second],
    ] as const) {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, 'Candidate.csv'), text!);
    }
    for (const table of TABLE_NAMES.filter((t) => t !== 'candidates')) {
      writeFileSync(join(dir, guideFile(table)), `${SCHEMAS[table].fields.map((f) => f.name).join(',')}\r\n`);
    }
    return { dir, olderText };
  }

  async function read(dir: string, threads: number) {
    const ex = await exp.openExport(dir);
    const records: Record<string, unknown>[] = [];
    const rejects: Reject[] = [];
    let encoded = 0;
    try {
      const outcome = await pipeline.readTables(
        ex,
        ['candidates'],
        {
          record: (_table, record) => void records.push({ ...record }),
          encoded: (_table, rows) => {
            encoded += 1;
            const text = Buffer.concat(rows.ndjson ?? []).toString('utf8');
            for (const json of text.split('\n').filter(Boolean)) records.push(JSON.parse(json));
          },
          reject: (r) => void rejects.push(r),
        },
        { threads, formats: ['ndjson'] },
      );
      // A folder of tables alone has no export.csv: that is not what is looked at here.
      const problems = ex.problems.filter((p) => p.code !== 'MANIFEST_MISSING');
      return { records, rejects, encoded, outcome, problems };
    } finally {
      await ex.close();
    }
  }

  for (const olderFirst of [false, true]) {
    it(`reads every row of both copies, the column empty in the older copy's, on 1 or 3 threads${olderFirst ? ' (the older copy first)' : ''}`, async () => {
      const { dir, olderText } = copiesExport(olderFirst);
      for (const threads of [1, 3]) {
        const { records, rejects, encoded, outcome, problems } = await read(dir, threads);
        if (threads === 3) expect(encoded).toBeGreaterThan(1);
        expect(problems.map((p) => p.code)).toEqual(['TABLE_COPIES_UNITED']);
        expect(problems[0]!.message).toContain(
          `but ${olderFirst ? 'Contract_1' : 'Contract_1 2'}/Candidate.csv lacks the column tags, which another copy has, so its rows are read with it empty`,
        );
        expect(outcome.tables.candidates).toMatchObject({ rows: 2 * ROWS, rejected: 1 });
        expect(records.length).toBe(2 * ROWS - 1);
        // Every record has every column: the older copy's rows with tags empty (null), the newer's with theirs.
        for (const record of records) {
          expect(Object.keys(record).sort()).toEqual([...fields].sort());
          const id = Number(record.candidate_id);
          expect(record.tags, `${id}`).toEqual(id > ROWS ? null : [`t${id}`]);
          expect(record.first_name).toBe(`Name ${id}`);
        }
        const bad = olderText.indexOf(',extra\n');
        const start = olderText.lastIndexOf('\n', bad) + 1;
        expect(rejects.map((r) => [r.file, r.line, r.offset])).toEqual([
          [
            `${olderFirst ? 'Contract_1' : 'Contract_1 2'}/Candidate.csv`,
            ROWS / 2 + 2,
            Buffer.byteLength(olderText.slice(0, start)),
          ],
        ]);
      }
    });
  }

  it('refuses as before a copy lacking a required column: only one copy is read, the problem says so', async () => {
    const dir = tempDir('copies-lacking-');
    const header = fields.filter((name) => name !== 'candidate_id');
    mkdirSync(join(dir, 'Contract_1'));
    writeFileSync(join(dir, 'Contract_1', 'Candidate.csv'), `${fields.join(',')}\r\n${line(fields, 1)}\r\n`);
    mkdirSync(join(dir, 'Contract_1 2'));
    writeFileSync(
      join(dir, 'Contract_1 2', 'Candidate.csv'),
      `${header.join(',')}\r\n${line(header, 2)}\r\n${line(header, 3)}\r\n`,
    );
    for (const table of TABLE_NAMES.filter((t) => t !== 'candidates')) {
      writeFileSync(join(dir, guideFile(table)), `${SCHEMAS[table].fields.map((f) => f.name).join(',')}\r\n`);
    }
    const { problems, outcome } = await read(dir, 1);
    expect(problems.map((p) => p.code)).toEqual(['TABLE_DUPLICATE']);
    expect(problems[0]!.message).toContain(
      'their header lines too (other columns), so their rows cannot be read',
    );
    expect(outcome.tables.candidates?.rows).toBe(1);
  });
});
