import type { TalentExport } from '@talent-export/export';
import { describe, expect, it } from 'vitest';
import { verify } from './commands/inspect.js';
import { joinProgress } from './commands/join.js';
import type { Context } from './context.js';
import { createProgress, deferred } from './progress.js';

/** A terminal 200 columns wide that keeps what was drawn, and a clock the test moves. */
function terminal(env: { TERM?: string } = {}) {
  const drawn: string[] = [];
  const stream = { isTTY: true, columns: 200, write: (text: string) => drawn.push(text) };
  const clock = { t: 0 };
  const term = process.env.TERM;
  if (env.TERM !== undefined) process.env.TERM = env.TERM;
  const progress = createProgress({
    quiet: false,
    stream: stream as unknown as NodeJS.WriteStream,
    now: () => clock.t,
  });
  if (term === undefined) delete process.env.TERM;
  else process.env.TERM = term;
  // The last state of the bar: what follows the last carriage return, without colour.
  const last = () =>
    drawn
      .join('')
      .split('\r')
      .filter((line) => line.trim() !== '')
      .at(-1)!
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  return { progress, clock, last, drawn };
}

describe('progress', () => {
  // It said "6 files/6 files 5 files/s" of a join that writes four files: the 6 were partitions.
  it("join's documents bar counts partitions, not files", () => {
    const { progress, clock, last } = terminal();
    const report = joinProgress(progress);
    report({ phase: 'documents', partitions: 1, total: 6, documents: 100 });
    clock.t = 1_000;
    report({ phase: 'documents', partitions: 6, total: 6, documents: 600 });
    expect(last()).toMatch(/^documents \[#+\] 100% 6 partitions\/6 partitions .*600 documents\n$/);
  });

  it('a bar shown late counts its rate from when its work started, not from when it was shown', () => {
    const { progress, clock, last } = terminal();
    const bar = deferred(progress, () => clock.t);
    bar.start('attachment bytes', 10_000_000, 'bytes');
    clock.t = 5_000;
    bar.update(5_000_000);
    bar.show();
    // 5 MB in 5 s, not 5 MB in the millisecond since the bar was drawn.
    expect(last()).toMatch(/5\.0 MB\/10\.0 MB 1\.0 MB\/s/);
  });

  it("validate's attachment bar ends at 100% when the bytes read back are fewer than the parts' sizes", async () => {
    const { progress, last } = terminal();
    const parts = [
      { file: 'Attachment_1-2.zip', bytes: 1000 },
      { file: 'Attachment_3-4.zip', bytes: 3000 },
    ];
    const ex = {
      parts,
      verifyAttachments(options: {
        onProgress: (p: { part: string; bytesDone: number; bytesTotal: number }) => void;
      }) {
        // Inflated bytes read back: fewer than each zip's size (its headers and directory are not counted).
        options.onProgress({ part: parts[0]!.file, bytesDone: 800, bytesTotal: 1000 });
        options.onProgress({ part: parts[1]!.file, bytesDone: 1500, bytesTotal: 3000 });
        return { next: async () => ({ done: true, value: { files: 0, bytes: 0 } }) };
      },
    } as unknown as TalentExport;
    const context = { signal: new AbortController().signal, progress } as Context;
    await verify(ex, context, Promise.resolve(undefined));
    expect(last()).toMatch(/100% 4\.0 KB\/4\.0 KB/);
  });

  it('a dumb terminal gets no escape sequence: the bar is blanked with spaces', () => {
    const { progress, clock, drawn } = terminal({ TERM: 'dumb' });
    progress.start('candidates', 100, 'rows');
    clock.t = 1000;
    progress.update(50);
    progress.log('a line');
    progress.done();
    expect(drawn.join('')).not.toContain('\x1b');
    expect(drawn.join('')).toMatch(/candidates \[#+\.+\] 50% .*\r {20,}\ra line\n/);
  });

  it('on an 80-column terminal the bar narrows so the row count is whole, not cut to a smaller number', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 80, write: (text: string) => written.push(text) };
    const clock = { t: 0 };
    const progress = createProgress({
      quiet: false,
      stream: stream as unknown as NodeJS.WriteStream,
      now: () => clock.t,
    });
    progress.start('custom_field_values', 7_800, 'bytes');
    clock.t = 9;
    progress.update(7_800);
    progress.done('103 rows');
    progress.start('attachment bytes', 4_900_000, 'bytes');
    clock.t = 300;
    progress.update(44_200);
    const lines = written
      .join('')
      .split(/[\r\n]/)
      .map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))
      .filter((line) => line !== '');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(79);
    expect(lines).toContainEqual(expect.stringMatching(/^custom_field_values \[#+\] 100% .* 103 rows$/));
    expect(lines.at(-1)).toMatch(/^attachment bytes \[\.+\] 1% .* ETA (\d+m)?\d+s$/);
  });

  it('on a terminal too narrow for any bar, the numbers are kept and the bar is left out', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 40, write: (text: string) => written.push(text) };
    const progress = createProgress({ quiet: false, stream: stream as unknown as NodeJS.WriteStream });
    progress.start('hiring_states', 317, 'bytes');
    progress.update(317);
    progress.done('10 rows');
    const text = written.join('').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(text).toMatch(/hiring_states 100% 317 B\/317 B .*10 rows\n$/);
  });

  it('draws nothing after end(): a table winding down after the error was said stays unseen', () => {
    const { progress, drawn } = terminal();
    progress.start('custom_field_values', 3_800_000, 'bytes');
    progress.update(65_500);
    const before = drawn.length;
    progress.end();
    // The half-drawn bar is wiped once, so the error line that follows starts clean.
    expect(drawn.slice(before)).toEqual(['\r\x1b[2K']);
    progress.update(3_800_000);
    progress.done('50,977 rows');
    progress.start('notes', 10, 'bytes');
    progress.log('a line');
    progress.clear();
    expect(drawn.length).toBe(before + 1);
  });

  it("a finished bar's summary is cut with it to the terminal's width", () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 40, write: (text: string) => written.push(text) };
    const progress = createProgress({ quiet: false, stream: stream as unknown as NodeJS.WriteStream });
    progress.start('custom_field_values', 3_800_000, 'bytes');
    progress.update(3_800_000);
    progress.done('50,977 rows');
    const lines = written
      .join('')
      .split(/[\r\n]/)
      .map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(39);
  });
});
