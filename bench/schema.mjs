// Decoding one large table: our decoder vs csv-parse vs DuckDB read_csv, on the same generated messages CSV.
// Usage (after `pnpm --filter @talent-export/schema build`): node bench/schema.mjs [--mb 800] [--no-csv-parse]
// Each case runs in its own child process so peak RSS is that case's alone.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, dataDir, mb, printTable, root, saveResults, timed } from './_lib.mjs';

const pkg = join(root, 'packages', 'schema');
const requireFromPkg = createRequire(join(pkg, 'package.json'));
const load = (name) => import(pathToFileURL(requireFromPkg.resolve(name)).href);

const [, , mode, file, expected] = process.argv;
if (mode === '--child') await child(file, Number(expected), process.argv[5]);
else await main();

async function main() {
  const size = Number(arg('mb', '800'));
  const { path, rows } = await generate(size);
  const bytes = statSync(path).size;
  console.log(`messages table: ${(bytes / 1024 / 1024).toFixed(0)} MB, ${rows} rows`);
  const run = (kind) =>
    timed(process.execPath, [join(root, 'bench', 'schema.mjs'), '--child', path, String(rows), kind], {
      node: true,
    });
  const ours = run('ours');
  const duckVarchar = run('duckdb-varchar');
  const duckTyped = run('duckdb-typed');
  const rowsOut = [
    {
      name: 'decode vs read_csv all_varchar count',
      ours: ours.seconds,
      reference: duckVarchar.seconds,
      rss: ours.rss,
      target: '<= 2x, < 200 MB',
    },
    {
      name: 'decode vs read_csv typed (sum of body lengths)',
      ours: ours.seconds,
      reference: duckTyped.seconds,
      rss: ours.rss,
      target: '<= 2x, < 200 MB',
    },
  ];
  let csvParse;
  if (!process.argv.includes('--no-csv-parse')) {
    csvParse = run('csv-parse');
    rowsOut.push({
      name: 'csv-parse 7 (rows only, untyped) vs read_csv',
      ours: csvParse.seconds,
      reference: duckVarchar.seconds,
      rss: csvParse.rss,
    });
  }
  printTable(`schema: decode a ${(bytes / 1024 / 1024).toFixed(0)} MB messages table`, rowsOut);
  console.log(
    `DuckDB peak RSS: all_varchar ${mb(duckVarchar.rss)}, typed ${mb(duckTyped.rss)}; ours ${(bytes / 1024 / 1024 / ours.seconds).toFixed(0)} MB/s`,
  );
  saveResults('schema', {
    input: { table: 'messages', bytes, rows },
    ours: { seconds: ours.seconds, peakRss: ours.rss },
    duckdbAllVarchar: { seconds: duckVarchar.seconds, peakRss: duckVarchar.rss },
    duckdbTyped: { seconds: duckTyped.seconds, peakRss: duckTyped.rss },
    ...(csvParse ? { csvParse: { seconds: csvParse.seconds, peakRss: csvParse.rss } } : {}),
    ratio: { allVarchar: ours.seconds / duckVarchar.seconds, typed: ours.seconds / duckTyped.seconds },
  });
}

/** A deterministic messages table with ~1.5 kB bodies holding line breaks, quotes and commas. */
async function generate(size) {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, `schema-messages-${size}mb.csv`);
  const target = size * 1024 * 1024;
  const words =
    'hello, we would "love" to talk; the role is remote\nplease reply by Friday, thanks! ünïcode ok'.split(
      ' ',
    );
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const bodies = [];
  for (let b = 0; b < 64; b += 1) {
    let body = '';
    while (body.length < 1400 + (next() % 200)) body += `${words[next() % words.length]} `;
    bodies.push(`"${body.replaceAll('"', '""')}"`);
  }
  let rows = 0;
  let written = 0;
  if (existsSync(path)) {
    // Row count is stored beside the data so a rerun skips generation.
    rows = Number((await import('node:fs')).readFileSync(`${path}.rows`, 'utf8'));
    return { path, rows };
  }
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  out.write('message_id,project_id,candidate_id,sender_profile_url,subject,body,type\r\n');
  while (written < target) {
    let block = '';
    for (let i = 0; i < 500; i += 1, rows += 1) {
      block += `${100000000 + rows},p${rows % 997},${rows % 50000},https://www.linkedin.com/in/sender-${rows % 300},"Re: role ${rows}, ""senior""",${bodies[rows % 64]},InMail\r\n`;
    }
    written += Buffer.byteLength(block);
    if (!out.write(block)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  renameSync(tmp, path);
  (await import('node:fs')).writeFileSync(`${path}.rows`, String(rows));
  return { path, rows };
}

async function child(path, rows, kind) {
  let count;
  if (kind === 'ours') {
    const { decodeTable } = await import(pathToFileURL(join(pkg, 'dist', 'index.js')).href);
    count = 0;
    const items = decodeTable('messages', createReadStream(path, { highWaterMark: 1024 * 1024 }));
    for await (const item of items) if (item.kind === 'record') count += 1;
  } else if (kind === 'csv-parse') {
    const { parse } = await load('csv-parse');
    count = -1; // the header
    for await (const _ of createReadStream(path, { highWaterMark: 1024 * 1024 }).pipe(
      parse({ relax_column_count: true }),
    ))
      count += 1;
  } else {
    const { DuckDBInstance } = await load('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const sql =
      kind === 'duckdb-varchar'
        ? `SELECT count(*) FROM read_csv('${path}', header = true, all_varchar = true)`
        : `SELECT count(*), sum(length(body)) FROM read_csv('${path}', header = true, columns = {'message_id': 'VARCHAR', 'project_id': 'VARCHAR', 'candidate_id': 'VARCHAR', 'sender_profile_url': 'VARCHAR', 'subject': 'VARCHAR', 'body': 'VARCHAR', 'type': 'VARCHAR'})`;
    const reader = await conn.runAndReadAll(sql);
    count = Number(reader.getRows()[0][0]);
    conn.closeSync();
    db.closeSync();
  }
  if (count !== rows) {
    console.error(`${kind}: expected ${rows} rows, got ${count}`);
    process.exit(1);
  }
}
