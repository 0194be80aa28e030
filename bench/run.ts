/**
 * `npm run bench`: the exporter (a separate process, built JavaScript) against the LibreNMS double
 * with synthetic installs of three sizes, with a configurable latency per LibreNMS request.
 * Prints a Markdown table, each goal of issue 15 as met or missed, and a memory profile of the
 * largest size, and writes bench/results/bench-<time>.json. Figures are measurements, never
 * assertions. Environment: BENCH_SIZES=lab,medium,large  BENCH_LATENCY_MS=100  BENCH_RUNS=5
 * BENCH_REFRESHES=100  BENCH_EXPORTER=dist/cli.js (another build, e.g. of the previous commit, for a before/after)
 * BENCH_COLLECTORS=devices,ports (a comma list; `default`: the collectors on by default; `all`: every
 * collector)  BENCH_EXTRA (1: add issue 23's routing, services, pollers, health and wireless rows to the
 * synthetic install, librenms-double/synthetic-extra.ts; 0: never; default: when a collector that
 * reads them is on)
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { addSyntheticExtra, EXTRA_MIX, type ExtraCounts } from '../librenms-double/synthetic-extra.js';
import { COLLECTORS } from '../src/collectors/index.js';
import { runTimeLimitMs } from '../src/collectors/item-reads.js';
import { defaultCollectors, SETTINGS } from '../src/config/settings.js';
import { PORT_COLUMNS } from '../src/librenms/endpoints.js';
import {
  type Exporter,
  median,
  memoryMb,
  ROOT,
  type ScrapeFigures,
  START_FLAGS,
  scrape,
  sleep,
  startExporter as startExporterProcess,
} from './exporter-process.js';
import { type Replay, startReplay } from './replay.js';

const SIZES: Record<string, { devices: number; portsPerDevice: number }> = {
  lab: { devices: 1, portsPerDevice: 5 },
  medium: { devices: 200, portsPerDevice: 50 },
  large: { devices: 2000, portsPerDevice: 50 },
};
const sizes = (process.env['BENCH_SIZES'] ?? 'lab,medium,large').split(',').filter((s) => s in SIZES);
// Issue 3's request budget is about devices and ports; alerts and sensors add one request each when on.
const collectorsAsked = process.env['BENCH_COLLECTORS'] ?? 'devices,ports';
const collectors =
  collectorsAsked === 'default'
    ? defaultCollectors(COLLECTORS).join(',')
    : collectorsAsked === 'all'
      ? COLLECTORS.map((c) => c.name).join(',')
      : collectorsAsked;
const collectorList = collectors.split(',').map((c) => c.trim());
/** Collectors that read rows only the extra data has (issue 23's). */
const EXTRA_COLLECTORS = ['bgp', 'ospf', 'services', 'pollers', 'health', 'wireless'];
const withExtra = process.env['BENCH_EXTRA'] === undefined ? collectorList.some((c) => EXTRA_COLLECTORS.includes(c)) : process.env['BENCH_EXTRA'] === '1';
// The floor reads devices and ports only: its ratios are a fair comparison only when the exporter reads no more.
const floorComparable = collectorList.every((c) => c === 'devices' || c === 'ports');
// Health and wireless spread their reads (item-reads.ts): in the cold and steady runs their interval is
// 0, so every refresh finds every item due and reads as much as a refresh may (the budget or the run's
// time limit, whichever comes first): the worst refresh, not one that happens to find nothing due.
const SPREAD_COLD = { HEALTH_INTERVAL_SECONDS: '0', WIRELESS_INTERVAL_SECONDS: '0' };
const healthBudget = SETTINGS.HEALTH_MAX_REQUESTS.default;
const wirelessBudget = SETTINGS.WIRELESS_MAX_REQUESTS.default;
const coldRunLimitS = runTimeLimitMs(0) / 1000;
const latencyMs = Number(process.env['BENCH_LATENCY_MS'] ?? 100);
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const refreshes = Number(process.env['BENCH_REFRESHES'] ?? 100);
const GOALS = { peakRssMb: { lab: 80, medium: 150, large: 400 } as Record<string, number>, steadyPct: 10, cpuRatio: 1.5, wallRatio: 1.2, warmServerMs: 5 };
const scratch = mkdtempSync(join(tmpdir(), 'librenms-bench-'));
const startExporter = (librenmsUrl: string, token: string, env: Record<string, string>): Promise<Exporter> =>
  startExporterProcess(librenmsUrl, token, env, { scratch, collectors });

