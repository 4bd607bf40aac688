import type { FieldSchema } from '@talent-export/schema';
import type { TypedRecord, Value } from './types.js';

/**
 * RFC 4180 CSV with `\n` line ends. A null is an empty cell; an empty string is `""` so readers that
 * tell them apart (DuckDB with allow_quoted_nulls=false) can. Lists are JSON array text, so a `;`
 * or `,` inside an item survives. Columns not in the schema are left out (the manifest names them).
 */
export function csvHeader(fields: readonly FieldSchema[]): string {
  return `${fields.map((field) => csvCell(field.name)).join(',')}\n`;
}

export function encodeCsvRow(record: TypedRecord, fields: readonly FieldSchema[]): string {
  let row = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) row += ',';
    row += csvCell(record[fields[i]!.name]);
  }
  return `${row}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One cell; exported for tools that write their own rows. */
export function csvCell(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    if (value === '') return '""';
    return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  }
  if (Array.isArray(value)) return `"${JSON.stringify(value).replaceAll('"', '""')}"`;
  return String(value);
}
