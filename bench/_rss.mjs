// Preloaded with `node --import`: on exit, writes the process's peak RSS (bytes) and its CPU time (user+sys
// seconds, worker threads included) to $RSS_OUT.
// On Linux it is VmHWM, the high-water mark of this process's own memory: getrusage's maxRSS keeps the
// parent's RSS across fork and exec, so a benchmark holding DuckDB's memory inflated every child it spawned.
import { readFileSync, writeFileSync } from 'node:fs';

function peakRss() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {}
  return process.resourceUsage().maxRSS * 1024;
}

process.on('exit', () => {
  if (!process.env.RSS_OUT) return;
  const { user, system } = process.cpuUsage();
  writeFileSync(process.env.RSS_OUT, `${peakRss()} ${(user + system) / 1e6}`);
});
