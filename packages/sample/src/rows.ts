import type { TableName } from '@talent-export/schema';
import { type Cell, list, stamp } from './cells.js';
import {
  type Candidate,
  candidate,
  candidateId,
  moduleId,
  ORPHAN_MESSAGE_CANDIDATES,
  ORPHAN_NOTE_CANDIDATES,
  project,
  projectId,
  type Recruiter,
  time,
  UNKNOWN_FIELD_ID,
  type World,
} from './model.js';
import {
  FIELD_DEFINITIONS,
  HIRING_STATES,
  MODULE_NAMES,
  MODULE_STATES,
  RECOMMENDATIONS,
  REQUESTER_ROLES,
  RESPONSES,
  SUBJECTS,
} from './pools.js';
import { Rng } from './rng.js';

/** Rows of one table, cells in schema order. */
export type RowSource = (world: World) => Iterable<Cell[]>;

const name = (c: Candidate) => `${c.first[0]} ${c.last[0]}`;
const signature = (r: Recruiter) => `${r.first} ${r.last}`;

function* candidates(world: World): Iterable<Cell[]> {
  for (let i = 0; i < world.candidates; i++) {
    const c = candidate(world, i);
    for (const row of c.rows) {
      yield [
        c.id,
        projectId(world, row.project),
        c.first[0],
        c.last[0],
        list(c.emails),
        list(c.phones),
        c.tags,
        c.profileUrl,
        c.sourcing,
        row.state,
      ];
    }
  }
}

function* fieldDefinitions(world: World): Iterable<Cell[]> {
  for (let d = 0; d < FIELD_DEFINITIONS.length; d++) {
    const def = FIELD_DEFINITIONS[d]!;
    const r = new Rng(world.seed, 'field', d);
    const created = time(r);
    yield [
      world.fieldIds[d]!,
      def.entity,
      def.description,
      def.name,
      def.state,
      def.type,
      list(def.values),
      stamp(created, 'epoch'),
      stamp(created + r.int(90 * 86_400_000), 'text'),
    ];
  }
}

function fieldValue(world: World, r: Rng, d: number, entityId: string): Cell[] {
  const def = FIELD_DEFINITIONS[d]!;
  let values: string[];
  if (def.type === 'number') values = [String(r.range(40, 200) * 1000)];
  else if (def.type === 'single value') values = [r.pick(def.values)];
  else if (def.type === 'multivalued') values = r.sample(def.values, r.range(1, 3));
  else if (def.name === 'Cost center') values = [`CC-${r.digits(4)}`];
  else values = [signature(r.pick(world.recruiters))];
  const created = time(r);
  return [
    world.fieldIds[d]!,
    def.entity,
    entityId,
    list(values),
    stamp(created, 'epoch'),
    stamp(created + 3_600_000, 'text'),
  ];
}

function* fieldValues(world: World): Iterable<Cell[]> {
  const forEntity = (entity: string) =>
    FIELD_DEFINITIONS.flatMap((def, d) => (def.entity === entity ? [d] : []));
  for (let p = 0; p < world.projects; p++) {
    const r = new Rng(world.seed, 'project-fields', p);
    for (const d of forEntity('project')) {
      const row = fieldValue(world, r, d, projectId(world, p));
      if (r.chance(0.7)) yield row;
    }
  }
  const candidateFields = forEntity('candidate');
  for (let i = 0; i < world.candidates; i++) {
    const r = new Rng(world.seed, 'candidate-fields', i);
    for (const d of candidateFields) {
      const row = fieldValue(world, r, d, candidateId(world, i));
      if (r.chance(0.5)) yield row;
    }
  }
  // A value whose field definition is missing from the definitions table.
  const orphan = fieldValue(world, new Rng(world.seed, 'orphan-field'), 1, candidateId(world, 0));
  orphan[0] = UNKNOWN_FIELD_ID;
  yield orphan;
}

