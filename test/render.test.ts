import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Counter, Gauge, Registry } from 'prom-client';
import t from 'tap';
import { DEVICE_FAMILIES, PORT_FAMILIES } from '../src/exposition/catalog.js';
import { escapeLabelValue, formatValue, writeValue } from '../src/exposition/writer.js';
import { mapDevices } from '../src/mapping/devices.js';
import { mapPorts } from '../src/mapping/ports.js';
import { parseExposition, seriesKey } from './helpers/exposition.js';
import { lintExposition } from './helpers/lint.js';
import { devicesAndPortsText } from './helpers/render.js';

const fixture = (name: string): unknown[] =>
  Object.values(JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>).find(Array.isArray) as unknown[];

const devices = mapDevices(fixture('devices.json'), { includeDisabled: false, timeZone: 'UTC' });
const ports = mapPorts(fixture('ports.json'), new Map(devices.map((d) => [d.deviceId, d])), { includeDisabled: true });

function fastRendering(): string {
  return devicesAndPortsText(devices, ports);
}

/** The same samples through prom-client, a straightforward independent writer. */
async function referenceRendering(): Promise<string> {
  const registry = new Registry();
  const metric = (name: string, labels: readonly string[], type: string) =>
    type === 'counter'
      ? new Counter({ name, help: 'x', labelNames: [...labels], registers: [registry] })
      : new Gauge({ name, help: 'x', labelNames: [...labels], registers: [registry] });
  const byName = new Map([...DEVICE_FAMILIES, ...PORT_FAMILIES].map((f) => [f.name, metric(f.name, f.labels, f.type)]));
  const set = (name: string, labels: Record<string, string>, value: number | undefined): void => {
    if (value === undefined) return;
    const m = byName.get(name as never);
    if (m instanceof Counter) m.inc(labels, value);
    else (m as Gauge).set(labels, value);
  };
  for (const d of devices) {
    set(
      'librenms_device_info',
      {
        hostname: d.hostname,
        sysName: d.sysName,
        display: d.display,
        os: d.os,
        hardware: d.hardware,
        version: d.version,
        location: d.location,
        device_type: d.deviceType,
      },
      1,
    );
    set('librenms_device_up', { hostname: d.hostname }, d.up);
    set('librenms_device_uptime_seconds', { hostname: d.hostname }, d.uptimeSeconds);
    set('librenms_device_poll_duration_seconds', { hostname: d.hostname }, d.pollDurationSeconds);
    set('librenms_device_ping_seconds', { hostname: d.hostname }, d.pingSeconds);
    if (d.up === 0 && d.statusReason !== '') set('librenms_device_down_reason_info', { hostname: d.hostname, reason: d.statusReason }, 1);
    set('librenms_device_ignored', { hostname: d.hostname }, d.ignored === undefined ? undefined : Number(d.ignored));
    set('librenms_device_notify_disabled', { hostname: d.hostname }, d.notifyDisabled === undefined ? undefined : Number(d.notifyDisabled));
    set('librenms_device_last_polled_timestamp_seconds', { hostname: d.hostname }, d.lastPolledSeconds);
  }
  for (const p of ports) {
    const id = { hostname: p.device.hostname, ifName: p.ifName, ifIndex: p.ifIndex };
    set('librenms_port_info', { ...id, ifDescr: p.ifDescr, ifAlias: p.ifAlias, ifType: p.ifType, port_id: String(p.portId) }, 1);
    set('librenms_port_up', id, p.operStatus === undefined ? undefined : Number(p.operStatus === 1));
    set('librenms_port_oper_status', id, p.operStatus);
    set('librenms_port_admin_status', id, p.adminStatus);
    set('librenms_port_speed_bytes', id, p.speedBytes);
    set('librenms_port_mtu_bytes', id, p.mtuBytes);
    set('librenms_port_last_polled_timestamp_seconds', id, p.pollTime);
    const uptime = p.device.uptimeSeconds;
    const ticks = p.ifLastChangeTicks;
    set(
      'librenms_port_last_change_timestamp_seconds',
      id,
      ticks !== undefined && ticks > 0 && uptime !== undefined && p.pollTime !== undefined && uptime - ticks / 100 >= 0
        ? Math.round(p.pollTime - (uptime - ticks / 100))
        : undefined,
    );
    set('librenms_port_receive_bytes_total', id, p.receiveBytes);
    set('librenms_port_transmit_bytes_total', id, p.transmitBytes);
    set('librenms_port_receive_unicast_packets_total', id, p.receiveUnicastPackets);
    set('librenms_port_transmit_unicast_packets_total', id, p.transmitUnicastPackets);
    set('librenms_port_receive_errors_total', id, p.receiveErrors);
    set('librenms_port_transmit_errors_total', id, p.transmitErrors);
    set('librenms_port_receive_bytes_per_second', id, p.receiveBytesPerSecond);
    set('librenms_port_transmit_bytes_per_second', id, p.transmitBytesPerSecond);
    set('librenms_port_duplex', id, p.duplex);
    set('librenms_port_ignored', id, p.ignored === undefined ? undefined : Number(p.ignored));
  }
  return registry.metrics();
}

