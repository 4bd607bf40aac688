import { guideFile, TABLE_NAMES } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { locateTables } from './tables.js';

const GUIDE_FILES = TABLE_NAMES.map(guideFile);

describe('locateTables', () => {
  it('finds the ten tables of the guide under a Contract folder, in any case', () => {
    const files = GUIDE_FILES.map((f, i) => ({
      name: `Contract_123456/${i % 2 ? f.toUpperCase() : f}`,
      bytes: i + 1,
      ref: i,
    }));
    const located = locateTables(files, { archive: 'export.zip', root: '.' });
    expect(located.problems).toEqual([]);
    expect(Object.keys(located.sources).sort()).toEqual([...TABLE_NAMES].sort());
    expect(located.sources.candidates).toEqual({
      table: 'candidates',
      file: 'export.zip',
      entry: 'Contract_123456/Candidate.csv',
      bytes: 1,
    });
    expect(located.refs.scorecards).toBe(9);
  });

  it('reports a missing table and a duplicated one by both names, and reads the copy of the shortest path', () => {
    const files = [
      ...GUIDE_FILES.filter((f) => f !== 'Notes.csv').map((f) => ({
        name: `Contract_1/${f}`,
        bytes: 1,
        ref: f,
      })),
      { name: 'Contract_1/candidates.csv', bytes: 1, ref: 'dup' },
    ];
    const located = locateTables(files, { root: '.' });
    expect(located.problems.map((p) => [p.code, p.severity])).toEqual([
      ['TABLE_DUPLICATE', 'problem'],
      ['TABLE_MISSING', 'problem'],
    ]);
    expect(located.problems[0]!.message).toContain('Contract_1/Candidate.csv and Contract_1/candidates.csv');
    expect(located.problems[1]!.message).toContain('the notes table (e.g. Notes.csv)');
    // An extracted export's folder is named in words, not as `.`.
    expect(located.problems[0]!.message).toContain('the candidates table is in the export folder 2 times');
    expect(located.problems[1]!.message).toMatch(/is not in the export folder$/);
    expect(located.problems[1]!.file).toBe('.');
    expect(located.sources.candidates?.file).toBe('Contract_1/Candidate.csv');
    expect(located.sources.projects).toEqual({
      table: 'projects',
      file: 'Contract_1/Projects.csv',
      bytes: 1,
    });
  });

  it('takes an empty file (0 bytes: no header, no rows) for a table not there, and reads a copy that is not empty', () => {
    const files = GUIDE_FILES.map((f) => ({
      name: `Contract_1/${f}`,
      bytes: f === 'Notes.csv' ? 0 : 10,
      ref: f,
    }));
    files.push({ name: 'Contract_1 2/Projects.csv', bytes: 0, ref: 'empty copy' });
    const located = locateTables(files, { archive: 'export.zip', root: '.' });
    expect(located.problems.map((p) => [p.code, p.table, p.message])).toEqual([
      [
        'TABLE_MISSING',
        'notes',
        'the notes table (e.g. Notes.csv) is in export.zip as Contract_1/Notes.csv, which is empty (no header, no rows)',
      ],
    ]);
    expect(located.sources.notes).toBeUndefined();
    expect(located.refs.projects).toBe('Projects.csv');
  });

  it('says in one notice which tables are there more than once, alike, and which copies are read', () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      ...GUIDE_FILES.slice(0, 2).map((f) => ({ name: `Contract_1 (1)/${f}`, bytes: 5, ref: f })),
      { name: 'notes.csv', bytes: 5, ref: 'Notes.csv' },
      { name: 'Contract_1/notes.csv', bytes: 5, ref: 'Notes.csv' },
    ];
    const located = locateTables(files, { root: '.', same: (a, b) => a.ref === b.ref });
    expect(located.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'TABLE_COPIES_IDENTICAL',
        'notice',
        'the export folder holds 3 tables more than once (an export unpacked twice?), the copies alike byte for byte: candidates, custom_field_definitions in Contract_1 (1)/ and Contract_1/, read from Contract_1/; notes as Contract_1/Notes.csv and Contract_1/notes.csv and notes.csv, read from notes.csv. The other copies are not read and can be deleted',
      ],
    ]);
    expect(located.sources.candidates?.file).toBe('Contract_1/Candidate.csv');
    expect(located.sources.notes?.file).toBe('notes.csv');
  });

  it('names the copies that differ, their sizes, which one is read (the largest: a copy of a header alone loses every row) and what to do', () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      { name: 'Contract_1/notes.csv', bytes: 1234, ref: 'other' },
    ];
    const located = locateTables(files, {
      archive: 'export.zip',
      root: '.',
      same: (a, b) => a.ref === b.ref,
    });
    expect(located.problems.map((p) => [p.code, p.table, p.message])).toEqual([
      [
        'TABLE_DUPLICATE',
        'notes',
        'the notes table is in export.zip 2 times (Contract_1/Notes.csv and Contract_1/notes.csv) and the copies differ (5 bytes and 1,234 bytes): only Contract_1/notes.csv, the largest, is read, the rows of the other copies are not. Download export.zip again, or remove the copy you do not want from it, and run again',
      ],
    ]);
    expect(located.sources.notes?.entry).toBe('Contract_1/notes.csv');
    expect(located.more).toEqual({});
  });

  it("reads the largest copy whose first line names the table's key column, not a larger one under a title line", () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 500, ref: f })),
      { name: 'Contract_1 2/Notes.csv', bytes: 900, ref: 'titled' },
    ];
    const headers: Record<string, string> = { titled: 'Notes of Q3', 'Notes.csv': 'note_id,content,extra' };
    const located = locateTables(files, {
      archive: 'export.zip',
      root: '.',
      same: (a, b) => a.ref === b.ref,
      header: (file) => headers[file.ref] ?? 'note_id,content',
    });
    expect(located.sources.notes?.entry).toBe('Contract_1/Notes.csv');
    expect(located.problems.map((p) => [p.code, p.message.split(': only ')[1]])).toEqual([
      [
        'TABLE_DUPLICATE',
        'Contract_1/Notes.csv, the largest whose first line names the column note_id, is read, the rows of the other copies are not. Download export.zip again, or remove the copy you do not want from it, and run again',
      ],
    ]);
  });

  it("unites two contracts' copies whose headers name the same columns: in another order, quoted, or ending in a lone CR", () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      { name: 'Contract_1 2/Notes.csv', bytes: 9, ref: 'moved' },
      { name: 'Contract_1 3/Notes.csv', bytes: 7, ref: 'mac' },
    ];
    const headers: Record<string, string> = { moved: '"Content","Note ID"', mac: 'note_id,content\r1,x\r' };
    const located = locateTables(files, {
      archive: 'export.zip',
      root: '.',
      same: (a, b) => a.ref === b.ref,
      header: (file) => headers[file.ref] ?? 'note_id,content',
    });
    expect(located.problems.map((p) => [p.code, p.message.split(': the rows')[0]])).toEqual([
      [
        'TABLE_COPIES_UNITED',
        "the notes table is in export.zip 3 times (Contract_1/Notes.csv and Contract_1 2/Notes.csv and Contract_1 3/Notes.csv), each in a contract's folder of its own, and the copies differ (5 bytes and 9 bytes and 7 bytes), their headers naming the same columns (Contract_1 2/Notes.csv in another order or spelling, its rows read by the columns' names)",
      ],
    ]);
  });

  it("says two contracts' copies with other header lines are why their rows are not read as one table", () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      { name: 'Contract_1 2/Notes.csv', bytes: 9, ref: 'other' },
    ];
    const located = locateTables(files, {
      archive: 'export.zip',
      root: '.',
      same: (a, b) => a.ref === b.ref,
      header: (file) => (file.ref === 'other' ? 'content,owner' : 'note_id,content'),
    });
    expect(located.problems.map((p) => [p.code, p.message.split(': only ')[0]])).toEqual([
      [
        'TABLE_DUPLICATE',
        'the notes table is in export.zip 2 times (Contract_1 2/Notes.csv and Contract_1/Notes.csv) and the copies differ (9 bytes and 5 bytes), their header lines too (other columns), so their rows cannot be read as one table',
      ],
    ]);
  });

  it("unites two contracts' copies lacking columns not required, saying which copy lacks which, read empty", () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      { name: 'Contract_2/Notes.csv', bytes: 9, ref: 'older' },
      { name: 'Contract_3/Notes.csv', bytes: 7, ref: 'other' },
    ];
    const headers: Record<string, string> = {
      'Notes.csv': 'note_id,candidate_id,project_id,owner_profile_url,content,visibility',
      older: 'note_id,candidate_id,content',
      other: 'Note ID,candidate_id,project_id,owner_profile_url,content',
    };
    const locate = () =>
      locateTables(files, {
        archive: 'export.zip',
        root: '.',
        same: (a, b) => a.ref === b.ref,
        header: (file) => headers[file.ref] ?? headers['Notes.csv'],
      });
    const located = locate();
    expect(located.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'TABLE_COPIES_UNITED',
        "the notes table is in export.zip 3 times (Contract_1/Notes.csv and Contract_2/Notes.csv and Contract_3/Notes.csv), each in a contract's folder of its own, and the copies differ (5 bytes and 9 bytes and 7 bytes), their headers naming the same columns, but Contract_2/Notes.csv lacks the columns project_id and owner_profile_url and visibility, which another copy has, so its rows are read with them empty; Contract_3/Notes.csv lacks the column visibility, which another copy has, so its rows are read with it empty (columns the table does not require: most likely a copy from an older export): the rows of every copy are read as one table, the copies in the order named; a rejected row is named by its copy and its line there",
      ],
    ]);
    // Read under the header naming every column, the columns lacked allowed empty.
    expect(located.united.notes).toEqual({
      line: headers['Notes.csv'],
      lacking: ['projectid', 'ownerprofileurl', 'visibility'],
    });
    expect(located.sources.notes?.copies?.map((c) => c.entry)).toEqual([
      'Contract_2/Notes.csv',
      'Contract_3/Notes.csv',
    ]);
    // No copy names every column: the one naming most, the others after it in the schema's order.
    headers['Notes.csv'] = 'note_id,candidate_id,content,visibility';
    expect(locate().united.notes?.line).toBe(
      'Note ID,candidate_id,project_id,owner_profile_url,content,visibility',
    );
    // ... unless it ends in cells without a name: told as before, only one copy read.
    headers.other = 'Note ID,candidate_id,project_id,owner_profile_url,content,,';
    const [blank] = locate().problems;
    expect(blank?.code).toBe('TABLE_DUPLICATE');
    expect(blank?.message.split(', their header lines too: ')[1]?.split(': only ')[0]).toBe(
      'Contract_1/Notes.csv lacks the columns project_id and owner_profile_url, which another copy has; Contract_2/Notes.csv lacks the columns project_id and owner_profile_url and visibility, which another copy has; Contract_3/Notes.csv lacks the column visibility, which another copy has (columns the table does not require: most likely a copy from an older export), so their rows cannot be read as one table',
    );
    // A column of no schema lacking is told as other columns, as before.
    headers.other = 'note_id,candidate_id,project_id,owner_profile_url,content,visibility,mood';
    const [other] = locate().problems;
    expect(other?.code).toBe('TABLE_DUPLICATE');
    expect(other?.message).toContain('their header lines too (other columns)');
    // So is a required column lacking.
    headers['Notes.csv'] = 'note_id,candidate_id,project_id,owner_profile_url,content,visibility';
    headers.other = 'candidate_id,project_id,owner_profile_url,content,visibility';
    const [required] = locate().problems;
    expect(required?.code).toBe('TABLE_DUPLICATE');
    expect(required?.message).toContain('their header lines too (other columns)');
    expect(locate().united.notes).toBeUndefined();
  });

  it("says a contract's copy a spreadsheet saved with semicolons differs by its separator, not its columns", () => {
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      { name: 'Contract_1 2/Notes.csv', bytes: 9, ref: 'semicolons' },
    ];
    const located = locateTables(files, {
      archive: 'export.zip',
      root: '.',
      same: (a, b) => a.ref === b.ref,
      header: (file) => (file.ref === 'semicolons' ? 'note_id;content' : 'note_id,content'),
    });
    const [duplicate] = located.problems;
    expect(duplicate?.code).toBe('TABLE_DUPLICATE');
    expect(duplicate?.message).toContain(
      'their header lines too (one separated by semicolons or tabs, not commas, as a spreadsheet in another language saves a table)',
    );
    expect(duplicate?.message).not.toContain('other columns');
  });

  it("reads once a contract's copy alike another's, of three or more, the others united (rows not read twice)", () => {
    // Contract_1/ and Contract_1 3/ hold the same Notes.csv (one contract's folder unpacked twice).
    const files = [
      ...GUIDE_FILES.map((f) => ({ name: `Contract_1/${f}`, bytes: 5, ref: f })),
      { name: 'Contract_1 2/Notes.csv', bytes: 7, ref: 'second' },
      { name: 'Contract_1 3/Notes.csv', bytes: 5, ref: 'Notes.csv' },
    ];
    const located = locateTables(files, {
      archive: 'export.zip',
      root: '.',
      same: (a, b) => a.ref === b.ref,
      header: () => 'note_id,content',
    });
    expect(located.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'TABLE_COPIES_UNITED',
        "the notes table is in export.zip 3 times (Contract_1/Notes.csv and Contract_1 2/Notes.csv and Contract_1 3/Notes.csv), each in a contract's folder of its own, and the copies differ (5 bytes and 7 bytes and 5 bytes), their headers alike: the rows of every copy are read as one table, the copies in the order named; Contract_1 3/Notes.csv holds the same bytes as Contract_1/Notes.csv and is not read; a rejected row is named by its copy and its line there",
      ],
    ]);
    expect(located.sources.notes).toEqual({
      table: 'notes',
      file: 'export.zip',
      entry: 'Contract_1/Notes.csv',
      bytes: 12,
      copies: [{ file: 'export.zip', entry: 'Contract_1 2/Notes.csv', bytes: 7 }],
    });
    expect(located.more.notes).toEqual(['second']);
  });
});
