// `report` end to end on generated exports: the page's counts are the ground truth's, the same whatever the
// threads, free of personal data, and labels from the export are text.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GroundTruth, generateExport } from '@talent-export/sample';
import { SCHEMAS, TABLE_NAMES, type TableName, type TypedRecord } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_OPTIONS } from './args.js';
import { OPTIONS } from './commands/report.js';
import { cliWords } from './exit.js';
import { esc } from './report/html.js';
import { type ReportInput, renderPage } from './report/page.js';
import { addAttachment, addCounted, COUNTED, createTally } from './report/tally.js';
import { HINTS } from './report/words.js';
import { blankColumns, pageInput, repeatRows, rewriteExport } from './report.fixture.js';
import { withHint } from './source.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let download: string;
let truth: GroundTruth;

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** `report` into a file of `work`, its exit code and page. */
function report(name: string, ...args: string[]) {
  const out = join(work, `${name}.html`);
  const r = run(['report', ...args, '--out', out]);
  return { ...r, html: r.code !== null && r.code <= 1 ? readFileSync(out, 'utf8') : '' };
}

/** The cells of the row headed `label` in the page's tables, as text. */
function row(html: string, label: string): string[][] {
  const found: string[][] = [];
  const re = new RegExp(
    `<tr><th scope="row">${esc(label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</th>(.*?)</tr>`,
    'g',
  );
  for (const m of html.matchAll(re))
    found.push([...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!));
  return found;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'report-'));
  download = join(work, 'download');
  truth = await generateExport({
    dir: download,
    seed: 3,
    candidates: 300,
    attachmentsMb: 2,
    partMb: 1,
    edgeCases: true,
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('talent-export report', () => {
  it('writes one page whose counts are the ground truth, with the exit code of validate', () => {
    const r = report('truth', download);
    const validated = JSON.parse(run(['validate', download, '--json', '--quiet']).stdout);
    expect(r.code).toBe(validated.exitCode);
    for (const table of TABLE_NAMES) {
      const [cells] = row(r.html, table);
      expect(cells?.[0], table).toBe(truth.tables[table].rows.toLocaleString('en-US'));
    }
    for (const [check, rows] of Object.entries(truth.orphans)) {
      expect(row(r.html, check)[0], check).toEqual([rows.toLocaleString('en-US')]);
    }
    const kinds = truth.attachments.byKind;
    expect(row(r.html, 'all parts')[0]).toEqual(
      [kinds.public, kinds.private, kinds.miscellaneous, truth.attachments.files].map((n) =>
        n.toLocaleString('en-US'),
      ),
    );
    expect(r.html).toContain(`<div class="v">${truth.attachments.files.toLocaleString('en-US')}</div>`);
    expect(r.stderr).toMatch(/report: wrote .*truth\.html/);
  });

  it('holds no personal data: no name, email, phone, profile URL or text of the export, no candidate id', () => {
    const { html } = report('private', download);
    const pii = readFileSync(`${download}.truth/pii.txt`, 'utf8').split('\n');
    // Short strings (first names) can be part of ordinary words; the longer ones cannot be there by chance.
    const leaked = pii.filter((s) => s.length >= 8 && (html.includes(s) || html.includes(esc(s))));
    expect(leaked).toEqual([]);
    const ids = truth.candidatesWithoutAttachments.slice(0, 50);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => html.includes(id))).toEqual([]);
    expect(html).toMatch(
      /no candidate's name, email, phone, profile or message text, and no candidate id but those/,
    );
  });

  it('is self-contained: no script, no external reference, a policy that allows none', () => {
    const { html } = report('alone', download);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(|src=|href=/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('gives the same page whatever the threads, with big tables decoded by workers', async () => {
    // Candidates, custom field values and messages repeated to many slices of the engine (1 MiB each, from 64 KiB up).
    const small = join(work, 'plain');
    const t = await generateExport({ dir: small, seed: 9, candidates: 300, attachmentsMb: 1 });
    const times = 160;
    const big = ['candidates', 'custom_field_values', 'messages'];
    const zip = await rewriteExport(small, join(work, 'big'), (table, csv) =>
      big.includes(table) ? repeatRows(csv, times) : csv,
    );
    const one = report('one', zip, '--threads', '1');
    const three = report('three', zip, '--threads', '3');
    expect(three.html).toBe(one.html);
    const base = report('base', await rewriteExport(small, join(work, 'base')), '--threads', '1');
    // Every row of the big tables counted `times` over: the per-stage counts scale exactly.
    const stages = (html: string) => {
      const figure = html.split('Candidate rows per hiring stage')[2]!.split('</figure>')[0]!;
      return [...figure.matchAll(/<td class="n">([\d,]+)<\/td>/g)].map((m) =>
        Number(m[1]!.replaceAll(',', '')),
      );
    };
    expect(stages(three.html)).toEqual(stages(base.html).map((n) => n * times));
    expect(row(three.html, 'candidates')[0]?.[0]).toBe(
      (t.tables.candidates.rows * times).toLocaleString('en-US'),
    );
  });

  it('--policy counts what redaction would change: the counts convert --policy reports, and no value', () => {
    const key = join(work, 'key');
    writeFileSync(key, 'a key of sixteen bytes or more\n');
    const r = report('policy', download, '--policy', 'default', '--key-file', key, '--threads', '1');
    expect(r.code).toBe(1);
    const lake = join(work, 'lake');
    const c = run(['convert', download, '--out', lake, '--policy', 'default', '--key-file', key, '--quiet']);
    expect(c.code).toBe(1);
    const redaction = JSON.parse(readFileSync(join(lake, 'report.json'), 'utf8')).redaction;
    const section = r.html.split('What the redaction policy would change')[1]!;
    let changed = 0;
    for (const table of TABLE_NAMES) {
      for (const [column, { operator, changed: n }] of Object.entries(
        redaction.tables[table].columns as Record<string, { operator: string; changed: number }>,
      )) {
        expect(row(section, `${table}.${column}`)[0]?.slice(0, 2)).toEqual([
          operator,
          n.toLocaleString('en-US'),
        ]);
        changed += n;
      }
    }
    expect(changed).toBeGreaterThan(1000);
    for (const kind of ['public', 'private', 'miscellaneous']) {
      const a = redaction.attachments[kind];
      expect(row(section, kind)[0]).toEqual(
        [a.kept, a.dropped].map((n: number) => n.toLocaleString('en-US')),
      );
    }
    expect(row(section, 'emails (detector)')[0]).toEqual([redaction.detectors.email.toLocaleString('en-US')]);
    const pii = readFileSync(`${download}.truth/pii.txt`, 'utf8').split('\n');
    expect(pii.filter((s) => s.length >= 8 && (r.html.includes(s) || r.html.includes(esc(s))))).toEqual([]);
    expect(r.html).not.toContain('a key of sixteen bytes');
    // Without --policy the section is not there; --key-file alone is a usage error.
    expect(report('plain', download).html).not.toContain('What the redaction policy would change');
    const alone = run(['report', download, '--key-file', key, '--out', join(work, 'x.html')]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(
      /--key-file needs --policy: the key makes a redaction's pseudonyms; add --policy default, or --policy FILE\n/,
    );
  });

  it("passes the labels it shows through a scrubber, --policy's or the default one: a project named for a candidate names nobody", async () => {
    const key = join(work, 'key-names');
    writeFileSync(key, 'a key of sixteen bytes or more\n');
    let person = '';
    let last = '';
    const zip = await rewriteExport(download, join(work, 'named'), (table, csv) => {
      const lines = csv.toString('utf8').split('\n');
      if (table === 'candidates') {
        const [first, surname] = lines[1]!.split(',').slice(2, 4);
        person = `${first} ${surname}`;
        last = surname!;
        // A column headed by the surname alone, pasted into the header by mistake.
        const extra = lines.map((line, n) =>
          line === '' ? line : line.replace(/\r?$/, (end) => `,${n === 0 ? last : ''}${end}`),
        );
        return Buffer.from(extra.join('\n'));
      }
      if (table !== 'projects') return csv;
      // The first project's name, in every row of it: `Backfill for <the first candidate's name>`.
      const id = lines[1]!.split(',')[0]!;
      const named = lines.map((line) =>
        line.startsWith(`${id},`)
          ? line.replace(/^([^,]*),("[^"]*"|[^,]*)/, `$1,Backfill for ${person}`)
          : line,
      );
      return Buffer.from(named.join('\n'));
    });
    expect(person).toMatch(/^\p{L}+ \p{L}/u);
    expect(last.length).toBeGreaterThan(2);
    const plain = report('named-plain', zip);
    const scrubbed = report('named-policy', zip, '--policy', 'default', '--key-file', key, '--threads', '1');
    for (const page of [plain, scrubbed]) {
      expect(page.html).toContain('Backfill for ');
      expect(page.html).not.toContain(esc(person));
      expect(page.html).not.toMatch(new RegExp(`\\b${last}\\b`));
    }
    // The extra column is still told, by what the scrubber made of its header.
    expect(plain.html).toMatch(
      /Extra columns \(not in LinkedIn's guide\)<\/h3>.*<th scope="row">candidates<\/th>/,
    );
  });

  it('--help shows every option; a bad option is a usage error', () => {
    const help = run(['report', '--help']).stdout;
    for (const [name, spec] of Object.entries({ ...OPTIONS, ...COMMON_OPTIONS })) {
      const short = 'short' in spec ? `-${spec.short}, ` : '    ';
      expect(help).toMatch(new RegExp(`^  ${short}--${name}\\b`, 'm'));
    }
    expect(help).toMatch(/^ {2}-o, --out FILE /m);
    expect(run(['--help']).stdout).toMatch(/^ {2}report \[export\] /m);
    expect(run(['report', '--nope']).code).toBe(2);
  });

  it('an --out that cannot be written ends with exit 3, naming it, and leaves no file', () => {
    const out = join(work, 'no-such-folder', 'page.html');
    const r = run(['report', download, '--out', out, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot write ${out} (ENOENT)`);
    expect(existsSync(join(work, 'no-such-folder'))).toBe(false);
  });

  it('an --out that is a folder is said to be one at once, before the export is read', () => {
    const r = run(['report', download, '--out', work, '--quiet']);
    expect([r.code, r.stderr]).toEqual([
      3,
      `talent-export report: CLI_OUT_UNWRITABLE: cannot write ${work} (EISDIR); it is a folder: give the file to write in it\n`,
    ]);
  });

  it('an --out inside a file says why it cannot be written, not what failed while cleaning up', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const out = join(file, 'page.html');
    const r = run(['report', download, '--out', out, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`talent-export report: CLI_OUT_UNWRITABLE: cannot write ${out} (ENOTDIR)`);
    expect(r.stderr).not.toContain('.tmp');
  });

  it('a full disk ends with exit 3, says so and what to do, and leaves no file', () => {
    const disk = join(work, 'full');
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      console.warn('report: no small file system could be mounted here (root on Linux); ENOSPC not checked');
      return;
    }
    try {
      const r = run(['report', download, '--out', join(disk, 'page.html'), '--quiet']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('(ENOSPC); the disk is full: free space there');
      expect(r.stderr).not.toContain('    at ');
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('a folder that cannot be written is said before anything is read, the default report.html too', () => {
    const disk = join(work, 'read-only');
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=8k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      console.warn('report: no read-only file system could be mounted here (root on Linux); not checked');
      return;
    }
    try {
      // Before the policy is even loaded (a missing one would be a usage error, exit 2), so before reading.
      const given = run(['report', download, '-o', join(disk, 'page.html'), '--policy', 'none.yaml', '-q']);
      expect([given.code, given.stderr]).toEqual([
        3,
        `talent-export report: CLI_OUT_UNWRITABLE: cannot write ${join(disk, 'page.html')} (EROFS); give --out a file in a folder that exists and can be written\n`,
      ]);
      const r = spawnSync(process.execPath, [bin, 'report', download, '--policy', 'none.yaml', '-q'], {
        encoding: 'utf8',
        cwd: disk,
      });
      expect([r.status, r.stderr]).toEqual([
        3,
        'talent-export report: CLI_OUT_UNWRITABLE: cannot write report.html (EROFS); the page goes to report.html in the current folder by default: run where you can write, or give --out a file in a folder that can be written\n',
      ]);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('refuses to replace a file that is no page it wrote (exit 2), leaving it whole; replaces its own', () => {
    const notes = join(work, 'notes.txt');
    writeFileSync(notes, 'my notes');
    const r = run(['report', download, '--out', notes, '-q']);
    expect([r.code, r.stderr]).toEqual([
      2,
      `talent-export report: CLI_USAGE: --out ${notes} exists and is no page report wrote; report would replace it: move it away, or give another file\nTry "talent-export report --help".\n`,
    ]);
    expect(readFileSync(notes, 'utf8')).toBe('my notes');
    // An empty file holds nothing to lose; a page report wrote is replaced.
    const page = join(work, 'again.html');
    writeFileSync(page, '');
    expect(run(['report', download, '--out', page, '-q']).code).toBe(1);
    expect(run(['report', download, '--out', page, '-q']).code).toBe(1);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it("removes the temporary page a killed run left beside --out, not a live run's", () => {
    const folder = join(work, 'killed');
    mkdirSync(folder);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const live = `.page.html.${process.pid}-0123456789ab.tmp`;
    writeFileSync(join(folder, `.page.html.${dead}-0123456789ab.tmp`), '<html>half');
    writeFileSync(join(folder, live), '<html>half');
    const r = run(['report', download, '--out', join(folder, 'page.html'), '--quiet']);
    expect(r.code).toBe(1);
    expect(readdirSync(folder).sort()).toEqual([live, 'page.html']);
  });

  it('writes a page whose file name is 255 bytes long', () => {
    const name = `${'é'.repeat(125)}.html`;
    expect(Buffer.byteLength(name)).toBe(255);
    const r = run(['report', download, '--out', name, '--quiet']);
    expect([r.code, r.stderr]).toEqual([1, '']);
    expect(readFileSync(join(work, name), 'utf8')).toContain('<html');
  });

  it('refuses an --out that is a file of the export it reads (usage error), leaving the file whole', () => {
    for (const name of ['export.zip', 'export.csv']) {
      const file = join(download, name);
      const before = readFileSync(file);
      const r = run(['report', download, '--out', file, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is a file of the export being read');
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });

  it('--out - is standard output; a pipe is written into, a link to a file followed, never replaced', async () => {
    const piped = run(['report', download, '--out', '-']);
    expect(piped.code).toBe(1);
    expect(piped.stdout).toMatch(/^<!doctype html>/);
    expect(piped.stderr).toMatch(/^report: wrote standard output \(/);
    expect(existsSync(join(work, '-'))).toBe(false);
    // A FIFO (as /dev/stdout is, behind its link): renamed over, it became a file.
    const fifo = join(work, 'page.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [bin, 'report', download, '--out', fifo, '-q'], { cwd: work });
    const [page, code] = await Promise.all([
      readFile(fifo, 'utf8'),
      new Promise((resolve) => child.on('exit', resolve)),
    ]);
    expect([code, page.startsWith('<!doctype html>')]).toEqual([1, true]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    // An earlier page: another file there is refused (see below).
    writeFileSync(join(work, 'target.html'), piped.stdout.replace('<h1>', '<h1>old '));
    symlinkSync('target.html', join(work, 'link.html'));
    expect(run(['report', download, '--out', join(work, 'link.html'), '-q']).code).toBe(1);
    expect(lstatSync(join(work, 'link.html')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(work, 'target.html'), 'utf8')).toBe(piped.stdout);
    // A link to a file of the export is that file.
    symlinkSync(join(download, 'export.csv'), join(work, 'export-link.html'));
    expect(run(['report', download, '--out', join(work, 'export-link.html'), '-q']).code).toBe(2);
  });

  it('a table it cannot read: exit 3, the page names the table and its code, both say what to do', async () => {
    const zip = await rewriteExport(download, join(work, 'no-header'), (table, csv) =>
      table === 'candidates' ? csv.subarray(csv.indexOf(10) + 1) : csv,
    );
    const r = report('no-header', zip);
    expect(r.code).toBe(3);
    r.html = readFileSync(join(work, 'no-header.html'), 'utf8');
    expect(r.stderr).toMatch(
      /1 problem\(s\), .*part of the export was refused or could not be read: its problems/,
    );
    expect(r.html).toContain('TABLE_UNREADABLE</code> · candidates (SCHEMA_MISSING_COLUMN)');
    expect(r.html).toContain('run <code>talent-export validate</code> on the export to see it.');
  });

  it('--deep checks every attachment byte and says so', () => {
    const r = report('deep', download, '--deep');
    expect(r.html).toContain('every attachment byte checked (--deep)');
    expect(r.html).toContain('every byte checked');
  });
});

/** The page of a tally alone: no tables, no parts, no attachments. */
function pageOf(tally: ReturnType<typeof createTally>, more: Partial<ReportInput> = {}): string {
  return renderPage({ ...pageInput(), tally, ...more });
}

describe('the page', () => {
  it('shows labels from the export as text: no tag, attribute or script can be opened', () => {
    const tally = createTally();
    const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(2)>'`;
    const add = (table: TableName, values: TypedRecord) => addCounted(tally, table, values, 1);
    add('projects', { project_id: 'p1', project_name: hostile, state: 'ACTIVE', job_post_created_at: null });
    add('hiring_states', { candidate_hiringstate_id: 'h1', name: hostile, type: null });
    add('candidates', { project_id: 'p1', hiring_state_id: 'h1', sourcing_channels: [hostile] });
    const html = renderPage({ ...pageInput(), name: hostile, tally });
    expect(html).not.toMatch(/<script|<img|<[^>]*onerror/);
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;',
    );
  });

  it('tells projects of the same name apart by their ids in the chart of stages per project', () => {
    const tally = createTally();
    const add = (table: TableName, values: TypedRecord) => addCounted(tally, table, values, 1);
    for (const id of ['166868206600558685', '685033575357898132']) {
      add('projects', {
        project_id: id,
        project_name: 'Data Lead',
        state: 'ACTIVE',
        job_post_created_at: null,
      });
      add('candidates', { project_id: id, hiring_state_id: 'h1', sourcing_channels: null });
    }
    add('projects', { project_id: '3', project_name: 'Sales', state: 'ACTIVE', job_post_created_at: null });
    add('candidates', { project_id: '3', hiring_state_id: 'h1', sourcing_channels: null });
    const html = pageOf(tally);
    expect(html).toContain('Data Lead (166868206600558685)');
    expect(html).toContain('Data Lead (685033575357898132)');
    expect(html).not.toContain('Sales (3)');
  });

  it('shows control characters of a label (a NUL) as U+FFFD: the file holds no byte HTML forbids', () => {
    const tally = createTally();
    const name = 'Data\u0000 team\u0007\u001b\u007f\u0085';
    addCounted(
      tally,
      'projects',
      { project_id: 'p1', project_name: name, state: name, job_post_created_at: null },
      1,
    );
    addCounted(
      tally,
      'candidates',
      { project_id: 'p1', hiring_state_id: 'h1', sourcing_channels: [name] },
      1,
    );
    const html = pageOf(tally);
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    expect(html).toContain('Data\ufffd team\ufffd\ufffd\ufffd\ufffd');
  });

  it('cuts long labels: a name of megabytes is a hundred characters, never cut inside a character', () => {
    const tally = createTally();
    const long = `Backend ${'x'.repeat(300_000)}`;
    // In a chart, labels are cut to the width the chart has for them, their start and their end kept: the
    // emoji is in the end kept, whole.
    const emoji = `${'y'.repeat(24)}\u{1F600} tail`;
    for (const [id, name] of [
      ['p1', long],
      ['p2', emoji],
    ] as const) {
      addCounted(
        tally,
        'projects',
        { project_id: id, project_name: name, state: long, job_post_created_at: null },
        1,
      );
      addCounted(
        tally,
        'candidates',
        { project_id: id, hiring_state_id: long, sourcing_channels: [long] },
        1,
      );
    }
    addCounted(tally, 'hiring_states', { candidate_hiringstate_id: 'h1', name: long, type: null }, 1);
    addCounted(
      tally,
      'interview_modules',
      { interview_module_id: 'm1', name: long, state: long, start_time: null },
      1,
    );
    addCounted(tally, 'scorecards', { interview_module_id: 'm1', overall_recommendation: long }, 1);
    addCounted(tally, 'custom_field_values', { entity_type: long, created_time: null }, 1);
    const html = pageOf(tally);
    expect(html.length).toBeLessThan(100_000);
    // A name keeps its start and its end: names alike but for their ends are counted apart.
    expect(html).toContain(`>Backend ${'x'.repeat(62)}…${'x'.repeat(29)}<`);
    expect(html).toContain(`unknown stage Backend ${'x'.repeat(91)}…`);
    expect(html).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    // Its start and end: the emoji whole in the end kept.
    expect(html).toContain(`>${'y'.repeat(15)}…yy\u{1F600} tail<`);
  });

  it('shows times of centuries as few columns: by year, decade or century past 120 months', () => {
    const tally = createTally();
    // Every month from 1970 to 2286 (epoch milliseconds up to 9999999999999), 3,803 of them.
    let rows = 0;
    for (let year = 1970; year <= 2286; year++) {
      for (let month = 1; month <= 12; month++) {
        const time = `${year}-${String(month).padStart(2, '0')}-01T00:00:00.000Z`;
        addCounted(
          tally,
          'interview_modules',
          { interview_module_id: `m${rows}`, name: 'Onsite', state: 'done', start_time: time },
          2,
        );
        rows += 2;
      }
    }
    addCounted(
      tally,
      'projects',
      {
        project_id: 'p1',
        project_name: 'a',
        state: 'ACTIVE',
        job_post_created_at: '2024-03-05T10:00:00.000Z',
      },
      1,
    );
    addCounted(
      tally,
      'projects',
      {
        project_id: 'p1',
        project_name: 'a',
        state: 'ACTIVE',
        job_post_created_at: '2031-03-05T10:00:00.000Z',
      },
      1,
    );
    const html = pageOf(tally);
    expect(html.length).toBeLessThan(200_000);
    const chart = html.split('Interviews per decade (start time)</figcaption>')[1]!.split('</figure>')[0]!;
    const decades = [...chart.matchAll(/<tr><th scope="row">(\d+s)<\/th><td class="n">([\d,]+)<\/td>/g)];
    expect(decades.map((m) => m[1])).toEqual(Array.from({ length: 32 }, (_, k) => `${1970 + 10 * k}s`));
    expect(decades.reduce((n, m) => n + Number(m[2]!.replaceAll(',', '')), 0)).toBe(rows);
    expect(row(chart, '1970s')).toEqual([['240']]);
    // Months of 7 years stay months, those with nothing among them.
    expect(html).toContain('Job posts created per month</figcaption>');
    const months = html.split('Job posts created per month</figcaption>')[1]!.split('</figure>')[0]!;
    expect([...months.matchAll(/<tr><th scope="row">/g)].length).toBe(85);
    expect(row(months, '2031-03')).toEqual([['1']]);
    expect(row(months, '2027-01')).toEqual([['0']]);
  });

  it('isolates labels within a line: a U+202E in a name cannot turn a count around', () => {
    const tally = createTally();
    const name = 'Onsite \u202Eevil';
    addCounted(tally, 'hiring_states', { candidate_hiringstate_id: 'h1', name, type: null }, 1);
    addCounted(tally, 'candidates', { project_id: 'p1', hiring_state_id: 'h1', sourcing_channels: null }, 12);
    const html = pageOf(tally, { name: 'export \u202Efdp' });
    expect(html).toContain(`<title>\u2068${name}\u2069: 12</title>`);
    expect(html).toContain(`<desc id="c1-d">1 bar: \u2068${name}\u2069 12</desc>`);
    expect(html).toContain('<p class="sub"><bdi>export \u202Efdp</bdi> ·');
  });

  it('lists a few of the extra columns of a table, not the thousands a spreadsheet can add', () => {
    const extraColumns = Array.from({ length: 16_000 }, (_, k) => `column${k + 7}`);
    const notes = { rows: 1, decoded: 1, rejected: 0, bytes: 1, extraColumns };
    const html = pageOf(createTally(), { tables: { notes } });
    const section = html.split("Extra columns (not in LinkedIn's guide)")[1]!;
    expect(row(section, 'notes')).toEqual([
      [`${extraColumns.slice(0, 12).join(', ')} and 15,988 more`, 'none'],
    ]);
  });

  it('counts the refusals past those listed by the number their problem carries', () => {
    const refused = (message: string, count?: number) => ({
      severity: 'problem' as const,
      code: 'ENTRY_REFUSED' as const,
      refused: true as const,
      message,
      file: 'Attachment_1-2.zip',
      ...(count === undefined ? {} : { count }),
    });
    const html = pageOf(createTally(), {
      problems: [
        refused('Attachment_1-2.zip: an entry was refused and skipped: Entry is encrypted'),
        refused('Attachment_1-2.zip: 150 more entries were refused and skipped', 150),
      ],
    });
    expect(html).toContain(' · 151 entries');
  });

  it("says what a refusal's left-out message says to do, not the file it names", () => {
    const entry = 'Attachments_1-2/Candidate_1/Public/Jane Doe.pdf';
    const html = pageOf(createTally(), {
      problems: [
        {
          severity: 'problem',
          code: 'ENTRY_REFUSED',
          refused: true,
          message: `Attachment_1-2.zip: an entry was refused and skipped: Entry inflates 256x, over the 200x cap (maxRatio), entry "${entry}". If the export is genuine, raise the cap with --max-ratio.`,
        },
      ],
    });
    expect(html).not.toContain('Jane Doe');
    expect(html).toContain(
      'run <code>talent-export validate</code> on the export to see it. If the export is genuine: raise the cap with --max-ratio.</p>',
    );
  });

  it("names an extracted export's part folders by their length past the export's own folders", () => {
    const tally = createTally();
    const folders = ['resumes/Jane Doe', 'Attachments_1-2'];
    const summaryOf = (file: string) => ({
      file,
      entries: 1,
      files: 1,
      markers: 0,
      bytes: 5,
      candidates: 1,
      unknownFiles: 0,
      readable: true,
    });
    folders.forEach((part, i) => {
      const entry = `Candidate_${i + 1}/Public/cv.pdf`;
      const record = { candidate_id: `${i + 1}`, file_name: 'cv.pdf', size: 5, crc32: null, part, entry };
      addAttachment(tally, { ...record, kind: 'public' });
    });
    const html = pageOf(tally, {
      layout: 'extracted',
      parts: folders.map((file) => ({ file, path: `/x/${file}`, kind: 'folder' as const, bytes: 0 })),
      attachments: { ...pageInput().attachments, files: 2, parts: folders.map(summaryOf) },
    });
    expect(html).not.toContain('Jane');
    expect(html).not.toContain('resumes');
    // In the parts, per part and among the largest files.
    expect(html.split('[folder name, 16 characters]/').length - 1).toBe(3);
    expect(html.split('>Attachments_1-2<').length - 1).toBe(3);
  });

  it('lists 50 parts at most, those it could not read first, the others summed', () => {
    const tally = createTally();
    const parts = Array.from({ length: 300 }, (_, i) => ({
      file: `Attachment_${i}-${i}.zip`,
      entries: 1,
      files: 1,
      markers: 0,
      bytes: 1000,
      candidates: 1,
      unknownFiles: 0,
      readable: i !== 299,
    }));
    for (const { file } of parts) {
      const record = { candidate_id: '1', file_name: 'cv.pdf', size: 1000, crc32: null, entry: 'x' };
      addAttachment(tally, { ...record, kind: 'public', part: file });
    }
    const byKind = { public: 300, private: 0, miscellaneous: 0 };
    const html = pageOf(tally, { attachments: { ...pageInput().attachments, files: 300, byKind, parts } });
    expect(html.length).toBeLessThan(40_000);
    const table = html.split('<h3>Parts</h3>')[1]!.split('</table>')[0]!;
    expect(row(table, 'Attachment_299-299.zip')).toEqual([['1', '0', '1.0 KB', '1', 'NOT readable']]);
    expect(row(table, 'and 251 more parts')).toEqual([['251', '0', '251 KB', '251', '']]);
    expect(row(html, 'and 251 more parts')[1]).toEqual(['251', '0', '0', '251']);
    expect(row(html, 'all parts')).toEqual([['300', '0', '0', '300']]);
  });

  it('says there are no parts, and why references were not checked, when a table is missing', () => {
    const html = pageOf(createTally());
    expect(html).toContain('<h3>Parts</h3><p>No attachment parts.</p>');
    expect(html).not.toContain('Attachment files per kind and part');
    expect(html).toContain(
      'References were not checked (a table is missing or could not be read to the end)',
    );
  });

  it("finds its hints in the CLI's words: they cannot drift apart", () => {
    const refusal = {
      severity: 'problem',
      code: 'ENTRY_REFUSED',
      message: 'over the 200x cap (maxRatio)',
    } as const;
    expect(withHint(refusal).message).toContain(HINTS[0]);
    expect(cliWords('the record is too large; raise maxRecordBytes')).toContain(HINTS[1]);
  });

  it('reconciles export.csv with every file of the parts, as validate does, and says which folders have no row', () => {
    const part = {
      file: 'Attachment_1-2.zip',
      entries: 7,
      files: 3,
      markers: 2,
      bytes: 10,
      candidates: 2,
      unknownFiles: 2,
      readable: true,
    };
    const html = renderPage({
      version: '0',
      name: 'x',
      layout: 'download',
      deep: false,
      manifest: {
        file: 'export.csv',
        files: [
          { name: 'export.zip', url: '', line: 2 },
          { name: 'Attachment_1-2.zip', url: '', line: 3 },
          { name: 'Attachment_3-4.zip', url: '', line: 4 },
        ],
        totalFiles: 7,
        exportedFiles: 7,
        failedFiles: 0,
      },
      parts: [],
      attachments: {
        files: 3,
        markers: 2,
        bytes: 10,
        candidates: 2,
        candidateFolders: 2,
        byKind: { public: 3, private: 0, miscellaneous: 0 },
        unknownFiles: 2,
        parts: [part],
        candidatesUnknown: ['2'],
        candidatesUnknownCount: 1,
        candidatesWithoutAttachments: [],
        candidatesWithoutAttachmentsCount: 0,
      },
      tables: {},
      problems: [
        { severity: 'problem', code: 'MANIFEST_MISSING_FILE', message: 'Attachment_3-4.zip is listed' },
      ],
      notices: [],
      tally: createTally(),
    });
    expect(row(html, 'Total Files')).toEqual([['7', '7']]);
    expect(row(html, 'files listed')).toEqual([['3', '2']]);
    expect(html).toContain(
      'Candidate folders holding at least one file: <strong>2</strong> (of all folders, 1 has no row',
    );
  });

  it('counts combinations with their rows as rows one by one: per project and stage, first names winning', () => {
    const tally = createTally();
    const perProject = new Map<string, Map<string, number>>();
    const names = new Map<string, string>();
    let total = 0;
    for (let i = 0; i < 70_000; i++) {
      const project = `p${i % 9_001}`;
      const state = `h${i % 7}`;
      const rows = 1 + (i % 3);
      total += rows;
      addCounted(
        tally,
        'candidates',
        { project_id: project, hiring_state_id: state, sourcing_channels: [`c${i % 5}`] },
        rows,
      );
      addCounted(
        tally,
        'projects',
        {
          project_id: project,
          project_name: `name ${i}`,
          state: 'ACTIVE',
          job_post_created_at: '2024-03-05T10:00:00.000Z',
        },
        1,
      );
      names.set(project, names.get(project) ?? `name ${i}`);
      const states = perProject.get(project) ?? new Map<string, number>();
      perProject.set(project, states.set(state, (states.get(state) ?? 0) + rows));
    }
    expect(tally.pipeline.rows()).toEqual(perProject);
    expect(tally.projectNames).toEqual(names);
    expect(tally.channels.size).toBe(5);
    expect([...tally.channels.values()].reduce((a, b) => a + b, 0)).toBe(total);
    expect(tally.projectStates).toEqual(new Map([['ACTIVE', 9_001]]));
    expect(tally.jobPostsByMonth).toEqual(new Map([['2024-03', 70_000]]));
  });

  it('counts only columns of PII class none', () => {
    for (const [table, spec] of Object.entries(COUNTED)) {
      for (const column of ('groups' in spec ? spec.groups : [spec]).flat()) {
        const name = typeof column === 'string' ? column : column.column;
        const field = SCHEMAS[table as TableName].fields.find((f) => f.name === name);
        expect(field?.pii, `${table}.${name}`).toBe('none');
      }
    }
  });

  it('says which extra columns no row fills (a comma ending every line), as the guide columns are said', async () => {
    const small = join(work, 'trailing-commas');
    await generateExport({ dir: small, seed: 5, candidates: 30, attachmentsMb: 1 });
    const zip = await rewriteExport(small, join(work, 'trailing'), (table, csv) =>
      table === 'hiring_states' ? Buffer.from(csv.toString('utf8').replace(/(?<=.)(\r?\n)/g, ',$1')) : csv,
    );
    const { html } = report('trailing', zip);
    const section = html.split("Extra columns (not in LinkedIn's guide)")[1]!.split('</table>')[0]!;
    expect(row(section, 'hiring_states')).toEqual([['column4', 'column4']]);
    expect(html).not.toContain('Every column holds a value somewhere');
  });

  it('finds the columns no row holds a value in, across slices and threads (one filled in the last row only)', async () => {
    const small = join(work, 'plain-empty');
    await generateExport({ dir: small, seed: 9, candidates: 300, attachmentsMb: 1 });
    const zip = await rewriteExport(small, join(work, 'empty'), (table, csv) =>
      table === 'messages' ? blankColumns(csv, ['subject', 'sender_profile_url'], 'late subject', 160) : csv,
    );
    for (const threads of ['1', '3']) {
      const { html } = report(`empty-${threads}`, zip, '--threads', threads);
      const section = html.split('Columns that are always empty')[1]!.split('</table>')[0]!;
      expect(row(section, 'messages')[0], threads).toEqual([
        'sender_profile_url',
        `1 of ${SCHEMAS.messages.fields.length}`,
      ]);
      expect(row(section, 'candidates')[0], threads).toBeUndefined();
    }
  });
});
