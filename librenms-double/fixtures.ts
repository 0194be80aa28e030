/**
 * Deterministic data sets for the LibreNMS double: the workshop lab (`labState`) and a
 * large synthetic estate for the benchmark (`syntheticState`).
 */
import { addLabHealth } from './health.js';
import {
  addDevice,
  addPort,
  COUNTER_BASES,
  type CounterBase,
  type CounterColumns,
  defaultDevice,
  emptyState,
  makeRng,
  NO_PAGP,
  type SimDevice,
  type SimPort,
  type SimPortStatistics,
  type SimState,
  STAT_BASES,
} from './state.js';

/** 2026-08-14T06:15:00Z: the lab's "now" until poll() moves it */
export const LAB_CLOCK = 1786688100;
export const LAB_COMMUNITY = 'lab-community-s3cret';
/** the switch uplink's ifInOctets: above 2^53, so JSON.parse() cannot read it exactly */
export const BIG_COUNTER = 9288475012345678n;

type CounterSpec = Partial<Record<CounterBase, [current: bigint, ratePerSecond: bigint]>>;

/** counters as they look after two or more polls `period` seconds apart */
export function primedCounters(spec: CounterSpec, period = 300): CounterColumns {
  const c = {} as CounterColumns;
  for (const b of COUNTER_BASES) {
    const [cur, rate] = spec[b] ?? [0n, 0n];
    const delta = rate * BigInt(period);
    c[b] = cur;
    c[`${b}_prev`] = cur - delta;
    c[`${b}_delta`] = delta;
    c[`${b}_rate`] = rate;
  }
  return c;
}

function traffic(inOct: bigint, outOct: bigint, inRate: bigint, outRate: bigint, inErr = 0n, outErr = 0n): CounterSpec {
  return {
    ifInOctets: [inOct, inRate],
    ifOutOctets: [outOct, outRate],
    ifInUcastPkts: [inOct / 812n, inRate / 812n],
    ifOutUcastPkts: [outOct / 790n, outRate / 790n],
    ifInErrors: [inErr, 0n],
    ifOutErrors: [outErr, 0n],
  };
}

function polled(clock: number, period = 300): Pick<SimPort, 'poll_time' | 'poll_prev' | 'poll_period'> {
  return { poll_time: clock, poll_prev: clock - period, poll_period: period };
}

function stats(port_id: number, discards: bigint, mcast: bigint, bcast: bigint): SimPortStatistics {
  const row = { port_id } as SimPortStatistics;
  for (const b of STAT_BASES) {
    const v = b.includes('Discards') ? discards : b.includes('Multicast') ? mcast : b.includes('Broadcast') ? bcast : 0n;
    row[b] = v;
    row[`${b}_prev`] = v;
    row[`${b}_delta`] = 0n;
    row[`${b}_rate`] = 0n;
  }
  return row;
}

