import type { RejectCode } from './errors.js';
import type { FieldType } from './tables.js';

/** A decoded cell. An empty cell is always null. */
export type Value = string | number | boolean | string[] | null;

/** A cell that cannot be read as its type: what the reject says. */
export interface CellProblem {
  readonly code: RejectCode;
  readonly expected: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const DIGITS = /^\d+$/;
// yyyy-MM-dd[( |T)HH:mm[:ss[.fraction]]][zone], zone Z, UTC, +hh:mm, +hhmm or +hh (PostgreSQL writes
// `2021-10-13 07:40:00+00`); no zone means UTC. The hour may have one digit (`2021-10-13 7:40:00`), as
// Google Sheets writes times back; the date's order is plain, so DuckDB reads it too. After an offset, the
// zone's name as Go's time.Time.String() writes it (`+0200 CEST`) and as Java's ZonedDateTime.toString()
// does (`Z[UTC]`, `+02:00[Europe/Paris]`): the offset says the instant; a name alone (`CET`) would not.
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?: ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)(?:(?<=\d) [A-Z]{2,5}|(?<=[\dZ])\[[A-Z][\w/+-]*\])?)?$/i;
/**
 * ISO 8601's basic format, without separators (`20211013T074000Z`, `20211013T0940+0200`), as iCalendar,
 * signed cloud API requests and Python's `datetime.fromisoformat` write or read it: the `T` tells it apart
 * from epoch digits. Read as the extended format it stands for.
 */
const BASIC_TIME =
  /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?:\d{2})?)?$/i;
/**
 * Epoch digits with a zero fraction, `1640171967372.0`: pandas writes a whole-number column so once any
 * cell of it is empty (the column becomes floats). The same instant; the fraction is dropped.
 */
const WHOLE_FLOAT = /^(\d+)\.0+$/;
/**
 * Epoch seconds with a fraction, `1634110800.123`: Unix time as a number, as Python's `time.time()`,
 * pandas' `Timestamp.timestamp()` and DuckDB's `epoch()` give it. Ten digits, as whole seconds are read
 * (see `epochMs`); milliseconds with a fraction stay rejected (no tool writes them so).
 */
const SECONDS_FRACTION = /^([1-9]\d{9})\.(\d{1,9})$/;
// A Map, not an object: a cell such as `constructor` must not find what every object inherits.
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
  // PostgreSQL's COPY writes t and f; forms and surveys y and n.
  ['t', true],
  ['f', false],
  ['y', true],
  ['n', false],
]);
/**
 * How tools write a missing value where the guide's tables leave the cell empty: pandas `nan` (`NaN`,
 * `<NA>`), R `NA`, databases `NULL` (MySQL's SELECT ... INTO OUTFILE `\N`), Python `None`, spreadsheets
 * `#N/A`. No number, boolean or time is spelled so, so there each is the empty cell it stands for; in text
 * and ids it may be a value and stays.
 */
const MISSING: ReadonlySet<string> = new Set(['na', 'n/a', '#n/a', 'nan', '<na>', 'null', 'none', '\\n']);
/**
 * Times from 0001-01-01 to 9999-12-31, in ms since 1970: ISO 8601 without the expanded years (`+053944-`)
 * a Date would write past them, which writers, DuckDB and Python do not read. Epoch microseconds read as
 * milliseconds land far past 9999, so they are rejected, not shifted by 50,000 years. Year 0000 is no
 * year of the calendar people date records in (1 BC in ISO 8601's counting, which Python's datetime and
 * so pandas and pyarrow refuse): a tool's placeholder for "no date" (MySQL's `0000-00-00`), not a time.
 */
const MIN_TIME = -62_135_596_800_000;
const MAX_TIME = 253_402_300_799_999;

export const PROBLEMS: Readonly<Record<Exclude<FieldType, 'id' | 'text' | 'list'>, CellProblem>> = {
  integer: { code: 'ROW_BAD_INTEGER', expected: 'a whole decimal number such as 42' },
  number: { code: 'ROW_BAD_NUMBER', expected: 'a decimal number such as 4.5' },
  boolean: { code: 'ROW_BAD_BOOLEAN', expected: 'true/false, yes/no, t/f, y/n or 1/0' },
  timestamp: {
    code: 'ROW_BAD_TIMESTAMP',
    expected: 'epoch milliseconds (10 digits: seconds) or a valid UTC time yyyy-MM-dd HH:mm:ss[.SSS]',
  },
};

