/**
 * The bgp, ospf, services and pollers collectors: the mapping of LibreNMS's rows (fixtures), and the
 * collectors against the double on a fake clock: what they export from the field data set, their
 * requests (each route at most once per TTL across scopes, none on a release without the route),
 * empty answers, partial failures, a normal user's token, and what `check` says.
 */
import t, { type Test } from 'tap';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import type { SimState, SimUser } from '../librenms-double/state.js';
import { pollersMissingNotice } from '../src/collectors/pollers.js';
import { runDoctor } from '../src/doctor/doctor.js';
import { EXIT_CODES } from '../src/doctor/messages.js';
import { POLLERS_ROUTE_SINCE, servesRouteSince } from '../src/librenms/endpoints.js';
import { bgpAdminStatus, bgpStateNumber, mapBgpPeers, mapBgpPrefixes, vrfNames } from '../src/mapping/bgp.js';
import { mapDevices } from '../src/mapping/devices.js';
import { mapOspfInterfaces, mapOspfNeighbors } from '../src/mapping/ospf.js';
import { mapPollers } from '../src/mapping/pollers.js';
import { mapServices } from '../src/mapping/services.js';
import { fieldState } from './field/seed.js';
import { find, valueOf } from './helpers/exposition.js';
import { count, fakeClockExporter, MINUTE } from './helpers/fake-clock-exporter.js';
import { lintExposition } from './helpers/lint.js';

const devices = mapDevices(
  [
    { device_id: 1, hostname: 'r1.lab', status: 1, disabled: 0 },
    { device_id: 2, hostname: 'r2.lab', status: 1, disabled: 0 },
  ],
  { includeDisabled: false, timeZone: 'UTC' },
);

// ---------------------------------------------------------------------------------------------
// Mapping

t.test('BGP states and admin status: names as LibreNMS stores them, any case; anything else left out', async (t) => {
  t.same(['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'].map(bgpStateNumber), [1, 2, 3, 4, 5, 6]);
  t.equal(bgpStateNumber('Established'), 6, 'bird2 and others write their own case');
  for (const odd of ['unknown', '', null, 6, 'up']) t.equal(bgpStateNumber(odd), undefined, `${JSON.stringify(odd)} is no state`);
  t.same(['stop', 'halted', 'adminShutdown', 'start', 'running'].map(bgpAdminStatus), [1, 1, 1, 2, 2]);
  for (const odd of ['unknown', 'connectRetry', '', null]) t.equal(bgpAdminStatus(odd), undefined, `${JSON.stringify(odd)} is no admin status`);
});

t.test('BGP peers: the vrf label is the VRF name by vrf_id, else the context, else empty; one series per identity', async (t) => {
  const vrfs = vrfNames([
    { vrf_id: 1, vrf_name: 'CUST-A' },
    { vrf_id: 2, vrf_name: null },
    { vrf_id: 'x', vrf_name: 'bad' },
  ]);
  t.same([...vrfs], [[1, 'CUST-A']]);
  const rows = [
    {
      device_id: 1,
      bgpPeerIdentifier: '10.0.0.2',
      bgpPeerRemoteAs: 65002,
      bgpPeerState: 'established',
      bgpPeerAdminStatus: 'start',
      vrf_id: null,
      context_name: '',
    },
    { device_id: 1, bgpPeerIdentifier: '10.0.0.3', bgpPeerRemoteAs: '4200000001', bgpPeerState: 'idle', vrf_id: 1, context_name: 'ctx' },
    { device_id: 1, bgpPeerIdentifier: '10.0.0.4', bgpPeerRemoteAs: 65004, bgpPeerState: 'active', vrf_id: 2, context_name: 'mgmt' },
    // The same identity again (LibreNMS has no unique key on bgpPeers): the first row is kept.
    { device_id: 1, bgpPeerIdentifier: '10.0.0.2', bgpPeerRemoteAs: 65002, bgpPeerState: 'idle', vrf_id: null, context_name: null },
    { device_id: 9, bgpPeerIdentifier: '10.9.9.9', bgpPeerRemoteAs: 1, bgpPeerState: 'idle' },
    { device_id: 2, bgpPeerIdentifier: '', bgpPeerRemoteAs: 1, bgpPeerState: 'idle' },
    { device_id: 2, bgpPeerIdentifier: '10.2.2.2', bgpPeerRemoteAs: null, bgpPeerState: 'idle' },
    null,
  ];
  const peers = mapBgpPeers(rows, devices, vrfs);
  t.same(
    peers.map((p) => [p.device.hostname, p.peerAddress, p.remoteAs, p.vrf, p.state]),
    [
      ['r1.lab', '10.0.0.2', '65002', '', 6],
      ['r1.lab', '10.0.0.3', '4200000001', 'CUST-A', 1],
      ['r1.lab', '10.0.0.4', '65004', 'mgmt', 3],
    ],
  );
  t.same(mapBgpPeers(rows, devices, new Map())[1]?.vrf, 'ctx', 'without the VRF list the context stands in');
});

