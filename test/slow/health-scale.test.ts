/**
 * The request count of the health and wireless collectors at 2,000 devices, on a fake clock against
 * the double, with the default settings (CACHE_TTL_SECONDS 60, HEALTH_INTERVAL_SECONDS 900,
 * HEALTH_MAX_REQUESTS 1000, WIRELESS_INTERVAL_SECONDS 300, WIRELESS_MAX_REQUESTS 500): every device has
 * 2 processors, 2 memory pools and 4 storage (the reference install of docs/big-installs.md), one in
 * ten has 6 wireless sensors. Prometheus scrapes once a minute for 70 minutes. The figures printed
 * here are the ones docs/big-installs.md gives. Several minutes of real time (about 75,000 requests
 * to the double), hence the slow lane; the request timeout is raised so that a busy machine cannot fail
 * a refresh.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import { syntheticState } from '../../librenms-double/fixtures.js';
import { addSyntheticHealth } from '../../librenms-double/health.js';
import { find, valueOf } from '../helpers/exposition.js';
import { count, fakeClockExporter, MINUTE } from '../helpers/fake-clock-exporter.js';

const HEALTH = /^\/api\/v0\/devices\/\d+\/health/;
const WIRELESS = /^\/api\/v0\/devices\/\d+\/wireless/;

t.test('2,000 devices: health and wireless stay within their budgets, and every item stays served once read', async (t) => {
  const state = syntheticState({ devices: 2000, portsPerDevice: 1 });
  addSyntheticHealth(state, { processors: 2, mempools: 2, storage: 4, wirelessEvery: 10, wirelessSensors: 6 });
  const double = await startLibreNmsDouble({ version: '26.7.0', state });
  t.teardown(() => double.close());
  const selected = state.devices.filter((d) => !d.disabled);
  const items = selected.length * 8;
  const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health,wireless', REQUEST_TIMEOUT_SECONDS: '300' });
  const start = exporter.clock.now;
  const minutes = 70;
  const health: number[] = [];
  const wireless: number[] = [];
  const stale: number[] = [];
  const gaps: string[] = [];
  let firstPassDone: number | undefined;
  for (let minute = 0; minute < minutes; minute++) {
    exporter.clock.now = start + minute * MINUTE;
    const h = count(double, HEALTH);
    const logged = exporter.logs.length;
    const w = count(double, WIRELESS);
    const parsed = await exporter.scrape();
    health.push(count(double, HEALTH) - h);
    wireless.push(count(double, WIRELESS) - w);
    stale.push(valueOf(parsed, 'librenms_exporter_health_stale_items') ?? -1);
    const failures = exporter.logs
      .slice(logged)
      .filter((l) => Number(l['level']) >= 40)
      .map((l) => l['msg']);
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'health' }), 1, `minute ${minute}: health succeeds`, { failures });
    const complete = valueOf(parsed, 'librenms_exporter_health_unread_items') === 0 && valueOf(parsed, 'librenms_exporter_health_unlisted_devices') === 0;
    if (complete && firstPassDone === undefined) firstPassDone = minute;
    if (firstPassDone !== undefined) {
      const served = (['librenms_storage_usage_ratio', 'librenms_processor_usage_ratio', 'librenms_mempool_usage_ratio'] as const).reduce(
        (n, name) => n + find(parsed, name).length,
        0,
      );
      if (served !== items || !complete) gaps.push(`minute ${minute}: ${served} of ${items} items served`);
    }
  }
  const sum = (list: number[], from = 0, to = list.length): number => list.slice(from, to).reduce((a, b) => a + b, 0);
  const steadyFrom = 30;
  const healthPerHour = (sum(health, steadyFrom) * 60) / (minutes - steadyFrom);
  const wirelessPerHour = (sum(wireless, steadyFrom) * 60) / (minutes - steadyFrom);
  t.comment(`health requests per minute: ${health.join(',')}`);
  t.comment(`health stale items per minute: ${stale.join(',')}`);
  t.comment(`wireless requests per minute: ${wireless.join(',')}`);
  t.comment(
    `health: first pass of ${selected.length * 11} requests done after ${(firstPassDone ?? -1) + 1} refreshes; then ${Math.round(healthPerHour)} an hour (${(healthPerHour / 3600).toFixed(1)} per second)`,
  );
  t.comment(
    `wireless: ${sum(wireless, 0, 4)} requests in the first 4 refreshes; then ${Math.round(wirelessPerHour)} an hour (${(wirelessPerHour / 3600).toFixed(2)} per second)`,
  );
  t.ok(
    health.every((n) => n <= 1000),
    'never more than HEALTH_MAX_REQUESTS in a refresh',
  );
  t.ok(
    wireless.every((n) => n <= 500),
    'never more than WIRELESS_MAX_REQUESTS in a refresh',
  );
  const done = firstPassDone ?? minutes;
  t.ok(done < Math.ceil((selected.length * 11) / 1000), `the first pass (3 lists and 8 items per device) takes ${done + 1} refreshes at 1,000 requests`);
  t.same(gaps, [], 'from then on every item is served at every scrape: the budget keeps up within the interval plus the maximum age');
  // Items every 15 minutes and lists every hour want 4 × 8 + 3 = 35 requests per device and hour: more than 1,000 a minute.
  const wanted = selected.length * 35;
  t.ok(
    healthPerHour <= Math.min(wanted, 60_000),
    `the steady rate (${Math.round(healthPerHour)} an hour) is at most what the intervals ask and the budget allows`,
  );
  t.ok(healthPerHour >= 0.95 * Math.min(wanted, 60_000), 'and the budget is used');
  t.ok(Math.max(...stale) < items / 2, 'items wait at most a few minutes past their interval');
  const withSensors = selected.filter((d) => d.device_id % 10 === 0).length;
  t.equal(sum(wireless, 0, 4), selected.length, 'wireless: one request per device first');
  // Devices with sensors every 5 minutes, the others (404: none) every 20.
  const wirelessWanted = withSensors * 12 + (selected.length - withSensors) * 3;
  t.ok(
    Math.abs(wirelessPerHour - wirelessWanted) <= 0.1 * wirelessWanted,
    `wireless: ${Math.round(wirelessPerHour)} an hour, as the intervals ask (${wirelessWanted})`,
  );
});
