/**
 * Property-based: random LibreNMS payloads (device and port rows with arbitrary JSON values in every
 * field, arbitrary unicode text, rows that are not objects, unknown extra fields) through mapping and
 * rendering. Whatever LibreNMS sends, the output parses strictly, has unique series identities, clean
 * label text and finite values; on a few larger samples, promtool finds nothing.
 */
import t from 'tap';
import fc from 'fast-check';
import { renderDevices } from '../src/collectors/devices.js';
import { renderPorts } from '../src/collectors/ports.js';
import { mapDevices, type DeviceRecord } from '../src/mapping/devices.js';
import { mapPorts, type PortRecord } from '../src/mapping/ports.js';
import { composeFamilies } from '../src/metrics/exposition.js';
import { parseExposition } from './helpers/exposition.js';
import { identityProblems } from './helpers/harness.js';
import { promtoolCheckMetrics } from './helpers/promtool.js';

const NUM_RUNS = Number(process.env['PROPERTY_RUNS'] ?? 1000);

// --- arbitraries -------------------------------------------------------------------------------

/** Text meant to hurt: exposition syntax, escapes, controls, broken surrogates, emoji. */
const nasty = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', '\n', '\r', '\t', '\\', '"', '{', '}', '=', ',', '#', '\u0000', '\u001f', '\u007f', '\u0085', '\u2028', '\ud800', '\udc00', '😀', 'ก', '\ufeff'),
  maxLength: 20,
});
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  nasty,
  fc.string({ unit: 'grapheme-ascii', minLength: 250, maxLength: 300 }),
  fc.constantFrom('', ' ', 'up', 'down', 'NaN', 'Infinity', '-1', '1e400', '0x10', '{{ $sysName }}', '__proto__', 'constructor'),
);
const numberish = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }).map(String),
  fc.integer().map(String),
  fc.double().map((d) => ` ${String(d)} `),
  fc.constantFrom(0, -0, 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, 5e-324, '18446744073709551615', '1.0', '+5', '.5', '5.', '1e3'),
);
const anyJson = fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' });
const field = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 3, arbitrary: numberish },
  { weight: 2, arbitrary: anyJson },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
);
const flag = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, true, false, '0', '1') }, { weight: 1, arbitrary: field });
const extraFields = fc.dictionary(fc.string({ maxLength: 8 }), field, { maxKeys: 3 });

const deviceRow = fc
  .tuple(
    fc.record(
      {
        device_id: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom('1', '2', '3.0', 1.5) }, { weight: 1, arbitrary: field }),
        hostname: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'a\u0000', 'A', '10.0.0.1', 'x'.repeat(300)) }, { weight: 3, arbitrary: text }, { weight: 1, arbitrary: field }),
        sysName: field,
        display: fc.oneof(field, fc.constantFrom('{{ $sysName }}', '', ' ', 'Nice Name')),
        os: field,
        hardware: field,
        version: field,
        location: fc.oneof(field, fc.record({ location: field }, { requiredKeys: [] })),
        type: field,
        status: flag,
        disabled: flag,
        uptime: fc.oneof(numberish, field),
        last_polled: fc.oneof(fc.constantFrom('2026-08-14 10:05:07', '2026-08-14T10:05:07.000000Z', '2026-03-29 02:30:00', '1970-01-01 00:00:00', '0000-00-00 00:00:00'), field),
        last_polled_timetaken: fc.oneof(numberish, field),
        community: fc.constant('never-exported-community'),
      },
      { requiredKeys: [] },
    ),
    extraFields,
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

