/**
 * The ten Talent Hub tables, as LinkedIn's export guide lists them. This is data: other tools can read it
 * directly or as JSON Schema / Frictionless Table Schema.
 */
export type TableName =
  | 'candidates'
  | 'custom_field_definitions'
  | 'custom_field_values'
  | 'feedbacks'
  | 'hiring_states'
  | 'interview_modules'
  | 'messages'
  | 'notes'
  | 'projects'
  | 'scorecards';

/** id: string kept exactly; timestamp: epoch ms (10 digits: seconds) or `yyyy-MM-dd HH:mm:ss` in, ISO 8601 UTC out; list: `;`-separated in, array out. */
export type FieldType = 'id' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'list' | 'text';

/** What kind of personal data a column holds; redaction decides per class. */
export type PiiClass = 'name' | 'email' | 'phone' | 'profile_url' | 'free_text' | 'none';

export interface FieldSchema {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly pii: PiiClass;
  readonly description: string;
}

export interface TableSchema {
  readonly name: TableName;
  /**
   * File stems this table is exported under, compared case-insensitively (`.csv` is added); the first is
   * the file's name in LinkedIn's guide (see `guideFile`).
   */
  readonly files: readonly string[];
  readonly description: string;
  readonly fields: readonly FieldSchema[];
  /** Columns that together identify a row; several rows may share an id where the export repeats it. */
  readonly key: readonly string[];
}

export const SCHEMA_VERSION = '1.0.0';

type FieldSpec = [name: string, type: FieldType, pii: PiiClass, description: string, required?: boolean];

function table(
  name: TableName,
  files: string[],
  description: string,
  key: string[],
  specs: FieldSpec[],
): TableSchema {
  const fields = specs.map(([field, type, pii, text, required]) => ({
    name: field,
    type,
    pii,
    description: text,
    required: required ?? key.includes(field),
  }));
  return { name, files, description, key, fields };
}

