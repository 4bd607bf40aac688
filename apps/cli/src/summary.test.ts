// The human summary of inspect, validate and convert.
import type { Problem } from '@talent-export/export';
import { describe, expect, it } from 'vitest';
import type { Context } from './context.js';
import { printSummary } from './summary.js';

describe('printSummary', () => {
  it('prints no control character of a file name: an escape sequence in a part name reaches no terminal', () => {
    const part = 'Attachment_1-2\x1b]0;pwned\x07\x1b[2J\u009b31m\u202egpj.zip';
    let printed = '';
    const context = { out: (text: string) => void (printed += text) } as unknown as Context;
    printSummary(
      {
        command: 'validate',
        export: { path: '/x', layout: 'download', parts: [{ file: part }], manifest: null },
        tables: {},
        attachments: {
          files: 1,
          bytes: 1,
          candidates: 1,
          parts: [{ file: part, files: 1, markers: 0, bytes: 1, candidates: 1 }],
        },
        problems: [],
        notices: [
          {
            severity: 'notice',
            code: 'MANIFEST_UNLISTED_FILE',
            message: `${part} is not listed in export.csv`,
          },
        ],
      },
      context,
      String,
    );
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(printed).toContain(
      'Attachment_1-2\ufffd]0;pwned\ufffd\ufffd[2J\ufffd31m\ufffdgpj.zip is not listed',
    );
    expect(printed.split('\n').length).toBeGreaterThan(5);
  });

  it('names the first extra columns of a table and counts the rest: a spreadsheet saves thousands of empty ones', () => {
    let printed = '';
    const context = { out: (text: string) => void (printed += text) } as unknown as Context;
    const extraColumns = Array.from({ length: 16_374 }, (_, i) => `column${i + 11}`);
    printSummary(
      {
        command: 'validate',
        export: { path: '/x', layout: 'extracted', parts: [], manifest: null },
        tables: { candidates: { rows: 3, decoded: 3, rejected: 0, bytes: 1, extraColumns } },
        attachments: { files: 0, bytes: 0, candidates: 0 },
        problems: [],
        notices: [],
      },
      context,
      String,
    );
    const line = printed.split('\n').find((l) => l.trimStart().startsWith('candidates'));
    expect(line).toMatch(/extra columns: column11, column12, .*, column22 and 16,362 more$/);
    expect(line!.length).toBeLessThan(300);
  });

  it("says which extra columns were renamed and how many of a spreadsheet's empty columns were read past", () => {
    let printed = '';
    const context = { out: (text: string) => void (printed += text) } as unknown as Context;
    printSummary(
      {
        command: 'inspect',
        export: { path: '/x', layout: 'extracted', parts: [], manifest: null },
        tables: {
          notes: {
            rows: 3,
            decoded: 3,
            rejected: 0,
            bytes: 1,
            extraColumns: ['colour', 'colour_1'],
            renamedColumns: ['colour_1'],
            paddingColumns: 16_374,
          },
        },
        attachments: { files: 0, bytes: 0, candidates: 0 },
        problems: [],
        notices: [],
      },
      context,
      String,
    );
    const line = printed.split('\n').find((l) => l.trimStart().startsWith('notes'));
    expect(line).toContain(
      "extra columns: colour, colour_1  renamed (repeating an earlier column's header): colour_1",
    );
    expect(line).toMatch(/16,374 empty column\(s\) ending the header read past$/);
  });

  it('says why there is no manifest, and points at the problems only when one is about it', () => {
    const manifestLine = (layout: string, notices: Problem[]) => {
      let printed = '';
      const context = { out: (text: string) => void (printed += text) } as unknown as Context;
      printSummary(
        {
          command: 'inspect',
          export: { path: '/x', layout, parts: [], manifest: null },
          tables: {},
          attachments: { files: 0, bytes: 0, candidates: 0 },
          problems: [],
          notices,
        },
        context,
        String,
      );
      return printed.split('\n').find((line) => line.startsWith('manifest'));
    };
    expect(manifestLine('export-zip', [])).toBe('manifest none (a lone export.zip comes without export.csv)');
    expect(
      manifestLine('download', [
        { severity: 'notice', code: 'MANIFEST_MISSING', message: 'no export.csv found' },
      ]),
    ).toBe('manifest none (export.csv: see the notices below)');
  });
});
