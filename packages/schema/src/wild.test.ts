// Tables as spreadsheets, pandas, R and other programs leave them, made here from one small table: each
// is read to the right values, or rejected with a message that says what happened and what to do.
import { describe, expect, it, vi } from 'vitest';
import { createTableDecoder, type Decoded, type Reject, type TypedRecord } from './decoder.js';
import type { DecodeOptions } from './options.js';
import type { TableName } from './tables.js';

const FEEDBACK_HEADER = [
  'feedback_id',
  'candidate_id',
  'project_id',
  'company',
  'requester_role',
  'message',
  'feedback_response',
  'recommendation_score',
  'approved_for_referral',
  'requester_profile_url',
  'requestee_profile_url',
];
const FEEDBACK_ROWS = [
  ['f1', 'c1', 'p1', 'co', 'Recruiter', 'Could you review?', 'Yes, move forward.', '4.5', 'true', 'u1', 'u2'],
  ['f2', 'c2', 'p1', 'co', 'Interviewer', '', '', '', '', '', ''],
  ['f3', 'c3', 'p2', 'co', 'Recruiter', 'Hi', 'No', '2', 'false', 'u1', 'u3'],
];

/** Decoded byte by byte as well as whole: what is read must not depend on where chunks split. */
function decode(table: TableName, bytes: Uint8Array, options?: DecodeOptions) {
  const whole = run(table, [bytes], options);
  const bytewise = run(
    table,
    [...bytes].map((b) => Uint8Array.of(b)),
    options,
  );
  expect(bytewise.items).toEqual(whole.items);
  return whole;
}

function run(table: TableName, chunks: Uint8Array[], options?: DecodeOptions) {
  const decoder = createTableDecoder(table, { file: 'T.csv', ...options });
  const items: Decoded[] = chunks.flatMap((chunk) => decoder.push(chunk));
  items.push(...decoder.end());
  return { items, decoder };
}

const records = (items: Decoded[]): TypedRecord[] =>
  items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
const rejects = (items: Decoded[]): Reject[] =>
  items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));

const csvLine = (cells: readonly string[]) =>
  cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
const csv = (rows: readonly (readonly string[])[], eol = '\n') => rows.map(csvLine).join(eol) + eol;

const EXPECTED = records(decode('feedbacks', Buffer.from(csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS]))).items);

describe('trailing empty fields', () => {
  it('a comma ending every row but not the header: the rows are read, nothing shifted', () => {
    const text = csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS.map((row) => [...row, ''])]);
    const { items, decoder } = decode('feedbacks', Buffer.from(text));
    expect(rejects(items)).toEqual([]);
    expect(records(items)).toEqual(EXPECTED);
    expect(decoder.stats.extraColumns).toEqual([]);
    // Two or more empty fields, CRLF, and a last line without its line ending.
    const more = csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS.map((row) => [...row, '', ''])], '\r\n');
    expect(records(decode('feedbacks', Buffer.from(more.slice(0, -2))).items)).toEqual(EXPECTED);
  });

  it('a comma ending the header but not the rows: the unnamed column is null', () => {
    const text = csv([[...FEEDBACK_HEADER, ''], ...FEEDBACK_ROWS]);
    const { items, decoder } = decode('feedbacks', Buffer.from(text));
    expect(rejects(items)).toEqual([]);
    expect(records(items)).toEqual(EXPECTED.map((record) => ({ ...record, column12: null })));
    expect(decoder.stats.extraColumns).toEqual(['column12']);
  });

  it('a field more that holds a value, or one less of a named column, is still a wrong field count', () => {
    const text = csv([
      FEEDBACK_HEADER,
      [...FEEDBACK_ROWS[0]!, 'shifted'],
      FEEDBACK_ROWS[1]!.slice(0, -1),
      [...FEEDBACK_ROWS[2]!, ''],
    ]);
    const { items } = decode('feedbacks', Buffer.from(text));
    expect(rejects(items).map((r) => [r.line, r.code])).toEqual([
      [2, 'ROW_FIELD_COUNT'],
      [3, 'ROW_FIELD_COUNT'],
    ]);
    expect(records(items)).toEqual([EXPECTED[2]]);
    // A row short of fields is not told to quote its commas alone: a spreadsheet may have left out the
    // commas of the empty cells ending it.
    const [more, less] = rejects(items).map((r) => r.message);
    expect(more).toContain('the row has 12 fields but the header has 11; quote fields that contain');
    expect(less).toContain(
      'the row has 10 fields but the header has 11; if its last cell is empty (a spreadsheet may leave out the commas of empty cells ending a row), add a comma for each; else a line break',
    );
    const one = rejects(decode('feedbacks', Buffer.from(csv([FEEDBACK_HEADER, ['7']]))).items);
    expect(one[0]!.message).toContain(
      'the row has 1 field but the header has 11; if its last 10 cells are empty',
    );
    const unnamed = csv([[...FEEDBACK_HEADER, '', 'note'], FEEDBACK_ROWS[0]!]);
    expect(rejects(decode('feedbacks', Buffer.from(unnamed)).items).map((r) => r.code)).toEqual([
      'ROW_FIELD_COUNT',
    ]);
  });
});

