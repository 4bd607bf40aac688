// How the page reads for exports our generator does not make: tables missing, empty or wholly rejected, names
// of spaces only, counts of one.
import type { Problem } from '@talent-export/export';
import type { TableResult } from '@talent-export/pipeline';
import { TABLE_NAMES, type TableName, type TypedRecord } from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { type ReportInput, renderPage } from './report/page.js';
import { addAttachment, addCounted, createTally } from './report/tally.js';
import { pageInput } from './report.fixture.js';

/** A table read whole: `rows` of which `rejected` were set aside. */
const read = (rows: number, rejected = 0): TableResult => ({
  rows,
  decoded: rows - rejected,
  rejected,
  bytes: 100,
  source: 'export.zip:Contract_1/Table.csv',
});

/** The text of the figure whose caption starts with `caption`, tags left out. */
function figure(html: string, caption: string): string {
  const at = html.indexOf(`<figcaption`, html.indexOf(`>${caption}`) - 40);
  expect(at, caption).toBeGreaterThan(0);
  return html
    .slice(at, html.indexOf('</figure>', at))
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('an empty chart says why it is empty', () => {
  it('names the table that is missing, has no rows, or had every row rejected', () => {
    const tables: Partial<Record<TableName, TableResult>> = {
      // candidates missing
      projects: read(3, 3),
      interview_modules: read(0),
      scorecards: { ...read(5), decoded: 0, error: { code: 'CSV_RECORD_TOO_LARGE', message: 'x' } },
    };
    const html = renderPage({ ...pageInput(), tables });
    expect(figure(html, 'Candidate rows per hiring stage')).toContain(
      'Nothing to show: the candidates table is missing.',
    );
    expect(figure(html, 'Hiring stages per project')).toContain(
      'Nothing to show: the candidates table is missing.',
    );
    for (const caption of ['Projects per state', 'Job posts created per month'])
      expect(figure(html, caption)).toContain(
        'Nothing to show: every row of the projects table was rejected (3 rows, see Rejected rows).',
      );
    for (const caption of ['Interviews per month', 'Interview modules per state'])
      expect(figure(html, caption)).toContain('Nothing to show: the interview_modules table has no rows.');
    expect(figure(html, 'Scorecard recommendations')).toContain(
      'Nothing to show: the scorecards table could not be read (CSV_RECORD_TOO_LARGE).',
    );
    // A table with rows none of which holds a time.
    const dated = renderPage({ ...pageInput(), tables: { custom_field_values: read(20) } });
    expect(figure(dated, 'Custom field values created per month')).toContain(
      'Nothing to show: no row of the custom_field_values table has a created_time.',
    );
    // The export has no parts: no attachment chart speaks of rows (nor is there one: see below).
    expect(html).not.toContain('Files per size');
  });

  it('says the rows of a table it does not count: rejected, or past where the table could not be read', () => {
    const tally = createTally();
    addCounted(tally, 'feedbacks', { approved_for_referral: true }, 4);
    addCounted(
      tally,
      'projects',
      { project_id: 'p1', project_name: 'Sales', state: 'ACTIVE', job_post_created_at: '2024-05' },
      1,
    );
    const html = renderPage({
      ...pageInput(),
      tally,
      tables: {
        feedbacks: read(5, 1),
        projects: { ...read(1), error: { code: 'CSV_RECORD_TOO_LARGE', message: 'x' } },
      },
    });
    expect(figure(html, 'Feedback: approved for referral')).toContain(
      '1 rejected row of the feedbacks table is not counted.',
    );
    expect(figure(html, 'Job posts created per month')).toContain(
      'The projects table could not be read to the end: only the rows before that are counted.',
    );
  });
});

describe('the rows per table', () => {
  it('counts no row of a table that is missing: a dash, not 0', () => {
    const html = renderPage({ ...pageInput(), tables: { candidates: read(2) } });
    expect(html).toContain(
      '<tr><th scope="row">notes</th><td class="n">–</td><td class="n">–</td><td class="n">–</td><td class="n">–</td><td>missing</td></tr>',
    );
    expect(html).toContain('<tr><th scope="row">candidates</th><td class="n">2</td><td class="n">2</td>');
  });

  it('shows sizes as numbers, whole on a line; the largest files ranked in a narrow column, titled above', () => {
    const tally = createTally();
    for (const size of [15_000, 2_000_000])
      addAttachment(tally, {
        candidate_id: '1',
        file_name: 'cv.pdf',
        size,
        crc32: null,
        part: 'Attachment_1-2.zip',
        entry: 'Attachments_1-2/Candidate_1/Public/cv.pdf',
        kind: 'public',
      });
    const part = {
      file: 'Attachment_1-2.zip',
      first: '1',
      last: '2',
      entries: 2,
      files: 2,
      markers: 0,
      bytes: 2_015_000,
      candidates: 1,
      unknownFiles: 0,
      readable: true,
    };
    const attachments = { ...pageInput().attachments, files: 2, bytes: 2_015_000, parts: [part] };
    const html = renderPage({ ...pageInput(), tally, attachments, tables: { candidates: read(2) } });
    expect(html).toContain('<td class="n">100 B</td><td>export.zip:Contract_1/Table.csv</td>');
    expect(html).toContain(
      '<tr><th scope="row" class="n">1</th><td>public</td><td class="n">2.0 MB</td><td>Attachment_1-2.zip</td></tr>',
    );
    // The bytes chart's data table too.
    expect(html).toMatch(/data of Bytes per kind.*<th scope="row">public<\/th><td class="n">2.0 MB<\/td>/);
    // A caption is as wide as its table, wider than a phone: the title is a heading of its own.
    expect(html).not.toContain('<caption>');
    expect(html).toContain('<h3>The largest files</h3>');
  });
});

describe('names of spaces only', () => {
  it('are (none), as empty names are: not a bar without a label', () => {
    const tally = createTally();
    const add = (table: TableName, values: TypedRecord) => addCounted(tally, table, values, 1);
    add('projects', { project_id: 'p1', project_name: '   ', state: ' \t ', job_post_created_at: null });
    add('hiring_states', { candidate_hiringstate_id: 'h1', name: '\u00a0 ', type: null });
    add('candidates', { project_id: 'p1', hiring_state_id: 'h1', sourcing_channels: ['  '] });
    const html = renderPage({ ...pageInput(), tally, tables: { candidates: read(1), projects: read(1) } });
    const labels = [...html.matchAll(/<text x="\d+" y="\d+" text-anchor="end">([^<]*)<\/text>/g)].map(
      (m) => m[1]!,
    );
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels.filter((label) => label.trim() === '')).toEqual([]);
    expect(labels).toContain('(none)');
  });
});

