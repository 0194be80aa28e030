/**
 * Issue 12, the rest: what a token may read (roles in the double, the doctor), LibreNMS's time zone and
 * port last-change times, display names as LibreNMS's UI shows them, and the double's version-dependent
 * fields. Over real HTTP against the LibreNMS double where LibreNMS is involved.
 */
import t from 'tap';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { labState } from '../librenms-double/fixtures.js';
import type { SimState } from '../librenms-double/state.js';
import { loadConfig } from '../src/config/env.js';
import { EXIT_CODES, runDoctor } from '../src/doctor/doctor.js';
import { Inventory } from '../src/inventory/inventory.js';
import { readSelection } from '../src/inventory/selection.js';
import { clientOptions, LibreNmsClient } from '../src/librenms/client.js';
import { offsetOfLocalDate } from '../src/librenms/endpoints.js';
import { mapDevices } from '../src/mapping/devices.js';
import { mapPorts } from '../src/mapping/ports.js';
import { readTimestamp } from '../src/mapping/values.js';
import { find, parseExposition, valueOf } from './helpers/exposition.js';
import { scrapeWithin, setupPair } from './helpers/harness.js';
import { devicesAndPortsText } from './helpers/render.js';

const USER_TOKEN = 'user-token-0123456789abcdef';
const READER_TOKEN = 'reader-token-0123456789abcdef';

/** The lab with a global-read token and a normal user's token: device 1 given directly, group Lab (1-4) not. */
function stateWithRoles(user: { deviceIds?: number[]; groupIds?: number[]; portIds?: number[] } = { deviceIds: [1] }): SimState {
  const state = labState();
  state.tokens = new Map([
    [READER_TOKEN, { role: 'global-read' }],
    [USER_TOKEN, { role: 'user', ...user }],
  ]);
  return state;
}

async function api(url: string, path: string, token: string): Promise<{ status: number; body: string; json: Record<string, unknown> }> {
  const res = await request(`${url}/api/v0/${path}`, { headers: { 'x-auth-token': token } });
  const body = await res.body.text();
  return { status: res.statusCode, body, json: JSON.parse(body) as Record<string, unknown> };
}

