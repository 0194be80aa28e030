/**
 * The health and wireless collectors: their mapping (with the guards against LibreNMS's by-id routes),
 * the spread reads (item-reads.ts) on a plan of its own, and the collectors against the double of each
 * LibreNMS version, with a normal user's token, and with their budgets on a fake clock. The request
 * count at 2,000 devices is in test/slow/health-scale.test.ts.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { labState, syntheticState } from '../librenms-double/fixtures.js';
import { addSyntheticHealth, wirelessRow } from '../librenms-double/health.js';
import type { SimState } from '../librenms-double/state.js';
import { healthPlan } from '../src/collectors/health.js';
import { ItemReads, type ReadPlan, type ReadStep } from '../src/collectors/item-reads.js';
import { perSensorPlan } from '../src/collectors/wireless.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../src/config/settings.js';
import { LibreNmsError } from '../src/errors.js';
import { LibreNmsClient } from '../src/librenms/client.js';
import { HEALTH_VALUES_SINCE, servesRouteSince } from '../src/librenms/endpoints.js';
import type { DeviceRecord } from '../src/mapping/devices.js';
import { mapHealthItem, readIdList } from '../src/mapping/health.js';
import { mapWirelessSensor, OTHER_WIRELESS_FAMILY, readWirelessClasses } from '../src/mapping/wireless.js';
import { deviceRecord } from './helpers/device-record.js';
import { find, type ParsedExposition, type Sample, valueOf } from './helpers/exposition.js';
import { count, fakeClockExporter, MINUTE } from './helpers/fake-clock-exporter.js';

const HEALTH = /^\/api\/v0\/devices\/[^/]+\/health/;
const HEALTH_ITEM = /^\/api\/v0\/devices\/\d+\/health\/device_\w+\/\d+$/;
const WIRELESS = /^\/api\/v0\/devices\/[^/]+\/wireless/;
const HEALTH_FAMILY = /^librenms_(processor|mempool|storage)_/;
const WIRELESS_FAMILY = /^librenms_wireless_/;

/** The samples of families matching `pattern`, as sorted `name{labels} value` lines. */
function lines(parsed: ParsedExposition, pattern: RegExp): string[] {
  const line = (s: Sample): string =>
    `${s.name}{${Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}} ${s.value}`;
  return parsed.samples
    .filter((s) => pattern.test(s.name))
    .map(line)
    .sort();
}

/** What the health collector must export for a double's state: from its rows, for every device but the disabled ones. */
function expectedHealth(state: SimState): string[] {
  const host = new Map(state.devices.filter((d) => !d.disabled).map((d) => [d.device_id, d.hostname]));
  const out: string[] = [];
  const add = (name: string, labels: Record<string, string>, value: number | null): void => {
    if (value === null) return;
    const text = Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    out.push(`${name}{${text}} ${value}`);
  };
  for (const p of state.processors) {
    const hostname = host.get(p.device_id);
    if (hostname === undefined) continue;
    const id = { hostname, processor_id: String(p.processor_id), processor_type: p.processor_type };
    add('librenms_processor_info', { ...id, processor_index: p.processor_index, processor_descr: p.processor_descr }, 1);
    add('librenms_processor_usage_ratio', id, p.processor_usage / 100);
    add('librenms_processor_usage_warning_ratio', id, p.processor_perc_warn === null ? null : p.processor_perc_warn / 100);
  }
  for (const m of state.mempools) {
    const hostname = host.get(m.device_id);
    if (hostname === undefined || m.mempool_deleted) continue;
    const id = { hostname, mempool_id: String(m.mempool_id), mempool_class: m.mempool_class };
    add('librenms_mempool_info', { ...id, mempool_type: m.mempool_type, mempool_index: m.mempool_index, mempool_descr: m.mempool_descr }, 1);
    add('librenms_mempool_used_bytes', id, m.mempool_used);
    add('librenms_mempool_total_bytes', id, m.mempool_total);
    add('librenms_mempool_usage_ratio', id, m.mempool_perc / 100);
    add('librenms_mempool_usage_warning_ratio', id, m.mempool_perc_warn === null ? null : m.mempool_perc_warn / 100);
  }
  for (const x of state.storage) {
    const hostname = host.get(x.device_id);
    if (hostname === undefined) continue;
    const id = { hostname, storage_id: String(x.storage_id), storage_type: x.storage_type ?? '' };
    add('librenms_storage_info', { ...id, storage_index: x.storage_index ?? '', storage_descr: x.storage_descr }, 1);
    add('librenms_storage_used_bytes', id, x.storage_used);
    add('librenms_storage_size_bytes', id, x.storage_size);
    add('librenms_storage_usage_ratio', id, x.storage_perc / 100);
    add('librenms_storage_usage_warning_ratio', id, x.storage_perc_warn === null ? null : x.storage_perc_warn / 100);
  }
  return out.sort();
}

function device(deviceId: number, hostname = `dev-${deviceId}`): DeviceRecord {
  return deviceRecord(deviceId, hostname, { os: 'ios', deviceType: 'network' });
}

/** The body LibreNMS writes for `/system`, claiming `version`. */
function systemBody(version: string): string {
  return JSON.stringify({ status: 'ok', system: [{ local_ver: version, local_date: '2026-07-20T14:00:13+00:00' }], count: 1 });
}

// ---------------------------------------------------------------------------------------------
// mapping

