/**
 * One deadline per request: `/probe` and `/metrics?group=` spend part of Prometheus's scrape timeout on
 * the inventory or group check, and must not start a fresh budget for the refresh after it. Under a
 * slow or hanging LibreNMS they answer inside the timeout header (minus nothing: the margin is ours).
 */
import t from 'tap';
import { request } from 'undici';
import { Deadline } from '../src/deadline.js';
import { scrapeBudgetMs } from '../src/http/deadline.js';
import { setupPair } from './helpers/harness.js';

/** GET `url` with Prometheus's timeout header, timed to the end of the body. */
async function timedGet(url: string): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await request(url, { headers: HEADER });
  const text = await response.body.text();
  return { status: response.statusCode, text, ms: performance.now() - started };
}

const TIMEOUT_SECONDS = 2.5;
const HEADER = { 'x-prometheus-scrape-timeout-seconds': String(TIMEOUT_SECONDS) };

t.test('Deadline: remaining time, expiry and race', async (t) => {
  const expired = new Deadline(0);
  t.equal(expired.expired, true);
  t.equal(await expired.race(new Promise((resolve) => setTimeout(resolve, 10, 'late'))), undefined, 'an expired deadline waits for nothing');
  const soon = new Deadline(50);
  t.ok(soon.remainingMs() > 0 && soon.remainingMs() <= 50);
  t.equal(await soon.race(Promise.resolve('now')), 'now');
  t.equal(await soon.race(new Promise((resolve) => setTimeout(resolve, 500, 'late'))), undefined, 'past the deadline: undefined');
  t.ok(soon.remainingMs() < 5, 'the time is (nearly) up: timers may fire a millisecond early');
  await t.resolves(new Deadline(10).race(Promise.reject(new Error('late failure'))).catch(() => undefined));
});

t.test('scrape budget: the header, capped, minus the margin; the default without a usable header', async (t) => {
  const config = { defaultScrapeTimeoutMs: 10_000, scrapeTimeoutMarginMs: 500 };
  t.equal(scrapeBudgetMs('2.5', config), 2000);
  t.equal(scrapeBudgetMs(undefined, config), 9500);
  t.equal(scrapeBudgetMs('nonsense', config), 9500);
  t.equal(scrapeBudgetMs('-1', config), 9500);
  t.equal(scrapeBudgetMs('31536000', config), 600_000 - 500, 'an absurd header is capped at 600 s');
  t.equal(scrapeBudgetMs('0.2', config), 0, 'never negative');
});

for (const [what, path] of [
  ['/probe', '/probe?target=192.168.56.10'],
  ['/metrics?group=', '/metrics?group=Lab'],
] as const) {
  t.test(`${what} with LibreNMS at 1.5 s per request answers inside a ${TIMEOUT_SECONDS} s timeout`, async (t) => {
    const { double, exporter } = await setupPair(
      t,
      { CACHE_TTL_SECONDS: '0', REQUEST_TIMEOUT_SECONDS: '10', SCRAPE_TIMEOUT_MARGIN_SECONDS: '0.5' },
      { latencyMs: 1500 },
    );
    const scrape = await timedGet(`${exporter.url}${path}`);
    t.equal(scrape.status, 200);
    t.ok(scrape.ms < TIMEOUT_SECONDS * 1000, `answered in ${Math.round(scrape.ms)} ms, inside ${TIMEOUT_SECONDS} s`);
    t.ok(double.requests.length >= 1, 'LibreNMS was asked');
  });

  t.test(`${what} during a LibreNMS hang answers inside a ${TIMEOUT_SECONDS} s timeout`, async (t) => {
    const { double, exporter } = await setupPair(t, { CACHE_TTL_SECONDS: '0', REQUEST_TIMEOUT_SECONDS: '10', SCRAPE_TIMEOUT_MARGIN_SECONDS: '0.5' });
    const warm = await timedGet(`${exporter.url}${path}`);
    t.equal(warm.status, 200, 'a first scrape while LibreNMS answers');
    double.addFault({ path: /^\/api\/v0\//, fault: { kind: 'hang' } });
    const scrape = await timedGet(`${exporter.url}${path}`);
    t.equal(scrape.status, 200);
    t.ok(scrape.ms < TIMEOUT_SECONDS * 1000, `answered in ${Math.round(scrape.ms)} ms, inside ${TIMEOUT_SECONDS} s`);
    t.match(scrape.text, /librenms_port_up\{/, 'with the last good data');
    double.clearFaults();
  });
}
