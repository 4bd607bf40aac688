// `talent-export extract` side by side with Info-ZIP on the same download:
//   extract DIR --out OUT   vs   unzip -q -o of export.zip and every attachment part into one folder
// Usage: node bench/extract.mjs [--mb 3000] [--candidates N] [--repeat 3] [--settle-s 65] [--out-dir DIR]
// --out-dir: where both write (default bench/data/); on a memory file system (/dev/shm) the tools' own cost
// is measured without the disk's write-back, whose pace varies by minutes on a shared machine.
// Ours and unzip take turns in each round, so both meet the same machine; the ratio is the median of the
// rounds' ratios, times are medians, peak RSS the highest. Outputs are removed (untimed) before each run,
// then left to age (--settle-s, default 65) so neither tool pays for the other's removal.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { arg, dataDir, mb, printTable, root, saveResults, settle, timed, warm } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const attachmentsMb = Number(arg('mb', '3000'));
const candidates = Number(
  arg('candidates', String(Math.max(200, Math.round((attachmentsMb * 100000) / 3000)))),
);
const repeat = Number(arg('repeat', '3'));

const dir = join(dataDir, `extract-${candidates}-${attachmentsMb}`);
if (!existsSync(join(dir, 'export.csv'))) {
  rmSync(dir, { recursive: true, force: true });
  console.log(`generating ${dir} ...`);
  const r = spawnSync(
    process.execPath,
    [
      cli,
      'sample',
      '--out',
      dir,
      '--candidates',
      String(candidates),
      '--attachments-mb',
      String(attachmentsMb),
      '--force',
      '-q',
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('sample failed');
}
const zips = readdirSync(dir)
  .filter((f) => f.endsWith('.zip'))
  .sort()
  .map((f) => join(dir, f));
warm(zips);

const out = join(arg('out-dir', dataDir), 'extract-out');
/**
 * ext4 skips inodes freed in the last 60 s (300 s while their table block is dirty) when it allocates,
 * checking each one: right after a big folder is removed, creating files costs several times more. So the
 * last output is removed, flushed, and left to age before the next run, for both tools alike.
 */
const RECENT_MS = Number(arg('settle-s', '65')) * 1000;
const fresh = () => {
  if (existsSync(out)) {
    rmSync(out, { recursive: true, force: true });
    settle();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RECENT_MS);
  }
  settle();
};

const cases = {
  extract: () => {
    fresh();
    return timed(process.execPath, [cli, 'extract', dir, '--out', out, '--quiet'], { node: true });
  },
  unzip: () => {
    fresh();
    const loop = `for p in "$@"; do unzip -q -o "$p" -d '${out}' || exit 1; done`;
    return timed('sh', ['-c', loop, 'sh', ...zips]);
  },
};

const runs = { extract: [], unzip: [] };
for (let i = 0; i < repeat; i++) {
  for (const name of Object.keys(cases)) {
    const run = cases[name]();
    runs[name].push(run);
    console.log(
      `round ${i + 1}: ${name} ${run.seconds.toFixed(1)} s${run.rss ? `, peak RSS ${mb(run.rss)}` : ''}`,
    );
  }
}
fresh();

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ours = runs.extract.map((r) => r.seconds);
const theirs = runs.unzip.map((r) => r.seconds);
const ratio = middle(ours.map((s, i) => s / theirs[i]));
const rss = Math.max(...runs.extract.map((r) => r.rss));
printTable(`extract: ${zips.length} zips, ${attachmentsMb} MB of attachments, ${candidates} candidates`, [
  {
    name: 'extract vs unzip -q -o (every zip into one folder)',
    ours: middle(ours),
    reference: middle(theirs),
    ratio,
    rss,
    target: '<= 1.2x',
  },
]);
saveResults('extract', { attachmentsMb, candidates, repeat, ours, unzip: theirs, ratio, rss });
