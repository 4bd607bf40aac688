// @talent-export/bundle against Info-ZIP's raw copy (`zip -U`): re-packing the attachment parts of a sample
// export into new 2 GB parts, every entry copied raw (never inflated), each candidate's folder whole in one
// part. Interleaved rounds; ratio of medians; peak RSS of ours; growth of peak RSS at 4x the size.
// Usage (from the repository root, after `pnpm build`): node bench/bundle.mjs [--mb 3000] [--rounds 3] [--growth 4]
//   [--out-dir DIR] (where both write, default bench/data/: a memory file system such as /dev/shm measures
//   the tools' own cost, without the disk's write-back) [--settle-s 15] (the wait after each output is removed)
// The sample exports are generated once with the CLI and cached under bench/data/.
// Entries are read with `readRaw`; BUNDLE_BENCH_STREAMS=1 reads them through a raw stream each instead.
// `--sha256` also hashes every archive as it is written (the library's default; redact does not).
// `--writers DIR` instead compares zip writers on one re-pack of deflated attachments (the package README's
// table): ours raw, ours re-deflating, archiver and yazl, loaded from DIR/node_modules (not dependencies of
// this repository: `npm i --prefix DIR archiver@8 yazl@3`).
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { arg, dataDir, mb, printTable, root, saveResults, settle, timed, warm } from './_lib.mjs';

const fromBundle = createRequire(join(root, 'packages', 'bundle', 'package.json'));
const load = (name) => import(pathToFileURL(fromBundle.resolve(name)).href);
const parts = (dir) =>
  readdirSync(dir)
    .filter((name) => /^Attachment_.+\.zip$/.test(name))
    .sort()
    .map((name) => join(dir, name));

const child = arg('child');
if (child === 'repack') await repack(arg('in'), arg('out'));
else if (child === 'read') await readOnly(arg('in'));
else if (child !== undefined) await writer(child, arg('in'), arg('out'), arg('writers'));
else if (arg('writers') !== undefined) await compareWriters(arg('writers'));
else await main();

/** Child process: what reading alone costs (every entry's raw bytes, nothing written): the floor of a re-pack. */
async function readOnly(input) {
  const { openZip, WindowBuffers } = await load('@talent-export/zip');
  const streams = process.env.BUNDLE_BENCH_STREAMS === '1';
  // One pool of read buffers for the parts read one after another, as redact reads them.
  const windowBuffers = new WindowBuffers();
  for (const path of parts(input)) {
    const archive = await openZip(path, { windowBuffers });
    for await (const entry of archive.entries()) {
      if (streams) {
        for await (const chunk of await archive.openStream(entry, { raw: true }))
          if (chunk.length < 0) return;
      } else for await (const chunk of archive.readRaw(entry)) if (chunk.length < 0) return;
    }
    await archive.close();
  }
}

