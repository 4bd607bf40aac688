// The record stage end to end on the built engine: run in worker threads, the same output whatever the
// threads, drops counted, failures and bad stages named.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bigExport,
  type Export,
  loadBuilt,
  messagesByPython,
  type Pipeline,
  tempDir,
  writeStage,
} from './test-export.js';

let pipeline: Pipeline;
let exp: Export;
let dir: string;
let stages: string;

beforeAll(async () => {
  ({ pipeline, exp } = await loadBuilt());
  dir = await bigExport();
  stages = tempDir('stages-');
});

const REDACT = `export function createStage({ placeholder }) {
  return (table, record) => {
    if (record.type === 'reply') return null;
    return { ...record, body: record.body === null ? null : placeholder };
  };
}`;

async function ndjson(
  threads: number,
  stage: string,
  options: unknown = {},
  passThrough?: string[],
  decodeHere = false,
) {
  const ex = await exp.openExport(dir);
  try {
    const run = pipeline.readBatches(ex, ['messages'], {
      threads,
      decodeHere,
      formats: ['ndjson'],
      stage: { module: stage, options, ...(passThrough ? { passThrough: { messages: passThrough } } : {}) },
    });
    const pieces: Buffer[] = [];
    for await (const batch of run) {
      if (batch.kind === 'encoded')
        for (const piece of batch.rows.ndjson ?? []) pieces.push(Buffer.from(piece));
    }
    return { text: Buffer.concat(pieces).toString(), outcome: await run.outcome };
  } finally {
    await ex.close();
  }
}

