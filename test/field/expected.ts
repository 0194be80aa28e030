/**
 * What the exporter must export, computed from the database rows of a real LibreNMS (never from
 * the exporter's own code): the contract of docs/metrics.md, written out once more so that the field
 * lane checks every value against the row it came from.
 */
import { versionAtLeast } from '../../librenms-double/format.js';
import { expectedRouting } from './expected-routing.js';
import { type FieldInstance, selectRows } from './lnms.js';

export interface ExpectedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const IF_STATUS: Readonly<Record<string, number>> = { up: 1, down: 2, testing: 3, unknown: 4, dormant: 5, notPresent: 6, lowerLayerDown: 7 };
const DUPLEX: Readonly<Record<string, number>> = { unknown: 1, halfDuplex: 2, fullDuplex: 3 };
const ALERT_STATES: Readonly<Record<number, string>> = { 1: 'active', 2: 'acknowledged', 3: 'worse', 4: 'better', 5: 'changed' };
const COUNTERS: readonly (readonly [column: string, family: string])[] = [
  ['ifInOctets', 'librenms_port_receive_bytes_total'],
  ['ifOutOctets', 'librenms_port_transmit_bytes_total'],
  ['ifInUcastPkts', 'librenms_port_receive_unicast_packets_total'],
  ['ifOutUcastPkts', 'librenms_port_transmit_unicast_packets_total'],
  ['ifInErrors', 'librenms_port_receive_errors_total'],
  ['ifOutErrors', 'librenms_port_transmit_errors_total'],
];

const num = (value: unknown): number | undefined => (value === null || value === undefined || value === '' ? undefined : Number(value));
const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** A control character other than \n is dropped from label text (src/mapping/text.ts). */
const label = (value: unknown): string => text(value).replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');

/**
 * A device's display name: from 26.5 LibreNMS stores it rendered in `display`; before, `display`
 * holds a template (only `{{ $hostname }}` and `{{ $sysName }}` occur in the field data) or nothing,
 * which shows the hostname.
 */
function displayName(row: Record<string, unknown>, version: string): string {
  const display = text(row['display']).trim();
  const hostname = text(row['hostname']);
  if (versionAtLeast(version, '26.5.0')) return display === '' ? hostname : display;
  const template = display === '' ? '{{ $hostname }}' : display;
  const sysName = text(row['sysName']) || hostname;
  const rendered = template.replace('{{ $hostname }}', hostname).replace('{{ $sysName }}', sysName).trim();
  return rendered === '' ? hostname : rendered;
}

/** The counter's value, or undefined for a poll that lost it (0 stored while `_prev` is larger). */
function counterValue(row: Record<string, unknown>, column: string): number | undefined {
  const value = num(row[column]);
  const previous = num(row[`${column}_prev`]);
  if (value === undefined || (value === 0 && previous !== undefined && previous > 0)) return undefined;
  return value;
}

export interface ExpectedExposition {
  readonly samples: ExpectedSample[];
  /** hostname per device id of the exported devices */
  readonly hostnames: ReadonlyMap<number, string>;
}

/**
 * The LibreNMS series the exporter must serve for an admin (or global-read) token with the default
 * settings: devices not disabled, ports neither deleted nor disabled, sensors not deleted, open alerts,
 * and the routing collectors' (expected-routing.ts).
 */
