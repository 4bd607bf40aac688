// Redaction cost: the messages table to NDJSON through the default policy's stage, against the same
// without a stage, and against DuckDB doing the column part alone (sha256 of ids and profile URLs,
// regexp_replace of e-mails, phones and LinkedIn URLs in subject and body, COPY to JSON) on the extracted
// Messages.csv. Then the dictionary's memory at --dictionary-candidates candidates: loaded once into shared
// memory and read by every thread.
// Usage: node bench/redact.mjs [--candidates 20000] [--messages-per-candidate 30] [--repeat 3] [--threads 2]
//                              [--dictionary-candidates 400000]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, dataDir, mb, printTable, root, saveResults, settle, timed, warm } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const candidates = Number(arg('candidates', '20000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const repeat = Number(arg('repeat', '3'));
const threads = arg('threads', '2');
const dictCandidates = Number(arg('dictionary-candidates', '400000'));
const runner = join(root, 'bench', '_redact-run.mjs');

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = join(dataDir, `redact-${candidates}-${perCandidate}`);
if (!existsSync(join(dir, 'export.csv'))) {
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.truth`, { recursive: true, force: true });
  console.log(`generating ${dir} ...`);
  const args = [cli, 'sample', '--out', dir, '--seed', '7', '--quiet', '--candidates', String(candidates)];
  args.push('--messages-per-candidate', String(perCandidate), '--attachments-mb', '1');
  timed(process.execPath, args, { node: true });
}
const csvDir = `${dir}.csv`;
if (!existsSync(csvDir)) {
  mkdirSync(csvDir, { recursive: true });
  spawnSync('unzip', ['-q', '-j', join(dir, 'export.zip'), '-d', csvDir], { stdio: 'inherit' });
}
const messagesCsv = join(
  csvDir,
  readdirSync(csvDir).find((f) => /^messages?\.csv$/i.test(f)),
);
warm([messagesCsv, join(dir, 'export.zip')]);
const work = mkdtempSync(join(tmpdir(), 'bench-redact-'));
const out = join(work, 'messages.ndjson');

async function duckdb() {
  const { DuckDBInstance } = await import(
    join(root, 'apps', 'cli', 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')
  );
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const scrub = (col) =>
    `regexp_replace(regexp_replace(regexp_replace(${col}, '[A-Za-z0-9._%+''-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+', '[EMAIL]', 'g'), '(https?://)?([a-z]+\\.)?linkedin\\.com/in/[^ ,;]+', '[URL]', 'g'), '\\+?\\(?[0-9][0-9 ().-]{5,}[0-9]', '[PHONE]', 'g') AS ${col}`;
  const sql = `COPY (SELECT message_id, sha256(project_id) AS project_id, sha256(candidate_id) AS candidate_id,
    sha256(sender_profile_url) AS sender_profile_url, ${scrub('subject')}, ${scrub('body')}, type
    FROM read_csv('${messagesCsv.replaceAll("'", "''")}', header = true, all_varchar = true))
    TO '${join(work, 'duck.json').replaceAll("'", "''")}' (FORMAT json)`;
  settle();
  const start = process.hrtime.bigint();
  // DuckDB's threads are this process's: its CPU time is this process's over the query.
  const cpuStart = process.cpuUsage();
  await conn.run(sql);
  const cpu = process.cpuUsage(cpuStart);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
}

const runs = { plain: [], redact: [], duck: [] };
for (let i = 0; i < repeat; i++) {
  runs.plain.push(timed(process.execPath, [runner, 'plain', dir, out, threads], { node: true }));
  runs.redact.push(timed(process.execPath, [runner, 'redact', dir, out, threads, work], { node: true }));
  runs.duck.push(await duckdb());
}
const secs = (k, m = 'seconds') => runs[k].map((r) => r[m]);
const ratio = (a, b, m = 'seconds') => middle(runs[a].map((r, i) => r[m] / runs[b][i][m]));
const peak = (k) => Math.max(...runs[k].map((r) => r.rss ?? 0));

const built = timed(process.execPath, [runner, 'dictionary', String(dictCandidates), work], { node: true });
const dictPath = join(work, 'dictionary.json');
const loaded = timed(process.execPath, [runner, 'load', dictPath, threads], { node: true });
const baseline = timed(process.execPath, [runner, 'noop', threads], { node: true });
const dictionary = {
  candidates: dictCandidates,
  fileBytes: statSync(dictPath).size,
  buildRss: built.rss,
  loadRss: loaded.rss,
  baselineRss: baseline.rss,
  /** Over a bare process with the same threads: the one shared copy and every thread's view of it. */
  runBytes: loaded.rss - baseline.rss,
};
rmSync(work, { recursive: true, force: true });

const csvMb = statSync(messagesCsv).size;
// Wall time, then CPU time (user+sys, every thread): steadier on a busy machine.
const row = (name, ours, reference, m, target = '') => ({
  name,
  ours: middle(secs(ours, m)),
  reference: middle(secs(reference, m)),
  ratio: ratio(ours, reference, m),
  rss: peak(ours),
  target,
});
for (const [m, what] of [
  ['seconds', 'wall s'],
  ['cpu', 'CPU s'],
]) {
  printTable(`redaction of Messages.csv (${mb(csvMb)}), ${threads} threads, median of ${repeat}, ${what}`, [
    row('redact (default policy) vs plain', 'redact', 'plain', m, '<2x'),
    row('redact vs DuckDB column part', 'redact', 'duck', m, '<2x'),
    row('plain (no stage) vs DuckDB', 'plain', 'duck', m),
  ]);
}
console.log(
  `dictionary of ${dictCandidates} candidates: file ${mb(dictionary.fileBytes)}, built with peak RSS ${mb(built.rss)}; loaded once and read by ${threads} worker threads: peak RSS ${mb(loaded.rss)} (+${mb(dictionary.runBytes)} over a bare process with the same threads)`,
);
saveResults('redact', { messagesCsvBytes: csvMb, threads, repeat, runs, dictionary });
