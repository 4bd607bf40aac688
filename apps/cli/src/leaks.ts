// The leak scan's two passes: the personal values of the original export (read by the engine, in its
// worker threads), then every byte of the redacted output searched for them: files, zip entries (names
// too, inflated), Parquet values read back. Places are named only when their own name is clean.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { readTableHeader } from '@talent-export/export';
import { readBatches } from '@talent-export/pipeline';
import {
  LEAK_CLASSES,
  LEAK_STAGE_MODULE,
  LeakScanner,
  type LeakStream,
  labelClass,
  looksLike,
  namesIn,
  rejectedRecord,
} from '@talent-export/redact';
import { SCHEMAS, TABLE_NAMES, type TableName, type TypedRecord } from '@talent-export/schema';
import { DEFAULT_LIMITS, entryChunks, isZipError, openZip, visibleName } from '@talent-export/zip';
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import type { InputLimits } from './args.js';
import { engineOptions } from './attachments.js';
import type { Context } from './context.js';
import { removeDeadWork } from './redaction.js';
import { openInput } from './source.js';

/** Tables with a column the scan searches for. */
const VALUE_TABLES = TABLE_NAMES.filter((t) =>
  SCHEMAS[t].fields.some((f) => (LEAK_CLASSES as readonly string[]).includes(f.pii)),
);

/** The personal values of the export at `original`, read with the engine (columns emptied in the workers). */
export async function collectValues(
  original: string,
  context: Context,
  options: { threads: number; limits?: InputLimits },
): Promise<LeakScanner> {
  const limits = options.limits ?? {};
  const scanner = new LeakScanner();
  const ex = await openInput(original, context, limits);
  try {
    const run = readBatches(ex, VALUE_TABLES, {
      ...engineOptions(limits, options.threads, context),
      formats: ['ndjson'],
      decodeHere: true,
      references: false,
      stage: { module: LEAK_STAGE_MODULE },
    });
    const headers = new Map<TableName, string[]>();
    for await (const batch of run) {
      if (batch.kind === 'records') for (const record of batch.records) scanner.add(batch.table, record);
      if (batch.kind === 'rejects') {
        // A row redaction could not read is not written, yet its values are searched as any row's.
        let header = headers.get(batch.table);
        if (!header) headers.set(batch.table, (header = (await readTableHeader(ex, batch.table)) ?? []));
        for (const reject of batch.rejects)
          scanner.add(batch.table, rejectedRecord(batch.table, header, reject.raw));
      }
      if (batch.kind !== 'encoded') continue;
      // The encoder writes whole rows into each piece.
      for (const piece of batch.rows.ndjson ?? []) {
        const text = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('utf8');
        for (const line of text.split('\n')) {
          if (line !== '') scanner.add(batch.table, JSON.parse(line) as TypedRecord);
        }
      }
    }
    await run.outcome;
    await addPersonFields(ex, scanner, engineOptions(limits, options.threads, context));
    for (const file of ex.manifest?.files ?? []) scanner.addLink(ex.manifest!.file, 'Download Url', file.url);
    return scanner;
  } finally {
    await ex.close();
  }
}

/**
 * The values of custom fields named for a person or a contact (`Hiring Manager`, `Personal E-mail`), which
 * redaction fakes as it fakes candidates' (see `labelClass`): searched as those are.
 */
async function addPersonFields(
  ex: Awaited<ReturnType<typeof openInput>>,
  scanner: LeakScanner,
  engine: ReturnType<typeof engineOptions>,
): Promise<void> {
  if (!ex.tables.custom_field_definitions) return;
  const fields = new Map<string, ReturnType<typeof labelClass>>();
  const tables = ex.tables.custom_field_values
    ? (['custom_field_definitions', 'custom_field_values'] as const)
    : (['custom_field_definitions'] as const);
  const run = readBatches(ex, [...tables], {
    ...engine,
    references: false,
    columns: {
      custom_field_definitions: ['custom_field_id', 'name', 'custom_field_definition_values'],
      custom_field_values: ['custom_field_id', 'custom_field_values'],
    },
  });
  const add = (
    table: TableName,
    column: string,
    cls: NonNullable<ReturnType<typeof labelClass>>,
    value: string,
  ) => {
    if (looksLike(cls, value)) scanner.addValue(table, column, cls, value);
    // The names beside an e-mail, a phone, a title or another name, as the scrubber knows them.
    if (cls === 'name') for (const name of namesIn(value)) scanner.addValue(table, column, 'name', name);
  };
  for await (const batch of run) {
    if (batch.kind !== 'records') continue;
    for (const record of batch.records) {
      const id = record.custom_field_id;
      if (typeof id !== 'string') continue;
      if (batch.table === 'custom_field_definitions') {
        const cls = typeof record.name === 'string' ? labelClass(record.name) : undefined;
        if (cls === undefined) continue;
        fields.set(id, cls);
        // The choices of a field named for a person (a `Hiring Manager` list) are people, chosen or not.
        const choices = record.custom_field_definition_values;
        if (Array.isArray(choices))
          for (const choice of choices)
            add('custom_field_definitions', `custom_field_definition_values[${id}]`, cls, choice);
        continue;
      }
      const cls = fields.get(id);
      const values = record.custom_field_values;
      if (cls === undefined || !Array.isArray(values)) continue;
      for (const value of values) add('custom_field_values', `custom_field_values[${id}]`, cls, value);
    }
  }
  await run.outcome;
}

