/**
 * Load: 200 concurrent scrapes while LibreNMS is slow. Exactly one refresh goes upstream, and every
 * scrape is answered 200 with the data of that refresh (or the last good data when the refresh is slower
 * than the scrape timeout, sent as the header, as Prometheus does). How long the answers took is reported,
 * not asserted: that an answer never waits past its deadline is deadline.test.ts's, on a fake clock.
 */
import t from 'tap';
import { find, parseExposition, valueOf } from '../helpers/exposition.js';
import { identityProblems, rawScrape, requestsTo, scrapeWithin, setupPair, sleep, waitFor } from '../helpers/harness.js';

const SCRAPES = 200;
const TIMEOUT_SECONDS = 3;

async function burst(url: string) {
  const headers = { 'x-prometheus-scrape-timeout-seconds': String(TIMEOUT_SECONDS) };
  return Promise.all(Array.from({ length: SCRAPES }, (_, i) => rawScrape(url, i % 2 === 0 ? headers : { ...headers, 'accept-encoding': 'gzip' })));
}

t.test(`${SCRAPES} concurrent scrapes during a refresh slower than their budget: last good data, one refresh`, async (t) => {
  const { double, exporter } = await setupPair(t, {
    PORTS_STRATEGY: 'bulk',
    CACHE_TTL_SECONDS: '1',
    REQUEST_TIMEOUT_SECONDS: '10',
    SCRAPE_TIMEOUT_MARGIN_SECONDS: '0.8',
  });
  const warm = await scrapeWithin(exporter, TIMEOUT_SECONDS);
  const portSeries = find(warm.parsed, 'librenms_port_up').length;
  t.ok(portSeries > 10, 'warm cache');
  double.setLatency(1500); // /devices then /ports: a 3 s refresh, longer than the 2.5 s budget
  await sleep(1100); // past the TTL
  double.resetStats();

  const results = await burst(exporter.url);
  t.equal(results.filter((r) => r.status === 200).length, SCRAPES, 'all answered 200');
  const slowest = Math.max(...results.map((r) => r.ms));
  t.comment(`slowest answer ${Math.round(slowest)} ms (scrape timeout ${TIMEOUT_SECONDS} s)`);
  t.ok(Math.min(...results.map((r) => r.ms)) >= 2000, 'each waited for the refresh up to its budget');
  t.equal(requestsTo(double, '/api/v0/devices'), 1, 'exactly one /devices request upstream');
  let withData = 0;
  for (const r of results) {
    const parsed = parseExposition(r.raw.toString('utf8'));
    if (find(parsed, 'librenms_port_up').length === portSeries && valueOf(parsed, 'librenms_up') === 1) withData++;
  }
  t.equal(withData, SCRAPES, 'every answer carries the last good data');

  await waitFor(() => exporter.logs.some((l) => l['msg'] === 'refresh from LibreNMS complete'), 5000, 'the slow refresh');
  t.equal(requestsTo(double, '/api/v0/ports'), 1, 'and exactly one /ports request');
});

t.test(`${SCRAPES} concurrent scrapes on a cold start, refresh within the budget: all get fresh data`, async (t) => {
  const { double, exporter } = await setupPair(t, { PORTS_STRATEGY: 'bulk', CACHE_TTL_SECONDS: '60', REQUEST_TIMEOUT_SECONDS: '10' }, { latencyMs: 400 });
  const results = await burst(exporter.url);
  t.equal(results.filter((r) => r.status === 200).length, SCRAPES, 'all answered 200');
  const slowest = Math.max(...results.map((r) => r.ms));
  t.comment(`slowest answer ${Math.round(slowest)} ms (scrape timeout ${TIMEOUT_SECONDS} s)`);
  t.equal(requestsTo(double, '/api/v0/devices'), 1, 'exactly one /devices request');
  t.equal(requestsTo(double, '/api/v0/ports'), 1, 'exactly one /ports request');
  const first = parseExposition(results[0]?.raw.toString('utf8') ?? '');
  t.same(identityProblems(first), []);
  const expected = find(first, 'librenms_port_up').length;
  t.ok(expected > 10, `${expected} port series`);
  let fresh = 0;
  for (const r of results) {
    const parsed = parseExposition(r.raw.toString('utf8'));
    if (valueOf(parsed, 'librenms_up') === 1 && find(parsed, 'librenms_port_up').length === expected) fresh++;
  }
  t.equal(fresh, SCRAPES, 'every scrape got the data of the one refresh');
});