t.test('BGP prefix counters join their peer by device, address and context, or by the one peer with that address', async (t) => {
  const peers = mapBgpPeers(
    [
      { device_id: 1, bgpPeerIdentifier: '10.0.0.2', bgpPeerRemoteAs: 65002, bgpPeerState: 'established', context_name: '' },
      { device_id: 2, bgpPeerIdentifier: '10.0.0.9', bgpPeerRemoteAs: 65009, bgpPeerState: 'established', context_name: 'a' },
      { device_id: 2, bgpPeerIdentifier: '10.0.0.9', bgpPeerRemoteAs: 65009, bgpPeerState: 'established', context_name: 'b' },
    ],
    devices,
    new Map(),
  );
  const row = (device_id: number, id: string, safi: string, context_name: string, more: Record<string, unknown> = {}) => ({
    device_id,
    bgpPeerIdentifier: id,
    afi: 'ipv4',
    safi,
    context_name,
    AcceptedPrefixes: 10,
    DeniedPrefixes: 1,
    AdvertisedPrefixes: 2,
    SuppressedPrefixes: 0,
    WithdrawnPrefixes: 3,
    PrefixAdminLimit: 100,
    PrefixThreshold: 75,
    ...more,
  });
  const prefixes = mapBgpPrefixes(
    [
      row(1, '10.0.0.2', 'unicast', ''),
      row(1, '10.0.0.2', 'multicast', 'other-context', { PrefixAdminLimit: 0, AcceptedPrefixes: null }),
      row(1, '10.0.0.2', 'unicast', '', { AcceptedPrefixes: 99 }),
      row(2, '10.0.0.9', 'unicast', 'b'),
      row(2, '10.0.0.9', 'vpn', 'c'),
      row(1, '10.0.0.77', 'unicast', ''),
      row(9, '10.0.0.2', 'unicast', ''),
    ],
    peers,
  );
  t.same(
    prefixes.map((x) => [x.peer.device.hostname, x.peer.peerAddress, x.peer.vrf, x.safi, x.accepted, x.limit, x.limitThresholdRatio]),
    [
      ['r1.lab', '10.0.0.2', '', 'unicast', 10, 100, 0.75],
      ['r1.lab', '10.0.0.2', '', 'multicast', undefined, undefined, undefined],
      ['r2.lab', '10.0.0.9', 'b', 'unicast', 10, 100, 0.75],
    ],
    'the second row of a family is dropped; an ambiguous address without its context, an unknown peer and an unselected device are left out',
  );
});

t.test('OSPF neighbours and interfaces: MIB state names to numbers; the authentication key is never read', async (t) => {
  const neighbors = mapOspfNeighbors(
    [
      { device_id: 1, ospfNbrIpAddr: '10.1.1.2', ospfNbrRtrId: '10.255.0.2', ospfNbrState: 'full', context_name: '' },
      { device_id: 1, ospfNbrIpAddr: '10.1.1.3', ospfNbrRtrId: '10.255.0.3', ospfNbrState: 'exchangeStart', context_name: null },
      { device_id: 1, ospfNbrIpAddr: '10.1.1.4', ospfNbrRtrId: '10.255.0.4', ospfNbrState: 'TWOWAY', context_name: 'vrf1' },
      { device_id: 1, ospfNbrIpAddr: '10.1.1.5', ospfNbrRtrId: '10.255.0.5', ospfNbrState: 'bogus' },
      { device_id: 1, ospfNbrIpAddr: '', ospfNbrRtrId: '10.255.0.6', ospfNbrState: 'full' },
      { device_id: 9, ospfNbrIpAddr: '10.9.9.9', ospfNbrRtrId: '10.9.9.9', ospfNbrState: 'full' },
    ],
    devices,
  );
  t.same(
    neighbors.map((n) => [n.neighborAddress, n.neighborRouterId, n.vrf, n.state]),
    [
      ['10.1.1.2', '10.255.0.2', '', 8],
      ['10.1.1.3', '10.255.0.3', '', 5],
      ['10.1.1.4', '10.255.0.4', 'vrf1', 4],
      ['10.1.1.5', '10.255.0.5', '', undefined],
    ],
  );
  const interfaces = mapOspfInterfaces(
    [
      {
        device_id: 2,
        port_id: 7,
        ospfIfIpAddress: '10.1.1.1',
        ospfIfAreaId: '0.0.0.0',
        ospfIfState: 'designatedRouter',
        ospfIfAdminStat: 'enabled',
        ospfIfMetricValue: 10,
        ospfIfAuthKey: '0x00',
      },
      // Unnumbered interfaces share 0.0.0.0: the port tells them apart.
      {
        device_id: 2,
        port_id: 8,
        ospfIfIpAddress: '0.0.0.0',
        ospfIfAreaId: '0.0.0.1',
        ospfIfState: 'pointToPoint',
        ospfIfAdminStat: 'disabled',
        ospfIfMetricValue: null,
      },
      { device_id: 2, port_id: 9, ospfIfIpAddress: '0.0.0.0', ospfIfAreaId: '0.0.0.1', ospfIfState: 'x', ospfIfAdminStat: 'x' },
    ],
    devices,
  );
  t.same(
    interfaces.map((i) => [i.address, i.area, i.portId, i.state, i.adminStatus, i.cost]),
    [
      ['10.1.1.1', '0.0.0.0', '7', 5, 1, 10],
      ['0.0.0.0', '0.0.0.1', '8', 4, 2, undefined],
      ['0.0.0.0', '0.0.0.1', '9', undefined, undefined, undefined],
    ],
  );
  t.notMatch(JSON.stringify(interfaces), /0x00/);
});

