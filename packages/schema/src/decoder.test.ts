import { describe, expect, it } from 'vitest';
import { createTableDecoder, type Decoded, type Reject } from './decoder.js';
import type { RejectCode, SchemaErrorCode } from './errors.js';
import { extraColumns } from './header.js';
import { numericId } from './ids.js';
import type { DecodeOptions } from './options.js';
import type { TableName } from './tables.js';

const FEEDBACK_HEADER =
  'feedback_id,candidate_id,project_id,company,requester_role,message,feedback_response,recommendation_score,approved_for_referral,requester_profile_url,requestee_profile_url';

function decodeAll(table: TableName, csv: string | Uint8Array, options?: DecodeOptions) {
  const decoder = createTableDecoder(table, options);
  const items: Decoded[] = [
    ...decoder.push(typeof csv === 'string' ? Buffer.from(csv) : csv),
    ...decoder.end(),
  ];
  return { items, decoder };
}

function rejects(items: Decoded[]): Reject[] {
  return items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));
}

function fatal(fn: () => unknown): { code: SchemaErrorCode; message: string; line?: number } {
  try {
    fn();
  } catch (error) {
    return error as { code: SchemaErrorCode; message: string };
  }
  throw new Error('expected a SchemaError');
}

describe('empty columns', () => {
  it('lists the columns no decoded row held a value in: extras too, rejected rows not counted, text left as bytes alike', () => {
    const csv = [
      'note_id,project_id,candidate_id,content,owner_profile_url,visibility,extra',
      '1,,c1,,,,',
      '2,,c2,"",,"",',
      '3,"",c3,,,,x,too many',
      '4,,c4,,,Project,',
    ].join('\n');
    for (const fields of [undefined, ['note_id']]) {
      const { decoder } = decodeAll('notes', csv, fields ? { fields } : {});
      expect(decoder.stats.rowsRejected).toBe(1);
      expect(decoder.stats.emptyColumns).toEqual(['project_id', 'content', 'owner_profile_url', 'extra']);
    }
    const header = createTableDecoder('notes');
    expect(header.stats.emptyColumns).toEqual([]);
    header.push(Buffer.from('note_id,project_id,candidate_id,content,owner_profile_url,visibility\n'));
    expect(header.stats.emptyColumns).toHaveLength(6);
  });
});

describe('cells checked but not kept', () => {
  it('times and lists left out of the records are checked as when kept: the same rejects, counts and empty columns', () => {
    const header =
      'custom_field_id,entity_type,description,name,state,type,custom_field_definition_values,created_time,last_modified';
    const csv = [
      header,
      '1,candidate,,a,,t,x;y,2021-10-13 07:40:00,1634110800000',
      '2,candidate,,b,,t,;,  2021-10-13T07:40:00Z ,   ',
      '3,candidate,,c,,t,,1634110800,',
      '4,candidate,,d,,t,z,2021-02-30 10:00:00,',
      '5,candidate,,e,,t,z,,99999999999999999',
      '6,candidate,,f,,t,z,yesterday,',
      '7,candidate,,g,,t,z, ,2021-10-13 07:40',
    ].join('\n');
    const whole = decodeAll('custom_field_definitions', csv);
    const kept = decodeAll('custom_field_definitions', csv, { fields: ['custom_field_id'] });
    const codes = (items: Decoded[]) => rejects(items).map((r) => [r.line, r.code, r.column]);
    expect(codes(kept.items)).toEqual(codes(whole.items));
    expect(codes(whole.items)).toEqual([
      [5, 'ROW_BAD_TIMESTAMP', 'created_time'],
      [6, 'ROW_BAD_TIMESTAMP', 'last_modified'],
      [7, 'ROW_BAD_TIMESTAMP', 'created_time'],
    ]);
    expect(kept.decoder.stats).toEqual(whole.decoder.stats);
    expect(whole.decoder.stats.emptyColumns).toEqual(['description', 'state']);
    const ids = (items: Decoded[]) => items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
    expect(ids(kept.items)).toEqual(ids(whole.items).map((r) => ({ custom_field_id: r.custom_field_id })));
  });
});

