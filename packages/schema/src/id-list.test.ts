import { describe, expect, it } from 'vitest';
import { listedIdFault, parseIdList } from './id-list.js';

const parseCandidateIds = (text: string): string[] => parseIdList(text).map((listed) => listed.id);

describe('parseIdList', () => {
  it('reads ids separated by commas, semicolons, spaces or lines', () => {
    expect(parseCandidateIds('1,2; 3\n4\r\n\r\n5')).toEqual(['1', '2', '3', '4', '5']);
    // As copied from a web page or a chat: non-breaking and zero-width spaces.
    expect(parseCandidateIds('\u200b6\u00a0,7\u200b\u2060')).toEqual(['6', '7']);
    expect(parseCandidateIds('Name,Candidate ID\nAna,\u200b8\u200b')).toEqual(['8']);
  });

  it('reads a list saved from a spreadsheet: BOM, a header of any spelling, quoted ids', () => {
    expect(parseCandidateIds('\ufeffCandidate ID\r\n"0042"\r\n7\r\n')).toEqual(['0042', '7']);
    expect(parseCandidateIds('"candidate_id"\n"1","2"\n')).toEqual(['1', '2']);
    expect(parseCandidateIds('candidate_id\n8\n')).toEqual(['8']);
    // A column a spreadsheet took for numbers: its ids with decimals; other text is left as written.
    expect(parseCandidateIds('1000000003.0\n"1000000004.00"\n12.5\nA.0')).toEqual([
      '1000000003',
      '1000000004',
      '12.5',
      'A.0',
    ]);
    // A text formula a sheet keeps an id as text with, as typed and as its CSV quotes it.
    expect(parseCandidateIds('="1000000126"\n"=""0042"""\n')).toEqual(['1000000126', '0042']);
    expect(parseCandidateIds('Candidate ID;Name\n"=""1000000127""";Ana\n')).toEqual(['1000000127']);
    // Written as is by a tool, not quoted again: the formula's quotes are the cell's own.
    expect(parseCandidateIds('Name;Candidate ID\n"Lopez; Ana";="1000000128"\nBo;"=""0042"""\n')).toEqual([
      '1000000128',
      '0042',
    ]);
  });
});

describe('parseIdList on a table saved from a spreadsheet', () => {
  it('reads only the column headed as the candidate id, wherever it is, whatever the separator', () => {
    const csv =
      '\ufeff"Name","Candidate ID","Notes"\r\n"Lopez, Ana",1000000003,"a; b"\r\nBo,"1000000004",\r\n\r\n';
    expect(parseCandidateIds(csv)).toEqual(['1000000003', '1000000004']);
    expect(parseCandidateIds('candidate_id;email\n1000000005;bo@example.org\n')).toEqual(['1000000005']);
    expect(parseCandidateIds('Candidate ID\tName\n1.000000006E+09\tCy\n')).toEqual(['1000000006']);
    // Digits grouped as a spreadsheet formats a number, in one locale or another.
    expect(parseCandidateIds('Candidate ID,Name\n"1,000,000,003",Ana\n1.000.000.004,Bo\n')).toEqual([
      '1000000003',
      '1000000004',
    ]);
    expect(parseCandidateIds('"1,000,000,005";7')).toEqual(['1000000005', '7']);
    expect(parseCandidateIds('Candidate ID;Name\n1\u00a0000\u00a0000\u00a0006;Cy')).toEqual(['1000000006']);
    // A list whose first line begins with its header: not a table.
    expect(parseCandidateIds('candidate_id, 7, 8\n9')).toEqual(['7', '8', '9']);
  });
});

describe('parseIdList on names copied for ids', () => {
  it("reads the id of a candidate's folder or bundle name (Candidate_123, Candidate_123.zip)", () => {
    expect(parseCandidateIds('Candidate_1000000003, candidate_0042\nCandidate_7.zip Candidate_x')).toEqual([
      '1000000003',
      '0042',
      '7',
      'Candidate_x',
    ]);
  });
});

describe('parseIdList on numbers in scientific notation', () => {
  it('reads a whole id a spreadsheet showed so', () => {
    expect(parseCandidateIds('1.000000003E+09,1.000000004e+09')).toEqual(['1000000003', '1000000004']);
  });
});

describe('parseIdList: where each id stands, and comments', () => {
  it("gives each id its line and its place on that line, or its column's in a table", () => {
    expect(parseIdList('# erasure requests\n1, 2\n\n  # of May\n3')).toEqual([
      { id: '1', line: 2, place: 1 },
      { id: '2', line: 2, place: 2 },
      { id: '3', line: 5, place: 1 },
    ]);
    // A comment above the table's header, and a row left out by one.
    expect(parseIdList('# from the sheet\nName,Candidate ID\nAna,7\n# Bo,8\nCy,9')).toEqual([
      { id: '7', line: 3, place: 2 },
      { id: '9', line: 5, place: 2 },
    ]);
  });
});

describe('listedIdFault', () => {
  it('refuses what is no id without showing it, and a number a spreadsheet rounded, saying how to save it', () => {
    expect(listedIdFault({ id: 'AB-7_1', line: 1, place: 1 })).toBeUndefined();
    expect(listedIdFault({ id: 'ana@example.org', line: 2, place: 3 })).toBe(
      'value 3 is not a candidate id (1 to 128 letters, digits, "_" or "-"; not shown, as it may be personal data)',
    );
    expect(listedIdFault({ id: 'x'.repeat(129), line: 1, place: 1 })).toMatch(
      /^value 1 is not a candidate id/,
    );
    expect(listedIdFault({ id: '1.00E+09', line: 1, place: 2 })).toMatch(
      /^value 2 \(1\.00E\+09\) is a number a spreadsheet shortened to scientific notation.*save the list again$/,
    );
  });
});