/** Child process: every attachment entry of every part, raw, into new parts named by first-last candidate. */
async function repack(input, out) {
  const { createBundle } = await load('@talent-export/bundle');
  const { openZip, WindowBuffers } = await load('@talent-export/zip');
  const windowBuffers = new WindowBuffers();
  // As redact re-packs parts: no sha256 of the archives, which nothing reads (`--sha256` adds it).
  const sha256 = process.env.BUNDLE_BENCH_SHA256 === '1';
  const bundle = createBundle({ dir: out, name: (first, last) => `Attachment_${first}-${last}.zip`, sha256 });
  // BUNDLE_BENCH_STREAMS=1: a raw stream per entry (openStream), the next one opened while this one is
  // written; by default readRaw, which reads ahead by itself.
  const streams = process.env.BUNDLE_BENCH_STREAMS === '1';
  const ahead = streams && process.env.BUNDLE_BENCH_AHEAD !== '0';
  let entries = 0;
  for (const path of parts(input)) {
    const archive = await openZip(path, { windowBuffers });
    // The next entry's stream is opened while this one is written, so reading overlaps writing.
    let previous;
    const add = async ({ entry, opened }) => {
      const candidate = /\/Candidate_(\d+)\//.exec(entry.name)?.[1];
      const raw = {
        method: entry.method,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        open: () => opened ?? (streams ? archive.openStream(entry, { raw: true }) : archive.readRaw(entry)),
      };
      await bundle.add({ name: entry.name, raw }, candidate);
      entries += 1;
    };
    for await (const entry of archive.entries()) {
      const opened = ahead ? archive.openStream(entry, { raw: true }) : undefined;
      opened?.catch(() => undefined); // reported when it is written
      if (previous !== undefined) await add(previous);
      previous = { entry, opened };
    }
    if (previous !== undefined) await add(previous);
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
  const out = join(arg('out-dir', dataDir), `bundle-${megabytes}mb.out`);
  // The last output removed and flushed, then left a while: freeing 3 GB (and discarding it, on a file
  // system mounted with discard) goes on after rm returns, and slowed whichever tool wrote next.
  const fresh = () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    settle();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(arg('settle-s', '15')) * 1000);
  };
  const read = timed(
    process.execPath,
    [join(root, 'bench', 'bundle.mjs'), '--child', 'read', '--in', input],
    {
      node: true,
    },
  );
  fresh();
  const ours = timed(
    process.execPath,
    [join(root, 'bench', 'bundle.mjs'), '--child', 'repack', '--in', input, '--out', out],
    { node: true },
  );
  const bytes = readdirSync(out).reduce((n, name) => n + statSync(join(out, name)).size, 0);
  fresh();
  // Every part in one timed run, as ours: a sync between two timed parts would take the first one's
  // writing to disk out of zip's time.
  const loop = 'out=$1; shift; for p; do zip -qU "$p" --out "$out/$(basename "$p")" "*" || exit 1; done';
  const zipSeconds = timed('sh', ['-c', loop, 'sh', out, ...parts(input)]).seconds;
  fresh();
  console.log(
    `  round: ours ${ours.seconds.toFixed(2)} s (${mb(ours.rss)}), reading alone ${read.seconds.toFixed(2)} s (${mb(read.rss)}), zip -U ${zipSeconds.toFixed(2)} s`,
  );
  return { ours: ours.seconds, rss: ours.rss, read: read.seconds, readRss: read.rss, zip: zipSeconds, bytes };
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function main() {
  if (process.argv.includes('--sha256')) process.env.BUNDLE_BENCH_SHA256 = '1';
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
    const read = median(runs.map((r) => r.read));
    rows.push({
      name: `${size} MB of attachments, raw`,
      ours,
      reference: zip,
      rss,
      target: '<1.2x zip -U, <200 MB',
    });
    rows.push({
      name: `${size} MB: reading alone (@talent-export/zip readRaw)`,
      ours: read,
      reference: zip,
      rss: Math.max(...runs.map((r) => r.readRss)),
      target: 'the floor of a re-pack',
    });
    results[`${size}mb`] = {
      rounds: runs,
      oursSeconds: ours,
      zipSeconds: zip,
      ratio: ours / zip,
      peakRssBytes: rss,
      readAloneSeconds: read,
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

/** Child process: every entry of `input` into `out` with one writer; prints its CPU seconds. */
async function writer(kind, input, out, writers) {
  const { createZip } = await load('@talent-export/bundle');
  const { openZip } = await load('@talent-export/zip');
  const fromWriters = createRequire(join(resolve(writers), 'package.json'));
  const source = await openZip(input);
  const entries = [];
  for await (const entry of source.entries()) entries.push(entry);
  const inflated = (entry) => source.openStream(entry);
  const mtime = new Date(Date.UTC(1980, 0, 1));
  if (kind === 'ours-raw' || kind === 'ours-deflate') {
    const zip = createZip(out);
    for (const entry of entries) {
      if (kind === 'ours-raw') {
        await zip.add({
          name: entry.name,
          raw: { ...entry, open: () => source.openStream(entry, { raw: true }) },
        });
      } else await zip.add({ name: entry.name, stream: await inflated(entry) });
    }
    await zip.close();
  } else if (kind === 'archiver' || kind === 'archiver-store') {
    const { ZipArchive } = await import(pathToFileURL(fromWriters.resolve('archiver')).href);
    const archive = new ZipArchive({ zlib: { level: 6 } });
    const done = pipeline(archive, createWriteStream(out));
    for (const entry of entries) {
      archive.append(await inflated(entry), {
        name: entry.name,
        date: mtime,
        store: kind === 'archiver-store',
      });
      // archiver queues appends; waiting for each entry keeps one source stream open at a time.
      await new Promise((resolve) => archive.once('entry', resolve));
    }
    await archive.finalize();
    await done;
  } else if (kind === 'yazl') {
    const yazl = fromWriters('yazl');
    const zip = new yazl.ZipFile();
    const done = pipeline(zip.outputStream, createWriteStream(out));
    for (const entry of entries) {
      zip.addReadStreamLazy(entry.name, { mtime }, (cb) => inflated(entry).then((s) => cb(null, s), cb));
    }
    zip.end();
    await done;
  } else throw new Error(`unknown writer ${kind}`);
  await source.close();
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
}

/** A deflated archive of the first 35,000 attachment entries of the 3 GB sample, made once. */
async function deflatedSource() {
  const path = join(dataDir, 'bundle-writers-source.zip');
  if (existsSync(path)) return path;
  const { createZip } = await load('@talent-export/bundle');
  const { openZip } = await load('@talent-export/zip');
  const source = await openZip(parts(sample(3000))[1]);
  const zip = createZip(path);
  let n = 0;
  for await (const entry of source.entries()) {
    if (n++ === 35_000) break;
    await zip.add({ name: entry.name, stream: await source.openStream(entry) });
  }
  await zip.close();
  await source.close();
  return path;
}

async function compareWriters(writers) {
  const input = await deflatedSource();
  const out = join(dataDir, 'bundle-writers-out.zip');
  const rows = [];
  const kinds = ['ours-raw', 'ours-deflate', 'archiver', 'archiver-store', 'yazl'];
  const runs = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let round = 0; round < Number(arg('rounds', '2')); round += 1) {
    for (const kind of kinds) {
      rmSync(out, { force: true });
      const rssFile = join(dataDir, 'bundle-writers.rss');
      settle();
      const start = process.hrtime.bigint();
      const result = spawnSync(
        process.execPath,
        [
          '--import',
          join(root, 'bench', '_rss.mjs'),
          join(root, 'bench', 'bundle.mjs'),
          '--child',
          kind,
          '--in',
          input,
          '--out',
          out,
          '--writers',
          writers,
        ],
        { env: { ...process.env, RSS_OUT: rssFile }, encoding: 'utf8' },
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) throw new Error(`${kind}: ${result.stderr}`);
      const run = {
        seconds,
        cpu: JSON.parse(result.stdout).cpu,
        rss: Number(readFileSync(rssFile, 'utf8').split(' ')[0]),
        bytes: statSync(out).size,
      };
      runs[kind].push(run);
      console.log(
        `  ${kind}: ${seconds.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU, ${mb(run.rss)}, ${run.bytes} bytes`,
      );
    }
  }
  rmSync(out, { force: true });
  for (const kind of kinds) {
    const cpu = median(runs[kind].map((r) => r.cpu));
    rows.push({
      name: kind,
      ours: cpu,
      reference: median(runs['ours-raw'].map((r) => r.cpu)),
      rss: Math.max(...runs[kind].map((r) => r.rss)),
    });
  }
  printTable(
    `zip writers re-packing ${statSync(input).size} bytes of deflated entries (CPU seconds; reference: ours-raw)`,
    rows,
  );
  saveResults('bundle-writers', runs);
}