describe('missing values as pandas, R and databases write them', () => {
  it('nan, NA, NULL, None, #N/A in numbers, booleans and times are null; in text and ids they stay text', () => {
    for (const marker of ['nan', 'NaN', 'NA', 'NULL', 'null', 'None', '#N/A', 'N/A', '<NA>', ' NA ']) {
      const rows = [FEEDBACK_HEADER, ['f1', 'c1', 'p1', 'co', marker, 'm', 'r', marker, marker, 'u1', 'u2']];
      const { items } = decode('feedbacks', Buffer.from(csv(rows)));
      expect(rejects(items), marker).toEqual([]);
      expect(records(items)[0], marker).toMatchObject({
        requester_role: marker,
        recommendation_score: null,
        approved_for_referral: null,
      });
      const times = `interview_module_id,description,name,state,start_time,end_time\nm1,d,n,s,${marker},1\n`;
      for (const options of [{}, { fields: ['interview_module_id'] }]) {
        const decoded = decode('interview_modules', Buffer.from(times), options);
        expect(rejects(decoded.items), marker).toEqual([]);
        expect(decoded.decoder.stats.emptyColumns, marker).toContain('start_time');
      }
    }
  });

  it('R write.csv: quoted header, row names first, NA in every empty cell', () => {
    const quoted = (cells: readonly string[]) => cells.map((c) => `"${c}"`).join(',');
    const text = [
      quoted(['', ...FEEDBACK_HEADER]),
      `"1",${quoted(FEEDBACK_ROWS[0]!.slice(0, 7))},4.5,TRUE,${quoted(FEEDBACK_ROWS[0]!.slice(9))}`,
      `"2",${quoted(FEEDBACK_ROWS[1]!.slice(0, 5))},NA,NA,NA,NA,NA,NA`,
    ].join('\n');
    const { items, decoder } = decode('feedbacks', Buffer.from(text));
    expect(rejects(items)).toEqual([]);
    expect(decoder.stats.extraColumns).toEqual(['column1']);
    const [first, second] = records(items);
    expect(first).toMatchObject({ recommendation_score: 4.5, approved_for_referral: true, column1: '1' });
    expect(second).toMatchObject({ recommendation_score: null, approved_for_referral: null });
  });

  it("MySQL's \\N (SELECT ... INTO OUTFILE) in numbers, booleans and times is null, not a rejected row", () => {
    const rows = [FEEDBACK_HEADER, ['f1', 'c1', 'p1', 'co', 'r', '\\N', 'r', '\\N', '\\N', 'u1', 'u2']];
    const { items } = decode('feedbacks', Buffer.from(csv(rows)));
    expect(rejects(items)).toEqual([]);
    expect(records(items)[0]).toMatchObject({
      message: '\\N',
      recommendation_score: null,
      approved_for_referral: null,
    });
    const times = 'interview_module_id,description,name,state,start_time,end_time\nm1,d,n,s,\\N,\\N\n';
    const decoded = decode('interview_modules', Buffer.from(times));
    expect(rejects(decoded.items)).toEqual([]);
    expect(records(decoded.items)[0]).toMatchObject({ start_time: null, end_time: null });
  });

  it('a word that is no value is still rejected, and not shown', () => {
    const rows = [FEEDBACK_HEADER, ['f1', 'c1', 'p1', 'co', 'r', 'm', 'r', 'Nancy', 'nothing', 'u1', 'u2']];
    const [reject] = rejects(decode('feedbacks', Buffer.from(csv(rows))).items);
    expect(reject).toMatchObject({ code: 'ROW_BAD_NUMBER', column: 'recommendation_score' });
    expect(reject!.message).not.toContain('Nancy');
  });
});

