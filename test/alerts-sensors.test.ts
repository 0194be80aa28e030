/**
 * The alerts and sensors collectors (issue 8): mapping with fixtures, rendering, and against the double.
 */
import t, { type Test } from 'tap';
import { type DoubleOptions, type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { alertsCollector, writeAlerts } from '../src/collectors/alerts.js';
import type { CollectorInput } from '../src/collectors/collector.js';
import { sensorsCollector, writeSensors } from '../src/collectors/sensors.js';
import { loadConfig } from '../src/config/env.js';
import { ALERT_FAMILIES, SENSOR_FAMILIES } from '../src/exposition/catalog.js';
import { Inventory } from '../src/inventory/inventory.js';
import { clientOptions, LibreNmsClient } from '../src/librenms/client.js';
import { createLogger } from '../src/logger.js';
import { ALERT_STATE_NAMES, alertStateName, mapAlerts } from '../src/mapping/alerts.js';
import { mapDevices } from '../src/mapping/devices.js';
import { mapSensors } from '../src/mapping/sensors.js';
import { find, type ParsedExposition, parseExposition, valueOf } from './helpers/exposition.js';
import { lintExposition } from './helpers/lint.js';
import { rendered, renderText, runCollector, textOf } from './helpers/render.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

const DEVICE_ROWS = [
  { device_id: 1, hostname: '192.168.56.10', sysName: 'MikroTik', display: 'MikroTik-Lab-Router', status: 1, disabled: 0 },
  { device_id: '3', hostname: 'sw-core-01.lab', sysName: 'sw-core-01', status: '1', disabled: '0' },
  { device_id: 5, hostname: 'old-fw-01.lab', sysName: 'old-fw-01', status: 1, disabled: 1 },
];
const devices = mapDevices(DEVICE_ROWS, { includeDisabled: false, timeZone: 'UTC' });
const ROUTER = '192.168.56.10';
const SWITCH = 'sw-core-01.lab';

/** Rows as LibreNMS 25.3+ sends them, plus old string-typed and pre-25.3 rows and garbage. */
const ALERT_ROWS: unknown[] = [
  { hostname: ROUTER, id: 1, device_id: 1, rule_id: 1, state: 1, severity: 'critical', name: 'Devices up/down' },
  { hostname: SWITCH, id: 2, device_id: 3, rule_id: 2, state: 2, severity: 'warning', name: 'Port utilisation over threshold' },
  // Old LibreNMS: numbers as strings, no rule name.
  { hostname: SWITCH, id: '3', device_id: '3', rule_id: '7', state: '3', severity: 'critical' },
  // Pre-25.3 with a null name: rule_<id>.
  { hostname: SWITCH, id: 4, device_id: 3, rule_id: 8, state: 4, severity: 'warning', name: null },
  { hostname: SWITCH, id: 5, device_id: 3, rule_id: 9, state: 5, severity: 'warning', name: '  Sensor over limit ' },
  // A duplicate identity (same hostname, rule, severity, state): one series.
  { hostname: ROUTER, id: 6, device_id: 1, rule_id: 1, state: 1, severity: 'critical', name: 'Devices up/down' },
  // Recovered, unknown and garbage states are not open alerts.
  { hostname: ROUTER, id: 7, device_id: 1, rule_id: 3, state: 0, severity: 'critical', name: 'Recovered' },
  { hostname: ROUTER, id: 8, device_id: 1, rule_id: 4, state: 6, severity: 'critical', name: 'Unknown state' },
  { hostname: ROUTER, id: 9, device_id: 1, rule_id: 5, state: null, severity: 'critical', name: 'Null state' },
  { hostname: ROUTER, id: 10, device_id: 1, rule_id: 6, state: 'ACTIVE', severity: 'critical', name: 'Text state' },
  // Devices not selected (disabled, unknown): left out.
  { hostname: 'old-fw-01.lab', id: 11, device_id: 5, rule_id: 1, state: 1, severity: 'critical', name: 'Devices up/down' },
  { hostname: 'ghost.lab', id: 12, device_id: 99, rule_id: 1, state: 1, severity: 'critical', name: 'Devices up/down' },
  // No device_id: joined by hostname.
  { hostname: ROUTER, id: 13, rule_id: 10, state: 2, severity: 'warning', name: 'Joined by hostname' },
  // A control character and a quote in the rule name.
  { hostname: ROUTER, id: 14, device_id: 1, rule_id: 11, state: 1, severity: 'warning', name: 'CPU "high"\u0007 load' },
  null,
  'garbage',
  42,
];

const SENSOR_ROWS: unknown[] = [
  {
    sensor_id: 1,
    sensor_deleted: 0,
    sensor_class: 'temperature',
    device_id: 3,
    sensor_index: '1008',
    sensor_descr: 'Switch 1 - Inlet Temp Sensor',
    sensor_current: 31.5,
    sensor_limit: 56,
    sensor_limit_warn: 46,
    sensor_limit_low: 0,
    sensor_limit_low_warn: null,
  },
  {
    sensor_id: 2,
    sensor_deleted: 0,
    sensor_class: 'dbm',
    device_id: 3,
    sensor_index: '1037',
    sensor_descr: 'Te1/1/1 Receive Power',
    sensor_current: -3.42,
    sensor_limit: 2,
    sensor_limit_warn: 0.5,
    sensor_limit_low: -14.4,
    sensor_limit_low_warn: -12.4,
  },
  // Old LibreNMS: everything as strings.
  {
    sensor_id: '3',
    sensor_deleted: '0',
    sensor_class: 'voltage',
    device_id: '3',
    sensor_index: '1012',
    sensor_descr: 'PSU1 12V Output',
    sensor_current: '12.05',
    sensor_limit: '12.6',
    sensor_limit_warn: '12.4',
    sensor_limit_low: '11.4',
    sensor_limit_low_warn: '11.6',
  },
  // Unknown current value and no limits: nothing exported for it except nothing (left out, not 0).
  {
    sensor_id: 4,
    sensor_deleted: 0,
    sensor_class: 'fanspeed',
    device_id: 1,
    sensor_index: 7,
    sensor_descr: 'Fan 1',
    sensor_current: null,
    sensor_limit: null,
    sensor_limit_warn: '',
    sensor_limit_low: 'NaN',
    sensor_limit_low_warn: null,
  },
  // Deleted sensor.
  {
    sensor_id: 5,
    sensor_deleted: 1,
    sensor_class: 'fanspeed',
    device_id: 3,
    sensor_index: '1020',
    sensor_descr: 'Fan 2 (removed)',
    sensor_current: 0,
    sensor_limit_low: 1000,
  },
  { sensor_id: 6, sensor_deleted: true, sensor_class: 'fanspeed', device_id: 3, sensor_index: '1021', sensor_descr: 'Fan 3 (removed)', sensor_current: 0 },
  // Duplicate sensor_id (dropped), and the same class, descr and index under another id (kept: keyed by sensor_id).
  { sensor_id: 1, sensor_deleted: 0, sensor_class: 'temperature', device_id: 3, sensor_index: '9999', sensor_descr: 'dup id', sensor_current: 1 },
  {
    sensor_id: 7,
    sensor_deleted: 0,
    sensor_class: 'temperature',
    device_id: 3,
    sensor_index: '1008',
    sensor_descr: 'Switch 1 - Inlet Temp Sensor',
    sensor_current: 99,
  },
  // Same class and index, another descr (another sensor_type in LibreNMS): a distinct series.
  {
    sensor_id: 8,
    sensor_deleted: 0,
    sensor_class: 'temperature',
    device_id: 3,
    sensor_index: '1008',
    sensor_descr: 'Switch 1 - Hotspot',
    sensor_current: 40.25,
  },
  // Devices not selected.
  { sensor_id: 9, sensor_deleted: 0, sensor_class: 'temperature', device_id: 5, sensor_index: '1', sensor_descr: 'CPU', sensor_current: 50 },
  { sensor_id: 10, sensor_deleted: 0, sensor_class: 'temperature', device_id: 99, sensor_index: '1', sensor_descr: 'CPU', sensor_current: 50 },
  // No class: no identity.
  { sensor_id: 11, sensor_deleted: 0, sensor_class: null, device_id: 1, sensor_index: '1', sensor_descr: 'What', sensor_current: 1 },
  // Below zero temperature and a zero value: both valid.
  {
    sensor_id: 12,
    sensor_deleted: 0,
    sensor_class: 'temperature',
    device_id: 1,
    sensor_index: '2',
    sensor_descr: 'Outdoor',
    sensor_current: -12.5,
    sensor_limit: 45,
    sensor_limit_low: -20,
  },
  { sensor_id: 13, sensor_deleted: 0, sensor_class: 'current', device_id: 1, sensor_index: '3', sensor_descr: 'PoE out', sensor_current: 0 },
  null,
  [],
];

async function checkExposition(t: Test, text: string): Promise<ParsedExposition> {
  const parsed = parseExposition(text);
  t.same(lintExposition(text), [], "promtool's lints find nothing");
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Alerts: mapping and rendering

t.test('alert states: 1..5 as words, everything else unknown', async (t) => {
  t.same(Object.values(ALERT_STATE_NAMES), ['active', 'acknowledged', 'worse', 'better', 'changed']);
  t.equal(alertStateName(1), 'active');
  t.equal(alertStateName('2'), 'acknowledged');
  t.equal(alertStateName(5), 'changed');
  for (const v of [0, '0', 6, -1, 1.5, null, undefined, '', 'active', 'toString', '__proto__', true]) t.equal(alertStateName(v), undefined, String(v));
});

t.test('mapAlerts: selected devices only, open states, rule names with fallback, no duplicates', async (t) => {
  const alerts = mapAlerts(ALERT_ROWS, devices);
  const view = alerts.map((a) => [a.device.hostname, a.rule, a.severity, a.state]);
  t.same(view, [
    [ROUTER, 'Devices up/down', 'critical', 'active'],
    [SWITCH, 'Port utilisation over threshold', 'warning', 'acknowledged'],
    [SWITCH, 'rule_7', 'critical', 'worse'],
    [SWITCH, 'rule_8', 'warning', 'better'],
    [SWITCH, 'Sensor over limit', 'warning', 'changed'],
    [ROUTER, 'Joined by hostname', 'warning', 'acknowledged'],
    [ROUTER, 'CPU "high" load', 'warning', 'active'],
  ]);
  t.same(mapAlerts(ALERT_ROWS, []), [], 'no selected device, no alert');
  t.same(mapAlerts([], devices), []);
});

t.test('writeAlerts: one series per open alert, always 1, valid exposition', async (t) => {
  const output = await rendered((sink) => writeAlerts(sink, mapAlerts(ALERT_ROWS, devices)));
  t.equal(
    output.reduce((n, part) => n + part.series, 0),
    7,
  );
  const parsed = await checkExposition(t, await textOf(output));
  const [family] = ALERT_FAMILIES;
  t.equal(parsed.types.get(family.name), 'gauge');
  t.equal(find(parsed, 'librenms_alert_active').length, 7);
  t.ok(find(parsed, 'librenms_alert_active').every((s) => s.value === 1));
  t.equal(valueOf(parsed, 'librenms_alert_active', { hostname: ROUTER, rule: 'Devices up/down', severity: 'critical', state: 'active' }), 1);
  t.equal(valueOf(parsed, 'librenms_alert_active', { hostname: ROUTER, rule: 'CPU "high" load' }), 1, 'quotes escaped and read back');
  t.same(find(parsed, 'librenms_alert_active', { hostname: 'old-fw-01.lab' }), []);
});

t.test('alerts of devices not selected are left out, and nothing is written for none', async (t) => {
  const routerOnly = devices.filter((d) => d.hostname === ROUTER);
  const parsed = parseExposition(await renderText((sink) => writeAlerts(sink, mapAlerts(ALERT_ROWS, routerOnly))));
  t.ok(parsed.samples.length > 0 && parsed.samples.every((s) => s.labels['hostname'] === ROUTER));
  t.equal(await renderText((sink) => writeAlerts(sink, [])), '', 'no alert: no family at all');
});

// ---------------------------------------------------------------------------------------------
// Sensors: mapping and rendering

t.test('mapSensors: selected devices, not deleted, signed values, nulls unknown, keyed by sensor_id', async (t) => {
  const sensors = mapSensors(SENSOR_ROWS, devices);
  const view = sensors.map((s) => [
    s.device.hostname,
    s.sensorClass,
    s.sensorIndex,
    s.sensorDescr,
    s.value,
    s.limitHigh,
    s.limitHighWarning,
    s.limitLow,
    s.limitLowWarning,
  ]);
  t.same(view, [
    [SWITCH, 'temperature', '1008', 'Switch 1 - Inlet Temp Sensor', 31.5, 56, 46, 0, undefined],
    [SWITCH, 'dbm', '1037', 'Te1/1/1 Receive Power', -3.42, 2, 0.5, -14.4, -12.4],
    [SWITCH, 'voltage', '1012', 'PSU1 12V Output', 12.05, 12.6, 12.4, 11.4, 11.6],
    [ROUTER, 'fanspeed', '7', 'Fan 1', undefined, undefined, undefined, undefined, undefined],
    [SWITCH, 'temperature', '1008', 'Switch 1 - Inlet Temp Sensor', 99, undefined, undefined, undefined, undefined],
    [SWITCH, 'temperature', '1008', 'Switch 1 - Hotspot', 40.25, undefined, undefined, undefined, undefined],
    [ROUTER, 'temperature', '2', 'Outdoor', -12.5, 45, undefined, -20, undefined],
    [ROUTER, 'current', '3', 'PoE out', 0, undefined, undefined, undefined, undefined],
  ]);
  t.same(mapSensors(SENSOR_ROWS, []), []);
});

t.test('writeSensors: value and the limits that are set, valid exposition', async (t) => {
  const parsed = await checkExposition(t, await renderText((sink) => writeSensors(sink, mapSensors(SENSOR_ROWS, devices))));
  for (const f of SENSOR_FAMILIES.filter((f) => f.name !== 'librenms_sensor_alert_enabled')) t.equal(parsed.types.get(f.name), 'gauge', f.name);
  t.equal(parsed.types.get('librenms_sensor_alert_enabled'), undefined, 'no row says sensor_alert: the family is left out, not 0');
  const dbm = { hostname: SWITCH, sensor_class: 'dbm', sensor_index: '1037', sensor_descr: 'Te1/1/1 Receive Power' };
  t.equal(valueOf(parsed, 'librenms_sensor_value', dbm), -3.42, 'negative dBm is a valid value');
  t.equal(valueOf(parsed, 'librenms_sensor_limit_high', dbm), 2);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_high_warning', dbm), 0.5);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low', dbm), -14.4);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low_warning', dbm), -12.4);
  const temp = { hostname: SWITCH, sensor_class: 'temperature', sensor_index: '1008', sensor_descr: 'Switch 1 - Inlet Temp Sensor', sensor_id: '1' };
  t.equal(valueOf(parsed, 'librenms_sensor_value', temp), 31.5);
  t.equal(valueOf(parsed, 'librenms_sensor_value', { ...temp, sensor_id: '7' }), 99, 'same class, descr and index under another sensor_id: its own series');
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low', temp), 0, 'a limit of 0 is a limit');
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low_warning', temp), undefined, 'null limit left out');
  const fan = { hostname: ROUTER, sensor_class: 'fanspeed' };
  for (const f of SENSOR_FAMILIES) t.same(find(parsed, f.name, fan), [], `${f.name}: unknown values left out`);
  t.equal(valueOf(parsed, 'librenms_sensor_value', { hostname: ROUTER, sensor_class: 'current' }), 0, 'a reading of 0 is kept');
  t.equal(find(parsed, 'librenms_sensor_value').length, 7);
  t.same(find(parsed, 'librenms_sensor_value', { sensor_descr: 'Fan 2 (removed)' }), [], 'deleted sensor left out');
  t.same(find(parsed, 'librenms_sensor_value', { hostname: 'old-fw-01.lab' }), [], 'not-selected device left out');
});

