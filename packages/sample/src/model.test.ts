import { describe, expect, it } from 'vitest';
import { candidate, createWorld } from './model.js';
import { normalizeOptions } from './options.js';

describe('candidates of a big sample', () => {
  it('never get a phone line of 555-0100 to 555-0199 (reserved for fiction: what redaction fakes with)', () => {
    const world = createWorld(normalizeOptions({ dir: 'unused', candidates: 400_000 }));
    const lines = new Set<string>();
    for (let index = 0; index < 400_000; index += 7) {
      for (const phone of candidate(world, index).phones) {
        const m = /^\+1 \(\d{3}\) 555-(\d{4})$/.exec(phone);
        if (m) lines.add(m[1]!);
      }
    }
    expect(lines.size).toBeGreaterThan(400);
    expect([...lines].filter((line) => line.startsWith('01'))).toEqual([]);
  });
});
