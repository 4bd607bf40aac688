// Charts as inline SVG, each with a title and a description for screen readers and the table of its data
// behind it. Colours come from CSS variables, so the page's light, dark and print styles apply.
import { count, esc, int, isolate, table, written } from './html.js';

export type Row = [label: string, value: number];

let ids = 0;
/** Chart ids are numbered per page so that the same input gives the same page. */
export function resetIds(): void {
  ids = 0;
}

const LABEL_W = 190;
const BAR_W = 420;
const ROW_H = 22;

/**
 * About how wide a character is drawn at the charts' 12px, in px, erring wide: Chinese, Japanese, Korean and
 * emoji are full width, capitals wider than small letters. A label cut to 28 characters whatever they were
 * ran 150 px past the left edge of the chart when it was Chinese or in capitals, its start unseen.
 */
function charWidth(c: string): number {
  const code = c.codePointAt(0)!;
  const full =
    code > 0xffff ||
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6);
  if (WIDEST.test(c)) return 13.5;
  if (full || c === 'W' || c === 'M' || c === 'm' || c === 'w' || c === '…' || c === '—') return 12.5;
  if (/[A-Z0-9#%&@]/.test(c)) return 9;
  // Capitals and small letters of other alphabets (Cyrillic, Greek, Armenian, Hebrew) are drawn wider than Latin ones.
  return /\p{Lu}/u.test(c) ? 10.5 : /[\u0370-\u05ff]/.test(c) ? 8.5 : 7;
}

/**
 * Letters drawn wider than a W (13 px at 12px): a name in Russian capitals (`ЖШЩЮ`) counted as small Latin
 * letters ran over its bars, and the chart's legend over the next name.
 */
const WIDEST = /[ЖШЩЮМЫЪФжшщюмыфωΩ]/;

/**
 * The label cut where it would be drawn wider than `px`, never inside a character: its start and, in two fifths
 * of the room, its end, "…" between them. Cut at the end, projects named alike in their first words
 * (`Senior Software Engineer, Berlin` and `…, Munich`) were bars of the same label.
 */
export function clip(text: string, px = LABEL_W - 10): string {
  const chars = [...text];
  let width = 0;
  for (const c of chars) width += charWidth(c);
  if (width <= px) return text;
  const room = px - charWidth('…');
  let tail = 0;
  let tailWidth = 0;
  const last = () => charWidth(chars[chars.length - 1 - tail]!);
  while (tail < chars.length && tailWidth + last() <= room * 0.4)
    tailWidth += charWidth(chars[chars.length - 1 - tail++]!);
  let head = 0;
  let headWidth = 0;
  while (head < chars.length - tail && headWidth + charWidth(chars[head]!) <= room - tailWidth)
    headWidth += charWidth(chars[head++]!);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/**
 * How small a chart is drawn at least, of its own size: its words are 12 units high, and a chart 700 units
 * wide drawn on a phone's 320 px had words of 5 px. Where the page is narrower, the chart scrolls sideways.
 */
const LEAST = 0.8;
const least = (width: number) => `min-width:${Math.round(width * LEAST)}px`;

/**
 * A chart, its note and its data table, whose summary is named after the chart: twenty read "Data table".
 * The chart is in a group that scrolls sideways and takes the keyboard's focus, as a table is.
 */
function figure(title: string, svg: string, data: string, note?: string): string {
  const id = `c${++ids}`;
  return `<figure class="chart"><figcaption id="${id}-t">${esc(title)}</figcaption>
<div class="plot" tabindex="0" role="group" aria-label="chart: ${esc(title)}"><svg role="img" aria-labelledby="${id}-t ${id}-d" ${svg.replace('<desc>', `<desc id="${id}-d">`)}</div>
${note ? `<p class="note">${esc(note)}</p>` : ''}<details><summary aria-label="Data table: ${esc(title)}">Data table</summary>${data}</details></figure>`;
}

/** Why a chart is empty, where its caller knows no better reason (a table missing, every row rejected). */
const NOTHING = 'Nothing to show: the export holds no such rows.';

const empty = (title: string, why: string) =>
  `<figure class="chart empty"><figcaption>${esc(title)}</figcaption><p class="note">${esc(why)}</p></figure>`;

/** Horizontal bars, largest first when `sort`; at most `max` rows, the rest summed as "other". */
export function bars(
  title: string,
  rows: Row[],
  options: {
    unit?: string;
    format?: (n: number) => string;
    sort?: boolean;
    max?: number;
    note?: string;
    /** Why there is nothing to show. */
    none?: string;
  } = {},
): string {
  const format = options.format ?? int;
  const all =
    options.sort === false ? rows : [...rows].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (all.length === 0 || all.every(([, v]) => v === 0)) return empty(title, options.none ?? NOTHING);
  const max = options.max ?? 15;
  // The rows past `max` are one bar, "other", unless it would be the longest: a sum of 1,971 stages drawn to
  // scale left the stages shown 1 px long. It is then said in a note.
  const sumOf = (some: Row[]) => some.reduce((s, [, v]) => s + v, 0);
  const first = all.slice(0, max - 1);
  const inOne = all.length > max && sumOf(all.slice(max - 1)) <= Math.max(...first.map(([, v]) => v));
  const shown: Row[] = inOne
    ? [...first, [`other (${int(all.length - first.length)})`, sumOf(all.slice(max - 1))]]
    : all.slice(0, max);
  const rest = inOne ? [] : all.slice(max);
  const leftOut = rest.length
    ? `${int(rest.length)} more, ${format(sumOf(rest))} in all, ${rest.length === 1 ? 'is' : 'are'} left out of this chart: see its data table.`
    : '';
  const note = [options.note, leftOut].filter(Boolean).join(' ') || undefined;
  const top = Math.max(...shown.map(([, v]) => v));
  const height = shown.length * ROW_H + 8;
  const body = shown
    .map(([label, value], i) => {
      const y = i * ROW_H + 4;
      // A count of 0 has no bar: a 1-pixel one said files of under 10 KB were there when none was.
      const w = value > 0 ? Math.max(1, Math.round((value / top) * BAR_W)) : 0;
      return `<text x="${LABEL_W - 6}" y="${y + 15}" text-anchor="end">${esc(clip(label))}</text><rect class="s0" x="${LABEL_W}" y="${y + 3}" width="${w}" height="${ROW_H - 6}"/><text x="${LABEL_W + w + 4}" y="${y + 15}">${esc(format(value))}</text>`;
    })
    .join('');
  const desc = `${count(shown.length, 'bar')}: ${shown
    .slice(0, 5)
    .map(([l, v]) => `${isolate(l)} ${format(v)}`)
    .join(', ')}${shown.length > 5 ? ', …' : ''}`;
  const svg = `viewBox="0 0 ${LABEL_W + BAR_W + 90} ${height}" width="100%" style="${least(LABEL_W + BAR_W + 90)}"><title>${esc(title)}</title><desc>${esc(desc)}</desc>${body}</svg>`;
  return figure(
    title,
    svg,
    table(
      ['', options.unit ?? 'count'],
      capped(all).map(([l, v]) => [l, format(v) === int(v) ? v : written(format(v))]),
      undefined,
      `data of ${title}`,
    ),
    note,
  );
}

/** The rows of a data table: at most `TABLE_ROWS`, the rest summed, so the page stays small. */
const TABLE_ROWS = 100;
function capped(rows: Row[]): Row[] {
  if (rows.length <= TABLE_ROWS) return rows;
  const rest = rows.slice(TABLE_ROWS - 1);
  return [...rows.slice(0, TABLE_ROWS - 1), [`other (${rest.length})`, rest.reduce((s, [, v]) => s + v, 0)]];
}

/** Vertical columns in the order given (periods of time: months, years). */
export function columns(
  title: string,
  rows: Row[],
  unit = 'month',
  note?: string,
  none = 'Nothing to show: no dated rows.',
): string {
  if (rows.length === 0) return empty(title, `${none} ${note ?? ''}`.trim());
  const w = Math.max(6, Math.min(24, Math.floor(600 / rows.length)));
  const plot = 160;
  const top = Math.max(...rows.map(([, v]) => v));
  // A chart of a month or two is as wide as some: drawn 84 units wide and let grow to 320 px, its labels
  // showed at 4x, a bar as tall as a screen.
  const width = Math.max(rows.length * w + 60, 240);
  const body = rows
    .map(([label, value], i) => {
      const h = value > 0 ? Math.max(1, Math.round((value / top) * plot)) : 0;
      const x = 40 + i * w;
      // A label (a month: `2024-05`) is about 46 units wide: label every few columns so they never overlap.
      const tick = i % Math.ceil(50 / w) === 0;
      return `<rect class="s0" x="${x + 1}" y="${10 + plot - h}" width="${w - 2}" height="${h}"><title>${esc(`${label}: ${int(value)}`)}</title></rect>${tick ? `<text x="${x + w / 2}" y="${plot + 26}" text-anchor="middle" class="small">${esc(label)}</text>` : ''}`;
    })
    .join('');
  const axis = `<text x="36" y="20" text-anchor="end" class="small">${int(top)}</text><text x="36" y="${plot + 10}" text-anchor="end" class="small">0</text><line class="axis" x1="40" x2="${width - 20}" y1="${plot + 10}" y2="${plot + 10}"/>`;
  const peak = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
  const desc =
    rows.length === 1
      ? `one column, ${unit} ${rows[0]![0]}: ${int(rows[0]![1])}`
      : `one column per ${unit}, ${int(rows.length)} from ${rows[0]![0]} to ${rows[rows.length - 1]![0]}; the most, ${int(peak[1])}, in ${peak[0]}`;
  const svg = `viewBox="0 0 ${width} ${plot + 36}" width="100%" style="max-width:${width * 1.4}px;${least(width)}"><title>${esc(title)}</title><desc>${esc(desc)}</desc>${axis}${body}</svg>`;
  return figure(title, svg, table([unit, 'count'], rows, undefined, `data of ${title}`), note);
}

/** One stacked bar per row; `series` names the parts, in order. */
export function stacked(
  title: string,
  series: string[],
  rows: { label: string; parts: number[] }[],
  note?: string,
  none = NOTHING,
): string {
  if (rows.length === 0) return empty(title, none);
  const total = (r: { parts: number[] }) => r.parts.reduce((s, v) => s + v, 0);
  const top = Math.max(...rows.map(total));
  const legendH = Math.ceil(series.length / 4) * 18 + 6;
  const body = rows
    .map((row, i) => {
      const y = legendH + i * ROW_H + 4;
      let x = LABEL_W;
      const parts = row.parts
        .map((v, k) => {
          const w = top > 0 ? (v / top) * BAR_W : 0;
          const rect =
            v > 0
              ? `<rect class="s${k % 8}" x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(0.5, w).toFixed(1)}" height="${ROW_H - 6}"><title>${esc(`${isolate(series[k]!)}: ${int(v)}`)}</title></rect>`
              : '';
          x += w;
          return rect;
        })
        .join('');
      return `<text x="${LABEL_W - 6}" y="${y + 15}" text-anchor="end">${esc(clip(row.label))}</text>${parts}<text x="${(x + 4).toFixed(1)}" y="${y + 15}">${int(total(row))}</text>`;
    })
    .join('');
  const legend = series
    .map((name, k) => {
      const x = 10 + (k % 4) * 170;
      const y = Math.floor(k / 4) * 18 + 4;
      return `<rect class="s${k % 8}" x="${x}" y="${y}" width="12" height="12"/><text x="${x + 16}" y="${y + 11}" class="small">${esc(clip(name, 150))}</text>`;
    })
    .join('');
  const desc = `${count(rows.length, 'bar')}, each split into ${count(series.length, 'part')} (${series.slice(0, 6).map(isolate).join(', ')}${series.length > 6 ? ', …' : ''})`;
  const svg = `viewBox="0 0 ${LABEL_W + BAR_W + 90} ${legendH + rows.length * ROW_H + 8}" width="100%" style="${least(LABEL_W + BAR_W + 90)}"><title>${esc(title)}</title><desc>${esc(desc)}</desc>${legend}${body}</svg>`;
  const data = table(
    ['', ...series, 'total'],
    rows.map((r) => [r.label, ...r.parts, total(r)]),
    undefined,
    `data of ${title}`,
  );
  return figure(title, svg, data, note);
}
