/**
 * The public contract: every metric family this exporter writes from LibreNMS data or about itself.
 * Dashboards, alert rules and the README table are checked against this list, and a test checks that
 * the exposition contains exactly these families (plus prom-client's default process metrics).
 */

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  /** The LibreNMS API field the value comes from, for the README's metric table. */
  readonly source: string;
}

const POLL_NOTE = 'Changes once per LibreNMS poll (about 5 minutes).';
/** Counters of a poll that lost them: LibreNMS stores 0 beside a larger `_prev` (includes/polling/ports.inc.php). */
const LOST_NOTE = 'A poll that did not get the counter (LibreNMS stores 0) is left out.';
/** Values LibreNMS keeps from the last good poll while a device does not answer. */
const DOWN_NOTE = 'Left out while the device is down (LibreNMS keeps the value of its last good poll).';
const PORT_ID = ['hostname', 'ifName', 'ifIndex'] as const;
const DEVICE_ID = ['hostname'] as const;

export const DEVICE_FAMILIES = [
  {
    name: 'librenms_device_info',
    type: 'gauge',
    help: 'Descriptive labels of a LibreNMS device; always 1. Join on hostname to add them to other series.',
    labels: ['hostname', 'sysName', 'display', 'os', 'hardware', 'version', 'location', 'device_type'],
    source: 'devices: hostname, sysName, display (fallback sysName, hostname), os, hardware, version, location, type',
  },
  {
    name: 'librenms_device_up',
    type: 'gauge',
    help: `1 when LibreNMS sees the device as up, 0 when down. ${POLL_NOTE}`,
    labels: DEVICE_ID,
    source: 'devices.status',
  },
  {
    name: 'librenms_device_uptime_seconds',
    type: 'gauge',
    help: `Device uptime in seconds as of the last LibreNMS poll. ${DOWN_NOTE} ${POLL_NOTE}`,
    labels: DEVICE_ID,
    source: 'devices.uptime',
  },
  {
    name: 'librenms_device_last_polled_timestamp_seconds',
    type: 'gauge',
    help: "Unix time of LibreNMS's last poll of the device (devices.last_polled, read in LibreNMS's time zone or LIBRENMS_TIMEZONE).",
    labels: DEVICE_ID,
    source: 'devices.last_polled',
  },
  {
    name: 'librenms_device_poll_duration_seconds',
    type: 'gauge',
    help: `Seconds LibreNMS took for its last poll of the device. ${POLL_NOTE}`,
    labels: DEVICE_ID,
    source: 'devices.last_polled_timetaken',
  },
  {
    name: 'librenms_device_ping_seconds',
    type: 'gauge',
    help: `ICMP round-trip time to the device in seconds at LibreNMS's last ping (LibreNMS stores milliseconds). ${DOWN_NOTE} ${POLL_NOTE}`,
    labels: DEVICE_ID,
    source: 'devices.last_ping_timetaken (ms / 1000)',
  },
  {
    name: 'librenms_device_down_reason_info',
    type: 'gauge',
    help: 'Why LibreNMS sees a down device as down (reason: icmp, snmp, ...); always 1, only while the device is down and LibreNMS gives a reason.',
    labels: ['hostname', 'reason'],
    source: 'devices.status_reason (while devices.status = 0)',
  },
  {
    name: 'librenms_device_ignored',
    type: 'gauge',
    help: '1 when the device is ignored in LibreNMS (its alerts and status are muted there), else 0. Alert rules skip ignored devices.',
    labels: DEVICE_ID,
    source: 'devices.ignore',
  },
  {
    name: 'librenms_device_notify_disabled',
    type: 'gauge',
    help: "1 when LibreNMS's alert notifications are switched off for the device (disable_notify), else 0. Alert rules skip such devices.",
    labels: DEVICE_ID,
    source: 'devices.disable_notify',
  },
] as const satisfies readonly MetricFamily[];

