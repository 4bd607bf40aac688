// Orphan references whose ids the referenced table holds without their leading zeros (a spreadsheet read
// the ids as numbers and saved them so) say so, and what to do.
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

/** An extracted export: every table's header, and these rows (cells by column name). */
function extracted(rows: Partial<Record<TableName, Record<string, string>[]>>): string {
  const dir = tempDir('orphans-');
  for (const table of TABLE_NAMES) {
    const names = SCHEMAS[table].fields.map((f) => f.name);
    const lines = (rows[table] ?? []).map((row) => names.map((n) => row[n] ?? '').join(','));
    writeFileSync(join(dir, guideFile(table)), `${[names.join(','), ...lines].join('\r\n')}\r\n`);
  }
  return dir;
}

async function orphanMessages(dir: string): Promise<string[]> {
  const ex = await exp.openExport(dir);
  try {
    const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { references: true });
    return outcome.problems.filter((p) => p.code === 'ORPHAN_REFERENCES').map((p) => p.message);
  } finally {
    await ex.close();
  }
}

describe('ids a spreadsheet rounded', () => {
  it('are a problem of their table, even where nothing refers to them', async () => {
    const dir = extracted({
      messages: [
        { message_id: '6.91912E+18', candidate_id: '' },
        { message_id: '6.91912E+18', candidate_id: '' },
      ],
    });
    const ex = await exp.openExport(dir);
    try {
      const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { references: true });
      // The count only: a redacted run's report keeps the tables, and names no id.
      expect(outcome.tables.messages?.roundedIds).toBe(2);
      expect(outcome.problems.filter((p) => p.code === 'IDS_ROUNDED').map((p) => p.message)).toEqual([
        'messages: 2 id(s) of column(s) message_id are written as rounded numbers (e.g. 6.91912E+18): a spreadsheet most likely re-wrote them when the table was saved there, and their digits are lost, so those rows cannot be told apart or joined; take the table from export.zip again',
      ]);
    } finally {
      await ex.close();
    }
  });
});

describe('ids with decimals', () => {
  it('are a problem of their table, even in a column nothing refers to', async () => {
    const dir = extracted({
      projects: [
        { project_id: '1', job_post_id: '3000000000.0' },
        { project_id: '2', job_post_id: '' },
      ],
    });
    const ex = await exp.openExport(dir);
    try {
      const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { references: true });
      expect(outcome.problems.filter((p) => p.code === 'IDS_DECIMAL').map((p) => p.message)).toEqual([
        "projects: 1 id(s) of column(s) job_post_id are written with decimals (e.g. 3000000000.0), as pandas writes a column of whole numbers with an empty cell: ids are kept as written, so these match no other table's; take the table from export.zip again",
      ]);
    } finally {
      await ex.close();
    }
  });
});

