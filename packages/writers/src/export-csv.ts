// CSV in the shape of Talent Hub's own export (what the schema reads back), not typed CSV: the source's
// header names and column order, lists joined with `;`, times as the export writes them.
import { columnKey, type FieldSchema } from '@talent-export/schema';
import type { TypedRecord, Value } from './types.js';

/** One column of an export-shaped table: its header as written, and the record key it is read from. */
export interface ExportColumn {
  /** The header cell as the source wrote it (any case). */
  readonly header: string;
  /** The record key: the schema field's name, or the extra column's header. */
  readonly key: string;
  readonly field: FieldSchema | undefined;
  /** An extra column not kept: its header stays, its cells are empty. */
  readonly emptied?: true;
}

/**
 * The columns to write for a source header, in its order: every column the schema knows (matched as the
 * schema matches them, `columnKey`), and the others with their values when `keepExtra` names them,
 * else emptied, so the header and column order stay the source's.
 */
export function exportColumns(
  header: readonly string[],
  fields: readonly FieldSchema[],
  keepExtra: readonly string[] = [],
): ExportColumn[] {
  const byName = new Map(fields.map((field) => [columnKey(field.name), field]));
  const columns: ExportColumn[] = [];
  for (const raw of header) {
    const field = byName.get(columnKey(raw));
    if (field) columns.push({ header: raw, key: field.name, field });
    else if (keepExtra.includes(raw)) columns.push({ header: raw, key: raw, field: undefined });
    else columns.push({ header: raw, key: raw, field: undefined, emptied: true });
  }
  return columns;
}

/** The header line (`\n` ended). */
export function exportHeaderLine(columns: readonly ExportColumn[]): string {
  return `${columns.map((column) => quote(column.header)).join(',')}\n`;
}

/**
 * The row a record was decoded from: the record as decoded and its cells as written, in the source
 * header's order (the schema decoder's record item with `cellTexts`).
 */
export interface SourceRow {
  readonly record: TypedRecord;
  readonly texts?: readonly string[] | undefined;
}

/**
 * One row (`\n` ended). With `source`, the row `record` was made from: a value left as decoded is written
 * as its cell was (`1640171967`, `TRUE`, `0012`, `1.50`, `a; b`), only quoted where needed, so a column
 * nobody changed keeps the source's form; a value changed is written as `exportCell` writes it.
 */
export function encodeExportRow(
  record: TypedRecord,
  columns: readonly ExportColumn[],
  source?: SourceRow,
): string {
  const texts = source?.texts;
  let row = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) row += ',';
    const column = columns[i]!;
    if (column.emptied) continue;
    const value = record[column.key];
    const text = texts?.[i];
    // An empty value is an empty cell, whatever stood for it (an R `NA`).
    if (
      text !== undefined &&
      value !== null &&
      value !== undefined &&
      same(value, source!.record[column.key])
    )
      row += quote(text);
    else row += exportCell(value, column.field?.type === 'timestamp');
  }
  return `${row}\n`;
}

/** Whether a value is the one decoded; a list made anew with the same items (scrubbed, none found) is. */
function same(value: Value, decoded: Value | undefined): boolean {
  if (value === decoded) return true;
  if (!Array.isArray(value) || !Array.isArray(decoded) || value.length !== decoded.length) return false;
  for (let k = 0; k < value.length; k++) if (value[k] !== decoded[k]) return false;
  return true;
}

/**
 * A cell: null is empty; a list is its items joined with `;` (the schema splits on it and trims); a time
 * (ISO 8601 UTC, as decoded) is `yyyy-MM-dd HH:mm:ss`, with its fraction when it has one, digits as
 * decoded: one form for a whole column, which DuckDB and spreadsheets read as times. Epoch milliseconds
 * for times off the whole second made a column of two forms, which readers then took as text.
 */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

export function exportCell(value: Value | undefined, time = false): string {
  if (value === null || value === undefined) return '';
  // An empty list (read from a cell like `;`) is written `;`: an empty cell would read back as null.
  if (Array.isArray(value)) return value.length === 0 ? ';' : quote(value.join(';'));
  if (typeof value !== 'string') return String(value);
  const parts = time ? ISO_TIME.exec(value) : null;
  if (parts) {
    const fraction = parts[3]?.replace(/0+$/, '') ?? '';
    return `${parts[1]} ${parts[2]}${fraction === '' ? '' : `.${fraction.padEnd(3, '0')}`}`;
  }
  return quote(value);
}

// Spaces at either end are quoted too: a reader that trims unquoted cells keeps them then.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
