import type { TypedRecord } from './decoder.js';
import { type IdLookup, IdSet } from './ids.js';
import type { TableName } from './tables.js';
import type { Value } from './values.js';

export interface ReferenceReport {
  /** `<table>.<column> -> <table>.<column>` */
  check: string;
  /** Rows whose reference (or, for a list, any item of it) is missing. */
  rows: number;
  /** Up to 5 missing values, in the order first seen. */
  examples: string[];
}

export interface ReferenceChecker {
  /**
   * Adds a row; `rows` > 1 adds that many rows alike in the columns the checks read (see `referenceColumns`).
   * An id may also be given as its `numericId`.
   */
  add(table: TableName, record: TypedRecord, rows?: number): void;
  /**
   * Adds rows given as values: `values` holds a value of each of `columns` a row, row after row, and
   * `rows[r]` rows are alike in row r's values (as `add` with `rows`). For rows decoded elsewhere (worker
   * threads send the columns `referenceColumns` names): no record is made per row.
   */
  addRows(
    table: TableName,
    columns: readonly string[],
    values: readonly Value[],
    rows: readonly number[],
  ): void;
  /**
   * Says every row of a table was added. References to a complete table are then checked as rows
   * arrive, keeping nothing per referenced value: feeding the referenced tables first (see
   * `REFERENCE_ORDER`) bounds memory by the key sets alone.
   */
  complete(table: TableName): void;
  /** The keys seen so far of a referenced column (e.g. every candidates.candidate_id), to share, not copy. */
  keys(table: TableName, column: string): IdLookup | undefined;
  finish(): ReferenceReport[];
  /** Rows of the tables looked up by one id (`UNIQUE_KEYS`) whose id another row had before them. */
  repeated(): RepeatedKeys[];
}

export interface RepeatedKeys {
  table: TableName;
  column: string;
  rows: number;
  /** The first few ids repeated. */
  examples: string[];
}

/**
 * The tables whose rows are looked up by one id: a second row with the same id is a row nobody can tell
 * from the first (join, the report page take the first).
 */
export const UNIQUE_KEYS: Partial<Record<TableName, string>> = {
  hiring_states: 'candidate_hiringstate_id',
  interview_modules: 'interview_module_id',
  custom_field_definitions: 'custom_field_id',
};

export interface ReferenceCheck {
  readonly from: TableName;
  readonly column: string;
  readonly to: TableName;
  readonly key: string;
  /**
   * Only rows whose `column` holds `is` (trimmed, any case) are checked: custom field values point at
   * candidates or projects.
   */
  readonly when?: { readonly column: string; readonly is: string };
}

/**
 * Whether an `entity_type` value names this entity (`type` in lower case): exports write "candidate",
 * "Candidate" or "CANDIDATE", with stray spaces, and every reader must agree on which rows are whose.
 */
export function isEntityType(value: unknown, type: string): boolean {
  if (typeof value !== 'string') return false;
  return value === type || value.trim().toLowerCase() === type;
}

const entityIs = (type: string) => ({ column: 'entity_type', is: type.trim().toLowerCase() });

const applies = (c: ReferenceCheck, record: TypedRecord): boolean =>
  c.when === undefined || isEntityType(record[c.when.column], c.when.is);

/**
 * The columns of a table the reference checks read: a record holding just these (a thin record) checks
 * the same as the whole one, so rows decoded elsewhere need only send these values.
 */
export function referenceColumns(table: TableName): string[] {
  const columns = new Set<string>();
  for (const c of REFERENCE_CHECKS) {
    if (c.to === table) columns.add(c.key);
    if (c.from !== table) continue;
    columns.add(c.column);
    if (c.when) columns.add(c.when.column);
  }
  return [...columns];
}

