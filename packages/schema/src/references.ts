import type { TypedRecord } from './decoder.js';
import { type IdLookup, IdSet, IdView, type SharedIds } from './ids.js';
import type { TableName } from './tables.js';
import { isMissingMarker, type Value } from './values.js';

export interface ReferenceReport {
  /** `<table>.<column> -> <table>.<column>` */
  check: string;
  /** Rows whose reference (or, for a list, any item of it) is missing. */
  rows: number;
  /**
   * Up to 5 missing values, in the order first seen: only ids made of digits (`12.0` too, or with spaces
   * around them, ` 12`). Any other text in an id column may be personal data (a name or an e-mail in a
   * hand-edited table), so it is counted, never shown.
   */
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
   * threads send the columns `referenceColumns` names): no record is made per row. Checks shared with
   * `shareChecks` are left out: those rows were checked where they were decoded.
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
  /**
   * The table's checks whose target is complete, with a copy of each target's keys, for rows checked
   * where they are decoded (`MissingReferences`, another thread); their results come back through
   * `addMissing`, and `addRows` must then not be given their columns (see `referenceColumns`).
   */
  shareChecks(table: TableName): SharedCheck[];
  /** Rows found missing elsewhere by a shared check (see `shareChecks`), with the first values missing. */
  addMissing(found: MissingRows): void;
  /** Rows of the tables looked up by one id (`UNIQUE_KEYS`) whose id another row had before them. */
  repeated(): RepeatedKeys[];
}

export interface RepeatedKeys {
  table: TableName;
  column: string;
  rows: number;
  /** The first few ids repeated, of those made of digits (see `ReferenceReport.examples`). */
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
 * the same as the whole one, so rows decoded elsewhere need only send these values. `except`: checks
 * (indexes into REFERENCE_CHECKS) run elsewhere, whose columns are left out unless another needs them.
 */
export function referenceColumns(table: TableName, except?: ReadonlySet<number>): string[] {
  const columns = new Set<string>();
  REFERENCE_CHECKS.forEach((c, i) => {
    if (c.to === table) columns.add(c.key);
    if (c.from !== table || except?.has(i)) return;
    columns.add(c.column);
    if (c.when) columns.add(c.when.column);
  });
  return [...columns];
}

/** A check of a table's rows whose target is complete: its index in REFERENCE_CHECKS and the target's keys. */
export interface SharedCheck {
  readonly check: number;
  readonly target: SharedIds;
}

/** What a shared check found: rows whose reference is missing, and the first few values missing. */
export interface MissingRows {
  check: number;
  rows: number;
  examples: string[];
}

/** No value yet (see `MissingReferences.rowChecker`). */
const NONE = Symbol('none');

/** What a message says in place of examples of ids none of which `showableId` lets it show. */
export const IDS_NOT_SHOWN = 'not shown: they are not made of digits, and may be personal data';

/**
 * Whether an id may be shown as an example: made of digits (a whole number, `12.0` too, as pandas writes
 * one, or one a spreadsheet rounded, `1.00000001E+09`), it is no name, e-mail or phrase; nor is a tool's
 * word for a missing value (`NA`, as R writes one), which must be shown for the rows to be found.
 */
export const showableId = (text: string): boolean =>
  (text.length <= 40 && /^(?:\d+(?:\.0+)?|\d(?:\.\d+)?E\+\d+)$/i.test(text)) || isMissingMarker(text);

/** How many examples of missing values a check keeps. */
const EXAMPLES = 5;

/**
 * Whether `value` (an id, or a list of ids: any of them) is missing from `target`; the first few missing
 * go to `examples`, each once.
 */
function missingFrom(
  target: { has(id: string | number): boolean },
  value: string | number | readonly string[],
  examples: string[],
): boolean {
  if (typeof value !== 'object') return missingOne(target, value, examples);
  let any = false;
  for (const item of value) if (missingOne(target, item, examples)) any = true;
  return any;
}

function missingOne(
  target: { has(id: string | number): boolean },
  item: string | number,
  examples: string[],
) {
  if (target.has(item)) return false;
  const text = String(item);
  if (examples.length < EXAMPLES && (showableId(text) || paddedId(text)) && !examples.includes(text))
    examples.push(text);
  return true;
}

/**
 * Digits with spaces around them (` 10`, `10\u00a0`), as a hand-edited or re-saved table leaves an id, or
 * spaces alone (a tool that pads its cells wrote an empty one so): kept as written, it matches no id, and
 * showing it (quoted) is what tells why. Digits and spaces are no personal data.
 */
export const paddedId = (text: string): boolean =>
  text.length <= 40 && /^\s*\d*\s*$/.test(text) && text.trim() !== text;

/** A referenced value as the checks read it: an id or a list of ids (anything else is no reference). */
const isReference = (value: Value | undefined): value is string | number | string[] =>
  typeof value === 'string' || typeof value === 'number' || Array.isArray(value);

type Checker = (values: readonly Value[]) => void;

/**
 * One shared check of rows one at a time (see `MissingReferences.rowChecker`): the value at `at` is looked
 * up in `target` unless it is one of the last two values looked up, and what it finds goes to `found[j]`;
 * with `type`, only rows whose value at `typeAt` is that entity type are checked.
 */
function oneCheck(
  at: number,
  target: IdView,
  found: readonly MissingRows[],
  j: number,
  type: string | undefined,
  typeAt: number,
): Checker {
  // What the check found is replaced by take(): it is read from `found` each time.
  let last: unknown = NONE;
  let missing = false;
  // The value before the last, and what it found: a candidate's messages alternate among a few projects.
  let before: unknown = NONE;
  let missingBefore = false;
  const check: Checker = (values) => {
    const value = values[at];
    if (value !== last) {
      const was = missing;
      if (value === before) missing = missingBefore;
      else missing = isReference(value) && missingFrom(target, value, found[j]!.examples);
      before = last;
      missingBefore = was;
      last = value;
    }
    if (missing) found[j]!.rows += 1;
  };
  if (type === undefined) return check;
  let lastType: unknown = NONE;
  let typeOk = false;
  return (values) => {
    const kind = typeAt >= 0 ? values[typeAt] : null;
    if (kind !== lastType) {
      lastType = kind;
      typeOk = isEntityType(kind, type);
    }
    if (typeOk) check(values);
  };
}

/**
 * A table's shared checks (see `ReferenceChecker.shareChecks`), run where rows are decoded: rows go in as
 * `addRows` takes them, and `take` gives what the checker's own checks would have found in them.
 */
export class MissingReferences {
  readonly #checks: { check: ReferenceCheck; target: IdView }[];
  /** What each check found since the last take (replaced by take: those given out are not changed). */
  readonly #found: MissingRows[];
  #placed: { columns: readonly string[]; at: number[]; when: number[] } | undefined;

