/**
 * Data chaos from LibreNMS: odd value types and text, through the double (or, for bytes the double
 * cannot send, a raw stand-in) and the real exporter. Every output must parse strictly, pass
 * promtool's lints, be valid UTF-8, and keep series identity unique; unknown values are left out, never 0.
 */
import t, { type Test } from 'tap';
import type { LibreNmsDouble } from '../librenms-double/double.js';
import { LAB_COMMUNITY } from '../librenms-double/fixtures.js';
import type { SimPort } from '../librenms-double/state.js';
import { startExporter, type TestExporter } from './helpers/exporter.js';
import { find, valueOf } from './helpers/exposition.js';
import { envelope, identityProblems, scrapeWithin, setupPair, startRawLibreNms, type TimedScrape } from './helpers/harness.js';
import { lintExposition } from './helpers/lint.js';

const LAB = '192.168.56.10';
const SW = 'sw-core-01.lab';

/** Overwrites fields of a port of the double's state with any values, typed or not. */
function patchPort(double: LibreNmsDouble, portId: number, patch: Record<string, unknown>): void {
  const port = double.state.ports.find((p) => p.port_id === portId);
  if (port === undefined) throw new Error(`no port ${portId}`);
  Object.assign(port, patch);
}

function patchDevice(double: LibreNmsDouble, deviceId: number, patch: Record<string, unknown>): void {
  const device = double.state.devices.find((d) => d.device_id === deviceId);
  if (device === undefined) throw new Error(`no device ${deviceId}`);
  Object.assign(device, patch);
}

const UNSAFE_LABEL_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Everything every chaotic output must satisfy. */
async function checkOutput(t: Test, scrape: TimedScrape, what: string): Promise<void> {
  t.equal(scrape.status, 200, `${what}: HTTP 200`);
  t.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(scrape.raw), `${what}: valid UTF-8`);
  t.same(identityProblems(scrape.parsed), [], `${what}: series identity unique`);
  const data = scrape.parsed.samples.filter((s) => s.name.startsWith('librenms_port_') || s.name.startsWith('librenms_device_'));
  t.same(
    data.filter((s) => !Number.isFinite(s.value)).map((s) => `${s.name} ${s.value}`),
    [],
    `${what}: no NaN or Inf from LibreNMS data`,
  );
  const badLabels = data.flatMap((s) =>
    Object.entries(s.labels)
      .filter(([, v]) => UNSAFE_LABEL_TEXT.test(v) || v.length > 256 || LONE_SURROGATE.test(v))
      .map(([k, v]) => `${s.name} ${k}=${JSON.stringify(v)}`),
  );
  t.same(badLabels, [], `${what}: label text clean (no control characters, ≤ 256 chars, well-formed)`);
  t.same(lintExposition(scrape.raw), [], `${what}: promtool's lints find nothing`);
}

async function setup(t: Test, env: Record<string, string> = {}, options: Parameters<typeof setupPair>[2] = {}) {
  const pair = await setupPair(t, { PORTS_STRATEGY: 'bulk', ...env }, options);
  const before = await scrapeWithin(pair.exporter, 5);
  return { ...pair, before };
}

t.test('numbers as strings, with spaces, signs, exponents and leading zeros', async (t) => {
  const { double, exporter } = await setup(t);
  patchPort(double, 1, { ifSpeed: ' 1000000000 ', ifMtu: '+1500', ifInOctets: '1.5e3', ifOutOctets: '0012', poll_time: String(double.state.clock) });
  patchDevice(double, 1, { uptime: '259323', last_polled_timetaken: '3.18' });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'strings');
  const id = { hostname: LAB, ifName: 'ether1' };
  t.equal(valueOf(s.parsed, 'librenms_port_speed_bytes', id), 125_000_000);
  t.equal(valueOf(s.parsed, 'librenms_port_mtu_bytes', id), 1500);
  t.equal(valueOf(s.parsed, 'librenms_port_receive_bytes_total', id), 1500);
  t.equal(valueOf(s.parsed, 'librenms_port_transmit_bytes_total', id), 12);
  t.equal(valueOf(s.parsed, 'librenms_port_last_polled_timestamp_seconds', id), double.state.clock);
  t.equal(valueOf(s.parsed, 'librenms_device_uptime_seconds', { hostname: LAB }), 259323);
  t.equal(valueOf(s.parsed, 'librenms_device_poll_duration_seconds', { hostname: LAB }), 3.18);
});