t.test('a sink with constant labels puts them on every sample', async (t) => {
  const text = await renderText(
    (sink) => {
      writeAlerts(sink, mapAlerts(ALERT_ROWS, devices));
      writeSensors(sink, mapSensors(SENSOR_ROWS, devices));
    },
    { librenms_instance: 'eu' },
  );
  const parsed = await checkExposition(t, text);
  t.ok(parsed.samples.length > 10);
  t.ok(parsed.samples.every((s) => s.labels['librenms_instance'] === 'eu'));
});

// ---------------------------------------------------------------------------------------------
// Collectors against the LibreNMS double

async function withDouble(t: Test, options: DoubleOptions = {}): Promise<{ double: LibreNmsDouble; context: CollectorInput }> {
  const double = await startLibreNmsDouble(options);
  const config = loadConfig({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LOG_LEVEL: 'silent' });
  const instance = config.instances[0];
  if (instance === undefined) throw new Error('no instance');
  const client = new LibreNmsClient(clientOptions(instance, config));
  t.teardown(async () => {
    await client.close();
    await double.close();
  });
  const devices = mapDevices(await client.listDevices(), { includeDisabled: false, timeZone: config.librenmsTimezone });
  double.resetStats();
  const context: CollectorInput = {
    client,
    config,
    logger: createLogger('silent'),
    inventory: new Inventory(client, config.cacheTtlMs),
    selection: { devices, knownDevices: devices.length },
    now: Date.now,
    memory: (create) => create(),
  };
  return { double, context };
}

