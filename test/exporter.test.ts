/**
 * The exporter over real HTTP against the LibreNMS double (issue 2's acceptance list).
 */
import t, { type Test } from 'tap';
import { request } from 'undici';
import { type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { LAB_COMMUNITY, syntheticState } from '../librenms-double/fixtures.js';
import { startExporter, type TestExporter } from './helpers/exporter.js';
import { find, valueOf } from './helpers/exposition.js';
import { lintExposition } from './helpers/lint.js';

async function setup(
  t: Test,
  env: Record<string, string> = {},
  doubleOptions: Parameters<typeof startLibreNmsDouble>[0] = {},
): Promise<{ double: LibreNmsDouble; exporter: TestExporter }> {
  const double = await startLibreNmsDouble(doubleOptions);
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '60', ...env });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
  });
  return { double, exporter };
}

const ETHER1 = { hostname: '192.168.56.10', ifName: 'ether1' };

for (const strategy of ['bulk', 'per-device'] as const) {
  t.test(`ether1 of the lab router exports exactly the double's values (${strategy})`, async (t) => {
    const { double, exporter } = await setup(t, { PORTS_STRATEGY: strategy });
    const { status, parsed, headers } = await exporter.scrape();
    t.equal(status, 200);
    t.match(headers['content-type'], /^text\/plain; version=0\.0\.4/);
    const device = double.state.devices.find((d) => d.hostname === '192.168.56.10');
    const port = double.state.ports.find((p) => p.device_id === device?.device_id && p.ifName === 'ether1');
    if (device === undefined || port === undefined) throw new Error('lab fixture lacks ether1');
    const id = { ...ETHER1, ifIndex: String(port.ifIndex) };
    t.equal(valueOf(parsed, 'librenms_port_up', id), 1);
    t.equal(valueOf(parsed, 'librenms_port_oper_status', id), 1);
    t.equal(valueOf(parsed, 'librenms_port_admin_status', id), 1);
    t.equal(valueOf(parsed, 'librenms_port_speed_bytes', id), Number(port.ifSpeed) / 8);
    t.equal(valueOf(parsed, 'librenms_port_mtu_bytes', id), Number(port.ifMtu));
    t.equal(valueOf(parsed, 'librenms_port_receive_bytes_total', id), Number(port.ifInOctets));
    t.equal(valueOf(parsed, 'librenms_port_transmit_bytes_total', id), Number(port.ifOutOctets));
    t.equal(valueOf(parsed, 'librenms_port_receive_unicast_packets_total', id), Number(port.ifInUcastPkts));
    t.equal(valueOf(parsed, 'librenms_port_transmit_unicast_packets_total', id), Number(port.ifOutUcastPkts));
    t.equal(valueOf(parsed, 'librenms_port_receive_errors_total', id), Number(port.ifInErrors));
    t.equal(valueOf(parsed, 'librenms_port_transmit_errors_total', id), Number(port.ifOutErrors));
    t.equal(valueOf(parsed, 'librenms_port_last_polled_timestamp_seconds', id), Number(port.poll_time));
    t.equal(valueOf(parsed, 'librenms_port_info', { ...id, ifAlias: 'Host-Only network', ifType: 'ethernetCsmacd', port_id: String(port.port_id) }), 1);
    t.equal(valueOf(parsed, 'librenms_device_up', { hostname: '192.168.56.10' }), 1);
    t.equal(valueOf(parsed, 'librenms_device_uptime_seconds', { hostname: '192.168.56.10' }), Number(device.uptime));
    t.equal(valueOf(parsed, 'librenms_device_info', { hostname: '192.168.56.10', display: 'MikroTik-Lab-Router', os: 'routeros' }), 1);
    t.equal(valueOf(parsed, 'librenms_up'), 1);
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
    t.equal(valueOf(parsed, 'librenms_exporter_build_info', { version: '0.1.0' }), 1);
  });
}

