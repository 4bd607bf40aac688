/** Word pools. Names carry an ASCII slug for e-mail addresses and profile URLs. */
export type Name = readonly [display: string, slug: string];

export const FIRST_NAMES: readonly Name[] = [
  ['José', 'jose'],
  ['Zoë', 'zoe'],
  ['Björn', 'bjorn'],
  ['François', 'francois'],
  ['Siobhán', 'siobhan'],
  ['Priya', 'priya'],
  ['Aisha', 'aisha'],
  ['Mateo', 'mateo'],
  ['Olivia', 'olivia'],
  ['Chloé', 'chloe'],
  ['Łukasz', 'lukasz'],
  ['Ngozi', 'ngozi'],
  ['伟', 'wei'],
  ['花子', 'hanako'],
  ['Min-jun', 'minjun'],
  ['Jürgen', 'jurgen'],
  ['Mary Ann', 'maryann'],
  ['Liam', 'liam'],
];

export const LAST_NAMES: readonly Name[] = [
  ["O'Brien", 'obrien'],
  ['Núñez', 'nunez'],
  ['Müller', 'muller'],
  ["D'Angelo", 'dangelo'],
  ['Smith-Jones', 'smithjones'],
  ['王', 'wang'],
  ['佐藤', 'sato'],
  ['García Márquez', 'garciamarquez'],
  ['Nguyễn', 'nguyen'],
  ['Kowalski', 'kowalski'],
  ['Okafor', 'okafor'],
  ['Johansson', 'johansson'],
  ['van der Berg', 'vanderberg'],
  ['Patel', 'patel'],
];

export const HIRING_STATES: readonly (readonly [name: string, type: string])[] = [
  ['Uncontacted', 'sourcing'],
  ['Contacted', 'sourcing'],
  ['Replied', 'sourcing'],
  ['Applied', 'applicant'],
  ['Phone screen', 'phone screen'],
  ['Interview', 'interview'],
  ['Offer', 'offer'],
  ['Hired', 'hired'],
  ['Archived', 'archived'],
  ['Withdrawn', 'archived'],
];

export const ROLES = [
  'Backend Engineer',
  'Data Analyst',
  'Product Designer',
  'Site Reliability Engineer',
  'Account Executive',
  'Recruiter',
  'Engineering Manager',
];
export const LEVELS = ['Junior', 'Mid-level', 'Senior', 'Staff'];
export const CITIES = ['Berlin', 'Dublin', 'São Paulo', 'Tōkyō', 'Montréal', 'Bengaluru', 'New York, NY'];
export const TEAMS = ['Payments', 'Platform', 'Growth', 'Search', 'Identity'];
export const TAGS = ['java', 'remote', 'senior', 'relocation', 'C++', 'UX', 'visa', 'silver medalist'];
export const CHANNELS = ['applicant', 'import', 'referral', 'sourced', 'agency'];
export const MODULE_NAMES = [
  'Technical interview',
  'System design',
  'Culture fit',
  'Hiring manager chat',
  'Portfolio review',
];
export const MODULE_STATES = ['draft', 'invitation sent', 'feedback pending', 'completed'];
export const RECOMMENDATIONS = ['strong yes', 'yes', 'no', 'strong no'];
export const REQUESTER_ROLES = ['Hiring manager', 'Recruiter', 'Interviewer', 'Sourcer'];
export const RESPONSES = [
  'Strong communicator, solid fundamentals.',
  'Not a fit for this level, maybe later.',
  'Great portfolio; would like a second opinion on system design.',
  'Yes, move forward.',
];
export const SUBJECTS = [
  'Opportunity at Contoso',
  'Follow-up: your application',
  'Interview invitation, next steps',
  'Quick question about your profile',
];

export interface FieldDefinition {
  readonly entity: 'candidate' | 'project';
  readonly name: string;
  readonly description: string;
  readonly state: 'active' | 'deleted';
  readonly type: 'string' | 'number' | 'single value' | 'multivalued';
  readonly values: readonly string[];
}

export const FIELD_DEFINITIONS: readonly FieldDefinition[] = [
  {
    entity: 'candidate',
    name: 'Desired salary',
    description: 'Yearly, in EUR',
    state: 'active',
    type: 'number',
    values: [],
  },
  {
    entity: 'candidate',
    name: 'Notice period',
    description: 'How soon the candidate can start',
    state: 'active',
    type: 'single value',
    values: ['Immediate', '2 weeks', '1 month', '3 months'],
  },
  {
    entity: 'candidate',
    name: 'Languages',
    description: 'Spoken languages',
    state: 'active',
    type: 'multivalued',
    values: ['English', 'Français', 'Deutsch', '日本語', 'Español'],
  },
  {
    entity: 'candidate',
    name: 'Visa sponsorship',
    description: 'Needs sponsorship, yes or no',
    state: 'active',
    type: 'single value',
    values: ['Yes', 'No'],
  },
  {
    entity: 'candidate',
    name: 'Referral source',
    description: 'Who referred the candidate (retired field)',
    state: 'deleted',
    type: 'string',
    values: [],
  },
  {
    entity: 'project',
    name: 'Cost center',
    description: 'Finance cost center',
    state: 'active',
    type: 'string',
    values: [],
  },
  {
    entity: 'project',
    name: 'Hiring manager',
    description: 'Accountable manager',
    state: 'active',
    type: 'string',
    values: [],
  },
  {
    entity: 'project',
    name: 'Priority',
    description: 'Hiring priority',
    state: 'active',
    type: 'single value',
    values: ['P1', 'P2', 'P3'],
  },
];
