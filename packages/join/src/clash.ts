// A column the schema does not know keeps its value in the documents, under its own name. When that name is
// one the join adds itself (a hand-made "project" column of Candidate.csv, "name" of CustomFieldValues.csv),
// the two would share a key: a JSON reader keeps one of them, so the column's values would be lost unseen.

import type { TableName } from '@talent-export/schema';

/**
 * `record[key] = value` as an own key: assigned, a column headed `__proto__` (a header is any text) would set
 * the object's prototype instead and its values would be missing from the documents.
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

// Keys are compared in any case: DuckDB's read_json and Spark match JSON keys so, and refuse a whole file
// whose object holds "Project" beside "project" ("Duplicate name in struct").

/** Keys the join adds to the rows of a table, in documents and in projects.ndjson. */
export const JOIN_ADDS = {
  candidates: ['hiring_state', 'project'],
  custom_field_values: ['name', 'type'],
  scorecards: ['interview_module'],
  projects: ['job_posts', 'custom_fields', 'stages', 'candidates_without_stage', 'candidates'],
} as const satisfies Partial<Record<TableName, readonly string[]>>;

/** `<key>_column`, then `<key>_column_2`, ...: the first that `taken` does not hold, in any case. */
function freeName(key: string, taken: (lower: string) => boolean): string {
  let name = `${key}_column`;
  for (let n = 2; taken(name.toLowerCase()); n++) name = `${key}_column_${n}`;
  return name;
}

/** The name a column is kept under when the join adds a key of its name: `<name>_column` (then `_2`, ...). */
export function keptName(record: Record<string, unknown>, key: string): string {
  const keys = new Set(Object.keys(record).map((k) => k.toLowerCase()));
  return freeName(key, (lower) => keys.has(lower));
}

/**
 * The name a column headed `header` is kept under in documents when it is a key the join adds to the rows of
 * `table` in another case (`Project`, `NAME`): `<header>_column`, free of the header's other cells in any
 * case; undefined for any other column (the same case is moved by `keptName` where the key is added).
 */
export function caseClashName(table: TableName, header: readonly string[], cell: string): string | undefined {
  const added: readonly string[] = (JOIN_ADDS as Partial<Record<TableName, readonly string[]>>)[table] ?? [];
  const lower = cell.toLowerCase();
  if (added.includes(cell) || !added.includes(lower)) return undefined;
  const cells = new Set(header.map((c) => c.toLowerCase()));
  return freeName(cell, (name) => cells.has(name) || added.includes(name));
}

/** `record`, with each key of `added` it holds moved to its `keptName`; `record` itself when none. */
export function moveClashing(
  record: Record<string, unknown>,
  added: readonly string[],
): Record<string, unknown> {
  if (!added.some((key) => key in record)) return record;
  const moved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!added.includes(key)) setOwn(moved, key, value);
  for (const key of added) if (key in record) moved[keptName(moved, key)] = record[key];
  return moved;
}
