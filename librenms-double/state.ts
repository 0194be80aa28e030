/**
 * In-memory model of the LibreNMS tables the API reads. Field names are the real
 * LibreNMS column names (resources/definitions/schema/db_schema.yaml); column order
 * in the *_COLUMNS lists is the table order, which is the key order of `SELECT *` rows.
 *
 * Conventions:
 *  - timestamps (devices.inserted/last_polled/..., alerts.timestamp, sensors.lastupdate)
 *    are stored as unix epoch seconds (or null) and formatted per endpoint
 *    ('Y-m-d H:i:s' for raw SQL handlers, ISO-8601 with microseconds for Eloquent).
 *  - the 24 port counter columns are `bigint | null` so 64-bit values stay exact.
 *  - flags (status, ignore, disabled, deleted, ...) are 0/1 numbers as in the DB.
 */

import { versionAtLeast } from './format.js';

export const COUNTER_BASES = ['ifInUcastPkts', 'ifOutUcastPkts', 'ifInErrors', 'ifOutErrors', 'ifInOctets', 'ifOutOctets'] as const;
export type CounterBase = (typeof COUNTER_BASES)[number];
export type CounterSuffix = '' | '_prev' | '_delta' | '_rate';
export type CounterColumn = `${CounterBase}${CounterSuffix}`;
export type Counter = bigint | null;
export type CounterColumns = { [K in CounterColumn]: Counter };

export interface SimPortBase {
  port_id: number;
  device_id: number;
  port_descr_type: string | null;
  port_descr_descr: string | null;
  port_descr_circuit: string | null;
  port_descr_speed: string | null;
  port_descr_notes: string | null;
  ifDescr: string | null;
  ifName: string | null;
  portName: string | null;
  ifIndex: number;
  ifSpeed: number | null;
  ifSpeed_prev: number | null;
  ifConnectorPresent: string | null;
  ifOperStatus: string | null;
  ifOperStatus_prev: string | null;
  ifAdminStatus: string | null;
  ifAdminStatus_prev: string | null;
  ifDuplex: string | null;
  ifMtu: number | null;
  ifType: string | null;
  ifAlias: string | null;
  /** hex without separators, as stored by the poller, e.g. '4c5e0c112233' */
  ifPhysAddress: string | null;
  /** sysUpTime TimeTicks (1/100 s) at the last change; 0 = no data */
  ifLastChange: number;
  ifVlan: string | null;
  ifTrunk: string | null;
  ifVrf: number;
  ignore: number;
  disabled: number;
  deleted: number;
  pagpOperationMode: string | null;
  pagpPortState: string | null;
  pagpPartnerDeviceId: string | null;
  pagpPartnerLearnMethod: string | null;
  pagpPartnerIfIndex: number | null;
  pagpPartnerGroupIfIndex: number | null;
  pagpPartnerDeviceName: string | null;
  pagpEthcOperationMode: string | null;
  pagpDeviceId: string | null;
  pagpGroupIfIndex: number | null;
  /** unix epoch seconds of the last port poll */
  poll_time: number | null;
  poll_prev: number | null;
  poll_period: number | null;
}
export type SimPort = SimPortBase & CounterColumns;

function counterColumnsFor(base: CounterBase): CounterColumn[] {
  return [base, `${base}_prev`, `${base}_delta`, `${base}_rate`];
}

/** All columns of the `ports` table in table order (what `columns=` is validated against). */
export const PORT_COLUMNS: readonly (keyof SimPort)[] = [
  'port_id',
  'device_id',
  'port_descr_type',
  'port_descr_descr',
  'port_descr_circuit',
  'port_descr_speed',
  'port_descr_notes',
  'ifDescr',
  'ifName',
  'portName',
  'ifIndex',
  'ifSpeed',
  'ifSpeed_prev',
  'ifConnectorPresent',
  'ifOperStatus',
  'ifOperStatus_prev',
  'ifAdminStatus',
  'ifAdminStatus_prev',
  'ifDuplex',
  'ifMtu',
  'ifType',
  'ifAlias',
  'ifPhysAddress',
  'ifLastChange',
  'ifVlan',
  'ifTrunk',
  'ifVrf',
  'ignore',
  'disabled',
  'deleted',
  'pagpOperationMode',
  'pagpPortState',
  'pagpPartnerDeviceId',
  'pagpPartnerLearnMethod',
  'pagpPartnerIfIndex',
  'pagpPartnerGroupIfIndex',
  'pagpPartnerDeviceName',
  'pagpEthcOperationMode',
  'pagpDeviceId',
  'pagpGroupIfIndex',
  ...COUNTER_BASES.flatMap(counterColumnsFor),
  'poll_time',
  'poll_prev',
  'poll_period',
];
/** The PAgP columns of a port that does not run Cisco PAgP (every port of our fixtures). */
export const NO_PAGP = {
  pagpOperationMode: null,
  pagpPortState: null,
  pagpPartnerDeviceId: null,
  pagpPartnerLearnMethod: null,
  pagpPartnerIfIndex: null,
  pagpPartnerGroupIfIndex: null,
  pagpPartnerDeviceName: null,
  pagpEthcOperationMode: null,
  pagpDeviceId: null,
  pagpGroupIfIndex: null,
} as const;

export const PORT_COLUMN_SET: ReadonlySet<string> = new Set(PORT_COLUMNS);