t.test('services: the exit code as stored, a never-changed time left out, disabled and ignored kept with their flags', async (t) => {
  const services = mapServices(
    [
      {
        service_id: 1,
        device_id: 1,
        service_type: 'icmp',
        service_name: 'ping',
        service_status: 0,
        service_changed: 1796000000,
        service_disabled: 0,
        service_ignore: 0,
      },
      {
        service_id: 2,
        device_id: 1,
        service_type: 'http',
        service_name: null,
        service_status: 127,
        service_changed: 0,
        service_disabled: 1,
        service_ignore: 1,
      },
      { service_id: 3, device_id: 2, service_type: 'dns', service_status: -1, service_ip: '192.0.2.53', service_desc: 'resolver' },
      { service_id: 1, device_id: 2, service_type: 'dup', service_status: 0 },
      { service_id: 4, device_id: 2, service_type: '', service_status: 0 },
      { service_id: 5, device_id: 9, service_type: 'ssh', service_status: 2 },
    ],
    devices,
  );
  t.same(
    services.map((s) => [s.serviceId, s.type, s.name, s.status, s.lastChangeSeconds, s.disabled, s.ignored, s.ip, s.description]),
    [
      [1, 'icmp', 'ping', 0, 1796000000, false, false, '', ''],
      [2, 'http', '', 127, undefined, true, true, '', ''],
      [3, 'dns', '', undefined, undefined, undefined, undefined, '192.0.2.53', 'resolver'],
    ],
  );
});

t.test("pollers: both of LibreNMS's shapes, each row by its own keys; the wrapper's time in LibreNMS's zone", async (t) => {
  const pollers = mapPollers(
    [
      {
        id: 1,
        node_id: 'n1',
        poller_name: 'main',
        poller_groups: '0,2',
        last_report: '2026-12-06T21:33:07.000000Z',
        master: 1,
        stats: [
          { poller_type: 'poller', depth: 0, devices: 1834, worker_seconds: 5120.7, workers: 24, frequency: 300 },
          { poller_type: 'poller', depth: 9, devices: 9, worker_seconds: 9, workers: 9, frequency: 9 },
          { poller_type: 'ping', depth: null, devices: 2000, worker_seconds: 12.5, workers: 1, frequency: 60 },
        ],
      },
      { id: 2, poller_name: 'old', last_polled: '2026-12-06 21:31:37', devices: 166, time_taken: 301.9 },
      { id: 3, poller_name: 'main', last_polled: '2026-12-06 21:31:37' },
      { id: 4, poller_name: '' },
    ],
    '+07:00',
  );
  t.same(
    pollers.map((p) => [p.poller, p.kind, p.nodeId, p.groups, p.lastReportSeconds, p.master, p.runDurationSeconds]),
    [
      ['main', 'dispatcher', 'n1', '0,2', Date.UTC(2026, 11, 6, 21, 33, 7) / 1000, 1, undefined],
      ['old', 'wrapper', '', '', Date.UTC(2026, 11, 6, 14, 31, 37) / 1000, undefined, 301.9],
    ],
  );
  t.same(pollers[0]?.types, [
    { type: 'poller', devices: 1834, workerBusySeconds: 5120.7, workers: 24, intervalSeconds: 300, queueDepth: 0 },
    { type: 'ping', devices: 2000, workerBusySeconds: 12.5, workers: 1, intervalSeconds: 60, queueDepth: undefined },
  ]);
  t.same(pollers[1]?.types, [
    { type: 'poller', devices: 166, workerBusySeconds: undefined, workers: undefined, intervalSeconds: undefined, queueDepth: undefined },
  ]);
});

