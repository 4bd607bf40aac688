import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_PART_BYTES } from '@talent-export/bundle';
import type { Problem, TalentExport } from '@talent-export/export';
import { checkOutFolder, outError, prepareOutFolder } from '@talent-export/export/internal';
import { printPolicy, type RedactionReport } from '@talent-export/redact';
import { TABLE_NAMES, tableForFile } from '@talent-export/schema';
import { entryChunks, openZip } from '@talent-export/zip';
import {
  INPUT_OPTIONS,
  inputLimits,
  type OptionSpecs,
  parseCommand,
  positiveInt,
  threadCount,
} from '../args.js';
import { engineOptions, indexAttachments } from '../attachments.js';
import type { Context } from '../context.js';
import { exitCodeForProblems, IncompleteInputError, UsageError } from '../exit.js';
import { writeParts } from '../redact/attachments.js';
import type { FolderRules } from '../redact/folders.js';
import { redactedManifest } from '../redact/manifest.js';
import { printRedaction, redactionJson } from '../redact/report.js';
import { entryName, writeTables } from '../redact/tables.js';
import { prepareRedaction, REDACTION_OPTIONS, type Redaction, redactedHeader } from '../redaction.js';
import { openInput, withHint } from '../source.js';
import { describeLeaks, leakExitCode, scanForLeaks } from './verify-redaction.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    help: 'output folder, missing or empty: export.csv, export.zip, Attachment_<first>-<last>.zip\nparts and redaction.json appear there together at the end, or not at all',
  },
  ...REDACTION_OPTIONS,
  policy: {
    ...REDACTION_OPTIONS.policy,
    help: 'a JSON or YAML redaction policy, or "default" (the default: people faked, free\ntext scrubbed, candidate and project ids pseudonymized, attachments dropped)',
  },
  'drop-candidates': {
    type: 'string',
    value: 'FILE',
    help: 'candidate ids to remove entirely (every row of every table, their attachment\nfolders), read as bundle --candidates-file reads them: separated by lines, commas or\nspaces, or a sheet\'s candidate id column ("-": from standard input); an id no\ncandidates row holds is a CANDIDATE_UNKNOWN problem (exit 1): nothing was dropped for it',
  },
  'max-part-mb': {
    type: 'string',
    value: 'N',
    help: 'largest attachment part in MB (default 2000, as Talent Hub splits them)',
  },
  verify: {
    type: 'boolean',
    help: 'read every output back (inside the zips, names too) and search it for every\npersonal value of the source, as verify-redaction does; any hit: exit 1',
  },
  'print-policy': {
    type: 'boolean',
    help: 'print the default policy (YAML), a starting point for a policy file',
  },
  ...INPUT_OPTIONS,
} as const satisfies OptionSpecs;