t.test('nulls and empty strings are left out, never exported as 0', async (t) => {
  const { double, exporter } = await setup(t);
  const counters = ['ifInOctets', 'ifOutOctets', 'ifInUcastPkts', 'ifOutUcastPkts', 'ifInErrors', 'ifOutErrors'];
  patchPort(double, 2, {
    ...Object.fromEntries(counters.map((c, i) => [c, i % 2 === 0 ? null : ''])),
    ifSpeed: '',
    ifMtu: null,
    ifOperStatus: null,
    ifAdminStatus: '',
    ifAlias: null,
    ifType: '',
    ifName: '',
    poll_time: null,
  });
  patchDevice(double, 2, { uptime: null, last_polled_timetaken: '', sysName: '', display: '', os: null, hardware: '' });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'nulls');
  const id = { hostname: LAB, ifName: 'ether2', ifIndex: '2' };
  t.equal(find(s.parsed, 'librenms_port_info', { ...id, ifAlias: '', ifType: '' }).length, 1, 'the port stays, its empty ifName replaced by ifDescr');
  for (const family of [
    'librenms_port_up',
    'librenms_port_oper_status',
    'librenms_port_admin_status',
    'librenms_port_speed_bytes',
    'librenms_port_mtu_bytes',
    'librenms_port_last_polled_timestamp_seconds',
    'librenms_port_last_change_timestamp_seconds',
    'librenms_port_receive_bytes_total',
    'librenms_port_transmit_bytes_total',
    'librenms_port_receive_unicast_packets_total',
    'librenms_port_transmit_unicast_packets_total',
    'librenms_port_receive_errors_total',
    'librenms_port_transmit_errors_total',
  ]) {
    t.equal(find(s.parsed, family, id).length, 0, `${family} left out`);
  }
  t.equal(find(s.parsed, 'librenms_device_uptime_seconds', { hostname: 'librenms.lab' }).length, 0, 'null uptime left out');
  t.equal(find(s.parsed, 'librenms_device_poll_duration_seconds', { hostname: 'librenms.lab' }).length, 0);
  t.equal(
    find(s.parsed, 'librenms_device_info', { hostname: 'librenms.lab', sysName: '', display: 'librenms.lab', os: '' }).length,
    1,
    'empty display falls back to the hostname',
  );
});

t.test('negative values are unknown', async (t) => {
  const { double, exporter } = await setup(t);
  patchPort(double, 1, { ifInOctets: -1n, ifOutOctets: '-5', ifSpeed: -1, ifMtu: -1500, ifInErrors: -0.5, poll_time: -100, ifLastChange: -3 });
  patchDevice(double, 1, { uptime: -10, last_polled_timetaken: -1 });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'negatives');
  const id = { hostname: LAB, ifName: 'ether1' };
  for (const family of [
    'receive_bytes_total',
    'transmit_bytes_total',
    'speed_bytes',
    'mtu_bytes',
    'receive_errors_total',
    'last_polled_timestamp_seconds',
    'last_change_timestamp_seconds',
  ]) {
    t.equal(find(s.parsed, `librenms_port_${family}`, id).length, 0, `${family} left out`);
  }
  t.equal(find(s.parsed, 'librenms_device_uptime_seconds', { hostname: LAB }).length, 0);
  t.equal(find(s.parsed, 'librenms_device_poll_duration_seconds', { hostname: LAB }).length, 0);
  t.equal(valueOf(s.parsed, 'librenms_port_up', id), 1, 'the rest of the port is still there');
});