export const PORT_FAMILIES = [
  {
    name: 'librenms_port_info',
    type: 'gauge',
    help: 'Descriptive labels of a LibreNMS port; always 1. Join on hostname, ifName, ifIndex to add them to other series.',
    labels: ['hostname', 'ifName', 'ifIndex', 'ifDescr', 'ifAlias', 'ifType', 'port_id'],
    source: 'ports: ifName, ifIndex, ifDescr, ifAlias, ifType, port_id',
  },
  {
    name: 'librenms_port_up',
    type: 'gauge',
    help: `1 when the port's operational status is up, else 0. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifOperStatus',
  },
  {
    name: 'librenms_port_oper_status',
    type: 'gauge',
    help: `Operational status as IF-MIB ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifOperStatus',
  },
  {
    name: 'librenms_port_admin_status',
    type: 'gauge',
    help: `Administrative status as IF-MIB ifAdminStatus: 1 up, 2 down, 3 testing. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifAdminStatus',
  },
  {
    name: 'librenms_port_speed_bytes',
    type: 'gauge',
    help: `Port speed in bytes per second (ifSpeed / 8). ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifSpeed',
  },
  {
    name: 'librenms_port_mtu_bytes',
    type: 'gauge',
    help: `Port MTU in bytes. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifMtu',
  },
  {
    name: 'librenms_port_last_polled_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last LibreNMS poll of the port.',
    labels: PORT_ID,
    source: 'ports.poll_time',
  },
  {
    name: 'librenms_port_last_change_timestamp_seconds',
    type: 'gauge',
    help: `Unix time of the port's last status change, from ifLastChange and the device uptime. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.poll_time - (devices.uptime - ports.ifLastChange / 100)',
  },
  {
    name: 'librenms_port_receive_bytes_total',
    type: 'counter',
    help: `Bytes received (ifInOctets, 64-bit where the device has HC counters). ${LOST_NOTE} ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifInOctets (left out when 0 below ports.ifInOctets_prev)',
  },
  {
    name: 'librenms_port_transmit_bytes_total',
    type: 'counter',
    help: `Bytes transmitted (ifOutOctets, 64-bit where the device has HC counters). ${LOST_NOTE} ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifOutOctets (left out when 0 below ports.ifOutOctets_prev)',
  },
  {
    name: 'librenms_port_receive_unicast_packets_total',
    type: 'counter',
    help: `Unicast packets received (ifInUcastPkts). ${LOST_NOTE} ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifInUcastPkts (left out when 0 below ports.ifInUcastPkts_prev)',
  },
  {
    name: 'librenms_port_transmit_unicast_packets_total',
    type: 'counter',
    help: `Unicast packets transmitted (ifOutUcastPkts). ${LOST_NOTE} ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifOutUcastPkts (left out when 0 below ports.ifOutUcastPkts_prev)',
  },
  {
    name: 'librenms_port_receive_errors_total',
    type: 'counter',
    help: `Inbound packets with errors (ifInErrors). ${LOST_NOTE} ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifInErrors (left out when 0 below ports.ifInErrors_prev)',
  },
  {
    name: 'librenms_port_transmit_errors_total',
    type: 'counter',
    help: `Outbound packets that could not be sent because of errors (ifOutErrors). ${LOST_NOTE} ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifOutErrors (left out when 0 below ports.ifOutErrors_prev)',
  },
  {
    name: 'librenms_port_receive_bytes_per_second',
    type: 'gauge',
    help: `Inbound bytes per second averaged by LibreNMS over its last poll period: the rate LibreNMS's own UI shows (no rate() needed); left out with its counter when a poll lost it. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifInOctets_rate',
  },
  {
    name: 'librenms_port_transmit_bytes_per_second',
    type: 'gauge',
    help: `Outbound bytes per second averaged by LibreNMS over its last poll period: the rate LibreNMS's own UI shows (no rate() needed); left out with its counter when a poll lost it. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifOutOctets_rate',
  },
  {
    name: 'librenms_port_duplex',
    type: 'gauge',
    help: `Duplex as EtherLike-MIB dot3StatsDuplexStatus: 1 unknown, 2 halfDuplex, 3 fullDuplex; absent when the port does not report it. ${POLL_NOTE}`,
    labels: PORT_ID,
    source: 'ports.ifDuplex',
  },
  {
    name: 'librenms_port_ignored',
    type: 'gauge',
    help: '1 when the port is ignored in LibreNMS (its alerts are muted there), else 0. Alert rules skip ignored ports.',
    labels: PORT_ID,
    source: 'ports.ignore',
  },
] as const satisfies readonly MetricFamily[];

export const ALERT_FAMILIES = [
  {
    name: 'librenms_alert_active',
    type: 'gauge',
    help: 'An open LibreNMS alert (state active, acknowledged, worse, better or changed); always 1 while open.',
    labels: ['hostname', 'rule', 'severity', 'state'],
    source: 'alerts?state=1,2,3,4,5: hostname, name, severity, state',
  },
] as const satisfies readonly MetricFamily[];

const SENSOR_ID = ['hostname', 'sensor_class', 'sensor_descr', 'sensor_index', 'sensor_id'] as const;