t.test('which versions serve a route: releases by number, dev builds of the first release and later describes asked', async (t) => {
  const cases: Array<[string | undefined, boolean | undefined]> = [
    ['22.11.0', false],
    ['25.4.0', false],
    ['25.12.3', false],
    ['26.1.0', true],
    ['26.7.0', true],
    ['26.1.0-dev.5+abc1234', undefined],
    ['25.12.0-dev.3+abc1234', false],
    ['26.2.0-dev.1+abc1234', true],
    ['25.4.0-45-gabc1234', undefined],
    ['26.1.0-3-gabc1234', true],
    ['not a version', undefined],
    [undefined, undefined],
  ];
  for (const [version, serves] of cases) t.equal(servesRouteSince(version, POLLERS_ROUTE_SINCE), serves, String(version));
});

// ---------------------------------------------------------------------------------------------
// The collectors against the double

const ROUTING_COLLECTORS = 'devices,bgp,ospf,services,pollers';
const READ_TOKEN = 'read-token-0123456789abcdef';
const USER_TOKEN = 'user-token-0123456789abcdef';
const FIELD_CLOCK = 1_800_000_000;

/** The field data set (seed.ts) in the double, with a global-read and a normal user's token. */
function state(version: string, change: (s: SimState) => void = () => undefined): SimState {
  const s = fieldState(FIELD_CLOCK, version);
  s.tokens = new Map<string, SimUser>([
    [READ_TOKEN, { role: 'global-read' }],
    [USER_TOKEN, { role: 'user', deviceIds: [1] }],
  ]);
  change(s);
  return s;
}

async function double(t: Test, version: string, change?: (s: SimState) => void) {
  const d = await startLibreNmsDouble({ version, state: state(version, change) });
  t.teardown(() => d.close());
  return d;
}

