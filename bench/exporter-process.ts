/**
 * The exporter as the benchmarks run it: a separate process from dist/, started with the node flags of
 * package.json's start script, scraped over HTTP, its CPU and memory read from /proc. Shared by
 * `npm run bench` (run.ts, against the double) and `npm run bench:real` (real.ts, against the real LibreNMS).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { freePort } from '../test/helpers/servers.js';
import { startScriptFlags } from '../test/helpers/start-script.js';

export const ROOT = new URL('..', import.meta.url).pathname;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** A process's peak (VmHWM) or current (VmRSS) resident memory, in MB. */
export function memoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

export interface Exporter {
  child: ChildProcess;
  pid: number;
  url: string;
  memoryFile: string;
  stop(): Promise<void>;
}

/**
 * The exporter runs as `npm start` runs it (and the Docker image, through NODE_OPTIONS): with the
 * node flags of package.json's start script.
 */
export const START_FLAGS = startScriptFlags();

let exporters = 0;

/** Starts the exporter (BENCH_EXPORTER, default dist/cli.js) against one LibreNMS, with bench/gc-hook.mjs loaded; resolves once it answers. */
export async function startExporter(
  librenmsUrl: string,
  token: string,
  env: Record<string, string>,
  options: { scratch: string; collectors: string },
): Promise<Exporter> {
  const port = await freePort();
  const memoryFile = join(options.scratch, `memory-${++exporters}.json`);
  const child = spawn(process.execPath, [...START_FLAGS, '--expose-gc', '--import', './bench/gc-hook.mjs', process.env['BENCH_EXPORTER'] ?? 'dist/cli.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      LIBRENMS_URL: librenmsUrl,
      LIBRENMS_TOKEN: token,
      LISTEN_ADDRESS: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      COLLECTORS: options.collectors,
      BENCH_MEMORY_FILE: memoryFile,
      // The double encodes 100k ports in about 8 s the first time a URL is asked (the replay serves it
      // from memory after): with the default 10 s, the warm-up's bulk read could time out, fall back to
      // per-device reads and keep bulk off for 5 minutes, so every measured "bulk" refresh would be per
      // device. The double's cost is not the exporter's.
      REQUEST_TIMEOUT_SECONDS: '120',
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
      await sleep(50);
    }
  }
  return {
    child,
    pid: child.pid as number,
    url,
    memoryFile,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface ScrapeFigures {
  ttfbMs: number;
  wallMs: number;
  cpuS: number;
  bytes: number;
  body: Buffer;
}

/** One scrape; the body is kept only with `keep` (20 warm plain bodies of 207 MB would fill the benchmark's own memory). */
export async function scrape(exporter: Exporter, gzip: boolean, keep = false, timeoutSeconds = 120): Promise<ScrapeFigures> {
  const cpu0 = cpuSeconds(exporter.pid);
  const t0 = performance.now();
  const response = await request(`${exporter.url}/metrics`, {
    headers: { 'x-prometheus-scrape-timeout-seconds': String(timeoutSeconds), ...(gzip ? { 'accept-encoding': 'gzip' } : {}) },
    headersTimeout: Math.max(300, timeoutSeconds + 60) * 1000,
    bodyTimeout: Math.max(300, timeoutSeconds + 60) * 1000,
  });
  const ttfbMs = performance.now() - t0;
  // A body not kept is counted as it streams: 207 MB gathered per plain scrape would put the
  // benchmark's own garbage collection into the next scrape's figures.
  let bytes = 0;
  let body = Buffer.alloc(0);
  if (keep) {
    body = Buffer.from(await response.body.arrayBuffer());
    bytes = body.length;
  } else {
    for await (const piece of response.body) bytes += (piece as Buffer).length;
  }
  const wallMs = performance.now() - t0;
  return { ttfbMs, wallMs, cpuS: cpuSeconds(exporter.pid) - cpu0, bytes, body };
}