for (const numbersAsStrings of [false, true]) {
  t.test(`alerts collector against the double: active and acknowledged alerts (numbers as strings: ${numbersAsStrings})`, async (t) => {
    const { double, context } = await withDouble(t, { numbersAsStrings });
    const result = await runCollector(alertsCollector, context);
    t.equal(alertsCollector.name, 'alerts');
    const alertRequests = double.requests.filter((r) => r.path === '/api/v0/alerts');
    t.equal(alertRequests.length, 1);
    t.equal(alertRequests[0]?.query['state'], '1,2,3,4,5', 'asks for every open state, not the default (active only)');
    const parsed = await checkExposition(t, result.text);
    t.same(
      find(parsed, 'librenms_alert_active')
        .map((s) => s.labels)
        .sort((a, b) => (a['hostname'] ?? '').localeCompare(b['hostname'] ?? '')),
      [
        { hostname: 'ap-lobby-01.lab', rule: 'Devices up/down', severity: 'critical', state: 'active' },
        { hostname: 'sw-core-01.lab', rule: 'Port utilisation over threshold', severity: 'warning', state: 'acknowledged' },
      ],
      'the recovered alert of the router is left out',
    );
    t.equal(result.series, 2);
    t.same(result.summary, { alerts: 2 });
    t.same(result.partialErrors, []);
  });
}