/** One file or zip entry with hits: where, by column, never a value. */
export interface LeakPlace {
  /** The file's path under the output folder, or `file #n` when that path itself holds a value. */
  file: string;
  /** The zip entry's name, or `entry #n` when the name itself holds a value. */
  entry?: string;
  hits: number;
  /** Of those, hits in the file's or entry's own name. */
  inName: number;
  /** Hits by source column (`table.column`) and class. */
  columns: { column: string; pii: string; hits: number }[];
  /** Where the first hits are (line from 1, byte offset), in the file or the inflated entry. */
  first: { line: number; offset: number }[];
}

export interface LeakScanResult {
  /** Distinct values searched for, and the bytes that hold them. */
  values: number;
  valueBytes: number;
  /** Distinct name values not searched for: the names fakes are drawn from (each fake would be a hit). */
  fakeNames: number;
  files: number;
  entries: number;
  /** Bytes read: files as stored, zip entries inflated. */
  bytes: number;
  hits: number;
  places: LeakPlace[];
  /** Files or entries that could not be read (refused zip entries, unreadable Parquet): not proven clean. */
  unreadable: { file: string; count: number; reason: string }[];
  /** PDF files searched as their bytes only: the text in their compressed streams is not (not proven clean). */
  pdfs: number;
}

/** Searches every file under `outDir` for the values of `scanner`. */
export async function scanOutput(
  scanner: LeakScanner,
  outDir: string,
  context: Context,
  options: { maxRatio?: number } = {},
): Promise<LeakScanResult> {
  await removeDeadWork();
  const { files, others } = await listFiles(outDir);
  const result: LeakScanResult = {
    values: scanner.values,
    valueBytes: scanner.bytes,
    fakeNames: scanner.fakeNames,
    files: files.length,
    entries: 0,
    bytes: 0,
    hits: 0,
    places: [],
    unreadable: [],
    pdfs: 0,
  };
  // Links are not followed (they may point anywhere), so what they lead to is not proven clean.
  if (others > 0) result.unreadable.push({ file: outDir, count: others, reason: 'links or special files' });
  const { progress } = context;
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  progress.start('scan', total, 'bytes');
  const record: AddPlace = (file, entry, stream, inName = new Map()) => {
    result.bytes += stream.bytes;
    const bySource = new Map(inName);
    for (const [source, n] of stream.bySource) bySource.set(source, (bySource.get(source) ?? 0) + n);
    const nameHits = [...inName.values()].reduce((a, b) => a + b, 0);
    const hits = stream.hits + nameHits;
    if (hits === 0) return;
    result.hits += hits;
    const columns = [...bySource].map(([source, n]) => {
      const s = scanner.sources[source]!;
      return { column: `${s.table}.${s.column}`, pii: s.pii, hits: n };
    });
    result.places.push({
      file,
      ...(entry === undefined ? {} : { entry }),
      hits,
      inName: nameHits,
      columns,
      first: stream.first.map(({ line, offset }) => ({ line, offset })),
    });
  };
  const scan: Scan = {
    scanner,
    result,
    record,
    signal: context.signal,
    maxRatio: options.maxRatio ?? DEFAULT_LIMITS.maxRatio,
  };
  for (const [n, { path, size }] of files.entries()) {
    const rel = relative(outDir, path).split(sep).join('/');
    const pathHits = hitsIn(scanner, rel);
    // Shown with its bidi controls and invisible characters escaped: `cv\u202Efdp.exe` would read `cvexe.pdf`.
    const label = pathHits.size === 0 ? visibleName(rel) : `file #${n + 1}`;
    const item: Item = { label, name: rel, nameHits: pathHits, depth: 0, size };
    if ((await kindOf(path)) === 'zip') {
      await scanZip(path, item, scan, (bytes) => progress.update(done + bytes)).catch((error: unknown) => {
        throw outputZip(error);
      });
      if (pathHits.size > 0) record(label, undefined, scanner.stream(), pathHits);
    } else if (rel.endsWith('.parquet')) {
      try {
        for (const [column, stream] of await scanParquet(scanner, path)) record(label, column, stream);
      } catch (error) {
        result.unreadable.push({
          file: label,
          count: 1,
          reason: `unreadable Parquet (${(error as Error).name})`,
        });
      }
      if (pathHits.size > 0) record(label, undefined, scanner.stream(), pathHits);
    } else await scanItem(createReadStream(path, { signal: context.signal }), item, scan);
    done += size;
    progress.update(done);
  }
  progress.done(`${result.files.toLocaleString('en-US')} files, ${result.hits.toLocaleString('en-US')} hits`);
  return result;
}

/**
 * How many containers deep bytes are opened: a .docx in a part in a zip of the whole output is three, a
 * gzipped table in a zip two. Each zip and each gzip stream is one.
 */
const MAX_NESTING = 4;

