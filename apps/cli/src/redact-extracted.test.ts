// `talent-export redact` of an export whose zips were all unzipped into one folder (tables as CSV files,
// parts as folders) and deleted: the copy is an export of the download's shape, its attachments stored, that
// validate reads as the copy of the download and verify-redaction finds clean.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport } from '@talent-export/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZips, runCli, unzipTest, type ZipView } from './redact.fixture.js';

let work: string;

const run = (args: string[]) => runCli(work, args);

/** validate's report of `dir` without what names the folder or counts a zip's own bytes. */
function validate(dir: string): unknown {
  const text = run(['validate', dir, '--json', '-q']).stdout;
  return JSON.parse(text.replaceAll(join(work, dir), '<out>'), (key, value) =>
    key === 'bytes' || key === 'seconds' || key === 'elapsed' ? undefined : value,
  );
}

/** A part's files as `name -> crc and size`, whatever order they are in and however they are compressed. */
function files(view: ZipView): Record<string, [number, number]> {
  return Object.fromEntries(
    view.entries
      .map((e): [string, [number, number]] => [e.name, [e.crc, e.size]])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const ARGS = ['--key-file', 'key', '--policy', 'keep.yaml', '--max-part-mb', '1', '-q'];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-redact-extracted-'));
  const download = join(work, 'download');
  await generateExport({ dir: download, seed: 5, candidates: 60, attachmentsMb: 2, partMb: 1 });
  writeFileSync(join(work, 'key'), '5a'.repeat(32));
  const policy = run(['redact', '--print-policy'])
    .stdout.replace(/^ {2}public: drop$/m, '  public: keep')
    .replace(/^ {2}miscellaneous: drop$/m, '  miscellaneous: keep');
  writeFileSync(join(work, 'keep.yaml'), policy);
  // Every zip unzipped into one folder and deleted, as a user who unpacked the download has it.
  const unzipped = join(work, 'unzipped');
  mkdirSync(unzipped);
  copyFileSync(join(download, 'export.csv'), join(unzipped, 'export.csv'));
  for (const zip of readdirSync(download).filter((n) => n.endsWith('.zip')))
    execFileSync('unzip', ['-q', join(download, zip), '-d', unzipped]);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redact: an export unzipped into one folder, its zips deleted', () => {
  it('writes the copy the download gives: same export.csv and export.zip, the same files in its parts', () => {
    const fromDownload = run(['redact', 'download', '-o', 'from-download', ...ARGS]);
    const fromFolder = run(['redact', 'unzipped', '-o', 'from-folder', ...ARGS]);
    expect([fromFolder.status, fromFolder.stderr]).toEqual([fromDownload.status, '']);
    expect(readdirSync(join(work, 'from-folder'))).toEqual(readdirSync(join(work, 'from-download')));
    for (const name of ['export.csv', 'export.zip'])
      expect(readFileSync(join(work, 'from-folder', name))).toEqual(
        readFileSync(join(work, 'from-download', name)),
      );
    const [a, b] = [readZips(join(work, 'from-download')), readZips(join(work, 'from-folder'))];
    const parts = Object.keys(a).filter((n) => n.startsWith('Attachment_'));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(files(b[part]!)).toEqual(files(a[part]!));
    expect(unzipTest(join(work, 'from-folder'))).toBe(true);
    expect(validate('from-folder')).toEqual(validate('from-download'));
  });

  it('leaves nothing verify-redaction finds, in the tables or the kept files', () => {
    const r = run(['verify-redaction', 'unzipped', 'from-folder']);
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('no personal value found')]);
  });
  it('is refused with exit 3 when a file of a part cannot be read: the copy would lack it, so none is written', () => {
    const odd = join(work, 'odd');
    cpSync(join(work, 'unzipped'), odd, { recursive: true });
    const top = readdirSync(odd).find((n) => n.startsWith('Attachments_'))!;
    const candidate = readdirSync(join(odd, top)).find((n) => n.startsWith('Candidate_'))!;
    execFileSync('mkfifo', [join(odd, top, candidate, 'Private', 'offer.pdf')]);
    const r = run(['redact', 'odd', '-o', 'from-odd', ...ARGS]);
    expect([r.status, r.stderr]).toEqual([
      3,
      expect.stringContaining(
        `CLI_INCOMPLETE_INPUT: 1 attachment file(s) of the export could not be read (ENTRY_REFUSED: ${top}: ${candidate}/Private/[file name, 9 characters].pdf is left out: it is a named pipe (FIFO), not a regular file); a redacted copy would lack them, so none was written.`,
      ),
    ]);
    expect(readdirSync(work).filter((n) => n.includes('from-odd'))).toEqual([]);
  });
});
