// Listing central directories, side by side with `unzip -l` over the same attachment parts:
//   zip listing:       @talent-export/zip openZip + entries() over every part (names decoded and checked,
//                      entry ranges checked for overlap)
//   attachment index:  @talent-export/export indexAttachmentBatches(), every record taken, as inspect and
//                      convert build it (inspect minus counting table rows)
//   reference:         unzip -l over every part
// Each case is timed twice: the whole process (node's start and the module imports included), and the
// listing alone, timed inside the process from the export's opening to the last record. The second is the
// issue's measure, "inspect minus counting table rows": inspect pays the start and imports for its tables
// anyway, and the listing is what the attachment parts add to it. unzip's own start is in its figure.
// Rounds are interleaved (each case runs once per round, in turn) so all see the same machine; the median
// time is reported, the median of the per-round ratios, and the highest peak RSS. CPU time (user + system)
// is reported beside wall time: on a machine shared with other work it moves far less than wall time.
// Usage: node bench/list.mjs [--mb 3400] [--part-mb 850] [--candidates 20000] [--rounds 5]
// Run from the repository root after a build; the export is generated once under bench/data/.
// The measured child imports only what it measures: the parent's helpers are loaded by the parent alone.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = (name) => new URL(`../packages/${name}/dist/index.js`, import.meta.url).href;
const partsOf = (dir) =>
  readdirSync(dir)
    .filter((f) => /^attachments?_.*\.zip$/i.test(f))
    .sort()
    .map((f) => join(dir, f));

if (process.argv[2] === '--child') {
  const [, , , mode, dir] = process.argv;
  let began = 0;
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    process.stderr.write(`cpu ${(user + system) / 1e6}\n`);
  });
  let entries = 0;
  if (mode === 'zip') {
    const { openZip } = await import(dist('zip'));
    began = performance.now();
    for (const part of partsOf(dir)) {
      const archive = await openZip(part);
      for await (const _ of archive.entries()) entries += 1;
      await archive.close();
    }
  } else {
    const { openExport } = await import(dist('export'));
    began = performance.now();
    const ex = await openExport(dir);
    const it = ex.indexAttachmentBatches();
    let step = await it.next();
    for (; !step.done; step = await it.next()) entries += step.value.length;
    await ex.close();
  }
  if (entries === 0) throw new Error('listed nothing');
  process.stderr.write(`listing ${(performance.now() - began) / 1e3}\n`);
  process.exit(0);
}

const { spawnSync } = await import('node:child_process');
const { existsSync, readFileSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { arg, dataDir, printTable, saveResults, settle, timed, warm } = await import('./_lib.mjs');

const attachmentsMb = Number(arg('mb', '3400'));
const partMb = Number(arg('part-mb', String(Math.ceil(attachmentsMb / 4))));
const candidates = Number(arg('candidates', '20000'));
const rounds = Number(arg('rounds', '5'));

const dir = join(dataDir, `list-${attachmentsMb}mb-${partMb}-${candidates}`);
if (!existsSync(join(dir, 'export.csv'))) {
  console.log(`generating ${dir} ...`);
  const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
  const args = ['sample', '--out', dir, '--seed', '7', '--quiet', '--force'];
  args.push('--candidates', String(candidates), '--attachments-mb', String(attachmentsMb));
  args.push('--part-mb', String(partMb));
  const r = timed(process.execPath, [cli, ...args], { node: true });
  console.log(`generated in ${r.seconds.toFixed(0)} s`);
}
const parts = partsOf(dir);
warm(parts);
const script = join(root, 'bench', 'list.mjs');
/** Wall time, CPU time (user + system, from the command's own report on stderr) and peak RSS of a command. */
function measure(command, args, node) {
  const rssFile = join(tmpdir(), `bench-list-rss-${process.pid}`);
  settle();
  const start = process.hrtime.bigint();
  const argv = node ? ['--import', join(root, 'bench', '_rss.mjs'), ...args] : args;
  const result = spawnSync(command, argv, {
    env: { ...process.env, RSS_OUT: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.slice(-2000)}`);
  const cpu = node ? Number(/cpu ([\d.]+)/.exec(result.stderr)?.[1]) : shellChildrenCpu(result.stderr);
  // _rss.mjs writes the peak RSS, then the CPU time.
  const rss = node ? Number(readFileSync(rssFile, 'utf8').split(' ')[0]) : undefined;
  rmSync(rssFile, { force: true });
  const listing = node ? Number(/listing ([\d.]+)/.exec(result.stderr)?.[1]) : seconds;
  return { seconds, cpu, rss, listing };
}

/** The children's user and system time from the last line of the shell's `times`. */
function shellChildrenCpu(stderr) {
  const line = stderr.trim().split('\n').at(-1) ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((s, m) => s + Number(m[1]) * 60 + Number(m[2]), 0);
}

const cases = {
  'zip listing': () => measure(process.execPath, [script, '--child', 'zip', dir], true),
  'attachment index': () => measure(process.execPath, [script, '--child', 'index', dir], true),
  'unzip -l': () =>
    measure('sh', [
      '-c',
      'for f in "$@"; do unzip -l "$f" >/dev/null || exit 1; done; times >&2',
      'sh',
      ...parts,
    ]),
};
const names = Object.keys(cases);
const runs = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round += 1) {
  // The order turns each round, so no case always runs right after another's writes or frees.
  for (let k = 0; k < names.length; k += 1) {
    const name = names[(k + round) % names.length];
    runs[name].push(cases[name]());
  }
}
const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const reference = runs['unzip -l'];
const result = Object.fromEntries(
  names.map((name) => [
    name,
    {
      seconds: middle(runs[name].map((r) => r.seconds)),
      ratio: middle(runs[name].map((r, i) => r.seconds / reference[i].seconds)),
      listingSeconds: middle(runs[name].map((r) => r.listing)),
      listingRatio: middle(runs[name].map((r, i) => r.listing / reference[i].seconds)),
      cpuSeconds: middle(runs[name].map((r) => r.cpu)),
      cpuRatio: middle(runs[name].map((r, i) => r.cpu / reference[i].cpu)),
      peakRssBytes: runs[name].some((r) => r.rss !== undefined)
        ? Math.max(...runs[name].map((r) => r.rss ?? 0))
        : undefined,
      runs: runs[name].map((r) => [r.seconds, r.cpu, r.listing]),
    },
  ]),
);
const rows = names.slice(0, -1).flatMap((name) => [
  {
    name: `${name} (listing)`,
    ours: result[name].listingSeconds,
    reference: result['unzip -l'].seconds,
    ratio: result[name].listingRatio,
    rss: result[name].peakRssBytes,
    target: '<2x unzip -l, <150 MB',
  },
  {
    name: `${name} (whole process)`,
    ours: result[name].seconds,
    reference: result['unzip -l'].seconds,
    ratio: result[name].ratio,
  },
  {
    name: `${name} (cpu)`,
    ours: result[name].cpuSeconds,
    reference: result['unzip -l'].cpuSeconds,
    ratio: result[name].cpuRatio,
  },
]);
printTable(
  `listing ${parts.length} attachment parts (${attachmentsMb} MB, ${candidates} candidates), median of ${rounds} interleaved rounds`,
  rows,
);
saveResults('list', {
  export: { dir: dir.slice(root.length + 1), attachmentsMb, partMb, candidates, parts: parts.length },
  rounds,
  cases: result,
});