t.test('alerts collector: rule_<id> on LibreNMS before 25.3 and only selected devices', async (t) => {
  const { double, context } = await withDouble(t, { version: '24.12.0' });
  // The double sends `name` whatever the version: emulate an old LibreNMS by removing the rule names.
  for (const rule of double.state.alertRules) (rule as { name: string | null }).name = null;
  const result = await runCollector(alertsCollector, {
    ...context,
    selection: { devices: context.selection.devices.filter((d) => d.hostname === 'sw-core-01.lab'), knownDevices: context.selection.knownDevices },
  });
  const parsed = parseExposition(result.text);
  t.same(
    find(parsed, 'librenms_alert_active').map((s) => s.labels),
    [{ hostname: 'sw-core-01.lab', rule: 'rule_2', severity: 'warning', state: 'acknowledged' }],
  );
});

t.test('sensors collector against the double: temperature, dBm and voltage with limits', async (t) => {
  const { double, context } = await withDouble(t);
  const result = await runCollector(sensorsCollector, context);
  t.equal(sensorsCollector.name, 'sensors');
  t.same(
    double.requests.map((r) => r.path),
    ['/api/v0/resources/sensors'],
  );
  const parsed = await checkExposition(t, result.text);
  const sensor = (id: number) => {
    const s = double.state.sensors.find((x) => x.sensor_id === id);
    if (s === undefined) throw new Error(`lab fixture lacks sensor ${id}`);
    const device = double.state.devices.find((d) => d.device_id === s.device_id);
    return {
      s,
      labels: {
        hostname: device?.hostname ?? '',
        sensor_class: s.sensor_class,
        sensor_descr: s.sensor_descr,
        sensor_index: s.sensor_index,
        sensor_id: String(s.sensor_id),
      },
    };
  };
  const temp = sensor(1);
  t.equal(temp.labels.sensor_class, 'temperature');
  t.equal(valueOf(parsed, 'librenms_sensor_value', temp.labels), temp.s.sensor_current);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_high', temp.labels), temp.s.sensor_limit);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low_warning', temp.labels), undefined, 'null limit left out');
  const dbm = sensor(2);
  t.equal(dbm.labels.sensor_class, 'dbm');
  t.ok((valueOf(parsed, 'librenms_sensor_value', dbm.labels) ?? 0) < 0, 'negative dBm exported');
  t.equal(valueOf(parsed, 'librenms_sensor_value', dbm.labels), dbm.s.sensor_current);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low', dbm.labels), dbm.s.sensor_limit_low);
  t.equal(valueOf(parsed, 'librenms_sensor_limit_low_warning', dbm.labels), dbm.s.sensor_limit_low_warn);
  const volt = sensor(3);
  t.equal(volt.labels.sensor_class, 'voltage');
  t.equal(valueOf(parsed, 'librenms_sensor_value', volt.labels), volt.s.sensor_current);
  for (const [family, field] of [
    ['librenms_sensor_limit_high', 'sensor_limit'],
    ['librenms_sensor_limit_high_warning', 'sensor_limit_warn'],
    ['librenms_sensor_limit_low', 'sensor_limit_low'],
    ['librenms_sensor_limit_low_warning', 'sensor_limit_low_warn'],
  ] as const) {
    t.equal(valueOf(parsed, family, volt.labels), volt.s[field], family);
  }
  t.same(find(parsed, 'librenms_sensor_value', { sensor_class: 'fanspeed' }), [], 'the deleted fan is left out');
  const live = double.state.sensors.filter((s) => !s.sensor_deleted && context.selection.devices.some((d) => d.deviceId === s.device_id));
  t.equal(find(parsed, 'librenms_sensor_value').length, live.length);
  t.same(result.summary, { sensors: live.length });
});