t.test('health lists: the ids of {sensor_id, desc} rows, each once', async (t) => {
  t.same(
    readIdList([{ sensor_id: 101, desc: 'CPU 0' }, { sensor_id: '102', desc: 'CPU 1' }, { sensor_id: 101 }, { sensor_id: null }, { sensor_id: -3 }, 'x', null]),
    [101, 102],
  );
  t.same(readIdList([]), []);
});

t.test('a health item is taken only with the id key and device asked for', async (t) => {
  // Rows as LibreNMS 26.7.0 answers them (live captures, /work research notes §6.1).
  const processor = {
    processor_id: 101,
    entPhysicalIndex: 0,
    hrDeviceIndex: 196608,
    device_id: 1,
    processor_oid: '.1.3.6.1.2.1.25.3.3.1.2.1',
    processor_index: '1',
    processor_type: 'hr',
    processor_usage: 12,
    processor_descr: 'CPU 0',
    processor_precision: 1,
    processor_perc_warn: 75,
  };
  t.same(mapHealthItem('processor', [processor], { deviceId: 1, id: 101 }), {
    record: { id: 101, warningRatio: 0.75, kind: 'processor', descr: 'CPU 0', index: '1', type: 'hr', usageRatio: 0.12 },
  });
  const mempool = {
    mempool_id: 201,
    mempool_index: '65536',
    entPhysicalIndex: null,
    mempool_type: 'hrstorage',
    mempool_class: 'system',
    mempool_precision: 1,
    mempool_descr: 'main memory',
    device_id: 1,
    mempool_perc: 34,
    mempool_perc_oid: null,
    mempool_used: 365072384,
    mempool_used_oid: '.1.3.6.1.2.1.25.2.3.1.6.65536',
    mempool_free: 708669440,
    mempool_free_oid: null,
    mempool_total: 1073741824,
    mempool_total_oid: '.1.3.6.1.2.1.25.2.3.1.5.65536',
    mempool_largestfree: null,
    mempool_lowestfree: null,
    mempool_deleted: 0,
    mempool_perc_warn: 90,
  };
  t.same(mapHealthItem('mempool', [mempool], { deviceId: 1, id: 201 }), {
    record: {
      id: 201,
      warningRatio: 0.9,
      kind: 'mempool',
      descr: 'main memory',
      index: '65536',
      mempoolClass: 'system',
      type: 'hrstorage',
      usedBytes: 365072384,
      totalBytes: 1073741824,
      usageRatio: 0.34,
    },
  });
  const storage = {
    storage_id: 401,
    device_id: 1,
    type: 'hrstorage',
    storage_index: '131072',
    storage_type: 'hrStorageFixedDisk',
    storage_descr: 'system disk',
    storage_size: 134217728,
    storage_size_oid: '.1.3.6.1.2.1.25.2.3.1.5.131072',
    storage_units: 4096,
    storage_used: 20971520,
    storage_used_oid: '.1.3.6.1.2.1.25.2.3.1.6.131072',
    storage_free: 113246208,
    storage_free_oid: null,
    storage_perc: 16,
    storage_perc_oid: null,
    storage_perc_warn: 60,
  };
  t.same(mapHealthItem('storage', [storage], { deviceId: 1, id: 401 }), {
    record: {
      id: 401,
      warningRatio: 0.6,
      kind: 'storage',
      descr: 'system disk',
      index: '131072',
      type: 'hrStorageFixedDisk',
      usedBytes: 20971520,
      sizeBytes: 134217728,
      usageRatio: 0.16,
    },
  });
  // The sensor-row bug of 22.11 and 25.4: /health/device_processor/1 answers the sensors row 1.
  const sensorRow = { sensor_id: 1, sensor_deleted: 0, sensor_class: 'temperature', device_id: 1, sensor_descr: 'Board temperature', sensor_current: 45 };
  t.same(mapHealthItem('processor', [sensorRow], { deviceId: 1, id: 1 }), { skip: 'foreign' }, 'a sensors row is never a processor');
  t.same(mapHealthItem('mempool', [sensorRow], { deviceId: 1, id: 1 }), { skip: 'foreign' }, 'nor a memory pool');
  t.same(mapHealthItem('processor', [{ ...processor, device_id: 2 }], { deviceId: 1, id: 101 }), { skip: 'foreign' }, 'another device');
  t.same(mapHealthItem('processor', [processor], { deviceId: 1, id: 102 }), { skip: 'foreign' }, 'another id');
  t.same(mapHealthItem('storage', [processor], { deviceId: 1, id: 101 }), { skip: 'foreign' }, 'another kind');
  t.same(mapHealthItem('processor', [], { deviceId: 1, id: 101 }), { skip: 'gone' });
  t.same(mapHealthItem('mempool', [{ ...mempool, mempool_deleted: 1 }], { deviceId: 1, id: 201 }), { skip: 'deleted' }, 'deleted pools are skipped');
  const unknown = mapHealthItem('mempool', [{ ...mempool, mempool_total: 0, mempool_used: 0, mempool_perc: 0 }], { deviceId: 1, id: 201 });
  t.match(unknown, { record: { usedBytes: undefined, totalBytes: undefined, usageRatio: undefined, warningRatio: 0.9 } }, 'a total of 0 is unknown, not 0');
  const strings = mapHealthItem('processor', [{ ...processor, processor_id: '101', device_id: '1', processor_usage: '87', processor_perc_warn: null }], {
    deviceId: 1,
    id: 101,
  });
  t.match(strings, { record: { usageRatio: 0.87, warningRatio: undefined } }, 'numbers as strings, and a null threshold left out');
  t.match(mapHealthItem('processor', [{ ...processor, processor_usage: -1 }], { deviceId: 1, id: 101 }), { record: { usageRatio: undefined } });
});

