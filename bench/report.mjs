// The report command on a large generated export, side by side with the commands it must keep up with:
//   report          vs  inspect (which decodes every row of every table once, in parallel)
//   report --deep   vs  validate (every row, references, every attachment byte)
// and the page's size. Usage: node bench/report.mjs [--candidates 100000] [--messages-per-candidate 30]
//   [--attachments-mb 3000] [--repeat 3] [--threads N] [--export DIR (an existing export instead)]
// Cases take turns in each round; the median time, the highest peak RSS and the median ratio are reported.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { arg, dataDir, mb, printTable, root, saveResults, timed, warm } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const candidates = Number(arg('candidates', '100000'));
const perCandidate = Number(arg('messages-per-candidate', '30'));
const attachmentsMb = Number(arg('attachments-mb', '3000'));
const repeat = Number(arg('repeat', '3'));
const threads = arg('threads', '');
const threadArgs = threads ? ['--threads', threads] : [];

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The same export bench/cli.mjs makes, so the two share it.
let dir = arg('export', '');
if (!dir) {
  dir = join(dataDir, `cli-${candidates}-${perCandidate}-${attachmentsMb}`);
  if (!existsSync(join(dir, 'export.csv'))) {
    rmSync(dir, { recursive: true, force: true });
    console.log(`generating ${dir} ...`);
    const args = ['sample', '--out', dir, '--seed', '7', '--quiet', '--candidates', String(candidates)];
    args.push('--messages-per-candidate', String(perCandidate), '--attachments-mb', String(attachmentsMb));
    timed(process.execPath, [cli, ...args], { node: true });
  }
}
const page = join(dataDir, 'report-bench.html');
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
  runs: runs[name].map((r) => r.seconds),
});
const results = {
  report: summary('report', 'inspect'),
  inspect: summary('inspect'),
  reportDeep: summary('reportDeep', 'validate'),
  validate: summary('validate'),
  pageBytes: statSync(page).size,
  dir,
  repeat,
  threads: threads || 'default',
};
printTable('talent-export report vs inspect and validate', [
  {
    name: 'report',
    ours: results.report.seconds,
    reference: results.inspect.seconds,
    ratio: results.report.ratio,
    rss: results.report.rss,
    target: '<1.2x inspect, <256 MB',
  },
  {
    name: 'report --deep',
    ours: results.reportDeep.seconds,
    reference: results.validate.seconds,
    ratio: results.reportDeep.ratio,
    rss: results.reportDeep.rss,
    target: '<1.2x validate, <256 MB',
  },
]);
console.log(
  `page: ${(results.pageBytes / 1024).toFixed(0)} KB (target < 2 MB); inspect peak RSS ${mb(results.inspect.rss)}, validate ${mb(results.validate.rss)}`,
);
saveResults('report', results);
