// Benchmark: @talent-export/writers vs DuckDB COPY on the same messages-like table.
// Usage (from the repo root, after `pnpm --filter @talent-export/writers build`):
//   node bench/writers.mjs [--mb 800]
// Generates bench/data/messages-<mb>mb.csv once, then times each format in its own child process
// (peak RSS from process.resourceUsage().maxRSS) and writes bench/results/writers.json.
import { execFileSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const writersDir = join(root, 'packages/writers');
const writers = await import(join(writersDir, 'dist/index.js'));
const { SCHEMAS } = await import(
  createRequire(join(writersDir, 'package.json')).resolve('@talent-export/schema')
);
const fields = SCHEMAS.messages.fields;
const FORMATS = ['ndjson', 'csv', 'parquet'];

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const mb = Number(arg('mb', '800'));
const dataDir = join(root, 'bench/data');
const csvPath = join(dataDir, `messages-${mb}mb.csv`);
const metaPath = `${csvPath}.json`;

// Deterministic messages: ids beyond 2^53, unicode, newlines, quotes and commas in bodies.
function* messages(rows) {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const words = [
    'hello',
    'Zoë',
    'candidat',
    '面试',
    'offer',
    'role,',
    '"senior"',
    'team',
    '😀',
    'schedule',
    'next\nweek',
  ];
  const bodies = Array.from({ length: 512 }, () =>
    Array.from(
      { length: 40 + Math.floor(rand() * 260) },
      () => words[Math.floor(rand() * words.length)],
    ).join(' '),
  );
  for (let i = 0; i < rows; i++) {
    yield {
      message_id: String(9007199254740993n + BigInt(i)),
      project_id: String(100000 + (i % 997)),
      candidate_id: String(5000000 + (i % 50021)),
      sender_profile_url: `https://www.linkedin.com/in/sender-${i % 311}`,
      subject: i % 7 === 0 ? null : `Re: role ${i % 101}`,
      // Unique per row, as real bodies are, so no format wins by dictionary-encoding a small pool.
      body: `#${i} ${bodies[i % 512]} ${bodies[(i * 31 + 7) % 509]}`,
      type: ['InMail', 'email', 'reply'][i % 3],
    };
  }
}

async function generate() {
  mkdirSync(dataDir, { recursive: true });
  const out = createWriteStream(csvPath);
  out.write(writers.csvHeader(fields));
  let rows = 0;
  for (const record of messages(Number.MAX_SAFE_INTEGER)) {
    if (!out.write(writers.encodeCsvRow(record, fields))) await new Promise((r) => out.once('drain', r));
    rows++;
    if (rows % 1000 === 0 && out.bytesWritten + out.writableLength >= mb * 1e6) break;
  }
  await new Promise((r) => out.end(r));
  writeFileSync(metaPath, JSON.stringify({ rows }));
}

async function child(kind, format, rows, outDir) {
  const started = performance.now();
  if (kind === 'gen') {
    let chars = 0;
    for (const record of messages(rows)) chars += record.body.length;
    if (chars === 0) throw new Error('bench: the generator produced no text');
  } else if (kind === 'ours') {
    // As the CLI runs it: a tighter heap growth keeps peak RSS near the live set.
    setFlagsFromString('--heap-growing-percent=10');
    const output = await writers.openOutput({ dir: outDir, formats: [format] });
    await writers.writeAll(output.table('messages', fields), messages(rows));
    await output.finish();
  } else {
    const { DuckDBInstance } = await import(
      createRequire(join(writersDir, 'package.json')).resolve('@duckdb/node-api')
    );
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const columns = `{${fields.map((f) => `'${f.name}': 'VARCHAR'`).join(', ')}}`;
    const target = join(outDir, `messages.${format === 'ndjson' ? 'json' : format}`);
    await db.run(
      `COPY (SELECT * FROM read_csv('${csvPath}', header = true, columns = ${columns}, allow_quoted_nulls = false)) ` +
        `TO '${target}' (FORMAT ${format === 'ndjson' ? 'json' : format})`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

if (args[0] === '--child') {
  await child(args[1], args[2], Number(args[3]), args[4]);
} else {
  if (!existsSync(metaPath)) await generate();
  const { rows } = JSON.parse(readFileSync(metaPath, 'utf8'));
  const inputMb = statSync(csvPath).size / 1e6;
  const run = (kind, format) => {
    const outDir = join(dataDir, `out-${kind}-${format}`);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const text = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', kind, format, String(rows), outDir, '--mb', String(mb)],
      {
        encoding: 'utf8',
      },
    );
    const result = JSON.parse(text);
    const files = kind === 'gen' ? [] : execFileSync('du', ['-sb', outDir], { encoding: 'utf8' });
    return { ...result, outputMb: kind === 'gen' ? 0 : Number(String(files).split('\t')[0]) / 1e6 };
  };
  const generation = run('gen', 'none');
  console.log(
    `input: ${rows} rows, ${inputMb.toFixed(0)} MB as CSV; record generation alone ${generation.seconds.toFixed(1)} s`,
  );
  const results = [];
  for (const format of FORMATS) {
    const ours = run('ours', format);
    const duckdb = run('duckdb', format);
    const row = {
      format,
      ours: { ...ours, netSeconds: ours.seconds - generation.seconds },
      duckdb,
      ratio: ours.seconds / duckdb.seconds,
    };
    results.push(row);
    console.log(
      `${format.padEnd(8)} ours ${ours.seconds.toFixed(1)} s (net of generation ${row.ours.netSeconds.toFixed(1)} s, ` +
        `peak RSS ${ours.peakRssMb.toFixed(0)} MB, ${ours.outputMb.toFixed(0)} MB out) | duckdb ${duckdb.seconds.toFixed(1)} s ` +
        `(peak RSS ${duckdb.peakRssMb.toFixed(0)} MB, ${duckdb.outputMb.toFixed(0)} MB out) | ours/duckdb ${row.ratio.toFixed(2)}x`,
    );
  }
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, 'bench/results/writers.json'),
    `${JSON.stringify({ rows, inputMb, generationSeconds: generation.seconds, results }, null, 2)}\n`,
  );
  for (const kind of ['ours', 'duckdb'])
    for (const f of FORMATS) rmSync(join(dataDir, `out-${kind}-${f}`), { recursive: true, force: true });
}