describe('a record stage', () => {
  it('runs in the worker threads: some records are transformed off the main thread', async () => {
    const where = writeStage(
      stages,
      'where.mjs',
      `import { isMainThread } from 'node:worker_threads';
export const createStage = () => ({ transform: (table, record) => ({ ...record, subject: isMainThread ? 'main' : 'worker' }) });`,
    );
    const { text } = await ndjson(3, where);
    const subjects = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).subject as string);
    // Only a table's header is read on the calling thread: every row of it goes to the workers.
    expect(new Set(subjects)).toEqual(new Set(['worker']));
  });

  it('with decodeHere, the calling thread decodes slices waiting for a worker too: the same lines', async () => {
    const where = writeStage(
      stages,
      'where-here.mjs',
      // Slow in the worker (20 us a row), so that slices wait for it and this thread, idle, takes some.
      `import { isMainThread } from 'node:worker_threads';
export const createStage = () => ({ transform: (table, record) => {
  if (!isMainThread) for (const end = performance.now() + 0.02; performance.now() < end; );
  return { ...record, type: isMainThread ? 'main' : 'worker' };
} });`,
    );
    const { text } = await ndjson(2, where, {}, undefined, true);
    const lines = text.trim().split('\n');
    const types = new Set(lines.map((line) => JSON.parse(line).type as string));
    expect(types).toEqual(new Set(['main', 'worker']));
    const strip = (line: string) => line.replace(/"type":"(main|worker)"/, '');
    const { text: one } = await ndjson(1, where);
    expect(lines.map(strip)).toEqual(one.trim().split('\n').map(strip));
  });

  it('with decodeHere, the calling thread decodes the first slices while the worker thread starts', async () => {
    const where = writeStage(
      stages,
      'where-first.mjs',
      // A stage that takes 20 s to load in a worker thread: the worker is not ready before the table ends
      // (and is stopped mid-load when the run closes).
      `import { isMainThread } from 'node:worker_threads';
if (!isMainThread) for (const end = performance.now() + 20_000; performance.now() < end; );
export const createStage = () => ({ transform: (table, record) => ({ ...record, type: isMainThread ? 'main' : 'worker' }) });`,
    );
    const { text } = await ndjson(2, where, {}, undefined, true);
    // Handed over at once, they waited in the starting thread's queue while this one sat idle.
    const types = new Set(
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).type as string),
    );
    expect(types).toEqual(new Set(['main']));
  });

  it('a stage that loads here but not in a worker thread: every slice decoded here, the same lines', async () => {
    const here = writeStage(
      stages,
      'here-only.mjs',
      `import { isMainThread } from 'node:worker_threads';
if (!isMainThread) throw new Error('not in a worker');
export const createStage = () => ({ transform: (table, record) => ({ ...record, type: isMainThread ? 'main' : 'worker' }) });`,
    );
    for (const decodeHere of [false, true]) {
      const { text } = await ndjson(2, here, {}, undefined, decodeHere);
      const { text: one } = await ndjson(1, here);
      expect(text, `decodeHere: ${decodeHere}`).toBe(one);
    }
  });

  it('a worker thread that dies fails the table (PIPELINE_WORKER_LOST), slices still waiting for it included', async () => {
    const dies = writeStage(
      stages,
      'dies.mjs',
      `import { isMainThread } from 'node:worker_threads';
export const createStage = () => (table, record) => { if (!isMainThread) process.exit(3); return record; };`,
    );
    for (const decodeHere of [false, true]) {
      const error = await ndjson(2, dies, {}, undefined, decodeHere).catch((e: unknown) => e);
      expect(error, `decodeHere: ${decodeHere}`).toMatchObject({ code: 'PIPELINE_WORKER_LOST' });
    }
  });

  it('a stage that names its columns is given records of those only, on every thread; other cells still checked', async () => {
    const keys = writeStage(
      stages,
      'keys.mjs',
      'export const createStage = () => (table, record) => ({ seen: Object.keys(record).join(",") });',
    );
    const ex = await exp.openExport(dir);
    try {
      for (const threads of [1, 3]) {
        const run = pipeline.readBatches(ex, ['messages'], {
          threads,
          formats: ['ndjson'],
          stage: { module: keys, columns: { messages: ['type', 'body'] } },
        });
        const seen = new Set<string>();
        let lines = 0;
        for await (const batch of run) {
          if (batch.kind !== 'encoded') continue;
          for (const line of Buffer.concat((batch.rows.ndjson ?? []).map((p) => Buffer.from(p)))
            .toString()
            .trim()
            .split('\n')) {
            seen.add(JSON.parse(line).seen);
            lines++;
          }
        }
        const outcome = await run.outcome;
        expect([...seen], `threads ${threads}`).toEqual(['body,type']);
        expect(lines).toBe(messagesByPython(dir).rows);
        expect(outcome.tables.messages?.emptyColumns).toBeUndefined();
      }
      const bad = pipeline.readBatches(ex, ['messages'], {
        stage: { module: keys, columns: { mesages: ['type'] } as never },
      });
      await expect(bad.outcome).rejects.toMatchObject({ code: 'PIPELINE_BAD_OPTION' });
    } finally {
      await ex.close();
    }
  });

  it('counts value combinations where rows are decoded: the rows per type Python finds, whatever the threads', async () => {
    const truth = messagesByPython(dir);
    const ex = await exp.openExport(dir);
    try {
      const byCandidate: Map<unknown, number>[] = [];
      for (const threads of [1, 3]) {
        const counts = new Map<string, number>();
        const candidates = new Map<unknown, number>();
        byCandidate.push(candidates);
        await pipeline.readTables(
          ex,
          ['messages'],
          {
            counted: (_table, values, rows) => {
              const type = String(values.type);
              counts.set(type, (counts.get(type) ?? 0) + rows);
              candidates.set(values.candidate_id, (candidates.get(values.candidate_id) ?? 0) + rows);
            },
          },
          { threads, count: { messages: ['type', 'candidate_id'] } },
        );
        // Ids counted by workers as numbers come back as the text they were read from.
        expect([...candidates.keys()].every((id) => typeof id === 'string')).toBe(true);
        expect(
          [...counts.values()].reduce((a, b) => a + b, 0),
          `threads ${threads}`,
        ).toBe(truth.rows);
        expect(counts.get('reply'), `threads ${threads}`).toBe(truth.replies);
        expect(counts.size).toBeGreaterThan(1);
      }
      expect(byCandidate[1]).toEqual(byCandidate[0]);
    } finally {
      await ex.close();
    }
  });

  it('counts the first characters of a column when asked (chars), on this thread and in workers alike', async () => {
    const { initials } = messagesByPython(dir);
    const ex = await exp.openExport(dir);
    try {
      for (const threads of [1, 3]) {
        const counts: Record<string, number> = {};
        await pipeline.readTables(
          ex,
          ['messages'],
          {
            counted: (_table, values, rows) => {
              const initial = values.type === null ? '' : String(values.type);
              counts[initial] = (counts[initial] ?? 0) + rows;
            },
          },
          { threads, count: { messages: [{ column: 'type', chars: 1 }] } },
        );
        expect(counts, `threads ${threads}`).toEqual(initials);
      }
      const bad = pipeline.readTables(
        ex,
        ['messages'],
        {},
        { count: { messages: [{ column: 'type', chars: 0 }] } },
      );
      await expect(bad).rejects.toMatchObject({ code: 'PIPELINE_BAD_OPTION' });
    } finally {
      await ex.close();
    }
  });

  it('counts groups apart, each distinct combination of the whole table given once, alike with 1 and 3 threads', async () => {
    const truth = messagesByPython(dir);
    const ex = await exp.openExport(dir);
    try {
      const calls: string[][] = [];
      for (const threads of [1, 3]) {
        const seen: string[] = [];
        const types = new Map<unknown, number>();
        const perCandidate: Record<string, number> = {};
        await pipeline.readTables(
          ex,
          ['messages'],
          {
            counted: (_table, values, rows, group) => {
              seen.push(`${group} ${JSON.stringify(values)} ${rows}`);
              if (group === 0) types.set(values.type, (types.get(values.type) ?? 0) + rows);
              else
                perCandidate[String(values.candidate_id)] =
                  (perCandidate[String(values.candidate_id)] ?? 0) + rows;
            },
          },
          { threads, count: { messages: { groups: [['type'], ['candidate_id', 'type']] } } },
        );
        calls.push(seen);
        // Once each: a combination is never given twice, whatever slices it was in.
        const keys = seen.map((line) => line.slice(0, line.lastIndexOf(' ')));
        expect(new Set(keys).size, `threads ${threads}`).toBe(keys.length);
        expect(types.get('reply'), `threads ${threads}`).toBe(truth.replies);
        expect([...types.values()].reduce((a, b) => a + b, 0)).toBe(truth.rows);
        expect(perCandidate, `threads ${threads}`).toEqual(truth.perCandidate);
      }
      expect(calls[1]).toEqual(calls[0]);
      for (const count of [
        { messages: { groups: [['type'], [{ column: 'type', chars: 1 }]] } },
        { messages: { groups: [] } },
        { messages: { groups: [[]] } },
      ]) {
        const bad = pipeline.readTables(ex, ['messages'], {}, { count: count as never });
        await expect(bad).rejects.toMatchObject({ code: 'PIPELINE_BAD_OPTION' });
      }
    } finally {
      await ex.close();
    }
  });

  it('gives byte-identical output with 1 and 3 threads; dropped rows are counted, not lost', async () => {
    const stage = writeStage(stages, 'redact.mjs', REDACT);
    const one = await ndjson(1, stage, { placeholder: '[redacted]' });
    const three = await ndjson(3, stage, { placeholder: '[redacted]' });
    expect(three.text).toBe(one.text);
    const truth = messagesByPython(dir);
    const messages = three.outcome.tables.messages!;
    expect([messages.rows, messages.rejected, messages.dropped]).toEqual([truth.rows, 0, truth.replies]);
    const lines = three.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(truth.rows - truth.replies);
    expect(lines.every((r) => r.body === '[redacted]' && r.type !== 'reply')).toBe(true);
  });

  it('columns it passes through are written as read: the same bytes, and workers never make them values', async () => {
    const stage = writeStage(stages, 'redact.mjs', REDACT);
    const kept = ['message_id', 'sender_profile_url', 'subject'];
    for (const threads of [1, 3]) {
      const whole = await ndjson(threads, stage, { placeholder: '[redacted]' });
      const spliced = await ndjson(threads, stage, { placeholder: '[redacted]' }, kept);
      expect(spliced.text, `threads ${threads}`).toBe(whole.text);
      expect(spliced.outcome.tables.messages).toEqual(whole.outcome.tables.messages);
    }
    // A stage that writes the keys it was given into the body: workers' records lack the columns passed
    // through, which still come out as read.
    const keys = writeStage(
      stages,
      'body-keys.mjs',
      'export const createStage = () => (table, record) => ({ ...record, body: Object.keys(record).join(",") });',
    );
    const plain = (await ndjson(3, keys)).text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const lines = (await ndjson(3, keys, {}, kept)).text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const all = 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type';
    const thin = 'project_id,candidate_id,body,type';
    expect(new Set(lines.map((l) => l.body))).toEqual(new Set([thin]));
    expect(new Set(plain.map((l) => l.body))).toEqual(new Set([all]));
    expect(lines).toEqual(plain.map((l) => ({ ...l, body: lines[plain.indexOf(l)].body })));
  });

  it('a column passed through but counted stays in the records: counts and the stage still read it', async () => {
    const stage = writeStage(stages, 'redact.mjs', REDACT);
    const truth = messagesByPython(dir);
    const ex = await exp.openExport(dir);
    try {
      const counts = new Map<string, number>();
      const outcome = await pipeline.readTables(
        ex,
        ['messages'],
        {
          encoded: () => {},
          record: () => {},
          counted: (_table, values, rows) =>
            counts.set(String(values.type), (counts.get(String(values.type)) ?? 0) + rows),
        },
        {
          threads: 3,
          formats: ['ndjson'],
          count: { messages: ['type'] },
          stage: {
            module: stage,
            options: { placeholder: '-' },
            passThrough: { messages: ['message_id', 'type'] },
          },
        },
      );
      expect(counts.get('reply')).toBe(truth.replies);
      expect(outcome.tables.messages?.dropped).toBe(truth.replies);
    } finally {
      await ex.close();
    }
  });

  it('a stage that throws fails the run with PIPELINE_STAGE_FAILED, naming the table', async () => {
    const stage = writeStage(
      stages,
      'throws.mjs',
      `export const createStage = () => (table, record) => { if (record.message_id.endsWith('7')) throw new Error('boom'); return record; };`,
    );
    await expect(ndjson(3, stage)).rejects.toMatchObject({
      code: 'PIPELINE_STAGE_FAILED',
      message: expect.stringMatching(/^messages: the record stage failed \(boom\)/),
    });
  });

  it('a module without createStage, or none at all, is PIPELINE_STAGE_UNLOADABLE', async () => {
    const none = writeStage(stages, 'none.mjs', 'export const other = 1;');
    await expect(ndjson(1, none)).rejects.toMatchObject({ code: 'PIPELINE_STAGE_UNLOADABLE' });
    await expect(ndjson(1, join(stages, 'missing.mjs'))).rejects.toMatchObject({
      code: 'PIPELINE_STAGE_UNLOADABLE',
    });
  });
});

