// Seeded randomness for tests that build their own inputs (here, and through @talent-export/sample in
// packages above): every run (and every failure) is the same.

/** mulberry32: a small seeded PRNG, so every run (and every failure) is the same. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { int, pick, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof prng>;
