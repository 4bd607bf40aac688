// The record stage of `report`: run where rows are decoded (worker threads included), it cuts each record
// down to the few columns the page counts, so only those travel back to the main thread. Every column it
// keeps has PII class `none`; names, emails and free text never leave the worker. Its records hold only
// those columns (`STAGE_COLUMNS`): the engine leaves the others undecoded.
import { createStage as redactStage, type StageOptions } from '@talent-export/redact';
import { TABLE_NAMES, type TableName, type TypedRecord, type Value } from '@talent-export/schema';

/**
 * What the stage gives for a record: `k`, the values the page counts, as a tuple whose JSON text is a
 * counter's key (see `addLines`).
 */
export interface Slim {
  k: Value[];
}

/** The values counted per table, in the order `tally.ts` reads them; the other tables are counted as rows. */
const KEYS: Partial<Record<TableName, readonly string[]>> = {
  candidates: ['project_id', 'hiring_state_id', 'sourcing_channels'],
  projects: ['project_id', 'project_name', 'state', 'job_post_created_at'],
  hiring_states: ['candidate_hiringstate_id', 'name', 'type'],
  interview_modules: ['interview_module_id', 'name', 'state', 'start_time'],
  scorecards: ['interview_module_id', 'overall_recommendation'],
  feedbacks: ['approved_for_referral'],
  custom_field_values: ['entity_type', 'created_time'],
};
/** Times counted by month (`yyyy-MM`). */
const MONTHLY = new Set(['job_post_created_at', 'start_time', 'created_time']);

/** The columns the stage reads, per table (StageSpec `columns`): none of the tables it only counts. */
export const STAGE_COLUMNS = Object.fromEntries(
  TABLE_NAMES.map((table) => [table, KEYS[table] ?? []]),
) as Record<TableName, readonly string[]>;

const month = (value: Value | undefined): string | null =>
  typeof value === 'string' && value.length >= 7 ? value.slice(0, 7) : null;

/**
 * With `redact` (report --policy), each record also goes through that redaction, for its counts only:
 * the redactor reads every column, so the stage is then given whole records (no `columns`).
 */
export function createStage(options?: { redact?: StageOptions }) {
  const redact = options?.redact ? redactStage(options.redact).transform : undefined;
  return (table: TableName, record: TypedRecord): TypedRecord | null => {
    // The redactor makes a new record and counts what it changed; the page counts the export as it is.
    redact?.(table, record);
    const columns = KEYS[table];
    if (!columns) return null;
    const out: Slim = {
      k: columns.map((name) => (MONTHLY.has(name) ? month(record[name]) : (record[name] ?? null))),
    };
    return out as unknown as TypedRecord;
  };
}