export interface SimDevice {
  device_id: number;
  /** epoch seconds */
  inserted: number | null;
  hostname: string;
  sysName: string | null;
  display: string;
  display_template: string | null;
  /** text form; the API converts the varbinary column to text */
  ip: string | null;
  overwrite_ip: string | null;
  community: string | null;
  authlevel: string | null;
  authname: string | null;
  authpass: string | null;
  authalgo: string | null;
  cryptopass: string | null;
  cryptoalgo: string | null;
  snmpver: string;
  port: number;
  transport: string;
  timeout: number | null;
  retries: number | null;
  snmp_disable: number;
  bgpLocalAs: number | null;
  sysObjectID: string | null;
  snmpEngineID: string | null;
  sysDescr: string | null;
  sysContact: string | null;
  version: string | null;
  hardware: string | null;
  features: string | null;
  location_id: number | null;
  os: string | null;
  status: number;
  status_reason: string;
  ignore: number;
  disabled: number;
  /** seconds */
  uptime: number | null;
  agent_uptime: number;
  last_polled: number | null;
  last_poll_attempted: number | null;
  last_polled_timetaken: number | null;
  last_discovered_timetaken: number | null;
  last_discovered: number | null;
  last_ping: number | null;
  last_ping_timetaken: number | null;
  purpose: string | null;
  type: string;
  serial: string | null;
  icon: string | null;
  poller_group: number;
  override_sysLocation: number;
  notes: string | null;
  port_association_mode: number;
  max_depth: number;
  disable_notify: number;
  ignore_status: number;
  mtu_status: number;
  /** not a devices column: the name from the joined `locations` row (kept in sync with state.locations) */
  location: string | null;
}

/** `devices` table columns in table order (`location` is not one of them). */
export const DEVICE_COLUMNS: readonly (keyof SimDevice)[] = [
  'device_id',
  'inserted',
  'hostname',
  'sysName',
  'display',
  'display_template',
  'ip',
  'overwrite_ip',
  'community',
  'authlevel',
  'authname',
  'authpass',
  'authalgo',
  'cryptopass',
  'cryptoalgo',
  'snmpver',
  'port',
  'transport',
  'timeout',
  'retries',
  'snmp_disable',
  'bgpLocalAs',
  'sysObjectID',
  'snmpEngineID',
  'sysDescr',
  'sysContact',
  'version',
  'hardware',
  'features',
  'location_id',
  'os',
  'status',
  'status_reason',
  'ignore',
  'disabled',
  'uptime',
  'agent_uptime',
  'last_polled',
  'last_poll_attempted',
  'last_polled_timetaken',
  'last_discovered_timetaken',
  'last_discovered',
  'last_ping',
  'last_ping_timetaken',
  'purpose',
  'type',
  'serial',
  'icon',
  'poller_group',
  'override_sysLocation',
  'notes',
  'port_association_mode',
  'max_depth',
  'disable_notify',
  'ignore_status',
  'mtu_status',
];
/**
 * Device columns newer than some release the double plays: the first release after the migration that
 * added it (database/migrations/ in LibreNMS). An older release's rows do not have them.
 */
export const DEVICE_COLUMNS_SINCE: Readonly<Partial<Record<keyof SimDevice, string>>> = {
  ignore_status: '24.1.0', // 2024_01_04_195618_add_ignore_status_to_devices_tables.php
  mtu_status: '25.12.0', // 2025_12_05_205509_devices_add_mtu_status.php
  display_template: '26.5.0', // 2026_05_06_134014_add_display_template_field_to_devices_table.php
  snmpEngineID: '26.6.0', // 2026_05_15_144037_add_snmp_engine_id_to_devices_table.php
};

const deviceColumnsOf = new Map<string, readonly (keyof SimDevice)[]>();

/** The `devices` columns of LibreNMS `version`, in table order. */
export function deviceColumns(version: string): readonly (keyof SimDevice)[] {
  let columns = deviceColumnsOf.get(version);
  if (columns === undefined) {
    columns = DEVICE_COLUMNS.filter((c) => {
      const since = DEVICE_COLUMNS_SINCE[c];
      return since === undefined || versionAtLeast(version, since);
    });
    deviceColumnsOf.set(version, columns);
  }
  return columns;
}

/**
 * Port columns LibreNMS dropped in 2023_04_12_174529_modify_ports_table.php (23.5.0), never filled by
 * its poller since: each after the column it followed, with the value every row holds.
 */
const LEGACY_PORT_COLUMNS: readonly { readonly name: string; readonly after: keyof SimPort; readonly value: number | null }[] = [
  { name: 'ifPromiscuousMode', after: 'ifConnectorPresent', value: null },
  { name: 'ifHardType', after: 'ifPhysAddress', value: null },
  { name: 'counter_in', after: 'ifVrf', value: null },
  { name: 'counter_out', after: 'ifVrf', value: null },
  { name: 'detailed', after: 'disabled', value: 0 },
];

/** The `ports` columns of LibreNMS `version` in table order, with the value of those the double does not model. */
export function portColumns(version: string): readonly { readonly name: string; readonly legacy?: number | null }[] {
  const out: { name: string; legacy?: number | null }[] = [];
  const legacy = !versionAtLeast(version, '23.5.0');
  for (const c of PORT_COLUMNS) {
    out.push({ name: c });
    if (legacy) for (const l of LEGACY_PORT_COLUMNS) if (l.after === c) out.push({ name: l.name, legacy: l.value });
  }
  return out;
}

export const DEVICE_DATE_COLUMNS: ReadonlySet<string> = new Set(['inserted', 'last_polled', 'last_poll_attempted', 'last_discovered', 'last_ping']);

export interface SimLocation {
  id: number;
  location: string;
  lat: number | null;
  lng: number | null;
  /** epoch seconds */
  timestamp: number;
  fixed_coordinates: number;
}

export interface SimAlert {
  id: number;
  device_id: number;
  rule_id: number;
  /** 0 clear, 1 active, 2 acknowledged, 3 worse, 4 better, 5 changed */
  state: number;
  alerted: number;
  open: number;
  note: string | null;
  /** epoch seconds of the last state change */
  timestamp: number;
  /** stored as JSON text in the DB; the API sends it as a JSON-encoded string */
  info: unknown;
}
export const ALERT_COLUMNS: readonly string[] = ['id', 'device_id', 'rule_id', 'state', 'alerted', 'open', 'note', 'timestamp', 'info'];

