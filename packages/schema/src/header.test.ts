import { describe, expect, it } from 'vitest';
import { createTableDecoder } from './decoder.js';
import type { SchemaError } from './errors.js';
import { extraColumns, looksLikeData, plausibleColumnName, shownColumn } from './header.js';
import type { TableName } from './tables.js';

/** Personal values a header cell may hold, none of which any message or notice may show. */
const VALUES = [
  'jane.doe@example.com',
  'Zbigniew Secretname',
  'Mary Ann Quixwell',
  'Mary-Jane Quixwell',
  'Ingrid Solberg-Lund',
  '+1 555 123 4567',
  '555-123-4567',
  '5551234567',
  'https://www.linkedin.com/in/zoe-quixwellby',
  'Please call me back about the offer tomorrow morning',
  'call me back tomorrow please',
  'Łukasz',
  'Nguyễn, Mai',
];

function decode(table: TableName, csv: string) {
  const decoder = createTableDecoder(table, { file: 'T.csv' });
  decoder.push(Buffer.from(csv));
  decoder.end();
  return decoder;
}

function thrown(table: TableName, csv: string): SchemaError {
  try {
    decode(table, csv);
  } catch (error) {
    return error as SchemaError;
  }
  throw new Error('expected a SchemaError');
}

describe('shownColumn', () => {
  it('shows a plausible column name as written (trimmed)', () => {
    for (const name of [
      'nickname',
      'Colour',
      'extra_col',
      ' source-2 ',
      'v1.2',
      'column16006',
      'x2',
      'date of first contact',
      'Follow-up Date',
      'follow-up',
    ]) {
      expect(plausibleColumnName(name)).toBe(true);
      expect(shownColumn(name, 3)).toBe(name.trim());
    }
  });

  it('shows a cell that may be a value by its place, 1-based', () => {
    for (const value of [...VALUES, '', '  ', '1000000003', 'x'.repeat(41)]) {
      expect(plausibleColumnName(value)).toBe(false);
      expect(shownColumn(value, 7)).toBe('column 8');
    }
  });
});

describe('looksLikeData', () => {
  it('a row of values where the header should be', () => {
    const row = ['1000000003', '500001339', 'Mateo', 'Kowalski', '', '', '', '', 'referral', '100003191'];
    expect(looksLikeData('candidates', row)).toBe(true);
  });

  it('not a header of another table, nor one with most of its columns', () => {
    expect(looksLikeData('candidates', ['note_id', 'project_id', 'content'])).toBe(false);
    expect(looksLikeData('hiring_states', ['candidate_hiringstate_id', 'name', 'jane@example.com'])).toBe(
      false,
    );
  });
});

