import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { TalentExport } from '@talent-export/export';
import { readBatches } from '@talent-export/pipeline';
import { type LeakScanner, sensitiveField } from '@talent-export/redact';
import { isEntityType } from '@talent-export/schema';
import {
  INPUT_OPTIONS,
  type InputLimits,
  inputLimits,
  type OptionSpecs,
  parseCommand,
  threadCount,
} from '../args.js';
import { engineOptions } from '../attachments.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../exit.js';
import { jsonText } from '../json.js';
import { collectValues, type LeakScanResult, scanOutput } from '../leaks.js';
import { formatBytes } from '../progress.js';
import { openInput } from '../source.js';

export const OPTIONS = {
  json: { type: 'boolean', help: 'print the result as JSON on stdout (places and counts, never a value)' },
  ...INPUT_OPTIONS,
} as const satisfies OptionSpecs;

/**
 * Reads the personal values of the export at `original` and searches every file under `outDir` for them
 * (zip entries inflated, their names too; Parquet read back). What `redact --verify` runs after writing.
 */
export async function scanForLeaks(
  original: string,
  outDir: string,
  context: Context,
  options: { threads?: number; limits?: InputLimits } = {},
): Promise<LeakScanResult> {
  const threads = options.threads ?? threadCount('verify-redaction', {});
  const scanner = await collectValues(original, context, {
    threads,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  await addSensitiveValues(original, scanner, context, threads, options.limits ?? {});
  const maxRatio = options.limits?.maxRatio;
  return scanOutput(scanner, outDir, context, maxRatio === undefined ? {} : { maxRatio });
}

/**
 * The ids of the custom fields of special personal data (`sensitiveField` of their definitions: a home
 * address, a birth date, a national id, a salary...), whose values redaction replaces whole. A field of
 * projects is no person's (a salary band, an office's address). The definitions are a few rows.
 */
export async function sensitiveFieldIds(ex: TalentExport, signal: AbortSignal): Promise<string[]> {
  if (!ex.tables.custom_field_definitions) return [];
  const ids: string[] = [];
  const run = readBatches(ex, ['custom_field_definitions'], {
    threads: 1,
    signal,
    references: false,
    columns: { custom_field_definitions: ['custom_field_id', 'entity_type', 'name', 'description'] },
  });
  for await (const batch of run) {
    if (batch.kind !== 'records') continue;
    for (const record of batch.records) {
      const id = record.custom_field_id;
      if (typeof id === 'string' && !isEntityType(record.entity_type, 'project') && sensitiveField(record))
        ids.push(id);
    }
  }
  await run.outcome;
  return ids;
}

/**
 * The values of custom fields of special personal data (`12 Rose Street, Leeds`, `1987-03-04`), which
 * redaction replaces whole: personal values of the source, searched as the others are (`addSensitive`).
 */
async function addSensitiveValues(
  original: string,
  scanner: LeakScanner,
  context: Context,
  threads: number,
  limits: InputLimits,
): Promise<void> {
  const ex = await openInput(original, context, limits);
  try {
    const ids = new Set(await sensitiveFieldIds(ex, context.signal));
    if (ids.size === 0 || !ex.tables.custom_field_values) return;
    const run = readBatches(ex, ['custom_field_values'], {
      ...engineOptions(limits, threads, context),
      references: false,
      columns: { custom_field_values: ['custom_field_id', 'custom_field_values'] },
    });
    for await (const batch of run) {
      if (batch.kind !== 'records') continue;
      for (const { custom_field_id: id, custom_field_values: values } of batch.records) {
        if (typeof id !== 'string' || !ids.has(id) || !Array.isArray(values)) continue;
        for (const value of values)
          if (typeof value === 'string')
            scanner.addSensitive('custom_field_values', `custom_field_values[${id}]`, value);
      }
    }
    await run.outcome;
  } finally {
    await ex.close();
  }
}

/** `talent-export verify-redaction <original> <redacted>`: exit 0 when no value is found, 1 when any is. */
export async function verifyRedactionCommand(argv: string[], context: Context): Promise<number> {
  const { values, positionals } = parseCommand('verify-redaction', argv, OPTIONS, 2);
  const [original, redacted] = positionals;
  if (original === undefined || redacted === undefined) {
    throw new UsageError('give the original export and the redacted output folder', 'verify-redaction');
  }
  const info = await stat(redacted).catch(() => undefined);
  if (!info)
    throw new UsageError(
      `${redacted}: no such folder; give the output folder of "redact" or "convert --policy"`,
      'verify-redaction',
    );
  // The original itself among the files searched: every personal value would be found, in it.
  const within = relative(resolve(redacted), resolve(original));
  if (within === '' || (!within.startsWith('..') && !isAbsolute(within))) {
    throw new UsageError(
      `${redacted} holds the original export ${original} itself: give the output folder of "redact" or "convert --policy"`,
      'verify-redaction',
    );
  }
  if (!info.isDirectory()) {
    throw new UsageError(
      `${redacted} is a file, not a folder: give the output folder of "redact" or "convert --policy" (the folder holding it)`,
      'verify-redaction',
    );
  }
  // A folder with nothing in it proves nothing: most likely not the output meant.
  if (!(await holdsFile(redacted))) {
    throw new UsageError(
      `${redacted} holds no file, so there is nothing to search: give the output folder of "redact" or "convert --policy"`,
      'verify-redaction',
    );
  }
  // The two folders given the other way round: the fakes and pseudonyms would be searched for in the source.
  if (
    await stat(join(original, 'redaction.json')).then(
      (s) => s.isFile(),
      () => false,
    )
  ) {
    throw new UsageError(
      `${original} holds redaction.json, so it is the output of "redact", not the export as downloaded: give the original first, then the redacted folder (talent-export verify-redaction <original> <redacted>)`,
      'verify-redaction',
    );
  }
  const started = Date.now();
  const result = await scanForLeaks(original, redacted, context, {
    threads: threadCount('verify-redaction', values, (line) => context.progress.log(line)),
    limits: inputLimits('verify-redaction', values),
  });
  const code = leakExitCode(result);
  if (values.json === true)
    context.out(`${jsonText({ command: 'verify-redaction', ...result, exitCode: code })}\n`);
  if (!context.quiet) context.err(describeLeaks(result, (Date.now() - started) / 1000));
  return code;
}

/** Whether any file is under `dir` (at any depth). */
async function holdsFile(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) return true;
    if (await holdsFile(join(dir, entry.name))) return true;
  }
  return false;
}

