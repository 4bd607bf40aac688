// `talent-export bundle` of many candidates (a data subject access request for each) against reading the
// download's zips: `cat` of every zip to /dev/null (the bytes alone, from the page cache) and Info-ZIP's
// `unzip -tq` of every zip (every entry inflated and its CRC checked: what reading them as archives costs).
// Ours reads the tables once (other candidates' rows dropped in the worker threads), the parts' listings,
// and the wanted candidates' attachments raw. Interleaved rounds; wall and CPU (user + sys) seconds, since
// the machine may be shared; peak RSS of ours.
// Usage (after `pnpm build`): node bench/bundle-candidates.mjs [--export DIR] [--candidates 1000] [--rounds 3]
// Without --export, the 3 GB sample of bench/bundle.mjs (100,000 candidates) is generated once under
// bench/data/bundle-3000mb.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, dataDir, mb, root, saveResults, settle, warm } from './_lib.mjs';

const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const wanted = Number(arg('candidates', '1000'));
const rounds = Number(arg('rounds', '3'));

/** Wall, user and sys seconds and peak RSS of one command, from /usr/bin/time. */
function measured(command, args, okCodes = [0]) {
  const file = join(tmpdir(), `bench-time-${process.pid}`);
  settle();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', file, command, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!okCodes.includes(r.status ?? -1))
    throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(-2000)}`);
  const [wall, user, sys, kb] = readFileSync(file, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  rmSync(file, { force: true });
  return { wall, cpu: user + sys, rss: kb * 1024 };
}

function sample() {
  const dir = join(dataDir, 'bundle-3000mb');
  if (!existsSync(join(dir, 'export.csv'))) {
    console.log(`generating ${dir} ...`);
    measured(
      process.execPath,
      [cli, 'sample', '--out', dir, '--candidates', '100000', '--attachments-mb', '3000'].concat([
        '--seed',
        '7',
        '-q',
        '--force',
      ]),
    );
  }
  return dir;
}

const input = arg('export') ?? sample();
const zips = readdirSync(input)
  .filter((name) => name.endsWith('.zip'))
  .sort()
  .map((name) => join(input, name));
const parts = zips.filter((path) => /Attachment_[^/]+\.zip$/.test(path));
// Every k-th candidate folder of the parts, so the candidates asked for are spread over the whole export.
const folders = new Set();
for (const part of parts) {
  const listing = spawnSync('unzip', ['-Z1', part], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  for (const m of listing.matchAll(/\/Candidate_([^/]+)\//g)) folders.add(m[1]);
}
const all = [...folders];
const step = Math.max(1, Math.floor(all.length / wanted));
const ids = all.filter((_, i) => i % step === 0).slice(0, wanted);
const idsFile = join(dataDir, `bundle-candidates-${ids.length}.txt`);
mkdirSync(dataDir, { recursive: true });
writeFileSync(idsFile, `${ids.join('\n')}\n`);
const out = join(dataDir, 'bundle-candidates.out');

warm(zips);
const cases = {
  ours: () => {
    rmSync(out, { recursive: true, force: true });
    const m = measured(
      process.execPath,
      [cli, 'bundle', input, '--out', out, '--candidates-file', idsFile, '-q'],
      [0, 1],
    );
    const written = readdirSync(out).filter((n) => n.endsWith('.zip')).length;
    if (written !== ids.length) throw new Error(`bundle wrote ${written} archives for ${ids.length} ids`);
    return m;
  },
  cat: () => measured('sh', ['-c', `cat ${zips.map((z) => `'${z}'`).join(' ')} > /dev/null`]),
  'unzip -tq': () => measured('sh', ['-c', zips.map((z) => `unzip -tq '${z}' > /dev/null`).join(' && ')]),
};
const runs = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < rounds; i++) {
  for (const [name, run] of Object.entries(cases)) runs[name].push(run());
  const line = Object.entries(runs)
    .map(([name, r]) => `${name} ${r[i].wall.toFixed(2)} s (cpu ${r[i].cpu.toFixed(2)} s)`)
    .join(', ');
  console.log(`  round ${i + 1}: ${line}`);
}
rmSync(out, { recursive: true, force: true });

const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = Object.fromEntries(
  Object.entries(runs).map(([name, r]) => [
    name,
    {
      wall: middle(r.map((x) => x.wall)),
      cpu: middle(r.map((x) => x.cpu)),
      rss: middle(r.map((x) => x.rss)),
    },
  ]),
);
const bytes = zips.reduce(
  (s, z) => s + Number(spawnSync('stat', ['-c', '%s', z], { encoding: 'utf8' }).stdout),
  0,
);
console.log(
  `\nbundle of ${ids.length} candidates, ${input} (${zips.length} zips, ${mb(bytes)}), medians of ${rounds} rounds:`,
);
for (const [name, s] of Object.entries(summary)) {
  const ratio = (ref) =>
    `${(s.wall / summary[ref].wall).toFixed(2)}x / cpu ${(s.cpu / summary[ref].cpu).toFixed(2)}x`;
  console.log(
    `  ${name.padEnd(10)} wall ${s.wall.toFixed(2)} s  cpu ${s.cpu.toFixed(2)} s  peak RSS ${mb(s.rss)}` +
      (name === 'ours' ? `  vs cat ${ratio('cat')}, vs unzip -tq ${ratio('unzip -tq')} (target 1.5x)` : ''),
  );
}
saveResults('bundle-candidates', { input, candidates: ids.length, zipBytes: bytes, rounds, summary, runs });
