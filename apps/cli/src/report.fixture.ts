// Exports for the report's tests, made from a generated one: its tables read back, edited, and written as a
// lone export.zip (stored entries, at the root).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { guideFile, TABLE_NAMES, type TableName } from '@talent-export/schema';
import type { ReportInput } from './report/page.js';
import { createTally } from './report/tally.js';
import { rawZip } from './test-zip.js';

export async function rewriteExport(
  from: string,
  to: string,
  edit: (table: TableName, csv: Buffer) => Buffer = (_, csv) => csv,
): Promise<string> {
  const ex = await openExport(from);
  const entries = [];
  try {
    for (const table of TABLE_NAMES) {
      const chunks: Buffer[] = [];
      for await (const chunk of await ex.openTable(table)) chunks.push(Buffer.from(chunk as Uint8Array));
      entries.push({ name: guideFile(table), data: edit(table, Buffer.concat(chunks)) });
    }
  } finally {
    await ex.close();
  }
  mkdirSync(to, { recursive: true });
  const zip = join(to, 'export.zip');
  writeFileSync(zip, rawZip(entries));
  return zip;
}

/** The header and every row but the header `times` over: the same counts, `times` larger. */
export function repeatRows(csv: Buffer, times: number): Buffer {
  const text = csv.toString('utf8');
  const end = text.indexOf('\n') + 1;
  const rows = text.slice(end).endsWith('\n') ? text.slice(end) : `${text.slice(end)}\n`;
  return Buffer.from(text.slice(0, end) + rows.repeat(times));
}

export const XSS = `<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">`;

/** Projects.csv with the first project's name replaced by `XSS` wherever the name is written. */
export function hostileProjects(csv: Buffer, name: string): Buffer {
  const quoted = `"${XSS.replaceAll('"', '""')}"`;
  const text = csv.toString('utf8');
  const asField = text.includes(`"${name.replaceAll('"', '""')}"`)
    ? text.replaceAll(`"${name.replaceAll('"', '""')}"`, quoted)
    : text.replaceAll(`,${name},`, `,${quoted},`);
  return Buffer.from(asField);
}

/**
 * The CSV with the `blank` columns emptied in every row (by Python's csv module), and one more row at the
 * end, a copy of the first, holding `late` in the first of them: filled in the last row only.
 */
export function blankColumns(csv: Buffer, blank: string[], late: string, times: number): Buffer {
  const script = `
import csv, io, sys, json
blank = json.loads(sys.argv[1])
rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))
header, body = rows[0], rows[1:]
cols = [header.index(b) for b in blank]
out = io.StringIO()
w = csv.writer(out, lineterminator='\\n')
w.writerow(header)
for r in body:
    for c in cols: r[c] = ''
    w.writerow(r)
extra = io.StringIO()
last = list(body[0])
last[cols[0]] = sys.argv[2]
csv.writer(extra, lineterminator='\\n').writerow(last)
sys.stdout.write(json.dumps([out.getvalue(), extra.getvalue()]))
`;
  const [table, extra] = JSON.parse(
    execFileSync('python3', ['-c', script, JSON.stringify(blank), late], { input: csv, encoding: 'utf8' }),
  ) as [string, string];
  return Buffer.concat([repeatRows(Buffer.from(table), times), Buffer.from(extra)]);
}

/** The CSV with the `columns` (those it has) set to `value` in every row, by Python's csv module. */
export function setColumns(csv: Buffer, columns: string[], value: string): Buffer {
  const script = `
import csv, io, sys, json
columns, value = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))
cols = [rows[0].index(c) for c in columns if c in rows[0]]
for r in rows[1:]:
    for c in cols: r[c] = value
out = io.StringIO()
csv.writer(out, lineterminator='\\n').writerows(rows)
sys.stdout.write(out.getvalue())
`;
  return execFileSync('python3', ['-c', script, JSON.stringify(columns), JSON.stringify(value)], {
    input: csv,
    maxBuffer: 1 << 30,
  });
}

/** What the page is made of for an export with nothing in it: tests set what they look at. */
export function pageInput(): ReportInput {
  return {
    version: '0',
    name: 'x',
    layout: 'download',
    deep: false,
    manifest: null,
    parts: [],
    attachments: {
      files: 0,
      markers: 0,
      bytes: 0,
      candidates: 0,
      candidateFolders: 0,
      byKind: { public: 0, private: 0, miscellaneous: 0 },
      unknownFiles: 0,
      parts: [],
      candidatesUnknown: [],
      candidatesUnknownCount: 0,
      candidatesWithoutAttachments: [],
      candidatesWithoutAttachmentsCount: 0,
    },
    tables: {},
    problems: [],
    notices: [],
    tally: createTally(),
  };
}
