/**
 * A hostile or unlucky LibreNMS, round two (issue 21): error pages read from a bounded excerpt in
 * linear time, the token scrubbed before any clipping, more than 1,000 device groups, huge group
 * names, hostnames Prometheus cannot use as targets, an unexpected 500 logged, and `/sd` that does
 * not wait for a hung LibreNMS. No timing is asserted: outcomes only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { loadConfig } from '../src/config/env.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../src/config/settings.js';
import { runDoctor } from '../src/doctor/doctor.js';
import { LibreNmsError } from '../src/errors.js';
import { buildApp } from '../src/http/app.js';
import { SD_MAX_WAIT_MS, sdBudgetMs } from '../src/http/deadline.js';
import { groupsLabel, MAX_GROUPS_LABEL_CHARS } from '../src/http/routes/sd.js';
import { MAX_GROUP_MEMBER_CACHES } from '../src/inventory/inventory.js';
import { LibreNmsClient, MESSAGE_SOURCE_CHARS } from '../src/librenms/client.js';
import { createLogger } from '../src/logger.js';
import { startExporter } from './helpers/exporter.js';
import { FakeClock } from './helpers/fake-clock.js';
import { envelope, FAST_ENV, listenTracked, requestsTo, startMultiInstanceExporter, startRawLibreNms, waitFor } from './helpers/harness.js';

const TOKEN = 'Zq7Wv3Kp9Lm2Nx8Rt5Ys1Bd4Fg6Hj0Qc';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** Any 8 characters of the token in `text`. */
function tokenPieces(text: string, token = TOKEN): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= token.length; i++) if (text.includes(token.slice(i, i + 8))) found.push(token.slice(i, i + 8));
  return found;
}

/** A LibreNMS stand-in whose every answer `answer` writes; `client` reads it with {@link TOKEN}. */
async function answering(t: Test, answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = await listenTracked((req, res) => {
    req.resume();
    answer(req, res);
  });
  const client = new LibreNmsClient({
    baseUrl: new URL(`${server.url}/api/v0/`),
    token: TOKEN,
    concurrency: 2,
    timeoutMs: 20_000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  });
  t.teardown(async () => {
    await client.close();
    await server.close();
  });
  return { url: server.url, client };
}

/** The error a request fails with. */
async function failure(run: () => Promise<unknown>): Promise<LibreNmsError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LibreNmsError) return error;
    throw error;
  }
  throw new Error('the request did not fail');
}

t.test('an error page is read from an excerpt of its two ends, in linear time', async (t) => {
  let body = '';
  let status = 500;
  const { client } = await answering(t, (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(body);
  });
  // 1 MB of unclosed tags: a tag-stripping pattern that can cross a < takes time growing with the
  // square of this (the exporter froze); bounded and linear, this is a plain message at once.
  body = '<'.repeat(1_000_000);
  t.match((await failure(() => client.listDevices())).message, /^LibreNMS answered HTTP 500 on \/devices: non-JSON body$/);
  status = 200;
  t.match((await failure(() => client.listDevices())).message, /body that is not JSON \(1000000 bytes, cut short or an error page\?\)/);
  status = 500;
  // What lies between the two ends is not read at all.
  body = `<html>${'x'.repeat(3 * MESSAGE_SOURCE_CHARS)}<title>Buried</title>${'y'.repeat(3 * MESSAGE_SOURCE_CHARS)}`;
  t.notMatch((await failure(() => client.listDevices())).message, 'Buried', 'a title past the excerpt is not looked for');
  body = `<html><head><title>502 Bad Gateway</title></head>${'x'.repeat(600_000)}`;
  t.match((await failure(() => client.listDevices())).message, /non-JSON body: 502 Bad Gateway$/, 'the start is read');
  body = `{"status":"ok","devices":[${'{},'.repeat(200_000)}<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted`;
  t.match((await failure(() => client.listDevices())).message, /non-JSON body: Allowed memory size of 134217728 bytes exhausted$/, 'and the end');
});

