import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { prettyJson } from './json.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

it('lays out JSON as the repository formatter does', () => {
  const value = {
    short: ['export.zip', 'Attachment_1-2.zip'],
    long: Array.from({ length: 12 }, (_, i) => `Attachment_${1000000000 + i}-${1000000100 + i}.zip`),
    parts: [{ file: 'a', n: 1, nested: { empty: [], none: {} } }],
    values: [1, null, true, 'x'],
  };
  const text = prettyJson(value);
  expect(JSON.parse(text)).toEqual(value);
  expect(text).toContain('"short": ["export.zip", "Attachment_1-2.zip"],');
  const formatted = execFileSync('npx', ['biome', 'format', '--stdin-file-path=truth.json'], {
    cwd: repo,
    input: text,
    encoding: 'utf8',
  });
  expect(formatted).toBe(text);
});
