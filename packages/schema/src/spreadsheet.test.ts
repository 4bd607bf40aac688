// Tables opened and saved again in a spreadsheet: what the save cut or changed is counted (by column), and
// every value is read as it was before.
import { describe, expect, it } from 'vitest';
import { CELL_CHARS, createTableDecoder, type Decoded, SHEET_ROWS, zeroTailRounded } from './decoder.js';
import type { DecodeOptions } from './options.js';
import type { TableName } from './tables.js';

function decodeAll(table: TableName, csv: string | Uint8Array, options?: DecodeOptions) {
  const decoder = createTableDecoder(table, options);
  const items: Decoded[] = [
    ...decoder.push(typeof csv === 'string' ? Buffer.from(csv) : csv),
    ...decoder.end(),
  ];
  return { items, stats: decoder.stats };
}

const values = (items: Decoded[], column: string) =>
  items.map((i) => (i.kind === 'record' ? i.record[column] : i.reject.code));

describe('ids of more digits than a spreadsheet holds', () => {
  it('ending in zeros past the 15th digit, all of them, are counted with their column and kept as written', () => {
    const csv = [
      'note_id,project_id,candidate_id',
      '1000000012000000,1,10',
      '1234567890123450000,2,11',
      '9876543210987650000,2,11',
      '7,100000001234560,12',
      '',
    ].join('\n');
    const { items, stats } = decodeAll('notes', csv);
    expect(values(items, 'note_id')).toEqual([
      '1000000012000000',
      '1234567890123450000',
      '9876543210987650000',
      '7',
    ]);
    expect(stats).toMatchObject({
      wideIds: 3,
      zeroTailIds: 3,
      zeroTailDigits: 9,
      zeroTailIdExamples: ['1000000012000000', '1234567890123450000', '9876543210987650000'],
      zeroTailIdColumns: ['note_id'],
    });
    expect(zeroTailRounded(stats)).toBe(true);
  });

  it('are not said rounded when one of them ends otherwise, or one alone ends in one zero', () => {
    const mixed = decodeAll('notes', 'note_id\n1000000012000000\n1000000012000001\n');
    expect(mixed.stats).toMatchObject({ wideIds: 2, zeroTailIds: 1 });
    expect(zeroTailRounded(mixed.stats)).toBe(false);
    const one = decodeAll('notes', 'note_id\n1000000012000000\n12\n');
    expect(zeroTailRounded(one.stats)).toBe(false);
    // The first id of a sequence, or two, in a table of a row or two: no evidence of a spreadsheet.
    const first = decodeAll('messages', 'message_id\n6919122000000000000\n6919122000000000000\n');
    expect(first.stats).toMatchObject({ wideIds: 2, zeroTailIds: 2 });
    expect(zeroTailRounded(first.stats)).toBe(false);
  });

  it('rounded or with decimals, name their columns', () => {
    const csv = 'note_id,project_id,candidate_id\n1.00000001E+15,1,10\n2,3.0,1E+15\n';
    const { stats } = decodeAll('notes', csv);
    expect(stats.roundedIds).toBe(2);
    expect(stats.roundedIdColumns).toEqual(['note_id', 'candidate_id']);
    expect(stats.decimalIdColumns).toEqual(['project_id']);
  });

  it('rounded with a decimal comma, as a spreadsheet in German or French writes them, are counted too', () => {
    const csv = 'note_id,project_id,candidate_id\n"7,98140E+16",p1,"1,00000E+09"\n2,p1,"1,5"\n';
    const { items, stats } = decodeAll('notes', csv);
    expect(values(items, 'note_id')).toEqual(['7,98140E+16', '2']);
    expect(stats.roundedIds).toBe(2);
    expect(stats.roundedIdExamples).toEqual(['7,98140E+16', '1,00000E+09']);
    expect(stats.roundedIdColumns).toEqual(['note_id', 'candidate_id']);
  });
});