export const SENSOR_FAMILIES = [
  {
    name: 'librenms_sensor_value',
    type: 'gauge',
    help: `Current sensor reading in the sensor's own unit (class temperature: °C, dbm: dBm, voltage: V, ...). For sensor_class="state" it is the vendor's raw state code, not a measurement: LibreNMS's state translations of that sensor say what each code means. ${POLL_NOTE}`,
    labels: SENSOR_ID,
    source: 'resources/sensors: sensor_current',
  },
  {
    name: 'librenms_sensor_limit_high',
    type: 'gauge',
    help: 'High alarm limit set in LibreNMS for the sensor, in its unit.',
    labels: SENSOR_ID,
    source: 'resources/sensors: sensor_limit',
  },
  {
    name: 'librenms_sensor_limit_high_warning',
    type: 'gauge',
    help: 'High warning limit set in LibreNMS for the sensor, in its unit.',
    labels: SENSOR_ID,
    source: 'resources/sensors: sensor_limit_warn',
  },
  {
    name: 'librenms_sensor_limit_low',
    type: 'gauge',
    help: 'Low alarm limit set in LibreNMS for the sensor, in its unit.',
    labels: SENSOR_ID,
    source: 'resources/sensors: sensor_limit_low',
  },
  {
    name: 'librenms_sensor_limit_low_warning',
    type: 'gauge',
    help: 'Low warning limit set in LibreNMS for the sensor, in its unit.',
    labels: SENSOR_ID,
    source: 'resources/sensors: sensor_limit_low_warn',
  },
  {
    name: 'librenms_sensor_alert_enabled',
    type: 'gauge',
    help: "1 when LibreNMS alerts on the sensor's limits, 0 when its alerts are switched off there (sensor_alert = 0). Alert rules skip sensors with 0.",
    labels: SENSOR_ID,
    source: 'resources/sensors: sensor_alert',
  },
] as const satisfies readonly MetricFamily[];

const BGP_PEER_ID = ['hostname', 'peer_address', 'remote_as', 'vrf'] as const;
const BGP_PREFIX_ID = [...BGP_PEER_ID, 'afi', 'safi'] as const;
/** Prefix counts other than accepted: cumulative on the router, zeroed by a hard reset of the session. */
const PREFIX_RESET_NOTE =
  'A gauge, not a counter: the router counts since the session last came up and starts again from 0 after a hard reset (CISCO-BGP4-MIB). Left out where the device reports no per-family counters.';
const OSPF_NEIGHBOR_ID = ['hostname', 'neighbor_address', 'neighbor_router_id', 'vrf'] as const;
const OSPF_INTERFACE_ID = ['hostname', 'address', 'area', 'vrf', 'port_id'] as const;

