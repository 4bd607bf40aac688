// A table whose decoding stops part-way (a row over --max-record-mb): validate still reads its bytes to the
// end, so the entry's CRC-32 is checked, and says where the rows stopped and what was verified.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guideFile, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'validate-stopped-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A lone export.zip (stored) whose Messages.csv has a 1.5 MB row at line 3; `damage` flips a late byte. */
function exportZip(name: string, damage: boolean): string {
  const header = (table: (typeof TABLE_NAMES)[number]) => SCHEMAS[table].fields.map((f) => f.name).join(',');
  const body = 'words '.repeat(250_000);
  const tail = Array.from({ length: 50 }, (_, i) => `${i + 10},2,3,u,s,b,email\n`).join('');
  const messages = `${header('messages')}\n1,2,3,u,s,b,email\n2,2,3,u,s,${body},email\n${tail}`;
  const zip = rawZip(
    TABLE_NAMES.map((table) => ({
      name: `Contract_1/${guideFile(table)}`,
      data: table === 'messages' ? messages : `${header(table)}\n`,
    })),
  );
  if (damage) {
    // The last rows' bytes, after the row that stops decoding: the CRC-32 no longer matches.
    const at = zip.indexOf('49,2,3,u,s,b,email');
    zip[at] = 0x38;
  }
  const path = join(work, name);
  writeFileSync(path, zip);
  return path;
}

function validate(path: string) {
  const r = spawnSync(process.execPath, [bin, 'validate', path, '--max-record-mb', '1'], {
    encoding: 'utf8',
  });
  const json = spawnSync(process.execPath, [bin, 'validate', path, '--max-record-mb', '1', '--json', '-q'], {
    encoding: 'utf8',
  });
  return { summary: r.stdout, code: r.status, report: JSON.parse(json.stdout) };
}

describe('validate, a table that stops part-way', () => {
  it('reads the rest of its bytes, checks the CRC-32, and says where the rows stopped', () => {
    const { summary, code, report } = validate(exportZip('whole.zip', false));
    expect(code).toBe(3);
    const messages = report.tables.messages;
    expect(messages).toMatchObject({
      rows: 1,
      error: { code: 'CSV_RECORD_TOO_LARGE' },
      stopped: { line: 3, checked: true, crc: true },
    });
    // The whole table's bytes, not the bytes decoded before the stop.
    expect(messages.bytes).toBeGreaterThan(1_500_000);
    expect(summary).toMatch(
      /messages +1 rows {2}FAILED \(CSV_RECORD_TOO_LARGE\) at line 3: rows from there on not read, the bytes after it read to the end \(CRC-32 and size match\)/,
    );
    const problem = report.problems.find((p: { code: string }) => p.code === 'TABLE_UNREADABLE');
    expect(problem.message).toContain('Rows from line 3 on were not read');
    expect(problem.message).toContain('and its CRC-32 and size match');
    // Orphans would be told against a part of the table: none are, and the run says so.
    expect(report.references).toBeUndefined();
    expect(summary).toContain(
      'notice   REFERENCES_NOT_CHECKED: references between tables were not checked: they are checked only when all ten tables are read whole (messages not read to the end)',
    );
  });

  it('a damaged entry after the stop is found, not left unread', () => {
    const { summary, report } = validate(exportZip('damaged.zip', true));
    expect(report.tables.messages.stopped).toMatchObject({
      line: 3,
      checked: false,
      checkError: { code: 'ZIP_CRC_MISMATCH' },
    });
    expect(summary).toContain('the bytes after it unreadable (ZIP_CRC_MISMATCH)');
  });
});
