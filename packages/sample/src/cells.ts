/**
 * One generated cell: what is written to the CSV and what the schema decoder must make of it. Generators
 * build rows of cells; the CSV text and the ground-truth record are both derived from the same cells.
 */
export type Cell = string | number | boolean | null | Stamp | List;

export interface Stamp {
  readonly kind: 'stamp';
  readonly ms: number;
  /** `epoch`: milliseconds as digits; `text`: `yyyy-MM-dd HH:mm:ss` in UTC (whole seconds). */
  readonly style: 'epoch' | 'text';
}

export interface List {
  readonly kind: 'list';
  /** The cell exactly as written, e.g. `a;b` or ` a ; b ;;`. */
  readonly raw: string;
}

export function stamp(ms: number, style: 'epoch' | 'text'): Stamp {
  return { kind: 'stamp', ms: style === 'text' ? Math.floor(ms / 1000) * 1000 : ms, style };
}

export function list(items: readonly string[]): List {
  return { kind: 'list', raw: items.join(';') };
}

/** A list cell with odd spacing or separators, written as is. */
export function rawList(raw: string): List {
  return { kind: 'list', raw };
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (cell.kind === 'stamp') return cell.style === 'epoch' ? String(cell.ms) : formatTime(cell.ms);
  return cell.raw;
}

/** RFC 4180: quote a field holding a quote, comma or line break; double inner quotes. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly Cell[], eol: string): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvField(cellText(cells[i]!));
  }
  return line + eol;
}

export type TruthValue = string | number | boolean | null | string[];

/**
 * The typed value the schema decoder must produce: empty -> null, timestamps -> ISO 8601 UTC, lists split
 * on `;` with items trimmed and empty items dropped.
 */
export function truthValue(cell: Cell): TruthValue {
  if (cell === null || cell === '') return null;
  if (typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean') return cell;
  if (cell.kind === 'stamp') return new Date(cell.ms).toISOString();
  if (cell.raw === '') return null;
  return cell.raw
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
