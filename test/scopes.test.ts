/**
 * Issue 8: filters, scoped scrapes (/metrics?group=, /probe?target=), HTTP service discovery,
 * several LibreNMS instances, and collectors switched off — against the LibreNMS double.
 */

import t, { type Test } from 'tap';
import { request } from 'undici';
import { type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { COLLECTORS } from '../src/collectors/index.js';
import { startExporter, type TestExporter } from './helpers/exporter.js';
import { find, parseExposition, valueOf } from './helpers/exposition.js';
import { startEuAsiaDoubles, startMultiInstanceExporter } from './helpers/harness.js';
import { lintExposition } from './helpers/lint.js';

async function setup(t: Test, env: Record<string, string> = {}): Promise<{ double: LibreNmsDouble; exporter: TestExporter }> {
  const double = await startLibreNmsDouble();
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, ...env });
  t.teardown(async () => (await exporter.close(), await double.close()));
  return { double, exporter };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await request(url);
  return { status: response.statusCode, text: await response.body.text() };
}

const hostnames = (text: string, name = 'librenms_device_info') => new Set(find(parseExposition(text), name).map((s) => s.labels['hostname']));
const ifTypes = (text: string) => new Set(find(parseExposition(text), 'librenms_port_info').map((s) => s.labels['ifType']));

t.test('filters: hostname include/exclude, OS, device type, device groups', async (t) => {
  const cases: [Record<string, string>, string[]][] = [
    [{ HOSTNAME_INCLUDE: '.*\\.lab' }, ['librenms.lab', 'sw-core-01.lab', 'ap-lobby-01.lab']],
    [{ HOSTNAME_EXCLUDE: 'ap-.*|librenms\\.lab' }, ['192.168.56.10', 'sw-core-01.lab']],
    [{ OS_INCLUDE: 'routeros,iosxe' }, ['192.168.56.10', 'sw-core-01.lab']],
    [{ LIBRENMS_DEVICE_GROUPS: 'Core' }, ['192.168.56.10', 'sw-core-01.lab']],
  ];
  for (const [env, expected] of cases) {
    const { exporter } = await setup(t, env);
    const { text } = await exporter.scrape();
    t.same([...hostnames(text)].sort(), [...expected].sort(), JSON.stringify(env));
    t.same(
      [...hostnames(text, 'librenms_port_info')].every((h) => expected.includes(h ?? '')),
      true,
      'ports follow the devices',
    );
  }
});

t.test('filters: port ifType include/exclude and admin-down ports', async (t) => {
  const { exporter } = await setup(t, { PORT_TYPE_EXCLUDE: 'softwareLoopback,propVirtual', EXPORT_ADMIN_DOWN_PORTS: 'false' });
  const { parsed, text } = await exporter.scrape();
  t.notOk(ifTypes(text).has('softwareLoopback'));
  t.notOk(ifTypes(text).has('propVirtual'));
  t.equal(find(parsed, 'librenms_port_admin_status').filter((s) => s.value === 2).length, 0, 'no admin-down port');
  t.equal(find(parsed, 'librenms_port_info', { ifName: 'ether4' }).length, 0, 'ether4 (admin down) left out');
  const { exporter: only } = await setup(t, { PORT_TYPE_INCLUDE: 'softwareLoopback' });
  t.same([...ifTypes((await only.scrape()).text)], ['softwareLoopback']);
});

t.test('a small filtered set is read per device; the whole install in bulk', async (t) => {
  const { double, exporter } = await setup(t, { OS_INCLUDE: 'routeros', CONCURRENCY: '4' });
  await exporter.scrape();
  t.equal(double.requests.filter((r) => r.path === '/api/v0/ports').length, 0, 'no bulk request');
  t.same(
    double.requests.filter((r) => /\/devices\/\d+\/ports$/.test(r.path)).map((r) => r.path),
    ['/api/v0/devices/1/ports'],
    'one request for the one selected device',
  );
});

