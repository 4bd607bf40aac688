import { availableParallelism } from 'node:os';
import shared from '../../vitest.shared.mjs';

// Each file here spends most of its time waiting on the CLI it runs in a child process: two files at a
// time even on two cores (the default, one fewer than the cores, ran them one by one for a quarter hour).
export default { ...shared, test: { ...shared.test, maxWorkers: Math.max(2, availableParallelism() - 1) } };