const portRow = fc
  .tuple(
    fc.record(
      {
        port_id: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: field }),
        device_id: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom('1', '2.0') }, { weight: 1, arbitrary: field }),
        ifIndex: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -2, max: 8 }) }, { weight: 1, arbitrary: fc.constantFrom('1', '1.0', 1.5, 2 ** 53 + 2) }, { weight: 1, arbitrary: field }),
        ifName: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('eth0', 'eth1', 'eth0\u0000', '', 'Gi1/0/1') }, { weight: 3, arbitrary: text }, { weight: 1, arbitrary: field }),
        ifDescr: fc.oneof(fc.constantFrom('eth0', 'eth1', ''), text, field),
        ifAlias: fc.oneof(text, field),
        ifType: fc.oneof(fc.constantFrom('ethernetCsmacd', 'propVirtual'), field),
        ifSpeed: fc.oneof(numberish, field),
        ifMtu: fc.oneof(numberish, field),
        ifOperStatus: fc.oneof(fc.constantFrom('up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown', 'UP', '-1', 1, 8, '__proto__'), field),
        ifAdminStatus: fc.oneof(fc.constantFrom('up', 'down', 'testing', 3), field),
        ifLastChange: fc.oneof(numberish, field),
        ifInOctets: fc.oneof(numberish, field),
        ifOutOctets: fc.oneof(numberish, field),
        ifInUcastPkts: fc.oneof(numberish, field),
        ifOutUcastPkts: fc.oneof(numberish, field),
        ifInErrors: fc.oneof(numberish, field),
        ifOutErrors: fc.oneof(numberish, field),
        poll_time: fc.oneof(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), numberish, field),
        disabled: flag,
        deleted: flag,
      },
      { requiredKeys: [] },
    ),
    extraFields,
  )
  .map(([known, extra]) => ({ ...extra, ...known }));

/** A list of rows, a few of which are not objects at all. */
const rows = <T>(row: fc.Arbitrary<T>, maxLength: number) => fc.array(fc.oneof({ weight: 12, arbitrary: row }, { weight: 1, arbitrary: field }), { maxLength });

const payload = (maxDevices: number, maxPorts: number) =>
  fc.record({
    devices: rows(deviceRow, maxDevices),
    ports: rows(portRow, maxPorts),
    includeDisabledDevices: fc.boolean(),
    includeDisabledPorts: fc.boolean(),
    timeZone: fc.constantFrom('UTC', 'Europe/Amsterdam', 'Asia/Bangkok', 'America/St_Johns'),
    /** Send the rows over the wire (JSON text and back) or hand over the values as generated. */
    viaJson: fc.boolean(),
  });

interface Payload {
  readonly devices: unknown[];
  readonly ports: unknown[];
  readonly includeDisabledDevices: boolean;
  readonly includeDisabledPorts: boolean;
  readonly timeZone: string;
  readonly viaJson: boolean;
}

// --- the pipeline under test ---------------------------------------------------------------------

interface Output {
  devices: DeviceRecord[];
  ports: PortRecord[];
  bytes: Buffer;
}

function run(p: Payload): Output {
  const wire = (value: unknown[]): unknown[] => (p.viaJson ? (JSON.parse(JSON.stringify(value)) as unknown[]) : value);
  const devices = mapDevices(wire(p.devices), { includeDisabled: p.includeDisabledDevices, timeZone: p.timeZone });
  const ports = mapPorts(wire(p.ports), new Map(devices.map((d) => [d.deviceId, d])), { includeDisabled: p.includeDisabledPorts });
  const bytes = Buffer.concat(composeFamilies([renderDevices(devices).finish(), renderPorts(devices, ports).finish()]));
  return { devices, ports, bytes };
}

