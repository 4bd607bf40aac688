// Counts what the page shows, from the slim records of the stage and the attachment index. Memory is
// bounded by the labels of the export (projects, stages, modules, months), never by its candidates.
import type { AttachmentRecord } from '@talent-export/export';
import { SCHEMAS, type TableName, type TypedRecord } from '@talent-export/schema';
import type { Slim } from './stage.js';

/** label -> count */
export type Counts = Map<string, number>;

/** How many of the largest attachments the page lists. */
export const LARGEST = 10;

export interface Tally {
  /** candidate rows per project id, then per hiring state id */
  pipeline: Map<string, Counts>;
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
  /** columns holding a value in at least one row, per table */
  filled: Map<TableName, Set<string>>;
  attachments: AttachmentTally;
}

export interface AttachmentTally {
  bytesByKind: Counts;
  filesByKind: Counts;
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
    pipeline: new Map(),
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
    filled: new Map(),
    attachments: { bytesByKind: new Map(), filesByKind: new Map(), sizes: new Map(), largest: [] },
  };
}

export function bump(counts: Counts, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

const label = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : '(none)');

/** Adds one slim record of a table (see `createStage`). */
export function addSlim(t: Tally, table: TableName, record: TypedRecord): void {
  const r = record as Slim;
  if (r.c) {
    let set = t.filled.get(table);
    if (!set) t.filled.set(table, (set = new Set()));
    for (const column of r.c) set.add(column);
  }
  switch (table) {
    case 'candidates': {
      const project = label(r.p);
      const state = label(r.h);
      let perProject = t.pipeline.get(project);
      if (!perProject) t.pipeline.set(project, (perProject = new Map()));
      bump(perProject, state);
      bump(t.states, state);
      if (Array.isArray(r.s) && r.s.length > 0) for (const channel of r.s) bump(t.channels, label(channel));
      else bump(t.channels, '(none)');
      break;
    }
    case 'projects':
      if (typeof r.i === 'string' && !t.projectNames.has(r.i)) {
        t.projectNames.set(r.i, label(r.n));
        bump(t.projectStates, label(r.t));
      }
      if (typeof r.m === 'string') bump(t.jobPostsByMonth, r.m);
      break;
    case 'hiring_states':
      if (typeof r.i === 'string' && !t.stateNames.has(r.i)) {
        t.stateNames.set(r.i, typeof r.n === 'string' ? r.n : r.i);
        t.stateOrder.push(r.i);
      }
      break;
    case 'interview_modules':
      if (typeof r.i === 'string' && !t.moduleNames.has(r.i)) t.moduleNames.set(r.i, label(r.n));
      bump(t.interviewStates, label(r.t));
      if (typeof r.m === 'string') bump(t.interviewsByMonth, r.m);
      break;
    case 'scorecards':
      bump(t.scorecardsByModule, label(r.i));
      bump(t.recommendations, label(r.r));
      break;
    case 'feedbacks':
      bump(t.referral, r.r === true ? 'approved' : r.r === false ? 'not approved' : '(none)');
      break;
    case 'custom_field_values':
      bump(t.customValueEntities, label(r.t));
      if (typeof r.m === 'string') bump(t.customValuesByMonth, r.m);
      break;
    default:
      break;
  }
}

/** Adds the slim records a worker encoded as NDJSON (one object per line). */
export function addLines(t: Tally, table: TableName, pieces: readonly Uint8Array[]): void {
  const decoder = new TextDecoder();
  let carry = '';
  for (const piece of pieces) {
    const text = carry + decoder.decode(piece, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      if (end > start) addSlim(t, table, JSON.parse(text.slice(start, end)) as TypedRecord);
      start = end + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.trim() !== '') addSlim(t, table, JSON.parse(carry) as TypedRecord);
}

export function addAttachment(t: Tally, record: AttachmentRecord): void {
  const a = t.attachments;
  bump(a.filesByKind, record.kind);
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

/** Columns of a table that held no value in any row (only for tables that had rows). */
export function emptyColumns(t: Tally, table: TableName): string[] {
  const filled = t.filled.get(table) ?? new Set<string>();
  return SCHEMAS[table].fields.map((f) => f.name).filter((name) => !filled.has(name));
}
