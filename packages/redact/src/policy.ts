// A policy says, per table and column, what happens to the values. It is normalized here, once: every
// schema column gets a rule (from its PII class when the policy does not name it), so the stage never
// guesses and a column nobody thought of is never passed through by accident.
import { createRequire } from 'node:module';
import { closestName } from '@talent-export/errors';
import { type FieldSchema, type PiiClass, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { RedactError } from './errors.js';

export type Operator = 'keep' | 'drop' | 'pseudonym' | 'fake' | 'mask' | 'shift' | 'generalize' | 'scrub';
export const OPERATORS: readonly Operator[] = [
  'keep',
  'drop',
  'pseudonym',
  'fake',
  'mask',
  'shift',
  'generalize',
  'scrub',
];

export type Rule =
  | { op: 'keep' | 'drop' | 'pseudonym' | 'fake' | 'mask' | 'scrub' }
  | { op: 'shift'; days: number }
  | { op: 'generalize'; to: 'day' | 'month' };

export type AttachmentKind = 'public' | 'private' | 'miscellaneous';
export type Detector = 'email' | 'phone' | 'linkedin_url';
export const DETECTORS: readonly Detector[] = ['email', 'phone', 'linkedin_url'];

/** A policy with every schema column ruled: what the stage runs. Plain data, so worker threads can be sent it. */
export interface Policy {
  version: 1;
  tables: Record<TableName, Record<string, Rule>>;
  /** Columns an export has beyond the schema: dropped unless named here. */
  extraColumns: Partial<Record<TableName, Record<string, Rule>>>;
  attachments: Record<AttachmentKind, 'keep' | 'drop'>;
  scrub: {
    /** `tokens`: `[CANDIDATE]`, `[EMAIL]`...; `values`: the pseudonym or fake the value's column gets. */
    replace: 'tokens' | 'values';
    detectors: Detector[];
  };
}

/** What a policy file may say; anything left out takes the default. */
export interface PolicyInput {
  version?: 1;
  classes?: Partial<Record<PiiClass, RuleInput>>;
  tables?: Partial<Record<string, Record<string, RuleInput>>>;
  extra_columns?: Partial<Record<string, Record<string, RuleInput>>>;
  attachments?: Partial<Record<AttachmentKind, 'keep' | 'drop'>>;
  scrub?: { replace?: 'tokens' | 'values'; detectors?: Detector[] };
}
export type RuleInput = Operator | { op: Operator; days?: number; to?: 'day' | 'month' };

/** The rule of each PII class for columns a policy does not name. */
export const CLASS_DEFAULTS: Readonly<Record<PiiClass, Operator>> = {
  name: 'fake',
  email: 'fake',
  phone: 'fake',
  profile_url: 'fake',
  free_text: 'scrub',
  none: 'keep',
};

const ID_COLUMNS = ['candidate_id', 'project_id'];

/**
 * Labels of PII class none that people type and that were found to name candidates ("Hiring for José's
 * team", "strong yes - José García", "Call José back", a sourcing channel "Referral - José García"):
 * scrubbed by the shipped policy, kept by the class.
 */
const TYPED_LABELS: Partial<Record<TableName, readonly string[]>> = {
  candidates: ['sourcing_channels'],
  projects: ['project_name', 'sourcing_channels'],
  hiring_states: ['name'],
  interview_modules: ['name'],
  feedbacks: ['requester_role'],
  scorecards: ['overall_recommendation'],
  // A field's name and description are typed too ("Referred by José García", "Ask Ana about ...").
  custom_field_definitions: ['custom_field_definition_values', 'name', 'description'],
};

/**
 * The shipped policy, safe for a third party: people faked, free text scrubbed, attachments dropped, and
 * candidate and project ids pseudonymized everywhere (project ids too because
 * `custom_field_values.entity_id` holds both kinds, and one mapping for all ids keeps every join).
 */
export const DEFAULT_POLICY: PolicyInput = {
  version: 1,
  classes: { ...CLASS_DEFAULTS },
  tables: Object.fromEntries(
    TABLE_NAMES.flatMap((table) => {
      const ids = SCHEMAS[table].fields
        .filter(
          (f) => ID_COLUMNS.includes(f.name) || (table === 'custom_field_values' && f.name === 'entity_id'),
        )
        .map((f) => [f.name, 'pseudonym' as const]);
      const labels = (TYPED_LABELS[table] ?? []).map((name) => [name, 'scrub' as const]);
      const rules = [...ids, ...labels];
      return rules.length ? [[table, Object.fromEntries(rules)]] : [];
    }),
  ),
  extra_columns: {},
  attachments: { public: 'drop', private: 'drop', miscellaneous: 'drop' },
  scrub: { replace: 'tokens', detectors: [...DETECTORS] },
};

/** The default policy as YAML, a starting point for a policy file. */
export function printPolicy(): string {
  return `# talent-export redaction policy. Columns not named take the rule of their PII class (classes).
# Operators: keep, drop, pseudonym, fake, mask, shift ({ op: shift, days: 30 }), generalize
# ({ op: generalize, to: month }), scrub. Unknown extra columns are dropped unless kept in extra_columns.
${loadYaml().stringify(DEFAULT_POLICY)}`;
}

/**
 * YAML's parser, loaded the first time a policy is read from text or printed: every worker thread's stage
 * imports this module with its policy already parsed, and the parser took ~20 ms to load in each.
 */
let yaml: typeof import('yaml') | undefined;
const loadYaml = () => {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml;
};

const bad = (message: string, where: { table?: string; column?: string } = {}) =>
  new RedactError('REDACT_BAD_POLICY', message, where);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * "did you mean keep? " for a word one or two letters off exactly one of `names` (a typo in a hand-written
 * policy), else nothing: the list that follows names them all.
 */
function meant(word: unknown, names: readonly string[]): string {
  if (typeof word !== 'string') return '';
  // Spelled in another case (`Candidates`): that name, which is no typo of itself.
  const lower = word.toLowerCase();
  const near = names.includes(lower) ? lower : closestName(lower, names);
  return near === undefined ? '' : `did you mean ${near}? `;
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], where: string) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw bad(`${where}: unknown key "${key}"; ${meant(key, allowed)}allowed: ${allowed.join(', ')}`);
  }
}