export const ROUTING_FAMILIES = [
  {
    name: 'librenms_bgp_peer_state',
    type: 'gauge',
    help: `BGP session state as BGP4-MIB bgpPeerState: 1 idle, 2 connect, 3 active, 4 opensent, 5 openconfirm, 6 established. Left out for a state outside the MIB (Junos without data says "unknown"). ${POLL_NOTE}`,
    labels: BGP_PEER_ID,
    source: 'bgp: bgpPeerState (a name; vrf from routing/vrf vrf_name by vrf_id, else context_name)',
  },
  {
    name: 'librenms_bgp_peer_fsm_state',
    type: 'gauge',
    help: 'BGP session state as a state set: one series per BGP FSM state name (idle, connect, active, opensent, openconfirm, established), 1 for the current state, 0 for the others.',
    labels: [...BGP_PEER_ID, 'state'],
    source: 'bgp: bgpPeerState',
  },
  {
    name: 'librenms_bgp_peer_admin_status',
    type: 'gauge',
    help: 'Administrative status as BGP4-MIB bgpPeerAdminStatus: 1 stop (also halted, adminShutdown), 2 start (also running). Left out when LibreNMS stores something else (some Nokia and Junos rows).',
    labels: BGP_PEER_ID,
    source: 'bgp: bgpPeerAdminStatus',
  },
  {
    name: 'librenms_bgp_peer_established_seconds',
    type: 'gauge',
    help: `BGP4-MIB bgpPeerFsmEstablishedTime in seconds as of LibreNMS's last poll: while established, how long the session has been up; otherwise how long since it was last established (0 if it never was).`,
    labels: BGP_PEER_ID,
    source: 'bgp: bgpPeerFsmEstablishedTime',
  },
  {
    name: 'librenms_bgp_peer_info',
    type: 'gauge',
    help: 'Descriptive labels of a BGP peer; always 1. Join on hostname, peer_address, remote_as, vrf to add them to other series.',
    labels: [...BGP_PEER_ID, 'description', 'as_name', 'local_address'],
    source: 'bgp: bgpPeerDescr, astext, bgpLocalAddr',
  },
  {
    name: 'librenms_bgp_peer_accepted_prefixes',
    type: 'gauge',
    help: `Prefixes accepted from the peer now, per address family. Left out where the device reports no per-family counters. ${POLL_NOTE}`,
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: AcceptedPrefixes',
  },
  {
    name: 'librenms_bgp_peer_denied_prefixes',
    type: 'gauge',
    help: `Prefixes from the peer denied by policy, per address family. ${PREFIX_RESET_NOTE}`,
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: DeniedPrefixes',
  },
  {
    name: 'librenms_bgp_peer_advertised_prefixes',
    type: 'gauge',
    help: `Prefixes advertised to the peer, per address family. ${PREFIX_RESET_NOTE}`,
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: AdvertisedPrefixes',
  },
  {
    name: 'librenms_bgp_peer_suppressed_prefixes',
    type: 'gauge',
    help: `Prefixes suppressed from being sent to the peer, per address family. ${PREFIX_RESET_NOTE}`,
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: SuppressedPrefixes',
  },
  {
    name: 'librenms_bgp_peer_withdrawn_prefixes',
    type: 'gauge',
    help: `Prefixes withdrawn from the peer, per address family. ${PREFIX_RESET_NOTE}`,
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: WithdrawnPrefixes',
  },
  {
    name: 'librenms_bgp_peer_prefix_limit',
    type: 'gauge',
    help: 'Maximum prefixes configured for the peer and address family (maximum-prefix); left out when none is set (LibreNMS stores 0).',
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: PrefixAdminLimit',
  },
  {
    name: 'librenms_bgp_peer_prefix_limit_threshold_ratio',
    type: 'gauge',
    help: 'Share of the prefix limit at which the router warns, 0–1 (LibreNMS stores a percentage); only where a limit is set.',
    labels: BGP_PREFIX_ID,
    source: 'routing/bgp/cbgp: PrefixThreshold / 100',
  },
  {
    name: 'librenms_ospf_neighbor_state',
    type: 'gauge',
    help: `OSPF neighbour state as OSPF-MIB ospfNbrState: 1 down, 2 attempt, 3 init, 4 twoWay, 5 exchangeStart, 6 exchange, 7 loading, 8 full. LibreNMS deletes a neighbour the device no longer lists, so its series ends. ${POLL_NOTE}`,
    labels: OSPF_NEIGHBOR_ID,
    source: 'ospf: ospfNbrState (a name), ospfNbrIpAddr, ospfNbrRtrId, context_name',
  },
  {
    name: 'librenms_ospf_interface_state',
    type: 'gauge',
    help: `OSPF interface state as OSPF-MIB ospfIfState: 1 down, 2 loopback, 3 waiting, 4 pointToPoint, 5 designatedRouter, 6 backupDesignatedRouter, 7 otherDesignatedRouter. port_id joins with librenms_port_info. ${POLL_NOTE}`,
    labels: OSPF_INTERFACE_ID,
    source: 'ospf_ports: ospfIfState, ospfIfIpAddress, ospfIfAreaId, context_name, port_id',
  },
  {
    name: 'librenms_ospf_interface_admin_status',
    type: 'gauge',
    help: 'OSPF administrative status of the interface as OSPF-MIB ospfIfAdminStat: 1 enabled, 2 disabled.',
    labels: OSPF_INTERFACE_ID,
    source: 'ospf_ports: ospfIfAdminStat',
  },
  {
    name: 'librenms_ospf_interface_cost',
    type: 'gauge',
    help: 'OSPF cost (metric) of the interface.',
    labels: OSPF_INTERFACE_ID,
    source: 'ospf_ports: ospfIfMetricValue',
  },
] as const satisfies readonly MetricFamily[];

const SERVICE_ID = ['hostname', 'service_id', 'service_type', 'service_name'] as const;
const POLLER_ID = ['poller'] as const;
const POLLER_TYPE_ID = ['poller', 'type'] as const;