t.test('26.7: every routing family from the field data set, and promtool finds nothing', async (t) => {
  const d = await double(t, '26.7.0');
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS });
  const parsed = await exporter.scrape();
  for (const collector of ['bgp', 'ospf', 'services', 'pollers']) t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 1, collector);

  // BGP: peers of exported devices with a state; the disabled firewall's and the never-polled one are not there.
  const peers = find(parsed, 'librenms_bgp_peer_state').map((s) => `${s.labels['hostname']} ${s.labels['peer_address']} ${s.labels['vrf']} ${s.value}`);
  t.same(peers.sort(), [
    '192.168.56.10 10.0.0.2  6',
    '192.168.56.10 2001:0db8:0000:0000:0000:0000:0000:0002  3',
    '192.168.56.11 10.0.1.1  6',
    '192.168.56.12 192.0.2.1  1',
    'pdu-1.lab 10.7.7.1  5',
    'sw-muted.lab 10.9.9.1 mgmt 2',
    'sw-muted.lab 198.51.100.7 CUST-A 1',
    'sw-muted.lab 203.0.113.9  4',
  ]);
  const junos = { hostname: 'sw-muted.lab', peer_address: '10.9.9.5' };
  t.equal(find(parsed, 'librenms_bgp_peer_state', junos).length, 0, "Junos's unknown state is left out");
  t.equal(find(parsed, 'librenms_bgp_peer_info', junos).length, 1, 'but the peer is listed');
  t.equal(find(parsed, 'librenms_bgp_peer_admin_status', junos).length, 0);
  const vrfPeer = { hostname: 'sw-muted.lab', peer_address: '198.51.100.7', remote_as: '64512', vrf: 'CUST-A' };
  t.equal(valueOf(parsed, 'librenms_bgp_peer_admin_status', vrfPeer), 1, 'halted');
  t.equal(valueOf(parsed, 'librenms_bgp_peer_established_seconds', vrfPeer), 259200);
  t.same(
    find(parsed, 'librenms_bgp_peer_fsm_state', vrfPeer).map((s) => `${s.labels['state']}=${s.value}`),
    ['idle=1', 'connect=0', 'active=0', 'opensent=0', 'openconfirm=0', 'established=0'],
  );
  t.equal(
    valueOf(parsed, 'librenms_bgp_peer_accepted_prefixes', { ...vrfPeer, afi: 'ipv4', safi: 'vpn' }),
    17,
    'counters under another context join the one peer',
  );
  t.equal(valueOf(parsed, 'librenms_bgp_peer_prefix_limit_threshold_ratio', { ...vrfPeer, safi: 'vpn' }), 0.8);
  t.equal(find(parsed, 'librenms_bgp_peer_state', { remote_as: '4200000001' }).length, 1, '4-byte ASN');
  const core = { hostname: '192.168.56.11', peer_address: '10.0.1.1' };
  t.same(
    find(parsed, 'librenms_bgp_peer_accepted_prefixes', core).map((s) => `${s.labels['afi']}/${s.labels['safi']}=${s.value}`),
    ['ipv4/unicast=250', 'ipv4/vpn=40'],
  );
  t.equal(find(parsed, 'librenms_bgp_peer_prefix_limit', core).length, 0, 'no maximum-prefix: no limit series');
  t.equal(valueOf(parsed, 'librenms_bgp_peer_info', core), 1);
  t.equal(find(parsed, 'librenms_bgp_peer_info', { ...core, description: 'iBGP to "MikroTik"', as_name: 'LAB-MIKROTIK' }).length, 1);
  t.equal(find(parsed, 'librenms_bgp_peer_accepted_prefixes', { peer_address: '10.0.1.9' }).length, 0, 'counters of a peer /bgp does not list');

  // OSPF
  t.same(
    find(parsed, 'librenms_ospf_neighbor_state')
      .map((s) => `${s.labels['hostname']} ${s.labels['neighbor_address']} ${s.labels['vrf']} ${s.value}`)
      .sort(),
    [
      '192.168.56.10 10.1.12.2  8',
      '192.168.56.11 10.1.12.1  8',
      '192.168.56.11 10.1.23.3  5',
      '192.168.56.12 10.1.13.1  3',
      'sw-muted.lab 172.16.0.1 CUST-A 8',
    ],
  );
  const p2p = { hostname: '192.168.56.11', address: '10.1.23.2', area: '0.0.0.1', port_id: '11' };
  t.equal(valueOf(parsed, 'librenms_ospf_interface_state', p2p), 1);
  t.equal(valueOf(parsed, 'librenms_ospf_interface_admin_status', p2p), 2);
  t.equal(find(parsed, 'librenms_ospf_interface_cost', p2p).length, 0, 'no cost: left out');
  t.equal(valueOf(parsed, 'librenms_ospf_interface_cost', { address: '10.1.12.2' }), 1);

  // Services
  t.same(
    find(parsed, 'librenms_service_status')
      .map((s) => `${s.labels['hostname']} ${s.labels['service_id']} ${s.labels['service_type']} ${s.labels['service_name']} ${s.value}`)
      .sort(),
    [
      '192.168.56.10 1 icmp ping 0',
      '192.168.56.10 2 http webfig 1',
      '192.168.56.11 3 ssh  2',
      '192.168.56.11 4 snmp snmp 3',
      'ap-lobby.lab 6 http ap-web 127',
      'sw-muted.lab 5 ntp ntp (ignored, disabled) 2',
    ],
  );
  const ntp = { service_id: '5' };
  t.equal(valueOf(parsed, 'librenms_service_disabled', ntp), 1);
  t.equal(valueOf(parsed, 'librenms_service_ignored', ntp), 1);
  t.equal(find(parsed, 'librenms_service_last_change_timestamp_seconds', ntp).length, 0, 'never changed: left out');
  t.equal(valueOf(parsed, 'librenms_service_last_change_timestamp_seconds', { service_id: '3' }), FIELD_CLOCK - 120);
  t.equal(valueOf(parsed, 'librenms_service_info', { service_id: '4', ip: '', description: 'snmp agent' }), 1);

  // Pollers: the dispatcher's nodes (they hide the wrapper's rows).
  t.same(
    find(parsed, 'librenms_poller_info').map((s) => `${s.labels['poller']} ${s.labels['kind']} ${s.labels['groups']}`),
    ['librenms-main dispatcher 0', 'librenms-dc2 dispatcher 2,3'],
  );
  t.equal(valueOf(parsed, 'librenms_poller_last_report_timestamp_seconds', { poller: 'librenms-dc2' }), FIELD_CLOCK - 1200);
  t.equal(valueOf(parsed, 'librenms_poller_master', { poller: 'librenms-main' }), 1);
  t.equal(find(parsed, 'librenms_poller_devices', { poller: 'librenms-main' }).length, 6, 'one series per worker type');
  t.equal(valueOf(parsed, 'librenms_poller_worker_busy_seconds', { poller: 'librenms-main', type: 'poller' }), 5120.7);
  t.equal(valueOf(parsed, 'librenms_poller_queue_depth', { poller: 'librenms-dc2', type: 'poller' }), 12);
  t.equal(find(parsed, 'librenms_poller_run_duration_seconds').length, 0, 'the wrapper only');

  const text = await (await fetch(`${d.url}/api/v0/ospf_ports`, { headers: { 'x-auth-token': d.token } })).text();
  t.match(text, /ospfIfAuthKey/, 'LibreNMS sends the key…');
  const response = await exporter.scrape();
  t.notOk(
    response.samples.some((s) => Object.values(s.labels).includes('0x00')),
    '…the exporter never exports it',
  );
});

t.test('the exposition of the routing collectors passes promtool lints', async (t) => {
  const d = await double(t, '26.7.0');
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS });
  await exporter.scrape();
  t.same(lintExposition(await exporter.text()), []);
});