t.test('/metrics?group= serves one device group with its own cache', async (t) => {
  const { double, exporter } = await setup(t);
  const core = await get(`${exporter.url}/metrics?group=Core`);
  t.equal(core.status, 200);
  t.same([...hostnames(core.text)].sort(), ['192.168.56.10', 'sw-core-01.lab']);
  t.equal(valueOf(parseExposition(core.text), 'librenms_up'), 1);
  t.same(lintExposition(core.text), []);
  const all = await exporter.scrape();
  t.ok(hostnames(all.text).has('librenms.lab'), 'the unscoped cache is separate');
  const again = await get(`${exporter.url}/metrics?group=Core`);
  t.equal(again.status, 200);
  // Members are read by id (Core is group 1), not by name.
  t.equal(double.requests.filter((r) => r.path === '/api/v0/devicegroups/1').length, 1, 'group members cached');
  t.equal(double.requests.filter((r) => r.path === '/api/v0/devicegroups/Core').length, 0, 'never by name');
  const unknown = await get(`${exporter.url}/metrics?group=Nope`);
  t.equal(unknown.status, 400);
  t.match(unknown.text, /unknown device group "Nope"/);
  t.equal(double.requests.filter((r) => r.path.includes('Nope')).length, 0, 'no request for an unknown group');
});

t.test('/probe?target= serves one device; unknown targets are a 400', async (t) => {
  const { double, exporter } = await setup(t);
  const probe = await get(`${exporter.url}/probe?target=192.168.56.10`);
  t.equal(probe.status, 200);
  const parsed = parseExposition(probe.text);
  t.same([...hostnames(probe.text)], ['192.168.56.10']);
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.equal(valueOf(parsed, 'librenms_port_up', { hostname: '192.168.56.10', ifName: 'ether1' }), 1);
  t.equal(find(parsed, 'process_cpu_user_seconds_total').length, 0, 'no process metrics in a probe, like blackbox_exporter');
  t.same(lintExposition(probe.text), []);
  t.equal(double.requests.filter((r) => r.path === '/api/v0/devices/1/ports').length, 1, 'its ports read per device');
  const upper = await get(`${exporter.url}/probe?target=SW-CORE-01.LAB`);
  t.same([...hostnames(upper.text)], ['sw-core-01.lab'], 'hostnames match case-insensitively, as in LibreNMS');
  const before = double.requests.length;
  for (const target of ['evil.example.com', 'http://127.0.0.1:22/', '../../etc/passwd']) {
    const bad = await get(`${exporter.url}/probe?target=${encodeURIComponent(target)}`);
    t.equal(bad.status, 400, target);
    t.match(bad.text, /not a device hostname in LibreNMS/);
  }
  t.ok(
    double.requests.slice(before).every((r) => r.path === '/api/v0/devices'),
    'only the inventory is asked, never the target',
  );
  t.equal((await get(`${exporter.url}/probe`)).status, 400, 'target is required');
});

t.test('/sd returns Prometheus HTTP SD JSON for the inventory, filtered', async (t) => {
  const { exporter } = await setup(t, { HOSTNAME_EXCLUDE: 'librenms\\.lab' });
  const sd = await get(`${exporter.url}/sd`);
  t.equal(sd.status, 200);
  const groups = JSON.parse(sd.text) as { targets: string[]; labels: Record<string, string> }[];
  const lab = groups.find((g) => g.targets[0] === '192.168.56.10');
  t.same(lab?.labels, {
    __meta_librenms_hostname: '192.168.56.10',
    __meta_librenms_sysname: 'MikroTik',
    __meta_librenms_display: 'MikroTik-Lab-Router',
    __meta_librenms_os: 'routeros',
    __meta_librenms_type: 'network',
    __meta_librenms_location: 'Lab',
    __meta_librenms_groups: ',Core,Lab,',
    __meta_librenms_status: 'up',
  });
  t.notOk(
    groups.some((g) => g.targets[0] === 'librenms.lab'),
    'config filters apply',
  );
  t.notOk(
    groups.some((g) => g.targets[0] === 'old-fw-01.lab'),
    'disabled devices left out',
  );
  t.ok(groups.every((g) => g.targets.length === 1 && Object.keys(g.labels).every((k) => k.startsWith('__meta_librenms_'))));
  const down = JSON.parse((await get(`${exporter.url}/sd?status=down`)).text) as { targets: string[] }[];
  t.same(
    down.map((g) => g.targets[0]),
    ['ap-lobby-01.lab'],
  );
  const routeros = JSON.parse((await get(`${exporter.url}/sd?os=routeros`)).text) as { targets: string[] }[];
  t.same(
    routeros.map((g) => g.targets[0]),
    ['192.168.56.10'],
  );
  const core = JSON.parse((await get(`${exporter.url}/sd?group=Core`)).text) as { targets: string[] }[];
  t.same(core.map((g) => g.targets[0]).sort(), ['192.168.56.10', 'sw-core-01.lab']);
  t.notMatch(sd.text, /community|s3cret/, 'no credentials');
});