describe("a table of a spreadsheet's most rows", () => {
  it('counts its blank rows, which are rows of the sheet', () => {
    const { stats } = decodeAll(
      'hiring_states',
      'candidate_hiringstate_id,name,type\n1,a,b\n,,\n  \n2,,\n,,\n',
    );
    expect(stats.rowsRead).toBe(2);
    expect(stats.blankRows).toBe(3);
  });

  it('gives the rows to tell a table of 1,048,576 lines, its header included', () => {
    const rows = SHEET_ROWS[0] - 1;
    const csv = Buffer.concat([Buffer.from('candidate_hiringstate_id,name,type\n'), Buffer.alloc(rows * 4)]);
    // `1,,\n` each, one blank row among them.
    for (let at = csv.length - rows * 4; at < csv.length; at += 4)
      csv.write(at === csv.length - 8 ? ',,,\n' : '1,,\n', at);
    const { stats } = decodeAll('hiring_states', csv, { fields: [] });
    expect(stats.rowsRead + stats.blankRows + 1).toBe(SHEET_ROWS[0]);
  });
});

describe("cells of a spreadsheet's most characters", () => {
  it('are counted by column, characters not bytes, and kept as written', () => {
    const full = 'x'.repeat(CELL_CHARS);
    const accented = 'é'.repeat(CELL_CHARS);
    const quoted = `"${'a""'.repeat(CELL_CHARS / 2)}a"`;
    const csv = [
      'note_id,content,owner_profile_url,note',
      `1,${full},,`,
      `2,"${accented}",,${full}`,
      `3,${quoted},,${full.slice(1)}`,
      `4,${'é'.repeat(20_000)},,`,
      // Google Sheets' most, and one character fewer than Excel's.
      `5,${'z'.repeat(50_000)},,${full.slice(1)}`,
      '',
    ].join('\n');
    const { items, stats } = decodeAll('notes', csv);
    expect(values(items, 'content').map((v) => (v as string).length)).toEqual([
      CELL_CHARS,
      CELL_CHARS,
      CELL_CHARS,
      20_000,
      50_000,
    ]);
    expect(stats.cutCells).toEqual({ content: 4, note: 1 });
    // Counted alike when the text is checked, never made a string.
    expect(decodeAll('notes', csv, { fields: ['note_id'] }).stats.cutCells).toEqual({ content: 4, note: 1 });
  });
});

describe('times on a day written for no date, and times a spreadsheet re-wrote', () => {
  const csv = [
    'interview_module_id,start_time,end_time',
    '1,0001-01-01 00:00:00,1900-01-01',
    '2,1899-12-30,1899-12-31T00:00:00Z',
    '3,1999-12-31 23:59:59,2021-10-13 07:40:00',
    '4,45123,2021-10-13 07:40:00',
    '5,2021-10-13 07:40:00,45123.5',
    '6,1970-01-01 00:00:00,1753-01-01 00:00:00',
    '7,10/13/2021 7:40,2021-10-13 07:40:00',
    '8,1.63411E+12,2021-10-13 07:40:00',
    '9,2021-02-30 00:00:00,2021-10-13 07:40:00',
    '',
  ].join('\n');

  it('are counted by column; placeholders read as written, re-written times rejected', () => {
    const { items, stats } = decodeAll('interview_modules', csv);
    expect(values(items, 'start_time')).toEqual([
      '0001-01-01T00:00:00.000Z',
      '1899-12-30T00:00:00.000Z',
      '1999-12-31T23:59:59.000Z',
      'ROW_BAD_TIMESTAMP',
      'ROW_BAD_TIMESTAMP',
      '1970-01-01T00:00:00.000Z',
      'ROW_BAD_TIMESTAMP',
      'ROW_BAD_TIMESTAMP',
      'ROW_BAD_TIMESTAMP',
    ]);
    expect(stats).toMatchObject({
      placeholderTimes: 5,
      placeholderTimeColumns: ['start_time', 'end_time'],
      sheetTimes: 4,
      sheetTimeColumns: ['start_time', 'end_time'],
      epochTimes: 1,
    });
  });

  it('are counted alike when times are only checked, or cut to their month', () => {
    const checked = decodeAll('interview_modules', csv, { fields: ['interview_module_id'] });
    expect(checked.stats).toMatchObject({ placeholderTimes: 5, sheetTimes: 4 });
    const months = decodeAll('interview_modules', csv, {
      fields: ['start_time', 'end_time'],
      fieldRows: () => {},
      cutTimes: { start_time: 7, end_time: 7 },
    });
    expect(months.stats).toMatchObject({ placeholderTimes: 5, sheetTimes: 4 });
  });
});

