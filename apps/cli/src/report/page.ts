// The report page: one self-contained HTML file (no scripts, no fonts, no requests), counts and labels
// of PII class `none` only.
import { hiddenFileName } from '@talent-export/errors';
import type { AttachmentSummary, Manifest, PartInfo, Problem, ProblemCode } from '@talent-export/export';
import type { TableResult } from '@talent-export/pipeline';
import type { RedactionReport } from '@talent-export/redact';
import { type ReferenceReport, SCHEMAS, TABLE_NAMES, type TableName } from '@talent-export/schema';
import { bars, columns, type Row, resetIds, stacked } from './charts.js';
import { bytes, type Cell, count, esc, flat, int, listed, shorten, table, written } from './html.js';
import { STYLE } from './style.js';
import { bump, type Counts, NAME_CHARS, SIZE_BANDS, type Tally } from './tally.js';
import { HINTS, PLAIN, SHOWN } from './words.js';

export interface ReportInput {
  version: string;
  /** The export's folder or file name (not its full path, which may name a person). */
  name: string;
  layout: string;
  deep: boolean;
  manifest: Manifest | null;
  parts: readonly PartInfo[];
  attachments: Omit<AttachmentSummary, 'problems'> & { verified?: boolean };
  tables: Partial<Record<TableName, TableResult>>;
  references?: ReferenceReport[];
  /** Distinct candidate ids of the candidates table. */
  candidates?: number;
  problems: Problem[];
  notices: Problem[];
  tally: Tally;
  /** With --policy: what that redaction would change, as counts. */
  redaction?: RedactionReport;
}

const PROJECTS_SHOWN = 12;
const STATES_SHOWN = 8;

const rows = (counts: Counts): Row[] => [...counts];

/**
 * A chart over time has at most this many columns: one per month, else per year, decade or century, the
 * periods that hold nothing among them. Months of 1970 to 2286 were 3,800 columns, 600 KB a chart, and
 * months years apart stood side by side as if they followed each other.
 */
const PERIODS_SHOWN = 120;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const PERIODS: [
  unit: string,
  index: (year: number, month: number) => number,
  label: (i: number) => string,
][] = [
  [
    'month',
    (year, month) => year * 12 + month - 1,
    (i) => `${pad(Math.floor(i / 12), 4)}-${pad((i % 12) + 1, 2)}`,
  ],
  ['year', (year) => year, (i) => pad(i, 4)],
  ['decade', (year) => Math.floor(year / 10), (i) => `${pad(i, 3)}0s`],
  ['century', (year) => Math.floor(year / 100), (i) => `${pad(i, 2)}00s`],
];

/**
 * Months this many months (ten years) or more from the other dates are told apart, not drawn: one job post
 * dated 1970 (a time of 0 where there was none) made a chart of five years of months one of six decades,
 * every post but that one in the last two columns.
 */
const APART = 120;
/** At most this many months told apart are named. */
const APART_NAMED = 10;

/**
 * Counts by month (`yyyy-MM`, years 0000 to 9999) as counts by the shortest period that fits, gaps
 * included; the months far from those holding most rows (see `APART`) left out of `rows`, in `apart`.
 */
function overTime(counts: Counts): { unit: string; rows: Row[]; apart: Row[] } {
  const all = [...counts]
    .flatMap(([month, n]) =>
      /^\d{4}-\d{2}$/.test(month)
        ? [{ month, at: Number(month.slice(0, 4)) * 12 + Number(month.slice(5)) - 1, n }]
        : [],
    )
    .sort((x, y) => x.at - y.at);
  if (all.length === 0) return { unit: 'month', rows: [], apart: [] };
  // Runs of months without a gap of APART between them; the run of most rows is drawn.
  const runs: (typeof all)[] = [[all[0]!]];
  for (const m of all.slice(1)) {
    const run = runs[runs.length - 1]!;
    if (m.at - run[run.length - 1]!.at >= APART) runs.push([m]);
    else run.push(m);
  }
  const rowsOf = (run: typeof all) => run.reduce((n, m) => n + m.n, 0);
  // Of runs alike, the latest: a date of 1970 is more often a time of 0 than one of 2038 is.
  const main = runs.reduce((a, b) => (rowsOf(b) >= rowsOf(a) ? b : a));
  const apart = runs.filter((run) => run !== main).flatMap((run) => run.map((m): Row => [m.month, m.n]));
  const months = main.map((m) => [Math.floor(m.at / 12), (m.at % 12) + 1, m.n] as const);
  let rows: Row[] = [];
  for (const [unit, index, label] of PERIODS) {
    const at = new Map<number, number>();
    for (const [year, month, n] of months) bump(at, index(year, month), n);
    const keys = [...at.keys()];
    const first = keys.reduce((a, b) => Math.min(a, b));
    const last = keys.reduce((a, b) => Math.max(a, b));
    rows = Array.from({ length: last - first + 1 }, (_, k) => [label(first + k), at.get(first + k) ?? 0]);
    if (rows.length <= PERIODS_SHOWN) return { unit, rows, apart };
  }
  return { unit: 'century', rows, apart };
}

