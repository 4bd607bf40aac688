// A record stage for collecting the values the leak scan looks for in worker threads: every column that
// holds none of them (free text above all, the bulk of an export) is emptied where the row is decoded, so
// only the few personal values travel back to the thread that builds the `LeakScanner`. Of free text, the
// LinkedIn links it holds are kept (`profileLinksIn`): the scanner searches them as profile URLs.
import { SCHEMAS, type TableName, type TypedRecord, type Value } from '@talent-export/schema';
import { profileLinksIn } from './leak-urls.js';
import { LEAK_CLASSES } from './leaks.js';

const EMPTIED = Object.fromEntries(
  Object.values(SCHEMAS).map((schema) => [
    schema.name,
    schema.fields
      .filter((f) => !f.required && !(LEAK_CLASSES as readonly string[]).includes(f.pii))
      .map((f) => f.name),
  ]),
) as Record<TableName, string[]>;

const FREE_TEXT = new Set(
  Object.values(SCHEMAS).flatMap((schema) =>
    schema.fields.filter((f) => f.pii === 'free_text').map((f) => `${schema.name}.${f.name}`),
  ),
);

/** The links a free text value holds, one a line, or null for none. */
function linksOf(value: Value): string | null {
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const links = texts.flatMap((text) => (typeof text === 'string' ? profileLinksIn(text) : []));
  return links.length === 0 ? null : links.join('\n');
}

export function createStage(): (table: TableName, record: TypedRecord) => TypedRecord {
  return (table, record) => {
    const out = { ...record };
    for (const name of EMPTIED[table]) {
      if (!(name in out)) continue;
      out[name] = FREE_TEXT.has(`${table}.${name}`) ? linksOf(out[name]!) : null;
    }
    return out;
  };
}