t.test('a wireless row: the device, class and id asked for, not deleted, in the unit of its family', async (t) => {
  // A row of /devices/:id/wireless-sensors on 26.7.0 (live capture).
  const row = {
    sensor_id: 304,
    sensor_deleted: 0,
    sensor_class: 'frequency',
    device_id: 1,
    sensor_index: '1',
    sensor_type: 'routeros',
    sensor_descr: 'wlan1 frequency',
    sensor_divisor: 1,
    sensor_multiplier: 1,
    sensor_aggregator: 'sum',
    sensor_current: 5180,
    sensor_prev: 5180,
    lastupdate: '2026-12-06T21:33:37.000000Z',
    sensor_oids: ['.1.3.6.1.4.1.14988.1.1.1.3.1.7.1'],
    rrd_type: 'GAUGE',
  };
  t.same(mapWirelessSensor(row, { deviceId: 1 }), {
    id: 304,
    sensorClass: 'frequency',
    descr: 'wlan1 frequency',
    index: '1',
    type: 'routeros',
    family: 'librenms_wireless_frequency_hertz',
    value: 5180e6,
  });
  const value = (sensorClass: string, current: unknown) => mapWirelessSensor({ ...row, sensor_class: sensorClass, sensor_current: current }, { deviceId: 1 });
  t.match(value('rate', 866700000), { family: 'librenms_wireless_rate_bytes_per_second', value: 108337500 }, 'bits per second to bytes');
  t.match(value('ccq', 93.5), { family: 'librenms_wireless_ccq_ratio', value: 0.935 }, 'percent to a ratio');
  t.match(value('noise-floor', -105), { family: 'librenms_wireless_noise_floor_dbm', value: -105 }, 'dBm as it is');
  t.match(value('clients', 17), { family: 'librenms_wireless_clients', value: 17 });
  t.match(value('errors', 1234), { family: 'librenms_wireless_errors_total', value: 1234 });
  t.match(value('errors', -1), { family: 'librenms_wireless_errors_total', value: undefined }, 'a negative counter is unknown');
  t.match(value('clients', null), { value: undefined }, 'no value is unknown, not 0');
  t.match(value('beamforming', 3), { family: OTHER_WIRELESS_FAMILY, sensorClass: 'beamforming', value: 3 }, 'a class of a newer LibreNMS');
  t.equal(mapWirelessSensor({ ...row, device_id: 2 }, { deviceId: 1 }), undefined, 'another device');
  t.equal(mapWirelessSensor({ ...row, sensor_deleted: 1 }, { deviceId: 1 }), undefined, 'deleted');
  t.equal(mapWirelessSensor(row, { deviceId: 1, sensorClass: 'clients' }), undefined, 'another class than asked');
  t.equal(mapWirelessSensor(row, { deviceId: 1, id: 305 }), undefined, 'another id than asked');
  t.ok(mapWirelessSensor(row, { deviceId: 1, sensorClass: 'frequency', id: 304 }), 'the one asked for');
  t.equal(mapWirelessSensor({ ...row, sensor_class: '' }, { deviceId: 1 }), undefined, 'no class');
  t.same(
    readWirelessClasses([{ desc: 'Clients', name: 'device_wireless_clients' }, { name: 'device_wireless_noise-floor' }, { name: 'device_temperature' }, {}]),
    ['clients', 'noise-floor'],
  );
});

t.test('which versions have a route: releases by number, builds that may hold it probed, older describes not', async (t) => {
  const cases: [string | undefined, boolean | undefined][] = [
    ['26.7.0', true],
    ['26.7.1', true],
    ['27.1.0', true],
    ['26.8.0-dev.3+abc', true],
    ['26.6.0', false],
    ['25.4.0', false],
    ['22.11.0', false],
    ['26.7.0-dev.12+abc', undefined],
    ['26.6.0-dev.12+abc', false],
    ['25.4.0-45-gabc1234', false],
    ['25.12.0-3-gabc1234', false],
    ['not a version', undefined],
    [undefined, undefined],
  ];
  for (const [version, expected] of cases) t.equal(servesRouteSince(version, HEALTH_VALUES_SINCE), expected, String(version));
  t.equal(servesRouteSince('25.12.0-3-gabc1234', '26.1.0'), undefined, 'a build after 25.12.0 may hold what 26.1.0 brought');
});

// ---------------------------------------------------------------------------------------------
// the spread reads, on a plan of their own

interface FakeItem {
  readonly device: number;
  readonly id: number;
}

/** Two lists per device ("a" and "b"), each naming `items` items; answers kept in `values`. */
function fakePlan(options: { items: number; fail?: (key: string) => Error | undefined; skip?: (key: string) => boolean; listed?: (key: string) => number[] }) {
  const sent: string[] = [];
  const plan: ReadPlan<string, FakeItem> = {
    roots: () => ['a', 'b'].map((key) => ({ key, kind: 'list', payload: key })),
    async read(d, step) {
      const key = `${d.deviceId}/${step.key}`;
      sent.push(key);
      await new Promise((resolve) => setImmediate(resolve));
      const error = options.fail?.(key);
      if (error !== undefined) throw error;
      if (options.skip?.(key)) return { skip: 'gone' };
      if (step.kind === 'list') {
        const ids = options.listed?.(key) ?? Array.from({ length: options.items }, (_, i) => i + 1);
        return { next: ids.map((id): ReadStep<string> => ({ key: `${step.key}/${id}`, kind: 'values', payload: step.key })) };
      }
      return { records: [{ device: d.deviceId, id: Number(step.key.split('/')[1]) }] };
    },
  };
  return { plan, sent };
}

