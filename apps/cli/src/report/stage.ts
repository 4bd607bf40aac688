// The record stage of `report`: run where rows are decoded (worker threads included), it cuts each record
// down to the few columns the page counts, so only those travel back to the main thread. Every column it
// keeps has PII class `none`; names, emails and free text never leave the worker.
import { SCHEMAS, type TableName, type TypedRecord, type Value } from '@talent-export/schema';

/** What the page counts, per table; a table not listed here is only counted as rows. */
export interface Slim {
  /** candidates: hiring state, project, sourcing channels */
  h?: Value;
  p?: Value;
  s?: Value;
  /** projects, hiring_states, interview_modules: the row's id and its label */
  i?: Value;
  n?: Value;
  /** a state or type */
  t?: Value;
  /** a month, `yyyy-MM`, of the table's time column */
  m?: Value;
  /** scorecards: interview module and recommendation; feedbacks: approved for referral */
  r?: Value;
  /** Columns this thread saw holding a value for the first time (empty columns are found from these). */
  c?: string[];
}

const month = (value: Value | undefined): string | null =>
  typeof value === 'string' && value.length >= 7 ? value.slice(0, 7) : null;

const SLIM: Partial<Record<TableName, (r: TypedRecord) => Slim>> = {
  candidates: (r) => ({
    h: r.hiring_state_id ?? null,
    p: r.project_id ?? null,
    s: r.sourcing_channels ?? null,
  }),
  projects: (r) => ({
    i: r.project_id ?? null,
    n: r.project_name ?? null,
    t: r.state ?? null,
    m: month(r.job_post_created_at),
  }),
  hiring_states: (r) => ({ i: r.candidate_hiringstate_id ?? null, n: r.name ?? null, t: r.type ?? null }),
  interview_modules: (r) => ({
    i: r.interview_module_id ?? null,
    n: r.name ?? null,
    t: r.state ?? null,
    m: month(r.start_time),
  }),
  scorecards: (r) => ({ i: r.interview_module_id ?? null, r: r.overall_recommendation ?? null }),
  feedbacks: (r) => ({ r: r.approved_for_referral ?? null }),
  custom_field_values: (r) => ({ t: r.entity_type ?? null, m: month(r.created_time) }),
};

/** Columns with a value seen so far on this thread, per table. */
function columnWatch() {
  const seen = new Map<TableName, Set<string>>();
  return (table: TableName, record: TypedRecord): string[] | undefined => {
    let set = seen.get(table);
    if (!set) {
      set = new Set();
      seen.set(table, set);
    }
    if (set.size === SCHEMAS[table].fields.length) return undefined;
    let added: string[] | undefined;
    for (const field of SCHEMAS[table].fields) {
      const value = record[field.name];
      if (value === null || value === undefined || set.has(field.name)) continue;
      set.add(field.name);
      (added ??= []).push(field.name);
    }
    return added;
  };
}

export function createStage() {
  const watch = columnWatch();
  return (table: TableName, record: TypedRecord): TypedRecord | null => {
    const slim = SLIM[table];
    const columns = watch(table, record);
    if (!slim && !columns) return null;
    const out: Slim = slim ? slim(record) : {};
    if (columns) out.c = columns;
    return out as TypedRecord;
  };
}