export interface SimAlertRule {
  id: number;
  severity: 'ok' | 'warning' | 'critical';
  extra: Record<string, unknown>;
  disabled: number;
  name: string;
  query: string;
  builder: Record<string, unknown>;
  proc: string | null;
  invert_map: number;
  notes: string | null;
  alert_operation_id: number | null;
  devices: number[];
  groups: number[];
  locations: number[];
}

/**
 * The `alert_rules` columns of LibreNMS `version`, in table order: `rule` (the legacy rule text, NOT NULL)
 * until 2025_06_11_173916_drop_alert_rule.php (25.7.0), `notes` from 2023_12_12_171400_alert_rule_note.php
 * (24.1.0), `alert_operation_id` from 2026_03_18_120000_alert_operations.php (26.4.0).
 */
export function alertRuleColumns(version: string): readonly string[] {
  return [
    'id',
    ...(versionAtLeast(version, '25.7.0') ? [] : ['rule']),
    'severity',
    'extra',
    'disabled',
    'name',
    'query',
    'builder',
    'proc',
    'invert_map',
    ...(versionAtLeast(version, '24.1.0') ? ['notes'] : []),
    ...(versionAtLeast(version, '26.4.0') ? ['alert_operation_id'] : []),
  ];
}

export interface SimDeviceGroup {
  id: number;
  name: string;
  desc: string | null;
  type: 'static' | 'dynamic';
  rules: Record<string, unknown> | null;
  pattern: string | null;
  device_ids: number[];
}

export interface SimSensor {
  sensor_id: number;
  sensor_deleted: number;
  sensor_class: string;
  device_id: number;
  poller_type: string;
  sensor_oid: string;
  sensor_index: string;
  sensor_type: string;
  sensor_descr: string;
  group: string | null;
  sensor_divisor: number;
  sensor_multiplier: number;
  sensor_current: number | null;
  sensor_limit: number | null;
  sensor_limit_warn: number | null;
  sensor_limit_low: number | null;
  sensor_limit_low_warn: number | null;
  sensor_alert: number;
  sensor_custom: string;
  entPhysicalIndex: string | null;
  entPhysicalIndex_measured: string | null;
  /** epoch seconds */
  lastupdate: number;
  sensor_prev: number | null;
  user_func: string | null;
  /** RRD data source type (LibreNMS 22.11 and later; db_schema.yaml: enum, default GAUGE) */
  rrd_type: 'GAUGE' | 'COUNTER' | 'DERIVE' | 'DCOUNTER' | 'DDERIVE' | 'ABSOLUTE';
}

/** `sensors` columns in table order (`rrd_type` from 22.11.0, LibreNMS PR #14208). */
export const SENSOR_COLUMNS: readonly (keyof SimSensor)[] = [
  'sensor_id',
  'sensor_deleted',
  'sensor_class',
  'device_id',
  'poller_type',
  'sensor_oid',
  'sensor_index',
  'sensor_type',
  'sensor_descr',
  'group',
  'sensor_divisor',
  'sensor_multiplier',
  'sensor_current',
  'sensor_limit',
  'sensor_limit_warn',
  'sensor_limit_low',
  'sensor_limit_low_warn',
  'sensor_alert',
  'sensor_custom',
  'entPhysicalIndex',
  'entPhysicalIndex_measured',
  'lastupdate',
  'sensor_prev',
  'user_func',
  'rrd_type',
];

// ---------------------------------------------------------------------------------------------
// health items and wireless sensors (served by health.ts)

/** A `processors` row: `processor_usage` is a whole percent, LibreNMS has applied the precision. */
export interface SimProcessor {
  processor_id: number;
  entPhysicalIndex: number;
  hrDeviceIndex: number | null;
  device_id: number;
  processor_oid: string;
  processor_index: string;
  processor_type: string;
  processor_usage: number;
  processor_descr: string;
  processor_precision: number;
  processor_perc_warn: number | null;
}

/** `processors` columns in table order (the same in every supported release). */
export const PROCESSOR_COLUMNS: readonly (keyof SimProcessor)[] = [
  'processor_id',
  'entPhysicalIndex',
  'hrDeviceIndex',
  'device_id',
  'processor_oid',
  'processor_index',
  'processor_type',
  'processor_usage',
  'processor_descr',
  'processor_precision',
  'processor_perc_warn',
];

/** A `mempools` row: used, free and total in bytes, `mempool_perc` a whole percent. */
export interface SimMempool {
  mempool_id: number;
  mempool_index: string;
  entPhysicalIndex: number | null;
  mempool_type: string;
  mempool_class: string;
  mempool_precision: number;
  mempool_descr: string;
  device_id: number;
  mempool_perc: number;
  mempool_perc_oid: string | null;
  mempool_used: number;
  mempool_used_oid: string | null;
  mempool_free: number;
  mempool_free_oid: string | null;
  mempool_total: number;
  mempool_total_oid: string | null;
  mempool_largestfree: number | null;
  mempool_lowestfree: number | null;
  mempool_deleted: number;
  mempool_perc_warn: number | null;
}

/** `mempools` columns in table order (the same in every supported release). */
export const MEMPOOL_COLUMNS: readonly (keyof SimMempool)[] = [
  'mempool_id',
  'mempool_index',
  'entPhysicalIndex',
  'mempool_type',
  'mempool_class',
  'mempool_precision',
  'mempool_descr',
  'device_id',
  'mempool_perc',
  'mempool_perc_oid',
  'mempool_used',
  'mempool_used_oid',
  'mempool_free',
  'mempool_free_oid',
  'mempool_total',
  'mempool_total_oid',
  'mempool_largestfree',
  'mempool_lowestfree',
  'mempool_deleted',
  'mempool_perc_warn',
];