t.test('NaN-like and garbage strings are unknown', async (t) => {
  const { double, exporter } = await setup(t);
  const garbage = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e999', '0x10', 'abc', '12abc', '1,5', ' ', '--1', '1e', '.', '∞'];
  const fields = ['ifInOctets', 'ifOutOctets', 'ifInUcastPkts', 'ifOutUcastPkts', 'ifInErrors', 'ifOutErrors', 'ifSpeed', 'ifMtu', 'poll_time'];
  const ports = double.state.ports.filter((p) => p.deleted === 0 && p.disabled === 0);
  ports.forEach((p, i) => {
    for (const [j, field] of fields.entries()) (p as unknown as Record<string, unknown>)[field] = garbage[(i + j) % garbage.length];
  });
  for (const [i, d] of double.state.devices.entries()) patchDevice(double, d.device_id, { uptime: garbage[i], last_polled_timetaken: garbage[i + 5] });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'garbage');
  const numeric = s.parsed.samples.filter(
    (x) =>
      x.name.startsWith('librenms_port_') &&
      ![
        'librenms_port_info',
        'librenms_port_up',
        'librenms_port_oper_status',
        'librenms_port_admin_status',
        // Read from fields left intact here: ignore, ifDuplex, ifInOctets_rate, ifOutOctets_rate.
        'librenms_port_ignored',
        'librenms_port_duplex',
        'librenms_port_receive_bytes_per_second',
        'librenms_port_transmit_bytes_per_second',
      ].includes(x.name),
  );
  t.same(
    numeric.map((x) => x.name),
    [],
    'no counter, speed, MTU or poll time from garbage',
  );
  t.equal(find(s.parsed, 'librenms_device_uptime_seconds').length, 0);
  t.equal(find(s.parsed, 'librenms_port_info').length, ports.filter((p) => p.device_id !== 5).length, 'every port is still there');
});

t.test('floats where integers are expected', async (t) => {
  const { double, exporter } = await setup(t);
  patchPort(double, 3, { ifIndex: 3.5, port_id: 3 });
  patchPort(double, 1, { ifMtu: 1500.5, ifInOctets: 10.25, device_id: '1.0' });
  patchPort(double, 2, { ifIndex: '2.0' });
  patchDevice(double, 1, { uptime: 12.7 });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'floats');
  t.equal(find(s.parsed, 'librenms_port_info', { hostname: LAB, ifName: 'ether3' })[0]?.labels['ifIndex'], '', 'a fractional ifIndex is unknown (empty label)');
  t.equal(valueOf(s.parsed, 'librenms_port_mtu_bytes', { hostname: LAB, ifName: 'ether1' }), 1500.5);
  t.equal(valueOf(s.parsed, 'librenms_port_receive_bytes_total', { hostname: LAB, ifName: 'ether1', ifIndex: '1' }), 10.25, '"1.0" is device 1');
  t.equal(valueOf(s.parsed, 'librenms_port_up', { hostname: LAB, ifName: 'ether2', ifIndex: '2' }), 1, '"2.0" is ifIndex 2');
  t.equal(valueOf(s.parsed, 'librenms_device_uptime_seconds', { hostname: LAB }), 12.7);
});

t.test('values above 2^53', async (t) => {
  const { double, exporter } = await setup(t);
  const max64 = (1n << 64n) - 1n;
  patchPort(double, 1, { ifInOctets: max64, ifOutOctets: (1n << 53n) + 1n, ifInUcastPkts: String(max64), ifSpeed: 400_000_000_000 });
  patchPort(double, 2, { ifIndex: 2 ** 53 + 2 });
  patchPort(double, 3, { device_id: 2 ** 53 + 2 });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'big');
  const id = { hostname: LAB, ifName: 'ether1' };
  t.equal(valueOf(s.parsed, 'librenms_port_receive_bytes_total', id), Number(max64), 'nearest float64');
  t.equal(valueOf(s.parsed, 'librenms_port_transmit_bytes_total', id), 2 ** 53);
  t.equal(valueOf(s.parsed, 'librenms_port_receive_unicast_packets_total', id), Number(max64));
  t.equal(valueOf(s.parsed, 'librenms_port_speed_bytes', id), 50_000_000_000);
  t.equal(find(s.parsed, 'librenms_port_info', { hostname: LAB, ifName: 'ether2' })[0]?.labels['ifIndex'], '', 'an unsafe ifIndex is unknown');
  t.equal(find(s.parsed, 'librenms_port_info', { ifName: 'ether3' }).length, 0, 'a port of an unsafe device_id matches no device');
});