export function expectedExposition(instance: FieldInstance): ExpectedExposition {
  const { version } = instance;
  const samples: ExpectedSample[] = [];
  const add = (name: string, labels: Record<string, string>, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) samples.push({ name, labels, value });
  };
  const devices = selectRows(
    instance,
    {
      device_id: 'device_id',
      hostname: 'hostname',
      sysName: 'sysName',
      display: 'display',
      os: 'os',
      hardware: 'hardware',
      version: 'devices.version',
      location: 'locations.location',
      type: 'devices.type',
      status: 'status',
      status_reason: 'status_reason',
      ignore: '`ignore`',
      disable_notify: 'disable_notify',
      uptime: 'uptime',
      last_polled: 'UNIX_TIMESTAMP(last_polled)',
      last_polled_timetaken: 'last_polled_timetaken',
      last_ping_timetaken: 'last_ping_timetaken',
    },
    'devices LEFT JOIN locations ON locations.id = devices.location_id WHERE disabled = 0',
  );
  const hostnames = new Map<number, string>();
  const uptimes = new Map<number, number | undefined>();
  for (const d of devices) {
    const hostname = text(d['hostname']);
    const id = { hostname };
    const up = num(d['status']) === 1;
    hostnames.set(Number(d['device_id']), hostname);
    uptimes.set(Number(d['device_id']), up ? num(d['uptime']) : undefined);
    add(
      'librenms_device_info',
      {
        hostname,
        sysName: label(d['sysName']),
        display: displayName(d, version),
        os: label(d['os']),
        hardware: label(d['hardware']),
        version: label(d['version']),
        location: label(d['location']),
        device_type: label(d['type']),
      },
      1,
    );
    add('librenms_device_up', id, up ? 1 : 0);
    // Uptime and ping time are those of the last good poll while a device is down: left out.
    add('librenms_device_uptime_seconds', id, up ? num(d['uptime']) : undefined);
    add('librenms_device_ping_seconds', id, up && num(d['last_ping_timetaken']) !== undefined ? Number(d['last_ping_timetaken']) / 1000 : undefined);
    add('librenms_device_poll_duration_seconds', id, num(d['last_polled_timetaken']));
    add('librenms_device_last_polled_timestamp_seconds', id, num(d['last_polled']));
    if (!up && text(d['status_reason']).trim() !== '') add('librenms_device_down_reason_info', { hostname, reason: text(d['status_reason']).trim() }, 1);
    add('librenms_device_ignored', id, num(d['ignore']));
    add('librenms_device_notify_disabled', id, num(d['disable_notify']));
  }

  const portColumns: Record<string, string> = {
    port_id: 'port_id',
    device_id: 'device_id',
    ifIndex: 'ifIndex',
    ifName: 'ifName',
    ifDescr: 'ifDescr',
    ifAlias: 'ifAlias',
    ifType: 'ifType',
    ifSpeed: 'ifSpeed',
    ifMtu: 'ifMtu',
    ifOperStatus: 'ifOperStatus',
    ifAdminStatus: 'ifAdminStatus',
    ifDuplex: 'ifDuplex',
    ifLastChange: 'ifLastChange',
    ignore: '`ignore`',
    poll_time: 'poll_time',
    ifInOctets_rate: 'ifInOctets_rate',
    ifOutOctets_rate: 'ifOutOctets_rate',
  };
  // Counters as text: JSON numbers above 2^53 would be rounded by MariaDB's JSON writer before us.
  for (const [column] of COUNTERS) {
    portColumns[column] = `CAST(${column} AS CHAR)`;
    portColumns[`${column}_prev`] = `CAST(${column}_prev AS CHAR)`;
  }
  const ports = selectRows(instance, portColumns, 'ports WHERE deleted = 0 AND disabled = 0');
  for (const p of ports) {
    const hostname = hostnames.get(Number(p['device_id']));
    if (hostname === undefined) continue;
    const ifName = label(p['ifName']) || label(p['ifDescr']);
    const id = { hostname, ifName, ifIndex: text(p['ifIndex']) };
    add(
      'librenms_port_info',
      { ...id, ifDescr: label(p['ifDescr']), ifAlias: label(p['ifAlias']), ifType: label(p['ifType']), port_id: text(p['port_id']) },
      1,
    );
    const oper = IF_STATUS[text(p['ifOperStatus'])];
    add('librenms_port_up', id, oper === undefined ? undefined : oper === 1 ? 1 : 0);
    add('librenms_port_oper_status', id, oper);
    add('librenms_port_admin_status', id, IF_STATUS[text(p['ifAdminStatus'])]);
    add('librenms_port_speed_bytes', id, num(p['ifSpeed']) === undefined ? undefined : Number(p['ifSpeed']) / 8);
    add('librenms_port_mtu_bytes', id, num(p['ifMtu']));
    const pollTime = num(p['poll_time']);
    add('librenms_port_last_polled_timestamp_seconds', id, pollTime);
    // ifLastChange is sysUpTime ticks at the change: poll_time − (uptime − ticks/100), when that can be known.
    const ticks = num(p['ifLastChange']);
    const uptime = uptimes.get(Number(p['device_id']));
    if (ticks !== undefined && ticks > 0 && uptime !== undefined && uptime > 0 && pollTime !== undefined && uptime < 2 ** 32 / 100) {
      const since = uptime - ticks / 100;
      if (since >= -1) add('librenms_port_last_change_timestamp_seconds', id, Math.round(pollTime - Math.max(0, since)));
    }
    for (const [column, family] of COUNTERS) add(family, id, counterValue(p, column));
    const lostIn = counterValue(p, 'ifInOctets') === undefined;
    const lostOut = counterValue(p, 'ifOutOctets') === undefined;
    add('librenms_port_receive_bytes_per_second', id, lostIn ? undefined : num(p['ifInOctets_rate']));
    add('librenms_port_transmit_bytes_per_second', id, lostOut ? undefined : num(p['ifOutOctets_rate']));
    add('librenms_port_duplex', id, DUPLEX[text(p['ifDuplex'])]);
    add('librenms_port_ignored', id, num(p['ignore']));
  }

  const sensors = selectRows(
    instance,
    {
      sensor_id: 'sensor_id',
      device_id: 'device_id',
      sensor_class: 'sensor_class',
      sensor_descr: 'sensor_descr',
      sensor_index: 'sensor_index',
      sensor_current: 'sensor_current',
      sensor_limit: 'sensor_limit',
      sensor_limit_warn: 'sensor_limit_warn',
      sensor_limit_low: 'sensor_limit_low',
      sensor_limit_low_warn: 'sensor_limit_low_warn',
      sensor_alert: 'sensor_alert',
    },
    'sensors WHERE sensor_deleted = 0',
  );
  for (const s of sensors) {
    const hostname = hostnames.get(Number(s['device_id']));
    if (hostname === undefined) continue;
    const id = {
      hostname,
      sensor_class: label(s['sensor_class']),
      sensor_descr: label(s['sensor_descr']),
      sensor_index: label(s['sensor_index']),
      sensor_id: text(s['sensor_id']),
    };
    add('librenms_sensor_value', id, num(s['sensor_current']));
    add('librenms_sensor_limit_high', id, num(s['sensor_limit']));
    add('librenms_sensor_limit_high_warning', id, num(s['sensor_limit_warn']));
    add('librenms_sensor_limit_low', id, num(s['sensor_limit_low']));
    add('librenms_sensor_limit_low_warning', id, num(s['sensor_limit_low_warn']));
    add('librenms_sensor_alert_enabled', id, num(s['sensor_alert']));
  }

  const alerts = selectRows(
    instance,
    { device_id: 'alerts.device_id', rule_id: 'rule_id', state: 'state', name: 'alert_rules.name', severity: 'alert_rules.severity' },
    'alerts JOIN alert_rules ON alert_rules.id = alerts.rule_id WHERE state BETWEEN 1 AND 5',
  );
  // Alerts carry the rule's name from 25.3 (PR #17234); before, `rule_<id>` stands in.
  const namedRules = versionAtLeast(version, '25.3.0');
  for (const a of alerts) {
    const hostname = hostnames.get(Number(a['device_id']));
    if (hostname === undefined) continue;
    const state = ALERT_STATES[Number(a['state'])] ?? '';
    add('librenms_alert_active', { hostname, rule: namedRules ? text(a['name']) : `rule_${text(a['rule_id'])}`, severity: text(a['severity']), state }, 1);
  }
  samples.push(...expectedRouting(instance, hostnames));
  return { samples, hostnames };
}

/** Device group names and their members' hostnames, as the database holds them. */
export function expectedGroups(instance: FieldInstance): Map<string, { id: number; members: string[] }> {
  const rows = selectRows(
    instance,
    { id: 'device_groups.id', name: 'name', hostname: 'devices.hostname' },
    'device_groups LEFT JOIN device_group_device ON device_group_id = device_groups.id LEFT JOIN devices ON devices.device_id = device_group_device.device_id',
  );
  const groups = new Map<string, { id: number; members: string[] }>();
  for (const row of rows) {
    const name = text(row['name']);
    const group = groups.get(name) ?? { id: Number(row['id']), members: [] };
    if (row['hostname'] !== null) group.members.push(text(row['hostname']));
    groups.set(name, group);
  }
  return groups;
}