/** The workshop lab: MikroTik CHR router, the LibreNMS VM, a core switch, a down AP, a disabled firewall. */
export function labState(): SimState {
  const now = LAB_CLOCK;
  const s = emptyState(now, 0x1ab);
  s.locations.push(
    { id: 1, location: 'Lab', lat: 13.7563309, lng: 100.5017651, timestamp: now - 86400 * 40, fixed_coordinates: 1 },
    { id: 2, location: 'Old DC, Rack 4', lat: null, lng: null, timestamp: now - 86400 * 400, fixed_coordinates: 0 },
  );
  const lab = { location_id: 1, location: 'Lab' } as const;

  // --- devices ------------------------------------------------------------------------------
  addDevice(s, {
    device_id: 1,
    hostname: '192.168.56.10',
    sysName: 'MikroTik',
    display: 'MikroTik-Lab-Router',
    ip: '192.168.56.10',
    os: 'routeros',
    hardware: 'CHR QEMU Standard PC',
    version: '7.16.2',
    features: 'Level 1',
    serial: null,
    type: 'network',
    sysObjectID: '.1.3.6.1.4.1.14988.1',
    sysDescr: 'RouterOS CHR',
    sysContact: 'lab@example.net',
    uptime: 3 * 86400 + 4123,
    last_polled_timetaken: 3.18,
    ...lab,
    inserted: now - 86400 * 21,
  });
  addDevice(s, {
    device_id: 2,
    hostname: 'librenms.lab',
    sysName: 'librenms',
    display: 'librenms.lab',
    ip: '192.168.56.20',
    os: 'linux',
    hardware: 'Generic x86 64-bit',
    version: '6.8.0-45-generic',
    features: null,
    type: 'server',
    sysObjectID: '.1.3.6.1.4.1.8072.3.2.10',
    sysDescr: 'Linux librenms 6.8.0-45-generic #45-Ubuntu SMP PREEMPT_DYNAMIC x86_64',
    sysContact: 'Me <me@example.org>',
    uptime: 12 * 86400 + 77,
    last_polled_timetaken: 6.02,
    ...lab,
    inserted: now - 86400 * 21,
  });
  addDevice(s, {
    device_id: 3,
    hostname: 'sw-core-01.lab',
    sysName: 'sw-core-01',
    display: 'sw-core-01.lab',
    ip: '192.168.56.2',
    os: 'iosxe',
    hardware: 'C9300-24T',
    version: '17.9.5',
    features: 'IP BASE',
    serial: 'FOC2419X0AB',
    type: 'network',
    sysObjectID: '.1.3.6.1.4.1.9.1.2494',
    sysDescr: 'Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.5, RELEASE SOFTWARE (fc1)',
    sysContact: 'noc@example.net',
    bgpLocalAs: 65001,
    uptime: 97 * 86400 + 3600,
    mtu_status: 1,
    snmpver: 'v3',
    community: LAB_COMMUNITY,
    authlevel: 'authPriv',
    authname: 'librenms',
    authpass: 'lab-auth-p4ss',
    authalgo: 'SHA',
    cryptopass: 'lab-crypt-p4ss',
    cryptoalgo: 'AES',
    last_polled_timetaken: 12.84,
    ...lab,
    inserted: now - 86400 * 20,
  });
  addDevice(s, {
    device_id: 4,
    hostname: 'ap-lobby-01.lab',
    sysName: 'ap-lobby-01',
    display: 'ap-lobby-01.lab',
    ip: '192.168.56.30',
    os: 'unifi',
    hardware: 'U6-Pro',
    version: '6.6.77',
    type: 'wireless',
    status: 0,
    status_reason: 'icmp',
    uptime: 5 * 86400,
    last_polled: now - 7200,
    last_ping: now,
    last_poll_attempted: now,
    last_polled_timetaken: 2.4,
    ...lab,
    inserted: now - 86400 * 19,
  });
  addDevice(s, {
    device_id: 5,
    hostname: 'old-fw-01.lab',
    sysName: 'old-fw-01',
    display: 'old-fw-01.lab',
    ip: '10.99.0.1',
    os: 'pfsense',
    hardware: 'Netgate SG-3100',
    version: '2.6.0-RELEASE',
    type: 'firewall',
    disabled: 1,
    status: 1,
    uptime: 401 * 86400,
    last_polled: now - 86400 * 30,
    last_ping: now - 86400 * 30,
    last_discovered: now - 86400 * 31,
    location_id: 2,
    location: 'Old DC, Rack 4',
    inserted: now - 86400 * 900,
    notes: 'Decommissioned, kept for history',
  });
  s.deviceRelationships.push({ parent_device_id: 3, child_device_id: 4 }, { parent_device_id: 3, child_device_id: 1 });

  // --- ports --------------------------------------------------------------------------------
  const p = (port: Partial<SimPort> & { device_id: number; port_id: number; ifIndex: number }): SimPort => addPort(s, port);
  // MikroTik CHR
  p({
    port_id: 1,
    device_id: 1,
    ifIndex: 1,
    ifName: 'ether1',
    ifDescr: 'ether1',
    ifAlias: 'Host-Only network',
    ifPhysAddress: '0800271a2b01',
    ifLastChange: 1523,
    ...primedCounters(traffic(48213904711n, 9921337102n, 15000000n, 5000000n, 12n, 0n)),
    ...polled(now),
  });
  s.portLoad.set(1, { in: 0.12, out: 0.04 });
  p({
    port_id: 2,
    device_id: 1,
    ifIndex: 2,
    ifName: 'ether2',
    ifDescr: 'ether2',
    ifAlias: 'NAT',
    ifPhysAddress: '0800271a2b02',
    ifLastChange: 1530,
    ...primedCounters(traffic(1893321774n, 311220981n, 52000n, 9000n)),
    ...polled(now),
  });
  s.portLoad.set(2, { in: 0.0004, out: 0.00008 });
  p({
    port_id: 3,
    device_id: 1,
    ifIndex: 3,
    ifName: 'ether3',
    ifDescr: 'ether3',
    ifAlias: 'Access port',
    ifPhysAddress: '0800271a2b03',
    ifOperStatus: 'down',
    ifOperStatus_prev: 'down',
    ifDuplex: null,
    ifLastChange: 0,
    ...primedCounters({}),
    ...polled(now),
  });
  p({
    port_id: 4,
    device_id: 1,
    ifIndex: 4,
    ifName: 'ether4',
    ifDescr: 'ether4',
    ifAlias: '',
    ifPhysAddress: '0800271a2b04',
    ifOperStatus: 'down',
    ifOperStatus_prev: 'down',
    ifAdminStatus: 'down',
    ifAdminStatus_prev: 'down',
    ifDuplex: null,
    ifLastChange: 3300,
    ...primedCounters(traffic(88213n, 12900n, 0n, 0n)),
    ...polled(now),
  });
  // LibreNMS VM
  p({
    port_id: 5,
    device_id: 2,
    ifIndex: 1,
    ifName: 'lo',
    ifDescr: 'lo',
    ifAlias: '',
    ifType: 'softwareLoopback',
    ifSpeed: 10000000,
    ifMtu: 65536,
    ifDuplex: null,
    ifPhysAddress: '',
    ifConnectorPresent: 'false',
    ...primedCounters(traffic(7712345678n, 7712345678n, 41000n, 41000n)),
    ...polled(now),
  });
  s.portLoad.set(5, { in: 0.03, out: 0.03 });
  p({
    port_id: 6,
    device_id: 2,
    ifIndex: 2,
    ifName: 'eth0',
    ifDescr: 'eth0',
    ifAlias: '',
    ifPhysAddress: '080027c0ffee',
    ifLastChange: 812,
    ...primedCounters(traffic(15523009871n, 98233001234n, 140000n, 410000n)),
    ...polled(now),
  });
  // Core switch
  const sw = (n: number, extra: Partial<SimPort>): Partial<SimPort> => ({
    ifName: `Gi1/0/${n}`,
    ifDescr: `GigabitEthernet1/0/${n}`,
    ifIndex: 8 + n,
    ifPhysAddress: `7c21${(0x0e5f10 + n).toString(16).padStart(6, '0')}00`.slice(0, 12),
    ifVlan: '1',
    ifTrunk: null,
    ...extra,
  });
  p({
    port_id: 7,
    device_id: 3,
    ifIndex: 9,
    ...sw(1, { ifAlias: 'librenms.lab eth0', ifLastChange: 4411, ...primedCounters(traffic(99120334001n, 15601998234n, 410000n, 140000n)), ...polled(now) }),
  });
  p({
    port_id: 8,
    device_id: 3,
    ifIndex: 10,
    ...sw(2, {
      ifAlias: 'MikroTik ether1',
      ifLastChange: 4420,
      ...primedCounters(traffic(9811223344n, 48200112233n, 5000000n, 15000000n, 0n, 3n)),
      ...polled(now),
    }),
  });
  p({
    port_id: 9,
    device_id: 3,
    ifIndex: 11,
    ...sw(3, {
      ifAlias: 'AP lobby',
      ifOperStatus: 'down',
      ifOperStatus_prev: 'up',
      ifLastChange: 837000000,
      ...primedCounters(traffic(5512009833n, 22100334455n, 21000n, 88000n)),
      ...polled(now),
    }),
  });
  p({
    port_id: 10,
    device_id: 3,
    ifIndex: 12,
    ...sw(4, {
      ifAlias: 'Printer \\\\srv01\\print',
      ifSpeed: 100000000,
      ifLastChange: 5000,
      ...primedCounters(traffic(123456789n, 23456789n, 120n, 40n)),
      ...polled(now),
    }),
  });
  p({
    port_id: 11,
    device_id: 3,
    ifIndex: 13,
    ...sw(5, {
      ifAlias: 'spare',
      ifAdminStatus: 'down',
      ifAdminStatus_prev: 'down',
      ifOperStatus: 'down',
      ifOperStatus_prev: 'down',
      ifDuplex: null,
      ignore: 1,
      ...primedCounters({}),
      ...polled(now),
    }),
  });
  p({
    port_id: 12,
    device_id: 3,
    ifIndex: 14,
    ...sw(6, { ifAlias: 'old uplink (removed)', deleted: 1, ...primedCounters(traffic(77123n, 9912n, 0n, 0n)), ...polled(now - 86400 * 3) }),
  });
  p({
    port_id: 13,
    device_id: 3,
    ifIndex: 37,
    ifName: 'Te1/1/1',
    ifDescr: 'TenGigabitEthernet1/1/1',
    ifAlias: 'Uplink "core" — ลิงก์หลัก',
    ifSpeed: 10000000000,
    ifMtu: 9198,
    ifTrunk: 'dot1Q',
    ifVlan: '1',
    ifPhysAddress: '7c210e5f1e25',
    ifLastChange: 1210,
    ...primedCounters(traffic(BIG_COUNTER, 812334455667n, 62500000n, 18000000n, 4n, 0n)),
    ...polled(now),
  });
  s.portLoad.set(13, { in: 0.05, out: 0.0144 });
  p({
    port_id: 14,
    device_id: 3,
    ifIndex: 49,
    ifName: 'Po1',
    ifDescr: 'Port-channel1',
    ifAlias: 'to sw-dist "A"/"B"',
    ifType: 'ieee8023adLag',
    ifSpeed: 20000000000,
    ifTrunk: 'dot1Q',
    ifPhysAddress: '7c210e5f1e31',
    ...primedCounters(traffic(3312009977123n, 2219988001234n, 2100000n, 1700000n)),
    ...polled(now),
  });
  p({
    port_id: 15,
    device_id: 3,
    ifIndex: 53,
    ifName: 'Vl1',
    ifDescr: 'Vlan1',
    ifAlias: null,
    ifType: 'propVirtual',
    ifDuplex: null,
    ifPhysAddress: '7c210e5f1e40',
    ifConnectorPresent: 'false',
    ...primedCounters(traffic(881234567n, 99123456n, 800n, 300n)),
    ...polled(now),
  });
  // discovered on the last discovery run, never polled yet
  p({
    port_id: 16,
    device_id: 3,
    ifIndex: 54,
    ifName: 'Vl20',
    ifDescr: 'Vlan20',
    ifAlias: 'guests',
    ifType: 'propVirtual',
    ifDuplex: null,
    ifPhysAddress: '7c210e5f1e41',
    ifConnectorPresent: 'false',
    ifOperStatus_prev: null,
    ifAdminStatus_prev: null,
  });
  // the down AP: stale data from its last poll two hours ago (rates non-zero)
  p({
    port_id: 17,
    device_id: 4,
    ifIndex: 2,
    ifName: 'eth0',
    ifDescr: 'eth0',
    ifAlias: '',
    ifPhysAddress: '7483c2aa0101',
    ...primedCounters(traffic(22100334455n, 5512009833n, 88000n, 21000n)),
    ...polled(now - 7200),
  });
  p({
    port_id: 18,
    device_id: 4,
    ifIndex: 7,
    ifName: 'wifi0',
    ifDescr: 'wifi0',
    ifAlias: '',
    ifType: 'ieee80211',
    ifSpeed: 0,
    ifMtu: 2290,
    ifPhysAddress: '7483c2aa0102',
    ifDuplex: null,
    ...primedCounters(traffic(1200334455n, 5100223344n, 30000n, 99000n, 310n, 0n)),
    ...polled(now - 7200),
  });
  // the disabled firewall: a month stale
  p({
    port_id: 19,
    device_id: 5,
    ifIndex: 1,
    ifName: 'em0',
    ifDescr: 'em0',
    ifAlias: 'WAN',
    ifPhysAddress: '000db9aa0001',
    ...primedCounters(traffic(912233445566n, 112233445566n, 3100000n, 800000n)),
    ...polled(now - 86400 * 30),
  });
  p({
    port_id: 20,
    device_id: 5,
    ifIndex: 2,
    ifName: 'em1',
    ifDescr: 'em1',
    ifAlias: 'LAN',
    ifPhysAddress: '000db9aa0002',
    disabled: 1,
    ...primedCounters(traffic(112233445566n, 912233445566n, 800000n, 3100000n)),
    ...polled(now - 86400 * 30),
  });

  s.portStatistics.push(stats(1, 42n, 120034n, 5512n), stats(13, 9n, 55401200n, 990122n));
  s.portVlans.push(
    { port_vlan_id: 1, device_id: 3, port_id: 7, vlan: 1, baseport: 1, priority: 0, state: 'forwarding', cost: 4, untagged: 1 },
    { port_vlan_id: 2, device_id: 3, port_id: 8, vlan: 1, baseport: 2, priority: 0, state: 'forwarding', cost: 4, untagged: 1 },
    { port_vlan_id: 3, device_id: 3, port_id: 13, vlan: 1, baseport: 25, priority: 0, state: 'forwarding', cost: 2, untagged: 1 },
    { port_vlan_id: 4, device_id: 3, port_id: 13, vlan: 20, baseport: 25, priority: 0, state: 'forwarding', cost: 2, untagged: 0 },
  );

  // --- sensors ------------------------------------------------------------------------------
  const sensorBase = {
    sensor_deleted: 0,
    poller_type: 'snmp',
    group: null,
    sensor_divisor: 1,
    sensor_multiplier: 1,
    sensor_alert: 1,
    sensor_custom: 'No',
    entPhysicalIndex: null,
    entPhysicalIndex_measured: null,
    lastupdate: now,
    user_func: null,
    rrd_type: 'GAUGE' as const,
  };
  s.sensors.push(
    {
      ...sensorBase,
      sensor_id: 1,
      sensor_class: 'temperature',
      device_id: 3,
      sensor_oid: '.1.3.6.1.4.1.9.9.13.1.3.1.3.1008',
      sensor_index: '1008',
      sensor_type: 'cisco-envmon',
      sensor_descr: 'Switch 1 - Inlet Temp Sensor',
      sensor_current: 31.5,
      sensor_limit: 56,
      sensor_limit_warn: 46,
      sensor_limit_low: 0,
      sensor_limit_low_warn: null,
      sensor_prev: 31,
    },
    {
      ...sensorBase,
      sensor_id: 2,
      sensor_class: 'dbm',
      device_id: 3,
      sensor_oid: '.1.3.6.1.4.1.9.9.91.1.1.1.1.4.1037',
      sensor_index: '1037',
      sensor_type: 'cisco-entity-sensor',
      sensor_descr: 'Te1/1/1 Receive Power',
      sensor_divisor: 10,
      sensor_current: -3.42,
      sensor_limit: 2,
      sensor_limit_warn: 0.5,
      sensor_limit_low: -14.4,
      sensor_limit_low_warn: -12.4,
      entPhysicalIndex: '1037',
      entPhysicalIndex_measured: 'ports',
      sensor_prev: -3.39,
    },
    {
      ...sensorBase,
      sensor_id: 3,
      sensor_class: 'voltage',
      device_id: 3,
      sensor_oid: '.1.3.6.1.4.1.9.9.91.1.1.1.1.4.1012',
      sensor_index: '1012',
      sensor_type: 'cisco-entity-sensor',
      sensor_descr: 'PSU1 12V Output',
      sensor_divisor: 1000,
      sensor_current: 12.05,
      sensor_limit: 12.6,
      sensor_limit_warn: 12.4,
      sensor_limit_low: 11.4,
      sensor_limit_low_warn: 11.6,
      sensor_prev: 12.04,
    },
    {
      ...sensorBase,
      sensor_id: 4,
      sensor_class: 'temperature',
      device_id: 2,
      sensor_oid: '.1.3.6.1.4.1.2021.13.16.2.1.3.1',
      sensor_index: '1',
      sensor_type: 'lmsensors',
      sensor_descr: 'Package id 0',
      sensor_current: 44,
      sensor_limit: 80,
      sensor_limit_warn: null,
      sensor_limit_low: 30,
      sensor_limit_low_warn: null,
      sensor_prev: 45,
    },
    {
      ...sensorBase,
      sensor_id: 5,
      sensor_deleted: 1,
      sensor_class: 'fanspeed',
      device_id: 3,
      sensor_oid: '.1.3.6.1.4.1.9.9.91.1.1.1.1.4.1020',
      sensor_index: '1020',
      sensor_type: 'cisco-entity-sensor',
      sensor_descr: 'Fan 2 (removed)',
      sensor_current: 0,
      sensor_limit: null,
      sensor_limit_warn: null,
      sensor_limit_low: 1000,
      sensor_limit_low_warn: null,
      lastupdate: now - 86400 * 10,
      sensor_prev: 0,
    },
    // RouterOS reports its CPU temperature (MIKROTIK-MIB mtxrHlCpuTemperature); the lab router's
    // one gives the Device and Interface dashboards a sensor to show for the workshop host.
    {
      ...sensorBase,
      sensor_id: 6,
      sensor_class: 'temperature',
      device_id: 1,
      sensor_oid: '.1.3.6.1.4.1.14988.1.1.3.11.0',
      sensor_index: '0',
      sensor_type: 'routeros',
      sensor_descr: 'CPU Temperature',
      sensor_divisor: 10,
      sensor_current: 47,
      sensor_limit: 85,
      sensor_limit_warn: 75,
      sensor_limit_low: 5,
      sensor_limit_low_warn: 10,
      sensor_prev: 46,
    },
    // A state sensor: sensor_current is the vendor's code (CISCO-ENVMON-MIB CiscoEnvMonState: 1 normal,
    // 2 warning, 3 critical, ...); LibreNMS's state_translations map it to words. Its alerts are muted
    // (sensor_alert = 0), as operators do for a PSU that is known to be unplugged.
    {
      ...sensorBase,
      sensor_id: 7,
      sensor_class: 'state',
      device_id: 3,
      sensor_oid: '.1.3.6.1.4.1.9.9.13.1.5.1.3.1014',
      sensor_index: '1014',
      sensor_type: 'ciscoEnvMonSupplyState',
      sensor_descr: 'Switch 1 - Power Supply B',
      sensor_current: 5,
      sensor_limit: null,
      sensor_limit_warn: null,
      sensor_limit_low: null,
      sensor_limit_low_warn: null,
      sensor_alert: 0,
      entPhysicalIndex: null,
      sensor_prev: 5,
    },
  );

  // --- groups, rules, alerts ----------------------------------------------------------------
  s.deviceGroups.push(
    {
      id: 1,
      name: 'Core',
      desc: 'Core network devices',
      type: 'dynamic',
      rules: {
        condition: 'AND',
        rules: [{ id: 'devices.type', field: 'devices.type', type: 'string', input: 'text', operator: 'equal', value: 'network' }],
        valid: true,
      },
      pattern: null,
      device_ids: [1, 3],
    },
    { id: 2, name: 'Lab', desc: null, type: 'static', rules: null, pattern: null, device_ids: [1, 2, 3, 4] },
  );
  s.alertRules.push(
    {
      id: 1,
      severity: 'critical',
      extra: { mute: false, count: -1, delay: 300, invert: false, interval: 300, recovery: true },
      disabled: 0,
      name: 'Devices up/down',
      query: 'SELECT * FROM devices WHERE (devices.device_id = ?) AND (devices.status = 0 && (devices.disabled = 0 && devices.ignore = 0)) = 1',
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
    },
    {
      id: 2,
      severity: 'warning',
      extra: { mute: false, count: 1, delay: 600, invert: false, interval: 300, recovery: true },
      disabled: 0,
      name: 'Port utilisation over threshold',
      query:
        'SELECT * FROM devices,ports WHERE (devices.device_id = ? AND devices.device_id = ports.device_id) AND (((ports.ifInOctets_rate*8) / ports.ifSpeed)*100 >= 80)',
      builder: {
        condition: 'AND',
        rules: [{ id: 'macros.port_usage_perc', field: 'macros.port_usage_perc', type: 'integer', input: 'text', operator: 'greater_or_equal', value: '80' }],
        valid: true,
      },
      proc: 'https://wiki.example.net/runbooks/port-utilisation',
      invert_map: 0,
      notes: 'Check uplinks first',
      alert_operation_id: null,
      devices: [],
      groups: [1],
      locations: [],
    },
  );
  s.alerts.push(
    { id: 1, device_id: 4, rule_id: 1, state: 1, alerted: 1, open: 1, note: '', timestamp: now - 7000, info: { rule: 'Devices up/down', until_clear: true } },
    { id: 2, device_id: 3, rule_id: 2, state: 2, alerted: 1, open: 0, note: 'ack by noc', timestamp: now - 50000, info: { until_clear: true } },
    { id: 3, device_id: 1, rule_id: 1, state: 0, alerted: 1, open: 0, note: null, timestamp: now - 86400 * 2, info: [] },
  );
  addLabHealth(s);
  return s;
}

