// One record at a time: every column by its rule, rows of dropped candidates removed, counts kept.
import type { FieldSchema, IdLookup, TableName, TypedRecord, Value } from '@talent-export/schema';
import { SCHEMAS } from '@talent-export/schema';
import { Counters } from './counters.js';
import type { Dictionary } from './dictionary.js';
import type { AttachmentKind, Policy, Rule } from './policy.js';
import { mask, type PersonClass, Pseudonymizer } from './pseudonym.js';
import { Scrubber } from './scrub.js';

export interface RedactorOptions {
  policy: Policy;
  key: Buffer;
  dictionary?: Dictionary;
  /** Candidates removed entirely (an erasure request). */
  dropCandidates?: IdLookup;
  /** Shared memory from `createCounters()`, read with `readReport` after the run. */
  counters?: SharedArrayBuffer;
}

interface Column {
  field: FieldSchema;
  rule: Rule;
  slot: number;
}

const DROP: Rule = { op: 'drop' };
const PERSON = new Set(['name', 'email', 'phone', 'profile_url']);

export interface Redactor {
  /** The redacted record, or null when its candidate is dropped. */
  transform(table: TableName, record: TypedRecord): TypedRecord | null;
  /**
   * Where an attachment goes (`Candidate_<id>/<Kind>/<file>`): its new path (folder renamed with the
   * candidate's pseudonym, file name scrubbed), or null when dropped.
   */
  attachment(path: string): string | null;
  /** A part's or folder's name (`Attachment_<first>-<last>.zip`) with its candidate ids as the column gets them. */
  part(name: string): string;
}

export function createRedactor(options: RedactorOptions): Redactor {
  const { policy, dictionary, dropCandidates } = options;
  const ps = new Pseudonymizer(options.key);
  const counters = new Counters(options.counters);
  const scrubber = new Scrubber(dictionary, ps, policy.scrub, counters);
  const plans = new Map<TableName, Map<string, Column>>();
  for (const [table, schema] of Object.entries(SCHEMAS) as [TableName, (typeof SCHEMAS)[TableName]][]) {
    plans.set(
      table,
      new Map(
        schema.fields.map((field) => [
          field.name,
          { field, rule: policy.tables[table][field.name]!, slot: counters.slot(`${table}.${field.name}`) },
        ]),
      ),
    );
  }
  const extraField = (name: string): FieldSchema => ({
    name,
    type: 'text',
    required: false,
    pii: 'free_text',
    description: '',
  });
  const { candidateId, idsIn } = idsInNames(policy, ps);
  const rowSlots = new Map([...plans.keys()].map((t) => [t, counters.slot(`${t}:rows`)]));
  const extraSlots = new Map([...plans.keys()].map((t) => [t, counters.slot(`${t}:extra`)]));

  const candidateOf = (table: TableName, record: TypedRecord): string | undefined => {
    if (table === 'custom_field_values') {
      return record.entity_type === 'candidate' && typeof record.entity_id === 'string'
        ? record.entity_id
        : undefined;
    }
    return typeof record.candidate_id === 'string' ? record.candidate_id : undefined;
  };

  const one = (
    rule: Rule,
    field: FieldSchema,
    value: string,
    candidate: string | undefined,
    ordinal: number,
  ): string => {
    switch (rule.op) {
      case 'keep':
        return value;
      case 'drop':
        return value;
      case 'pseudonym':
        if (field.type === 'id') return ps.id(value);
        return ps.text(PERSON.has(field.pii) ? (field.pii as PersonClass) : 'text', value);
      case 'fake':
        return ps.fake(field.pii as PersonClass, value, field.name);
      case 'mask':
        return mask(field.pii, value);
      case 'scrub':
        return scrubber.scrub(value, ordinal);
      case 'shift': {
        const ms = Date.parse(value);
        return Number.isNaN(ms) ? value : new Date(ms + ps.shiftMs(candidate ?? '', rule.days)).toISOString();
      }
      case 'generalize':
        if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
        return rule.to === 'day'
          ? `${value.slice(0, 10)}T00:00:00.000Z`
          : `${value.slice(0, 7)}-01T00:00:00.000Z`;
    }
  };

  const apply = (column: Column, value: Value, candidate: string | undefined, ordinal: number): Value => {
    const { rule, field } = column;
    if (value === null || rule.op === 'keep') return value;
    if (rule.op === 'drop') return null;
    if (typeof value === 'string') return one(rule, field, value, candidate, ordinal);
    if (Array.isArray(value)) return value.map((item) => one(rule, field, item, candidate, ordinal));
    return value;
  };

  return {
    transform(table, record) {
      const candidate = candidateOf(table, record);
      if (candidate !== undefined && dropCandidates?.has(candidate)) {
        counters.add(rowSlots.get(table)!);
        return null;
      }
      const ordinal = candidate !== undefined && dictionary ? dictionary.ordinal(candidate) : -1;
      const plan = plans.get(table)!;
      const extras = policy.extraColumns[table];
      const out: TypedRecord = {};
      for (const name of Object.keys(record)) {
        const value = record[name]!;
        let column = plan.get(name);
        let slot: number;
        if (column) slot = column.slot;
        else {
          column = { field: extraField(name), rule: extras?.[name] ?? DROP, slot: extraSlots.get(table)! };
          slot = column.slot;
        }
        const next = apply(column, value, candidate, ordinal);
        if (!same(value, next)) counters.add(slot);
        if (name === '__proto__')
          Object.defineProperty(out, name, {
            value: next,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else out[name] = next;
      }
      return out;
    },

    attachment(path) {
      const match = /^(?<folder>(?:.*\/)?Candidate_)(?<id>[^/]+)\/(?<kind>[^/]+)\/(?<file>[^/]+)$/i.exec(
        path,
      );
      const kind = match?.groups?.kind?.toLowerCase() as AttachmentKind | undefined;
      if (!match || !kind || !(kind in policy.attachments)) return null;
      const { folder, id, file } = match.groups as { folder: string; id: string; file: string };
      if (policy.attachments[kind] === 'drop' || dropCandidates?.has(id)) {
        counters.add(counters.slot(`dropped:${kind}`));
        return null;
      }
      counters.add(counters.slot(`kept:${kind}`));
      const ordinal = dictionary ? dictionary.ordinal(id) : -1;
      return `${idsIn(folder)}${candidateId(id)}/${match.groups!.kind}/${scrubber.scrub(file, ordinal)}`;
    },

    part: idsIn,
  };
}

/** Candidate ids written in names (parts, folders) as the candidate_id column gets them. */
function idsInNames(
  policy: Policy,
  ps: Pseudonymizer,
): { candidateId: (id: string) => string; idsIn: (name: string) => string } {
  const pseudonymized = policy.tables.candidates.candidate_id!.op === 'pseudonym';
  const candidateId = (id: string) => (pseudonymized ? ps.id(id) : id);
  return { candidateId, idsIn: (name) => (pseudonymized ? name.replace(/\d{2,}/g, candidateId) : name) };
}

function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((item, i) => item === b[i]);
}