const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every invariant of one output; throws with a readable reason (fast-check then shrinks the input). */
function check({ devices, ports, bytes }: Output): void {
  const textOut = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on invalid UTF-8
  const parsed = parseExposition(textOut); // throws on anything Prometheus would reject, duplicates included
  const problems = identityProblems(parsed);
  if (problems.length > 0) throw new Error(`identity: ${problems.join('; ')}`);
  const hostnames = new Set<string>();
  for (const s of parsed.samples) {
    if (!Number.isFinite(s.value)) throw new Error(`${s.name} has value ${s.value}`);
    for (const [name, value] of Object.entries(s.labels)) {
      if (UNSAFE.test(value)) throw new Error(`${s.name} label ${name} has unsafe text ${JSON.stringify(value)}`);
      if (value.length > 256) throw new Error(`${s.name} label ${name} is ${value.length} characters long`);
    }
    if (s.name === 'librenms_device_info') hostnames.add(s.labels['hostname'] ?? '');
  }
  for (const s of parsed.samples) {
    const host = s.labels['hostname'];
    if (host === undefined || host === '') throw new Error(`${s.name} without hostname`);
    if (!hostnames.has(host)) throw new Error(`${s.name} of unknown device ${JSON.stringify(host)}`);
  }
  const count = (name: string) => parsed.samples.filter((s) => s.name === name).length;
  if (count('librenms_device_info') !== devices.length) throw new Error(`${devices.length} devices but ${count('librenms_device_info')} info series`);
  if (count('librenms_port_info') !== ports.length) throw new Error(`${ports.length} ports but ${count('librenms_port_info')} info series`);
  if (textOut.includes('never-exported-community')) throw new Error('a credential field reached the output');
}

t.test('any LibreNMS payload gives a valid exposition with unique series', async (t) => {
  let nonEmpty = 0;
  let portsSeen = 0;
  fc.assert(
    fc.property(payload(10, 25), (p) => {
      const out = run(p);
      check(out);
      if (out.ports.length > 0) nonEmpty++;
      portsSeen += out.ports.length;
    }),
    { numRuns: NUM_RUNS },
  );
  // The generator must reach the interesting cases, or the property proves little.
  t.ok(nonEmpty > NUM_RUNS / 4, `${nonEmpty} of ${NUM_RUNS} runs had ports (${portsSeen} ports in all)`);
});

t.test('well-formed rows with arbitrary unicode text: nothing valid is lost', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ hostname: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), sysName: fc.string({ unit: 'binary' }) }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.record({ ifName: fc.string({ unit: 'binary', maxLength: 40 }), ifAlias: fc.string({ unit: 'binary', maxLength: 300 }), ifIndex: fc.integer({ min: 0, max: 1_000_000 }) }), { maxLength: 12 }),
      (deviceTexts, portTexts) => {
        const deviceRows = deviceTexts.map((d, i) => ({ device_id: i + 1, status: 1, disabled: 0, ...d }));
        const portRows = portTexts.map((p, i) => ({ port_id: i + 1, device_id: 1, ifOperStatus: 'up', ifInOctets: i, deleted: 0, disabled: 0, ...p }));
        const out = run({ devices: deviceRows, ports: portRows, includeDisabledDevices: false, includeDisabledPorts: false, timeZone: 'UTC', viaJson: true });
        check(out);
        // A device is dropped only when its cleaned hostname is empty or taken by an earlier one.
        const cleaned = new Set<string>();
        let expected = 0;
        for (const d of deviceTexts) {
          const h = clean(d.hostname);
          if (h !== '' && !cleaned.has(h)) expected++;
          cleaned.add(h);
        }
        if (out.devices.length !== expected) throw new Error(`expected ${expected} devices, got ${out.devices.length}`);
        if (out.devices[0]?.deviceId === 1) {
          const identities = new Set(portTexts.map((p) => `${clean(p.ifName)}\u0000${p.ifIndex}`));
          if (out.ports.length !== identities.size) throw new Error(`expected ${identities.size} ports, got ${out.ports.length}`);
        }
      },
    ),
    { numRuns: NUM_RUNS },
  );
  t.pass('held');
});

/** The label cleaning as documented: controls dropped, broken UTF-16 to U+FFFD, 256 characters at most. */
function clean(value: string): string {
  let out = value.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (out.length > 256) {
    out = out.slice(0, 256);
    if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
  }
  return out;
}

t.test('promtool finds nothing on a sample of large random payloads', async (t) => {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(payload(40, 120), async (p) => {
      const out = run(p);
      check(out);
      const lint = await promtoolCheckMetrics(out.bytes);
      if (lint.findings.length > 0) throw new Error(`promtool: ${lint.findings.join('; ')}`);
      checked++;
    }),
    { numRuns: 5, endOnFailure: true },
  );
  t.equal(checked, 5, 'five payloads through promtool');
});
