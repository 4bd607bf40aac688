import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

// A part holding a file its central directory does not list (a file "deleted" by rewriting the directory
// alone): inspect reads the directories only, validate every entry.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inspect-unlisted-'));
  const header =
    'candidate_id,project_id,first_name,last_name,emails,phone_numbers,tags,profile_url,sourcing_channels,hiring_state_id';
  writeFileSync(
    join(dir, 'export.zip'),
    rawZip([{ name: 'Candidate.csv', data: `${header}\n1,,,,,,,,,\n` }]),
  );
  writeFileSync(
    join(dir, 'Attachment_1-1.zip'),
    rawZip([
      { name: 'Candidate_1/Public/cv.pdf', data: '%PDF listed' },
      { name: 'Candidate_1/Public/hidden.pdf', data: '%PDF not listed', unlisted: true },
      { name: 'Candidate_1/Private/empty.txt' },
      { name: 'Candidate_1/Miscellaneous/empty.txt' },
    ]),
  );
  writeFileSync(
    join(dir, 'export.csv'),
    'Filename,Download Url\nexport.zip,https://x/1\nAttachment_1-1.zip,https://x/2\nStatistics,\nTotal Files,4\nExported files,4\nFailed files,0\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an attachment part holding a file its central directory does not list', () => {
  it('inspect says its counts are as the zips list them, and where to look when they fall short', () => {
    const r = run(['inspect', dir]);
    expect(r.stdout).toMatch(
      /^attachments {2}1 files, .*, as the zips list them \(validate reads every byte, and finds files a zip holds unlisted\)$/m,
    );
    expect(r.stdout).toMatch(
      /^problem {2}MANIFEST_TOTAL_FILES_DIFFER: .*: 1 missing \(counted as the zips' directories list them: validate reads every entry, and tells of files a zip holds without listing them\)$/m,
    );
    expect(r.stdout).not.toMatch(/ZIP_UNLISTED_ENTRY/);
  });

  it('validate finds it (ZIP_UNLISTED_ENTRY), its problems without the hint', () => {
    const r = run(['validate', dir]);
    expect(r.stdout).toMatch(/ZIP_UNLISTED_ENTRY: A local header at byte \d+, right after this entry/);
    expect(r.stdout).toMatch(/^problem {2}MANIFEST_TOTAL_FILES_DIFFER: .*: 1 missing$/m);
    expect(r.stdout).toMatch(/every byte verified$/m);
  });
});

describe('a part that cannot be read', () => {
  it('inspect gives its counts no hint about unlisted files: the part not counted is why', () => {
    const cut = join(dir, 'cut');
    mkdirSync(cut);
    for (const name of ['export.zip', 'export.csv'])
      writeFileSync(join(cut, name), readFileSync(join(dir, name)));
    writeFileSync(join(cut, 'Attachment_1-1.zip'), 'not a zip');
    const r = run(['inspect', cut]);
    expect(r.stdout).toMatch(
      /^problem {2}MANIFEST_TOTAL_FILES_DIFFER: .*not counted: Attachment_1-1\.zip .*: 4 missing$/m,
    );
  });
});

describe('a part with a refused entry', () => {
  it('inspect gives its counts no hint about unlisted files: the refusal is why', () => {
    const refused = join(dir, 'refused');
    mkdirSync(refused);
    for (const name of ['export.zip', 'export.csv'])
      writeFileSync(join(refused, name), readFileSync(join(dir, name)));
    writeFileSync(
      join(refused, 'Attachment_1-1.zip'),
      rawZip([
        { name: 'Candidate_1/Public/cv.pdf', data: '%PDF', method: 9 },
        { name: 'Candidate_1/Public/other.pdf', data: '%PDF' },
        { name: 'Candidate_1/Private/empty.txt' },
        { name: 'Candidate_1/Miscellaneous/empty.txt' },
      ]),
    );
    const r = run(['inspect', refused]);
    expect(r.stdout).toMatch(/^problem {2}ENTRY_REFUSED: /m);
    // The refused file is there: not one to download again.
    const counted =
      /^problem {2}MANIFEST_TOTAL_FILES_DIFFER: .*: 1 fewer, as 1 entr\(ies\) were refused \(ENTRY_REFUSED says why\), none missing beyond them$/m;
    expect(r.stdout).toMatch(counted);
    expect(r.stdout).not.toMatch(/missing\)?$/m);
    // validate checks the part on another thread, which hands back problems only: the same count.
    expect(run(['validate', refused]).stdout).toMatch(counted);
  });
});

describe('an extracted export (folders, no zip)', () => {
  it('inspect says its counts are as listed, not read', () => {
    const folder = join(dir, 'extracted');
    mkdirSync(join(folder, 'Candidate_1', 'Public'), { recursive: true });
    writeFileSync(join(folder, 'Candidate_1', 'Public', 'cv.pdf'), '%PDF');
    writeFileSync(join(folder, 'Candidate.csv'), 'candidate_id,first_name\n1,\n');
    const r = run(['inspect', folder]);
    expect(r.stdout).toMatch(/^attachments {2}1 files, .*, as listed \(validate reads every byte\)$/m);
  });
});
