// The README's usage block runs as written on a generated export, and its policy block loads.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it, onTestFinished } from 'vitest';
import { loadPolicy } from './policy.js';
import { fixture, redactDist } from './test-export.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const require = createRequire(import.meta.url);

it('runs the README example: a dictionary, then tables through the stage, then the counts', async () => {
  const f = await fixture(200);
  const usage = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
  mkdirSync(join(f.work, 'work'), { recursive: true });
  writeFileSync(join(f.work, 'secret.key'), 'cd'.repeat(32));
  writeFileSync(
    join(f.work, 'main.mjs'),
    usage
      .replace("'@talent-export/export'", JSON.stringify(require.resolve('@talent-export/export')))
      .replace("'@talent-export/pipeline'", JSON.stringify(require.resolve('@talent-export/pipeline')))
      .replace("'@talent-export/redact'", JSON.stringify(redactDist))
      .replace("'my-export'", JSON.stringify(f.dir)),
  );
  const printed = execFileSync(process.execPath, ['main.mjs'], { cwd: f.work, encoding: 'utf8' });
  const number = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(printed)?.[1]);
  expect(number('rows')).toBe(200 * 6 + 2);
  expect(number('bytes')).toBeGreaterThan(100_000);
  expect(printed).toMatch(/operator: 'scrub', changed: [1-9]/);
  expect(number('emails')).toBeGreaterThan(0);
});

it('the README policy block is a valid policy', () => {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  const policy = loadPolicy(yaml);
  expect(policy.extraColumns.candidates).toEqual({ nickname: { op: 'keep' } });
  expect(policy.tables.interview_modules.start_time).toEqual({ op: 'shift', days: 30 });
});

it('runs the README leak scan example and prints what its comment says', () => {
  const block = /## Leak scan[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)![1]!;
  const expected = /\/\/ (\d+ \[.*)$/m.exec(block)![1]!;
  const dir = mkdtempSync(join(tmpdir(), 'redact-readme-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'leak.mjs'), block.replace("'@talent-export/redact'", JSON.stringify(redactDist)));
  const printed = execFileSync(process.execPath, ['leak.mjs'], { cwd: dir, encoding: 'utf8' });
  expect(printed.replace(/\s+/g, ' ').trim()).toBe(expected);
});