const base = { intervalMs: 900_000, listIntervalMs: 3_600_000, graceMs: 900_000, maxRequests: 1000, concurrency: 2 };

t.test('spread reads: a budget per run, the oldest first, and a device completed before the next is listed', async (t) => {
  const devices = [device(1), device(2), device(3)];
  const { plan, sent } = fakePlan({ items: 2 });
  const reads = new ItemReads(plan);
  const first = await reads.read({ ...base, devices, now: 0, maxRequests: 5, concurrency: 1 });
  t.same(sent, ['1/a', '1/a/1', '1/a/2', '1/b', '1/b/1'], "a device's items come before the next device's lists");
  t.equal(first.requests, 5);
  t.equal(first.deferred, 5, 'what is due and not sent: 1/b/2, and the lists of devices 2 and 3');
  t.same(
    first.served.map((s) => [s.device.deviceId, s.records.length]),
    [[1, 3]],
  );
  t.equal(first.unreadItems, 1, '1/b/2 is listed and not read');
  t.equal(first.unlistedDevices, 2);
  t.equal(first.unreadDevices, 3);
  sent.length = 0;
  const second = await reads.read({ ...base, devices, now: 60_000, maxRequests: 100, concurrency: 1 });
  t.same(sent.slice(0, 1), ['1/b/2'], 'the item left over first');
  t.equal(second.requests, 1 + 2 * 6, 'then everything else that is due');
  t.equal(second.unreadItems + second.unlistedDevices + second.staleItems, 0);
  t.equal(
    second.served.reduce((n, s) => n + s.records.length, 0),
    12,
  );
  sent.length = 0;
  const quiet = await reads.read({ ...base, devices, now: 800_000 });
  t.equal(quiet.requests, 0, 'nothing within the interval');
  t.equal(
    quiet.served.reduce((n, s) => n + s.records.length, 0),
    12,
    'everything served from earlier answers',
  );
  const items = await reads.read({ ...base, devices, now: 900_000 });
  t.same(
    sent.filter((k) => k.split('/').length === 2),
    [],
    'lists are not read again after one interval',
  );
  t.equal(items.requests, 3, "only device 1's three items read at 0 are due: the rest were read a minute later");
  sent.length = 0;
  await reads.read({ ...base, devices, now: 3_600_000 });
  t.same(
    sent.filter((k) => k.split('/').length === 2),
    ['1/a', '1/b'],
    "device 1's lists again after the list interval",
  );
  await reads.read({ ...base, devices, now: 3_660_000 });
  t.equal(sent.filter((k) => k.split('/').length === 2).length, 6, 'then the others');
});

t.test('spread reads: an answer is served up to its interval plus the grace, counted stale past the interval, then unread', async (t) => {
  const devices = [device(1)];
  let failing = false;
  const { plan } = fakePlan({ items: 1, fail: (key) => (failing && key.split('/').length === 3 ? new Error(`${key} failed`) : undefined) });
  const reads = new ItemReads(plan);
  await reads.read({ ...base, devices, now: 0 });
  failing = true;
  const stale = await reads.read({ ...base, devices, now: 1_000_000 });
  t.equal(stale.errors.length, 2, 'both items failed');
  t.equal(stale.staleItems, 2, 'and are served from their last answers, counted stale');
  t.equal(stale.served[0]?.records.length, 2);
  t.equal(stale.staleDevices, 1);
  const last = await reads.read({ ...base, devices, now: 1_800_000 });
  t.equal(last.staleItems, 2, 'still served at the interval plus the grace');
  const gone = await reads.read({ ...base, devices, now: 1_800_001 });
  t.same(gone.served, [], 'past it, nothing is served (and nothing thrown: the failures are partial)');
  t.equal(gone.errors.length, 2);
  t.equal(gone.unreadItems, 2);
  t.equal(gone.staleItems, 0);
  failing = false;
  const back = await reads.read({ ...base, devices, now: 1_860_000 });
  t.equal(back.served[0]?.records.length, 2, 'and served again once read');
});

t.test('spread reads: a skipped item is asked again only once its list names it again; a list drops what it no longer names', async (t) => {
  const devices = [device(1)];
  let listed = [1, 2];
  const { plan, sent } = fakePlan({ items: 0, skip: (key) => key === '1/a/2', listed: (key) => (key.endsWith('/a') ? listed : []) });
  const reads = new ItemReads(plan);
  const first = await reads.read({ ...base, devices, now: 0 });
  t.same(first.skipped, { gone: 1 });
  t.same(first.served[0]?.records, [{ device: 1, id: 1 }]);
  t.equal(first.unreadItems, 0, 'a skipped item is neither served nor unread');
  sent.length = 0;
  await reads.read({ ...base, devices, now: 900_000 });
  t.same(sent, ['1/a/1'], 'the skipped item is not asked again at its interval');
  sent.length = 0;
  listed = [1];
  const relisted = await reads.read({ ...base, devices, now: 3_600_000 });
  t.same(sent.sort(), ['1/a', '1/a/1', '1/b'], 'the lists, read again (and item 1, due)');
  t.same(relisted.served[0]?.records, [{ device: 1, id: 1 }], 'item 2 is gone with its list entry');
  listed = [1, 2];
  sent.length = 0;
  await reads.read({ ...base, devices, now: 7_200_000 });
  t.ok(sent.includes('1/a/2'), 'listed again: asked again');
});

