/**
 * How ports are read when bulk `/ports` fails, on a fake clock: a timeout falls back to per-device
 * reads like a 5xx, bulk is tried again after exponentially growing waits, per-device reads per
 * refresh are capped (the rest served from earlier reads and counted). The 5,000-device rate test is
 * in test/slow/port-reads-scale.test.ts. Then PORTS_STRATEGY=auto's rule (choosePortsStrategy) and the
 * size of the bulk answer the memory learns for it; the rule against the real LibreNMS is
 * test/field/strategy.test.ts.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { BULK_RETRY_FIRST_MS, PortReadMemory } from '../src/collectors/port-reads.js';
import { choosePortsStrategy } from '../src/collectors/ports.js';
import type { LibreNmsClient } from '../src/librenms/client.js';
import type { DeviceRecord } from '../src/mapping/devices.js';
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

t.test('choosePortsStrategy: auto reads in bulk until the bulk answer would pass PORTS_BULK_MAX_PORTS', async (t) => {
  const base = { configured: 'auto', selectedDevices: 2000, knownDevices: 2000, concurrency: 4, expectedBulkPorts: undefined, bulkMaxPorts: 15_000 } as const;
  t.same(choosePortsStrategy(base), { strategy: 'bulk', why: 'bulk' }, 'size not known yet: bulk is tried (a failure is read per device at once)');
  t.same(choosePortsStrategy({ ...base, expectedBulkPorts: 15_000 }), { strategy: 'bulk', why: 'bulk' }, 'at the limit: bulk');
  t.same(choosePortsStrategy({ ...base, expectedBulkPorts: 15_001 }), { strategy: 'per-device', why: 'bulk too big' }, 'past it: per device');
  t.same(choosePortsStrategy({ ...base, expectedBulkPorts: 100_000, bulkMaxPorts: 200_000 }), { strategy: 'bulk', why: 'bulk' }, 'a raised limit');
  // Read per device for size: back to bulk only a tenth below the limit, so an install at the limit does not alternate.
  t.same(choosePortsStrategy({ ...base, expectedBulkPorts: 14_000, perDeviceForSize: true }), { strategy: 'per-device', why: 'bulk too big' });
  t.same(choosePortsStrategy({ ...base, expectedBulkPorts: 13_500, perDeviceForSize: true }), { strategy: 'bulk', why: 'bulk' });
  t.same(choosePortsStrategy({ ...base, configured: 'bulk', expectedBulkPorts: 100_000 }), { strategy: 'bulk', why: 'configured' }, 'bulk configured: bulk');
  t.same(choosePortsStrategy({ ...base, configured: 'per-device' }), { strategy: 'per-device', why: 'configured' });
  t.same(choosePortsStrategy({ ...base, selectedDevices: 4 }), { strategy: 'per-device', why: 'one round' }, 'one round of CONCURRENCY requests');
  t.same(choosePortsStrategy({ ...base, selectedDevices: 16 }), { strategy: 'per-device', why: 'small part' }, 'a small part of the install');
  t.same(choosePortsStrategy({ ...base, selectedDevices: 16, knownDevices: 100 }), { strategy: 'bulk', why: 'bulk' }, 'four rounds but a sixth of the install');
});

/** A client that answers bulk with `bulkRows` rows and each device with `perDevice(id)` rows (no HTTP: the memory's arithmetic). */
function stubClient(bulkRows: number, perDevice: (id: number) => number): LibreNmsClient {
  const rows = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ port_id: i }));
  const stub: Pick<LibreNmsClient, 'streamAllPorts' | 'listDevicePorts'> = {
    streamAllPorts: async (onRow) => {
      for (const row of rows(bulkRows)) onRow(row);
      return bulkRows;
    },
    listDevicePorts: async (id) => rows(perDevice(id)),
  };
  return stub as LibreNmsClient;
}