describe('orphan references', () => {
  it("show R's NA among the missing values, and say it is an empty cell written so", async () => {
    const dir = extracted({
      hiring_states: [{ candidate_hiringstate_id: '12' }],
      candidates: [
        { candidate_id: '1', hiring_state_id: 'NA' },
        { candidate_id: '2', hiring_state_id: 'NA' },
        { candidate_id: '3', hiring_state_id: '13' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'candidates.hiring_state_id -> hiring_states.candidate_hiringstate_id: 3 row(s) refer to missing values (e.g. NA, 13); NA is how R (write.csv), pandas or a database writes an empty cell, not an id: save the table with empty cells for missing values (in R, write.csv(..., na = "")), or take it from export.zip again',
    ]);
  });

  it('show ids with spaces around them quoted, and say the referenced table has them without', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '42' }, { candidate_id: '7' }],
      notes: [
        { note_id: '1', candidate_id: '42 ' },
        { note_id: '2', candidate_id: '\u00a07' },
        { note_id: '3', candidate_id: ' Ann Lee ' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 3 row(s) refer to missing values (e.g. "42 ", "\\u00a07"); notes writes "42 ", "\\u00a07" with spaces around the id, which candidates has without them: ids are kept as written, so remove the spaces (a tool or an edit padded the cells), or take notes from export.zip again',
    ]);
  });

  it('show ids of spaces alone quoted, and say they are empty cells a tool padded', async () => {
    const dir = extracted({
      interview_modules: [{ interview_module_id: '5' }],
      scorecards: [
        { scorecard_id: '1', interview_module_id: '   ' },
        { scorecard_id: '2', interview_module_id: '\t' },
        { scorecard_id: '3', interview_module_id: '5' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'scorecards.interview_module_id -> interview_modules.interview_module_id: 2 row(s) refer to missing values (e.g. "   ", "\\t"); scorecards holds cells of spaces alone where an id should be (a tool or an edit padded empty cells): ids are kept as written, so empty those cells, or take scorecards from export.zip again',
    ]);
  });

  it('say when the referenced table holds the missing ids with spaces around them', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: ' 42' }, { candidate_id: '7\u00a0' }, { candidate_id: '8' }],
      notes: [
        { note_id: '1', candidate_id: '42' },
        { note_id: '2', candidate_id: '7' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 2 row(s) refer to missing values (e.g. 42, 7); candidates has " 42", "7\\u00a0" with spaces around the id: ids are kept as written, so remove the spaces in candidates (a tool or an edit padded the cells), or take it from export.zip again',
    ]);
  });

  it('say when the referenced table holds the ids as Excel\'s text formula (="0042")', async () => {
    const dir = extracted({
      // As CSV quotes them: "=""0042""" (a formula asked for is no example: only ids of digits are shown).
      projects: [{ project_id: '"=""0042"""' }, { project_id: '7' }],
      candidates: [
        { candidate_id: '1', project_id: '0042' },
        { candidate_id: '2', project_id: '"=""7"""' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'candidates.project_id -> projects.project_id: 2 row(s) refer to missing values (e.g. 0042); projects has ="0042" written as a spreadsheet formula (="...", as a tool writing for Excel keeps leading zeros): ids are kept as written, so write projects with the ids alone, or take it from export.zip again',
    ]);
  });

  it('say when the referenced table holds the missing ids without their leading zeros', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '42' }, { candidate_id: '7' }],
      notes: [
        { note_id: '1', candidate_id: '0042' },
        { note_id: '2', candidate_id: '0007' },
        { note_id: '3', candidate_id: '0099' },
      ],
    });
    const [notes, ...others] = await orphanMessages(dir);
    expect(others).toEqual([]);
    expect(notes).toBe(
      'notes.candidate_id -> candidates.candidate_id: 3 row(s) refer to missing values (e.g. 0042, 0007, 0099); candidates has 0042, 0007 without the leading zeros: a spreadsheet most likely re-wrote them when the table was saved there, so take that table from export.zip again',
    );
  });

  it('say when the referenced table holds ids a spreadsheet rounded to its number format', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '9.00719925474099E+15' }],
      notes: [{ note_id: '1', candidate_id: '9007199254740993' }],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 1 row(s) refer to missing values (e.g. 9007199254740993); candidates holds ids written as rounded numbers (1.2E+15): a spreadsheet most likely re-wrote them when the table was saved there, so take that table from export.zip again',
    ]);
  });

  it('say when the referenced table holds the ids cut to 15 digits by a spreadsheet, the rest made zeros', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '1234567890123450000' }, { candidate_id: '9007199254740990' }],
      notes: [
        { note_id: '1', candidate_id: '1234567890123456789' },
        { note_id: '2', candidate_id: '9007199254740993' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 2 row(s) refer to missing values (e.g. 1234567890123456789, 9007199254740993); candidates has 1234567890123450000, 9007199254740990, the digits past the 15th made zeros: a spreadsheet, which holds 15 digits of a number, most likely re-wrote candidates when it was saved there, so take it from export.zip again',
    ]);
  });

  it('say when the referring table writes the ids with decimals (pandas), the referenced one without', async () => {
    const dir = extracted({
      hiring_states: [{ candidate_hiringstate_id: '12' }],
      candidates: [
        { candidate_id: '1', hiring_state_id: '12.0' },
        { candidate_id: '2', hiring_state_id: '12' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'candidates.hiring_state_id -> hiring_states.candidate_hiringstate_id: 1 row(s) refer to missing values (e.g. 12.0); candidates writes 12.0 with decimals where hiring_states has whole numbers: pandas or a spreadsheet most likely re-wrote candidates, so take it from export.zip again',
    ]);
  });

  it('say when the referenced table writes the ids with decimals (pandas), the referring one without', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '42.0' }, { candidate_id: '7.0' }],
      notes: [
        { note_id: '1', candidate_id: '42' },
        { note_id: '2', candidate_id: '7' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 2 row(s) refer to missing values (e.g. 42, 7); candidates has 42, 7 with decimals (42.0): pandas or a spreadsheet most likely re-wrote candidates, so take it from export.zip again',
    ]);
  });

  it('say when the referring table writes the ids without the leading zeros the referenced one has', async () => {
    const dir = extracted({
      projects: [{ project_id: '0042' }, { project_id: '0007' }],
      candidates: [
        { candidate_id: '1', project_id: '42' },
        { candidate_id: '2', project_id: '7' },
        { candidate_id: '3', project_id: '99' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'candidates.project_id -> projects.project_id: 3 row(s) refer to missing values (e.g. 42, 7, 99); projects has 0042, 0007 with leading zeros: a spreadsheet most likely re-wrote candidates when it was saved there, so take it from export.zip again',
    ]);
  });

  it('say when the referenced table writes its ids with thousands separators', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '"1,000,000,003"' }, { candidate_id: '1.000.000.007' }],
      notes: [
        { note_id: '1', candidate_id: '1000000003' },
        { note_id: '2', candidate_id: '1000000007' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 2 row(s) refer to missing values (e.g. 1000000003, 1000000007); candidates has 1,000,000,003, 1.000.000.007 with thousands separators: a spreadsheet most likely re-wrote candidates when it was saved there, so take it from export.zip again',
    ]);
  });

  it('say when the referring table holds ids a spreadsheet rounded, showing them', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '1000000003' }],
      notes: [
        { note_id: '1', candidate_id: '1.00000003E+09' },
        { note_id: '2', candidate_id: 'Jane Doe' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 2 row(s) refer to missing values (e.g. 1.00000003E+09); notes writes 1.00000003E+09 as rounded numbers: a spreadsheet most likely re-wrote notes when it was saved there, so take it from export.zip again',
    ]);
  });

  it('repeated keys say when a spreadsheet rounded the ids alike', async () => {
    const dir = extracted({
      hiring_states: [
        { candidate_hiringstate_id: '1.00E+08', name: 'Contacted' },
        { candidate_hiringstate_id: '1.00E+08', name: 'Replied' },
      ],
    });
    const ex = await exp.openExport(dir);
    try {
      const outcome = await pipeline.readTables(ex, TABLE_NAMES, {}, { references: true });
      const repeated = outcome.problems.filter((p) => p.code === 'KEY_REPEATED').map((p) => p.message);
      expect(repeated).toEqual([
        'hiring_states: 1 row(s) repeat the candidate_hiringstate_id of an earlier row (e.g. 1.00E+08); where rows are looked up by it (join, the report page), the first is used; hiring_states holds ids written as rounded numbers (1.2E+15): a spreadsheet most likely re-wrote them when the table was saved there, so take that table from export.zip again',
      ]);
    } finally {
      await ex.close();
    }
  });

  it('say when rows of the referenced table were rejected, whose ids are then not known', async () => {
    const dir = extracted({
      projects: [
        { project_id: '500', job_post_created_at: '13/05/2021 18:20' },
        { project_id: '501', job_post_created_at: '2021-05-13 18:20:00' },
      ],
      candidates: [
        { candidate_id: '1', project_id: '500' },
        { candidate_id: '2', project_id: '501' },
      ],
    });
    expect(await orphanMessages(dir)).toEqual([
      'candidates.project_id -> projects.project_id: 1 row(s) refer to missing values (e.g. 500); 1 row(s) of projects were rejected, and rows referring to them count here: fix those first',
    ]);
  });

  it('say nothing more when no missing id is there written otherwise', async () => {
    const dir = extracted({
      candidates: [{ candidate_id: '42' }],
      notes: [{ note_id: '1', candidate_id: '0043' }],
    });
    expect(await orphanMessages(dir)).toEqual([
      'notes.candidate_id -> candidates.candidate_id: 1 row(s) refer to missing values (e.g. 0043)',
    ]);
  });
});
