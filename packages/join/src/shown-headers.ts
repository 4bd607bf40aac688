// Columns beyond the schema in documents and bundles. A spreadsheet's extra column may be headed by a
// person's name or e-mail, and every document carries its rows' extra columns as keys (every bundle the
// tables' headers too): each would then hold that person. Such a header is
// written by its place (`column 11`), as reports show it; a plausible column name stays as written.
import {
  columnKey,
  placeName,
  plausibleColumnName,
  SCHEMAS,
  shownColumn,
  type TableName,
} from '@talent-export/schema';
import { caseClashName, setOwn } from './clash.js';
import type { DocumentSink } from './documents.js';
import { TextSink } from './subject-parts.js';

/** The document's lists, by the table their members are rows of. */
const LISTS: Readonly<Record<string, TableName>> = {
  projects: 'candidates',
  custom_fields: 'custom_field_values',
  scorecards: 'scorecards',
  feedbacks: 'feedbacks',
  notes: 'notes',
  messages: 'messages',
};
/** What the join embeds in a row, by the table it comes from. */
const EMBEDDED: Readonly<Record<string, TableName>> = {
  project: 'projects',
  job_posts: 'projects',
  custom_fields: 'custom_field_values',
  interview_module: 'interview_modules',
  hiring_state: 'hiring_states',
};

export class ShownHeaders {
  /**
   * Per table: header as written -> as shown in documents, for the headers that are no plausible column name
   * and those named as a key the join adds, in another case (`caseClashName`).
   */
  private readonly renamed = new Map<TableName, Map<string, string>>();

  /** Whether any header is shown otherwise than written: documents are then renamed. */
  get renames(): boolean {
    return this.renamed.size > 0;
  }

  /** A table's header for its CSV, extra columns' cells as shown; noted for `document` (keys stay non-blank). */
  add(table: TableName, header: readonly string[]): string[] {
    const known = new Set(SCHEMAS[table].fields.map((field) => columnKey(field.name)));
    const renamed = new Map<string, string>();
    const shown = header.map((cell, index) => {
      if (known.has(columnKey(cell))) return cell;
      // The schema's name for a blank header cell (a comma ending every line): blank, as the source has it.
      if (placeName(cell, index)) return '';
      if (plausibleColumnName(cell)) {
        // Renamed in documents only: a CSV has no key of the join's beside it.
        const kept = caseClashName(table, header, cell);
        if (kept !== undefined) renamed.set(cell, kept);
        return cell;
      }
      const shown = shownColumn(cell, index);
      renamed.set(cell, shown);
      return shown;
    });
    if (renamed.size > 0) this.renamed.set(table, renamed);
    return shown;
  }

  /** A parsed document with every extra column's key as shown (rows keep their extra columns as keys). */
  document(doc: Record<string, unknown>): Record<string, unknown> {
    if (this.renamed.size === 0) return doc;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(doc))
      setOwn(out, key, Object.hasOwn(LISTS, key) ? this.rows(value, LISTS[key]!) : value);
    return out;
  }

  /**
   * Writes a member of a document's list as `document` would show it, for documents written a member at a
   * time (see big.ts): each member parsed, renamed and written again on its own.
   */
  memberWriter(out: DocumentSink): (list: string, write: (sink: DocumentSink) => void) => void {
    return (list, write) => {
      if (!Object.hasOwn(LISTS, list)) return write(out);
      const sink = new TextSink();
      write(sink);
      out.text(JSON.stringify(this.rows(JSON.parse(sink.toString()), LISTS[list]!)));
    };
  }

  /** A parsed row of `table` (or a list of them) with its extra columns' keys as shown, and what it embeds. */
  row(value: unknown, table: TableName): unknown {
    return this.renamed.size === 0 ? value : this.rows(value, table);
  }

  private rows(value: unknown, table: TableName): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.rows(item, table));
    const renamed = this.renamed.get(table);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      setOwn(
        out,
        renamed?.get(key) ?? key,
        Object.hasOwn(EMBEDDED, key) ? this.rows(item, EMBEDDED[key]!) : item,
      );
    return out;
  }
}
