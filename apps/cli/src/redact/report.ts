// redaction.json and the terminal summary: counts, codes and column names only, never a value or the key.
import type { Problem } from '@talent-export/export';
import type { TablesOutcome } from '@talent-export/pipeline';
import type { RedactionReport } from '@talent-export/redact';
import type { LeakScanResult } from '../leaks.js';
import type { PartsWritten } from './attachments.js';

export interface RedactionJson {
  command: 'redact';
  exitCode: number;
  key: RedactionReport['key'];
  /** Per table: rows read, written, rejected (unreadable rows are not written) and dropped. */
  rows: Record<string, { read: number; written: number; rejected: number; dropped: number }>;
  tables: RedactionReport['tables'];
  detectors: RedactionReport['detectors'];
  known: RedactionReport['known'];
  attachments: RedactionReport['attachments'] & {
    foldersDropped: number;
    unknownDropped: number;
    files: number;
    parts: PartsWritten['parts'];
  };
  /** Problems found reading the source (codes only: a message may quote the export). */
  problems: { code: string; table?: string }[];
  notices: string[];
  /** With --verify: the output read back and searched for every personal value of the source. */
  verify?: Omit<LeakScanResult, 'valueBytes'>;
}

export function redactionJson(
  report: RedactionReport,
  outcome: TablesOutcome,
  parts: PartsWritten,
  problems: readonly Problem[],
  exitCode: number,
): RedactionJson {
  const rows: RedactionJson['rows'] = {};
  for (const [table, t] of Object.entries(outcome.tables)) {
    const dropped = t.dropped ?? 0;
    rows[table] = { read: t.rows, written: t.decoded - dropped, rejected: t.rejected, dropped };
  }
  return {
    command: 'redact',
    exitCode,
    key: report.key,
    rows,
    tables: report.tables,
    detectors: report.detectors,
    known: report.known,
    attachments: {
      ...report.attachments,
      foldersDropped: parts.counts.foldersDropped,
      unknownDropped: parts.counts.unknownDropped,
      files: parts.files,
      parts: parts.parts,
    },
    // Problem messages may quote what the export holds: only codes, tables and counts go here.
    problems: problems
      .filter((p) => p.severity === 'problem')
      .map((p) => ({ code: p.code, ...(p.table ? { table: p.table } : {}) })),
    notices: [...report.notices, ...problems.filter((p) => p.severity !== 'problem').map((p) => p.code)],
  };
}

export function printRedaction(
  json: RedactionJson,
  out: string,
  seconds: number,
  write: (text: string) => void,
  /** The largest part asked for (`--max-part-mb`), to tell the parts over it. */
  maxPartBytes = Number.POSITIVE_INFINITY,
  /**
   * The run's problems with their messages, for the terminal as every command prints them (which ids of
   * --drop-candidates were in no row, which references are orphans); redaction.json keeps codes only.
   */
  problems: readonly Problem[] = [],
): void {
  const lines: string[] = [];
  const n = (v: number) => v.toLocaleString('en-US');
  const written = Object.values(json.rows).reduce((n, r) => n + r.written, 0);
  const dropped = Object.entries(json.rows).filter(([, r]) => r.dropped > 0);
  const rejected = Object.entries(json.rows).filter(([, r]) => r.rejected > 0);
  const changed = Object.values(json.tables).reduce(
    (n, t) => n + Object.values(t.columns).reduce((m, c) => m + c.changed, 0),
    0,
  );
  lines.push(`rows      ${n(written)} written, ${n(changed)} values changed`);
  if (dropped.length > 0)
    lines.push(`dropped   ${dropped.map(([t, r]) => `${t} ${n(r.dropped)}`).join(', ')} (--drop-candidates)`);
  if (rejected.length > 0)
    lines.push(
      `rejected  ${rejected.map(([t, r]) => `${t} ${n(r.rejected)}`).join(', ')} (unreadable, not written)`,
    );
  const finds = Object.entries({ ...json.detectors, ...json.known }).filter(([, n]) => n > 0);
  lines.push(`scrubbed  ${finds.map(([d, v]) => `${d} ${n(v)}`).join(', ') || 'nothing found'}`);
  const a = json.attachments;
  const kinds = (['public', 'private', 'miscellaneous'] as const)
    .map((k) => `${k} ${n(a[k].kept)} kept / ${n(a[k].dropped)} dropped`)
    .join(', ');
  lines.push(`files     ${kinds}; ${n(a.files)} files in ${n(a.parts.length)} part(s)`);
  // A candidate's folder is never split: one larger than --max-part-mb makes a part larger than asked for,
  // which a system with a cap on uploads would refuse; said here, not found out there.
  const over = a.parts.filter((part) => part.bytes > maxPartBytes);
  if (over.length > 0)
    lines.push(
      `          ${n(over.length)} part(s) over the ${n(maxPartBytes / 1_000_000)} MB a part may hold (--max-part-mb; the largest ${(Math.max(...over.map((p) => p.bytes)) / 1_000_000).toFixed(1)} MB): each holds a candidate folder larger than that, and a folder is never split`,
    );
  // A kept resume holds its candidate's name, e-mail and phone: only its file name was scrubbed.
  if (a.public.kept + a.private.kept + a.miscellaneous.kept > 0)
    lines.push(
      "          kept files are copied as they are: what they hold (a resume names its candidate) is not redacted, only their names; verify-redaction searches them, but not the text inside a PDF's compressed streams, so a kept PDF is not proven clean",
    );
  // Files in no candidate's kind folder (a subfolder, a stray file) are in no kind's count: said here, else
  // a kept file would be missing from the copy without a word.
  if (a.unknownDropped > 0)
    lines.push(
      `left out  ${n(a.unknownDropped)} file(s) outside the Candidate_<id>/<Public|Private|Miscellaneous>/ folders (UNKNOWN_FILE): no candidate's attachment as the export is read`,
    );
  lines.push(
    `key       ${json.key}${json.key === 'random' ? ' (pseudonyms cannot be linked to another run)' : ''}`,
  );
  const found = problems.filter((p) => p.severity === 'problem');
  for (const p of found) lines.push(`problem  ${p.code}: ${p.message}`);
  const codes = new Map<string, number>();
  if (found.length === 0) for (const p of json.problems) codes.set(p.code, (codes.get(p.code) ?? 0) + 1);
  if (codes.size > 0) {
    const found = [...codes].map(([code, n]) => (n > 1 ? `${code} x${n}` : code)).join(', ');
    lines.push(`problems  ${found} (found reading the source)`);
  }
  lines.push(`wrote ${out} (counts in redaction.json) in ${seconds.toFixed(1)} s`);
  write(`${lines.join('\n')}\n`);
}