describe('decoding exactly', () => {
  it('keeps ids and text byte for byte and types the rest', () => {
    const csv = `\uFEFF${FEEDBACK_HEADER}\r\n007, x ,p1,co,,"Hello, ""you""\r\nsecond line\nthird ünï",,4.50,YES,,\r\n`;
    const { items, decoder } = decodeAll('feedbacks', csv);
    expect(items).toEqual([
      {
        kind: 'record',
        line: 2,
        offset: Buffer.byteLength(`\uFEFF${FEEDBACK_HEADER}\r\n`),
        record: {
          feedback_id: '007',
          candidate_id: ' x ',
          project_id: 'p1',
          company: 'co',
          requester_role: null,
          message: 'Hello, "you"\r\nsecond line\nthird ünï',
          feedback_response: null,
          recommendation_score: 4.5,
          approved_for_referral: true,
          requester_profile_url: null,
          requestee_profile_url: null,
        },
      },
    ]);
    expect(decoder.stats).toMatchObject({ rowsRead: 1, rowsDecoded: 1, rowsRejected: 0 });
    expect(decoder.stats.bytes).toBe(Buffer.byteLength(csv));
  });

  it('gives each id as written when rows repeat, almost repeat or repeat only as non-ASCII look-alikes', () => {
    // U+00C3 U+00A9 spelled in UTF-8 is 4 bytes; its 2 chars equal the 2 bytes of U+00E9 taken one by one.
    const ids = [
      '1001',
      '1001',
      '1002',
      '100',
      '1001',
      '\u00c3\u00a9',
      '\u00e9',
      '\u00e9',
      'a"b',
      'a"b',
      '1001',
    ];
    const quoted = (id: string) => (id.includes('"') ? `"${id.replaceAll('"', '""')}"` : id);
    const csv = ['note_id,candidate_id', ...ids.map((id, i) => `${i},${quoted(id)}`)].join('\n');
    const { items } = decodeAll('notes', csv, { fields: ['candidate_id'] });
    expect(items.map((item) => (item.kind === 'record' ? item.record.candidate_id : item.kind))).toEqual(ids);
  });

  it('gives the values of `fields` to fieldRows instead of records: the same values, the same counts and rejects', () => {
    const csv = [
      'note_id,candidate_id,project_id,content,owner_profile_url,visibility,extra',
      '1,c1,p1,hello,,Project,x',
      '2,c1,,"a, b",,,',
      '3,c2,p2,too,many,fields,here,!',
      '4,"c""3",p1,,,,',
    ].join('\n');
    const fields = ['project_id', 'candidate_id', 'no_such_column'];
    const records = decodeAll('notes', csv, { fields });
    const rows: unknown[][] = [];
    const taken = decodeAll('notes', csv, { fields, fieldRows: (values) => rows.push([...values]) });
    expect(rows).toEqual(
      records.items.flatMap((item) =>
        item.kind === 'record' ? [fields.map((name) => item.record[name] ?? null)] : [],
      ),
    );
    expect(rows[2]).toEqual(['p1', 'c"3', null]);
    expect(taken.items).toEqual(records.items.filter((item) => item.kind === 'reject'));
    expect(taken.decoder.stats).toEqual(records.decoder.stats);
    expect(() => createTableDecoder('notes', { fieldRows: () => undefined })).toThrow(
      /"fieldRows" needs "fields"/,
    );
  });

  it('gives `numericIds` columns as the number they spell exactly, as numericId reads them, else as text', () => {
    const ids = [
      '1001',
      '0',
      '007',
      '1001',
      '12a',
      '"99"',
      '"9""9"',
      '9007199254740991',
      '9007199254740993',
      '12345678901234567',
      ' 5',
      '-3',
      '1e3',
      '\u0661',
    ];
    const csv = ['note_id,candidate_id,project_id', ...ids.map((id, i) => `${i},${id},${id}`)].join('\n');
    const rows: unknown[][] = [];
    decodeAll('notes', csv, {
      fields: ['candidate_id', 'project_id'],
      fieldRows: (values) => rows.push([...values]),
      numericIds: ['candidate_id'],
    });
    const text = decodeAll('notes', csv, { fields: ['candidate_id'] }).items.map((item) =>
      item.kind === 'record' ? (item.record.candidate_id as string) : '',
    );
    // The same value numericId gives for the text, else the text; project_id is left as text.
    expect(rows.map((row) => row[0])).toEqual(text.map((id) => numericId(id) ?? id));
    expect(rows.map((row) => row[1])).toEqual(text);
    // Numbers where the text spells one exactly: not with a leading zero, quotes doubled, or past 2^53 - 1.
    expect(rows.map((row) => typeof row[0])).toEqual(
      ids.map((_, i) => ([0, 1, 3, 5, 7].includes(i) ? 'number' : 'string')),
    );
    expect(() =>
      createTableDecoder('notes', { fields: ['candidate_id'], numericIds: ['candidate_id'] }),
    ).toThrow(/"numericIds" needs "fieldRows"/);
  });

  it('names extra columns by `extraNames`, in records and stats, leaving the schema columns as they are', () => {
    const csv = 'candidate_hiringstate_id,name,type,Jane Doe,other\nh1,Screen,x,a,b\n';
    const { items, decoder } = decodeAll('hiring_states', csv, {
      extraNames: { 'Jane Doe': '[PERSON]', name: 'no' },
    });
    expect(items[0]).toMatchObject({ record: { name: 'Screen', '[PERSON]': 'a', other: 'b' } });
    expect(decoder.stats.extraColumns).toEqual(['[PERSON]', 'other']);
    // The same columns `extraColumns` names from the header alone, a blank one by its place.
    expect(
      extraColumns('hiring_states', [' NAME ', 'candidate_hiringstate_id', 'type', 'Jane Doe', ' ']),
    ).toEqual(['Jane Doe', 'column5']);
    expect(() => createTableDecoder('hiring_states', { extraNames: { a: '' } })).toThrow(
      /"extraNames" must map/,
    );
  });

  it('gives `fieldRows` the same list for the same text, equal to the list a record holds', () => {
    const csv = [
      'candidate_id,project_id,sourcing_channels',
      '1,p,"applicant; referral"',
      '2,p,"applicant; referral"',
      '3,p,;',
      '4,p,"applicant;referral"',
      '5,p,"applicant; referral"',
    ].join('\n');
    const rows: unknown[][] = [];
    decodeAll('candidates', csv, {
      fields: ['sourcing_channels'],
      fieldRows: (values) => rows.push([...values]),
    });
    const records = decodeAll('candidates', csv).items.map((item) =>
      item.kind === 'record' ? item.record.sourcing_channels : undefined,
    );
    expect(rows.map((row) => row[0])).toEqual(records);
    expect(rows[1]![0]).toBe(rows[0]![0]);
    expect(rows[4]![0]).toBe(rows[0]![0]);
    expect(rows[3]![0]).not.toBe(rows[0]![0]);
  });

  it('gives `cutTimes` columns as the start of their time, and repeated text as the same string', () => {
    const csv = [
      'custom_field_id,entity_type,entity_id,custom_field_values,created_time',
      '1,candidate,c1,a,2024-05-31 23:59:59',
      '2,candidate,c2,b,1592332052905',
      '3,project,p1,c,2024-05-01T00:00:00-02:00',
      '4,candidate,c3,d,not a time',
    ].join('\n');
    const rows: unknown[][] = [];
    const { items } = decodeAll('custom_field_values', csv, {
      fields: ['entity_type', 'created_time'],
      fieldRows: (values) => rows.push([...values]),
      cutTimes: { created_time: 7 },
    });
    expect(rows).toEqual([
      ['candidate', '2024-05'],
      ['candidate', '2020-06'],
      ['project', '2024-05'],
    ]);
    expect(rows[0]![0]).toBe(rows[1]![0]);
    expect(items.map((item) => (item.kind === 'reject' ? item.reject.code : item.kind))).toEqual([
      'ROW_BAD_TIMESTAMP',
    ]);
    expect(() =>
      createTableDecoder('custom_field_values', { fields: ['created_time'], cutTimes: { created_time: 7 } }),
    ).toThrow(/"cutTimes" needs "fieldRows"/);
    expect(() =>
      createTableDecoder('custom_field_values', {
        fields: ['created_time'],
        fieldRows: () => undefined,
        cutTimes: { created_time: -1 },
      }),
    ).toThrow(/"cutTimes" must map/);
  });

  it('matches headers case-insensitively in any order, keeps extras, nulls missing optional columns', () => {
    const csv = ' Name ,CANDIDATE_HIRINGSTATE_ID,Colour\nScreen,h1,\n';
    const { items, decoder } = decodeAll('hiring_states', csv);
    const record = items[0]?.kind === 'record' ? items[0].record : undefined;
    expect(record).toEqual({ candidate_hiringstate_id: 'h1', name: 'Screen', type: null, Colour: null });
    expect(Object.keys(record!)).toEqual(['candidate_hiringstate_id', 'name', 'type', 'Colour']);
    expect(decoder.stats.extraColumns).toEqual(['Colour']);
    expect(decoder.stats.missingOptionalColumns).toEqual(['type']);
    expect(decoder.notices).toHaveLength(2);
    expect(decoder.header).toEqual([' Name ', 'CANDIDATE_HIRINGSTATE_ID', 'Colour']);
  });

  it('matches headers retyped with spaces, hyphens or in camel case, as the decoder matches any case', () => {
    const csv = 'Candidate Hiringstate ID,Name,type\nh1,Screen,phone\n';
    expect(decodeAll('hiring_states', csv).items[0]).toMatchObject({
      record: { candidate_hiringstate_id: 'h1', name: 'Screen', type: 'phone' },
    });
    const camel = 'NoteId,project-id,Candidate_ID,Content,OwnerProfileURL,visibility\nn1,p1,c1,hi,,Project\n';
    const { items, decoder } = decodeAll('notes', camel);
    expect(items[0]).toMatchObject({ record: { note_id: 'n1', project_id: 'p1', candidate_id: 'c1' } });
    expect(decoder.stats.extraColumns).toEqual([]);
    expect(extraColumns('notes', camel.split('\n')[0]!.split(','))).toEqual([]);
    // Extra columns alike but for spaces or hyphens stay two columns.
    const extras = decodeAll('hiring_states', 'candidate_hiringstate_id,555-123,555 123\nh1,a,b\n');
    expect(extras.decoder.stats.extraColumns).toEqual(['555-123', '555 123']);
    // Two spellings of one column are one column twice: refused, not one of them read as an extra.
    const twice = fatal(() =>
      decodeAll('hiring_states', 'candidate_hiringstate_id,Candidate HiringState ID\n'),
    );
    expect(twice.code).toBe('SCHEMA_DUPLICATE_COLUMN');
  });

  it('says a time a spreadsheet re-wrote (10/13/2021 7:40, 1.63308E+12) is one, and what to do', () => {
    const header = 'interview_module_id,description,name,state,start_time,end_time\n';
    const cells = [
      '10/13/2021 7:40',
      '1.63308E+12',
      '13.10.2021',
      'soon',
      '13-Oct-21',
      '"October 13, 2021, 7:40 AM"',
    ];
    const csv = header + cells.map((cell, i) => `m${i},,,,${cell},\n`).join('');
    const messages = rejects(decodeAll('interview_modules', csv).items).map((r) => r.message);
    expect(messages).toHaveLength(6);
    for (const i of [0, 1, 2, 4, 5]) expect(messages[i]).toMatch(/a spreadsheet most likely/);
    expect(messages[0]).toMatch(
      /take the table from export\.zip again, or format the column as yyyy-mm-dd hh:mm:ss/,
    );
    expect(messages[1]).toMatch(/shortened the epoch milliseconds/);
    expect(messages[3]).toMatch(/fix the value or leave the cell empty\.$/);
  });

  it('rejects the header again (two files joined into one), with or without its BOM, in its own spelling', () => {
    const header = 'Candidate HiringState ID,name,type,extra\r\n';
    const csv = `\ufeff${header}h1,a,b,\r\n\ufeff${header}h2,c,d,\r\n${header.toUpperCase()}name,name,type,x\r\n`;
    const { items, decoder } = decodeAll('hiring_states', csv);
    expect(
      items.map((i) => (i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code)),
    ).toEqual(['h1', 'ROW_HEADER_REPEATED', 'h2', 'ROW_HEADER_REPEATED', 'name']);
    expect(rejects(items)[0]!.message).toMatch(
      /repeats the header \(files joined one after the other\?\); delete the line/,
    );
    expect(decoder.stats.rowsRejected).toBe(2);
  });

  it('rejects a header quoted throughout again after its BOM (PowerShell, R), strict or lenient, as the header', () => {
    const header = '"candidate_hiringstate_id","name","type"\r\n';
    const csv = `\ufeff${header}"1","a","b"\r\n\ufeff${header}"2","c","d"\r\n`;
    for (const lenientQuotes of [false, true]) {
      const { items, decoder } = decodeAll('hiring_states', csv, { lenientQuotes });
      expect(
        items.map((i) => (i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code)),
      ).toEqual(['1', 'ROW_HEADER_REPEATED', '2']);
      expect(decoder.stats).toMatchObject({ rowsDecoded: 2, rowsRejected: 1, rowsLenientQuotes: 0 });
      // R's write.csv: an unnamed column of row names first.
      const r = `\ufeff"",${header}"1","1","a","b"\r\n\ufeff"",${header}"1","2","c","d"\r\n`;
      expect(
        decodeAll('hiring_states', r, { lenientQuotes }).items.map((i) =>
          i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code,
        ),
      ).toEqual(['1', 'ROW_HEADER_REPEATED', '2']);
    }
  });

  it("drops the BOM of a file joined after another without its header: the row's id is its own", () => {
    const csv =
      'candidate_hiringstate_id,name,type\r\nh1,a,b\r\n\ufeffh2,c,d\r\n\ufeff\r\n\ufeff,e,f\r\n\ufeff"h4",g,h\r\n';
    for (const size of [1, csv.length]) {
      const decoder = createTableDecoder('hiring_states');
      const bytes = Buffer.from(csv);
      const items: Decoded[] = [];
      for (let at = 0; at < bytes.length; at += size)
        items.push(...decoder.push(bytes.subarray(at, at + size)));
      items.push(...decoder.end());
      expect(
        items.map((i) => (i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code)),
      ).toEqual(['h1', 'h2', 'ROW_MISSING_VALUE', 'ROW_INVALID_QUOTE']);
      expect(rejects(items)[0]!.raw).toBe('\ufeff,e,f');
      expect(rejects(items)[1]!.message).toContain(
        'its byte-order mark comes before the quote opening its first cell',
      );
    }
  });

  it('refuses to read on past the header again with its columns in another order: the rows after it would swap values', () => {
    const header = 'candidate_hiringstate_id,name,type';
    for (const again of [
      'type,name,candidate_hiringstate_id',
      'candidate_hiringstate_id,kind,name',
      '\ufeffName,Candidate HiringState ID,TYPE',
      '\ufeff"type","name","candidate_hiringstate_id"',
    ]) {
      const csv = `${header}\r\nh1,Applied,applicant\r\n${again}\r\napplicant,Hired,h2\r\n`;
      for (const size of [1, csv.length]) {
        const decoder = createTableDecoder('hiring_states');
        const bytes = Buffer.from(csv);
        const items: Decoded[] = [];
        const error = fatal(() => {
          for (let at = 0; at < bytes.length; at += size)
            items.push(...decoder.push(bytes.subarray(at, at + size)));
          items.push(...decoder.end());
        });
        expect(error.code).toBe('SCHEMA_BAD_HEADER');
        expect(error.line).toBe(3);
        expect(error.message).toContain(
          'line 3: the row repeats the header of table hiring_states with its columns in another order',
        );
        // The row before it was read; none after it.
        expect(decoder.stats).toMatchObject({ rowsRead: 1, rowsDecoded: 1, rowsRejected: 0 });
      }
    }
    // The same names in the same order stay a row rejected, and so do rows naming some columns only.
    // A column named otherwise in its place is the header again, as one named alike; rows whose id cell
    // is no name, or that name a column twice or few columns, are rows; one of a column more is the header.
    const same = `${header}\nh1,a,b\n${header}\ncandidate_hiringstate_id,name,kind\nname,type,x\ntype,name,x\nh2,name,type\ntype,name,candidate_hiringstate_id,x\n`;
    expect(
      decodeAll('hiring_states', same).items.map((i) =>
        i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code,
      ),
    ).toEqual([
      'h1',
      'ROW_HEADER_REPEATED',
      'ROW_HEADER_REPEATED',
      'name',
      'type',
      'h2',
      'ROW_HEADER_REPEATED',
    ]);
  });

  it('rejects the header again naming a column more or less as the header, saying the rows after it follow another', () => {
    const header = 'candidate_hiringstate_id,name,type';
    const csv = `${header}\nh1,a,b\n\ufeff${header},color\nh2,c,d,red\n${header.slice(0, -5)}\nh3,e\nname,type,x,y\n`;
    const { items } = decodeAll('hiring_states', csv);
    expect(
      items.map((i) => (i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code)),
    ).toEqual([
      'h1',
      'ROW_HEADER_REPEATED',
      'ROW_FIELD_COUNT',
      'ROW_HEADER_REPEATED',
      'ROW_FIELD_COUNT',
      'ROW_FIELD_COUNT',
    ]);
    expect(rejects(items)[0]!.message).toContain(
      'the row is the header again, naming other columns (a file of another version of the export joined after this one?)',
    );
  });

  it('splits the last row of a file without a line ending from the BOM of the file joined after it', () => {
    const header = 'candidate_hiringstate_id,name,type';
    const quoted = '"candidate_hiringstate_id","name","type"';
    const cases: [string, (string | RejectCode)[]][] = [
      // `cat a.csv b.csv`, a ending without a line break: b's BOM and header follow a's last row.
      [`\ufeff${header}\r\nh1,a,b\ufeff${header}\r\nh2,c,d\r\n`, ['h1', 'ROW_HEADER_REPEATED', 'h2']],
      [`${header}\nh1,a,b\ufeffh2,c,d\n`, ['h1', 'h2']],
      [`${header}\n"h1","a","b"\ufeff${quoted}\n"h2","c",d\n`, ['h1', 'ROW_HEADER_REPEATED', 'h2']],
      [`${header}\nh1,"a\nb",c\ufeff${header}\n`, ['h1', 'ROW_HEADER_REPEATED']],
      // b without a BOM: its header glued to a's last cell.
      [`${header}\r\nh1,a,b${header}\r\nh2,c,d\r\n`, ['h1', 'ROW_HEADER_REPEATED', 'h2']],
      [`${header}\r\nh1,a,"b"${header}\r\n`, ['h1', 'ROW_HEADER_REPEATED']],
      [`${header}\nh1,a,${header}\n`, ['h1', 'ROW_HEADER_REPEATED']],
      // A BOM in a row of too many fields that does not part it into two whole rows: the row stays one.
      [`${header}\nh1,a\ufeffb,c,d\n`, ['ROW_FIELD_COUNT']],
      [`${header}\nh1,a,b,c\ufeffh2,c,d\n`, ['ROW_FIELD_COUNT']],
    ];
    for (const [csv, expected] of cases) {
      for (const size of [1, 7, csv.length * 3]) {
        const decoder = createTableDecoder('hiring_states');
        const bytes = Buffer.from(csv);
        const items: Decoded[] = [];
        for (let at = 0; at < bytes.length; at += size)
          items.push(...decoder.push(bytes.subarray(at, at + size)));
        items.push(...decoder.end());
        expect(
          items.map((i) => (i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code)),
        ).toEqual(expected);
        expect(decoder.stats.rowsRead).toBe(expected.length);
        expect(decoder.stats.rowsDecoded + decoder.stats.rowsRejected).toBe(expected.length);
      }
    }
    // The header alone, without a line ending, and the file joined after it.
    const after: [string, (string | RejectCode)[]][] = [
      [`\ufeff${header}\ufeff${header}\r\nh1,a,b\r\n`, ['ROW_HEADER_REPEATED', 'h1']],
      [`${header}\ufeffh1,a,b\nh2,c,d\n`, ['h1', 'h2']],
      // A BOM pasted into a name, or that parts the line otherwise, leaves the header as it is.
      [`candidate_hiringstate_id,na\ufeffme,type\nh1,a,b\n`, ['h1']],
      [`candidate_hiringstate_id,name\ufeffname,type\nh1,a,b\n`, ['h1']],
    ];
    for (const [csv, expected] of after) {
      const { items } = decodeAll('hiring_states', csv);
      expect(
        items.map((i) => (i.kind === 'record' ? i.record.candidate_hiringstate_id : i.reject.code)),
      ).toEqual(expected);
    }
    // Each part keeps its own line and byte offset.
    const csv = `${header}\nh1,"a\nb",c\ufeff${header}\nh2,c,d\n`;
    const { items } = decodeAll('hiring_states', csv);
    const second = csv.indexOf('\ufeff');
    expect(
      items.map((i) => (i.kind === 'record' ? [i.line, i.offset] : [i.reject.line, i.reject.offset])),
    ).toEqual([
      [2, header.length + 1],
      [3, Buffer.byteLength(csv.slice(0, second))],
      [4, Buffer.byteLength(csv.slice(0, csv.indexOf('h2')))],
    ]);
    expect(rejects(items)[0]!.raw).toBe(`\ufeff${header}`);
  });

  it('says a header of quoted cells separated by ";" or tabs is separated so, not that its quoting is broken', () => {
    for (const [sep, name] of [
      [';', '";"'],
      ['\t', 'tabs'],
    ]) {
      const csv = `"candidate_hiringstate_id"${sep}"name"${sep}"type"\r\n"h1"${sep}"a"${sep}"b"\r\n`;
      const error = fatal(() => decodeAll('hiring_states', csv));
      expect(error.code).toBe('SCHEMA_BAD_HEADER');
      expect(error.message).toContain(`is separated by ${name}, not commas; save the file with commas`);
    }
    expect(fatal(() => decodeAll('hiring_states', '"a"b,name,type\n')).message).toMatch(/broken quoting/);
  });

  it('reads lists and timestamps', () => {
    const csv =
      'custom_field_id,entity_type,entity_id,custom_field_values,created_time,last_modified_time\n' +
      'f1,candidate,c1, a ; b;;c ;,1611683100000,2021-01-26 17:45:00\n' +
      'f1,candidate,c2," ; ;",2021-01-26T17:45:00.123Z,\n';
    const { items } = decodeAll('custom_field_values', csv);
    expect(items.map((i) => (i.kind === 'record' ? i.record : i.reject.code))).toEqual([
      {
        custom_field_id: 'f1',
        entity_type: 'candidate',
        entity_id: 'c1',
        custom_field_values: ['a', 'b', 'c'],
        created_time: '2021-01-26T17:45:00.000Z',
        last_modified_time: '2021-01-26T17:45:00.000Z',
      },
      {
        custom_field_id: 'f1',
        entity_type: 'candidate',
        entity_id: 'c2',
        custom_field_values: [],
        created_time: '2021-01-26T17:45:00.123Z',
        last_modified_time: null,
      },
    ]);
  });

  it('skips blank lines without counting them, and still counts their physical lines', () => {
    const csv = 'candidate_hiringstate_id,name,type\n\nh1,a,b\r\n\r\n\rh2,c,d\n\n';
    const { items, decoder } = decodeAll('hiring_states', csv);
    expect(items.map((i) => (i.kind === 'record' ? [i.line, i.offset] : []))).toEqual([
      [3, 36],
      [6, 47],
    ]);
    expect(decoder.stats.rowsRead).toBe(2);
  });

  it('skips rows whose every cell is empty (blank rows a spreadsheet saves) as blank lines, of any field count', () => {
    const csv = 'candidate_hiringstate_id,name,type\r\nh1,a,b\r\n,,\r\n,\r\n,,,,\r\n,"",\r\n,x,\r\n';
    const { items, decoder } = decodeAll('hiring_states', csv);
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(1);
    // A row with a value is a row: its id is missing.
    expect(rejects(items).map((r) => [r.line, r.code])).toEqual([[7, 'ROW_MISSING_VALUE']]);
    expect(decoder.stats.rowsRead).toBe(2);
  });

  it('accepts a last row without line ending and a trailing empty field', () => {
    const { items } = decodeAll('hiring_states', 'candidate_hiringstate_id,name,type\nh1,a,');
    expect(items).toEqual([
      {
        kind: 'record',
        line: 2,
        offset: 35,
        record: { candidate_hiringstate_id: 'h1', name: 'a', type: null },
      },
    ]);
  });
});

