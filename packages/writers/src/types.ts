import type { FieldSchema } from '@talent-export/schema';

/** A decoded cell: the schema decoder's output, structurally identical to its `Value`. */
export type Value = string | number | boolean | string[] | null;

/** One decoded row: field name to value; a missing key reads as null. */
export type TypedRecord = Record<string, Value>;

export type Format = 'ndjson' | 'csv' | 'parquet';

export const FORMATS: readonly Format[] = ['ndjson', 'csv', 'parquet'];

export type { FieldSchema };
