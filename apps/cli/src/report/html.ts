// Escaping and small building blocks of the page: every text that comes from an export goes through `esc`.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value: an export cannot open a tag, an attribute or a script. */
export const esc = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export const int = (n: number): string => n.toLocaleString('en-US');

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

/** A table with a header row; the first cell of a row heads it; cells are escaped, numbers right-aligned. */
export function table(head: string[], rows: (string | number)[][], caption?: string): string {
  const td = (v: string | number) =>
    typeof v === 'number' ? `<td class="n">${int(v)}</td>` : `<td>${esc(v)}</td>`;
  const tr = (row: (string | number)[]) =>
    `<tr><th scope="row">${esc(String(row[0] ?? ''))}</th>${row.slice(1).map(td).join('')}</tr>`;
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const cap = caption ? `<caption>${esc(caption)}</caption>` : '';
  return `<table>${cap}<thead><tr>${th}</tr></thead><tbody>${rows.map(tr).join('')}</tbody></table>`;
}
