import type { Progress } from './progress.js';

export interface Context {
  signal: AbortSignal;
  progress: Progress;
  quiet: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
}
