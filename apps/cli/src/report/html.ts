// Escaping and small building blocks of the page: every text that comes from an export goes through `esc`.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text as HTML text or attribute value: an export cannot open a tag, an attribute or a script. Control
 * characters (a NUL, say) are errors in HTML and made the file binary to tools: they show as U+FFFD.
 */
export const esc = (text: string | number): string =>
  String(text).replace(
    /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g,
    (c) => ENTITIES[c] ?? '\ufffd',
  );

/**
 * A label within a line of text (a tooltip, a description): isolated, so that its bidi controls (U+202E)
 * cannot turn the rest of the line, a count included, around.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/**
 * A message as one line of text: the bidi controls of a name in it (a part named `Attachment_1-2\u202egpj.zip`)
 * shown as U+FFFD, so they cannot turn the rest of the message around; a message cannot be isolated from itself.
 */
export const flat = (message: string): string => message.replace(/[\u202a-\u202e\u2066-\u2069]/g, '\ufffd');

/** At most `max` characters, "…" ending a cut text; never cut between the two halves of a character. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 2]!) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/**
 * At most `max` characters, its start and its end kept around "…", never cut between the two halves of a
 * character. Names cut to their first hundred characters were one where they differed past them (`… (Berlin)`
 * and `… (Munich)`): their rows were counted as one name's.
 */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = Math.ceil((max - 1) * 0.7);
  let tail = max - 1 - head;
  if (/[\ud800-\udbff]/.test(text[head - 1]!)) head -= 1;
  if (/[\udc00-\udfff]/.test(text[text.length - tail]!)) tail -= 1;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

export const int = (n: number): string => n.toLocaleString('en-US');

/** Names a list shows at most (see `listed`). */
const LISTED = 12;

/**
 * The first names of a list, each cut to `chars`, and how many more there are: a table a spreadsheet saved
 * with its used range has thousands of columns named by their place (`column11` to `column16384`).
 */
export function listed(names: readonly string[], chars: number): string {
  const shown = names.slice(0, LISTED).map((name) => shorten(name, chars));
  return `${shown.join(', ')}${names.length > LISTED ? ` and ${int(names.length - LISTED)} more` : ''}`;
}

/**
 * A count and its noun, singular for one: "1 row(s)", "The 1 smaller projects" and "1 have no row" read as
 * if the page did not know how many it counted. `many` is for nouns not made plural by an s.
 */
export const count = (n: number, one: string, many = `${one}s`): string =>
  `${int(n)} ${n === 1 ? one : many}`;

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * A number already written with its unit (`15 KB`): a table shows it as it shows a number, right-aligned and
 * whole on one line. As text, "15 KB" was cut in two lines on a phone, left-aligned under its column's head.
 */
export interface Written {
  written: string;
}
export const written = (text: string): Written => ({ written: text });

/** A cell: text, a number, a number written (`Written`), or `null` for a count not known (a dash). */
export type Cell = string | number | Written | null;

/**
 * A table with a header row; the first cell of a row heads it; cells are escaped, numbers right-aligned (`null`
 * a dash). It
 * is in a group of its own that scrolls sideways where it is wider than the page (a chart's data table with
 * a column per stage), and that takes the keyboard's focus, so it can be scrolled without a mouse. A group,
 * not a region: thirty landmarks would bury the page's own.
 */
export function table(
  head: string[],
  rows: Cell[][],
  caption?: string,
  name = caption ?? `table of ${head.filter(Boolean).join(', ')}`,
): string {
  // `null` is a count not known (of a table missing): a dash where the number would be.
  const td = (v: Cell) =>
    v === null
      ? '<td class="n">–</td>'
      : typeof v === 'number'
        ? `<td class="n">${int(v)}</td>`
        : typeof v === 'object'
          ? `<td class="n">${esc(v.written)}</td>`
          : `<td>${esc(v)}</td>`;
  // A row headed by a number (a rank) is as narrow as it: the room kept for a label was 25 characters wide.
  const th = (v: Cell) =>
    typeof v === 'number'
      ? `<th scope="row" class="n">${int(v)}</th>`
      : `<th scope="row">${esc(v === null ? '' : typeof v === 'object' ? v.written : v)}</th>`;
  const tr = (row: Cell[]) => `<tr>${th(row[0] ?? '')}${row.slice(1).map(td).join('')}</tr>`;
  const cols = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const cap = caption ? `<caption>${esc(caption)}</caption>` : '';
  return `<div class="scroll" tabindex="0" role="group" aria-label="${esc(name)}"><table>${cap}<thead><tr>${cols}</tr></thead><tbody>${rows.map(tr).join('')}</tbody></table></div>`;
}