export async function redact(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('redact', argv, OPTIONS, 1);
  if (values['print-policy'] === true) {
    context.out(printPolicy());
    return 0;
  }
  const dir = values.out;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--out DIR is required', 'redact');
  const out = resolve(dir);
  // DIR is refused as extract refuses it (same codes, exit 3): nothing there is overwritten or mixed in.
  await checkOutFolder(out);
  const partMb = positiveInt('redact', 'max-part-mb', values['max-part-mb']);
  if (partMb === 0) throw new UsageError('--max-part-mb must be at least 1', 'redact');
  const maxPartBytes = partMb ? partMb * 1_000_000 : undefined;
  const limits = inputLimits('redact', values);
  const threads = threadCount('redact', values, (line) => context.progress.log(line));
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const started = Date.now();

  const ex = await openInput(positionals[0], context, limits);
  let redaction: Redaction | undefined;
  let stage: Awaited<ReturnType<typeof prepareOutFolder>> | undefined;
  try {
    // An export.zip that cannot be read is known now: no work is done for an output that would not be written.
    refuseIncomplete(ex.problems, ex);
    // Nor is a copy made of a download without its export.zip (listed in export.csv or not): it would pass
    // for an export with no rows.
    if (Object.keys(ex.tables).length === 0) {
      throw new IncompleteInputError(
        'the export holds none of the ten tables (export.zip is missing, or holds no table), so a redacted copy would be no export and none was written. Download export.zip beside export.csv, then run redact again.',
      );
    }
    const [keyFile, dropCandidates] = [str('key-file'), str('drop-candidates')];
    redaction = await prepareRedaction('redact', ex, {
      policy: str('policy') ?? 'default',
      ...(keyFile !== undefined ? { keyFile } : {}),
      ...(dropCandidates !== undefined ? { dropCandidates } : {}),
      threads,
      signal: context.signal,
    });
    const rules = folderRules(redaction, ex.parts.length > 0);
    // Everything is written into a hidden folder (beside DIR, or inside an empty one: it may be a mount
    // point) whose files take their names in DIR only when complete.
    stage = await prepareOutFolder(out, 'redact');
    const staging = stage.path;
    const { policy } = redaction;
    const keepExtra = Object.fromEntries(
      Object.entries(policy.extraColumns).map(([table, rules]) => [
        table,
        Object.entries(rules ?? {})
          .filter(([, rule]) => rule.op !== 'drop')
          .map(([name]) => name),
      ]),
    );
    const local = redaction.local();
    const tables = await writeTables(ex, join(staging, 'export.zip'), {
      ...engineOptions(limits, threads, context),
      stage: redaction.stage,
      keepExtra,
      dropped: (header, index) => redactedHeader(local, header, index),
      folder: (name) => local.text(name),
    });
    let parts: Awaited<ReturnType<typeof writeParts>>;
    const failed = ex.manifest?.failedFiles ?? 0;
    let counts: Parameters<typeof redactedManifest>[1];
    try {
      context.progress.start('attachments', 0, 'files');
      parts = await writeParts(ex.parts, staging, rules, {
        ...(maxPartBytes ? { maxPartBytes } : {}),
        signal: context.signal,
      });
      context.progress.done(`${parts.files.toLocaleString('en-US')} files`);
      // A damaged file left out counts as Talent Hub counts a file it could not export.
      counts = {
        files: ['export.zip', ...parts.parts.map((p) => p.file)],
        totalFiles: parts.files + failed + parts.corrupt.length,
        exportedFiles: parts.files,
        failedFiles: failed + parts.corrupt.length,
      };
      // An export.csv inside export.zip too (the guide shows one there): the copy's, in its own shape.
      const inner = await innerManifests(ex, context.signal);
      await tables.finish(
        inner.map(({ name, bytes, empty }) => ({
          name: entryName(name, (folder) => local.text(folder)),
          data: empty ? bytes : redactedManifest(bytes, counts),
        })),
      );
    } catch (error) {
      await tables.abort();
      throw error;
    }
    await writeIn(out, join(staging, 'export.csv'), redactedManifest(await sourceManifest(ex), counts));
    const report: RedactionReport = {
      ...redaction.report(),
      attachments: Object.fromEntries(
        (['public', 'private', 'miscellaneous'] as const).map((k) => [
          k,
          { kept: parts.counts.kept[k], dropped: parts.counts.dropped[k] },
        ]),
      ) as RedactionReport['attachments'],
    };
    // What the other commands find in the source's parts and counts (export.csv's Statistics against the
    // files there, folders out of a part's range): a copy of an export that does not add up is not a clean run.
    const source = await indexAttachments(ex, context, tables.outcome.candidateIds);
    const problems: Problem[] = [
      ...ex.problems,
      ...tables.outcome.problems,
      ...source.problems,
      ...parts.corrupt,
      ...redaction.problems,
    ].map(withHint);
    refuseIncomplete(problems, ex);
    const code = exitCodeForProblems(problems.filter((p) => p.severity === 'problem'));
    const json = redactionJson(report, tables.outcome, parts, problems, code);
    if (values.verify === true) {
      // The complete output, before it takes its name: the proof goes into redaction.json with it.
      const checked = Date.now();
      const leaks = await scanForLeaks(ex.root, staging, context, { threads, limits });
      json.exitCode = Math.max(json.exitCode, leakExitCode(leaks));
      json.verify = {
        values: leaks.values,
        fakeNames: leaks.fakeNames,
        files: leaks.files,
        entries: leaks.entries,
        bytes: leaks.bytes,
        hits: leaks.hits,
        places: leaks.places,
        unreadable: leaks.unreadable,
        pdfs: leaks.pdfs,
      };
      if (!context.quiet) context.err(describeLeaks(leaks, (Date.now() - checked) / 1000));
    }
    await writeIn(out, join(staging, 'redaction.json'), `${JSON.stringify(json, null, 2)}\n`);
    context.signal.throwIfAborted();
    await stage.publish();
    stage = undefined;
    if (!context.quiet)
      printRedaction(
        json,
        dir,
        (Date.now() - started) / 1000,
        context.err,
        maxPartBytes ?? DEFAULT_MAX_PART_BYTES,
        problems,
      );
    return json.exitCode;
  } finally {
    if (stage) await rm(stage.path, { recursive: true, force: true });
    await ex.close();
  }
}

/** Names and rules for attachment folders, from the same policy and key as the tables. */
function folderRules(redaction: Redaction, hasParts: boolean): FolderRules {
  const op = redaction.policy.tables.candidates.candidate_id!.op;
  if (hasParts && op !== 'keep' && op !== 'pseudonym') {
    throw new UsageError(
      `the policy's candidates.candidate_id is "${op}": attachment folders are named by candidate id, so keep or pseudonymize it`,
      'redact',
    );
  }
  return {
    candidate: (id) => {
      const record = redaction.local().transform('candidates', { candidate_id: id });
      return record === null ? null : String(record.candidate_id);
    },
    keep: (kind) => redaction.policy.attachments[kind] === 'keep',
    fileName: (path) => {
      const renamed = redaction.local().attachment(path);
      if (renamed === null) throw new Error(`no name for a kept attachment of ${path.split('/').at(-3)}`);
      return renamed.slice(renamed.lastIndexOf('/') + 1);
    },
  };
}