t.test('unknown ifOperStatus values and null (LibreNMS passing the raw column through)', async (t) => {
  const { double, exporter } = await setup(t, {}, { operStatusMode: 'raw' });
  const cases: [unknown, number | undefined][] = [
    ['bogus', undefined],
    ['UP', undefined],
    ['-1', undefined],
    [8, undefined],
    [0, undefined],
    ['', undefined],
    [null, undefined],
    ['__proto__', undefined],
    ['constructor', undefined],
    ['3', 3],
    [7, 7],
    ['lowerLayerDown', 7],
    ['dormant', 5],
    ['notPresent', 6],
  ];
  const ports = double.state.ports.filter((p) => p.deleted === 0 && p.disabled === 0 && p.device_id !== 5);
  t.ok(ports.length >= cases.length);
  cases.forEach(([value], i) => patchPort(double, ports[i]?.port_id ?? 0, { ifOperStatus: value, ifAdminStatus: value }));
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'oper status');
  const hostOf = (p: SimPort) => double.state.devices.find((d) => d.device_id === p.device_id)?.hostname ?? '';
  cases.forEach(([value, code], i) => {
    const port = ports[i];
    if (port === undefined) return;
    const id = { hostname: hostOf(port), ifName: port.ifName ?? '', ifIndex: String(port.ifIndex) };
    t.equal(valueOf(s.parsed, 'librenms_port_oper_status', id), code, `ifOperStatus ${JSON.stringify(value)} → ${code ?? 'left out'}`);
    t.equal(valueOf(s.parsed, 'librenms_port_up', id), code === undefined ? undefined : 0, 'librenms_port_up follows');
    t.equal(find(s.parsed, 'librenms_port_info', id).length, 1, 'the port itself stays');
  });
});

