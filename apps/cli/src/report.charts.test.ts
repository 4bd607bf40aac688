// Parts of the report page on their own: its charts, its title and the messages it shows.
import { describe, expect, it } from 'vitest';
import { bars, clip, columns } from './report/charts.js';
import { pageInput } from './report.fixture.js';

describe('bars', () => {
  it('draws no bar for a count of 0, and one of a pixel at least for any other', () => {
    const svg = bars(
      'Files per size',
      [
        ['under 10 KB', 0],
        ['10-100 KB', 1],
        ['100 KB-1 MB', 100_000],
      ],
      { sort: false },
    );
    const widths = [...svg.matchAll(/<rect class="s0" x="\d+" y="\d+" width="(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toEqual([0, 1, 420]);
    // Its data table is named after it, to a screen reader going from one to the next.
    expect(svg).toContain('<summary aria-label="Data table: Files per size">Data table</summary>');
  });
});

describe('bars past the most shown', () => {
  const widths = (svg: string) =>
    [...svg.matchAll(/<rect class="s0" x="\d+" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));

  it('are left out and said in a note when their sum would be the longest bar, the others drawn to scale', () => {
    const rows = Array.from({ length: 2000 }, (_, i): [string, number] => [`stage ${i}`, 8]);
    const svg = bars('Candidate rows per hiring stage', rows, { sort: false, max: 30 });
    expect(widths(svg)).toEqual(Array(30).fill(420));
    // Only the data table sums them, as its rows past a hundred.
    expect(svg.split('</svg>')[0]).not.toContain('other (');
    expect(svg).toContain(
      '<p class="note">1,970 more, 15,760 in all, are left out of this chart: see its data table.</p>',
    );
  });

  it('are one bar, "other", when it is no longer than the longest', () => {
    const rows = Array.from({ length: 20 }, (_, i): [string, number] => [`channel ${i}`, i < 14 ? 100 : 1]);
    const svg = bars('Sourcing channels', rows);
    expect(widths(svg)).toEqual([...Array(14).fill(420), 25]);
    expect(svg).toContain('>other (6)<');
    expect(svg).not.toContain('left out of this chart');
  });
});

describe('clip', () => {
  it('keeps a label that fits, cuts one that does not at a whole character', () => {
    expect(clip('Backend Engineer')).toBe('Backend Engineer');
    expect(clip('😀'.repeat(40))).toBe(`${'😀'.repeat(8)}…${'😀'.repeat(5)}`);
    expect(clip('高'.repeat(40)).length).toBeLessThan(16);
  });

  it('keeps the start and the end of a label cut: labels alike in their first words are told apart', () => {
    const berlin = clip('Senior Software Engineer, Platform Team (Berlin)');
    const munich = clip('Senior Software Engineer, Platform Team (Munich)');
    expect(berlin).not.toBe(munich);
    expect(berlin).toMatch(/^Senior Softw.*….*\(Berlin\)$/);
    expect(munich).toMatch(/\(Munich\)$/);
  });
});

describe("the page's title", () => {
  it("shows a bidi control of the export's name as U+FFFD: a title cannot isolate it", async () => {
    const { renderPage } = await import('./report/page.js');
    const html = renderPage({ ...pageInput(), name: 'export\u202egpj.zip', layout: 'zip' });
    expect(html).toContain('<title>Talent Hub export report: export\ufffdgpj.zip</title>');
    // In the page, the name is isolated instead, and shown as it is.
    expect(html).toContain('<bdi>export\u202egpj.zip</bdi>');
  });
});

describe('messages naming folders', () => {
  it("shows a message naming the export's own folders only, in a list too, and leaves out one naming others", async () => {
    const { renderPage } = await import('./report/page.js');
    const page = (message: string) =>
      renderPage({
        ...pageInput(),
        notices: [{ severity: 'notice', code: 'EXPORT_ZIP_UNZIPPED', message }],
      });
    const said = (folders: string) =>
      `export.zip is not in the folder but its tables are, unzipped (in ${folders}): they are read from there`;
    for (const folders of ['Contract_1/', 'Contract_1/, Contract_2/', 'Contract_1/, Contract_1 2/'])
      expect(page(said(folders))).toContain(`<li>${said(folders)}</li>`);
    for (const folders of ['Jane Doe/', 'Contract_1/, Jane Contract_2/', 'Jane, Contract_1/'])
      expect(page(said(folders))).not.toContain('Jane');
  });
});

describe('columns', () => {
  it('draws a chart of one month or of hundreds at most 1.4 times its own size, never taller than wide', () => {
    for (const months of [1, 2, 12, 300]) {
      const rows = Array.from({ length: months }, (_, i): [string, number] => [`month ${i}`, i + 1]);
      const svg = columns('Job posts created per month', rows);
      const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
      const max = Number(/max-width:([\d.]+)px/.exec(svg)![1]);
      expect(max / w!, `${months} months`).toBeLessThanOrEqual(1.4);
      expect(h! / w!, `${months} months`).toBeLessThan(1);
    }
  });
});
