// TableReader against one decoder reading the whole input: slices are decoded in-process by `trySlice`
// (what a worker does), answered at once, later, out of order or not at all (a lost worker), and whatever
// happens the records, rejects, reference tallies and counts must be those of the one decoder.

import { prng, type Prng as Rng } from '@talent-export/sample';
import {
  createTableDecoder,
  type Decoded,
  type DecodeOptions,
  type Reject,
  SCHEMAS,
  type TableStats,
  type TypedRecord,
  type Value,
} from '@talent-export/schema';
import { describe, expect, it } from 'vitest';
import { type SliceJob, type SliceResult, trySlice, wholeBuffers } from './decode.js';
import { type SliceOk, TableReader } from './reader.js';

const HEADER = SCHEMAS.messages.fields.map((f) => f.name).join(',');
const REF_COLUMNS = ['project_id', 'candidate_id'] as const;
const FILE = 'Contract_7/Messages.csv';
const BOM = '\ufeff';

/** Cells for the free-text columns: well-formed, each on its own or several to a row. */
const TEXTS = [
  'hello',
  '',
  '""',
  'plain text with spaces',
  '"a, b, c"',
  '"say ""hi"" twice"',
  '""""',
  '"line one\nline two"',
  '"crlf\r\ninside"',
  '"two\n\nblank lines\n"',
  '"a lone\rcr inside"',
  'Zoë 😀 日本語',
  '"Grüße,\n🙂 ""Zitat"" — ok"',
  'https://www.linkedin.com/in/someone',
];
/** Without line feeds anywhere (for CR-only tables). */
const NO_LF_TEXTS = TEXTS.filter((t) => !t.includes('\n'));

type RowKind =
  | 'good'
  | 'few'
  | 'many'
  | 'afterQuote'
  | 'missingId'
  | 'badUtf8'
  | 'stray'
  | 'multiline'
  | 'blank';

interface TableSpec {
  rows: number;
  bom?: boolean;
  /** Line ends to pick from, per row. */
  eols?: readonly string[];
  /** Kinds of row and their weights; good rows otherwise. */
  kinds?: Partial<Record<RowKind, number>>;
  texts?: readonly string[];
  /** Ends without a line end after the last row. */
  openEnd?: boolean;
  /** Raw rows placed at these row numbers (replacing the generated ones). */
  at?: Record<number, string>;
  /** Text after the last row. */
  tail?: string;
}

