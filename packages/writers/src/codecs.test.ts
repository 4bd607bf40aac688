import type { Transform } from 'node:stream';
import type { FieldSchema } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, encodeCsvRow } from './csv.js';
import { encodeNdjsonLine } from './index.js';
import { parquetSchema } from './parquet.js';
import { csvStream, ndjsonStream } from './streams.js';
import { KITCHEN } from './test-support.js';
import { checkValue } from './values.js';

const record = {
  id: '0012',
  note: 'a "b", c\nd',
  size: 3,
  score: 0.5,
  ok: false,
  at: '2021-01-26T17:45:00.000Z',
  tags: ['x;y', ''],
};

describe('codecs', () => {
  it('NDJSON: schema order, missing fields as null, extras after, one line', () => {
    const line = encodeNdjsonLine({ zz: 1, tags: [], id: '1' }, KITCHEN);
    expect(line).toBe(
      '{"id":"1","note":null,"size":null,"score":null,"ok":null,"at":null,"tags":[],"zz":1}\n',
    );
    expect(encodeNdjsonLine(record, KITCHEN).split('\n')).toHaveLength(2);
  });

  it('CSV: quotes only when needed, "" for empty strings, lists as JSON text', () => {
    expect(csvHeader(KITCHEN)).toBe('id,note,size,score,ok,at,tags\n');
    expect(encodeCsvRow(record, KITCHEN)).toBe(
      '0012,"a ""b"", c\nd",3,0.5,false,2021-01-26T17:45:00.000Z,"[""x;y"",""""]"\n',
    );
    expect([csvCell(null), csvCell(''), csvCell('plain'), csvCell('cr\r'), csvCell([])]).toEqual([
      '',
      '""',
      'plain',
      '"cr\r"',
      '"[]"',
    ]);
  });

  it('checkValue refuses values that would be lost or mistyped', () => {
    const f = (type: FieldSchema['type']): FieldSchema => ({
      name: 'f',
      type,
      required: false,
      pii: 'none',
      description: '',
    });
    const where = { table: 't', row: 7 };
    const bad: [FieldSchema['type'], unknown][] = [
      ['integer', 2 ** 53],
      ['integer', 1.5],
      ['number', Number.NaN],
      ['timestamp', '2021-01-26T17:45:00+01:00'],
      ['timestamp', '2021-13-45T17:45:00.000Z'],
      ['list', 'a;b'],
      ['list', ['a', 1]],
      ['id', 12],
      ['boolean', 'true'],
    ];
    for (const [type, value] of bad) {
      expect(() => checkValue(f(type), value as never, where)).toThrow(
        expect.objectContaining({ code: 'WRITER_BAD_VALUE' }),
      );
    }
    expect(checkValue(f('timestamp'), '2021-01-26T17:45:00.123456Z', where)).toBe(
      '2021-01-26T17:45:00.123456Z',
    );
    expect(checkValue(f('text'), undefined as never, where)).toBeNull();
  });

  it('Parquet schema: 3-level LIST of strings, UTC millisecond timestamps', () => {
    const schema = parquetSchema(KITCHEN);
    expect(schema[0]).toEqual({ name: 'root', num_children: 7 });
    expect(schema.slice(-3).map((element) => [element.name, element.repetition_type])).toEqual([
      ['tags', 'OPTIONAL'],
      ['list', 'REPEATED'],
      ['element', 'REQUIRED'],
    ]);
  });

  it('stream adapters give the same bytes as the pure encoders', async () => {
    const collect = async (stream: Transform) => {
      const chunks: string[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
      stream.write(record);
      stream.end({ id: '2' });
      await new Promise((resolve) => stream.on('end', resolve));
      return chunks.join('');
    };
    expect(await collect(ndjsonStream(KITCHEN))).toBe(
      encodeNdjsonLine(record, KITCHEN) + encodeNdjsonLine({ id: '2' }, KITCHEN),
    );
    expect(await collect(csvStream(KITCHEN))).toBe(
      csvHeader(KITCHEN) + encodeCsvRow(record, KITCHEN) + encodeCsvRow({ id: '2' }, KITCHEN),
    );
  });
});