describe('rejects: one per kind, decoding goes on', () => {
  const header = 'interview_module_id,description,name,state,start_time,end_time';
  const cases: [RejectCode, string, string | undefined][] = [
    ['ROW_FIELD_COUNT', 'm1,d,n,s,1', undefined],
    ['ROW_INVALID_QUOTE', 'm1,5\'10",n,s,1,2', undefined],
    ['ROW_INVALID_QUOTE', 'm1,"d"x,n,s,1,2', undefined],
    ['ROW_MISSING_VALUE', ',d,n,s,1,2', 'interview_module_id'],
    ['ROW_BAD_TIMESTAMP', 'm1,d,n,s,2021-02-30 10:00:00,2', 'start_time'],
    ['ROW_BAD_TIMESTAMP', 'm1,d,n,s,1,yesterday', 'end_time'],
  ];
  it.each(cases)('%s: %s', (code, row, column) => {
    const csv = `${header}\n${row}\nm2,d,n,s,1,2\n`;
    const { items, decoder } = decodeAll('interview_modules', csv, {
      file: 'Contract_1/InterviewModule.csv',
    });
    expect(items).toHaveLength(2);
    const [reject] = rejects(items);
    expect(reject).toMatchObject({
      table: 'interview_modules',
      file: 'Contract_1/InterviewModule.csv',
      line: 2,
      offset: header.length + 1,
      code,
      raw: row,
    });
    expect(reject!.column).toBe(column);
    expect(reject!.message).toContain('Contract_1/InterviewModule.csv line 2');
    expect(items[1]).toMatchObject({ kind: 'record', line: 3 });
    expect(decoder.stats).toMatchObject({ rowsRead: 2, rowsDecoded: 1, rowsRejected: 1 });
  });

  it.each([
    ['ROW_BAD_NUMBER', 'recommendation_score', '4,5'],
    ['ROW_BAD_NUMBER', 'recommendation_score', 'Infinity'],
    ['ROW_BAD_NUMBER', 'recommendation_score', '1e999'],
    ['ROW_BAD_BOOLEAN', 'approved_for_referral', 'maybe'],
  ])('%s in %s: %s', (code, column, value) => {
    const cells = ['f1', 'c1', 'p1', 'co', '', '', '', '4', 'true', '', ''];
    cells[column === 'recommendation_score' ? 7 : 8] = `"${value}"`;
    const { items } = decodeAll('feedbacks', `${FEEDBACK_HEADER}\n${cells.join(',')}\n`);
    expect(rejects(items)[0]).toMatchObject({ code, column });
  });

  it('a wrong cell is quoted in the message when it has no letters, else only its length is said (personal data)', () => {
    const cells = (score: string) => ['f1', 'c1', 'p1', 'co', '', '', '', score, 'true', '', ''].join(',');
    const { items } = decodeAll(
      'feedbacks',
      `${FEEDBACK_HEADER}\n${cells('4;5')}\n${cells('José García')}\n${cells('1e999')}\n${cells('2021-03-04T05:06:07Z')}\n${cells('3/4/2021 5:06 PM')}\n${cells('12 Tez')}\n`,
    );
    expect(rejects(items).map((r) => r.message.replace(/^.*holds (.*), expected.*$/, '$1'))).toEqual([
      '"4;5"',
      'a text of 11 characters',
      '"1e999"',
      // A time spells no name: shown, so that the reject says which one.
      '"2021-03-04T05:06:07Z"',
      '"3/4/2021 5:06 PM"',
      'a text of 6 characters',
    ]);
  });

  it('a wrong cell that is a phone number is not quoted: it has no letters, but is personal data', () => {
    const cells = (flag: string) => ['f1', 'c1', 'p1', 'co', '', '', '', '4', flag, '', ''].join(',');
    const values = [
      '+1 (415) 555-0123',
      '415.555.0123',
      '+44 20 7946 0958',
      '4155550123',
      '020-7946-0958',
      '555-0123',
      // Not phone numbers: a serial date, dates, epoch milliseconds, a short number.
      '44329.763888',
      '13.10.2021',
      '10/13/2021',
      '16341108000001',
      '12-34',
    ];
    const { items } = decodeAll(
      'feedbacks',
      `${FEEDBACK_HEADER}\n${values.map((v) => cells(`"${v}"`)).join('\n')}\n`,
    );
    expect(rejects(items).map((r) => r.message.replace(/^.*holds (.*), expected.*$/, '$1'))).toEqual([
      'a text of 17 characters',
      'a text of 12 characters',
      'a text of 16 characters',
      'a text of 10 characters',
      'a text of 13 characters',
      'a text of 8 characters',
      '"44329.763888"',
      '"13.10.2021"',
      '"10/13/2021"',
      '"16341108000001"',
      '"12-34"',
    ]);
  });

  it('ROW_UNCLOSED_QUOTE: a quote left open at the end keeps the rest as raw text', () => {
    const { items, decoder } = decodeAll(
      'hiring_states',
      'candidate_hiringstate_id,name,type\nh1,a,b\nh2,"open\nh3,c,d\n',
    );
    expect(rejects(items)).toMatchObject([
      { code: 'ROW_UNCLOSED_QUOTE', line: 3, raw: 'h2,"open\nh3,c,d\n' },
    ]);
    expect(decoder.stats).toMatchObject({ rowsRead: 2, rowsDecoded: 1, rowsRejected: 1 });
  });

  it('ROW_UNCLOSED_QUOTE says how many lines the open quote took in, and in which column', () => {
    // A table without quoted fields, one stray quote: every row after it is in the reject's text, and
    // the table counts 2 rows where it has 5.
    const rows = ['h1,a,b', 'h2,"open,b', 'h3,c,d', 'h4,e,f', 'h5,g,h'];
    for (const end of ['\n', '\r\n', '\r']) {
      const { items, decoder } = decodeAll(
        'hiring_states',
        `candidate_hiringstate_id,name,type${end}${rows.join(end)}${end}`,
      );
      const [reject] = rejects(items);
      expect(reject).toMatchObject({ code: 'ROW_UNCLOSED_QUOTE', line: 3, column: 'name' });
      expect(reject!.message).toContain(
        'the quote opening column "name" is never closed, so the row takes in the 3 line(s) after it to the end of the input, which most likely hold rows of their own; remove the stray quote',
      );
      expect(decoder.stats).toMatchObject({ rowsRead: 2, rowsDecoded: 1, rowsRejected: 1 });
    }
    // On its last line, it takes in none.
    const last = rejects(decodeAll('hiring_states', 'candidate_hiringstate_id,name,type\nh1,"a').items);
    expect(last[0]!.message).toContain(
      'the quote opening column "name" is never closed before the end of the input',
    );
  });

  it('a table cut short inside its header is refused saying so, not read as a table of no rows', () => {
    const header =
      'candidate_id,project_id,first_name,last_name,emails,phone_numbers,tags,profile_url,sourcing_channels,hiring_state_id';
    for (const [at, column] of [
      [header.length - 1, 'hiring_state_id'],
      [header.indexOf('hiring'), 'hiring_state_id'],
      [header.indexOf(',first') + 4, 'first_name'],
      [header.indexOf('candidate_id') + 5, 'candidate_id'],
    ] as const) {
      const error = fatal(() => decodeAll('candidates', header.slice(0, at)));
      expect(error.code).toBe('SCHEMA_BAD_HEADER');
      expect(error.message).toContain(
        `table candidates ends inside its header, without a line end, where its column "${column}" should be: the file was cut short there`,
      );
    }
    // Whole, a header without a line end is a table of no rows (as a spreadsheet saves an empty sheet's).
    for (const whole of [header, header.replace(',tags', '')]) {
      const { items, decoder } = decodeAll('candidates', whole);
      expect(items).toEqual([]);
      expect(decoder.stats.rowsRead).toBe(0);
    }
    // Ended by a line end, the header was written so: read as it is.
    expect(decodeAll('candidates', `${header.slice(0, -1)}\n`).decoder.stats.extraColumns).toEqual([
      'hiring_state_i',
    ]);
  });

  it('a table cut short mid-row (no line end after its last row) says so, not only to fix the quoting', () => {
    // An interrupted download or copy: the last row stops mid-field, its body's quote never closed or its
    // last cells missing; the rows after it are lost, which no quote or comma added brings back.
    const header = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type';
    const whole = `${header}\r\n1,2,3,u,s,"Hi,\r\nsee you",InMail\r\n`;
    const said = 'the file ends in this row, without a line end, as a file cut short does';
    const cut = (text: string, by: number) => {
      const decoder = createTableDecoder('messages');
      const bytes = Buffer.from(text);
      const items: Decoded[] = [];
      for (let i = 0; i < bytes.length; i += by) items.push(...decoder.push(bytes.subarray(i, i + by)));
      return rejects([...items, ...decoder.end()]);
    };
    for (const by of [1, 7, 1 << 20]) {
      const [quoted] = cut(`${whole}4,2,3,u,s,"Hello,\r\nI wri`, by);
      expect(quoted).toMatchObject({ code: 'ROW_UNCLOSED_QUOTE', line: 4, column: 'body' });
      expect(quoted!.message).toContain(said);
      const [short] = cut(`${whole}4,2,3,u`, by);
      expect(short).toMatchObject({ code: 'ROW_FIELD_COUNT', line: 4 });
      expect(short!.message).toContain(said);
      // Ended by a line end (a lone CR too), the row was written so: a stray quote, a short row.
      for (const end of ['\r\n', '\n', '\r']) {
        for (const row of ['4,2,3,u,s,"Hello', '4,2,3,u']) {
          const [reject] = cut(`${whole}${row}${end}`, by);
          expect(reject!.message).not.toContain('cut short');
        }
      }
      // A whole last row without a line end (as Google Sheets writes a table's last row) is read.
      expect(cut(`${whole}4,2,3,u,s,b,InMail`, by)).toEqual([]);
    }
  });

  it('ROW_BAD_UTF8: invalid UTF-8 is rejected, not replaced', () => {
    const bytes = Buffer.concat([
      Buffer.from('candidate_hiringstate_id,name,type\nh1,'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',b\n'),
    ]);
    expect(rejects(decodeAll('hiring_states', bytes).items)).toMatchObject([
      { code: 'ROW_BAD_UTF8', line: 2 },
    ]);
  });

  it('ROW_BAD_UTF8: the same rows, however the bytes are cut and whatever the line endings', () => {
    // Valid multi-byte text, cut anywhere by chunks, next to rows with bad bytes, a quoted line break,
    // CRLF and lone CR endings, and a last row without a line ending.
    const good = (i: number) => Buffer.from(`h${i},"Zoë ${'é'.repeat(i % 5)}\nline",type ✓\n`);
    const bad = (i: number) =>
      Buffer.concat([Buffer.from(`h${i},x`), Buffer.from([0xc3]), Buffer.from(',y\r\n')]);
    const lone = (i: number) =>
      Buffer.concat([Buffer.from(`h${i},`), Buffer.from([0xe2, 0x82]), Buffer.from(',z\r')]);
    const parts = [Buffer.from('candidate_hiringstate_id,name,type\n')];
    const expected: number[] = [];
    let line = 2;
    for (let i = 0; i < 60; i++) {
      const kind = i % 7 === 3 ? 'bad' : i % 11 === 5 ? 'lone' : 'good';
      parts.push(kind === 'good' ? good(i) : kind === 'bad' ? bad(i) : lone(i));
      if (kind !== 'good') expected.push(line);
      line += kind === 'good' ? 2 : 1;
    }
    parts.push(Buffer.concat([Buffer.from('h99,'), Buffer.from([0xff]), Buffer.from(',end')]));
    expected.push(line);
    const bytes = Buffer.concat(parts);
    for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const decoder = createTableDecoder('hiring_states');
      const items: Decoded[] = [];
      for (let at = 0; at < bytes.length; at += size)
        items.push(...decoder.push(bytes.subarray(at, at + size)));
      items.push(...decoder.end());
      const bad = rejects(items);
      expect(
        bad.map((r) => r.line),
        `chunks of ${size}`,
      ).toEqual(expected);
      expect(new Set(bad.map((r) => r.code))).toEqual(new Set(['ROW_BAD_UTF8']));
      expect(items.filter((item) => item.kind === 'record')).toHaveLength(61 - expected.length);
    }
  });

  it('lines count line breaks inside quoted fields; offsets count the BOM', () => {
    const csv = '\uFEFFcandidate_hiringstate_id,name,type\n"h\n1","a\r\nb",c\nh2,x,"y\n"z\n';
    const { items } = decodeAll('hiring_states', csv);
    expect(items[0]).toMatchObject({ kind: 'record', line: 2, offset: 38 });
    expect(items[1]).toMatchObject({ kind: 'reject', reject: { line: 5, code: 'ROW_INVALID_QUOTE' } });
    expect(Buffer.from(csv).subarray(38, 41).toString()).toBe('"h\n');
  });
});