t.test('an unknown ifOperStatus that makes LibreNMS answer 500 (enum cast)', async (t) => {
  for (const strategy of ['bulk', 'per-device'] as const) {
    const { double, exporter, before } = await setup(t, { PORTS_STRATEGY: strategy }, { operStatusMode: 'enum-500' });
    patchPort(double, 9, { ifOperStatus: 'bogus' });
    const s = await scrapeWithin(exporter, 5);
    await checkOutput(t, s, strategy);
    t.equal(valueOf(s.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0, `${strategy}: ports collector 0`);
    t.equal(valueOf(s.parsed, 'librenms_up'), 1);
    // A bulk 5xx is read again device by device in the same refresh: only that device's read fails.
    // Per device, its rows of the last good read are served (and counted); after a bulk read there are none.
    t.ok(find(before.parsed, 'librenms_port_up', { hostname: SW }).length > 0, `${strategy}: the switch had ports`);
    const served = find(s.parsed, 'librenms_port_up', { hostname: SW }).length;
    if (strategy === 'bulk') t.equal(served, 0, 'bulk: only that device is missing');
    else t.equal(served, find(before.parsed, 'librenms_port_up', { hostname: SW }).length, 'per-device: its last good rows are served');
    t.equal(valueOf(s.parsed, 'librenms_exporter_ports_stale_devices'), strategy === 'bulk' ? 0 : 1, `${strategy}: served from an earlier read`);
    t.equal(valueOf(s.parsed, 'librenms_exporter_ports_unread_devices'), strategy === 'bulk' ? 1 : 0, `${strategy}: not served at all`);
    t.equal(valueOf(s.parsed, 'librenms_port_up', { hostname: LAB, ifName: 'ether1' }), 1);
    t.match(exporter.logText(), /HTTP 500 on \/(ports|devices\/:hostname\/ports): Server Error/);
  }
});

t.test('the same port twice, and two ports of one device with the same ifName', async (t) => {
  const { double, exporter } = await setup(t);
  const ether1 = double.state.ports.find((p) => p.port_id === 1) as SimPort;
  const ether2 = double.state.ports.find((p) => p.port_id === 2) as SimPort;
  double.state.ports.push(
    { ...ether1 }, // the same row twice
    { ...ether1, port_id: 901, ifAlias: 'same ifName and ifIndex, other port_id' },
    { ...ether1, port_id: 902, ifIndex: 99, ifAlias: 'same ifName, other ifIndex' },
    { ...ether2, port_id: 903, ifName: null, ifDescr: 'ether2', ifAlias: 'no ifName, ifDescr equal to a sibling ifName' },
    { ...ether2, port_id: 904, ifName: 'ether2\u0000', ifAlias: 'differs only by a control character' },
    { ...ether2, port_id: 905, ifName: 'ether2', ifIndex: '2' as unknown as number, ifAlias: 'ifIndex as a string' },
  );
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'duplicates');
  const ether1Info = find(s.parsed, 'librenms_port_info', { hostname: LAB, ifName: 'ether1' });
  t.same(
    ether1Info.map((x) => [x.labels['ifIndex'], x.labels['port_id'], x.labels['ifAlias']]).sort(),
    [
      ['1', '1', 'Host-Only network'],
      ['99', '902', 'same ifName, other ifIndex'],
    ],
    'ether1 once (the first row), and the other ifIndex as its own port',
  );
  t.same(
    find(s.parsed, 'librenms_port_info', { hostname: LAB, ifName: 'ether2' }).map((x) => x.labels['port_id']),
    ['2'],
    'every ether2 look-alike keeps the first',
  );
  t.equal(find(s.parsed, 'librenms_port_receive_bytes_total', { hostname: LAB, ifName: 'ether1', ifIndex: '1' }).length, 1);
});

t.test('very long aliases and names are cut at 256 characters', async (t) => {
  const { double, exporter } = await setup(t);
  const alias = `${'x'.repeat(255)}📡${'y'.repeat(10_000)}`;
  const longName = `${'n'.repeat(300)}`;
  patchPort(double, 1, { ifAlias: alias });
  patchPort(double, 2, { ifName: `${longName}A` });
  patchPort(double, 3, { ifName: `${longName}B`, ifIndex: 2 });
  patchDevice(double, 2, { sysName: 's'.repeat(5000), hardware: 'h'.repeat(1000) });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'long');
  const info = find(s.parsed, 'librenms_port_info', { hostname: LAB, ifIndex: '1' })[0];
  t.equal(info?.labels['ifAlias'], 'x'.repeat(255), 'cut without splitting the emoji');
  t.equal(
    find(s.parsed, 'librenms_port_info', { hostname: LAB, ifName: 'n'.repeat(256), ifIndex: '2' }).length,
    1,
    'two names equal in their first 256 characters (same ifIndex) give one port',
  );
  t.ok(s.raw.length < 200_000, 'the output stays small');
});