async function check(env: Record<string, string>): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runDoctor(env, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

const ids = (rows: unknown, key = 'device_id'): number[] => [...new Set((rows as Record<string, unknown>[]).map((r) => Number(r[key])))].sort((a, b) => a - b);

t.test('roles in the double: what a normal user and a global-read token may read, as LibreNMS answers', async (t) => {
  const double = await startLibreNmsDouble({ state: stateWithRoles({ deviceIds: [1], groupIds: [1], portIds: [2001] }) });
  t.teardown(() => double.close());
  double.state.ports.push({ ...double.state.ports.find((p) => p.device_id === 2)!, port_id: 2001, ifIndex: 99 });

  // /devices lists only the devices given directly (devices_perms), not those of the user's groups.
  t.same(ids((await api(double.url, 'devices', USER_TOKEN)).json['devices']), [1]);
  // /ports: the devices of its groups too (Core: 1 and 3), and the single port it was given.
  const ports = (await api(double.url, 'ports?columns=port_id,device_id', USER_TOKEN)).json['ports'];
  t.same(ids(ports), [1, 2, 3]);
  t.same(
    (ports as Record<string, unknown>[]).filter((p) => p['device_id'] === 2).map((p) => p['port_id']),
    [2001],
  );
  t.same(
    ids((await api(double.url, 'resources/sensors', USER_TOKEN)).json['sensors']),
    [1, 3].filter((id) => double.state.sensors.some((s) => s.device_id === id)),
  );
  // the can:global-read routes: Laravel's 403, pretty printed
  for (const path of ['alerts', 'devicegroups', 'devicegroups/Core', 'rules', 'resources/locations']) {
    const refused = await api(double.url, path, USER_TOKEN);
    t.equal(refused.status, 403, path);
    t.equal(refused.body, '{\n    "message": "This action is unauthorized."\n}', path);
  }
  const other = await api(double.url, 'devices/5', USER_TOKEN);
  t.equal(other.status, 403);
  t.same(other.json, { status: 'error', message: 'Insufficient permissions to access this device' });
  // (from 26.5 a device with a location is a 500 for everyone: get_device, librenms-double/api.ts)
  double.state.devices.find((d) => d.device_id === 3)!.location_id = null;
  t.equal((await api(double.url, 'devices/3', USER_TOKEN)).status, 200, 'a device of its group');
  // /ports/:id: a 500 for every normal user from 26.4 (check_port_permission passes a null device_id)
  t.same((await api(double.url, 'ports/1', USER_TOKEN)).json, { message: 'Server Error' });
  t.equal((await api(double.url, 'ports/1', READER_TOKEN)).status, 200);
  t.equal((await api(double.url, 'devices/4/ports', USER_TOKEN)).status, 404, "another device's ports: 404 No ports found");

  // global-read reads everything; an unknown token is unauthenticated
  t.same(ids((await api(double.url, 'devices', READER_TOKEN)).json['devices']), [1, 2, 3, 4, 5]);
  t.equal((await api(double.url, 'alerts', READER_TOKEN)).status, 200);
  t.equal((await api(double.url, 'devicegroups', READER_TOKEN)).status, 200);
  t.equal((await api(double.url, 'devices', 'no-such-token-0123456789')).status, 401);
});

t.test('roles in the double: a user with no sensor gets 404 "Sensors do not exist"; 26.8 lets users view alerts', async (t) => {
  const state = stateWithRoles({ deviceIds: [5] });
  state.sensors = state.sensors.filter((s) => s.device_id !== 5);
  const double = await startLibreNmsDouble({ state });
  t.teardown(() => double.close());
  const sensors = await api(double.url, 'resources/sensors', USER_TOKEN);
  t.equal(sensors.status, 404);
  t.equal(sensors.json['message'], 'Sensors do not exist');

  const next = await startLibreNmsDouble({ state: stateWithRoles(), version: '26.8.0-dev.12+abcdef0' });
  t.teardown(() => next.close());
  t.equal((await api(next.url, 'alerts', USER_TOKEN)).status, 200, 'LibreNMS master after 26.7.0 (PR #20139)');
  t.equal((await api(next.url, 'devicegroups', USER_TOKEN)).status, 404, 'a user lists only the groups it was given');
});

t.test('doctor: a normal user with the alerts collector never prints ready, and says what to change', async (t) => {
  const double = await startLibreNmsDouble({ state: stateWithRoles() });
  t.teardown(() => double.close());
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: USER_TOKEN });
  t.equal(code, EXIT_CODES.token, text);
  t.notMatch(text, /^Ready/m);
  t.match(text, 'The token belongs to a normal LibreNMS user');
  t.match(text, 'has no route that tells such a user how many devices exist');
  t.match(
    text,
    'LibreNMS refuses this token /alerts (the alerts collector), /bgp (the bgp collector), /ospf (the ospf collector), /services (the services collector) and /pollers (the pollers collector) (HTTP 403',
  );
  t.match(text, 'COLLECTORS=devices,ports,sensors');
  t.notMatch(text, USER_TOKEN);

  const groups = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: USER_TOKEN, COLLECTORS: 'devices,ports,sensors', LIBRENMS_DEVICE_GROUPS: 'Core' });
  t.equal(groups.code, EXIT_CODES.token, groups.text);
  t.notMatch(groups.text, /^Ready/m);
  t.match(groups.text, '/devicegroups/:name (LIBRENMS_DEVICE_GROUPS)');
  t.match(groups.text, 'empty LIBRENMS_DEVICE_GROUPS');
});

t.test('doctor: a normal user without alerts and groups is ready, and says it sees only its devices', async (t) => {
  const double = await startLibreNmsDouble({ state: stateWithRoles({ deviceIds: [1], groupIds: [1] }) });
  t.teardown(() => double.close());
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: USER_TOKEN, COLLECTORS: 'devices,ports,sensors', PORTS_STRATEGY: 'bulk' });
  t.equal(code, EXIT_CODES.ready, text);
  t.match(text, 'The token belongs to a normal LibreNMS user');
  t.match(text, 'Devices: 1 in LibreNMS, 1 will be exported');
  t.match(text, 'This token may read ports or sensors of 1 device that /devices does not list');
  t.match(text, /Ready: the exporter can serve 1 devices/);
});

t.test('doctor: a global-read token is ready and reads every endpoint of every collector', async (t) => {
  const double = await startLibreNmsDouble({ state: stateWithRoles() });
  t.teardown(() => double.close());
  const { code, text } = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: READER_TOKEN, LIBRENMS_DEVICE_GROUPS: 'Core' });
  t.equal(code, EXIT_CODES.ready, text);
  t.match(text, "The token's user has the global-read role: it reads every device and can change nothing.");
  for (const path of [
    '/api/v0/system',
    '/api/v0/devicegroups',
    // Members are read by the group's id (a name with a "/" cannot be routed): Core is group 1.
    '/api/v0/devicegroups/1',
    '/api/v0/devices',
    '/api/v0/alerts',
    '/api/v0/resources/sensors',
  ]) {
    t.ok(
      double.requests.some((r) => r.path === path),
      `asked ${path}`,
    );
  }
  t.ok(
    double.requests.some((r) => /^\/api\/v0\/devices\/\d+\/ports$/.test(r.path)),
    'ports as the configured strategy reads them',
  );
  t.same(
    double.requests.filter((r) => r.status === 403).map((r) => r.path),
    ['/api/v0/poller_group'],
    'no refusal but the one that tells a global-read token from an admin one',
  );
});

