// The README's usage block runs as written on a generated export.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateExport } from '@talent-export/sample';
import { expect, it, onTestFinished } from 'vitest';

it('runs the README example', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const usage = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
  const work = mkdtempSync(join(tmpdir(), 'join-readme-'));
  onTestFinished(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'my-export');
  await generateExport({ dir, candidates: 50, attachmentsMb: 1 });
  const resolve = createRequire(import.meta.url).resolve;
  writeFileSync(
    join(work, 'main.mjs'),
    usage
      .replace("'@talent-export/export'", JSON.stringify(resolve('@talent-export/export')))
      .replace(
        "'@talent-export/join'",
        JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url))),
      )
      .replace("'my-export'", JSON.stringify(dir)),
  );
  const printed = execFileSync(process.execPath, ['main.mjs'], { cwd: work, encoding: 'utf8' });
  expect(printed).toMatch(/documents: 50\b/);
  const docs = readFileSync(join(work, 'documents', 'candidates.ndjson'), 'utf8')
    .trim()
    .split('\n');
  expect(docs).toHaveLength(50);
  expect(readFileSync(join(work, 'documents', 'projects.ndjson'), 'utf8').length).toBeGreaterThan(0);
});