/** Parses a policy: JSON or YAML text, or an object already parsed; `DEFAULT_POLICY` for "default". */
export function loadPolicy(input: string | PolicyInput | Policy): Policy {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (input.trim() === 'default') raw = DEFAULT_POLICY;
    else {
      try {
        raw = loadYaml().parse(input);
      } catch (error) {
        // The parser's first line says what and where; the lines after it quote the text with a pointer.
        const reason = (error as Error).message.split('\n')[0]!.replace(/:\s*$/, '');
        throw new RedactError(
          'REDACT_BAD_POLICY',
          `the policy is neither JSON nor YAML (${reason}); fix its syntax`,
          { cause: error },
        );
      }
    }
  }
  if (!isObject(raw)) throw bad('a policy must be an object (JSON or YAML mapping)');
  if (isNormalized(raw)) raw = denormalize(raw);
  const p = raw as Record<string, unknown>;
  checkKeys(p, ['version', 'classes', 'tables', 'extra_columns', 'attachments', 'scrub'], 'policy');
  if (p.version !== undefined && p.version !== 1)
    throw bad(`policy version ${String(p.version)} is not known; use version: 1`);

  const classes: Record<PiiClass, RuleInput> = { ...CLASS_DEFAULTS };
  if (p.classes !== undefined) {
    if (!isObject(p.classes)) throw bad('classes must map a PII class to an operator');
    checkKeys(p.classes, Object.keys(CLASS_DEFAULTS), 'classes');
    Object.assign(classes, p.classes);
  }

  const named = isObject(p.tables) ? p.tables : p.tables === undefined ? {} : undefined;
  if (!named) throw bad('tables must map a table name to its columns');
  for (const table of Object.keys(named)) {
    if (!TABLE_NAMES.includes(table as TableName)) {
      throw bad(
        `unknown table "${table}" in tables; ${meant(table, TABLE_NAMES)}tables are: ${TABLE_NAMES.join(', ')}`,
        { table },
      );
    }
  }
  const tables = {} as Record<TableName, Record<string, Rule>>;
  for (const table of TABLE_NAMES) {
    const columns = named[table] ?? {};
    if (!isObject(columns)) throw bad(`tables.${table} must map column names to operators`, { table });
    const fields = SCHEMAS[table].fields;
    for (const column of Object.keys(columns)) {
      if (!fields.some((f) => f.name === column)) {
        throw bad(
          `unknown column "${column}" in tables.${table}; ${meant(
            column,
            fields.map((f) => f.name),
          )}its columns are: ${fields.map((f) => f.name).join(', ')} (an extra column of an export goes under extra_columns)`,
          { table, column },
        );
      }
    }
    tables[table] = Object.fromEntries(
      fields.map((field) => {
        const given = columns[field.name] as RuleInput | undefined;
        const from =
          given === undefined
            ? `classes.${field.pii} (for ${table}.${field.name})`
            : `tables.${table}.${field.name}`;
        return [field.name, rule(given ?? classes[field.pii], field, from, table)];
      }),
    );
  }

  joinAlike(tables, named as Record<string, Record<string, unknown> | undefined>);

  const extraColumns: Policy['extraColumns'] = {};
  if (p.extra_columns !== undefined) {
    if (!isObject(p.extra_columns)) throw bad('extra_columns must map a table name to its extra columns');
    for (const [table, columns] of Object.entries(p.extra_columns)) {
      if (!TABLE_NAMES.includes(table as TableName)) {
        throw bad(
          `unknown table "${table}" in extra_columns; ${meant(table, TABLE_NAMES)}tables are: ${TABLE_NAMES.join(', ')}`,
          {
            table,
          },
        );
      }
      if (!isObject(columns))
        throw bad(`extra_columns.${table} must map column names to operators`, { table });
      const extra: FieldSchema = {
        name: '',
        type: 'text',
        required: false,
        pii: 'free_text',
        description: '',
      };
      extraColumns[table as TableName] = Object.fromEntries(
        Object.entries(columns).map(([column, given]) => [
          column,
          rule(given as RuleInput, { ...extra, name: column }, `extra_columns.${table}.${column}`, table),
        ]),
      );
    }
  }

  const attachments: Policy['attachments'] = { public: 'drop', private: 'drop', miscellaneous: 'drop' };
  if (p.attachments !== undefined) {
    if (!isObject(p.attachments))
      throw bad('attachments must map public, private, miscellaneous to keep or drop');
    checkKeys(p.attachments, Object.keys(attachments), 'attachments');
    for (const [kind, action] of Object.entries(p.attachments)) {
      if (action !== 'keep' && action !== 'drop') {
        throw bad(
          `attachments.${kind}: unknown operator "${String(action)}"; ${meant(action, ['keep', 'drop'])}use keep or drop`,
        );
      }
      attachments[kind as AttachmentKind] = action;
    }
  }

  const scrub: Policy['scrub'] = { replace: 'tokens', detectors: [...DETECTORS] };
  if (p.scrub !== undefined) {
    if (!isObject(p.scrub)) throw bad('scrub must be { replace: tokens | values, detectors: [...] }');
    checkKeys(p.scrub, ['replace', 'detectors'], 'scrub');
    if (p.scrub.replace !== undefined) {
      if (p.scrub.replace !== 'tokens' && p.scrub.replace !== 'values') {
        throw bad(`scrub.replace: "${String(p.scrub.replace)}" is not known; use tokens or values`);
      }
      scrub.replace = p.scrub.replace;
    }
    if (p.scrub.detectors !== undefined) {
      const list = p.scrub.detectors;
      if (!Array.isArray(list)) throw bad(`scrub.detectors must be a list of: ${DETECTORS.join(', ')}`);
      for (const d of list) {
        if (!DETECTORS.includes(d as Detector)) {
          throw bad(
            `scrub.detectors: unknown detector "${String(d)}"; ${meant(d, DETECTORS)}detectors are: ${DETECTORS.join(', ')}`,
          );
        }
      }
      scrub.detectors = DETECTORS.filter((d) => list.includes(d));
    }
  }
  return { version: 1, tables, extraColumns, attachments, scrub };
}

