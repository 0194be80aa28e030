/**
 * The benchmark's extra rows (librenms-double/synthetic-extra.ts): deterministic per seed, in the
 * shares of EXTRA_MIX, consistent with the install they are added to, served by the double's routes,
 * and exported by every collector of issue 23.
 */
import t from 'tap';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { syntheticState } from '../librenms-double/fixtures.js';
import { addSyntheticExtra, EXTRA_MIX } from '../librenms-double/synthetic-extra.js';
import { COLLECTORS } from '../src/collectors/index.js';
import { find, valueOf } from './helpers/exposition.js';
import { fakeClockExporter } from './helpers/fake-clock-exporter.js';

const withExtra = (seed: number, devices = 40) => {
  const state = syntheticState({ devices, portsPerDevice: 6, seed });
  const counts = addSyntheticExtra(state, seed);
  return { state, counts };
};

t.test('the same seed gives the same rows; another seed other rows', async (t) => {
  const a = withExtra(7);
  const b = withExtra(7);
  t.same(a.state, b.state, 'same seed, same state');
  t.same(a.counts, b.counts);
  const c = withExtra(8);
  t.not(JSON.stringify(c.state.bgpPeers), JSON.stringify(a.state.bgpPeers), 'another seed, other peers');
});

t.test('the rows follow EXTRA_MIX and belong to the install', async (t) => {
  const { state, counts } = withExtra(3, 200);
  const devicesWith = (rows: readonly { device_id: number }[]) => new Set(rows.map((r) => r.device_id)).size;
  t.equal(devicesWith(state.bgpPeers), 200 * EXTRA_MIX.bgpDevices, 'BGP on a tenth of the devices');
  t.equal(devicesWith(state.ospfNeighbors), 200 * EXTRA_MIX.ospfDevices, 'OSPF on a tenth');
  t.equal(devicesWith(state.services), 200 * EXTRA_MIX.serviceDevices, 'services on a quarter');
  t.equal(state.services.length, 200 * EXTRA_MIX.serviceDevices * EXTRA_MIX.servicesPerDevice);
  t.equal(devicesWith(state.wirelessSensors), 200 * EXTRA_MIX.wirelessDevices, 'wireless on a twentieth');
  t.equal(devicesWith(state.processors), 200, 'processors on every device');
  t.equal(devicesWith(state.mempools), 200);
  t.equal(devicesWith(state.storage), 200);
  t.equal(state.pollerNodes.length, EXTRA_MIX.pollerNodes);
  const perDevice = (rows: readonly { device_id: number }[]) => {
    const m = new Map<number, number>();
    for (const r of rows) m.set(r.device_id, (m.get(r.device_id) ?? 0) + 1);
    return [...m.values()];
  };
  const within = (values: number[], [low, high]: readonly [number, number], what: string) =>
    t.ok(
      values.every((v) => v >= low && v <= high),
      `${what}: ${low}–${high} per device`,
    );
  within(perDevice(state.bgpPeers), EXTRA_MIX.bgpPeers, 'BGP peers');
  within(perDevice(state.ospfNeighbors), EXTRA_MIX.ospfNeighbours, 'OSPF neighbours');
  within(perDevice(state.processors), EXTRA_MIX.processors, 'processors');
  within(perDevice(state.mempools), EXTRA_MIX.mempools, 'memory pools');
  within(perDevice(state.storage), EXTRA_MIX.storage, 'storage');
  within(perDevice(state.wirelessSensors), EXTRA_MIX.wirelessSensors, 'wireless sensors');
  t.ok(
    state.bgpPeers.some((p) => p.bgpPeerState !== 'established'),
    'some peers are not established',
  );
  t.ok(new Set(state.bgpCounters.map((c) => `${c.afi}.${c.safi}`)).size >= 3, 'several address families');
  t.ok(state.services.some((s) => s.service_status === 1) && state.services.some((s) => s.service_status === 2), 'some services warn, some are critical');
  const ports = new Map(state.ports.map((p) => [p.port_id, p.device_id]));
  t.ok(
    state.ospfPorts.every((p) => ports.get(p.port_id) === p.device_id),
    "every OSPF interface is on one of its device's ports",
  );
  for (const [name, ids] of [
    ['bgpPeer_id', state.bgpPeers.map((p) => p.bgpPeer_id)],
    ['processor_id', state.processors.map((p) => p.processor_id)],
    ['storage_id', state.storage.map((p) => p.storage_id)],
    ['sensor_id', state.wirelessSensors.map((p) => p.sensor_id)],
  ] as const) {
    t.equal(new Set(ids).size, ids.length, `${name} is unique`);
  }
  t.equal(counts.bgpPeers, state.bgpPeers.length);
  t.equal(counts.healthRequests, 3 * 200 + state.processors.length + state.mempools.length + state.storage.length);
});

t.test('the double serves the rows, and every collector exports them', async (t) => {
  const { state } = withExtra(5, 12);
  const double = await startLibreNmsDouble({ state, version: '26.7.0' });
  t.teardown(() => double.close());
  const get = async (path: string): Promise<Record<string, unknown>> => {
    const response = await request(`${double.url}/api/v0/${path}`, { headers: { 'x-auth-token': double.token } });
    t.equal(response.statusCode, 200, path);
    return (await response.body.json()) as Record<string, unknown>;
  };
  const rows = (body: Record<string, unknown>, key: string) => (body[key] as unknown[]).length;
  t.equal(rows(await get('bgp'), 'bgp_sessions'), state.bgpPeers.length);
  t.equal(rows(await get('routing/bgp/cbgp'), 'bgp_counters'), state.bgpCounters.length);
  t.equal(rows(await get('ospf'), 'ospf_neighbours'), state.ospfNeighbors.length);
  t.equal(rows(await get('ospf_ports'), 'ospf_ports'), state.ospfPorts.length);
  t.equal(((await get('services'))['services'] as unknown[][])[0]?.length, state.services.length);
  t.equal(rows(await get('pollers'), 'pollers'), EXTRA_MIX.pollerNodes);
  const device = state.processors[0]?.device_id as number;
  t.equal(rows(await get(`devices/${device}/health/device_processor`), 'graphs'), state.processors.filter((p) => p.device_id === device).length);
  const wireless = state.wirelessSensors[0]?.device_id as number;
  t.ok(rows(await get(`devices/${wireless}/wireless-sensors`), 'wireless_sensors') > 0, 'wireless sensors are served');

  const exporter = await fakeClockExporter(t, double, { COLLECTORS: COLLECTORS.map((c) => c.name).join(',') });
  const parsed = await exporter.scrape();
  for (const c of COLLECTORS) t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: c.name }), 1, `${c.name} succeeds`);
  for (const family of [
    'librenms_bgp_peer_state',
    'librenms_ospf_neighbor_state',
    'librenms_service_status',
    'librenms_poller_workers',
    'librenms_processor_usage_ratio',
    'librenms_mempool_used_bytes',
    'librenms_storage_used_bytes',
    'librenms_wireless_clients',
  ]) {
    t.ok(find(parsed, family).length > 0, `${family} has series`);
  }
});