describe('lenient quotes', () => {
  const HEADER = 'candidate_hiringstate_id,name,type';
  // Row 2: a bare quote (inches); 3: bare quotes and a quoted field; 4: text after a closing quote; 5: fine.
  const csv = `${HEADER}\r\nh1,"5"" screen",5" screen\r\nh2,O"Brien "x,"a\nb"\nh3,"ok"x,y\rh4,,\n`;

  it('strict (the default) rejects a quote inside an unquoted field and says how to read it as text', () => {
    const { items, decoder } = decodeAll('hiring_states', csv);
    expect(rejects(items).map((r) => [r.line, r.code])).toEqual([
      [2, 'ROW_INVALID_QUOTE'],
      [3, 'ROW_INVALID_QUOTE'],
      [5, 'ROW_INVALID_QUOTE'],
    ]);
    expect(rejects(items)[1]!.message).toContain('a quote appears inside an unquoted field');
    expect(rejects(items)[1]!.message).toContain('lenient-quotes');
    expect(rejects(items)[2]!.message).toContain('text follows a closing quote');
    expect(decoder.stats).toMatchObject({
      rowsRead: 4,
      rowsDecoded: 1,
      rowsRejected: 3,
      rowsLenientQuotes: 0,
    });
  });

  it('lenient reads such quotes as text, counts those rows, and still rejects text after a closing quote', () => {
    const { items, decoder } = decodeAll('hiring_states', csv, { lenientQuotes: true });
    const got = items.map((i) => (i.kind === 'record' ? [i.line, i.record] : [i.reject.line, i.reject.code]));
    expect(got).toEqual([
      [2, { candidate_hiringstate_id: 'h1', name: '5" screen', type: '5" screen' }],
      [3, { candidate_hiringstate_id: 'h2', name: 'O"Brien "x', type: 'a\nb' }],
      [5, 'ROW_INVALID_QUOTE'],
      [6, { candidate_hiringstate_id: 'h4', name: null, type: null }],
    ]);
    expect(decoder.stats).toMatchObject({
      rowsRead: 4,
      rowsDecoded: 3,
      rowsRejected: 1,
      rowsLenientQuotes: 2,
    });
  });

  it('lenient reads a bare quote in the header as text; strict refuses the header', () => {
    const bare = 'candidate_hiringstate_id,name,type,size"\nh1,a,b,27"\n';
    expect(fatal(() => decodeAll('hiring_states', bare)).code).toBe('SCHEMA_BAD_HEADER');
    const { items, decoder } = decodeAll('hiring_states', bare, { lenientQuotes: true });
    expect(items).toMatchObject([{ kind: 'record', record: { 'size"': '27"' } }]);
    expect(decoder.stats.extraColumns).toEqual(['size"']);
  });

  it('JSON lines keep a bare quote as an escaped quote', () => {
    const sink = { buffer: Buffer.alloc(1024), length: 0, reserve: () => {} };
    const { items } = decodeAll('hiring_states', `${HEADER}\nh1,27" TV,"a ""b"""\n`, {
      lenientQuotes: true,
      jsonLines: sink,
    });
    expect(JSON.parse(sink.buffer.toString('utf8', 0, sink.length))).toEqual({
      candidate_hiringstate_id: 'h1',
      name: '27" TV',
      type: 'a "b"',
    });
    expect(items).toHaveLength(1);
  });
});