const sum = (counts: Counts) => [...counts.values()].reduce((s, v) => s + v, 0);

export function renderPage(input: ReportInput): string {
  resetIds();
  const sections = [summary(input), inventory(input), pipeline(input), attachments(input), quality(input)];
  if (input.redaction) sections.push(redaction(input.redaction, input.tables));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>Talent Hub export report: ${esc(flat(input.name))}</title>
<style>${STYLE}</style></head>
<body><main>
<header><h1>Talent Hub export report</h1>
<p class="sub"><bdi>${esc(input.name)}</bdi> · ${esc(input.layout)} · ${checked(input)} · talent-export ${esc(input.version)}</p>
<p class="privacy"><strong>Safe to share:</strong> this page holds counts and the names of projects, stages, modules and sources only. It holds no candidate's name, email, phone, profile or message text, and no candidate id but those LinkedIn puts in the attachment parts' file names (the first and last of each part).</p>
</header>
${sections.join('\n')}
</main></body></html>
`;
}

/**
 * What was done with the attachments' bytes. A --deep run that could not read a part to the end (too many
 * damaged files, a part refused) said every byte was checked.
 */
function checked(input: ReportInput): string {
  if (!input.deep) return 'attachments listed, not read (run with --deep to check every byte)';
  return input.attachments.verified
    ? 'every attachment byte checked (--deep)'
    : 'attachment bytes checked (--deep), but not all could be read: see the problems';
}

function summary(input: ReportInput): string {
  const t = input.tables;
  // A count of a table some of whose rows were rejected says so: "0 candidates" beside "2 candidate-project
  // rows" said the export held none, when its every candidate row was set aside.
  const card = (label: string, value: string, table?: TableName) => {
    const rejected = table ? (t[table]?.rejected ?? 0) : 0;
    const why = rejected > 0 ? `<div class="l bad">${esc(count(rejected, 'row'))} rejected</div>` : '';
    return `<div class="card"><div class="v">${esc(value)}</div><div class="l">${esc(label)}</div>${why}</div>`;
  };
  // A table missing or not read to the end counts nothing: "0 candidates" said the export held none.
  const read = (name: TableName, n: number) => (t[name] && !t[name]?.error ? int(n) : 'not read');
  return `<section class="cards" aria-label="Summary">
${card('candidates', input.candidates === undefined ? 'not read' : int(input.candidates), 'candidates')}
${card('candidate-project rows', read('candidates', t.candidates?.rows ?? 0), 'candidates')}
${card('projects', read('projects', input.tally.projectNames.size), 'projects')}
${card('messages', read('messages', t.messages?.rows ?? 0), 'messages')}
${card('attachment files', int(input.attachments.files))}
${card('attachment bytes', bytes(input.attachments.bytes))}
${card('problems', int(input.problems.length))}
${card('notices', int(input.notices.length))}
</section>`;
}

/**
 * How the page names a part. A folder of an extracted export is named by whoever extracted it, maybe after
 * the candidate in it (`resumes/Jane Doe`): past the export's own folders (`Attachments_1-2`), it shows the
 * name's length only, as messages do.
 */
function partName(input: ReportInput): (file: string) => string {
  const folders = new Set(
    input.parts.filter((p) => p.kind === 'folder' && p.file !== '.').map((p) => p.file),
  );
  return (file) => {
    const shown = folders.has(file) ? hiddenFileName(`${file}/`) : file;
    return shown === `${file}/` ? file : shown;
  };
}

/**
 * Where a table was read from, as the page shows it: the folders of the export's layout (`Contract_123456/`)
 * and the table's file name kept, any other folder by its length, as for parts: an unpacked export's tables
 * can be in a folder named after a person (`Jane Doe/Contract_1/Candidate.csv`).
 */
export function shownSource(source: { file: string; entry?: string }): string {
  const path = (name: string) =>
    name
      .split('/')
      .map((segment, i, all) =>
        i === all.length - 1 || layoutFolder(segment) ? segment : hiddenFileName(`${segment}/`).slice(0, -1),
      )
      .join('/');
  return source.entry === undefined ? path(source.file) : `${path(source.file)}:${path(source.entry)}`;
}

/** At most this many parts in a table: an extracted export can hold a folder of parts per candidate. */
const PARTS_SHOWN = 50;

/** The first rows of a table of parts, the others summed in a last row. */
function fewRows(rows: (string | number)[][]): (string | number)[][] {
  if (rows.length <= PARTS_SHOWN) return rows;
  const rest = rows.slice(PARTS_SHOWN - 1);
  const summed = rows[0]!.map((_, c) =>
    c === 0
      ? `and ${count(rest.length, 'more part')}`
      : rest.every((r) => typeof r[c] === 'number')
        ? rest.reduce((n, r) => n + Number(r[c]), 0)
        : '',
  );
  return [...rows.slice(0, PARTS_SHOWN - 1), summed];
}

function inventory(input: ReportInput): string {
  const a = input.attachments;
  const named = partName(input);
  // A part checked with --deep whose files are not all intact says how many are not.
  const damaged = (file: string) => {
    const n = input.problems.filter((p) => p.code === 'ATTACHMENT_CORRUPT' && p.file === file).length;
    return n > 0 ? `: ${count(n, 'file')} damaged` : '';
  };
  // The parts that could not be read first, when not all are shown.
  const ordered =
    a.parts.length > PARTS_SHOWN ? [...a.parts].sort((x, y) => +x.readable - +y.readable) : a.parts;
  const parts = table(
    ['part', 'files', 'empty markers', 'bytes', 'candidates', 'read'],
    fewRows(
      ordered.map((p) => [
        named(p.file),
        p.files,
        p.markers,
        p.bytes,
        p.candidates,
        p.readable
          ? p.verifiedBytes !== undefined
            ? `every byte checked${damaged(p.file)}`
            : 'listed'
          : 'NOT readable',
      ]),
    ).map(([file, files, markers, size, ...rest]): Cell[] => [
      file!,
      files!,
      markers!,
      written(bytes(Number(size))),
      ...rest,
    ]),
  );
  const m = input.manifest;
  // As validate reconciles them: every file of the parts, those outside the candidate folders too.
  const inParts = a.parts.reduce((s, p) => s + p.files + p.markers + p.unknownFiles, 0);
  const missing = input.problems.filter((p) => p.code === 'MANIFEST_MISSING_FILE').length;
  // A count export.csv writes but not as a number is there, unread: not absent.
  const unread = new Set(
    input.problems.flatMap((p) => {
      const label = p.code === 'MANIFEST_BAD_VALUE' && /: "([^"]*)" should be a whole number/.exec(p.message);
      return label ? [label[1]!.toLowerCase().replace(/\s+/g, ' ').trim()] : [];
    }),
  );
  const said = (label: string, value: number | null | undefined) =>
    value ?? (unread.has(label.toLowerCase()) ? 'not a whole number' : 'absent');
  const manifest = m
    ? table(
        ['', 'export.csv says', 'found'],
        [
          ['files listed', m.files.length, m.files.length - missing],
          ['Total Files', said('Total Files', m.totalFiles), inParts],
          ['Exported files', said('Exported files', m.exportedFiles), inParts],
          ['Failed files', said('Failed files', m.failedFiles), ''],
        ],
      )
    : '<p>No export.csv: nothing to reconcile.</p>';
  const tables = table(
    ['table', 'rows', 'read', 'rejected', 'bytes', 'source'],
    TABLE_NAMES.map((name) => {
      const r = input.tables[name];
      // A table not there has no rows to count, not 0 of them: "0" said the export held an empty one.
      return r
        ? [name, r.rows, r.decoded, r.rejected, written(bytes(r.bytes)), r.source ?? '']
        : [name, null, null, null, null, 'missing'];
    }),
  );
  return `<section><h2>Inventory</h2>
<h3>Problems and notices</h3>${findings(input)}
<h3>Parts</h3>${a.parts.length ? parts : '<p>No attachment parts.</p>'}
<h3>Manifest (export.csv) reconciled with the parts</h3>${manifest}${m ? '\n<p class="note">Total Files is read as every file in the parts, the empty.txt markers of empty folders included.</p>' : ''}
<h3>Rows per table</h3>${tables}${a.parts.length ? `\n<h3>Attachment files per kind and part</h3>${perPart(input)}` : ''}
</section>`;
}

function perPart(input: ReportInput): string {
  const a = input.attachments;
  const kinds = Object.keys(a.byKind);
  const byPart = input.tally.attachments.filesByPart;
  const named = partName(input);
  const rowsOf = fewRows(
    [...byPart].map(([part, counts]) => [named(part), ...kinds.map((k) => counts.get(k) ?? 0), sum(counts)]),
  );
  const all = ['all parts', ...kinds.map((k) => a.byKind[k as keyof typeof a.byKind]), a.files];
  return table(['part', ...kinds, 'files'], [...rowsOf, all]);
}

/**
 * Codes whose messages say how much they touch, and the unit: the count is read from each message and summed,
 * as no other figure of the run holds it. A message the pattern misses counts 1 (a file, a table, a part).
 * The unit is named for one and for more.
 */
const COUNTED_IN: Partial<Record<ProblemCode, [pattern: RegExp | null, one: string, many: string]>> = {
  PART_RANGE_MISMATCH: [/ holds (\d+) candidate folder/, 'candidate folder', 'candidate folders'],
  CANDIDATE_IN_SEVERAL_PARTS: [
    /^(\d+) time/,
    'time a candidate folder continues',
    'times a candidate folder continues',
  ],
  MARKER_WITH_FILES: [/^(\d+) candidate/, 'candidate', 'candidates'],
  MARKER_NOT_EMPTY: [/^(\d+) empty\.txt/, 'file', 'files'],
  MARKER_COPY: [/^(\d+) copies of empty\.txt/, 'file', 'files'],
  ATTACHMENT_COPY: [/^(\d+) attachment file/, 'file', 'files'],
  KEY_REPEATED: [/: (\d+) row\(s\) repeat/, 'row', 'rows'],
  // One message per file, and one saying how many more were not listed.
  UNKNOWN_FILE: [/(\d+) more /, 'file', 'files'],
  ENTRY_REFUSED: [null, 'entry', 'entries'],
  ZIP_NOTICE: [/(\d+) more /, 'notice', 'notices'],
  ATTACHMENT_CORRUPT: [null, 'file', 'files'],
  MANIFEST_MISSING_FILE: [null, 'file', 'files'],
  MANIFEST_UNLISTED_FILE: [null, 'part', 'parts'],
  TABLE_MISSING: [null, 'table', 'tables'],
  TABLE_DUPLICATE: [null, 'table', 'tables'],
  TABLE_COPY_DIFFERS: [null, 'table', 'tables'],
  TABLE_CHANGED: [null, 'table', 'tables'],
  PART_UNREADABLE: [null, 'part', 'parts'],
  PART_TRUNCATED: [null, 'part', 'parts'],
  PART_OF_ANOTHER_EXPORT: [null, 'part', 'parts'],
  DUPLICATE_DOWNLOAD: [null, 'file', 'files'],
  DOWNLOAD_COPIES_DIFFER: [null, 'file', 'files'],
  DOWNLOAD_INCOMPLETE: [null, 'file', 'files'],
  SYMLINK_IGNORED: [null, 'link', 'links'],
  MANIFEST_BAD_VALUE: [null, 'row of export.csv', 'rows of export.csv'],
  MANIFEST_UNKNOWN_ROW: [null, 'row of export.csv', 'rows of export.csv'],
};

/** What a problem touches, where the run knows it: so many rows, or so many candidates. */
function touched(input: ReportInput, code: ProblemCode, list: readonly Problem[]): string | undefined {
  const t = Object.values(input.tables);
  const rowsOf = (n: number | undefined) => (n === undefined ? undefined : count(n, 'row'));
  switch (code) {
    case 'ROWS_REJECTED':
      return rowsOf(t.reduce((s, r) => s + (r?.rejected ?? 0), 0));
    case 'QUOTES_LENIENT':
      return rowsOf(t.reduce((s, r) => s + (r?.lenientQuotes ?? 0), 0));
    case 'ORPHAN_REFERENCES':
      return rowsOf(input.references?.reduce((s, r) => s + r.rows, 0));
    case 'ATTACHMENT_CANDIDATE_UNKNOWN':
      return count(input.attachments.candidatesUnknownCount, 'candidate folder');
    case 'CANDIDATE_NO_ATTACHMENTS':
      return count(input.attachments.candidatesWithoutAttachmentsCount, 'candidate');
    case 'TABLE_UNREADABLE': {
      const failed = TABLE_NAMES.flatMap((name) => {
        const error = input.tables[name]?.error;
        return error ? [`${name} (${error.code})`] : [];
      });
      return failed.length ? failed.join(', ') : undefined;
    }
    default: {
      const counted = COUNTED_IN[code];
      if (!counted) return undefined;
      const [pattern, one, many] = counted;
      // A problem that carries its number (`count`) is not read for it.
      const n = list.reduce((sum, p) => sum + (p.count ?? Number(pattern?.exec(p.message)?.[1] ?? 1)), 0);
      return count(n, one, many);
    }
  }
}

function findings(input: ReportInput): string {
  const all = [...input.problems, ...input.notices];
  if (all.length === 0) {
    // An export of headers only is whole too, but "whole" alone read as an export worth sharing or loading.
    const c = input.tables.candidates;
    return c && !c.error && c.rows === 0
      ? `<p>No problems and no notices, but the export holds no candidate: the candidates table has no rows${noRows(input) ? ', nor has any other table' : ''}. Check that this is the export you meant to download.</p>`
      : '<p class="ok">No problems and no notices: the export is whole.</p>';
  }
  const groups = new Map<ProblemCode, Problem[]>();
  for (const p of all) groups.set(p.code, [...(groups.get(p.code) ?? []), p]);
  const items = [...groups].map(([code, list]) => {
    const kind = list[0]!.severity === 'problem' ? 'problem' : 'notice';
    const n = touched(input, code, list);
    const shown = SHOWN.has(code) ? list.filter((p) => namesNoFolder(p.message)) : [];
    const details =
      shown.length === 0
        ? leftOut(list, SHOWN.has(code))
        : `<ul>${shown
            .slice(0, 5)
            .map((p) => `<li>${esc(flat(p.message))}</li>`)
            .join(
              '',
            )}${list.length > 5 ? `<li>and ${int(list.length - Math.min(shown.length, 5))} more</li>` : ''}</ul>`;
    return `<li class="${kind}"><span class="tag">${kind}</span> ${esc(PLAIN[code])} <code>${esc(code)}</code>${list.length > 1 ? ` ×${int(list.length)}` : ''}${n === undefined ? '' : ` · ${esc(n)}`}${details}</li>`;
  });
  return `<ul class="findings">${items.join('')}</ul>`;
}

const FOLDERS_LEFT_OUT =
  "The folders are left out here, as LinkedIn did not name them (whoever unpacked or zipped the export did) and a name can be a person's: run <code>talent-export validate</code> on the export to see them.";

/**
 * A folder of the export's own layout (`Contract_123456/`, `Attachments_1-2/`), which names no one; LinkedIn's
 * guide shows a second contract's folder as `Contract_123456 2`.
 */
const SECOND_CONTRACT = /^contracts?_\d+ \d+$/i;
const layoutFolder = (name: string) =>
  SECOND_CONTRACT.test(name) || hiddenFileName(`${name}/`) === `${name}/`;
/** Words before a path in the messages shown (`in Contract_1/`, `export.zip's Contract_1/Notes.csv`). */
const BEFORE_PATH = /^(?:|in|from|and|of|as|beside|only|read|times|\S*\.zip's)$/;

/**
 * Whether a message names no folder but those of the export's layout. Messages about copies of tables name
 * the folders they are in, and those of an unpacked export are named by whoever unpacked it (`Jane Doe/`):
 * a path whose folders are not all the layout's, or that follows a word no message puts before a path (a
 * folder named `Jane Contract_1`), leaves the message out.
 */
function namesNoFolder(message: string): boolean {
  // A second contract's folder is one word here: its space cuts no folder name short.
  const words = message.replace(/(contracts?_\d+) \d+\//gi, '$1/').split(/\s+/);
  return words.every((word, i) => {
    if (!word.includes('/')) return true;
    const folders = word.replace(/^\(/, '').split('/').slice(0, -1);
    const before = (words[i - 1] ?? '').replace(/^\(/, '');
    // A path in a list follows the one before it (`in Contract_1/, Contract_2/`), already found whole.
    return folders.every(layoutFolder) && (BEFORE_PATH.test(before) || /\/,$/.test(before));
  });
}

/**
 * For a refusal whose messages the page leaves out: where to read them, and what they say to do. Without
 * it, a table refused as a zip bomb said neither which one nor that --max-ratio reads it.
 */
const AGAIN = /download (?:it|or create it|or create the archive) again/i;

function leftOut(list: Problem[], namesFolders = false): string {
  if (namesFolders) return `<p class="note">${FOLDERS_LEFT_OUT}</p>`;
  if (!list.some((p) => p.refused === true)) return '';
  const hints = HINTS.filter((hint) => list.some((p) => p.message.includes(hint)));
  // A file cut short or damaged in the download says to download it again: the run's last line says the
  // page says what to do, and it said nothing.
  const again = list.some((p) => AGAIN.test(p.message))
    ? ' If a file did not download whole (cut short, damaged): download it again.'
    : '';
  const todo = `${hints.length ? ` If the export is genuine: ${hints.join('; ')}.` : ''}${again}`;
  return `<p class="note">Which file and why is left out here, as it can name a person's file: run <code>talent-export validate</code> on the export to see it.${esc(todo)}</p>`;
}

function pipeline(input: ReportInput): string {
  const t = input.tally;
  const stateName = (id: string) =>
    t.stateNames.get(id) ?? (id === '(none)' ? '(none)' : `unknown stage ${shorten(id, NAME_CHARS)}`);
  const order = [...t.stateOrder, ...[...t.states.keys()].filter((id) => !t.stateNames.has(id)).sort()];
  const used = order.filter((id) => t.states.has(id));
  const byProject = t.pipeline.rows();
  const projects = [...byProject]
    .map(([id, counts]) => ({ id, counts, total: sum(counts) }))
    .sort((x, y) => y.total - x.total || x.id.localeCompare(y.id));
  // Stages of one name (`Applied` in each of several pipelines) are one part of a bar, as they are one bar
  // above: by id, a legend said Applied, Screen, Applied, Screen in four colours.
  const labels = [...new Set(used.map(stateName))];
  const byLabel = (counts: Counts): Counts => {
    const merged: Counts = new Map();
    for (const [id, n] of counts) bump(merged, stateName(id), n);
    return merged;
  };
  const projectsShown = projects.slice(0, PROJECTS_SHOWN).map((p) => ({ ...p, counts: byLabel(p.counts) }));
  // The stages with the most rows in the projects shown have a colour each, in the pipeline's order: the
  // first few of the hiring_states table were those of one pipeline among many (300 stages), and every bar
  // was "other stages".
  const inShown: Counts = new Map();
  for (const { counts } of projectsShown) for (const [label, n] of counts) bump(inShown, label, n);
  const cut = labels.length > STATES_SHOWN;
  const largest = new Set(
    [...labels].sort((x, y) => (inShown.get(y) ?? 0) - (inShown.get(x) ?? 0)).slice(0, STATES_SHOWN - 1),
  );
  // `null` is the other stages, whatever a stage is named.
  const series: (string | null)[] = cut ? [...labels.filter((l) => largest.has(l)), null] : labels;
  const projectName = (id: string) =>
    t.projectNames.get(id) ?? (id === '(none)' ? '(no project)' : 'unknown project');
  // Projects of one name (a job posted again) are told apart by their ids, which name no person.
  const nameCount = new Map<string, number>();
  for (const { id } of projects.slice(0, PROJECTS_SHOWN))
    nameCount.set(projectName(id), (nameCount.get(projectName(id)) ?? 0) + 1);
  const projectLabel = (id: string) =>
    (nameCount.get(projectName(id)) ?? 0) > 1 && id !== '(none)'
      ? `${projectName(id)} (${shorten(id, NAME_CHARS)})`
      : projectName(id);
  const shown = projectsShown.map(({ id, counts, total }) => ({
    label: projectLabel(id),
    parts: series.map((label) =>
      label === null
        ? total - [...largest].reduce((n, l) => n + (counts.get(l) ?? 0), 0)
        : (counts.get(label) ?? 0),
    ),
  }));
  const none = [...t.projectNames.keys()].filter((id) => !byProject.has(id)).length;
  const more =
    [
      projects.length > PROJECTS_SHOWN
        ? // Not "smaller": projects of as many rows as the last one shown are left out too.
          projects.length - PROJECTS_SHOWN === 1
          ? '1 more project, with no more rows than these, is left out of this chart.'
          : `${int(projects.length - PROJECTS_SHOWN)} more projects, none with more rows than these, are left out of this chart.`
        : '',
      none > 0
        ? `${count(none, 'project')} of the projects table ${none === 1 ? 'has' : 'have'} no candidate row.`
        : '',
    ]
      .filter(Boolean)
      .join(' ') || undefined;
  // Rows of the same label (modules of the same name, say) are one bar.
  const names = (counts: Counts, name: (id: string) => string): Row[] => {
    const merged: Counts = new Map();
    for (const [id, n] of counts) merged.set(name(id), (merged.get(name(id)) ?? 0) + n);
    return [...merged];
  };
  const moduleName = (id: string) => t.moduleNames.get(id) ?? (id === '(none)' ? '(none)' : 'unknown module');
  const of = tableWords(input);
  return `<section><h2>Hiring pipeline</h2>
<p class="note">The candidates table has one row per candidate and project, with the candidate's latest stage in that project: the pipeline counts those rows.</p>
<div class="grid">
${bars('Candidate rows per hiring stage', names(new Map(used.map((id) => [id, t.states.get(id)!])), stateName), { sort: false, max: 30, ...of('candidates') })}
${stacked(
  'Hiring stages per project (largest projects)',
  series.map((label) => label ?? 'other stages'),
  shown,
  [more, of('candidates').note].filter(Boolean).join(' ') || undefined,
  of('candidates').none,
)}
${bars('Sourcing channels (candidate rows)', rows(t.channels), of('candidates'))}
${bars('Projects per state', rows(t.projectStates), of('projects'))}
</div>
<h3>Over time</h3>
<p class="note">The export dates no candidate and no message: candidates and messages cannot be counted by month. What is dated: job posts (projects.job_post_created_at), interviews (interview_modules.start_time) and custom field values (custom_field_values.created_time).</p>
<div class="grid">
${timeline('Job posts created per', t.jobPostsByMonth, of('projects', 'job_post_created_at'))}
${timeline('Interviews per', t.interviewsByMonth, of('interview_modules', 'start_time'), ' (start time)')}
${timeline('Custom field values created per', t.customValuesByMonth, of('custom_field_values', 'created_time'))}
</div>
<h3>Interviews and feedback</h3>
<div class="grid">
${bars('Scorecards per interview module (by name)', names(t.scorecardsByModule, moduleName), of('scorecards'))}
${bars('Scorecard recommendations', rows(t.recommendations), of('scorecards'))}
${bars('Interview modules per state', rows(t.interviewStates), of('interview_modules'))}
${bars('Feedback: approved for referral', rows(t.referral), of('feedbacks'))}
</div>
</section>`;
}

/**
 * What a chart of a table's rows says of that table: why it is empty, where the table says why ("the export
 * holds no such rows" was said of a candidates table missing, or whose every row was rejected), and a note
 * when rows of the table are not in it (rejected, or after the row the table could not be read past). A chart
 * of times names the column they are read from, `dated`.
 */
function tableWords(
  input: ReportInput,
): (name: TableName, dated?: string) => { none?: string; note?: string } {
  return (name, dated) => {
    const r = input.tables[name];
    if (!r) return { none: `Nothing to show: the ${name} table is missing.` };
    if (r.error && r.decoded === 0)
      return { none: `Nothing to show: the ${name} table could not be read (${r.error.code}).` };
    if (r.decoded === 0 && r.rejected > 0)
      return {
        none: `Nothing to show: every row of the ${name} table was rejected (${count(r.rejected, 'row')}, see Rejected rows).`,
      };
    if (r.rows === 0) return { none: `Nothing to show: the ${name} table has no rows.` };
    const notes = [
      r.error ? `The ${name} table could not be read to the end: only the rows before that are counted.` : '',
      r.rejected > 0
        ? `${count(r.rejected, 'rejected row')} of the ${name} table ${r.rejected === 1 ? 'is' : 'are'} not counted.`
        : '',
    ].filter(Boolean);
    // A chart of times whose table has rows: none of them holds a time, and the page says which column.
    const none = dated ? `Nothing to show: no row of the ${name} table has a ${dated}.` : undefined;
    return { ...(none ? { none } : {}), ...(notes.length ? { note: notes.join(' ') } : {}) };
  };
}

function timeline(
  title: string,
  counts: Counts,
  words: { none?: string; note?: string },
  after = '',
): string {
  const { unit, rows, apart } = overTime(counts);
  const n = apart.reduce((s, [, v]) => s + v, 0);
  const named = apart
    .slice(0, APART_NAMED)
    .map(([month, v]) => `${month} (${int(v)})`)
    .join(', ');
  const note = apart.length
    ? `Left out of this chart, ten years or more from the other dates: ${count(n, 'row')}, in ${named}${apart.length > APART_NAMED ? ` and ${count(apart.length - APART_NAMED, 'more month')}` : ''}.`
    : undefined;
  return columns(
    `${title} ${unit}${after}`,
    rows,
    unit,
    [note, words.note].filter(Boolean).join(' ') || undefined,
    words.none,
  );
}

function attachments(input: ReportInput): string {
  const a = input.tally.attachments;
  const named = partName(input);
  const bands = SIZE_BANDS.map(([band]) => [band, a.sizes.get(band) ?? 0] as Row);
  const none = 'Nothing to show: the attachment parts hold no file that could be read.';
  // Said above the table, not as its caption: a caption is as wide as its table, and on a phone it ran out of
  // the screen with the table's part names.
  const largest = a.largest.length
    ? `<h3>The largest files</h3><p class="note">Their names are left out: they may name a person.</p>${table(
        ['#', 'kind', 'size', 'part'],
        a.largest.map((f, i) => [i + 1, f.kind, written(bytes(f.size)), named(f.part)]),
        undefined,
        'The largest files',
      )}`
    : '<p>No attachment files.</p>';
  const without = input.attachments.candidatesWithoutAttachmentsCount;
  const { parts, files, markers } = input.attachments;
  // A lone export.zip has no parts, and validate counts no candidate without a folder: "0 of 4" said all had
  // one. Three empty charts and "No attachment files." beside it said the same thing four times over.
  if (parts.length === 0)
    return `<section><h2>Attachments</h2>
<p>No attachment parts: no candidate has an attachment folder in this export.</p>
</section>`;
  // Parts read whole that hold no file (every folder an empty.txt marker): said once, not by three empty charts.
  const fileless = files === 0 && parts.every((part) => part.readable);
  const charts = fileless
    ? `<p>No attachment files: the parts hold ${markers > 0 ? `${count(markers, 'empty.txt marker')} (folders left empty)` : 'no file'}.</p>`
    : `<div class="grid">
${bars('Bytes per kind', rows(a.bytesByKind), { format: bytes, unit: 'bytes', none })}
${bars('Files per kind', rows(a.filesByKind), { none })}
${bars('Files per size', bands, { sort: false, none })}
</div>
${largest}`;
  return `<section><h2>Attachments</h2>
${charts}
<p>Candidates without any attachment folder: ${input.candidates === undefined ? 'not known, as the candidates table was not read' : `<strong>${int(without)}</strong> of ${int(input.candidates)}`}. Candidate folders holding at least one file: <strong>${int(input.attachments.candidates)}</strong>${unknownFolders(input)}.</p>
</section>`;
}

/** How many of the candidate folders have no row in the candidates table, when any. */
function unknownFolders(input: ReportInput): string {
  const n = input.attachments.candidatesUnknownCount;
  return n > 0
    ? ` (of all folders, ${int(n)} ${n === 1 ? 'has' : 'have'} no row in the candidates table)`
    : '';
}

function quality(input: ReportInput): string {
  const refs = input.references
    ? table(
        ['relation', 'rows referring to missing values'],
        input.references.map((r) => [r.check, r.rows]),
      )
    : '<p>References were not checked (a table is missing or could not be read to the end).</p>';
  const rejected = TABLE_NAMES.flatMap((name) => {
    const r = input.tables[name];
    if (!r?.rejectCodes) return [];
    return Object.entries(r.rejectCodes).map(([code, n]) => [name, code, n] as (string | number)[]);
  });
  const empties = TABLE_NAMES.flatMap((name) => {
    const r = input.tables[name];
    if (!r || r.error) return [];
    const all = SCHEMAS[name].fields.length;
    // A table of a header only holds no value in any column: not "a value somewhere".
    if (r.decoded === 0) return [[name, 'all: no row of the table was read', `${all} of ${all}`]];
    const known = new Set(SCHEMAS[name].fields.map((f) => f.name));
    // A column the file has no header for is missing, not empty: said apart, as validate says it.
    const missing = new Set(r.missingColumns ?? []);
    const cols = (r.emptyColumns ?? []).filter((column) => known.has(column) && !missing.has(column));
    return cols.length ? [[name, cols.join(', '), `${cols.length} of ${SCHEMAS[name].fields.length}`]] : [];
  });
  const missing = TABLE_NAMES.flatMap((name) => {
    const cols = input.tables[name]?.missingColumns;
    return cols?.length ? [[name, cols.join(', '), `${cols.length} of ${SCHEMAS[name].fields.length}`]] : [];
  });
  const extra = TABLE_NAMES.flatMap((name) => {
    const cols = input.tables[name]?.extraColumns;
    if (!cols?.length) return [];
    // Both lists name columns as reports show them. A spreadsheet's trailing comma makes one that no row fills.
    const empty = new Set(input.tables[name]!.emptyColumns ?? []);
    const none = cols.filter((column) => empty.has(column));
    return [[name, listed(cols, NAME_CHARS), none.length ? listed(none, NAME_CHARS) : 'none']];
  });
  return `<section><h2>Data quality</h2>
<h3>Orphan references per relation</h3>${refs}
<h3>Rejected rows</h3>${rejected.length ? table(['table', 'code', 'rows'], rejected) : '<p class="ok">No row was rejected.</p>'}
${missing.length ? `<h3>Columns missing (no header in the file: read as empty)</h3>${table(['table', 'columns', 'missing'], missing)}` : ''}
<h3>Columns that are always empty</h3>${noRows(input) ? '<p>Every column: no table holds a row.</p>' : empties.length ? table(['table', 'columns', 'empty'], empties) : `<p class="ok">Every column of LinkedIn's guide holds a value somewhere${notRead(input) ? ' in the tables read' : ''}.</p>`}${notRead(input)}
<h3>Extra columns (not in LinkedIn's guide)</h3>${extra.length ? table(['table', 'columns', 'always empty'], extra) : '<p class="ok">None.</p>'}
</section>`;
}

/** Whether every table read holds no row (an export of headers only): one line says so, not one a table. */
function noRows(input: ReportInput): boolean {
  const read = TABLE_NAMES.flatMap((name) => input.tables[name] ?? []);
  return read.length > 0 && read.every((r) => !r.error && r.rows === 0);
}

/** The tables whose columns are not known, as they are missing or could not be read to the end. */
function notRead(input: ReportInput): string {
  const names = TABLE_NAMES.filter((name) => !input.tables[name] || input.tables[name]?.error);
  return names.length
    ? `<p class="note">Not known for ${names.join(', ')}: missing or not read to the end.</p>`
    : '';
}

const FOUND: Record<string, string> = {
  email: 'emails (detector)',
  phone: 'phone numbers (detector)',
  linkedin_url: 'LinkedIn URLs (detector)',
  candidate_name: "the row's candidate's name",
  person_name: "other people's names",
  known_phone: 'known phone numbers',
  sensitive_field: 'custom fields of special personal data (replaced whole)',
  candidate_id: 'candidate ids (as their pseudonyms)',
};

function redaction(r: RedactionReport, tables: ReportInput['tables']): string {
  const columns = TABLE_NAMES.flatMap((name) =>
    Object.entries(r.tables[name].columns).map(([column, c]) => [
      `${name}.${column}`,
      c.operator,
      c.changed,
      tables[name]?.decoded ?? 0,
    ]),
  );
  const perTable: Row[] = TABLE_NAMES.map((name) => [
    name,
    Object.values(r.tables[name].columns).reduce((n, c) => n + c.changed, 0) +
      r.tables[name].extraColumnsChanged,
  ]);
  const extra = TABLE_NAMES.filter((name) => r.tables[name].extraColumnsChanged > 0).map((name) => [
    name,
    r.tables[name].extraColumnsChanged,
  ]);
  const found = [...Object.entries(r.known), ...Object.entries(r.detectors)].map(([k, n]) => [
    FOUND[k] ?? k,
    n,
  ]);
  const kinds = Object.entries(r.attachments).map(([kind, a]) => [kind, a.kept, a.dropped]);
  return `<section><h2>What the redaction policy would change</h2>
<p class="note">Counted with the policy given with --policy, on every row, as redact and convert --policy would apply it; nothing was written but this page. A value counts as changed when the output would differ from the input (an empty value stays empty).</p>
<div class="grid">
${bars('Values changed per table', perTable, { max: 10 })}
${bars(
  'Found in free text and replaced',
  found.map(([k, n]) => [String(k), Number(n)] as Row),
)}
</div>
<h3>Per column</h3>${columns.length && TABLE_NAMES.some((name) => tables[name] && !tables[name]?.error) ? table(['column', 'operator', 'values changed', 'rows read'], columns) : '<p>No table was read: there is no value to change.</p>'}
${extra.length ? `<h3>Extra columns (dropped unless the policy keeps them)</h3>${table(['table', 'values changed'], extra)}` : ''}
<h3>Attachments</h3>${table(['kind', 'files kept', 'files dropped'], kinds)}
</section>`;
}