// -------------------------------------------------------------------------------------------------
// synthetic estate for the benchmark

export interface SyntheticOptions {
  devices: number;
  portsPerDevice: number;
  /** Sensors per device (0 by default): temperature, voltage, power supply state, optics, … in turn. */
  sensorsPerDevice?: number;
  seed?: number;
}

/** The sensors a synthetic switch has, in turn: class, description, unit-scaled value and limits. */
const SYNTHETIC_SENSORS: readonly {
  readonly sensor_class: string;
  readonly descr: string;
  readonly current: number;
  readonly limit: number | null;
  readonly low: number | null;
}[] = [
  { sensor_class: 'temperature', descr: 'Switch 1 - Inlet Temp Sensor', current: 31.5, limit: 56, low: 0 },
  { sensor_class: 'voltage', descr: 'Switch 1 - 12V Rail', current: 12.1, limit: 13.2, low: 10.8 },
  { sensor_class: 'state', descr: 'Switch 1 - Power Supply A', current: 1, limit: null, low: null },
  { sensor_class: 'fanspeed', descr: 'Switch 1 - Fan 1', current: 5400, limit: null, low: 1000 },
  { sensor_class: 'dbm', descr: 'Te1/1/1 Receive Power', current: -3.42, limit: 2, low: -14.4 },
  { sensor_class: 'power', descr: 'Switch 1 - PoE budget used', current: 187.5, limit: 740, low: null },
];