export const LIBRENMS_FAMILIES = [
  {
    name: 'librenms_service_status',
    type: 'gauge',
    help: "Result of the LibreNMS service check as the plugin's exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; other codes as stored (126, 127: the plugin could not run; LibreNMS counts them as critical). A disabled check keeps its last result.",
    labels: SERVICE_ID,
    source: 'services: service_status',
  },
  {
    name: 'librenms_service_last_change_timestamp_seconds',
    type: 'gauge',
    help: "Unix time of the service check's last status change; left out when it never changed (LibreNMS stores 0).",
    labels: SERVICE_ID,
    source: 'services: service_changed',
  },
  {
    name: 'librenms_service_disabled',
    type: 'gauge',
    help: '1 when the service check is disabled in LibreNMS (it is not run; its status is stale), else 0. Alert rules skip disabled checks.',
    labels: SERVICE_ID,
    source: 'services: service_disabled',
  },
  {
    name: 'librenms_service_ignored',
    type: 'gauge',
    help: '1 when the service check is ignored in LibreNMS (its alerts are muted there), else 0. Alert rules skip ignored checks.',
    labels: SERVICE_ID,
    source: 'services: service_ignore',
  },
  {
    name: 'librenms_service_info',
    type: 'gauge',
    help: "Descriptive labels of a LibreNMS service check; always 1. ip is empty when the check targets the device's hostname.",
    labels: [...SERVICE_ID, 'description', 'ip'],
    source: 'services: service_desc, service_ip',
  },
  {
    name: 'librenms_poller_info',
    type: 'gauge',
    help: "A LibreNMS poller; always 1. kind is dispatcher (a node of librenms-service.py, LibreNMS's dispatcher service) or wrapper (the cron poller-wrapper.py, listed only while no dispatcher node ever reported); node_id and groups (poller group ids) are the dispatcher's.",
    labels: ['poller', 'kind', 'node_id', 'groups'],
    source: 'pollers: poller_name, node_id, poller_groups',
  },
  {
    name: 'librenms_poller_last_report_timestamp_seconds',
    type: 'gauge',
    help: "Unix time a poller last reported: a dispatcher node's last_report (every poller interval, 300 s by default), or the poller-wrapper's last_polled (the end of its last run, read in LibreNMS's time zone or LIBRENMS_TIMEZONE).",
    labels: POLLER_ID,
    source: 'pollers: last_report (dispatcher), last_polled (wrapper)',
  },
  {
    name: 'librenms_poller_master',
    type: 'gauge',
    help: "1 when the dispatcher node is the cluster's master (it schedules the work), else 0. Dispatcher nodes only.",
    labels: POLLER_ID,
    source: 'pollers: master',
  },
  {
    name: 'librenms_poller_devices',
    type: 'gauge',
    help: "Devices a poller handled: per worker type, since the dispatcher node's previous report; for the poller-wrapper (type poller), in its last run.",
    labels: POLLER_TYPE_ID,
    source: 'pollers: stats[].devices (dispatcher), devices (wrapper)',
  },
  {
    name: 'librenms_poller_run_duration_seconds',
    type: 'gauge',
    help: "Seconds the poller-wrapper's last run took (LibreNMS's wrapper warns past 300 s, the poll interval). Wrapper only.",
    labels: POLLER_ID,
    source: 'pollers: time_taken',
  },
  {
    name: 'librenms_poller_worker_busy_seconds',
    type: 'gauge',
    help: "Worker time a dispatcher node spent busy per worker type since its previous report, in seconds. LibreNMS's poller page divides it by workers × interval: 1 means the workers never rest.",
    labels: POLLER_TYPE_ID,
    source: 'pollers: stats[].worker_seconds',
  },
  {
    name: 'librenms_poller_workers',
    type: 'gauge',
    help: 'Workers a dispatcher node runs per worker type.',
    labels: POLLER_TYPE_ID,
    source: 'pollers: stats[].workers',
  },
  {
    name: 'librenms_poller_interval_seconds',
    type: 'gauge',
    help: 'How often a dispatcher node runs each worker type, in seconds.',
    labels: POLLER_TYPE_ID,
    source: 'pollers: stats[].frequency',
  },
  {
    name: 'librenms_poller_queue_depth',
    type: 'gauge',
    help: "Jobs waiting in a dispatcher node's queues per worker type when it reported; work that stays queued is not keeping up.",
    labels: POLLER_TYPE_ID,
    source: 'pollers: stats[].depth',
  },
] as const satisfies readonly MetricFamily[];

/** Health items are read one request each, spread over refreshes (HEALTH_INTERVAL_SECONDS, HEALTH_MAX_REQUESTS). */
const HEALTH_NOTE = 'Read again every HEALTH_INTERVAL_SECONDS (LibreNMS polls every 5 minutes).';
const PROCESSOR_ID = ['hostname', 'processor_id', 'processor_type'] as const;
const MEMPOOL_ID = ['hostname', 'mempool_id', 'mempool_class'] as const;
const STORAGE_ID = ['hostname', 'storage_id', 'storage_type'] as const;
const HEALTH_ROUTE = 'devices/:hostname/health/device_';

