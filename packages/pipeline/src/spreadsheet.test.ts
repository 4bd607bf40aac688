// Tables opened and saved again in a spreadsheet: what the save cut or changed is told once a table, in
// plain words naming the columns and counts, never a value of a person.
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

/** An extracted export: each table's header, then its rows as CSV lines (a Buffer as it is). */
function extracted(rows: Partial<Record<TableName, string[] | Buffer>>): string {
  const dir = tempDir('saved-');
  for (const table of TABLE_NAMES) {
    const header = SCHEMAS[table].fields.map((f) => f.name).join(',');
    const given = rows[table] ?? [];
    const body = Buffer.isBuffer(given) ? given : Buffer.from(given.map((line) => `${line}\r\n`).join(''));
    writeFileSync(join(dir, guideFile(table)), Buffer.concat([Buffer.from(`${header}\r\n`), body]));
  }
  return dir;
}

async function told(dir: string, codes: string[], threads = 1) {
  const ex = await exp.openExport(dir);
  try {
    const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { references: true, threads });
    return outcome.problems
      .filter((p) => codes.includes(p.code))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  } finally {
    await ex.close();
  }
}

describe('a table a spreadsheet saved', () => {
  it('ids cut to 15 digits, rounded or with decimals: one problem each, naming the column and the count', async () => {
    const dir = extracted({
      notes: [
        '1000000012000000,,,,,',
        '1234567890123450000,,,,,',
        '1234567890123470000,,,,,',
        '1.00000001E+15,,,,,',
        '4.0,,,,,',
      ],
    });
    const found = await told(dir, ['IDS_ROUNDED', 'IDS_DECIMAL']);
    expect(found.map((p) => [p.code, p.severity])).toEqual([
      ['IDS_DECIMAL', 'problem'],
      ['IDS_ROUNDED', 'problem'],
      ['IDS_ROUNDED', 'problem'],
    ]);
    expect(found[0]!.message).toMatch(/^notes: 1 id\(s\) of column\(s\) note_id are written with decimals/);
    expect(found[1]!.message).toMatch(/^notes: 1 id\(s\) of column\(s\) note_id are written as rounded/);
    expect(found[2]!.message).toMatch(
      /^notes: 3 id\(s\) of column\(s\) note_id end in zeros past their 15th digit \(e\.g\. 1000000012000000, 1234567890123450000, 1234567890123470000\): a spreadsheet/,
    );
  });

  it("of exactly 65,536 rows, the header included, is most likely cut at a spreadsheet's last row", async () => {
    const rows = Buffer.from('1,,\n'.repeat(65_533).concat(',,\n,,\n'));
    const dir = extracted({ hiring_states: rows });
    // Read in slices by a worker thread too, the counts added up.
    for (const threads of [1, 2]) {
      const found = await told(dir, ['TABLE_AT_ROW_LIMIT'], threads);
      expect(found.map((p) => [p.code, p.severity])).toEqual([['TABLE_AT_ROW_LIMIT', 'problem']]);
      expect(found[0]!.message).toMatch(
        /^hiring_states: the table has exactly 65,536 rows, its header included/,
      );
    }
    // One row fewer is no sheet's limit.
    const fewer = Buffer.from('1,,\n'.repeat(65_533).concat(',,\n'));
    expect(await told(extracted({ hiring_states: fewer }), ['TABLE_AT_ROW_LIMIT'])).toEqual([]);
  });

  it('with cells of 32,767 characters: one notice, counted per column', async () => {
    const full = 'x'.repeat(32_767);
    const dir = extracted({ notes: [`1,,,"${full}",,`, `2,,,${full},,`] });
    for (const threads of [1, 2]) {
      const found = await told(dir, ['CELLS_AT_LIMIT'], threads);
      expect(found.map((p) => [p.code, p.severity])).toEqual([['CELLS_AT_LIMIT', 'notice']]);
      expect(found[0]!.message).toMatch(
        /^notes: 2 cell\(s\) hold exactly the most characters a spreadsheet's cell holds \(32,767; 50,000 in Google Sheets\), 2 in content: /,
      );
    }
  });

  it("with a spreadsheet's error values (a phone number read as a formula): one notice, counted per column", async () => {
    const dir = extracted({ candidates: ['1,,Ann,Lee,,#NAME?,,,,', '2,,Bo,Lee,,#NAME?,##,,,'] });
    const found = await told(dir, ['CELLS_SPREADSHEET_ERROR']);
    expect(found.map((p) => [p.code, p.severity])).toEqual([['CELLS_SPREADSHEET_ERROR', 'notice']]);
    expect(found[0]!.message).toMatch(
      /^candidates: 3 cell\(s\) hold a spreadsheet's error value .*\(2 in phone_numbers, 1 in tags\)/,
    );
  });

  it('in Windows-1252: one notice with the count, the rows with accents rejected as before, the others read', async () => {
    const rows = Buffer.from(
      ['1,,José,Núñez', '2,,Ana,Lopez', '3,,Zoë,Brontë'].map((l) => `${l},,,,,,\r\n`).join(''),
      'latin1',
    );
    const dir = extracted({ candidates: rows });
    const ex = await exp.openExport(dir);
    try {
      const rejects: string[] = [];
      const outcome = await pipeline.readTables(
        ex,
        TABLE_NAMES,
        { reject: (r) => void rejects.push(r.raw) },
        { references: true },
      );
      expect(outcome.tables.candidates).toMatchObject({ rows: 3, decoded: 1, rejected: 2 });
      // The rejected rows keep their letters, as Windows-1252 reads them.
      expect(rejects).toEqual(['1,,José,Núñez,,,,,,', '3,,Zoë,Brontë,,,,,,']);
      const found = outcome.problems.filter((p) => p.code === 'TABLE_NOT_UTF8');
      expect(found.map((p) => [p.code, p.severity])).toEqual([['TABLE_NOT_UTF8', 'notice']]);
      expect(found[0]!.message).toMatch(/^candidates: 2 of 3 row\(s\) are not UTF-8 and were set aside/);
    } finally {
      await ex.close();
    }
  });

  it('with placeholder days, and times it re-wrote (10/13/2021 7:40, 45123): one notice each, naming the columns', async () => {
    const dir = extracted({
      interview_modules: [
        '1,,,,0001-01-01 00:00:00,1899-12-30',
        '2,,,,45123,',
        '3,,,,1900-01-01,',
        '4,,,,10/13/2021 7:40,',
      ],
    });
    const found = await told(dir, ['TIMES_PLACEHOLDER', 'TIMES_SPREADSHEET']);
    expect(found.map((p) => [p.code, p.severity])).toEqual([
      ['TIMES_PLACEHOLDER', 'notice'],
      ['TIMES_SPREADSHEET', 'notice'],
    ]);
    expect(found[0]!.message).toMatch(
      /^interview_modules: 3 time\(s\) of column\(s\) start_time, end_time are on a day/,
    );
    expect(found[1]!.message).toMatch(
      /^interview_modules: 2 time\(s\) of column\(s\) start_time are written as a spreadsheet shows times/,
    );
  });
});