t.test("the exporter with a normal user's token serves that user's devices", async (t) => {
  const { exporter } = await setupPair(
    t,
    { LIBRENMS_TOKEN: USER_TOKEN, COLLECTORS: 'devices,ports,sensors' },
    { state: stateWithRoles({ deviceIds: [1, 3] }) },
  );
  const { status, parsed } = await scrapeWithin(exporter, 5);
  t.equal(status, 200);
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.same(
    find(parsed, 'librenms_device_up')
      .map((s) => s.labels['hostname'])
      .sort(),
    ['192.168.56.10', 'sw-core-01.lab'],
  );
  t.ok(find(parsed, 'librenms_port_up', { hostname: '192.168.56.10' }).length > 0);
});

t.test('time zone: last_polled read in the offset of /system local_date; LIBRENMS_TIMEZONE overrides', async (t) => {
  t.equal(offsetOfLocalDate('2026-07-20T21:00:13+07:00'), '+07:00');
  t.equal(offsetOfLocalDate('2026-07-20T14:00:13+00:00'), 'UTC');
  t.equal(offsetOfLocalDate('2026-07-20T08:30:13-05:30'), '-05:30');
  t.equal(offsetOfLocalDate('2026-07-20 14:00:13'), undefined);
  t.equal(readTimestamp('2026-07-20 21:00:00', '+07:00'), Date.UTC(2026, 6, 20, 14) / 1000);

  const state = labState();
  state.utcOffsetMinutes = 7 * 60;
  const lab = state.devices.find((d) => d.device_id === 1)!;
  const double = await startLibreNmsDouble({ state });
  t.teardown(() => double.close());
  t.match((await api(double.url, 'system', double.token)).json, { system: [{ local_date: '2026-07-20T21:00:13+07:00' }] });

  const read = async (env: Record<string, string>): Promise<number | undefined> => {
    const config = loadConfig({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, ...env });
    const instance = config.instances[0]!;
    const client = new LibreNmsClient(clientOptions(instance, config));
    t.teardown(() => client.close());
    const { devices } = await readSelection(new Inventory(client, config.cacheTtlMs), config, {});
    return devices.find((d) => d.deviceId === 1)?.lastPolledSeconds;
  };
  t.equal(await read({}), lab.last_polled, "LibreNMS's zone from /system");
  t.equal(await read({ LIBRENMS_TIMEZONE: 'UTC' }), (lab.last_polled ?? 0) + 7 * 3600, 'the override wins, even when it is wrong');
  t.equal(await read({ LIBRENMS_TIMEZONE: 'Asia/Bangkok' }), lab.last_polled);

  const doctor = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.match(doctor.text, "last_polled times are read in LibreNMS's zone, +07:00 (from /system local_date)");
});

t.test('port last change: left out when device uptime cannot be sysUpTime or the ticks wrapped', async (t) => {
  const poll = 1_790_000_000;
  const device = (id: number, uptime: number | null) => ({ device_id: id, hostname: `d${id}`, sysName: `d${id}`, uptime, status: 1, disabled: 0 });
  const port = (id: number, deviceId: number, ticks: number) => ({
    port_id: id,
    device_id: deviceId,
    ifIndex: id,
    ifName: `p${id}`,
    ifOperStatus: 'up',
    ifAdminStatus: 'up',
    ifLastChange: ticks,
    poll_time: poll,
    disabled: 0,
    deleted: 0,
  });
  const devices = mapDevices([device(1, 86_400), device(2, 500 * 86_400), device(3, 1000), device(4, 0)], { includeDisabled: false, timeZone: 'UTC' });
  const ports = mapPorts(
    [port(1, 1, 3_600 * 100), port(2, 1, 0), port(3, 2, 3_600 * 100), port(4, 3, 2_000 * 100), port(5, 4, 100), port(6, 1, 86_400 * 100 + 50)],
    new Map(devices.map((d) => [d.deviceId, d])),
    { includeDisabled: false },
  );
  const parsed = parseExposition(devicesAndPortsText([], ports));
  const change = (ifName: string) => valueOf(parsed, 'librenms_port_last_change_timestamp_seconds', { ifName });
  t.equal(change('p1'), poll - (86_400 - 3_600), 'uptime minus ticks before the poll');
  t.equal(change('p2'), undefined, '0 ticks: before the agent started');
  t.equal(change('p3'), undefined, 'an uptime of 497 days or more is not sysUpTime (it wraps): unknown');
  t.equal(change('p4'), undefined, 'ticks beyond the uptime: a wrapped counter or another clock');
  t.equal(change('p5'), undefined, 'no uptime');
  t.equal(change('p6'), poll, 'half a second past the rounded uptime is the poll itself');
});

