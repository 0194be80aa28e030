/**
 * Field fidelity (issue 12): behaviours of real LibreNMS installs, over real HTTP against the double.
 * Each behaviour is checked in LibreNMS's own code; the LibreNMS file is named next to the test.
 */
import t from 'tap';
import { request } from 'undici';
import { find, valueOf } from './helpers/exposition.js';
import { FakeClock } from './helpers/fake-clock.js';
import { collectorWarnings, requestsTo, setupPair } from './helpers/harness.js';

const SWITCH = 'sw-core-01.lab';
const ROUTER = '192.168.56.10';

t.test('mute switches, state sensors and the new port and device metrics', async (t) => {
  const { double, exporter } = await setupPair(t);
  double.state.devices.find((d) => d.device_id === 2)!.disable_notify = 1;
  double.state.devices.find((d) => d.device_id === 1)!.ignore = 1;
  const ether1 = double.state.ports.find((p) => p.port_id === 1)!;
  ether1.ifInOctets_rate = 1_500_000n;
  ether1.ifOutOctets_rate = 500_000n;
  ether1.ifDuplex = 'halfDuplex';
  const { parsed, status } = await exporter.scrape();
  t.equal(status, 200);
  t.equal(valueOf(parsed, 'librenms_device_ignored', { hostname: ROUTER }), 1, 'devices.ignore');
  t.equal(valueOf(parsed, 'librenms_device_ignored', { hostname: SWITCH }), 0);
  t.equal(valueOf(parsed, 'librenms_device_notify_disabled', { hostname: 'librenms.lab' }), 1, 'devices.disable_notify');
  t.equal(valueOf(parsed, 'librenms_device_notify_disabled', { hostname: SWITCH }), 0);
  t.equal(valueOf(parsed, 'librenms_port_ignored', { hostname: SWITCH, ifName: 'Gi1/0/5' }), 1, 'ports.ignore');
  t.equal(valueOf(parsed, 'librenms_port_ignored', { hostname: SWITCH, ifName: 'Gi1/0/1' }), 0);
  t.equal(valueOf(parsed, 'librenms_port_receive_bytes_per_second', { hostname: ROUTER, ifName: 'ether1' }), 1_500_000, 'ifInOctets_rate as is');
  t.equal(valueOf(parsed, 'librenms_port_transmit_bytes_per_second', { hostname: ROUTER, ifName: 'ether1' }), 500_000);
  t.equal(valueOf(parsed, 'librenms_port_duplex', { hostname: ROUTER, ifName: 'ether1' }), 2, 'halfDuplex');
  t.equal(valueOf(parsed, 'librenms_port_duplex', { hostname: SWITCH, ifName: 'Gi1/0/1' }), 3, 'fullDuplex');
  t.equal(valueOf(parsed, 'librenms_port_duplex', { hostname: ROUTER, ifName: 'ether3' }), undefined, 'null ifDuplex left out, not 0');
  t.equal(valueOf(parsed, 'librenms_device_ping_seconds', { hostname: SWITCH }), 0.52 / 1000, 'last_ping_timetaken is in ms');
  t.same(
    find(parsed, 'librenms_device_down_reason_info').map((s) => s.labels),
    [{ hostname: 'ap-lobby-01.lab', reason: 'icmp' }],
    'only the down device',
  );
  const state = { hostname: SWITCH, sensor_class: 'state', sensor_id: '7' };
  t.equal(valueOf(parsed, 'librenms_sensor_value', state), 5, 'a state sensor exports its vendor code');
  t.equal(valueOf(parsed, 'librenms_sensor_alert_enabled', state), 0, 'sensor_alert = 0');
  t.equal(valueOf(parsed, 'librenms_sensor_alert_enabled', { hostname: SWITCH, sensor_id: '1' }), 1);
  t.ok(
    find(parsed, 'librenms_sensor_value').every((s) => /^\d+$/.test(s.labels['sensor_id'] ?? '')),
    'every sensor series has its sensor_id',
  );
  t.ok(
    parsed.samples.filter((s) => s.name.startsWith('librenms_sensor_')).every((s) => s.labels['sensor_id'] !== undefined),
    'every sensor family carries sensor_id',
  );
});

