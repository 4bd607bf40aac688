import { expect, it } from 'vitest';
import { HELP_WIDTH } from './args.js';
import { HELP } from './help.js';

it("no line of any --help is wider than the others, but an example's command line", () => {
  const wide = Object.entries(HELP).flatMap(([topic, text]) =>
    text
      .split('\n')
      .filter((line) => line.length > HELP_WIDTH && !/^ {2}(talent-export |TALENT_|jq |unzip )/.test(line))
      .map((line) => `${topic}: ${line}`),
  );
  expect(wide).toEqual([]);
});

it('a usage line shows an option that has a default as optional', () => {
  // report writes report.html when --out is not given.
  expect(HELP.report).toMatch(/^Usage: talent-export report \[export\] \[--out FILE\] \[options\]$/m);
});