interface MemoryReport {
  afterGc: NodeJS.MemoryUsage;
  peak?: NodeJS.MemoryUsage & { spaces: Record<string, number> };
}

/** Forces two GCs in the exporter (bench/gc-hook.mjs) and reads its memory after them, and its sampled peak. */
async function memoryReport(exporter: Exporter): Promise<MemoryReport> {
  rmSync(exporter.memoryFile, { force: true });
  process.kill(exporter.pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(20);
    try {
      return JSON.parse(readFileSync(exporter.memoryFile, 'utf8')) as MemoryReport;
    } catch {
      // not written yet
    }
  }
  throw new Error('the exporter did not report its memory');
}

async function benchSize(name: string): Promise<Record<string, number | string>> {
  const shape = SIZES[name] as { devices: number; portsPerDevice: number };
  const state = syntheticState({ devices: shape.devices, portsPerDevice: shape.portsPerDevice, seed: 42 });
  const extra: ExtraCounts | undefined = withExtra ? addSyntheticExtra(state, 42) : undefined;
  const double = await startLibreNmsDouble({ state });
  const replay: Replay = await startReplay(double.url, latencyMs);
  const portsPath = `ports?columns=${PORT_COLUMNS.join(',')}`;

  // The floor, on the same bytes, in its own process: fetch + JSON.parse + minimal writer + gzip level 1.
  // Asynchronously: the replay serving it runs in this process.
  const floorOutput = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/floor-child.ts', replay.url, double.token, portsPath, String(runs)],
    {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    },
  );
  const floor = JSON.parse(floorOutput.stdout) as { bytes: number; gzipBytes: number; series: number; cpuS: number; wallMs: number };

  // Cold scrapes: TTL 0, so every scrape is a refresh plus render. Prometheus asks for gzip: that is
  // the headline; CPU per refresh is measured on it, compression included.
  const cold = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '0', PORTS_STRATEGY: 'bulk', ...SPREAD_COLD });
  await scrape(cold, true); // JIT warm-up
  const coldPlain: ScrapeFigures[] = [];
  const coldGzip: ScrapeFigures[] = [];
  let requestsPerBulkRefresh = 0;
  const kindsPerRefresh: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const before = replay.requests;
    const kindsBefore = new Map(replay.byKind);
    coldGzip.push(await scrape(cold, true, i === runs - 1));
    requestsPerBulkRefresh = replay.requests - before;
    kindsPerRefresh.push(Object.fromEntries([...replay.byKind].map(([k, v]) => [k, v - (kindsBefore.get(k) ?? 0)])));
    coldPlain.push(await scrape(cold, false, i === runs - 1));
  }
  const kindMedian = (kind: string): number => median(kindsPerRefresh.map((k) => k[kind] ?? 0));
  const lastPlain = coldPlain[coldPlain.length - 1] as ScrapeFigures;
  const lastGzip = coldGzip[coldGzip.length - 1] as ScrapeFigures;
  const plainText = lastPlain.body.toString('utf8');
  const series = plainText.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  const librenmsSeries = plainText.split('\n').filter((l) => /^librenms_(device|port)_/.test(l)).length;
  // Series of issue 23's collectors (the exporter's own librenms_exporter_* left out).
  const extraSeries = plainText.split('\n').filter((l) => /^librenms_(bgp|ospf|service|poller|processor|mempool|storage|wireless)_/.test(l)).length;
  // Same data plain and gzip (both refreshed from the same LibreNMS bytes; the exporter's own metrics differ).
  const dataOf = (text: string): string => text.slice(text.indexOf('# HELP librenms_device_'));
  const sameBytes = dataOf(gunzipSync(lastGzip.body).toString('utf8')) === dataOf(plainText);
  const peakColdMb = memoryMb(cold.pid, 'VmHWM');
  await cold.stop();

  // Warm scrapes: one refresh, then served from the cache.
  const warm = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '3600', CACHE_MAX_AGE_SECONDS: '7200', PORTS_STRATEGY: 'bulk' });
  await scrape(warm, true);
  await scrape(warm, false);
  // Gzip scrapes in a row (what Prometheus makes), then plain ones: a gzip scrape right after a plain
  // one would also pay for the garbage of the plain one's decompression (207 MB at 100,000 ports).
  const warmPlain: ScrapeFigures[] = [];
  const warmGzip: ScrapeFigures[] = [];
  for (let i = 0; i < 20; i++) warmGzip.push(await scrape(warm, true));
  for (let i = 0; i < 20; i++) warmPlain.push(await scrape(warm, false));
  const peakWarmMb = memoryMb(warm.pid, 'VmHWM');
  await warm.stop();

  // Per-device strategy: requests and wall time per refresh.
  const perDevice = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '0', PORTS_STRATEGY: 'per-device', CONCURRENCY: '4' });
  const perDeviceRuns: ScrapeFigures[] = [];
  let requestsPerDeviceRefresh = 0;
  const perDeviceCount = name === 'large' ? 1 : 2;
  for (let i = 0; i < perDeviceCount; i++) {
    const before = replay.requests;
    perDeviceRuns.push(await scrape(perDevice, true));
    requestsPerDeviceRefresh = replay.requests - before;
  }
  await perDevice.stop();

  // Steady state: `refreshes` refreshes back to back (TTL 0, gzip as Prometheus asks, every tenth
  // also plain), memory after 10 and after all of them. The goal reads the heap and external memory
  // after a forced GC (what is really kept); RSS, which moves with GC timing and the allocator, is
  // printed beside it. The largest RSS of this run is sampled with what made it up (the profile).
  const steady = await startExporter(replay.url, double.token, { CACHE_TTL_SECONDS: '0', PORTS_STRATEGY: 'bulk', BENCH_PROFILE: '1', ...SPREAD_COLD });
  let after10: MemoryReport | undefined;
  let rssAfter10 = 0;
  for (let i = 1; i <= refreshes; i++) {
    await scrape(steady, true);
    if (i % 10 === 0) await scrape(steady, false);
    if (i === 10) {
      after10 = await memoryReport(steady);
      rssAfter10 = memoryMb(steady.pid, 'VmRSS');
    }
  }
  const afterAll = await memoryReport(steady);
  const rssAfterAll = memoryMb(steady.pid, 'VmRSS');
  const peakSteadyMb = memoryMb(steady.pid, 'VmHWM');
  await steady.stop();

  await replay.close();
  await double.close();
  const kept = (m: MemoryReport | undefined): number => (m === undefined ? NaN : (m.afterGc.heapUsed + m.afterGc.external) / 1048576);
  const coldCpu = median(coldGzip.map((s) => s.cpuS));
  const peak = afterAll.peak;
  return {
    size: name,
    devices: shape.devices,
    ports: shape.devices * shape.portsPerDevice,
    series,
    librenms_series: librenmsSeries,
    extra_series: extraSeries,
    extra_rows:
      extra === undefined
        ? 'none'
        : Object.entries(extra)
            .filter(([k]) => k !== 'healthRequests' && k !== 'wirelessDevices')
            .map(([k, v]) => `${v} ${k}`)
            .join(', '),
    health_requests_full_read: extra !== undefined && collectorList.includes('health') ? extra.healthRequests : 0,
    wireless_requests_full_read: extra !== undefined && collectorList.includes('wireless') ? shape.devices : 0,
    health_requests_cold_refresh: kindMedian('health'),
    wireless_requests_cold_refresh: kindMedian('wireless'),
    floor_series: floor.series,
    cold_plain_ms: median(coldPlain.map((s) => s.wallMs)),
    cold_gzip_ms: median(coldGzip.map((s) => s.wallMs)),
    floor_wall_ms: floor.wallMs,
    wall_ratio_to_floor: median(coldGzip.map((s) => s.wallMs)) / floor.wallMs,
    cpu_per_refresh_s: coldCpu,
    floor_cpu_s: floor.cpuS,
    cpu_ratio_to_floor: coldCpu / floor.cpuS,
    warm_plain_server_ms: median(warmPlain.map((s) => s.ttfbMs)),
    warm_plain_wall_ms: median(warmPlain.map((s) => s.wallMs)),
    warm_gzip_server_ms: median(warmGzip.map((s) => s.ttfbMs)),
    warm_gzip_wall_ms: median(warmGzip.map((s) => s.wallMs)),
    cpu_per_warm_scrape_ms: median(warmGzip.map((s) => s.cpuS)) * 1000,
    exposition_mb: lastPlain.bytes / 1e6,
    exposition_gzip_mb: median(coldGzip.map((s) => s.bytes)) / 1e6,
    floor_mb: floor.bytes / 1e6,
    floor_gzip_mb: floor.gzipBytes / 1e6,
    same_bytes_plain_gzip: sameBytes ? 'yes' : 'NO',
    peak_rss_mb: Math.max(peakColdMb, peakWarmMb, peakSteadyMb),
    requests_bulk_refresh: requestsPerBulkRefresh,
    requests_per_device_refresh: requestsPerDeviceRefresh,
    per_device_refresh_ms: median(perDeviceRuns.map((s) => s.wallMs)),
    refreshes,
    kept_after_10_mb: kept(after10),
    kept_after_all_mb: kept(afterAll),
    kept_growth_pct: ((kept(afterAll) - kept(after10)) / kept(after10)) * 100,
    rss_after_10_mb: rssAfter10,
    rss_after_all_mb: rssAfterAll,
    rss_growth_pct: ((rssAfterAll - rssAfter10) / rssAfter10) * 100,
    profile_peak_rss_mb: peak === undefined ? NaN : peak.rss / 1048576,
    profile_heap_used_mb: peak === undefined ? NaN : peak.heapUsed / 1048576,
    profile_heap_total_mb: peak === undefined ? NaN : peak.heapTotal / 1048576,
    profile_new_space_mb: (peak?.spaces['new_space'] ?? NaN) / 1048576,
    profile_old_space_mb: (peak?.spaces['old_space'] ?? NaN) / 1048576,
    profile_large_object_mb: (peak?.spaces['large_object_space'] ?? NaN) / 1048576,
    profile_code_mb: ((peak?.spaces['code_space'] ?? NaN) + (peak?.spaces['code_large_object_space'] ?? 0)) / 1048576,
    profile_external_mb: peak === undefined ? NaN : peak.external / 1048576,
    profile_array_buffers_mb: peak === undefined ? NaN : peak.arrayBuffers / 1048576,
    profile_other_native_mb: peak === undefined ? NaN : (peak.rss - peak.heapTotal - peak.external) / 1048576,
    kept_heap_mb: afterAll.afterGc.heapUsed / 1048576,
    kept_external_mb: afterAll.afterGc.external / 1048576,
  };
}

