// One measured run for bench/redact.mjs (a child process, so its peak RSS is its own):
//   plain EXPORT OUT THREADS        messages -> NDJSON, no stage
//   redact EXPORT OUT THREADS WORK  dictionary from candidates, then messages -> NDJSON through the stage
//   dictionary N WORK               a dictionary of N synthetic candidates, built and written
//   load FILE / noop                a dictionary loaded as a stage loads it / nothing, for peak RSS
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './_lib.mjs';

const load = (pkg) => import(join(root, 'packages', pkg, 'dist', 'index.js'));
const [mode, ...rest] = process.argv.slice(2);

async function messages(dir, out, threads, stage) {
  const { openExport } = await load('export');
  const { readBatches } = await load('pipeline');
  const ex = await openExport(dir);
  const file = createWriteStream(out);
  try {
    const run = readBatches(ex, ['messages'], { threads, formats: ['ndjson'], ...(stage ? { stage } : {}) });
    for await (const batch of run) {
      if (batch.kind !== 'encoded') continue;
      for (const piece of batch.rows.ndjson ?? [])
        if (!file.write(piece)) await new Promise((r) => file.once('drain', r));
    }
    await run.outcome;
  } finally {
    await new Promise((r) => file.end(r));
    await ex.close();
  }
}

if (mode === 'plain') {
  const [dir, out, threads] = rest;
  await messages(dir, out, Number(threads));
} else if (mode === 'redact') {
  const [dir, out, threads, work] = rest;
  const redact = await load('redact');
  const { openExport } = await load('export');
  const { readBatches } = await load('pipeline');
  const builder = new redact.DictionaryBuilder();
  const ex = await openExport(dir);
  const run = readBatches(ex, ['candidates'], { threads: Number(threads) });
  for await (const batch of run)
    if (batch.kind === 'records') for (const r of batch.records) builder.add('candidates', r);
  await run.outcome;
  await ex.close();
  const dictionary = join(work, 'dictionary.json');
  await builder.write(dictionary);
  const keyFile = join(work, 'key');
  writeFileSync(keyFile, 'ab'.repeat(32));
  const counters = redact.createCounters();
  await messages(dir, out, Number(threads), {
    module: redact.STAGE_MODULE,
    options: { policy: redact.loadPolicy('default'), keyFile, dictionary, counters },
  });
} else if (mode === 'dictionary') {
  const [n, work] = rest;
  const redact = await load('redact');
  const builder = new redact.DictionaryBuilder();
  // Names as varied as a real export's: 40k first names, 150k last names.
  for (let i = 0; i < Number(n); i++) {
    builder.add('candidates', {
      candidate_id: String(1_000_000_000 + i * 7),
      first_name: `Firstname${(i * 7919) % 40_000}`,
      last_name: `Lastname${(i * 104_729) % 150_000}`,
      phone_numbers: [
        `+1 (${200 + (i % 800)}) 555-${String(i % 10_000).padStart(4, '0')}`,
        `+44 7700 ${String(i).padStart(6, '0')}`,
      ],
    });
  }
  await builder.write(join(work, 'dictionary.json'));
} else if (mode === 'load') {
  // What one thread's stage holds: the dictionary loaded (peak RSS includes parsing the file).
  const redact = await load('redact');
  const dict = redact.loadDictionary(rest[0]);
  console.error(JSON.stringify({ candidates: dict.candidates }));
} else if (mode === 'noop') {
  await load('redact');
} else {
  throw new Error(`unknown mode ${mode}`);
}
