import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyTimestamp,
  cellHint,
  convert,
  isoTime,
  isSheetTime,
  isTimestamp,
  roundedNumber,
  spreadsheetTimeHint,
  timePrefix,
  timePrefixOf,
  toTimestamp,
} from './values.js';

describe('roundedNumber', () => {
  it('tells a number holding more than its double: more significant digits, or a tiny one made 0', () => {
    const rounded = (text: string) => roundedNumber(text, convert('number', text) as number);
    for (const text of [
      '9007199254740993',
      '0.12345678901234567891',
      '1e-400',
      '-1E-400',
      '123456789012345678',
    ])
      expect([text, rounded(text)]).toEqual([text, true]);
    for (const text of [
      '9007199254740992',
      '2.2250738585072014e-308',
      '0.1000000000000000055511151231257827',
      '1000000000000000000000',
      '0.000000000000000000000000000000000',
      '0',
      '-0',
      '4.5',
    ])
      expect([text, rounded(text)]).toEqual([text, false]);
  });
});

describe('convert', () => {
  it.each([
    ['number', '4.5', 4.5],
    ['number', '-0.25', -0.25],
    ['number', '10', 10],
    ['number', '1e3', 1000],
    ['number', ' 4', 4],
    ['number', ' 4.5\t', 4.5],
    ['number', '4 5', undefined],
    ['number', '-0', 0],
    ['number', '-0.0e5', 0],
    ['number', '   ', null],
    ['integer', ' 42 ', 42],
    ['boolean', ' yes', true],
    ['timestamp', ' 2021-01-26 17:45:00 ', '2021-01-26T17:45:00.000Z'],
    ['number', '0x10', undefined],
    ['number', 'NaN', undefined],
    ['integer', '42', 42],
    ['integer', '-7', -7],
    ['integer', '4.0', undefined],
    ['integer', '9007199254740993', undefined],
    ['boolean', 'TRUE', true],
    ['boolean', 'False', false],
    ['boolean', 'yes', true],
    ['boolean', 'NO', false],
    ['boolean', '1', true],
    ['boolean', '0', false],
    ['timestamp', '44329', undefined],
    ['timestamp', '19999', '1970-01-01T00:00:19.999Z'],
    ['timestamp', '144329', '1970-01-01T00:02:24.329Z'],
    ['boolean', 'y', true],
    ['boolean', 'F', false],
    ['boolean', 'x', undefined],
    ['boolean', 'oui', undefined],
    ['boolean', 'constructor', undefined],
    ['boolean', '__proto__', undefined],
    ['boolean', 'toString', undefined],
    ['list', ' a ; b;;c ;', ['a', 'b', 'c']],
    ['list', ' ; ;', []],
    ['id', ' 007 ', ' 007 '],
    ['text', 'a\r\nb', 'a\r\nb'],
  ] as const)('%s %j -> %j', (type, text, value) => expect(convert(type, text)).toEqual(value));
});