describe('a placeholder day written with a space before it', () => {
  it('is counted as the same day written without', () => {
    const csv =
      'interview_module_id,description,name,state,start_time,end_time\n1,,,, 1899-12-30 00:00:00,\n';
    const { stats } = decodeAll('interview_modules', csv);
    expect(stats).toMatchObject({ placeholderTimes: 1, placeholderTimeColumns: ['start_time'] });
  });
});

describe("a spreadsheet's error values", () => {
  it('are no run of # signs in a text column (a note of ###): only where a number or a date was', () => {
    const csv = 'candidate_id,first_name,last_name\n1,###,Lee\n2,####,#NAME?\n';
    expect(decodeAll('candidates', csv).stats.errorCells).toEqual({ last_name: 1 });
    const times = 'interview_module_id,description,name,state,start_time,end_time\n1,###,,,#####,\n';
    expect(decodeAll('interview_modules', times).stats.errorCells).toEqual({ start_time: 1 });
  });

  it('are counted by column, # signs alone too, and kept as written; #N/A stays a missing value', () => {
    const csv = [
      'candidate_id,first_name,phone_numbers,tags,extra',
      '1,Ann,#NAME?,#hiring,#VALUE!',
      '2,#REF!,"#NAME?",##,',
      '3,Bo,#N/A,#,#DIV/0!',
      '',
    ].join('\n');
    const { items, stats } = decodeAll('candidates', csv);
    expect(values(items, 'phone_numbers')).toEqual([['#NAME?'], ['#NAME?'], ['#N/A']]);
    expect(values(items, 'tags')).toEqual([['#hiring'], ['##'], ['#']]);
    expect(stats.errorCells).toEqual({ phone_numbers: 2, first_name: 1, tags: 1, extra: 2 });
    expect(decodeAll('candidates', csv, { fields: ['candidate_id'] }).stats.errorCells).toEqual(
      stats.errorCells,
    );
  });
});