describe('readBatches', () => {
  it('gives records without formats, every row once, in file order', async () => {
    const ex = await exp.openExport(dir);
    const run = pipeline.readBatches(ex, ['messages'], { threads: 3 });
    let rows = 0;
    let last = '';
    let ordered = true;
    for await (const batch of run) {
      if (batch.kind !== 'records') continue;
      for (const record of batch.records) {
        const id = String(record.message_id);
        if (id.localeCompare(last, 'en', { numeric: true }) < 0) ordered = false;
        last = id;
        rows += 1;
      }
    }
    await ex.close();
    expect(rows).toBe(messagesByPython(dir).rows);
    expect(ordered).toBe(true);
  });

  it('stops reading when the loop is left early', async () => {
    const ex = await exp.openExport(dir);
    const run = pipeline.readBatches(ex, ['messages'], { threads: 3, formats: ['ndjson'] });
    for await (const batch of run) if (batch.kind === 'encoded') break;
    await expect(run.outcome).rejects.toThrow();
    await ex.close();
  });

  it('gives records of the columns asked for only, with the same rows and rejects', async () => {
    const ex = await exp.openExport(dir);
    try {
      const run = pipeline.readBatches(ex, ['messages'], {
        threads: 3,
        columns: { messages: ['type', 'body'] },
      });
      const keys = new Set<string>();
      let rows = 0;
      for await (const batch of run) {
        if (batch.kind !== 'records') continue;
        for (const record of batch.records) keys.add(Object.keys(record).sort().join(','));
        rows += batch.records.length;
      }
      expect([...keys]).toEqual(['body,type']);
      expect(rows).toBe(messagesByPython(dir).rows);
      const encoded = pipeline.readBatches(ex, ['messages'], {
        formats: ['ndjson'],
        columns: { messages: ['type'] },
      });
      await expect(encoded.outcome).rejects.toMatchObject({ code: 'PIPELINE_BAD_OPTION' });
    } finally {
      await ex.close();
    }
  });

  it('checks its options in one place (PIPELINE_BAD_OPTION)', async () => {
    const ex = await exp.openExport(dir);
    await expect(pipeline.readTables(ex, ['messages'], {}, { threads: 0 })).rejects.toMatchObject({
      code: 'PIPELINE_BAD_OPTION',
    });
    await ex.close();
  });
});
