/**
 * Hostile clients (issue 13), over real HTTP on 127.0.0.1: a flood of password guesses, strict
 * `Authorization` parsing, `Accept-Encoding: gzip;q=0`, and endless distinct `?group=` names. Every
 * flood is bounded in count; no timing is asserted (test/slow/auth-flood.test.ts times a flood).
 */
import bcrypt from 'bcryptjs';
import t from 'tap';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { credentialChecker, parseAuthorization } from '../src/http/auth.js';
import { acceptsGzip } from '../src/http/send.js';
import { MAX_UNVERIFIED_GROUPS } from '../src/inventory/inventory.js';
import { startExporter } from './helpers/exporter.js';
import { heapAfterGc } from './helpers/gc.js';
import { SCRAPE_TOKEN, startProtectedPair } from './helpers/harness.js';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
  const response = await request(url, { headers });
  await response.body.dump();
  return { status: response.statusCode, headers: response.headers };
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test('Authorization is parsed strictly', async (t) => {
  t.same(parseAuthorization('Bearer abc.def'), { scheme: 'bearer', credentials: 'abc.def' });
  t.same(parseAuthorization('Basic dXNlcjpwdw=='), { scheme: 'basic', credentials: 'dXNlcjpwdw==' });
  for (const header of ['Bearer abc junk', 'Bearer', 'Bearer abc,def', 'Basic a b', 'Bearer a=b', '']) {
    t.equal(parseAuthorization(header), undefined, JSON.stringify(header));
  }
});

t.test('Accept-Encoding q=0 refuses gzip', async (t) => {
  t.equal(acceptsGzip('gzip'), true);
  t.equal(acceptsGzip('gzip;q=0'), false);
  t.equal(acceptsGzip('gzip; q=0.0'), false);
  t.equal(acceptsGzip('gzip;q=0, *'), false, 'gzip refused by name, whatever * says');
  t.equal(acceptsGzip('br, *;q=0.5'), true);
  t.equal(acceptsGzip('*;q=0'), false);
  t.equal(acceptsGzip(undefined), false);
  const double = await startLibreNmsDouble({});
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
  });
  t.equal((await get(`${exporter.url}/metrics`, { 'accept-encoding': 'gzip;q=0' })).headers['content-encoding'], undefined);
  t.equal((await get(`${exporter.url}/metrics`, { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');
});

t.test('failed logins cannot evict the valid one, and excess checks are shed before hashing', async (t) => {
  const web = { tls: undefined, basicAuthUsers: new Map([['prometheus', bcrypt.hashSync('right', 8)]]), bearerToken: undefined };
  const check = credentialChecker(web, { maxPending: 1, maxCached: 2 });
  t.teardown(() => check.close());
  t.equal(await check(basic('prometheus', 'right')), 'ok');
  for (let i = 0; i < 20; i++) t.equal(await check(basic('prometheus', `wrong-${i}`)), 'denied');
  const slow = check(basic('prometheus', 'still-wrong'));
  t.equal(await check(basic('nobody', 'x')), 'busy', 'the queue is full: shed without hashing');
  t.equal(await check(basic('prometheus', 'right')), 'ok', 'the valid login is still cached');
  t.equal(await slow, 'denied');
  t.equal(await check('Bearer whatever'), 'denied', 'no bearer token configured');
});

t.test('an unknown user costs the same bcrypt check as a wrong password, so failures take as long for any user', async (t) => {
  const hash = bcrypt.hashSync('correct horse', 10);
  const web = { tls: undefined, basicAuthUsers: new Map([['prometheus', hash]]), bearerToken: undefined };
  const compared: string[] = [];
  const check = credentialChecker(web, {
    compare: async (password, against) => {
      compared.push(against);
      return bcrypt.compareSync(password, against);
    },
  });
  t.teardown(() => check.close());
  t.equal(await check(basic('prometheus', 'guess'), '10.0.0.1'), 'denied');
  t.equal(await check(basic('nobody', 'guess'), '10.0.0.1'), 'denied');
  t.equal(await check(basic('', 'guess'), '10.0.0.1'), 'denied', 'an empty user name too');
  t.equal(compared.length, 3, 'one comparison each');
  t.equal(compared[0], hash, "a wrong password is compared with the user's hash");
  for (const dummy of compared.slice(1)) {
    t.not(dummy, hash, "an unknown user is compared with a stand-in, never a real user's hash");
    t.equal(dummy.slice(0, 7), hash.slice(0, 7), 'of the same bcrypt version and cost ($2b$10$)');
    t.equal(dummy.length, hash.length);
  }
});

t.test('an authentication flood: scrapes and /healthz keep answering, every guess is refused or shed', async (t) => {
  // A low bcrypt cost keeps the flood quick; test/slow/auth-flood.test.ts times one of cost 10.
  const { exporter } = await startProtectedPair(t, 4);
  const metrics = `${exporter.url}/metrics`;
  const valid = { authorization: basic('prometheus', 'correct horse'), 'x-prometheus-scrape-timeout-seconds': '5' };
  t.equal((await get(metrics, valid)).status, 200, 'the valid login works (and is now cached)');
  t.equal((await get(metrics, { authorization: `Bearer ${SCRAPE_TOKEN} junk` })).status, 401, 'a bearer token with trailing junk is refused');
  t.equal((await get(metrics, { authorization: `Bearer ${SCRAPE_TOKEN}` })).status, 200);
  t.equal((await get(metrics, { authorization: basic('prometheus', 'guess') })).status, 401, 'a wrong password');
  t.equal((await get(metrics, { authorization: basic('user-1', 'guess') })).status, 401, 'an unknown user');

  // The flood: 60 guesses at once, half for the real user, while Prometheus scrapes and Docker checks health.
  const floodStatuses = new Map<number, number>();
  const flood = Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      get(metrics, { authorization: basic(i % 2 === 0 ? 'prometheus' : `nobody-${i}`, `random-${i}`) }).then(
        (r) => void floodStatuses.set(r.status, (floodStatuses.get(r.status) ?? 0) + 1),
      ),
    ),
  );
  const during = await Promise.all(Array.from({ length: 5 }, () => Promise.all([get(metrics, valid), get(`${exporter.url}/healthz`)])));
  await flood;
  t.same(
    during.map(([scrape]) => scrape.status),
    [200, 200, 200, 200, 200],
    'every valid scrape during the flood answered 200',
  );
  t.same(
    during.map(([, health]) => health.status),
    [200, 200, 200, 200, 200],
    '/healthz too',
  );
  t.same(
    [...floodStatuses.keys()].filter((s) => s !== 401 && s !== 429),
    [],
    `guesses are refused (401) or shed (429): ${JSON.stringify([...floodStatuses])}`,
  );
  t.equal(
    [...floodStatuses.values()].reduce((a, b) => a + b, 0),
    60,
    'every guess answered',
  );
});

