/**
 * Routing, services, pollers, health and wireless rows for a synthetic install (fixtures.ts,
 * syntheticState), so that `npm run bench` measures issue 23's collectors on something: the synthetic
 * estate has devices and ports only. Deterministic per seed, scaled with the number of devices. The
 * mix (docs/performance.md, "With every collector") is {@link EXTRA_MIX}:
 * - BGP on a tenth of the devices, 2–8 peers each (about one in twelve not established, a quarter over
 *   IPv6 written out in full as LibreNMS stores them), prefix counters for every peer's address family
 *   and a second family (ipv4 vpn or multicast) for a third of them, one peer in a VRF on a fifth of
 *   those devices;
 * - OSPF on a tenth of the devices: 1–4 neighbours (a few not full), each with its interface on one of
 *   the device's ports;
 * - 2 services on a quarter of the devices (about 8 % warning, 4 % critical, 1 % unknown);
 * - 2 dispatcher nodes with their worker types (list_pollers answers the nodes);
 * - on every device 1–4 processors, 2–3 memory pools and 2–6 storage items;
 * - wireless sensors (3–9, over five classes) on a twentieth of the devices.
 * At least one device gets each kind, so the lab size (one device) measures every collector too.
 */
import { mempoolRow, processorRow, storageRow, wirelessRow } from './health.js';
import { bgpCounterRow, bgpPeerRow, ospfNeighborRow, ospfPortRow, pollerNodeRow, serviceRow } from './routing-rows.js';
import { makeRng, type SimState } from './state.js';

/** The share of devices given each kind of row, and how many rows a device gets (inclusive ranges). */
export const EXTRA_MIX = {
  bgpDevices: 0.1,
  bgpPeers: [2, 8],
  ospfDevices: 0.1,
  ospfNeighbours: [1, 4],
  serviceDevices: 0.25,
  servicesPerDevice: 2,
  pollerNodes: 2,
  processors: [1, 4],
  mempools: [2, 3],
  storage: [2, 6],
  wirelessDevices: 0.05,
  wirelessSensors: [3, 9],
} as const;

/** How many rows {@link addSyntheticExtra} added, and what a full read of health and wireless costs. */
export interface ExtraCounts {
  readonly bgpPeers: number;
  readonly bgpCounters: number;
  readonly ospfNeighbours: number;
  readonly ospfInterfaces: number;
  readonly services: number;
  readonly pollerNodes: number;
  readonly processors: number;
  readonly mempools: number;
  readonly storage: number;
  readonly wirelessSensors: number;
  /** Health requests to read every item once: three lists per device plus one per item. */
  readonly healthRequests: number;
  /** Devices the wireless collector reads (one request each). */
  readonly wirelessDevices: number;
}

const GIB = 1024 ** 3;
const NOT_ESTABLISHED = ['idle', 'active', 'connect', 'opensent'] as const;
const NOT_FULL = ['init', 'twoWay', 'exchangeStart'] as const;
const SERVICE_TYPES = ['icmp', 'http', 'ssh', 'dns', 'ntp'] as const;
const WIRELESS_CLASSES = [
  ['clients', 'Clients: Radio', 0, 60],
  ['rate', 'Tx rate: Radio', 6e6, 866e6],
  ['noise-floor', 'Noise floor: Radio', -100, -85],
  ['ccq', 'CCQ: Radio', 70, 100],
  ['frequency', 'Frequency: Radio', 2412, 5825],
] as const;

/**
 * Adds the rows of {@link EXTRA_MIX} to the devices of `s`, ids counted on from the state's largest.
 * The same state and seed give the same rows.
 */
