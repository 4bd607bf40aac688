import { describe, expect, it } from 'vitest';
import { createTableDecoder, type Decoded, type Reject, shiftReject, type TypedRecord } from './decoder.js';
import { SchemaError } from './errors.js';
import type { DecodeOptions } from './options.js';
import {
  createReferenceChecker,
  REFERENCE_CHECKS,
  REFERENCE_ORDER,
  type ReferenceReport,
  referenceColumns,
} from './references.js';
import { SCHEMAS, TABLE_NAMES, type TableName } from './tables.js';

const b = (text: string) => Buffer.from(text);
const MESSAGES_HEADER = SCHEMAS.messages.fields.map((f) => f.name);
const HEADER_LINE = MESSAGES_HEADER.join(',');

function errorOf(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return error as SchemaError;
  }
  throw new Error('expected a SchemaError');
}

const rejectsOf = (items: Decoded[]): Reject[] =>
  items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));

describe('resume', () => {
  it('is undefined until the header is read, mid-record and after a CR, defined between records', () => {
    const d = createTableDecoder('messages');
    let bytes = 0;
    const items: Decoded[] = [];
    const push = (text: string) => {
      bytes += Buffer.byteLength(text);
      items.push(...d.push(b(text)));
    };
    const at = (line: number) => ({ header: MESSAGES_HEADER, offset: bytes, line });
    expect(d.resume).toBeUndefined();
    push('\uFEFF'); // the BOM alone: no header yet
    expect(d.resume).toBeUndefined();
    push(HEADER_LINE.slice(0, 15));
    expect(d.resume).toBeUndefined();
    push(HEADER_LINE.slice(15));
    expect(d.resume).toBeUndefined(); // the header's line end has not arrived
    push('\n');
    expect(d.resume).toEqual({ header: MESSAGES_HEADER, offset: 3 + HEADER_LINE.length + 1, line: 2 });
    expect(d.resume).toEqual(at(2));

    push('m1,p1,c1,u,s,"body');
    expect(d.resume).toBeUndefined(); // inside a quoted field
    push('\nmore ünï');
    expect(d.resume).toBeUndefined();
    push('"');
    expect(d.resume).toBeUndefined(); // a quote: the field may go on ("") or end
    push(',t\r');
    expect(d.resume).toBeUndefined(); // a CR whose LF may still come
    push('\n');
    expect(d.resume).toEqual(at(4)); // the record had an LF inside quotes

    push('m2,p1');
    expect(d.resume).toBeUndefined(); // mid-field
    push(',c1,,,,t');
    expect(d.resume).toBeUndefined(); // the last field may go on
    push('\n');
    expect(d.resume).toEqual(at(5));

    push('\n\r'); // blank lines: no rows, but lines
    expect(d.resume).toBeUndefined();
    push('\n');
    expect(d.resume).toEqual(at(7));

    const m3 = 'm3,p,c,,,"x\ry\r\nz",t\r'; // inside quotes a CR and a CRLF are a line each; a lone CR ends it
    push(m3);
    expect(d.resume).toBeUndefined();
    push('m4,p,c,,,,t\n');
    expect(d.resume).toEqual(at(11));
    expect(d.stats.bytes).toBe(bytes);
    const start = 3 + HEADER_LINE.length + 1;
    const m1 = 'm1,p1,c1,u,s,"body\nmore ünï",t\r\n';
    const m2 = 'm2,p1,c1,,,,t\n';
    const m4 = start + Buffer.byteLength(`${m1}${m2}\n\r\n${m3}`);
    expect(items.map((i) => (i.kind === 'record' ? [i.record.message_id, i.line, i.offset] : i))).toEqual([
      ['m1', 2, start],
      ['m2', 4, start + Buffer.byteLength(m1)],
      ['m3', 7, m4 - Buffer.byteLength(m3)],
      ['m4', 10, m4],
    ]);
    expect(items[0]).toMatchObject({ record: { body: 'body\nmore ünï', type: 't' } });
  });

  it('is defined exactly at record starts (and the end after a line end); a decoder from there finishes the job', () => {
    const rows = [
      `\uFEFF${HEADER_LINE}\r\n`,
      'm1,p1,c1,https://x/1,hi,"a, ""quoted""\nbody",InMail\n',
      'm2,p1,c2,,,"CRLF\r\ninside\r\n",email\r\n',
      'm3,p2,c3,,"张伟 😀",plain,reply\n',
      'm4,p2,c4,,s,"it"s,reply\n', // rejected: text after a closing quote
      'm5,p2\n', // rejected: field count
      'm6,p3,c5,,,"\n\n\n",x\r\n',
    ];
    const input = b(rows.join(''));
    const whole = createTableDecoder('messages', { file: 'Contract_1/Messages.csv' });
    const all = [...whole.push(input), ...whole.end()];
    expect(rejectsOf(all).map((r) => r.code)).toEqual(['ROW_INVALID_QUOTE', 'ROW_FIELD_COUNT']);
    // Between records: after the header, at every record start, at the end.
    const boundaries = new Set([
      Buffer.byteLength(rows[0]!),
      ...all.map((i) => (i.kind === 'record' ? i.offset : i.reject.offset)),
      input.length,
    ]);
    expect(boundaries.size).toBe(rows.length); // the header's end is the first record's start
    const defined: number[] = [];
    for (let p = 0; p <= input.length; p++) {
      const first = createTableDecoder('messages', { file: 'Contract_1/Messages.csv' });
      const head = first.push(input.subarray(0, p));
      const resume = first.resume;
      if (resume === undefined) continue;
      defined.push(p);
      expect(resume.offset).toBe(p);
      const rest = createTableDecoder('messages', { file: 'Contract_1/Messages.csv', continueAt: resume });
      const tail = [...rest.push(input.subarray(p)), ...rest.end()];
      expect([...head, ...first.end(), ...tail]).toStrictEqual(all);
      expect(first.stats.rowsRead + rest.stats.rowsRead).toBe(whole.stats.rowsRead);
      expect(first.stats.rowsRejected + rest.stats.rowsRejected).toBe(whole.stats.rowsRejected);
      expect(rest.stats.bytes).toBe(input.length);
    }
    expect(defined).toEqual([...boundaries].sort((x, y) => x - y));
  });

  it('counts lines from continueAt.line and offsets from continueAt.offset', () => {
    const d = createTableDecoder('messages', {
      continueAt: { header: MESSAGES_HEADER, offset: 500, line: 40 },
    });
    expect(d.resume).toEqual({ header: MESSAGES_HEADER, offset: 500, line: 40 });
    expect(d.header).toEqual(MESSAGES_HEADER);
    const m1 = 'm1,p,c,,,"a\nb",t\n';
    const m2 = 'm2,p\n';
    const items = [...d.push(b(m1 + m2)), ...d.end()];
    const second = 500 + Buffer.byteLength(m1);
    expect(items[0]).toMatchObject({ kind: 'record', line: 40, offset: 500 });
    expect(rejectsOf(items)).toMatchObject([
      {
        line: 42,
        offset: second,
        message: expect.stringMatching(`^table messages line 42 \\(byte ${second}\\), `),
      },
    ]);
    expect(d.stats).toMatchObject({
      rowsRead: 2,
      rowsDecoded: 1,
      rowsRejected: 1,
      bytes: second + m2.length,
    });
  });
});

