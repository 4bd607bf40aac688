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
