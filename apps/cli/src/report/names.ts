// The page's labels are the export's own text (project, stage and module names, channels, recommendations,
// extra column headers), and a recruiter may name a project for a candidate (`Backfill for Jane Doe`). With
// --policy they pass through its scrubber; without, through the default policy's, whose dictionary holds the
// candidates some label may name: those whose name shares a word with a label, found by reading the names of
// the candidates table once more (a few percent of the export) and kept only when they do, so that memory
// stays bounded by the labels, not by the candidates. Names read in the first pass went into a filter of
// their words (`ReadOptions.words`): when no label word is in it, no candidate can be kept, and the names
// are not read again (a sixth of the page's time on the benchmark export).
import { randomBytes } from 'node:crypto';
import type { TalentExport } from '@talent-export/export';
import { readBatches, type WordFilter, wordsOf } from '@talent-export/pipeline';
import { withoutControls } from '@talent-export/schema';

/** Candidates kept for the dictionary at most: far more than the labels of any export name. */
const KEPT_MAX = 100_000;

/**
 * A scrubber of the page's labels for an export read without --policy: names of candidates that a label
 * may hold, e-mails, phones and links out, as the default policy takes them out of free text.
 */
export async function labelScrubber(
  ex: TalentExport,
  labels: Iterable<string>,
  options: { threads: number; signal: AbortSignal; candidatesRead: boolean; nameWords?: WordFilter },
): Promise<(text: string) => string> {
  const { createRedactor, Dictionary, DictionaryBuilder, loadPolicy } = await import('@talent-export/redact');
  const words = new Set<string>();
  for (const label of labels) for (const word of wordsOf(label)) words.add(word);
  const builder = new DictionaryBuilder();
  // A table that could not be read, or was cut short, was told so already: its names are not read again.
  const mayName = [...words].some((word) => options.nameWords?.mayHold(word) ?? true);
  if (mayName && options.candidatesRead) {
    let kept = 0;
    const names = readBatches(ex, ['candidates'], {
      threads: options.threads,
      signal: options.signal,
      columns: { candidates: ['candidate_id', 'first_name', 'last_name'] },
    });
    for await (const batch of names) {
      if (batch.kind !== 'records' || kept >= KEPT_MAX) continue;
      for (const record of batch.records) {
        const { first_name: first, last_name: last } = record;
        const named = [first, last].some(
          // Without control characters, as the dictionary learns a name (`Wether\0spoon` is Wetherspoon).
          (name) =>
            typeof name === 'string' && wordsOf(withoutControls(name)).some((word) => words.has(word)),
        );
        if (named && kept++ < KEPT_MAX) builder.add('candidates', record);
      }
    }
    await names.outcome;
  }
  // No pseudonym is shown: the key only has to be one.
  const redactor = createRedactor({
    policy: loadPolicy('default'),
    key: randomBytes(32),
    dictionary: new Dictionary(builder.build()),
  });
  return (text) => redactor.text(text);
}
