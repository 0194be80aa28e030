/**
 * The field lane's data set: the workshop lab plus the odd rows that real installs have and that the
 * exporter must read right. One model (the double's table-shaped state) feeds both the real LibreNMS
 * (as SQL, `sql.ts`) and the double (as its state), so the parity test compares like with like.
 *
 * Odd rows, each there for a reason (the field defects of issue 20 among them):
 * - ether2's `ifInOctets` is 0 while `ifInOctets_prev` is not: a poll that lost the counter, which
 *   LibreNMS stores as 0 (includes/polling/ports.inc.php, `set_numeric($current_oid ?? 0)`);
 * - the down firewall keeps the uptime and ping time of its last good poll (LibreNMS updates them only
 *   while the device answers: app/Jobs/PollDevice.php, CheckDeviceAvailability);
 * - the lobby AP's ports module is off: its ports' `poll_time` stands a day old while the device polls;
 * - group names with `/`, spaces, non-ASCII letters and only digits, and an empty group;
 * - a counter above 2^53, an ifAlias with quotes, a backslash and a newline, a port without ifName,
 *   deleted, disabled, ignored, admin-down, dormant and lowerLayerDown ports, ifSpeed 0;
 * - a deleted sensor, a state sensor, a sensor without limits, a muted sensor;
 * - open, acknowledged and cleared alerts, one on a device the exporter leaves out (disabled);
 * - BGP, OSPF, service checks and pollers: seed-routing.ts.
 */

import { versionAtLeast } from '../../librenms-double/format.js';
import {
  addDevice,
  addPort,
  COUNTER_BASES,
  type CounterColumns,
  emptyState,
  nullCounters,
  type SimPort,
  type SimSensor,
  type SimState,
} from '../../librenms-double/state.js';
import { addHealthRows } from './seed-health.js';
import { addRouting } from './seed-routing.js';

/** The users `../shared/tools/real-librenms/up.sh` creates: 1 admin, 2 a normal user, 3 global read. */
export const NORMAL_USER_ID = 2;
/** The one device the normal user is given (`devices_perms`): the workshop router. */
export const NORMAL_USER_DEVICE = 1;

/** The SNMP community of every field device: a secret no output may show. */
export const FIELD_COMMUNITY = 'field-community-s3cret';

/** A group name per kind of name that trips a URL or a lookup. */
export const GROUPS = {
  lab: 'Lab',
  slash: 'Site A/Core',
  unicode: 'Büro Zürich',
  digits: '2024',
  empty: 'Empty group',
} as const;

/** Counters of two polls `period` apart: current, previous, delta and rate. */
function counters(values: Partial<Record<(typeof COUNTER_BASES)[number], [current: bigint, perSecond: bigint]>>, period = 300): CounterColumns {
  const c = nullCounters();
  for (const base of COUNTER_BASES) {
    const [current, perSecond] = values[base] ?? [0n, 0n];
    c[base] = current;
    c[`${base}_prev`] = current - perSecond * BigInt(period);
    c[`${base}_delta`] = perSecond * BigInt(period);
    c[`${base}_rate`] = perSecond;
  }
  return c;
}

/**
 * The field data set at `clock` (Unix seconds) for a LibreNMS `version`: the same rows for every
 * version, but for `display`, which holds the rendered name from 26.5 and the template before.
 */
