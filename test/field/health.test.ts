/**
 * The health and wireless collectors against the real LibreNMS of every version the field lane runs
 * (seed-health.ts's rows): on 26.7.0 every processor, memory pool and storage value equals its
 * database row; before 26.7.0 the health collector sends no health request and says so; wireless
 * sensors equal their rows on every version (per device from 26.6.0, per sensor before); a normal
 * user's token reads its own device; the guards hold against the real by-id answers; `check` is ready.
 * The expected values are computed here from SQL, never from the exporter's code.
 */
import t from 'tap';
import { versionAtLeast } from '../../librenms-double/format.js';
import { healthPlan } from '../../src/collectors/health.js';
import { perSensorPlan } from '../../src/collectors/wireless.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/config/settings.js';
import { runDoctor } from '../../src/doctor/doctor.js';
import { EXIT_CODES } from '../../src/doctor/messages.js';
import { LibreNmsClient } from '../../src/librenms/client.js';
import { deviceRecord } from '../helpers/device-record.js';
import { startExporter } from '../helpers/exporter.js';
import type { Sample } from '../helpers/exposition.js';
import { type FieldInstance, fieldInstances, reseed, selectRows } from './lnms.js';

/** Each class's family and how LibreNMS's unit becomes the family's (docs/metrics.md, the contract). */
const WIRELESS: Readonly<Record<string, readonly [family: string, convert: (v: number) => number]>> = {
  clients: ['librenms_wireless_clients', (v) => v],
  rate: ['librenms_wireless_rate_bytes_per_second', (v) => v / 8],
  'noise-floor': ['librenms_wireless_noise_floor_dbm', (v) => v],
  frequency: ['librenms_wireless_frequency_hertz', (v) => v * 1e6],
  ccq: ['librenms_wireless_ccq_ratio', (v) => v / 100],
  errors: ['librenms_wireless_errors_total', (v) => v],
};

