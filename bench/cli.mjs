import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  arg,
  dataDir,
  mb,
  printTable,
  root,
  sampleExport,
  saveResults,
  settle,
  timed,
  warm,
} from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const candidates = Number(arg('candidates', '100000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const attachmentsMb = Number(arg('attachments-mb', '3000'));
const scale = Number(arg('scale', '1'));
const repeat = Number(arg('repeat', '3'));
const threads = arg('threads', '');
const threadArgs = threads ? ['--threads', threads] : [];

/** The median time of some runs, their highest peak RSS, and every time. */
function summary(runs) {
  const times = runs.map(secondsOf);
  const rssRuns = runs.some((r) => r.rss !== undefined) ? runs.map((r) => r.rss ?? 0) : undefined;
  return { seconds: middle(times), rss: rssRuns && Math.max(...rssRuns), rssRuns, runs: times };
}

/** A measure gives seconds, or `timed`'s { seconds, rss }. */
const secondsOf = (run) => run.seconds ?? run;

function middle(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs each case of `cases` (name -> measure) `repeat` times, the cases taking turns in each round; the
 * last case is the reference every other is compared with, round by round.
 */
async function rounds(cases) {
  const names = Object.keys(cases);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < repeat; i++) for (const name of names) runs[name].push(await cases[name]());
  const reference = runs[names.at(-1)].map(secondsOf);
  const result = {};
  for (const name of names) {
    const ratio = middle(runs[name].map((r, i) => secondsOf(r) / reference[i]));
    result[name] = { ...summary(runs[name]), ratio };
  }
  return result;
}

async function duckdbToJson(csvDir, outDir) {
  const { DuckDBInstance } = await import(
    join(root, 'apps', 'cli', 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')
  );
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  settle();
  const start = process.hrtime.bigint();
  for (const file of readdirSync(csvDir).filter((f) => f.endsWith('.csv'))) {
    const src = join(csvDir, file).replaceAll("'", "''");
    const dst = join(outDir, file.replace(/\.csv$/, '.json')).replaceAll("'", "''");
    await conn.run(`COPY (SELECT * FROM read_csv('${src}', header = true)) TO '${dst}' (FORMAT json)`);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const rows = [];
const results = {};
for (const factor of scale > 1 ? [1, scale] : [1]) {
  const { dir, csvDir } = sampleExport('cli', candidates * factor, perCandidate, attachmentsMb * factor);
  const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
  const zipBytes = zips.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
  const csvBytes = readdirSync(csvDir).reduce((s, f) => s + statSync(join(csvDir, f)).size, 0);
  const out = join(dataDir, 'cli-out');
  // DuckDB converts the ten tables; the attachment index is our extra, timed separately below.
  const tables =
    'candidates,custom_field_definitions,custom_field_values,feedbacks,hiring_states,interview_modules,messages,notes,projects,scorecards';
  const convertRun = (source, extra) => () => {
    rmSync(out, { recursive: true, force: true });
    const args = [cli, 'convert', source, '--out', out, '--to', 'ndjson', '--quiet', ...extra, ...threadArgs];
    return timed(process.execPath, args, { node: true, okCodes: [0, 1] });
  };
  // Every tool finds the tables in the page cache, not just the ones timed after the first read them.
  warm([...readdirSync(csvDir).map((f) => join(csvDir, f)), join(dir, 'export.zip')]);
  rmSync(out, { recursive: true, force: true });
  const duckOut = join(dataDir, 'cli-duck-out');
  const { convertCsv, convert, convertAll, duck } = await rounds({
    // The same files DuckDB reads: the extracted CSVs.
    convertCsv: convertRun(csvDir, []),
    // As downloaded: the tables inflated from export.zip on the way.
    convert: convertRun(dir, ['--tables', tables]),
    convertAll: convertRun(dir, []),
    duck: async () => {
      rmSync(out, { recursive: true, force: true });
      return duckdbToJson(csvDir, duckOut);
    },
  });
  rmSync(duckOut, { recursive: true, force: true });
  warm(zips.map((f) => join(dir, f)));
  const { validate, unzip } = await rounds({
    validate: () =>
      timed(process.execPath, [cli, 'validate', dir, '--quiet', '--json', ...threadArgs], {
        node: true,
        okCodes: [0, 1],
      }),
    unzip: () => zips.reduce((s, f) => s + timed('unzip', ['-tq', join(dir, f)]).seconds, 0),
  });
  const label = factor === 1 ? '' : ` (x${factor})`;
  rows.push({
    name: `convert ndjson, 10 tables, extracted CSVs${label}`,
    ours: convertCsv.seconds,
    reference: duck.seconds,
    ratio: convertCsv.ratio,
    rss: convertCsv.rss,
    target: '<2x DuckDB, <256 MB',
  });
  rows.push({
    name: `  same, from the download (zip)${label}`,
    ours: convert.seconds,
    reference: duck.seconds,
    ratio: convert.ratio,
    rss: convert.rss,
    target: '(DuckDB reads no zip)',
  });
  rows.push({
    name: `  + attachment index${label}`,
    ours: convertAll.seconds,
    reference: duck.seconds,
    ratio: convertAll.ratio,
    rss: convertAll.rss,
    target: '(DuckDB builds no index)',
  });
  rows.push({
    name: `validate${label}`,
    ours: validate.seconds,
    reference: unzip.seconds,
    ratio: validate.ratio,
    rss: validate.rss,
    target: '<1.5x unzip -tq, <256 MB',
  });
  results[`x${factor}`] = {
    convertCsv,
    convertAll,
    dir,
    csvBytes,
    zipBytes,
    convert,
    duckdb: duck,
    validate,
    unzip,
    repeat,
    threads: threads || 'default',
  };
  console.log(`x${factor}: ${mb(csvBytes)} of CSV, ${mb(zipBytes)} of zips`);
}
printTable('talent-export CLI vs DuckDB (convert) and Info-ZIP (validate)', rows);
if (results[`x${scale}`] && scale > 1) {
  // Highest peak of the runs at each size, then the median peak: one run's peak swings by ~5%.
  for (const [what, pick] of [
    ['highest', (r) => r.rss],
    ['median', (r) => middle(r.rssRuns)],
  ]) {
    const growth = (k) => `${((pick(results[`x${scale}`][k]) / pick(results.x1[k]) - 1) * 100).toFixed(1)}%`;
    console.log(
      `peak RSS growth at x${scale} (${what} of ${repeat}): convert ${growth('convertCsv')} (extracted), ${growth('convert')} (zip), ${growth('convertAll')} (+ index), validate ${growth('validate')} (target < 10%)`,
    );
  }
}
saveResults('cli', results);
