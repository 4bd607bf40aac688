import { generateExport, type SampleOptions, type SampleProgress } from '@talent-export/sample';
import { parseCommand, positiveInt } from '../args.js';
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../exit.js';
import { formatBytes } from '../progress.js';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  seed: { type: 'string' },
  candidates: { type: 'string' },
  'messages-per-candidate': { type: 'string' },
  'attachments-mb': { type: 'string' },
  'part-mb': { type: 'string' },
  flat: { type: 'boolean' },
  'edge-cases': { type: 'boolean' },
  'truth-records': { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

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
  const truth = await generateExport(options);
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