export function addSyntheticExtra(s: SimState, seed = 42): ExtraCounts {
  const rng = makeRng(seed ^ 0x5eed23);
  const between = (range: readonly [number, number]): number => range[0] + Math.floor(rng() * (range[1] - range[0] + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const nextId = (ids: readonly number[]): (() => number) => {
    let id = ids.reduce((a, b) => Math.max(a, b), 0);
    return () => ++id;
  };
  /** `share` of the devices (at least one), chosen by the seed, in device order. */
  const someDevices = (share: number): number[] => {
    const ids = s.devices.map((d) => d.device_id);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [ids[i], ids[j]] = [ids[j] as number, ids[i] as number];
    }
    const count = ids.length === 0 ? 0 : Math.max(1, Math.round(ids.length * share));
    return ids.slice(0, count).sort((a, b) => a - b);
  };
  const portsOf = new Map<number, number[]>();
  for (const p of s.ports) {
    const list = portsOf.get(p.device_id);
    if (list === undefined) portsOf.set(p.device_id, [p.port_id]);
    else list.push(p.port_id);
  }
  const now = s.clock;
  const before = {
    bgpPeers: s.bgpPeers.length,
    bgpCounters: s.bgpCounters.length,
    ospfNeighbours: s.ospfNeighbors.length,
    ospfInterfaces: s.ospfPorts.length,
    services: s.services.length,
    pollerNodes: s.pollerNodes.length,
    processors: s.processors.length,
    mempools: s.mempools.length,
    storage: s.storage.length,
    wirelessSensors: s.wirelessSensors.length,
  };

  // BGP
  const peerId = nextId(s.bgpPeers.map((p) => p.bgpPeer_id));
  const vrfId = nextId(s.vrfs.map((v) => v.vrf_id));
  for (const deviceId of someDevices(EXTRA_MIX.bgpDevices)) {
    const inVrf = rng() < 0.2 ? vrfId() : null;
    if (inVrf !== null) {
      s.vrfs.push({
        vrf_id: inVrf,
        vrf_oid: `8.67.85.83.84.${deviceId}`,
        vrf_name: `CUST-${deviceId}`,
        bgpLocalAs: 65000,
        mplsVpnVrfRouteDistinguisher: `65000:${deviceId}`,
        mplsVpnVrfDescription: `customer ${deviceId}`,
        device_id: deviceId,
      });
    }
    const peers = between(EXTRA_MIX.bgpPeers);
    for (let i = 0; i < peers; i++) {
      const v6 = rng() < 0.25;
      const octet = (deviceId % 250) + 1;
      const identifier = v6
        ? `2001:0db8:${deviceId.toString(16).padStart(4, '0')}:0000:0000:0000:0000:${(i + 2).toString(16).padStart(4, '0')}`
        : `10.${200 + (deviceId % 50)}.${octet}.${i + 2}`;
      const established = rng() >= 1 / 12;
      const vrf = inVrf !== null && i === 0;
      const peer = bgpPeerRow({
        bgpPeer_id: peerId(),
        device_id: deviceId,
        vrf_id: vrf ? inVrf : null,
        astext: `AS-PEER-${i + 1}`,
        bgpPeerIdentifier: identifier,
        bgpPeerRemoteAs: i === 0 ? 65000 : 64512 + Math.floor(rng() * 1000),
        bgpPeerState: established ? 'established' : pick(NOT_ESTABLISHED),
        bgpPeerAdminStatus: established || rng() < 0.5 ? 'start' : 'stop',
        ...(established ? {} : { bgpPeerLastErrorCode: 6, bgpPeerLastErrorSubCode: 2, bgpPeerLastErrorText: 'Cease/Administrative Shutdown' }),
        bgpLocalAddr: v6 ? `2001:0db8:${deviceId.toString(16).padStart(4, '0')}:0000:0000:0000:0000:0001` : `10.${200 + (deviceId % 50)}.${octet}.1`,
        bgpPeerDescr: `peer ${i + 1} of device ${deviceId}`,
        bgpPeerInUpdates: Math.floor(rng() * 1e6),
        bgpPeerOutUpdates: Math.floor(rng() * 1e5),
        bgpPeerInTotalMessages: Math.floor(rng() * 1e7),
        bgpPeerOutTotalMessages: Math.floor(rng() * 1e7),
        bgpPeerFsmEstablishedTime: Math.floor(rng() * 86400 * 90),
        bgpPeerInUpdateElapsedTime: Math.floor(rng() * 600),
        context_name: vrf ? `CUST-${deviceId}` : '',
      });
      s.bgpPeers.push(peer);
      const families: [string, string][] = [[v6 ? 'ipv6' : 'ipv4', 'unicast']];
      if (!v6 && rng() < 1 / 3) families.push(['ipv4', rng() < 0.5 ? 'vpn' : 'multicast']);
      for (const [afi, safi] of families) {
        const counts = {
          accepted: established ? Math.floor(rng() * 50000) : 0,
          denied: Math.floor(rng() * 20),
          advertised: Math.floor(rng() * 500),
          withdrawn: Math.floor(rng() * 100),
          limit: rng() < 0.5 ? 100000 : 0,
        };
        s.bgpCounters.push(bgpCounterRow(deviceId, identifier, afi, safi, counts, peer.context_name ?? ''));
      }
    }
  }

  // OSPF: a neighbour per interface, the interface on one of the device's ports.
  const neighbourId = nextId(s.ospfNeighbors.map((n) => n.id));
  const interfaceId = nextId(s.ospfPorts.map((p) => p.id));
  for (const deviceId of someDevices(EXTRA_MIX.ospfDevices)) {
    const ports = portsOf.get(deviceId) ?? [];
    const neighbours = between(EXTRA_MIX.ospfNeighbours);
    for (let i = 0; i < neighbours; i++) {
      const portId = ports.length === 0 ? null : (ports[(ports.length - 1 - i + ports.length) % ports.length] as number);
      const local = `172.${16 + (deviceId % 16)}.${deviceId % 250}.${4 * i + 1}`;
      const remote = `172.${16 + (deviceId % 16)}.${deviceId % 250}.${4 * i + 2}`;
      const area = i === 0 ? '0.0.0.0' : `0.0.0.${1 + (deviceId % 4)}`;
      s.ospfNeighbors.push(
        ospfNeighborRow({
          id: neighbourId(),
          device_id: deviceId,
          port_id: portId,
          ospfNbrIpAddr: remote,
          ospfNbrRtrId: `10.255.${deviceId % 250}.${i + 2}`,
          ospfNbrState: rng() < 0.08 ? pick(NOT_FULL) : 'full',
        }),
      );
      if (portId === null) continue;
      s.ospfPorts.push(
        ospfPortRow({
          id: interfaceId(),
          device_id: deviceId,
          port_id: portId,
          ospfIfIpAddress: local,
          ospfIfAreaId: area,
          ospfIfType: 'pointToPoint',
          ospfIfState: 'pointToPoint',
          ospfIfMetricValue: 10 * (i + 1),
        }),
      );
    }
  }

  // Services: plugin exit codes 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
  const serviceId = nextId(s.services.map((x) => x.service_id));
  for (const deviceId of someDevices(EXTRA_MIX.serviceDevices)) {
    const ip = s.devices.find((d) => d.device_id === deviceId)?.ip ?? null;
    for (let i = 0; i < EXTRA_MIX.servicesPerDevice; i++) {
      const type = i === 0 ? 'icmp' : pick(SERVICE_TYPES.slice(1));
      const r = rng();
      const status = r < 0.87 ? 0 : r < 0.95 ? 1 : r < 0.99 ? 2 : 3;
      s.services.push(
        serviceRow({
          service_id: serviceId(),
          device_id: deviceId,
          service_ip: ip,
          service_type: type,
          service_desc: `${type} check`,
          service_status: status,
          service_changed: now - Math.floor(rng() * 86400 * 30),
          service_message: ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'][status] ?? null,
          service_ds: '{"time":"s"}',
          service_name: type,
        }),
      );
    }
  }

  // Dispatcher nodes, the devices split between them.
  const nodeId = nextId(s.pollerNodes.map((n) => n.id));
  const statId = nextId(s.pollerStats.map((x) => x.id));
  for (let i = 0; i < EXTRA_MIX.pollerNodes; i++) {
    const id = nodeId();
    s.pollerNodes.push(
      pollerNodeRow({
        id,
        node_id: `node${seed.toString(16)}${id}`,
        poller_name: `librenms-poller-${i + 1}`,
        poller_groups: '0',
        last_report: now - 30 - i * 15,
        master: i === 0 ? 1 : 0,
      }),
    );
    const devices = Math.ceil(s.devices.length / EXTRA_MIX.pollerNodes);
    for (const [type, frequency, workers] of [
      ['alerting', 60, 1],
      ['discovery', 21600, 4],
      ['ping', 60, 1],
      ['poller', 300, 24],
      ['services', 300, 8],
    ] as const) {
      s.pollerStats.push({
        id: statId(),
        parent_poller: id,
        poller_type: type,
        depth: Math.floor(rng() * 5),
        devices: type === 'alerting' ? 0 : devices,
        worker_seconds: Math.round(rng() * workers * frequency * 100) / 100,
        workers,
        frequency,
      });
    }
  }

  // Health on every device.
  const processorId = nextId(s.processors.map((p) => p.processor_id));
  const mempoolId = nextId(s.mempools.map((m) => m.mempool_id));
  const storageId = nextId(s.storage.map((x) => x.storage_id));
  let healthRequests = 0;
  for (const device of s.devices) {
    const deviceId = device.device_id;
    const processors = between(EXTRA_MIX.processors);
    for (let i = 0; i < processors; i++) {
      s.processors.push(
        processorRow({
          processor_id: processorId(),
          device_id: deviceId,
          processor_type: 'cpm',
          processor_index: String(7000 + i),
          processor_descr: `Switch 1 - Processor ${i}`,
          processor_usage: Math.floor(rng() * rng() * 100),
        }),
      );
    }
    const mempools = between(EXTRA_MIX.mempools);
    for (let i = 0; i < mempools; i++) {
      const total = [4, 0.5, 0.25][i] ?? 1;
      s.mempools.push(
        mempoolRow({
          mempool_id: mempoolId(),
          device_id: deviceId,
          mempool_type: 'cemp',
          mempool_class: 'system',
          mempool_index: `1.${i + 1}`,
          mempool_descr: ['Processor', 'lsmpi_io', 'reserve Processor'][i] ?? `Pool ${i}`,
          mempool_total: total * GIB,
          mempool_used: rng() * total * GIB,
        }),
      );
    }
    const storage = between(EXTRA_MIX.storage);
    for (let i = 0; i < storage; i++) {
      const size = [16, 2, 1, 0.5, 0.25, 0.125][i] ?? 1;
      s.storage.push(
        storageRow({
          storage_id: storageId(),
          device_id: deviceId,
          type: 'cisco-flash',
          storage_type: 'flash',
          storage_index: `1.${i + 1}`,
          storage_descr: i === 0 ? 'flash:' : `flash-${i}:`,
          storage_size: size * GIB,
          storage_used: rng() * size * GIB,
        }),
      );
    }
    healthRequests += 3 + processors + mempools + storage;
  }

  // Wireless sensors.
  const sensorId = nextId(s.wirelessSensors.map((w) => w.sensor_id));
  const wirelessDevices = someDevices(EXTRA_MIX.wirelessDevices);
  for (const deviceId of wirelessDevices) {
    const sensors = between(EXTRA_MIX.wirelessSensors);
    for (let i = 0; i < sensors; i++) {
      const [sensorClass, descr, low, high] = WIRELESS_CLASSES[i % WIRELESS_CLASSES.length] as (typeof WIRELESS_CLASSES)[number];
      const radio = Math.floor(i / WIRELESS_CLASSES.length) + 1;
      s.wirelessSensors.push(
        wirelessRow({
          sensor_id: sensorId(),
          device_id: deviceId,
          sensor_class: sensorClass,
          sensor_index: `${radio}.${i}`,
          sensor_type: 'ciscowlc',
          sensor_descr: `${descr}${radio}`,
          sensor_current: Math.round(low + rng() * (high - low)),
          lastupdate: now,
        }),
      );
    }
  }

  return {
    bgpPeers: s.bgpPeers.length - before.bgpPeers,
    bgpCounters: s.bgpCounters.length - before.bgpCounters,
    ospfNeighbours: s.ospfNeighbors.length - before.ospfNeighbours,
    ospfInterfaces: s.ospfPorts.length - before.ospfInterfaces,
    services: s.services.length - before.services,
    pollerNodes: s.pollerNodes.length - before.pollerNodes,
    processors: s.processors.length - before.processors,
    mempools: s.mempools.length - before.mempools,
    storage: s.storage.length - before.storage,
    wirelessSensors: s.wirelessSensors.length - before.wirelessSensors,
    healthRequests,
    wirelessDevices: wirelessDevices.length,
  };
}
