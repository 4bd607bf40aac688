// JSON the CLI prints: characters that show nothing or reorder text are escaped, values unchanged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { jsonText } from './json.js';
import { rawZip } from './test-zip.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const HIDDEN = /[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

describe('jsonText', () => {
  it('escapes bidi controls, zero-width and other format characters, and reads back the same', () => {
    const value = { name: 'cv\u202efdp.exe', list: ['re\u200bsume', '\ufeffa\u0085b', 'tag\u{e0067}'], n: 1 };
    const text = jsonText(value);
    expect(text).not.toMatch(HIDDEN);
    expect(text).toContain('cv\\u202Efdp.exe');
    expect(text).toContain('tag\\uDB40\\uDC67');
    expect(JSON.parse(text)).toEqual(value);
    expect(jsonText({ a: 'Núñez 日本 سيرة' })).toBe(JSON.stringify({ a: 'Núñez 日本 سيرة' }, null, 2));
  });

  it('keeps a table folder named with a right-to-left override from turning `inspect --json` around', () => {
    const dir = mkdtempSync(join(tmpdir(), 'talent-export-json-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const zip = join(dir, 'export.zip');
    writeFileSync(
      zip,
      rawZip([{ name: 'Contract_85\u202e8344/Candidate.csv', data: 'candidate_id,first_name\r\n1,Ann\r\n' }]),
    );
    const r = spawnSync(process.execPath, [bin, 'inspect', zip, '--json', '--quiet'], { encoding: 'utf8' });
    expect(r.stdout).not.toMatch(HIDDEN);
    const report = JSON.parse(r.stdout);
    expect(report.tables.candidates.source).toBe('export.zip:Contract_85\u202e8344/Candidate.csv');
  });
});