t.test('the token is scrubbed before any clipping: no piece of it survives a cut', async (t) => {
  let answer = { status: 500, type: 'application/json', body: '', location: undefined as string | undefined };
  const { url, client } = await answering(t, (_req, res) => {
    res.writeHead(answer.status, { 'content-type': answer.type, ...(answer.location === undefined ? {} : { location: answer.location }) });
    res.end(answer.body);
  });
  const leaks: string[] = [];
  const look = async (what: string): Promise<void> => {
    const error = await failure(() => client.listDevices());
    const pieces = tokenPieces(`${error.message}\n${error.detail ?? ''}`);
    if (pieces.length > 0) leaks.push(`${what}: ${pieces.join(' ')}`);
  };
  // Around the 200-character clip of a quoted message, for every position of the token.
  for (let offset = 150; offset <= 215; offset++) {
    answer = {
      status: 500,
      type: 'application/json',
      body: JSON.stringify({ status: 'error', message: `${'m'.repeat(offset)}${TOKEN} rest` }),
      location: undefined,
    };
    await look(`JSON message, token at ${offset}`);
    answer = {
      status: 200,
      type: 'application/json',
      body: JSON.stringify({ status: 'error', message: `${'m'.repeat(offset)}${TOKEN} rest` }),
      location: undefined,
    };
    await look(`error envelope, token at ${offset}`);
    answer = { status: 500, type: 'text/html', body: `<title>${'t'.repeat(offset)}${TOKEN}</title>`, location: undefined };
    await look(`page title, token at ${offset}`);
    answer = { status: 302, type: 'text/html', body: '', location: `http://elsewhere/${'l'.repeat(offset - 20)}?${TOKEN}` };
    await look(`redirect, token at ${offset}`);
  }
  // Around the edge of the excerpt, where spaces collapse and bring what follows into the message.
  for (let shift = -40; shift <= 40; shift += 3) {
    const lead = '<b>Fatal error</b>: ';
    answer = {
      status: 500,
      type: 'text/html',
      body: `${lead}${' '.repeat(MESSAGE_SOURCE_CHARS - lead.length + shift)}${TOKEN}${' '.repeat(3 * MESSAGE_SOURCE_CHARS)}`,
      location: undefined,
    };
    await look(`excerpt edge, shift ${shift}`);
  }
  // Split by markup: whole again once tags are stripped.
  answer = { status: 500, type: 'text/html', body: `<b>Fatal error</b>: ${TOKEN.slice(0, 16)}<i></i>${TOKEN.slice(16)}`, location: undefined };
  await look('split by a tag');
  t.same(leaks, [], 'no 8 characters of the token in any message');

  // The doctor prints the same messages: `check` leaks no piece either.
  answer = { status: 500, type: 'application/json', body: JSON.stringify({ message: `${'m'.repeat(190)}${TOKEN} rest` }), location: undefined };
  const lines: string[] = [];
  await runDoctor({ LIBRENMS_URL: url, LIBRENMS_TOKEN: TOKEN }, (line) => lines.push(line));
  t.match(lines.join('\n'), /HTTP 500/, 'the doctor reports the failure');
  t.same(tokenPieces(lines.join('\n')), [], 'and no piece of the token');
});

t.test('the token is scrubbed in the exporter log and /metrics too', async (t) => {
  const server = await listenTracked((req, res) => {
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `${'m'.repeat(185)}${TOKEN} rest` }));
  });
  const exporter = await startExporter({ LIBRENMS_URL: server.url, LIBRENMS_TOKEN: TOKEN, ...FAST_ENV });
  t.teardown(async () => (await exporter.close(), await server.close()));
  const scrape = await exporter.scrape();
  t.match(scrape.text, /^librenms_up 0$/m);
  t.match(exporter.logText(), /HTTP 500 on \/devices/, 'the failure is logged');
  t.same(tokenPieces(exporter.logText() + scrape.text), []);
});

t.test('more than 1,000 device groups: each is read once per TTL, not on every /sd', async (t) => {
  const state = syntheticState({ devices: 20, portsPerDevice: 1, seed: 5 });
  const groups = MAX_GROUP_MEMBER_CACHES + 500;
  for (let id = 1; id <= groups; id++) {
    state.deviceGroups.push({ id, name: `group-${id}`, desc: null, type: 'static', rules: null, pattern: null, device_ids: [((id - 1) % 20) + 1] });
  }
  const double = await startLibreNmsDouble({ state });
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '300', CACHE_MAX_AGE_SECONDS: '900' });
  t.teardown(async () => (await exporter.close(), await double.close()));
  const memberReads = (): number => requestsTo(double, /^\/api\/v0\/devicegroups\/\d+$/);
  await get(`${exporter.url}/sd`);
  await waitFor(() => memberReads() >= groups, 60_000, 'every group to be read once');
  const sd = await get(`${exporter.url}/sd`);
  t.equal(sd.status, 200);
  const listed = JSON.parse(sd.text) as { labels: Record<string, string> }[];
  t.ok(
    listed.every((g) => (g.labels['__meta_librenms_groups'] ?? '').startsWith(',group-')),
    'every device carries its groups',
  );
  await get(`${exporter.url}/sd`);
  t.equal(memberReads(), groups, `${groups} member reads in all for three /sd calls within the TTL`);
});

