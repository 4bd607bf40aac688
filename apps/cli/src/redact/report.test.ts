import { describe, expect, it } from 'vitest';
import { printRedaction, type RedactionJson } from './report.js';

function summary(
  kept: number,
  parts: { file: string; entries: number; bytes: number }[] = [],
  max?: number,
): string {
  const kind = { kept, dropped: 1 };
  const json = {
    command: 'redact',
    exitCode: 0,
    key: 'random',
    rows: {},
    tables: {},
    detectors: {},
    known: {},
    attachments: {
      public: kind,
      private: { kept: 0, dropped: 1 },
      miscellaneous: { kept: 0, dropped: 1 },
      foldersDropped: 0,
      unknownDropped: 0,
      files: 3,
      parts,
    },
    problems: [],
    notices: [],
  } as unknown as RedactionJson;
  let text = '';
  printRedaction(
    json,
    'out',
    0,
    (t) => {
      text += t;
    },
    max,
  );
  return text;
}

describe('printRedaction', () => {
  it('says that kept attachments are copied with what they hold, only when some are kept', () => {
    expect(summary(2)).toContain('kept files are copied as they are: what they hold');
    // What verify-redaction does not read is said where the files are kept, not only in its --help.
    expect(summary(2)).toContain(
      "verify-redaction searches them, but not the text inside a PDF's compressed streams, so a kept PDF is not proven clean",
    );
    expect(summary(0)).not.toContain('kept files are copied');
  });
});

describe('printRedaction: counts and parts', () => {
  it('writes every count with its thousands, as the rows are', () => {
    const text = summary(24_000);
    expect(text).toContain('files     public 24,000 kept / 1 dropped');
    expect(text).not.toMatch(/\d{4}/);
  });

  it('says which parts are over --max-part-mb, as a candidate folder is never split', () => {
    const parts = [
      { file: 'Attachment_1-1.zip', entries: 3, bytes: 10_031_665 },
      { file: 'Attachment_2-9.zip', entries: 9, bytes: 900_000 },
    ];
    expect(summary(1, parts, 1_000_000)).toContain(
      '1 part(s) over the 1 MB a part may hold (--max-part-mb; the largest 10.0 MB): each holds a candidate folder larger than that, and a folder is never split',
    );
    expect(summary(1, parts, 20_000_000)).not.toContain('a part may hold');
  });
});
