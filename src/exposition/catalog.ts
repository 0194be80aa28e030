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

export const ALL_FAMILIES: readonly MetricFamily[] = [...DEVICE_FAMILIES, ...PORT_FAMILIES, ...ALERT_FAMILIES, ...SENSOR_FAMILIES, ...EXPORTER_FAMILIES];

/** The name of a family in the catalog. */
export type FamilyName = (
  | typeof DEVICE_FAMILIES
  | typeof PORT_FAMILIES
  | typeof ALERT_FAMILIES
  | typeof SENSOR_FAMILIES
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