const ALIASES: readonly string[] = [
  'desk 4.12',
  'printer-2OG',
  'Link to "bldg-2"',
  '\\\\fs01\\share uplink',
  'Büro 2.OG — Süd',
  'ลิงก์สำรอง',
  '会议室 A',
  '📡 wifi-ap-3',
  'cam/door/01',
  'phone <ext 4411>',
  'server 10.1.2.3 & ilo',
  "o'brien's desk",
  'tab\there',
];
const OPER_MIX: ReadonlyArray<[number, string, string]> = [
  [0.55, 'up', 'up'],
  [0.85, 'down', 'up'],
  [0.9, 'lowerLayerDown', 'up'],
  [0.98, 'down', 'down'],
  [0.99, 'notPresent', 'up'],
  [1, 'dormant', 'up'],
];
const TWO53 = 1n << 53n;

/** A large estate: `devices` access switches with `portsPerDevice` ports each (deterministic per seed). */
export function syntheticState(options: SyntheticOptions): SimState {
  const seed = options.seed ?? 42;
  const rng = makeRng(seed);
  const now = LAB_CLOCK;
  const s = emptyState(now, seed);
  s.locations.push({ id: 1, location: 'Campus', lat: 52.3702157, lng: 4.8951679, timestamp: now - 86400, fixed_coordinates: 1 });
  const n = Math.max(0, Math.floor(options.portsPerDevice));
  const te = Math.min(4, Math.floor(n / 10));
  const po = n >= 20 ? 1 : 0;
  const vl = n >= 10 ? 2 : 0;
  const gi = n - te - po - vl;
  let portId = 0;
  for (let d = 1; d <= options.devices; d++) {
    const site = ((d - 1) % 40) + 1;
    const hostname = `acc-sw-${String(d).padStart(4, '0')}.site${String(site).padStart(2, '0')}.example.net`;
    const dev: SimDevice = defaultDevice(d, hostname, now);
    dev.sysName = hostname.split('.')[0] ?? hostname;
    dev.display = hostname;
    dev.ip = `10.${Math.floor(d / 250) % 256}.${d % 250}.1`;
    dev.os = 'iosxe';
    dev.hardware = d % 3 === 0 ? 'C9200L-48P-4G' : 'C9300-48P';
    dev.version = '17.9.5';
    dev.type = 'network';
    dev.serial = `FOC${(100000 + d).toString(36).toUpperCase()}`;
    dev.location_id = 1;
    dev.location = 'Campus';
    dev.uptime = 86400 + Math.floor(rng() * 86400 * 300);
    if (d % 37 === 0) {
      dev.status = 0;
      dev.status_reason = d % 74 === 0 ? 'icmp,snmp' : 'snmp';
      dev.last_polled = now - 3600;
    }
    if (d % 101 === 0) dev.disabled = 1;
    if (d % 53 === 0) dev.ignore = 1;
    s.devices.push(dev);

    for (let i = 0; i < n; i++) {
      portId++;
      let ifIndex: number;
      let ifName: string;
      let ifDescr: string;
      let ifType = 'ethernetCsmacd';
      let speed = 1000000000;
      let trunk: string | null = null;
      let duplex: string | null = 'fullDuplex';
      if (i < gi) {
        ifIndex = 9 + i;
        ifName = `Gi1/0/${i + 1}`;
        ifDescr = `GigabitEthernet1/0/${i + 1}`;
      } else if (i < gi + te) {
        const k = i - gi + 1;
        ifIndex = 1000 + k;
        ifName = `Te1/1/${k}`;
        ifDescr = `TenGigabitEthernet1/1/${k}`;
        speed = 10000000000;
        trunk = 'dot1Q';
      } else if (i < gi + te + po) {
        ifIndex = 5001;
        ifName = 'Po1';
        ifDescr = 'Port-channel1';
        ifType = 'ieee8023adLag';
        speed = 20000000000;
        trunk = 'dot1Q';
      } else {
        const v = i === gi + te + po ? 1 : 10 + (d % 90);
        ifIndex = 10000 + v;
        ifName = `Vl${v}`;
        ifDescr = `Vlan${v}`;
        ifType = 'propVirtual';
        duplex = null;
      }
      const r = rng();
      const alias = r < 0.05 ? null : r < 0.35 ? '' : r < 0.6 ? (ALIASES[Math.floor(rng() * ALIASES.length)] ?? '') : `user-${d}-${i + 1}`;
      const m = rng();
      const mix = OPER_MIX.find(([p]) => m < p) ?? OPER_MIX[0]!;
      const oper = i >= gi ? 'up' : mix[1];
      const admin = i >= gi ? 'up' : mix[2];
      const up = oper === 'up';
      const util = up ? rng() * rng() * 0.4 : 0;
      const inRate = BigInt(Math.floor((speed / 8) * util));
      const outRate = BigInt(Math.floor((speed / 8) * util * (0.2 + rng())));
      const inPktRate = inRate / 812n;
      const outPktRate = outRate / 790n;
      const big = rng() < 0.02;
      const inOct = (big ? TWO53 : 0n) + BigInt(Math.floor(rng() * 2 ** 42)) + inRate * 300n;
      const outOct = BigInt(Math.floor(rng() * 2 ** 41)) + outRate * 300n;
      const inPkts = inOct / 812n;
      const outPkts = outOct / 790n;
      const inErr = rng() < 0.1 ? BigInt(Math.floor(rng() * 5000)) : 0n;
      const pollTime = dev.last_polled ?? now;
      const port: SimPort = {
        port_id: portId,
        device_id: d,
        port_descr_type: null,
        port_descr_descr: null,
        port_descr_circuit: null,
        port_descr_speed: null,
        port_descr_notes: null,
        ifDescr,
        ifName,
        portName: null,
        ifIndex,
        ifSpeed: speed,
        ifSpeed_prev: null,
        ifConnectorPresent: ifType === 'propVirtual' ? 'false' : 'true',
        ifOperStatus: oper,
        ifOperStatus_prev: oper,
        ifAdminStatus: admin,
        ifAdminStatus_prev: admin,
        ifDuplex: duplex,
        ifMtu: 1500,
        ifType,
        ifAlias: alias,
        ifPhysAddress: (0x7c2100000000 + portId * 2).toString(16).padStart(12, '0'),
        ifLastChange: Math.floor(rng() * (dev.uptime ?? 0) * 100),
        // NOT NULL DEFAULT '' in LibreNMS's ports table (misc/db_schema.yaml): '' where a port has no VLAN.
        ifVlan: ifType === 'ethernetCsmacd' ? String(1 + (i % 4) * 10) : '',
        ifTrunk: trunk,
        ifVrf: 0,
        ignore: rng() < 0.01 ? 1 : 0,
        disabled: rng() < 0.01 ? 1 : 0,
        deleted: rng() < 0.004 ? 1 : 0,
        ...NO_PAGP,
        ifInUcastPkts: inPkts,
        ifInUcastPkts_prev: inPkts - inPktRate * 300n,
        ifInUcastPkts_delta: inPktRate * 300n,
        ifInUcastPkts_rate: inPktRate,
        ifOutUcastPkts: outPkts,
        ifOutUcastPkts_prev: outPkts - outPktRate * 300n,
        ifOutUcastPkts_delta: outPktRate * 300n,
        ifOutUcastPkts_rate: outPktRate,
        ifInErrors: inErr,
        ifInErrors_prev: inErr,
        ifInErrors_delta: 0n,
        ifInErrors_rate: 0n,
        ifOutErrors: 0n,
        ifOutErrors_prev: 0n,
        ifOutErrors_delta: 0n,
        ifOutErrors_rate: 0n,
        ifInOctets: inOct,
        ifInOctets_prev: inOct - inRate * 300n,
        ifInOctets_delta: inRate * 300n,
        ifInOctets_rate: inRate,
        ifOutOctets: outOct,
        ifOutOctets_prev: outOct - outRate * 300n,
        ifOutOctets_delta: outRate * 300n,
        ifOutOctets_rate: outRate,
        poll_time: pollTime,
        poll_prev: pollTime - 300,
        poll_period: 300,
      };
      s.ports.push(port);
    }
  }
  // Sensors after every port, from no random draw: the ports of a seed stay the same with or without them.
  const sensorsPerDevice = Math.max(0, Math.floor(options.sensorsPerDevice ?? 0));
  let sensorId = 0;
  for (const dev of s.devices) {
    for (let i = 0; i < sensorsPerDevice; i++) {
      const kind = SYNTHETIC_SENSORS[i % SYNTHETIC_SENSORS.length] as (typeof SYNTHETIC_SENSORS)[number];
      sensorId++;
      const current = kind.sensor_class === 'state' ? kind.current : Math.round(kind.current * (0.9 + ((dev.device_id * 7 + i) % 20) / 100) * 100) / 100;
      s.sensors.push({
        sensor_id: sensorId,
        sensor_deleted: 0,
        sensor_class: kind.sensor_class,
        device_id: dev.device_id,
        poller_type: 'snmp',
        sensor_oid: `.1.3.6.1.4.1.9.9.91.1.1.1.1.4.${1000 + i}`,
        sensor_index: String(1000 + i),
        sensor_type: 'cisco-entity-sensor',
        sensor_descr: i < SYNTHETIC_SENSORS.length ? kind.descr : `${kind.descr} ${Math.floor(i / SYNTHETIC_SENSORS.length) + 1}`,
        group: null,
        sensor_divisor: 1,
        sensor_multiplier: 1,
        sensor_current: current,
        sensor_limit: kind.limit,
        sensor_limit_warn: null,
        sensor_limit_low: kind.low,
        sensor_limit_low_warn: null,
        sensor_alert: 1,
        sensor_custom: 'No',
        entPhysicalIndex: null,
        entPhysicalIndex_measured: null,
        lastupdate: dev.last_polled ?? now,
        sensor_prev: current,
        user_func: null,
        rrd_type: 'GAUGE',
      });
    }
  }
  return s;
}