t.test('spread reads: what another run has in flight is not sent twice; runs stop when LibreNMS is unreachable or time is up', async (t) => {
  const devices = [device(1), device(2)];
  const { plan, sent } = fakePlan({ items: 1 });
  const reads = new ItemReads(plan);
  await Promise.all([reads.read({ ...base, devices, now: 0 }), reads.read({ ...base, devices, now: 0 })]);
  t.equal(sent.length, new Set(sent).size, `each request once (${sent.length})`);
  t.equal(new Set(sent).size, 8);

  const down = fakePlan({ items: 1, fail: () => new LibreNmsError('timeout', 'LibreNMS did not answer', { endpoint: '/x' }) });
  const many = Array.from({ length: 20 }, (_, i) => device(i + 1));
  await t.rejects(new ItemReads(down.plan).read({ ...base, devices: many, now: 0, concurrency: 2 }), { code: 'timeout' }, 'nothing read: the error is thrown');
  t.ok(down.sent.length <= 3, `stops after CONCURRENCY unreachable answers in a row (${down.sent.length} sent)`);

  const slow = fakePlan({ items: 1 });
  let calls = 0;
  const timed = await new ItemReads(slow.plan).read({ ...base, devices: many, now: 0, concurrency: 1, stop: () => ++calls > 3 });
  t.equal(timed.requests, 3, 'no request starts once the time is up');
  t.ok(timed.deferred > 0);
});

t.test('spread reads: a failed run with earlier answers serves them; one device failing leaves the others', async (t) => {
  const devices = [device(1), device(2)];
  let broken = (_key: string): Error | undefined => undefined;
  const { plan } = fakePlan({ items: 1, fail: (key) => broken(key) });
  const reads = new ItemReads(plan);
  broken = (key) => (key.startsWith('2/') ? new Error('500') : undefined);
  const partial = await reads.read({ ...base, devices, now: 0 });
  t.equal(partial.errors.length, 2, "device 2's lists failed");
  t.same(
    partial.served.map((s) => s.device.deviceId),
    [1],
  );
  t.equal(partial.unlistedDevices, 1);
  broken = () => new Error('500');
  const failed = await reads.read({ ...base, devices, now: 60_000 });
  t.equal(failed.errors.length, 2, 'device 2 is asked again at once, device 1 is not due');
  t.same(
    failed.served.map((s) => s.device.deviceId),
    [1],
    "device 1's answers are still served",
  );
});

// ---------------------------------------------------------------------------------------------
// the collectors against the double

t.test('health on 26.7.0: every item of the lab, equal to its row; a deleted pool skipped; 3 lists and 1 request per item', async (t) => {
  const double = await startLibreNmsDouble({ version: '26.7.0' });
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health' });
  const parsed = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'health' }), 1);
  t.same(lines(parsed, HEALTH_FAMILY), expectedHealth(double.state));
  t.equal(find(parsed, 'librenms_mempool_info', { mempool_id: '6' }).length, 0, 'the deleted pool is not exported');
  const devices = 4; // the lab's devices but the disabled one
  const items = double.state.processors.length + double.state.mempools.length + double.state.storage.filter((x) => x.device_id !== 5).length;
  t.equal(count(double, HEALTH), 3 * devices + items, 'three lists per device and one request per item');
  t.equal(valueOf(parsed, 'librenms_exporter_health_unread_items'), 0);
  t.equal(valueOf(parsed, 'librenms_exporter_health_stale_items'), 0);
  t.equal(valueOf(parsed, 'librenms_exporter_health_unlisted_devices'), 0);
  t.notOk(
    exporter.logs.some((l) => l['event'] === 'collector_notice'),
    'no notice',
  );
});

for (const version of ['22.11.0', '25.4.0', '26.6.0']) {
  t.test(`health on ${version}: no request, nothing exported, a notice naming 26.7.0; wireless still works`, async (t) => {
    const double = await startLibreNmsDouble({ version });
    t.teardown(() => double.close());
    const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health,wireless' });
    const parsed = await exporter.scrape();
    t.equal(count(double, HEALTH), 0, 'no health request');
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'health' }), 1, 'not a failure');
    t.same(lines(parsed, HEALTH_FAMILY), []);
    t.same(lines(parsed, /^librenms_exporter_health_/), [], 'not even its counts');
    const notice = exporter.logs.find((l) => l['event'] === 'collector_notice' && l['collector'] === 'health');
    t.match(String(notice?.['msg']), `LibreNMS ${version} does not serve processor, memory pool and storage values in its API: they came in 26.7.0`);
    exporter.clock.now += MINUTE;
    await exporter.scrape();
    t.equal(exporter.logs.filter((l) => l['event'] === 'collector_notice' && l['collector'] === 'health').length, 1, 'said once');
    const system = count(double, '/api/v0/system');
    exporter.clock.now += MINUTE;
    await exporter.scrape();
    t.equal(count(double, '/api/v0/system'), system, '/system is read once an hour');
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'wireless' }), 1);
    t.ok(find(parsed, 'librenms_wireless_clients').length > 0, 'wireless sensors exported');
  });
}

