// Preloaded with `node --import`: on exit, writes the process's peak RSS (bytes) to $RSS_OUT.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.RSS_OUT) writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS * 1024));
});