t.test('string-typed values from an old LibreNMS give the same numbers', async (t) => {
  const { exporter } = await setup(t, {}, { numbersAsStrings: true });
  const { parsed } = await exporter.scrape();
  const { double: reference, exporter: referenceExporter } = await setup(t);
  void reference;
  const expected = (await referenceExporter.scrape()).parsed;
  const portSamples = (p: typeof parsed) =>
    p.samples
      .filter((s) => s.name.startsWith('librenms_port_') || s.name.startsWith('librenms_device_'))
      .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
      .sort();
  t.ok(portSamples(parsed).length > 50);
  t.same(portSamples(parsed), portSamples(expected));
});

t.test('null values are left out, not exported as 0', async (t) => {
  const { double, exporter } = await setup(t);
  const port = double.state.ports.find((p) => p.ifInOctets === null && p.deleted === 0 && p.disabled === 0);
  if (port === undefined) throw new Error('lab fixture lacks a never-polled port');
  const device = double.state.devices.find((d) => d.device_id === port.device_id);
  const { parsed } = await exporter.scrape();
  const id = { hostname: device?.hostname ?? '', ifName: port.ifName ?? '' };
  t.equal(find(parsed, 'librenms_port_info', id).length, 1, 'the port is there');
  t.equal(find(parsed, 'librenms_port_receive_bytes_total', id).length, 0, 'its null counter is not');
});

t.test('quotes, backslashes, newlines and Thai text in ifAlias give valid exposition', async (t) => {
  const { double, exporter } = await setup(t);
  const port = double.state.ports.find((p) => p.ifName === 'ether2');
  if (port === undefined) throw new Error('no ether2');
  const alias = 'ลิงก์ "NAT" \\ ทดสอบ\nบรรทัดสอง';
  double.state.ports[double.state.ports.indexOf(port)] = { ...port, ifAlias: alias };
  const { parsed, text } = await exporter.scrape();
  t.equal(find(parsed, 'librenms_port_info', { ifName: 'ether2', ifAlias: alias }).length, 1, 'alias round-trips through the strict parser');
  t.same(lintExposition(text), [], "promtool's lints find nothing");
});

