import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { generateExport, type SampleOptions, type SampleProgress } from '@talent-export/sample';
import { type OptionSpecs, parseCommand, positiveInt } from '../args.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../exit.js';
import { formatBytes } from '../progress.js';

export const OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: 'DIR',
    help: 'output folder, new or empty (any other is refused, unless --force)',
  },
  seed: { type: 'string', value: 'N', help: 'random seed (default 1)' },
  candidates: { type: 'string', value: 'N', help: 'number of candidates (default 300)' },
  'messages-per-candidate': { type: 'string', value: 'N', help: 'messages per candidate (default 3)' },
  'attachments-mb': { type: 'string', value: 'N', help: 'total size of attachments in MB (default 5)' },
  'part-mb': { type: 'string', value: 'N', help: 'split attachment parts at this size in MB (default 2048)' },
  flat: { type: 'boolean', help: 'put the ten CSVs at the root of export.zip, not in Contract_<id>/' },
  'edge-cases': { type: 'boolean', help: 'BOM, CRLF, quotes, commas and newlines in fields, emoji' },
  'truth-records': { type: 'boolean', help: 'also write the expected typed records to DIR.truth/records/' },
  force: {
    type: 'boolean',
    help: "write into a non-empty folder: an earlier sample's export.csv, export.zip and parts\nare replaced, other files left alone; a folder with an export but no DIR.truth/ is refused",
  },
} as const satisfies OptionSpecs;

const NUMBERS = {
  seed: 'seed',
  candidates: 'candidates',
  messagesPerCandidate: 'messages-per-candidate',
  attachmentsMb: 'attachments-mb',
  partMb: 'part-mb',
} as const;

export async function sample(argv: string[], { signal, progress, err, quiet }: Context): Promise<number> {
  const { values } = parseCommand('sample', argv, OPTIONS, 0);
  const dir = values.out;
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--out DIR is required', 'sample');
  let phase = '';
  const options: SampleOptions = {
    dir,
    signal,
    flat: values.flat === true,
    edgeCases: values['edge-cases'] === true,
    truthRecords: values['truth-records'] === true,
    force: values.force === true,
    onProgress: (p: SampleProgress) => {
      if (p.phase !== phase) {
        if (phase) progress.done();
        phase = p.phase;
        progress.start(p.phase, p.total, p.unit);
      }
      progress.update(p.done);
    },
  };
  for (const [key, flag] of Object.entries(NUMBERS)) {
    const value = positiveInt('sample', flag, values[flag]);
    if (value !== undefined) options[key as keyof typeof NUMBERS] = value;
  }
  if (options.partMb === 0) throw new UsageError('--part-mb must be at least 1', 'sample');
  if (options.force) notADownload(dir);
  const truth = await generateExport(options).catch((error: unknown) => {
    throw withFlags(error);
  });
  if (phase) progress.done();
  if (!quiet) {
    const rows = Object.values(truth.tables).reduce((sum, t) => sum + t.rows, 0);
    err(
      `wrote ${dir}: export.csv, export.zip (${rows.toLocaleString('en-US')} rows in 10 tables), ` +
        `${truth.attachments.parts.length} attachment part(s) with ${truth.attachments.files.toLocaleString('en-US')} files ` +
        `(${formatBytes(truth.attachments.bytes)}); ground truth in ${dir.replace(/\/+$/, '')}.truth/\n`,
    );
  }
  return EXIT.ok;
}

/** What the generator replaces with --force (its own names): export.csv, export.zip and the parts. */
const EXPORT_FILE = /^(export\.csv|export\.zip|Attachment_.+\.zip)$/;

/**
 * --force replaces an earlier sample's export files; a folder holding them without the DIR.truth/ every
 * sample writes beside them is most likely a real download, which it would have removed for a fake one.
 */
function notADownload(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => EXPORT_FILE.test(name))
      .sort();
  } catch {
    return; // Missing (made by the run), or unreadable: the generator says so in its words.
  }
  if (names.length === 0 || existsSync(join(`${dir.replace(/\/+$/, '')}.truth`, 'truth.json'))) return;
  const parts = names.filter((name) => name.startsWith('Attachment_')).length;
  const shown = [
    ...names.filter((name) => name.startsWith('export.')),
    parts ? `${parts} Attachment_*.zip part(s)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  throw new UsageError(
    `--force replaces only an export that sample wrote: ${dir} holds ${shown} but has no ${basename(dir)}.truth/ beside it, so it may be a real download; give another folder`,
    'sample',
  );
}

/** The generator's messages name its options as a program spells them; the command line's are flags. */
function withFlags(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  let message = error.message
    .replace(' (generating a sample export).', '.')
    .replace('pass force (--force on the command line)', 'add --force');
  for (const [key, flag] of Object.entries(NUMBERS))
    message = message.replace(`Option "${key}"`, `--${flag}`);
  error.message = message;
  return error;
}