describe('toTimestamp', () => {
  it.each([
    ['1611683100000', '2021-01-26T17:45:00.000Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
    ['2021-01-26 17:45:00', '2021-01-26T17:45:00.000Z'],
    ['2021-01-26T17:45:00', '2021-01-26T17:45:00.000Z'],
    ['2021-01-26 17:45:00.123Z', '2021-01-26T17:45:00.123Z'],
    ['2024-02-29 00:00:00', '2024-02-29T00:00:00.000Z'],
    ['0050-06-01 12:00:00', '0050-06-01T12:00:00.000Z'],
    ['253402300799999', '9999-12-31T23:59:59.999Z'],
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
    // Forms other tools write when they re-save an export: dates alone, minutes, zones, finer fractions.
    ['2021-01-26', '2021-01-26T00:00:00.000Z'],
    ['2021-01-26 17:45', '2021-01-26T17:45:00.000Z'],
    ['2021-01-26 17:45:00+01:00', '2021-01-26T16:45:00.000Z'],
    ['2021-01-26T17:45:00-0530', '2021-01-26T23:15:00.000Z'],
    ['2021-01-26 17:45:00 UTC', '2021-01-26T17:45:00.000Z'],
    // Digits past the millisecond are kept (a Date would cut them); zeros past the third say nothing.
    ['2021-01-26T17:45:00.123456789Z', '2021-01-26T17:45:00.123456789Z'],
    ['2021-03-04 05:06:07.123456', '2021-03-04T05:06:07.123456Z'],
    ['2021-03-04 05:06:07.1234567+01:00', '2021-03-04T04:06:07.1234567Z'],
    ['2021-03-04 05:06:07.120000', '2021-03-04T05:06:07.120Z'],
    ['2021-03-04 05:06:07.000001', '2021-03-04T05:06:07.000001Z'],
    ['2021-03-04 05:06:07,5', '2021-03-04T05:06:07.500Z'],
    ['2021-01-26 00:30:00+01:00', '2021-01-25T23:30:00.000Z'],
    // Ten digits: epoch seconds, as Unix tools write them; more or fewer: milliseconds.
    ['1634110800', '2021-10-13T07:40:00.000Z'],
    ['1634110800000', '2021-10-13T07:40:00.000Z'],
    ['0999999999', '1970-01-12T13:46:39.999Z'],
    ['999999999', '1970-01-12T13:46:39.999Z'],
    // pandas writes a whole-number column with an empty cell as floats; PostgreSQL writes zones as +hh.
    ['1634110800000.0', '2021-10-13T07:40:00.000Z'],
    ['1634110800.0', '2021-10-13T07:40:00.000Z'],
    // Epoch seconds with a fraction, as Python's time.time() and DuckDB's epoch() give them.
    ['1634110800.5', '2021-10-13T07:40:00.500Z'],
    ['1634110800.123456', '2021-10-13T07:40:00.123456Z'],
    ['2021-10-13 07:40:00+00', '2021-10-13T07:40:00.000Z'],
    ['2021-10-13T07:40:00-05', '2021-10-13T12:40:00.000Z'],
    ['2021-10-13 7:40:00', '2021-10-13T07:40:00.000Z'],
    // Go's time.Time.String() (an offset, then the zone's abbreviation) and Java's ZonedDateTime.toString()
    // (an offset, then the region in brackets): the offset says the instant, the name after it adds nothing.
    ['2021-10-13 07:40:00 +0000 UTC', '2021-10-13T07:40:00.000Z'],
    ['2021-10-13 09:40:00.5 +0200 CEST', '2021-10-13T07:40:00.500Z'],
    ['2021-10-13T07:40Z[UTC]', '2021-10-13T07:40:00.000Z'],
    ['2021-10-13T09:40:00+02:00[Europe/Paris]', '2021-10-13T07:40:00.000Z'],
    // ISO 8601's basic format (iCalendar, signed API requests): the same instants without separators.
    ['20211013T074000Z', '2021-10-13T07:40:00.000Z'],
    ['20211013t074000z', '2021-10-13T07:40:00.000Z'],
    ['20211013T094000+0200', '2021-10-13T07:40:00.000Z'],
    ['20211013T094000.5-02', '2021-10-13T11:40:00.500Z'],
    ['20211013T0740', '2021-10-13T07:40:00.000Z'],
    ['20240229T235959,123456Z', '2024-02-29T23:59:59.123456Z'],
  ])('%s -> %s', (text, iso) => expect(toTimestamp(text)).toBe(iso));

  it.each([
    '2021-02-30 10:00:00',
    '2023-02-29 00:00:00',
    '2021-01-26 24:00:00',
    '2021-01-26 17:60:00',
    '2021-13-01 00:00:00',
    '2021-01-26 17:45:00+24:00',
    '2021-01-26 17:45:00 CET',
    // A zone's name says the instant only after an offset.
    '2021-01-26 17:45:00Z CET',
    '2021-01-26 17:45:00[Europe/Paris]',
    '2021-01-26 17:45:00 +0100 Central European',
    '2021-01-26 17',
    '-1000',
    '99999999999999999',
    // Past 9999-12-31 (epoch microseconds, say) or before 0000-01-01: no four-digit ISO 8601 year holds it.
    '1640171967372000',
    '253402300800000',
    '9999-12-31 23:30:00-01:00',
    '0000-01-01 00:30:00+01:00',
    // Year 0000 is no year of a record (a placeholder for none, as MySQL's zero date is), whatever the spelling.
    '0000-01-01 00:00:00',
    '0000-01-01',
    '0000-02-29T12:00:00Z',
    '0000-12-31 23:30:00-01:00',
    '0001-01-01 00:30:00+01:00',
    '-62135596800000',
    'yesterday',
    '1634110800000.5',
    '0634110800.5',
    '163411080.5',
    '44482.0',
    '2021-10-13 07:40:00+24',
    // The basic format holds the same checks, and needs its T and its minutes.
    '20230229T000000Z',
    '20211013T2400',
    '20211013T07',
    '20211013 074000',
    '20211013T074000+2400',
    '00000101T000000Z',
    // yyyyMMddHHmmss: as epoch milliseconds a time in 2610, which no record of an export is.
    '20211013074000',
    '19991231235959',
    // yyyyMMddHHmm: as epoch milliseconds a time in 1976, years before LinkedIn.
    '202110130740',
    '199912312359',
    // yyyyMMdd: as epoch milliseconds a time on 1970-01-01.
    '20211013',
    '19990228',
  ])('%s is rejected', (text) => expect(toTimestamp(text)).toBeUndefined());
});

it('the usual yyyy-MM-dd HH:mm:ss spelling reads as through a Date, in range or not', () => {
  const two = (max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(2, '0'));
  const text = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      two(13),
      two(32),
      fc.constantFrom(' ', 'T'),
      two(25),
      two(61),
      two(61),
    )
    .map(([y, mo, d, sep, h, mi, s]) => `${String(y).padStart(4, '0')}-${mo}-${d}${sep}${h}:${mi}:${s}`);
  fc.assert(
    fc.property(text, (t) => {
      expect(toTimestamp(t)).toBe(anyTimestamp(t));
    }),
    { numRuns: 20000 },
  );
  expect(toTimestamp('1900-02-29 00:00:00')).toBeUndefined();
  expect(toTimestamp('2000-02-29T23:59:59')).toBe('2000-02-29T23:59:59.000Z');
});