/**
 * The columns that hold candidate and project ids, which join the tables: one set, since
 * custom_field_values.entity_id holds both kinds.
 */
const JOIN_COLUMNS: readonly [TableName, string][] = [
  ['candidates', 'candidate_id'],
  ...(['feedbacks', 'messages', 'notes', 'scorecards'] as const).map(
    (t) => [t, 'candidate_id'] as [TableName, string],
  ),
  ['custom_field_values', 'entity_id'],
  ['projects', 'project_id'],
  ...(['candidates', 'feedbacks', 'messages', 'notes', 'scorecards'] as const).map(
    (t) => [t, 'project_id'] as [TableName, string],
  ),
];

/**
 * Gives the id columns the file does not name the operator of those it names, keep or pseudonym: a
 * candidate id pseudonymized in candidates and kept in messages would join nothing and leave the id the
 * pseudonym stands for beside it. Two named alike are required (drop and mask, which empty or hide a
 * column, go with either).
 */
function joinAlike(
  tables: Record<TableName, Record<string, Rule>>,
  named: Record<string, Record<string, unknown> | undefined>,
): void {
  let chosen: [TableName, string, Operator] | undefined;
  for (const [table, column] of JOIN_COLUMNS) {
    if (named[table]?.[column] === undefined) continue;
    const op = tables[table][column]!.op;
    if (op !== 'keep' && op !== 'pseudonym') continue;
    if (chosen && chosen[2] !== op) {
      throw bad(
        `tables.${table}.${column} is ${op} and tables.${chosen[0]}.${chosen[1]} is ${chosen[2]}: candidate and project ids join the tables (custom_field_values.entity_id holds both kinds), so give them one operator, keep or pseudonym (drop empties a column)`,
        { table, column },
      );
    }
    chosen ??= [table, column, op];
  }
  if (!chosen) return;
  for (const [table, column] of JOIN_COLUMNS)
    if (named[table]?.[column] === undefined) tables[table][column] = { op: chosen[2] } as Rule;
}

