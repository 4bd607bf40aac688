// The README usage block is run as written.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

it('runs the README usage block', async () => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const script = join(here, `readme-example-${process.pid}.ts`);
  writeFileSync(script, block!.replace("'@talent-export/errors'", JSON.stringify(join(here, 'index.ts'))));
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(script);
  } finally {
    rmSync(script, { force: true });
  }
  expect(log.mock.calls).toEqual([['DEMO_CLOSED', 'internal'], ['interrupted']]);
});
