// Generates a large export once and prints time and peak RSS, then deletes it (not part of the tests).
// Usage: node scripts/memory-check.mjs [candidates] [attachmentsMb] [dir]
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateExport } from '../dist/index.js';

const candidates = Number(process.argv[2] ?? 100_000);
const attachmentsMb = Number(process.argv[3] ?? 3000);
const dir = process.argv[4] ?? join(tmpdir(), `talent-export-memory-check-${process.pid}`);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

const samples = [];
const timer = setInterval(() => samples.push(process.memoryUsage().rss), 1000);
const started = performance.now();
let lastPhase = '';
try {
  const truth = await generateExport({
    dir,
    candidates,
    attachmentsMb,
    onProgress: (p) => {
      if (p.phase !== lastPhase) {
        lastPhase = p.phase;
        console.log(
          `${((performance.now() - started) / 1000).toFixed(1)} s: ${p.phase}, rss ${mib(process.memoryUsage().rss)} MiB`,
        );
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  const rows = Object.values(truth.tables).reduce((n, t) => n + t.rows, 0);
  console.log(
    `candidates ${candidates}, table rows ${rows}, attachment files ${truth.attachments.files}, markers ${truth.attachments.markers}`,
  );
  console.log(
    `attachments ${mib(truth.attachments.bytes)} MiB in ${truth.attachments.parts.length} parts: ${truth.attachments.parts.map((p) => `${p.file} (${p.entries} entries)`).join(', ')}`,
  );
  console.log(`time ${seconds.toFixed(1)} s`);
  console.log(`peak RSS ${mib(process.resourceUsage().maxRSS * 1024)} MiB`);
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length > 0) {
    console.log(
      `RSS per second: min ${mib(sorted[0])}, median ${mib(sorted[sorted.length >> 1])}, max ${mib(sorted.at(-1))} MiB (${sorted.length} samples)`,
    );
  }
} finally {
  clearInterval(timer);
  if (!process.argv[4]) {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.truth`, { recursive: true, force: true });
  }
}