function* feedbacks(world: World): Iterable<Cell[]> {
  let first = true;
  for (let i = 0; i < world.candidates; i++) {
    const r = new Rng(world.seed, 'feedback', i);
    if (!r.chance(1 / 3)) continue;
    const c = candidate(world, i);
    const p = project(world, r.pick(c.rows).project);
    let response: string | null = r.chance(0.2) ? null : r.pick(RESPONSES);
    if (world.edge && first) response = '   ';
    first = false;
    yield [
      `4${String(i).padStart(9, '0')}`,
      c.id,
      p.id,
      world.companyId,
      r.pick(REQUESTER_ROLES),
      `Could you review ${name(c)}'s profile for ${p.name}?`,
      response,
      r.chance(0.1) ? null : r.range(2, 10) / 2,
      r.chance(0.1) ? null : r.chance(0.5),
      r.pick(world.recruiters).url,
      r.pick(world.recruiters).url,
    ];
  }
}

function* hiringStates(world: World): Iterable<Cell[]> {
  for (let s = 0; s < HIRING_STATES.length; s++) {
    yield [world.hiringStateIds[s]!, HIRING_STATES[s]![0], HIRING_STATES[s]![1]];
  }
}

function* interviewModules(world: World): Iterable<Cell[]> {
  for (let k = 0; k < world.modules; k++) {
    const r = new Rng(world.seed, 'module', k);
    const start = time(r);
    yield [
      moduleId(world, k),
      `${r.pick(['Pair programming on a small refactoring task', 'Whiteboard session', 'Structured conversation'])}; ${r.pick([30, 45, 60])} minutes.`,
      r.pick(MODULE_NAMES),
      r.pick(MODULE_STATES),
      stamp(start, 'text'),
      r.chance(0.9) ? stamp(start + r.range(2, 6) * 900_000, 'text') : null,
    ];
  }
}

function messageBody(r: Rng, c: Candidate, type: string, sender: Recruiter, projectName: string) {
  const email = c.emails[0];
  const phone = c.phones[0];
  const reach = [email, phone].filter((x) => x !== undefined).join(' or ') || 'this thread';
  if (type === 'reply') return `Thanks! You can reach me at ${reach}. Best, ${name(c)}`;
  if (type === 'email') {
    return `Hello ${c.first[0]}, thanks for applying to ${projectName}. Can we call you at ${phone ?? 'a number of your choice'}? Best, ${signature(sender)}`;
  }
  const profile = c.profileUrl ?? 'your profile';
  return `Hi ${c.first[0]}, I came across ${profile} and think you'd be a great fit for ${projectName}. Interested? ${r.pick(['Cheers', 'Best'])}, ${signature(sender)}`;
}

function* messages(world: World): Iterable<Cell[]> {
  const m = world.messagesPerCandidate;
  const id = (n: number) => world.messagePrefix + String(n).padStart(12, '0');
  for (let i = 0; i < world.candidates && m > 0; i++) {
    const r = new Rng(world.seed, 'message', i);
    const c = candidate(world, i);
    for (let k = 0; k < m; k++) {
      const p = project(world, r.pick(c.rows).project);
      const type = k === 0 ? 'InMail' : r.pick(['email', 'reply', 'InMail']);
      const sender = r.pick(world.recruiters);
      let subject = r.pick(SUBJECTS);
      let body = messageBody(r, c, type, sender, p.name);
      if (world.edge && i % 50 === 0 && k === 0) {
        subject = 'Next steps 🚀, "final" round';
        body = `Hi ${c.first[0]},\nThanks for the call. You said "Tuesday, 10:00" works.\r\nSee you then 🎉\n— ${signature(sender)}`;
      }
      yield [id(i * m + k), p.id, c.id, type === 'reply' ? c.profileUrl : sender.url, subject, body, type];
    }
  }
  // Messages to people missing from the candidates table.
  for (let t = 0; t < ORPHAN_MESSAGE_CANDIDATES.length; t++) {
    const sender = world.recruiters[t]!;
    yield [
      id(world.candidates * m + t),
      projectId(world, 0),
      ORPHAN_MESSAGE_CANDIDATES[t]!,
      sender.url,
      SUBJECTS[0]!,
      `Hello, please reply to ${orphanEmail(t)}. Best, ${signature(sender)}`,
      'email',
    ];
  }
}

export function orphanEmail(t: number): string {
  return `former.candidate.${t}@example.com`;
}

