import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport } from '@talent-export/export';
import { generateExport } from '@talent-export/sample';
import { describe, expect, it } from 'vitest';
import { joinExport } from './join.js';
import { PrettyJson, prettyJson } from './pretty.js';

const indented = (json: string) => JSON.stringify(JSON.parse(json), null, 2);

/** `json` through PrettyJson in chunks of `size` bytes. */
function pretty(json: string, size: number): string {
  const bytes = Buffer.from(json);
  const p = new PrettyJson();
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...p.push(bytes.subarray(at, at + size)));
  out.push(...p.end());
  return Buffer.concat(out).toString('utf8');
}

const CASES = [
  '{}',
  '[]',
  '{"a":[],"b":{},"c":[{}],"d":[[]]}',
  '{"a":"x,y:{z}[w]","b":"quote \\" and \\\\","c":"\\\\\\"","d":"\\u0001\\n\\t"}',
  '{"emoji":"🎉 é","n":[1,-2.5,1e+21,0],"t":true,"f":false,"z":null}',
  '{"nested":{"list":[{"k":[1,{"deep":[]}]}],"after":"}"},"last":[null]}',
  '[1,"two",{"three":3}]',
];

describe('PrettyJson', () => {
  it('indents as JSON.stringify(JSON.parse(json), null, 2), wherever the chunks split', () => {
    for (const json of CASES)
      for (const size of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(pretty(json, size)).toBe(indented(json));
  });

  it('skips spaces between tokens and keeps them inside strings', () => {
    expect(pretty('{ "a" : [ 1 , "b c" ] }\n', 4)).toBe(indented('{"a":[1,"b c"]}'));
  });

  it('indents every document of a sample export with edge cases as a parse would', async () => {
    const work = mkdtempSync(join(tmpdir(), 'join-pretty-'));
    try {
      const dir = join(work, 'export');
      await generateExport({ dir, candidates: 40, seed: 5, edgeCases: true, attachmentsMb: 1 });
      const ex = await openExport(dir);
      try {
        await joinExport(ex, { out: join(work, 'out') });
      } finally {
        await ex.close();
      }
      const lines = readFileSync(join(work, 'out', 'candidates.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean);
      expect(lines.length).toBeGreaterThan(30);
      for (const [i, line] of lines.entries()) expect(pretty(line, 1 + (i % 50))).toBe(indented(line));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('ends the stream with a line feed, as a bundle writes candidate.json', async () => {
    async function* chunks() {
      yield Buffer.from('{"a":');
      yield Buffer.from('[1]}\n');
    }
    const out: Buffer[] = [];
    for await (const piece of prettyJson(chunks())) out.push(piece);
    expect(Buffer.concat(out).toString()).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
