// One test configuration for every package: slow tests (zip64, big exports) run only with `pnpm test:slow`.
const slow = process.env.TEST_SLOW === '1';
export default {
  test: {
    include: slow ? ['src/**/*.slow.test.ts'] : ['src/**/*.test.ts'],
    exclude: slow ? [] : ['src/**/*.slow.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: slow ? 1_800_000 : 60_000,
    hookTimeout: slow ? 1_800_000 : 120_000,
    pool: 'forks',
  },
};