/** Every reference the guide names, in report order. */
export const REFERENCE_CHECKS: readonly ReferenceCheck[] = [
  { from: 'candidates', column: 'hiring_state_id', to: 'hiring_states', key: 'candidate_hiringstate_id' },
  ...(['candidates', 'feedbacks', 'messages', 'notes', 'scorecards'] as const).map((from) => ({
    from,
    column: 'project_id',
    to: 'projects' as const,
    key: 'project_id',
  })),
  ...(['feedbacks', 'messages', 'notes', 'scorecards'] as const).map((from) => ({
    from,
    column: 'candidate_id',
    to: 'candidates' as const,
    key: 'candidate_id',
  })),
  { from: 'scorecards', column: 'interview_module_id', to: 'interview_modules', key: 'interview_module_id' },
  {
    from: 'custom_field_values',
    column: 'custom_field_id',
    to: 'custom_field_definitions',
    key: 'custom_field_id',
  },
  {
    from: 'custom_field_values',
    column: 'entity_id',
    to: 'candidates',
    key: 'candidate_id',
    when: entityIs('candidate'),
  },
  {
    from: 'custom_field_values',
    column: 'entity_id',
    to: 'projects',
    key: 'project_id',
    when: entityIs('project'),
  },
  {
    from: 'projects',
    column: 'candidate_hiring_state_ids',
    to: 'hiring_states',
    key: 'candidate_hiringstate_id',
  },
];

/** Tables in an order where every referenced table comes before the tables that refer to it. */
export const REFERENCE_ORDER: readonly TableName[] = [
  'hiring_states',
  'projects',
  'interview_modules',
  'custom_field_definitions',
  'candidates',
  'custom_field_values',
  'feedbacks',
  'messages',
  'notes',
  'scorecards',
];

export const checkName = (c: ReferenceCheck) => `${c.from}.${c.column} -> ${c.to}.${c.key}`;

/**
 * Referential checks in memory bounded by keys and distinct referenced values (never whole tables), so
 * tables may be fed in any order: both sides are only compared in `finish`.
 */
