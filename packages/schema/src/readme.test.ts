import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const example = join(tmpdir(), `schema-readme-example-${process.pid}.mjs`);
afterAll(() => rmSync(example, { force: true }));

it('the README usage block runs and prints what its comments say', async () => {
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
  // Run it against the built package, as a user would import it.
  writeFileSync(
    example,
    code.replace("'@talent-export/schema'", `'${pathToFileURL(join(here, '..', 'dist', 'index.js')).href}'`),
  );
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(pathToFileURL(example).href);
    expect(log.mock.calls).toEqual([
      ['ROW_FIELD_COUNT', 3, 'n2,p1,c1,x,oops'],
      [2, 1, 1],
      ['notes.project_id -> projects.project_id'],
    ]);
  } finally {
    log.mockRestore();
  }
});
