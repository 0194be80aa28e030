/**
 * How ports are read when bulk `/ports` fails, on a fake clock: a timeout falls back to per-device
 * reads like a 5xx, bulk is tried again after exponentially growing waits, per-device reads per
 * refresh are capped (the rest served from earlier reads and counted). The 5,000-device rate test is
 * in test/slow/port-reads-scale.test.ts.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { BULK_RETRY_FIRST_MS } from '../src/collectors/port-reads.js';
import { find, valueOf } from './helpers/exposition.js';
import { BULK, count, fakeClockExporter, MINUTE, PER_DEVICE } from './helpers/fake-clock-exporter.js';

t.test('a bulk /ports timeout falls back to per-device reads in the same refresh, like a 5xx', async (t) => {
  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { PORTS_STRATEGY: 'bulk', REQUEST_TIMEOUT_SECONDS: '2' });
  double.addFault({ path: BULK, fault: { kind: 'hang' } });
  const parsed = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1, 'every device was read');
  t.ok(find(parsed, 'librenms_port_up').length > 5, 'ports are served');
  t.equal(count(double, BULK), 1, 'bulk was tried once');
  t.ok(count(double, PER_DEVICE) >= 3, 'then per device');
  const warning = exporter.logs.find((l) => l['collector'] === 'ports' && l['error_code'] === 'timeout');
  t.match(String(warning?.['msg']), /LibreNMS failed the bulk \/ports read \(timeout: .*\); reading ports device by device instead, and bulk again in 5 min/);
  t.equal(exporter.logs.find((l) => l['msg'] === 'refresh from LibreNMS complete')?.['strategy'], 'per-device (bulk failed)');
});

t.test('bulk is tried again after 5, 10, 20 minutes… while it keeps failing, and used again once it works', async (t) => {
  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { PORTS_STRATEGY: 'bulk', CACHE_TTL_SECONDS: '60' });
  double.addFault({ path: BULK, fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' } });
  const start = exporter.clock.now;
  const bulkAt: number[] = [];
  for (let minute = 0; minute <= 40; minute++) {
    exporter.clock.now = start + minute * MINUTE;
    const before = count(double, BULK);
    const parsed = await exporter.scrape();
    if (count(double, BULK) > before) bulkAt.push(minute);
    t.ok(find(parsed, 'librenms_port_up').length > 5, `minute ${minute}: ports served`);
  }
  t.same(bulkAt, [0, 5, 15, 35], 'bulk again after 5, 10 and 20 minutes');
  t.equal(BULK_RETRY_FIRST_MS, 5 * MINUTE);
  double.clearFaults();
  exporter.clock.now = start + 75 * MINUTE;
  await exporter.scrape();
  exporter.clock.now = start + 76 * MINUTE;
  const perDevice = count(double, PER_DEVICE);
  await exporter.scrape();
  t.equal(count(double, PER_DEVICE), perDevice, 'bulk works again: no per-device read');
  t.ok(exporter.logs.some((l) => l['msg'] === 'bulk /ports works again: back to one request per refresh'));
});

t.test('per-device reads are capped per refresh; the rest is served from earlier reads and counted', async (t) => {
  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { PORTS_STRATEGY: 'per-device', PORTS_MAX_DEVICE_READS: '2', CACHE_TTL_SECONDS: '60' });
  const devices = 4; // the lab's devices but the disabled one
  const first = await exporter.scrape();
  t.equal(count(double, PER_DEVICE), 2, 'two devices read in the first refresh');
  t.equal(valueOf(first, 'librenms_exporter_ports_unread_devices'), devices - 2, 'the others not yet');
  t.equal(valueOf(first, 'librenms_exporter_ports_stale_devices'), 0);
  t.equal(valueOf(first, 'librenms_scrape_collector_success', { collector: 'ports' }), 1, 'a deferred read is not a failure');
  exporter.clock.now += MINUTE;
  const second = await exporter.scrape();
  t.equal(count(double, PER_DEVICE), 4, 'the two never read come next');
  t.equal(valueOf(second, 'librenms_exporter_ports_unread_devices'), 0);
  t.equal(valueOf(second, 'librenms_exporter_ports_stale_devices'), devices - 2, 'the first two served from their earlier read');
  t.equal(new Set(find(second, 'librenms_port_info').map((s) => s.labels['hostname'])).size, devices, "every device's ports are served");
  exporter.clock.now += 30_000;
  await exporter.scrape();
  t.equal(count(double, PER_DEVICE), 4, 'nothing is read again within the TTL');
});
