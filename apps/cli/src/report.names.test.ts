// The labels' scrubber reads the candidates' names again only when a label word may be a name's word, as
// the filter of the names' words gathered in the first pass says.
import type { TalentExport } from '@talent-export/export';
import { WordFilter } from '@talent-export/pipeline';
import { describe, expect, it } from 'vitest';
import { labelScrubber } from './report/names.js';

/** An export whose tables cannot be read: a scrubber that reads the names fails on it. */
const unreadable = new Proxy({} as TalentExport, {
  get: (_, key) => {
    if (key === 'then') return undefined;
    throw new Error(`read ${String(key)}`);
  },
});

function filterOf(...words: string[]): WordFilter {
  const filter = new WordFilter();
  filter.addWords(words);
  return filter;
}

describe('labelScrubber', () => {
  const options = { threads: 1, signal: new AbortController().signal, candidatesRead: true };

  it('does not read the names again when no label word is a word of a name', async () => {
    const scrub = await labelScrubber(unreadable, ['Backfill Berlin', 'Phone screen'], {
      ...options,
      nameWords: filterOf('jane', 'doe'),
    });
    // E-mails still go, as the default policy takes them out of free text.
    expect(scrub('Backfill Berlin')).toBe('Backfill Berlin');
    expect(scrub('write to jane.doe@example.com')).not.toContain('jane.doe@example.com');
  });

  it('reads them when a label word may be one', async () => {
    await expect(
      labelScrubber(unreadable, ['Backfill for Jane Doe'], {
        ...options,
        nameWords: filterOf('jane', 'doe'),
      }),
    ).rejects.toThrow(/read/);
    await expect(labelScrubber(unreadable, ['Backfill for Jane Doe'], options)).rejects.toThrow(/read/);
  });
});
