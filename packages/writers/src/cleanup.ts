import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Temporary files that exist right now, across every open output. If the process is interrupted
 * (SIGINT, SIGTERM, SIGHUP) or exits without finishing, they are removed synchronously, so an
 * interruption leaves neither a partial final file (those only appear by rename) nor a temp.
 */
const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitInstalled = false;
let signalsInstalled = false;
let useSignals = 0;

export function trackTemp(path: string, handleSignals: boolean): void {
  live.add(resolve(path));
  if (handleSignals) useSignals++;
  install();
}

export function untrackTemp(path: string, handleSignals: boolean): void {
  if (!live.delete(resolve(path))) return;
  if (handleSignals) useSignals--;
  if (live.size === 0) uninstall();
}

/** Whether this process made the temp at `path` and has it still. */
export const isLiveTemp = (path: string): boolean => live.has(resolve(path));

/** Removes every live temp; safe to call from a signal or exit handler. */
export function removeLiveTemps(): void {
  for (const path of live) rmSync(path, { force: true });
  live.clear();
}

function onExit(): void {
  removeLiveTemps();
}

/** Outputs renaming their complete files to their final names now (see `whilePublishing`). */
let publishing = 0;
/** A signal that came while they did, and whether an output handled signals then: acted on once they are done. */
let pending: { signal: NodeJS.Signals; handled: boolean } | undefined;

/**
 * Runs the renames that make an output appear: a signal that comes meanwhile waits for them to end, so an
 * interrupted run leaves all of an output's files or none, never some renamed and the rest removed.
 */
export async function whilePublishing<T>(run: () => Promise<T>): Promise<T> {
  publishing++;
  try {
    return await run();
  } finally {
    publishing--;
    if (publishing === 0 && pending !== undefined) {
      const { signal, handled } = pending;
      pending = undefined;
      act(signal, handled);
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  const handled = useSignals > 0;
  if (publishing > 0) pending = { signal, handled };
  else act(signal, handled);
}

function act(signal: NodeJS.Signals, handled: boolean): void {
  removeLiveTemps();
  uninstall();
  // When no one else listens, behave as if we had not: die of the same signal.
  if (handled && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (!exitInstalled) {
    exitInstalled = true;
    process.on('exit', onExit);
  }
  if (useSignals > 0 && !signalsInstalled) {
    signalsInstalled = true;
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
}

function uninstall(): void {
  useSignals = 0;
  if (exitInstalled) process.off('exit', onExit);
  if (signalsInstalled) for (const signal of SIGNALS) process.off(signal, onSignal);
  exitInstalled = false;
  signalsInstalled = false;
}
