#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { describeError, EXIT } from './exit.js';
import { main } from './main.js';

// Streaming makes much short-lived garbage. Growing the heap by half at a time instead of V8's default
// keeps peak RSS nearer the live set (convert of a 3 GB export: 317 MB -> 200 MB) at no cost in speed;
// smaller steps collect so often that reading many small attachments slows down by half.
setFlagsFromString('--heap-growing-percent=50');

const SAME_PRESS_MS = 500;
const controller = new AbortController();
let firstSignal: number | undefined;
const onSignal = () => {
  const now = Date.now();
  if (firstSignal === undefined) {
    firstSignal = now;
    controller.abort();
    return;
  }
  // One Ctrl-C often arrives twice: npx or pnpm forward it to the CLI, which as part of the terminal's
  // process group has already had it (and `timeout` signals both the command and its group). Only a
  // second press, later, means "now": skip cleanup.
  if (now - firstSignal >= SAME_PRESS_MS) process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The terminal closed (its window, an ssh session): stopped as by Ctrl-C, temporaries removed, not killed.
process.on('SIGHUP', onSignal);
// A reader that stops early (`| head`, of the output or of the summary and progress on stderr) must not
// hide the exit code: later output is simply dropped. So is what cannot be written on stderr. A result that
// cannot be written on stdout (`> /dev/full`, a disk that fills up) is lost: the run stops as an output
// error (exit 3), said on stderr, not as a crash that exits 1, the code of a run that found problems.
let lost: NodeJS.ErrnoException | undefined;
process.stderr.on('error', () => undefined);
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || lost !== undefined) return;
  lost = error;
  process.stderr.write(
    `talent-export: standard output cannot be written: ${describeError(error)}; check where it goes (a full disk?)\n`,
  );
  process.exitCode = EXIT.refused;
  controller.abort();
});

const code = await main(process.argv.slice(2), { signal: controller.signal });
process.exitCode = lost === undefined ? code : EXIT.refused;