function* notes(world: World): Iterable<Cell[]> {
  const id = (n: number) => world.notePrefix + String(n).padStart(12, '0');
  for (let i = 0; i < world.candidates; i++) {
    const r = new Rng(world.seed, 'note', i);
    const count = r.weighted([0.35, 0.4, 0.25]);
    if (count === 0) continue;
    const c = candidate(world, i);
    for (let k = 0; k < count; k++) {
      const p = project(world, r.pick(c.rows).project);
      let content = `Spoke with ${name(c)} about ${p.name}. Phone: ${c.phones[0] ?? 'n/a'}, email: ${c.emails[0] ?? 'n/a'}, profile: ${c.profileUrl ?? 'n/a'}.`;
      if (world.edge && i % 50 === 1 && k === 0) {
        content = `Call notes for ${c.first[0]}:\n- "strong" on SQL, weak on CSS\r\n- salary: 85,000 € 💶\n`;
      }
      yield [
        id(i * 3 + k),
        p.id,
        c.id,
        content,
        r.pick(world.recruiters).url,
        r.pick(['HiringContext', 'Project']),
      ];
    }
  }
  yield [
    id(world.candidates * 3),
    projectId(world, 0),
    ORPHAN_NOTE_CANDIDATES[0]!,
    'Candidate withdrew and asked for deletion.',
    world.recruiters[0]!.url,
    'HiringContext',
  ];
}

function* projects(world: World): Iterable<Cell[]> {
  for (let p = 0; p < world.projects; p++) {
    const x = project(world, p);
    const head: Cell[] = [
      x.id,
      x.name,
      x.visibility,
      x.state,
      x.type,
      x.owner.url,
      x.stateIds,
      x.sourcing,
      x.description,
    ];
    if (x.jobs.length === 0) yield [...head, null, null, null, null];
    for (const job of x.jobs) {
      yield [...head, job.id, job.description, stamp(job.created, 'epoch'), job.state];
    }
  }
}

function* scorecards(world: World): Iterable<Cell[]> {
  for (let i = 0; i < world.candidates; i++) {
    const r = new Rng(world.seed, 'scorecard', i);
    if (!r.chance(0.5)) continue;
    const c = candidate(world, i);
    const count = r.range(1, 2);
    for (let k = 0; k < count; k++) {
      const n = i * 2 + k;
      yield [
        `5${String(n).padStart(9, '0')}`,
        projectId(world, r.pick(c.rows).project),
        c.id,
        // Interview ids are zero-padded: leading zeros must survive.
        String(n).padStart(12, '0'),
        r.pick(world.recruiters).url,
        moduleId(world, r.int(world.modules)),
        r.range(4, 16) / 4,
        r.pick(RECOMMENDATIONS),
      ];
    }
  }
}

export const ROW_SOURCES: Readonly<Record<TableName, RowSource>> = {
  candidates,
  custom_field_definitions: fieldDefinitions,
  custom_field_values: fieldValues,
  feedbacks,
  hiring_states: hiringStates,
  interview_modules: interviewModules,
  messages,
  notes,
  projects,
  scorecards,
};

/** The orphan references the generator injects, by check name; every other check has none. */
export function injectedOrphans(): Record<string, number> {
  const checks: Record<string, number> = {};
  const add = (from: string, to: string, count = 0) => {
    checks[`${from} -> ${to}`] = count;
  };
  add('candidates.hiring_state_id', 'hiring_states.candidate_hiringstate_id', 1);
  for (const table of ['candidates', 'feedbacks', 'messages', 'notes', 'scorecards']) {
    add(`${table}.project_id`, 'projects.project_id');
  }
  add('feedbacks.candidate_id', 'candidates.candidate_id');
  add('messages.candidate_id', 'candidates.candidate_id', ORPHAN_MESSAGE_CANDIDATES.length);
  add('notes.candidate_id', 'candidates.candidate_id', ORPHAN_NOTE_CANDIDATES.length);
  add('scorecards.candidate_id', 'candidates.candidate_id');
  add('scorecards.interview_module_id', 'interview_modules.interview_module_id');
  add('custom_field_values.custom_field_id', 'custom_field_definitions.custom_field_id', 1);
  add('custom_field_values.entity_id', 'candidates.candidate_id');
  add('custom_field_values.entity_id', 'projects.project_id');
  add('projects.candidate_hiring_state_ids', 'hiring_states.candidate_hiringstate_id');
  return checks;
}
