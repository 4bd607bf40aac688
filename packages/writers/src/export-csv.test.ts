import { createTableDecoder, SCHEMAS } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { encodeExportRow, exportCell, exportColumns, exportHeaderLine } from './export-csv.js';

describe('export-shaped CSV', () => {
  it('keeps the header as written and its order; extra columns keep their values only when kept', () => {
    const header = ['Note_ID', 'content', 'source', 'candidate_id', 'secret'];
    const columns = exportColumns(header, SCHEMAS.notes.fields, ['source']);
    expect(columns.map((c) => [c.header, c.key])).toEqual([
      ['Note_ID', 'note_id'],
      ['content', 'content'],
      ['source', 'source'],
      ['candidate_id', 'candidate_id'],
      ['secret', 'secret'],
    ]);
    expect(exportHeaderLine(columns)).toBe('Note_ID,content,source,candidate_id,secret\n');
    const row = { note_id: 'n1', content: 'hi', source: 'web', candidate_id: 'c1', secret: 'José' };
    expect(encodeExportRow(row, columns)).toBe('n1,hi,web,c1,\n');
  });

  it('matches headers as the schema does: retyped with spaces, hyphens or in camel case', () => {
    const columns = exportColumns(['Note ID', 'candidate-id', 'OwnerProfileUrl'], SCHEMAS.notes.fields);
    expect(columns.map((c) => [c.header, c.key, c.emptied ?? false])).toEqual([
      ['Note ID', 'note_id', false],
      ['candidate-id', 'candidate_id', false],
      ['OwnerProfileUrl', 'owner_profile_url', false],
    ]);
  });

  it('writes lists with ";", times in one form (yyyy-MM-dd HH:mm:ss, a fraction as decoded), quotes as needed', () => {
    expect(exportCell(['a', 'b c'])).toBe('a;b c');
    expect(exportCell(['a,b', 'c'])).toBe('"a,b;c"');
    expect(exportCell([])).toBe(';');
    expect(exportCell('2021-10-13T07:40:00.000Z', true)).toBe('2021-10-13 07:40:00');
    // Not epoch milliseconds off the whole second: a column of two forms reads back as text elsewhere.
    expect(exportCell('2021-10-13T07:40:00.123Z', true)).toBe('2021-10-13 07:40:00.123');
    expect(exportCell('2021-10-13T07:40:00.120Z', true)).toBe('2021-10-13 07:40:00.120');
    expect(exportCell('2021-10-13T07:40:00.123456Z', true)).toBe('2021-10-13 07:40:00.123456');
    expect(exportCell('1969-12-31T23:59:58.500Z', true)).toBe('1969-12-31 23:59:58.500');
    expect(exportCell('1970-04-26T17:46:40.001Z', true)).toBe('1970-04-26 17:46:40.001');
    expect(exportCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(exportCell(' padded')).toBe('" padded"');
    expect([exportCell(null), exportCell(4.5), exportCell(true)]).toEqual(['', '4.5', 'true']);
  });

  it('the schema reads back what it wrote, value for value', () => {
    const fields = SCHEMAS.custom_field_definitions.fields;
    const columns = exportColumns(
      fields.map((f) => f.name.toUpperCase()),
      fields,
    );
    const record = {
      custom_field_id: '0042',
      entity_type: 'candidate',
      description: 'Line one,\n"two"',
      name: ' Level ',
      state: null,
      type: 'multivalued',
      custom_field_definition_values: ['Junior', 'Senior, Staff'],
      created_time: '2020-02-29T23:59:59.000Z',
      last_modified: '1999-12-31T00:00:00.007Z',
    };
    const before1970 = {
      ...record,
      custom_field_id: '0043',
      created_time: '1969-07-20T20:17:40.250Z',
      last_modified: '1970-02-01T00:00:00.500Z',
    };
    const noValues = {
      ...record,
      custom_field_id: '0044',
      custom_field_definition_values: [],
      last_modified: '2021-03-04T05:06:07.123456Z',
    };
    const decoder = createTableDecoder('custom_field_definitions');
    const text =
      exportHeaderLine(columns) +
      encodeExportRow(record, columns) +
      encodeExportRow(before1970, columns) +
      encodeExportRow(noValues, columns);
    const items = [...decoder.push(Buffer.from(text)), ...decoder.end()];
    expect(items).toMatchObject([
      { kind: 'record', record },
      { kind: 'record', record: before1970 },
      { kind: 'record', record: noValues },
    ]);
    expect(items).toHaveLength(3);
  });
});

describe('export-shaped CSV from the rows decoded', () => {
  const header = ['interview_module_id', 'description', 'name', 'state', 'start_time', 'end_time'];
  const csv = `${header.join(',')}\n0012,"a, b",n,TRUE,1640171967,"01640171967372"\n`;
  const columns = exportColumns(header, SCHEMAS.interview_modules.fields);
  const [item] = createTableDecoder('interview_modules', { cellTexts: true }).push(Buffer.from(csv));
  if (item?.kind !== 'record') throw new Error('no record');

  it('writes the cells of values left as decoded as they were written, quoted only where needed', () => {
    expect(encodeExportRow(item.record, columns, item)).toBe(
      '0012,"a, b",n,TRUE,1640171967,01640171967372\n',
    );
  });

  it('writes a changed value in the export form, and an emptied one empty', () => {
    const changed = { ...item.record, start_time: '2020-01-02T03:04:05.600Z', name: null };
    expect(encodeExportRow(changed, columns, item)).toBe(
      '0012,"a, b",,TRUE,2020-01-02 03:04:05.600,01640171967372\n',
    );
  });

  it('takes a list made anew with the same items for the one decoded', () => {
    const lists = exportColumns(
      ['custom_field_id', 'custom_field_definition_values'],
      SCHEMAS.custom_field_definitions.fields,
    );
    const [row] = createTableDecoder('custom_field_definitions', { cellTexts: true }).push(
      Buffer.from('custom_field_id,custom_field_definition_values\n7,a; b\n8,c; d\n'),
    );
    if (row?.kind !== 'record') throw new Error('no record');
    const values = row.record.custom_field_definition_values as string[];
    expect(encodeExportRow({ ...row.record, custom_field_definition_values: [...values] }, lists, row)).toBe(
      '7,a; b\n',
    );
    expect(encodeExportRow({ ...row.record, custom_field_definition_values: ['a', 'x'] }, lists, row)).toBe(
      '7,a;x\n',
    );
  });
});