t.test('control characters and broken UTF-16 in text', async (t) => {
  const { double, exporter } = await setup(t);
  patchPort(double, 1, { ifAlias: 'a\u0000b\u0001c\td\re\nf\u007fg\u001bh\u2028i' });
  patchPort(double, 2, { ifAlias: 'lone \ud800 high, lone \udc00 low, pair 😀, reversed \udc00\ud800' });
  patchPort(double, 3, { ifName: '\u0007\u0008' });
  patchDevice(double, 1, { sysName: 'Mikro\u0000Tik', location: 'Lab\r\nRack "1" \\ A', os: 'routeros\u0085' });
  patchDevice(double, 2, { hostname: 'librenms.lab\u0000' });
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'control');
  t.equal(find(s.parsed, 'librenms_port_info', { hostname: LAB, ifIndex: '1' })[0]?.labels['ifAlias'], 'abcde\nfgh\u2028i');
  t.equal(
    find(s.parsed, 'librenms_port_info', { hostname: LAB, ifIndex: '2' })[0]?.labels['ifAlias'],
    'lone \ufffd high, lone \ufffd low, pair 😀, reversed \ufffd\ufffd',
  );
  t.equal(
    find(s.parsed, 'librenms_port_info', { hostname: LAB, ifIndex: '3' })[0]?.labels['ifName'],
    'ether3',
    'a name of only control characters falls back to ifDescr',
  );
  t.equal(find(s.parsed, 'librenms_device_info', { hostname: LAB })[0]?.labels['sysName'], 'MikroTik');
  t.equal(find(s.parsed, 'librenms_device_info', { hostname: LAB })[0]?.labels['location'], 'Lab\nRack "1" \\ A');
  t.equal(find(s.parsed, 'librenms_device_up', { hostname: 'librenms.lab' }).length, 1, 'a hostname with a NUL is cleaned, not dropped');
});

/** Starts the exporter against a raw stand-in serving `devices` and `ports` rows (bulk). */
async function rawSetup(t: Test, devices: Buffer | string, ports: Buffer | string): Promise<{ exporter: TestExporter }> {
  const raw = await startRawLibreNms({ '/api/v0/devices': devices, '/api/v0/ports': ports });
  const exporter = await startExporter({ LIBRENMS_URL: raw.url, LIBRENMS_TOKEN: raw.token, PORTS_STRATEGY: 'bulk', CACHE_TTL_SECONDS: '0' });
  t.teardown(async () => {
    await exporter.close();
    await raw.close();
  });
  return { exporter };
}

const device = (id: unknown, hostname: unknown, extra: Record<string, unknown> = {}) => ({ device_id: id, hostname, status: 1, disabled: 0, ...extra });
const port = (portId: unknown, deviceId: unknown, ifIndex: unknown, ifName: unknown, extra: Record<string, unknown> = {}) => ({
  port_id: portId,
  device_id: deviceId,
  ifIndex,
  ifName,
  ifOperStatus: 'up',
  ifInOctets: 100,
  deleted: 0,
  disabled: 0,
  ...extra,
});

