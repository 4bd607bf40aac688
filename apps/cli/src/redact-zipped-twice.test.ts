// `talent-export redact` of a zip of the whole export unzipped twice and zipped again (`export/` beside
// `export (1)/`): the copy's attachments are read once, as the index reads them, so the redacted parts
// hold each file once and validate counts what the source's index counts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './redact.fixture.js';

let work: string;

const run = (args: string[]) => runCli(work, args);

/** Files (not folders, not empty.txt markers) in the attachment parts of an export folder. */
function attachmentFiles(dir: string): number {
  let files = 0;
  for (const part of readdirSync(dir).filter((f) => /^attachments?.*\.zip$/i.test(f))) {
    const names = execFileSync('unzip', ['-Z1', join(dir, part)], { encoding: 'utf8' }).split('\n');
    files += names.filter((n) => n !== '' && !n.endsWith('/') && !/empty\.txt$/i.test(n)).length;
  }
  return files;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-twice-'));
  const source = join(work, 'source');
  const args = [
    'sample',
    '--out',
    source,
    '--candidates',
    '12',
    '--attachments-mb',
    '1',
    '--seed',
    '3',
    '-q',
  ];
  expect(run(args).status).toBe(0);
  const unpacked = join(work, 'unpacked');
  for (const folder of ['export', 'export (1)']) {
    mkdirSync(join(unpacked, folder), { recursive: true });
    for (const zip of readdirSync(source).filter((f) => f.endsWith('.zip')))
      execFileSync('unzip', ['-q', join(source, zip), '-d', join(unpacked, folder)]);
    copyFileSync(join(source, 'export.csv'), join(unpacked, folder, 'export.csv'));
  }
  execFileSync('zip', ['-q', '-r', join(work, 'talent hub.zip'), '.'], { cwd: unpacked });
  writeFileSync(join(work, 'key'), 'ef'.repeat(32));
  // Files kept, copied as stored: a copy read too is a file written twice.
  writeFileSync(
    join(work, 'keep.yaml'),
    'version: 1\nattachments: { public: keep, private: keep, miscellaneous: keep }\n',
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: a zip of the export unzipped twice', () => {
  it('writes each attachment once, as many as the source has', () => {
    const args = [
      'redact',
      'talent hub.zip',
      '-o',
      'out',
      '--key-file',
      'key',
      '--policy',
      'keep.yaml',
      '-q',
    ];
    const redacted = run(args);
    expect(redacted.status, redacted.stderr).toBeLessThanOrEqual(1);
    const expected = attachmentFiles(join(work, 'source'));
    expect(expected).toBeGreaterThan(0);
    expect(attachmentFiles(join(work, 'out'))).toBe(expected);
    const validated = JSON.parse(run(['validate', 'out', '--json', '-q']).stdout) as {
      attachments: { files: number };
    };
    expect(validated.attachments.files).toBe(expected);
  });
});