export const HEALTH_FAMILIES = [
  {
    name: 'librenms_processor_info',
    type: 'gauge',
    help: 'Descriptive labels of a processor LibreNMS polls; always 1. Join on hostname and processor_id.',
    labels: ['hostname', 'processor_id', 'processor_type', 'processor_index', 'processor_descr'],
    source: `${HEALTH_ROUTE}processor/:id: processor_id, processor_type, processor_index, processor_descr`,
  },
  {
    name: 'librenms_processor_usage_ratio',
    type: 'gauge',
    help: `Processor usage as a ratio from 0 to 1 (LibreNMS's whole percent / 100). ${HEALTH_NOTE}`,
    labels: PROCESSOR_ID,
    source: `${HEALTH_ROUTE}processor/:id: processor_usage / 100`,
  },
  {
    name: 'librenms_processor_usage_warning_ratio',
    type: 'gauge',
    help: "LibreNMS's warning threshold of the processor's usage, as a ratio from 0 to 1.",
    labels: PROCESSOR_ID,
    source: `${HEALTH_ROUTE}processor/:id: processor_perc_warn / 100`,
  },
  {
    name: 'librenms_mempool_info',
    type: 'gauge',
    help: 'Descriptive labels of a memory pool LibreNMS polls; always 1. Join on hostname and mempool_id.',
    labels: ['hostname', 'mempool_id', 'mempool_class', 'mempool_type', 'mempool_index', 'mempool_descr'],
    source: `${HEALTH_ROUTE}mempool/:id: mempool_id, mempool_class, mempool_type, mempool_index, mempool_descr`,
  },
  {
    name: 'librenms_mempool_used_bytes',
    type: 'gauge',
    help: `Memory used in the pool, in bytes; left out while its total is unknown. ${HEALTH_NOTE}`,
    labels: MEMPOOL_ID,
    source: `${HEALTH_ROUTE}mempool/:id: mempool_used`,
  },
  {
    name: 'librenms_mempool_total_bytes',
    type: 'gauge',
    help: 'Size of the memory pool in bytes; left out when LibreNMS has 0 (unknown).',
    labels: MEMPOOL_ID,
    source: `${HEALTH_ROUTE}mempool/:id: mempool_total`,
  },
  {
    name: 'librenms_mempool_usage_ratio',
    type: 'gauge',
    help: `Part of the memory pool in use, from 0 to 1 (LibreNMS's whole percent / 100). ${HEALTH_NOTE}`,
    labels: MEMPOOL_ID,
    source: `${HEALTH_ROUTE}mempool/:id: mempool_perc / 100`,
  },
  {
    name: 'librenms_mempool_usage_warning_ratio',
    type: 'gauge',
    help: "LibreNMS's warning threshold of the memory pool's usage, as a ratio from 0 to 1.",
    labels: MEMPOOL_ID,
    source: `${HEALTH_ROUTE}mempool/:id: mempool_perc_warn / 100`,
  },
  {
    name: 'librenms_storage_info',
    type: 'gauge',
    help: 'Descriptive labels of a storage (disk, flash, mount) LibreNMS polls; always 1. Join on hostname and storage_id.',
    labels: ['hostname', 'storage_id', 'storage_type', 'storage_index', 'storage_descr'],
    source: `${HEALTH_ROUTE}storage/:id: storage_id, storage_type, storage_index, storage_descr`,
  },
  {
    name: 'librenms_storage_used_bytes',
    type: 'gauge',
    help: `Space used on the storage, in bytes; left out while its size is unknown. ${HEALTH_NOTE}`,
    labels: STORAGE_ID,
    source: `${HEALTH_ROUTE}storage/:id: storage_used`,
  },
  {
    name: 'librenms_storage_size_bytes',
    type: 'gauge',
    help: 'Size of the storage in bytes; left out when LibreNMS has 0 (unknown).',
    labels: STORAGE_ID,
    source: `${HEALTH_ROUTE}storage/:id: storage_size`,
  },
  {
    name: 'librenms_storage_usage_ratio',
    type: 'gauge',
    help: `Part of the storage in use, from 0 to 1 (LibreNMS's whole percent / 100). ${HEALTH_NOTE}`,
    labels: STORAGE_ID,
    source: `${HEALTH_ROUTE}storage/:id: storage_perc / 100`,
  },
  {
    name: 'librenms_storage_usage_warning_ratio',
    type: 'gauge',
    help: "LibreNMS's warning threshold of the storage's usage, as a ratio from 0 to 1.",
    labels: STORAGE_ID,
    source: `${HEALTH_ROUTE}storage/:id: storage_perc_warn / 100`,
  },
  {
    name: 'librenms_exporter_health_stale_items',
    type: 'gauge',
    help: 'Health items (processors, memory pools, storage) served from a read older than HEALTH_INTERVAL_SECONDS: the HEALTH_MAX_REQUESTS budget or a failed read held them back.',
    labels: [],
    source: 'exporter (health collector)',
  },
  {
    name: 'librenms_exporter_health_unread_items',
    type: 'gauge',
    help: 'Health items LibreNMS lists that this refresh could not serve: never read yet, or the last read is older than HEALTH_INTERVAL_SECONDS plus CACHE_MAX_AGE_SECONDS.',
    labels: [],
    source: 'exporter (health collector)',
  },
  {
    name: 'librenms_exporter_health_unlisted_devices',
    type: 'gauge',
    help: 'Selected devices whose processor, memory pool or storage ids have not been listed yet (or their list failed too long): their items are not known.',
    labels: [],
    source: 'exporter (health collector)',
  },
] as const satisfies readonly MetricFamily[];

/** Wireless sensors are read per device, spread over refreshes (WIRELESS_INTERVAL_SECONDS, WIRELESS_MAX_REQUESTS). */
const WIRELESS_NOTE = 'Read again every WIRELESS_INTERVAL_SECONDS (LibreNMS polls every 5 minutes).';
const WIRELESS_ID = ['hostname', 'sensor_id'] as const;
const WIRELESS_SOURCE = 'devices/:hostname/wireless-sensors (26.6+) or wireless/device_wireless_<class>/:id: sensor_current';

