import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'talent-export-elsewhere-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('an option of other commands, given to one that has none of it', () => {
  // join read every row strictly whatever --lenient-quotes said: the row it promised to keep was rejected.
  it('join refuses --lenient-quotes, which it cannot honour, and names the commands that can', () => {
    const out = join(work, 'documents');
    const r = run(['join', '--out', out, '--lenient-quotes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Unknown option '--lenient-quotes'; it is an option of inspect, validate, convert, redact, report, verify-redaction, not of join\n/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('report --json says which commands print JSON', () => {
    const r = run(['report', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Unknown option '--json'; it is an option of inspect, validate, verify-redaction/,
    );
  });

  it('a short option is named by its long name', () => {
    const r = run(['inspect', '-o', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Unknown option '-o'; it is --out \(-o\) of convert, extract, redact, join, bundle, report, sample, not of inspect\n/,
    );
  });

  it('--version after a command says where it goes', () => {
    for (const option of ['--version', '-v']) {
      const r = run(['inspect', option]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/; the version is printed by "talent-export --version", without a command\n/);
    }
  });

  it('an option no command has gets no such line', () => {
    const r = run(['inspect', '--nope']);
    expect(r.stderr).toMatch(/Unknown option '--nope'\n/);
  });
});