export function createReferenceChecker(): ReferenceChecker {
  const keys = new Map<string, IdSet>();
  const keyOf = (table: TableName, column: string) => {
    const name = `${table}.${column}`;
    let set = keys.get(name);
    if (set === undefined) keys.set(name, (set = new IdSet()));
    return set;
  };
  // Per check whose target is complete: rows found missing so far, and the first missing values.
  const done = new Set<TableName>();
  const missingRows = REFERENCE_CHECKS.map(() => 0);
  const examplesOf = REFERENCE_CHECKS.map((): string[] => []);
  // A single value is checked as is: this runs for every row of the big tables, so no array per row.
  const note = (i: number, values: string | number | readonly string[]): boolean => {
    if (typeof values !== 'object') return missing(i, values);
    let any = false;
    for (const item of values) if (missing(i, item)) any = true;
    return any;
  };
  const missing = (i: number, item: string | number): boolean => {
    if (targets[i]!.has(item)) return false;
    const examples = examplesOf[i]!;
    const text = String(item);
    if (examples.length < 5 && !examples.includes(text)) examples.push(text);
    return true;
  };
  // Per check whose target is not complete yet: referenced value -> rows holding it; lists keyed by JSON.
  const single = REFERENCE_CHECKS.map(() => new Map<string, number>());
  const lists = REFERENCE_CHECKS.map(() => new Map<string, number>());
  const targets = REFERENCE_CHECKS.map((c) => keyOf(c.to, c.key));
  // What each table feeds, worked out once rather than for every row.
  const plan = new Map<TableName, Plan>();
  const planOf = (table: TableName) => {
    let p = plan.get(table);
    if (p === undefined) plan.set(table, (p = { keys: [], keyColumns: [], checks: [] }));
    return p;
  };
  for (const k of new Set(REFERENCE_CHECKS.map((c) => `${c.to}\u0000${c.key}`))) {
    const [table, column] = k.split('\u0000') as [TableName, string];
    planOf(table).keys.push(keyOf(table, column));
    planOf(table).keyColumns.push(column);
  }
  REFERENCE_CHECKS.forEach((c, i) => {
    planOf(c.from).checks.push(i);
  });
  const repeats = new Map<TableName, RepeatedKeys>();
  const repeat = (table: TableName, column: string, value: string | number, rows: number) => {
    let r = repeats.get(table);
    if (r === undefined) repeats.set(table, (r = { table, column, rows: 0, examples: [] }));
    r.rows += rows;
    const text = String(value);
    if (r.examples.length < 5 && !r.examples.includes(text)) r.examples.push(text);
  };

  // Per table fed through addRows: where its key columns and checked columns are among the columns given.
  const placed = new Map<
    TableName,
    { columns: readonly string[]; keys: number[]; checks: number[]; when: number[] }
  >();
  const placeOf = (table: TableName, columns: readonly string[], p: Plan) => {
    let at = placed.get(table);
    if (at?.columns !== columns) {
      const index = (name: string | undefined) => (name === undefined ? -1 : columns.indexOf(name));
      at = {
        columns,
        keys: p.keyColumns.map(index),
        checks: p.checks.map((i) => index(REFERENCE_CHECKS[i]!.column)),
        when: p.checks.map((i) => index(REFERENCE_CHECKS[i]!.when?.column)),
      };
      placed.set(table, at);
    }
    return at;
  };
  const addKey = (table: TableName, p: Plan, k: number, value: Value | undefined, rows: number) => {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const set = p.keys[k]!;
    const column = p.keyColumns[k]!;
    if (column === UNIQUE_KEYS[table]) {
      const again = set.has(value) ? rows : rows - 1;
      if (again > 0) repeat(table, column, value, again);
    }
    set.add(value);
  };
  const check = (i: number, value: Value | undefined, rows: number) => {
    if (done.has(REFERENCE_CHECKS[i]!.to)) {
      const id = typeof value === 'string' || typeof value === 'number' || Array.isArray(value);
      if (id && note(i, value)) missingRows[i]! += rows;
    } else if (typeof value === 'string') bump(single[i]!, value, rows);
    else if (typeof value === 'number') bump(single[i]!, String(value), rows);
    else if (Array.isArray(value) && value.length > 0) bump(lists[i]!, JSON.stringify(value), rows);
  };

  return {
    add(table, record, rows = 1) {
      const p = plan.get(table);
      if (p === undefined) return;
      for (let k = 0; k < p.keys.length; k++) addKey(table, p, k, record[p.keyColumns[k]!], rows);
      for (const i of p.checks) {
        const c = REFERENCE_CHECKS[i]!;
        if (applies(c, record)) check(i, record[c.column], rows);
      }
    },
    addRows(table, columns, values, rows) {
      const p = plan.get(table);
      if (p === undefined) return;
      const at = placeOf(table, columns, p);
      const width = columns.length;
      for (let r = 0, base = 0; r < rows.length; r++, base += width) {
        const n = rows[r]!;
        for (let k = 0; k < at.keys.length; k++) {
          if (at.keys[k]! >= 0) addKey(table, p, k, values[base + at.keys[k]!], n);
        }
        for (let j = 0; j < p.checks.length; j++) {
          const i = p.checks[j]!;
          const when = REFERENCE_CHECKS[i]!.when;
          if (
            when !== undefined &&
            !isEntityType(at.when[j]! >= 0 ? values[base + at.when[j]!] : null, when.is)
          )
            continue;
          check(i, at.checks[j]! >= 0 ? values[base + at.checks[j]!] : null, n);
        }
      }
    },
    complete(table) {
      done.add(table);
    },
    keys(table, column) {
      return keys.get(`${table}.${column}`);
    },
    finish() {
      return REFERENCE_CHECKS.map((c, i) => {
        let rows = missingRows[i]!;
        for (const [value, count] of single[i]!) if (note(i, value)) rows += count;
        for (const [list, count] of lists[i]!) if (note(i, JSON.parse(list) as string[])) rows += count;
        return { check: checkName(c), rows, examples: examplesOf[i]! };
      });
    },
    repeated() {
      return [...repeats.values()];
    },
  };
}

/** What a table feeds the checker: its key sets (with their columns) and the checks of its rows. */
interface Plan {
  keys: IdSet[];
  keyColumns: string[];
  checks: number[];
}

function bump(counts: Map<string, number>, key: string, rows: number): void {
  counts.set(key, (counts.get(key) ?? 0) + rows);
}
