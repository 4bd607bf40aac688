// The README's two blocks (a stage module and the code that uses it) run as written on a generated export.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { bigExport, dist, exportDist, messagesByPython } from './test-export.js';

it('runs the README example: a table read with threads and a record stage', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const [stage, usage] = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const dir = await bigExport();
  const work = dirname(dir);
  writeFileSync(join(work, 'redact-bodies.mjs'), stage!);
  writeFileSync(
    join(work, 'main.mjs'),
    usage!
      .replace("'@talent-export/export'", JSON.stringify(exportDist))
      .replace("'@talent-export/pipeline'", JSON.stringify(dist))
      .replace("'my-export'", JSON.stringify(dir)),
  );
  const printed = execFileSync(process.execPath, ['main.mjs'], { cwd: work, encoding: 'utf8' });
  const count = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(printed)?.[1]);
  const truth = messagesByPython(dir);
  expect(truth.rows).toBeGreaterThan(40_000);
  expect(truth.replies).toBeGreaterThan(1000);
  expect(count('rows')).toBe(truth.rows);
  expect(count('rejected')).toBe(0);
  expect(count('dropped')).toBe(truth.replies);
  expect(count('lines')).toBe(truth.rows - truth.replies);
});
