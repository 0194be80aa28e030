/**
 * The acceptance measurements of issue 21 (`npm run test:slow`): they time real traffic, so they live
 * outside the main lane, which never asserts a timing.
 *
 * - `/healthz` stays under 100 ms while LibreNMS answers every request with a 1 MB error page.
 * - With 50 clients flooding wrong passwords right after a start, a client with valid credentials
 *   gets at least 95% 200s: flooders on other addresses, and flooders on the client's own address.
 * - A request body sent one byte every 5 s is cut within a minute.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import { startExporter } from '../helpers/exporter.js';
import { FAST_ENV, listenTracked, sleep } from '../helpers/harness.js';

interface Answer {
  readonly status: number;
  readonly ms: number;
}

/** One GET over a fresh connection from `localAddress` (127.0.0.x), timed; status 0 when it failed. */
function get(url: string, headers: Record<string, string>, localAddress = '127.0.0.1', timeoutMs = 10_000): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { headers, localAddress, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
  });
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test('/healthz stays under 100 ms while LibreNMS serves a 1 MB error page', async (t) => {
  const page = Buffer.from('<'.repeat(1_000_000));
  let served = 0;
  const librenms = await listenTracked((req, res) => {
    req.resume();
    served++;
    res.writeHead(500, { 'content-type': 'text/html', 'content-length': String(page.length) });
    res.end(page);
  });
  const exporter = await startExporter({ LIBRENMS_URL: librenms.url, LIBRENMS_TOKEN: 'hostile-token-0123456789abcdef', ...FAST_ENV, LOG_LEVEL: 'error' });
  t.teardown(async () => (await exporter.close(), await librenms.close()));
  /** /healthz every 20 ms for `ms`: each answer's time. */
  const healthFor = async (ms: number): Promise<number[]> => {
    const times: number[] = [];
    const until = performance.now() + ms;
    while (performance.now() < until) {
      const answer = await get(`${exporter.url}/healthz`, {});
      t.equal(answer.status, 200);
      times.push(answer.ms);
      await sleep(20);
    }
    return times;
  };
  const summary = (times: number[]): string =>
    `${times.length} answers, the slowest in ${Math.max(...times).toFixed(1)} ms; over 50 ms: ${JSON.stringify(times.flatMap((ms, i) => (ms > 50 ? [[i, Math.round(ms)]] : [])))}`;
  // Warm up (the first scrape loads and compiles what a refresh runs), then the machine's own noise.
  for (let i = 0; i < 5; i++) await get(`${exporter.url}/metrics`, {});
  const quiet = await healthFor(2_000);
  let running = true;
  // Ten scrapes a second keep the exporter reading the page (each one refreshes: CACHE_TTL_SECONDS=0),
  // fifty times the pace of a real outage (one retry every 5 s).
  const scrapes = (async () => {
    while (running) {
      await get(`${exporter.url}/metrics`, {});
      await sleep(100);
    }
  })();
  const loaded = await healthFor(8_000);
  running = false;
  await scrapes;
  t.ok(served >= 40, `LibreNMS served its 1 MB error page ${served} times meanwhile`);
  t.ok(Math.max(...loaded) < 100, `while LibreNMS serves its page: ${summary(loaded)} (before it: ${summary(quiet)})`);
});

for (const where of ['other addresses', "the valid client's own address"] as const) {
  t.test(`50 clients flooding wrong passwords from ${where}: the valid client gets at least 95% 200s`, async (t) => {
    const double = await startLibreNmsDouble({});
    const dir = mkdtempSync(join(tmpdir(), 'flood-'));
    // Cost 10, as the attack used.
    writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('correct horse', 10)}\n`);
    // A fresh start: no valid login remembered yet.
    const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: join(dir, 'web.yml'), LOG_LEVEL: 'error' });
    t.teardown(async () => {
      await exporter.close();
      await double.close();
      rmSync(dir, { recursive: true, force: true });
    });
    let flooding = true;
    const floodStatuses = new Map<number, number>();
    const flooders = Array.from({ length: 50 }, async (_, i) => {
      const address = where === 'other addresses' ? `127.0.0.${i + 2}` : '127.0.0.1';
      while (flooding) {
        // A patient attacker: it waits for every answer (a 401, or a 429 when shed).
        const { status } = await get(`${exporter.url}/metrics`, { authorization: basic('prometheus', `guess-${i}-${Math.random()}`) }, address, 60_000);
        floodStatuses.set(status, (floodStatuses.get(status) ?? 0) + 1);
      }
    });
    await sleep(500);
    const valid: Answer[] = [];
    for (let i = 0; i < 20; i++) {
      valid.push(await get(`${exporter.url}/metrics`, { authorization: basic('prometheus', 'correct horse'), 'x-prometheus-scrape-timeout-seconds': '10' }));
      await sleep(250);
    }
    flooding = false;
    await Promise.all(flooders);
    const ok = valid.filter((a) => a.status === 200).length;
    t.ok(
      ok >= 19,
      `${ok} of 20 valid requests answered 200 (${JSON.stringify(valid.map((a) => [a.status, Math.round(a.ms)]))}); flood: ${JSON.stringify([...floodStatuses])}`,
    );
    t.same(
      [...floodStatuses.keys()].filter((s) => s !== 401 && s !== 429),
      [],
      'every guess refused (401) or shed (429)',
    );
  });
}

t.test('a request body sent one byte every 5 s is cut within a minute', async (t) => {
  const double = await startLibreNmsDouble({});
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.teardown(async () => (await exporter.close(), await double.close()));
  const { port } = new URL(exporter.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const started = performance.now();
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now() - started)));
  socket.on('error', () => undefined);
  socket.write('POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n');
  const drip = setInterval(() => socket.write('x'), 5_000);
  const limit = new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 70_000));
  const ms = await Promise.race([closed, limit]);
  clearInterval(drip);
  socket.destroy();
  t.ok(ms < 60_000, `the server closed the connection after ${(ms / 1000).toFixed(1)} s (${answer.split('\r\n')[0] ?? 'no answer'})`);
});
