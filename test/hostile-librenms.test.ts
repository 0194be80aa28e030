/**
 * A hostile or unlucky LibreNMS (issue 13), over real HTTP on 127.0.0.1: a body that never ends, a
 * huge `Retry-After`, an unreachable or hanging instance during service discovery, install-wide reads
 * shared by probe targets, absurd durations in the config, and an all-digit hostname. Every flood is
 * bounded in count; waits are checked on fake clocks, never by timing.
 */

import t from 'tap';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { loadConfig } from '../src/config/env.js';
import { ConfigError, LibreNmsError } from '../src/errors.js';
import { scrapeBudgetMs } from '../src/http/deadline.js';
import { retryAfterCaps } from '../src/librenms/client.js';
import { retryAfterMsOf } from '../src/refresh/refresher.js';
import { startExporter } from './helpers/exporter.js';
import { valueOf as sampleValue } from './helpers/exposition.js';
import { FakeClock } from './helpers/fake-clock.js';
import { heapAfterGc } from './helpers/gc.js';
import { envelope, FAST_ENV, listenTracked, logsSince, requestsTo, startMultiInstanceExporter, startRawLibreNms, waitFor } from './helpers/harness.js';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const response = await request(url, { headers });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

const THIRTY_DAYS = '2592000';

t.test('absurd durations are config errors, and the scrape timeout header is capped', async (t) => {
  const base = { LIBRENMS_URL: 'http://127.0.0.1:8000', LIBRENMS_TOKEN: 'abc' };
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig({ ...base, ...env });
      return '';
    } catch (error) {
      t.type(error, ConfigError);
      return (error as ConfigError).problems.join('\n');
    }
  };
  t.match(problems({ REQUEST_TIMEOUT_SECONDS: THIRTY_DAYS }), /REQUEST_TIMEOUT_SECONDS must be a number from 0\.001 to 600/);
  t.match(problems({ DEFAULT_SCRAPE_TIMEOUT_SECONDS: THIRTY_DAYS }), /DEFAULT_SCRAPE_TIMEOUT_SECONDS must be a number from 0\.1 to 600/);
  t.match(problems({ CACHE_TTL_SECONDS: THIRTY_DAYS, CACHE_MAX_AGE_SECONDS: THIRTY_DAYS }), /CACHE_TTL_SECONDS must be/);
  t.match(problems({ SCRAPE_TIMEOUT_MARGIN_SECONDS: THIRTY_DAYS }), /SCRAPE_TIMEOUT_MARGIN_SECONDS must be/);
  t.match(problems({ LIBRENMS_MAX_RESPONSE_BYTES: '10' }), /LIBRENMS_MAX_RESPONSE_BYTES must be a whole number from 1024 to 512000000/);
  t.match(problems({ LIBRENMS_MAX_RESPONSE_BYTES: '1e12' }), /LIBRENMS_MAX_RESPONSE_BYTES must be/);
  t.equal(
    problems({ REQUEST_TIMEOUT_SECONDS: '600', DEFAULT_SCRAPE_TIMEOUT_SECONDS: '600', LIBRENMS_MAX_RESPONSE_BYTES: '1048576' }),
    '',
    'the bounds themselves are fine',
  );
  t.equal(loadConfig(base).maxResponseBytes, 256 * 1024 * 1024, 'default response limit: 256 MiB');
  const config = { defaultScrapeTimeoutMs: 10_000, scrapeTimeoutMarginMs: 500 };
  t.equal(scrapeBudgetMs(THIRTY_DAYS, config), 600_000 - 500, 'the header is capped at 600 s');
  t.equal(scrapeBudgetMs('1e400', config), 10_000 - 500, 'an infinite header falls back to the default');
});

