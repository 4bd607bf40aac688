// A record stage for collecting the values the leak scan looks for in worker threads: every column that
// holds none of them (free text above all, the bulk of an export) is emptied where the row is decoded, so
// only the few personal values travel back to the thread that builds the `LeakScanner`.
import { SCHEMAS, type TableName, type TypedRecord } from '@talent-export/schema';
import { LEAK_CLASSES } from './leaks.js';

const EMPTIED = Object.fromEntries(
  Object.values(SCHEMAS).map((schema) => [
    schema.name,
    schema.fields
      .filter((f) => !f.required && !(LEAK_CLASSES as readonly string[]).includes(f.pii))
      .map((f) => f.name),
  ]),
) as Record<TableName, string[]>;

export function createStage(): (table: TableName, record: TypedRecord) => TypedRecord {
  return (table, record) => {
    const out = { ...record };
    for (const name of EMPTIED[table]) if (name in out) out[name] = null;
    return out;
  };
}
