/**
 * The field data set's routing tables and LibreNMS's own pollers (the bgp, ospf, services and pollers
 * collectors), on the devices of seed.ts, with the odd rows real installs have:
 * - BGP: every FSM state LibreNMS stores, start/running/stop/halted admin states, Junos's `unknown`
 *   (no state or admin status exported), a peer never polled (state '', left out by LibreNMS), an
 *   IPv6 peer written out in full (discovery stores it so), a 4-byte ASN, a peer in a VRF LibreNMS
 *   names and one in a VRF without a name (context_name stands in), peers on the disabled and the
 *   muted device;
 * - prefix counters (cbgp): several address families of one peer, one without a prefix limit (0), a
 *   row of no peer LibreNMS lists, a row whose context differs from its peer's;
 * - OSPF: full, init and exchangeStart neighbours, one in a context (VRF), a row with an empty state
 *   (left out by LibreNMS), interfaces in two areas, one disabled and one without a cost;
 * - services: status 0, 1, 2, 3 and 127 (the plugin could not run), one never changed
 *   (service_changed 0), one ignored and disabled, one without a name or description, one without an
 *   IP (the device's hostname is checked), one on the disabled device;
 * - pollers: two poller-wrapper rows, and two dispatcher nodes with their worker types (LibreNMS 26.1
 *   and later list the nodes while any exist; delete them to see the wrapper's rows).
 */
import {
  bgpCounterRow as counter,
  ospfNeighborRow as neighbor,
  pollerNodeRow as node,
  ospfPortRow as ospfPort,
  bgpPeerRow as peer,
  serviceRow as service,
} from '../../librenms-double/routing-rows.js';
import type { SimState } from '../../librenms-double/state.js';
import {
  BGP_COUNTER_COLUMNS,
  BGP_PEER_COLUMNS,
  OSPF_NEIGHBOR_COLUMNS,
  OSPF_PORT_COLUMNS,
  POLLER_COLUMNS,
  POLLER_NODE_COLUMNS,
  POLLER_STAT_COLUMNS,
  SERVICE_COLUMNS,
  VRF_COLUMNS,
} from '../../librenms-double/state.js';

/** One table's rows as sql.ts writes them. */
export interface TableRows {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
  /** Columns holding Unix seconds that go into a DATETIME. */
  readonly dates?: ReadonlySet<string>;
}

/** The routing tables of `state`, for sql.ts (every one is emptied before the seed is loaded). */
export function routingTables(state: SimState): TableRows[] {
  const rows = <T extends object>(items: readonly T[]): Record<string, unknown>[] => items.map((item) => ({ ...item }) as Record<string, unknown>);
  return [
    { table: 'bgpPeers', columns: BGP_PEER_COLUMNS, rows: rows(state.bgpPeers) },
    { table: 'bgpPeers_cbgp', columns: BGP_COUNTER_COLUMNS, rows: rows(state.bgpCounters) },
    { table: 'vrfs', columns: VRF_COLUMNS, rows: rows(state.vrfs) },
    { table: 'ospf_nbrs', columns: OSPF_NEIGHBOR_COLUMNS, rows: rows(state.ospfNeighbors) },
    { table: 'ospf_ports', columns: OSPF_PORT_COLUMNS, rows: rows(state.ospfPorts) },
    { table: 'services', columns: SERVICE_COLUMNS, rows: rows(state.services) },
    { table: 'pollers', columns: POLLER_COLUMNS, rows: rows(state.pollers), dates: new Set(['last_polled']) },
    { table: 'poller_cluster', columns: POLLER_NODE_COLUMNS, rows: rows(state.pollerNodes), dates: new Set(['last_report']) },
    { table: 'poller_cluster_stats', columns: POLLER_STAT_COLUMNS, rows: rows(state.pollerStats) },
  ];
}

