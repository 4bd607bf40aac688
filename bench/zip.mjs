// @talent-export/zip against Info-ZIP on an attachments-like part: ~20k incompressible files (resumes, offer
// letters, referral letters) of 1-100 KB plus empty.txt markers, deflated as exports are, laid out as
// Attachments_1-N/Candidate_<id>/{Public,Private,Miscellaneous}/...
//   inflated: walk every entry and read it inflated (CRC-32, sizes and bomb caps checked)  vs  unzip -tq
//   raw:      walk every entry and read its compressed bytes as stored                    vs  unzip -tq
// Usage (from the repository root, after a build): node bench/zip.mjs [--mb 1000] [--entries N]
// The part is generated once and cached under bench/data/.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { arg, dataDir, mb, printTable, root, saveResults, timed } from './_lib.mjs';

// Resolved through the package's own `exports` map, as a dependent package would import it.
const fromZipPackage = createRequire(join(root, 'packages', 'zip', 'package.json'));
const load = (name) => import(pathToFileURL(fromZipPackage.resolve(name)).href);

const child = arg('child');
if (child !== undefined) {
  // Child process: one pass over every entry; the parent measures wall time and peak RSS.
  const { openZip } = await load('@talent-export/zip');
  const archive = await openZip(arg('file'));
  let bytes = 0;
  for await (const entry of archive.entries()) {
    if (entry.isDirectory) continue;
    for await (const chunk of await archive.openStream(entry, { raw: child === 'raw' }))
      bytes += chunk.length;
  }
  await archive.close();
  if (bytes === 0) throw new Error('read nothing');
} else {
  await main();
}

async function generate(path, megabytes, entries) {
  const { default: yazl } = await load('yazl');
  const pool = randomBytes(64 * 1024 * 1024); // slices of it deflate no better than fresh random bytes
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-05-06T07:08:10Z');
  const mean = (megabytes * 1024 * 1024) / entries / 0.95; // 5% of the entries are empty.txt markers
  const candidates = Math.ceil(entries / 3);
  let seed = 7;
  const rand = (n) => {
    // xorshift32: deterministic, so every run generates the same part
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  let made = 0;
  for (let id = 1; made < entries; id += 1) {
    for (const folder of ['Public', 'Private', 'Miscellaneous']) {
      if (made >= entries) break;
      made += 1;
      const dir = `Attachments_1-${candidates}/Candidate_${id}/${folder}`;
      if (rand(20) === 0) {
        zip.addBuffer(Buffer.alloc(0), `${dir}/empty.txt`, { mtime });
        continue;
      }
      const size = Math.floor(mean * (0.02 + rand(1000) / 510)); // 2%..198% of the mean
      const at = rand(pool.length - size);
      const name = folder === 'Public' ? 'resume' : folder === 'Private' ? 'offer_letter' : 'referral_letter';
      // Lazy, so the generator never holds more than one file in memory.
      zip.addReadStreamLazy(`${dir}/${name}_${id}.pdf`, { mtime, compressionLevel: 1 }, (cb) =>
        cb(null, Readable.from([pool.subarray(at, at + size)])),
      );
    }
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(`${path}.tmp`));
  renameSync(`${path}.tmp`, path);
}

async function main() {
  const megabytes = Number(arg('mb', '1000'));
  const entries = Number(arg('entries', String(Math.max(30, Math.round(megabytes * 20)))));
  const path = join(dataDir, `zip-part-${megabytes}mb-${entries}.zip`);
  if (!existsSync(path)) {
    console.log(`generating ${path} ...`);
    const start = Date.now();
    mkdirSync(dataDir, { recursive: true });
    await generate(path, megabytes, entries);
    console.log(`generated in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
  const bytes = statSync(path).size;
  const self = join(root, 'bench', 'zip.mjs');
  timed('unzip', ['-tqq', path]); // warm the page cache, so every timed run reads from memory
  const unzip = timed('unzip', ['-tqq', path]);
  const inflated = timed(process.execPath, [self, '--child', 'inflated', '--file', path], { node: true });
  const raw = timed(process.execPath, [self, '--child', 'raw', '--file', path], { node: true });
  const rows = [
    {
      name: 'every entry inflated',
      ours: inflated.seconds,
      reference: unzip.seconds,
      rss: inflated.rss,
      target: '<1.5x unzip -tq, <150 MB',
    },
    { name: 'every entry raw', ours: raw.seconds, reference: unzip.seconds, rss: raw.rss, target: '<150 MB' },
  ];
  printTable(`@talent-export/zip vs Info-ZIP unzip -tq: ${mb(bytes)} part, ${entries} entries`, rows);
  saveResults('zip', {
    archive: { file: path.slice(root.length + 1), bytes, entries },
    unzipTestSeconds: unzip.seconds,
    inflated: {
      seconds: inflated.seconds,
      peakRssBytes: inflated.rss,
      ratioToUnzip: inflated.seconds / unzip.seconds,
    },
    raw: { seconds: raw.seconds, peakRssBytes: raw.rss, ratioToUnzip: raw.seconds / unzip.seconds },
  });
}
