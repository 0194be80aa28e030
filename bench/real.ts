/**
 * `npm run bench:real`: what LibreNMS itself costs at a big install, beside what the exporter costs.
 * For each version `../shared/tools/real-librenms/` offers (BENCH_REAL_VERSIONS to choose), it starts
 * the real LibreNMS (its own root and ports), loads a synthetic install by SQL (the double's
 * `syntheticState`: 2,000 devices × 50 ports, 6 sensors each), and measures:
 * 1. LibreNMS alone, per endpoint and concurrency (1/4/8 requests at once): answer time per request
 *    (first byte, whole answer) and PHP's peak memory per request — bulk `/ports`, per-device
 *    `/devices/:id/ports` (a sample of devices), `/devices`, `/resources/sensors`;
 * 2. the exporter's cold refresh end to end (a gzip scrape with a TTL of 0), per strategy and
 *    CONCURRENCY: wall time, the exporter's CPU, LibreNMS's CPU (PHP and MariaDB) and PHP's peak;
 * 3. the exporter alone on the same bytes (a replay of LibreNMS's answers with no latency), and the
 *    floor (fetch, JSON.parse, minimal writer, gzip) with where its time goes: the exporter's share;
 * 4. bulk `/ports` at smaller sizes (ports hidden by a `deleted` flag): PHP's peak and time by size;
 * 5. bulk `/ports` by size, `/devices` and the sensors list under PHP's default memory_limit of 128 MB,
 *    for real (a second php -S with `-d memory_limit=128M`): the numbers behind PORTS_STRATEGY=auto.
 * PHP's memory is measured from outside (LibreNMS and the tool stay unmodified): before each
 * measurement every `php -S` process's peak RSS is reset (`echo 5 > /proc/PID/clear_refs`), after it
 * the growth of its peak (VmHWM) over its RSS at the reset is read; the largest is the peak of one
 * request (each process serves one request at a time). Needs root, as the tool does.
 * Prints Markdown tables in docs/performance.md's format and writes bench/results/real-<time>.json.
 * Figures are measurements, never assertions.
 *
 * Environment: BENCH_REAL_VERSIONS=22.11,25.4,26.7  BENCH_REAL_ROOT=<tmp>/bench-real (version V in
 * <root>-V)  BENCH_REAL_PORT_BASE=38080 (version i of the tool's list: HTTP base+10·i, MariaDB +1)
 * BENCH_REAL_DEVICES=2000  BENCH_REAL_PORTS_PER_DEVICE=50  BENCH_REAL_SENSORS_PER_DEVICE=6
 * BENCH_REAL_CONCURRENCY=1,4,8  BENCH_REAL_SAMPLE=40 (per-device requests per concurrency)
 * BENCH_REAL_SWEEP=50,1000,5000,10000,15000,20000,30000,50000 (bulk sizes in ports; empty: none)
 * BENCH_REAL_RUNS=2 (exporter-alone runs)  BENCH_REAL_DEVICE_READS=500 (PORTS_MAX_DEVICE_READS of the
 * per-device refreshes)  BENCH_REAL_LIMIT_SIZES=10000,15000,17500,20000,22500,25000 (bulk sizes under
 * memory_limit)  BENCH_REAL_PHASES=librenms,exporter,sweep,limit (1-4 and 5 above: what to measure)
 * BENCH_REAL_KEEP=1 (leave LibreNMS running)
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { syntheticState } from '../librenms-double/fixtures.js';
import { COLLECTORS as ALL_COLLECTORS } from '../src/collectors/index.js';
import { defaultCollectors } from '../src/config/settings.js';
import { PORT_COLUMNS } from '../src/librenms/endpoints.js';
import { down, execSql, type FieldInstance, offeredVersions, selectRows, up } from '../test/field/lnms.js';
import { seedSql } from '../test/field/sql.js';
import { cpuSeconds, type Exporter, median, ROOT, scrape, startExporter } from './exporter-process.js';
import { startReplay } from './replay.js';

const env = process.env;
const list = (name: string, fallback: string): string[] =>
  (env[name] ?? fallback)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
const numberOf = (name: string, fallback: number): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number (got ${env[name]})`);
  return value;
};

const OFFERED = offeredVersions();
const VERSIONS = list('BENCH_REAL_VERSIONS', OFFERED.join(','));
const ROOT_PREFIX = env['BENCH_REAL_ROOT'] ?? join(tmpdir(), 'bench-real');
const PORT_BASE = numberOf('BENCH_REAL_PORT_BASE', 38080);
const DEVICES = numberOf('BENCH_REAL_DEVICES', 2000);
const PORTS_PER_DEVICE = numberOf('BENCH_REAL_PORTS_PER_DEVICE', 50);
const SENSORS_PER_DEVICE = numberOf('BENCH_REAL_SENSORS_PER_DEVICE', 6);
const CONCURRENCIES = list('BENCH_REAL_CONCURRENCY', '1,4,8').map(Number);
const SAMPLE = numberOf('BENCH_REAL_SAMPLE', 40);
const SWEEP = list('BENCH_REAL_SWEEP', '50,1000,5000,10000,15000,20000,30000,50000').map(Number);
const RUNS = numberOf('BENCH_REAL_RUNS', 2);
/** Bulk sizes asked of a php -S with PHP's default memory_limit (the limit check). */
const LIMIT_SIZES = list('BENCH_REAL_LIMIT_SIZES', '10000,15000,17500,20000,22500,25000').map(Number);
/** What to measure: `librenms` (alone), `exporter` (cold refreshes and the exporter alone), `sweep` (bulk by size), `limit` (bulk under memory_limit). */
const PHASES = new Set(list('BENCH_REAL_PHASES', 'librenms,exporter,sweep,limit'));
/** PORTS_MAX_DEVICE_READS of the per-device refreshes: the exporter's default. */
const DEVICE_READS = numberOf('BENCH_REAL_DEVICE_READS', 500);
const KEEP = env['BENCH_REAL_KEEP'] === '1';
/** PHP's memory_limit in Debian's php-fpm php.ini (php.ini-production), which LibreNMS's install guide leaves as it is. */
const DEFAULT_MEMORY_LIMIT_MB = 128;
/** The exporter as shipped: its default collectors (what COLLECTORS unset means), so a refresh is the default configuration's. */
const COLLECTORS = defaultCollectors(ALL_COLLECTORS).join(',');
const PORTS_PATH = `/api/v0/ports?columns=${PORT_COLUMNS.join(',')}`;
const scratch = mkdtempSync(join(tmpdir(), 'librenms-bench-real-'));

