import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerExecArgv } from './workers.js';

describe('workerExecArgv', () => {
  it('drops the flags that say how to read the main script, with their values', () => {
    expect(workerExecArgv(['--input-type=module', '-e', 'import "x"'])).toEqual([]);
    expect(workerExecArgv(['--input-type', 'module', '--eval', '1'])).toEqual([]);
    expect(workerExecArgv(['--eval=1', '--print=2', '-pe', '3'])).toEqual([]);
    // A lone -p (its code given to -e, before or after it).
    expect(workerExecArgv(['-p', '-e', '1', '--no-warnings'])).toEqual(['--no-warnings']);
    expect(workerExecArgv(['-e', '1', '-p'])).toEqual([]);
  });

  it('keeps every other flag, in order, values given apart too', () => {
    expect(
      workerExecArgv([
        '--require',
        'agent.cjs',
        '--input-type=module',
        '--max-old-space-size=4096',
        '--import',
        'data:text/javascript,1',
        '-e',
        'code',
        '--cpu-prof',
      ]),
    ).toEqual([
      '--require',
      'agent.cjs',
      '--max-old-space-size=4096',
      '--import',
      'data:text/javascript,1',
      '--cpu-prof',
    ]);
  });

  it('is undefined when there is none to drop: the flags are inherited as Node gives them', () => {
    expect(workerExecArgv(['--require', 'agent.cjs', '--max-old-space-size=4096'])).toBeUndefined();
    expect(workerExecArgv([])).toBeUndefined();
  });
});

describe('startWorker, in a process of its own', () => {
  const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const work = mkdtempSync(join(tmpdir(), 'workers-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const module = join(work, 'worker.mjs');
  writeFileSync(
    module,
    "import { parentPort } from 'node:worker_threads'; parentPort.postMessage(process.execArgv);",
  );
  const moduleUrl = pathToFileURL(module).href;
  /** What workers started from `node <flags> --input-type=module -e <script>` saw and said. */
  const fromEval = (flags: string[]) => {
    const script = `
import { Worker } from 'node:worker_threads';
import { startWorker } from ${JSON.stringify(built)};
const said = (worker) => new Promise((resolve) => {
  worker.on('message', resolve);
  worker.on('error', (error) => resolve('error: ' + error.message));
});
// A worker given source (as the hashing thread is) and one given a module file (as the others are).
const source = startWorker(Worker, "require('node:worker_threads').parentPort.postMessage(process.execArgv)", { eval: true });
const file = startWorker(Worker, new URL(${JSON.stringify(moduleUrl)}));
console.log(JSON.stringify(await Promise.all([said(source), said(file)])));
process.exit(0);
`;
    const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return JSON.parse(out) as unknown[];
  };

  it('starts workers with the flags that apply to them', () => {
    expect(fromEval(['--no-warnings'])).toEqual([['--no-warnings'], ['--no-warnings']]);
  });

  it('leaves out the flags of the whole process, which Node refuses when given to a worker', () => {
    expect(fromEval(['--max-old-space-size=512', '--max-semi-space-size=16', '--no-warnings'])).toEqual([
      ['--no-warnings'],
      ['--no-warnings'],
    ]);
  });
});