t.test('a LibreNMS body that never ends is abandoned at the limit; memory comes back; the exporter recovers', async (t) => {
  const LIMIT = 8 * 1024 * 1024;
  const double = await startLibreNmsDouble({});
  let hostile = false;
  const written: number[] = [];
  // In front of the double: passes requests through, or answers /devices with an endless list.
  const front = await listenTracked((req, res) => {
    req.resume();
    const path = req.url ?? '/';
    if (hostile && path.startsWith('/api/v0/devices')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const row = Buffer.from(`${JSON.stringify({ device_id: 1, hostname: 'x'.repeat(200), sysName: 'y'.repeat(200) })},`);
      let sent = 0;
      let closed = false;
      res.on('close', () => {
        closed = true;
        written.push(sent);
      });
      res.write('{"status":"ok","devices":[');
      // Bounded even if the exporter never stopped reading: 1 GB at most.
      const pump = (): void => {
        while (!closed && sent < 1e9) {
          sent += row.length;
          if (!res.write(row)) return void res.once('drain', pump);
        }
        if (!closed) res.end(']}');
      };
      pump();
      return;
    }
    void request(`${double.url}${path}`, { headers: { 'x-auth-token': String(req.headers['x-auth-token'] ?? '') } }).then(async (answer) => {
      res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
      res.end(Buffer.from(await answer.body.arrayBuffer()));
    });
  });
  const exporter = await startExporter({
    LIBRENMS_URL: front.url,
    LIBRENMS_TOKEN: double.token,
    ...FAST_ENV,
    REQUEST_TIMEOUT_SECONDS: '20',
    LIBRENMS_MAX_RESPONSE_BYTES: String(LIMIT),
  });
  t.teardown(async () => {
    await exporter.close();
    await front.close();
    await double.close();
  });
  t.equal(sampleValue((await exporter.scrape()).parsed, 'librenms_up'), 1, 'healthy first');
  const before = heapAfterGc();

  hostile = true;
  const mark = exporter.logs.length;
  for (let i = 0; i < 5; i++) {
    const { parsed } = await exporter.scrape({ 'x-prometheus-scrape-timeout-seconds': '20' });
    t.equal(sampleValue(parsed, 'librenms_up'), 0, `hostile refresh ${i + 1} fails cleanly`);
  }
  await waitFor(() => written.length >= 5, 60_000, 'the hostile bodies to be abandoned');
  for (const sent of written) t.ok(sent < LIMIT + 32 * 1024 * 1024, `the body was abandoned near the limit (${(sent / 1e6).toFixed(1)} MB sent)`);
  const warning = logsSince(exporter, mark).find((l) => typeof l['msg'] === 'string' && l['msg'].includes('LIBRENMS_MAX_RESPONSE_BYTES'));
  t.match(
    warning?.['msg'],
    new RegExp(`LibreNMS answered /devices with more than ${LIMIT} bytes; the rest was not read: raise LIBRENMS_MAX_RESPONSE_BYTES for a very large install`),
    'the error names the endpoint, the limit and the setting',
  );
  const after = heapAfterGc();
  t.ok(after - before < 48 * 1024 * 1024, `heap back near where it was (${((after - before) / 1e6).toFixed(1)} MB more)`);

  hostile = false;
  const { parsed } = await exporter.scrape();
  t.equal(sampleValue(parsed, 'librenms_up'), 1, 'recovers when LibreNMS does');
});

for (const status of [429, 503]) {
  t.test(`one Retry-After: 31536000 on a ${status}: LibreNMS is asked again within the cap`, async (t) => {
    const double = await startLibreNmsDouble({});
    // On a fake wall clock, with deadlines that never pass (each scrape answers once its refresh ended).
    const wall = new FakeClock(1_800_000_000_000);
    // CACHE_MAX_AGE_SECONDS 4: the cap is half of it, 2 s.
    const exporter = await startExporter(
      {
        LIBRENMS_URL: double.url,
        LIBRENMS_TOKEN: double.token,
        CACHE_TTL_SECONDS: '0',
        CACHE_MAX_AGE_SECONDS: '4',
        REQUEST_TIMEOUT_SECONDS: '2',
      },
      { now: wall.now, deadlineClock: new FakeClock() },
    );
    t.teardown(async () => {
      await exporter.close();
      await double.close();
    });
    double.addFault({ path: '/api/v0/devices', fault: { kind: 'status', status, headers: { 'Retry-After': '31536000' } }, times: 1 });
    const mark = exporter.logs.length;
    t.equal(sampleValue((await exporter.scrape()).parsed, 'librenms_up'), 0);
    t.equal(requestsTo(double, '/api/v0/devices'), 1);
    await exporter.scrape();
    t.equal(requestsTo(double, '/api/v0/devices'), 1, 'the (capped) wait is honoured');
    t.match(
      logsSince(exporter, mark)
        .map((l) => l['msg'])
        .join('\n'),
      /it asked for 31536000 s, capped at 2 s/,
      'the log says the wait was capped',
    );
    wall.advance(1_999);
    t.equal(sampleValue((await exporter.scrape()).parsed, 'librenms_up'), 0);
    t.equal(requestsTo(double, '/api/v0/devices'), 1, 'not asked again before the cap (2 s)');
    wall.advance(1);
    t.equal(sampleValue((await exporter.scrape()).parsed, 'librenms_up'), 1, 'asked again at the cap, and back up');
    t.equal(requestsTo(double, '/api/v0/devices'), 2);
  });
}

t.test('Retry-After bounds: never past half the max age, 30 s on a 5xx, 300 s at most on a 429 (the client is the one cap)', async (t) => {
  t.same(retryAfterCaps(900_000), { rateLimited: 300, serverError: 30 });
  t.same(retryAfterCaps(4_000), { rateLimited: 2, serverError: 2 });
  const error = (status: number, seconds: number) => new LibreNmsError('http_error', 'x', { endpoint: '/devices', status, retryAfterSeconds: seconds });
  t.equal(retryAfterMsOf(error(429, 3)), 3_000, 'the refresh waits what the client passed on');
  t.equal(retryAfterMsOf(new Error('x')), 0);
});