t.test('two sensors sharing class, descr and index are both exported, keyed by sensor_id', async (t) => {
  const { double, exporter } = await setupPair(t);
  const first = double.state.sensors.find((s) => s.sensor_id === 1)!;
  double.state.sensors.push({ ...first, sensor_id: 42, sensor_type: 'entity-sensor', sensor_current: 33 });
  const { parsed } = await exporter.scrape();
  const same = { hostname: SWITCH, sensor_class: 'temperature', sensor_index: first.sensor_index, sensor_descr: first.sensor_descr };
  t.equal(valueOf(parsed, 'librenms_sensor_value', { ...same, sensor_id: '1' }), first.sensor_current);
  t.equal(valueOf(parsed, 'librenms_sensor_value', { ...same, sensor_id: '42' }), 33);
});

// includes/dbFacile.php (dbFetchRows logs an SQL error and returns []) and list_devices in
// includes/html/api_functions.inc.php: a database error is HTTP 200 with no devices.
t.test('a device list that suddenly comes back empty keeps the last good data until the maximum age', async (t) => {
  // On a fake wall clock (each scrape's deadline never passes, so it answers once its refresh ended).
  const wall = new FakeClock(1_800_000_000_000);
  const { double, exporter } = await setupPair(t, { CACHE_MAX_AGE_SECONDS: '2' }, {}, { now: wall.now, deadlineClock: new FakeClock() });
  const good = await exporter.scrape();
  t.ok(find(good.parsed, 'librenms_device_up').length > 0);
  const saved = double.state.devices;
  double.state.devices = [];
  const mark = exporter.logs.length;
  const during = await exporter.scrape();
  t.equal(valueOf(during.parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 0, 'devices collector failed');
  t.equal(find(during.parsed, 'librenms_device_up').length, find(good.parsed, 'librenms_device_up').length, 'last good devices served');
  const warnings = collectorWarnings(exporter, mark, 'devices');
  t.match(String(warnings[0]?.['msg']), /empty list after listing \d+ devices.*database error/, 'the warning names the likely cause');
  wall.advance(2300);
  const later = await exporter.scrape();
  t.equal(valueOf(later.parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 1, 'after the maximum age the empty list is believed');
  t.equal(valueOf(later.parsed, 'librenms_up'), 1);
  t.same(find(later.parsed, 'librenms_device_up'), [], 'no device any more');
  double.state.devices = saved;
  const back = await exporter.scrape();
  t.ok(find(back.parsed, 'librenms_device_up').length > 0, 'devices come back');
});

t.test('a device list that is empty from the start is believed at once', async (t) => {
  const { double, exporter } = await setupPair(t);
  double.state.devices = [];
  const { parsed } = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 1);
});

// includes/html/api_functions.inc.php, get_devices_by_group: 404 "No devices found in group X" for an
// empty group, 404 "Device group not found" for an unknown one; all digits are a group id.
t.test('an empty configured group is an empty selection: librenms_up 1 and the other groups still there', async (t) => {
  const { double, exporter } = await setupPair(t, { LIBRENMS_DEVICE_GROUPS: 'Core,Empty' });
  double.state.deviceGroups.push({ id: 3, name: 'Empty', desc: null, type: 'static', rules: null, pattern: null, device_ids: [] });
  const { parsed } = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.same(
    find(parsed, 'librenms_device_up')
      .map((s) => s.labels['hostname'])
      .sort(),
    [ROUTER, SWITCH],
    "Core's devices",
  );
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 1);
});

t.test('an unknown configured group is a warning, once, and the other groups still work', async (t) => {
  const { exporter } = await setupPair(t, { LIBRENMS_DEVICE_GROUPS: 'Core,No Such Group' });
  const mark = exporter.logs.length;
  const { parsed } = await exporter.scrape();
  await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.same(
    find(parsed, 'librenms_device_up')
      .map((s) => s.labels['hostname'])
      .sort(),
    [ROUTER, SWITCH],
  );
  const said = exporter.logs.slice(mark).filter((l) => /No Such Group.*does not know/.test(String(l['msg'])));
  t.equal(said.length, 1, 'said once, not on every refresh');
});