t.test('the fast writer gives the same samples as a reference rendering, escaping included', async (t) => {
  const fast = parseExposition(fastRendering());
  const reference = parseExposition(await referenceRendering());
  const asMap = (samples: typeof fast.samples) => new Map(samples.map((s) => [seriesKey(s), s.value]));
  t.same(asMap(fast.samples), asMap(reference.samples));
  t.ok(fast.samples.length > 30, `${fast.samples.length} samples`);
  for (const [name, type] of fast.types) t.equal(type, [...DEVICE_FAMILIES, ...PORT_FAMILIES].find((f) => f.name === name)?.type, `${name} type`);
});

t.test("promtool's lints (in process) find nothing in the fast rendering", async (t) => {
  // The real promtool runs on the same rendering in test/stack/promtool-metrics.test.ts.
  t.same(lintExposition(fastRendering()), [], 'no findings but the accepted camelCase label lint');
  // Deliberately bad, so not saved for the real promtool (capture: false).
  t.match(
    lintExposition('# TYPE x_total counter\nx_total{a="1"} 1\nx_total{a="1"} 2\n', { capture: false }),
    [/duplicate series/],
    'a duplicate series is reported',
  );
  t.same(
    lintExposition('# TYPE bad_requests counter\nbad_requests 1\n', { capture: false }),
    ['bad_requests counter metrics should have "_total" suffix', 'bad_requests no help text'],
    'lint problems are reported',
  );
});

t.test('escaping of label values and numbers', async (t) => {
  t.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  t.equal(escapeLabelValue('ลิงก์หลัก'), 'ลิงก์หลัก');
  t.equal(formatValue(9288475012345678), '9288475012345678');
  t.equal(formatValue(1e21), '1e+21');
  t.equal(Number(formatValue(2 ** 53 + 2)), 2 ** 53 + 2, 'above 2^53 the float64 round-trips exactly');
  const text = fastRendering();
  t.match(text, /ifAlias="uplink \\"core\\" \\\\ rtr1\\nline2 — ลิงก์หลัก"/, 'quotes, backslash, newline and Thai in ifAlias');
  t.match(text, /librenms_port_receive_bytes_total\{hostname="core-sw1.example.net",ifName="Te1\/1\/1",ifIndex="10101"\} 9288475012345678\n/);
});

t.test('values written as bytes are exactly formatValue()', async (t) => {
  const target = Buffer.alloc(64, 0x78);
  const written = (v: number): string => target.toString('latin1', 0, writeValue(target, 0, v));
  const edges = [
    0,
    -0,
    1,
    9,
    10,
    99,
    100,
    -1,
    -10,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    99_999_999,
    100_000_000,
    100_000_001,
    1e15,
    9_007_199_254_740_991,
    -9_007_199_254_740_991,
  ];
  const others = [
    2 ** 53,
    2 ** 53 + 2,
    9288475012345678,
    2 ** 64,
    1e21,
    0.5,
    0.0005200000000000001,
    -1.5e-7,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
    NaN,
    Infinity,
    -Infinity,
  ];
  for (const v of [...edges, ...others]) t.equal(written(v), formatValue(v), `${formatValue(v)}`);
  fc.assert(
    fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.double(), fc.nat({ max: 1e9 })), (v) => written(v) === formatValue(v)),
    { numRuns: 20_000 },
  );
});

t.test('unknown values are left out, never 0', async (t) => {
  const parsed = parseExposition(fastRendering());
  const has = (name: string, ifName: string) => parsed.samples.some((s) => s.name === name && s.labels['ifName'] === ifName);
  t.notOk(has('librenms_port_receive_bytes_total', 'Vl1'), 'null counter absent');
  t.notOk(has('librenms_port_up', 'Vl2'), 'null oper status: no port_up');
  t.notOk(has('librenms_port_admin_status', 'Vl2'), '"-1" admin status absent');
  t.ok(has('librenms_port_up', 'Vl1'));
  t.notOk(parsed.samples.some((s) => s.name === 'librenms_device_uptime_seconds' && s.labels['hostname'] === '192.168.56.10'));
});