/** What the extra rows were and what a cold refresh of health and wireless read (empty without them). */
function extraLines(rows: Record<string, number | string>[]): string[] {
  if (!withExtra) return [];
  const lines = [
    '',
    `Extra rows (librenms-double/synthetic-extra.ts, seed 42): BGP on ${EXTRA_MIX.bgpDevices * 100} % of the devices (${EXTRA_MIX.bgpPeers.join('–')} peers), OSPF on ${EXTRA_MIX.ospfDevices * 100} % (${EXTRA_MIX.ospfNeighbours.join('–')} neighbours), ${EXTRA_MIX.servicesPerDevice} services on ${EXTRA_MIX.serviceDevices * 100} %, ${EXTRA_MIX.pollerNodes} dispatcher nodes, on every device ${EXTRA_MIX.processors.join('–')} processors, ${EXTRA_MIX.mempools.join('–')} memory pools, ${EXTRA_MIX.storage.join('–')} storage items, wireless sensors on ${EXTRA_MIX.wirelessDevices * 100} %.`,
    `A cold refresh of health and wireless (interval 0 in the cold and steady runs: every item due) reads at most HEALTH_MAX_REQUESTS=${healthBudget} / WIRELESS_MAX_REQUESTS=${wirelessBudget} requests, and no more than fit in the run's time limit (${coldRunLimitS} s at CACHE_TTL_SECONDS=0) at CONCURRENCY=4; the rest is served from earlier reads. A full read takes:`,
    '',
    '| size | extra series | rows added | health requests per cold refresh / full read | wireless requests per cold refresh / full read | cold refreshes to read every item once |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    // 0 for a collector that is off.
    const toFull = (kind: string): number => Math.ceil(n(r, `${kind}_requests_full_read`) / Math.max(1, n(r, `${kind}_requests_cold_refresh`)));
    lines.push(
      `| ${r['size']} | ${r['extra_series']} | ${r['extra_rows']} | ${f(r['health_requests_cold_refresh'])} / ${r['health_requests_full_read']} | ${f(r['wireless_requests_cold_refresh'])} / ${r['wireless_requests_full_read']} | ${Math.max(toFull('health'), toFull('wireless'))} |`,
    );
  }
  if (!collectorList.includes('health') && !collectorList.includes('wireless')) return lines;
  lines.push(
    '',
    'Until every item has been read once, what the exporter keeps grows with each refresh (answers kept to be served later, not a leak): the steady-memory goal compares after 10 with after all refreshes, so it is fair only when the last column is at most 10.',
  );
  return lines;
}