/** A `storage` row: sizes in bytes, `storage_perc` a whole percent. `type` is `storage_mib` before 25.2.0. */
export interface SimStorage {
  storage_id: number;
  device_id: number;
  type: string;
  storage_index: string | null;
  storage_type: string | null;
  storage_descr: string;
  storage_size: number;
  storage_size_oid: string | null;
  storage_units: number;
  storage_used: number;
  storage_used_oid: string | null;
  storage_free: number;
  storage_free_oid: string | null;
  storage_perc: number;
  storage_perc_oid: string | null;
  storage_perc_warn: number | null;
  /** only before 25.2.0 */
  storage_deleted: number;
}

/**
 * `storage` columns in table order for a release, with the field each is read from: 25.2.0 renamed
 * `storage_mib` to `type`, added the four `*_oid` columns and dropped `storage_deleted` (LibreNMS PR
 * #17024: database/migrations/2025_01_22_194300_add_storage_oids_to_storage_table.php and
 * 2025_01_22_194342_drop_storage_deleted.php).
 */
export function storageColumns(version: string): readonly { readonly name: string; readonly field: keyof SimStorage }[] {
  const column = (name: keyof SimStorage) => ({ name, field: name });
  if (!versionAtLeast(version, '25.2.0')) {
    return [
      column('storage_id'),
      column('device_id'),
      { name: 'storage_mib', field: 'type' },
      ...(['storage_index', 'storage_type', 'storage_descr', 'storage_size', 'storage_units', 'storage_used', 'storage_free', 'storage_perc'] as const).map(
        column,
      ),
      column('storage_perc_warn'),
      column('storage_deleted'),
    ];
  }
  return (
    [
      'storage_id',
      'device_id',
      'type',
      'storage_index',
      'storage_type',
      'storage_descr',
      'storage_size',
      'storage_size_oid',
      'storage_units',
      'storage_used',
      'storage_used_oid',
      'storage_free',
      'storage_free_oid',
      'storage_perc',
      'storage_perc_oid',
      'storage_perc_warn',
    ] as const
  ).map(column);
}

/** A `wireless_sensors` row: `sensor_current` in the unit of its class (lang/en/wireless.php). */
export interface SimWirelessSensor {
  sensor_id: number;
  sensor_deleted: number;
  sensor_class: string;
  device_id: number;
  sensor_index: string | null;
  sensor_type: string;
  sensor_descr: string | null;
  sensor_divisor: number;
  sensor_multiplier: number;
  sensor_aggregator: string;
  sensor_current: number | null;
  sensor_prev: number | null;
  sensor_limit: number | null;
  sensor_limit_warn: number | null;
  sensor_limit_low: number | null;
  sensor_limit_low_warn: number | null;
  sensor_alert: number;
  sensor_custom: string;
  entPhysicalIndex: string | null;
  entPhysicalIndex_measured: string | null;
  /** epoch seconds */
  lastupdate: number;
  /** stored as JSON text */
  sensor_oids: string[];
  access_point_id: number | null;
  rrd_type: 'GAUGE' | 'COUNTER' | 'DERIVE' | 'DCOUNTER' | 'DDERIVE' | 'ABSOLUTE';
}

/** `wireless_sensors` columns in table order (the same in every supported release). */
export const WIRELESS_SENSOR_COLUMNS: readonly (keyof SimWirelessSensor)[] = [
  'sensor_id',
  'sensor_deleted',
  'sensor_class',
  'device_id',
  'sensor_index',
  'sensor_type',
  'sensor_descr',
  'sensor_divisor',
  'sensor_multiplier',
  'sensor_aggregator',
  'sensor_current',
  'sensor_prev',
  'sensor_limit',
  'sensor_limit_warn',
  'sensor_limit_low',
  'sensor_limit_low_warn',
  'sensor_alert',
  'sensor_custom',
  'entPhysicalIndex',
  'entPhysicalIndex_measured',
  'lastupdate',
  'sensor_oids',
  'access_point_id',
  'rrd_type',
];

export const STAT_BASES = [
  'ifInNUcastPkts',
  'ifOutNUcastPkts',
  'ifInDiscards',
  'ifOutDiscards',
  'ifInUnknownProtos',
  'ifInBroadcastPkts',
  'ifOutBroadcastPkts',
  'ifInMulticastPkts',
  'ifOutMulticastPkts',
] as const;
export type StatBase = (typeof STAT_BASES)[number];
export type StatColumn = `${StatBase}${CounterSuffix}`;
/** a `ports_statistics` row */
export type SimPortStatistics = { port_id: number } & { [K in StatColumn]: Counter };

export interface SimPortVlan {
  port_vlan_id: number;
  device_id: number;
  port_id: number;
  vlan: number;
  baseport: number;
  priority: number;
  state: string;
  cost: number;
  untagged: number;
}

export interface SimDeviceRelationship {
  parent_device_id: number;
  child_device_id: number;
}

/** Traffic profile used by poll(): fraction of ifSpeed in each direction (0..1). */
export interface PortLoad {
  in: number;
  out: number;
}

/**
 * Who an API token belongs to. LibreNMS's roles: `admin` and `global-read` read everything; a `user`
 * reads what it was given: devices (`devices_perms`), device groups (`devices_group_perms`, every
 * member) and single ports (`ports_perms`) (LibreNMS/Cache/PermissionsCache.php).
 */
export interface SimUser {
  role: 'admin' | 'global-read' | 'user';
  /** devices given to the user directly */
  deviceIds?: number[];
  /** device groups given to the user: their members are readable, but /devices does not list them */
  groupIds?: number[];
  /** single ports given to the user */
  portIds?: number[];
}

