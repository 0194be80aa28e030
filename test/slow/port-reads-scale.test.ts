/**
 * A 5,000-device install whose bulk /ports always fails, scraped every 15 s for 7 minutes on a fake
 * clock: per-device reads stay within PORTS_MAX_DEVICE_READS per refresh and one refresh per TTL, bulk
 * is retried on its backoff, and each refresh reads 500 devices not read before. About half a minute of
 * real time (7 device lists of 5,000 devices and 3,500 per-device requests to the double), hence the
 * slow lane.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import { syntheticState } from '../../librenms-double/fixtures.js';
import { valueOf } from '../helpers/exposition.js';
import { BULK, count, fakeClockExporter, MINUTE, PER_DEVICE } from '../helpers/fake-clock-exporter.js';

t.test('a 5,000-device install with bulk failing stays within PORTS_MAX_DEVICE_READS per refresh and one refresh per TTL', async (t) => {
  const double = await startLibreNmsDouble({ state: syntheticState({ devices: 5000, portsPerDevice: 1 }) });
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { CACHE_TTL_SECONDS: '60', CACHE_MAX_AGE_SECONDS: '900', CONCURRENCY: '8' });
  double.addFault({ path: BULK, fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' } });
  const start = exporter.clock.now;
  const perMinute: number[] = [];
  const unread: (number | undefined)[] = [];
  // Prometheus scrapes every 15 s.
  for (let minute = 0; minute < 7; minute++) {
    const before = count(double, PER_DEVICE);
    for (let quarter = 0; quarter < 4; quarter++) {
      exporter.clock.now = start + minute * MINUTE + quarter * 15_000;
      const parsed = await exporter.scrape();
      if (quarter === 0) unread.push(valueOf(parsed, 'librenms_exporter_ports_unread_devices'));
    }
    perMinute.push(count(double, PER_DEVICE) - before);
  }
  t.same(perMinute, [500, 500, 500, 500, 500, 500, 500], 'PORTS_MAX_DEVICE_READS (500) per-device requests a minute at the defaults, no more');
  t.equal(count(double, '/api/v0/devices'), 7, 'one device list a minute: one refresh per TTL');
  t.equal(count(double, BULK), 2, 'bulk at 0 and after 5 minutes');
  const steps = unread.slice(1).map((n, i) => (unread[i] ?? 0) - (n ?? 0));
  t.same(steps, [500, 500, 500, 500, 500, 500], 'each refresh reads 500 devices not read before');
});