describe('times a program wrote with its zone named after the offset', () => {
  it("reads Go's and Java's spellings as the instant their offset says, in records and in JSON lines", () => {
    // A table re-written by a Go tool (time.Time.String()) and a Java one (ZonedDateTime.toString()).
    const csv =
      'interview_module_id,start_time,end_time\r\n' +
      'm1,2021-10-13 09:40:00.5 +0200 CEST,2021-10-13 07:40:00 +0000 UTC\r\n' +
      'm2,2021-10-13T07:40Z[UTC],2021-10-13T09:40:00+02:00[Europe/Paris]\r\n';
    const sink = { buffer: Buffer.alloc(1024), length: 0, reserve: () => {} };
    const { items } = decodeAll('interview_modules', csv, { jsonLines: sink });
    expect(rejects(items)).toEqual([]);
    const lines = sink.buffer
      .toString('utf8', 0, sink.length)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.start_time, line.end_time])).toEqual([
      ['2021-10-13T07:40:00.500Z', '2021-10-13T07:40:00.000Z'],
      ['2021-10-13T07:40:00.000Z', '2021-10-13T07:40:00.000Z'],
    ]);
    const records = decodeAll('interview_modules', csv).items;
    expect(records.map((item) => item.kind === 'record' && item.record.end_time)).toEqual([
      '2021-10-13T07:40:00.000Z',
      '2021-10-13T07:40:00.000Z',
    ]);
  });
});

describe('a time written without separators', () => {
  it('yyyyMMddHHmmss, yyyyMMddHHmm and yyyyMMdd are rejected with what they most likely are, not read as epoch milliseconds in 2610, 1976 or 1970', () => {
    const csv =
      'interview_module_id,start_time,end_time\r\n' +
      'm1,20211013074000,1634110800000\r\n' +
      'm2,1634110800000,19991231235959\r\n' +
      'm3,1634110800000,1634110800000\r\n' +
      'm4,20211013,1634110800000\r\n' +
      'm5,1634110800000,202110130740\r\n' +
      // Twelve digits that are no such time stay epoch milliseconds (2001-09-09), as before.
      'm6,999999999999,1634110800000\r\n';
    const sink = { buffer: Buffer.alloc(1024), length: 0, reserve: () => {} };
    for (const options of [{}, { jsonLines: sink }, { fields: ['interview_module_id'] }]) {
      const { items } = decodeAll('interview_modules', csv, options);
      expect(rejects(items).map((r) => [r.code, r.line])).toEqual([
        ['ROW_BAD_TIMESTAMP', 2],
        ['ROW_BAD_TIMESTAMP', 3],
        ['ROW_BAD_TIMESTAMP', 5],
        ['ROW_BAD_TIMESTAMP', 6],
      ]);
      expect(rejects(items)[2]!.message).toMatch(/a date written without separators \(yyyyMMdd\)/);
      expect(rejects(items)[3]!.message).toMatch(/without separators \(yyyyMMddHHmm\)/);
      expect(rejects(items)[0]!.message).toMatch(
        /"20211013074000".*written without separators \(yyyyMMddHHmmss\)/,
      );
    }
    const lines = sink.buffer.toString('utf8', 0, sink.length).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { interview_module_id: 'm3', start_time: '2021-10-13T07:40:00.000Z' },
      { interview_module_id: 'm6', start_time: '2001-09-09T01:46:39.999Z' },
    ]);
  });
});