t.test('sensors collector: no sensors at all (LibreNMS answers 404) is zero sensors, not a failure', async (t) => {
  const { double, context } = await withDouble(t);
  double.state.sensors = [];
  const result = await runCollector(sensorsCollector, context);
  t.equal(result.series, 0);
  t.equal(result.text, '');
});

t.test('both collectors export nothing for an empty selection, though LibreNMS has alerts and sensors', async (t) => {
  const { context } = await withDouble(t);
  const empty = { ...context, selection: { devices: [], knownDevices: context.selection.knownDevices } };
  for (const collector of [alertsCollector, sensorsCollector]) {
    const result = await runCollector(collector, empty);
    t.equal(result.series, 0, collector.name);
    t.equal(result.text, '', `${collector.name}: no samples`);
  }
});

t.test('scopes share install-wide reads: one /alerts and one /resources/sensors per TTL, however many selections', async (t) => {
  const { double, context } = await withDouble(t);
  for (const device of context.selection.devices) {
    const one = { ...context, selection: { devices: [device], knownDevices: context.selection.knownDevices } };
    await runCollector(alertsCollector, one);
    await runCollector(sensorsCollector, one);
  }
  t.ok(context.selection.devices.length > 1, 'several selections');
  t.equal(double.requests.filter((r) => r.path === '/api/v0/alerts').length, 1, 'one /alerts read');
  t.equal(double.requests.filter((r) => r.path === '/api/v0/resources/sensors').length, 1, 'one sensors read');
});

t.test('both collectors throw when LibreNMS fails', async (t) => {
  const { double, context } = await withDouble(t);
  double.addFault({ path: '/api/v0/alerts', fault: { kind: 'status', status: 500 } });
  double.addFault({ path: '/api/v0/resources/sensors', fault: { kind: 'status', status: 500 } });
  await t.rejects(runCollector(alertsCollector, context));
  await t.rejects(runCollector(sensorsCollector, context));
});

t.test("the collectors' samples carry the sink's constant labels (the instance)", async (t) => {
  const { context } = await withDouble(t);
  for (const collector of [alertsCollector, sensorsCollector]) {
    const parsed = parseExposition((await runCollector(collector, context, { librenms_instance: 'lab' })).text);
    t.ok(parsed.samples.length > 0, collector.name);
    t.ok(
      parsed.samples.every((s) => s.labels['librenms_instance'] === 'lab'),
      `${collector.name}: librenms_instance on every series`,
    );
  }
});