/** A family of one wireless sensor class. */
function wirelessFamily<N extends string>(name: N, sensorClass: string, meaning: string, source = '') {
  return {
    name,
    type: 'gauge',
    help: `Wireless sensor class ${sensorClass}: ${meaning}. ${WIRELESS_NOTE}`,
    labels: WIRELESS_ID,
    source: `${WIRELESS_SOURCE}${source}`,
  } as const;
}

export const WIRELESS_FAMILIES = [
  {
    name: 'librenms_wireless_sensor_info',
    type: 'gauge',
    help: 'Descriptive labels of a wireless sensor LibreNMS polls; always 1. Join on hostname and sensor_id.',
    labels: ['hostname', 'sensor_id', 'sensor_class', 'sensor_type', 'sensor_index', 'sensor_descr'],
    source: 'wireless_sensors: sensor_id, sensor_class, sensor_type, sensor_index, sensor_descr',
  },
  wirelessFamily('librenms_wireless_access_points', 'ap-count', 'Access points a controller manages'),
  wirelessFamily('librenms_wireless_clients', 'clients', 'Clients associated'),
  wirelessFamily('librenms_wireless_quality_ratio', 'quality', 'Link quality from 0 to 1', ' / 100'),
  wirelessFamily('librenms_wireless_capacity_ratio', 'capacity', 'Capacity in use from 0 to 1', ' / 100'),
  wirelessFamily('librenms_wireless_utilization_ratio', 'utilization', 'Channel or radio utilization from 0 to 1', ' / 100'),
  wirelessFamily('librenms_wireless_rate_bytes_per_second', 'rate', 'TX or RX rate in bytes per second (LibreNMS has bits per second)', ' / 8'),
  wirelessFamily('librenms_wireless_mcs_index', 'mcs', 'Modulation and coding scheme index'),
  wirelessFamily('librenms_wireless_ccq_ratio', 'ccq', 'Client connection quality from 0 to 1', ' / 100'),
  wirelessFamily('librenms_wireless_snr_db', 'snr', 'Signal-to-noise ratio in dB'),
  wirelessFamily('librenms_wireless_sinr_db', 'sinr', 'Signal-to-interference-plus-noise ratio in dB'),
  wirelessFamily('librenms_wireless_rsrp_dbm', 'rsrp', 'Reference signal received power in dBm (a logarithmic unit, kept as LibreNMS has it)'),
  wirelessFamily('librenms_wireless_rsrq_db', 'rsrq', 'Reference signal received quality in dB'),
  wirelessFamily('librenms_wireless_ssr_db', 'ssr', 'Signal strength ratio in dB'),
  wirelessFamily('librenms_wireless_mse_db', 'mse', 'Mean square error in dB'),
  wirelessFamily('librenms_wireless_xpi_db', 'xpi', 'Cross-polar interference in dB'),
  wirelessFamily('librenms_wireless_rssi_dbm', 'rssi', 'Received signal strength in dBm (a logarithmic unit, kept as LibreNMS has it)'),
  wirelessFamily('librenms_wireless_power_dbm', 'power', 'TX or RX power or signal in dBm (a logarithmic unit, kept as LibreNMS has it)'),
  wirelessFamily('librenms_wireless_noise_floor_dbm', 'noise-floor', 'Noise floor in dBm (a logarithmic unit, kept as LibreNMS has it)'),
  {
    name: 'librenms_wireless_errors_total',
    type: 'counter',
    help: `Wireless sensor class errors: errors counted by the device, a counter as LibreNMS reads it (use rate()). ${WIRELESS_NOTE}`,
    labels: WIRELESS_ID,
    source: WIRELESS_SOURCE,
  },
  wirelessFamily('librenms_wireless_error_ratio', 'error-ratio', 'Bit or packet error ratio from 0 to 1', ' / 100'),
  wirelessFamily(
    'librenms_wireless_error_rate_bytes_per_second',
    'error-rate',
    'Bit error rate, in bytes per second as LibreNMS gives bits per second',
    ' / 8',
  ),
  wirelessFamily('librenms_wireless_frequency_hertz', 'frequency', 'Frequency in hertz (LibreNMS has MHz)', ' × 1e6'),
  wirelessFamily('librenms_wireless_distance_meters', 'distance', 'Link distance in meters'),
  wirelessFamily('librenms_wireless_cell', 'cell', 'Cell id'),
  wirelessFamily('librenms_wireless_channel', 'channel', 'Channel number'),
  {
    name: 'librenms_wireless_sensor_value',
    type: 'gauge',
    help: `A wireless sensor of a class this exporter does not know yet (a newer LibreNMS), in the unit LibreNMS gives it. ${WIRELESS_NOTE}`,
    labels: ['hostname', 'sensor_id', 'sensor_class'],
    source: WIRELESS_SOURCE,
  },
  {
    name: 'librenms_exporter_wireless_stale_devices',
    type: 'gauge',
    help: 'Devices whose wireless sensors were served from a read older than WIRELESS_INTERVAL_SECONDS: the WIRELESS_MAX_REQUESTS budget or a failed read held them back.',
    labels: [],
    source: 'exporter (wireless collector)',
  },
  {
    name: 'librenms_exporter_wireless_unread_devices',
    type: 'gauge',
    help: 'Selected devices with wireless sensors (or a list) this refresh could not serve: never read yet, or the last read is older than WIRELESS_INTERVAL_SECONDS plus CACHE_MAX_AGE_SECONDS.',
    labels: [],
    source: 'exporter (wireless collector)',
  },
] as const satisfies readonly MetricFamily[];