t.test('group names match case-insensitively and all-digit names are group ids, as in LibreNMS', async (t) => {
  for (const groups of ['core', 'CORE', '1']) {
    const { exporter } = await setupPair(t, { LIBRENMS_DEVICE_GROUPS: groups });
    const { parsed } = await exporter.scrape();
    t.same(
      find(parsed, 'librenms_device_up')
        .map((s) => s.labels['hostname'])
        .sort(),
      [ROUTER, SWITCH],
      groups,
    );
  }
});

t.test('/sd: one group that cannot be read never blanks the groups of every device', async (t) => {
  const { double, exporter } = await setupPair(t);
  double.addFault({ path: '/api/v0/devicegroups/1', fault: { kind: 'status', status: 500 } });
  const response = await request(`${exporter.url}/sd`);
  const groups = JSON.parse(await response.body.text()) as { targets: string[]; labels: Record<string, string> }[];
  const router = groups.find((g) => g.targets[0] === ROUTER);
  t.equal(router?.labels['__meta_librenms_groups'], ',Lab,', 'Lab is still there though Core failed');
  t.ok(requestsTo(double, '/api/v0/devicegroups/2') >= 1, 'groups are read by id');
});

// LibreNMS 26.4.0 to 26.5.0: the ports enum cast fails the whole bulk answer (issue #19505).
t.test('a bulk /ports 500 caused by one device still exports every other device in the same refresh', async (t) => {
  const { double, exporter } = await setupPair(t, { PORTS_STRATEGY: 'bulk' }, { version: '26.4.0', operStatusMode: 'enum-500' });
  double.state.ports.find((p) => p.port_id === 5)!.ifOperStatus = 'bogus';
  const mark = exporter.logs.length;
  const { parsed } = await exporter.scrape();
  t.ok(requestsTo(double, '/api/v0/ports') >= 1, 'bulk was tried');
  const hosts = new Set(find(parsed, 'librenms_port_info').map((s) => s.labels['hostname']));
  t.ok(hosts.has(ROUTER) && hosts.has(SWITCH) && hosts.has('ap-lobby-01.lab'), 'the other devices keep their ports');
  t.notOk(hosts.has('librenms.lab'), 'only the failing device loses its ports');
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0, 'one device failed');
  t.ok(
    exporter.logs.slice(mark).some((l) => /26\.4\.0 to 26\.5\.0.*26\.5\.1.*memory_limit/.test(String(l['msg']))),
    'the warning names the releases and the fixes',
  );
  const bulkBefore = requestsTo(double, '/api/v0/ports');
  await exporter.scrape();
  t.equal(requestsTo(double, '/api/v0/ports'), bulkBefore, 'bulk is not retried on the next refresh');
  t.ok(requestsTo(double, '/api/v0/devices/1/ports') >= 2, 'per device instead');
});

t.test('the doctor names an unknown configured group and the 26.4 bulk /ports failure with its fixes', async (t) => {
  const { runDoctor } = await import('../src/doctor/doctor.js');
  const { startLibreNmsDouble } = await import('../librenms-double/double.js');
  const double = await startLibreNmsDouble({ version: '26.4.0', operStatusMode: 'enum-500' });
  t.teardown(() => double.close());
  double.state.ports.find((p) => p.port_id === 5)!.ifOperStatus = 'bogus';
  const lines: string[] = [];
  const code = await runDoctor({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, PORTS_STRATEGY: 'bulk', LIBRENMS_DEVICE_GROUPS: 'Lab,Nope' }, (line) =>
    lines.push(line),
  );
  const text = lines.join('\n');
  t.match(text, /warn {2}LIBRENMS_DEVICE_GROUPS names the device group "Nope", which LibreNMS does not know/);
  t.match(text, /26\.4\.0 to 26\.5\.0.*upgrade to 26\.5\.1 or later.*memory_limit/);
  t.not(code, 0, 'not ready while one device cannot be read');
  t.notMatch(text, /^Ready/m);
});
