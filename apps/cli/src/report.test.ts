// `report` end to end on generated exports: the page's counts are the ground truth's, the same whatever the
// threads, free of personal data, and labels from the export are text.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GroundTruth, generateExport } from '@talent-export/sample';
import { SCHEMAS, TABLE_NAMES, type TableName, type TypedRecord } from '@talent-export/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_OPTIONS } from './args.js';
import { OPTIONS } from './commands/report.js';
import { esc } from './report/html.js';
import { renderPage } from './report/page.js';
import { addCounted, COUNTED, createTally } from './report/tally.js';
import { blankColumns, repeatRows, rewriteExport } from './report.fixture.js';

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
    expect(html).toMatch(/no candidate's name, email, phone, profile, id or message text/);
  });

  it('is self-contained: no script, no external reference, a policy that allows none', () => {
    const { html } = report('alone', download);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(|src=|href=/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('gives the same page whatever the threads, with big tables decoded by workers', async () => {
    // Candidates, custom field values and messages repeated past the engine's 8 MiB slicing threshold.
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
    expect(alone.stderr).toMatch(/--key-file needs --policy/);
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

  it('an --out inside a file says why it cannot be written, not what failed while cleaning up', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    const out = join(file, 'page.html');
    const r = run(['report', download, '--out', out, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot write ${out} (ENOTDIR)`);
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

  it('--deep checks every attachment byte and says so', () => {
    const r = report('deep', download, '--deep');
    expect(r.html).toContain('every attachment byte checked (--deep)');
    expect(r.html).toContain('every byte checked');
  });
});

describe('the page', () => {
  it('shows labels from the export as text: no tag, attribute or script can be opened', () => {
    const tally = createTally();
    const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(2)>'`;
    const add = (table: TableName, values: TypedRecord) => addCounted(tally, table, values, 1);
    add('projects', { project_id: 'p1', project_name: hostile, state: 'ACTIVE', job_post_created_at: null });
    add('hiring_states', { candidate_hiringstate_id: 'h1', name: hostile, type: null });
    add('candidates', { project_id: 'p1', hiring_state_id: 'h1', sourcing_channels: [hostile] });
    const html = renderPage({
      version: '0',
      name: hostile,
      layout: 'download',
      deep: false,
      manifest: null,
      parts: [],
      attachments: {
        files: 0,
        markers: 0,
        bytes: 0,
        candidates: 0,
        candidateFolders: 0,
        byKind: { public: 0, private: 0, miscellaneous: 0 },
        unknownFiles: 0,
        parts: [],
        candidatesUnknown: [],
        candidatesUnknownCount: 0,
        candidatesWithoutAttachments: [],
        candidatesWithoutAttachmentsCount: 0,
      },
      tables: {},
      problems: [],
      notices: [],
      tally,
    });
    expect(html).not.toMatch(/<script|<img|<[^>]*onerror/);
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;',
    );
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
      'Candidate folders holding at least one file: <strong>2</strong> (of all folders, 1 have',
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
    for (const [table, columns] of Object.entries(COUNTED)) {
      for (const column of columns) {
        const name = typeof column === 'string' ? column : column.column;
        const field = SCHEMAS[table as TableName].fields.find((f) => f.name === name);
        expect(field?.pii, `${table}.${name}`).toBe('none');
      }
    }
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
