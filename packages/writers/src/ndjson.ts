import type { FieldSchema } from '@talent-export/schema';
import type { TypedRecord } from './types.js';

/**
 * One JSON object per line: schema fields first, in schema order (null when missing), then keys the
 * schema does not know, in the record's own order, so nothing the decoder kept is lost.
 * Values are written as given; `TableWriter` checks them against the field types first.
 */
export function encodeNdjsonLine(record: TypedRecord, fields: readonly FieldSchema[]): string {
  let line = '{';
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!.name;
    const value = record[name];
    line += `${i === 0 ? '' : ','}${JSON.stringify(name)}:${value === undefined ? 'null' : JSON.stringify(value)}`;
  }
  for (const key of extraKeys(record, fields)) {
    const value = record[key];
    line += `${line.length === 1 ? '' : ','}${JSON.stringify(key)}:${value === undefined ? 'null' : JSON.stringify(value)}`;
  }
  return `${line}}\n`;
}

const known = new WeakMap<readonly FieldSchema[], Set<string>>();

/** Keys of a record that are not fields of the schema, in the record's order. */
export function extraKeys(record: TypedRecord, fields: readonly FieldSchema[]): string[] {
  let names = known.get(fields);
  if (!names) {
    names = new Set(fields.map((field) => field.name));
    known.set(fields, names);
  }
  const extra: string[] = [];
  for (const key in record) if (!names.has(key)) extra.push(key);
  return extra;
}
