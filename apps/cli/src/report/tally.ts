// Counts what the page shows, from the engine's tallies of a few columns and the attachment index. Memory is
// bounded by the labels of the export (projects, stages, modules, months), never by its candidates.
import type { AttachmentRecord } from '@talent-export/export';
import type { CountColumn, CountSpec } from '@talent-export/pipeline';
import type { TableName, TypedRecord } from '@talent-export/schema';
import { shortenMiddle } from './html.js';

/** label -> count */
export type Counts = Map<string, number>;

/** How many of the largest attachments the page lists. */
export const LARGEST = 10;

/**
 * Counts by a row label and a column label of which there are few (a project's candidate rows per stage).
 * A map per project keyed by stage id held a copy of every stage id in each, 4 MB at 4,000 projects, and a
 * heap that size made V8 collect its old generation several times a second; an array per project as long
 * as the stages took 800 MB at 50,000 projects of 2,000 stages. Each row keeps the columns it has, by
 * their number.
 */
export class Grid {
  readonly #columns = new Map<string, number>();
  readonly #rows = new Map<string, Map<number, number>>();

  add(row: string, column: string, n: number): void {
    let c = this.#columns.get(column);
    if (c === undefined) this.#columns.set(column, (c = this.#columns.size));
    let counts = this.#rows.get(row);
    if (counts === undefined) this.#rows.set(row, (counts = new Map()));
    counts.set(c, (counts.get(c) ?? 0) + n);
  }