/** What every search of one output shares. */
interface Scan {
  scanner: LeakScanner;
  result: LeakScanResult;
  record: AddPlace;
  signal: AbortSignal;
  /** The ratio above which a gzip stream over 1 MiB inflated is taken for a bomb, as a zip entry is. */
  maxRatio: number;
}

/** Bytes to search: a file of the output, a zip entry, or what a gzip stream inflates to. */
/**
 * What is inside `item` (a zip entry, a tar member, an e-mail part) named `name`: shown by that name, or by
 * `numbered` (`entry #3`) when the name itself holds a value, which a report must not show.
 */
function innerItem(item: Item, scanner: LeakScanner, name: string, numbered: string, size: number): Item {
  const nameHits = hitsIn(scanner, name);
  const own = nameHits.size === 0 ? visibleName(name) : numbered;
  return {
    label: item.label,
    entry: item.entry === undefined ? own : `${item.entry} > ${own}`,
    name,
    nameHits,
    depth: item.depth + 1,
    size,
  };
}

interface Item {
  /** The output file's label (see `scanOutput`). */
  label: string;
  /** The zip entries it is in and its own, as shown (`a.zip > b.docx`); undefined for the file itself. */
  entry?: string;
  /** Its own name, which says whether it is a table (text whatever bytes it holds). */
  name: string;
  /** Hits in that name, counted with its place. */
  nameHits: Map<number, number>;
  /** Zips and gzip streams around it. */
  depth: number;
  /** Its size in bytes when known (a file's, an entry's inflated), for a gzip stream's ratio. */
  size?: number;
}

/** Where an item is, for a reason it was not searched. */
const whereOf = (item: Item) => item.entry ?? item.label;

/** Says that (part of) an item was not searched, and why: nothing then proves it clean. */
const notSearched = (scan: Scan, item: Item, reason: string) =>
  scan.result.unreadable.push({ file: item.label, count: 1, reason });

/** Counts the hits in an item's own name when its bytes are not searched (they are counted with them otherwise). */
const recordName = (scan: Scan, item: Item) => {
  if (item.nameHits.size > 0) scan.record(item.label, item.entry, scan.scanner.stream(), item.nameHits);
};

/**
 * Searches the bytes of `item` by what their first bytes say they are, whatever the name: a zip is copied
 * aside and opened, a gzip stream inflated, another compressed format named as not searched, and anything
 * else searched as it is. What was read is kept when the bytes stop short (an error is then thrown).
 */