describe('fatal errors', () => {
  it.each<[SchemaErrorCode, TableName, string]>([
    ['SCHEMA_MISSING_COLUMN', 'hiring_states', 'name,type\nx,y\n'],
    ['SCHEMA_DUPLICATE_COLUMN', 'hiring_states', 'candidate_hiringstate_id,Name, name \n'],
    ['SCHEMA_BAD_HEADER', 'hiring_states', 'candidate_hiringstate_id,"name"x\n'],
    ['SCHEMA_NO_HEADER', 'hiring_states', '\uFEFF\r\n\n'],
  ])('%s', (code, table, csv) => {
    const error = fatal(() => decodeAll(table, csv, { file: 'HiringStates.csv' }));
    expect(error.code).toBe(code);
    expect(error.message).toContain('HiringStates.csv');
    expect(error.message).toContain('hiring_states');
  });

  it('a column without a name (a comma at the end of every line) is an extra column named by its place', () => {
    const { items, decoder } = decodeAll(
      'hiring_states',
      'candidate_hiringstate_id,name,type,\nh1,a,b,\nh2,c,d,x\n',
    );
    expect(items.map((i) => (i.kind === 'record' ? i.record : i.reject.code))).toEqual([
      { candidate_hiringstate_id: 'h1', name: 'a', type: 'b', column4: null },
      { candidate_hiringstate_id: 'h2', name: 'c', type: 'd', column4: 'x' },
    ]);
    expect(decoder.stats.extraColumns).toEqual(['column4']);
  });

  it("a column without a name whose place's name another column has takes a suffix, as DuckDB names it", () => {
    // Before, the empty 4th cell was named column4 too, and the table refused for a repeated column.
    const { items, decoder } = decodeAll(
      'hiring_states',
      'candidate_hiringstate_id,name,type,,column4\nh1,a,b,x,y\nh2,c,d\n',
    );
    expect(items.map((i) => (i.kind === 'record' ? i.record : i.reject.code))).toEqual([
      { candidate_hiringstate_id: 'h1', name: 'a', type: 'b', column4_1: 'x', column4: 'y' },
      // A row short of the empty-named and the named column is a wrong field count still.
      'ROW_FIELD_COUNT',
    ]);
    expect(decoder.stats.extraColumns).toEqual(['column4_1', 'column4']);
  });

  it('a file without its header row fails on a missing column, never quoting a repeated value', () => {
    const error = fatal(() => decodeAll('candidates', '1001,2001,Mateo,Mateo,,,,,referral,3001\n'));
    expect(error).toMatchObject({ code: 'SCHEMA_MISSING_COLUMN', column: 'candidate_id' });
    expect(error.message).not.toContain('Mateo');
  });

  it('SCHEMA_MISSING_COLUMN names the table and column', () => {
    const error = fatal(() => decodeAll('hiring_states', 'name,type\n'));
    expect(error).toMatchObject({ table: 'hiring_states', column: 'candidate_hiringstate_id', line: 1 });
    expect(error.message).toContain('check that this file holds the hiring_states table');
  });

  it('SCHEMA_MISSING_COLUMN says to save with commas when the header is one column of another separator', () => {
    const semicolons = fatal(() => decodeAll('hiring_states', 'candidate_hiringstate_id;name;type\n1;a;b\n'));
    expect(semicolons.code).toBe('SCHEMA_MISSING_COLUMN');
    expect(semicolons.message).toContain('one column separated by ";": save the file with commas');
    const tabs = fatal(() => decodeAll('hiring_states', 'candidate_hiringstate_id\tname\ttype\n'));
    expect(tabs.message).toContain('separated by tabs');
  });

  it("passes over a spreadsheet's blank rows above the header (,,,) as empty lines, and counts them", () => {
    const { items, decoder } = decodeAll(
      'hiring_states',
      ',,\r\n,,,,\r\ncandidate_hiringstate_id,name,type\r\n1,Screen,interview\r\n2,Offer,\r\n,,\r\n',
    );
    const records = items.flatMap((item) => (item.kind === 'record' ? [item] : []));
    expect(records.map((r) => [r.line, r.record.name])).toEqual([
      [4, 'Screen'],
      [5, 'Offer'],
    ]);
    expect(decoder.stats).toMatchObject({ rowsRead: 2, rowsDecoded: 2, blankRows: 3 });
    // Cells of spaces are as blank; a table of blank rows alone says so.
    expect(
      decodeAll('hiring_states', ' , \t,\ncandidate_hiringstate_id,name,type\n1,a,b\n').items,
    ).toHaveLength(1);
    expect(fatal(() => decodeAll('hiring_states', ',,\n,,\n')).message).toContain(
      "holds only rows of empty cells (2, a spreadsheet's blank rows), no header row",
    );
    // A line of spaces or tabs alone above the header is as blank as it is among the rows.
    const spaced = decodeAll(
      'hiring_states',
      '   \r\n\t\ncandidate_hiringstate_id,name,type\r\n1,a,b\r\n  \r\n',
    );
    expect(spaced.items.map((item) => item.kind === 'record' && [item.line, item.record.name])).toEqual([
      [4, 'a'],
    ]);
    expect(spaced.decoder.stats).toMatchObject({ rowsRead: 1, rowsDecoded: 1, blankRows: 3 });
    expect(fatal(() => decodeAll('hiring_states', ' \n')).message).toContain(
      'holds only rows of empty cells (1,',
    );
    // A row with a value above the header is still no header.
    expect(fatal(() => decodeAll('hiring_states', ',x,\ncandidate_hiringstate_id,name,type\n')).code).toBe(
      'SCHEMA_MISSING_COLUMN',
    );
  });

  it("SCHEMA_MISSING_COLUMN says to delete a spreadsheet's sep= line of another separator above the header", () => {
    for (const line of ['SEP=;', '\uFEFFsep=\t']) {
      const error = fatal(() =>
        decodeAll('hiring_states', `${line}\r\ncandidate_hiringstate_id,name,type\r\n`),
      );
      expect(error).toMatchObject({ code: 'SCHEMA_MISSING_COLUMN', line: 1 });
      expect(error.message).toContain('"sep=" line: delete that line');
      // The rows below such a line are most likely separated so too: deleting the line would not do.
      expect(error.message).toContain(
        `as it says the fields are separated by ${line.endsWith('\t') ? 'tabs' : '";"'}, save the file with commas`,
      );
    }
    const comma = fatal(() =>
      decodeAll('hiring_states', '"sep=,"\r\ncandidate_hiringstate_id,name,type\r\n'),
    );
    expect(comma.message).toContain('"sep=" line: delete that line so the header comes first (as');
  });

  it('SCHEMA_MISSING_COLUMN tells a sep= or title line a spreadsheet padded to the width of the sheet', () => {
    const header = 'candidate_hiringstate_id,name,type\r\n1,Screen,interview\r\n';
    // Opened where sep= means nothing (a cell "sep=" beside an empty one) and saved again: padded.
    const sep = fatal(() => decodeAll('hiring_states', `sep=,,\r\n${header}`));
    expect(sep.message).toContain('"sep=" line: delete that line so the header comes first (as');
    const semicolon = fatal(() => decodeAll('hiring_states', `sep=;,,\r\n${header}`));
    expect(semicolon.message).toContain('separated by ";", save the file with commas');
    const title = fatal(() => decodeAll('hiring_states', `Stages of Jane Doe,,\r\n${header}`));
    expect(title.message).toContain('single cell, most likely a title above the header');
    expect(title.message).not.toContain('Jane');
    // Windows PowerShell's Export-Csv writes a #TYPE line above the header, and quotes every cell: read
    // past, as a sep=, line is; padded by a spreadsheet that saved it again, it is told.
    const typeLine = '#TYPE System.Management.Automation.PSCustomObject';
    const quoted = '"candidate_hiringstate_id","name","type"\r\n"1","Screen","interview"\r\n';
    const typed = decodeAll('hiring_states', `${typeLine}\r\n${quoted}`);
    expect(typed.items).toMatchObject([{ kind: 'record', line: 3, record: { name: 'Screen' } }]);
    expect(typed.decoder.stats).toMatchObject({ rowsRead: 1, rowsRejected: 0 });
    const type = fatal(() => decodeAll('hiring_states', `${typeLine},,\r\n${quoted}`));
    expect(type.message).toContain(
      '"#TYPE" line Windows PowerShell\'s Export-Csv writes above the header: delete that line',
    );
    // A header of one of the table's names and empty cells is no title.
    const cut = fatal(() => decodeAll('hiring_states', 'name,,\r\nScreen,,\r\n'));
    expect(cut.message).not.toContain('title');
  });

  it('SCHEMA_BAD_HEADER tells UTF-16 and other encodings from broken quoting', () => {
    const header = 'candidate_hiringstate_id,name,type\r\n';
    const message = (bytes: Buffer) => {
      const decoder = createTableDecoder('hiring_states');
      return fatal(() => [...decoder.push(bytes), ...decoder.end()]).message;
    };
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le')]);
    expect(message(le)).toContain('saved as UTF-16, not UTF-8');
    expect(message(Buffer.from(header, 'utf16le'))).toContain('saved as UTF-16, not UTF-8');
    expect(message(Buffer.from(header, 'utf16le').swap16())).toContain('saved as UTF-16, not UTF-8');
    // One zero byte in UTF-8 text is damage where it is, not another encoding.
    const nul = message(Buffer.from(header.replace('name', 'na\u0000me')));
    expect(nul).toContain('holds a zero byte in column 2, which no text has');
    expect(nul).not.toContain('UTF-16');
    expect(message(Buffer.from(`${header}`.replace('name', 'n\u00e9me'), 'latin1'))).toContain(
      'is not UTF-8; save the file as "CSV UTF-8"',
    );
    expect(message(Buffer.from('candidate_hiringstate_id,"name"x\n'))).toContain('has broken quoting;');
  });

  it('SCHEMA_BAD_OPTION and SCHEMA_UNKNOWN_TABLE', () => {
    expect(fatal(() => createTableDecoder('notes', { maxRecordBytes: 0 })).code).toBe('SCHEMA_BAD_OPTION');
    expect(fatal(() => createTableDecoder('notes', { nope: 1 } as DecodeOptions)).code).toBe(
      'SCHEMA_BAD_OPTION',
    );
    expect(
      fatal(() => createTableDecoder('notes', { lenientQuotes: 'yes' } as unknown as DecodeOptions)).code,
    ).toBe('SCHEMA_BAD_OPTION');
    expect(fatal(() => createTableDecoder('people' as TableName)).code).toBe('SCHEMA_UNKNOWN_TABLE');
  });

  it('SCHEMA_ABORTED and SCHEMA_ENDED', () => {
    const controller = new AbortController();
    const decoder = createTableDecoder('notes', { signal: controller.signal });
    controller.abort();
    expect(fatal(() => decoder.push(Buffer.from('x'))).code).toBe('SCHEMA_ABORTED');
    const done = createTableDecoder('hiring_states');
    done.push(Buffer.from('candidate_hiringstate_id\n'));
    done.end();
    expect(fatal(() => done.push(Buffer.from('x'))).code).toBe('SCHEMA_ENDED');
  });

  it('CSV_RECORD_TOO_LARGE: an unclosed quote in a huge table fails fast in flat memory', () => {
    const decoder = createTableDecoder('messages', { file: 'Messages.csv', maxRecordBytes: 1024 * 1024 });
    decoder.push(Buffer.from('message_id,project_id,candidate_id,body\nm1,p1,c1,ok\nm2,p1,c1,"never closed'));
    const chunk = Buffer.alloc(64 * 1024, 'a,b\n');
    let pushed = 0;
    const error = fatal(() => {
      // Up to 1 GB if nothing stopped it.
      for (; pushed < 16 * 1024; pushed += 1) decoder.push(chunk);
    });
    expect(error).toMatchObject({ code: 'CSV_RECORD_TOO_LARGE', line: 3, offset: 52 });
    expect(error.message).toContain('Messages.csv line 3 (byte 52)');
    expect(pushed).toBeLessThanOrEqual(17);
  });
});

