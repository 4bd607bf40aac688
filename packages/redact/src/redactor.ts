// One record at a time: every column by its rule, rows of dropped candidates removed, counts kept.
import type { FieldSchema, IdLookup, TableName, TypedRecord, Value } from '@talent-export/schema';
import { isEntityType, isoTime, SCHEMAS } from '@talent-export/schema';
import { Counters } from './counters.js';
import type { Dictionary } from './dictionary.js';
import { scrubFileName } from './file-name.js';
import { looksLike } from './labels.js';
import type { AttachmentKind, Policy, Rule } from './policy.js';
import { mask, type PersonClass, Pseudonymizer } from './pseudonym.js';
import { Scrubber } from './scrub.js';
import { profileName, replaceNames, type UrlName, urlName } from './url-names.js';

export interface RedactorOptions {
  policy: Policy;
  key: Buffer;
  dictionary?: Dictionary;
  /** Candidates removed entirely (an erasure request). */
  dropCandidates?: IdLookup;
  /** Shared memory from `createCounters()`, read with `readReport` after the run. */
  counters?: SharedArrayBuffer;
  /**
   * Custom fields named for a person or a contact (`labelClass` of their names), by `custom_field_id`:
   * their values take the rule the candidates table's column of that class takes, where they look like one.
   */
  personFields?: Readonly<Record<string, PersonClass>>;
  /**
   * Custom fields of special personal data (`sensitiveField` of their definitions: an address, a birth
   * date, a national id, a salary, health...), by `custom_field_id`: where the policy scrubs their values,
   * each becomes `[REDACTED]`, since no detector or name tells `12 Rose Street, Leeds` from other text.
   */
  sensitiveFields?: readonly string[];
}

interface Column {
  field: FieldSchema;
  rule: Rule;
  slot: number;
  /**
   * For rules whose result depends on the value alone: values seen lately and what they became, in and
   * out at 2 * `textSlot`.
   */
  pure?: (string | undefined)[];
  /** For scrub: texts scrubbed lately, at the place `textSlot` gives them. */
  texts?: (Scrubbed | undefined)[];
  /** Whether the rule's result is the value's alone (see `PURE`), decided once rather than on every value. */
  valueOnly?: boolean;
  /** For scrub: texts lately given `replaceNames` with the row's people, at the place `textSlot` gives them. */
  named?: (Named | undefined)[];
}

/** A scrubbed text with the names of a row's people taken out (`replaceNames`): what it became, how many. */
interface Named {
  text: string;
  people: UrlName[];
  out: string;
  found: number;
}

/** A text scrubbed, what it became and the counts that added. */
interface Scrubbed {
  text: string;
  out: string;
  trail: number[];
  /** The candidate (ordinal) it was scrubbed for if a known name was found in it, else ANYONE. */
  ordinal: number;
}
const ANYONE = -2;

/** Scrubbed texts remembered per column (a power of two); longer texts are not. */
const TEXTS = 512;
const REMEMBERED_LENGTH = 1024;

/**
 * Where a text (or a value) is remembered: a hash of its length and four of its characters. Hashing it
 * all, as a Map does for every new string, cost more than it saved; texts that differ (the same template
 * for another candidate, another signature) nearly always differ in length or in one of these, and
 * those that do not only take each other's place.
 */
function textSlot(text: string): number {
  const n = text.length;
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ text.charCodeAt(n - 1), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(n >> 1), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(n >> 2), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt((n >> 1) + (n >> 2)), 0x01000193);
  return (h ^ (h >>> 15)) & (TEXTS - 1);
}

/** A table's columns in the order its records hold them, resolved once for as long as that order lasts. */
interface Shape {
  names: string[];
  columns: Column[];
  /** Where the candidate id stands (-1: nowhere), and for custom field values the entity type. */
  candidate: number;
  entityType: number;
  /** In custom field values: where the field's id and its values stand (-1: nowhere). */
  fieldId: number;
  fieldValues: number;
  /** Where the profile URLs of people no table names stand (a message's sender, a note's owner). */
  people: number[];
  /**
   * Makes the output record from its values in column order: an object literal of this shape's names,
   * which V8 builds at once, where a copy of the record and a store by name per changed value cost twice
   * as much. Undefined where a name cannot stand in a literal (`__proto__`).
   */
  build: ((values: Value[]) => TypedRecord) | undefined;
}

