// Counts for the report, kept in shared memory the caller owns: the stage runs in several worker threads,
// each adds to the same slots (atomically), and the caller reads them when the run is over. Nothing but
// counts ever goes there, so the report cannot carry a value.
import { SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { type AttachmentKind, DETECTORS, type Detector, type Policy } from './policy.js';

/**
 * Finds in text besides the detectors: values the dictionary knew, and values of custom fields of special
 * personal data replaced whole (`sensitive_field`).
 */
export const KNOWN = [
  'candidate_name',
  'person_name',
  'known_phone',
  'candidate_id',
  'sensitive_field',
] as const;
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

/**
 * Each stage instance (one per thread) claims a stripe of its own and adds there with plain stores: one
 * writer per stripe, and no cache line bounced between threads on every row. The report sums the stripes.
 * Instances beyond the stripes share the last one, atomically.
 */
const STRIPES = 32;
const HEADER = 1;

/** Shared memory for one run's counts: pass it as the stage's `counters` option, read it with `readReport`. */
export function createCounters(): SharedArrayBuffer {
  return new SharedArrayBuffer((HEADER + STRIPES * SLOTS.size) * 4);
}

export class Counters {
  readonly #slots: Uint32Array;
  readonly #base: number;
  readonly #shared: boolean;
  constructor(memory: SharedArrayBuffer | undefined) {
    this.#slots = new Uint32Array(memory ?? new ArrayBuffer((HEADER + SLOTS.size) * 4));
    const stripe = memory ? Atomics.add(this.#slots, 0, 1) : 0;
    this.#shared = stripe >= STRIPES - 1;
    this.#base = HEADER + Math.min(stripe, STRIPES - 1) * SLOTS.size;
  }
  slot(name: string): number {
    const slot = SLOTS.get(name);
    if (slot === undefined) throw new Error(`no counter ${name}`);
    return slot;
  }
  add(slot: number, n = 1): void {
    if (this.#shared) Atomics.add(this.#slots, this.#base + slot, n);
    else this.#slots[this.#base + slot]! += n;
  }
}

/** A count summed over every stripe. */
function total(slots: Uint32Array, name: string): number {
  const slot = SLOTS.get(name)!;
  let sum = 0;
  for (let s = 0; s < STRIPES; s++) sum += Atomics.load(slots, HEADER + s * SLOTS.size + slot);
  return sum;
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
  const slots = new Uint32Array(memory);
  const c = { get: (name: string) => total(slots, name) };
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