t.test('10,000 distinct group names cost a bounded number of LibreNMS requests and bounded memory', async (t) => {
  const double = await startLibreNmsDouble({});
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '60' });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
  });
  t.equal((await get(`${exporter.url}/metrics?group=core`)).status, 200, 'a listed group, in any case');
  t.equal((await get(`${exporter.url}/metrics?group=CORE`)).status, 200);
  const scopesBefore = exporter.runtime.instances[0]?.scopeCount ?? 0;
  double.resetStats();
  const before = heapAfterGc();
  const mark = exporter.logs.length;
  const statuses = new Map<number, number>();
  for (let i = 0; i < 10_000; i += 50) {
    const batch = Array.from({ length: 50 }, (_, j) => i + j);
    for (const r of await Promise.all(batch.map((n) => get(`${exporter.url}/${n % 2 === 0 ? 'metrics' : 'sd'}?group=no-such-group-${n}`)))) {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  }
  t.same([...statuses], [[400, 10_000]], 'every unknown name refused');
  t.ok(double.requests.length <= 2, `${double.requests.length} LibreNMS requests for 10,000 names`);
  t.equal(exporter.runtime.instances[0]?.scopeCount, scopesBefore, 'no cache made for them');
  t.ok(exporter.logs.length - mark < 50, `${exporter.logs.length - mark} log lines`);
  const grown = heapAfterGc() - before;
  t.ok(grown < 24 * 1024 * 1024, `heap bounded (${(grown / 1e6).toFixed(1)} MB more)`);
});

t.test('while /devicegroups answers 500, unchecked group names are rate-bounded', async (t) => {
  const double = await startLibreNmsDouble({});
  double.addFault({ path: '/api/v0/devicegroups', fault: { kind: 'status', status: 500 } });
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '60' });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
  });
  const statuses = new Map<number, number>();
  for (let i = 0; i < 1_000; i += 50) {
    const batch = Array.from({ length: 50 }, (_, j) => i + j);
    for (const r of await Promise.all(batch.map((n) => get(`${exporter.url}/metrics?group=guess-${n}`))))
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  }
  const lookups = double.requests.filter((r) => r.path.startsWith('/api/v0/devicegroups/')).length;
  t.ok(lookups <= MAX_UNVERIFIED_GROUPS, `${lookups} member lookups for 1,000 names (at most ${MAX_UNVERIFIED_GROUPS} per window)`);
  t.ok((statuses.get(503) ?? 0) >= 1_000 - MAX_UNVERIFIED_GROUPS, `the rest answered 503: ${JSON.stringify([...statuses])}`);
  t.ok((exporter.runtime.instances[0]?.scopeCount ?? 0) <= MAX_UNVERIFIED_GROUPS + 1, 'scopes bounded');
  const warnings = exporter.logs.filter((l) => typeof l['level'] === 'number' && l['level'] >= 40).length;
  t.ok(warnings < 100, `${warnings} warnings logged`);
});
