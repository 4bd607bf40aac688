// The page in a real browser (Debian's chromium, headless): nothing runs, nothing is fetched, every chart
// has data and words, and a hostile project name stays text. UPDATE_SCREENSHOT=1 rewrites docs/report.png.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openExport } from '@talent-export/export';
import { readTables } from '@talent-export/pipeline';
import { generateExport } from '@talent-export/sample';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileProjects, rewriteExport, setColumns, XSS } from './report.fixture.js';
import { handMade } from './report.hand.fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const screenshot = fileURLToPath(new URL('../../../docs/report.png', import.meta.url));
let work: string;
let browser: Browser;

function report(exportPath: string | undefined, name: string, ...args: string[]): string {
  const out = join(work, `${name}.html`);
  const r = spawnSync(process.execPath, [
    bin,
    'report',
    ...(exportPath ? [exportPath] : []),
    '-q',
    '-o',
    out,
    ...args,
  ]);
  expect(r.status, r.stderr?.toString()).toBeLessThanOrEqual(1);
  return out;
}

/** Opens a page from its file, recording console errors, page errors and every request made. */
async function open(file: string, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

interface SvgText {
  getBBox(): { x: number; width: number };
  ownerSVGElement: { viewBox: { baseVal: { width: number } } };
}

/** Every chart: its caption, the svg's title and description, and the rows of the table behind it. */
const charts = (page: Page) =>
  page.$$eval('figure.chart:not(.empty)', (figures) =>
    figures.map((f) => {
      const svg = f.querySelector('svg');
      const labelled = (svg?.getAttribute('aria-labelledby') ?? '').split(' ');
      return {
        caption: f.querySelector('figcaption')?.textContent ?? '',
        role: svg?.getAttribute('role'),
        labels: labelled.map((id: string) => f.ownerDocument.getElementById(id)?.textContent ?? ''),
        marks: svg?.querySelectorAll('rect').length ?? 0,
        rows: f.querySelectorAll('details table tbody tr').length,
      };
    }),
  );

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  work = mkdtempSync(join(tmpdir(), 'report-browser-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the report page in chromium', () => {
  it('on the shipped sample: no console error, no request but the file, every chart with data and words', async () => {
    // With --policy: the redaction section's charts are checked too.
    const file = report(undefined, 'shipped', '--policy', 'default');
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors, requests } = await open(file, scheme);
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      const found = await charts(page);
      expect(found.length).toBeGreaterThanOrEqual(14);
      expect(found.map((c) => c.caption)).toContain('Values changed per table');
      for (const chart of found) {
        expect(chart.role, chart.caption).toBe('img');
        expect(
          chart.labels.every((text: string) => text.trim().length > 0),
          chart.caption,
        ).toBe(true);
        expect(chart.marks, chart.caption).toBeGreaterThan(0);
        expect(chart.rows, chart.caption).toBeGreaterThan(0);
      }
      if (scheme === 'light') {
        // The README shows the hiring pipeline: the charts say more than the tables above them.
        const png = await page.locator('section', { hasText: 'Hiring pipeline' }).screenshot({
          ...(process.env.UPDATE_SCREENSHOT === '1' ? { path: screenshot } : {}),
        });
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(png.length).toBeGreaterThan(20_000);
      }
      await page.close();
    }
  });

  it('a project named with <script> and "><img onerror> shows as text and runs nothing', async () => {
    const dir = join(work, 'sample');
    await generateExport({ dir, seed: 4, candidates: 80, attachmentsMb: 1 });
    const ex = await openExport(dir);
    let name = '';
    await readTables(
      ex,
      ['projects'],
      { record: (_, r) => void (name ||= String(r.project_name)) },
      { threads: 1 },
    );
    await ex.close();
    const zip = await rewriteExport(dir, join(work, 'hostile'), (table, csv) =>
      table === 'projects' ? hostileProjects(csv, name) : csv,
    );
    const file = report(zip, 'hostile');
    expect(readFileSync(file, 'utf8')).not.toContain(name);
    const { page, errors, requests } = await open(file);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.$$eval('script, img, [onerror]', (found) => found.length)).toBe(0);
    expect(await page.evaluate('document.body.textContent')).toContain(XSS);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });

  it('labels of every counted column holding tags, comment and CDATA ends, NUL and bidi controls stay text', async () => {
    const dir = join(work, 'labels');
    await generateExport({ dir, seed: 5, candidates: 60, attachmentsMb: 1 });
    // No ';': sourcing_channels is a list. Under 100 characters: longer names are cut.
    const hostile =
      '</style><!--]]><script>__pwned=3</script>`\u0024{x}\'"&\u2028\u2029\u0000\u202Eevil<img src=x onerror=__pwned=4>';
    const labels: Partial<Record<string, string[]>> = {
      projects: ['project_name', 'state'],
      hiring_states: ['name', 'type'],
      interview_modules: ['name', 'state'],
      custom_field_values: ['entity_type'],
      candidates: ['sourcing_channels'],
      scorecards: ['overall_recommendation'],
    };
    const zip = await rewriteExport(dir, join(work, 'labels-zip'), (table, csv) => {
      const columns = labels[table];
      return columns ? setColumns(csv, columns, hostile) : csv;
    });
    for (const args of [[], ['--policy', 'default']]) {
      const file = report(zip, `labels${args.length}`, ...args);
      expect(readFileSync(file, 'utf8')).not.toContain('\u0000');
      const { page, errors, requests } = await open(file);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(await page.$$eval('script, img, [onerror]', (found) => found.length)).toBe(0);
      expect(await page.$$eval('style', (found) => found.length)).toBe(1);
      expect(await page.$$eval('main > section h2', (found) => found.length)).toBe(args.length ? 5 : 4);
      const text = String(await page.evaluate('document.body.textContent'));
      // Every label shown whole, in a data table at least, its NUL as U+FFFD.
      const shown = hostile.replace('\u0000', '\ufffd');
      for (const caption of ['Projects per state', 'Sourcing channels', 'Scorecard recommendations']) {
        const figure = await page.locator('figure', { hasText: caption }).first().textContent();
        expect(figure, caption).toContain(shown);
      }
      expect(text.split(shown).length - 1).toBeGreaterThanOrEqual(8);
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      await page.close();
    }
  });

  it('labels of a hundred characters: no page wider than the window, every table reachable by keyboard', async () => {
    const dir = handMade(
      join(work, 'long'),
      `rows['HiringStates'] = [[1, 'N' * 200, 'A'], [2, 'M' * 200, 'B']]
rows['Projects'][0][1] = '高级软件工程师招聘项目' * 9
rows['HiringStates'].append([3, 'W' * 40, 'C'])
rows['HiringStates'] += [[4, 'Ж' * 60, 'D'], [5, 'щ' * 60, 'E'], [6, 'ЮЖНЫЙ ФИЛИАЛ' * 5, 'F']]
rows['Candidate'] += [[103 + k, 11, 'A', 'B', '', '', '', '', 'applicant', 4 + k] for k in range(3)]
rows['Candidate'][0][9] = 3`,
    );
    const file = report(dir, 'long');
    for (const width of [1200, 400]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(pathToFileURL(file).href);
      await page.$$eval('details', (found) => {
        for (const d of found) d.setAttribute('open', '');
      });
      expect(await page.evaluate('document.documentElement.scrollWidth'), `${width}`).toBe(width);
      // Every label of a chart within it, its start seen.
      const outside = await page.$$eval('svg text', (texts) =>
        texts.flatMap((t) => {
          // SVG types are not in this package's libs: the text and its svg, as used here.
          const text = t as unknown as SvgText;
          const box = text.getBBox();
          const view = text.ownerSVGElement.viewBox.baseVal;
          return box.x < 0 || box.x + box.width > view.width ? [t.textContent] : [];
        }),
      );
      expect(outside).toEqual([]);
      // A label of the legend within its 150 units, short of the next one.
      const wide = await page.$$eval('svg text.small', (texts) =>
        texts.flatMap((t) => {
          const box = (t as unknown as SvgText).getBBox();
          return t.previousElementSibling?.tagName === 'rect' && box.width > 154 ? [t.textContent] : [];
        }),
      );
      expect(wide).toEqual([]);
      // A bar's label ends before its bar: right-aligned at 184, at most 180 units wide.
      const over = await page.$$eval('svg text[text-anchor=end]:not(.small)', (texts) =>
        texts.flatMap((t) => ((t as unknown as SvgText).getBBox().width > 182 ? [t.textContent] : [])),
      );
      expect(over).toEqual([]);
      // Each table in a group of its own, which scrolls sideways and takes the focus.
      const tables = await page.$$eval('table', (found) =>
        found.map((t) => {
          const region = t.parentElement!;
          const style = region.ownerDocument.defaultView!.getComputedStyle(region);
          return `${region.getAttribute('role')} ${region.tabIndex} ${style.overflowX} ${region.getAttribute('aria-label') !== ''}`;
        }),
      );
      expect(tables.length).toBeGreaterThan(10);
      expect(new Set(tables)).toEqual(new Set(['group 0 auto true']));
      const focused = new Set<string>();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        focused.add(
          String(
            await page.evaluate(
              "document.activeElement?.querySelector('table') ? document.activeElement.getAttribute('aria-label') : ''",
            ),
          ),
        );
      }
      expect(focused).toContain('table of table, rows, read, rejected, bytes, source');
      expect(focused).toContain('data of Candidate rows per hiring stage');
      await page.close();
    }
  });

  it("on a phone and on A4 paper, a chart's words are 9 px high at least, a chart wider than the page scrolls", async () => {
    const file = report(undefined, 'small');
    /** The smallest size a chart's words are drawn at, in px, of its labels and of its small words. */
    const smallest = (page: Page) =>
      page.$$eval('svg text', (texts) => {
        const least = { label: Number.POSITIVE_INFINITY, small: Number.POSITIVE_INFINITY };
        for (const t of texts) {
          // SVG types are not in this package's libs: the text's scale on the screen, as used here.
          const scale = (t as unknown as { getScreenCTM(): { a: number } }).getScreenCTM().a;
          const px = Number.parseFloat(t.ownerDocument.defaultView!.getComputedStyle(t).fontSize) * scale;
          const kind = t.classList.contains('small') ? 'small' : 'label';
          least[kind] = Math.min(least[kind], px);
        }
        return least;
      });
    // A phone, and the width of A4 paper less its margins.
    for (const [width, media] of [
      [390, 'screen'],
      [718, 'print'],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.emulateMedia({ media });
      await page.goto(pathToFileURL(file).href);
      const least = await smallest(page);
      expect(least.label, `${width} ${media}`).toBeGreaterThanOrEqual(9);
      expect(least.small, `${width} ${media}`).toBeGreaterThanOrEqual(7.5);
      expect(await page.evaluate('document.documentElement.scrollWidth'), media).toBe(width);
      if (media === 'screen') {
        // The chart scrolls in a group of its own that takes the focus, as a table does.
        const plot = page.locator('.plot').first();
        expect(await plot.evaluate((p) => p.scrollWidth > p.clientWidth)).toBe(true);
        expect(await plot.getAttribute('tabindex')).toBe('0');
        expect(await plot.getAttribute('aria-label')).toMatch(/^chart: /);
      }
      await page.close();
    }
  });

  it('printed from a dark screen: every word and bar as dark on the white paper as in light mode', async () => {
    const dir = handMade(join(work, 'print'), "for t in ('Notes', 'Messages'): del F[t]");
    const file = report(dir, 'print');
    const colours = async (scheme: 'light' | 'dark') => {
      const page = await browser.newPage({ colorScheme: scheme });
      await page.emulateMedia({ media: 'print', colorScheme: scheme });
      await page.goto(pathToFileURL(file).href);
      const found = await page.$$eval('.tag, .ok, rect, body', (els) =>
        els.map((e) => {
          const style = e.ownerDocument.defaultView!.getComputedStyle(e);
          return `${e.tagName} ${style.color} ${style.fill}`;
        }),
      );
      await page.close();
      return found;
    };
    const light = await colours('light');
    expect(light.length).toBeGreaterThan(10);
    expect(await colours('dark')).toEqual(light);
  });
});
