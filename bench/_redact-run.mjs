// One measured run for bench/redact.mjs (a child process, so its peak RSS is its own):
//   plain EXPORT OUT THREADS        messages -> NDJSON, no stage
//   redact EXPORT OUT THREADS WORK  dictionary from candidates and the messages' senders, then messages ->
//                                   NDJSON through the stage
//   dictionary N WORK               a dictionary of N synthetic candidates, built and written
//   load FILE THREADS / noop THREADS a dictionary loaded once into shared memory and read by THREADS worker
//                                   threads as their stages read it / the same threads with nothing, for peak RSS
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { root } from './_lib.mjs';

const load = (pkg) => import(join(root, 'packages', pkg, 'dist', 'index.js'));
const [mode, ...rest] = process.argv.slice(2);

async function messages(dir, out, threads, stage) {
  const { openExport } = await load('export');
  const { readBatches } = await load('pipeline');
  const ex = await openExport(dir);
  const file = createWriteStream(out);
  try {
    // As convert reads: this thread decodes slices too while the workers are well stocked.
    const run = readBatches(ex, ['messages'], {
      threads,
      formats: ['ndjson'],
      decodeHere: true,
      ...(stage ? { stage } : {}),
    });
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
  // As convert --policy does: the messages' senders, from the URL fields of its bytes, scanned while the
  // candidates are read and given to the builder after them.
  const senders = redact.profileFieldsIn(await ex.openTable('messages'));
  const run = readBatches(ex, ['candidates'], {
    threads: Number(threads),
    columns: { candidates: redact.DICTIONARY_COLUMNS },
  });
  for await (const batch of run)
    if (batch.kind === 'records') for (const r of batch.records) builder.add('candidates', r);
  await run.outcome;
  for (const url of await senders) builder.addProfile(url);
  await ex.close();
  const dictionary = join(work, 'dictionary.json');
  await builder.write(dictionary);
  const keyFile = join(work, 'key');
  writeFileSync(keyFile, 'ab'.repeat(32));
  const counters = redact.createCounters();
  // As convert --policy does it: loaded once, every thread's stage reading the same memory.
  const policy = redact.loadPolicy('default');
  await messages(dir, out, Number(threads), {
    module: redact.STAGE_MODULE,
    options: { policy, keyFile, dictionary: redact.loadDictionary(dictionary).memory, counters },
    passThrough: redact.passThroughColumns(policy),
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
  // What a run holds: the dictionary read once, and each thread's view of it (with a few lookups).
  const redact = await load('redact');
  const dict = redact.loadDictionary(rest[0]);
  await threads(Number(rest[1] ?? 0), dict.memory);
  console.error(JSON.stringify({ candidates: dict.candidates }));
} else if (mode === 'noop') {
  await load('redact');
  await threads(Number(rest[0] ?? 0));
} else {
  throw new Error(`unknown mode ${mode}`);
}

/** Worker threads that load the redact package and, given a memory, make a dictionary of it and use it. */
async function threads(n, memory) {
  const code = `
    import { workerData, parentPort } from 'node:worker_threads';
    const redact = await import(workerData.url);
    let candidates = 0;
    if (workerData.memory) {
      const dict = new redact.Dictionary(workerData.memory);
      for (let i = 0; i < 1000; i++) dict.ordinal(String(1_000_000_000 + i * 7));
      candidates = dict.candidates;
    }
    parentPort.postMessage(candidates);`;
  const url = new URL(`file://${join(root, 'packages', 'redact', 'dist', 'index.js')}`).href;
  await Promise.all(
    Array.from({ length: n }, () => {
      const worker = new Worker(code, { eval: true, workerData: { url, memory } });
      return new Promise((resolve, reject) => {
        worker.once('message', () => resolve(worker.terminate()));
        worker.once('error', reject);
      });
    }),
  );
}