type Row = Record<string, number | string>;

const log = (message: string): void => {
  process.stderr.write(`[bench:real ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
const loadAverage = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

// ------------------------------------------------------------------ LibreNMS's processes, from /proc

interface LibreNmsProcesses {
  /** `php -S` and its workers (one process group). */
  readonly php: readonly number[];
  readonly db: number;
  /** RSS of an unused `php -S` process (the smallest of the group when first seen), kB. */
  readonly idleKb: number;
}

/** The pid files up.sh wrote: `<root>/run` on the host (22.11), `<root>/chroot/srv/run` in a chroot. */
function processesOf(root: string): LibreNmsProcesses {
  const run = readdirSync(root).includes('chroot') ? join(root, 'chroot', 'srv', 'run') : join(root, 'run');
  const leader = Number(readFileSync(join(run, 'php.pid'), 'utf8').trim());
  const db = Number(readFileSync(join(run, 'mysql.pid'), 'utf8').trim());
  const php = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        // field 5 of /proc/PID/stat (after the command in parentheses) is the process group
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]) === leader;
      } catch {
        return false; // gone meanwhile
      }
    });
  return { php, db, idleKb: Math.min(...php.map((pid) => statusKb(pid, 'VmRSS'))) };
}

const statusKb = (pid: number, field: string): number =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** What PHP and MariaDB did during one measurement. */
interface LibreNmsCost {
  /**
   * One request's peak, MB: the largest peak RSS (VmHWM) of a php process that served during the
   * measurement, less the RSS of an unused `php -S` process (the forked binary and extensions). An
   * upper bound of what memory_limit counts: it includes memory PHP kept from earlier requests and
   * the code compiled per request (php -S runs without opcache).
   */
  phpPeakMb: number;
  /** The largest growth of a php process's peak over its RSS at the start, MB: a lower bound of the same. */
  phpGrowthMb: number;
  /** The peaks of every php process that served, added up, MB: what they held if their peaks came at once. */
  phpPeakSumMb: number;
  phpCpuS: number;
  dbCpuS: number;
}

/** Resets every php process's peak RSS and notes CPU times; the function it returns reads the cost since. */
function watch(processes: LibreNmsProcesses): () => LibreNmsCost {
  const base = new Map<number, { rssKb: number; cpuS: number }>();
  for (const pid of processes.php) {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    base.set(pid, { rssKb: statusKb(pid, 'VmRSS'), cpuS: cpuSeconds(pid) });
  }
  const db0 = cpuSeconds(processes.db);
  return () => {
    const served = processes.php
      .map((pid) => ({ hwmKb: statusKb(pid, 'VmHWM'), cpuS: cpuSeconds(pid), before: base.get(pid) as { rssKb: number; cpuS: number } }))
      .filter((p) => p.cpuS > p.before.cpuS);
    const peaks = served.map((p) => Math.max(0, p.hwmKb - processes.idleKb) / 1024);
    return {
      phpPeakMb: Math.max(0, ...peaks),
      phpGrowthMb: Math.max(0, ...served.map((p) => Math.max(0, p.hwmKb - p.before.rssKb) / 1024)),
      phpPeakSumMb: peaks.reduce((a, b) => a + b, 0),
      phpCpuS: processes.php.reduce((sum, pid) => sum + cpuSeconds(pid) - (base.get(pid)?.cpuS ?? 0), 0),
      dbCpuS: cpuSeconds(processes.db) - db0,
    };
  };
}

// ------------------------------------------------------------------ LibreNMS alone

interface Timed {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
}

async function timedGet(instance: FieldInstance, path: string): Promise<Timed> {
  const t0 = performance.now();
  const response = await request(`${instance.url}${path}`, {
    headers: { 'x-auth-token': instance.tokens.admin },
    headersTimeout: 900_000,
    bodyTimeout: 900_000,
  });
  const ttfbMs = performance.now() - t0;
  let bytes = 0;
  for await (const piece of response.body) bytes += (piece as Buffer).length;
  return { status: response.statusCode, ttfbMs, totalMs: performance.now() - t0, bytes };
}

/** Requests `paths`, `concurrency` at a time; each request's times, and LibreNMS's cost for all of them. */
async function batch(instance: FieldInstance, processes: LibreNmsProcesses, paths: readonly string[], concurrency: number) {
  const results: Timed[] = [];
  let next = 0;
  const cost = watch(processes);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, paths.length) }, async () => {
      while (next < paths.length) results.push(await timedGet(instance, paths[next++] as string));
    }),
  );
  return { results, wallMs: performance.now() - t0, cost: cost() };
}

async function measureEndpoint(
  instance: FieldInstance,
  processes: LibreNmsProcesses,
  endpoint: string,
  paths: readonly string[],
  concurrency: number,
): Promise<Row> {
  const load = loadAverage();
  const { results, wallMs, cost } = await batch(instance, processes, paths, concurrency);
  const statuses = [...new Set(results.map((r) => r.status))].join('/');
  log(
    `  ${endpoint} ×${paths.length} at ${concurrency}: ${median(results.map((r) => r.totalMs)).toFixed(0)} ms each, PHP peak ${cost.phpPeakMb.toFixed(0)} MB`,
  );
  return {
    version: instance.version,
    endpoint,
    concurrency,
    requests: paths.length,
    statuses,
    ttfb_median_ms: median(results.map((r) => r.ttfbMs)),
    total_median_ms: median(results.map((r) => r.totalMs)),
    total_max_ms: Math.max(...results.map((r) => r.totalMs)),
    wall_ms: wallMs,
    bytes_median: median(results.map((r) => r.bytes)),
    php_peak_mb: cost.phpPeakMb,
    php_growth_mb: cost.phpGrowthMb,
    php_peak_sum_mb: cost.phpPeakSumMb,
    php_cpu_s: cost.phpCpuS,
    db_cpu_s: cost.dbCpuS,
    load_before: load,
    load_after: loadAverage(),
  };
}

// ------------------------------------------------------------------ the exporter

/** The exporter's own counters in an exposition: requests and their summed duration per endpoint. */
function requestStats(text: string): { requests: Record<string, number>; seconds: Record<string, number> } {
  const requests: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  for (const m of text.matchAll(/^librenms_exporter_api_requests_total\{endpoint="([^"]+)",code="[^"]*"\} (\S+)$/gm)) {
    requests[m[1] as string] = (requests[m[1] as string] ?? 0) + Number(m[2]);
  }
  for (const m of text.matchAll(/^librenms_exporter_api_request_duration_seconds_sum\{endpoint="([^"]+)"\} (\S+)$/gm)) seconds[m[1] as string] = Number(m[2]);
  return { requests, seconds };
}

/** One cold refresh (a gzip scrape with a TTL of 0) of a fresh exporter against `url`. */
async function coldRefresh(url: string, token: string, exporterEnv: Record<string, string>, processes?: LibreNmsProcesses) {
  const exporter: Exporter = await startExporter(
    url,
    token,
    { CACHE_TTL_SECONDS: '0', REQUEST_TIMEOUT_SECONDS: '600', ...exporterEnv },
    { scratch, collectors: COLLECTORS },
  );
  try {
    const load = loadAverage();
    const cost = processes === undefined ? undefined : watch(processes);
    const figures = await scrape(exporter, true, true, 600);
    const librenms = cost?.();
    const text = gunzipSync(figures.body).toString('utf8');
    return {
      exporter,
      wallMs: figures.wallMs,
      cpuS: figures.cpuS,
      gzipBytes: figures.bytes,
      ports: (text.match(/^librenms_port_info\{/gm) ?? []).length,
      success: [...text.matchAll(/^librenms_scrape_collector_success\{collector="([^"]+)"\} (\S+)$/gm)].map((m) => `${m[1]}=${m[2]}`).join(','),
      unread: Number(/^librenms_exporter_ports_unread_devices (\S+)$/m.exec(text)?.[1] ?? NaN),
      ...requestStats(text),
      librenms,
      load,
    };
  } catch (error) {
    await exporter.stop();
    throw error;
  }
}

/** The endpoints LibreNMS is also measured alone on; the exporter's other requests are summed as "other". */
const MEASURED_ALONE = new Set(['/devices', '/ports', '/devices/:hostname/ports', '/resources/sensors']);

async function measureExporter(instance: FieldInstance, processes: LibreNmsProcesses, strategy: 'bulk' | 'per-device', concurrency: number): Promise<Row> {
  const cold = await coldRefresh(
    instance.url,
    instance.tokens.admin,
    { PORTS_STRATEGY: strategy, CONCURRENCY: String(concurrency), PORTS_MAX_DEVICE_READS: String(DEVICE_READS) },
    processes,
  );
  await cold.exporter.stop();
  const portRequests = strategy === 'bulk' ? (cold.requests['/ports'] ?? 0) : (cold.requests['/devices/:hostname/ports'] ?? 0);
  const portSeconds = strategy === 'bulk' ? (cold.seconds['/ports'] ?? 0) : (cold.seconds['/devices/:hostname/ports'] ?? 0);
  const librenmsCpu = (cold.librenms?.phpCpuS ?? 0) + (cold.librenms?.dbCpuS ?? 0);
  // The requests of the other collectors (alerts, routing, services, pollers): few and small here.
  const others = Object.keys(cold.requests).filter((e) => !MEASURED_ALONE.has(e));
  log(
    `  exporter ${strategy} at ${concurrency}: ${(cold.wallMs / 1000).toFixed(1)} s, ${cold.ports} ports, exporter CPU ${cold.cpuS.toFixed(1)} s, LibreNMS CPU ${librenmsCpu.toFixed(1)} s`,
  );
  return {
    version: instance.version,
    strategy,
    concurrency,
    cold_refresh_ms: cold.wallMs,
    ports_exported: cold.ports,
    unread_devices: cold.unread,
    collector_success: cold.success,
    port_requests: portRequests,
    port_request_mean_ms: portRequests === 0 ? NaN : (portSeconds / portRequests) * 1000,
    devices_request_ms: (cold.seconds['/devices'] ?? NaN) * 1000,
    sensors_request_ms: (cold.seconds['/resources/sensors'] ?? NaN) * 1000,
    other_endpoints: others.join(','),
    other_requests: others.reduce((sum, e) => sum + (cold.requests[e] ?? 0), 0),
    other_requests_ms: others.reduce((sum, e) => sum + (cold.seconds[e] ?? 0), 0) * 1000,
    exporter_cpu_s: cold.cpuS,
    php_cpu_s: cold.librenms?.phpCpuS ?? NaN,
    db_cpu_s: cold.librenms?.dbCpuS ?? NaN,
    php_peak_mb: cold.librenms?.phpPeakMb ?? NaN,
    php_growth_mb: cold.librenms?.phpGrowthMb ?? NaN,
    php_peak_sum_mb: cold.librenms?.phpPeakSumMb ?? NaN,
    exporter_cpu_share: cold.cpuS / (cold.cpuS + librenmsCpu),
    gzip_mb: cold.gzipBytes / 1e6,
    load_before: cold.load,
    load_after: loadAverage(),
  };
}

/**
 * The exporter with LibreNMS's cost taken out: a replay serves LibreNMS's own answers (read once)
 * from memory at once, so the refresh is the exporter's fetch, parse, render and gzip. The floor
 * runs on the same bytes, with where its time goes.
 */
async function measureExporterAlone(instance: FieldInstance): Promise<Row> {
  const replay = await startReplay(instance.url, 0);
  try {
    const fill = await coldRefresh(replay.url, instance.tokens.admin, { PORTS_STRATEGY: 'bulk' });
    const walls: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const figures = await scrape(fill.exporter, true, false, 600);
      walls.push(figures.wallMs);
      cpu.push(figures.cpuS);
    }
    await fill.exporter.stop();
    const floorOutput = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/floor-child.ts', replay.url, instance.tokens.admin, PORTS_PATH.replace('/api/v0/', ''), String(RUNS), 'phases'],
      { cwd: ROOT, maxBuffer: 1 << 20 },
    );
    const floor = JSON.parse(floorOutput.stdout) as { wallMs: number; cpuS: number; phases: Record<string, number> };
    log(`  exporter alone: ${median(walls).toFixed(0)} ms, CPU ${median(cpu).toFixed(2)} s; floor ${floor.wallMs.toFixed(0)} ms`);
    return {
      version: instance.version,
      alone_ms: median(walls),
      alone_cpu_s: median(cpu),
      floor_ms: floor.wallMs,
      floor_cpu_s: floor.cpuS,
      floor_fetch_ms: floor.phases['fetchMs'] ?? NaN,
      floor_parse_ms: floor.phases['parseMs'] ?? NaN,
      floor_write_ms: floor.phases['writeMs'] ?? NaN,
      floor_gzip_ms: floor.phases['gzipMs'] ?? NaN,
    };
  } finally {
    await replay.close();
  }
}

// ------------------------------------------------------------------ PHP's default memory_limit, for real

/**
 * Bulk `/ports` (and the sensors and devices lists) under PHP's default memory_limit: the tool's php -S
 * has none (PHP's command-line php.ini), so a second `php -S` (one process, no workers) serves the same
 * LibreNMS tree and database, started as the tool starts its own (lib/host.sh on the host, lib/chroot.sh
 * in the chroot as user librenms) but with `-d memory_limit=128M`. Where the answer does not fit,
 * LibreNMS answers 500 ("Allowed memory size of 134217728 bytes exhausted" in the server's log).
 */
async function limitCheck(instance: FieldInstance, root: string, port: number): Promise<Row[]> {
  const php = `php -d memory_limit=${DEFAULT_MEMORY_LIMIT_MB}M -S 127.0.0.1:${port} -t html html/index.php`;
  const chroot = join(root, 'chroot');
  const child = existsSync(chroot)
    ? spawn(
        'chroot',
        [chroot, '/usr/bin/env', '-i', 'PATH=/usr/bin:/bin', 'LANG=C.UTF-8', 'HOME=/srv/librenms'].concat([
          'setpriv',
          '--reuid=librenms',
          '--regid=librenms',
          '--init-groups',
          'sh',
          '-c',
          `cd /srv/librenms && exec ${php}`,
        ]),
        { stdio: 'ignore' },
      )
    : spawn('sh', ['-c', `exec ${php}`], { cwd: join(root, 'librenms'), stdio: 'ignore' });
  const limited: FieldInstance = { ...instance, url: `http://127.0.0.1:${port}` };
  const rows: Row[] = [];
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await timedGet(limited, '/api/v0/system')).status === 200) break;
      } catch {
        if (i > 100) throw new Error(`php -S with memory_limit=${DEFAULT_MEMORY_LIMIT_MB}M did not answer on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    const ask = async (what: string, path: string, items: number): Promise<void> => {
      const answer = await timedGet(limited, path);
      log(`  memory_limit=${DEFAULT_MEMORY_LIMIT_MB}M: ${what} of ${items}: HTTP ${answer.status} in ${answer.totalMs.toFixed(0)} ms`);
      rows.push({ version: instance.version, what, items, status: answer.status, total_ms: answer.totalMs });
    };
    await ask('/devices', '/api/v0/devices', DEVICES);
    await ask('/resources/sensors', '/api/v0/resources/sensors', DEVICES * SENSORS_PER_DEVICE);
    try {
      for (const size of LIMIT_SIZES) {
        execSql(instance, `UPDATE ports SET deleted = (deleted & 1) | IF(port_id > ${size}, 2, 0);`);
        await ask('bulk /ports', PORTS_PATH, answeredPorts(instance));
      }
    } finally {
      execSql(instance, 'UPDATE ports SET deleted = deleted & 1;');
    }
    return rows;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

// ------------------------------------------------------------------ one version

/** Ports bulk `/ports` answers: those not deleted (get_all_ports, Port::scopeIsNotDeleted). */
const answeredPorts = (instance: FieldInstance): number =>
  Number(selectRows(instance, { n: 'c.n' }, '(SELECT COUNT(*) AS n FROM ports WHERE deleted = 0) AS c')[0]?.['n'] ?? 0);

/** The synthetic install as SQL for `version`, loaded into LibreNMS; returns the seconds it took. */
function seed(instance: FieldInstance): number {
  const t0 = performance.now();
  const state = syntheticState({ devices: DEVICES, portsPerDevice: PORTS_PER_DEVICE, sensorsPerDevice: SENSORS_PER_DEVICE, seed: 42 });
  execSql(instance, seedSql(state, instance.version));
  return (performance.now() - t0) / 1000;
}

async function benchVersion(version: string): Promise<{
  version: string;
  librenms: Row[];
  exporter: Row[];
  alone: Row | undefined;
  sweep: Row[];
  limit: Row[];
  seedS: number;
  workers: number;
  idleMb: number;
}> {
  const index = OFFERED.indexOf(version);
  const root = `${ROOT_PREFIX}-${version}`;
  const toolEnv: NodeJS.ProcessEnv = {
    ...env,
    LNMS_VERSION: version,
    LNMS_ROOT: root,
    LNMS_HTTP_PORT: String(PORT_BASE + 10 * Math.max(0, index)),
    LNMS_DB_PORT: String(PORT_BASE + 10 * Math.max(0, index) + 1),
  };
  log(`LibreNMS ${version}: starting (${root}; the first start of a version takes minutes)`);
  const started = await up(toolEnv);
  if (!started.ok) throw new Error(`LibreNMS ${version} did not start:\n${started.output}`);
  const instance = started.instance;
  try {
    log(`LibreNMS ${instance.version}: loading ${DEVICES} devices × ${PORTS_PER_DEVICE} ports, ${SENSORS_PER_DEVICE} sensors each`);
    const seedS = seed(instance);
    log(`  loaded in ${seedS.toFixed(0)} s`);
    // PHP keeps memory of a big request for the next ones (its allocator caches chunks after the
    // average of the last peaks), which would read as their peak: each group of measurements starts
    // with fresh php -S processes and goes from small answers to big ones.
    const fresh = async (): Promise<LibreNmsProcesses> => {
      down(toolEnv);
      const again = await up(toolEnv);
      if (!again.ok) throw new Error(`LibreNMS ${version} did not start again:\n${again.output}`);
      const processes = processesOf(root);
      // The first answers of a fresh php -S read LibreNMS's files from disk: two small ones first.
      for (const path of ['/api/v0/system', '/api/v0/devices/1/ports']) await timedGet(instance, path);
      return processes;
    };

    const librenms: Row[] = [];
    let processes = processesOf(root);
    if (PHASES.has('librenms')) processes = await fresh();
    const ids = Array.from({ length: Math.min(SAMPLE, DEVICES) }, (_, i) => 1 + Math.floor((i * DEVICES) / Math.min(SAMPLE, DEVICES)));
    const portColumns = PORTS_PATH.slice(PORTS_PATH.indexOf('?'));
    const endpoints: [string, (c: number) => string[]][] = [
      ['/devices/:id/ports', () => ids.map((id) => `/api/v0/devices/${id}/ports${portColumns}`)],
      ['/devices', (c) => Array(c).fill('/api/v0/devices')],
      ['/resources/sensors', (c) => Array(c).fill('/api/v0/resources/sensors')],
      ['bulk /ports', (c) => Array(c).fill(PORTS_PATH)],
    ];
    for (const [endpoint, paths] of endpoints) {
      if (!PHASES.has('librenms')) break;
      for (const c of CONCURRENCIES) librenms.push(await measureEndpoint(instance, processes, endpoint, paths(c), c));
    }

    const exporter: Row[] = [];
    let alone: Row | undefined;
    if (PHASES.has('exporter')) {
      processes = await fresh();
      for (const strategy of ['per-device', 'bulk'] as const) {
        for (const c of CONCURRENCIES) exporter.push(await measureExporter(instance, processes, strategy, c));
      }
      alone = await measureExporterAlone(instance);
    }

    const sweep: Row[] = [];
    const total = answeredPorts(instance);
    if (PHASES.has('sweep')) processes = await fresh();
    try {
      for (const size of PHASES.has('sweep') ? SWEEP : []) {
        // Ports past the first `size` (in port_id order) are hidden with a second bit in `deleted`:
        // get_all_ports reads `deleted = 0` only (Port::scopeIsNotDeleted). Put back below.
        execSql(instance, `UPDATE ports SET deleted = (deleted & 1) | IF(port_id > ${size}, 2, 0);`);
        const row = await measureEndpoint(instance, processes, 'bulk /ports', [PORTS_PATH], 1);
        const answered = answeredPorts(instance);
        sweep.push({ ...row, ports: answered });
      }
    } finally {
      execSql(instance, 'UPDATE ports SET deleted = deleted & 1;');
    }
    const full = librenms.find((r) => r['endpoint'] === 'bulk /ports' && r['concurrency'] === (CONCURRENCIES[0] ?? 1));
    if (full !== undefined) sweep.push({ ...full, ports: total });
    const limit = PHASES.has('limit') ? await limitCheck(instance, root, PORT_BASE + 10 * Math.max(0, index) + 5) : [];
    return { version: instance.version, librenms, exporter, alone, sweep, limit, seedS, workers: processes.php.length, idleMb: processes.idleKb / 1024 };
  } finally {
    if (!KEEP) down(toolEnv);
  }
}

// ------------------------------------------------------------------ tables

const f = (v: number | string | undefined, digits = 0): string => (typeof v === 'number' ? (Number.isNaN(v) ? '–' : v.toFixed(digits)) : String(v ?? ''));
const n = (r: Row | undefined, key: string): number => Number(r?.[key]);
const seconds = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

function markdown(results: Awaited<ReturnType<typeof benchVersion>>[], loads: { before: number; after: number }, totalS: number): string {
  const ports = DEVICES * PORTS_PER_DEVICE;
  const lines = [
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average ${loads.before.toFixed(1)} before, ${loads.after.toFixed(1)} after (each row also has its own); ` +
      `LibreNMS under \`php -S\` with ${results.map((r) => r.workers).join('/')} PHP processes (PHP_CLI_SERVER_WORKERS=${env['LNMS_PHP_WORKERS'] ?? 4}), no opcache; PHP peaks less the ${results.map((r) => r.idleMb.toFixed(0)).join('/')} MB of an unused php -S process; ` +
      `${DEVICES} devices × ${PORTS_PER_DEVICE} ports = ${ports} ports, ${DEVICES * SENSORS_PER_DEVICE} sensors; loaded by SQL in ${results.map((r) => `${r.seedS.toFixed(0)} s`).join(' / ')}; the run took ${(totalS / 60).toFixed(0)} min.`,
    '',
    `Phases: ${[...PHASES].join(', ')}.`,
  ];
  const coldTitle = `**The exporter's cold refresh against the real LibreNMS** (one gzip scrape with a TTL of 0; the default collectors, ${COLLECTORS}; REQUEST_TIMEOUT_SECONDS=600 so that bulk is measured to its end; per device: PORTS_MAX_DEVICE_READS=${DEVICE_READS}${DEVICE_READS === 500 ? ', its default' : ''}, the devices one refresh reads):`;

  const section = (title: string, head: string[], rows: string[]): void => {
    if (rows.length === 0) return;
    lines.push('', title, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---|').join('')}`, ...rows);
  };
  section(
    coldTitle,
    [
      'LibreNMS',
      'strategy',
      'CONCURRENCY',
      'cold refresh',
      'ports exported',
      'port requests (mean time each, as the exporter saw it)',
      'LibreNMS CPU: PHP + MariaDB',
      'PHP peak per request (growth during it)',
      'exporter CPU',
      'exporter share of the CPU',
      'load',
    ],
    results.flatMap(({ exporter }) =>
      exporter.map(
        (r) =>
          `| ${r['version']} | ${r['strategy']} | ${r['concurrency']} | **${seconds(n(r, 'cold_refresh_ms'))}** | ${r['ports_exported']}${n(r, 'unread_devices') > 0 ? ` (${r['unread_devices']} devices not yet read)` : ''} | ${r['port_requests']} (${seconds(n(r, 'port_request_mean_ms'))}) | ${f(r['php_cpu_s'], 1)} + ${f(r['db_cpu_s'], 1)} s | ${f(r['php_peak_mb'])} MB (${f(r['php_growth_mb'])} MB) | ${f(r['exporter_cpu_s'], 1)} s | ${f(n(r, 'exporter_cpu_share') * 100)} % | ${f(r['load_before'], 1)} → ${f(r['load_after'], 1)} |`,
      ),
    ),
  );
  section(
    `**Where the time of a bulk cold refresh goes** (CONCURRENCY=4): LibreNMS's own answers (measured alone, one request at a time) against the exporter's part, measured by replaying LibreNMS's answers from memory with no latency (fetch over loopback, parse, render, gzip: pipelined), and the floor on the same bytes (fetch / JSON.parse / minimal writer / gzip level 1):`,
    [
      'LibreNMS',
      'cold refresh',
      'LibreNMS: /devices',
      'LibreNMS: bulk /ports (PHP until the first byte + sending)',
      'LibreNMS: sensors',
      'LibreNMS: the other requests (summed, as the exporter saw them in the refresh)',
      'exporter alone (CPU)',
      '**exporter share of the cold refresh**',
      'floor: fetch / parse / write / gzip',
    ],
    results.flatMap(({ version, librenms, exporter, alone }) => {
      if (alone === undefined) return [];
      const one = (endpoint: string) => librenms.find((r) => r['endpoint'] === endpoint && r['concurrency'] === 1);
      const bulk = one('bulk /ports');
      const refresh = exporter.find((r) => r['strategy'] === 'bulk' && r['concurrency'] === 4) ?? exporter.find((r) => r['strategy'] === 'bulk');
      return [
        `| ${version} | ${seconds(n(refresh, 'cold_refresh_ms'))} | ${seconds(n(one('/devices'), 'total_median_ms'))} | ${seconds(n(bulk, 'total_median_ms'))} (${seconds(n(bulk, 'ttfb_median_ms'))} + ${seconds(n(bulk, 'total_median_ms') - n(bulk, 'ttfb_median_ms'))}) | ${seconds(n(one('/resources/sensors'), 'total_median_ms'))} | ${refresh?.['other_requests']} requests (${refresh?.['other_endpoints']}): ${seconds(n(refresh, 'other_requests_ms'))} | ${seconds(n(alone, 'alone_ms'))} (${f(alone['alone_cpu_s'], 1)} s) | **${f((n(alone, 'alone_ms') / n(refresh, 'cold_refresh_ms')) * 100)} %** | ${f(alone['floor_fetch_ms'])} / ${f(alone['floor_parse_ms'])} / ${f(alone['floor_write_ms'])} / ${f(alone['floor_gzip_ms'])} ms |`,
      ];
    }),
  );
  section(
    "**LibreNMS alone, per request** (the benchmark's own client, answers read and discarded; with concurrency N, N requests at a time: the same bulk, `/devices` and sensors request N times, per device a sample of devices):",
    [
      'LibreNMS',
      'endpoint',
      'concurrency',
      'requests',
      'answer time per request, median (first byte)',
      'slowest',
      'all of them',
      'answer size',
      'PHP peak per request (growth during it)',
      'PHP + MariaDB CPU',
      'load',
    ],
    results.flatMap(({ librenms }) =>
      librenms.map(
        (r) =>
          `| ${r['version']} | ${r['endpoint']}${r['statuses'] === '200' ? '' : ` (HTTP ${r['statuses']})`} | ${r['concurrency']} | ${r['requests']} | ${seconds(n(r, 'total_median_ms'))} (${seconds(n(r, 'ttfb_median_ms'))}) | ${seconds(n(r, 'total_max_ms'))} | ${seconds(n(r, 'wall_ms'))} | ${f(n(r, 'bytes_median') / 1e6, 2)} MB | ${f(r['php_peak_mb'])} MB (${f(r['php_growth_mb'])} MB) | ${f(r['php_cpu_s'], 1)} + ${f(r['db_cpu_s'], 1)} s | ${f(r['load_before'], 1)} → ${f(r['load_after'], 1)} |`,
      ),
    ),
  );
  const versions = results.map((r) => `LibreNMS ${r.version}`);
  const sizes = [...new Set(results.flatMap((r) => r.sweep.map((s) => n(s, 'ports'))))].sort((a, b) => a - b);
  section(
    "**Bulk `/ports` by size** (one request: PHP's peak RSS (growth during it), measured from outside: an upper bound of what memory_limit counts, whether it fits is the next table; answer time):",
    ['ports in the answer', ...versions],
    sizes.map((size) => {
      const cells = results.map(({ sweep }) => {
        const s = sweep.find((x) => n(x, 'ports') === size);
        if (s === undefined) return '–';
        return `${f(s['php_peak_mb'])} MB (${f(s['php_growth_mb'])}), ${seconds(n(s, 'total_median_ms'))}`;
      });
      return `| ${size} | ${cells.join(' | ')} |`;
    }),
  );
  const asked = [...new Set(results.flatMap((r) => r.limit.map((x) => `${x['what']}\u0000${x['items']}`)))];
  section(
    `**Under PHP's default memory_limit of ${DEFAULT_MEMORY_LIMIT_MB} MB, for real** (a second \`php -S\`, one process, \`-d memory_limit=${DEFAULT_MEMORY_LIMIT_MB}M\`, on the same LibreNMS and database; 500: "Allowed memory size … exhausted"):`,
    ['answer', ...versions],
    asked.map((key) => {
      const [what, items] = key.split('\u0000') as [string, string];
      const cells = results.map(({ limit }) => {
        const x = limit.find((r) => r['what'] === what && String(r['items']) === items);
        if (x === undefined) return '–';
        return x['status'] === 200 ? `200, ${seconds(n(x, 'total_ms'))}` : `**${x['status']}**`;
      });
      return `| ${what}: ${items} ${what === 'bulk /ports' ? 'ports' : what === '/devices' ? 'devices' : 'sensors'} | ${cells.join(' | ')} |`;
    }),
  );
  return lines.join('\n');
}

// ------------------------------------------------------------------ main

const started = Date.now();
const before = loadAverage();
log(`building dist/ …`);
await promisify(execFile)(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.build.json'], {
  cwd: ROOT,
});
const results: Awaited<ReturnType<typeof benchVersion>>[] = [];
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
const partial = new URL(`results/real-partial-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
for (const version of VERSIONS) {
  results.push(await benchVersion(version));
  // Kept as each version ends: a run of most of an hour is not lost to a later failure.
  writeFileSync(partial, JSON.stringify(results, null, 2));
}
const totalS = (Date.now() - started) / 1000;
const table = markdown(results, { before, after: loadAverage() }, totalS);
process.stdout.write(`${table}\n`);
const file = new URL(`results/real-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(
  file,
  JSON.stringify(
    {
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      install: { devices: DEVICES, portsPerDevice: PORTS_PER_DEVICE, sensorsPerDevice: SENSORS_PER_DEVICE },
      seconds: totalS,
      results,
    },
    null,
    2,
  ),
);
rmSync(scratch, { recursive: true, force: true });
rmSync(partial, { force: true });
log(`wrote ${file.pathname} after ${(totalS / 60).toFixed(1)} min`);