// ---------------------------------------------------------------------------------------------
// routing and LibreNMS itself (the bgp, ospf, services and pollers collectors; handlers in routing.ts).
// Columns in table order (resources/definitions/schema/db_schema.yaml; the same in 22.11, 25.4 and 26.7
// but for column widths), which is the key order of `SELECT *` and of the Eloquent rows.

/** A `bgpPeers` row. States are the SNMP enum names the poller stores ('' = discovered, never polled). */
export interface SimBgpPeer {
  bgpPeer_id: number;
  device_id: number;
  vrf_id: number | null;
  astext: string;
  bgpPeerIdentifier: string;
  bgpPeerRemoteAs: number;
  bgpPeerState: string;
  bgpPeerAdminStatus: string;
  bgpPeerLastErrorCode: number | null;
  bgpPeerLastErrorSubCode: number | null;
  bgpPeerLastErrorText: string | null;
  bgpPeerIface: number | null;
  bgpLocalAddr: string;
  bgpPeerRemoteAddr: string;
  bgpPeerDescr: string;
  bgpPeerInUpdates: number;
  bgpPeerOutUpdates: number;
  bgpPeerInTotalMessages: number;
  bgpPeerOutTotalMessages: number;
  /** seconds (BGP4-MIB bgpPeerFsmEstablishedTime) */
  bgpPeerFsmEstablishedTime: number;
  bgpPeerInUpdateElapsedTime: number;
  context_name: string | null;
}
export const BGP_PEER_COLUMNS: readonly (keyof SimBgpPeer)[] = [
  'bgpPeer_id',
  'device_id',
  'vrf_id',
  'astext',
  'bgpPeerIdentifier',
  'bgpPeerRemoteAs',
  'bgpPeerState',
  'bgpPeerAdminStatus',
  'bgpPeerLastErrorCode',
  'bgpPeerLastErrorSubCode',
  'bgpPeerLastErrorText',
  'bgpPeerIface',
  'bgpLocalAddr',
  'bgpPeerRemoteAddr',
  'bgpPeerDescr',
  'bgpPeerInUpdates',
  'bgpPeerOutUpdates',
  'bgpPeerInTotalMessages',
  'bgpPeerOutTotalMessages',
  'bgpPeerFsmEstablishedTime',
  'bgpPeerInUpdateElapsedTime',
  'context_name',
];

export const BGP_PREFIX_BASES = ['AcceptedPrefixes', 'DeniedPrefixes', 'AdvertisedPrefixes', 'SuppressedPrefixes', 'WithdrawnPrefixes'] as const;
/** A `bgpPeers_cbgp` row: prefix counts of one peer and address family (no primary key). */
export interface SimBgpCounter {
  device_id: number;
  bgpPeerIdentifier: string;
  afi: string;
  safi: string;
  AcceptedPrefixes: number;
  DeniedPrefixes: number;
  PrefixAdminLimit: number;
  PrefixThreshold: number;
  PrefixClearThreshold: number;
  AdvertisedPrefixes: number;
  SuppressedPrefixes: number;
  WithdrawnPrefixes: number;
  AcceptedPrefixes_delta: number;
  AcceptedPrefixes_prev: number;
  DeniedPrefixes_delta: number;
  DeniedPrefixes_prev: number;
  AdvertisedPrefixes_delta: number;
  AdvertisedPrefixes_prev: number;
  SuppressedPrefixes_delta: number;
  SuppressedPrefixes_prev: number;
  WithdrawnPrefixes_delta: number;
  WithdrawnPrefixes_prev: number;
  context_name: string | null;
}
export const BGP_COUNTER_COLUMNS: readonly (keyof SimBgpCounter)[] = [
  'device_id',
  'bgpPeerIdentifier',
  'afi',
  'safi',
  'AcceptedPrefixes',
  'DeniedPrefixes',
  'PrefixAdminLimit',
  'PrefixThreshold',
  'PrefixClearThreshold',
  'AdvertisedPrefixes',
  'SuppressedPrefixes',
  'WithdrawnPrefixes',
  'AcceptedPrefixes_delta',
  'AcceptedPrefixes_prev',
  'DeniedPrefixes_delta',
  'DeniedPrefixes_prev',
  'AdvertisedPrefixes_delta',
  'AdvertisedPrefixes_prev',
  'SuppressedPrefixes_delta',
  'SuppressedPrefixes_prev',
  'WithdrawnPrefixes_delta',
  'WithdrawnPrefixes_prev',
  'context_name',
];

/** A `vrfs` row. */
export interface SimVrf {
  vrf_id: number;
  vrf_oid: string;
  vrf_name: string | null;
  bgpLocalAs: number | null;
  mplsVpnVrfRouteDistinguisher: string | null;
  mplsVpnVrfDescription: string;
  device_id: number;
}
export const VRF_COLUMNS: readonly (keyof SimVrf)[] = [
  'vrf_id',
  'vrf_oid',
  'vrf_name',
  'bgpLocalAs',
  'mplsVpnVrfRouteDistinguisher',
  'mplsVpnVrfDescription',
  'device_id',
];

/** An `ospf_nbrs` row; states are OSPF-MIB enum names. */
export interface SimOspfNeighbor {
  id: number;
  device_id: number;
  port_id: number | null;
  ospf_nbr_id: string;
  ospfNbrIpAddr: string;
  ospfNbrAddressLessIndex: number;
  ospfNbrRtrId: string;
  ospfNbrOptions: number;
  ospfNbrPriority: number;
  ospfNbrState: string;
  ospfNbrEvents: number;
  ospfNbrLsRetransQLen: number;
  ospfNbmaNbrStatus: string;
  ospfNbmaNbrPermanence: string;
  ospfNbrHelloSuppressed: string;
  context_name: string | null;
}
export const OSPF_NEIGHBOR_COLUMNS: readonly (keyof SimOspfNeighbor)[] = [
  'id',
  'device_id',
  'port_id',
  'ospf_nbr_id',
  'ospfNbrIpAddr',
  'ospfNbrAddressLessIndex',
  'ospfNbrRtrId',
  'ospfNbrOptions',
  'ospfNbrPriority',
  'ospfNbrState',
  'ospfNbrEvents',
  'ospfNbrLsRetransQLen',
  'ospfNbmaNbrStatus',
  'ospfNbmaNbrPermanence',
  'ospfNbrHelloSuppressed',
  'context_name',
];

