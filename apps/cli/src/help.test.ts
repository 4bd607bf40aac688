import { shippedExportPath } from '@talent-export/sample';
import { expect, it } from 'vitest';
import { HELP_WIDTH } from './args.js';
import { HELP, narrowed } from './help.js';
import { main } from './main.js';

it("no line of any --help is wider than the others, but an example's command line", () => {
  const wide = Object.entries(HELP).flatMap(([topic, text]) =>
    text
      .split('\n')
      .filter((line) => line.length > HELP_WIDTH && !/^ {2}(talent-export |TALENT_|jq |unzip )/.test(line))
      .map((line) => `${topic}: ${line}`),
  );
  expect(wide).toEqual([]);
});

it("every command's help lists every exit code it can end with, one a line", () => {
  for (const [topic, text] of Object.entries(HELP)) {
    const block = text.slice(text.indexOf('\nExit codes:\n'));
    // verify-redaction left out 4 (a bug) in a line that ran three codes together.
    const codes = [...block.matchAll(/^ {2}(\d+) /gm)].map((m) => m[1]);
    expect(codes, topic).toEqual(['0', '1', '2', '3', '4', '130']);
  }
});

it("every command that writes says in --out's help what it replaces there and what it refuses", () => {
  const rules: Record<string, RegExp> = {
    convert:
      /what an earlier convert wrote there is replaced \(or\s+removed.*other files are left alone.*is refused/s,
    join: /what an earlier join wrote there is replaced.*other files are left\s+alone.*is refused/s,
    bundle: /an earlier bundle wrote is\s+replaced.*other files are left alone.*is refused/s,
    extract: /new or empty \(any other is refused/,
    sample: /new or empty \(any other is refused, unless --force\)/,
    redact: /missing or empty/,
    report: /a page an\s+earlier report wrote is replaced, any other file of that name is refused/,
  };
  for (const [command, rule] of Object.entries(rules)) {
    const out = HELP[command]!.split('\n  -o, --out ')[1]!.split(/\n {2}(?:-\w, )? {0,4}--(?!out)/)[0]!;
    expect(out.replace(/\s+/g, ' '), command).toMatch(new RegExp(rule.source.replace(/\\s\+/g, ' '), 's'));
  }
});

it("--threads says which tables worker threads decode: those of 64 KiB or more, as the sample's 240 KB messages", async () => {
  expect(HELP.inspect!.replace(/\s+/g, ' ')).toContain(
    'tables of 64 KiB or more are cut into slices decoded by N-1 worker threads',
  );
  let started = 0;
  const count = () => {
    started += 1;
  };
  process.on('worker', count);
  try {
    const code = await main(['inspect', shippedExportPath(), '--threads', '2', '--json', '-q'], {
      out: () => undefined,
      err: () => undefined,
    });
    expect(code).toBe(1);
  } finally {
    process.off('worker', count);
  }
  expect(started).toBeGreaterThan(0);
});

it('a usage line shows an option that has a default as optional', () => {
  // report writes report.html when --out is not given.
  expect(HELP.report).toMatch(/^Usage: talent-export report \[export\] \[--out FILE\] \[options\]$/m);
});

it('on a terminal narrower than the help, every line but an example fits it, and no word is lost', () => {
  for (const [topic, text] of Object.entries(HELP))
    for (const width of [79, 60]) {
      const narrow = narrowed(text, width);
      const wide = narrow
        .split('\n')
        .filter(
          (line) =>
            line.length > width && !/^( {2}(talent-export |TALENT_|jq |unzip |pass )|Usage: )/.test(line),
        );
      expect(wide, `${topic} at ${width}`).toEqual([]);
      expect(narrow.split(/\s+/), topic).toEqual(text.split(/\s+/));
    }
  // An option's description stays beside it, going on below at its column.
  expect(narrowed(HELP.convert!, 79)).toMatch(
    /^ {2}-o, --out DIR {10}output folder, created if needed;.*\n {25}\S/m,
  );
  // The exit codes keep their numbers in a column of their own.
  expect(narrowed(HELP.convert!, 79)).toMatch(/^ {2}3 {2}input refused or unreadable.*\n {5}\S/m);
});

it('--help on an 80-column terminal is fitted to it; written to a file, it keeps its width', async () => {
  const printed = async (columns?: number) => {
    let text = '';
    await main(['convert', '--help'], { out: (t) => (text += t), err: () => {}, columns });
    return text;
  };
  const narrow = await printed(80);
  const prose = narrow.split('\n').filter((line) => !line.startsWith('  talent-export '));
  expect(Math.max(...prose.map((line) => line.length))).toBeLessThanOrEqual(79);
  expect(narrow).not.toBe(`${HELP.convert}\n`);
  expect(await printed()).toBe(`${HELP.convert}\n`);
  expect(await printed(200)).toBe(`${HELP.convert}\n`);
});