t.test('each route is read at most once per TTL for every scope; pollers only in a scrape of the whole install', async (t) => {
  const d = await double(t, '26.7.0');
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS, CACHE_TTL_SECONDS: '60' });
  const whole = await exporter.scrape();
  const group = await exporter.scrape('/metrics?group=Lab');
  const probe = await exporter.scrape('/probe?target=192.168.56.10');
  for (const path of ['/bgp', '/routing/bgp/cbgp', '/routing/vrf', '/ospf', '/ospf_ports', '/services', '/pollers'])
    t.equal(count(d, `/api/v0${path}`), 1, `${path} once for three scopes`);
  // One /system read gives LibreNMS's zone and its version (the pollers collector's), once an hour.
  t.equal(count(d, '/api/v0/system'), 1, 'one /system read for the zone and the version');
  t.ok(find(whole, 'librenms_poller_info').length > 0);
  t.equal(find(group, 'librenms_poller_info').length, 0, 'a group scrape has no poller');
  t.equal(find(probe, 'librenms_poller_info').length, 0, 'a probe has no poller');
  t.same([...new Set(find(group, 'librenms_bgp_peer_state').map((s) => s.labels['hostname']))].sort(), ['192.168.56.10', '192.168.56.11']);
  t.same([...new Set(find(probe, 'librenms_service_status').map((s) => s.labels['hostname']))], ['192.168.56.10']);
  t.equal(valueOf(probe, 'librenms_scrape_collector_success', { collector: 'pollers' }), 1);

  exporter.clock.now += 61_000;
  await exporter.scrape();
  t.equal(count(d, '/api/v0/bgp'), 2, 'read again after the TTL');
  t.equal(count(d, '/api/v0/system'), 1, 'the version is kept for an hour');
});

t.test('a LibreNMS without /pollers: a notice, no request, and the other collectors unaffected', async (t) => {
  for (const version of ['22.11.0', '25.4.0']) {
    const d = await double(t, version);
    const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS, CACHE_TTL_SECONDS: '60' });
    const parsed = await exporter.scrape();
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'pollers' }), 1, `${version}: pollers succeeds`);
    t.equal(parsed.samples.filter((s) => s.name.startsWith('librenms_poller_')).length, 0, `${version}: with nothing`);
    t.equal(count(d, '/api/v0/pollers'), 0, `${version}: /pollers is never asked`);
    t.ok(find(parsed, 'librenms_bgp_peer_state').length > 0, `${version}: bgp exports`);
    const notices = exporter.logs.filter((l) => l['event'] === 'collector_notice');
    t.same(
      notices.map((l) => l['msg']),
      [pollersMissingNotice(version)],
      `${version}: said once`,
    );
    t.match(String(notices[0]?.['msg']), `LibreNMS ${version} does not serve /api/v0/pollers (it came in LibreNMS 26.1.0)`);
    exporter.clock.now += 61_000;
    await exporter.scrape();
    t.equal(count(d, '/api/v0/pollers'), 0);
    t.equal(exporter.logs.filter((l) => l['event'] === 'collector_notice').length, 1, 'and not again');
  }
});

t.test('a dev build of 26.1.0 is asked once: without the route it is remembered, with it the pollers come', async (t) => {
  const missing = await double(t, '26.1.0-dev.5+abc1234');
  missing.addFault({ path: '/api/v0/pollers', fault: { kind: 'status', status: 404, body: '{"status":"error","message":"This API route doesn\'t exist."}' } });
  const exporter = await fakeClockExporter(t, missing, { COLLECTORS: ROUTING_COLLECTORS, CACHE_TTL_SECONDS: '60' });
  for (let i = 0; i < 3; i++) {
    const parsed = await exporter.scrape();
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'pollers' }), 1);
    exporter.clock.now += MINUTE + 1000;
  }
  t.equal(count(missing, '/api/v0/pollers'), 1, 'asked once');
  t.ok(exporter.logs.some((l) => l['event'] === 'collector_notice' && String(l['msg']).startsWith('LibreNMS 26.1.0-dev.5+abc1234 does not serve')));

  const present = await double(t, '26.1.0-dev.9+def5678');
  const second = await fakeClockExporter(t, present, { COLLECTORS: ROUTING_COLLECTORS });
  t.ok(find(await second.scrape(), 'librenms_poller_info').length > 0);
});

t.test('26.x answering /pollers with "no such route": a failure that says why, not a notice', async (t) => {
  const d = await double(t, '26.7.0');
  d.addFault({ path: '/api/v0/pollers', fault: { kind: 'status', status: 404, body: '{"status":"error","message":"This API route doesn\'t exist."}' } });
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS });
  const parsed = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'pollers' }), 0);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'bgp' }), 1);
  const failure = exporter.logs.find((l) => l['event'] === 'collector_failed' && l['collector'] === 'pollers');
  t.match(
    String(failure?.['msg']),
    /LibreNMS 26\.7\.0 answered \/pollers with 404 "This API route doesn't exist\.", although LibreNMS serves it from 26\.1\.0/,
  );
});