/** An `ospf_ports` row (an OSPF interface). */
export interface SimOspfPort {
  id: number;
  device_id: number;
  port_id: number;
  ospf_port_id: string;
  ospfIfIpAddress: string;
  ospfAddressLessIf: number;
  ospfIfAreaId: string;
  ospfIfType: string | null;
  ospfIfAdminStat: string | null;
  ospfIfRtrPriority: number | null;
  ospfIfTransitDelay: number | null;
  ospfIfRetransInterval: number | null;
  ospfIfHelloInterval: number | null;
  ospfIfRtrDeadInterval: number | null;
  ospfIfPollInterval: number | null;
  ospfIfState: string | null;
  ospfIfDesignatedRouter: string | null;
  ospfIfBackupDesignatedRouter: string | null;
  ospfIfEvents: number | null;
  ospfIfAuthKey: string | null;
  ospfIfStatus: string | null;
  ospfIfMulticastForwarding: string | null;
  ospfIfDemand: string | null;
  ospfIfAuthType: string | null;
  ospfIfMetricIpAddress: string | null;
  ospfIfMetricAddressLessIf: number | null;
  ospfIfMetricTOS: number | null;
  ospfIfMetricValue: number | null;
  ospfIfMetricStatus: string | null;
  context_name: string | null;
}
export const OSPF_PORT_COLUMNS: readonly (keyof SimOspfPort)[] = [
  'id',
  'device_id',
  'port_id',
  'ospf_port_id',
  'ospfIfIpAddress',
  'ospfAddressLessIf',
  'ospfIfAreaId',
  'ospfIfType',
  'ospfIfAdminStat',
  'ospfIfRtrPriority',
  'ospfIfTransitDelay',
  'ospfIfRetransInterval',
  'ospfIfHelloInterval',
  'ospfIfRtrDeadInterval',
  'ospfIfPollInterval',
  'ospfIfState',
  'ospfIfDesignatedRouter',
  'ospfIfBackupDesignatedRouter',
  'ospfIfEvents',
  'ospfIfAuthKey',
  'ospfIfStatus',
  'ospfIfMulticastForwarding',
  'ospfIfDemand',
  'ospfIfAuthType',
  'ospfIfMetricIpAddress',
  'ospfIfMetricAddressLessIf',
  'ospfIfMetricTOS',
  'ospfIfMetricValue',
  'ospfIfMetricStatus',
  'context_name',
];

/** A `services` row (a LibreNMS service check). */
export interface SimService {
  service_id: number;
  device_id: number;
  service_ip: string | null;
  service_type: string;
  service_desc: string | null;
  service_param: string | null;
  service_ignore: number;
  /** the plugin's exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, …) */
  service_status: number;
  /** unix seconds of the last status change; 0 = never */
  service_changed: number;
  service_message: string | null;
  service_disabled: number;
  service_ds: string | null;
  service_template_id: number;
  service_name: string | null;
}
export const SERVICE_COLUMNS: readonly (keyof SimService)[] = [
  'service_id',
  'device_id',
  'service_ip',
  'service_type',
  'service_desc',
  'service_param',
  'service_ignore',
  'service_status',
  'service_changed',
  'service_message',
  'service_disabled',
  'service_ds',
  'service_template_id',
  'service_name',
];

/** A `pollers` row: the poller-wrapper's last run. */
export interface SimPoller {
  id: number;
  poller_name: string;
  /** unix seconds (a DATETIME in LibreNMS's zone) */
  last_polled: number;
  devices: number;
  /** seconds (double) */
  time_taken: number;
}
export const POLLER_COLUMNS: readonly (keyof SimPoller)[] = ['id', 'poller_name', 'last_polled', 'devices', 'time_taken'];

/** A `poller_cluster_stats` row: one worker type of a dispatcher node. */
export interface SimPollerStat {
  id: number;
  parent_poller: number;
  poller_type: string;
  depth: number;
  devices: number;
  /** seconds (double) */
  worker_seconds: number;
  workers: number;
  frequency: number;
}
export const POLLER_STAT_COLUMNS: readonly (keyof SimPollerStat)[] = [
  'id',
  'parent_poller',
  'poller_type',
  'depth',
  'devices',
  'worker_seconds',
  'workers',
  'frequency',
];

/** The per-node settings of a `poller_cluster` row (null unless overridden in LibreNMS's UI). */
export const POLLER_NODE_SETTINGS = [
  'poller_enabled',
  'poller_frequency',
  'poller_workers',
  'poller_down_retry',
  'discovery_enabled',
  'discovery_frequency',
  'discovery_workers',
  'services_enabled',
  'services_frequency',
  'services_workers',
  'billing_enabled',
  'billing_frequency',
  'billing_calculate_frequency',
  'alerting_enabled',
  'alerting_frequency',
  'ping_enabled',
  'ping_frequency',
  'update_enabled',
  'update_frequency',
  'loglevel',
  'watchdog_enabled',
  'watchdog_log',
] as const;
/** A `poller_cluster` row: a dispatcher node (librenms-service.py). */
export type SimPollerNode = {
  id: number;
  node_id: string;
  poller_name: string;
  poller_version: string;
  /** comma-separated poller group ids */
  poller_groups: string;
  /** unix seconds */
  last_report: number;
  master: number;
} & { [K in (typeof POLLER_NODE_SETTINGS)[number]]: number | string | null };
export const POLLER_NODE_COLUMNS: readonly string[] = [
  'id',
  'node_id',
  'poller_name',
  'poller_version',
  'poller_groups',
  'last_report',
  'master',
  ...POLLER_NODE_SETTINGS,
];

