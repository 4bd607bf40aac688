import type { FieldSchema } from '@talent-export/schema';
import type { TypedRecord } from './types.js';

/**
 * One JSON object per line: schema fields first, in schema order (null when missing), then keys the
 * schema does not know, in the record's own order, so nothing the decoder kept is lost.
 * Values are written as given; `TableWriter` checks them against the field types first.
 */
export function encodeNdjsonLine(
  record: TypedRecord,
  fields: readonly FieldSchema[],
  ordered = inSchemaOrder(record, fields),
): string {
  // The usual case (a decoded record): JSON.stringify already writes exactly this line, much faster.
  if (ordered) return `${JSON.stringify(record)}\n`;
  const keys = keyPrefixes(fields);
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const value = record[fields[i]!.name];
    line += keys[i]! + (value === undefined || value === null ? 'null' : JSON.stringify(value));
  }
  for (const key of extraKeys(record, fields)) {
    const value = record[key];
    line += `${line === '' ? '{' : ','}${JSON.stringify(key)}:${value === undefined ? 'null' : JSON.stringify(value)}`;
  }
  return line === '' ? '{}\n' : `${line}}\n`;
}

const prefixes = new WeakMap<readonly FieldSchema[], string[]>();

/** `{"a":`, `,"b":`, ... computed once per field list: names never change between rows. */
function keyPrefixes(fields: readonly FieldSchema[]): string[] {
  let keys = prefixes.get(fields);
  if (!keys) {
    keys = fields.map((field, i) => `${i === 0 ? '{' : ','}${JSON.stringify(field.name)}:`);
    prefixes.set(fields, keys);
  }
  return keys;
}

const known = new WeakMap<readonly FieldSchema[], Set<string>>();

/** True when the record's own keys are the fields, in order, with no value left undefined. */
export function inSchemaOrder(record: TypedRecord, fields: readonly FieldSchema[]): boolean {
  let i = 0;
  for (const key in record) {
    if (i >= fields.length || key !== fields[i]!.name || record[key] === undefined) return false;
    i++;
  }
  return i === fields.length;
}

/** Keys of a record that are not fields of the schema, in the record's order. */
export function extraKeys(record: TypedRecord, fields: readonly FieldSchema[]): string[] {
  if (inSchemaOrder(record, fields)) return [];
  let names = known.get(fields);
  if (!names) {
    names = new Set(fields.map((field) => field.name));
    known.set(fields, names);
  }
  const extra: string[] = [];
  for (const key in record) if (!names.has(key)) extra.push(key);
  return extra;
}
