// Rejected rows are bounded like records: a table of millions of rejected rows, or one broken quote that
// turns the rest of a table into rejects, must not hold every slice's rejects at once with worker threads.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let exportDir: string;
let notes: string;
let header: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-memory-'));
  const download = join(work, 'download');
  await generateExport({ dir: download, candidates: 50, attachmentsMb: 1 });
  exportDir = join(work, 'extracted');
  for (const file of readdirSync(download).filter((f) => f.endsWith('.zip')))
    execFileSync('unzip', ['-q', '-o', join(download, file), '-d', exportDir]);
  const contract = readdirSync(exportDir).find((f) => f.startsWith('Contract_'))!;
  notes = join(exportDir, contract, 'Notes.csv');
  header = readFileSync(notes, 'utf8').split('\n')[0]!;
  // The process's own peak RSS (VmHWM), written at exit.
  writeFileSync(
    join(work, 'rss.mjs'),
    `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.RSS_OUT, /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]));`,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function validate(threads: number) {
  const rssFile = join(work, `rss-${threads}`);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      join(work, 'rss.mjs'),
      bin,
      'validate',
      exportDir,
      '--json',
      '-q',
      '--threads',
      String(threads),
    ],
    { encoding: 'utf8', env: { ...process.env, RSS_OUT: rssFile }, maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(r.stdout) as { tables: { notes: unknown } };
  return { code: r.status, notes: report.tables.notes, mb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

describe('memory with a table of rejected rows', () => {
  it('1,000,000 two-byte rows, every one rejected: the same counts and bounded memory with 1, 2 and 4 threads', () => {
    writeFileSync(notes, `${header}\n${'a\n'.repeat(1_000_000)}`);
    const one = validate(1);
    expect(one.notes).toMatchObject({ rows: 1_000_000, rejected: 1_000_000 });
    for (const threads of [2, 4]) {
      const many = validate(threads);
      expect([many.code, many.notes]).toEqual([one.code, one.notes]);
      // Before rejects were bounded: 0.7 GB with 2 threads, more with 4 (150 MB with one).
      expect(many.mb).toBeLessThan(one.mb + 200);
    }
  });

  it('one broken quote early on turns the rest into rejects: bounded with 4 threads', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `n${i},p,c,"x\n`).join('');
    writeFileSync(notes, `${header}\n"unclosed,x\n${rows}`);
    const one = validate(1);
    const four = validate(4);
    expect([four.code, four.notes]).toEqual([one.code, one.notes]);
    expect(four.mb).toBeLessThan(one.mb + 150);
  });
});

describe('memory with a part of very long entry names', () => {
  it('validates a part of 2,100 names of 30,000 characters in a 32 MB heap: the checking thread sends them a few at a time', () => {
    // A zip name may be 65,535 bytes long. The thread that checks a part sent 1,024 names a batch, four
    // batches ahead: with such names, hundreds of megabytes in flight (and as much again once received).
    const folder = join(work, 'long-names');
    const id = '1'.padStart(10, '0');
    const entries = Array.from({ length: 2100 }, (_, i) => ({
      name: `Candidate_${id}/Public/${String(i).padStart(5, '0')}${'a'.repeat(30_000)}.pdf`,
      data: '%PDF',
    }));
    execFileSync('mkdir', ['-p', folder]);
    writeFileSync(join(folder, `Attachment_${id}-${id}.zip`), rawZip(entries));
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=32', bin, 'validate', folder, '--json', '-q'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.stderr).not.toMatch(/heap out of memory/);
    const report = JSON.parse(r.stdout) as { attachments: { files: number } };
    expect(report.attachments.files).toBe(2100);
  });
});
