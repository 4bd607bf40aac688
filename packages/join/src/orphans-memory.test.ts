// Rows that resolve nowhere are written as fast as they are read: a table of them must not queue in memory.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it, onTestFinished } from 'vitest';

it('200,000 messages of no candidate join within a 24 MB heap, every one in orphans.ndjson', () => {
  const work = mkdtempSync(join(tmpdir(), 'join-orphans-'));
  onTestFinished(() => rmSync(work, { recursive: true, force: true }));
  const dir = join(work, 'extracted');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Candidate.csv'), 'candidate_id,first_name\n1,Ana\n');
  const rows = Array.from({ length: 200_000 }, (_, i) => `${i},p,,,,,\n`).join('');
  writeFileSync(
    join(dir, 'Messages.csv'),
    `message_id,project_id,candidate_id,sender_profile_url,subject,body,type\n${rows}`,
  );
  const resolve = createRequire(import.meta.url).resolve;
  const main = `import { openExport } from ${JSON.stringify(resolve('@talent-export/export'))};
import { joinExport } from ${JSON.stringify(fileURLToPath(new URL('../dist/index.js', import.meta.url)))};
const ex = await openExport(${JSON.stringify(dir)});
const result = await joinExport(ex, { out: ${JSON.stringify(join(work, 'out'))}, threads: 2 });
await ex.close();
console.log(result.orphans.rows);`;
  writeFileSync(join(work, 'main.mjs'), main);
  // Queued unwaited, each orphan's line and the promises of its write took ~500 bytes of heap (OOM here).
  const run = spawnSync(process.execPath, ['--max-old-space-size=24', 'main.mjs'], {
    cwd: work,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('200000');
});