const key = (name: string, labels: Readonly<Record<string, string>>): string =>
  `${name}{${Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;

const num = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value));
const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** What the health collector exports for an admin's token, from the database (devices not disabled, pools not deleted). */
function expectedHealth(instance: FieldInstance, where = ''): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string, labels: Record<string, string>, value: number | undefined): void => {
    if (value !== undefined) out.set(key(name, labels), value);
  };
  const devices = `JOIN devices d ON d.device_id = x.device_id WHERE d.disabled = 0${where}`;
  for (const p of selectRows(
    instance,
    {
      hostname: 'd.hostname',
      id: 'x.processor_id',
      type: 'x.processor_type',
      idx: 'x.processor_index',
      descr: 'x.processor_descr',
      usage: 'x.processor_usage',
      warn: 'x.processor_perc_warn',
    },
    `processors x ${devices}`,
  )) {
    const id = { hostname: text(p['hostname']), processor_id: text(p['id']), processor_type: text(p['type']) };
    add('librenms_processor_info', { ...id, processor_index: text(p['idx']), processor_descr: text(p['descr']) }, 1);
    add('librenms_processor_usage_ratio', id, Number(p['usage']) / 100);
    add('librenms_processor_usage_warning_ratio', id, num(p['warn']) === undefined ? undefined : Number(p['warn']) / 100);
  }
  for (const m of selectRows(
    instance,
    {
      hostname: 'd.hostname',
      id: 'x.mempool_id',
      cls: 'x.mempool_class',
      type: 'x.mempool_type',
      idx: 'x.mempool_index',
      descr: 'x.mempool_descr',
      used: 'x.mempool_used',
      total: 'x.mempool_total',
      perc: 'x.mempool_perc',
      warn: 'x.mempool_perc_warn',
    },
    `mempools x ${devices} AND x.mempool_deleted = 0`,
  )) {
    const id = { hostname: text(m['hostname']), mempool_id: text(m['id']), mempool_class: text(m['cls']) };
    add('librenms_mempool_info', { ...id, mempool_type: text(m['type']), mempool_index: text(m['idx']), mempool_descr: text(m['descr']) }, 1);
    // A total of 0 is unknown: no size, used bytes or ratio.
    const known = Number(m['total']) > 0;
    add('librenms_mempool_used_bytes', id, known ? Number(m['used']) : undefined);
    add('librenms_mempool_total_bytes', id, known ? Number(m['total']) : undefined);
    add('librenms_mempool_usage_ratio', id, known ? Number(m['perc']) / 100 : undefined);
    add('librenms_mempool_usage_warning_ratio', id, num(m['warn']) === undefined ? undefined : Number(m['warn']) / 100);
  }
  for (const x of selectRows(
    instance,
    {
      hostname: 'd.hostname',
      id: 'x.storage_id',
      type: 'x.storage_type',
      idx: 'x.storage_index',
      descr: 'x.storage_descr',
      used: 'x.storage_used',
      size: 'x.storage_size',
      perc: 'x.storage_perc',
      warn: 'x.storage_perc_warn',
    },
    `storage x ${devices}`,
  )) {
    const id = { hostname: text(x['hostname']), storage_id: text(x['id']), storage_type: text(x['type']) };
    add('librenms_storage_info', { ...id, storage_index: text(x['idx']), storage_descr: text(x['descr']) }, 1);
    add('librenms_storage_used_bytes', id, Number(x['used']));
    add('librenms_storage_size_bytes', id, Number(x['size']));
    add('librenms_storage_usage_ratio', id, Number(x['perc']) / 100);
    add('librenms_storage_usage_warning_ratio', id, num(x['warn']) === undefined ? undefined : Number(x['warn']) / 100);
  }
  return out;
}

/** What the wireless collector exports, from the database (devices not disabled, sensors not deleted). */
function expectedWireless(instance: FieldInstance, where = ''): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of selectRows(
    instance,
    {
      hostname: 'd.hostname',
      id: 'x.sensor_id',
      cls: 'x.sensor_class',
      type: 'x.sensor_type',
      idx: 'x.sensor_index',
      descr: 'x.sensor_descr',
      current: 'x.sensor_current',
    },
    `wireless_sensors x JOIN devices d ON d.device_id = x.device_id WHERE d.disabled = 0 AND x.sensor_deleted = 0${where}`,
  )) {
    const id = { hostname: text(w['hostname']), sensor_id: text(w['id']) };
    out.set(
      key('librenms_wireless_sensor_info', {
        ...id,
        sensor_class: text(w['cls']),
        sensor_type: text(w['type']),
        sensor_index: text(w['idx']),
        sensor_descr: text(w['descr']),
      }),
      1,
    );
    const [family, convert] = WIRELESS[text(w['cls'])] ?? ['librenms_wireless_sensor_value', (v: number) => v];
    if (num(w['current']) !== undefined) out.set(key(family, id), convert(Number(w['current'])));
  }
  return out;
}

function samplesOf(samples: readonly Sample[], pattern: RegExp): Map<string, number> {
  return new Map(samples.filter((s) => pattern.test(s.name)).map((s) => [key(s.name, s.labels), s.value]));
}

const HEALTH = /^librenms_(processor|mempool|storage)_/;
const WIRELESS_FAMILIES = /^librenms_wireless_/;

for (const instance of fieldInstances()) {
  const served = versionAtLeast(instance.version, '26.7.0');
  const perDevice = versionAtLeast(instance.version, '26.6.0');
  t.test(`LibreNMS ${instance.version}`, async (t) => {
    reseed(instance);
    // A refresh starts these reads for half the TTL (at least 5 s): 60 s, so that one refresh reads the
    // whole data set even from a slow, busy LibreNMS (before 26.6 wireless is some 25 requests).
    const base = { LIBRENMS_URL: instance.url, COLLECTORS: 'devices,health,wireless', CACHE_TTL_SECONDS: '120' };

    await t.test(
      served ? 'health and wireless values equal their database rows' : 'health: no request, a notice, nothing exported; wireless values equal their rows',
      async (t) => {
        const exporter = await startExporter({ ...base, LIBRENMS_TOKEN: instance.tokens.read });
        t.teardown(() => exporter.close());
        const { parsed } = await exporter.scrape();
        for (const collector of ['devices', 'health', 'wireless'])
          t.equal(
            parsed.samples.find((s) => s.name === 'librenms_scrape_collector_success' && s.labels['collector'] === collector)?.value,
            1,
            `${collector} succeeds`,
          );
        const health = samplesOf(parsed.samples, HEALTH);
        const healthRequests = parsed.samples.filter((s) => s.name === 'librenms_exporter_api_requests_total' && /health/.test(s.labels['endpoint'] ?? ''));
        if (served) {
          t.same([...health].sort(), [...expectedHealth(instance)].sort(), 'every health value equals its row');
          t.ok(health.size > 40, `the comparison covers the data set (${health.size} series)`);
        } else {
          t.same([...health], [], 'nothing exported');
          t.same(healthRequests, [], 'no health request sent');
          t.match(exporter.logText(), `LibreNMS ${instance.version} does not serve processor, memory pool and storage values in its API: they came in 26.7.0`);
        }
        const wireless = samplesOf(parsed.samples, WIRELESS_FAMILIES);
        const expected = expectedWireless(instance);
        t.same([...wireless].sort(), [...expected].sort(), 'every wireless value equals its row');
        t.equal(wireless.get(key('librenms_wireless_frequency_hertz', { hostname: '192.168.56.10', sensor_id: '304' })), 5180e6);
        const mode = exporter.logs.find((l) => l['msg'] === 'refresh from LibreNMS complete')?.['wireless_mode'];
        t.equal(mode, perDevice ? 'per-device' : 'per-sensor');
        if (!perDevice) t.match(exporter.logText(), `LibreNMS ${instance.version} has no /devices/:id/wireless-sensors (it came in 26.6.0`);
      },
    );

    await t.test("a normal user's token reads its own device's items", async (t) => {
      const exporter = await startExporter({ ...base, LIBRENMS_TOKEN: instance.tokens.normal });
      t.teardown(() => exporter.close());
      const { parsed } = await exporter.scrape();
      for (const collector of ['health', 'wireless'])
        t.equal(
          parsed.samples.find((s) => s.name === 'librenms_scrape_collector_success' && s.labels['collector'] === collector)?.value,
          1,
          `${collector} succeeds`,
        );
      const own = ' AND d.device_id = 1';
      t.same([...samplesOf(parsed.samples, HEALTH)].sort(), served ? [...expectedHealth(instance, own)].sort() : [], 'health: device 1 only');
      t.same([...samplesOf(parsed.samples, WIRELESS_FAMILIES)].sort(), [...expectedWireless(instance, own)].sort(), 'wireless: device 1 only');
    });

    await t.test('the guards hold against the real by-id answers', async (t) => {
      const client = new LibreNmsClient({
        baseUrl: new URL(`${instance.url}/api/v0/`),
        token: instance.tokens.normal,
        concurrency: 1,
        timeoutMs: 30_000,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      });
      t.teardown(() => client.close());
      const router = deviceRecord(1, '192.168.56.10');
      // Before 26.7 the answer is the sensors row 1 (of device 1, a temperature); from 26.7 there is no processor 1.
      const rows = await client.readHealthItem(1, 'processor', 1);
      t.equal(rows.length, served ? 0 : 1, served ? 'no processor 1' : 'the sensors row with id 1');
      const answer = await healthPlan(client).read(router, { key: 'processor/1', kind: 'values', payload: { kind: 'processor', id: 1 } });
      t.same(answer, served ? { skip: 'gone' } : { skip: 'foreign' }, 'never exported as a processor');
      // The by-id wireless route answers another device's sensor and a deleted one, through device 1's URL.
      const plan = perSensorPlan(client);
      const read = (sensorClass: string, id: number) =>
        plan.read(router, { key: `sensor/${sensorClass}/${id}`, kind: 'values', payload: { kind: 'class', sensorClass, id } });
      t.same((await client.readWirelessSensor(1, 'clients', 306)).length, 1, "LibreNMS answers device 2's sensor 306 to device 1's URL");
      t.same(await read('clients', 306), { skip: 'foreign' }, 'refused');
      t.same(await read('clients', 305), { skip: 'foreign' }, 'the deleted sensor, refused');
      t.match(await read('clients', 301), { records: [{ id: 301, value: 17 }] }, 'its own sensor');
    });

    await t.test('check is ready, and says what a LibreNMS without the routes does', async (t) => {
      const lines: string[] = [];
      const code = await runDoctor({ ...base, LIBRENMS_TOKEN: instance.tokens.read }, (line) => lines.push(line));
      const output = lines.join('\n');
      t.equal(code, EXIT_CODES.ready, output);
      if (served) t.match(output, /^ {2}librenms_processor_usage_ratio\{hostname="[^"]+",processor_id="\d+",processor_type="[^"]+"\} [\d.]+$/m);
      else {
        t.match(output, `warn  health: LibreNMS ${instance.version} does not serve processor, memory pool and storage values`);
        t.match(output, /^ {2}librenms_processor_usage_ratio: nothing to export \(the health warning above\)$/m, 'no value, and why');
      }
      t.match(output, /^ {2}librenms_wireless_clients\{hostname="192\.168\.56\.10",sensor_id="301"\} 17$/m);
    });
  });
}