const CLOCK = '(?:,?(?: at)? \\d{1,2}:\\d{2}(?::\\d{2})?(?: ?[AP]M)?)?$';
/** Dates as spreadsheets show them: 10/13/2021 7:40, 13.10.2021, 13-Oct-21, October 13, 2021, 7:40 AM. */
const SPREADSHEET_DATES = [
  '^\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{1,4}',
  '^\\d{1,2}[- ][A-Z]{3,9}\\.?[- ]\\d{2,4}',
  '^[A-Z]{3,9}\\.? \\d{1,2},? \\d{4}',
].map((date) => new RegExp(date + CLOCK, 'i'));
/** A date a spreadsheet wrote year first: 2021/3/4 5:06, 2021.03.04, 2021-3-4 (yyyy-MM-dd is read). */
const YEAR_FIRST = new RegExp(`^\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}${CLOCK}`, 'i');
/** A time of the export's spelling whose seconds are 60: a leap second, not a spreadsheet's date. */
const LEAP_SECOND =
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:60(?:[.,]\d+)?(?: ?(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?$/i;
/** Epoch milliseconds as a spreadsheet shows a big number: 1.63308E+12. */
const SPREADSHEET_NUMBER = /^\d(?:[.,]\d+)?[eE]\+?\d+$/;

/**
 * Epoch seconds or milliseconds (10 or 13 digits) as a spreadsheet shows a number in its language, when its
 * column was formatted as a number to stop the rounding to 1.63411E+12: digits grouped by thousands
 * (`1,634,110,800,000`, `1.634.110.800.000`, `1 634 110 800 000`), or a decimal comma (`1634110800000,00`).
 */
const SHOWN_EPOCH =
  /^(?:[1-9]\d{0,2}(?:[,.' \u00a0\u202f]\d{3}){3,4}(?:[.,]\d+)?|[1-9](?:\d{9}|\d{12}),\d+)$/;
/** A spreadsheet's serial date (days since 1899-12-30, a fraction of a day for the time), 1954 to 2119. */
const SERIAL_DATE = /^[2-7]\d{4}(?:[.,]\d+)?$/;
/** A number with its digits grouped by thousands, by a comma, dot, apostrophe or (no-break) space. */
const GROUPED = /^[+-]?\d{1,3}(?:[,.' \u00a0\u202f]\d{3})+(?:[.,]\d+)?$/;
/** A number with a decimal comma (3,5): how a spreadsheet in much of Europe saves it. */
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

/** TRUE and FALSE as spreadsheets in other languages write them (German, French, Spanish, Italian, Dutch). */
const LOCAL_BOOLEANS: ReadonlySet<string> = new Set([
  'wahr',
  'falsch',
  'vrai',
  'faux',
  'verdadero',
  'falso',
  'vero',
  'waar',
  'onwaar',
]);

/** Whether a cell that is no value of its typed column stands for a missing one (see `MISSING`). */
export const isMissingMarker = (text: string): boolean =>
  text.length <= 8 && MISSING.has(text.trim().toLowerCase());

/**
 * Whether a time cell that is no time is one a spreadsheet re-wrote in its own form (see
 * `spreadsheetTimeHint`): its date format (10/13/2021 7:40, 2021/3/4), its serial day number (45123),
 * epoch milliseconds rounded (1.63411E+12) or with thousands separators (1,634,110,800,000).
 */
export function isSheetTime(text: string): boolean {
  const cell = text.trim();
  if (LEAP_SECOND.test(cell) || DATETIME.test(cell)) return false;
  return (
    YEAR_FIRST.test(cell) ||
    SPREADSHEET_DATES.some((date) => date.test(cell)) ||
    SERIAL_DATE.test(cell) ||
    SPREADSHEET_NUMBER.test(cell) ||
    SHOWN_EPOCH.test(cell)
  );
}

/** What to do about a cell that is no value of its column's type, when its spelling tells; else undefined. */
export function cellHint(type: FieldType, text: string): string | undefined {
  if (type === 'timestamp') return spreadsheetTimeHint(text);
  if (type === 'boolean' && LOCAL_BOOLEANS.has(text.trim().toLowerCase())) {
    return 'a spreadsheet in another language most likely wrote its own word for TRUE or FALSE: take the table from export.zip again, or replace the words with true and false';
  }
  if (type === 'number' && DECIMAL_COMMA.test(text.trim())) {
    return 'it has a decimal comma, as a spreadsheet in much of Europe saves numbers: take the table from export.zip again, or save it with a decimal point';
  }
  if (type === 'number' && GROUPED.test(text.trim())) {
    return 'it has a thousands separator (1,234.5, 1.234,5, 1 234,5), as a spreadsheet shows numbers in its language: take the table from export.zip again, or save the column as plain numbers';
  }
  return undefined;
}

/**
 * What to do about a time cell a spreadsheet re-wrote when the table was opened and saved there (it shows
 * times in the computer's own format and saves them so), or undefined when it does not look like one.
 */
export function spreadsheetTimeHint(text: string): string | undefined {
  const cell = text.trim();
  if (LEAP_SECOND.test(cell)) {
    return 'it is a leap second (:60), which no reader of NDJSON, CSV or Parquet times holds: write it as :59.999, the moment before, and run again';
  }
  // The export's own order (yyyy-MM-dd), so no spreadsheet's: a date or time that does not exist.
  const iso = DATETIME.exec(cell);
  if (iso) {
    return iso[1] === '0000'
      ? 'year 0000 is no year of a real record (the calendar goes from 1 BC to 1 AD), most likely a placeholder for a missing date: leave the cell empty'
      : 'there is no such date or time (a day past the end of its month, a month past 12, an hour past 23, a zone past 23:59, or before the year 0001): fix the value or leave the cell empty';
  }
  // Year first (2021/3/4 5:06, as spreadsheets in Japan or China show dates; 2021-10-13 7:40 AM, the export's
  // order with a 12-hour clock): the order is known, but the spreadsheet wrote what it showed, seconds most
  // likely dropped. Named by examples of both, where `yyyy/m/d` named a form the cell may not have.
  if (YEAR_FIRST.test(cell)) {
    return 'a spreadsheet most likely re-wrote the time in its own date format (year first, as 2021/3/4 5:06 or 2021-10-13 7:40 AM), dropping what it did not show, such as the seconds: take the table from export.zip again, or format the column as yyyy-mm-dd hh:mm:ss before saving';
  }
  if (SPREADSHEET_DATES[0]!.test(cell)) {
    return 'a spreadsheet most likely re-wrote the time in its own date format (the order of day and month is not known): take the table from export.zip again, or format the column as yyyy-mm-dd hh:mm:ss before saving';
  }
  // A month's name tells the order; the spreadsheet still wrote only what it showed.
  if (SPREADSHEET_DATES.some((date) => date.test(cell))) {
    return "a spreadsheet most likely re-wrote the time in its own date format (with the month's name), dropping what it did not show, such as the seconds: take the table from export.zip again, or format the column as yyyy-mm-dd hh:mm:ss before saving";
  }
  if (SERIAL_DATE.test(cell)) {
    return "a spreadsheet most likely re-wrote the time as its serial date number (days since 1899-12-30, in the computer's time zone): take the table from export.zip again, or format the column as yyyy-mm-dd hh:mm:ss before saving";
  }
  if (SPREADSHEET_NUMBER.test(cell)) {
    return 'a spreadsheet most likely shortened the epoch milliseconds to a rounded number: take the table from export.zip again, or format the column as a whole number before saving';
  }
  if (SHOWN_EPOCH.test(cell)) {
    return 'a spreadsheet most likely wrote the epoch milliseconds as it shows numbers in its language, with thousands separators or a decimal comma: take the table from export.zip again, or format the column as a whole number without separators before saving';
  }
  return programTimeHint(cell);
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
/**
 * A time as a program spells one in words with its zone: JavaScript's `Date` made text (`Wed Oct 13 2021
 * 07:40:00 GMT+0000 (Coordinated Universal Time)`), an HTTP or e-mail date (`Wed, 13 Oct 2021 07:40:00
 * GMT`, `+0000`).
 */
const WORDED_TIME = new RegExp(
  `^(?:[A-Z][a-z]{2},? )?(?:${MONTH} \\d{1,2} \\d{4}|\\d{1,2} ${MONTH} \\d{4}) \\d{2}:\\d{2}(?::\\d{2})? (?:GMT|UTC|[+-]\\d{4})`,
  'i',
);
/** Epoch microseconds (16 digits) or nanoseconds (19), as pandas, Spark or a database writes times. */
const FINER_EPOCH = /^[1-9](?:\d{15}|\d{18})$/;

/**
 * What to do about a time cell a program (not a spreadsheet) re-wrote in its own form, which the export
 * never writes: told so, and how to write it, where it was told only to fix the value.
 */
function programTimeHint(cell: string): string | undefined {
  if (WORDED_TIME.test(cell)) {
    return 'a program most likely re-wrote the time as text in words (as JavaScript writes a Date, or as an e-mail or HTTP date), which the export never writes: take the table from export.zip again, or write times as yyyy-MM-dd HH:mm:ss in UTC';
  }
  if (COMPACT_TIME.test(cell)) {
    return 'it is most likely a date and time written without separators (yyyyMMddHHmmss), which the export never writes; read as epoch milliseconds it would be a time past the year 2500: take the table from export.zip again, or write the times as yyyy-MM-dd HH:mm:ss in UTC';
  }
  if (COMPACT_MINUTES.test(cell)) {
    return 'it is most likely a date and time written without separators (yyyyMMddHHmm), which the export never writes; read as epoch milliseconds it would be a time in 1976, before LinkedIn was: take the table from export.zip again, or write the times as yyyy-MM-dd HH:mm:ss in UTC';
  }
  if (COMPACT_DATE.test(cell)) {
    return 'it is most likely a date written without separators (yyyyMMdd), which the export never writes; read as epoch milliseconds it would be a time on 1970-01-01: take the table from export.zip again, or write the dates as yyyy-MM-dd';
  }
  if (FINER_EPOCH.test(cell)) {
    const unit = cell.length === 16 ? 'microseconds' : 'nanoseconds';
    return `it is most likely epoch ${unit} (${cell.length} digits, as pandas, Spark or a database writes times), where the export writes milliseconds (13 digits): take the table from export.zip again, or write the times in milliseconds`;
  }
  return undefined;
}

/**
 * Reads a non-empty cell; `undefined` means it is not a valid value of the type. Spaces around a number,
 * boolean or time are read past, as DuckDB, Python and spreadsheets do; ids and text stay as written.
 */
export function convert(type: FieldType, text: string): Value | undefined {
  if (type !== 'id' && type !== 'text' && type !== 'list' && padded(text)) {
    const inner = text.trim();
    if (inner === '') return null;
    if (inner !== text) return convert(type, inner);
  }
  switch (type) {
    case 'id':
    case 'text':
      return text;
    case 'list':
      return toList(text);
    case 'number':
      return toNumber(text);
    case 'integer':
      return INTEGER.test(text) ? safe(Number(text)) : undefined;
    case 'boolean':
      return BOOLEANS.get(text.toLowerCase());
    case 'timestamp':
      return toTimestamp(text);
  }
}

/** Starts or ends with a space, or a control character that may be one (trim tells). */
const padded = (text: string) => text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32;

export function toList(text: string): string[] {
  const items: string[] = [];
  for (const part of text.split(';')) {
    const item = part.trim();
    if (item !== '') items.push(item);
  }
  return items;
}

function toNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  if (value === 0) return 0; // -0 too: JSON and CSV write it as 0, so Parquet must not keep -0.0
  return Number.isFinite(value) ? value : undefined;
}

/** A number's mantissa and fraction, its sign, exponent and spaces left out. */
const MANTISSA = /^\s*[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?\s*$/;

/**
 * Whether the number `text` spells holds more than `value` (its nearest double) does: more significant
 * digits than a double keeps (`9007199254740993` is read as ...992), or a tiny number made 0 (`1e-400`).
 * Fifteen significant digits or fewer always read back as written.
 */
export function roundedNumber(text: string, value: number): boolean {
  if (text.length <= 15 && value !== 0) return false;
  const m = MANTISSA.exec(text);
  if (m === null) return false;
  const digits = `${m[1]}${m[2] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '');
  if (value === 0) return digits !== '';
  if (digits.length <= 15) return false;
  if (digits.length > 100) return true;
  const held = Math.abs(value)
    .toPrecision(digits.length)
    .replace(/e.*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return held !== digits;
}

function safe(value: number): number | undefined {
  return Number.isSafeInteger(value) ? value : undefined;
}

export function toTimestamp(text: string): string | undefined {
  return text.length === 19 && PLAIN_TIME.test(text) ? plainTime(text) : anyTimestamp(text);
}

const PLAIN_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `yyyy-MM-dd HH:mm:ss`, how exports write times: checked and respelled without a Date (it is faster). */
function plainTime(text: string): string | undefined {
  return plainTimeValid(text) ? `${text.slice(0, 10)}T${text.slice(11)}.000Z` : undefined;
}

/** The two digits at `at` as a number. */
const pair = (text: string, at: number) => (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;

function plainTimeValid(text: string): boolean {
  const n = (at: number) => pair(text, at);
  const year = n(0) * 100 + n(2);
  const month = n(5);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS[month - 1];
  const day = n(8);
  return !(
    year === 0 ||
    days === undefined ||
    day < 1 ||
    day > days ||
    n(11) > 23 ||
    n(14) > 59 ||
    n(17) > 59
  );
}

/**
 * All digits: epoch milliseconds, but ten digits are epoch seconds (2001-09-09 to 2286-11-20), as Unix
 * tools write them: read as milliseconds they would be a few weeks after 1970-01-01, silently wrong.
 */
const epochMs = (digits: string) => (digits.length > 10 ? longEpoch(digits) : shortEpoch(digits));

/**
 * A date, or a date and time, of 1900 to 2099 written without separators, `yyyyMMdd` (`20211013`) and
 * `yyyyMMddHHmmss` (`20211013074000`), as databases, log tools and some ATS exports write them.
 */
const COMPACT_DATE = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const COMPACT_TIME = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d[0-5]\d$/;
/**
 * `yyyyMMddHHmm` (`202110130740`), as spreadsheets format a time to the minute: as epoch milliseconds all
 * of 1976, years before LinkedIn, which no time of an export is; real epoch milliseconds of 12 digits
 * (1973 to 2001) are no time of an export either, so none of them is taken for one of these.
 */
const COMPACT_MINUTES = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])[0-5]\d$/;

/**
 * More than ten digits: milliseconds, but a compact `yyyyMMddHHmmss` or `yyyyMMddHHmm` (see `COMPACT_TIME`)
 * is NaN, so that it is rejected (with `programTimeHint`): as milliseconds it would be a time in 2572 to
 * 2635, or in 1976, silently wrong.
 */
const longEpoch = (digits: string) =>
  (digits.length === 14 && COMPACT_TIME.test(digits)) ||
  (digits.length === 12 && COMPACT_MINUTES.test(digits))
    ? Number.NaN
    : Number(digits);

/**
 * Ten digits or fewer: seconds (see `epochMs`), or milliseconds; five digits from 20000 to 79999 are no
 * time (20 to 80 seconds after 1970-01-01) but a spreadsheet's serial date (1954 to 2119) saved as a
 * whole number: NaN, so that it is rejected (with `spreadsheetTimeHint`), not read as a time in 1970.
 */
function shortEpoch(digits: string): number {
  if (digits.length === 10 && digits.charCodeAt(0) !== 48) return Number(digits) * 1000;
  // A date of 1900 to 2099 without separators, yyyyMMdd (`20211013`): as milliseconds a time on 1970-01-01.
  if (digits.length === 8 && COMPACT_DATE.test(digits)) return Number.NaN;
  const n = Number(digits);
  return digits.length === 5 && n >= 20_000 && n < 80_000 ? Number.NaN : n;
}

const PAIRS = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));

/**
 * `new Date(ms).toISOString()`, by arithmetic for whole milliseconds from 0001 to 9999 (MIN_TIME to
 * MAX_TIME): a Date made and printed for every time of a table cost ~3x more. Days to a date as in
 * H. Hinnant's `civil_from_days` (a year of March to February, 400-year eras).
 */
export function isoTime(ms: number): string {
  if (!(Number.isInteger(ms) && ms >= MIN_TIME && ms <= MAX_TIME)) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const date = civil(days);
  const year = Math.floor(date / 10_000);
  const month = Math.floor(date / 100) % 100;
  const day = date % 100;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${PAIRS[Math.floor(year / 100)]}${PAIRS[year % 100]}-${PAIRS[month]}-${PAIRS[day]}T${PAIRS[hour]}:${PAIRS[minute]}:${PAIRS[second]}.${PAIRS[Math.floor(milli / 10)]}${milli % 10}Z`;
}

/** The date of a day since 1970-01-01 as yyyyMMdd, as H. Hinnant's `civil_from_days` works it out. */
function civil(days: number): number {
  const shifted = days + 719_468; // days from 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const ofEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (ofEra - Math.floor(ofEra / 1460) + Math.floor(ofEra / 36_524) - Math.floor(ofEra / 146_096)) / 365,
  );
  const ofYear = ofEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const fromMarch = Math.floor((5 * ofYear + 2) / 153);
  const day = ofYear - Math.floor((153 * fromMarch + 2) / 5) + 1;
  const month = fromMarch < 10 ? fromMarch + 3 : fromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10_000 + month * 100 + day;
}

/** `yyyy-MM` cut to 1-7 characters, by year, month and length: a table's times fall in few months. */
const MONTHS = new Map<number, string>();
function monthText(year: number, month: number, chars: number): string {
  const key = (year * 100 + month) * 8 + chars;
  let text = MONTHS.get(key);
  if (text === undefined) {
    text = `${PAIRS[Math.floor(year / 100)]}${PAIRS[year % 100]}-${PAIRS[month]}`.slice(0, chars);
    MONTHS.set(key, text);
  }
  return text;
}

/**
 * The first `chars` characters of the ISO text `convert` makes of a time cell (7: its month, `2024-05`):
 * for a month or a year, one string each, without the whole text of every row. undefined: not a time;
 * null: blank.
 */
export function timePrefix(text: string, chars: number): string | null | undefined {
  if (padded(text)) {
    const inner = text.trim();
    if (inner === '') return null;
    if (inner !== text) return timePrefix(inner, chars);
  }
  if (chars <= 7 && text.length === 19 && PLAIN_TIME.test(text)) {
    if (!plainTimeValid(text)) return undefined;
    return monthText(pair(text, 0) * 100 + pair(text, 2), pair(text, 5), chars);
  }
  if (chars <= 7 && DIGITS.test(text)) {
    const ms = epochMs(text);
    if (!(ms <= MAX_TIME)) return undefined;
    const date = civil(Math.floor(ms / 86_400_000));
    return monthText(Math.floor(date / 10_000), Math.floor(date / 100) % 100, chars);
  }
  return toTimestamp(text)?.slice(0, chars);
}

/**
 * `timePrefix` of a cell read from its bytes, for the two spellings exports write: 13 digits of epoch
 * milliseconds, and `yyyy-MM-dd HH:mm:ss`; undefined for any other cell, and for a time the decoder looks
 * at more closely (see its `oddTime`: one that may be near epoch 0 or before 2000): those are read from
 * their text. Counting a month of each of a table's rows made the text of every time first (~0.5 us a row).
 */
export function timePrefixOf(buf: Uint8Array, start: number, end: number, chars: number): string | undefined {
  if (chars > 7) return undefined;
  const first = buf[start]!;
  if (end - start === 13) {
    if (first < 0x31 || (first === 0x31 && buf[start + 1] === 0x39)) return undefined;
    let ms = 0;
    for (let k = start; k < end; k++) {
      const digit = buf[k]! - 48;
      if (digit < 0 || digit > 9) return undefined;
      ms = ms * 10 + digit;
    }
    const date = civil(Math.floor(ms / 86_400_000));
    return monthText(Math.floor(date / 10_000), Math.floor(date / 100) % 100, chars);
  }
  if (end - start !== 19 || first < 0x32) return undefined;
  for (let k = 0; k < 19; k++) {
    const byte = buf[start + k]!;
    const ok =
      PLAIN_SHAPE[k] === 0
        ? byte >= 0x30 && byte <= 0x39
        : byte === PLAIN_SHAPE[k] || (k === 10 && byte === 0x54);
    if (!ok) return undefined;
  }
  const n = (at: number) => (buf[start + at]! - 48) * 10 + buf[start + at + 1]! - 48;
  const year = n(0) * 100 + n(2);
  const month = n(5);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS[month - 1];
  const day = n(8);
  if (days === undefined || day < 1 || day > days || n(11) > 23 || n(14) > 59 || n(17) > 59) return undefined;
  return monthText(year, month, chars);
}
/** `yyyy-MM-dd HH:mm:ss` a byte at a time: 0 for a digit, else the byte (a space, or T, at 10). */
const PLAIN_SHAPE = [0, 0, 0, 0, 45, 0, 0, 45, 0, 0, 32, 0, 0, 58, 0, 0, 58, 0, 0];

/**
 * Whether `convert` reads a non-empty cell as a time, without making its ISO string (for a cell checked
 * but not kept): null when it is blank (the value is then null), as `convert` has it.
 */
export function isTimestamp(text: string): boolean | null {
  if (padded(text)) {
    const inner = text.trim();
    if (inner === '') return null;
    if (inner !== text) return isTimestamp(inner);
  }
  if (text.length === 19 && PLAIN_TIME.test(text)) return plainTimeValid(text);
  if (DIGITS.test(text)) return epochMs(text) <= MAX_TIME;
  return anyTimestamp(text) !== undefined;
}

/** Every spelling `toTimestamp` reads, through a Date. */
export function anyTimestamp(text: string): string | undefined {
  if (DIGITS.test(text)) {
    const ms = epochMs(text);
    return ms <= MAX_TIME ? isoTime(ms) : undefined;
  }
  const whole = WHOLE_FLOAT.exec(text);
  if (whole) return anyTimestamp(whole[1]!);
  const seconds = SECONDS_FRACTION.exec(text);
  if (seconds) return withFiner(isoTime(Number(seconds[1]) * 1000 + millis(seconds[2]!)), seconds[2]!);
  const m = DATETIME.exec(text);
  if (!m) return basicTime(text);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) =>
    v === undefined ? 0 : Number(v),
  ) as [number, number, number, number, number, number];
  // Year 0000 as written, in whatever zone: see MIN_TIME.
  if (year === 0) return undefined;
  const ms = m[7] === undefined ? 0 : millis(m[7]);
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  // Date.UTC rolls 2021-02-30 over to March; a round trip catches every out-of-range part.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  const zone = m[8];
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    const offset = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    if (Number(digits.slice(1, 3)) > 23 || Number(digits.slice(3, 5)) > 59) return undefined;
    date.setTime(date.getTime() - (zone[0] === '-' ? -offset : offset) * 60_000);
  }
  // A zone can move 0001-01-01 or 9999-12-31 out of four-digit years.
  const time = date.getTime();
  if (!(time >= MIN_TIME && time <= MAX_TIME)) return undefined;
  return withFiner(date.toISOString(), m[7]);
}

/** A time in ISO 8601's basic format (see `BASIC_TIME`), read as the extended one. */
function basicTime(text: string): string | undefined {
  const b = BASIC_TIME.exec(text);
  if (!b) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = b;
  const seconds = second === undefined ? '' : `:${second}${fraction === undefined ? '' : `.${fraction}`}`;
  return anyTimestamp(`${year}-${month}-${day}T${hour}:${minute}${seconds}${zone ?? ''}`);
}

/** The milliseconds of a fraction of a second's digits. */
const millis = (fraction: string) => Number(fraction.slice(0, 3).padEnd(3, '0'));

/**
 * `iso` with the digits of `fraction` past the millisecond (PostgreSQL and DuckDB write microseconds, .NET
 * ten-millionths) kept, not cut: a Date holds milliseconds only. Zeros past the third digit say nothing
 * and are dropped.
 */
function withFiner(iso: string, fraction: string | undefined): string {
  const finer = fraction === undefined || fraction.length <= 3 ? '' : fraction.slice(3).replace(/0+$/, '');
  return finer === '' ? iso : `${iso.slice(0, -1)}${finer}Z`;
}