t.test('collectors can be switched off', async (t) => {
  const { double, exporter } = await setup(t, { COLLECTORS: 'devices,ports' });
  const { parsed } = await exporter.scrape();
  t.same(
    find(parsed, 'librenms_scrape_collector_success').map((s) => s.labels['collector']),
    ['devices', 'ports'],
  );
  t.equal(find(parsed, 'librenms_alert_active').length, 0);
  const others = ['alerts', 'resources/sensors', 'bgp', 'routing/bgp/cbgp', 'ospf', 'ospf_ports', 'services', 'pollers'].map((path) => `/api/v0/${path}`);
  t.equal(double.requests.filter((r) => others.includes(r.path)).length, 0);
  const { parsed: all } = await (await setup(t)).exporter.scrape();
  t.same(
    find(all, 'librenms_scrape_collector_success').map((s) => s.labels['collector']),
    COLLECTORS.filter((c) => c.enabledByDefault).map((c) => c.name),
    'every collector on by default, in run order',
  );
  t.ok(find(all, 'librenms_alert_active').length > 0);
  t.ok(find(all, 'librenms_sensor_value').length > 0);
});

t.test('several LibreNMS instances from one exporter', async (t) => {
  const { eu, asia } = await startEuAsiaDoubles(t);
  // A token file ending in a newline, and a URL given with /api/v0: both as operators write them.
  const exporter = await startMultiInstanceExporter(t, [
    { name: 'eu', url: eu.url, tokenFileText: `${eu.token}\n` },
    { name: 'asia', url: `${asia.url}/api/v0`, tokenFileText: asia.token },
  ]);
  const { parsed, text } = await exporter.scrape();
  t.equal(valueOf(parsed, 'librenms_up', { librenms_instance: 'eu' }), 1);
  t.equal(valueOf(parsed, 'librenms_up', { librenms_instance: 'asia' }), 1);
  t.equal(valueOf(parsed, 'librenms_port_up', { librenms_instance: 'eu', hostname: '192.168.56.10', ifName: 'ether1' }), 1);
  t.equal(valueOf(parsed, 'librenms_port_up', { librenms_instance: 'asia', hostname: '192.168.56.10', ifName: 'ether1' }), 1);
  t.ok(parsed.samples.filter((s) => s.name.startsWith('librenms_port_')).every((s) => s.labels['librenms_instance'] !== undefined));
  t.same(lintExposition(text), [], 'each family stays together across instances');
  const onlyEu = parseExposition((await get(`${exporter.url}/metrics?instance=eu`)).text);
  t.same([...new Set(find(onlyEu, 'librenms_device_info').map((s) => s.labels['librenms_instance']))], ['eu']);
  t.equal((await get(`${exporter.url}/metrics?instance=mars`)).status, 400);
  const probe = parseExposition((await get(`${exporter.url}/probe?target=sw-core-01.lab&instance=asia`)).text);
  t.same([...new Set(find(probe, 'librenms_device_info').map((s) => `${s.labels['librenms_instance']}/${s.labels['hostname']}`))], ['asia/sw-core-01.lab']);
  const sd = JSON.parse((await get(`${exporter.url}/sd`)).text) as { labels: Record<string, string> }[];
  t.same([...new Set(sd.map((g) => g.labels['__meta_librenms_instance']))].sort(), ['asia', 'eu']);
  t.notMatch(exporter.logText() + text, /eu-token|asia-token/, 'no token anywhere');
});
