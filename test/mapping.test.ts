import { readFileSync } from 'node:fs';
import t from 'tap';
import { mapDevices } from '../src/mapping/devices.js';
import { mapPorts } from '../src/mapping/ports.js';
import { labelText } from '../src/mapping/text.js';
import { readNumber, readTimestamp } from '../src/mapping/values.js';

const fixture = (name: string): Record<string, unknown[]> =>
  JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown[]>;
const deviceRows = fixture('devices.json')['devices'] ?? [];
const portRows = fixture('ports.json')['ports'] ?? [];
const options = { includeDisabled: false, timeZone: 'UTC' };

t.test('devices: typed values, string-typed values and unknowns', async (t) => {
  const devices = mapDevices(deviceRows, options);
  t.same(
    devices.map((d) => d.hostname),
    ['core-sw1.example.net', '192.168.56.10'],
    'disabled, duplicate-id, id-less and non-object rows are left out',
  );
  const [core, lab] = devices;
  t.match(core, {
    deviceId: 42,
    sysName: 'core-sw1',
    display: 'core-sw1.example.net',
    os: 'iosxe',
    hardware: 'C9300-48P',
    version: '16.12.10a',
    location: 'DC1, Rack 12',
    deviceType: 'network',
    up: 1,
    uptimeSeconds: 8123456,
    pollDurationSeconds: 12.84,
    lastPolledSeconds: Date.UTC(2026, 7, 14, 10, 5, 7) / 1000,
  });
  t.match(lab, { deviceId: 7, display: 'MikroTik', location: 'Lab', up: 0, pollDurationSeconds: 3.5, hardware: '', deviceType: '' });
  t.equal(lab?.uptimeSeconds, undefined, 'null uptime is unknown, not 0');
  t.equal(lab?.lastPolledSeconds, undefined, 'empty last_polled is unknown');
  t.notOk(JSON.stringify(devices).includes('community'), 'no SNMP credential is copied');
});

t.test('devices: display falls back to sysName then hostname; disabled kept on request', async (t) => {
  const devices = mapDevices(deviceRows, { ...options, includeDisabled: true });
  const fw = devices.find((d) => d.hostname === 'old-fw');
  t.equal(fw?.display, 'old-fw', 'empty display and null sysName fall back to hostname');
  t.equal(fw?.up, 1, 'boolean status from Eloquent endpoints');
  t.equal(fw?.lastPolledSeconds, Date.UTC(2026, 7, 14, 10, 5, 7) / 1000, 'ISO-8601 with Z');
});

t.test('ports: values, unknowns left out, filters and unique identities', async (t) => {
  const devices = mapDevices(deviceRows, options);
  const ports = mapPorts(portRows, new Map(devices.map((d) => [d.deviceId, d])), { includeDisabled: false });
  t.same(
    ports.map((p) => `${p.device.hostname}|${p.ifName}|${p.ifIndex}`),
    ['core-sw1.example.net|Te1/1/1|10101', 'core-sw1.example.net|Vl1|1050', '192.168.56.10|ether1|1', '192.168.56.10|ether2|2'],
    'disabled, deleted, duplicate port_id, duplicate identity and unselected-device ports are left out',
  );
  const [te, vl1, ether1, ether2] = ports;
  t.match(te, {
    portId: 1001,
    operStatus: 1,
    adminStatus: 1,
    speedBytes: 1250000000,
    mtuBytes: 9100,
    receiveBytes: 9288475012345678,
    transmitErrors: 3,
    pollTime: 1786702507,
    ifAlias: 'uplink "core" \\ rtr1\nline2 — ลิงก์หลัก',
  });
  t.match(vl1, { operStatus: 7, adminStatus: 1, speedBytes: 125000000, mtuBytes: 1500, receiveErrors: 12, transmitErrors: 1.5, ifAlias: '' });
  t.equal(vl1?.receiveBytes, undefined, 'null counter is unknown');
  t.equal(vl1?.transmitBytes, undefined, 'empty-string counter is unknown');
  t.equal(vl1?.receiveUnicastPackets, undefined, '"NaN" is unknown');
  t.equal(vl1?.transmitUnicastPackets, undefined, 'a negative counter is unknown');
  t.match(ether1, { receiveBytes: 5000, transmitBytes: 7000, pollTime: 1786702500, ifAlias: 'Host-Only network' });
  t.match(ether2, { ifName: 'ether2', operStatus: 5, adminStatus: 3 }, 'null ifName falls back to ifDescr');
});

t.test('ports: disabled ports kept on request, unknown statuses left out', async (t) => {
  const devices = mapDevices(deviceRows, options);
  const ports = mapPorts(portRows, new Map(devices.map((d) => [d.deviceId, d])), { includeDisabled: true });
  const vl2 = ports.find((p) => p.ifName === 'Vl2');
  t.ok(vl2);
  t.equal(vl2?.operStatus, undefined, 'null ifOperStatus (26.5.1+ unknown enum) is unknown');
  t.equal(vl2?.adminStatus, undefined, 'raw "-1" is unknown');
  t.equal(vl2?.speedBytes, 0, 'speed 0 is a value LibreNMS has (rules skip it)');
});

t.test('value readers', async (t) => {
  t.equal(readNumber('12'), 12);
  t.equal(readNumber(' 1e3 '), 1000);
  t.equal(readNumber('12abc'), undefined);
  t.equal(readNumber('Infinity'), undefined);
  t.equal(readNumber(''), undefined);
  t.equal(readNumber(null), undefined);
  t.equal(readNumber(true), undefined);
  t.equal(readNumber('18446744073709551615'), 18446744073709551615, 'above 2^64-1 still a float64');
  t.equal(readTimestamp('2026-01-15 12:00:00', 'Asia/Bangkok'), Date.UTC(2026, 0, 15, 5, 0, 0) / 1000, 'zone-less time read in UTC+7');
  t.equal(readTimestamp('2026-07-01 12:00:00', 'Europe/Amsterdam'), Date.UTC(2026, 6, 1, 10, 0, 0) / 1000, 'summer time');
  t.equal(readTimestamp('yesterday', 'UTC'), undefined);
  t.equal(readTimestamp('0000-00-00 00:00:00', 'UTC'), undefined, "MySQL's zero date is unknown");
});

t.test('label text hygiene', async (t) => {
  t.equal(labelText('a\u0000b\tc\rd\u007f'), 'abcd', 'control characters dropped');
  t.equal(labelText('x\ud800y'), 'x\ufffdy', 'lone surrogate replaced');
  t.equal(labelText('😀'), '😀', 'a valid pair is kept');
  t.equal(labelText('a\nb'), 'a\nb', 'line feed kept (the writer escapes it)');
  t.equal(labelText('é'.repeat(300)).length, 256, 'long text is capped');
  t.equal(labelText(undefined), '');
});