t.test('display names follow what LibreNMS shows for the version in use', async (t) => {
  const row = (display: string | null, extra: Record<string, unknown> = {}) => ({
    device_id: 1,
    hostname: 'r1.example.net',
    sysName: 'r1',
    ip: '10.0.0.1',
    display,
    ...extra,
  });
  const name = (r: Record<string, unknown>) => mapDevices([r], { includeDisabled: false, timeZone: 'UTC' })[0]?.display;
  t.equal(name(row('Core router 1')), 'Core router 1', '26.5+: display is already rendered');
  t.equal(name(row('{{ $sysName }}')), 'r1', 'before 26.5: a per-device template');
  t.equal(name(row('{{ $sysName }} ({{ $ip }})')), 'r1 (10.0.0.1)');
  t.equal(name(row('{{ $ip }}', { overwrite_ip: '192.0.2.9' })), '192.0.2.9', 'overwrite_ip wins');
  t.equal(name(row('')), 'r1.example.net', "empty: LibreNMS's default template, the hostname");
  t.equal(name(row(null)), 'r1.example.net');
  t.equal(name(row('{{ $sysName }}', { sysName: '' })), 'r1.example.net', 'sysName falls back to the hostname');
  t.equal(name(row('{{ $sysName_fallback }}', { hostname: '10.0.0.1' })), 'r1', 'sysName_fallback: sysName when the hostname is an IP');
  t.equal(name(row('{{ $sysName_fallback }}')), 'r1.example.net', 'else the hostname');
  t.equal(name(row('{{ $nothing }}')), 'r1.example.net', 'an unknown variable renders empty: the hostname');
  t.equal(name(row('{{$sysName}}')), '{{$sysName}}', 'LibreNMS needs the spaces: no variable');
});

t.test('the double: rrd_type on sensors; alerts carry the rule name, proc and notes only from 25.3', async (t) => {
  const current = await startLibreNmsDouble();
  const old = await startLibreNmsDouble({ version: '25.2.0' });
  t.teardown(async () => {
    await current.close();
    await old.close();
  });
  const sensors = (await api(current.url, 'resources/sensors', current.token)).json['sensors'] as Record<string, unknown>[];
  t.ok(
    sensors.every((s) => s['rrd_type'] === 'GAUGE'),
    'rrd_type (db_schema.yaml: GAUGE by default)',
  );
  const alerts = (await api(current.url, 'alerts?state=1,2,3,4,5', current.token)).json['alerts'] as Record<string, unknown>[];
  t.ok(alerts.length > 0);
  t.ok(alerts.every((a) => 'name' in a && 'proc' in a && 'notes' in a));
  const oldAlerts = (await api(old.url, 'alerts?state=1,2,3,4,5', old.token)).json['alerts'] as Record<string, unknown>[];
  t.equal(oldAlerts.length, alerts.length);
  t.ok(oldAlerts.every((a) => !('name' in a) && !('proc' in a) && !('notes' in a) && 'severity' in a));
});

t.test("doctor: an admin's token works, with a warning; LibreNMS before 23.11 cannot tell it from a global-read one", async (t) => {
  for (const [version, tells] of [
    ['26.7.0', true],
    ['23.11.0', true],
    ['23.10.0', false],
  ] as const) {
    const double = await startLibreNmsDouble({ state: stateWithRoles(), version });
    t.teardown(() => double.close());
    const admin = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
    t.equal(admin.code, EXIT_CODES.ready, admin.text);
    const reader = await check({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: READER_TOKEN });
    t.equal(reader.code, EXIT_CODES.ready, reader.text);
    if (tells) {
      t.match(admin.text, /warn {2}The token belongs to a LibreNMS admin \(LibreNMS lets it read \/poller_group, which only admins may\)/, version);
      t.match(reader.text, "The token's user has the global-read role: it reads every device and can change nothing.", version);
    } else {
      for (const { text } of [admin, reader]) {
        t.notMatch(text, /belongs to a LibreNMS admin/, version);
        t.match(text, 'this LibreNMS cannot tell which; use a global-read user', version);
      }
    }
  }
});
