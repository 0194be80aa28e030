// Loaded into the benchmark's exporter (node --expose-gc --import): on SIGUSR2, a forced GC and the
// memory after it; with BENCH_PROFILE_FILE, the largest RSS sampled every 10 ms and what made it up.
// Written to BENCH_MEMORY_FILE. Never part of the exporter itself.
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.BENCH_MEMORY_FILE;
let peak;
if (process.env.BENCH_PROFILE === '1') {
  setInterval(() => {
    const m = process.memoryUsage();
    if (peak === undefined || m.rss > peak.rss) {
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
      peak = { ...m, spaces };
    }
  }, 10).unref();
}
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  if (file) writeFileSync(file, JSON.stringify({ afterGc: process.memoryUsage(), peak }));
});
