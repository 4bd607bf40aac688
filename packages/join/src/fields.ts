// What the outputs hold: field lists for manifest.json, and the candidate document's JSON Schema.
import { ATTACHMENT_FIELDS } from '@talent-export/export';
import {
  type FieldSchema,
  SCHEMA_VERSION,
  SCHEMAS,
  type TableName,
  toJsonSchema,
} from '@talent-export/schema';

const field = (
  name: string,
  type: FieldSchema['type'],
  description: string,
  pii: FieldSchema['pii'] = 'none',
): FieldSchema => ({ name, type, required: false, pii, description });

const PROFILE = ['first_name', 'last_name', 'emails', 'phone_numbers', 'tags', 'profile_url'];
const candidateField = (name: string) => SCHEMAS.candidates.fields.find((f) => f.name === name)!;

/**
 * The document's top-level fields for manifest.json; arrays of objects are listed as `list` (the
 * manifest's field types are flat), their shape is in candidates.schema.json.
 */
export const DOCUMENT_FIELDS: readonly FieldSchema[] = [
  { ...candidateField('candidate_id'), required: true },
  ...PROFILE.map(candidateField),
  field('projects', 'list', 'One entry per candidate row: project, hiring state, sourcing channels.'),
  field(
    'custom_fields',
    'list',
    "The candidate's custom field values with their definition's name and type.",
    'free_text',
  ),
  field('scorecards', 'list', 'Scorecards with their interview module.', 'profile_url'),
  field('feedbacks', 'list', 'Feedback on the candidate.', 'free_text'),
  field('notes', 'list', 'Notes on the candidate.', 'free_text'),
  field('messages', 'list', 'Messages to and from the candidate.', 'free_text'),
  field(
    'attachments',
    'list',
    "The candidate's attachment files (kind, file name, size, part, entry).",
    'free_text',
  ),
];

export const ORPHAN_FIELDS: readonly FieldSchema[] = [
  field('table', 'text', 'Table of the row.'),
  field(
    'row',
    'integer',
    "The row's position among its table's decoded rows (1-based; attachments: index order).",
  ),
  field('key', 'text', 'The column whose value resolves nowhere.'),
  field('value', 'id', 'The value that resolves nowhere (null: the key is empty).'),
  field(
    'references',
    'text',
    'The table the value should be found in (null: none applies, e.g. an unknown entity_type).',
  ),
  field(
    'in_document',
    'boolean',
    'Whether the row is in a document nonetheless (with the reference unresolved).',
  ),
];

export const PROJECT_FIELDS: readonly FieldSchema[] = [
  ...SCHEMAS.projects.fields.filter((f) => !f.name.startsWith('job_post_')),
  field('job_posts', 'list', 'Job posts of the project (job_post_id order).'),
  field('custom_fields', 'list', "The project's custom field values with their definition's name and type."),
  field(
    'stages',
    'list',
    'Pipeline stages (pipeline order, then stages held outside it) with candidates per stage.',
  ),
  field('candidates_without_stage', 'integer', 'Candidate rows of the project with no hiring state.'),
  field('candidates', 'integer', 'Candidate rows of the project.'),
];

export { REJECT_FIELDS } from '@talent-export/schema';

const record = (table: TableName, extra: Record<string, object> = {}, without: string[] = []) => {
  const base = toJsonSchema(table) as {
    properties: Record<string, object>;
    required: string[];
    description: string;
  };
  const properties = Object.fromEntries(
    Object.entries(base.properties).filter(([k]) => !without.includes(k)),
  );
  return {
    type: 'object',
    description: base.description,
    properties: { ...properties, ...extra },
    required: [...Object.keys(properties), ...Object.keys(extra)],
  };
};
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const text = { type: ['string', 'null'] };
const array = (items: object, description: string) => ({ type: 'array', items, description });

const customField = (table: TableName) =>
  record(table, {
    name: { ...text, description: "The definition's name (null: no definition)." },
    type: { ...text, description: "The definition's type." },
  });

/** A project as the join writes it (in a document, and a line of projects.ndjson): its row, job posts, custom fields. */
function projectRecord(): ReturnType<typeof record> {
  const jobPost = record(
    'projects',
    {},
    SCHEMAS.projects.fields.filter((f) => !f.name.startsWith('job_post_')).map((f) => f.name),
  );
  return record(
    'projects',
    {
      job_posts: array(jobPost, 'In job_post_id order.'),
      custom_fields: array(
        customField('custom_field_values'),
        'Values with entity_type project, in created_time order.',
      ),
    },
    SCHEMAS.projects.fields.filter((f) => f.name.startsWith('job_post_')).map((f) => f.name),
  );
}

