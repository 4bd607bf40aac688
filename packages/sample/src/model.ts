import { type List, list, rawList } from './cells.js';
import type { NormalizedOptions } from './options.js';
import {
  CHANNELS,
  CITIES,
  FIRST_NAMES,
  HIRING_STATES,
  LAST_NAMES,
  LEVELS,
  type Name,
  ROLES,
  TAGS,
  TEAMS,
} from './pools.js';
import { Rng } from './rng.js';

/**
 * The synthetic company: small lookup tables are built once; candidates, projects and modules are rebuilt
 * from (seed, index) whenever a table needs them, so memory does not grow with the number of candidates.
 */
export interface World {
  readonly seed: number;
  readonly edge: boolean;
  readonly candidates: number;
  readonly messagesPerCandidate: number;
  readonly projects: number;
  readonly modules: number;
  readonly contractId: string;
  readonly companyId: string;
  readonly hiringStateIds: readonly string[];
  readonly fieldIds: readonly string[];
  readonly recruiters: readonly Recruiter[];
  readonly messagePrefix: string;
  readonly notePrefix: string;
  /** Candidate whose first candidates row points at a hiring state that does not exist. */
  readonly unknownStateCandidate: number;
  /** Candidate that has no attachment folder. */
  readonly withoutAttachments: number;
  /** An attachment folder for a candidate id not in the candidates table, sorted right after this one. */
  readonly extraFolderAfter: number;
  readonly extraFolderId: string;
}

export interface Recruiter {
  readonly first: string;
  readonly last: string;
  readonly url: string;
}

export interface Candidate {
  readonly index: number;
  readonly id: string;
  readonly first: Name;
  readonly last: Name;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly profileUrl: string | null;
  readonly tags: List;
  readonly sourcing: List;
  /** One candidates row per project, with the stage in that project. */
  readonly rows: readonly { readonly project: number; readonly state: string | null }[];
}

export interface JobPost {
  readonly id: string;
  readonly description: string;
  readonly created: number;
  readonly state: string;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly visibility: string;
  readonly state: string;
  readonly type: string;
  readonly owner: Recruiter;
  readonly stateIds: List;
  readonly sourcing: List;
  readonly description: string;
  readonly jobs: readonly JobPost[];
}

/** 2019-01-01T00:00:00Z: every time lies within a few years after it. */
export const EPOCH = 1_546_300_800_000;
const YEAR_MS = 365 * 24 * 3600 * 1000;
export const UNKNOWN_STATE_ID = '109999999';
export const UNKNOWN_FIELD_ID = '899999999';
/** Candidate ids that messages and notes refer to but the candidates table lacks. */
export const ORPHAN_MESSAGE_CANDIDATES = ['2000000001', '2000000002'];
export const ORPHAN_NOTE_CANDIDATES = ['2000000003'];

export function createWorld(options: NormalizedOptions): World {
  const { seed, candidates } = options;
  const r = new Rng(seed, 'world');
  const recruiters = Array.from({ length: 8 }, (_, k) => {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    return {
      first: first[0],
      last: last[0],
      url: `https://www.linkedin.com/in/${first[1]}-${last[1]}-talent-${k}${r.digits(3)}`,
    };
  });
  const extraFolderAfter = Math.floor((candidates * 2) / 3);
  return {
    seed,
    edge: options.edgeCases,
    candidates,
    messagesPerCandidate: options.messagesPerCandidate,
    projects: Math.max(2, Math.ceil(candidates / 40)),
    modules: Math.max(3, Math.ceil(candidates / 25)),
    contractId: String(r.range(100_000, 999_999)),
    companyId: String(r.range(10_000, 99_999)),
    hiringStateIds: HIRING_STATES.map((_, s) => String(100_000_000 + s * 1000 + r.int(1000))),
    fieldIds: Array.from({ length: 8 }, (_, d) => String(800_000_000 + d * 1000 + r.int(1000))),
    recruiters,
    messagePrefix: `69${r.digits(5)}`,
    notePrefix: `7${r.digits(4)}`,
    unknownStateCandidate: Math.floor(candidates / 2),
    withoutAttachments: Math.floor(candidates / 3),
    extraFolderAfter,
    // Candidate ids step by 40 with a jitter below 20, so +30 falls strictly between two of them.
    extraFolderId: String(1_000_000_000 + extraFolderAfter * 40 + 30),
  };
}

/** Ten digits, strictly increasing with the index. */
export function candidateId(world: World, index: number): string {
  return String(1_000_000_000 + index * 40 + new Rng(world.seed, 'candidate-id', index).int(20));
}