describe('a Ctrl-Z at the end', () => {
  const body = 'candidate_hiringstate_id,name,type\r\n1,Contacted,sourcing\r\n2,Hired,hired';
  it.each([
    ['after the last line ending', `${body}\r\n\x1a`],
    ['right after the last row', `${body}\x1a`],
  ])('is the end-of-file mark, not a row: %s', (_, csv) => {
    const bytes = Buffer.from(csv);
    // One chunk, and byte by byte (the mark held back at a chunk's end until the next one comes).
    for (const chunks of [[bytes], [...bytes].map((b) => Buffer.from([b]))]) {
      const decoder = createTableDecoder('hiring_states');
      const items = [...chunks.flatMap((c) => decoder.push(c)), ...decoder.end()];
      expect(rejects(items)).toEqual([]);
      expect(items.map((i) => (i.kind === 'record' ? i.record.type : undefined))).toEqual([
        'sourcing',
        'hired',
      ]);
      expect(decoder.stats.bytes).toBe(bytes.length);
      // Ended between records: a worker's slice result is usable.
      expect(decoder.resume).toBeDefined();
    }
  });

  it('is text anywhere else', () => {
    const { items } = decodeAll('hiring_states', 'candidate_hiringstate_id,name,type\n1,a\x1ab,c\x1a\n');
    expect(items.map((i) => (i.kind === 'record' ? [i.record.name, i.record.type] : []))).toEqual([
      ['a\x1ab', 'c\x1a'],
    ]);
  });
});

describe('no-break spaces around a value', () => {
  // A spreadsheet in French (and other languages) pads numbers with them, a web page pastes them: read
  // past as spaces are, where JavaScript's Number and Python's float read them too.
  const nbsp = '\u00a0';
  const narrow = '\u202f';

  it('around a number, a boolean or a time: read past, as spaces are', () => {
    const csv = [
      'feedback_id,candidate_id,project_id,recommendation_score,approved_for_referral',
      `1,2,3,${nbsp}4.5${nbsp},${narrow}true`,
      `2,2,3,${nbsp},${nbsp}`,
    ].join('\n');
    const { items } = decodeAll('feedbacks', csv);
    expect(
      items.map((item) =>
        item.kind === 'record'
          ? [item.record.recommendation_score, item.record.approved_for_referral]
          : item.reject.message,
      ),
    ).toEqual([
      [4.5, true],
      [null, null],
    ]);
    const times = decodeAll(
      'interview_modules',
      `interview_module_id,start_time,end_time\n1,2021-10-13 07:40:00${nbsp},${nbsp}1634110800000\n`,
    );
    expect(
      times.items.map((item) => item.kind === 'record' && [item.record.start_time, item.record.end_time]),
    ).toEqual([['2021-10-13T07:40:00.000Z', '2021-10-13T07:40:00.000Z']]);
    // Cut to their month (`cutTimes`) too.
    const rows: unknown[][] = [];
    decodeAll(
      'custom_field_values',
      `custom_field_id,entity_type,entity_id,created_time\n1,candidate,c1,${nbsp}2024-05-31 23:59:59\n`,
      {
        fields: ['created_time'],
        fieldRows: (values) => rows.push([...values]),
        cutTimes: { created_time: 7 },
      },
    );
    expect(rows).toEqual([['2024-05']]);
  });

  it('ids and text keep them, as written', () => {
    const { items } = decodeAll('notes', `note_id,content\n1${nbsp},${nbsp}x\n`);
    expect(items.map((item) => item.kind === 'record' && [item.record.note_id, item.record.content])).toEqual(
      [[`1${nbsp}`, `${nbsp}x`]],
    );
  });
});

describe('a header with spaces around quoted names', () => {
  it('is read by its names, as DuckDB reads it', () => {
    const { items, decoder } = decodeAll(
      'hiring_states',
      '"Candidate Hiringstate Id" , "Name" ,TYPE,  "say ""hi"""\r\n1,a,b,c\r\n',
    );
    expect(rejects(items)).toEqual([]);
    expect(items.map((i) => (i.kind === 'record' ? i.record : undefined))).toEqual([
      { candidate_hiringstate_id: '1', name: 'a', type: 'b', 'say "hi"': 'c' },
    ]);
    expect(decoder.header).toEqual(['Candidate Hiringstate Id', 'Name', 'TYPE', 'say "hi"']);
  });

  it('is still refused when its quoting is broken otherwise', () => {
    const error = fatal(() => decodeAll('hiring_states', '"id"x,name,type\r\n1,a,b\r\n'));
    expect(error.code).toBe('SCHEMA_BAD_HEADER');
  });
});

describe("R's write.csv", () => {
  // Every name and text cell quoted, a missing value a bare NA (ids and text too), row names first.
  const csv = [
    '"","candidate_id","project_id","first_name","emails","hiring_state_id"',
    '"1","1000000003",NA,"NA",NA,NA',
    '"2","1000000051","500006500",NA,"a@x.org; NA","100001461"',
    '',
  ].join('\n');

  it('writes a missing value as a bare NA under a header quoted throughout: an empty cell', () => {
    const { items, decoder } = decodeAll('candidates', csv);
    expect(rejects(items)).toEqual([]);
    const records = items.map((i) => (i.kind === 'record' ? i.record : undefined));
    expect(records.map((r) => [r?.project_id, r?.first_name, r?.emails, r?.hiring_state_id])).toEqual([
      [null, 'NA', null, null],
      ['500006500', null, ['a@x.org', 'NA'], '100001461'],
    ]);
    // A decoder carrying on from a cut reads the rest alike.
    expect(decoder.resume).toMatchObject({ quotedHeader: true });
  });

  it('carries on from a cut with the header quoted throughout', () => {
    const first = createTableDecoder('candidates');
    first.push(Buffer.from(`${csv.split('\n')[0]}\n`));
    const at = first.resume!;
    const next = createTableDecoder('candidates', { continueAt: at });
    const items = [...next.push(Buffer.from(`${csv.split('\n')[1]}\n`)), ...next.end()];
    expect(items.map((i) => (i.kind === 'record' ? i.record.project_id : 'reject'))).toEqual([null]);
  });

  it('leaves a bare NA as text where the header is not quoted (Talent Hub quotes only where needed)', () => {
    const plain = 'candidate_id,project_id,tags\n1,NA,NA\n';
    const { items } = decodeAll('candidates', plain);
    expect(items.map((i) => (i.kind === 'record' ? [i.record.project_id, i.record.tags] : []))).toEqual([
      ['NA', ['NA']],
    ]);
  });
});

describe('ids a spreadsheet rounded', () => {
  it('are counted with a few examples: their digits are lost', () => {
    const csv = [
      'message_id,project_id,candidate_id,body',
      '6.91912E+18,5.00005E+8,1,a',
      '6.91912E+18,500005035,1,b',
      '6919122000000000002,1.5,1,c',
      '',
    ].join('\n');
    const { decoder } = decodeAll('messages', csv);
    expect(decoder.stats.roundedIds).toBe(3);
    expect(decoder.stats.roundedIdExamples).toEqual(['6.91912E+18', '5.00005E+8']);
  });

  it('ids with a zero fraction (pandas) are counted apart: their digits are there, but match nothing', () => {
    const csv = [
      'message_id,project_id,candidate_id,body',
      '1.0,500005030.00,10,a',
      '2,500005030,1000000003.0,b',
      '3,12.5,0.,c',
      '',
    ].join('\n');
    const { decoder } = decodeAll('messages', csv);
    expect(decoder.stats.roundedIds).toBe(0);
    expect(decoder.stats.decimalIds).toBe(3);
    expect(decoder.stats.decimalIdExamples).toEqual(['1.0', '500005030.00', '1000000003.0']);
  });
});

describe('numbers holding more than a double', () => {
  it('are counted and read as the nearest double', () => {
    const csv = 'feedback_id,recommendation_score\n1,9007199254740993\n2,4.5\n3,1e-400\n4,9007199254740992\n';
    const { items, decoder } = decodeAll('feedbacks', csv);
    expect(items.map((i) => i.kind === 'record' && i.record.recommendation_score)).toEqual([
      9007199254740992, 4.5, 0, 9007199254740992,
    ]);
    expect(decoder.stats.numbersRounded).toBe(2);
  });
});

describe('phone numbers a spreadsheet rounded', () => {
  it('are counted, never shown: their digits are lost', () => {
    const csv = [
      'candidate_id,phone_numbers,tags',
      '1,4.15555E+09,a',
      '2,1.23457E+11,b',
      '3,"4,15555E+09",c',
      '4,+1 415 555 0123;4155550123,d',
      '5,1.415.555.0123,e',
      '6,4155550123,1.23457E+11',
      '',
    ].join('\n');
    for (const fields of [undefined, ['candidate_id']]) {
      const { items, decoder } = decodeAll('candidates', csv, fields ? { fields } : {});
      expect(items.every((i) => i.kind === 'record')).toBe(true);
      expect(decoder.stats.roundedPhones).toBe(3);
    }
  });
});

describe('names a save lost the letters of', () => {
  it('are counted when made of question marks, never shown', () => {
    const csv = [
      'candidate_id,first_name,last_name,tags',
      '1,???,?? ??,a',
      '2,José,Ng?,??',
      '3,"?.-? ?",O\'?,b',
      '',
    ].join('\n');
    for (const fields of [undefined, ['candidate_id']]) {
      const { items, decoder } = decodeAll('candidates', csv, fields ? { fields } : {});
      expect(items.every((i) => i.kind === 'record')).toBe(true);
      expect(decoder.stats.lostNames).toBe(3);
    }
  });
});

describe('names read in the wrong encoding and saved so', () => {
  it('are counted (José saved as JosÃ©), names spelled with Ã or Â are not', () => {
    const garble = (name: string) => Buffer.from(name, 'utf8').toString('latin1');
    // Windows-1252 reads 0x80 to 0x9F otherwise than Latin-1: "ä" (C3 A4) gives "Ã¤", "š" (C5 A1) "Å¡".
    const csv = [
      'candidate_id,first_name,last_name',
      `1,${garble('José')},Ng`,
      `2,Ann,${garble('Müller-Lüdenscheidt')}`,
      '3,Ãngel,Âge',
      '4,Éric,Ørsted',
      `5,${'JosÃ†'},x`,
      '',
    ].join('\n');
    const { items, decoder } = decodeAll('candidates', csv);
    expect(items.every((i) => i.kind === 'record')).toBe(true);
    expect(decoder.stats.garbledNames).toBe(3);
  });
});