/** Which operators fit which column: the shape of the value must survive. */
function rule(given: RuleInput, field: FieldSchema, where: string, table: string): Rule {
  const op = typeof given === 'string' ? given : isObject(given) ? given.op : undefined;
  const at = { table, column: field.name };
  if (!OPERATORS.includes(op as Operator)) {
    throw bad(
      `${where}: unknown operator "${String(op)}"; ${meant(op, OPERATORS)}operators are: ${OPERATORS.join(', ')}`,
      at,
    );
  }
  const options: Record<string, unknown> = isObject(given) ? given : {};
  const allowed = op === 'shift' ? ['op', 'days'] : op === 'generalize' ? ['op', 'to'] : ['op'];
  checkKeys(options, allowed, where);
  const timestamp = field.type === 'timestamp';
  if ((op === 'shift' || op === 'generalize') && !timestamp) {
    throw bad(`${where}: ${op} applies to timestamp columns only, and ${field.name} is ${field.type}`, at);
  }
  const textual = field.type === 'text' || field.type === 'list' || field.type === 'id';
  if ((op === 'pseudonym' || op === 'mask' || op === 'scrub' || op === 'fake') && !textual) {
    throw bad(`${where}: ${op} applies to text, list or id columns, and ${field.name} is ${field.type}`, at);
  }
  if (op === 'fake' && !['name', 'email', 'phone', 'profile_url'].includes(field.pii)) {
    throw bad(
      `${where}: fake makes a name, e-mail, phone or profile URL, and ${field.name} holds ${field.pii === 'none' ? 'no personal data' : field.pii}; use pseudonym, mask, scrub or drop`,
      at,
    );
  }
  if (op === 'scrub' && field.type === 'id')
    throw bad(`${where}: scrub applies to text, not to the id ${field.name}`, at);
  if (op === 'shift') {
    const days = options.days ?? 30;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650) {
      throw bad(`${where}: shift days must be a whole number from 1 to 3650`, at);
    }
    return { op, days };
  }
  if (op === 'generalize') {
    const to = options.to ?? 'month';
    if (to !== 'day' && to !== 'month')
      throw bad(`${where}: generalize to "${String(to)}" is not known; use day or month`, at);
    return { op, to };
  }
  return { op: op as Exclude<Operator, 'shift' | 'generalize'> };
}

/** A normalized policy is accepted again as it is (it is what the stage is sent). */
function isNormalized(raw: Record<string, unknown>): raw is Policy & Record<string, unknown> {
  return 'extraColumns' in raw && isObject(raw.tables) && isObject(raw.scrub);
}

function denormalize(policy: Policy): PolicyInput {
  return {
    version: 1,
    tables: policy.tables as NonNullable<PolicyInput['tables']>,
    extra_columns: policy.extraColumns as NonNullable<PolicyInput['extra_columns']>,
    attachments: policy.attachments,
    scrub: policy.scrub,
  };
}
