import { performance } from 'node:perf_hooks';
import type { SampleProgress } from './options.js';

const INTERVAL_MS = 100;

/** Calls back at most every 100 ms, plus at the start and end of each phase. */
export class Progress {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly callback: ((progress: SampleProgress) => void) | undefined) {}

  get enabled(): boolean {
    return this.callback !== undefined;
  }

  report(phase: string, done: number, total: number, unit: SampleProgress['unit'], force = false) {
    if (this.callback === undefined) return;
    const now = performance.now();
    if (!force && now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.callback({ phase, done, total, unit });
  }
}