const described = (name: string) => PROJECT_FIELDS.find((f) => f.name === name)!.description;

/** JSON Schema (draft 2020-12) of one line of projects.ndjson (`byProject`). */
export function projectSchema(): object {
  const project = projectRecord();
  const states = toJsonSchema('hiring_states') as { properties: Record<string, object> };
  const state = (name: string) => states.properties[name]!;
  const stage = {
    type: 'object',
    properties: {
      candidate_hiringstate_id: state('candidate_hiringstate_id'),
      name: { ...text, description: "The hiring state's name (null: no hiring_states row for it)." },
      type: { ...text, description: "The hiring state's type (null: no hiring_states row for it)." },
      in_pipeline: {
        type: 'boolean',
        description:
          "Whether the project's candidate_hiring_state_ids lists it (else candidates hold it all the same).",
      },
      candidates: { type: 'integer', description: 'Candidate rows of the project in this stage.' },
    },
    required: ['candidate_hiringstate_id', 'name', 'type', 'in_pipeline', 'candidates'],
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:talent-export:join:${SCHEMA_VERSION}:project`,
    title: 'project document',
    description:
      "One project, in project_id order: the project's columns, its job posts and custom fields, and its candidates rows counted per hiring state. A column named like one the join adds is kept under another name.",
    type: 'object',
    properties: {
      ...project.properties,
      stages: array(stage, described('stages')),
      candidates_without_stage: { type: 'integer', description: described('candidates_without_stage') },
      candidates: { type: 'integer', description: described('candidates') },
    },
    required: [...project.required, 'stages', 'candidates_without_stage', 'candidates'],
  };
}

/** JSON Schema (draft 2020-12) of one line of candidates.ndjson. */
export function documentSchema(): object {
  const candidates = toJsonSchema('candidates') as { properties: Record<string, object> };
  const p = (name: string) => candidates.properties[name]!;
  const project = projectRecord();
  const attachment = {
    type: 'object',
    properties: Object.fromEntries(
      ATTACHMENT_FIELDS.filter((f) => f.name !== 'candidate_id').map((f) => [
        f.name,
        {
          type: f.type === 'integer' ? 'integer' : f.required ? 'string' : ['string', 'null'],
          description: f.description,
        },
      ]),
    ),
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:talent-export:join:${SCHEMA_VERSION}:candidate`,
    title: 'candidate document',
    description:
      'One candidate: profile from the first candidates row, then every row that refers to the candidate. Arrays are ordered: projects by project_id, custom_fields by created_time then custom_field_id, scorecards / feedbacks / notes / messages by their own id, attachments in index order; ties by row. Ids compare as numbers when made of digits.',
    type: 'object',
    properties: {
      candidate_id: { ...p('candidate_id') },
      ...Object.fromEntries(PROFILE.map((name) => [name, p(name)])),
      projects: array(
        {
          type: 'object',
          properties: {
            project_id: p('project_id'),
            hiring_state_id: p('hiring_state_id'),
            hiring_state: nullable({ type: 'object', properties: { name: text, type: text } }),
            sourcing_channels: p('sourcing_channels'),
            ...Object.fromEntries(
              PROFILE.map((name) => [
                name,
                { ...p(name), description: `Only when this row's ${name} differs from the document's.` },
              ]),
            ),
            project: nullable(project),
          },
        },
        "One entry per candidates row, in project_id order; the row's profile fields that differ from the document's (the first row's) and its columns the schema does not know are kept in it.",
      ),
      custom_fields: array(customField('custom_field_values'), 'Values with entity_type candidate.'),
      scorecards: array(
        record('scorecards', { interview_module: nullable(record('interview_modules')) }),
        'In scorecard_id order.',
      ),
      feedbacks: array(record('feedbacks'), 'In feedback_id order.'),
      notes: array(record('notes'), 'In note_id order.'),
      messages: array(record('messages'), 'In message_id order.'),
      attachments: array(attachment, 'In index order (part, then entry order in the part).'),
    },
    required: [
      'candidate_id',
      ...PROFILE,
      'projects',
      'custom_fields',
      'scorecards',
      'feedbacks',
      'notes',
      'messages',
      'attachments',
    ],
  };
}