t.test('PortReadMemory.expectedBulkPorts: the last bulk answer, else ports per device read times the devices', async (t) => {
  const devices = (ids: readonly number[]): DeviceRecord[] => ids.map((deviceId) => ({ deviceId, hostname: `d${deviceId}` }) as DeviceRecord);
  const all = devices(Array.from({ length: 12 }, (_, i) => i + 1));
  const options = (strategy: 'bulk' | 'per-device', selected: DeviceRecord[]) => ({
    devices: selected,
    strategy,
    begin: () => ({ row: () => undefined }),
    now: 1_000_000,
    ttlMs: 60_000,
    maxAgeMs: 900_000,
    maxDeviceReads: 500,
    concurrency: 4,
  });
  const memory = new PortReadMemory();
  t.equal(memory.expectedBulkPorts(12), undefined, 'nothing read yet');
  await memory.read(
    stubClient(120, () => 10),
    options('bulk', all),
  );
  t.equal(memory.expectedBulkPorts(12), 120, 'the bulk answer');
  // A /probe of two big devices (scopes share the memory) says little of the whole install.
  await memory.read(
    stubClient(120, () => 40),
    options('per-device', all.slice(0, 2)),
  );
  t.equal(memory.expectedBulkPorts(12), 120, 'per-device reads of a sixth of the devices: still the bulk answer');
  // Per-device reads of at least half of the devices (the install may have changed since the bulk answer).
  await memory.read(
    stubClient(120, () => 5),
    options('per-device', all.slice(2, 8)),
  );
  t.equal(memory.expectedBulkPorts(12), Math.round(((2 * 40 + 6 * 5) / 8) * 12), 'ports per device read, times the devices LibreNMS lists');

  const fresh = new PortReadMemory();
  await fresh.read(
    stubClient(0, () => 7),
    options('per-device', all.slice(0, 3)),
  );
  t.equal(fresh.expectedBulkPorts(12), 84, 'no bulk answer: per device read, times the devices');
});

t.test('auto against the double: bulk first, per device from the refresh after a bulk answer past PORTS_BULK_MAX_PORTS', async (t) => {
  const double = await startLibreNmsDouble({ state: syntheticState({ devices: 20, portsPerDevice: 10, seed: 3 }) });
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { CACHE_TTL_SECONDS: '60', PORTS_BULK_MAX_PORTS: '150', CONCURRENCY: '2' });
  await exporter.scrape();
  t.equal(count(double, BULK), 1, 'the first refresh reads in bulk: the size is not known yet');
  t.equal(count(double, PER_DEVICE), 0);
  const refreshes = () => exporter.logs.filter((l) => l['msg'] === 'refresh from LibreNMS complete');
  t.equal(refreshes()[0]?.['bulk_ports_expected'], double.state.ports.filter((p) => !p.deleted).length, 'the refresh log says the size learnt');
  exporter.clock.now += MINUTE;
  const second = await exporter.scrape();
  t.equal(count(double, BULK), 1, 'no second bulk read');
  t.equal(count(double, PER_DEVICE), double.state.devices.length, 'every device, one request each');
  t.equal(refreshes()[1]?.['strategy'], 'per-device (bulk too big)');
  t.equal(valueOf(second, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
  t.equal(find(second, 'librenms_port_info').length > 150, true, 'every port is served');
  exporter.clock.now += 60 * MINUTE;
  await exporter.scrape();
  t.equal(count(double, BULK), 1, 'and bulk is not tried again while the install stays that big');
});

t.test('auto: a bulk 5xx teaches the size from the per-device reads; under the limit bulk is tried again, past it not', async (t) => {
  for (const [limit, retried] of [
    ['1000', true],
    ['150', false],
  ] as const) {
    const double = await startLibreNmsDouble({ state: syntheticState({ devices: 20, portsPerDevice: 10, seed: 3 }) });
    t.teardown(() => double.close());
    double.addFault({ path: BULK, fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' } });
    const exporter = await fakeClockExporter(t, double, {
      CACHE_TTL_SECONDS: '60',
      PORTS_BULK_MAX_PORTS: limit,
      CONCURRENCY: '2',
      PORTS_MAX_DEVICE_READS: '5',
    });
    await exporter.scrape();
    const first = exporter.logs.find((l) => l['msg'] === 'refresh from LibreNMS complete');
    t.equal(first?.['strategy'], 'per-device (bulk failed)', `limit ${limit}: the failed bulk read is read per device`);
    // Five devices of 10 ports read (none deleted among them), 20 devices listed: 200 expected.
    t.equal(first?.['bulk_ports_expected'], 200, `limit ${limit}: the size from the devices read`);
    exporter.clock.now += BULK_RETRY_FIRST_MS + MINUTE;
    await exporter.scrape();
    t.equal(count(double, BULK), retried ? 2 : 1, retried ? 'under the limit: bulk again after the wait' : 'past the limit: bulk not again');
  }
});