  /** row -> column -> count, the columns a row has none of left out. */
  rows(): Map<string, Counts> {
    const columns = [...this.#columns.keys()];
    const out = new Map<string, Counts>();
    for (const [row, counts] of this.#rows) {
      const byColumn: Counts = new Map();
      for (const [c, n] of counts) if (n > 0) byColumn.set(columns[c]!, n);
      out.set(row, byColumn);
    }
    return out;
  }
}

export interface Tally {
  /** candidate rows per project id, then per hiring state id */
  pipeline: Grid;
  states: Counts;
  channels: Counts;
  projectNames: Map<string, string>;
  projectStates: Counts;
  jobPostsByMonth: Counts;
  stateNames: Map<string, string>;
  /** hiring state ids in the order of the hiring_states table */
  stateOrder: string[];
  moduleNames: Map<string, string>;
  interviewsByMonth: Counts;
  interviewStates: Counts;
  scorecardsByModule: Counts;
  recommendations: Counts;
  referral: Counts;
  customValuesByMonth: Counts;
  customValueEntities: Counts;
  attachments: AttachmentTally;
}

export interface AttachmentTally {
  bytesByKind: Counts;
  filesByKind: Counts;
  /** files per part, then per kind */
  filesByPart: Map<string, Counts>;
  /** files per size band (see `SIZE_BANDS`) */
  sizes: Counts;
  largest: { kind: string; part: string; size: number }[];
}

export const SIZE_BANDS: [string, number][] = [
  ['under 10 KB', 10e3],
  ['10-100 KB', 100e3],
  ['100 KB-1 MB', 1e6],
  ['1-10 MB', 10e6],
  ['10 MB and more', Number.POSITIVE_INFINITY],
];

export function createTally(): Tally {
  return {
    pipeline: new Grid(),
    states: new Map(),
    channels: new Map(),
    projectNames: new Map(),
    projectStates: new Map(),
    jobPostsByMonth: new Map(),
    stateNames: new Map(),
    stateOrder: [],
    moduleNames: new Map(),
    interviewsByMonth: new Map(),
    interviewStates: new Map(),
    scorecardsByModule: new Map(),
    recommendations: new Map(),
    referral: new Map(),
    customValuesByMonth: new Map(),
    customValueEntities: new Map(),
    attachments: {
      bytesByKind: new Map(),
      filesByKind: new Map(),
      filesByPart: new Map(),
      sizes: new Map(),
      largest: [],
    },
  };
}

export function bump<K>(counts: Map<K, number>, key: K, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** A value or `(none)`: a name of spaces only was a bar with no label, a project with no name. */
const label = (value: unknown): string =>
  typeof value === 'string' && value !== '' && (printable(value.charCodeAt(0)) || value.trim() !== '')
    ? value
    : '(none)';
/** An ASCII letter, digit or sign: no space of any kind, so a value starting with one is no blank (no trim made). */
const printable = (code: number) => code > 32 && code < 127;

/** How much of a name the page shows: a name of megabytes (a description pasted in) made a page of as many. */
export const NAME_CHARS = 100;
/**
 * A value the page shows (a name, a state, a channel), where `label` is a key (an id). Values are counted by
 * it: its end is kept, so that long names alike but for their ends are counted apart.
 */
const named = (value: unknown): string => shortenMiddle(label(value), NAME_CHARS);

/** Times are counted by month: their first 7 characters (`yyyy-MM`). */
const monthly = (column: string): CountColumn => ({ column, chars: 7 });

/**
 * The columns counted per table, in the order `apply` reads them (ReadOptions `count`); all PII class none.
 * What the page shows apart is counted apart: a project's candidates by stage, and the channels on their
 * own (together, nearly every candidate row was a combination of its own).
 */
export const COUNTED = {
  candidates: { groups: [['project_id', 'hiring_state_id'], ['sourcing_channels']] },
  projects: ['project_id', 'project_name', 'state', monthly('job_post_created_at')],
  hiring_states: ['candidate_hiringstate_id', 'name', 'type'],
  interview_modules: ['interview_module_id', 'name', 'state', monthly('start_time')],
  scorecards: { groups: [['interview_module_id'], ['overall_recommendation']] },
  feedbacks: ['approved_for_referral'],
  custom_field_values: ['entity_type', monthly('created_time')],
} as const satisfies Partial<Record<TableName, CountSpec>>;

/** A table's groups of counted columns (a single combination is one group). */
const groupsOf = (spec: CountSpec): readonly (readonly CountColumn[])[] =>
  'groups' in spec ? spec.groups : [spec as readonly CountColumn[]];

/** A counted value as the engine gives it: cut to `chars` where the column says so. */
const countedValue = (values: TypedRecord, column: CountColumn) =>
  typeof column === 'string'
    ? (values[column] ?? null)
    : cutText(values[column.column] ?? null, column.chars);
const cutText = (value: unknown, chars: number) =>
  typeof value === 'string' && value.length > chars ? value.slice(0, chars) : value;

/**
 * Adds a combination of a table's counted values and the rows holding it (the engine's `counted` hook):
 * of one of its groups, or of every group when `group` is not given (a record of all its counted columns).
 */
export function addCounted(
  t: Tally,
  table: TableName,
  values: TypedRecord,
  rows: number,
  group?: number,
): void {
  const spec: CountSpec | undefined = (COUNTED as Partial<Record<TableName, CountSpec>>)[table];
  if (!spec) return;
  const groups = groupsOf(spec);
  for (let g = group ?? 0; g <= (group ?? groups.length - 1); g++) {
    const columns = groups[g]!;
    // One array for every combination: this runs for each of thousands.
    for (let k = 0; k < columns.length; k++) scratch[k] = countedValue(values, columns[k]!);
    apply(t, table, g, scratch, rows);
  }
}
const scratch: unknown[] = [];

function apply(t: Tally, table: TableName, group: number, k: unknown[], n: number): void {
  switch (table) {
    case 'candidates': {
      if (group === 1) {
        const [s] = k;
        if (Array.isArray(s) && s.length > 0) for (const channel of s) bump(t.channels, named(channel), n);
        else bump(t.channels, '(none)', n);
        break;
      }
      const [p, h] = k;
      const project = label(p);
      const state = label(h);
      t.pipeline.add(project, state, n);
      bump(t.states, state, n);
      break;
    }
    case 'projects': {
      const [id, name, state, month] = k;
      if (typeof id === 'string' && !t.projectNames.has(id)) {
        t.projectNames.set(id, named(name));
        bump(t.projectStates, named(state));
      }
      if (typeof month === 'string') bump(t.jobPostsByMonth, month, n);
      break;
    }
    case 'hiring_states': {
      const [id, name] = k;
      if (typeof id === 'string' && !t.stateNames.has(id)) {
        t.stateNames.set(id, named(typeof name === 'string' ? name : id));
        t.stateOrder.push(id);
      }
      break;
    }
    case 'interview_modules': {
      const [id, name, state, month] = k;
      if (typeof id === 'string' && !t.moduleNames.has(id)) t.moduleNames.set(id, named(name));
      bump(t.interviewStates, named(state), n);
      if (typeof month === 'string') bump(t.interviewsByMonth, month, n);
      break;
    }
    case 'scorecards':
      if (group === 0) bump(t.scorecardsByModule, label(k[0]), n);
      else bump(t.recommendations, named(k[0]), n);
      break;
    case 'feedbacks':
      bump(t.referral, k[0] === true ? 'approved' : k[0] === false ? 'not approved' : '(none)', n);
      break;
    case 'custom_field_values':
      bump(t.customValueEntities, named(k[0]), n);
      if (typeof k[1] === 'string') bump(t.customValuesByMonth, k[1], n);
      break;
    default:
      break;
  }
}

export function addAttachment(t: Tally, record: AttachmentRecord): void {
  const a = t.attachments;
  bump(a.filesByKind, record.kind);
  let part = a.filesByPart.get(record.part);
  if (!part) a.filesByPart.set(record.part, (part = new Map()));
  bump(part, record.kind);
  bump(a.bytesByKind, record.kind, record.size);
  const band = SIZE_BANDS.find(([, below]) => record.size < below) ?? SIZE_BANDS[SIZE_BANDS.length - 1]!;
  bump(a.sizes, band[0]);
  const largest = a.largest;
  if (largest.length < LARGEST || record.size > largest[largest.length - 1]!.size) {
    largest.push({ kind: record.kind, part: record.part, size: record.size });
    largest.sort((x, y) => y.size - x.size);
    if (largest.length > LARGEST) largest.pop();
  }
}

/** The tallies counted by a label of the export's text (not by an id, a month or a word of the page's). */
const LABELLED = [
  'channels',
  'projectStates',
  'recommendations',
  'interviewStates',
  'customValueEntities',
] as const;

/** The texts of the export the page shows as labels: names of projects, stages and modules, and `LABELLED`'s. */
export function labelsOf(t: Tally): string[] {
  return [
    ...[t.projectNames, t.stateNames, t.moduleNames].flatMap((names) => [...names.values()]),
    ...LABELLED.flatMap((key) => [...t[key].keys()]),
  ];
}

/**
 * Each label (see `labelsOf`) passed through `scrub`; rows of labels it makes one are counted together
 * (two projects' states that named two people are one `[PERSON]` bar).
 */
export function scrubLabels(t: Tally, scrub: (text: string) => string): void {
  for (const names of [t.projectNames, t.stateNames, t.moduleNames])
    for (const [id, name] of names) names.set(id, scrub(name));
  for (const key of LABELLED) {
    const scrubbed: Counts = new Map();
    for (const [label, n] of t[key]) bump(scrubbed, label === '(none)' ? label : scrub(label), n);
    t[key] = scrubbed;
  }
}
