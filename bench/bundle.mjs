// @talent-export/bundle against Info-ZIP's raw copy (`zip -U`): re-packing the attachment parts of a sample
// export into new 2 GB parts, every entry copied raw (never inflated), each candidate's folder whole in one
// part. Interleaved rounds; ratio of medians; peak RSS of ours; growth of peak RSS at 4x the size.
// Usage (from the repository root, after `pnpm build`): node bench/bundle.mjs [--mb 3000] [--rounds 3] [--growth 4]
// The sample exports are generated once with the CLI and cached under bench/data/.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, dataDir, mb, printTable, root, saveResults, timed, warm } from './_lib.mjs';

const fromBundle = createRequire(join(root, 'packages', 'bundle', 'package.json'));
const load = (name) => import(pathToFileURL(fromBundle.resolve(name)).href);
const parts = (dir) =>
  readdirSync(dir)
    .filter((name) => /^Attachment_.+\.zip$/.test(name))
    .sort()
    .map((name) => join(dir, name));

const child = arg('child');
if (child !== undefined) await repack(arg('in'), arg('out'));
else await main();

/** Child process: every attachment entry of every part, raw, into new parts named by first-last candidate. */
async function repack(input, out) {
  const { createBundle } = await load('@talent-export/bundle');
  const { openZip } = await load('@talent-export/zip');
  const bundle = createBundle({ dir: out, name: (first, last) => `Attachment_${first}-${last}.zip` });
  let entries = 0;
  for (const path of parts(input)) {
    const archive = await openZip(path);
    for await (const entry of archive.entries()) {
      const candidate = /\/Candidate_(\d+)\//.exec(entry.name)?.[1];
      const raw = {
        method: entry.method,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        open: () => archive.openStream(entry, { raw: true }),
      };
      await bundle.add({ name: entry.name, raw }, candidate);
      entries += 1;
    }
    await archive.close();
  }
  const written = await bundle.close();
  if (written.reduce((n, part) => n + part.entries, 0) !== entries) throw new Error('entries lost');
}

function sample(megabytes) {
  const dir = join(dataDir, `bundle-${megabytes}mb`);
  if (!existsSync(join(dir, 'export.csv'))) {
    console.log(`generating ${dir} ...`);
    const candidates = String(Math.round((megabytes / 3000) * 100_000));
    timed(process.execPath, [
      join(root, 'apps/cli/dist/bin.js'),
      'sample',
      '--out',
      dir,
      '--candidates',
      candidates,
      '--attachments-mb',
      String(megabytes),
      '--seed',
      '7',
      '-q',
      '--force',
    ]);
  }
  return dir;
}

function round(input, megabytes) {
  const out = join(dataDir, `bundle-${megabytes}mb.out`);
  const fresh = () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
  };
  fresh();
  const ours = timed(
    process.execPath,
    [join(root, 'bench', 'bundle.mjs'), '--child', 'repack', '--in', input, '--out', out],
    { node: true },
  );
  const bytes = readdirSync(out).reduce((n, name) => n + statSync(join(out, name)).size, 0);
  fresh();
  let zipSeconds = 0;
  for (const path of parts(input)) {
    zipSeconds += timed('zip', ['-qU', path, '--out', join(out, path.slice(input.length + 1)), '*']).seconds;
  }
  fresh();
  console.log(
    `  round: ours ${ours.seconds.toFixed(2)} s (${mb(ours.rss)}), zip -U ${zipSeconds.toFixed(2)} s`,
  );
  return { ours: ours.seconds, rss: ours.rss, zip: zipSeconds, bytes };
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function main() {
  const megabytes = Number(arg('mb', '3000'));
  const rounds = Number(arg('rounds', '3'));
  const growth = Number(arg('growth', '0'));
  const sizes = growth > 1 ? [megabytes, megabytes * growth] : [megabytes];
  const rows = [];
  const results = {};
  for (const size of sizes) {
    const input = sample(size);
    warm(parts(input));
    const runs = [];
    for (let i = 0; i < (size === megabytes ? rounds : 1); i += 1) runs.push(round(input, size));
    const ours = median(runs.map((r) => r.ours));
    const zip = median(runs.map((r) => r.zip));
    const rss = Math.max(...runs.map((r) => r.rss));
    rows.push({
      name: `${size} MB of attachments, raw`,
      ours,
      reference: zip,
      rss,
      target: '<1.2x zip -U, <200 MB',
    });
    results[`${size}mb`] = {
      rounds: runs,
      oursSeconds: ours,
      zipSeconds: zip,
      ratio: ours / zip,
      peakRssBytes: rss,
    };
  }
  printTable('@talent-export/bundle raw re-pack vs Info-ZIP zip -U', rows);
  if (sizes.length > 1) {
    const [small, large] = sizes.map((s) => results[`${s}mb`].peakRssBytes);
    const change = (large / small - 1) * 100;
    console.log(`peak RSS ${mb(small)} -> ${mb(large)} at ${growth}x: ${change.toFixed(1)}% (target < 10%)`);
    results.rssGrowthPercent = change;
  }
  saveResults('bundle', results);
}