t.test("26.7 without dispatcher nodes: the poller-wrapper's rows, read in LibreNMS's zone", async (t) => {
  const d = await double(t, '26.7.0', (s) => {
    s.pollerNodes = [];
    s.pollerStats = [];
    s.utcOffsetMinutes = 420;
  });
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS });
  const parsed = await exporter.scrape();
  t.same(
    find(parsed, 'librenms_poller_info').map((s) => `${s.labels['poller']} ${s.labels['kind']}`),
    ['librenms-main wrapper', 'librenms-dc2 wrapper'],
  );
  t.equal(valueOf(parsed, 'librenms_poller_last_report_timestamp_seconds', { poller: 'librenms-main' }), FIELD_CLOCK - 120);
  t.equal(valueOf(parsed, 'librenms_poller_run_duration_seconds', { poller: 'librenms-dc2' }), 301.9);
  t.equal(valueOf(parsed, 'librenms_poller_devices', { poller: 'librenms-main', type: 'poller' }), 6);
  t.equal(find(parsed, 'librenms_poller_workers').length, 0);
});

t.test('empty tables: every collector succeeds with nothing; cbgp, vrf and ospf_ports 404s are empty answers', async (t) => {
  const d = await double(t, '26.7.0', (s) => {
    s.bgpPeers = [];
    s.bgpCounters = [];
    s.vrfs = [];
    s.ospfNeighbors = [];
    s.ospfPorts = [];
    s.services = [];
    s.pollers = [];
    s.pollerNodes = [];
    s.pollerStats = [];
  });
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS });
  const parsed = await exporter.scrape();
  for (const collector of ['bgp', 'ospf', 'services', 'pollers']) t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 1, collector);
  t.equal(parsed.samples.filter((s) => /^librenms_(bgp|ospf|service|poller)_/.test(s.name)).length, 0);
  t.equal(count(d, '/api/v0/routing/bgp/cbgp'), 0, 'no peer: no counters asked');
  t.equal(count(d, '/api/v0/routing/vrf'), 0, 'no peer in a VRF: no names asked');
  t.equal(count(d, '/api/v0/ospf_ports'), 1, 'asked, and its 404 "Ospf ports do not exist" is empty');

  // Peers without counters or VRF names: the 404s of cbgp and vrf are empty answers too.
  const peersOnly = await double(t, '26.7.0', (s) => {
    s.bgpCounters = [];
    s.vrfs = [];
  });
  const second = await fakeClockExporter(t, peersOnly, { COLLECTORS: ROUTING_COLLECTORS });
  const parsedPeers = await second.scrape();
  t.equal(valueOf(parsedPeers, 'librenms_scrape_collector_success', { collector: 'bgp' }), 1);
  t.equal(count(peersOnly, '/api/v0/routing/bgp/cbgp'), 1);
  t.equal(count(peersOnly, '/api/v0/routing/vrf'), 1);
  t.equal(valueOf(parsedPeers, 'librenms_bgp_peer_state', { peer_address: '198.51.100.7' }), 1);
  t.equal(find(parsedPeers, 'librenms_bgp_peer_state', { peer_address: '198.51.100.7' })[0]?.labels['vrf'], 'CUST-A-ctx', 'no VRF name: the context');
});

t.test('partial failures: peers without counters, neighbours without interfaces; the collector is retried soon', async (t) => {
  const d = await double(t, '26.7.0');
  d.addFault({ path: '/api/v0/routing/bgp/cbgp', fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' }, times: 1 });
  d.addFault({ path: '/api/v0/ospf_ports', fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' }, times: 1 });
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS, CACHE_TTL_SECONDS: '300' });
  const parsed = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'bgp' }), 0);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ospf' }), 0);
  t.ok(find(parsed, 'librenms_bgp_peer_state').length > 0, 'the peers are served');
  t.equal(find(parsed, 'librenms_bgp_peer_accepted_prefixes').length, 0);
  t.ok(find(parsed, 'librenms_ospf_neighbor_state').length > 0, 'the neighbours are served');
  t.ok(exporter.logs.some((l) => l['event'] === 'collector_partly_failed' && l['collector'] === 'bgp' && l['endpoint'] === '/routing/bgp/cbgp'));
  exporter.clock.now += MINUTE;
  const retried = await exporter.scrape();
  t.equal(valueOf(retried, 'librenms_scrape_collector_success', { collector: 'bgp' }), 1, 'retried before the TTL');
  t.ok(find(retried, 'librenms_bgp_peer_accepted_prefixes').length > 0);
  t.equal(count(d, '/api/v0/bgp'), 1, 'the peers read before are kept for the TTL');
});