t.test('wireless: the per-sensor routes before 26.6 give the same series as /wireless-sensors from 26.6', async (t) => {
  const exports = new Map<string, string[]>();
  const requests = new Map<string, number>();
  for (const version of ['22.11.0', '25.4.0', '26.6.0', '26.7.0']) {
    const state = labState();
    // Neighbours the per-sensor reads must not export: a deleted sensor, and another device's.
    state.wirelessSensors.push(
      wirelessRow({
        sensor_id: 7,
        device_id: 4,
        sensor_class: 'clients',
        sensor_index: '9',
        sensor_type: 'unifi',
        sensor_descr: 'old radio',
        sensor_current: 3,
        lastupdate: state.clock,
        sensor_deleted: 1,
      }),
      wirelessRow({
        sensor_id: 8,
        device_id: 1,
        sensor_class: 'rate',
        sensor_index: 'tx',
        sensor_type: 'routeros',
        sensor_descr: 'wlan1 Tx rate',
        sensor_current: 866700000,
        lastupdate: state.clock,
      }),
    );
    const double = await startLibreNmsDouble({ version, state });
    t.teardown(() => double.close());
    const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,wireless' });
    const parsed = await exporter.scrape();
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'wireless' }), 1, version);
    exports.set(version, lines(parsed, WIRELESS_FAMILY));
    requests.set(version, count(double, WIRELESS));
    const notice = exporter.logs.find((l) => l['event'] === 'collector_notice' && l['collector'] === 'wireless');
    if (version < '26.6.0') t.match(String(notice?.['msg']), `LibreNMS ${version} has no /devices/:id/wireless-sensors (it came in 26.6.0`);
    else t.equal(notice, undefined, `${version}: no notice`);
  }
  const current = exports.get('26.7.0') ?? [];
  t.ok(current.includes('librenms_wireless_rate_bytes_per_second{hostname="192.168.56.10",sensor_id="8"} 108337500'), 'bits per second as bytes');
  t.ok(current.includes('librenms_wireless_frequency_hertz{hostname="ap-lobby-01.lab",sensor_id="3"} 5500000000'));
  t.notOk(
    current.some((l) => l.includes('sensor_id="7"')),
    'the deleted sensor is not exported',
  );
  for (const version of ['22.11.0', '25.4.0', '26.6.0']) t.same(exports.get(version), current, `${version} exports what 26.7.0 does`);
  t.equal(requests.get('26.7.0'), 4, 'one request per device from 26.6');
  // Before: one class list per device, one id list per class, one request per sensor.
  t.equal(requests.get('25.4.0'), 4 + 5 + 1 + 7, 'per device, per class and per sensor before');
});

t.test('development builds are asked: /health names a kind whose list is empty before 26.7; /wireless-sensors fails before 26.6', async (t) => {
  for (const [behaves, claims, served] of [
    ['26.6.0', '26.7.0-dev.4+abc', false],
    ['26.7.0', '26.7.0-dev.4+abc', true],
  ] as const) {
    const double = await startLibreNmsDouble({ version: behaves });
    t.teardown(() => double.close());
    double.addFault({ path: '/api/v0/system', fault: { kind: 'raw', body: systemBody(claims) } });
    const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health' });
    const parsed = await exporter.scrape();
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'health' }), 1);
    if (served) {
      t.same(lines(parsed, HEALTH_FAMILY), expectedHealth(double.state), 'a build with the routes is read');
    } else {
      t.equal(count(double, HEALTH), 2, 'the probe: /health of the first device, then its processor list');
      t.equal(count(double, HEALTH_ITEM), 0, 'no item is asked for');
      const notice = exporter.logs.find((l) => l['event'] === 'collector_notice' && l['collector'] === 'health');
      t.match(
        String(notice?.['msg']),
        `LibreNMS ${claims} does not serve processor, memory pool and storage values in its API (its /health/device_<kind> lists are empty`,
      );
      exporter.clock.now += MINUTE;
      await exporter.scrape();
      t.equal(count(double, HEALTH), 2, 'the answer is kept (an hour)');
    }
  }
  for (const [behaves, mode] of [
    ['25.4.0', 'per-sensor'],
    ['26.6.0', 'per-device'],
  ] as const) {
    const double = await startLibreNmsDouble({ version: behaves });
    t.teardown(() => double.close());
    double.addFault({ path: '/api/v0/system', fault: { kind: 'raw', body: systemBody('26.6.0-dev.2+abc') } });
    const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,wireless' });
    const parsed = await exporter.scrape();
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'wireless' }), 1);
    t.equal(find(parsed, 'librenms_wireless_clients').length, 2, `${behaves}: read ${mode}`);
    t.equal(exporter.logs.find((l) => l['msg'] === 'refresh from LibreNMS complete')?.['wireless_mode'], mode);
  }
});

