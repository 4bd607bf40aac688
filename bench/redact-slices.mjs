// The worker threads' part of `convert --policy default` alone: every 1 MiB slice of the messages table
// decoded to NDJSON on one thread, as a worker decodes it (the engine's internal `decodeSlice`), in CPU
// time. Cases: `plain` (no stage), `records` (the default policy's stage, every column through records),
// `bytes` (the same stage with the columns the policy keeps passed through as bytes). Cases are run slice by
// slice in turn in one process, so a busy machine slows them alike; `--other DIR` adds the same cases from
// another checkout's build (e.g. the version before), interleaved too. Prints a digest of each case's output.
// Usage: node bench/redact-slices.mjs [--candidates 20000] [--repeat 2] [--cases plain,records,bytes]
//                                     [--other DIR]
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, dataDir, root } from './_lib.mjs';

const candidates = Number(arg('candidates', '20000'));
const repeat = Number(arg('repeat', '2'));
const cases = arg('cases', 'plain,records,bytes').split(',');
const other = arg('other', undefined);

// The export and extracted tables bench/redact.mjs makes.
const dir = join(dataDir, `redact-${candidates}-30`);
if (!existsSync(join(`${dir}.csv`, 'Messages.csv'))) {
  console.error(`no ${dir}.csv/Messages.csv: run node bench/redact.mjs --candidates ${candidates} first`);
  process.exit(2);
}
const csv = readFileSync(join(`${dir}.csv`, 'Messages.csv'));
const headerEnd = csv.indexOf(10);
const header = csv.subarray(0, headerEnd).toString().split(',');
const work = mkdtempSync(join(tmpdir(), 'bench-redact-slices-'));
writeFileSync(join(work, 'key'), 'ab'.repeat(32));

/** The cases of one build: its own modules, stage, slices and pieces. */
async function build(from, label) {
  const load = (path) => import(join(from, 'packages', path));
  // A build from before the packages were bundled has no internal.js: its modules are files of their own.
  const { decodeSlice, loadStage } = existsSync(join(from, 'packages/pipeline/dist/internal.js'))
    ? await load('pipeline/dist/internal.js')
    : { ...(await load('pipeline/dist/slices/decode.js')), ...(await load('pipeline/dist/stage.js')) };
  const { RecordSplitter } = await load('schema/dist/internal.js');
  const { PiecePool } = await load('writers/dist/internal.js');
  const redact = await load('redact/dist/index.js');
  const { openExport } = await load('export/dist/index.js');
  const { readBatches } = await load('pipeline/dist/index.js');
  const builder = new redact.DictionaryBuilder();
  const ex = await openExport(dir);
  const run = readBatches(ex, ['candidates'], { threads: 1 });
  for await (const b of run)
    if (b.kind === 'records') for (const r of b.records) builder.add('candidates', r);
  await run.outcome;
  await ex.close();
  const policy = redact.loadPolicy('default');
  const options = { policy, keyFile: join(work, 'key'), dictionary: builder.build() };
  const made = [];
  for (const name of cases) {
    const transform =
      name === 'plain' ? undefined : await loadStage({ module: redact.STAGE_MODULE, options });
    const asRead = name === 'bytes' ? redact.passThroughColumns?.(policy).messages : undefined;
    if (name === 'bytes' && !asRead) continue;
    const splitter = new RecordSplitter(1024 * 1024);
    const slices = [];
    for (let at = headerEnd + 1; at < csv.length; at += 65_536)
      slices.push(...splitter.push(csv.subarray(at, Math.min(at + 65_536, csv.length))));
    slices.push(...splitter.end());
    const pool = new PiecePool();
    const one = { label: `${label}${name}`, slices, cpu: 0, hash: createHash('sha256') };
    one.decode = (i, final) => {
      const s = slices[i];
      const job = { table: 'messages', file: undefined, maxRecordBytes: undefined, header, offset: s.offset };
      Object.assign(job, { parts: s.parts, final, formats: ['ndjson'], refColumns: [] });
      if (asRead) job.asRead = asRead;
      const start = process.cpuUsage();
      const result = decodeSlice(job, pool, transform);
      const used = process.cpuUsage(start);
      one.cpu += used.user + used.system;
      if (!result.ok) throw new Error(`slice ${i}: ${result.why}`);
      return result.encoded;
    };
    one.give = (encoded) => {
      for (const buffer of PiecePool.reusable(encoded)) pool.give(buffer);
    };
    made.push(one);
  }
  return made;
}

try {
  const all = [...(await build(root, '')), ...(other ? await build(other, 'other ') : [])];
  const n = all[0].slices.length;
  let rows = 0;
  for (let r = 0; r < repeat; r++) {
    for (let i = 0; i < n; i++) {
      for (const one of (i + r) % 2 === 0 ? all : [...all].reverse()) {
        const encoded = one.decode(i, i === n - 1);
        if (r === 0) for (const piece of encoded.ndjson) one.hash.update(piece);
        if (r === 0 && one === all[0]) rows += encoded.rows;
        one.give(encoded);
      }
    }
  }
  console.log(`messages: ${rows} rows in ${n} slices, ${repeat} runs, CPU time per run (one thread)`);
  for (const one of all) {
    const us = one.cpu / repeat;
    console.log(
      `${one.label.padEnd(16)} ${(us / 1e6).toFixed(2)} s = ${(us / rows).toFixed(2)} us a row; output ${one.hash.digest('hex').slice(0, 16)}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