describe('header text in errors, notices and stats', () => {
  it('a file without its header row: says the first row looks like data, quoting none of it', () => {
    const error = thrown(
      'candidates',
      '1001,2001,Zbigniew,Secretname,jane.doe@example.com,,,,referral,3001\n',
    );
    expect(error.code).toBe('SCHEMA_MISSING_COLUMN');
    expect(error.message).toContain(
      'the first row looks like data, not a header: is the header row missing?',
    );
    for (const value of ['Zbigniew', 'Secretname', 'jane.doe', '1001'])
      expect(error.message).not.toContain(value);
  });

  it('a repeated extra column is kept under a suffixed name, as DuckDB names it, and told', () => {
    const decoder = createTableDecoder('hiring_states', { file: 'T.csv' });
    const csv = 'candidate_hiringstate_id,name,type,Colour,colour,note,note,note_1\nh1,a,b,red,blue,x,y,z\n';
    const items = [...decoder.push(Buffer.from(csv)), ...decoder.end()];
    expect(items.map((item) => item.kind === 'record' && item.record)).toEqual([
      {
        candidate_hiringstate_id: 'h1',
        name: 'a',
        type: 'b',
        Colour: 'red',
        colour_1: 'blue',
        note: 'x',
        note_2: 'y',
        note_1: 'z',
      },
    ]);
    expect(decoder.stats.extraColumns).toEqual(['Colour', 'colour_1', 'note', 'note_2', 'note_1']);
    expect(decoder.stats.renamedColumns).toEqual(['colour_1', 'note_2']);
    expect(extraColumns('hiring_states', csv.split('\n')[0]!.split(','))).toEqual(decoder.stats.extraColumns);
    expect(decoder.notices.join('\n')).toContain(
      'column 5 of table hiring_states repeats the name of column 4; its values are kept under "colour_1"',
    );
  });

  it('a repeated header that may be a value is named by its place only', () => {
    const decoder = decode(
      'hiring_states',
      'candidate_hiringstate_id,name,type,Zbigniew Secretname,Zbigniew Secretname\nh1,a,b,c,d\n',
    );
    expect(decoder.stats.extraColumnsShown).toEqual(['column 4', 'column 5']);
    expect(decoder.stats.renamedColumns).toEqual(['column 5']);
    expect(decoder.notices.join('\n')).toContain(
      'column 5 of table hiring_states repeats the name of column 4',
    );
    expect(decoder.notices.join('\n')).not.toContain('Zbigniew');
    // Its values are under the header with a suffix, not under "column 5": the notice says so, unnamed.
    expect(decoder.notices.join('\n')).toContain(
      'column 5 of table hiring_states repeats the name of column 4; its values are kept under its header with "_1" added',
    );
    // A schema column twice is still refused: which of the two holds its values cannot be told.
    const error = thrown('hiring_states', 'candidate_hiringstate_id,name,type,Name\n');
    expect(error.code).toBe('SCHEMA_DUPLICATE_COLUMN');
    expect(error.message).toContain('column "Name" (column 4) of table hiring_states repeats column 2');
  });

  it('extra columns: records keep the header, stats and notices show only plausible names', () => {
    const header = ['candidate_hiringstate_id', 'name', 'type', 'nickname', ...VALUES.map((v) => `"${v}"`)];
    const row = ['h1', 'Screen', 'x', 'n', ...VALUES.map(() => 'v')];
    const decoder = decode('hiring_states', `${header.join(',')}\n${row.join(',')}\n`);
    expect(decoder.stats.extraColumns).toEqual(['nickname', ...VALUES]);
    const shown = ['nickname', ...VALUES.map((_, k) => `column ${k + 5}`)];
    expect(decoder.stats.extraColumnsShown).toEqual(shown);
    expect(decoder.notices.join('\n')).toContain('unknown column "nickname"');
    expect(decoder.notices.join('\n')).toContain('unknown column "column 5"');
    for (const value of VALUES) expect(decoder.notices.join('\n')).not.toContain(value);
  });
});

describe('invisible characters in a header pasted from a web page or a document', () => {
  it('zero-width spaces, soft hyphens, joiners and direction marks name no other column', () => {
    const header = [
      '\u200bcandidate_hiringstate_id\u200e',
      'na\u00adme',
      '\u2060type\u200f',
      'note\u200d',
    ].join(',');
    const decoder = createTableDecoder('hiring_states', { file: 'T.csv' });
    const items = [...decoder.push(Buffer.from(`${header}\n1,Screen,interview,x\n`)), ...decoder.end()];
    expect(items.map((item) => item.kind === 'record' && item.record)).toEqual([
      { candidate_hiringstate_id: '1', name: 'Screen', type: 'interview', 'note\u200d': 'x' },
    ]);
    expect(decoder.stats.extraColumnsShown).toEqual(['column 4']);
  });
});

describe('a header starting with the byte-order mark garbled', () => {
  it('says a tool read the file in its own encoding and saved it again', () => {
    const error = thrown(
      'hiring_states',
      '\u00ef\u00bb\u00bfcandidate_hiringstate_id,name,type\n1,Caf\u00c3\u00a9,x\n',
    );
    expect(error.code).toBe('SCHEMA_MISSING_COLUMN');
    expect(error.message).toContain('the UTF-8 byte-order mark read as Windows-1252');
  });
});