/** Adds the routing tables and pollers at `now` (Unix seconds) to the field state. */
export function addRouting(s: SimState, now: number): void {
  s.vrfs.push(
    {
      vrf_id: 1,
      vrf_oid: '6.67.85.83.84.45.65',
      vrf_name: 'CUST-A',
      bgpLocalAs: 65000,
      mplsVpnVrfRouteDistinguisher: '65000:100',
      mplsVpnVrfDescription: 'Customer A',
      device_id: 6,
    },
    // A VRF LibreNMS found without a name: /routing/vrf leaves it out (WHERE vrf_name IS NOT NULL).
    { vrf_id: 2, vrf_oid: '4.109.103.109.116', vrf_name: null, bgpLocalAs: null, mplsVpnVrfRouteDistinguisher: null, mplsVpnVrfDescription: '', device_id: 6 },
  );
  s.bgpPeers.push(
    peer({
      bgpPeer_id: 1,
      device_id: 1,
      astext: 'Upstream-A',
      bgpPeerIdentifier: '10.0.0.2',
      bgpPeerRemoteAs: 65002,
      bgpPeerState: 'established',
      bgpLocalAddr: '10.0.0.1',
      bgpPeerDescr: 'upstream A',
      bgpPeerInUpdates: 1523,
      bgpPeerOutUpdates: 87,
      bgpPeerInTotalMessages: 40211,
      bgpPeerOutTotalMessages: 38990,
      bgpPeerFsmEstablishedTime: 864000,
      bgpPeerInUpdateElapsedTime: 12,
    }),
    // Written out in full, as build_bgp_peers() stores BGP4-MIB IPv6 peers (includes/discovery/functions.inc.php).
    peer({
      bgpPeer_id: 2,
      device_id: 1,
      astext: 'Upstream-A',
      bgpPeerIdentifier: '2001:0db8:0000:0000:0000:0000:0000:0002',
      bgpPeerRemoteAs: 65002,
      bgpPeerState: 'active',
      bgpPeerLastErrorCode: 6,
      bgpPeerLastErrorSubCode: 2,
      bgpPeerLastErrorText: 'Cease/Administrative Shutdown',
      bgpLocalAddr: '2001:0db8:0000:0000:0000:0000:0000:0001',
      bgpPeerDescr: 'upstream A v6',
      bgpPeerFsmEstablishedTime: 3600,
    }),
    peer({
      bgpPeer_id: 3,
      device_id: 2,
      astext: 'LAB-MIKROTIK',
      bgpPeerIdentifier: '10.0.1.1',
      bgpPeerRemoteAs: 65001,
      bgpPeerState: 'Established',
      bgpLocalAddr: '10.0.1.2',
      bgpPeerDescr: 'iBGP to "MikroTik"',
      bgpPeerFsmEstablishedTime: 172800,
    }),
    // Discovered, never polled: list_bgp leaves it out.
    peer({
      bgpPeer_id: 4,
      device_id: 2,
      bgpPeerIdentifier: '10.0.1.9',
      bgpPeerRemoteAs: 65009,
      bgpPeerState: '',
      bgpPeerAdminStatus: '',
      bgpPeerDescr: 'never polled',
    }),
    // The down firewall: admin-enabled, not established.
    peer({
      bgpPeer_id: 5,
      device_id: 3,
      bgpPeerIdentifier: '192.0.2.1',
      bgpPeerRemoteAs: 64496,
      bgpPeerState: 'idle',
      bgpPeerAdminStatus: 'start',
      bgpLocalAddr: '192.0.2.2',
    }),
    peer({
      bgpPeer_id: 6,
      device_id: 5,
      bgpPeerIdentifier: '192.0.2.9',
      bgpPeerRemoteAs: 64496,
      bgpPeerState: 'established',
      bgpPeerDescr: 'on the disabled firewall',
    }),
    peer({
      bgpPeer_id: 7,
      device_id: 6,
      vrf_id: 1,
      astext: 'CUST-A',
      bgpPeerIdentifier: '198.51.100.7',
      bgpPeerRemoteAs: 64512,
      bgpPeerState: 'idle',
      bgpPeerAdminStatus: 'halted',
      bgpPeerLastErrorCode: 6,
      bgpPeerLastErrorSubCode: 2,
      bgpPeerLastErrorText: 'Cease/Administrative Shutdown',
      bgpLocalAddr: '198.51.100.6',
      bgpPeerDescr: 'customer A (VRF)',
      bgpPeerFsmEstablishedTime: 259200,
      context_name: 'CUST-A-ctx',
    }),
    peer({
      bgpPeer_id: 8,
      device_id: 6,
      astext: 'DOCUMENTATION-ASN',
      bgpPeerIdentifier: '203.0.113.9',
      bgpPeerRemoteAs: 4200000001,
      bgpPeerState: 'opensent',
      bgpPeerAdminStatus: 'running',
      bgpLocalAddr: '203.0.113.8',
      bgpPeerDescr: '4-byte ASN peer',
    }),
    // In a VRF LibreNMS has no name for: the context stands in.
    peer({ bgpPeer_id: 9, device_id: 6, vrf_id: 2, bgpPeerIdentifier: '10.9.9.1', bgpPeerRemoteAs: 65100, bgpPeerState: 'connect', context_name: 'mgmt' }),
    // Junos without the Juniper MIB row (includes/polling/bgp-peers.inc.php): neither state nor admin status is known.
    peer({ bgpPeer_id: 10, device_id: 6, bgpPeerIdentifier: '10.9.9.5', bgpPeerRemoteAs: 65105, bgpPeerState: 'unknown', bgpPeerAdminStatus: 'unknown' }),
    peer({ bgpPeer_id: 11, device_id: 7, bgpPeerIdentifier: '10.7.7.1', bgpPeerRemoteAs: 65007, bgpPeerState: 'openconfirm', bgpPeerAdminStatus: 'stop' }),
  );
  s.bgpCounters.push(
    counter(1, '10.0.0.2', 'ipv4', 'unicast', { accepted: 912345, denied: 12, advertised: 3, withdrawn: 41, limit: 1000000, threshold: 75 }),
    counter(1, '2001:0db8:0000:0000:0000:0000:0000:0002', 'ipv6', 'unicast', { accepted: 0, limit: 250000, threshold: 90 }),
    counter(2, '10.0.1.1', 'ipv4', 'unicast', { accepted: 250, advertised: 12, withdrawn: 3 }),
    counter(2, '10.0.1.1', 'ipv4', 'vpn', { accepted: 40, advertised: 40, suppressed: 2 }),
    // Counters of the peer never polled: /bgp does not list it, so they belong to no exported peer.
    counter(2, '10.0.1.9', 'ipv4', 'unicast', { accepted: 7 }),
    counter(5, '192.0.2.9', 'ipv4', 'unicast', { accepted: 100 }),
    // The VRF peer's counters under a context LibreNMS wrote differently: the one peer with that address.
    counter(6, '198.51.100.7', 'ipv4', 'vpn', { accepted: 17, denied: 1, limit: 500, threshold: 80 }, 'CUST-A'),
  );

  s.ospfNeighbors.push(
    neighbor({ id: 1, device_id: 1, port_id: 10, ospfNbrIpAddr: '10.1.12.2', ospfNbrRtrId: '10.255.0.2', ospfNbrState: 'full' }),
    neighbor({ id: 2, device_id: 2, port_id: 2, ospfNbrIpAddr: '10.1.12.1', ospfNbrRtrId: '10.255.0.1', ospfNbrState: 'full' }),
    neighbor({
      id: 3,
      device_id: 2,
      ospfNbrIpAddr: '10.1.23.3',
      ospfNbrRtrId: '10.255.0.3',
      ospfNbrState: 'exchangeStart',
      ospfNbrEvents: 41,
      ospfNbrLsRetransQLen: 2,
    }),
    neighbor({ id: 4, device_id: 3, ospfNbrIpAddr: '10.1.13.1', ospfNbrRtrId: '10.255.0.1', ospfNbrState: 'init' }),
    neighbor({ id: 5, device_id: 6, ospfNbrIpAddr: '172.16.0.1', ospfNbrRtrId: '172.16.255.1', ospfNbrState: 'full', context_name: 'CUST-A' }),
    // An empty state: list_ospf leaves it out.
    neighbor({ id: 6, device_id: 6, ospfNbrIpAddr: '172.16.0.9', ospfNbrRtrId: '0.0.0.0', ospfNbrState: '' }),
    neighbor({ id: 7, device_id: 5, ospfNbrIpAddr: '10.5.5.1', ospfNbrRtrId: '10.255.5.1', ospfNbrState: 'full' }),
  );
  s.ospfPorts.push(
    ospfPort({ id: 1, device_id: 1, port_id: 2, ospfIfIpAddress: '10.1.12.1', ospfIfAreaId: '0.0.0.0', ospfIfState: 'designatedRouter' }),
    ospfPort({
      id: 2,
      device_id: 2,
      port_id: 10,
      ospfIfIpAddress: '10.1.12.2',
      ospfIfAreaId: '0.0.0.0',
      ospfIfState: 'backupDesignatedRouter',
      ospfIfMetricValue: 1,
    }),
    ospfPort({
      id: 3,
      device_id: 2,
      port_id: 11,
      ospfIfIpAddress: '10.1.23.2',
      ospfIfAreaId: '0.0.0.1',
      ospfIfType: 'pointToPoint',
      ospfIfState: 'down',
      ospfIfAdminStat: 'disabled',
      ospfIfMetricValue: null,
    }),
    ospfPort({ id: 4, device_id: 6, port_id: 50, ospfIfIpAddress: '172.16.0.2', ospfIfAreaId: '0.0.0.5', ospfIfState: 'pointToPoint', context_name: 'CUST-A' }),
  );

  s.services.push(
    service({
      service_id: 1,
      device_id: 1,
      service_ip: '192.168.56.10',
      service_type: 'icmp',
      service_desc: 'ping router',
      service_status: 0,
      service_changed: now - 86400,
      service_message: 'PING OK - Packet loss = 0%, RTA = 0.52 ms',
      service_ds: '{"rta":"s","pl":"%"}',
      service_name: 'ping',
    }),
    service({
      service_id: 2,
      device_id: 1,
      service_ip: '192.168.56.10',
      service_type: 'http',
      service_desc: 'web UI',
      service_param: '-S -p 443',
      service_status: 1,
      service_changed: now - 600,
      service_message: 'HTTP WARNING: HTTP/1.1 403 Forbidden - 312 bytes in 0.014 second response time',
      service_ds: '{"time":"s","size":"B"}',
      service_name: 'webfig',
    }),
    service({
      service_id: 3,
      device_id: 2,
      service_ip: '192.168.56.11',
      service_type: 'ssh',
      service_param: null,
      service_status: 2,
      service_changed: now - 120,
      service_message: 'connect to address 192.168.56.11 and port 22: Connection refused',
    }),
    service({
      service_id: 4,
      device_id: 2,
      service_type: 'snmp',
      service_desc: 'snmp agent',
      service_status: 3,
      service_changed: now - 300,
      service_name: 'snmp',
    }),
    service({
      service_id: 5,
      device_id: 6,
      service_ip: '192.0.2.53',
      service_type: 'ntp',
      service_desc: 'ntp peer',
      service_ignore: 1,
      service_disabled: 1,
      service_status: 2,
      service_name: 'ntp (ignored, disabled)',
      service_ds: null,
    }),
    service({
      service_id: 6,
      device_id: 4,
      service_type: 'http',
      service_desc: 'AP web UI',
      service_status: 127,
      service_changed: now - 7200,
      service_name: 'ap-web',
    }),
    service({ service_id: 7, device_id: 5, service_type: 'icmp', service_status: 0, service_changed: now - 999 }),
  );

  s.pollers.push(
    { id: 1, poller_name: 'librenms-main', last_polled: now - 120, devices: 6, time_taken: 212.37 },
    { id: 2, poller_name: 'librenms-dc2', last_polled: now - 2820, devices: 0, time_taken: 301.9 },
  );
  s.pollerNodes.push(
    node({ id: 1, node_id: '5f1e0c7a2b9d4', poller_name: 'librenms-main', poller_groups: '0', last_report: now - 30, master: 1 }, { poller_workers: 24 }),
    node(
      { id: 2, node_id: '9a7c3e11d0f42', poller_name: 'librenms-dc2', poller_groups: '2,3', last_report: now - 1200, master: 0 },
      { poller_enabled: 1, poller_frequency: 300, poller_workers: 16, loglevel: 'INFO', watchdog_enabled: 0 },
    ),
  );
  s.pollerStats.push(
    { id: 1, parent_poller: 1, poller_type: 'poller', depth: 0, devices: 6, worker_seconds: 5120.7, workers: 24, frequency: 300 },
    { id: 2, parent_poller: 1, poller_type: 'discovery', depth: 3, devices: 2, worker_seconds: 1400.2, workers: 1, frequency: 21600 },
    { id: 3, parent_poller: 1, poller_type: 'services', depth: 0, devices: 6, worker_seconds: 44.9, workers: 8, frequency: 300 },
    { id: 4, parent_poller: 1, poller_type: 'alerting', depth: 0, devices: 0, worker_seconds: 1.2, workers: 1, frequency: 60 },
    { id: 5, parent_poller: 1, poller_type: 'billing', depth: 0, devices: 0, worker_seconds: 0.4, workers: 2, frequency: 300 },
    { id: 6, parent_poller: 1, poller_type: 'ping', depth: 0, devices: 6, worker_seconds: 12.5, workers: 1, frequency: 60 },
    { id: 7, parent_poller: 2, poller_type: 'poller', depth: 12, devices: 0, worker_seconds: 4800, workers: 16, frequency: 300 },
  );
}
