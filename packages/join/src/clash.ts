// A column the schema does not know keeps its value in the documents, under its own name. When that name is
// one the join adds itself (a hand-made "project" column of Candidate.csv, "name" of CustomFieldValues.csv),
// the two would share a key: a JSON reader keeps one of them, so the column's values would be lost unseen.

/**
 * `record[key] = value` as an own key: assigned, a column headed `__proto__` (a header is any text) would set
 * the object's prototype instead and its values would be missing from the documents.
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** The name a column is kept under when the join adds a key of its name: `<name>_column` (then `_2`, ...). */
export function keptName(record: Record<string, unknown>, key: string): string {
  let name = `${key}_column`;
  for (let n = 2; name in record; n++) name = `${key}_column_${n}`;
  return name;
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