t.test('group names are bounded like any label: a 1 MB name, and a device in many groups', async (t) => {
  t.equal(groupsLabel([]), '');
  t.equal(groupsLabel(['a', 'b']), ',a,b,');
  const many = groupsLabel(Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(100, 'n')));
  t.ok(many.length <= MAX_GROUPS_LABEL_CHARS && many.startsWith(',') && many.endsWith(','), `${many.length} characters, whole names only`);

  const state = syntheticState({ devices: 50, portsPerDevice: 1, seed: 6 });
  const ids = state.devices.map((d) => d.device_id);
  state.deviceGroups.push({ id: 1, name: 'g'.repeat(1_000_000), desc: null, type: 'static', rules: null, pattern: null, device_ids: ids });
  for (let id = 2; id <= 101; id++) {
    state.deviceGroups.push({ id, name: `group-${id}-`.padEnd(100, 'n'), desc: null, type: 'static', rules: null, pattern: null, device_ids: [ids[0] ?? 1] });
  }
  const double = await startLibreNmsDouble({ state });
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '300' });
  t.teardown(async () => (await exporter.close(), await double.close()));
  await get(`${exporter.url}/sd`);
  await waitFor(() => requestsTo(double, /^\/api\/v0\/devicegroups\/\d+$/) >= 101, 30_000, 'every group to be read');
  const sd = await get(`${exporter.url}/sd`, { 'x-prometheus-refresh-interval-seconds': '60' });
  t.equal(sd.status, 200);
  t.ok(sd.text.length < 50 * 6_000, `${sd.text.length} characters for 50 targets in a group with a 1 MB name`);
  const listed = JSON.parse(sd.text) as { targets: string[]; labels: Record<string, string> }[];
  t.equal(listed.length, 50);
  for (const { labels } of listed) {
    for (const [name, value] of Object.entries(labels)) {
      t.ok(value.length <= (name === '__meta_librenms_groups' ? MAX_GROUPS_LABEL_CHARS : 256), `${name}: ${value.length} characters`);
    }
  }
  t.match(listed[0]?.labels['__meta_librenms_groups'], /^,g{256},(group-\d+-n+,)+$/, 'the 1 MB name cut as a label, then the others while they fit');
});

t.test('an unexpected 500 is logged with its cause', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:9', LIBRENMS_TOKEN: TOKEN });
  const { app } = buildApp({ config, logger: createLogger('info', sink) });
  app.get('/broken', async () => {
    throw new RangeError('Invalid string length');
  });
  t.teardown(() => app.close());
  const response = await app.inject('/broken');
  t.equal(response.statusCode, 500);
  const logged = lines.find((l) => l['error_code'] === 'internal_error');
  t.match(logged?.['msg'], /GET \/broken failed: Invalid string length/, 'an error line says which route failed and why');
  t.equal(logged?.['level'], 50);
  t.equal((await app.inject('/no-such-page')).statusCode, 404);
  t.equal(lines.filter((l) => l['error_code'] === 'internal_error').length, 1, 'a 404 is not an error');
});

t.test('/sd leaves out a hostname with a line break, which Prometheus cannot use as a target', async (t) => {
  const row = (id: number, hostname: string) => ({
    device_id: id,
    hostname,
    sysName: `s${id}`,
    os: 'linux',
    type: 'server',
    status: 1,
    disabled: 0,
    ignore: 0,
  });
  const raw = await startRawLibreNms(
    { '/api/v0/devices': envelope('devices', [row(1, 'good.example.net'), row(2, 'bad\nhost.example.net'), row(3, 'also\u2028bad')]) },
    TOKEN,
  );
  const exporter = await startExporter({ LIBRENMS_URL: raw.url, LIBRENMS_TOKEN: raw.token, ...FAST_ENV });
  t.teardown(async () => (await exporter.close(), await raw.close()));
  const sd = await get(`${exporter.url}/sd`);
  t.equal(sd.status, 200);
  t.same(
    (JSON.parse(sd.text) as { targets: string[] }[]).flatMap((g) => g.targets),
    ['good.example.net'],
  );
  t.match(
    exporter.logs.find((l) => l['error_code'] === 'sd_unusable_hostname')?.['msg'],
    /left out 2 device\(s\) of LibreNMS default whose hostname holds a line break/,
  );
});