t.test('guards: a sensor row answered for a processor is never exported, whatever the version says', async (t) => {
  // The real answer of a 25.4 LibreNMS to /devices/1/health/device_processor/1: the sensors row 1.
  const old = await startLibreNmsDouble({ version: '25.4.0' });
  t.teardown(() => old.close());
  const client = new LibreNmsClient({
    baseUrl: new URL(`${old.url}/api/v0/`),
    token: old.token,
    concurrency: 1,
    timeoutMs: 5000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  });
  t.teardown(() => client.close());
  const answer = await healthPlan(client).read(device(1), { key: 'processor/1', kind: 'values', payload: { kind: 'processor', id: 1 } });
  t.same(answer, { skip: 'foreign' }, "the 25.4 by-id route's sensor row is refused");
  const body = JSON.stringify({ status: 'ok', graphs: await client.readHealthItem(1, 'processor', 1), count: 1 });
  t.match(body, /"sensor_id":1,/, 'it is a sensors row');
  // The same row slipped into a 26.7 answer (a LibreNMS that misbehaves): dropped, said, the rest exported.
  const double = await startLibreNmsDouble({ version: '26.7.0' });
  t.teardown(() => double.close());
  double.addFault({ path: '/api/v0/devices/1/health/device_processor/1', fault: { kind: 'raw', body } });
  const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health' });
  const parsed = await exporter.scrape();
  t.equal(find(parsed, 'librenms_processor_usage_ratio', { processor_id: '1' }).length, 0, 'processor 1 is not exported');
  t.same(
    lines(parsed, HEALTH_FAMILY),
    expectedHealth(double.state).filter((l) => !l.includes('processor_id="1"')),
    'everything else is',
  );
  t.equal(exporter.logs.find((l) => l['msg'] === 'refresh from LibreNMS complete')?.['health_refused_rows'], 1);
  t.match(
    String(exporter.logs.find((l) => l['event'] === 'collector_notice')?.['msg']),
    'answered health item requests with rows that are not the item asked for',
  );

  // Per sensor, by id, LibreNMS answers any device's sensor: listed under the AP, device 1's sensor is refused there.
  const state = labState();
  state.wirelessSensors.push(
    wirelessRow({
      sensor_id: 8,
      device_id: 1,
      sensor_class: 'clients',
      sensor_index: '1',
      sensor_type: 'routeros',
      sensor_descr: 'wlan1 clients',
      sensor_current: 4,
      lastupdate: state.clock,
    }),
  );
  const legacy = await startLibreNmsDouble({ version: '25.4.0', state });
  t.teardown(() => legacy.close());
  const legacyClient = new LibreNmsClient({
    baseUrl: new URL(`${legacy.url}/api/v0/`),
    token: legacy.token,
    concurrency: 1,
    timeoutMs: 5000,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  });
  t.teardown(() => legacyClient.close());
  const plan = perSensorPlan(legacyClient);
  const step = { key: 'sensor/clients/8', kind: 'values', payload: { kind: 'class', sensorClass: 'clients', id: 8 } } as const;
  t.same(await plan.read(device(4, 'ap-lobby-01.lab'), step), { skip: 'foreign' }, "another device's sensor");
  t.match(await plan.read(device(1, '192.168.56.10'), step), { records: [{ id: 8, value: 4 }] }, 'its own');
  t.same(await plan.read(device(4), { ...step, payload: { kind: 'class', sensorClass: 'ccq', id: 1 } }), { skip: 'foreign' }, 'another class than asked');
  t.same(await plan.read(device(4), { ...step, payload: { kind: 'class', sensorClass: 'clients', id: 999 } }), { skip: 'gone' });
});

t.test(
  "a normal user's token: its own devices only; a 500 of one device (26.7's unknown host) leaves the rest; 403 everywhere fails just health",
  async (t) => {
    const state = labState();
    state.tokens = new Map([['user-token-2', { role: 'user', deviceIds: [2, 4] }]]);
    const double = await startLibreNmsDouble({ version: '26.7.0', state });
    t.teardown(() => double.close());
    const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health,wireless', LIBRENMS_TOKEN: 'user-token-2' });
    const parsed = await exporter.scrape();
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'health' }), 1);
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'wireless' }), 1);
    const mine = new Set(['librenms.lab', 'ap-lobby-01.lab']);
    t.same(
      lines(parsed, HEALTH_FAMILY),
      expectedHealth(double.state).filter((l) => [...mine].some((h) => l.includes(`hostname="${h}"`))),
      "exactly its devices' items",
    );
    t.ok(
      double.requests.filter((r) => HEALTH.test(r.path)).every((r) => /\/devices\/[24]\//.test(r.path)),
      'no request for another device',
    );
    t.equal(find(parsed, 'librenms_wireless_clients').length, 2, "the AP's clients");

    // A device LibreNMS no longer knows by the time it is read: 26.7 answers a user 500 (TypeError).
    double.clearFaults();
    double.addFault({ path: '/api/v0/devices/2/health/device_storage', fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' } });
    exporter.clock.now += 61 * MINUTE;
    const partly = await exporter.scrape();
    t.equal(valueOf(partly, 'librenms_scrape_collector_success', { collector: 'health' }), 0, 'partly failed');
    t.ok(find(partly, 'librenms_processor_usage_ratio', { hostname: 'librenms.lab' }).length > 0, "the device's other items are served");
    t.ok(find(partly, 'librenms_storage_used_bytes', { hostname: 'librenms.lab' }).length > 0, 'its storage items too, read by id under the list kept');
    t.equal(valueOf(partly, 'librenms_scrape_collector_success', { collector: 'devices' }), 1, 'nothing else breaks');

    // 403 on every health route: health fails (failure as data), the others do not.
    const refused = await startLibreNmsDouble({ version: '26.7.0' });
    t.teardown(() => refused.close());
    refused.addFault({
      path: HEALTH,
      fault: { kind: 'status', status: 403, body: '{"status":"error","message":"Insufficient permissions to access this device"}' },
    });
    const denied = await fakeClockExporter(t, refused, { COLLECTORS: 'devices,ports,health' });
    const none = await denied.scrape();
    t.equal(valueOf(none, 'librenms_scrape_collector_success', { collector: 'health' }), 0);
    t.equal(valueOf(none, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
    t.match(String(denied.logs.find((l) => l['event'] === 'collector_failed')?.['msg']), /collector health failed: .*403/);
  },
);

t.test('health on a fake clock: HEALTH_MAX_REQUESTS per refresh, items again after HEALTH_INTERVAL_SECONDS, lists after four', async (t) => {
  const double = await startLibreNmsDouble({ version: '26.7.0' });
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health', HEALTH_MAX_REQUESTS: '10', CACHE_TTL_SECONDS: '60', CONCURRENCY: '2' });
  const total = 3 * 4 + 17; // lists of the 4 devices, and their items (the deleted pool too)
  const perRefresh: number[] = [];
  let parsed: ParsedExposition | undefined;
  const start = exporter.clock.now;
  for (let minute = 0; minute < 75; minute++) {
    exporter.clock.now = start + minute * MINUTE;
    const before = count(double, HEALTH);
    parsed = await exporter.scrape();
    perRefresh.push(count(double, HEALTH) - before);
    if (minute === 0) {
      t.ok((valueOf(parsed, 'librenms_exporter_health_unlisted_devices') ?? 0) > 0, 'not every device listed yet');
      t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'health' }), 1, 'a deferred read is no failure');
    }
  }
  t.same(perRefresh.slice(0, 4), [10, 10, 9, 0], 'the first pass within the budget');
  t.equal(
    perRefresh.slice(0, 15).reduce((a, b) => a + b, 0),
    total,
    'nothing read twice within the interval',
  );
  t.equal(
    perRefresh.slice(15, 18).reduce((a, b) => a + b, 0),
    16,
    'after 15 minutes each item again (the deleted pool waits for its list), lists not',
  );
  t.equal(
    perRefresh.slice(60, 63).reduce((a, b) => a + b, 0),
    total,
    'after an hour, lists too',
  );
  t.ok(
    perRefresh.every((n) => n <= 10),
    'never more than the budget',
  );
  t.same(lines(parsed as ParsedExposition, HEALTH_FAMILY), expectedHealth(double.state), 'everything served in between');
});