export interface SimState {
  devices: SimDevice[];
  ports: SimPort[];
  locations: SimLocation[];
  alerts: SimAlert[];
  alertRules: SimAlertRule[];
  deviceGroups: SimDeviceGroup[];
  sensors: SimSensor[];
  portStatistics: SimPortStatistics[];
  portVlans: SimPortVlan[];
  deviceRelationships: SimDeviceRelationship[];
  processors: SimProcessor[];
  mempools: SimMempool[];
  storage: SimStorage[];
  wirelessSensors: SimWirelessSensor[];
  /** optional per-port utilisation for poll(); ports without an entry get a stable pseudo-random one */
  portLoad: Map<number, PortLoad>;
  /** unix seconds: "now" of the simulated LibreNMS (poll_time, last_polled, ...) */
  clock: number;
  /** PRNG state for poll() (deterministic) */
  rngState: number;
  /** ports whose device-side counters restart from 0 at the next poll (see rebootDevice) */
  counterResets?: Set<number>;
  /** more API tokens and their users (the double's own token is an admin's) */
  tokens?: Map<string, SimUser>;
  /**
   * PHP's (and so the poller's) time zone as a UTC offset in minutes: raw-SQL dates (`last_polled`)
   * are written in it and `/system` `local_date` carries it. Default 0 (UTC).
   */
  utcOffsetMinutes?: number;
  bgpPeers: SimBgpPeer[];
  bgpCounters: SimBgpCounter[];
  vrfs: SimVrf[];
  ospfNeighbors: SimOspfNeighbor[];
  ospfPorts: SimOspfPort[];
  services: SimService[];
  pollers: SimPoller[];
  pollerNodes: SimPollerNode[];
  pollerStats: SimPollerStat[];
}

/** The routing and pollers tables (routing.ts serves them), empty. */
export function emptyRoutingTables(): Pick<
  SimState,
  'bgpPeers' | 'bgpCounters' | 'vrfs' | 'ospfNeighbors' | 'ospfPorts' | 'services' | 'pollers' | 'pollerNodes' | 'pollerStats'
> {
  return { bgpPeers: [], bgpCounters: [], vrfs: [], ospfNeighbors: [], ospfPorts: [], services: [], pollers: [], pollerNodes: [], pollerStats: [] };
}

export function emptyState(clock: number, seed = 1): SimState {
  return {
    devices: [],
    ports: [],
    locations: [],
    alerts: [],
    alertRules: [],
    deviceGroups: [],
    sensors: [],
    portStatistics: [],
    portVlans: [],
    deviceRelationships: [],
    processors: [],
    mempools: [],
    storage: [],
    wirelessSensors: [],
    portLoad: new Map(),
    ...emptyRoutingTables(),
    clock,
    rngState: seed >>> 0,
  };
}

// ---------------------------------------------------------------------------------------------
// deterministic PRNG

/** mulberry32: returns [value in [0,1), next state] */
export function mulberry32(state: number): [number, number] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    const [v, n] = mulberry32(s);
    s = n;
    return v;
  };
}

// ---------------------------------------------------------------------------------------------
// row factories and helpers

export function nullCounters(): CounterColumns {
  const c = {} as CounterColumns;
  for (const b of COUNTER_BASES) {
    c[b] = null;
    c[`${b}_prev`] = null;
    c[`${b}_delta`] = null;
    c[`${b}_rate`] = null;
  }
  return c;
}

export function defaultDevice(device_id: number, hostname: string, clock: number): SimDevice {
  return {
    device_id,
    inserted: clock - 86400 * 30,
    hostname,
    sysName: hostname,
    display: hostname,
    display_template: null,
    ip: null,
    overwrite_ip: null,
    community: 'lab-community-s3cret',
    authlevel: null,
    authname: null,
    authpass: null,
    authalgo: null,
    cryptopass: null,
    cryptoalgo: null,
    snmpver: 'v2c',
    port: 161,
    transport: 'udp',
    timeout: null,
    retries: null,
    snmp_disable: 0,
    bgpLocalAs: null,
    sysObjectID: null,
    snmpEngineID: null,
    sysDescr: null,
    sysContact: null,
    version: null,
    hardware: null,
    features: null,
    location_id: null,
    os: 'generic',
    status: 1,
    status_reason: '',
    ignore: 0,
    disabled: 0,
    uptime: 86400,
    agent_uptime: 0,
    last_polled: clock,
    last_poll_attempted: null,
    last_polled_timetaken: 5.21,
    last_discovered_timetaken: 20.4,
    last_discovered: clock - 3600,
    last_ping: clock,
    last_ping_timetaken: 0.52,
    purpose: null,
    type: '',
    serial: null,
    icon: null,
    poller_group: 0,
    override_sysLocation: 0,
    notes: null,
    port_association_mode: 1,
    max_depth: 0,
    disable_notify: 0,
    ignore_status: 0,
    mtu_status: 0,
    location: null,
  };
}