/** What makes a redacted copy lack a whole table or part: it would pass for the export, so none is made. */
const UNREADABLE = new Set(['EXPORT_ZIP_UNREADABLE', 'TABLE_UNREADABLE', 'TABLE_CHANGED', 'PART_UNREADABLE']);

function refuseIncomplete(problems: readonly Problem[], ex: Pick<TalentExport, 'parts' | 'tables'>): void {
  const partFiles = new Set(ex.parts.map((part) => part.file));
  // A table whose entry export.zip holds but the reader refused (encrypted, bzip2) is as unreadable as a
  // table cut short: the copy would lack it. A refused attachment stops the copy of its part later.
  const refusedTable = (p: Problem) =>
    p.code === 'ENTRY_REFUSED' &&
    p.file !== undefined &&
    !partFiles.has(p.file) &&
    p.entry !== undefined &&
    tableForFile(p.entry) !== undefined;
  // Copies of a table that differ (two Contract_ folders): one is read, so the copy would lack the others' rows.
  const unreadTable = (p: Problem) => p.code === 'TABLE_DUPLICATE' && p.table !== undefined;
  // A file of an unzipped part that could not be read (no access, no regular file, a name not UTF-8) is left
  // out of the index and so of the copy's part, whatever its kind: as a corrupt entry of a zip part, it stops the copy.
  const folders = new Set(ex.parts.filter((part) => part.kind === 'folder').map((part) => part.file));
  const refusedFile = (p: Problem) =>
    p.code === 'ENTRY_REFUSED' && p.file !== undefined && folders.has(p.file);
  // export.zip cut short: the tables after the cut are missing and the one it cuts lacks rows (cut in its
  // directory, every table is whole, and the copy is too).
  const cut = TABLE_NAMES.some((table) => ex.tables[table] === undefined || ex.tables[table]!.truncated);
  const cutTables = (p: Problem) => p.code === 'EXPORT_ZIP_TRUNCATED' && cut;
  const unreadable = problems.filter(
    (p) => UNREADABLE.has(p.code) || refusedTable(p) || unreadTable(p) || refusedFile(p) || cutTables(p),
  );
  if (unreadable.length === 0) return;
  const first = unreadable[0]!;
  throw new IncompleteInputError(
    `${unreadable.length} ${unreadable.every(refusedFile) ? 'attachment file(s)' : 'table(s) or part(s)'} of the export could not be read (${first.code}: ${first.message}); a redacted copy would lack them, so none was written. Fix or download the export again, then run redact again.`,
  );
}

/**
 * The bytes of the source's export.csv beside the zips, whose shape the copy's takes; undefined for one
 * inside export.zip or none (read already, so small).
 */
async function sourceManifest(ex: TalentExport): Promise<Buffer | undefined> {
  const file = ex.manifest?.file;
  if (file === undefined || file.includes(':')) return undefined;
  return readFile(join(ex.root, file)).catch(() => undefined);
}

/**
 * The export.csv files inside export.zip (at its root or in a folder), with their bytes; and the table files
 * there of no byte at all (`empty`), which no table is read from: the copy holds them too, of the same shape,
 * where it said "not in export.zip" of a table the source holds empty.
 */
async function innerManifests(
  ex: TalentExport,
  signal: AbortSignal,
): Promise<{ name: string; bytes: Buffer; empty?: true }[]> {
  const source = Object.values(ex.tables).find((t) => t?.entry !== undefined);
  if (source === undefined) return [];
  const path = ex.layout === 'export-zip' ? ex.root : join(ex.root, source.file);
  // Cut short in its directory (every table whole, or the copy was refused), its entries are read as found.
  const options = { onRefused: 'skip', hideFileNames: true, truncated: 'salvage', signal } as const;
  const archive = await openZip(path, options);
  const found: { name: string; bytes: Buffer; empty?: true }[] = [];
  try {
    for await (const entry of archive.entries()) {
      const table = entry.isDirectory ? undefined : tableForFile(entry.name);
      if (table !== undefined && entry.uncompressedSize === 0 && ex.tables[table] === undefined) {
        found.push({ name: entry.name, bytes: Buffer.alloc(0), empty: true });
        continue;
      }
      if (entry.isDirectory || !/(?:^|\/)export\.csv$/i.test(entry.name)) continue;
      if (entry.uncompressedSize > MAX_MANIFEST_BYTES) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of entryChunks(archive, entry)) chunks.push(Buffer.from(chunk));
      found.push({ name: entry.name, bytes: Buffer.concat(chunks) });
    }
  } finally {
    await archive.close();
  }
  return found;
}

/** export.csv is a few lines; a bigger file of that name is none to copy the shape of. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** A file of the output; a failure (a full disk) names DIR and what to do, as every other write does. */
async function writeIn(out: string, path: string, text: string | Buffer): Promise<void> {
  await writeFile(path, text).catch((error: unknown) => {
    throw outError(out, error);
  });
}
