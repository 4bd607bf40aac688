// Counts for the report, kept in shared memory the caller owns: the stage runs in several worker threads,
// each adds to the same slots (atomically), and the caller reads them when the run is over. Nothing but
// counts ever goes there, so the report cannot carry a value.
import { SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { type AttachmentKind, DETECTORS, type Detector, type Policy } from './policy.js';

/** Finds in text besides the detectors: values the dictionary knew. */
export const KNOWN = ['candidate_name', 'person_name', 'known_phone'] as const;
export type Known = (typeof KNOWN)[number];
const KINDS: AttachmentKind[] = ['public', 'private', 'miscellaneous'];

/** Slot numbers, fixed by the schema alone, so every thread agrees on them. */
const SLOTS = new Map<string, number>();
for (const table of TABLE_NAMES) {
  SLOTS.set(`${table}:rows`, SLOTS.size);
  SLOTS.set(`${table}:extra`, SLOTS.size);
  for (const f of SCHEMAS[table].fields) SLOTS.set(`${table}.${f.name}`, SLOTS.size);
}
for (const d of [...DETECTORS, ...KNOWN]) SLOTS.set(`find:${d}`, SLOTS.size);
for (const k of KINDS) {
  SLOTS.set(`kept:${k}`, SLOTS.size);
  SLOTS.set(`dropped:${k}`, SLOTS.size);
}

/** Shared memory for one run's counts: pass it as the stage's `counters` option, read it with `readReport`. */
export function createCounters(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS.size * 4);
}

export class Counters {
  readonly #slots: Uint32Array;
  constructor(memory: SharedArrayBuffer | undefined) {
    this.#slots = new Uint32Array(memory ?? new ArrayBuffer(SLOTS.size * 4));
  }
  slot(name: string): number {
    const slot = SLOTS.get(name);
    if (slot === undefined) throw new Error(`no counter ${name}`);
    return slot;
  }
  add(slot: number, n = 1): void {
    Atomics.add(this.#slots, slot, n);
  }
  get(name: string): number {
    return Atomics.load(this.#slots, this.slot(name));
  }
}

/** The redaction report: counts only, never a value (and never the key). */
export interface RedactionReport {
  key: 'file' | 'env' | 'random' | 'given';
  tables: Record<
    TableName,
    {
      rowsDropped: number;
      columns: Record<string, { operator: string; changed: number }>;
      /** Values of columns the schema does not know, changed (dropped unless the policy kept them). */
      extraColumnsChanged: number;
    }
  >;
  detectors: Record<Detector, number>;
  known: Record<Known, number>;
  attachments: Record<AttachmentKind, { kept: number; dropped: number }>;
  notices: string[];
}

/** Reads a run's counts into a report; `key` says where the key came from (a random one is noticed). */
export function readReport(
  memory: SharedArrayBuffer,
  policy: Policy,
  key: RedactionReport['key'],
): RedactionReport {
  const c = new Counters(memory);
  const tables = {} as RedactionReport['tables'];
  for (const table of TABLE_NAMES) {
    tables[table] = {
      rowsDropped: c.get(`${table}:rows`),
      columns: Object.fromEntries(
        SCHEMAS[table].fields.map((f) => [
          f.name,
          { operator: policy.tables[table][f.name]!.op, changed: c.get(`${table}.${f.name}`) },
        ]),
      ),
      extraColumnsChanged: c.get(`${table}:extra`),
    };
  }
  const notices =
    key === 'random'
      ? [
          'no key was given: a random key served this run, so its pseudonyms cannot be linked to any other run',
        ]
      : [];
  return {
    key,
    tables,
    detectors: Object.fromEntries(
      DETECTORS.map((d) => [d, c.get(`find:${d}`)]),
    ) as RedactionReport['detectors'],
    known: Object.fromEntries(KNOWN.map((k) => [k, c.get(`find:${k}`)])) as RedactionReport['known'],
    attachments: Object.fromEntries(
      KINDS.map((k) => [k, { kept: c.get(`kept:${k}`), dropped: c.get(`dropped:${k}`) }]),
    ) as RedactionReport['attachments'],
    notices,
  };
}