t.test('missing fields', async (t) => {
  const devices = [
    { device_id: 1 }, // no hostname: skipped
    { hostname: 'no-id.lab' }, // no id: skipped
    { device_id: 2, hostname: 'bare.lab' }, // nothing else
    device(3, 'full.lab', { sysName: 'full', uptime: 50 }),
  ];
  const ports = [
    { device_id: 2 }, // only the device: ifName and ifIndex unknown
    { device_id: 3, ifDescr: 'eth0' },
    { device_id: 3, ifIndex: 5 },
    { port_id: 10, ifName: 'orphan', ifIndex: 1 }, // no device_id: skipped
    { port_id: 11, device_id: 1, ifName: 'of-a-skipped-device', ifIndex: 1 },
    {},
  ];
  const { exporter } = await rawSetup(t, envelope('devices', devices), envelope('ports', ports));
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'missing');
  t.same(
    find(s.parsed, 'librenms_device_info')
      .map((x) => x.labels['hostname'])
      .sort(),
    ['bare.lab', 'full.lab'],
  );
  t.equal(find(s.parsed, 'librenms_device_up', { hostname: 'bare.lab' }).length, 0, 'missing status is unknown');
  t.equal(find(s.parsed, 'librenms_device_info', { hostname: 'bare.lab', display: 'bare.lab' }).length, 1);
  t.same(
    find(s.parsed, 'librenms_port_info')
      .map((x) => `${x.labels['hostname']}|${x.labels['ifName'] ?? ''}|${x.labels['ifIndex'] ?? ''}`)
      .sort(),
    ['bare.lab||', 'full.lab|eth0|', 'full.lab||5'],
  );
  t.equal(valueOf(s.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
});

t.test('extra unknown fields (nested, credentials, __proto__) are ignored', async (t) => {
  const devices = [
    device(1, 'r1.lab', { community: LAB_COMMUNITY, authpass: 'p4ss', extra: { nested: [1, { deep: LAB_COMMUNITY }] }, sysName: 'r1' }),
    JSON.parse(`{"device_id":2,"hostname":"r2.lab","__proto__":{"sysName":"polluted"},"constructor":"x","status":true}`) as unknown,
  ];
  const ports = [
    port(1, 1, 1, 'eth0', { ifAlias: 'ok', unknownCounter: 5, vlans: [{ vlan: 1 }], community: LAB_COMMUNITY }),
    JSON.parse(`{"port_id":2,"device_id":2,"ifIndex":1,"ifName":"eth0","__proto__":{"ifAlias":"polluted"}}`) as unknown,
  ];
  const { exporter } = await rawSetup(t, envelope('devices', devices), envelope('ports', ports));
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'extra');
  t.equal(find(s.parsed, 'librenms_port_info').length, 2);
  t.equal(find(s.parsed, 'librenms_device_info', { hostname: 'r2.lab', sysName: '' }).length, 1, '__proto__ does not pollute');
  t.equal(valueOf(s.parsed, 'librenms_device_up', { hostname: 'r2.lab' }), 1, 'status true is up');
  t.notOk(s.text.includes(LAB_COMMUNITY), 'no community in the output');
  t.notOk(exporter.logText().includes(LAB_COMMUNITY), 'nor in the log');
  t.notOk(s.text.includes('polluted'));
});

t.test('two devices with one hostname, and hostnames equal after cleaning', async (t) => {
  const devices = [device(1, 'dup.lab'), device(2, 'dup.lab'), device(3, 'x.lab'), device(4, 'x.lab\u0001'), device(5, 5), device(6, '5')];
  const ports = [port(1, 1, 1, 'eth0'), port(2, 2, 1, 'eth0'), port(3, 3, 1, 'eth0'), port(4, 4, 1, 'eth0'), port(5, 5, 1, 'eth0'), port(6, 6, 1, 'eth0')];
  const { exporter } = await rawSetup(t, envelope('devices', devices), envelope('ports', ports));
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'dup hosts');
  t.same(
    find(s.parsed, 'librenms_device_up')
      .map((x) => x.labels['hostname'])
      .sort(),
    ['5', 'dup.lab', 'x.lab'],
  );
  t.equal(find(s.parsed, 'librenms_port_info').length, 3, 'ports of the dropped duplicates are left out');
  t.same(
    find(s.parsed, 'librenms_port_info')
      .map((x) => x.labels['port_id'])
      .sort(),
    ['1', '3', '5'],
    'the first of each wins',
  );
});

t.test('invalid UTF-8 bytes in text', async (t) => {
  const bad = (before: string, bytes: number[], after: string) => Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
  const json = (parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
  const devices = json([
    '{"status":"ok","devices":[{"device_id":1,"hostname":"',
    bad('r', [0xff, 0xfe], '1.lab'),
    '","sysName":"',
    bad('sys', [0xc0, 0xaf], 'name'), // overlong "/"
    '","location":"',
    bad('loc', [0xed, 0xa0, 0x80], 'x'), // a UTF-16 surrogate encoded in UTF-8
    '","status":1}]}',
  ]);
  const ports = json([
    '{"status":"ok","ports":[{"port_id":1,"device_id":1,"ifIndex":1,"ifName":"',
    bad('eth', [0xe2, 0x82], '0'), // a cut three-byte sequence
    '","ifAlias":"',
    bad('', [0x80, 0xc3, 0x28], ' tail'), // a lone continuation byte and a bad second byte
    '","ifOperStatus":"up","ifInOctets":5},{"port_id":2,"device_id":1,"ifIndex":2,"ifName":"',
    bad('eth', [0xf0, 0x9f, 0x98], '0'),
    '","ifOperStatus":"up"}]}',
  ]);
  const { exporter } = await rawSetup(t, devices, ports);
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'invalid UTF-8');
  const host = find(s.parsed, 'librenms_device_up')[0]?.labels['hostname'] ?? '';
  t.match(host, /^r\ufffd+1\.lab$/, 'invalid bytes become U+FFFD');
  t.equal(find(s.parsed, 'librenms_port_info').length, 2, 'both ports, still told apart');
  t.equal(find(s.parsed, 'librenms_port_receive_bytes_total', { hostname: host, ifIndex: '1' })[0]?.value, 5);
  t.equal(valueOf(s.parsed, 'librenms_up'), 1);
});

