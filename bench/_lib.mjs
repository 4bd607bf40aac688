// Shared helpers for the benchmarks: timing a command, peak RSS of a Node child, a results table.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const dataDir = join(root, 'bench', 'data');
export const resultsDir = join(root, 'bench', 'results');

export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/**
 * Writes what earlier runs left in the page cache to disk, so a run does not pay for another's writes
 * (a tool that converted gigabytes just before leaves them to be flushed during the next run).
 */
export function settle() {
  spawnSync('sync');
  waitForQuiet();
}

/**
 * Waits (up to BENCH_QUIET_S seconds, default 30; 0 for none) until other work leaves the machine idle: a
 * build or a test suite running beside a timed command moved its wall time by half and more.
 * Linux only (it reads /proc/stat); elsewhere it returns at once.
 */
function waitForQuiet() {
  const limit = Number(process.env.BENCH_QUIET_S ?? '30') * 1000;
  const until = Date.now() + limit;
  while (Date.now() < until) {
    const before = busyTicks();
    if (before === undefined) return;
    sleep(300);
    // Under 3% of one core (ticks are hundredths of a second) over the 0.3 s.
    if (busyTicks() - before < 1) return;
  }
}

function busyTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // All but idle and iowait.
    return fields.reduce((sum, n) => sum + n, 0) - fields[3] - fields[4];
  } catch {
    return undefined;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Reads files once so every tool then finds them in the page cache, not only the ones timed later. */
export function warm(paths) {
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Runs a command; Node scripts get their peak RSS and CPU time (user+sys s) measured from inside (no
 * external tool needed).
 */
export function timed(command, args, { node = false, env = {}, cwd = root, okCodes = [0] } = {}) {
  const rssFile = join(tmpdir(), `bench-rss-${process.pid}-${Date.now()}`);
  const argv = node ? ['--import', join(root, 'bench', '_rss.mjs'), ...args] : args;
  settle();
  const start = process.hrtime.bigint();
  const result = spawnSync(node ? process.execPath : command, argv, {
    cwd,
    env: { ...process.env, ...env, RSS_OUT: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (!okCodes.includes(result.status ?? -1)) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr).slice(-2000)}`,
    );
  }
  let rss;
  let cpu;
  if (node) {
    [rss, cpu] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
    rmSync(rssFile, { force: true });
  }
  return { seconds, rss, cpu, status: result.status };
}

export const mb = (bytes) => (bytes === undefined ? '-' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

export function printTable(title, rows) {
  console.log(`\n${title}`);
  const head = ['case', 'ours (s)', 'reference (s)', 'ratio', 'peak RSS', 'target'];
  const body = rows.map((r) => [
    r.name,
    r.ours.toFixed(2),
    r.reference === undefined ? '-' : r.reference.toFixed(2),
    r.reference === undefined ? '-' : `${(r.ratio ?? r.ours / r.reference).toFixed(2)}x`,
    mb(r.rss),
    r.target ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  for (const line of [head, ...body]) console.log(line.map((c, i) => String(c).padEnd(widths[i])).join('  '));
}

export function saveResults(name, value) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A generated export under bench/data (`<prefix>-<candidates>-<messages>-<attachments MB>`, seed 7), made
 * once and kept, with its tables extracted beside it (`.csv`) for the tools that read CSV files.
 */
export function sampleExport(prefix, candidates, perCandidate, attachmentsMb) {
  const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
  const dir = join(dataDir, `${prefix}-${candidates}-${perCandidate}-${attachmentsMb}`);
  if (!existsSync(join(dir, 'export.csv'))) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.truth`, { recursive: true, force: true });
    console.log(`generating ${dir} ...`);
    const args = ['sample', '--out', dir, '--seed', '7', '--quiet'];
    args.push('--candidates', String(candidates), '--messages-per-candidate', String(perCandidate));
    args.push('--attachments-mb', String(attachmentsMb));
    const r = timed(process.execPath, [cli, ...args], { node: true });
    console.log(`generated in ${r.seconds.toFixed(0)} s, peak RSS ${mb(r.rss)}`);
  }
  const csvDir = `${dir}.csv`;
  if (!existsSync(join(csvDir, 'Messages.csv'))) {
    mkdirSync(csvDir, { recursive: true });
    spawnSync('unzip', ['-q', '-o', '-j', join(dir, 'export.zip'), '-d', csvDir], { stdio: 'inherit' });
  }
  return { dir, csvDir };
}