const f = (v: number | string | undefined, digits = 0): string => (typeof v === 'number' ? v.toFixed(digits) : String(v ?? ''));

const n = (r: Record<string, number | string>, key: string): number => Number(r[key]);

function markdown(rows: Record<string, number | string>[]): string {
  const lines = [
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; exporter started as npm start starts it (node ${START_FLAGS.join(' ')}); LibreNMS latency ${latencyMs} ms per request; collectors ${collectors}${collectorsAsked === collectors ? '' : ` (BENCH_COLLECTORS=${collectorsAsked})`}; medians of ${runs} runs (warm: 20).`,
    ...extraLines(rows),
    '',
    '| size | ports | series | **cold scrape, gzip** (× floor wall) | cold scrape, plain | CPU per refresh with gzip (× floor) | floor: wall / CPU | warm scrape server time (plain / gzip) | warm wall (plain / gzip) | exposition (raw / gzip) | peak RSS | requests per refresh (bulk / per-device) | per-device refresh | kept after GC, after 10 → ' +
      `${refreshes} refreshes | RSS after 10 → ${refreshes} refreshes |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const small = n(r, 'floor_cpu_s') < 0.02;
    lines.push(
      `| ${r['size']} | ${r['ports']} | ${r['series']} | **${f(r['cold_gzip_ms'])} ms** (${f(r['wall_ratio_to_floor'], 2)}×) | ${f(r['cold_plain_ms'])} ms | ${f(n(r, 'cpu_per_refresh_s') * 1000)} ms (${small ? 'floor too small to compare' : `${f(r['cpu_ratio_to_floor'], 2)}×`}) | ${f(r['floor_wall_ms'])} ms / ${f(n(r, 'floor_cpu_s') * 1000)} ms | ${f(r['warm_plain_server_ms'], 1)} ms / ${f(r['warm_gzip_server_ms'], 1)} ms | ${f(r['warm_plain_wall_ms'], 1)} ms / ${f(r['warm_gzip_wall_ms'], 1)} ms | ${f(r['exposition_mb'], 1)} MB / ${f(r['exposition_gzip_mb'], 1)} MB | ${f(r['peak_rss_mb'])} MB | ${r['requests_bulk_refresh']} / ${r['requests_per_device_refresh']} | ${f(r['per_device_refresh_ms'])} ms | ${f(r['kept_after_10_mb'], 1)} → ${f(r['kept_after_all_mb'], 1)} MB (${f(r['kept_growth_pct'], 1)} %) | ${f(r['rss_after_10_mb'])} → ${f(r['rss_after_all_mb'])} MB (${f(r['rss_growth_pct'], 1)} %) |`,
    );
  }
  lines.push('', 'Goals (issue 15):', '');
  const goal = (met: boolean | undefined, text: string): string => `- ${met === undefined ? 'n/a' : met ? 'met' : 'MISSED'}: ${text}`;
  for (const r of rows) {
    const size = String(r['size']);
    const small = n(r, 'floor_cpu_s') < 0.02;
    // The floor reads devices and ports only: with more collectors its ratios are printed, not judged.
    const judged = !small && floorComparable;
    const cpuRatio = small ? 'floor too small to compare' : `${f(r['cpu_ratio_to_floor'], 2)}×${floorComparable ? '' : ', not judged'}`;
    // The ratios are only fair when the floor writes what the exporter writes.
    if (n(r, 'floor_series') !== n(r, 'librenms_series')) {
      lines.push(
        `- WARNING: ${size}: the floor writes ${r['floor_series']} series, the exporter ${r['librenms_series']}: bench/floor.ts is out of date, the ratios are not comparable`,
      );
    }
    const rssGoal = GOALS.peakRssMb[size];
    if (rssGoal !== undefined) lines.push(goal(n(r, 'peak_rss_mb') <= rssGoal, `${size}: peak RSS ${f(r['peak_rss_mb'])} MB ≤ ${rssGoal} MB`));
    lines.push(
      goal(
        Math.abs(n(r, 'kept_growth_pct')) <= GOALS.steadyPct,
        `${size}: steady memory: heap + external after a forced GC after ${refreshes} refreshes within ${GOALS.steadyPct} % of after 10 (${f(r['kept_after_10_mb'], 1)} → ${f(r['kept_after_all_mb'], 1)} MB, ${f(r['kept_growth_pct'], 1)} %; RSS ${f(r['rss_after_10_mb'])} → ${f(r['rss_after_all_mb'])} MB)`,
      ),
      goal(
        judged ? n(r, 'cpu_ratio_to_floor') <= GOALS.cpuRatio : undefined,
        `${size}: CPU per refresh with gzip ${f(n(r, 'cpu_per_refresh_s') * 1000)} ms ≤ ${GOALS.cpuRatio}× the floor's ${f(n(r, 'floor_cpu_s') * 1000)} ms (${cpuRatio})`,
      ),
      goal(
        floorComparable ? n(r, 'wall_ratio_to_floor') <= GOALS.wallRatio : undefined,
        `${size}: cold gzip scrape ${f(r['cold_gzip_ms'])} ms ≤ ${GOALS.wallRatio}× the floor's wall time ${f(r['floor_wall_ms'])} ms (${f(r['wall_ratio_to_floor'], 2)}×${floorComparable ? '' : ', not judged'})`,
      ),
      goal(
        n(r, 'warm_plain_server_ms') <= GOALS.warmServerMs && n(r, 'warm_gzip_server_ms') <= GOALS.warmServerMs,
        `${size}: warm scrape server time ≤ ${GOALS.warmServerMs} ms (plain ${f(r['warm_plain_server_ms'], 1)} ms, gzip ${f(r['warm_gzip_server_ms'], 1)} ms)`,
      ),
      goal(
        r['same_bytes_plain_gzip'] === 'yes',
        `${size}: the plain and the gzip answer carry the same LibreNMS data (byte for byte: test/exposition-bytes.test.ts)`,
      ),
    );
  }
  if (!floorComparable) {
    lines.push(
      `- n/a above: the floor reads and writes devices and ports only; the exporter also reads ${collectorList.filter((c) => c !== 'devices' && c !== 'ports').join(', ')}, so the ratios to the floor are shown but not judged (run BENCH_COLLECTORS=devices,ports for them)`,
    );
  }
  const largest = rows[rows.length - 1];
  if (largest !== undefined) {
    lines.push(
      '',
      `Memory profile at the largest RSS of ${refreshes} back-to-back refreshes (${largest['size']}, sampled every 10 ms):`,
      '',
      '| what | MB |',
      '|---|---|',
      `| RSS at the peak | ${f(largest['profile_peak_rss_mb'], 1)} |`,
      `| V8 heap in use (of ${f(largest['profile_heap_total_mb'], 1)} reserved) | ${f(largest['profile_heap_used_mb'], 1)} |`,
      `| … young generation (rows being parsed, strings being written) | ${f(largest['profile_new_space_mb'], 1)} |`,
      `| … old generation (devices, dedupe sets, code's objects) | ${f(largest['profile_old_space_mb'], 1)} |`,
      `| … large objects (long strings) | ${f(largest['profile_large_object_mb'], 1)} |`,
      `| … code | ${f(largest['profile_code_mb'], 1)} |`,
      `| external (Buffers: compressed expositions, text waiting for gzip, socket reads) | ${f(largest['profile_external_mb'], 1)} |`,
      `| other native (zlib state, allocator, stacks, Node itself) = RSS − heap reserved − external | ${f(largest['profile_other_native_mb'], 1)} |`,
      `| kept between refreshes after a forced GC: heap / external | ${f(largest['kept_heap_mb'], 1)} / ${f(largest['kept_external_mb'], 1)} |`,
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
rmSync(scratch, { recursive: true, force: true });
process.stderr.write(`wrote ${file.pathname} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