t.test('JSON escapes of control characters and surrogates, sent raw', async (t) => {
  const devices = '{"status":"ok","devices":[{"device_id":1,"hostname":"h\\u0000\\u001f.lab","sysName":"\\ud83d","status":"1"}]}';
  const ports =
    '{"status":"ok","ports":[{"port_id":1,"device_id":"1","ifIndex":"1","ifName":"\\udc00\\ud800","ifAlias":"tab\\there\\u2028\\u0085","ifOperStatus":"up"}]}';
  const { exporter } = await rawSetup(t, devices, ports);
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'escapes');
  t.equal(find(s.parsed, 'librenms_device_info', { hostname: 'h.lab', sysName: '\ufffd' }).length, 1);
  t.equal(find(s.parsed, 'librenms_port_info', { ifName: '\ufffd\ufffd', ifAlias: 'tabhere\u2028\u0085' }).length, 1);
});

t.test('a UTF-8 byte order mark and white space around the JSON are accepted', async (t) => {
  const devices = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelope('devices', [device(1, 'bom.lab')]))]);
  const ports = `\n\r\n  ${envelope('ports', [port(1, 1, 1, 'eth0')])}\n\n`;
  const { exporter } = await rawSetup(t, devices, ports);
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'bom');
  t.equal(valueOf(s.parsed, 'librenms_up'), 1);
  t.equal(valueOf(s.parsed, 'librenms_port_up', { hostname: 'bom.lab', ifName: 'eth0' }), 1);
});

t.test('row values of every JSON type in every field', async (t) => {
  const odd: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, '', ' ', 'x', [], [1], {}, { a: 1 }, '1e21', '9'.repeat(400)];
  const fields = [
    'device_id',
    'hostname',
    'sysName',
    'display',
    'os',
    'hardware',
    'version',
    'location',
    'type',
    'status',
    'disabled',
    'uptime',
    'last_polled',
    'last_polled_timetaken',
  ];
  const devices: unknown[] = [device(1, 'anchor.lab')];
  odd.forEach((value, i) => {
    for (const field of fields) devices.push({ ...device(100 + i, `d${i}-${field}.lab`), [field]: value });
  });
  const portFields = [
    'port_id',
    'device_id',
    'ifIndex',
    'ifName',
    'ifDescr',
    'ifAlias',
    'ifType',
    'ifSpeed',
    'ifMtu',
    'ifOperStatus',
    'ifAdminStatus',
    'ifLastChange',
    'ifInOctets',
    'poll_time',
    'disabled',
    'deleted',
  ];
  const ports: unknown[] = [...odd];
  odd.forEach((value, i) => {
    for (const [j, field] of portFields.entries()) ports.push({ ...port(1000 + i * 100 + j, 1, i * 100 + j, `p${i}-${field}`), [field]: value });
  });
  const { exporter } = await rawSetup(t, envelope('devices', devices), envelope('ports', ports));
  const s = await scrapeWithin(exporter, 5);
  await checkOutput(t, s, 'every type');
  t.ok(find(s.parsed, 'librenms_port_info', { hostname: 'anchor.lab' }).length > 100, 'most ports survive');
  t.equal(valueOf(s.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1);
});
