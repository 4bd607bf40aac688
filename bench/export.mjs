// Attachment index and verification of a multi-part export, side by side with Info-ZIP on the same parts:
//   indexAttachments() (central directories only)   vs  unzip -l  over every part
//   verifyAttachments() (inflate + CRC every entry)  vs  unzip -tq over every part
// Usage: node bench/export.mjs [--mb 3000] [--part-mb 800] [--candidates N] [--verify 0]
// Run from the repository root after a build; the export is generated once under bench/data/.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, dataDir, mb, printTable, root, saveResults, timed } from './_lib.mjs';

const dist = (name) => pathToFileURL(join(root, 'packages', name, 'dist', 'index.js')).href;

// Child mode: one measured operation, result on stdout (peak RSS is taken by _lib's preload).
if (process.argv[2] === '--child') {
  const { openExport } = await import(dist('export'));
  const ex = await openExport(process.argv[4]);
  let summary;
  if (process.argv[3] === 'index') {
    const it = ex.indexAttachments();
    let step = await it.next();
    while (!step.done) step = await it.next();
    summary = step.value;
  } else {
    const it = ex.verifyAttachments();
    let step = await it.next();
    while (!step.done) step = await it.next();
    summary = step.value;
  }
  await ex.close();
  const problems = [...ex.problems, ...summary.problems].filter((p) => p.severity === 'problem');
  if (problems.length > 0) {
    console.error(problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
    process.exit(2);
  }
  console.error(JSON.stringify({ files: summary.files, markers: summary.markers, bytes: summary.bytes }));
  process.exit(0);
}

const attachmentsMb = Number(arg('mb', '3000'));
const partMb = Number(arg('part-mb', String(Math.min(800, Math.max(1, Math.ceil(attachmentsMb / 4))))));
const candidates = Number(arg('candidates', String(Math.max(200, attachmentsMb * 10))));
const verify = arg('verify', '1') !== '0';

const dir = join(dataDir, `export-${attachmentsMb}mb-${partMb}-${candidates}`);
if (!existsSync(join(dir, 'export.csv'))) {
  console.log(`generating ${dir} ...`);
  const { generateExport } = await import(dist('sample'));
  const start = Date.now();
  await generateExport({
    dir,
    seed: 7,
    candidates,
    attachmentsMb,
    partMb,
    flat: false,
    edgeCases: false,
    force: true,
  });
  console.log(`generated in ${((Date.now() - start) / 1000).toFixed(0)} s`);
}
const parts = readdirSync(dir)
  .filter((f) => /^attachments?_.*\.zip$/i.test(f))
  .map((f) => join(dir, f));
const script = join(root, 'bench', 'export.mjs');
const overParts = (command) => [
  '-c',
  `for f in "$@"; do ${command} "$f" >/dev/null || exit 1; done`,
  'sh',
  ...parts,
];

const index = timed(process.execPath, [script, '--child', 'index', dir], { node: true });
const unzipList = timed('sh', overParts('unzip -l'));
const rows = [
  { name: `index ${parts.length} parts`, ours: index.seconds, reference: unzipList.seconds, rss: index.rss },
];
const results = {
  export: { dir: dir.slice(root.length + 1), attachmentsMb, partMb, candidates, parts: parts.length },
  index: {
    seconds: index.seconds,
    peakRssBytes: index.rss,
    unzipListSeconds: unzipList.seconds,
    ratio: index.seconds / unzipList.seconds,
  },
};
if (verify) {
  const check = timed(process.execPath, [script, '--child', 'verify', dir], { node: true });
  const unzipTest = timed('sh', overParts('unzip -tq'));
  rows.push({
    name: 'verify (inflate + CRC)',
    ours: check.seconds,
    reference: unzipTest.seconds,
    rss: check.rss,
  });
  results.verify = {
    seconds: check.seconds,
    peakRssBytes: check.rss,
    unzipTestSeconds: unzipTest.seconds,
    ratio: check.seconds / unzipTest.seconds,
  };
}
printTable(
  `export: ${attachmentsMb} MB of attachments in ${parts.length} parts (reference: Info-ZIP unzip)`,
  rows,
);
console.log(`peak RSS: index ${mb(index.rss)}${verify ? `, verify ${mb(results.verify.peakRssBytes)}` : ''}`);
saveResults('export', results);