describe('continueAt', () => {
  const ok = { header: MESSAGES_HEADER, offset: 10, line: 2 };
  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['no header', { offset: 10, line: 2 }],
    ['a header string', { ...ok, header: HEADER_LINE }],
    ['a header with a number', { ...ok, header: [...MESSAGES_HEADER, 7] }],
    ['no offset', { header: MESSAGES_HEADER, line: 2 }],
    ['a negative offset', { ...ok, offset: -1 }],
    ['a fractional offset', { ...ok, offset: 1.5 }],
    ['a NaN offset', { ...ok, offset: Number.NaN }],
    ['an offset string', { ...ok, offset: '10' }],
    ['an unsafe offset', { ...ok, offset: 2 ** 53 }],
    ['no line', { header: MESSAGES_HEADER, offset: 10 }],
    ['line 0', { ...ok, line: 0 }],
    ['a negative line', { ...ok, line: -3 }],
    ['a fractional line', { ...ok, line: 2.5 }],
    ['an infinite line', { ...ok, line: Number.POSITIVE_INFINITY }],
  ])('with %s is SCHEMA_BAD_OPTION', (_, continueAt) => {
    const error = errorOf(() => createTableDecoder('messages', { continueAt } as unknown as DecodeOptions));
    expect(error.code).toBe('SCHEMA_BAD_OPTION');
    expect(error.message).toContain('continueAt');
    expect(error.table).toBe('messages');
  });

  it('accepts offset 0 and line 1; checks the header against the schema at once', () => {
    const d = createTableDecoder('messages', { continueAt: { header: MESSAGES_HEADER, offset: 0, line: 1 } });
    expect(d.push(b('m1,p,c,,,,t\n'))).toMatchObject([{ kind: 'record', line: 1, offset: 0 }]);
    const error = errorOf(() =>
      createTableDecoder('messages', { continueAt: { header: ['subject', 'body'], offset: 9, line: 3 } }),
    );
    expect(error.code).toBe('SCHEMA_MISSING_COLUMN');
    const extra = createTableDecoder('messages', {
      continueAt: { header: [...MESSAGES_HEADER, 'Extra'], offset: 9, line: 3 },
    });
    expect(extra.stats.extraColumns).toEqual(['Extra']);
    expect(extra.push(b('m1,p,c,,,,t,more\n'))).toMatchObject([{ record: { Extra: 'more' } }]);
  });

  it('drops EF BB BF starting a row alike from the start and mid-input (a file joined after another)', () => {
    const bom = '\uFEFF';
    const fresh = createTableDecoder('messages');
    expect(fresh.push(b(`${bom}${HEADER_LINE}\n${bom}m1,p,c,,,,t\n`))).toMatchObject([
      { record: { message_id: 'm1' }, offset: 3 + HEADER_LINE.length + 1 },
    ]);
    const at = createTableDecoder('messages', {
      continueAt: { header: MESSAGES_HEADER, offset: 77, line: 5 },
    });
    // The three bytes one at a time, so none of them can wait for the others to be looked at together.
    const items = [
      ...at.push(Buffer.from([0xef])),
      ...at.push(Buffer.from([0xbb])),
      ...at.push(Buffer.from([0xbf])),
      ...at.push(b('m1,p,c,,,,t\n')),
      ...at.push(b(`${bom},p,c,,,,t`)),
      ...at.end(),
    ];
    expect(
      items.map((i) => (i.kind === 'record' ? [i.record.message_id, i.line, i.offset] : i.reject.code)),
    ).toEqual([['m1', 5, 77], 'ROW_MISSING_VALUE']);
    expect(at.stats.bytes).toBe(77 + 3 + 12 + Buffer.byteLength(`${bom},p,c,,,,t`));
  });
});