export const EXPORTER_FAMILIES = [
  {
    name: 'librenms_up',
    type: 'gauge',
    help: '1 when the last refresh reached LibreNMS and the API token was accepted, else 0.',
    labels: [],
    source: 'exporter',
  },
  {
    name: 'librenms_scrape_collector_success',
    type: 'gauge',
    help: '1 when the collector succeeded in the last refresh, else 0 (its last good data may still be served).',
    labels: ['collector'],
    source: 'exporter',
  },
  {
    name: 'librenms_scrape_collector_duration_seconds',
    type: 'gauge',
    help: 'Seconds the collector took in the last refresh.',
    labels: ['collector'],
    source: 'exporter',
  },
  {
    name: 'librenms_exporter_cache_age_seconds',
    type: 'gauge',
    help: 'Age in seconds of the LibreNMS data served by this scrape (absent before the first successful refresh).',
    labels: [],
    source: 'exporter',
  },
  {
    name: 'librenms_exporter_last_refresh_success_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last refresh in which every collector succeeded.',
    labels: [],
    source: 'exporter',
  },
  {
    name: 'librenms_exporter_refresh_duration_seconds',
    type: 'gauge',
    help: 'Wall time in seconds of the last completed refresh from LibreNMS.',
    labels: [],
    source: 'exporter',
  },
  {
    name: 'librenms_exporter_ports_stale_devices',
    type: 'gauge',
    help: 'Devices whose ports this refresh served from an earlier per-device read (the PORTS_MAX_DEVICE_READS cap, or a failed read); 0 when ports were read in bulk.',
    labels: [],
    source: 'exporter (ports collector)',
  },
  {
    name: 'librenms_exporter_ports_unread_devices',
    type: 'gauge',
    help: 'Devices whose ports this refresh could not serve at all: never read yet, or the last read is older than CACHE_MAX_AGE_SECONDS; 0 when ports were read in bulk.',
    labels: [],
    source: 'exporter (ports collector)',
  },
  {
    name: 'librenms_exporter_api_requests_total',
    type: 'counter',
    help: 'Requests sent to the LibreNMS API, by endpoint and HTTP status code (or an error code such as timeout).',
    labels: ['endpoint', 'code'],
    source: 'exporter',
  },
  {
    name: 'librenms_exporter_api_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of requests to the LibreNMS API in seconds, body included.',
    labels: ['endpoint'],
    source: 'exporter',
  },
  {
    name: 'librenms_exporter_build_info',
    type: 'gauge',
    help: 'Build information of the exporter; always 1.',
    labels: ['version'],
    source: 'exporter',
  },
] as const satisfies readonly MetricFamily[];

export const ALL_FAMILIES: readonly MetricFamily[] = [
  ...DEVICE_FAMILIES,
  ...PORT_FAMILIES,
  ...ALERT_FAMILIES,
  ...SENSOR_FAMILIES,
  ...ROUTING_FAMILIES,
  ...LIBRENMS_FAMILIES,
  ...HEALTH_FAMILIES,
  ...WIRELESS_FAMILIES,
  ...EXPORTER_FAMILIES,
];

/** The name of a family in the catalog. */
export type FamilyName = (
  | typeof DEVICE_FAMILIES
  | typeof PORT_FAMILIES
  | typeof ALERT_FAMILIES
  | typeof SENSOR_FAMILIES
  | typeof ROUTING_FAMILIES
  | typeof LIBRENMS_FAMILIES
  | typeof HEALTH_FAMILIES
  | typeof WIRELESS_FAMILIES
  | typeof EXPORTER_FAMILIES
)[number]['name'];

const BY_NAME: ReadonlyMap<string, MetricFamily> = new Map(ALL_FAMILIES.map((f) => [f.name, f]));

/** The catalog entry of a family, by name (a misspelt name does not compile). */
export function family(name: FamilyName): MetricFamily {
  const found = BY_NAME.get(name);
  if (found === undefined) throw new Error(`${name} is not in the metric catalog`);
  return found;
}

/** Prefixes of prom-client's default process and Node.js metrics, also exported. */
export const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_'] as const;