describe('counts of one', () => {
  it('are said in the singular, never as "(s)"', () => {
    const tally = createTally();
    const add = (table: TableName, values: TypedRecord) => addCounted(tally, table, values, 1);
    // Thirteen projects with candidates and one without: one more than the chart shows, one without a row.
    for (let p = 0; p < 14; p++) {
      add('projects', {
        project_id: `p${p}`,
        project_name: `Project ${p}`,
        state: 'ACTIVE',
        job_post_created_at: p === 0 ? '1970-01' : '2024-05',
      });
      if (p < 13) add('candidates', { project_id: `p${p}`, hiring_state_id: 'h1', sourcing_channels: null });
    }
    const problem = (code: Problem['code'], message: string): Problem => ({
      severity: 'problem',
      code,
      message,
    });
    const input: ReportInput = {
      ...pageInput(),
      tally,
      tables: { candidates: read(13), projects: read(14, 1) },
      candidates: 13,
      problems: [
        problem('TABLE_MISSING', 'the notes table (e.g. Notes.csv) is not in export.zip'),
        problem('ROWS_REJECTED', 'projects: 1 of 14 rows rejected'),
        problem('ATTACHMENT_CANDIDATE_UNKNOWN', 'a folder'),
      ],
      notices: [{ severity: 'notice', code: 'CANDIDATE_NO_ATTACHMENTS', message: 'one' }],
      attachments: {
        ...pageInput().attachments,
        candidatesUnknownCount: 1,
        candidatesWithoutAttachmentsCount: 1,
        parts: [
          {
            file: 'Attachment_1-2.zip',
            files: 1,
            markers: 0,
            bytes: 10,
            candidates: 1,
            unknownFiles: 0,
            readable: true,
          } as ReportInput['attachments']['parts'][number],
        ],
      },
    };
    const html = renderPage(input);
    const text = html.replace(/<[^>]*>/g, '');
    expect(text).not.toMatch(/\(s\)|\(ies\)/);
    expect(text).toContain('TABLE_MISSING · 1 table');
    expect(text).toContain('ROWS_REJECTED · 1 row');
    expect(text).toContain('ATTACHMENT_CANDIDATE_UNKNOWN · 1 candidate folder');
    expect(text).toContain('CANDIDATE_NO_ATTACHMENTS · 1 candidate');
    expect(text).toContain('1 more project, with no more rows than these, is left out of this chart.');
    expect(text).toContain('1 project of the projects table has no candidate row.');
    expect(text).toContain('(of all folders, 1 has no row in the candidates table)');
    expect(text).toContain('ten years or more from the other dates: 1 row, in 1970-01 (1)');
    expect(text).toContain('1 rejected row of the projects table is not counted.');
    // A chart of one column says so, not "1 from 2024-05 to 2024-05".
    expect(text).toContain('one column, month 2024-05: 13');
  });
});