t.test('/sd lists the healthy instances within the budget while one is unreachable and one hangs', async (t) => {
  const deadlines = new FakeClock();
  const healthy = await startLibreNmsDouble({ token: 'healthy-token-aaaaaaaaaaaa' });
  let hangingAsked = 0;
  const hanging = await listenTracked((req) => (hangingAsked++, req.resume()));
  const gone = await listenTracked(() => undefined);
  const goneUrl = gone.url;
  await gone.close();
  // Teardowns run last added first: the hanging server goes first, its sockets closed, so the
  // exporter's requests to it end at once when the exporter closes; the healthy double goes last.
  t.teardown(() => healthy.close());
  const exporter = await startMultiInstanceExporter(
    t,
    [
      { name: 'healthy', url: healthy.url, tokenFileText: healthy.token },
      { name: 'hanging', url: hanging.url, tokenFileText: 'any-token-bbbbbbbbbbbbbbbb' },
      { name: 'gone', url: goneUrl, tokenFileText: 'any-token-bbbbbbbbbbbbbbbb' },
    ],
    { REQUEST_TIMEOUT_SECONDS: '20' },
    { deadlineClock: deadlines },
  );
  t.teardown(() => hanging.close());
  let answered = false;
  const answer = get(`${exporter.url}/sd`, { 'x-prometheus-scrape-timeout-seconds': '2' }).then((a) => ((answered = true), a));
  // The budget: 2 s minus the 0.5 s margin. Once the healthy and the gone instance are done, only the
  // wait for the hanging one is left.
  const deadline = deadlines.now() + 1500;
  await waitFor(() => deadlines.timers.length === 1 && hangingAsked >= 1, 60_000, 'the hanging instance to be waited for');
  t.same(deadlines.timers, [deadline], 'the hanging instance is waited for until the budget is spent');
  t.equal(answered, false, 'not answered before');
  deadlines.advance(1500);
  const sd = await answer;
  t.equal(sd.status, 200, 'answered at the deadline, within the budget');
  const groups = JSON.parse(sd.text) as { targets: string[]; labels: Record<string, string> }[];
  t.ok(groups.length > 0, 'the healthy instance is listed');
  t.ok(groups.every((g) => g.labels['__meta_librenms_instance'] === 'healthy'));
  t.same(String(sd.headers['x-librenms-unavailable']).split(',').sort(), ['gone', 'hanging'], 'the others are named in the header');
  t.ok(
    exporter.logs.some((l) => l['error_code'] === 'sd_failed' && l['librenms_instance'] === 'gone'),
    'and in the log',
  );
  const none = await get(`${exporter.url}/sd?instance=gone`, { 'x-prometheus-scrape-timeout-seconds': '2' });
  t.equal(none.status, 503, 'nothing to list: 503, so Prometheus keeps its targets');
});

t.test('50 /probe targets cost one /alerts and one /resources/sensors read per TTL', async (t) => {
  const double = await startLibreNmsDouble({ state: syntheticState({ devices: 50, portsPerDevice: 2, seed: 3 }) });
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '300', CACHE_MAX_AGE_SECONDS: '900' });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
  });
  const sd = JSON.parse((await get(`${exporter.url}/sd`)).text) as { targets: string[] }[];
  const targets = sd.flatMap((g) => g.targets);
  t.equal(targets.length, 50);
  for (let i = 0; i < targets.length; i += 10) {
    const answers = await Promise.all(targets.slice(i, i + 10).map((target) => get(`${exporter.url}/probe?target=${encodeURIComponent(target)}`)));
    for (const a of answers) t.equal(a.status, 200);
  }
  t.equal(exporter.runtime.instances[0]?.scopeCount, 51, 'one scope per target, and the whole install');
  t.equal(requestsTo(double, '/api/v0/alerts'), 1, 'one /alerts read');
  t.equal(requestsTo(double, '/api/v0/resources/sensors'), 1, 'one /resources/sensors read');
  t.equal(requestsTo(double, '/api/v0/devices'), 1, 'one /devices read');
});

t.test('an all-digit hostname listed by /sd is accepted by /probe', async (t) => {
  const raw = await startRawLibreNms({
    // Old LibreNMS installs may write an all-digit hostname as a JSON number.
    '/api/v0/devices': envelope('devices', [
      { device_id: 1, hostname: 12345, sysName: 'numeric', os: 'linux', type: 'server', status: 1, disabled: 0, ignore: 0 },
      { device_id: 2, hostname: '67890', sysName: 'digits', os: 'linux', type: 'server', status: 1, disabled: 0, ignore: 0 },
    ]),
  });
  const exporter = await startExporter({ LIBRENMS_URL: raw.url, LIBRENMS_TOKEN: raw.token, ...FAST_ENV });
  t.teardown(async () => {
    await exporter.close();
    await raw.close();
  });
  const sd = JSON.parse((await get(`${exporter.url}/sd`)).text) as { targets: string[] }[];
  const targets = sd.flatMap((g) => g.targets).sort();
  t.same(targets, ['12345', '67890']);
  for (const target of targets) {
    const probe = await get(`${exporter.url}/probe?target=${target}`);
    t.equal(probe.status, 200, `/probe?target=${target} is accepted`);
    t.match(probe.text, /^librenms_up 1$/m);
  }
  t.equal((await get(`${exporter.url}/probe?target=11111`)).status, 400, 'an unknown one is still refused');
});
