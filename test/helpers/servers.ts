/**
 * Helpers for end-to-end tests that run real Prometheus and Alertmanager binaries next to the exporter:
 * free loopback ports, daemons started and stopped safely, a webhook receiver for Alertmanager, small
 * JSON HTTP clients and bounded polling.
 *
 * Everything listens on 127.0.0.1 only. Every start function returns something with a `stop()`/`close()`
 * that is safe to call twice and after a failed start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// ---------------------------------------------------------------------------------------------------------
// Ports, polling, HTTP

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it; the caller retries on a clash). */
/** One version of the Prometheus tools the stack lane runs on. */
export interface PrometheusToolchain {
  readonly name: string;
  readonly prometheus: string;
  readonly promtool: string;
  readonly amtool: string;
  readonly alertmanager: string;
  /** Set when this version cannot be run: its tests then fail with this message (never a skip). */
  readonly missing?: string;
}

/**
 * Debian's Prometheus 2 and Alertmanager 0.25 (on PATH, or PROMETHEUS, PROMTOOL, AMTOOL, ALERTMANAGER), and
 * Prometheus 3.5 and Alertmanager 0.33 from the folder in PROMETHEUS3_BIN (`../shared/tools/prometheus3`).
 */
export function prometheusToolchains(): readonly PrometheusToolchain[] {
  const bin = process.env['PROMETHEUS3_BIN'] ?? '';
  const in3 = (name: string): string => (bin === '' ? '' : join(bin, name));
  return [
    {
      name: 'Prometheus 2',
      prometheus: process.env['PROMETHEUS'] ?? 'prometheus',
      promtool: process.env['PROMTOOL'] ?? 'promtool',
      amtool: process.env['AMTOOL'] ?? 'amtool',
      alertmanager: process.env['ALERTMANAGER'] ?? 'prometheus-alertmanager',
    },
    {
      name: 'Prometheus 3',
      prometheus: in3('prometheus'),
      promtool: in3('promtool'),
      amtool: in3('amtool'),
      alertmanager: in3('prometheus-alertmanager'),
      ...(bin === ''
        ? {
            missing:
              'PROMETHEUS3_BIN is not set: run `../shared/tools/prometheus3` from the repository root and set PROMETHEUS3_BIN to the folder it prints (Prometheus 3.5, promtool, amtool and Alertmanager 0.33)',
          }
        : {}),
    },
  ];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface WaitOptions {
  /** Gives up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Pause between attempts, default 500 ms. */
  readonly intervalMs?: number;
  /** Says what was awaited, for the timeout error. */
  readonly what: string;
}

/** Thrown by a waitFor probe to end the wait at once (e.g. the awaited process died). */
export class WaitAborted extends Error {}

/**
 * Calls `probe` until it returns something other than undefined, then returns it. Errors thrown by
 * `probe` count as "not yet" (except {@link WaitAborted}, which ends the wait at once) and the last one
 * is reported on timeout, together with `describe()` of the last state if given.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitOptions & { readonly describe?: () => string }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      if (err instanceof WaitAborted) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      const state = options.describe ? `; last state: ${options.describe()}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${why}${state}`);
    }
    await sleep(options.intervalMs ?? 500);
  }
}

/** GET (or POST a form) and parse JSON; throws on a non-2xx answer with the body in the message. */
export async function fetchJson<T = unknown>(url: string, init: { method?: string; form?: Record<string, string>; timeoutMs?: number } = {}): Promise<T> {
  const body = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------------------
// Daemons

export interface Daemon {
  readonly name: string;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** The last ~64 KiB of the process's stdout and stderr, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5 s); resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface DaemonSpec {
  readonly name: string;
  readonly command: string;
  /** Arguments for a given port (the daemon must listen on 127.0.0.1:port). */
  readonly args: (port: number) => string[];
  /** Path answered with 200 once the daemon is ready, e.g. /-/ready. */
  readonly readyPath: string;
  readonly readyTimeoutMs: number;
  readonly cwd?: string;
  /** Extra environment variables for the daemon (e.g. its port), given the port. */
  readonly env?: (port: number) => Record<string, string>;
  /** Tries with a new port when the daemon exits before it is ready (another process took the port). Default 3. */
  readonly attempts?: number;
}

/**
 * util-linux setpriv: started through it with --pdeathsig SIGKILL, the daemon is killed by the kernel
 * when this test process dies abruptly (tap's timeout, a crash), where no teardown can run.
 */
const SETPRIV = '/usr/bin/setpriv';

const OUTPUT_LIMIT = 64 * 1024;

/** Daemons not yet exited; killed synchronously should the test process exit without teardown. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (exited(child) || child.pid === undefined) return;
  child.kill('SIGTERM');
  if (await waitExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitExit(child, 5_000);
}

/** Environment for child processes: no HTTP proxy may capture their loopback traffic. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) delete env[k];
  env['NO_PROXY'] = '127.0.0.1,localhost';
  env['no_proxy'] = '127.0.0.1,localhost';
  return env;
}

/**
 * Starts a daemon on a free loopback port and waits until `readyPath` answers 200. If the process
 * exits before it is ready (e.g. the port was taken in between), it is started again on a new port.
 * On failure the process is stopped and the error carries its output.
 */
export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
  const attempts = spec.attempts ?? 3;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = '';
    const [command, args] = existsSync(SETPRIV)
      ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', spec.command, ...spec.args(port)]]
      : [spec.command, spec.args(port)];
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...childEnv(), ...(spec.env?.(port) ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const daemon: Daemon = {
      name: spec.name,
      url,
      port,
      child,
      output: () => output,
      stop: (graceMs = 5_000) => stopChild(child, graceMs),
    };
    try {
      await waitFor(
        async () => {
          if (spawnError) throw new WaitAborted(`${spec.name}: cannot start ${spec.command}: ${spawnError.message}`);
          if (exited(child)) throw new WaitAborted(`${spec.name} exited with ${child.exitCode ?? child.signalCode} before it was ready`);
          const response = await fetch(`${url}${spec.readyPath}`, { signal: AbortSignal.timeout(2_000) });
          await response.arrayBuffer();
          return response.status === 200 ? true : undefined;
        },
        { timeoutMs: spec.readyTimeoutMs, intervalMs: 200, what: `${spec.name} ready at ${url}${spec.readyPath}` },
      );
      return daemon;
    } catch (err) {
      await daemon.stop(2_000);
      const message = err instanceof Error ? err.message : String(err);
      lastError = new Error(`${message}\n--- ${spec.name} output (attempt ${attempt}) ---\n${output.slice(-4_000)}`);
      // Only an early exit (likely a port clash) is worth another attempt; a missing binary (setpriv
      // exits 126/127) or a daemon that never became ready is not.
      if (spawnError || !/exited with/.test(message) || child.exitCode === 126 || child.exitCode === 127) break;
    }
  }
  throw lastError ?? new Error(`${spec.name}: not started`);
}

// ---------------------------------------------------------------------------------------------------------
// Webhook receiver for Alertmanager

export interface AlertmanagerAlert {
  readonly status: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly fingerprint?: string;
}

/** Alertmanager's webhook payload (version 4). */
export interface WebhookPayload {
  readonly version: string;
  readonly status: string;
  readonly receiver: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly alerts: AlertmanagerAlert[];
}

export interface WebhookReceiver {
  readonly url: string;
  /** Every payload POSTed so far, in arrival order. */
  readonly payloads: WebhookPayload[];
  /** Bodies that were not valid JSON (should stay empty). */
  readonly invalid: string[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1:0 that records every JSON body POSTed to it and answers 200. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const payloads: WebhookPayload[] = [];
  const invalid: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST') {
        try {
          payloads.push(JSON.parse(text) as WebhookPayload);
        } catch {
          invalid.push(text);
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    payloads,
    invalid,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