function makeRow(rng: Rng, i: number, kind: RowKind, texts: readonly string[]): Buffer {
  const cells = [
    `m${i}`,
    rng.pick(['p1', 'p2', 'p3', 'p9', '']),
    rng.pick(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c77', '']),
    rng.pick(texts),
    rng.pick(texts),
    rng.pick(texts),
    rng.pick(['email', 'inmail', 'reply', '']),
  ];
  switch (kind) {
    case 'few':
      return Buffer.from(cells.slice(0, rng.int(1, 6)).join(','));
    case 'many':
      return Buffer.from([...cells, 'extra', ...(rng.chance(0.5) ? ['"more, more"'] : [])].join(','));
    case 'afterQuote':
      cells[4] = '"closed"then text';
      return Buffer.from(cells.join(','));
    case 'missingId':
      cells[0] = '';
      return Buffer.from(cells.join(','));
    case 'stray':
      cells[4] = 'it"s unquoted';
      return Buffer.from(cells.join(','));
    case 'multiline':
      cells[5] = `"body of ${i}\nsecond line, with a comma\n""quoted"" third"`;
      return Buffer.from(cells.join(','));
    case 'badUtf8': {
      const head = cells.slice(0, 5).join(',');
      return Buffer.concat([
        Buffer.from(`${head},bad `),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(',email'),
      ]);
    }
    default:
      return Buffer.from(cells.join(','));
  }
}

function makeTable(rng: Rng, spec: TableSpec): Buffer {
  const eols = spec.eols ?? ['\n', '\r\n'];
  const texts = spec.texts ?? TEXTS;
  const kinds = Object.entries(spec.kinds ?? {}) as [RowKind, number][];
  const parts: Buffer[] = [Buffer.from(`${spec.bom ? BOM : ''}${HEADER}${rng.pick(eols)}`)];
  for (let i = 1; i <= spec.rows; i++) {
    let kind: RowKind = 'good';
    for (const [k, p] of kinds) if (rng.chance(p)) kind = k;
    const eol = i === spec.rows && spec.openEnd ? '' : rng.pick(eols);
    const fixed = spec.at?.[i];
    if (kind === 'blank' && fixed === undefined) {
      parts.push(Buffer.from(eol || rng.pick(eols)));
      continue;
    }
    parts.push(fixed === undefined ? makeRow(rng, i, kind, texts) : Buffer.from(fixed), Buffer.from(eol));
  }
  if (spec.tail !== undefined) parts.push(Buffer.from(spec.tail));
  return Buffer.concat(parts);
}

/** A copy in a buffer of its own (Buffer.concat would take small ones from a shared pool). */
const own = (view: Uint8Array) => Buffer.from(new Uint8Array(view).buffer);

/**
 * The input in chunks of random sizes: views of a shared buffer (as zlib gives them) or, as file streams
 * give them, each in a buffer of its own, which is handed to workers rather than copied.
 */
function chunked(rng: Rng, input: Buffer): Buffer[] {
  const max = rng.pick([3, 64, 700, 5000]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < input.length; ) {
    const size = Math.min(rng.int(1, max), input.length - at);
    const view = input.subarray(at, at + size);
    chunks.push(rng.chance(0.5) ? view : own(view));
    at += size;
  }
  return chunks;
}

interface Seen {
  records: TypedRecord[];
  rejects: Reject[];
  /** Reference combinations, one per decoded row, sorted. */
  combos: string[];
  stats: Pick<TableStats, 'rowsRead' | 'rowsDecoded' | 'rowsRejected' | 'bytes'> | undefined;
  error: { name: string; code: unknown; message: string } | undefined;
}

const comboOf = (values: readonly Value[]) => JSON.stringify(values);
const refsOf = (record: TypedRecord) => comboOf(REF_COLUMNS.map((c) => record[c] ?? null));
const countsOf = ({ rowsRead, rowsDecoded, rowsRejected, bytes }: TableStats) => ({
  rowsRead,
  rowsDecoded,
  rowsRejected,
  bytes,
});
const errorOf = (error: unknown) => {
  const e = error as { name?: string; code?: unknown; message?: string };
  return { name: String(e?.name), code: e?.code, message: String(e?.message ?? error) };
};

/** What one decoder reading the whole input gives. */
function whole(chunks: readonly Buffer[], options: DecodeOptions): Seen {
  const seen: Seen = { records: [], rejects: [], combos: [], stats: undefined, error: undefined };
  const decoder = createTableDecoder('messages', options);
  const take = (items: Decoded[]) => {
    for (const item of items) {
      if (item.kind === 'reject') seen.rejects.push(item.reject);
      else {
        seen.records.push(item.record);
        seen.combos.push(refsOf(item.record));
      }
    }
  };
  try {
    for (const chunk of chunks) take(decoder.push(chunk));
    take(decoder.end());
    seen.stats = countsOf(decoder.stats);
  } catch (error) {
    seen.error = errorOf(error);
  }
  seen.combos.sort();
  return seen;
}

interface Workers {
  /** Share of slices answered "not usable" (bytes given back), as a worker that cannot use them does. */
  lost: number;
  /** Answers after a delay come without the bytes handed over, as from a worker that died. */
  vanish?: boolean;
  /** What the lost worker failed with (the pool passes its 'error' event on). */
  cause?: Error;
  /** Share answered before `run` returns; the others after up to `maxDelay` ms, so out of order. */
  sync: number;
  maxDelay: number;
  /**
   * Share of the later answers that wait for a worker meanwhile, as the pool holds slices back: the
   * reader, about to wait, may decode them itself (`help`), the youngest first.
   */
  held?: number;
}

interface Call {
  job: SliceJob;
  result: SliceResult | undefined;
  used: boolean;
}

interface Sliced extends Seen {
  calls: Call[];
  /** Rows decoded on the calling thread. */
  here: number;
  /** Slices the reader decoded itself rather than wait (`help`). */
  helped: number;
  /** What the sinks were given, in order: 'items' (decoded on the calling thread) or 'slice' (a used result). */
  events: ('items' | 'slice')[];
}

/** What a TableReader gives, its slices decoded by `trySlice` here, in this thread. */
async function sliced(
  rng: Rng,
  chunks: readonly Buffer[],
  options: DecodeOptions,
  parallel: { sliceBytes: number; inFlight: number },
  workers: Workers,
): Promise<Sliced> {
  const seen: Sliced = {
    here: 0,
    helped: 0,
    records: [],
    rejects: [],
    combos: [],
    stats: undefined,
    error: undefined,
    calls: [],
    events: [],
  };
  const byResult = new Map<SliceResult, Call>();
  const run = (job: SliceJob): Promise<SliceResult> => {
    const call: Call = { job, result: undefined, used: false };
    seen.calls.push(call);
    // Every choice is made now, so the random sequence does not depend on timer order.
    const lost = rng.chance(workers.lost);
    const sync = rng.chance(workers.sync);
    const delay = rng.int(0, workers.maxDelay);
    const answer = (post: boolean): SliceResult => {
      // As postMessage does: bytes filling a buffer of their own are handed over (emptied here), others copied.
      const parts = post ? structuredClone(job.parts, { transfer: wholeBuffers(job.parts) }) : job.parts;
      let result: SliceResult = lost
        ? Object.assign({ ok: false as const, why: 'worker thread exited' }, { cause: workers.cause })
        : trySlice({ ...job, parts });
      // A worker gives the bytes back with its answer; one that died (vanish) gives nothing back.
      if (post && (result.ok || !workers.vanish)) result = { ...result, parts };
      call.result = result;
      byResult.set(result, call);
      return result;
    };
    if (sync) return Promise.resolve(answer(false));
    const waits = rng.chance(workers.held ?? 0);
    return new Promise((resolve) => {
      let answered = false;
      const once = (post: boolean) => {
        if (answered) return;
        answered = true;
        resolve(answer(post));
      };
      const entry = () => once(false);
      if (waits) held.push(entry);
      setTimeout(() => {
        // Begun by a worker: no longer there to take.
        if (held.includes(entry)) held.splice(held.indexOf(entry), 1);
        once(true);
      }, delay);
    });
  };
  const held: (() => void)[] = [];
  const help = (now: boolean): boolean => {
    if (held.length === 0) return false;
    if (now) {
      seen.helped += 1;
      held.pop()!();
    }
    return true;
  };
  const wait = () => (rng.chance(0.3) ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined);
  const reader = new TableReader(
    'messages',
    options,
    {
      items(items: Decoded[]) {
        seen.events.push('items');
        seen.here += items.length;
        for (const item of items) {
          if (item.kind === 'reject') seen.rejects.push(item.reject);
          else {
            seen.records.push(item.record);
            seen.combos.push(refsOf(item.record));
          }
        }
        return wait();
      },
      slice(done: SliceOk) {
        seen.events.push('slice');
        const call = byResult.get(done);
        expect(call, 'a used result is one that run answered').toBeDefined();
        expect(call!.used, 'a result is used once').toBe(false);
        call!.used = true;
        const text = Buffer.concat(done.encoded?.ndjson ?? []).toString('utf8');
        const lines = text === '' ? [] : text.slice(0, -1).split('\n');
        expect(text === '' || text.endsWith('\n')).toBe(true);
        expect(lines).toHaveLength(done.rowsDecoded);
        expect(done.encoded?.rows).toBe(done.rowsDecoded);
        expect(done.rowsRead).toBe(done.rowsDecoded + done.rowsRejected);
        expect(done.rejects).toHaveLength(done.rowsRejected);
        for (const line of lines) seen.records.push(JSON.parse(line) as TypedRecord);
        seen.rejects.push(...done.rejects);
        const width = REF_COLUMNS.length;
        expect(done.refs).toHaveLength(done.refCounts.length * width);
        let tallied = 0;
        for (let row = 0; row < done.refCounts.length; row++) {
          const combo = comboOf(done.refs.slice(row * width, row * width + width));
          expect(done.refCounts[row]).toBeGreaterThan(0);
          for (let n = 0; n < done.refCounts[row]!; n++) seen.combos.push(combo);
          tallied += done.refCounts[row]!;
        }
        expect(tallied).toBe(done.rowsDecoded);
        return wait();
      },
    },
    {
      run,
      formats: ['ndjson'],
      refColumns: [...REF_COLUMNS],
      ...(workers.held ? { help } : {}),
      ...parallel,
    },
  );
  try {
    for (const chunk of chunks) await reader.push(chunk);
    await reader.end();
    seen.stats = countsOf(reader.stats);
  } catch (error) {
    seen.error = errorOf(error);
  }
  // Answers still on their way (after a throw) must not outlive the test.
  await new Promise((resolve) => setTimeout(resolve, workers.maxDelay + 1));
  seen.combos.sort();
  return seen;
}

function expectSame(got: Seen, want: Seen): void {
  expect(got.error).toEqual(want.error);
  expect(got.stats).toEqual(want.stats);
  expect(got.records.length).toBe(want.records.length);
  expect(got.records).toEqual(want.records);
  expect(got.rejects).toEqual(want.rejects);
  expect(got.combos).toEqual(want.combos);
}

const used = (s: Sliced) => s.calls.filter((c) => c.used).length;

/** Both ways over the same chunks; returns what the reader did. */
async function compare(
  rng: Rng,
  input: Buffer,
  options: DecodeOptions,
  parallel: { sliceBytes: number; inFlight: number },
  workers: Workers,
): Promise<{ got: Sliced; want: Seen }> {
  const chunks = chunked(rng, input);
  const want = whole(chunks, options);
  const got = await sliced(rng, chunks, options, parallel, workers);
  expectSame(got, want);
  return { got, want };
}

const MIXED: Workers = { lost: 0.1, sync: 0.4, maxDelay: 3, held: 0.3 };
const RELIABLE: Workers = { lost: 0, sync: 0.5, maxDelay: 2, held: 0.3 };

describe('TableReader decodes slices as one decoder reads the whole table', () => {
  it.each(Array.from({ length: 24 }, (_, i) => i + 1))('random messages table, seed %i', async (seed) => {
    const rng = prng(seed);
    const input = makeTable(rng, {
      rows: rng.int(150, 500),
      bom: rng.chance(0.5),
      eols: rng.pick([['\n'], ['\r\n'], ['\n', '\r\n']]),
      kinds: {
        few: 0.03,
        many: 0.03,
        afterQuote: 0.02,
        missingId: 0.02,
        badUtf8: 0.01,
        multiline: 0.1,
        blank: 0.02,
      },
      openEnd: rng.chance(0.3),
    });
    const options: DecodeOptions = rng.chance(0.5) ? { file: FILE } : {};
    const parallel = { sliceBytes: rng.int(200, 2000), inFlight: rng.int(1, 8) };
    const { got, want } = await compare(rng, input, options, parallel, MIXED);
    expect(want.rejects.length).toBeGreaterThan(0);
    expect(new Set(want.rejects.map((r) => r.code)).size).toBeGreaterThan(1);
    expect(got.calls.length).toBeGreaterThan(0);
    expect(used(got)).toBeGreaterThan(0);
  });

  it('slices still waiting for a worker are decoded by the reader itself rather than waited on', async () => {
    const rng = prng(7);
    const input = makeTable(rng, { rows: 600, kinds: { multiline: 0.2, few: 0.02 } });
    const waiting: Workers = { lost: 0, sync: 0, maxDelay: 3, held: 1 };
    const { got } = await compare(rng, input, {}, { sliceBytes: 400, inFlight: 4 }, waiting);
    expect(got.helped).toBeGreaterThan(0);
    expect(used(got)).toBeGreaterThan(got.helped);
  });

  it('every rejected kind keeps its line, offset, message and raw text (file named, slices of 200 bytes)', async () => {
    const rng = prng(101);
    const input = makeTable(rng, {
      rows: 400,
      kinds: { few: 0.05, many: 0.05, afterQuote: 0.05, missingId: 0.05, badUtf8: 0.05, multiline: 0.2 },
    });
    const { got, want } = await compare(
      rng,
      input,
      { file: FILE },
      { sliceBytes: 200, inFlight: 4 },
      RELIABLE,
    );
    expect(new Set(want.rejects.map((r) => r.code))).toEqual(
      new Set(['ROW_FIELD_COUNT', 'ROW_INVALID_QUOTE', 'ROW_MISSING_VALUE', 'ROW_BAD_UTF8']),
    );
    for (const reject of got.rejects)
      expect(reject.message).toContain(`${FILE} line ${reject.line} (byte ${reject.offset})`);
    // Rejects far down the table came from slices: their lines were shifted.
    expect(used(got)).toBeGreaterThan(10);
  });

  it("a spreadsheet's blank rows above the header are passed over, the slices after it used", async () => {
    const rng = prng(11);
    const table = makeTable(rng, { rows: 300, kinds: { few: 0.05, multiline: 0.1 } });
    const input = Buffer.concat([Buffer.from(',,,,,,\r\n,,\r\n'), table]);
    const { got, want } = await compare(
      rng,
      input,
      { file: FILE },
      { sliceBytes: 500, inFlight: 4 },
      RELIABLE,
    );
    expect(want.rejects.length).toBeGreaterThan(0);
    expect(used(got)).toBeGreaterThan(5);
  });

  it('when every worker is lost, everything is decoded in order on the calling thread', async () => {
    const rng = prng(7);
    const input = makeTable(rng, { rows: 300, kinds: { few: 0.05, multiline: 0.1 } });
    const { got } = await compare(
      rng,
      input,
      {},
      { sliceBytes: 500, inFlight: 3 },
      { lost: 1, sync: 0.5, maxDelay: 2 },
    );
    expect(got.calls.length).toBeGreaterThan(5);
    expect(used(got)).toBe(0);
    expect(got.events.every((e) => e === 'items')).toBe(true);
  });

  it('a worker lost holding bytes handed over: the table fails with PIPELINE_WORKER_LOST, naming the bytes', async () => {
    const rng = prng(8);
    const input = makeTable(rng, { rows: 300, kinds: { multiline: 0.1 } });
    const chunks = chunked(rng, input).map(own);
    const got = await sliced(
      rng,
      chunks,
      {},
      { sliceBytes: 500, inFlight: 3 },
      { lost: 1, sync: 0, maxDelay: 2, vanish: true },
    );
    expect(got.error?.code).toBe('PIPELINE_WORKER_LOST');
    expect(got.error?.message).toMatch(
      /^bytes \d+ to \d+ were handed to a worker thread .*; run again, or with one thread$/,
    );
    expect(got.events.every((e) => e === 'items')).toBe(true);
  });

  it('a worker that could not start for too many open files: PIPELINE_WORKER_UNSTARTED saying what to do', async () => {
    const rng = prng(8);
    const input = makeTable(rng, { rows: 300, kinds: { multiline: 0.1 } });
    const chunks = chunked(rng, input).map(own);
    const cause = Object.assign(new Error("EMFILE: too many open files, open '/app/worker.js'"), {
      code: 'EMFILE',
    });
    const got = await sliced(
      rng,
      chunks,
      {},
      { sliceBytes: 500, inFlight: 3 },
      { lost: 1, sync: 0, maxDelay: 2, vanish: true, cause },
    );
    expect(got.error?.code).toBe('PIPELINE_WORKER_UNSTARTED');
    expect(got.error?.message).toMatch(
      /^a worker thread could not start \(EMFILE: too many open files, open '\/app\/worker.js'\), and bytes \d+ to \d+ it was given are lost, so the table is not read; this process may have only (\d+|a few) files open at once \(`ulimit -n`\): raise it.*ulimit -n \d+.* and run again, or run with one thread\.$/,
    );
  });

  it('a stray quote misleads the cuts: in order until they line up again, slices used before and after', async () => {
    const rng = prng(42);
    // Multi-line bodies everywhere: with the quote parity flipped, the splitter cuts inside them.
    const input = makeTable(rng, {
      rows: 600,
      kinds: { multiline: 0.3, few: 0.02 },
      at: { 200: 'm200,p1,c1,u,stray 27",body,email', 320: 'm320,p1,c1,u,"fine",other 5",email' },
    });
    const { got, want } = await compare(
      rng,
      input,
      { file: FILE },
      { sliceBytes: 600, inFlight: 4 },
      RELIABLE,
    );
    expect(want.rejects.filter((r) => r.code === 'ROW_INVALID_QUOTE').map((r) => r.raw)).toEqual([
      'm200,p1,c1,u,stray 27",body,email',
      'm320,p1,c1,u,"fine",other 5",email',
    ]);
    // slice ... then rows decoded in order (the fallback) ... then slices again.
    const firstSlice = got.events.indexOf('slice');
    const fallback = got.events.indexOf('items', firstSlice);
    const again = got.events.indexOf('slice', fallback);
    expect(firstSlice).toBeGreaterThanOrEqual(0);
    expect(fallback).toBeGreaterThan(firstSlice);
    expect(again).toBeGreaterThan(fallback);
    expect(got.events.slice(again).filter((e) => e === 'slice').length).toBeGreaterThan(3);
    // The slice cut inside a quoted field answered "not usable"; it was decoded in order instead.
    expect(got.calls.some((c) => c.result?.ok === false)).toBe(true);
  });

  // Slices handed out before the first stray quote's cut proves wrong are answered meanwhile; one the second
  // quote set right again answers "usable" but follows a slice that was not: its bytes, handed over, must
  // come back with the answer to be decoded in order.
  it.each([41, 42, 43, 44, 45])(
    'two stray quotes close together, every answer handed over (seed %i)',
    async (seed) => {
      const rng = prng(seed);
      const input = makeTable(rng, {
        rows: 600,
        kinds: { multiline: 0.3 },
        at: { 200: 'm200,p1,c1,u,stray 27",body,email', 215: 'm215,p1,c1,u,size 5",body,email' },
      });
      const handedOver: Workers = { lost: 0, sync: 0, maxDelay: 2 };
      const { got } = await compare(rng, input, {}, { sliceBytes: 400, inFlight: 8 }, handedOver);
      expect(got.error).toBeUndefined();
      expect(got.calls.some((c) => c.result?.ok === true && !c.used)).toBe(true);
    },
  );

  it('a single stray quote: the rest of the table is still read exactly', async () => {
    const rng = prng(43);
    const input = makeTable(rng, {
      rows: 500,
      kinds: { multiline: 0.3 },
      at: { 100: 'm100,p2,c2,u,size 5",body,email' },
    });
    const { got } = await compare(rng, input, {}, { sliceBytes: 500, inFlight: 2 }, MIXED);
    expect(got.events.indexOf('items', got.events.indexOf('slice'))).toBeGreaterThan(0);
  });

  // One stray quote flips the quote count: the next cuts fall inside quoted fields until the decoder,
  // reading in order, tells the splitter the bytes not cut yet begin in quotes.
  it('after a single stray quote, later cuts line up again and slices are used', async () => {
    const rng = prng(44);
    const input = makeTable(rng, {
      rows: 800,
      kinds: { multiline: 0.3 },
      at: { 100: 'm100,p2,c2,u,size 5",body,email' },
    });
    const { got } = await compare(rng, input, {}, { sliceBytes: 500, inFlight: 2 }, RELIABLE);
    const fallback = got.events.indexOf('items', got.events.indexOf('slice'));
    expect(fallback).toBeGreaterThan(0);
    const after = got.events.slice(fallback).filter((e) => e === 'slice').length;
    // Nearly all of the slices after the stray quote are decoded elsewhere again.
    expect(after).toBeGreaterThan(got.events.slice(fallback).length / 2);
  });

  it('CR-only line ends: the splitter gives up and everything is decoded in order', async () => {
    const rng = prng(5);
    const input = makeTable(rng, {
      rows: 300,
      eols: ['\r'],
      texts: NO_LF_TEXTS,
      kinds: { few: 0.05, afterQuote: 0.03 },
    });
    expect(input.includes(0x0a)).toBe(false);
    const { got, want } = await compare(rng, input, { file: FILE }, { sliceBytes: 300, inFlight: 4 }, MIXED);
    expect(want.records.length).toBeGreaterThan(200);
    expect(got.calls).toHaveLength(0);
  });

  it('CR-only line ends after a stretch of LF ones', async () => {
    const rng = prng(6);
    const head = makeTable(rng, { rows: 200, kinds: { multiline: 0.1 } });
    const tail = makeTable(rng, { rows: 200, eols: ['\r'], texts: NO_LF_TEXTS }).subarray(
      Buffer.byteLength(`${HEADER}\r`),
    );
    const { got } = await compare(
      rng,
      Buffer.concat([head, tail]),
      {},
      { sliceBytes: 400, inFlight: 3 },
      RELIABLE,
    );
    expect(used(got)).toBeGreaterThan(0);
  });

  it.each([
    ['short', 'm999,p1,c1,u,s,"never closed, and a line\nfeed after it,email\n'],
    ['long', `m999,p1,c1,u,s,"never closed ${'and on\n'.repeat(2000)}`],
    ['at the very end', 'm999,p1,c1,u,s,"'],
  ])('an unclosed quote at the end of the input (%s)', async (_name, tail) => {
    const rng = prng(11);
    const input = makeTable(rng, { rows: 200, kinds: { multiline: 0.1 }, tail });
    const { got, want } = await compare(rng, input, { file: FILE }, { sliceBytes: 700, inFlight: 4 }, MIXED);
    expect(want.rejects.at(-1)?.code).toBe('ROW_UNCLOSED_QUOTE');
    // The line feeds after the quote are inside the field: the raw text runs to the end of the input.
    expect(got.rejects.at(-1)?.raw).toBe(tail);
  });

  it('a BOM, fed one byte at a time, then in slices', async () => {
    const rng = prng(12);
    const input = makeTable(rng, { rows: 100, bom: true, kinds: { few: 0.05 } });
    const chunks: Buffer[] = [...input.subarray(0, 8)].map((byte) => Buffer.from([byte]));
    chunks.push(input.subarray(8));
    const want = whole(chunks, {});
    const got = await sliced(rng, chunks, {}, { sliceBytes: 300, inFlight: 2 }, RELIABLE);
    expectSame(got, want);
    expect(want.records[0]?.message_id).toBe('m1');
    expect(want.stats?.bytes).toBe(input.length);
  });

  it.each([
    ['LF', `${HEADER}\n`],
    ['no line end', HEADER],
    ['BOM and CRLF', `${BOM}${HEADER}\r\n`],
    ['blank lines after it', `${HEADER}\n\n\r\n\n`],
  ])('header only (%s): no rows, no slices used', async (_name, text) => {
    const rng = prng(13);
    const { got, want } = await compare(rng, Buffer.from(text), {}, { sliceBytes: 200, inFlight: 2 }, MIXED);
    expect(want.stats).toMatchObject({ rowsRead: 0 });
    expect(got.records).toEqual([]);
    expect(used(got)).toBe(0);
  });

  it.each([
    ['LF', (rows: Buffer) => Buffer.concat([Buffer.from(`${HEADER}\n`), rows])],
    ['BOM and CRLF', (rows: Buffer) => Buffer.concat([Buffer.from(`${BOM}${HEADER}\r\n`), rows])],
    [
      'every name quoted',
      (rows: Buffer) =>
        Buffer.concat([
          Buffer.from(
            `${HEADER.split(',')
              .map((n) => `"${n}"`)
              .join(',')}\n`,
          ),
          rows,
        ]),
    ],
  ])('only the header is read on the calling thread: every row goes to a slice (%s)', async (_name, make) => {
    const rng = prng(17);
    const rows = makeTable(rng, { rows: 200, kinds: { few: 0.05, multiline: 0.1 } });
    const input = make(rows.subarray(rows.indexOf('\n') + 1));
    const chunks = [own(input)];
    const want = whole(chunks, { file: FILE });
    const got = await sliced(rng, chunks, { file: FILE }, { sliceBytes: 100_000, inFlight: 2 }, RELIABLE);
    expectSame(got, want);
    expect(want.records.length).toBeGreaterThan(150);
    expect(got.here).toBe(0);
    expect(used(got)).toBe(1);
  });

  it('a header that does not end in the first chunk: the first slice is read here, as before', async () => {
    const rng = prng(18);
    const input = makeTable(rng, { rows: 200 });
    const chunks = [own(input.subarray(0, 10)), own(input.subarray(10))];
    const want = whole(chunks, {});
    const got = await sliced(rng, chunks, {}, { sliceBytes: 100_000, inFlight: 2 }, RELIABLE);
    expectSame(got, want);
    expect(got.here).toBe(want.records.length);
  });

  it('a long header-only input past the slice size', async () => {
    const rng = prng(14);
    const input = Buffer.from(`${HEADER}\n${'\n'.repeat(3000)}`);
    await compare(rng, input, {}, { sliceBytes: 200, inFlight: 2 }, MIXED);
  });

  it.each([
    ['empty', ''],
    ['a BOM alone', BOM],
  ])('%s input throws SCHEMA_NO_HEADER as one decoder would', async (_name, text) => {
    const rng = prng(15);
    const chunks = text === '' ? [] : [Buffer.from(text)];
    const want = whole(chunks, { file: FILE });
    expect(want.error?.code).toBe('SCHEMA_NO_HEADER');
    const got = await sliced(
      rng,
      [...chunks, Buffer.alloc(0)],
      { file: FILE },
      { sliceBytes: 200, inFlight: 2 },
      MIXED,
    );
    expect(got.error).toEqual(want.error);
    expect(got.calls).toHaveLength(0);
  });

  it('a record over maxRecordBytes in the middle stops with the same CSV_RECORD_TOO_LARGE error', async () => {
    const rng = prng(16);
    const big = `m150,p1,c1,u,s,"${'x'.repeat(3000)}",email`;
    const input = makeTable(rng, { rows: 300, at: { 150: big } });
    const chunks = chunked(rng, input);
    const options = { file: FILE, maxRecordBytes: 2000 };
    const want = whole(chunks, options);
    expect(want.error?.code).toBe('CSV_RECORD_TOO_LARGE');
    const got = await sliced(rng, chunks, options, { sliceBytes: 400, inFlight: 3 }, RELIABLE);
    expect(got.error).toEqual(want.error);
    // What was given before the error are the first rows, in order.
    const before = whole([input.subarray(0, input.indexOf('m150,'))], options);
    expect(got.records.length).toBeGreaterThan(0);
    expect(got.records).toEqual(before.records.slice(0, got.records.length));
  });
});