t.test('a 404 that is not "empty" (a route missing) is a failure, not an empty list', async (t) => {
  const d = await double(t, '26.7.0');
  d.addFault({
    path: '/api/v0/routing/bgp/cbgp',
    fault: { kind: 'status', status: 404, body: '{"status":"error","message":"This API route doesn\'t exist."}' },
  });
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS });
  const parsed = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'bgp' }), 0);
});

t.test('VRF names that cannot be read: the collector fails rather than relabel peers; names read before are kept', async (t) => {
  const d = await double(t, '26.7.0');
  d.addFault({ path: '/api/v0/routing/vrf', fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' }, times: 1 });
  const exporter = await fakeClockExporter(t, d, { COLLECTORS: ROUTING_COLLECTORS, CACHE_TTL_SECONDS: '60' });
  const first = await exporter.scrape();
  t.equal(valueOf(first, 'librenms_scrape_collector_success', { collector: 'bgp' }), 0);
  t.equal(find(first, 'librenms_bgp_peer_state').length, 0, 'no peer with a guessed vrf label');
  exporter.clock.now += MINUTE;
  const second = await exporter.scrape();
  t.equal(find(second, 'librenms_bgp_peer_state', { vrf: 'CUST-A' }).length, 1);
  d.addFault({ path: '/api/v0/routing/vrf', fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' }, times: 1 });
  exporter.clock.now += 2 * MINUTE;
  const third = await exporter.scrape();
  t.equal(valueOf(third, 'librenms_scrape_collector_success', { collector: 'bgp' }), 0, 'partly failed');
  t.equal(find(third, 'librenms_bgp_peer_state', { vrf: 'CUST-A' }).length, 1, 'with the names read before');
});

t.test("a normal user's token: bgp, ospf, services and pollers fail as data; check names them and what to change", async (t) => {
  const d = await double(t, '26.7.0');
  const exporter = await fakeClockExporter(t, d, { LIBRENMS_TOKEN: USER_TOKEN });
  const parsed = await exporter.scrape();
  for (const collector of ['bgp', 'ospf', 'services', 'pollers', 'alerts'])
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 0, `${collector} fails`);
  for (const collector of ['devices', 'ports', 'sensors'])
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector }), 1, `${collector} serves`);
  t.ok(
    exporter.logs.some(
      (l) => l['collector'] === 'bgp' && /LibreNMS refused access \(HTTP 403 on \/bgp: This action is unauthorized\.\)/.test(String(l['msg'])),
    ),
  );

  const lines: string[] = [];
  const code = await runDoctor({ LIBRENMS_URL: d.url, LIBRENMS_TOKEN: USER_TOKEN }, (line) => lines.push(line));
  const text = lines.join('\n');
  t.equal(code, EXIT_CODES.token, text);
  t.match(
    text,
    'LibreNMS refuses this token /alerts (the alerts collector), /bgp (the bgp collector), /ospf (the ospf collector), /services (the services collector) and /pollers (the pollers collector) (HTTP 403: only global-read and admin users may read them)',
  );
  t.match(text, 'leave alerts, bgp, ospf, services and pollers out of COLLECTORS (COLLECTORS=devices,ports,sensors)');

  // On a release without /pollers the normal user is not refused what is never asked.
  const old = await double(t, '25.4.0');
  const oldLines: string[] = [];
  await runDoctor({ LIBRENMS_URL: old.url, LIBRENMS_TOKEN: USER_TOKEN }, (line) => oldLines.push(line));
  t.match(oldLines.join('\n'), 'leave alerts, bgp, ospf and services out of COLLECTORS (COLLECTORS=devices,ports,sensors,pollers)');
});

t.test('check: one sample per routing family, and the pollers notice on a release without the route', async (t) => {
  for (const version of ['26.7.0', '25.4.0']) {
    const d = await double(t, version);
    const lines: string[] = [];
    const code = await runDoctor({ LIBRENMS_URL: d.url, LIBRENMS_TOKEN: READ_TOKEN }, (line) => lines.push(line));
    const text = lines.join('\n');
    t.equal(code, EXIT_CODES.ready, text);
    t.match(text, /librenms_bgp_peer_state\{hostname="[^"]+",peer_address=/);
    t.match(text, /librenms_ospf_neighbor_state\{/);
    t.match(text, /librenms_service_status\{/);
    if (version === '26.7.0') t.match(text, /librenms_poller_info\{poller="librenms-main"/);
    else {
      t.match(text, `pollers: ${pollersMissingNotice(version)}`);
      t.match(text, 'librenms_poller_info: nothing to export (the pollers warning above)');
      t.notMatch(text, /librenms_poller_\w+: no value in LibreNMS yet/);
    }
  }
});
