import type { TypedRecord } from './decoder.js';
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
  add(table: TableName, record: TypedRecord): void;
  finish(): ReferenceReport[];
}

export interface ReferenceCheck {
  readonly from: TableName;
  readonly column: string;
  readonly to: TableName;
  readonly key: string;
  /** Only rows this accepts are checked (custom field values point at candidates or projects). */
  readonly when?: (record: TypedRecord) => boolean;
}

const entityIs = (type: string) => (record: TypedRecord) =>
  typeof record.entity_type === 'string' && record.entity_type.trim().toLowerCase() === type;

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

export const checkName = (c: ReferenceCheck) => `${c.from}.${c.column} -> ${c.to}.${c.key}`;

/**
 * Referential checks in memory bounded by keys and distinct referenced values (never whole tables), so
 * tables may be fed in any order: both sides are only compared in `finish`.
 */
export function createReferenceChecker(): ReferenceChecker {
  const keys = new Map<string, Set<string>>();
  const keyOf = (table: TableName, column: string) => {
    const name = `${table}.${column}`;
    let set = keys.get(name);
    if (set === undefined) keys.set(name, (set = new Set()));
    return set;
  };
  // Per check: referenced value (see `reference`) -> rows holding it.
  const seen = REFERENCE_CHECKS.map(() => new Map<string, number>());
  const targets = REFERENCE_CHECKS.map((c) => keyOf(c.to, c.key));
  const keyColumns = [...new Set(REFERENCE_CHECKS.map((c) => `${c.to}\u0000${c.key}`))].map((k) => {
    const [table, column] = k.split('\u0000') as [TableName, string];
    return { table, column, set: keyOf(table, column) };
  });

  return {
    add(table, record) {
      for (const k of keyColumns) {
        if (k.table !== table) continue;
        const value = record[k.column];
        if (typeof value === 'string') k.set.add(value);
      }
      REFERENCE_CHECKS.forEach((c, i) => {
        if (c.from !== table || (c.when !== undefined && !c.when(record))) return;
        const ref = reference(record[c.column]);
        if (ref === undefined) return;
        const counts = seen[i]!;
        counts.set(ref, (counts.get(ref) ?? 0) + 1);
      });
    },
    finish() {
      return REFERENCE_CHECKS.map((c, i) => {
        const target = targets[i]!;
        let rows = 0;
        const examples: string[] = [];
        for (const [ref, count] of seen[i]!) {
          let missing = false;
          for (const item of items(ref)) {
            if (target.has(item)) continue;
            missing = true;
            if (examples.length < 5 && !examples.includes(item)) examples.push(item);
          }
          if (missing) rows += count;
        }
        return { check: checkName(c), rows, examples };
      });
    },
  };
}

/** The referenced value(s) as one map key, or undefined when nothing is referenced (null, empty list). */
function reference(value: Value | undefined): string | undefined {
  if (typeof value === 'string') return `s${value}`;
  if (Array.isArray(value) && value.length > 0) return `l${JSON.stringify(value)}`;
  return undefined;
}

function items(ref: string): string[] {
  return ref.startsWith('s') ? [ref.slice(1)] : (JSON.parse(ref.slice(1)) as string[]);
}
