// A record stage of talent-export's own (report's tally with --policy, convert's redaction) that cannot be
// loaded is a broken install: said so (exit 3, install again), not as a stage the user named wrong (exit 2).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let work: string;
let hook: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'own-stage-'));
  // Every stage module is not found, as in an install that lost its files.
  hook = join(work, 'no-stage.mjs');
  const resolver = `export async function resolve(s, c, next) { if (/stage\\.js$/.test(s)) throw Object.assign(new Error("Cannot find module '" + s + "'"), { code: 'ERR_MODULE_NOT_FOUND' }); return next(s, c); }`;
  writeFileSync(
    hook,
    `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(resolver)}));\n`,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

it.each([
  ['report', ['-o', 'page.html'], /dist\/report\/stage\.js/],
  ['convert', ['-o', 'lake'], /redact\/dist\/stage\.js/],
])(
  '%s --policy with its own stage missing says to install again (exit 3), not to give a path',
  (command, out, module) => {
    const r = spawnSync(
      process.execPath,
      [`--import=${hook}`, bin, command, ...out, '--policy', 'default', '-q'],
      { encoding: 'utf8', cwd: work },
    );
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(`^talent-export ${command}: ERR_MODULE_NOT_FOUND: Cannot find module '[^']*`),
    );
    expect(r.stderr).toMatch(module);
    expect(r.stderr).toMatch(/; else install talent-export again\n$/);
    expect(r.stderr).not.toContain('give a file path');
    expect(existsSync(join(work, out[1]!))).toBe(false);
  },
);