describe('long names alike but for their ends', () => {
  it('are counted apart, each shown with its end', () => {
    const tally = createTally();
    const add = (table: TableName, values: TypedRecord) => addCounted(tally, table, values, 1);
    const long = (city: string) => `Senior Software Engineer ${'-'.repeat(280)} ${city}`;
    ['Berlin', 'Munich', 'Paris'].forEach((city, i) => {
      add('hiring_states', { candidate_hiringstate_id: `h${i}`, name: long(city), type: null });
      add('projects', {
        project_id: `p${i}`,
        project_name: long(city),
        state: long(city),
        job_post_created_at: null,
      });
      add('candidates', { project_id: `p${i}`, hiring_state_id: `h${i}`, sourcing_channels: [long(city)] });
    });
    const html = renderPage({ ...pageInput(), tally, tables: { candidates: read(3), projects: read(3) } });
    for (const caption of ['Candidate rows per hiring stage', 'Sourcing channels', 'Projects per state']) {
      const data = html.split(`data of ${caption}`)[1]!.split('</table>')[0]!;
      const rows = [...data.matchAll(/<th scope="row">([^<]*)<\/th><td class="n">(\d+)<\/td>/g)];
      expect(
        rows.map((m) => [m[1]!.split(' ').pop(), m[2]]),
        caption,
      ).toEqual([
        ['Berlin', '1'],
        ['Munich', '1'],
        ['Paris', '1'],
      ]);
      for (const [, label] of rows) {
        expect(label!.length, caption).toBe(100);
        expect(label, caption).toMatch(/^Senior Software Engineer -+…-+ \w+$/);
      }
    }
  });
});

describe('the summary cards', () => {
  it('say how many rows of their table were rejected: 0 candidates is not an export without any', () => {
    const html = renderPage({
      ...pageInput(),
      candidates: 0,
      tables: { candidates: read(2, 2), messages: read(3) },
    });
    const cards = html.split('aria-label="Summary">')[1]!.split('</section>')[0]!;
    expect(cards).toContain(
      '<div class="card"><div class="v">0</div><div class="l">candidates</div><div class="l bad">2 rows rejected</div></div>',
    );
    expect(cards).toContain(
      '<div class="v">2</div><div class="l">candidate-project rows</div><div class="l bad">2 rows rejected</div>',
    );
    expect(cards).toContain('<div class="v">3</div><div class="l">messages</div></div>');
  });
});

describe('an export that holds little says so once', () => {
  const section = (html: string, title: string) =>
    html.slice(
      html.indexOf(`<h2>${title}</h2>`),
      html.indexOf('</section>', html.indexOf(`<h2>${title}</h2>`)),
    );
  const headersOnly = () =>
    Object.fromEntries(TABLE_NAMES.map((name) => [name, read(0)])) as Partial<Record<TableName, TableResult>>;

  it('of headers only: no candidate, not "whole"; every column empty in one line', () => {
    const html = renderPage({ ...pageInput(), tables: headersOnly(), candidates: 0 });
    expect(html).not.toContain('the export is whole');
    expect(html).toContain(
      'No problems and no notices, but the export holds no candidate: the candidates table has no rows, nor has any other table. Check that this is the export you meant to download.',
    );
    expect(section(html, 'Data quality')).toContain('<p>Every column: no table holds a row.</p>');
    expect(html).not.toContain('no row of the table was read');
    // A table of rows beside an empty candidates table: the other tables are not said to be empty.
    const notes = renderPage({ ...pageInput(), tables: { ...headersOnly(), notes: read(3) }, candidates: 0 });
    expect(notes).toContain('the export holds no candidate: the candidates table has no rows. Check');
    // One with candidates is whole.
    const whole = renderPage({
      ...pageInput(),
      tables: { ...headersOnly(), candidates: read(2) },
      candidates: 2,
    });
    expect(whole).toContain('No problems and no notices: the export is whole.');
  });

  it('without attachment parts: one line in the Attachments section, none in the inventory but Parts', () => {
    const html = renderPage({ ...pageInput(), tables: headersOnly(), candidates: 0 });
    expect(section(html, 'Attachments').replace(/\s+/g, ' ')).toBe(
      '<h2>Attachments</h2> <p>No attachment parts: no candidate has an attachment folder in this export.</p> ',
    );
    expect(html.match(/No attachment parts/g)).toHaveLength(2);
    expect(html).not.toContain('Attachment files per kind and part');
    // Without export.csv, how Total Files is read is not said: there is nothing to reconcile.
    expect(html).not.toContain('Total Files is read as');
  });

  it('with parts of markers only: no file said once, not by three empty charts', () => {
    const part = {
      file: 'Attachment_1-2.zip',
      first: '1',
      last: '2',
      entries: 6,
      files: 0,
      markers: 6,
      bytes: 0,
      candidates: 2,
      unknownFiles: 0,
      readable: true,
    };
    const attachments = { ...pageInput().attachments, markers: 6, candidateFolders: 2, parts: [part] };
    const html = renderPage({ ...pageInput(), tables: { candidates: read(2) }, candidates: 2, attachments });
    const text = section(html, 'Attachments');
    expect(text).toContain(
      '<p>No attachment files: the parts hold 6 empty.txt markers (folders left empty).</p>',
    );
    expect(text).not.toContain('Nothing to show');
    expect(text).not.toContain('<p>No attachment files.</p>');
    expect(text).toContain('Candidates without any attachment folder: <strong>0</strong> of 2.');
  });
});