describe('a sheet saved with empty columns past the last named one', () => {
  // Excel saves every column of its used range: one formatted cell at column XFD pads each line, the
  // header too, with 16,380 empty cells.
  const pad = ','.repeat(16_000);
  const header = `candidate_hiringstate_id,name,type${pad}\r\n`;

  it('reads past them: no column a key of every record, the row count and values as without them', () => {
    const rows = Array.from({ length: 200 }, (_, k) => `${100 + k},Stage ${k},sourcing${pad}\r\n`);
    const { items, stats } = decodeAll('hiring_states', header + rows.join(''), { cellTexts: true });
    expect(items).toHaveLength(200);
    const [first] = items;
    expect(first?.kind === 'record' && first.record).toEqual({
      candidate_hiringstate_id: '100',
      name: 'Stage 0',
      type: 'sourcing',
    });
    // The row as written keeps its shape (an output of the export's shape writes the cells back).
    expect(first?.kind === 'record' && first.texts?.length).toBe(16_003);
    expect(stats).toMatchObject({ rowsDecoded: 200, extraColumns: [], paddingColumns: 16_000 });
    // Rows the spreadsheet left shorter (no commas for its empty cells) are read alike.
    const short = decodeAll('hiring_states', `${header}7,a,b\r\n8,c,${pad.slice(9)}\r\n`);
    expect(values(short.items, 'type')).toEqual(['b', null]);
  });

  it('a decoder carrying on from the header another read (a slice) reads past them too', () => {
    const first = createTableDecoder('hiring_states');
    first.push(Buffer.from(header));
    const resume = first.resume!;
    const rest = createTableDecoder('hiring_states', { continueAt: resume });
    const items = [...rest.push(Buffer.from(`1,a,b${pad}\r\n`)), ...rest.end()];
    expect(items.map((item) => item.kind === 'record' && item.record)).toEqual([
      { candidate_hiringstate_id: '1', name: 'a', type: 'b' },
    ]);
    expect(rest.stats).toMatchObject({ extraColumns: [], paddingColumns: 16_000 });
  });

  it('a value in one of them rejects its row, saying where and what to do', () => {
    const row = `7,a,b${','.repeat(40)}note${','.repeat(16_000 - 41)}\r\n`;
    const { items, stats } = decodeAll('hiring_states', `${header}${row}8,c,d${pad}\r\n`);
    expect(values(items, 'name')).toEqual(['ROW_FIELD_COUNT', 'c']);
    const reject = items[0]?.kind === 'reject' ? items[0].reject : undefined;
    expect(reject?.message).toContain('a value in column 43');
    expect(reject?.message).toContain('16000 cells without a name');
    expect(reject?.raw).toBe(row.slice(0, -2));
    expect(stats.rowsRejected).toBe(1);
  });

  it('columns named as empty cells are named (column7, column8) stay columns, in a slice too', () => {
    // What this tool's own records' keys become when written back to CSV: real names, no padding.
    const header = 'note_id,project_id,candidate_id,content,owner_profile_url,visibility,column7,column8\n';
    const rows = 'n1,p1,c1,t,u,Project,a,b\nn2,p1,c1,t,u,Project\n';
    const whole = decodeAll('notes', header + rows);
    expect(values(whole.items, 'column8')).toEqual(['b', 'ROW_FIELD_COUNT']);
    expect(whole.stats).toMatchObject({ paddingColumns: 0, extraColumns: ['column7', 'column8'] });
    const first = createTableDecoder('notes');
    first.push(Buffer.from(header));
    const rest = createTableDecoder('notes', { continueAt: first.resume! });
    const items = [...rest.push(Buffer.from(rows)), ...rest.end()];
    expect(items).toEqual(whole.items);
    expect(rest.stats).toMatchObject({ paddingColumns: 0, extraColumns: ['column7', 'column8'] });
  });

  it('fewer than 16 empty cells ending the header stay columns named by their place, as DuckDB names them', () => {
    const header = `note_id,project_id,candidate_id,content,owner_profile_url,visibility${','.repeat(15)}\n`;
    const rows = `n1,p1,c1,t,u,Project,,x${','.repeat(13)}\nn2,p1,c1,t,u,Project\n`;
    for (const slice of [false, true]) {
      let found: ReturnType<typeof decodeAll>;
      if (slice) {
        const first = createTableDecoder('notes');
        first.push(Buffer.from(header));
        const rest = createTableDecoder('notes', { continueAt: first.resume! });
        found = { items: [...rest.push(Buffer.from(rows)), ...rest.end()], stats: rest.stats };
      } else found = decodeAll('notes', header + rows);
      expect(values(found.items, 'column8')).toEqual(['x', null]);
      expect(values(found.items, 'column21')).toEqual([null, null]);
      expect(found.stats.paddingColumns).toBe(0);
      expect(found.stats.extraColumns).toHaveLength(15);
    }
    // 16 of them are a spreadsheet's used range: read past, and a value there rejects its row.
    const padded = decodeAll('notes', `${header.slice(0, -1)},\nn1,p1,c1,t,u,Project,,x${','.repeat(14)}\n`);
    expect(values(padded.items, 'content')).toEqual(['ROW_FIELD_COUNT']);
    expect(padded.stats.paddingColumns).toBe(16);
  });

  it('one comma ending every line stays a column named by its place', () => {
    const { items, stats } = decodeAll('hiring_states', 'candidate_hiringstate_id,name,type,\n1,a,b,x\n');
    expect(values(items, 'column4')).toEqual(['x']);
    expect(stats.paddingColumns).toBe(0);
  });
});
