// The record stage of `report`: run where rows are decoded (worker threads included), it cuts each record
// down to the few columns the page counts, so only those travel back to the main thread. Every column it
// keeps has PII class `none`; names, emails and free text never leave the worker.
import { createStage as redactStage, type StageOptions } from '@talent-export/redact';
import { SCHEMAS, type TableName, type TypedRecord, type Value } from '@talent-export/schema';

/**
 * What the stage gives for a record: `k`, the values the page counts, as a tuple whose JSON text is a
 * counter's key (see `addLines`), and `c`, the columns this thread saw holding a value for the first time.
 */
export interface Slim {
  k?: Value[];
  c?: string[];
}

const month = (value: Value | undefined): string | null =>
  typeof value === 'string' && value.length >= 7 ? value.slice(0, 7) : null;

/** The values counted per table, in the order `tally.ts` reads them; a table not listed is counted as rows. */
const KEY: Partial<Record<TableName, (r: TypedRecord) => Value[]>> = {
  candidates: (r) => [r.project_id ?? null, r.hiring_state_id ?? null, r.sourcing_channels ?? null],
  projects: (r) => [
    r.project_id ?? null,
    r.project_name ?? null,
    r.state ?? null,
    month(r.job_post_created_at),
  ],
  hiring_states: (r) => [r.candidate_hiringstate_id ?? null, r.name ?? null, r.type ?? null],
  interview_modules: (r) => [
    r.interview_module_id ?? null,
    r.name ?? null,
    r.state ?? null,
    month(r.start_time),
  ],
  scorecards: (r) => [r.interview_module_id ?? null, r.overall_recommendation ?? null],
  feedbacks: (r) => [r.approved_for_referral ?? null],
  custom_field_values: (r) => [r.entity_type ?? null, month(r.created_time)],
};

/** Columns with a value seen so far on this thread, per table: only those still empty are looked at. */
function columnWatch() {
  const empty = new Map<TableName, string[]>();
  return (table: TableName, record: TypedRecord): string[] | undefined => {
    let names = empty.get(table);
    if (!names) {
      names = SCHEMAS[table].fields.map((field) => field.name);
      empty.set(table, names);
    }
    if (names.length === 0) return undefined;
    let added: string[] | undefined;
    for (const name of names) {
      const value = record[name];
      if (value !== null && value !== undefined) (added ??= []).push(name);
    }
    if (added) {
      const seen = added;
      empty.set(
        table,
        names.filter((name) => !seen.includes(name)),
      );
    }
    return added;
  };
}

/** With `redact` (report --policy), each record also goes through that redaction, for its counts only. */
export function createStage(options?: { redact?: StageOptions }) {
  const watch = columnWatch();
  const redact = options?.redact ? redactStage(options.redact).transform : undefined;
  return (table: TableName, record: TypedRecord): TypedRecord | null => {
    // The redactor makes a new record and counts what it changed; the page counts the export as it is.
    redact?.(table, record);
    const key = KEY[table];
    const columns = watch(table, record);
    if (!key && !columns) return null;
    // `k` before `c`: a line without `c` ends with the key's JSON text.
    const out: Slim = key ? { k: key(record) } : {};
    if (columns) out.c = columns;
    return out as unknown as TypedRecord;
  };
}