t.test('/sd waits at most half the SD refresh interval: the late LibreNMS is named, then listed from its last answer', async (t) => {
  const config = { defaultScrapeTimeoutMs: 10_000, scrapeTimeoutMarginMs: 500 };
  t.equal(sdBudgetMs({ 'x-prometheus-refresh-interval-seconds': '1' }, config), 500, 'half of a 1 s interval');
  t.equal(sdBudgetMs({ 'x-prometheus-refresh-interval-seconds': '60' }, config), SD_MAX_WAIT_MS, 'a few seconds at most');
  t.equal(sdBudgetMs({}, config), SD_MAX_WAIT_MS, 'without the header too');
  t.equal(sdBudgetMs({ 'x-prometheus-refresh-interval-seconds': 'soon', 'x-prometheus-scrape-timeout-seconds': '2' }, config), 1500);

  // Time is fake: the slow LibreNMS's latency runs on one clock, the /sd deadlines on another.
  const librenms = new FakeClock();
  const deadlines = new FakeClock();
  const fast = await startLibreNmsDouble({ token: 'fast-token-aaaaaaaaaaaaaaaa' });
  const slow = await startLibreNmsDouble({ token: 'slow-token-bbbbbbbbbbbbbbbb', latencyMs: 6_000, timers: librenms });
  t.teardown(() => fast.close());
  const exporter = await startMultiInstanceExporter(
    t,
    [
      { name: 'fast', url: fast.url, tokenFileText: fast.token },
      { name: 'slow', url: slow.url, tokenFileText: slow.token },
    ],
    { CACHE_TTL_SECONDS: '0', CACHE_MAX_AGE_SECONDS: '900', REQUEST_TIMEOUT_SECONDS: '20' },
    { deadlineClock: deadlines },
  );
  // Teardowns run last added first: the slow double goes before the exporter, its sockets closed, so
  // the exporter's request to the hung instance ends at once when the exporter closes.
  t.teardown(() => slow.close());
  const instancesOf = (text: string): string[] =>
    [...new Set((JSON.parse(text) as { labels: Record<string, string> }[]).map((g) => g.labels['__meta_librenms_instance'] ?? ''))].sort();
  /** An /sd request answered at its deadline: once the fast instance is done, only the slow one's wait is left. */
  const atDeadline = async (path: string, intervalSeconds: number) => {
    let answered = false;
    const answer = get(`${exporter.url}${path}`, { 'x-prometheus-refresh-interval-seconds': String(intervalSeconds) }).then((a) => ((answered = true), a));
    const deadline = deadlines.now() + (intervalSeconds * 1000) / 2;
    await waitFor(() => deadlines.timers.length === 1 && slow.inFlight >= 1, 60_000, 'the fast instance to be listed and the slow one to be waited for');
    t.same(deadlines.timers, [deadline], `waits for the slow instance until half the ${intervalSeconds} s interval`);
    t.equal(answered, false, 'not answered before');
    deadlines.advance((intervalSeconds * 1000) / 2);
    return answer;
  };

  // 2 s to answer (half of a 4 s interval): the fast one has plenty, the slow one answers after 6 s,
  // which the old wait (the whole scrape timeout, 9.5 s) would have waited for.
  const early = await atDeadline('/sd', 4);
  t.equal(early.status, 200);
  t.same(instancesOf(early.text), ['fast'], 'the instance that answered in time is listed');
  t.equal(early.headers['x-librenms-unavailable'], 'slow', 'the late one is named');
  t.match(exporter.logs.find((l) => l['error_code'] === 'sd_failed')?.['msg'], /left out LibreNMS slow: no answer within 2 s/);

  // Its late answer arrives, and is cached for the next discovery.
  librenms.advance(6_000);
  await waitFor(() => slow.requests.some((r) => r.path === '/api/v0/devices' && r.endedAt !== undefined), 60_000, 'the slow instance to answer');
  slow.setLatency(0);
  // (Reads it started after that answer are still in their 6 s: they are let through as they come due.)
  const both = await librenms.runUntil(get(`${exporter.url}/sd`, { 'x-prometheus-refresh-interval-seconds': '60' }));
  t.same(instancesOf(both.text), ['fast', 'slow'], 'both, once the slow one answers in time');
  t.equal(both.headers['x-librenms-unavailable'], undefined);

  slow.addFault({ path: /^\/api\/v0\//, fault: { kind: 'hang' } });
  const stale = await atDeadline('/sd?type=network', 4);
  t.same(instancesOf(stale.text), ['fast', 'slow'], 'a hung instance keeps its last listed targets, so Prometheus keeps them');
  t.equal(stale.headers['x-librenms-stale'], 'slow', 'named as listed from its last answer');
  t.equal(stale.headers['x-librenms-unavailable'], undefined);
  t.ok(
    (JSON.parse(stale.text) as { labels: Record<string, string> }[]).every((g) => g.labels['__meta_librenms_type'] === 'network'),
    'the query narrows the kept answer too',
  );
  t.match(exporter.logs.find((l) => l['error_code'] === 'sd_stale')?.['msg'], /listed LibreNMS slow from its answer of \d+ s ago: no answer within 2 s/);
});
