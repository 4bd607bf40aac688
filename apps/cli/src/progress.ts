/** Progress on stderr: a redrawn line on a terminal, nothing otherwise (or with --quiet). */
export interface Progress {
  /** `startedAt` (a time from `now`) is when the work began, if before this bar was drawn: the rate counts from it. */
  start(
    label: string,
    total: number,
    unit: 'bytes' | 'rows' | 'files' | 'partitions',
    startedAt?: number,
  ): void;
  /** `total` replaces the one given to start (a total that grows as work is found); `note` follows the rate. */
  update(done: number, total?: number, note?: string): void;
  done(summary?: string): void;
  log(line: string): void;
  /** Wipes a half-drawn bar so the next line starts clean; nothing to do when no bar is drawn. */
  clear(): void;
  /**
   * Wipes a half-drawn bar and draws nothing more: work still winding down after the run's last line (a
   * table finishing after Ctrl-C, its error already said) drew its bar again below that line.
   */
  end(): void;
}

export interface ProgressOptions {
  quiet: boolean;
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

const INTERVAL_MS = 100;
const BAR = 24;
/** A bar narrower than this tells nothing the percentage does not: it is left out. */
const BAR_MIN = 5;

export function createProgress({
  quiet,
  stream = process.stderr,
  now = Date.now,
}: ProgressOptions): Progress {
  let live = !quiet && stream.isTTY === true;
  let ended = false;
  const dumb = process.env.TERM === 'dumb';
  const color = live && !process.env.NO_COLOR && !dumb;
  // A dumb terminal (an editor's shell) prints escape sequences as text: the line is blanked with spaces.
  let drawn = 0;
  const wipe = () => (dumb ? `\r${' '.repeat(drawn)}\r` : '\r\x1b[2K');
  let label = '';
  let total = 0;
  let unit: 'bytes' | 'rows' | 'files' | 'partitions' = 'bytes';
  let started = 0;
  let last = 0;
  let current = 0;
  let note = '';

  const draw = (final: boolean, summary = '') => {
    const elapsed = Math.max(1, now() - started) / 1000;
    const rate = current / elapsed;
    const fraction = total > 0 ? Math.min(1, current / total) : 0;
    const percent = total > 0 ? `${(fraction * 100).toFixed(0)}% ` : '';
    const eta = !final && total > 0 && rate > 0 ? ` ETA ${formatSeconds((total - current) / rate)}` : '';
    const amount =
      total > 0 ? `${formatAmount(current, unit)}/${formatAmount(total, unit)}` : formatAmount(current, unit);
    const width = Math.max(20, (stream.columns || 100) - 1);
    const withRate = `${percent}${amount} ${formatAmount(rate, unit)}/s${note}${eta}${summary}`;
    // The rate is the first thing to go when the line is too long: the amounts and the summary matter more.
    const numbers =
      label.length + 1 + withRate.length <= width ? withRate : `${percent}${amount}${note}${eta}${summary}`;
    const bar = total > 0 ? drawBar(fraction, width - label.length - 1 - numbers.length) : '';
    // What is still too long is cut, never wrapped: a wrapped line is not wiped by the next redraw.
    const text = `${label} ${bar}${numbers}`.slice(0, width);
    const shown =
      color && text.length > label.length ? `\x1b[36m${label}\x1b[0m${text.slice(label.length)}` : text;
    stream.write(`${wipe()}${shown}`);
    drawn = text.length;
  };

  return {
    start(nextLabel, nextTotal, nextUnit, startedAt) {
      label = nextLabel;
      total = nextTotal;
      unit = nextUnit;
      started = startedAt ?? now();
      last = 0;
      current = 0;
      note = '';
      if (live) draw(false);
    },
    update(done, nextTotal, nextNote) {
      current = done;
      if (nextTotal !== undefined) total = nextTotal;
      if (nextNote !== undefined) note = `, ${nextNote}`;
      if (!live) return;
      const t = now();
      if (t - last < INTERVAL_MS) return;
      last = t;
      draw(false);
    },
    done(summary) {
      if (!live) return;
      draw(true, summary ? ` ${summary}` : '');
      stream.write('\n');
      drawn = 0;
    },
    log(line) {
      if (quiet || ended) return;
      if (live) stream.write(wipe());
      drawn = 0;
      stream.write(`${line}\n`);
    },
    clear() {
      if (live) stream.write(wipe());
      drawn = 0;
    },
    end() {
      if (live && drawn > 0) stream.write(wipe());
      drawn = 0;
      live = false;
      ended = true;
    },
  };
}

/**
 * A bar for work running beside another one: it only records until `show()`, then draws on `real` from
 * where the work has got to (at once to its end if it is finished by then).
 */
export function deferred(
  real: Progress,
  now: () => number = Date.now,
): Progress & { show(total?: number): void } {
  let shown = false;
  let state:
    | { label: string; total: number; unit: 'bytes' | 'rows' | 'files' | 'partitions'; at: number }
    | undefined;
  let current = 0;
  let finished: { summary?: string | undefined } | undefined;
  return {
    start(label, total, unit) {
      state = { label, total, unit, at: now() };
      current = 0;
      if (shown) real.start(label, total, unit);
    },
    update(done) {
      current = done;
      if (shown) real.update(done);
    },
    done(summary) {
      if (shown) real.done(summary);
      else finished = { summary };
    },
    log: (line) => real.log(line),
    clear: () => real.clear(),
    end: () => real.end(),
    show(total) {
      shown = true;
      if (state === undefined) return;
      // The work has run unseen since it started: a rate from now would count all of it in no time.
      real.start(state.label, total ?? state.total, state.unit, state.at);
      real.update(current);
      if (finished) real.done(finished.summary);
    },
  };
}

/**
 * The bar, with the space after it, in at most `room` columns: narrowed on a narrow terminal so the numbers
 * after it are shown whole (cut, "103 rows" would read "10"), and left out where even a short one does not fit.
 */
function drawBar(fraction: number, room: number): string {
  const size = Math.min(BAR, room - 3);
  if (size < BAR_MIN) return '';
  const filled = Math.round(fraction * size);
  return `[${'#'.repeat(filled)}${'.'.repeat(size - filled)}] `;
}

export function formatAmount(n: number, unit: 'bytes' | 'rows' | 'files' | 'partitions'): string {
  if (unit !== 'bytes') return `${Math.round(n).toLocaleString('en-US')} ${unit}`;
  return formatBytes(n);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i += 1;
  }
  return `${i === 0 ? n.toFixed(0) : n.toFixed(1)} ${units[i]}`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}