describe('columns a spreadsheet or its user added', () => {
  it('empty ones past the header and a repeated extra one: read past, suffixed, and both told', async () => {
    const dir = extracted({});
    const pad = ','.repeat(16_000);
    const rows = Array.from({ length: 40 }, (_, k) => `${100 + k},Stage ${k},x,a,b${pad}\r\n`);
    const file = join(dir, guideFile('hiring_states'));
    writeFileSync(file, `candidate_hiringstate_id,name,type,Notes,notes${pad}\r\n${rows.join('')}`);
    // Read in slices by a worker thread too.
    for (const threads of [1, 2]) {
      const ex = await exp.openExport(dir);
      try {
        const outcome = await pipeline.readTables(ex, ['hiring_states'], {}, { threads });
        expect(outcome.tables.hiring_states).toMatchObject({
          rows: 40,
          decoded: 40,
          rejected: 0,
          extraColumns: ['Notes', 'notes_1'],
          renamedColumns: ['notes_1'],
          paddingColumns: 16_000,
        });
        // Every record, those a worker decoded and encoded too, holds the table's own columns only.
        const keys = new Set<string>();
        const run = pipeline.readBatches(ex, ['hiring_states'], { threads, formats: ['ndjson'] });
        for await (const batch of run) {
          const records =
            batch.kind === 'records'
              ? batch.records
              : batch.kind === 'encoded'
                ? Buffer.concat(batch.rows.ndjson ?? [])
                    .toString()
                    .split('\n')
                    .filter(Boolean)
                    .map((line) => JSON.parse(line) as Record<string, unknown>)
                : [];
          for (const record of records) for (const key of Object.keys(record)) keys.add(key);
        }
        await run.outcome;
        expect([...keys]).toEqual(['candidate_hiringstate_id', 'name', 'type', 'Notes', 'notes_1']);
      } finally {
        await ex.close();
      }
    }
  });

  // Tables of megabytes: read in slices by a worker thread with threads 2.
  const NOTES = 'note_id,project_id,candidate_id,content,owner_profile_url,visibility';
  const notesRows = (n: number, tail: string) =>
    Array.from({ length: n }, (_, k) => `n${k},p1,c1,note ${k} ${'x'.repeat(40)},url,Project${tail}\r\n`);

  /** The table's result; no padding read past (`paddingColumns` is there only when some is). */
  async function readNotes(text: string, threads: number, lenientQuotes = false) {
    const dir = extracted({});
    writeFileSync(join(dir, guideFile('notes')), text);
    const ex = await exp.openExport(dir);
    try {
      const options = { threads, ...(lenientQuotes ? { lenientQuotes } : {}) };
      const result = (await pipeline.readTables(ex, ['notes'], {}, options)).tables.notes!;
      expect(result.paddingColumns).toBeUndefined();
      return result;
    } finally {
      await ex.close();
    }
  }

  it('named column7 and column8 in the file: two columns, in every slice', async () => {
    const text = `${NOTES},column7,column8\r\n${notesRows(30_000, ',a,b').join('')}`;
    for (const threads of [1, 2]) {
      expect(await readNotes(text, threads)).toMatchObject({
        rows: 30_000,
        decoded: 30_000,
        rejected: 0,
        extraColumns: ['column7', 'column8'],
      });
    }
  });

  it('a few empty cells ending the header: columns named by their place, a value there kept', async () => {
    const rows = notesRows(30_000, ',,,');
    rows[20_000] = rows[20_000]!.replace(',,,\r\n', ',,kept,\r\n');
    // A row the spreadsheet left shorter (no commas for its empty cells) is read alike.
    rows[25_000] = rows[25_000]!.replace(',,,\r\n', '\r\n');
    const text = `${NOTES},,,\r\n${rows.join('')}`;
    for (const threads of [1, 2]) {
      expect(await readNotes(text, threads)).toMatchObject({
        rows: 30_000,
        decoded: 30_000,
        rejected: 0,
        extraColumns: ['column7', 'column8', 'column9'],
      });
    }
  });

  it('a short row ending in a backslash and a bare quote on the next: each row told, in every slice', async () => {
    const rows = notesRows(30_000, '');
    rows[20_000] = 'n20000,p1,c1,"CV at C:\\cv\\"\r\n';
    rows[20_001] = 'n20001,p1,c1,Monitor 27",url,Project\r\n';
    const text = `${NOTES}\r\n${rows.join('')}`;
    for (const threads of [1, 2]) {
      expect(await readNotes(text, threads)).toMatchObject({ rows: 30_000, decoded: 29_998, rejected: 2 });
      expect(await readNotes(text, threads, true)).toMatchObject({
        rows: 30_000,
        decoded: 29_999,
        rejected: 1,
      });
    }
  });
});