  constructor(shared: readonly SharedCheck[]) {
    this.#checks = shared.map(({ check, target }) => ({
      check: REFERENCE_CHECKS[check]!,
      target: new IdView(target),
    }));
    this.#found = shared.map(({ check }) => ({ check, rows: 0, examples: [] }));
  }

  /**
   * Checks rows of `columns` one at a time, as `addRows` checks them but without counting alike rows first:
   * rows of one candidate come together, so a value the row before held is not looked up again (a value
   * missing then is among the examples already, or was seen before them).
   */
  rowChecker(columns: readonly string[]): (values: readonly Value[]) => void {
    const { at, when } = this.#place(columns);
    // A closure of its own per check, its state in local variables: a loop over the checks, with arrays
    // of mixed values for their state, cost ~80 ns a row (a third of decoding a message's ids).
    const checkers = this.#checks.flatMap(({ check, target }, j) =>
      at[j]! < 0 ? [] : [oneCheck(at[j]!, target, this.#found, j, check.when?.is, when[j]!)],
    );
    if (checkers.length === 1) return checkers[0]!;
    if (checkers.length === 2) {
      const [first, second] = checkers as [Checker, Checker];
      return (values) => {
        first(values);
        second(values);
      };
    }
    return (values) => {
      for (const checker of checkers) checker(values);
    };
  }

  addRows(columns: readonly string[], values: ArrayLike<Value>, rows: ArrayLike<number>): void {
    const { at, when } = this.#place(columns);
    const width = columns.length;
    this.#checks.forEach(({ check, target }, j) => {
      if (at[j]! < 0) return;
      const found = this.#found[j]!;
      for (let r = 0, base = 0; r < rows.length; r++, base += width) {
        if (check.when && !isEntityType(when[j]! >= 0 ? values[base + when[j]!] : null, check.when.is))
          continue;
        const value = values[base + at[j]!];
        if (isReference(value) && missingFrom(target, value, found.examples)) found.rows += rows[r]!;
      }
    });
  }

  /** What was found since the last take, for the checks that found something. */
  take(): MissingRows[] {
    const out = this.#found.filter((found) => found.rows > 0);
    this.#found.forEach((found, j) => {
      this.#found[j] = { check: found.check, rows: 0, examples: [] };
    });
    return out;
  }

  #place(columns: readonly string[]) {
    if (this.#placed?.columns !== columns) {
      this.#placed = {
        columns,
        at: this.#checks.map(({ check }) => columns.indexOf(check.column)),
        when: this.#checks.map(({ check }) => (check.when ? columns.indexOf(check.when.column) : -1)),
      };
    }
    return this.#placed;
  }
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
  const note = (i: number, values: string | number | readonly string[]): boolean =>
    missingFrom(targets[i]!, values, examplesOf[i]!);
  // Checks given to `shareChecks`: rows given to addRows are checked elsewhere for these.
  const shared = new Set<number>();
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
    if (r.examples.length < EXAMPLES && showableId(text) && !r.examples.includes(text)) r.examples.push(text);
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
  // Per check, the value it looked up last and whether that was missing: rows of one candidate come
  // together, and rows decoded in order (one thread) come here one by one (a lookup a row was a tenth of
  // report's time with --threads 1).
  const lastValue: unknown[] = REFERENCE_CHECKS.map(() => NONE);
  const lastMissing = REFERENCE_CHECKS.map(() => false);
  const check = (i: number, value: Value | undefined, rows: number) => {
    if (done.has(REFERENCE_CHECKS[i]!.to)) {
      if (value !== lastValue[i]) {
        lastValue[i] = value;
        lastMissing[i] = isReference(value) && note(i, value);
      }
      if (lastMissing[i]) missingRows[i]! += rows;
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
          if (shared.has(i)) continue;
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
    shareChecks(table) {
      const checks = (plan.get(table)?.checks ?? []).filter((i) => done.has(REFERENCE_CHECKS[i]!.to));
      for (const i of checks) shared.add(i);
      return checks.map((i) => ({ check: i, target: targets[i]!.share() }));
    },
    addMissing({ check, rows, examples }) {
      missingRows[check]! += rows;
      const kept = examplesOf[check]!;
      for (const text of examples) if (kept.length < EXAMPLES && !kept.includes(text)) kept.push(text);
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
