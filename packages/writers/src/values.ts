import type { FieldSchema } from '@talent-export/schema';
import { WriterError } from './errors.js';
import type { Value } from './types.js';

// ISO 8601 in UTC, as the schema decoder writes it; fractions beyond milliseconds are allowed.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Where a value came from, so a bad one can be found and fixed. */
export interface ValueContext {
  readonly table: string;
  readonly row: number;
}

/**
 * Checks one value against its field type and returns it with undefined read as null.
 * All three formats call this, so a value one format accepts is accepted by all.
 */
export function checkValue(field: FieldSchema, value: Value | undefined, where: ValueContext): Value {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'id':
    case 'text':
      if (typeof value === 'string') return value;
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'timestamp':
      if (typeof value === 'string' && ISO_UTC.test(value) && onTheCalendar(value)) return value;
      break;
    case 'list':
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
      break;
  }
  throw new WriterError(
    'WRITER_BAD_VALUE',
    `table ${where.table}, row ${where.row}, field ${field.name}: expected ${EXPECTED[field.type]}, got ${describe(value)}; ` +
      'decode the row with the schema package or declare the field with the type it holds',
  );
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the date and clock of an ISO_UTC text exist. Date.parse takes 2021-02-30 as March 2 and 24:00 as
 * the next day, so Parquet would hold another instant than the text NDJSON and CSV keep, which readers
 * then refuse or read as null.
 */
function onTheCalendar(text: string): boolean {
  const n = (at: number, digits: number) => Number(text.slice(at, at + digits));
  const year = n(0, 4);
  const month = n(5, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS[month - 1];
  const day = n(8, 2);
  return days !== undefined && day >= 1 && day <= days && n(11, 2) <= 23 && n(14, 2) <= 59 && n(17, 2) <= 59;
}

const EXPECTED: Record<FieldSchema['type'], string> = {
  id: 'a string',
  text: 'a string',
  integer: 'a safe integer (|n| <= 2^53-1; keep larger ids as strings)',
  number: 'a finite number',
  boolean: 'true or false',
  timestamp: 'an ISO 8601 UTC string of a real date and time, like 2021-01-26T17:45:00.000Z',
  list: 'an array of strings',
};

/** A value's type and size, never the value: a column's text may be personal data. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