describe('booleans as other tools write them', () => {
  it('TRUE/FALSE, 1/0, yes/no, t/f (PostgreSQL), y/n in any case', () => {
    const cells = ['TRUE', 'False', '1', '0', 'yes', 'NO', 't', 'F', 'y', 'n'];
    const rows = cells.map((b, i) => [`f${i}`, 'c1', 'p1', 'co', 'r', 'm', 'r', '', b, '', '']);
    const { items } = decode('feedbacks', Buffer.from(csv([FEEDBACK_HEADER, ...rows])));
    expect(records(items).map((r) => r.approved_for_referral)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('values a spreadsheet re-wrote: rejected, saying what happened', () => {
  it('TRUE and FALSE in the words of another language', () => {
    const cells = ['WAHR', 'FALSCH', 'VRAI', 'Faux', 'VERDADERO', 'Nope'];
    const rows = cells.map((b, i) => [`f${i}`, 'c1', 'p1', 'co', 'r', 'm', 'r', '', b, '', '']);
    const found = rejects(decode('feedbacks', Buffer.from(csv([FEEDBACK_HEADER, ...rows]))).items);
    expect(found.map((r) => r.code)).toEqual(new Array(6).fill('ROW_BAD_BOOLEAN'));
    expect(found.map((r) => r.message.includes('its own word for TRUE or FALSE'))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('a decimal comma in a score', () => {
    const rows = [FEEDBACK_HEADER, ['f1', 'c1', 'p1', 'co', 'r', 'm', 'r', '3,5', 'true', '', '']];
    const [reject] = rejects(decode('feedbacks', Buffer.from(csv(rows))).items);
    expect(reject).toMatchObject({ code: 'ROW_BAD_NUMBER', line: 2, column: 'recommendation_score' });
    expect(reject!.message).toContain('decimal comma');
  });

  it('a serial date number (44329.76) in a time column', () => {
    const text =
      'interview_module_id,description,name,state,start_time,end_time\nm1,d,n,s,"44329,76",1\nm2,d,n,s,44329.763888,1\nm3,d,n,s,1,44329\n';
    for (const fields of [undefined, ['interview_module_id']]) {
      const { items } = decode('interview_modules', Buffer.from(text), fields ? { fields } : {});
      // A whole serial date is not read as 44 seconds after 1970-01-01.
      expect(rejects(items).map((r) => [r.line, r.code, r.column])).toEqual([
        [2, 'ROW_BAD_TIMESTAMP', 'start_time'],
        [3, 'ROW_BAD_TIMESTAMP', 'start_time'],
        [4, 'ROW_BAD_TIMESTAMP', 'end_time'],
      ]);
    }
    const cut = { fields: ['end_time'], fieldRows: () => {}, cutTimes: { end_time: 7 } };
    expect(rejects(decode('interview_modules', Buffer.from(text), cut).items)).toHaveLength(3);
    const found = rejects(decode('interview_modules', Buffer.from(text)).items);
    for (const reject of found) expect(reject.message).toContain('serial date number');
  });

  it('epoch milliseconds with thousands separators or a decimal comma, as a spreadsheet shows a number', () => {
    // The column formatted as a number so that it is not rounded to 1.63411E+12, in English, German and
    // French: read as no time, and counted as a spreadsheet's, where it was told only to fix the value.
    const cells = [
      '1,634,110,800,000',
      '1.634.110.800.000',
      '1\u202f634\u202f110\u202f800\u202f000',
      '1634110800000,00',
      '1,634,110,800',
    ];
    const rows = cells.map((t, i) => `m${i},d,n,s,"${t}",1`);
    const text = `interview_module_id,description,name,state,start_time,end_time\n${rows.join('\n')}\n`;
    const { items, decoder } = decode('interview_modules', Buffer.from(text));
    const found = rejects(items);
    expect(found.map((r) => r.code)).toEqual(new Array(5).fill('ROW_BAD_TIMESTAMP'));
    for (const reject of found)
      expect(reject.message).toContain('with thousands separators or a decimal comma');
    expect(decoder.stats.sheetTimes).toBe(5);
    // A score, a count of other digits, is no time of this spelling.
    const other = rejects(
      decode('interview_modules', Buffer.from(`${text.split('\n')[0]}\nm9,d,n,s,"12,345",1\n`)).items,
    );
    expect(other[0]!.message).not.toContain('thousands separators');
  });

  it('a leap second (23:59:60) is rejected saying so, not blaming a spreadsheet', () => {
    const text =
      'interview_module_id,description,name,state,start_time,end_time\nm1,d,n,s,2016-12-31 23:59:60,1\nm2,d,n,s,2016-12-31T23:59:60.5Z,1\n';
    const found = rejects(decode('interview_modules', Buffer.from(text)).items);
    expect(found.map((r) => r.line)).toEqual([2, 3]);
    for (const reject of found) {
      expect(reject.message).toContain('it is a leap second (:60)');
      expect(reject.message).not.toContain('spreadsheet');
    }
  });

  it('a year-first time with a 12-hour clock is not said to be written yyyy/m/d', () => {
    const text =
      'interview_module_id,description,name,state,start_time,end_time\nm1,d,n,s,2021-10-13 7:40 AM,1\nm2,d,n,s,2021/3/4 5:06,1\n';
    const found = rejects(decode('interview_modules', Buffer.from(text)).items);
    expect(found.map((r) => r.code)).toEqual(['ROW_BAD_TIMESTAMP', 'ROW_BAD_TIMESTAMP']);
    for (const reject of found) {
      expect(reject.message).toContain(
        'its own date format (year first, as 2021/3/4 5:06 or 2021-10-13 7:40 AM)',
      );
      expect(reject.message).not.toContain('(yyyy/m/d)');
    }
  });

  it("Numbers' dates with 'at' before the time (13 May 2021 at 18:20)", () => {
    const text =
      'interview_module_id,description,name,state,start_time,end_time\nm1,d,n,s,13 May 2021 at 18:20,1\n';
    const [reject] = rejects(decode('interview_modules', Buffer.from(text)).items);
    expect(reject!.message).toContain('re-wrote the time in its own date format');
  });
});

describe('bytes other programs write', () => {
  it('quotes escaped with a backslash, as JSON writes them: read as DuckDB reads them', () => {
    const text = `${FEEDBACK_HEADER.join(',')}\nf1,c1,p1,co,r,"He said \\"hi\\", then left",x,,,,\nf2,c1,p1,co,r,"She said \\"no\\"",x,,,,\nf3,c1,p1,co,r,"C:\\temp, \\"a\\"""b",x,,,,\nf4,c1,p1,co,r,He said \\"yes\\",x,,,,\n`;
    for (const lenientQuotes of [false, true]) {
      const { items, decoder } = decode('feedbacks', Buffer.from(text), { lenientQuotes });
      expect(rejects(items)).toEqual([]);
      expect(records(items).map((r) => r.message)).toEqual([
        'He said "hi", then left',
        'She said "no"',
        'C:\\temp, "a""b',
        'He said "yes"',
      ]);
      expect(decoder.stats.rowsLenientQuotes).toBe(0);
    }
  });

  it('quotes escaped with a backslash that still do not read: the reject says so', () => {
    // A field more (one that holds a value); a quote that never closes, whose lines stay rows of their own.
    const text = `${FEEDBACK_HEADER.join(',')}\nf1,c1,p1,co,r,"a \\"b\\"",x,,,,,q\nf2,c1,p1,co,r,"one \\"\nf3,c1,p1,co,r,m,x,,,,\n`;
    const { items } = decode('feedbacks', Buffer.from(text));
    const found = rejects(items);
    expect(found.map((r) => [r.line, r.code])).toEqual([
      [2, 'ROW_INVALID_QUOTE'],
      [3, 'ROW_FIELD_COUNT'],
    ]);
    expect(found[0]!.message).toContain('escaped with a backslash');
    expect(found[0]!.raw).toBe('f1,c1,p1,co,r,"a \\"b\\"",x,,,,,q');
    expect(found[1]!.message).toContain('escaped with a backslash');
    expect(found[1]!.raw).toBe('f2,c1,p1,co,r,"one \\"');
    expect(records(items).map((r) => r.feedback_id)).toEqual(['f3']);
  });

  it('a field escaping its quotes with a backslash that never closes: the rows after it read as they are', () => {
    const rows = Array.from({ length: 40_000 }, (_, k) => `f${k},c1,p1,co,r,m,x,,,,\n`).join('');
    const text = Buffer.from(`${FEEDBACK_HEADER.join(',')}\nf,c1,p1,co,r,"one \\"\n${rows}`);
    for (const maxRecordBytes of [undefined, 4096]) {
      const { items, decoder } = run('feedbacks', [text], maxRecordBytes ? { maxRecordBytes } : {});
      expect(rejects(items).map((r) => [r.line, r.code])).toEqual([[2, 'ROW_FIELD_COUNT']]);
      expect(decoder.stats).toMatchObject({ rowsRead: 40_001, rowsDecoded: 40_000 });
      const last = items.at(-1);
      expect(last?.kind === 'record' && [last.line, last.record.feedback_id]).toEqual([40_002, 'f39999']);
    }
  });

  it('while such a field runs on, the decoder is not between records: no slice ends there', () => {
    const decoder = createTableDecoder('feedbacks');
    decoder.push(Buffer.from(`${FEEDBACK_HEADER.join(',')}\n`));
    expect(decoder.resume?.line).toBe(2);
    expect(decoder.push(Buffer.from('f1,c1,p1,co,r,"He said \\"hi\n'))).toEqual([]);
    expect(decoder.resume).toBeUndefined();
    expect(decoder.push(Buffer.from('there\\"",x,,,,\n')).map((item) => item.kind)).toEqual(['record']);
    expect(decoder.resume).toMatchObject({ line: 4 });
  });

  it('quotes escaped with a backslash in a field of several lines: one row, as DuckDB reads it', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const rows = [
        'f1,c1,p1,co,r,"He said \\"hi',
        'there\\" and left",x,,,,',
        'f2,c1,p1,co,r,"line one',
        '\\"quoted\\"',
        '',
        'end",y,,,,',
        'f3,c1,p1,co,r,plain,z,,,,',
      ];
      const text = `${FEEDBACK_HEADER.join(',')}${eol}${rows.join(eol)}${eol}`;
      for (const lenientQuotes of [false, true]) {
        const { items, decoder } = decode('feedbacks', Buffer.from(text), { lenientQuotes });
        expect(rejects(items)).toEqual([]);
        expect(records(items).map((r) => r.message)).toEqual([
          `He said "hi${eol}there" and left`,
          `line one${eol}"quoted"${eol}${eol}end`,
          'plain',
        ]);
        const lines = items.map((item) => (item.kind === 'record' ? [item.line, item.offset] : []));
        const f2 = text.indexOf('f2');
        expect(lines).toEqual([
          [2, text.indexOf('f1')],
          [4, f2],
          [8, text.indexOf('f3')],
        ]);
        expect(decoder.stats).toMatchObject({ rowsRead: 3, rowsDecoded: 3, rowsRejected: 0 });
      }
    }
  });

  it('a row escaping its quotes with a backslash may leave out the empty cells the header ends in, as any row may', () => {
    for (const blanks of [1, 3, 16]) {
      const header = `${FEEDBACK_HEADER.join(',')}${','.repeat(blanks)}`;
      const rows = [
        'f1,c1,p1,co,r,"He said \\"hi\\" ok",x,,,,',
        'f2,c1,p1,co,r,"over \\"two',
        'lines\\"",y,,,,',
        `f3,c1,p1,co,r,"doubled ""quotes""",z,,,,${','.repeat(blanks)}`,
      ];
      const { items } = decode('feedbacks', Buffer.from(`${header}\n${rows.join('\n')}\n`));
      expect(rejects(items), `${blanks} blank cell(s)`).toEqual([]);
      expect(records(items).map((r) => r.message)).toEqual([
        'He said "hi" ok',
        'over "two\nlines"',
        'doubled "quotes"',
      ]);
    }
  });

  it("commas escaped with a backslash (Python's QUOTE_NONE, MySQL's INTO OUTFILE): the reject says so", () => {
    // csv.writer(f, quoting=csv.QUOTE_NONE, escapechar='\\') writes `a\,b` where CSV writes `"a,b"`.
    const header = 'note_id,project_id,candidate_id,content,owner_profile_url,visibility';
    const rows = [
      'n1,p1,c1,Spoke with Ana\\, who is keen,url,Project',
      'n2,p1,c1,C:\\cv\\\\,url,Project,x',
      'n3,p1,c1,fine,url,Project',
      // A folder path ending in a backslash, in a row with a field too many for another reason.
      'n4,p1,c1,C:\\dir\\,url,Project,x,y',
    ];
    const found = rejects(decode('notes', Buffer.from(`${header}\n${rows.join('\n')}\n`)).items);
    expect(found.map((r) => [r.line, r.code])).toEqual([
      [2, 'ROW_FIELD_COUNT'],
      [3, 'ROW_FIELD_COUNT'],
      [5, 'ROW_FIELD_COUNT'],
    ]);
    expect(found[0]!.message).toContain('its commas are escaped with a backslash (\\,)');
    expect(found[2]!.message).not.toContain('escaped with a backslash');
    expect(found[0]!.message).not.toContain('Ana');
    // A field ending in a backslash escaped itself (`\\`) escapes no comma.
    expect(found[1]!.message).not.toContain('escaped with a backslash');
  });

  it('a short row whose last field ends in a backslash is short, not the start of a field over lines', () => {
    // `"CV at C:\cv\"` is a whole quoted field to CSV: the row lacks fields, and the next row's bare quote
    // must not close a field that never was open.
    const header = 'note_id,project_id,candidate_id,content,owner_profile_url,visibility';
    const rows = [
      'n1,p1,c1,fine,url,Project',
      'n2,p1,c1,"CV at C:\\cv\\"',
      'n3,p1,c1,Monitor 27",url,Project',
      'n4,p1,c1,last,url,Project',
    ];
    const text = Buffer.from(`${header}\n${rows.join('\n')}\n`);
    const strict = decode('notes', text);
    expect(rejects(strict.items).map((r) => [r.line, r.code])).toEqual([
      [3, 'ROW_FIELD_COUNT'],
      [4, 'ROW_INVALID_QUOTE'],
    ]);
    expect(rejects(strict.items)[0]!.raw).toBe(rows[1]);
    expect(records(strict.items).map((r) => r.note_id)).toEqual(['n1', 'n4']);
    expect(strict.decoder.stats).toMatchObject({ rowsRead: 4, rowsDecoded: 2, rowsRejected: 2 });
    const lenient = decode('notes', text, { lenientQuotes: true });
    expect(rejects(lenient.items).map((r) => [r.line, r.code])).toEqual([[3, 'ROW_FIELD_COUNT']]);
    expect(records(lenient.items).map((r) => [r.note_id, r.content])).toEqual([
      ['n1', 'fine'],
      ['n3', 'Monitor 27"'],
      ['n4', 'last'],
    ]);
  });

  it('a field escaping its quotes with a backslash runs on over a bounded number of lines only', () => {
    // The rows after an open field are held until a quote closes it: far below, that quote is another
    // row's mistake, and the rows between are rows.
    const rows = Array.from({ length: 1500 }, (_, k) => `f${k},c1,p1,co,r,m,x,,,,\n`).join('');
    const text = Buffer.from(
      `${FEEDBACK_HEADER.join(',')}\nf,c1,p1,co,r,"He said \\"hi\n${rows}g,c1,p1,co,r,27",x,,,,\n`,
    );
    const { items, decoder } = run('feedbacks', [text]);
    expect(rejects(items).map((r) => [r.line, r.code])).toEqual([
      [2, 'ROW_INVALID_QUOTE'],
      [1503, 'ROW_INVALID_QUOTE'],
    ]);
    expect(decoder.stats).toMatchObject({ rowsRead: 1502, rowsDecoded: 1500 });
  });

  it('Windows-1252 bytes: each such row rejected as not UTF-8, naming the likely encoding', () => {
    const text = Buffer.concat([
      Buffer.from(`${FEEDBACK_HEADER.join(',')}\nf1,c1,p1,co,r,`),
      Buffer.from([0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9]), // Résumé in Windows-1252
      Buffer.from(',x,,,,\nf2,c1,p1,co,r,m,x,,,,\n'),
    ]);
    const { items } = decode('feedbacks', text);
    const [reject] = rejects(items);
    expect(reject).toMatchObject({ code: 'ROW_BAD_UTF8', line: 2 });
    expect(reject!.message).toContain('Windows-1252');
    expect(records(items)).toHaveLength(1);
  });

  it('a line of megabytes without quotes is not called an unclosed quote', () => {
    const decoder = createTableDecoder('feedbacks', { file: 'T.csv', maxRecordBytes: 1024 });
    let error: { code?: string; message?: string } = {};
    try {
      decoder.push(Buffer.from(`${FEEDBACK_HEADER.join(',')}\nf1,c1,p1,co,r,${'x'.repeat(2000)}`));
      decoder.push(Buffer.from(',x,,,,\n'));
      decoder.end();
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error.code).toBe('CSV_RECORD_TOO_LARGE');
    expect(error.message).not.toContain('unclosed quote');
    expect(error.message).toContain('raise maxRecordBytes');
  });
});

describe('headers other tools rename', () => {
  it("R's read.csv names (Candidate.ID, Feedback.Id) name the guide's columns", () => {
    const header = FEEDBACK_HEADER.map((name) =>
      name.replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => `${sep ? '.' : ''}${c.toUpperCase()}`),
    );
    expect(header[0]).toBe('Feedback.Id');
    const { items, decoder } = decode('feedbacks', Buffer.from(csv([header, ...FEEDBACK_ROWS])));
    expect(records(items)).toEqual(EXPECTED);
    expect(decoder.stats.extraColumns).toEqual([]);
  });
});

describe('a table cut short and padded with zero bytes', () => {
  const text = csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS], '\r\n');
  const cut = text.indexOf('u3');

  it('the last row running into zeros is rejected, not read as a row with NULs in its last field', () => {
    const bytes = Buffer.concat([Buffer.from(text.slice(0, cut + 1)), Buffer.alloc(3000)]);
    const { items, decoder } = decode('feedbacks', bytes);
    expect(records(items)).toEqual(EXPECTED.slice(0, 2));
    const [reject, ...more] = rejects(items);
    expect(more).toEqual([]);
    expect(reject).toMatchObject({
      code: 'ROW_ZERO_PADDED',
      line: 4,
      raw: text.slice(text.indexOf('f3'), cut + 1),
    });
    expect(reject!.message).toContain('download the export again');
    expect(decoder.stats).toMatchObject({ rowsRead: 3, rowsDecoded: 2, rowsRejected: 1 });
  });

  it('zeros after the last line ending, and a file of zeros alone', () => {
    const { items } = decode('feedbacks', Buffer.concat([Buffer.from(text), Buffer.alloc(100)]));
    expect(records(items)).toEqual(EXPECTED);
    expect(rejects(items).map((r) => [r.line, r.code, r.raw])).toEqual([[5, 'ROW_ZERO_PADDED', '']]);
    const decoder = createTableDecoder('feedbacks');
    decoder.push(Buffer.alloc(100));
    expect(() => decoder.end()).toThrow(/starts with zero bytes/);
    const cut = createTableDecoder('feedbacks');
    cut.push(Buffer.concat([Buffer.from('feedback_id,cand'), Buffer.alloc(50)]));
    expect(() => cut.end()).toThrow(/runs into zero bytes/);
    // UTF-16 text is still told as such.
    const utf16 = Buffer.from(`${FEEDBACK_HEADER.join(',')}\r\n`, 'utf16le');
    expect(() => run('feedbacks', [utf16])).toThrow(/saved as UTF-16/);
    // PowerShell's `ConvertTo-Csv > file.csv` writes UTF-16 with quotes and commas: told how to write UTF-8 there.
    const redirected = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"${FEEDBACK_HEADER.join('","')}"\r\n`, 'utf16le'),
    ]);
    expect(() => run('feedbacks', [redirected])).toThrow(
      /PowerShell's > and Out-File.*Export-Csv -Encoding UTF8/,
    );
  });

  it('a block of zero bytes amid the rows is rejected saying the file was damaged, not to quote fields', () => {
    const zeros = '\x00'.repeat(512);
    const bytes = Buffer.from(`note_id,content\n1,ok\n3,c${zeros}d,e\n${zeros}\n4,fine\n`);
    const { items } = decode('notes', bytes);
    expect(items.map((i) => (i.kind === 'record' ? i.record.note_id : i.reject.code))).toEqual([
      '1',
      'ROW_FIELD_COUNT',
      'ROW_FIELD_COUNT',
      '4',
    ]);
    expect(rejects(items)[1]!.message).toMatch(/a run of zero bytes/);
    expect(rejects(items)[0]!.message).toMatch(
      /a run of zero bytes where text should be: the file was damaged/,
    );
  });

  it('a NUL inside a row that goes on is kept, as Python and DuckDB keep it', () => {
    const rows = [FEEDBACK_HEADER, ['f1', 'c1', 'p1', 'co', 'r', 'a\u0000b', 'x', '', '', '', '']];
    const { items } = decode('feedbacks', Buffer.from(csv(rows)));
    expect(records(items).map((r) => r.message)).toEqual(['a\u0000b']);
  });
});

describe('one huge field', () => {
  it('of megabytes without line breaks, in small chunks: each byte is searched for line breaks once or twice', () => {
    const field = 'abcdefgh'.repeat(256 * 1024); // 2 MiB
    const bytes = Buffer.from(`candidate_hiringstate_id,name,type\nh1,"${field}",x\nh2,${field},y\nh3,a,b\n`);
    const searched = { bytes: 0 };
    const original = Buffer.prototype.lastIndexOf;
    type LastIndexOf = (this: Buffer, ...args: unknown[]) => number;
    const spy = vi.spyOn(Buffer.prototype, 'lastIndexOf').mockImplementation(function (
      this: Buffer,
      ...args: unknown[]
    ) {
      searched.bytes += this.length;
      return (original as LastIndexOf).apply(this, args);
    } as LastIndexOf as typeof original);
    try {
      const { items } = run(
        'hiring_states',
        Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) =>
          bytes.subarray(i * 4096, (i + 1) * 4096),
        ),
      );
      expect(records(items).map((r) => r.name?.toString().length)).toEqual([field.length, field.length, 1]);
    } finally {
      spy.mockRestore();
    }
    // Two searches (LF, CR) of each byte at most, and of the chunk a line ends in: not the record so far.
    expect(searched.bytes).toBeLessThan(bytes.length * 4);
  });
});

describe("a file that is no CSV under a table's name", () => {
  it('a workbook, a compressed file, a PDF or a web page is named for what it is, not read as damaged text', () => {
    const zipHead = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00,
    ]);
    const cases: [Buffer, RegExp][] = [
      // An .xlsx renamed .csv: its first bytes hold zeros, which were told as damage.
      [
        Buffer.concat([zipHead, Buffer.from('[Content_Types].xml\n')]),
        /is a zip file \(an Excel workbook, \.xlsx, is one\), not CSV/,
      ],
      // An .xls (OLE2) renamed: zeros up to the end, which were told as a file cut short.
      [
        Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]),
        /is an Excel 97-2003 workbook \(\.xls\)/,
      ],
      // A gzip file: 1F 8B then zeros, which were told as UTF-16.
      [
        Buffer.from('1f8b0800000000000003ffcb48cdc9c9e70200', 'hex'),
        /is compressed with gzip, not CSV.*decompress it/,
      ],
      [Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n', 'latin1'), /is a PDF document/],
      // A web page (an ATS's ".xls" export, a link's error page): its quotes were told as broken quoting.
      [
        Buffer.from(
          '<html><head><meta charset="utf-8"></head><body><table><tr><td>x</td></tr></table></body></html>\n',
        ),
        /is a web page or an XML file/,
      ],
      [
        Buffer.from('\uFEFF<!DOCTYPE html>\n<html><body>This link has expired.</body></html>\n'),
        /is a web page or an XML file/,
      ],
      // Excel's "XML Spreadsheet 2003".
      [
        Buffer.from('<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook/>\r\n'),
        /is a web page or an XML file/,
      ],
    ];
    for (const [bytes, message] of cases) {
      expect(() => run('candidates', [bytes])).toThrow(message);
      expect(() => run('candidates', [bytes])).toThrow(/open it in the program that made it|decompress it/);
    }
  });
});

describe('files joined one after the other', () => {
  it("the line above the second file's header (PowerShell's #TYPE, a spreadsheet's sep=) is told for what it is", () => {
    const header = '"candidate_hiringstate_id","name","type"';
    for (const first of ['#TYPE System.Management.Automation.PSCustomObject', 'sep=,']) {
      for (const bom of ['', '\uFEFF']) {
        const file = `${bom}${first}\r\n${header}\r\n"1","a","b"\r\n`;
        const { items } = decode('hiring_states', Buffer.from(file + file));
        expect(records(items)).toHaveLength(2);
        const [line, again] = rejects(items);
        expect(line).toMatchObject({ code: 'ROW_FIELD_COUNT', line: 4 });
        expect(line!.message).toContain(
          'a file joined after another begins here; delete the line and the header after it',
        );
        expect(again).toMatchObject({ code: 'ROW_HEADER_REPEATED', line: 5 });
      }
    }
    // A short row of one word is no such line.
    const short = rejects(decode('hiring_states', Buffer.from(`${header}\n#TYPE\n`)).items);
    expect(short[0]!.message).not.toContain('joined');
  });
});

describe('a title line above the header', () => {
  it('is refused saying to delete it, without showing it', () => {
    const text = `Feedbacks of Jane Doe\r\n${csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS], '\r\n')}`;
    let error: { code?: string; message?: string } = {};
    try {
      run('feedbacks', [Buffer.from(text)]);
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error.code).toBe('SCHEMA_MISSING_COLUMN');
    expect(error.message).toContain('single cell, most likely a title above the header');
    expect(error.message).not.toContain('Jane');
  });
});

describe('lines of spaces', () => {
  it('a line of spaces or tabs alone is blank, not a row with a wrong field count', () => {
    const text = `${csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS.slice(0, 2)], '\r\n')}   \r\n\t \r\n${csvLine(FEEDBACK_ROWS[2]!)}\r\n  `;
    const { items, decoder } = decode('feedbacks', Buffer.from(text));
    expect(rejects(items)).toEqual([]);
    expect(records(items)).toEqual(EXPECTED);
    expect(items.map((item) => (item.kind === 'record' ? item.line : 0))).toEqual([2, 3, 6]);
    expect(decoder.stats).toMatchObject({ rowsRead: 3, rowsDecoded: 3, rowsRejected: 0 });
    // A row of one field that is not spaces is still a wrong field count.
    expect(
      rejects(decode('feedbacks', Buffer.from(`${FEEDBACK_HEADER.join(',')}\n x \n`)).items),
    ).toHaveLength(1);
  });
});

describe('tables saved with another separator', () => {
  it('are refused saying why a spreadsheet did it and that the table in export.zip is fine', () => {
    const message = (text: string) => {
      try {
        run('feedbacks', [Buffer.from(text)]);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    const rows = [FEEDBACK_HEADER, ...FEEDBACK_ROWS];
    const semicolons = message(rows.map((row) => row.join(';')).join('\r\n'));
    expect(semicolons).toContain('separated by ";"');
    expect(semicolons).toContain('take the table from export.zip again (a spreadsheet set to a language');
    const tabs = message(rows.map((row) => row.join('\t')).join('\r\n'));
    expect(tabs).toContain('"Unicode text" formats separate fields with tabs');
  });
});

describe("a spreadsheet's sep= line", () => {
  it('sep=, above the header is read past; the rows keep their line numbers', () => {
    for (const first of ['sep=,', '\uFEFFsep=,', 'SEP=,']) {
      const text = `${first}\r\n${csv([FEEDBACK_HEADER, ...FEEDBACK_ROWS], '\r\n')}`;
      const { items, decoder } = decode('feedbacks', Buffer.from(text));
      expect(records(items)).toEqual(EXPECTED);
      expect(items.map((item) => (item.kind === 'record' ? item.line : 0))).toEqual([3, 4, 5]);
      expect(decoder.header).toEqual(FEEDBACK_HEADER);
      expect(decoder.stats.rowsRead).toBe(3);
    }
  });

  it('is read past only as the first line', () => {
    const text = `${FEEDBACK_HEADER.join(',')}\nsep=,\n`;
    const { items } = decode('feedbacks', Buffer.from(text));
    expect(rejects(items).map((r) => r.code)).toEqual(['ROW_FIELD_COUNT']);
  });
});