describe('shiftReject', () => {
  const FEEDBACK = SCHEMAS.feedbacks.fields.map((f) => f.name);
  // Rows of every kind of reject; the third has its line end inside a quoted field, so lines go 1, 2, 4, ...
  const SLICE = [
    'f1,c1,p1,co,,,,abc,,,', // a bad number in a typed column
    'f2,c1,p1', // field count
    'f3,c1,p1,co,,"two\nlines",,1,maybe,,', // a bad boolean
    ',c1,p1,co,,,,,,,', // a required value missing
    'f5,c1,p1,co,"a"b,,,,,,', // text after a closing quote
  ].join('\n');

  function rejectsAt(line: number, file?: string): Reject[] {
    const options: DecodeOptions = { continueAt: { header: FEEDBACK, offset: 1000, line } };
    if (file !== undefined) options.file = file;
    const d = createTableDecoder('feedbacks', options);
    return rejectsOf([...d.push(b(SLICE)), ...d.end()]);
  }

  it.each([undefined, 'Contract_7/Feedback.csv'])(
    'moves line and message as decoding there would (file %s)',
    (file) => {
      const fromOne = rejectsAt(1, file);
      expect(fromOne.map((r) => [r.code, r.line, r.column])).toEqual([
        ['ROW_BAD_NUMBER', 1, 'recommendation_score'],
        ['ROW_FIELD_COUNT', 2, undefined],
        ['ROW_BAD_BOOLEAN', 3, 'approved_for_referral'],
        ['ROW_MISSING_VALUE', 5, 'feedback_id'],
        ['ROW_INVALID_QUOTE', 6, undefined],
      ]);
      for (const lines of [1, 9, 995, 123_456]) {
        const frozen = structuredClone(fromOne);
        expect(fromOne.map((r) => shiftReject(r, lines))).toStrictEqual(rejectsAt(1 + lines, file));
        expect(fromOne).toStrictEqual(frozen); // the originals are left alone
      }
      const moved = shiftReject(fromOne[0]!, 999);
      expect(moved.message).toMatch(new RegExp(`^${file ?? 'table feedbacks'} line 1000 \\(byte 1000\\), `));
    },
  );

  it('keeps every other field; no shift gives the reject back; a message in another form keeps its text', () => {
    const reject = rejectsAt(1, 'X.csv')[0]!;
    expect(shiftReject(reject, 0)).toBe(reject);
    const moved = shiftReject(reject, 4);
    expect(moved).not.toBe(reject);
    expect(moved.line).toBe(5);
    expect(moved.message).toBe(
      reject.message.replace('X.csv line 1 (byte 1000)', 'X.csv line 5 (byte 1000)'),
    );
    expect({ ...moved, line: reject.line, message: reject.message }).toStrictEqual(reject);
    const odd: Reject = { ...reject, message: 'something else at line 1 (byte 1000)' };
    expect(shiftReject(odd, 4)).toStrictEqual({ ...odd, line: 5 });
    // A different offset in the message is not this reject's position: left alone.
    const elsewhere: Reject = { ...reject, message: reject.message.replace('(byte 1000)', '(byte 1)') };
    expect(shiftReject(elsewhere, 4).message).toBe(elsewhere.message);
  });
});

