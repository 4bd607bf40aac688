import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { arg, dataDir, mb, printTable, root, sampleExport, saveResults, timed, warm } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const candidates = Number(arg('candidates', '100000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const attachmentsMb = Number(arg('attachments-mb', '300'));
const scale = Number(arg('scale', '1'));
const repeat = Number(arg('repeat', '3'));
const threads = arg('threads', '');
const threadArgs = threads ? ['--threads', threads] : [];

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Each case `repeat` times, the cases taking turns in each round; ratios against the last case, round by round. */
function rounds(cases) {
  const names = Object.keys(cases);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < repeat; i++) for (const name of names) runs[name].push(cases[name]());
  const reference = runs[names.at(-1)];
  return Object.fromEntries(
    names.map((name) => {
      const r = runs[name];
      return [
        name,
        {
          seconds: middle(r.map((x) => x.seconds)),
          rss: Math.max(...r.map((x) => x.rss)),
          rssRuns: r.map((x) => x.rss),
          runs: r.map((x) => x.seconds),
          ratio: middle(r.map((x, i) => x.seconds / reference[i].seconds)),
        },
      ];
    }),
  );
}

const rows = [];
const results = {};
for (const factor of scale > 1 ? [1, scale] : [1]) {
  const { dir, csvDir } = sampleExport('join', candidates * factor, perCandidate, attachmentsMb * factor);
  const csvBytes = readdirSync(csvDir).reduce((s, f) => s + statSync(join(csvDir, f)).size, 0);
  const messagesBytes = statSync(join(csvDir, 'Messages.csv')).size;
  const out = join(dataDir, 'join-out');
  const duckOut = join(dataDir, 'join-duck.ndjson');
  warm([...readdirSync(csvDir).map((f) => join(csvDir, f)), join(dir, 'export.zip')]);
  const ours = (source) => () => {
    rmSync(out, { recursive: true, force: true });
    const args = [cli, 'join', source, '--out', out, '--quiet', ...threadArgs];
    return timed(process.execPath, args, { node: true, okCodes: [0, 1] });
  };
  const r = rounds({
    joinCsv: ours(csvDir),
    joinDownload: ours(dir),
    duckdb: () => {
      rmSync(duckOut, { force: true });
      rmSync(out, { recursive: true, force: true });
      try {
        return timed(process.execPath, [join(root, 'bench', '_duckdb-join.mjs'), csvDir, duckOut], {
          node: true,
        });
      } catch (error) {
        // Out of memory is a result too: it is reported, and ours still measured.
        console.log(`DuckDB failed: ${String(error.message).slice(-400)}`);
        return { seconds: Number.NaN, rss: Number.NaN, failed: true };
      } finally {
        rmSync(`${duckOut}.tmp`, { recursive: true, force: true });
      }
    },
  });
  rmSync(out, { recursive: true, force: true });
  rmSync(duckOut, { force: true });
  const label = factor === 1 ? '' : ` (x${factor})`;
  rows.push({
    name: `join, extracted CSVs${label}`,
    ours: r.joinCsv.seconds,
    reference: r.duckdb.seconds,
    ratio: r.joinCsv.ratio,
    rss: r.joinCsv.rss,
    target: `<2x DuckDB, <300 MB (DuckDB peak ${mb(r.duckdb.rss)})`,
  });
  rows.push({
    name: `  same, from the download (zip + attachment index)${label}`,
    ours: r.joinDownload.seconds,
    rss: r.joinDownload.rss,
    target: '(DuckDB reads no zip)',
  });
  results[`x${factor}`] = { dir, csvBytes, messagesBytes, repeat, threads: threads || 'default', ...r };
  console.log(`x${factor}: ${mb(csvBytes)} of CSV (messages ${mb(messagesBytes)})`);
}
printTable('talent-export join vs DuckDB (the same join in SQL)', rows);
if (scale > 1) {
  for (const [what, pick] of [
    ['highest', (x) => x.rss],
    ['median', (x) => middle(x.rssRuns)],
  ]) {
    const growth = (k) => `${((pick(results[`x${scale}`][k]) / pick(results.x1[k]) - 1) * 100).toFixed(1)}%`;
    console.log(
      `peak RSS growth at x${scale} (${what} of ${repeat}): join ${growth('joinCsv')} (extracted), ${growth('joinDownload')} (download), DuckDB ${growth('duckdb')} (target < 10% for ours)`,
    );
  }
}
saveResults('join', results);