describe('times on the day of epoch 0', () => {
  const csv = [
    'interview_module_id,start_time,end_time',
    '1,0,1970-01-01 00:00:00',
    '2,1969-12-31 19:00:00,1634110800000',
    '3,2021-10-13 07:40:00,1970-01-01T00:00:00Z',
    '4,1999-12-31 23:59:59,0000000000',
    '5,1634110800,1971-01-01 00:00:00',
    '',
  ].join('\n');

  it('are counted by column, and read as the times they spell: a placeholder for an unknown time', () => {
    const { items, decoder } = decodeAll('interview_modules', csv);
    expect(items.map((i) => (i.kind === 'record' ? i.record.start_time : i.reject.code))).toEqual([
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T19:00:00.000Z',
      '2021-10-13T07:40:00.000Z',
      '1999-12-31T23:59:59.000Z',
      '2021-10-13T07:40:00.000Z',
    ]);
    expect(decoder.stats.epochTimes).toBe(5);
    expect(decoder.stats.epochTimeColumns).toEqual(['start_time', 'end_time']);
  });

  it('are counted alike when times are only checked, or cut to their month', () => {
    const checked = decodeAll('interview_modules', csv, { fields: ['interview_module_id'] });
    expect(checked.decoder.stats.epochTimes).toBe(5);
    const months = decodeAll('interview_modules', csv, {
      fields: ['start_time', 'end_time'],
      fieldRows: () => {},
      cutTimes: { start_time: 7, end_time: 7 },
    });
    expect(months.decoder.stats.epochTimes).toBe(5);
    expect(months.decoder.stats.epochTimeColumns).toEqual(['start_time', 'end_time']);
  });
});

describe('a NUL in the last row', () => {
  it('is text when the row goes on after it (no line ending at the end): the table was not cut and padded', () => {
    for (const last of ['2,"c\x00d"', '2,c\x00d']) {
      const { items } = decodeAll('notes', `note_id,content\n1,"a\x00b"\n${last}`);
      expect(items.map((i) => (i.kind === 'record' ? i.record.content : i.reject.code))).toEqual([
        'a\x00b',
        'c\x00d',
      ]);
    }
  });

  it('ending the table is padding', () => {
    const { items } = decodeAll('notes', 'note_id,content\n1,ok\n2,abc\x00\x00\x00\x00');
    expect(items.map((i) => (i.kind === 'record' ? i.record.content : i.reject.code))).toEqual([
      'ok',
      'ROW_ZERO_PADDED',
    ]);
  });
});

describe('a row that is not UTF-8', () => {
  it("keeps its letters in the reject's raw text: UTF-8 where it is, other bytes as Windows-1252", () => {
    const row = Buffer.concat([
      Buffer.from('1,N'),
      Buffer.from([0xfa, 0xf1]), // úñ as Windows-1252 writes them
      Buffer.from('ez – é,'),
      Buffer.from([0x80, 0xed, 0xa0, 0x80, 0xc3]), // €, a surrogate's bytes, a cut sequence
      Buffer.from('\n'),
    ]);
    const { items } = decodeAll(
      'hiring_states',
      Buffer.concat([Buffer.from('candidate_hiringstate_id,name,type\n'), row]),
    );
    const [reject] = rejects(items);
    expect(reject?.code).toBe('ROW_BAD_UTF8');
    expect(reject?.raw).toBe('1,Núñez – é,€í\u00a0\u20acÃ');
    expect(reject?.message).toContain('the raw text shows those bytes as Windows-1252 reads them');
  });
});

describe('a row whose characters past U+FFFF are written as two halves', () => {
  const table = (...rows: Buffer[]) =>
    decodeAll('hiring_states', Buffer.concat([Buffer.from('candidate_hiringstate_id,name,type\n'), ...rows]));
  // 😀 (U+1F600) is F0 9F 98 80 in UTF-8; CESU-8 (Java's modified UTF-8, Oracle's "UTF8") writes the UTF-16
  // halves D83D DE00 as three bytes each.
  const cesu = Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]);

  it('says CESU-8, not a spreadsheet encoding, and what to do', () => {
    const { items } = table(Buffer.from('1,Zo\u00eb '), cesu, Buffer.from(',x\n2,ok,y\n'));
    const [reject] = rejects(items);
    expect(reject).toMatchObject({ code: 'ROW_BAD_UTF8', line: 2 });
    expect(reject?.message).toContain('written as two halves of three bytes each (CESU-8');
    expect(reject?.message).not.toContain('Windows-1252');
    // The raw text shows the character the halves make.
    expect(reject?.raw).toBe('1,Zo\u00eb \u{1f600},x');
    expect(items).toHaveLength(2);
  });

  it('says a half alone is a character cut in two', () => {
    const { items } = table(Buffer.from('1,a'), cesu.subarray(0, 3), Buffer.from(',x\n'));
    expect(rejects(items)[0]?.message).toContain('half of a character past U+FFFF');
  });
});

describe('a quoted field after a space', () => {
  it('is rejected saying the file puts a space after each comma', () => {
    const { items } = decodeAll('hiring_states', 'candidate_hiringstate_id,name,type\n1, "a, b", c\n');
    const [reject] = rejects(items);
    expect(reject?.code).toBe('ROW_INVALID_QUOTE');
    expect(reject?.message).toContain('a quoted field follows a space after its comma');
  });

  it('is not said of a field of spaces, quoted or last, whatever the bytes after it', () => {
    const header = 'candidate_hiringstate_id,name,type\n';
    // The space of `" "` runs to its closing quote.
    const [quoted] = rejects(decodeAll('hiring_states', `${header}1," ",x"y\n`).items);
    expect(quoted?.message).toContain('a quote appears inside an unquoted field');
    // A last row over two chunks is read from a buffer of the scanner's, which an earlier table's row of
    // quotes filled: the bytes past the row's last cell of spaces are those quotes.
    const quotes = Buffer.from(`${header}1,"${'""'.repeat(4000)}",b\n`);
    const earlier = createTableDecoder('hiring_states');
    earlier.push(quotes.subarray(0, 100));
    earlier.push(quotes.subarray(100));
    earlier.end();
    const csv = Buffer.from(`${header}1,x"y,  `);
    const decoder = createTableDecoder('hiring_states');
    const items = [
      ...decoder.push(csv.subarray(0, header.length + 3)),
      ...decoder.push(csv.subarray(header.length + 3)),
      ...decoder.end(),
    ];
    expect(rejects(items)[0]?.message).toContain('a quote appears inside an unquoted field');
  });
});

describe('spaces after the closing quote of a field', () => {
  it('are rejected naming the column and the spaces, not told to quote a field that is quoted', () => {
    const csv =
      'candidate_hiringstate_id,name,type\n"1" ,a,b\n2,"Phone, screen"\t,c\n3,a,"b"  \n4,"a ""x"" " ,c\n5,"a"b,c\n';
    const found = rejects(decodeAll('hiring_states', csv).items).map((r) => [r.line, r.code, r.column]);
    expect(found).toEqual([
      [2, 'ROW_INVALID_QUOTE', 'candidate_hiringstate_id'],
      [3, 'ROW_INVALID_QUOTE', 'name'],
      [4, 'ROW_INVALID_QUOTE', 'type'],
      [5, 'ROW_INVALID_QUOTE', 'name'],
      [6, 'ROW_INVALID_QUOTE', undefined],
    ]);
    const messages = rejects(decodeAll('hiring_states', csv).items).map((r) => r.message);
    for (const message of messages.slice(0, 4)) {
      expect(message).toContain('spaces or tabs follow the closing quote');
      expect(message).not.toContain('quote the whole field');
    }
    expect(messages[4]).toContain('text follows a closing quote');
  });
});

describe('Excel\'s text formula (="0042") in a cell', () => {
  it('is rejected naming the column and the formula, not told to quote the field', () => {
    const { items } = decodeAll(
      'projects',
      'project_id,project_name,Ref\n="0042",Data,x\n7,Ops,="0099"\n8,"=""0042""",y\n',
    );
    expect(rejects(items).map((r) => [r.line, r.code, r.message.split('table projects: ')[1]])).toEqual([
      [
        2,
        'ROW_INVALID_QUOTE',
        'column "project_id" is written as Excel\'s text formula (="..."), as a tool writing a CSV for Excel keeps an id\'s leading zeros, and its quotes are inside an unquoted field; write the table again with the values alone, or take it from export.zip again.',
      ],
      [3, 'ROW_INVALID_QUOTE', expect.stringContaining('column "Ref" is written as Excel\'s text formula')],
    ]);
    // Quoted as CSV quotes it, it is text like any other.
    expect(items.flatMap((item) => (item.kind === 'record' ? [item.record.project_name] : []))).toEqual([
      '="0042"',
    ]);
  });
});

describe('cellTexts', () => {
  it("gives each record its row's cells as written, in the header's order, unquoted", () => {
    const csv = `custom_field_id,entity_type,entity_id,custom_field_values,created_time\n"0012",candidate,7,"a; ""b""",1640171967\n8,candidate,9,,\n`;
    const { items } = decodeAll('custom_field_values', csv, { cellTexts: true });
    expect(items.map((item) => (item.kind === 'record' ? item.texts : undefined))).toEqual([
      ['0012', 'candidate', '7', 'a; "b"', '1640171967'],
      ['8', 'candidate', '9', '', ''],
    ]);
    const plain = decodeAll('custom_field_values', csv).items;
    expect(plain.every((item) => item.kind === 'record' && item.texts === undefined)).toBe(true);
  });

  it('is refused with fieldRows', () => {
    expect(() =>
      createTableDecoder('messages', { cellTexts: true, fields: ['message_id'], fieldRows: () => {} }),
    ).toThrow(/cellTexts/);
  });
});