describe('isoTime', () => {
  it("writes what a Date's toISOString writes, from 0000 to 9999, leap days and era ends included", () => {
    const first = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
    const last = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    const edges = [first, last, 0, -1, 1, 86_399_999, -86_400_000, 951_782_400_000, 951_868_799_999];
    // 1900-02-28/03-01 (no leap day), 2000-02-29 (a leap day), 2100-03-01, 1600-02-29, year 0's leap day.
    for (const day of ['1900-02-28', '1900-03-01', '2000-02-29', '2100-03-01', '1600-02-29', '0000-02-29'])
      edges.push(Date.parse(`${day}T00:00:00.000Z`), Date.parse(`${day}T23:59:59.999Z`));
    expect(edges.filter((ms) => isoTime(ms) !== new Date(ms).toISOString())).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (ms) => isoTime(ms) === new Date(ms).toISOString()),
      { numRuns: 100_000 },
    );
  });

  it("outside four-digit years and for parts of a millisecond, is the Date's (which throws for NaN)", () => {
    for (const ms of [-62_167_219_200_001, 253_402_300_800_000, 8.64e15, 1.5, -0.5])
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});

describe('timePrefix', () => {
  it('is the first characters of the time convert makes, the same string each time for a month', () => {
    const cells = [
      '2024-05-31 23:59:59',
      '1592332052905',
      '1592332052',
      '0001-01-01 00:00:00',
      '9999-12-31 23:59:59',
    ];
    cells.push(
      ' 2024-02-29 10:00:00 ',
      '2024-02-29T10:00:00+02:00',
      '2024-03-01 00:30:00 +01:00',
      '253402300799999',
    );
    const bad = [
      '2023-02-29 10:00:00',
      '253402300800000',
      'yesterday',
      '2024-13-01 00:00:00',
      '0000-01-01 00:00:00',
      '2021-03-04 05:06:07.123456',
    ];
    for (const chars of [1, 4, 7, 10, 24]) {
      for (const cell of [...cells, ...bad]) {
        const whole = convert('timestamp', cell) as string | null | undefined;
        expect(timePrefix(cell, chars), `${cell} ${chars}`).toBe(
          whole === undefined ? undefined : whole?.slice(0, chars),
        );
      }
    }
    expect(timePrefix('   ', 7)).toBeNull();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 253_402_300_799_999 }),
        fc.integer({ min: 1, max: 12 }),
        (ms, chars) => {
          return (
            // Digits that spell a date without separators (yyyyMMdd, yyyyMMddHHmmss) are no time of either.
            timePrefix(String(ms), chars) ===
            (convert('timestamp', String(ms)) as string | undefined)?.slice(0, chars)
          );
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('timePrefixOf', () => {
  const bytesOf = (cell: string) => {
    const buf = Buffer.from(`,${cell},`);
    return timePrefixOf(buf, 1, buf.length - 1, 7);
  };
  it("reads the export's two spellings from bytes as timePrefix reads their text, and leaves the rest to it", () => {
    for (const cell of ['2024-05-31 23:59:59', '2024-02-29T10:00:00', '1592332052905', '9999999999999']) {
      expect(bytesOf(cell), cell).toBe(timePrefix(cell, 7));
    }
    // Not times, times the decoder looks at more closely (near epoch 0, before 2000), other spellings.
    for (const cell of [
      '2023-02-29 10:00:00',
      '2024-13-01 00:00:00',
      '2024-00-10 00:00:00',
      '2024-01-01 24:00:00',
      '2024-01-01 23:60:00',
      '2024-01-01x23:59:00',
      '1999-12-31 23:59:59',
      '0001-01-01 00:00:00',
      '1900000000000',
      '0592332052905',
      '159233205290a',
      '1592332052',
      ' 1592332052905',
      '2024-05-31 23:59:59.5',
    ]) {
      expect(bytesOf(cell), cell).toBeUndefined();
    }
    expect(timePrefixOf(Buffer.from('1592332052905'), 0, 13, 10)).toBeUndefined();
  });
  it('agrees with timePrefix on every time it reads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_000_000_000, max: 9_999_999_999_999 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (ms, chars, plain) => {
          const cell = plain ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ') : String(ms);
          const buf = Buffer.from(cell);
          const fast = timePrefixOf(buf, 0, buf.length, chars);
          // From 2001 on, every time is read from its bytes but those of epoch digits starting 19.
          const looked = !plain && cell.startsWith('19');
          return looked ? fast === undefined : fast === timePrefix(cell, chars);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe("a time of the export's order that is no time", () => {
  it('says why: year 0000 is a placeholder, 2021-02-30 does not exist (no spreadsheet is blamed)', () => {
    for (const cell of ['0000-01-01 00:00:00', '0000-00-00 00:00:00', '0000-03-04T05:06:07Z'])
      expect(spreadsheetTimeHint(cell), cell).toMatch(/^year 0000 is no year/);
    for (const cell of ['2021-02-30 10:00:00', '2021-01-26 24:00:00', '2021-01-26 17:45:00+24:00'])
      expect(spreadsheetTimeHint(cell), cell).toMatch(/^there is no such date or time/);
    expect(spreadsheetTimeHint('10/13/2021 7:40')).toMatch(/the order of day and month is not known/);
    // A month's name tells the order: what is lost is what the spreadsheet did not show.
    for (const cell of ['13 Oct 2021, 07:40:00', 'Oct 13, 2021 7:40 AM', '13-Oct-21 07:40', '4-Mar-2021']) {
      expect(spreadsheetTimeHint(cell), cell).toMatch(/own date format \(with the month's name\), dropping/);
      expect(spreadsheetTimeHint(cell), cell).not.toMatch(/order of day and month/);
    }
    // Year first, the order is known: what is lost is what the spreadsheet did not show.
    for (const cell of ['2021/3/4 5:06', '2021/03/04 05:06:07', '2021.03.04', '2021-3-4 5:06:07'])
      expect(spreadsheetTimeHint(cell), cell).toMatch(
        /\(year first, as 2021\/3\/4 5:06 or 2021-10-13 7:40 AM\), dropping what it did not show/,
      );
    expect(isTimestamp('0000-01-01 00:00:00')).toBe(false);
    expect(isTimestamp('2021-03-04T05:06:07.123456Z')).toBe(true);
  });

  it('a time a program wrote in words, or in epoch micro- or nanoseconds, says so', () => {
    for (const cell of [
      'Wed Oct 13 2021 07:40:00 GMT+0000 (Coordinated Universal Time)',
      'Wed Oct 13 2021 09:40:00 GMT+0200 (Central European Summer Time)',
      'Wed, 13 Oct 2021 07:40:00 GMT',
      'Wed, 13 Oct 2021 07:40:00 +0000',
    ])
      expect(spreadsheetTimeHint(cell), cell).toMatch(
        /^a program most likely re-wrote the time as text in words/,
      );
    expect(spreadsheetTimeHint('1634110800000000')).toMatch(
      /^it is most likely epoch microseconds \(16 digits/,
    );
    expect(spreadsheetTimeHint('1634110800000000000')).toMatch(
      /^it is most likely epoch nanoseconds \(19 digits/,
    );
    for (const cell of ['20211013074000', '19991231235959']) {
      expect(spreadsheetTimeHint(cell), cell).toMatch(
        /^it is most likely a date and time written without separators/,
      );
      expect(isTimestamp(cell), cell).toBe(false);
      expect(timePrefix(cell, 7), cell).toBeUndefined();
    }
    for (const cell of ['20211013', '19990228']) {
      expect(spreadsheetTimeHint(cell), cell).toMatch(
        /^it is most likely a date written without separators \(yyyyMMdd\)/,
      );
      expect(isTimestamp(cell), cell).toBe(false);
    }
    expect(toTimestamp('20211313')).toBe('1970-01-01T05:36:51.313Z');
    // Fourteen digits that are no such date and time stay epoch milliseconds (2286 to 5138).
    expect(toTimestamp('20211313074000')).toBe(isoTime(20211313074000));
    for (const cell of ['Wed Oct 13 2021', '163411080000000', 'Jane Oct 13 2021 07:40:00 GMT'])
      expect(spreadsheetTimeHint(cell), cell).toBeUndefined();
    expect(isSheetTime('Wed, 13 Oct 2021 07:40:00 GMT')).toBe(false);
  });

  it('a number with a thousands separator says so', () => {
    for (const cell of ['1.234,5', '1,234.5', '1\u00a0234,5', "1'234.50", '12 345'])
      expect(cellHint('number', cell), cell).toMatch(/^it has a thousands separator/);
    expect(cellHint('number', '4,5')).toMatch(/^it has a decimal comma/);
    expect(cellHint('number', '4.5.6')).toBeUndefined();
  });
});