/** The literal `buildOf` compiles: names quoted as JSON quotes them, so any name is a string key. */
function buildOf(names: string[]): Shape['build'] {
  if (names.includes('__proto__')) return undefined;
  const body = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  try {
    return new Function('v', `return { ${body} };`) as (values: Value[]) => TypedRecord;
  } catch {
    // A host that allows no code from strings (`--disallow-code-generation-from-strings`): records are copied.
    return undefined;
  }
}

const NO_COUNTS: number[] = [];
/** Rules whose result is a function of the value alone (no candidate, no counts on the way). */
const PURE = new Set<Rule['op']>(['pseudonym', 'fake', 'mask', 'generalize']);

const DROP: Rule = { op: 'drop' };
/** What a value of a field of special personal data becomes (see `RedactorOptions.sensitiveFields`). */
const REDACTED = '[REDACTED]';
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
  /**
   * A text of no candidate's row (the header of a column beyond the schema, whose cells are dropped but
   * whose name stays): scrubbed as free text is, every candidate's names, e-mails, phones and URLs out.
   */
  text(value: string): string;
}

export function createRedactor(options: RedactorOptions): Redactor {
  const { policy, dictionary, dropCandidates, personFields } = options;
  const sensitiveFields = new Set(options.sensitiveFields ?? []);
  const ps = new Pseudonymizer(options.key);
  const counters = new Counters(options.counters);
  const { candidateId, idsIn } = idsInNames(policy, ps);
  const scrubber = new Scrubber(dictionary, ps, policy.scrub, counters, candidateId);
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
  const rowSlots = new Map([...plans.keys()].map((t) => [t, counters.slot(`${t}:rows`)]));
  const extraSlots = new Map([...plans.keys()].map((t) => [t, counters.slot(`${t}:extra`)]));

  const shapes = new Map<TableName, Shape>();
  const shapeOf = (table: TableName, names: string[]): Shape => {
    const plan = plans.get(table)!;
    const extras = policy.extraColumns[table];
    const columns = names.map(
      (name) =>
        plan.get(name) ?? {
          field: extraField(name),
          rule: extras?.[name] ?? DROP,
          slot: extraSlots.get(table)!,
        },
    );
    const [id, type] = contextColumns(table);
    const shape = {
      names,
      // Copies: a column's memory of its last value is this shape's own.
      columns: columns.map((c) => ({
        field: c.field,
        rule: c.rule,
        slot: c.slot,
        // A masked e-mail's domain is scrubbed for the row's candidate: not the value's alone.
        valueOnly: PURE.has(c.rule.op) && !(c.rule.op === 'mask' && c.field.pii === 'email'),
      })),
      candidate: names.indexOf(id),
      entityType: type === undefined ? -1 : names.indexOf(type),
      fieldId: table === 'custom_field_values' ? names.indexOf('custom_field_id') : -1,
      fieldValues: table === 'custom_field_values' ? names.indexOf('custom_field_values') : -1,
      people:
        table === 'candidates'
          ? []
          : columns.flatMap((c, i) => (c.field.pii === 'profile_url' && plan.has(c.field.name) ? [i] : [])),
      build: buildOf(names),
    };
    shapes.set(table, shape);
    return shape;
  };
  let lastTable: TableName | undefined;
  let lastShape: Shape | undefined;
  let lastCandidate: string | undefined;
  let lastOrdinal = -1;
  // Per row, reused: the record's names and values as read in one pass.
  const names: string[] = [];
  const values: Value[] = [];
  const outs: Value[] = [];

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
      case 'mask': {
        const masked = mask(field.pii, value);
        if (field.pii !== 'email' || !masked.startsWith('***@')) return masked;
        // A domain of one's own names its owner (jane@janedoe.dev, nunez-family.com): where the scrubber
        // finds someone in it, only its top-level domain is kept.
        const domain = masked.slice(4);
        if (scrubber.scrub(domain, ordinal) === domain) return masked;
        const dot = domain.lastIndexOf('.');
        return `***@***${dot > 0 ? domain.slice(dot) : ''}`;
      }
      case 'scrub':
        return scrubber.scrub(value, ordinal);
      case 'shift': {
        const ms = Date.parse(value);
        if (Number.isNaN(ms)) return value;
        // Digits past the millisecond (`.123456Z`), which a Date drops, are kept: the shift is whole ms.
        const finer = /\.\d{3}(\d+)Z$/.exec(value)?.[1] ?? '';
        const shifted = isoTime(ms + ps.shiftMs(candidate ?? '', rule.days));
        return finer === '' ? shifted : `${shifted.slice(0, -1)}${finer}Z`;
      }
      case 'generalize':
        if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
        return rule.to === 'day'
          ? `${value.slice(0, 10)}T00:00:00.000Z`
          : `${value.slice(0, 7)}-01T00:00:00.000Z`;
    }
  };

  // Subjects and templates repeat across the export, and a candidate's thread repeats its own texts (a
  // subject row after row, replies): each is scrubbed once and its counts added again, for any candidate
  // if no known name was found in it, else for the same candidate.
  const scrubbed = (column: Column, value: string, ordinal: number): string => {
    column.texts ??= new Array<Scrubbed | undefined>(TEXTS).fill(undefined);
    const slot = textSlot(value);
    const known = column.texts[slot];
    if (
      known !== undefined &&
      known.text === value &&
      (known.ordinal === ANYONE || known.ordinal === ordinal)
    ) {
      for (const count of known.trail) counters.add(count);
      return known.out;
    }
    const out = scrubber.scrub(value, ordinal);
    if (value.length <= REMEMBERED_LENGTH) {
      column.texts[slot] = {
        text: value,
        out,
        trail: scrubber.trail.length === 0 ? NO_COUNTS : [...scrubber.trail],
        ordinal: scrubber.byCandidate ? ordinal : ANYONE,
      };
    }
    return out;
  };

  const apply = (column: Column, value: Value, candidate: string | undefined, ordinal: number): Value => {
    const { rule, field } = column;
    if (value === null || rule.op === 'keep') return value;
    if (rule.op === 'drop') return null;
    if (typeof value === 'string') {
      if (rule.op === 'scrub') return scrubbed(column, value, ordinal);
      // Rows come grouped by candidate: the same ids and URLs row after row. (The pseudonymizer remembers
      // more, but looks a new string up by hashing it all.)
      if (column.valueOnly !== true) return one(rule, field, value, candidate, ordinal);
      column.pure ??= new Array<string | undefined>(2 * TEXTS).fill(undefined);
      const at = 2 * textSlot(value);
      if (column.pure[at] === value) return column.pure[at + 1]!;
      const out = one(rule, field, value, candidate, ordinal);
      column.pure[at] = value;
      column.pure[at + 1] = out;
      return out;
    }
    if (Array.isArray(value)) return value.map((item) => one(rule, field, item, candidate, ordinal));
    return value;
  };

  // The candidates table's column of each class: what a custom field named for a person or contact takes.
  const CLASS_COLUMNS: Record<PersonClass, string> = {
    name: 'first_name',
    email: 'emails',
    phone: 'phone_numbers',
    profile_url: 'profile_url',
  };
  const personColumns = new Map<PersonClass, Column>();
  const personColumn = (cls: PersonClass, column: Column): Column => {
    let person = personColumns.get(cls);
    if (person === undefined) {
      const rule = policy.tables.candidates[CLASS_COLUMNS[cls]]!;
      person = { field: { ...column.field, pii: cls }, rule, slot: column.slot };
      personColumns.set(cls, person);
    }
    return person;
  };
  /** A custom field's values where the field is named for a person or contact: those that look like one. */
  const personValue = (
    column: Column,
    cls: PersonClass,
    value: Value,
    candidate: string | undefined,
    ordinal: number,
  ): Value => {
    const own = column.rule.op;
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    if (own === 'keep' || own === 'drop' || !items.some((item) => looksLike(cls, item)))
      return apply(column, value, candidate, ordinal);
    const person = personColumn(cls, column);
    if (person.rule.op === 'drop') return null;
    const out = items.map((item) => {
      const [rule, field] = looksLike(cls, item) ? [person.rule, person.field] : [column.rule, column.field];
      return rule.op === 'keep' ? item : one(rule, field, item, candidate, ordinal);
    });
    return typeof value === 'string' ? out[0]! : out;
  };

  // A value of a field of special personal data, replaced whole where the policy scrubs the column.
  const sensitiveSlot = counters.slot('find:sensitive_field');
  const redactedItem = (item: string) => {
    if (item.trim() === '') return item;
    counters.add(sensitiveSlot);
    return REDACTED;
  };
  const sensitiveValue = (column: Column, value: Value, candidate: string | undefined, ordinal: number) => {
    if (column.rule.op !== 'scrub') return apply(column, value, candidate, ordinal);
    if (typeof value === 'string') return redactedItem(value);
    return Array.isArray(value) ? value.map(redactedItem) : value;
  };

  // The names of the people a row names by profile URL only (`profileName`), taken out of its free text as
  // the scrubber takes out names it knows: a recruiter signs the messages the sender URL says are theirs.
  const urlNames = new Map<string, UrlName | undefined>();
  const personSlot = counters.slot('find:person_name');
  let personsFound = 0;
  const countPerson = () => {
    counters.add(personSlot);
    personsFound++;
  };
  const replacePerson = (words: readonly string[]) =>
    policy.scrub.replace === 'values' ? ps.fake('name', words.join(' ')) : '[PERSON]';
  const nameOf = (url: unknown): UrlName | undefined => {
    if (typeof url !== 'string' || url === '') return undefined;
    let name = urlNames.get(url);
    if (name === undefined && !urlNames.has(url)) {
      if (urlNames.size >= 4096) urlNames.clear();
      const words = profileName(url);
      name = words === undefined ? undefined : urlName(words);
      urlNames.set(url, name);
    }
    return name;
  };
  // A scrubbed text comes back with the same sender row after row (a thread's replies, a template sent by
  // one recruiter): the walk of `replaceNames` (through every word of a text beyond ASCII) is done once.
  // The place is the text's and its people's: a subject comes back with one sender, then another.
  const named = (column: Column, text: string, people: UrlName[], peopleSlot: number): string => {
    if (text.length > REMEMBERED_LENGTH) return replaceNames(text, people, replacePerson, countPerson);
    column.named ??= new Array<Named | undefined>(TEXTS).fill(undefined);
    const slot = (textSlot(text) + peopleSlot) & (TEXTS - 1);
    const known = column.named[slot];
    if (known !== undefined && known.text === text && samePeople(known.people, people)) {
      for (let k = 0; k < known.found; k++) counters.add(personSlot);
      return known.out;
    }
    personsFound = 0;
    const out = replaceNames(text, people, replacePerson, countPerson);
    column.named[slot] = { text, people, out, found: personsFound };
    return out;
  };

  // A row's one profile URL is mostly the row before's or the one before that (a candidate's messages
  // alternate between the recruiter and the candidate): compared, it is not hashed again, nor a list made.
  let lastUrl: unknown;
  let lastPeople: UrlName[] | undefined;
  let beforeUrl: unknown;
  let beforePeople: UrlName[] | undefined;
  const rowPeople = (shape: Shape): UrlName[] | undefined => {
    if (shape.people.length === 1) {
      const url = values[shape.people[0]!];
      if (url === lastUrl) return lastPeople;
      const name = url === beforeUrl ? undefined : nameOf(url);
      const people = url === beforeUrl ? beforePeople : name === undefined ? undefined : [name];
      beforeUrl = lastUrl;
      beforePeople = lastPeople;
      lastUrl = url;
      lastPeople = people;
      return people;
    }
    let out: UrlName[] | undefined;
    for (const i of shape.people) {
      const name = nameOf(values[i]);
      if (name !== undefined) (out ??= []).push(name);
    }
    return out;
  };

  return {
    transform(table, record) {
      // One pass with for-in, whose loads V8 makes as fast as named ones (records are plain objects).
      let n = 0;
      for (const name in record) {
        names[n] = name;
        values[n] = record[name]!;
        n++;
      }
      // Rows come table by table: the last table's shape is at hand.
      let shape = table === lastTable ? lastShape : shapes.get(table);
      if (shape === undefined || !sameNames(shape.names, names, n)) shape = shapeOf(table, names.slice(0, n));
      lastTable = table;
      lastShape = shape;
      const id = shape.candidate === -1 ? undefined : values[shape.candidate];
      const candidate =
        typeof id === 'string' &&
        (shape.entityType === -1 || isEntityType(values[shape.entityType], 'candidate'))
          ? id
          : undefined;
      if (candidate !== undefined && dropCandidates?.has(candidate)) {
        counters.add(rowSlots.get(table)!);
        return null;
      }
      // Rows come grouped by candidate: the last one's place in the dictionary is looked up once.
      if (candidate !== lastCandidate) {
        lastCandidate = candidate;
        lastOrdinal = candidate !== undefined && dictionary ? dictionary.ordinal(candidate) : -1;
      }
      const ordinal = lastOrdinal;
      const columns = shape.columns;
      const fieldId = shape.fieldId === -1 ? undefined : values[shape.fieldId];
      const person =
        personFields !== undefined && typeof fieldId === 'string' && Object.hasOwn(personFields, fieldId)
          ? personFields[fieldId]
          : undefined;
      const sensitive = typeof fieldId === 'string' && person === undefined && sensitiveFields.has(fieldId);
      const people = rowPeople(shape);
      const peopleSlot = people === undefined ? 0 : slotOfPeople(people);
      const build = shape.build;
      // A copy keeps the record's shape (and its order of columns); only changed values are written.
      const out: TypedRecord | undefined = build === undefined ? { ...record } : undefined;
      for (let i = 0; i < n; i++) {
        const column = columns[i]!;
        const value = values[i]!;
        let next =
          i !== shape.fieldValues
            ? apply(column, value, candidate, ordinal)
            : person !== undefined
              ? personValue(column, person, value, candidate, ordinal)
              : sensitive
                ? sensitiveValue(column, value, candidate, ordinal)
                : apply(column, value, candidate, ordinal);
        if (people !== undefined && column.rule.op === 'scrub' && typeof next === 'string')
          next = named(column, next, people, peopleSlot);
        outs[i] = next;
        if (next === value) continue;
        if (!same(value, next)) counters.add(column.slot);
        if (out === undefined) continue;
        const name = names[i]!;
        if (name === '__proto__')
          Object.defineProperty(out, name, {
            value: next,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else out[name] = next;
      }
      return out ?? build!(outs);
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
      const newId = candidateId(id);
      const name = scrubFileName(file, id, newId, (text, ids) => scrubber.scrub(text, ordinal, ids));
      return `${idsIn(folder)}${newId}/${match.groups!.kind}/${name}`;
    },

    part: idsIn,

    text: (value) => scrubber.scrub(value, -1),
  };
}

/**
 * The columns that say a row's candidate (for scrubbing, shifting and dropping): `candidate_id`, or in
 * custom field values `entity_id` when `entity_type` says candidate.
 */
export function contextColumns(table: TableName): [id: string, type?: string] {
  return table === 'custom_field_values' ? ['entity_id', 'entity_type'] : ['candidate_id'];
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

function sameNames(known: string[], names: string[], n: number): boolean {
  if (known.length !== n) return false;
  for (let i = 0; i < n; i++) if (known[i] !== names[i]) return false;
  return true;
}

/** Where a row's people put a text in a column's `named` (with the text's `textSlot`). */
function slotOfPeople(people: UrlName[]): number {
  let slot = 0;
  for (const { words } of people) slot = (Math.imul(slot, 31) + textSlot(words[words.length - 1]!)) | 0;
  return slot;
}

/** Whether two rows' people are the same (their names are `nameOf`'s, one object per URL while remembered). */
function samePeople(a: UrlName[], b: UrlName[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((item, i) => item === b[i]);
}
