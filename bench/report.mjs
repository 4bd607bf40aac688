// The report command on a large generated export, side by side with the commands it must keep up with:
//   report          vs  inspect (which decodes every row of every table once, in parallel)
//   report --deep   vs  validate (every row, references, every attachment byte)
// and the page's size. Usage: node bench/report.mjs [--candidates 100000] [--messages-per-candidate 30]
//   [--attachments-mb 3000] [--repeat 3] [--threads N] [--scale N (also an export N times larger)]
//   [--export DIR (an existing export instead)]
// Cases take turns in each round; the median time, the highest peak RSS and the median ratio are reported.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { arg, dataDir, mb, printTable, root, sampleExport, saveResults, timed, warm } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const candidates = Number(arg('candidates', '100000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const attachmentsMb = Number(arg('attachments-mb', '3000'));
const repeat = Number(arg('repeat', '3'));
const threads = arg('threads', '');
const threadArgs = threads ? ['--threads', threads] : [];

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The same exports bench/cli.mjs makes, so the two share them; --scale N also measures one N times larger.
const page = join(dataDir, 'report-bench.html');

function measure(dir) {
  const run =
    (command, extra = []) =>
    () =>
      timed(process.execPath, [cli, command, dir, '--quiet', ...extra, ...threadArgs], {
        node: true,
        okCodes: [0, 1],
      });
  const cases = {
    report: run('report', ['--out', page]),
    inspect: run('inspect', ['--json']),
    reportDeep: run('report', ['--deep', '--out', page]),
    validate: run('validate', ['--json']),
  };
  warm(
    readdirSync(dir)
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile()),
  );
  const runs = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < repeat; i++)
    for (const [name, measure] of Object.entries(cases)) runs[name].push(measure());
  const summary = (name, reference) => ({
    seconds: middle(runs[name].map((r) => r.seconds)),
    rss: Math.max(...runs[name].map((r) => r.rss)),
    ratio: reference ? middle(runs[name].map((r, i) => r.seconds / runs[reference][i].seconds)) : undefined,
    // CPU time (all threads) moves far less than wall time on a machine shared with other work.
    cpu: middle(runs[name].map((r) => r.cpu)),
    runs: runs[name].map((r) => r.seconds),
  });
  return {
    report: summary('report', 'inspect'),
    inspect: summary('inspect'),
    reportDeep: summary('reportDeep', 'validate'),
    validate: summary('validate'),
    pageBytes: statSync(page).size,
    dir,
  };
}

const given = arg('export', '');
const scale = Number(arg('scale', '1'));
const results = { repeat, threads: threads || 'default' };
for (const factor of given ? [1] : scale > 1 ? [1, scale] : [1]) {
  const r = measure(
    given || sampleExport('cli', candidates * factor, perCandidate, attachmentsMb * factor).dir,
  );
  results[`x${factor}`] = r;
  printTable(`talent-export report vs inspect and validate (x${factor}: ${r.dir})`, [
    {
      name: 'report',
      ours: r.report.seconds,
      reference: r.inspect.seconds,
      ratio: r.report.ratio,
      rss: r.report.rss,
      target: '<1.2x inspect, <256 MB',
    },
    {
      name: 'report --deep',
      ours: r.reportDeep.seconds,
      reference: r.validate.seconds,
      ratio: r.reportDeep.ratio,
      rss: r.reportDeep.rss,
      target: '<1.2x validate, <256 MB',
    },
  ]);
  console.log(
    `page: ${(r.pageBytes / 1024).toFixed(0)} KB (target < 2 MB); inspect peak RSS ${mb(r.inspect.rss)}, validate ${mb(r.validate.rss)}`,
  );
  const cpu = (name) => r[name].cpu.toFixed(2);
  console.log(
    `CPU time (median, all threads): report ${cpu('report')} s vs inspect ${cpu('inspect')} s; report --deep ${cpu('reportDeep')} s vs validate ${cpu('validate')} s`,
  );
}
if (results[`x${scale}`] && scale > 1) {
  const growth = (k) => `${((results[`x${scale}`][k].rss / results.x1[k].rss - 1) * 100).toFixed(1)}%`;
  console.log(
    `peak RSS growth at x${scale}: report ${growth('report')}, report --deep ${growth('reportDeep')} (inspect ${growth('inspect')}, validate ${growth('validate')})`,
  );
}
saveResults('report', results);
