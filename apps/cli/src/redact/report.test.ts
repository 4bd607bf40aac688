import { describe, expect, it } from 'vitest';
import { printRedaction, type RedactionJson } from './report.js';

function summary(kept: number): string {
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
      parts: [],
    },
    problems: [],
    notices: [],
  } as unknown as RedactionJson;
  let text = '';
  printRedaction(json, 'out', 0, (t) => {
    text += t;
  });
  return text;
}

describe('printRedaction', () => {
  it('says that kept attachments are copied with what they hold, only when some are kept', () => {
    expect(summary(2)).toContain('kept files are copied as they are: what they hold');
    expect(summary(0)).not.toContain('kept files are copied');
  });
});
