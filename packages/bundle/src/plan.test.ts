// PartPlanner: parts planned from declared sizes hold, once written, no more than planned and the limit.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createZip } from './bundle.js';
import { PartPlanner } from './plan.js';
import { tempDir } from './readers.test-helpers.js';

const folder = tempDir();
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('PartPlanner', () => {
  it('keeps every group whole, every part under the limit; written parts take no more than planned', async () => {
    const max = 60_000;
    const planner = new PartPlanner({
      maxPartBytes: max,
      compare: (a, b) => Number(a) - Number(b),
      prefixBytes: (longest) => 'Top_-/'.length + 2 * longest,
    });
    // Keys out of order, as pseudonyms are: min and max are not first and last.
    const groups = Array.from({ length: 40 }, (_, i) => {
      const key = String(((i * 7919) % 997) + 10);
      const sizes = [((i * 104_729) % 9_000) + 50, ((i * 7) % 3) * 1000];
      return { key, entries: sizes.map((size, n) => ({ name: `Candidate_${key}/Public/f${n}.pdf`, size })) };
    });
    for (const g of groups)
      planner.add(
        g.key,
        g.entries.map((e) => ({ nameBytes: e.name.length, dataBytes: e.size })),
      );
    const parts = planner.parts;
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.reduce((n, p) => n + p.groups, 0)).toBe(groups.length);
    let at = 0;
    for (const part of parts) {
      const mine = groups.slice(at, at + part.groups);
      at += part.groups;
      const keys = mine.map((g) => Number(g.key));
      expect([part.first, part.last]).toEqual([mine[0]!.key, mine.at(-1)!.key]);
      expect([Number(part.min), Number(part.max)]).toEqual([Math.min(...keys), Math.max(...keys)]);
      const path = join(folder, `${part.min}-${part.max}.zip`);
      const zip = createZip(path);
      for (const g of mine)
        for (const e of g.entries)
          await zip.add({
            name: `Top_${part.min}-${part.max}/${e.name}`,
            bytes: Buffer.alloc(e.size, 1),
            method: 'store',
          });
      await zip.close();
      expect(statSync(path).size).toBeLessThanOrEqual(part.bytes);
      expect(part.bytes).toBeLessThanOrEqual(max);
    }
  });
});
