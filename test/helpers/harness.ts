/**
 * Shared pieces of the fault, chaos, load and soak tests: a double + exporter pair torn down with the
 * test, timed scrapes with Prometheus's timeout header, log inspection, series helpers, and a tiny
 * LibreNMS stand-in that answers exact bytes (for bodies the double cannot produce, such as invalid
 * UTF-8 or rows with missing or unknown fields).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import type { Test } from 'tap';
import { request } from 'undici';
import { type LibreNmsDouble, startLibreNmsDouble } from '../../librenms-double/double.js';
import { capture, startExporter, type TestClocks, type TestExporter } from './exporter.js';
import { type ParsedExposition, parseExposition, type Sample } from './exposition.js';

export const sleep = (ms: number): Promise<void> => delay(ms);

/** One LibreNMS of a LIBRENMS_INSTANCES_FILE: its URL as the operator writes it, and the token file's text. */
export interface InstanceEntry {
  readonly name: string;
  readonly url: string;
  readonly tokenFileText: string;
}

/**
 * Writes a LIBRENMS_INSTANCES_FILE (with a token file per instance) into a temporary folder and starts
 * the exporter on it; the folder and the exporter go with the test (the LibreNMS servers are the
 * caller's: some tests must close them in a given order).
 */
export async function startMultiInstanceExporter(
  t: Test,
  entries: readonly InstanceEntry[],
  env: Record<string, string> = {},
  clocks: TestClocks = {},
): Promise<TestExporter> {
  const dir = mkdtempSync(join(tmpdir(), 'librenms-instances-'));
  let yaml = 'instances:\n';
  for (const entry of entries) {
    writeFileSync(join(dir, `${entry.name}.token`), entry.tokenFileText);
    yaml += `  - name: ${entry.name}\n    url: ${entry.url}\n    token_file: ${entry.name}.token\n`;
  }
  writeFileSync(join(dir, 'instances.yml'), yaml);
  const exporter = await startExporter({ LIBRENMS_INSTANCES_FILE: join(dir, 'instances.yml'), ...env }, clocks);
  t.teardown(async () => {
    await exporter.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return exporter;
}

export type DoubleOptions = NonNullable<Parameters<typeof startLibreNmsDouble>[0]>;

/** The bearer token of {@link startProtectedPair}'s web config. */
export const SCRAPE_TOKEN = 'scrape-token-cccccccccccccccc';

/**
 * The exporter against a new double, behind a WEB_CONFIG_FILE with the basic-auth user `prometheus`,
 * password `correct horse` (bcrypt of `cost`), and the bearer token {@link SCRAPE_TOKEN}; all of it goes
 * with the test.
 */
export async function startProtectedPair(t: Test, cost: number): Promise<{ double: LibreNmsDouble; exporter: TestExporter }> {
  const double = await startLibreNmsDouble({});
  const dir = mkdtempSync(join(tmpdir(), 'hostile-auth-'));
  writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('correct horse', cost)}\nbearer_token_file: scrape.token\n`);
  writeFileSync(join(dir, 'scrape.token'), SCRAPE_TOKEN);
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: join(dir, 'web.yml') });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { double, exporter };
}

/** Two LibreNMS doubles with their own tokens, for the `eu` and `asia` instances of multi-instance tests. */
export async function startEuAsiaDoubles(t: Test): Promise<{ eu: LibreNmsDouble; asia: LibreNmsDouble }> {
  const eu = await startLibreNmsDouble({ token: 'eu-token-aaaaaaaaaaaaaaaa' });
  const asia = await startLibreNmsDouble({ token: 'asia-token-bbbbbbbbbbbbbb' });
  t.teardown(async () => {
    await eu.close();
    await asia.close();
  });
  return { eu, asia };
}

/** Settings that keep fault tests quick: refresh on every scrape, retry at once after a failure. */
export const FAST_ENV: Readonly<Record<string, string>> = {
  CACHE_TTL_SECONDS: '0',
  CACHE_MAX_AGE_SECONDS: '60',
  REQUEST_TIMEOUT_SECONDS: '2',
};

export async function setupPair(
  t: Test,
  env: Record<string, string> = {},
  doubleOptions: DoubleOptions = {},
  clocks: TestClocks = {},
): Promise<{ double: LibreNmsDouble; exporter: TestExporter }> {
  const double = await startLibreNmsDouble(doubleOptions);
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, ...FAST_ENV, ...env }, clocks);
  t.teardown(async () => {
    await exporter.close();
    await double.close();
  });
  return { double, exporter };
}

export interface TimedScrape {
  readonly status: number;
  readonly text: string;
  readonly raw: Buffer;
  readonly parsed: ParsedExposition;
  /** Milliseconds from sending the request to the end of the body. */
  readonly ms: number;
}

/** One scrape as Prometheus sends it (with its timeout header), timed; the body is parsed strictly. */
export async function scrapeWithin(exporter: TestExporter, timeoutSeconds: number, headers: Record<string, string> = {}): Promise<TimedScrape> {
  const { status, raw, ms } = await rawScrape(exporter.url, { 'x-prometheus-scrape-timeout-seconds': String(timeoutSeconds), ...headers });
  const text = raw.toString('utf8');
  capture(text);
  return { status, text, raw, ms, parsed: parseExposition(text) };
}

/** A scrape without parsing (for the load test, where parsing would skew the timing of the others). */
export async function rawScrape(url: string, headers: Record<string, string>): Promise<{ status: number; raw: Buffer; ms: number }> {
  const started = performance.now();
  const response = await request(`${url}/metrics`, { headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  const ms = performance.now() - started;
  const raw = response.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
  return { status: response.statusCode, raw, ms };
}

/** Requests the double received on an exact path. */
export function requestsTo(double: LibreNmsDouble, path: string | RegExp): number {
  return double.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).length;
}

/** Log records written after `mark` (an index into `exporter.logs`). */
export function logsSince(exporter: TestExporter, mark: number): Record<string, unknown>[] {
  return exporter.logs.slice(mark);
}

/** The warn-or-worse log records of one collector after `mark`. */
export function collectorWarnings(exporter: TestExporter, mark: number, collector: string): Record<string, unknown>[] {
  // The devices collector renders what the selection step read: its failures are that step's.
  const ours = (l: Record<string, unknown>) => l['collector'] === collector || (collector === 'devices' && l['step'] === 'selection');
  return logsSince(exporter, mark).filter((l) => ours(l) && typeof l['level'] === 'number' && l['level'] >= 40);
}

/** The LibreNMS data of an exposition (device and port series), as sorted comparable lines. */
export function librenmsLines(parsed: ParsedExposition): string[] {
  return parsed.samples
    .filter((s) => s.name.startsWith('librenms_port_') || s.name.startsWith('librenms_device_'))
    .map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())} ${s.value}`)
    .sort();
}

