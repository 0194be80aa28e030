/**
 * `npm run bench:heap`: is there a leak? Refreshes the medium install 120 times in-process and prints
 * the V8 heap after a forced GC every 20 refreshes (RSS, which the main benchmark reports, also
 * moves with GC timing and the allocator). Needs `--expose-gc` (the npm script passes it).
 */

import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { loadConfig } from '../src/config/env.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { startReplay } from './replay.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const double = await startLibreNmsDouble({ state: syntheticState({ devices: 200, portsPerDevice: 50, seed: 42 }) });
const replay = await startReplay(double.url, 0);
const config = loadConfig({
  LIBRENMS_URL: replay.url,
  LIBRENMS_TOKEN: double.token,
  CACHE_TTL_SECONDS: '0',
  COLLECTORS: 'devices,ports',
  LISTEN_ADDRESS: '127.0.0.1:0',
});
const { app } = buildApp({ config, logger: createLogger('warn') });
const mb = (n: number): string => (n / 1048576).toFixed(1);
process.stdout.write('| refreshes | heap used after GC | external | RSS |\n|---|---|---|---|\n');
for (let i = 1; i <= 120; i++) {
  await app.inject({ method: 'GET', url: '/metrics', headers: { 'accept-encoding': 'gzip' } });
  if (i % 20 === 0) {
    gc();
    const m = process.memoryUsage();
    process.stdout.write(`| ${i} | ${mb(m.heapUsed)} MB | ${mb(m.external)} MB | ${mb(m.rss)} MB |\n`);
  }
}
await app.close();
await replay.close();
await double.close();
