/**
 * `npm run bench`: the exporter (a separate process, built JavaScript) against the LibreNMS double
 * with synthetic installs of three sizes, with a configurable latency per LibreNMS request.
 * Prints a Markdown table and writes bench/results/bench-<time>.json. Figures are measurements,
 * never assertions. Environment: BENCH_SIZES=lab,medium,large  BENCH_LATENCY_MS=100  BENCH_RUNS=5
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { PORT_COLUMNS } from '../src/librenms/endpoints.js';
import { freePort } from '../test/helpers/servers.js';
import { floorRefresh } from './floor.js';
import { type Replay, startReplay } from './replay.js';

const SIZES: Record<string, { devices: number; portsPerDevice: number }> = {
  lab: { devices: 1, portsPerDevice: 5 },
  medium: { devices: 200, portsPerDevice: 50 },
  large: { devices: 2000, portsPerDevice: 50 },
};
const sizes = (process.env['BENCH_SIZES'] ?? 'lab,medium,large').split(',').filter((s) => s in SIZES);
// Issue 3's request budget is about devices and ports; alerts and sensors add one request each when on.
const collectors = process.env['BENCH_COLLECTORS'] ?? 'devices,ports';
const latencyMs = Number(process.env['BENCH_LATENCY_MS'] ?? 100);
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const ROOT = new URL('..', import.meta.url).pathname;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function memoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

interface Exporter {
  child: ChildProcess;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

async function startExporter(librenmsUrl: string, token: string, env: Record<string, string>): Promise<Exporter> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      LIBRENMS_URL: librenmsUrl,
      LIBRENMS_TOKEN: token,
      LISTEN_ADDRESS: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      COLLECTORS: collectors,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await request(`${url}/healthz`);
      await r.body.dump();
      if (r.statusCode === 200) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    child,
    pid: child.pid as number,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface ScrapeFigures {
  ttfbMs: number;
  wallMs: number;
  cpuS: number;
  bytes: number;
  body: Buffer;
}

async function scrape(exporter: Exporter, gzip: boolean): Promise<ScrapeFigures> {
  const cpu0 = cpuSeconds(exporter.pid);
  const t0 = performance.now();
  const response = await request(`${exporter.url}/metrics`, {
    headers: { 'x-prometheus-scrape-timeout-seconds': '120', ...(gzip ? { 'accept-encoding': 'gzip' } : {}) },
  });
  const ttfbMs = performance.now() - t0;
  const body = Buffer.from(await response.body.arrayBuffer());
  const wallMs = performance.now() - t0;
  return { ttfbMs, wallMs, cpuS: cpuSeconds(exporter.pid) - cpu0, bytes: body.length, body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function benchSize(name: string): Promise<Record<string, number | string>> {
  const shape = SIZES[name] as { devices: number; portsPerDevice: number };
  const state = syntheticState({ devices: shape.devices, portsPerDevice: shape.portsPerDevice, seed: 42 });
  const double = await startLibreNmsDouble({ state });
  const replay: Replay = await startReplay(double.url, latencyMs);
  const get = async (path: string): Promise<string> => {
    const r = await request(`${replay.url}/api/v0/${path}`, { headers: { 'x-auth-token': double.token } });
    return r.body.text();
  };
  const devicesJson = await get('devices');
  const portsJson = await get(`ports?columns=${PORT_COLUMNS.join(',')}`);

  // The floor, on the same bytes.
  const floorCpu: number[] = [];
  let floor = { bytes: 0, series: 0 };
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    floor = floorRefresh(devicesJson, portsJson);
    const c = process.cpuUsage(c0);
    floorCpu.push((c.user + c.system) / 1e6);
  }
  const floorCpuS = median(floorCpu);

  // Cold scrapes: TTL 0, so every scrape is a refresh plus render.
  const cold = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '0', PORTS_STRATEGY: 'bulk' });
  await scrape(cold, false); // JIT warm-up
  const coldPlain: ScrapeFigures[] = [];
  const coldGzip: ScrapeFigures[] = [];
  let requestsPerBulkRefresh = 0;
  for (let i = 0; i < runs; i++) {
    const before = replay.requests;
    coldPlain.push(await scrape(cold, false));
    requestsPerBulkRefresh = replay.requests - before;
    coldGzip.push(await scrape(cold, true));
  }
  const lastPlain = coldPlain[coldPlain.length - 1] as ScrapeFigures;
  const series = lastPlain.body
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#')).length;
  const librenmsSeries = lastPlain.body
    .toString('utf8')
    .split('\n')
    .filter((l) => /^librenms_(device|port)_/.test(l)).length;
  const peakColdMb = memoryMb(cold.pid, 'VmHWM');
  await cold.stop();

  // Warm scrapes: one refresh, then served from the cache.
  const warm = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '3600', CACHE_MAX_AGE_SECONDS: '7200', PORTS_STRATEGY: 'bulk' });
  await scrape(warm, false);
  await scrape(warm, true);
  const warmPlain: ScrapeFigures[] = [];
  const warmGzip: ScrapeFigures[] = [];
  for (let i = 0; i < 20; i++) {
    warmPlain.push(await scrape(warm, false));
    warmGzip.push(await scrape(warm, true));
  }
  const peakWarmMb = memoryMb(warm.pid, 'VmHWM');
  await warm.stop();

  // Per-device strategy: requests and wall time per refresh.
  const perDevice = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '0', PORTS_STRATEGY: 'per-device', CONCURRENCY: '4' });
  const perDeviceRuns: ScrapeFigures[] = [];
  let requestsPerDeviceRefresh = 0;
  const perDeviceCount = name === 'large' ? 1 : 2;
  for (let i = 0; i < perDeviceCount; i++) {
    const before = replay.requests;
    perDeviceRuns.push(await scrape(perDevice, false));
    requestsPerDeviceRefresh = replay.requests - before;
  }
  await perDevice.stop();

  // Growth: RSS after 20 scrapes, then after 200 warm scrapes and 20 refreshes. The TTL must outlast
  // a refresh, or every "warm" scrape would start a new refresh.
  const coldMs = median(coldPlain.map((s) => s.wallMs));
  const growthTtlS = Math.max(1, Math.ceil((coldMs * 1.5) / 1000));
  const growth = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: String(growthTtlS), PORTS_STRATEGY: 'bulk' });
  // One cycle = a refresh and 10 warm gzip scrapes (as Prometheus sends them). The first 20 scrapes
  // (2 cycles) warm up V8 and the allocator with the same mix, so the growth figure shows a leak,
  // not the first big allocations.
  const cycle = async (): Promise<void> => {
    await sleep(growthTtlS * 1000 + 100);
    await scrape(growth, true); // a refresh
    for (let i = 0; i < 10; i++) await scrape(growth, true);
  };
  await cycle();
  await cycle();
  const rssAfter20 = memoryMb(growth.pid, 'VmRSS');
  const rssSeries: number[] = [];
  for (let refresh = 0; refresh < 20; refresh++) {
    await cycle();
    rssSeries.push(memoryMb(growth.pid, 'VmRSS'));
  }
  // Least-squares slope of RSS over the 20 cycles: a leak shows as a steady rise, allocator noise does not.
  const meanX = (rssSeries.length - 1) / 2;
  const meanY = rssSeries.reduce((a, b) => a + b, 0) / rssSeries.length;
  const slope = rssSeries.reduce((sum, y, x) => sum + (x - meanX) * (y - meanY), 0) / rssSeries.reduce((sum, _y, x) => sum + (x - meanX) ** 2, 0);
  const rssAfter220 = memoryMb(growth.pid, 'VmRSS');
  const peakGrowthMb = memoryMb(growth.pid, 'VmHWM');
  await growth.stop();

  await replay.close();
  await double.close();
  const coldCpu = median(coldPlain.map((s) => s.cpuS));
  return {
    size: name,
    devices: shape.devices,
    ports: shape.devices * shape.portsPerDevice,
    series,
    librenms_series: librenmsSeries,
    floor_series: floor.series,
    cold_plain_ms: median(coldPlain.map((s) => s.wallMs)),
    cold_gzip_ms: median(coldGzip.map((s) => s.wallMs)),
    cpu_per_refresh_s: coldCpu,
    floor_cpu_s: floorCpuS,
    cpu_ratio_to_floor: coldCpu / floorCpuS,
    warm_plain_server_ms: median(warmPlain.map((s) => s.ttfbMs)),
    warm_plain_wall_ms: median(warmPlain.map((s) => s.wallMs)),
    warm_gzip_server_ms: median(warmGzip.map((s) => s.ttfbMs)),
    warm_gzip_wall_ms: median(warmGzip.map((s) => s.wallMs)),
    cpu_per_warm_scrape_ms: median(warmPlain.map((s) => s.cpuS)) * 1000,
    exposition_mb: lastPlain.bytes / 1e6,
    exposition_gzip_mb: median(coldGzip.map((s) => s.bytes)) / 1e6,
    floor_mb: floor.bytes / 1e6,
    peak_rss_mb: Math.max(peakColdMb, peakWarmMb, peakGrowthMb),
    requests_bulk_refresh: requestsPerBulkRefresh,
    requests_per_device_refresh: requestsPerDeviceRefresh,
    per_device_refresh_ms: median(perDeviceRuns.map((s) => s.wallMs)),
    rss_after_20_mb: rssAfter20,
    rss_after_220_mb: rssAfter220,
    rss_growth_pct: ((rssAfter220 - rssAfter20) / rssAfter20) * 100,
    rss_min_mb: Math.min(...rssSeries),
    rss_max_mb: Math.max(...rssSeries),
    rss_slope_mb_per_refresh: slope,
  };
}

const f = (v: number | string | undefined, digits = 0): string => (typeof v === 'number' ? v.toFixed(digits) : String(v ?? ''));

function markdown(rows: Record<string, number | string>[]): string {
  const lines = [
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; LibreNMS latency ${latencyMs} ms per request; collectors ${collectors}; medians of ${runs} runs (warm: 20).`,
    '',
    '| size | ports | series | cold scrape (plain / gzip) | CPU per refresh (× floor) | warm scrape server time (plain / gzip) | warm wall (plain / gzip) | CPU per warm scrape | exposition (raw / gzip) | peak RSS | requests per refresh (bulk / per-device) | per-device refresh | RSS growth: after 20 more refreshes and 200 warm scrapes vs after the first 22 | RSS over those 20 refreshes (min–max, trend) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r['size']} | ${r['ports']} | ${r['series']} | ${f(r['cold_plain_ms'])} ms / ${f(r['cold_gzip_ms'])} ms | ${f(Number(r['cpu_per_refresh_s']) * 1000)} ms (${Number(r['floor_cpu_s']) < 0.02 ? 'floor too small to compare' : `${f(r['cpu_ratio_to_floor'], 2)}× of ${f(Number(r['floor_cpu_s']) * 1000)} ms`}) | ${f(r['warm_plain_server_ms'], 1)} ms / ${f(r['warm_gzip_server_ms'], 1)} ms | ${f(r['warm_plain_wall_ms'], 1)} ms / ${f(r['warm_gzip_wall_ms'], 1)} ms | ${f(r['cpu_per_warm_scrape_ms'], 1)} ms | ${f(r['exposition_mb'], 1)} MB / ${f(r['exposition_gzip_mb'], 1)} MB | ${f(r['peak_rss_mb'])} MB | ${r['requests_bulk_refresh']} / ${r['requests_per_device_refresh']} | ${f(r['per_device_refresh_ms'])} ms | ${f(r['rss_growth_pct'], 1)} % (${f(r['rss_after_20_mb'])} → ${f(r['rss_after_220_mb'])} MB) | ${f(r['rss_min_mb'])}–${f(r['rss_max_mb'])} MB, ${f(r['rss_slope_mb_per_refresh'], 1)} MB per refresh |`,
    );
  }
  return lines.join('\n');
}

const started = Date.now();
process.stderr.write('building dist/ …\n');
execFileSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.build.json'], {
  cwd: ROOT,
  stdio: 'inherit',
});
const rows: Record<string, number | string>[] = [];
for (const size of sizes) {
  process.stderr.write(`bench ${size} …\n`);
  rows.push(await benchSize(size));
}
const table = markdown(rows);
process.stdout.write(`${table}\n`);
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
const file = new URL(`results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(
  file,
  JSON.stringify(
    { machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version }, latencyMs, runs, rows, seconds: (Date.now() - started) / 1000 },
    null,
    2,
  ),
);
process.stderr.write(`wrote ${file.pathname} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