/** Identity of a port series, as Prometheus sees it. */
export function portIdentity(s: Sample): string {
  return JSON.stringify([s.labels['hostname'] ?? '', s.labels['ifName'] ?? '', s.labels['ifIndex'] ?? '']);
}

/**
 * Problems with series identity: in every port family (info included) each (hostname, ifName,
 * ifIndex) appears at most once, and in every device family each hostname at most once. The strict
 * parser already rejects identical series; this also rejects two info series of one port that
 * differ only in descriptive labels (which would break every `group_left` join).
 */
export function identityProblems(parsed: ParsedExposition): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Set<string>>();
  for (const s of parsed.samples) {
    let key: string;
    if (s.name.startsWith('librenms_port_')) key = portIdentity(s);
    else if (s.name.startsWith('librenms_device_')) key = s.labels['hostname'] ?? '';
    else continue;
    let keys = seen.get(s.name);
    if (keys === undefined) seen.set(s.name, (keys = new Set()));
    if (keys.has(key)) problems.push(`${s.name} ${key} twice`);
    keys.add(key);
  }
  return problems;
}

/** Port identities present in one family. */
export function portIdentities(parsed: ParsedExposition, family = 'librenms_port_info'): Set<string> {
  return new Set(parsed.samples.filter((s) => s.name === family).map(portIdentity));
}

/** Waits until `condition` holds, polling every 20 ms, or fails after `ms`. */
export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

export interface RawLibreNms {
  readonly url: string;
  readonly token: string;
  /** Bodies by path (`/api/v0/devices`, `/api/v0/ports`, …); replace them between scrapes. */
  readonly bodies: Map<string, Buffer>;
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * A LibreNMS stand-in that answers exact bytes: 200 with the stored body for a known path and the
 * right token, LibreNMS's 404 "No ports found" for an unknown per-device ports path, else 404.
 */
/** An HTTP server on 127.0.0.1 with its sockets tracked, so close() never waits on a hanging client. */
export async function listenTracked(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startRawLibreNms(bodies: Record<string, Buffer | string>, token = 'raw-token-5f0e1d2c3b4a'): Promise<RawLibreNms> {
  const map = new Map(Object.entries(bodies).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8')]));
  const requests: string[] = [];
  const server = await listenTracked((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    req.resume();
    const reply = (status: number, body: Buffer): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.end(body);
    };
    if (req.headers['x-auth-token'] !== token) return reply(401, Buffer.from('{"message":"Unauthenticated."}'));
    const body = map.get(path);
    if (body !== undefined) return reply(200, body);
    if (/^\/api\/v0\/devices\/[^/]+\/ports$/.test(path)) return reply(404, Buffer.from('{"status":"error","message":"No ports found"}'));
    return reply(404, Buffer.from('{"message":"Not Found"}'));
  });
  return { url: server.url, token, bodies: map, requests, close: server.close };
}

/** A LibreNMS list envelope as JSON text. */
export function envelope(key: string, rows: unknown): string {
  return JSON.stringify({ status: 'ok', [key]: rows, count: Array.isArray(rows) ? rows.length : 0 });
}
