/**
 * Random LibreNMS payloads for property tests (device and port rows with arbitrary JSON values in every
 * field, arbitrary unicode text, rows that are not objects, unknown extra fields) and the pipeline
 * they go through (mapping, rendering). Shared by test/property.test.ts and the stack lane's promtool
 * test, which runs the real promtool on a few of them.
 */
import fc from 'fast-check';
import { type DeviceRecord, mapDevices } from '../../src/mapping/devices.js';
import { mapPorts, type PortRecord } from '../../src/mapping/ports.js';
import { devicesAndPortsText } from './render.js';

// --- arbitraries -------------------------------------------------------------------------------

/** Text meant to hurt: exposition syntax, escapes, controls, broken surrogates, emoji. */
const nasty = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    '\n',
    '\r',
    '\t',
    '\\',
    '"',
    '{',
    '}',
    '=',
    ',',
    '#',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u2028',
    '\ud800',
    '\udc00',
    '😀',
    'ก',
    '\ufeff',
  ),
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
        device_id: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) },
          { weight: 1, arbitrary: fc.constantFrom('1', '2', '3.0', 1.5) },
          { weight: 1, arbitrary: field },
        ),
        hostname: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'a\u0000', 'A', '10.0.0.1', 'x'.repeat(300)) },
          { weight: 3, arbitrary: text },
          { weight: 1, arbitrary: field },
        ),
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
        last_polled: fc.oneof(
          fc.constantFrom('2026-08-14 10:05:07', '2026-08-14T10:05:07.000000Z', '2026-03-29 02:30:00', '1970-01-01 00:00:00', '0000-00-00 00:00:00'),
          field,
        ),
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
        device_id: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }) },
          { weight: 1, arbitrary: fc.constantFrom('1', '2.0') },
          { weight: 1, arbitrary: field },
        ),
        ifIndex: fc.oneof(
          { weight: 4, arbitrary: fc.integer({ min: -2, max: 8 }) },
          { weight: 1, arbitrary: fc.constantFrom('1', '1.0', 1.5, 2 ** 53 + 2) },
          { weight: 1, arbitrary: field },
        ),
        ifName: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom('eth0', 'eth1', 'eth0\u0000', '', 'Gi1/0/1') },
          { weight: 3, arbitrary: text },
          { weight: 1, arbitrary: field },
        ),
        ifDescr: fc.oneof(fc.constantFrom('eth0', 'eth1', ''), text, field),
        ifAlias: fc.oneof(text, field),
        ifType: fc.oneof(fc.constantFrom('ethernetCsmacd', 'propVirtual'), field),
        ifSpeed: fc.oneof(numberish, field),
        ifMtu: fc.oneof(numberish, field),
        ifOperStatus: fc.oneof(
          fc.constantFrom('up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown', 'UP', '-1', 1, 8, '__proto__'),
          field,
        ),
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

export const payload = (maxDevices: number, maxPorts: number) =>
  fc.record({
    devices: rows(deviceRow, maxDevices),
    ports: rows(portRow, maxPorts),
    includeDisabledDevices: fc.boolean(),
    includeDisabledPorts: fc.boolean(),
    timeZone: fc.constantFrom('UTC', 'Europe/Amsterdam', 'Asia/Bangkok', 'America/St_Johns'),
    /** Send the rows over the wire (JSON text and back) or hand over the values as generated. */
    viaJson: fc.boolean(),
  });

export interface Payload {
  readonly devices: unknown[];
  readonly ports: unknown[];
  readonly includeDisabledDevices: boolean;
  readonly includeDisabledPorts: boolean;
  readonly timeZone: string;
  readonly viaJson: boolean;
}

// --- the pipeline under test ---------------------------------------------------------------------

export interface Output {
  devices: DeviceRecord[];
  ports: PortRecord[];
  bytes: Buffer;
}

export function run(p: Payload): Output {
  const wire = (value: unknown[]): unknown[] => (p.viaJson ? (JSON.parse(JSON.stringify(value)) as unknown[]) : value);
  const devices = mapDevices(wire(p.devices), { includeDisabled: p.includeDisabledDevices, timeZone: p.timeZone });
  const ports = mapPorts(wire(p.ports), new Map(devices.map((d) => [d.deviceId, d])), { includeDisabled: p.includeDisabledPorts });
  const bytes = Buffer.from(devicesAndPortsText(devices, ports), 'utf8');
  return { devices, ports, bytes };
}