export const SCHEMAS: Readonly<Record<TableName, TableSchema>> = {
  candidates: table(
    'candidates',
    ['Candidate', 'Candidates'],
    'All applicants and sourced candidates; one row per candidate and project.',
    ['candidate_id'],
    [
      ['candidate_id', 'id', 'none', 'Uniquely identifies candidates across all exported CSVs.'],
      ['project_id', 'id', 'none', 'Project relevant for this candidate (projects.project_id).'],
      ['first_name', 'text', 'name', 'Candidate first name.'],
      ['last_name', 'text', 'name', 'Candidate last name.'],
      ['emails', 'list', 'email', 'Email addresses (;-separated).'],
      ['phone_numbers', 'list', 'phone', 'Phone numbers (;-separated).'],
      ['tags', 'list', 'free_text', 'Tags (;-separated): labels recruiters type, which may name people.'],
      ['profile_url', 'text', 'profile_url', 'Candidate LinkedIn URL.'],
      ['sourcing_channels', 'list', 'none', 'Candidate sources, e.g. applicant, import, referral.'],
      [
        'hiring_state_id',
        'id',
        'none',
        'Most recent pipeline stage (hiring_states.candidate_hiringstate_id).',
      ],
    ],
  ),
  custom_field_definitions: table(
    'custom_field_definitions',
    // The guide's list of files says "Custom Fields Definitions".
    ['CustomFieldDefinition', 'CustomFieldDefinitions', 'CustomFieldsDefinitions', 'CustomFieldsDefinition'],
    'Definitions of all custom fields created in Talent Hub.',
    ['custom_field_id'],
    [
      ['custom_field_id', 'id', 'none', 'Uniquely identifies custom fields across all exported CSVs.'],
      ['entity_type', 'text', 'none', 'Entity this field belongs to, e.g. candidate or project.'],
      ['description', 'text', 'none', 'Custom field description.'],
      ['name', 'text', 'none', 'Name of the custom field.'],
      ['state', 'text', 'none', 'active or deleted.'],
      ['type', 'text', 'none', 'Format of the field, e.g. string, number, multivalued, single value.'],
      ['custom_field_definition_values', 'list', 'none', 'Allowed values (;-separated).'],
      ['created_time', 'timestamp', 'none', 'Time of creation.'],
      ['last_modified', 'timestamp', 'none', 'Time of last modification.'],
    ],
  ),
  custom_field_values: table(
    'custom_field_values',
    ['CustomFieldValues', 'CustomFieldValue'],
    'Custom field values for each candidate or project.',
    ['custom_field_id', 'entity_type', 'entity_id'],
    [
      ['custom_field_id', 'id', 'none', 'custom_field_definitions.custom_field_id.'],
      ['entity_type', 'text', 'none', 'Entity this value belongs to, e.g. candidate or project.'],
      ['entity_id', 'id', 'none', 'The candidate or project id.'],
      ['custom_field_values', 'list', 'free_text', 'The values of this custom field (;-separated).'],
      ['created_time', 'timestamp', 'none', 'Time of creation.'],
      ['last_modified_time', 'timestamp', 'none', 'Time of last modification.'],
    ],
  ),
  feedbacks: table(
    'feedbacks',
    ['Feedbacks', 'Feedback'],
    'Candidate feedback requested with "Share for review".',
    ['feedback_id'],
    [
      ['feedback_id', 'id', 'none', 'Uniquely identifies candidate feedback.'],
      ['candidate_id', 'id', 'none', 'candidates.candidate_id.'],
      ['project_id', 'id', 'none', 'projects.project_id.'],
      ['company', 'id', 'none', 'Company id.'],
      ['requester_role', 'text', 'none', 'Role of the feedback requester.'],
      ['message', 'text', 'free_text', 'Message sent with the feedback request.'],
      ['feedback_response', 'text', 'free_text', 'Feedback response on the candidate.'],
      ['recommendation_score', 'number', 'none', "Score for the candidate's job fit."],
      ['approved_for_referral', 'boolean', 'none', 'Whether the candidate was approved for referral.'],
      ['requester_profile_url', 'text', 'profile_url', 'Profile URL of the requester.'],
      ['requestee_profile_url', 'text', 'profile_url', 'Profile URL of the requestee.'],
    ],
  ),
  hiring_states: table(
    'hiring_states',
    ['HiringStates', 'HiringState'],
    'Hiring states (pipeline stages) of all pipelines.',
    ['candidate_hiringstate_id'],
    [
      ['candidate_hiringstate_id', 'id', 'none', 'Uniquely identifies the hiring state.'],
      ['name', 'text', 'none', 'Name of the state (stage).'],
      ['type', 'text', 'none', 'Parent category, e.g. interview, phone screen.'],
    ],
  ),
  interview_modules: table(
    'interview_modules',
    ['InterviewModule', 'InterviewModules'],
    'Interview modules of the submitted scorecards.',
    ['interview_module_id'],
    [
      ['interview_module_id', 'id', 'none', 'Uniquely identifies the interview module.'],
      ['description', 'text', 'free_text', 'Describes the interview module.'],
      ['name', 'text', 'none', 'Interview module name.'],
      ['state', 'text', 'none', 'Status, e.g. draft, invitation sent, feedback pending.'],
      ['start_time', 'timestamp', 'none', 'Interview start time.'],
      ['end_time', 'timestamp', 'none', 'Interview end time.'],
    ],
  ),
  messages: table(
    'messages',
    ['Messages', 'Message'],
    'Public InMail and email messages sent to candidates.',
    ['message_id'],
    [
      ['message_id', 'id', 'none', 'Uniquely identifies the message.'],
      ['project_id', 'id', 'none', 'projects.project_id.'],
      ['candidate_id', 'id', 'none', 'candidates.candidate_id.'],
      ['sender_profile_url', 'text', 'profile_url', "Sender's LinkedIn URL."],
      ['subject', 'text', 'free_text', 'Message subject.'],
      ['body', 'text', 'free_text', 'Message body.'],
      ['type', 'text', 'none', 'InMail, email or reply.'],
    ],
  ),
  notes: table(
    'notes',
    ['Notes', 'Note'],
    'Public notes added to candidate profiles.',
    ['note_id'],
    [
      ['note_id', 'id', 'none', 'Unique id.'],
      ['project_id', 'id', 'none', 'projects.project_id.'],
      ['candidate_id', 'id', 'none', 'candidates.candidate_id.'],
      ['content', 'text', 'free_text', 'Content of the note.'],
      ['owner_profile_url', 'text', 'profile_url', "Note owner's LinkedIn URL."],
      ['visibility', 'text', 'none', 'Visibility, e.g. HiringContext or Project.'],
    ],
  ),
  projects: table(
    'projects',
    ['Projects', 'Project'],
    'Projects and their job posts; one row per project and job post.',
    ['project_id'],
    [
      ['project_id', 'id', 'none', 'Uniquely identifies projects across all exported CSVs.'],
      ['project_name', 'text', 'none', 'Project name.'],
      ['visibility', 'text', 'none', 'Visibility level of the project.'],
      ['state', 'text', 'none', 'ACTIVE, CLOSED or DRAFT.'],
      ['type', 'text', 'none', 'e.g. job posting.'],
      ['owner_profile_url', 'text', 'profile_url', "Project owner's LinkedIn URL."],
      ['candidate_hiring_state_ids', 'list', 'none', 'Hiring states of the project pipeline (;-separated).'],
      ['sourcing_channels', 'list', 'none', 'Sourcing channels active in this project.'],
      ['project_description', 'text', 'free_text', 'Project description.'],
      ['job_post_id', 'id', 'none', 'Job post associated with the project.'],
      ['job_post_description', 'text', 'free_text', 'Description of the job post.'],
      ['job_post_created_at', 'timestamp', 'none', 'Time of job posting.'],
      ['job_post_state', 'text', 'none', 'Job post status (active, closed).'],
    ],
  ),
  scorecards: table(
    'scorecards',
    ['Scorecards', 'Scorecard'],
    'Interview scorecard feedback, recommendation and scoring.',
    ['scorecard_id'],
    [
      ['scorecard_id', 'id', 'none', 'Unique id.'],
      ['project_id', 'id', 'none', 'projects.project_id.'],
      ['candidate_id', 'id', 'none', 'candidates.candidate_id.'],
      ['interview_id', 'id', 'none', 'Candidate interview id.'],
      ['interviewer', 'text', 'profile_url', 'LinkedIn URL of the interviewer.'],
      ['interview_module_id', 'id', 'none', 'interview_modules.interview_module_id.'],
      ['composite_score', 'number', 'none', 'Total candidate score submitted by the interviewer.'],
      ['overall_recommendation', 'text', 'none', 'e.g. strong yes, yes, no, strong no.'],
    ],
  ),
};

export const TABLE_NAMES = Object.keys(SCHEMAS) as TableName[];

/** The table's file name as LinkedIn's guide writes it (e.g. `Candidate.csv`, `Feedbacks.csv`). */
export const guideFile = (table: TableName): string => `${SCHEMAS[table].files[0]}.csv`;

/**
 * The table a CSV file name (any folder, any case, singular or plural) holds, if any. Its words may be
 * apart: as the guide's list of files names them (`Hiring States.csv`), or as the tables are named here
 * (`hiring_states.csv`, `hiring-states.csv`), which a tool writing an export of its own may follow.
 */
export function tableForFile(fileName: string): TableName | undefined {
  const base = fileName.split('/').pop() ?? '';
  const match = /^(.+)\.csv$/i.exec(base);
  if (!match) return undefined;
  const stem = match[1]!.toLowerCase();
  const joined = /[\s_-]/.test(stem) ? stem.replace(/(?<=[a-z])[\s_-]+(?=[a-z])/g, '') : stem;
  return TABLE_NAMES.find((name) => SCHEMAS[name].files.some((file) => file.toLowerCase() === joined));
}
