// `report` on exports made by hand (Python's csv and zipfile), checked against what `validate --json` says of
// the same export.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esc } from './report/html.js';
import { PLAIN } from './report/words.js';
import { handMade } from './report.hand.fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'report-hand-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Finding {
  severity: string;
  code: keyof typeof PLAIN;
  message: string;
}

/** The page `report` writes of `dir`, and what `validate --json` finds in it. */
function both(dir: string, ...args: string[]) {
  const out = join(work, `${dir.split('/').pop()}${args.join('')}.html`);
  const r = spawnSync(process.execPath, [bin, 'report', dir, '-q', '-o', out, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).not.toBe(4);
  const v = spawnSync(process.execPath, [bin, 'validate', dir, '--json', '-q'], { encoding: 'utf8' });
  const json = JSON.parse(v.stdout) as { problems: Finding[]; notices: Finding[] };
  return { html: readFileSync(out, 'utf8'), found: [...json.problems, ...json.notices], code: r.status };
}

/** The page `report` writes of `dir`. */
function page(dir: string): string {
  const out = join(work, `${dir.split('/').pop()}.page.html`);
  const r = spawnSync(process.execPath, [bin, 'report', dir, '-q', '-o', out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBeLessThanOrEqual(1);
  return readFileSync(out, 'utf8');
}

/** The line of the page's findings for `code`: its plain words, the code, how many, and what it touches. */
function finding(html: string, code: string): string {
  const at = html.indexOf(`<code>${code}</code>`);
  expect(at, code).toBeGreaterThan(0);
  const start = html.lastIndexOf('<li class=', at);
  return html.slice(start, html.indexOf('</li>', at)).replace(/<ul>.*/, '');
}

describe('report on a hand-made export', () => {
  it('says how much every problem and notice touches, as the messages of validate count it', () => {
    const dir = handMade(
      join(work, 'messy'),
      `
rows['HiringStates'] += [[2, 'Screen again', 'SCREEN'], [2, 'Screen thrice', 'SCREEN']]
rows['Candidate'] += [[105, 11, 'Eve', 'V', '', '', '', '', 'applicant', 1], [106, 11, 'Fay', 'U', '', '', '', '', 'applicant', 2]]
p = parts['Attachment_101-102.zip']
p['Attachments_101-102/Candidate_106/Public/cv.pdf'] = b'x' * 50
p['Attachments_101-102/Candidate_105/Public/a.pdf'] = b'y' * 70
p['Attachments_101-102/Candidate_101/Private/offer.pdf'] = b'y' * 70
p['Attachments_101-102/Candidate_101/Other/x.pdf'] = b'y' * 70
p['Attachments_101-102/notes about Alice.txt'] = b'y' * 70
parts['Attachment_105-105.zip'] = {'Attachments_105-105/Candidate_105/Public/b.pdf': b'y' * 70}
parts['Attachment_200-201.zip'] = {'Attachments_200-201/Candidate_200/Public/cv.pdf': b'z' * 70}
manifest = [['export.zip', 'u'], ['Attachment_101-102.zip', 'u'], ['Statistics', ''], ['Total Files', 6], ['Exported files', 6]]
extra['Contract_123456/Readme.txt'] = b'hi'
`,
    );
    const { html, found } = both(dir);
    expect(new Set(found.map((p) => p.code))).toEqual(
      new Set([
        'PART_RANGE_MISMATCH',
        'ATTACHMENT_CANDIDATE_UNKNOWN',
        'MANIFEST_TOTAL_FILES_DIFFER',
        'MANIFEST_EXPORTED_FILES_DIFFER',
        'UNKNOWN_FILE',
        'MANIFEST_UNLISTED_FILE',
        'CANDIDATE_IN_SEVERAL_PARTS',
        'MARKER_WITH_FILES',
        'KEY_REPEATED',
      ]),
    );
    const counts: Record<string, string> = {
      PART_RANGE_MISMATCH: '2 candidate folders',
      ATTACHMENT_CANDIDATE_UNKNOWN: '1 candidate folder',
      UNKNOWN_FILE: '3 files',
      MANIFEST_UNLISTED_FILE: '2 parts',
      CANDIDATE_IN_SEVERAL_PARTS: '1 time a candidate folder continues',
      MARKER_WITH_FILES: '1 candidate',
      KEY_REPEATED: '2 rows',
    };
    for (const p of found) {
      const line = finding(html, p.code);
      expect(line, p.code).toContain(esc(PLAIN[p.code]));
      // What it touches, or the message itself, which says it (export.csv's counts).
      if (counts[p.code]) expect(line, p.code).toContain(` · ${esc(counts[p.code]!)}`);
      else expect(html, p.code).toContain(`<li>${esc(p.message)}</li>`);
    }
  });
});

describe('report on an unpacked export', () => {
  it("names no folder the export was unpacked into: not in a table's source, nor in a message", () => {
    const dir = handMade(
      join(work, 'unpacked-zips'),
      `extra['Contract_123456 2/Notes.csv'] = b'note_id,project_id,candidate_id,content,owner_profile_url,visibility\\r\\n'`,
    );
    const unpacked = join(work, 'unpacked');
    const script = String.raw`
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
for folder in ('Jane Doe tables', 'Bob Smith copy'):
  zipfile.ZipFile(os.path.join(src, 'export.zip')).extractall(os.path.join(out, folder))
with open(os.path.join(out, 'Bob Smith copy', 'Contract_123456', 'Notes.csv'), 'ab') as f: f.write(b'72,11,101,x,u,PROJECT\r\n')
zipfile.ZipFile(os.path.join(src, 'Attachment_101-102.zip')).extractall(os.path.join(out, 'Jane Doe resumes'))
os.rename(os.path.join(src, 'export.csv'), os.path.join(out, 'export.csv'))
`;
    spawnSync('python3', ['-c', script, dir, unpacked]);
    const { html, found } = both(unpacked);
    const codes = found.map((p) => p.code);
    expect(codes).toContain('TABLE_DUPLICATE');
    expect(codes).toContain('TABLE_COPIES_IDENTICAL');
    expect(found.some((p) => p.message.includes('Jane Doe'))).toBe(true);
    expect(html).not.toMatch(/Jane|Bob|Smith|Doe/);
    expect(html).toMatch(/\[folder name, 1[45] characters\]\/Contract_123456\/Candidate.csv/);
    expect(finding(html, 'TABLE_DUPLICATE')).toMatch(/ · 1 table(<|$)/);
    expect(html).toContain('The folders are left out here, as LinkedIn did not name them');

    // The folders of the export's own layout are said: export.zip unzipped, two contracts' tables in export.zip.
    const unzipped = handMade(join(work, 'unzipped'));
    spawnSync('python3', [
      '-c',
      'import os, sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2]); os.remove(sys.argv[1])',
      join(unzipped, 'export.zip'),
      unzipped,
    ]);
    expect(page(unzipped)).toContain('unzipped (in Contract_123456/): they are read from there</li>');
    const zipped = page(dir);
    expect(zipped).toContain('Contract_123456/');
    // A second contract's folder, as LinkedIn's guide shows it: its rows are read with the first's.
    expect(zipped).toContain(
      '<li>the notes table is in export.zip 2 times (Contract_123456/Notes.csv and Contract_123456 2/Notes.csv), each in a contract&#39;s folder of its own',
    );
  });
});

describe('report on an export of headers only, or with tables missing', () => {
  it('says every column of a table without rows is empty, and which tables it could not look into', () => {
    const empty = page(handMade(join(work, 'headers'), 'rows = {k: [] for k in F}'));
    const section = empty.split('Columns that are always empty')[1]!.split('<h3>')[0]!;
    expect(section).not.toContain('holds a value somewhere');
    // Every table of its header only: said once, not in a line per table.
    expect(section).toContain('<p>Every column: no table holds a row.</p>');
    expect(section).not.toContain('no row of the table was read');
    const dir = handMade(
      join(work, 'three-missing'),
      "for t in ('Notes', 'Messages', 'Scorecards'): del F[t]",
    );
    const missing = page(dir).split('Columns that are always empty')[1]!.split('<h3>')[0]!;
    expect(missing).toContain('Not known for messages, notes, scorecards: missing or not read to the end.');
  });
});

describe('report on a download missing a file export.csv lists', () => {
  it('says which (export.zip, whose tables are all missing) and counts nothing of the tables', () => {
    const dir = handMade(join(work, 'no-export-zip'));
    rmSync(join(dir, 'export.zip'));
    const { html, found } = both(dir);
    expect(found.map((p) => p.code)).toEqual(['MANIFEST_MISSING_FILE']);
    expect(finding(html, 'MANIFEST_MISSING_FILE')).toMatch(/ · 1 file(<|$)/);
    expect(html).toContain(`<li>${esc(found[0]!.message)}</li>`);
    expect(found[0]!.message).toMatch(/^export\.zip is listed in export\.csv/);
    // No table read: nothing is counted, rather than none found.
    expect(html).toContain('<div class="v">not read</div><div class="l">candidates</div>');
    expect(html).toContain('<div class="v">not read</div><div class="l">projects</div>');
    expect(html).toContain(
      'Candidates without any attachment folder: not known, as the candidates table was not read.',
    );
  });
});

describe('the pipeline of a hand-made export', () => {
  it("makes stages of one name (one per pipeline) one part of a project's bar", () => {
    const dir = handMade(
      join(work, 'pipelines'),
      `rows['HiringStates'] = [[1, 'Applied', 'A'], [2, 'Screen', 'S'], [3, 'Applied', 'A'], [4, 'Screen', 'S']]
rows['Projects'].append([12, 'Second', 'PUBLIC', 'ACTIVE', 'JOB', 'u', '3;4', 'applicant', 'd', 'j2', 'jd', '', 'active'])
rows['Candidate'] = [[100 + k, 11 if s < 3 else 12, 'A', 'B', '', '', '', '', 'applicant', s] for k, s in enumerate([1, 1, 2, 3, 3, 3, 4])]
parts = {}`,
    );
    const html = page(dir);
    const data = html.split('data of Hiring stages per project')[1]!.split('</table>')[0]!;
    expect(data).toContain(
      '<th scope="col"></th><th scope="col">Applied</th><th scope="col">Screen</th><th scope="col">total</th>',
    );
    expect(data).toContain(
      '<tr><th scope="row">Second</th><td class="n">3</td><td class="n">1</td><td class="n">4</td></tr>',
    );
  });

  it('stages in the order of hiring_states, a colour for the largest, projects without candidates said', () => {
    const dir = handMade(
      join(work, 'stages'),
      `rows['HiringStates'] = [[i, f'S{i}', 'T'] for i in range(1, 13)]
rows['Projects'].append([12, 'No one yet', 'PUBLIC', 'ACTIVE', 'JOB', 'u', '1', 'applicant', 'd', 'j2', 'jd', '', 'active'])
# Listed from the last stage back, the last stages the largest.
rows['Candidate'] = [[100 + k, 11, 'A', 'B', '', '', '', '', 'applicant', s] for k, s in enumerate([12] * 9 + [11] * 8 + [10] * 7 + [9] * 6 + [8] * 5 + [7] * 4 + [6] * 3 + [1, 2, 3, 4, 5])]
parts = {}`,
    );
    const html = page(dir);
    const stages = html.split('data of Candidate rows per hiring stage')[1]!.split('</table>')[0]!;
    const order = [...stages.matchAll(/<th scope="row">(S\d+)<\/th>/g)].map((m) => m[1]);
    expect(order).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12']);
    const perProject = html.split('data of Hiring stages per project')[1]!.split('</thead>')[0]!;
    const series = [...perProject.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(series).toEqual(['', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12', 'other stages', 'total']);
    expect(html).toContain('1 project of the projects table has no candidate row.');
  });
});

describe('report --deep on a part holding a damaged file', () => {
  it('says how many files are damaged, in the findings and beside the part', () => {
    const dir = handMade(
      join(work, 'damaged'),
      `parts['Attachment_101-102.zip']['Attachments_101-102/Candidate_101/Public/resume_101.pdf'] = b'HELLOWORLD' * 100
stored.add('Attachments_101-102/Candidate_101/Public/resume_101.pdf')`,
    );
    const part = join(dir, 'Attachment_101-102.zip');
    const bytes = readFileSync(part);
    bytes[bytes.indexOf('HELLOWORLD')] = 0x4a;
    writeFileSync(part, bytes);
    const { html, code } = both(dir, '--deep');
    // As validate: a file that cannot be read back is part of the export not read.
    expect(code).toBe(3);
    expect(finding(html, 'ATTACHMENT_CORRUPT')).toMatch(/ · 1 file(<|$)/);
    expect(html).toContain(
      '<tr><th scope="row">Attachment_101-102.zip</th><td class="n">2</td><td class="n">4</td>',
    );
    expect(html).toContain('<td>every byte checked: 1 file damaged</td>');
    // A file that cannot be read back intact is one not read.
    expect(html).toContain(
      ' · attachment bytes checked (--deep), but not all could be read: see the problems · ',
    );
  });
});

describe("report on a table without some of the guide's columns", () => {
  it('says they are missing, as validate does, not that they are always empty', () => {
    const dir = handMade(
      join(work, 'columns'),
      `F['Projects'] = F['Projects'].replace(',job_post_state', '').replace(',visibility', '')
rows['Projects'] = [r[:2] + r[3:-1] for r in rows['Projects']]`,
    );
    const html = page(dir);
    const section = html.split('<h2>Data quality</h2>')[1]!;
    expect(section).toContain(
      '<h3>Columns missing (no header in the file: read as empty)</h3><div class="scroll" tabindex="0" role="group" aria-label="table of table, columns, missing"><table><thead><tr><th scope="col">table</th><th scope="col">columns</th><th scope="col">missing</th></tr></thead><tbody><tr><th scope="row">projects</th><td>visibility, job_post_state</td><td>2 of 13</td></tr>',
    );
    expect(section.split('Columns that are always empty')[1]).not.toContain('job_post_state');
  });
});

describe("report on an export.csv whose counts are not LinkedIn's", () => {
  it('says a count written otherwise than as a number is not one, not that it is absent', () => {
    const dir = handMade(
      join(work, 'counts'),
      `manifest = [['export.zip', 'u'], ['Attachment_101-102.zip', 'u'], ['Statistics', ''], ['TOTAL  files', '6 files'], ['Exported files', 6]]`,
    );
    const { html, found } = both(dir);
    expect(found.map((p) => p.code)).toContain('MANIFEST_BAD_VALUE');
    expect(finding(html, 'MANIFEST_BAD_VALUE')).toMatch(/ · 1 row of export\.csv(<|$)/);
    expect(html).toContain(
      '<tr><th scope="row">Total Files</th><td>not a whole number</td><td class="n">6</td></tr>',
    );
    expect(html).toContain('<tr><th scope="row">Failed files</th><td>absent</td><td></td></tr>');
  });
});

describe('report on a part named with a bidi control', () => {
  it('shows the message naming it with the control as U+FFFD: the rest of the line is not turned around', () => {
    const dir = handMade(
      join(work, 'bidi'),
      `parts['Attachment_103-104\\u202egpj.zip'] = {'Attachments_103-104/Candidate_103/Public/a.pdf': b'x'}
manifest = [['export.zip', 'u'], ['Attachment_101-102.zip', 'u'], ['Statistics', ''], ['Total Files', 7], ['Exported files', 7]]`,
    );
    const { html, found } = both(dir);
    const unlisted = found.find((p) => p.code === 'MANIFEST_UNLISTED_FILE')!;
    expect(unlisted.message).toContain('\u202e');
    expect(html).toContain(`<li>${esc(unlisted.message.replace('\u202e', '\ufffd'))}</li>`);
    const findings = html.split('<ul class="findings">')[1]!.split('<h3>')[0]!;
    expect(findings).not.toContain('\u202e');
  });
});

describe('report --policy on a download without export.zip', () => {
  it('says no table was read rather than showing an empty table of columns', () => {
    const dir = handMade(join(work, 'policy-no-tables'));
    rmSync(join(dir, 'export.zip'));
    const out = join(work, 'policy-no-tables.html');
    spawnSync(process.execPath, [bin, 'report', dir, '-q', '-o', out, '--policy', 'default']);
    const section = readFileSync(out, 'utf8').split('<h3>Per column</h3>')[1]!.split('<h3>')[0]!;
    expect(section).toBe('<p>No table was read: there is no value to change.</p>\n\n');
  });
});

describe('the dates of a hand-made export', () => {
  it('draws the months holding most rows, and tells apart a date ten years or more from them (a time of 0)', () => {
    const dir = handMade(
      join(work, 'dates'),
      `rows['Projects'] = [[11 + i, f'P{i}', 'PUBLIC', 'ACTIVE', 'JOB', 'u', '1', 'applicant', 'd', f'j{i}', 'jd', t, 'active'] for i, t in enumerate(['0', '1622505600000', '2021-08-01 10:00:00', '2022-01-31 23:59:59', '', '4102444800000'])]
rows['Candidate'] = [[101, 12, 'A', 'B', '', '', '', '', 'applicant', 1]]
parts = {}`,
    );
    const html = page(dir);
    const chart = html.split('Job posts created per month</figcaption>')[1]!.split('</figure>')[0]!;
    const months = [...chart.matchAll(/<tr><th scope="row">([\d-]+)<\/th><td class="n">(\d+)<\/td>/g)];
    expect(months.map((m) => m[1])).toEqual([
      '2021-06',
      '2021-07',
      '2021-08',
      '2021-09',
      '2021-10',
      '2021-11',
      '2021-12',
      '2022-01',
    ]);
    expect(chart).toContain(
      'Left out of this chart, ten years or more from the other dates: 2 rows, in 1970-01 (1), 2100-01 (1).',
    );
  });
});

describe('report on a download whose export.zip was cut short', () => {
  it('in a table: says where, which tables were read, and to download it again', () => {
    const dir = handMade(join(work, 'cut-short'));
    const zip = join(dir, 'export.zip');
    writeFileSync(zip, readFileSync(zip).subarray(0, 300));
    const { html, found, code } = both(dir);
    expect(code).toBe(1);
    expect(found[0]!.code).toBe('EXPORT_ZIP_TRUNCATED');
    expect(found[0]!.message).toContain('Download export.zip again from its Download Url in export.csv');
    expect(finding(html, 'EXPORT_ZIP_TRUNCATED')).toContain(
      'export.zip was cut short (its download stopped)',
    );
    // Its message names tables and the layout's folders only: shown, where and what to do.
    expect(html).toContain(
      'export.zip is cut short (its download stopped): the file is 300 bytes and ends in',
    );
    expect(html).toContain('Download export.zip again from its Download Url in export.csv');
  });

  it('before any table: says to download it again, as the run says the page says what to do', () => {
    const dir = handMade(join(work, 'cut-shorter'));
    const zip = join(dir, 'export.zip');
    writeFileSync(zip, readFileSync(zip).subarray(0, 20));
    const { html, found, code } = both(dir);
    expect(code).toBe(3);
    expect(found.map((p) => p.code)).toEqual(['EXPORT_ZIP_UNREADABLE']);
    expect(found[0]!.message).toContain('download it again');
    expect(finding(html, 'EXPORT_ZIP_UNREADABLE')).toBeTruthy();
    expect(html).toContain('If a file did not download whole (cut short, damaged): download it again.</p>');
  });
});

describe('report --deep on a part of more damaged files than are read', () => {
  it('does not say every byte was checked', () => {
    const dir = handMade(
      join(work, 'many-damaged'),
      `for k in range(25):
  name = f'Attachments_101-102/Candidate_101/Miscellaneous/f{k}.pdf'
  parts['Attachment_101-102.zip'][name] = b'HELLOWORLD' * 10
  stored.add(name)`,
    );
    const part = join(dir, 'Attachment_101-102.zip');
    const bytes = readFileSync(part);
    for (let at = bytes.indexOf('HELLOWORLD'); at >= 0; at = bytes.indexOf('HELLOWORLD', at + 100))
      bytes[at] = 0x4a;
    writeFileSync(part, bytes);
    const out = join(work, 'many-damaged.html');
    const r = spawnSync(process.execPath, [bin, 'report', dir, '-q', '-o', out, '--deep']);
    expect(r.status).toBe(3);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(
      ' · attachment bytes checked (--deep), but not all could be read: see the problems · ',
    );
    expect(html).not.toContain('every attachment byte checked');
    expect(finding(html, 'PART_UNREADABLE')).toMatch(/ · 1 part(<|$)/);
  });
});

describe('report on a lone export.zip', () => {
  it('says no candidate has an attachment folder, not that none is without one', () => {
    const dir = handMade(join(work, 'lone'), 'parts = {}');
    const zip = join(work, 'lone.zip');
    writeFileSync(zip, readFileSync(join(dir, 'export.zip')));
    const html = page(zip);
    expect(html).toContain(
      '<p>No attachment parts: no candidate has an attachment folder in this export.</p>',
    );
    expect(html).not.toContain('Candidates without any attachment folder');
  });
});