/** 1 when a value was found or a part could not be read (it is then not proven clean), else 0. */
export function leakExitCode(result: LeakScanResult): number {
  return result.hits > 0 || result.unreadable.length > 0 ? EXIT.problems : EXIT.ok;
}

/** The result in lines for the terminal: places, columns and counts; never a value. */
export function describeLeaks(result: LeakScanResult, seconds: number): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [
    `searched ${n(result.values)} personal values (${formatBytes(result.valueBytes)} held) in ${n(result.files)} files, ${n(result.entries)} zip entries, ${formatBytes(result.bytes)} in ${seconds.toFixed(1)} s`,
  ];
  const shown = result.places.slice(0, 50);
  for (const place of shown) {
    const where = place.entry === undefined ? place.file : `${place.file}: ${place.entry}`;
    const columns = place.columns.map((c) => `${c.column} (${c.pii}) ${n(c.hits)}`).join(', ');
    const first = place.first.map((f) => `line ${f.line} byte ${f.offset}`).join('; ');
    lines.push(`leak     ${where}: ${n(place.hits)} hit(s): ${columns}${first ? `; first at ${first}` : ''}`);
  }
  if (result.places.length > shown.length) {
    lines.push(`leak     ... and ${n(result.places.length - shown.length)} more files or entries with hits`);
  }
  if (result.fakeNames > 0) {
    lines.push(
      `notice   ${n(result.fakeNames)} candidate name(s) not searched: fake names are drawn from the same names, so each fake would be a hit, or the name is one or two letters, a word of many texts, searched only beside the other name (such names are still scrubbed from free text where they stand as names)`,
    );
  }
  // "No personal value found" of an export that holds none (its tables of headers only) proves nothing.
  if (result.values === 0)
    lines.push(
      'notice   the original holds no personal value (no name, e-mail, phone or profile URL in any table): there was nothing to search for',
    );
  // Most PDFs keep their pages' text in compressed streams: "no personal value found" does not cover it.
  if (result.pdfs > 0)
    lines.push(
      `notice   ${n(result.pdfs)} PDF file(s) searched as their bytes only: the text in their compressed streams is not searched, so they are not proven clean; open them to check`,
    );
  for (const u of result.unreadable)
    lines.push(`problem  ${u.file}: ${n(u.count)} ${u.reason}, not searched`);
  lines.push(
    result.hits > 0
      ? `verify-redaction: ${n(result.hits)} personal value(s) found in ${n(result.places.length)} files or entries`
      : result.unreadable.length > 0
        ? 'verify-redaction: no personal value found, but some parts could not be read'
        : 'verify-redaction: no personal value found',
  );
  return `${lines.join('\n')}\n`;
}