t.test('health answers are served up to HEALTH_INTERVAL_SECONDS plus CACHE_MAX_AGE_SECONDS while reads fail, counted stale, then unread', async (t) => {
  const double = await startLibreNmsDouble({ version: '26.7.0' });
  t.teardown(() => double.close());
  const exporter = await fakeClockExporter(t, double, { COLLECTORS: 'devices,health', CACHE_TTL_SECONDS: '60', CACHE_MAX_AGE_SECONDS: '900' });
  await exporter.scrape();
  double.addFault({ path: HEALTH_ITEM, fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' } });
  const start = exporter.clock.now;
  exporter.clock.now = start + 20 * MINUTE;
  const stale = await exporter.scrape();
  t.equal(valueOf(stale, 'librenms_exporter_health_stale_items'), 16, 'every item past its interval, served');
  t.same(lines(stale, HEALTH_FAMILY), expectedHealth(double.state));
  exporter.clock.now = start + 31 * MINUTE;
  const gone = await exporter.scrape();
  t.equal(find(gone, 'librenms_processor_usage_ratio').length, 0, 'past 30 minutes nothing is served');
  t.equal(valueOf(gone, 'librenms_exporter_health_unread_items'), 16);
  t.equal(valueOf(gone, 'librenms_scrape_collector_success', { collector: 'health' }), 0, 'the failed reads are said');
});

t.test('a scaled install: the first pass and the steady rate follow from the items, the intervals and the budget', async (t) => {
  // 30 devices with 2 processors, 2 memory pools and 4 storage each, 6 of them with 6 wireless sensors.
  const state = syntheticState({ devices: 30, portsPerDevice: 1 });
  addSyntheticHealth(state, { processors: 2, mempools: 2, storage: 4, wirelessEvery: 5, wirelessSensors: 6 });
  const double = await startLibreNmsDouble({ version: '26.7.0', state });
  t.teardown(() => double.close());
  const selected = state.devices.filter((d) => !d.disabled).length;
  const exporter = await fakeClockExporter(t, double, {
    COLLECTORS: 'devices,health,wireless',
    HEALTH_MAX_REQUESTS: '30',
    WIRELESS_MAX_REQUESTS: '30',
    CACHE_TTL_SECONDS: '60',
  });
  const start = exporter.clock.now;
  const health: number[] = [];
  const wireless: number[] = [];
  for (let minute = 0; minute < 30; minute++) {
    exporter.clock.now = start + minute * MINUTE;
    const h = count(double, HEALTH);
    const w = count(double, WIRELESS);
    await exporter.scrape();
    health.push(count(double, HEALTH) - h);
    wireless.push(count(double, WIRELESS) - w);
  }
  const sum = (list: number[], from: number, to: number): number => list.slice(from, to).reduce((a, b) => a + b, 0);
  const firstPass = selected * (3 + 8);
  t.equal(sum(health, 0, 15), firstPass, `the first pass: ${firstPass} requests`);
  t.same(health.slice(0, 11), Array(11).fill(30), 'at the budget until done');
  t.equal(sum(health, 15, 30), selected * 8, 'then the items once per 15 minutes');
  t.equal(wireless[0], selected, 'wireless: one request per device');
  const withSensors = state.devices.filter((d) => !d.disabled && d.device_id % 5 === 0).length;
  t.equal(sum(wireless, 1, 20), withSensors * 3, 'then every 5 minutes the devices with sensors only');
  t.equal(wireless[20], selected, 'and every 20 minutes all');
});
