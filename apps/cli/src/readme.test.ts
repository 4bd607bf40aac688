import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const cwd = mkdtempSync(join(tmpdir(), 'talent-export-readme-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Wall-clock figures are the only part of the output that may change between runs. */
const steady = (text: string) => text.replace(/ in \d+\.\d s$/gm, ' in N s').trimEnd();

interface Example {
  args: string[];
  output: string;
  code: number;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const block of readme.matchAll(/```console\n([\s\S]*?)```/g)) {
    const match = /^\$ talent-export (.+)\n([\s\S]*?)\(exit code (\d+)\)\s*$/.exec(block[1]!);
    if (!match) throw new Error(`README console block not in the expected form:\n${block[1]}`);
    found.push({ args: match[1]!.split(' '), output: match[2]!, code: Number(match[3]) });
  }
  return found;
}

it('README examples show the real output and exit code of each command', () => {
  const all = examples();
  expect(all.map((e) => e.args[0])).toEqual(['sample', 'inspect', 'validate', 'convert', 'report', 'redact']);
  for (const example of all) {
    const r = spawnSync(process.execPath, [bin, ...example.args], { cwd, encoding: 'utf8' });
    expect({ args: example.args, code: r.status, output: steady(r.stdout + r.stderr) }).toEqual({
      args: example.args,
      code: example.code,
      output: steady(example.output),
    });
  }
});