describe('referenceColumns', () => {
  it('names the columns the checks read, for the tables the brief names', () => {
    expect(referenceColumns('messages').sort()).toEqual(['candidate_id', 'project_id']);
    expect(referenceColumns('candidates').sort()).toEqual(['candidate_id', 'hiring_state_id', 'project_id']);
    expect(referenceColumns('custom_field_values').sort()).toEqual([
      'custom_field_id',
      'entity_id',
      'entity_type',
    ]);
  });

  it.each(TABLE_NAMES)(
    '%s: exactly the columns REFERENCE_CHECKS read, all of them schema fields',
    (table) => {
      const want = new Set<string>();
      for (const c of REFERENCE_CHECKS) {
        if (c.to === table) want.add(c.key);
        if (c.from === table) want.add(c.column);
        if (c.from === table && c.when) want.add(c.when.column);
      }
      const got = referenceColumns(table);
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(want);
      const fields = new Set(SCHEMAS[table].fields.map((f) => f.name));
      for (const column of got) expect(fields).toContain(column);
    },
  );

  /** Seeded so every run feeds the same rows. */
  function rng(seed: number) {
    let a = seed >>> 0;
    return (n: number): number => {
      a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
      return (a >>> 8) % n;
    };
  }

  /** Decoded rows of every table, with references that are missing, null, in lists and conditional. */
  function tables(): Map<TableName, TypedRecord[]> {
    const next = rng(17);
    const pick = (items: readonly string[]) => items[next(items.length)]!;
    const keyPrefix: Partial<Record<TableName, string>> = {
      hiring_states: 'h',
      projects: 'p',
      interview_modules: 'i',
      custom_field_definitions: 'f',
      candidates: 'c',
    };
    const ref = (name: string): string => {
      switch (name) {
        case 'project_id':
          return next(8) === 0 ? '' : `p${1 + next(8)}`; // p1..p6 exist
        case 'candidate_id':
        case 'entity_id':
          return pick([`c${1 + next(25)}`, `p${1 + next(8)}`, 'c1']); // c1..c20 exist
        case 'hiring_state_id':
          return next(4) === 0 ? '' : `h${1 + next(7)}`; // h1..h5 exist
        case 'interview_module_id':
          return `i${1 + next(5)}`; // i1..i3 exist
        case 'custom_field_id':
          return `f${1 + next(5)}`; // f1..f3 exist
        case 'entity_type':
          return pick([' Candidate ', 'candidate', 'PROJECT', 'project', 'job']);
        case 'candidate_hiring_state_ids':
          return Array.from({ length: next(4) }, () => `h${1 + next(7)}`).join(';');
        default:
          return next(3) === 0 ? '' : `"x, ${next(100)}"`;
      }
    };
    const REFERRING = new Set(REFERENCE_CHECKS.flatMap((c) => [c.column, c.when?.column ?? c.column]));
    const counts: Record<string, number> = { hiring_states: 5, projects: 6, interview_modules: 3 };
    const out = new Map<TableName, TypedRecord[]>();
    for (const table of REFERENCE_ORDER) {
      const schema = SCHEMAS[table];
      const typed = new Set(
        schema.fields.filter((f) => !['id', 'text', 'list'].includes(f.type)).map((f) => f.name),
      );
      const prefix = keyPrefix[table];
      const rows = [schema.fields.map((f) => f.name).join(',')];
      const n = counts[table] ?? (table === 'custom_field_definitions' ? 3 : 20);
      for (let i = 0; i < n; i++) {
        rows.push(
          schema.fields
            .map((f) => {
              if (typed.has(f.name)) return '';
              if (prefix && f.name === schema.key[0]) return `${prefix}${i + 1}`;
              if (REFERRING.has(f.name)) return ref(f.name);
              if (f.required) return `${f.name}-${i}`;
              return ref(f.name);
            })
            .join(','),
        );
      }
      const d = createTableDecoder(table);
      const items = [...d.push(b(rows.join('\n'))), ...d.end()];
      expect(rejectsOf(items)).toEqual([]);
      out.set(
        table,
        items.flatMap((i) => (i.kind === 'record' ? [i.record] : [])),
      );
    }
    return out;
  }

  const thin = (table: TableName, record: TypedRecord, drop?: string): TypedRecord =>
    Object.fromEntries(
      referenceColumns(table)
        .filter((c) => c !== drop)
        .map((c) => [c, record[c] ?? null]),
    );

  function report(
    data: Map<TableName, TypedRecord[]>,
    shape: (table: TableName, record: TypedRecord) => TypedRecord,
    complete: boolean,
  ): ReferenceReport[] {
    const checker = createReferenceChecker();
    for (const table of REFERENCE_ORDER) {
      for (const record of data.get(table)!) checker.add(table, shape(table, record));
      if (complete) checker.complete(table);
    }
    return checker.finish();
  }

  it.each([true, false])(
    'thin records report the same as whole ones (tables marked complete: %s)',
    (complete) => {
      const data = tables();
      const whole = report(data, (_, record) => record, complete);
      expect(report(data, thin, complete)).toStrictEqual(whole);
      // Not a vacuous comparison: most checks find missing references.
      expect(whole.filter((r) => r.rows > 0).length).toBeGreaterThanOrEqual(12);
    },
  );

  it('every column it names matters: dropping any one of them changes the report', () => {
    const data = tables();
    const whole = report(data, (_, record) => record, true);
    for (const table of REFERENCE_ORDER) {
      for (const column of referenceColumns(table)) {
        const without = report(data, (t, record) => (t === table ? thin(t, record, column) : record), true);
        expect({ table, column, same: JSON.stringify(without) === JSON.stringify(whole) }).toEqual({
          table,
          column,
          same: false,
        });
      }
    }
  });
});