export function defaultPort(port_id: number, device_id: number, ifIndex: number): SimPort {
  return {
    port_id,
    device_id,
    port_descr_type: null,
    port_descr_descr: null,
    port_descr_circuit: null,
    port_descr_speed: null,
    port_descr_notes: null,
    ifDescr: `port${ifIndex}`,
    ifName: `port${ifIndex}`,
    portName: null,
    ifIndex,
    ifSpeed: 1000000000,
    ifSpeed_prev: null,
    ifConnectorPresent: 'true',
    ifOperStatus: 'up',
    ifOperStatus_prev: 'up',
    ifAdminStatus: 'up',
    ifAdminStatus_prev: 'up',
    ifDuplex: 'fullDuplex',
    ifMtu: 1500,
    ifType: 'ethernetCsmacd',
    ifAlias: '',
    ifPhysAddress: null,
    ifLastChange: 0,
    ifVlan: null,
    ifTrunk: null,
    ifVrf: 0,
    ignore: 0,
    disabled: 0,
    deleted: 0,
    ...NO_PAGP,
    ...nullCounters(),
    poll_time: null,
    poll_prev: null,
    poll_period: null,
  };
}

export function findDevice(state: SimState, deviceId: number): SimDevice | undefined {
  return state.devices.find((d) => d.device_id === deviceId);
}

export function findPort(state: SimState, portId: number): SimPort | undefined {
  return state.ports.find((p) => p.port_id === portId);
}

/** Adds a device (like `lnms device:add` + discovery). device_id defaults to max+1. */
export function addDevice(state: SimState, device: Partial<SimDevice> & { hostname: string }): SimDevice {
  const id = device.device_id ?? state.devices.reduce((m, d) => Math.max(m, d.device_id), 0) + 1;
  if (findDevice(state, id)) throw new Error(`device_id ${id} already exists`);
  const row: SimDevice = { ...defaultDevice(id, device.hostname, state.clock), ...device, device_id: id };
  state.devices.push(row);
  return row;
}

/** Deletes a device like LibreNMS `delete_device`: the row, its ports, alerts, group memberships go. */
export function removeDevice(state: SimState, deviceId: number): void {
  const idx = state.devices.findIndex((d) => d.device_id === deviceId);
  if (idx < 0) throw new Error(`no device ${deviceId}`);
  state.devices.splice(idx, 1);
  const portIds = new Set(state.ports.filter((p) => p.device_id === deviceId).map((p) => p.port_id));
  state.ports = state.ports.filter((p) => p.device_id !== deviceId);
  state.portStatistics = state.portStatistics.filter((s) => !portIds.has(s.port_id));
  state.portVlans = state.portVlans.filter((v) => v.device_id !== deviceId);
  state.alerts = state.alerts.filter((a) => a.device_id !== deviceId);
  state.sensors = state.sensors.filter((s) => s.device_id !== deviceId);
  state.deviceRelationships = state.deviceRelationships.filter((r) => r.parent_device_id !== deviceId && r.child_device_id !== deviceId);
  for (const g of state.deviceGroups) g.device_ids = g.device_ids.filter((id) => id !== deviceId);
}

/** Adds a port (as discovery would: counters null until the first poll). */
export function addPort(state: SimState, port: Partial<SimPort> & { device_id: number }): SimPort {
  if (!findDevice(state, port.device_id)) throw new Error(`no device ${port.device_id}`);
  const id = port.port_id ?? state.ports.reduce((m, p) => Math.max(m, p.port_id), 0) + 1;
  if (findPort(state, id)) throw new Error(`port_id ${id} already exists`);
  const ifIndex = port.ifIndex ?? state.ports.filter((p) => p.device_id === port.device_id).reduce((m, p) => Math.max(m, p.ifIndex), 0) + 1;
  const row: SimPort = { ...defaultPort(id, port.device_id, ifIndex), ...port, port_id: id, ifIndex };
  state.ports.push(row);
  return row;
}

/** Marks a port deleted (deleted=1), as LibreNMS does when a port disappears from the device. */
export function deletePort(state: SimState, portId: number): void {
  const p = findPort(state, portId);
  if (!p) throw new Error(`no port ${portId}`);
  p.deleted = 1;
}

export function setPort(state: SimState, portId: number, patch: Partial<SimPort>): SimPort {
  const p = findPort(state, portId);
  if (!p) throw new Error(`no port ${portId}`);
  Object.assign(p, patch, { port_id: portId });
  return p;
}

export function setDevice(state: SimState, deviceId: number, patch: Partial<SimDevice>): SimDevice {
  const d = findDevice(state, deviceId);
  if (!d) throw new Error(`no device ${deviceId}`);
  Object.assign(d, patch, { device_id: deviceId });
  return d;
}

/**
 * Moves the whole data set in time so that `state.clock` becomes `newClock`: every stored
 * epoch (devices' dates, ports' poll_time/poll_prev, alerts, sensors, locations) shifts by the
 * same amount. Counters are unchanged. Used to make fixture data look fresh "now".
 */
export function rebaseClock(state: SimState, newClock: number): void {
  const shift = Math.round(newClock) - state.clock;
  if (shift === 0) return;
  const mv = (v: number | null): number | null => (v === null ? null : v + shift);
  for (const d of state.devices) {
    d.inserted = mv(d.inserted);
    d.last_polled = mv(d.last_polled);
    d.last_poll_attempted = mv(d.last_poll_attempted);
    d.last_discovered = mv(d.last_discovered);
    d.last_ping = mv(d.last_ping);
  }
  for (const p of state.ports) {
    p.poll_time = mv(p.poll_time);
    p.poll_prev = mv(p.poll_prev);
  }
  for (const a of state.alerts) a.timestamp += shift;
  for (const s of state.sensors) s.lastupdate += shift;
  for (const l of state.locations) l.timestamp += shift;
  state.clock += shift;
}

/**
 * Simulates a device reboot: uptime restarts and, at the next poll(), the device's counters
 * restart from 0, so LibreNMS sees a negative delta and stores delta = rate = 0.
 */
export function rebootDevice(state: SimState, deviceId: number): void {
  const d = findDevice(state, deviceId);
  if (!d) throw new Error(`no device ${deviceId}`);
  d.uptime = 0;
  state.counterResets ??= new Set();
  for (const p of state.ports) if (p.device_id === deviceId) state.counterResets.add(p.port_id);
}
