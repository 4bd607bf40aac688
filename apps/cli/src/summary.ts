import { isAbsolute, relative } from 'node:path';
import type { Problem } from '@talent-export/export';
import type { TableResult } from '@talent-export/pipeline';
import type { Context } from './context.js';
import { listed } from './report/html.js';
import { NAME_CHARS } from './report/tally.js';

export interface SummaryInput {
  command: string;
  export: {
    path: string;
    layout: string;
    parts: readonly { file: string; bytes?: number; kind?: string }[];
    manifest: {
      file: string;
      files: readonly unknown[];
      totalFiles?: number | null;
      exportedFiles?: number | null;
      failedFiles?: number | null;
    } | null;
  };
  tables: Partial<Record<string, TableResult>>;
  attachments: {
    files: number;
    bytes: number;
    candidates: number;
    markers?: number;
    verified?: boolean;
    parts?: readonly PartLine[];
  };
  references?: readonly { check: string; rows: number }[];
  rejects?: readonly { table: string; line: number; code: string; message: string }[];
  problems: readonly Problem[];
  notices: readonly Problem[];
}

/** Rejected rows listed in the human summary; --json has more, convert's rejects.ndjson has all. */
const SHOWN_REJECTS = 5;

interface PartLine {
  file: string;
  files: number;
  markers: number;
  bytes: number;
  candidates: number;
  readable?: boolean;
}

const n = (v: number) => v.toLocaleString('en-US');

/** Paths below the working folder are shown relative to it, as the user typed them. */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
const stat = (v: number | null | undefined) => (typeof v === 'number' ? n(v) : '-');

/** Why there is no manifest: pointing at "the problems" when there are none sends the reader nowhere. */
function noManifest(report: SummaryInput): string {
  const said = [...report.problems, ...report.notices].find((p) => p.code.startsWith('MANIFEST'));
  if (said) return `export.csv: see the ${said.severity === 'problem' ? 'problems' : 'notices'} below`;
  return report.export.layout === 'export-zip'
    ? 'a lone export.zip comes without export.csv'
    : 'no export.csv';
}

/**
 * Where a table's decoding stopped and whether its bytes after that were still read through (a zip
 * entry's CRC-32 then checked), so a FAILED table does not read as wholly unchecked, nor as wholly read.
 */
function stoppedText(stopped: TableResult['stopped']): string {
  if (!stopped) return '';
  const at = stopped.line === undefined ? '' : ` at line ${n(stopped.line)}`;
  const rest = stopped.checked
    ? `the bytes after it read to the end${stopped.crc ? ' (CRC-32 and size match)' : ''}`
    : `the bytes after it unreadable (${stopped.checkError?.code ?? 'unknown'})`;
  return `${at}: rows from there on not read, ${rest}`;
}

/** The human summary: what was found, then problems and notices, one line each. */
export function printSummary(report: SummaryInput, { out }: Context, bytes: (v: number) => string): void {
  const lines: string[] = [];
  lines.push(`export   ${shortPath(report.export.path)} (${report.export.layout})`);
  lines.push(
    `parts    ${report.export.parts.length === 0 ? 'none' : report.export.parts.map((p) => p.file).join(', ')}`,
  );
  const m = report.export.manifest;
  lines.push(
    m
      ? `manifest ${m.file}: ${m.files.length} file(s) listed; Total Files ${stat(m.totalFiles)}, ` +
          `Exported files ${stat(m.exportedFiles)}, Failed files ${stat(m.failedFiles)}`
      : `manifest none (${noManifest(report)})`,
  );
  lines.push('tables');
  const width = Math.max(...Object.keys(report.tables).map((t) => t.length), 8);
  for (const [table, r] of Object.entries(report.tables)) {
    if (!r) continue;
    const rejected = r.rejected > 0 ? `  ${n(r.rejected)} rejected` : '';
    const failed = r.error ? `  FAILED (${r.error.code})${stoppedText(r.stopped)}` : '';
    // Never a whole table: the rows before export.zip's cut (EXPORT_ZIP_TRUNCATED).
    const cut = r.truncated ? '  CUT SHORT (rows before the cut only: EXPORT_ZIP_TRUNCATED)' : '';
    // A notice, as DESIGN.md has it: columns the schema does not know are read as text, never dropped.
    const extra = r.extraColumns?.length ? `  extra columns: ${listed(r.extraColumns, NAME_CHARS)}` : '';
    // Optional columns the file has no header for are read as null: said, so an empty column is not
    // taken for one that is missing.
    const missing = r.missingColumns?.length ? `  missing columns: ${r.missingColumns.join(', ')}` : '';
    // A repeated extra column is kept under a suffix, and a spreadsheet's empty columns ending the header
    // are read past: both said, so neither is taken for a column of the file as it was written.
    const renamed = r.renamedColumns?.length
      ? `  renamed (repeating an earlier column's header): ${listed(r.renamedColumns, NAME_CHARS)}`
      : '';
    const padding = r.paddingColumns
      ? `  ${n(r.paddingColumns)} empty column(s) ending the header read past`
      : '';
    lines.push(
      `  ${table.padEnd(width)}  ${n(r.rows).padStart(10)} rows${rejected}${failed}${cut}${extra}${renamed}${missing}${padding}`,
    );
  }
  const a = report.attachments;
  lines.push(
    `attachments  ${n(a.files)} files, ${bytes(a.bytes)}, ${n(a.candidates)} candidates with files` +
      (a.markers !== undefined ? `, ${n(a.markers)} empty.txt markers` : '') +
      (a.verified ? ', every byte verified' : '') +
      // Inspect reads no entry: what it did not check is said where the counts are.
      (report.command !== 'inspect' || report.export.parts.length === 0
        ? ''
        : report.export.parts.some((p) => p.kind === 'zip')
          ? ', as the zips list them (validate reads every byte, and finds files a zip holds unlisted)'
          : ', as listed (validate reads every byte)'),
  );
  for (const p of a.parts ?? []) {
    const state = p.readable === false ? '  UNREADABLE' : '';
    lines.push(
      `  ${p.file}  ${n(p.files)} files, ${n(p.markers)} markers, ${bytes(p.bytes)}, ${n(p.candidates)} candidate folders${state}`,
    );
  }
  if (report.references) {
    const orphans = report.references.filter((r) => r.rows > 0);
    lines.push(`references   ${report.references.length} checks, ${orphans.length} with orphans`);
  }
  for (const p of report.problems) lines.push(`problem  ${p.code}: ${p.message}`);
  for (const r of (report.rejects ?? []).slice(0, SHOWN_REJECTS)) {
    lines.push(`  rejected ${r.table} line ${r.line}: ${r.code}: ${r.message}`);
  }
  for (const p of report.notices) lines.push(`notice   ${p.code}: ${p.message}`);
  lines.push(
    report.problems.length === 0
      ? `${report.command}: no problems found`
      : `${report.command}: ${report.problems.length} problem(s) found`,
  );
  out(`${lines.map(printable).join('\n')}\n`);
}

/**
 * A line as the terminal shows it: control characters (ESC and the rest of C0 and C1) and bidi controls
 * as U+FFFD. File names come from the export: a part named `Attachment_1-2\x1b]0;…\x07\x1b[2J.zip`
 * retitled the terminal and cleared the screen when its name was printed.
 */
const printable = (line: string): string =>
  line.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
