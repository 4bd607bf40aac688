// The redaction stage alone, on one thread: the messages rows of a generated export decoded once, then
// the default policy's transform over all of them, timed in CPU time (user+sys, steadier than wall time on
// a busy machine). Prints a digest of the output and its counts, so two versions of the stage can be compared byte for byte.
// Usage: node bench/redact-stage.mjs [--candidates 5000] [--messages-per-candidate 30] [--repeat 5]
//                                    [--table messages]
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, dataDir, root, timed } from './_lib.mjs';

const load = (pkg) => import(join(root, 'packages', pkg, 'dist', 'index.js'));
const candidates = Number(arg('candidates', '5000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const repeat = Number(arg('repeat', '5'));
const table = arg('table', 'messages');

const dir = join(dataDir, `redact-${candidates}-${perCandidate}`);
if (!existsSync(join(dir, 'export.csv'))) {
  rmSync(dir, { recursive: true, force: true });
  console.log(`generating ${dir} ...`);
  const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
  const args = [cli, 'sample', '--out', dir, '--seed', '7', '--quiet', '--candidates', String(candidates)];
  args.push('--messages-per-candidate', String(perCandidate), '--attachments-mb', '1');
  timed(process.execPath, args, { node: true });
}

const redact = await load('redact');
const { openExport } = await load('export');
const { readBatches } = await load('pipeline');

async function records(name) {
  const ex = await openExport(dir);
  const rows = [];
  try {
    const run = readBatches(ex, [name], { threads: 1 });
    for await (const batch of run) if (batch.kind === 'records') rows.push(...batch.records);
    await run.outcome;
  } finally {
    await ex.close();
  }
  return rows;
}

const work = mkdtempSync(join(tmpdir(), 'bench-redact-stage-'));
try {
  const builder = new redact.DictionaryBuilder();
  for (const r of await records('candidates')) builder.add('candidates', r);
  const dictionary = join(work, 'dictionary');
  await builder.write(dictionary);
  const rows = await records(table);
  const options = { policy: 'default', keyHex: 'ab'.repeat(32), dictionary };

  const cpu = [];
  let digest = '';
  for (let i = 0; i < repeat; i++) {
    // A fresh stage each run, so its caches start empty as a worker's do.
    const counters = redact.createCounters();
    const { transform } = redact.createStage({ ...options, counters });
    const hash = createHash('sha256');
    const start = process.cpuUsage();
    const out = rows.map((r) => transform(table, r));
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1e6);
    for (const r of out) hash.update(r === null ? 'null\n' : `${JSON.stringify(r)}\n`);
    hash.update(JSON.stringify(redact.readReport(counters, redact.loadPolicy('default'), 'given')));
    digest = hash.digest('hex').slice(0, 16);
  }
  const sorted = [...cpu].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${table}: ${rows.length} rows, ${builder.candidates} candidates; CPU s per run ${cpu.map((s) => s.toFixed(2)).join(' ')}; ` +
      `median ${median.toFixed(2)} s = ${((median / rows.length) * 1e6).toFixed(2)} us a row; output ${digest}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
