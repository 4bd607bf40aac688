// Times as other tools write them, through convert: digits past the millisecond kept to the microsecond in
// every format (one more made DuckDB read a whole NDJSON column as text), the cut said; year 0000 rejected
// with a code and a reason; the redacted export writing a kept time as the source wrote it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guideFile, SCHEMAS, TABLE_NAMES } from '@talent-export/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'times-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });

function exportZip(): string {
  const header = (table: (typeof TABLE_NAMES)[number]) => SCHEMAS[table].fields.map((f) => f.name).join(',');
  const modules =
    `${header('interview_modules')}\n` +
    // PostgreSQL's microseconds, .NET's ten-millionths, epoch milliseconds, and MySQL's zero date.
    '1,d,n,draft,2021-03-04 05:06:07.123456+00,2021-03-04T05:06:07.1234567Z\n' +
    '2,d,n,draft,1614834367000,1614834367123\n' +
    '3,d,n,draft,0000-00-00 00:00:00,\n' +
    '4,d,n,draft,0000-01-01 00:00:00,\n';
  const path = join(work, 'export.zip');
  writeFileSync(
    path,
    rawZip(
      TABLE_NAMES.map((table) => ({
        name: `Contract_1/${guideFile(table)}`,
        data: table === 'interview_modules' ? modules : `${header(table)}\n`,
      })),
    ),
  );
  return path;
}

describe('times through convert and redact', () => {
  const zip = exportZip();

  it('keeps digits past the millisecond to the microsecond and rejects year 0000, saying why', () => {
    const out = join(work, 'lake');
    const r = run([
      'convert',
      zip,
      '--out',
      out,
      '--to',
      'ndjson,csv',
      '--tables',
      'interview_modules',
      '-q',
    ]);
    expect(r.status).toBe(1);
    const rows = readFileSync(join(out, 'interview_modules.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.start_time, row.end_time])).toEqual([
      ['2021-03-04T05:06:07.123456Z', '2021-03-04T05:06:07.123456Z'],
      ['2021-03-04T05:06:07.000Z', '2021-03-04T05:06:07.123Z'],
    ]);
    expect(readFileSync(join(out, 'interview_modules.csv'), 'utf8')).toContain(
      '2021-03-04T05:06:07.123456Z,2021-03-04T05:06:07.123456Z',
    );
    const rejects = readFileSync(join(out, 'rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects.map((reject) => [reject.line, reject.code])).toEqual([
      [4, 'ROW_BAD_TIMESTAMP'],
      [5, 'ROW_BAD_TIMESTAMP'],
    ]);
    for (const reject of rejects) expect(reject.message).toContain('year 0000 is no year of a real record');
  });

  it('says how many times were cut past the microsecond, as a notice, whatever the format', () => {
    const notices = (format: string) => {
      const out = join(work, `lake-${format}`);
      const r = run(['convert', zip, '--out', out, '--to', format, '--tables', 'interview_modules', '-q']);
      expect(r.status).toBe(1);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      return (report.notices as { code: string; message: string }[]).filter((n) => n.code === 'TIMES_CUT');
    };
    // .123456 fits a microsecond; .1234567 does not.
    const cut = [
      expect.objectContaining({
        severity: 'notice',
        message: expect.stringMatching(/^interview_modules: 1 time\(s\) have digits past the microsecond/),
      }),
    ];
    expect(notices('parquet')).toEqual(cut);
    expect(notices('ndjson')).toEqual(cut);
  });

  it('a redacted export writes a kept time as the source wrote it, digits past the millisecond too', () => {
    const key = join(work, 'key');
    writeFileSync(key, 'k'.repeat(32));
    const out = join(work, 'redacted');
    const r = run(['redact', zip, '--out', out, '--key-file', key, '-q']);
    expect(r.status).toBe(1);
    const csv = execFileSync('unzip', ['-p', join(out, 'export.zip'), 'Contract_1/InterviewModule.csv'], {
      encoding: 'utf8',
    });
    expect(csv.split('\n').slice(1, 3)).toEqual([
      '1,d,n,draft,2021-03-04 05:06:07.123456+00,2021-03-04T05:06:07.1234567Z',
      '2,d,n,draft,1614834367000,1614834367123',
    ]);
  });
});