t.test('one device failing leaves the others', async (t) => {
  const { double, exporter } = await setup(t, { PORTS_STRATEGY: 'per-device' });
  const lab = double.state.devices.find((d) => d.hostname === '192.168.56.10');
  double.addFault({ path: `/api/v0/devices/${lab?.device_id}/ports`, fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' } });
  const { parsed } = await exporter.scrape();
  t.equal(find(parsed, 'librenms_port_info', { hostname: '192.168.56.10' }).length, 0, 'the failing device has no ports');
  t.ok(find(parsed, 'librenms_port_info', { hostname: 'sw-core-01.lab' }).length > 0, 'the others are there');
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0);
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.match(exporter.logText(), /HTTP 500 on \/devices\/:hostname\/ports/);
});

t.test('two scrapes within the TTL make one refresh; N concurrent scrapes make one', async (t) => {
  const { double, exporter } = await setup(t, { PORTS_STRATEGY: 'bulk' }, { latencyMs: 150 });
  await exporter.scrape();
  await exporter.scrape();
  t.equal(double.requests.filter((r) => r.path === '/api/v0/devices').length, 1, 'one /devices for two scrapes');

  const { double: double2, exporter: exporter2 } = await setup(t, { PORTS_STRATEGY: 'bulk' }, { latencyMs: 150 });
  const results = await Promise.all(Array.from({ length: 20 }, () => exporter2.scrape()));
  t.ok(results.every((r) => r.status === 200 && valueOf(r.parsed, 'librenms_up') === 1));
  t.equal(double2.requests.filter((r) => r.path === '/api/v0/devices').length, 1, 'one /devices for 20 concurrent scrapes');
  t.equal(double2.requests.filter((r) => r.path === '/api/v0/ports').length, 1, 'one /ports');
});

t.test('in-flight requests to LibreNMS never exceed CONCURRENCY', async (t) => {
  const { double, exporter } = await setup(
    t,
    { PORTS_STRATEGY: 'per-device', CONCURRENCY: '3' },
    { state: syntheticState({ devices: 25, portsPerDevice: 4, seed: 7 }), latencyMs: 40 },
  );
  const { parsed } = await exporter.scrape();
  const perDevice = double.requests.filter((r) => /\/devices\/\d+\/ports$/.test(r.path)).length;
  t.ok(perDevice >= 20, `${perDevice} per-device requests`);
  t.equal(double.maxInFlight, 3, 'the cap was reached and never passed');
  t.ok(find(parsed, 'librenms_port_info').length >= 80);
});

t.test('a port removed upstream disappears from the next refresh', async (t) => {
  const { double, exporter } = await setup(t, { CACHE_TTL_SECONDS: '0' });
  t.equal(find((await exporter.scrape()).parsed, 'librenms_port_up', ETHER1).length, 1);
  const port = double.state.ports.find((p) => p.ifName === 'ether1');
  double.state.ports = double.state.ports.filter((p) => p !== port);
  const after = (await exporter.scrape()).parsed;
  t.equal(find(after, 'librenms_port_up', ETHER1).length, 0, 'gone');
  t.equal(find(after, 'librenms_port_info', ETHER1).length, 0, 'info gone too');
  t.ok(find(after, 'librenms_port_up', { hostname: '192.168.56.10', ifName: 'ether2' }).length === 1, 'siblings stay');
});

t.test('a wrong token gives a readable log line and librenms_up 0, still HTTP 200', async (t) => {
  const double = await startLibreNmsDouble();
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: 'wrong-token-value-123' });
  t.teardown(async () => (await exporter.close(), await double.close()));
  const { status, parsed } = await exporter.scrape();
  t.equal(status, 200);
  t.equal(valueOf(parsed, 'librenms_up'), 0);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 0);
  t.equal(valueOf(parsed, 'librenms_exporter_api_requests_total', { endpoint: '/devices', code: '401' }), 1);
  t.match(exporter.logText(), /LibreNMS rejected the API token \(HTTP 401 on \/devices\): check LIBRENMS_TOKEN/);
  t.notMatch(exporter.logText(), /wrong-token-value-123/);
});

t.test('healthz never calls LibreNMS; / links to /metrics; gzip is honoured', async (t) => {
  const { double, exporter } = await setup(t);
  const health = await request(`${exporter.url}/healthz`);
  t.equal(health.statusCode, 200);
  await health.body.dump();
  t.equal(double.requests.length, 0, 'no LibreNMS request');
  const root = await request(`${exporter.url}/`);
  t.match(await root.body.text(), /href="metrics"/);
  const plain = await exporter.scrape();
  const gz = await exporter.scrape({ 'accept-encoding': 'gzip' });
  t.equal(gz.headers['content-encoding'], 'gzip');
  const strip = (text: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('librenms_port') || l.startsWith('librenms_device'))
      .join('\n');
  t.equal(strip(gz.text), strip(plain.text), 'same LibreNMS data gzipped');
  t.equal(valueOf(gz.parsed, 'librenms_up'), 1, 'exporter metrics in the second gzip member');
});

t.test('neither the token nor an SNMP community appears in any log line or response', async (t) => {
  const { double, exporter } = await setup(t, { CACHE_TTL_SECONDS: '0' });
  const bodies: string[] = [];
  for (let i = 0; i < 2; i++) bodies.push((await exporter.scrape()).text);
  double.addFault({ path: '/api/v0/ports', fault: { kind: 'status', status: 500, body: `{"message":"boom ${LAB_COMMUNITY.slice(0, 3)}"}` } });
  bodies.push((await exporter.scrape()).text);
  const everything = bodies.join('\n') + exporter.logText();
  t.ok(everything.length > 1000);
  t.notOk(everything.includes(double.token), 'no token');
  t.notOk(everything.includes(LAB_COMMUNITY), 'no SNMP community');
});
