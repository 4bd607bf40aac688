// End-to-end benchmark of the CLI on a large generated export, side by side with DuckDB and Info-ZIP:
//   convert --to ndjson (all tables)  vs  DuckDB read_csv -> COPY ... (FORMAT json) on the extracted CSVs
//   validate                          vs  unzip -tq over every zip
// Usage: node bench/cli.mjs [--candidates 100000] [--messages-per-candidate 30] [--attachments-mb 3000] [--scale 4]
// --scale N also measures an export N times larger, to show peak RSS does not grow with input size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { arg, dataDir, mb, printTable, root, saveResults, timed } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const candidates = Number(arg('candidates', '100000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const attachmentsMb = Number(arg('attachments-mb', '3000'));
const scale = Number(arg('scale', '1'));

function makeExport(factor) {
  const dir = join(dataDir, `cli-${candidates * factor}-${perCandidate}-${attachmentsMb * factor}`);
  if (!existsSync(join(dir, 'export.csv'))) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.truth`, { recursive: true, force: true });
    console.log(`generating ${dir} ...`);
    const args = ['sample', '--out', dir, '--seed', '7', '--quiet'];
    args.push('--candidates', String(candidates * factor), '--messages-per-candidate', String(perCandidate));
    args.push('--attachments-mb', String(attachmentsMb * factor));
    const r = timed(process.execPath, [cli, ...args], { node: true });
    console.log(`generated in ${r.seconds.toFixed(0)} s, peak RSS ${mb(r.rss)}`);
  }
  const csvDir = `${dir}.csv`;
  if (!existsSync(csvDir)) {
    mkdirSync(csvDir, { recursive: true });
    spawnSync('unzip', ['-q', '-j', join(dir, 'export.zip'), '-d', csvDir], { stdio: 'inherit' });
  }
  return { dir, csvDir };
}

async function duckdbToJson(csvDir, outDir) {
  const { DuckDBInstance } = await import(
    join(root, 'apps', 'cli', 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js')
  );
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
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
  const { dir, csvDir } = makeExport(factor);
  const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
  const zipBytes = zips.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
  const csvBytes = readdirSync(csvDir).reduce((s, f) => s + statSync(join(csvDir, f)).size, 0);
  const out = join(dataDir, 'cli-out');
  rmSync(out, { recursive: true, force: true });
  // DuckDB converts the ten tables; the attachment index is our extra, timed separately below.
  const tables =
    'candidates,custom_field_definitions,custom_field_values,feedbacks,hiring_states,interview_modules,messages,notes,projects,scorecards';
  const convert = timed(
    process.execPath,
    [cli, 'convert', dir, '--out', out, '--to', 'ndjson', '--tables', tables, '--quiet'],
    {
      node: true,
      okCodes: [0, 1],
    },
  );
  rmSync(out, { recursive: true, force: true });
  const convertAll = timed(
    process.execPath,
    [cli, 'convert', dir, '--out', out, '--to', 'ndjson', '--quiet'],
    {
      node: true,
      okCodes: [0, 1],
    },
  );
  const duck = await duckdbToJson(csvDir, join(dataDir, 'cli-duck-out'));
  const validate = timed(process.execPath, [cli, 'validate', dir, '--quiet', '--json'], {
    node: true,
    okCodes: [0, 1],
  });
  const unzip = zips.reduce((s, f) => s + timed('unzip', ['-tq', join(dir, f)]).seconds, 0);
  const label = factor === 1 ? '' : ` (x${factor})`;
  rows.push({
    name: `convert ndjson, 10 tables${label}`,
    ours: convert.seconds,
    reference: duck,
    rss: convert.rss,
    target: '<2x DuckDB, <256 MB',
  });
  rows.push({
    name: `  + attachment index${label}`,
    ours: convertAll.seconds,
    reference: duck,
    rss: convertAll.rss,
    target: '(DuckDB builds no index)',
  });
  rows.push({
    name: `validate${label}`,
    ours: validate.seconds,
    reference: unzip,
    rss: validate.rss,
    target: '<1.5x unzip -tq, <256 MB',
  });
  results[`x${factor}`] = {
    convertAll,
    dir,
    csvBytes,
    zipBytes,
    convert,
    duckdbSeconds: duck,
    validate,
    unzipSeconds: unzip,
  };
  console.log(`x${factor}: ${mb(csvBytes)} of CSV, ${mb(zipBytes)} of zips`);
}
printTable('talent-export CLI vs DuckDB (convert) and Info-ZIP (validate)', rows);
if (results[`x${scale}`] && scale > 1) {
  const growth = (k) => results[`x${scale}`][k].rss / results.x1[k].rss - 1;
  console.log(
    `peak RSS growth at x${scale}: convert ${(growth('convert') * 100).toFixed(1)}%, validate ${(growth('validate') * 100).toFixed(1)}% (target < 10%)`,
  );
}
saveResults('cli', results);