export function time(r: Rng): number {
  return EPOCH + Math.floor(r.float() * 4.5 * YEAR_MS);
}

export function candidate(world: World, index: number): Candidate {
  const r = new Rng(world.seed, 'candidate', index);
  const id = candidateId(world, index);
  const first = r.pick(FIRST_NAMES);
  const last = r.pick(LAST_NAMES);
  // Sourced candidates come without contact details unless a recruiter added them.
  const sourced = r.chance(0.25);
  const emails = [`${first[1]}.${last[1]}.${index}@example.com`, `${first[1]}${index}@mail.example.org`];
  // Lines 0100-0199 are left out: reserved for fiction, they are what redaction's fakes use.
  const line = Math.floor(index / 800);
  const phones = [
    `+1 (${200 + (index % 800)}) 555-${String(line < 100 ? line : line + 100).padStart(4, '0')}`,
    `+44 7700 ${String(index).padStart(6, '0')}`,
  ];
  const emailCount = sourced ? 0 : r.weighted([0.05, 0.75, 0.2]);
  const phoneCount = sourced ? 0 : r.weighted([0.2, 0.65, 0.15]);
  const profileUrl = r.chance(0.95)
    ? `https://www.linkedin.com/in/${first[1]}-${last[1]}-${Number(id).toString(36)}`
    : null;
  let tags = list(r.sample(TAGS, r.int(4)));
  if (world.edge && index % 97 === 5) tags = rawList(' remote ; senior ;;');
  if (world.edge && index % 97 === 6) tags = rawList(';;');
  const sourcing = list(r.sample(CHANNELS, r.chance(0.2) ? 2 : 1));
  const projectCount = Math.min(world.projects, 1 + r.weighted([0.7, 0.22, 0.08]));
  const projects: number[] = [];
  while (projects.length < projectCount) {
    const p = r.int(world.projects);
    if (!projects.includes(p)) projects.push(p);
  }
  const rows = projects.map((project, k) => ({
    project,
    state:
      index === world.unknownStateCandidate && k === 0
        ? UNKNOWN_STATE_ID
        : r.chance(0.04)
          ? null
          : r.pick(world.hiringStateIds),
  }));
  return {
    index,
    id,
    first,
    last,
    emails: emails.slice(0, emailCount),
    phones: phones.slice(0, phoneCount),
    profileUrl,
    tags,
    sourcing,
    rows,
  };
}

export function projectId(world: World, p: number): string {
  const r = new Rng(world.seed, 'project-id', p);
  // The first project's id has a leading zero, which must survive every reader.
  return p === 0 ? `0${40_000_000 + r.int(1_000_000)}` : String(500_000_000 + p * 1000 + r.int(1000));
}

export function project(world: World, p: number): Project {
  const r = new Rng(world.seed, 'project', p);
  const role = r.pick(ROLES);
  const city = r.pick(CITIES);
  const jobCount = p === 1 ? 0 : 1 + r.weighted([0.5, 0.35, 0.15]);
  let description = `Hiring a ${role} for the ${r.pick(TEAMS)} team in ${city}. Hybrid, 3 days a week on site.`;
  if (world.edge && p % 7 === 0) description += '\r\nMust have: "production" experience, on-call; 🚀';
  const pipeline = world.hiringStateIds.filter(() => r.chance(0.7));
  const jobs = Array.from({ length: jobCount }, (_, j) => ({
    id: `3${String(p * 4 + j).padStart(9, '0')}`,
    description: `${r.pick(LEVELS)} ${role}, ${r.pick(CITIES)}`,
    created: time(r),
    state: r.pick(['active', 'closed']),
  }));
  return {
    id: projectId(world, p),
    name: `${role}, ${city}`,
    visibility: r.pick(['PUBLIC', 'PRIVATE']),
    state: ['ACTIVE', 'CLOSED', 'DRAFT'][r.weighted([0.6, 0.3, 0.1])]!,
    type: jobCount === 0 ? 'Sourcing' : 'Job posting',
    owner: r.pick(world.recruiters),
    stateIds: list(pipeline.length > 0 ? pipeline : world.hiringStateIds.slice(0, 3)),
    sourcing: list(r.sample(CHANNELS, r.range(1, 3))),
    description,
    jobs,
  };
}

export function moduleId(world: World, k: number): string {
  return String(700_000_000 + k * 100 + new Rng(world.seed, 'module-id', k).int(100));
}