export function fieldState(clock: number, version: string): SimState {
  const now = Math.floor(clock);
  const s = emptyState(now, 0x20);
  const renderedDisplay = versionAtLeast(version, '26.5.0');
  /** `display` as the version stores it: the template (or NULL) before 26.5, the rendered name from 26.5 */
  const display = (rendered: string, template: string | null): { display: string; display_template: string | null } =>
    renderedDisplay ? { display: rendered, display_template: template } : { display: template as string, display_template: null };
  s.locations.push({ id: 1, location: 'Lab rack 1', lat: 13.7563, lng: 100.5018, timestamp: now - 86400, fixed_coordinates: 1 });
  const base = {
    community: FIELD_COMMUNITY,
    inserted: now - 86400 * 30,
    last_discovered: now - 3600,
    last_poll_attempted: null,
    agent_uptime: 0,
  } as const;

  addDevice(s, {
    ...base,
    device_id: 1,
    hostname: '192.168.56.10',
    sysName: 'MikroTik-Lab-Router',
    ...display('MikroTik-Lab-Router', 'MikroTik-Lab-Router'),
    os: 'routeros',
    hardware: 'CHR QEMU Standard PC',
    version: '7.16.2',
    type: 'network',
    sysObjectID: '.1.3.6.1.4.1.14988.1',
    sysDescr: 'RouterOS CHR',
    location_id: 1,
    location: 'Lab rack 1',
    uptime: 864000,
    last_polled: now - 60,
    last_polled_timetaken: 2.5,
    last_ping: now - 30,
    last_ping_timetaken: 0.8,
  });
  addDevice(s, {
    ...base,
    device_id: 2,
    hostname: '192.168.56.11',
    sysName: 'core-sw1',
    ...display('192.168.56.11', null),
    os: 'ios',
    hardware: 'WS-C2960X-24TS-L',
    version: '15.2(7)E4',
    type: 'network',
    uptime: 3600000,
    last_polled: now - 120,
    last_polled_timetaken: 4.1,
    last_ping: now - 30,
    last_ping_timetaken: 1.25,
  });
  // Down since an hour: uptime and ping time are those of its last good poll.
  addDevice(s, {
    ...base,
    device_id: 3,
    hostname: '192.168.56.12',
    sysName: 'edge-fw',
    ...display('192.168.56.12', null),
    os: 'fortigate',
    hardware: 'FGT60F',
    version: 'v7.0.9',
    type: 'firewall',
    status: 0,
    status_reason: 'icmp',
    uptime: 1234567,
    last_polled: now - 3600,
    last_polled_timetaken: 3,
    last_ping: now - 30,
    last_ping_timetaken: 1.5,
  });
  // Ports module off: the device polls, its ports' poll_time stands still.
  addDevice(s, {
    ...base,
    device_id: 4,
    hostname: 'ap-lobby.lab',
    sysName: '',
    ...display('ap-lobby.lab', null),
    os: 'unifi',
    hardware: 'U6-Pro',
    version: '6.6.77',
    type: 'wireless',
    uptime: 432000,
    last_polled: now - 90,
    last_polled_timetaken: 1.9,
    last_ping: now - 30,
    last_ping_timetaken: 2.75,
  });
  addDevice(s, {
    ...base,
    device_id: 5,
    hostname: 'old-fw.lab',
    sysName: 'old-fw',
    ...display('old-fw.lab', null),
    os: 'pfsense',
    type: 'firewall',
    disabled: 1,
    uptime: 100,
    last_polled: now - 86400 * 30,
  });
  addDevice(s, {
    ...base,
    device_id: 6,
    hostname: 'sw-muted.lab',
    sysName: 'sw-muted',
    ...display('Muted switch (sw-muted)', 'Muted switch ({{ $sysName }})'),
    os: 'ios',
    type: 'network',
    ignore: 1,
    disable_notify: 1,
    uptime: 7200,
    last_polled: now - 200,
    last_ping_timetaken: 0.5,
  });
  // No port at all: 22.11 answers 200 with no ports, 24.6 and later 404 "No ports found".
  addDevice(s, {
    ...base,
    device_id: 7,
    hostname: 'pdu-1.lab',
    sysName: 'pdu-1',
    ...display('pdu-1.lab', null),
    os: 'apc',
    type: 'power',
    uptime: 99999,
    last_polled: now - 240,
    last_ping_timetaken: 3.5,
  });

  const port = (p: Partial<SimPort> & { port_id: number; device_id: number; ifIndex: number }): void => {
    // ifVlan: NOT NULL DEFAULT '' up to 2023_04_12_174529_modify_ports_table.php (23.5).
    addPort(s, { poll_time: now - 60, poll_prev: now - 360, poll_period: 300, ifVlan: '', ...p });
  };
  port({
    port_id: 1,
    device_id: 1,
    ifIndex: 1,
    ifName: 'ether1',
    ifDescr: 'ether1',
    ifAlias: 'WAN uplink',
    ifLastChange: 1000,
    ...counters({ ifInOctets: [123456789012n, 1250000n], ifOutOctets: [98765432109n, 640000n], ifInUcastPkts: [987654321n, 1200n], ifInErrors: [3n, 0n] }),
  });
  // A poll that lost ifInOctets: LibreNMS stored 0, the previous value stays in _prev.
  port({
    port_id: 2,
    device_id: 1,
    ifIndex: 2,
    ifName: 'ether2',
    ifDescr: 'ether2',
    ifAlias: 'LAN "office" \\ floor 2\nnext line',
    ifLastChange: 1000,
    ...counters({ ifInOctets: [5555555555n, 250000n], ifOutOctets: [4444444444n, 180000n], ifOutUcastPkts: [44444444n, 700n] }),
    ifInOctets: 0n,
    ifInOctets_delta: 0n,
    ifInOctets_rate: 0n,
  });
  port({
    port_id: 3,
    device_id: 1,
    ifIndex: 3,
    ifName: 'ether3',
    ifDescr: 'ether3',
    ifAlias: 'Access port',
    ifOperStatus: 'down',
    ifOperStatus_prev: 'down',
    ifDuplex: 'halfDuplex',
    ifSpeed: 100000000,
    ...counters({}),
  });
  port({
    port_id: 4,
    device_id: 1,
    ifIndex: 4,
    ifName: 'ether4',
    ifDescr: 'ether4',
    ifAlias: 'spare',
    ifOperStatus: 'down',
    ifAdminStatus: 'down',
    ifDuplex: 'unknown',
    ignore: 1,
    ...counters({ ifInOctets: [88213n, 0n], ifOutOctets: [12900n, 0n] }),
  });
  port({ port_id: 5, device_id: 1, ifIndex: 5, ifName: 'bridge1', ifDescr: 'bridge1', ifType: 'bridge', ifOperStatus: 'dormant', ifSpeed: 0, ifMtu: null });
  port({ port_id: 6, device_id: 1, ifIndex: 6, ifName: 'old-vlan', ifDescr: 'old-vlan', ifType: 'l2vlan', deleted: 1 });
  // The switch: a counter above 2^53, a port without ifName, a disabled port, a never polled one.
  port({
    port_id: 10,
    device_id: 2,
    ifIndex: 10101,
    ifName: 'Gi1/0/1',
    ifDescr: 'GigabitEthernet1/0/1',
    ifAlias: 'to MikroTik ether2',
    ifLastChange: 360000000,
    ...counters({ ifInOctets: [9288475012345678n, 180000n], ifOutOctets: [5555555555n, 250000n], ifOutErrors: [2n, 0n] }),
  });
  port({ port_id: 11, device_id: 2, ifIndex: 10102, ifName: null, ifDescr: 'GigabitEthernet1/0/2', ifOperStatus: 'lowerLayerDown', ifDuplex: null });
  port({ port_id: 12, device_id: 2, ifIndex: 10103, ifName: 'Gi1/0/3', ifDescr: 'GigabitEthernet1/0/3', disabled: 1 });
  port({ port_id: 13, device_id: 2, ifIndex: 10104, ifName: 'Gi1/0/4', ifDescr: 'GigabitEthernet1/0/4', poll_time: null, poll_prev: null, poll_period: null });
  port({
    port_id: 20,
    device_id: 3,
    ifIndex: 1,
    ifName: 'wan1',
    ifDescr: 'wan1',
    ifAlias: 'ISP',
    poll_time: now - 3600,
    ...counters({ ifInOctets: [111111n, 0n] }),
  });
  // The AP's ports stopped at its last ports-module poll, a day ago.
  port({
    port_id: 30,
    device_id: 4,
    ifIndex: 1,
    ifName: 'eth0',
    ifDescr: 'eth0',
    poll_time: now - 86400,
    poll_prev: now - 86700,
    ...counters({ ifInOctets: [4242n, 1n] }),
  });
  port({ port_id: 40, device_id: 5, ifIndex: 1, ifName: 'em0', ifDescr: 'em0' });
  port({ port_id: 50, device_id: 6, ifIndex: 1, ifName: 'Gi0/1', ifDescr: 'GigabitEthernet0/1', ...counters({ ifInOctets: [1000n, 1n] }) });

  const sensor = (row: Partial<SimSensor> & Pick<SimSensor, 'sensor_id' | 'device_id' | 'sensor_class' | 'sensor_descr'>): void => {
    s.sensors.push({
      sensor_deleted: 0,
      poller_type: 'snmp',
      sensor_oid: `.1.3.6.1.4.1.99999.${row.sensor_id}`,
      sensor_index: String(row.sensor_id),
      sensor_type: 'field',
      group: null,
      sensor_divisor: 1,
      sensor_multiplier: 1,
      sensor_current: null,
      sensor_limit: null,
      sensor_limit_warn: null,
      sensor_limit_low: null,
      sensor_limit_low_warn: null,
      sensor_alert: 1,
      sensor_custom: 'No',
      entPhysicalIndex: null,
      entPhysicalIndex_measured: null,
      lastupdate: now - 60,
      sensor_prev: null,
      user_func: null,
      rrd_type: 'GAUGE',
      ...row,
    });
  };
  sensor({
    sensor_id: 1,
    device_id: 1,
    sensor_class: 'temperature',
    sensor_descr: 'Board temperature',
    sensor_current: 45.5,
    sensor_limit: 70,
    sensor_limit_warn: 60,
    sensor_limit_low: 0,
    sensor_limit_low_warn: 5,
  });
  sensor({ sensor_id: 2, device_id: 1, sensor_class: 'voltage', sensor_descr: 'Input voltage', sensor_current: 24.1, sensor_limit: 30, sensor_limit_low: 18 });
  sensor({
    sensor_id: 3,
    device_id: 2,
    sensor_class: 'state',
    sensor_descr: 'Power Supply B',
    sensor_type: 'ciscoEnvMonSupplyState',
    sensor_current: 5,
    sensor_alert: 0,
  });
  sensor({ sensor_id: 4, device_id: 2, sensor_class: 'fanspeed', sensor_descr: 'Fan 2 (removed)', sensor_current: 0, sensor_deleted: 1 });
  sensor({
    sensor_id: 5,
    device_id: 2,
    sensor_class: 'dbm',
    sensor_descr: 'Gi1/0/1 Rx Power',
    sensor_current: -3.42,
    sensor_limit: 2,
    sensor_limit_low: -14.4,
  });
  sensor({ sensor_id: 6, device_id: 6, sensor_class: 'temperature', sensor_descr: 'Inlet', sensor_current: 30 });

  s.deviceGroups.push(
    { id: 1, name: GROUPS.lab, desc: 'Lab routers and switches', type: 'static', rules: null, pattern: null, device_ids: [1, 2] },
    { id: 2, name: GROUPS.slash, desc: null, type: 'static', rules: null, pattern: null, device_ids: [2, 4] },
    { id: 3, name: GROUPS.unicode, desc: 'Non-ASCII name', type: 'static', rules: null, pattern: null, device_ids: [1, 6] },
    { id: 4, name: GROUPS.digits, desc: 'All-digit name', type: 'static', rules: null, pattern: null, device_ids: [3] },
    { id: 5, name: GROUPS.empty, desc: null, type: 'static', rules: null, pattern: null, device_ids: [] },
  );

  const rule = (id: number, severity: 'ok' | 'warning' | 'critical', name: string) => ({
    id,
    severity,
    extra: { mute: false, count: -1, delay: 300, invert: false, interval: 300, recovery: true, acknowledgement: true },
    disabled: 0,
    name,
    query: 'SELECT * FROM devices WHERE (devices.device_id = ?) AND devices.status = 0',
    builder: {
      condition: 'AND',
      rules: [{ id: 'macros.device_down', field: 'macros.device_down', type: 'integer', input: 'radio', operator: 'equal', value: '1' }],
      valid: true,
    },
    proc: null,
    invert_map: 0,
    notes: null,
    alert_operation_id: null,
    devices: [],
    groups: [],
    locations: [],
  });
  s.alertRules.push(rule(1, 'critical', 'Devices up/down'), rule(2, 'warning', 'Port utilisation over 80%'), rule(3, 'critical', 'Sensor over limit'));
  s.alerts.push(
    { id: 1, device_id: 3, rule_id: 1, state: 1, alerted: 1, open: 1, note: null, timestamp: now - 3500, info: { until_clear: true } },
    { id: 2, device_id: 1, rule_id: 2, state: 2, alerted: 1, open: 0, note: 'ack by noc', timestamp: now - 5000, info: { until_clear: true } },
    { id: 3, device_id: 2, rule_id: 3, state: 0, alerted: 1, open: 0, note: null, timestamp: now - 86400, info: { until_clear: true } },
    { id: 4, device_id: 5, rule_id: 1, state: 1, alerted: 1, open: 1, note: null, timestamp: now - 9000, info: { until_clear: true } },
  );
  addRouting(s, now);
  addHealthRows(s, now);
  return s;
}