async function scanItem(chunks: AsyncIterable<Uint8Array>, item: Item, scan: Scan): Promise<void> {
  const source = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  try {
    while (headBytes < HEAD_BYTES) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(Buffer.from(next.value));
      headBytes += next.value.length;
    }
  } catch (error) {
    // Bytes that cannot be read at all (a damaged gzip file) still have a name that may hold a value.
    recordName(scan, item);
    throw error;
  }
  const bytes = (async function* () {
    yield* head;
    if (!ended) for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  })();
  const first = Buffer.concat(head);
  const kind = kindOfHead(first);
  if (kind === 'gzip') {
    // gzip keeps the name of the file it packed (`gzip "Jane Doe.txt"`): that name is this item's too.
    const nameHits = new Map(item.nameHits);
    for (const [source, n] of hitsIn(scan.scanner, gzipStoredText(first)))
      nameHits.set(source, Math.max(nameHits.get(source) ?? 0, n));
    return inflate(bytes, { ...item, nameHits }, scan);
  }
  if (kind !== undefined && kind !== 'zip') {
    await source.return?.();
    notSearched(
      scan,
      item,
      `compressed file (${kind})${item.entry === undefined ? '' : ` at ${item.entry}`} that is not read here: unpack it`,
    );
    recordName(scan, item);
    return;
  }
  if (kind === undefined && isTar(first)) return scanTar(bytes, item, scan);
  if (first.subarray(0, 5).toString('latin1') === '%PDF-') scan.result.pdfs += 1;
  // Tables are text whatever a cell holds; only other bytes (attachments) may be binary.
  const stream = scan.scanner.stream(undefined, { name: item.name });
  if (kind !== 'zip' && isMail(first, item.name)) return scanMail(bytes, stream, item, scan);
  if (kind !== 'zip') {
    try {
      for await (const chunk of bytes) stream.write(chunk);
    } finally {
      scan.record(item.label, item.entry, stream.end(), item.nameHits);
    }
    return;
  }
  // A kept attachment that is itself a zip (.docx, .xlsx, .odt) holds its text deflated: its bytes are
  // searched, and copied aside to be opened and searched entry by entry too. Named for this run, so that a
  // later one removes it if this one is killed (removeDeadWork).
  const dir = await mkdtemp(join(tmpdir(), `talent-export-scan-${process.pid}-`));
  try {
    const path = join(dir, 'entry.zip');
    const handle = await open(path, 'wx');
    try {
      for await (const chunk of bytes) {
        stream.write(chunk);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
      scan.record(item.label, item.entry, stream.end(), item.nameHits);
    }
    const name = whereOf(item);
    // Its deflated entries are not read: nothing says they are clean.
    if (item.depth > MAX_NESTING) {
      notSearched(scan, item, `zip inside ${name} nested more than ${MAX_NESTING} zips or gzip files deep`);
      return;
    }
    try {
      await scanZip(path, item, scan, () => {});
    } catch (error) {
      if (!isZipError(error)) throw error;
      notSearched(scan, item, `a zip inside ${name} that cannot be read`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether bytes are an e-mail (MIME: a kept `.eml`, a saved web page `.mht`), by name or by headers. */
function isMail(head: Buffer, name: string): boolean {
  if (/\.(?:eml|mht|mhtml|mbox)$/i.test(name)) return true;
  const text = head.toString('latin1');
  return /^[\w-]+: /.test(text) && /^(?:mime-version|content-type): /im.test(text);
}

/** The largest e-mail whose encoded parts are decoded (held whole to find them). */
const MAIL_MAX_BYTES = 64 << 20;

/**
 * An e-mail searched as written and, as it reads, part by part: a part in base64 or quoted-printable (a
 * body in another script, an attached résumé) decoded and searched as a zip entry is (`m.eml > cv.docx`),
 * and the words of its headers encoded for their letters beyond ASCII (`=?UTF-8?Q?Se=C3=A1n?=`) decoded.
 */
async function scanMail(
  bytes: AsyncIterable<Uint8Array>,
  stream: LeakStream,
  item: Item,
  scan: Scan,
): Promise<void> {
  // Held, and searched as written once its parts are known: what a part's decoding searches (a
  // quoted-printable body keeps its plain words) is left out of the mail as written, or it would count twice.
  const held: Buffer[] = [];
  let size = 0;
  let parts: MailPart[] = [];
  const where = item.entry ?? item.label;
  try {
    for await (const chunk of bytes) {
      size += chunk.length;
      if (size <= MAIL_MAX_BYTES) {
        held.push(Buffer.from(chunk));
        continue;
      }
      for (const piece of held.splice(0)) stream.write(piece);
      stream.write(chunk);
    }
    if (size <= MAIL_MAX_BYTES) {
      const mail = Buffer.concat(held);
      parts = item.depth > MAX_NESTING ? [] : mailParts(mail);
      stream.write(parts.length === 0 ? mail : blanked(mail, parts));
    }
  } finally {
    scan.record(item.label, item.entry, stream.end(), item.nameHits);
  }
  if (size > MAIL_MAX_BYTES) {
    notSearched(scan, item, `e-mail ${where} over ${MAIL_MAX_BYTES >> 20} MiB: its encoded parts`);
    return;
  }
  if (item.depth > MAX_NESTING) {
    notSearched(
      scan,
      item,
      `e-mail ${where} nested more than ${MAX_NESTING} zips or gzip files deep: its encoded parts`,
    );
    return;
  }
  let n = 0;
  for (const part of parts) {
    n++;
    const inside = innerItem(item, scan.scanner, part.name, `part #${n}`, part.bytes.length);
    await scanItem(
      (async function* () {
        yield part.bytes;
      })(),
      inside,
      scan,
    );
  }
}

/** A header's encoded word (RFC 2047): charset, B (base64) or Q (quoted-printable), text. */
const ENCODED_WORD = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

/** A part of an e-mail decoded, and where what it was decoded from stands in the mail (byte ranges). */
interface MailPart {
  name: string;
  bytes: Buffer;
  from: number[];
}

/** The mail with the bytes its parts were decoded from as spaces (line ends kept: lines and offsets hold). */
function blanked(mail: Buffer, parts: MailPart[]): Buffer {
  const out = Buffer.from(mail);
  for (const part of parts)
    for (let r = 0; r < part.from.length; r += 2)
      for (let i = part.from[r]!; i < part.from[r + 1]!; i++) if (out[i] !== 10 && out[i] !== 13) out[i] = 32;
  return out;
}

/** An encoded word's text (RFC 2047), B (base64) or Q (quoted-printable). */
const decodeWord = (how: string, encoded: string): Buffer =>
  how.toLowerCase() === 'b' ? Buffer.from(encoded, 'base64') : unquote(encoded.replace(/_/g, ' '));

/**
 * The parts of an e-mail that read otherwise than written: each part in base64 or quoted-printable, decoded,
 * named by its file name or as `part N` with the extension of its type (`.html`, `.txt`), and the encoded
 * words of its headers decoded, one a line (`headers.txt`). Read as Latin-1 for its structure.
 */
function mailParts(mail: Buffer): MailPart[] {
  const text = mail.toString('latin1');
  const parts: MailPart[] = [];
  const words: Buffer[] = [];
  const wordsFrom: number[] = [];
  for (const m of text.matchAll(ENCODED_WORD)) {
    const [whole, , how, encoded] = m;
    words.push(decodeWord(how!, encoded!));
    words.push(Buffer.from('\n'));
    wordsFrom.push(m.index, m.index + whole.length);
  }
  if (words.length > 0) parts.push({ name: 'headers.txt', bytes: Buffer.concat(words), from: wordsFrom });
  let encodedParts = 0;
  // A part starts after a line of a boundary its mail declares and ends before the next: not at any line
  // of dashes, which a reply quotes (`-----Original Message-----`) and a signature starts with (`-- `).
  const boundaries = [...text.matchAll(/boundary=(?:"([^"\r\n]+)"|([^;\s]+))/gi)].map(
    (b) => `--${b[1] ?? b[2]}`,
  );
  const partStart = (at: number) =>
    Math.max(
      0,
      ...boundaries.map((b) => {
        const line = text.lastIndexOf(`\n${b}`, at);
        return line < 0 ? 0 : line + 1 + b.length;
      }),
    );
  const partEnd = (from: number) =>
    Math.min(...boundaries.map((b) => text.indexOf(`\n${b}`, from)).filter((at) => at >= 0), text.length);
  const ENCODING = /^content-transfer-encoding:[ \t]*(base64|quoted-printable)[ \t]*$/gim;
  for (const m of text.matchAll(ENCODING)) {
    const blank = /\r?\n\r?\n/g;
    blank.lastIndex = m.index;
    const end = blank.exec(text);
    if (end === null) continue;
    const headers = text.slice(partStart(m.index), end.index);
    const bodyStart = end.index + end[0].length;
    const body = text.slice(bodyStart, partEnd(bodyStart));
    const type = /content-type:[ \t]*([\w.+-]+\/[\w.+-]+)/i.exec(headers)?.[1]?.toLowerCase() ?? '';
    const file = mailParam(headers, 'filename') ?? mailParam(headers, 'name');
    const name =
      file ??
      `part ${++encodedParts}${type === 'text/html' ? '.html' : type.startsWith('text/') ? '.txt' : ''}`;
    const bytes =
      m[1]!.toLowerCase() === 'base64'
        ? Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')
        : unquote(body.replace(/=\r?\n/g, ''));
    parts.push({ name, bytes, from: [bodyStart, bodyStart + body.length] });
  }
  return parts;
}

/**
 * A parameter of a part's headers (`filename`, `name`) as it reads, or undefined: quoted or not, in pieces
 * (`filename*0=`, `filename*1=`), percent-encoded in a charset as RFC 2231 writes names beyond ASCII
 * (`filename*=UTF-8''J%C3%B6rg%20M%C3%BCller.pdf`, pieces `filename*0*=`), or in encoded words (RFC 2047,
 * `filename="=?UTF-8?B?…?="`). The encoded form is taken over the plain one a mail program writes beside it
 * for older readers. Headers are Latin-1 text of the mail's bytes: a plain name in UTF-8 reads as UTF-8.
 */
function mailParam(headers: string, param: string): string | undefined {
  // A header folded over lines is one line.
  const text = headers.replace(/\r?\n[ \t]+/g, ' ');
  const pieces: { n: number; encoded: boolean; value: string }[] = [];
  const re = new RegExp(
    `(?:^|[;\\s])${param}(?:\\*(\\d+))?(\\*)?[ \\t]*=[ \\t]*(?:"((?:[^"\\\\\\r\\n]|\\\\.)*)"|([^;\\s]*))`,
    'gim',
  );
  for (const m of text.matchAll(re))
    pieces.push({
      n: m[1] === undefined ? -1 : Number(m[1]),
      encoded: m[2] === '*',
      value: m[3] === undefined ? m[4]! : m[3].replace(/\\(.)/g, '$1'),
    });
  const numbered = pieces.filter((p) => p.n >= 0).sort((a, b) => a.n - b.n);
  const whole = pieces.find((p) => p.n < 0 && p.encoded) ?? pieces.find((p) => p.n < 0);
  const chosen = numbered.length > 0 ? numbered : whole === undefined ? [] : [whole];
  if (chosen.length === 0) return undefined;
  let charset = '';
  const bytes = chosen.map((piece, i) => {
    if (!piece.encoded) return Buffer.from(piece.value, 'latin1');
    let value = piece.value;
    const head = i === 0 ? /^([^']*)'[^']*'/.exec(value) : null;
    if (head !== null) {
      charset = head[1]!.toLowerCase();
      value = value.slice(head[0].length);
    }
    return Buffer.from(
      value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    );
  });
  const all = Buffer.concat(bytes);
  const latin1 = /^(?:iso-8859-1|latin1|windows-1252|cp1252)$/.test(charset) || !isUtf8(all);
  const value = all.toString(latin1 ? 'latin1' : 'utf8');
  return value.replace(ENCODED_WORD, (_, _charset: string, how: string, encoded: string) =>
    decodeWord(how, encoded).toString('utf8'),
  );
}

/** Quoted-printable text (`Se=C3=A1n`) as the bytes it stands for. */
function unquote(text: string): Buffer {
  return Buffer.from(
    text.replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    'latin1',
  );
}

/**
 * Whether bytes begin as a tar archive: POSIX's and GNU's write "ustar" at byte 257 of the first header,
 * whose checksum (bytes 148-155, octal: the sum of its bytes, those 8 taken as spaces) must hold too; a text
 * with those five letters there is searched as the text it is.
 */
function isTar(head: Buffer): boolean {
  if (head.length < TAR_BLOCK || head.toString('latin1', 257, 262) !== 'ustar') return false;
  return tarChecksumHolds(head);
}

/** Whether a tar header's checksum holds (bytes 148-155, octal: the sum of its bytes, those 8 as spaces). */
function tarChecksumHolds(head: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  const written = Number.parseInt(
    head
      .toString('latin1', 148, 156)
      .replace(/[\0 ]+$/, '')
      .trim(),
    8,
  );
  return written === sum;
}

/**
 * A tar archive (an output folder packed to be sent: `tar czf shared.tgz shared`) read member by member,
 * each member's name and bytes searched as a zip entry's are: a table or text inside is text there, where
 * the archive's own bytes, binary by their headers' NULs, would count no one-word name. GNU's and pax's
 * headers of long names are members too, their names searched as their text.
 */
async function scanTar(bytes: AsyncIterable<Uint8Array>, item: Item, scan: Scan): Promise<void> {
  const reader = new ByteReader(bytes);
  try {
    if (item.depth > MAX_NESTING) {
      notSearched(
        scan,
        item,
        `tar archive${item.entry === undefined ? '' : ` at ${item.entry}`} nested more than ${MAX_NESTING} zips or gzip files deep`,
      );
      return;
    }
    const at = item.entry === undefined ? '' : ` at ${item.entry}`;
    for (let n = 1; ; n++) {
      const header = await reader.read(TAR_BLOCK);
      if (header.length === 0 || header.every((byte) => byte === 0)) return;
      // A header cut short or damaged says nothing of where the next member starts: the members before it
      // are searched, the rest said not to be (read on, its bytes would pass for members).
      if (header.length < TAR_BLOCK || !tarChecksumHolds(header)) {
        notSearched(
          scan,
          item,
          `tar archive${at} whose header after ${n - 1} member(s) is ${header.length < TAR_BLOCK ? 'cut short' : 'damaged'}: the rest of it`,
        );
        return;
      }
      const size = tarSize(header);
      const name = tarName(header);
      if (item.entry === undefined) scan.result.entries++;
      const inside = innerItem(item, scan.scanner, name, `entry #${n}`, size);
      let left = size;
      let cut = false;
      const member = async function* () {
        while (left > 0) {
          const chunk = await reader.read(Math.min(left, 1 << 16));
          if (chunk.length === 0) {
            cut = true;
            return;
          }
          left -= chunk.length;
          yield chunk;
        }
      };
      await scanItem(member(), inside, scan);
      // What the member's search left unread, and the padding to a whole block.
      const rest = left + ((TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK);
      if (cut || (await reader.skip(rest)) < left) {
        notSearched(scan, item, `tar archive${at} cut short in member ${n}: the rest of it`);
        return;
      }
    }
  } finally {
    await reader.close();
  }
}

const TAR_BLOCK = 512;

/** A tar header's member name: its prefix (ustar) and name fields, each ended by a NUL or its length. */
function tarName(header: Buffer): string {
  const field = (from: number, length: number) => {
    const end = header.indexOf(0, from);
    return header.toString('utf8', from, end === -1 || end > from + length ? from + length : end);
  };
  const prefix = field(345, 155);
  const name = field(0, 100);
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** A tar header's member size: octal digits, or base 256 past 8 GiB (a high bit in the first byte). */
function tarSize(header: Buffer): number {
  if ((header[124]! & 0x80) !== 0) {
    let size = header[124]! & 0x7f;
    for (let i = 125; i < 136; i++) size = size * 256 + header[i]!;
    return size;
  }
  const digits = header
    .toString('latin1', 124, 136)
    .replace(/[\0 ]+$/g, '')
    .trim();
  return /^[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : 0;
}

/** Bytes read from chunks in pieces of the sizes asked for. */
class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>;
  #buffered: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#source = chunks[Symbol.asyncIterator]();
  }

  /** Up to `n` bytes: fewer only at the end. */
  async read(n: number): Promise<Buffer> {
    while (this.#buffered.length < n && !this.#done) {
      const next = await this.#source.next();
      if (next.done) this.#done = true;
      else this.#buffered = Buffer.concat([this.#buffered, next.value]);
    }
    const out = this.#buffered.subarray(0, n);
    this.#buffered = this.#buffered.subarray(out.length);
    return out;
  }

  /** Skips `n` bytes; the number skipped, fewer only at the end. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const read = await this.read(Math.min(left, 1 << 16));
      if (read.length === 0) break;
      left -= read.length;
    }
    return n - left;
  }

  /** Reads what is left to its end: the zip or file the archive is in checks its bytes whole. */
  async close(): Promise<void> {
    while (!this.#done) if ((await this.read(1 << 16)).length === 0) return;
  }
}

/** The file name and comment a gzip header stores, one a line ('' for none, or past the head read). */
function gzipStoredText(head: Buffer): string {
  const flags = head[3]!;
  let at = 10;
  if ((flags & 4) !== 0) at = head.length < 12 ? head.length : at + 2 + head.readUInt16LE(10);
  let out = '';
  for (const flag of [8, 16]) {
    if ((flags & flag) === 0) continue;
    const end = head.indexOf(0, at);
    if (end === -1) break;
    const field = head.subarray(at, end);
    // Latin-1 by the format; what gzip writes today is the file system's name, UTF-8.
    out += `${isUtf8(field) ? field.toString('utf8') : field.toString('latin1')}\n`;
    at = end + 1;
  }
  return out;
}

/** Thrown to stop inflating a gzip stream that inflates past the ratio cap. */
class RatioError extends Error {}

/**
 * A gzip stream (a table gzipped to be sent) inflated and its text searched as any bytes are (a zip or a
 * gzip stream inside it opened too). One cut short or damaged keeps the hits before; one that inflates past
 * the ratio cap, as zip entries are held to, is taken for a bomb and stopped.
 */
async function inflate(bytes: AsyncIterable<Uint8Array>, item: Item, scan: Scan): Promise<void> {
  const where = item.entry === undefined ? '' : ` at ${item.entry}`;
  if (item.depth > MAX_NESTING) {
    // Read to its end all the same: the zip it is in checks each entry whole.
    for await (const chunk of bytes) void chunk;
    notSearched(scan, item, `gzip file${where} nested more than ${MAX_NESTING} zips or gzip files deep`);
    return;
  }
  let packed = 0;
  let inflated = 0;
  const counted = async function* () {
    for await (const chunk of bytes) {
      packed += chunk.length;
      yield chunk;
    }
  };
  const capped = async function* (out: AsyncIterable<Buffer>) {
    for await (const chunk of out) {
      inflated += chunk.length;
      const over = scan.maxRatio * Math.max(packed, item.size ?? 0, 1);
      if (inflated > RATIO_MIN_BYTES && inflated > over) throw new RatioError();
      yield chunk;
    }
  };
  const inner: Item = {
    ...item,
    name: item.name.replace(/\.gz$/i, ''),
    depth: item.depth + 1,
  };
  delete inner.size;
  const n = (v: number) => v.toLocaleString('en-US');
  try {
    // Through a pipeline, so that an interrupt or a read error ends the inflating too, not only the read.
    await pipeline(counted, createGunzip(), (out) => scanItem(capped(out), inner, scan), {
      signal: scan.signal,
    });
  } catch (error) {
    if (scan.signal.aborted) throw error;
    if (error instanceof RatioError) {
      const packedBytes = Math.max(packed, item.size ?? 0);
      notSearched(
        scan,
        item,
        `gzip file${where} that inflates ${ratioText(inflated / Math.max(packedBytes, 1), scan.maxRatio)} (${n(packedBytes)} -> ${n(inflated)}+ bytes), over the ${scan.maxRatio}x cap: a likely decompression bomb, searched up to there (if it is trusted, unpack it and search that); the rest`,
      );
      return;
    }
    if ((error as NodeJS.ErrnoException).code?.startsWith('Z_') !== true) throw error;
    notSearched(
      scan,
      item,
      inflated === 0
        ? `damaged gzip file${where}`
        : `gzip file${where} damaged or cut short after ${n(inflated)} inflated bytes, searched up to there (get it whole again); the rest`,
    );
  }
}

/** A ratio over `cap`, with as many decimals as show it over (200.4 shown as "200x" would read as within). */
function ratioText(ratio: number, cap: number): string {
  for (const digits of [0, 1, 2]) {
    const shown = ratio.toFixed(digits);
    if (Number(shown) > cap) return `${shown}x`;
  }
  return `over ${cap}x`;
}

/** Inflated bytes past which a gzip stream's ratio is checked, as a zip entry's is. */
const RATIO_MIN_BYTES = DEFAULT_LIMITS.ratioMinBytes;

/**
 * A zip of the output that cannot be opened: the zip reader's what-to-do is for a download ("download it
 * again"), which this zip is not.
 */
function outputZip(error: unknown): unknown {
  if (!isZipError(error) || error.hint === '' || !error.message.endsWith(error.hint)) return error;
  error.message = `${error.message.slice(0, -error.hint.length)}It is a file of the redacted output: write the redacted output again (redact, or convert --policy, into a new folder), or take the file out of what you share.`;
  return error;
}

/** Opens the zip at `path` (the bytes of `item`) and searches its entries, their names too. */
async function scanZip(
  path: string,
  item: Item,
  scan: Scan,
  onBytes: (compressed: number) => void,
): Promise<void> {
  const { scanner, result } = scan;
  // An entry's file name may be a person's (an attachment): errors give its folders, length and extension.
  const archive = await openZip(path, {
    onRefused: 'skip',
    hideFileNames: true,
    signal: scan.signal,
    limits: { maxRatio: scan.maxRatio },
  });
  try {
    let n = 0;
    let bytes = 0;
    for await (const entry of archive.entries()) {
      n++;
      if (item.entry === undefined) result.entries++;
      const inside = innerItem(item, scanner, entry.name, `entry #${n}`, entry.uncompressedSize);
      await scanItem(
        entry.isDirectory ? (async function* () {})() : entryChunks(archive, entry),
        inside,
        scan,
      );
      bytes += entry.compressedSize;
      onBytes(bytes);
    }
    // A refused entry is not read, so nothing says it is clean; its name is not repeated (it may hold a value).
    if (archive.refusedCount > 0) {
      result.unreadable.push({
        file: item.label,
        count: archive.refusedCount,
        reason: item.entry === undefined ? 'refused zip entries' : `refused zip entries inside ${item.entry}`,
      });
    }
  } finally {
    await archive.close();
  }
}

/**
 * Parquet pages are compressed (Snappy), so values are read back, one row group at a time, into a stream
 * per column where each row is a line: a hit's line is its row. The file's metadata is the `metadata` stream.
 */
async function scanParquet(scanner: LeakScanner, path: string): Promise<Map<string, LeakStream>> {
  const handle = await open(path, 'r');
  const streams = new Map<string, LeakStream>();
  const streamOf = (name: string) => {
    let stream = streams.get(name);
    if (!stream) streams.set(name, (stream = scanner.stream(undefined, { text: true })));
    return stream;
  };
  try {
    const { size } = await handle.stat();
    const file = {
      byteLength: size,
      async slice(start: number, end = size): Promise<ArrayBuffer> {
        const buffer = Buffer.alloc(end - start);
        await handle.read(buffer, 0, buffer.length, start);
        return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) as ArrayBuffer;
      },
    };
    const metadata = await parquetMetadataAsync(file);
    const meta = streamOf('metadata');
    for (const kv of metadata.key_value_metadata ?? [])
      meta.write(Buffer.from(`${kv.key}\n${kv.value ?? ''}\n`));
    for (const column of metadata.schema) meta.write(Buffer.from(`${column.name}\n`));
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        onChunk: ({ columnName, columnData }) => {
          const stream = streamOf(`column ${columnName}`);
          const lines: string[] = [];
          for (const value of columnData) lines.push(line(value));
          stream.write(Buffer.from(`${lines.join('\n')}\n`));
        },
      });
      rowStart = rowEnd;
    }
    for (const stream of streams.values()) stream.end();
    return streams;
  } finally {
    await handle.close();
  }
}

/** A Parquet value as one line of text: lists joined, line breaks made spaces (words stay words). */
function line(value: unknown): string {
  const text = Array.isArray(value) ? value.map(line).join(' ; ') : typeof value === 'string' ? value : '';
  // A hyphen at a line break keeps it, escaped as JSON writes it: the word across it is read joined.
  return text.includes('\n') || text.includes('\r')
    ? text.replace(/-[ \t]*\r?\n/g, '-\\n').replace(/[\r\n]+/g, ' ')
    : text;
}

/** A lower-case letter followed by an upper-case one: where words run together in a file name. */
const CAMEL = /(\p{Ll})(\p{Lu})/gu;

/**
 * Hits in a name, by source. File names run words together ("JaneDoe-CV.pdf") where text would not: the
 * name is searched as written and with those words apart, and the larger count of each source is kept.
 */
function hitsIn(scanner: LeakScanner, text: string): Map<number, number> {
  const hits = new Map<number, number>();
  const search = (name: string) => {
    const found = new Map<number, number>();
    scanner.scan(name, (_start, _end, source) => found.set(source, (found.get(source) ?? 0) + 1));
    for (const [source, n] of found) hits.set(source, Math.max(hits.get(source) ?? 0, n));
  };
  search(text);
  const apart = text.replace(CAMEL, '$1 $2');
  if (apart !== text) search(apart);
  return hits;
}

/** Adds a file's or entry's hits (in its bytes and in its name) to the result. */
type AddPlace = (
  file: string,
  entry: string | undefined,
  stream: LeakStream,
  inName?: Map<number, number>,
) => void;

/** Compressed formats whose bytes hide their text from a search, by their first bytes. */
const PACKED: [kind: string, magic: number[]][] = [
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['rar', [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]],
];

/** Bytes read to tell what bytes are (see `kindOfHead`; a tar archive says so at byte 257). */
const HEAD_BYTES = 512;

/** What the file is by its first bytes, whatever its name (see `kindOfHead`). */
async function kindOf(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return kindOfHead(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * What bytes are by their first ones: a zip (a local header, or the end record of an empty archive), gzip,
 * another compressed format (its name), or undefined for anything else.
 */
function kindOfHead(head: Uint8Array): string | undefined {
  const first = head.length >= 4 ? Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0) : 0;
  if (first === 0x04034b50 || first === 0x06054b50) return 'zip';
  // A bzip2 stream's fourth byte is its block size, '1' to '9': "BZh" alone begins plain text too.
  const starts = (magic: number[]) =>
    head.length >= magic.length && magic.every((byte, i) => head[i] === byte);
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  for (const [kind, magic] of PACKED)
    if (starts(magic) && (kind !== 'bzip2' || (head.length >= 4 && head[3]! >= 0x31 && head[3]! <= 0x39)))
      return kind;
  return undefined;
}

/** Every regular file under `dir`, in name order, and how many other things (links are not followed). */
async function listFiles(dir: string): Promise<{ files: { path: string; size: number }[]; others: number }> {
  const out: { path: string; size: number }[] = [];
  let others = 0;
  const walk = async (at: string) => {
    const names = (await readdir(at)).sort();
    for (const name of names) {
      const path = join(at, name);
      const info = await lstat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile()) out.push({ path, size: info.size });
      else others++;
    }
  };
  await walk(dir);
  return { files: out, others };
}
