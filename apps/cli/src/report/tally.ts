// Counts what the page shows, from the slim records of the stage and the attachment index. Memory is
// bounded by the labels of the export (projects, stages, modules, months), never by its candidates.
import type { AttachmentRecord } from '@talent-export/export';
import type { TableName, TypedRecord } from '@talent-export/schema';
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
  /** per table, how many rows gave each key (the JSON text of the stage's `k`), until they are folded in */
  keys: Map<TableName, Map<string, number>>;
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
    keys: new Map(),
    attachments: {
      bytesByKind: new Map(),
      filesByKind: new Map(),
      filesByPart: new Map(),
      sizes: new Map(),
      largest: [],
    },
  };
}

export function bump(counts: Counts, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

const label = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : '(none)');

/** Adds one record the stage gave (see `createStage`). */
export function addSlim(t: Tally, table: TableName, record: TypedRecord): void {
  addKey(t, table, JSON.stringify((record as unknown as Slim).k));
}

/**
 * Keys counted as text before they are parsed and applied: in a big export most candidate rows have a key
 * of their own (project x stage x channels), so the map is folded into the figures when it gets this big.
 */
const KEYS_HELD = 20_000;

function addKey(t: Tally, table: TableName, key: string): void {
  let keys = t.keys.get(table);
  if (!keys) t.keys.set(table, (keys = new Map()));
  keys.set(key, (keys.get(key) ?? 0) + 1);
  if (keys.size >= KEYS_HELD) fold(t, table, keys);
}

/** Applies the keys gathered, each parsed once, in the order first seen (first names win), and forgets them. */
function fold(t: Tally, table: TableName, keys: Map<string, number>): void {
  for (const [key, n] of keys) apply(t, table, JSON.parse(key) as unknown[], n);
  keys.clear();
}

const NEWLINE = 0x0a;
const KEY = Buffer.from(',"k":');

/**
 * Adds the records a worker encoded as NDJSON. A line is the schema's columns, all null, then `"k":` and
 * the key's JSON text (which cannot hold `,"k":`: its quotes would be escaped), so the key is counted as
 * text, unparsed.
 */
export function addLines(t: Tally, table: TableName, pieces: readonly Uint8Array[]): void {
  const line = (bytes: Buffer) => {
    const key = bytes.indexOf(KEY);
    if (key !== -1) addKey(t, table, bytes.toString('utf8', key + KEY.length, bytes.length - 1));
  };
  let rest: Buffer | undefined;
  for (const piece of pieces) {
    const view = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    const bytes = rest ? Buffer.concat([rest, view]) : view;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      if (end > start) line(bytes.subarray(start, end));
      start = end + 1;
    }
    // A copy: the pieces go back to the worker that wrote them once this returns.
    rest = start < bytes.length ? Buffer.from(bytes.subarray(start)) : undefined;
  }
  if (rest) line(rest);
}

/** Counts the keys gathered, each parsed once: the page's figures. */
export function finish(t: Tally): void {
  for (const [table, keys] of t.keys) fold(t, table, keys);
}

function apply(t: Tally, table: TableName, k: unknown[], n: number): void {
  switch (table) {
    case 'candidates': {
      const [p, h, s] = k;
      const project = label(p);
      const state = label(h);
      let perProject = t.pipeline.get(project);
      if (!perProject) t.pipeline.set(project, (perProject = new Map()));
      bump(perProject, state, n);
      bump(t.states, state, n);
      if (Array.isArray(s) && s.length > 0) for (const channel of s) bump(t.channels, label(channel), n);
      else bump(t.channels, '(none)', n);
      break;
    }
    case 'projects': {
      const [id, name, state, month] = k;
      if (typeof id === 'string' && !t.projectNames.has(id)) {
        t.projectNames.set(id, label(name));
        bump(t.projectStates, label(state));
      }
      if (typeof month === 'string') bump(t.jobPostsByMonth, month, n);
      break;
    }
    case 'hiring_states': {
      const [id, name] = k;
      if (typeof id === 'string' && !t.stateNames.has(id)) {
        t.stateNames.set(id, typeof name === 'string' ? name : id);
        t.stateOrder.push(id);
      }
      break;
    }
    case 'interview_modules': {
      const [id, name, state, month] = k;
      if (typeof id === 'string' && !t.moduleNames.has(id)) t.moduleNames.set(id, label(name));
      bump(t.interviewStates, label(state), n);
      if (typeof month === 'string') bump(t.interviewsByMonth, month, n);
      break;
    }
    case 'scorecards':
      bump(t.scorecardsByModule, label(k[0]), n);
      bump(t.recommendations, label(k[1]), n);
      break;
    case 'feedbacks':
      bump(t.referral, k[0] === true ? 'approved' : k[0] === false ? 'not approved' : '(none)', n);
      break;
    case 'custom_field_values':
      bump(t.customValueEntities, label(k[0]), n);
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
