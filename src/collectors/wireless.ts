/**
 * The `wireless` collector: LibreNMS wireless sensors (clients, rates, signal, noise, …) of the selected
 * devices, a family per class. LibreNMS lists them per device only, so the reads are spread over
 * refreshes (item-reads.ts: WIRELESS_INTERVAL_SECONDS, WIRELESS_MAX_REQUESTS) and the collector is off
 * by default. Two ways, by version:
 * - 26.6.0 and later: `/devices/:id/wireless-sensors`, one request per device (404 "No wireless sensors
 *   found" is none); a device without any is asked again only every four intervals.
 * - before: `/devices/:id/wireless` (the classes), `/wireless/device_wireless_<class>` (the ids) and
 *   `/wireless/device_wireless_<class>/:id` (one sensor). That last route looks the id up alone, of any
 *   device, class or deleted flag (list_available_wireless_graphs, includes/html/api_functions.inc.php):
 *   a row counts only when it is of the device, class and id asked for and not deleted
 *   (mapping/wireless.ts). The class and id lists are read again every four intervals.
 * A development build of 26.6.0 is asked which it has (one request).
 */

import { LibreNmsError } from '../errors.js';
import type { FamilyName } from '../exposition/catalog.js';
import { type LabelSet, type SampleSink, sampleEach } from '../exposition/sink.js';
import { SYSTEM_TTL_MS } from '../inventory/inventory.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { servesRouteSince, WIRELESS_SENSORS_SINCE } from '../librenms/endpoints.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { readIdList } from '../mapping/health.js';
import { mapWirelessSensor, OTHER_WIRELESS_FAMILY, readWirelessClasses, WIRELESS_CLASSES, type WirelessRecord } from '../mapping/wireless.js';
import type { Collector } from './collector.js';
import { type ItemRead, ItemReads, type ReadPlan, type ReadStep, runOptions } from './item-reads.js';

/** Lists (and devices without wireless sensors) are read again every this many intervals. */
export const WIRELESS_LISTS_EVERY = 4;

/** How wireless sensors are read: per device (26.6.0 and later) or per sensor (every release). */
export type WirelessMode = 'per-device' | 'per-sensor';

type WirelessStep = { readonly kind: 'device' } | { readonly kind: 'classes' } | { readonly kind: 'class'; readonly sensorClass: string; readonly id?: number };

/** `/devices/:id/wireless-sensors`: one request per device gives its sensors. */
export function perDevicePlan(client: LibreNmsClient): ReadPlan<WirelessStep, WirelessRecord> {
  return {
    roots: () => [{ key: 'sensors', kind: 'values', payload: { kind: 'device' } }],
    async read(device) {
      const rows = await client.listDeviceWirelessSensors(device.deviceId);
      return { records: rows.flatMap((row) => mapWirelessSensor(row, { deviceId: device.deviceId }) ?? []) };
    },
  };
}

/** `/devices/:id/wireless`, then its classes' ids, then each sensor. */
export function perSensorPlan(client: LibreNmsClient): ReadPlan<WirelessStep, WirelessRecord> {
  return {
    roots: () => [{ key: 'classes', kind: 'list', payload: { kind: 'classes' } }],
    async read(device, step) {
      const { deviceId } = device;
      const payload = step.payload;
      if (payload.kind === 'classes') {
        const classes = readWirelessClasses(await client.listWirelessClasses(deviceId));
        return {
          next: classes.map((sensorClass): ReadStep<WirelessStep> => ({ key: `class/${sensorClass}`, kind: 'list', payload: { kind: 'class', sensorClass } })),
        };
      }
      if (payload.kind === 'class' && payload.id === undefined) {
        const { sensorClass } = payload;
        const ids = readIdList(await client.listWirelessSensorIds(deviceId, sensorClass));
        return {
          next: ids.map((id): ReadStep<WirelessStep> => ({ key: `sensor/${sensorClass}/${id}`, kind: 'values', payload: { kind: 'class', sensorClass, id } })),
        };
      }
      if (payload.kind !== 'class' || payload.id === undefined) return { skip: 'foreign' };
      const { sensorClass, id } = payload;
      const rows = await client.readWirelessSensor(deviceId, sensorClass, id);
      if (rows.length === 0) return { skip: 'gone' };
      const record = rows.map((row) => mapWirelessSensor(row, { deviceId, sensorClass, id })).find((r) => r !== undefined);
      return record === undefined ? { skip: 'foreign' } : { records: [record] };
    },
  };
}

/**
 * Which way a development build of 26.6.0 has: `/wireless-sensors` of one device answers (200, or 404
 * "No wireless sensors found") from 26.6.0; before, the path falls to the graph route and fails (500).
 */
export async function probeWireless(client: LibreNmsClient, device: DeviceRecord | undefined): Promise<WirelessMode | undefined> {
  if (device === undefined) return undefined;
  try {
    await client.listDeviceWirelessSensors(device.deviceId);
    return 'per-device';
  } catch (error) {
    if (error instanceof LibreNmsError && error.status !== undefined && (error.status >= 500 || error.status === 404)) return 'per-sensor';
    throw error;
  }
}

/** The notice of a LibreNMS read sensor by sensor. */
export function perSensorNotice(version: string | undefined): string {
  return (
    `LibreNMS ${version ?? '(version unknown)'} has no /devices/:id/wireless-sensors (it came in ${WIRELESS_SENSORS_SINCE}, LibreNMS PR #19461): ` +
    'wireless sensors are read one by one through /devices/:id/wireless (one request per device, one per class and one per sensor, lists every four intervals). ' +
    `LibreNMS ${WIRELESS_SENSORS_SINCE} or later needs one request per device.`
  );
}

/** What the wireless collector keeps of one LibreNMS between refreshes. */
class WirelessMemory {
  #reads: { readonly mode: WirelessMode; readonly reads: ItemReads<WirelessStep, WirelessRecord> } | undefined;
  #probe: { readonly version: string | undefined; readonly mode: WirelessMode; readonly at: number } | undefined;
  readonly #client: LibreNmsClient;

  constructor(client: LibreNmsClient) {
    this.#client = client;
  }

  /** The way this LibreNMS is read: by its version, else by the probe (kept an hour). */
  async mode(version: string | undefined, devices: readonly DeviceRecord[], now: number): Promise<WirelessMode> {
    const known = servesRouteSince(version, WIRELESS_SENSORS_SINCE);
    if (known !== undefined) return known ? 'per-device' : 'per-sensor';
    const kept = this.#probe;
    if (kept !== undefined && kept.version === version && now - kept.at < SYSTEM_TTL_MS) return kept.mode;
    const mode = await probeWireless(this.#client, devices[0]);
    if (mode === undefined) return 'per-sensor';
    this.#probe = { version, mode, at: now };
    return mode;
  }

  /** The reads of `mode`; a change of mode (an upgrade) starts them afresh. */
  reads(mode: WirelessMode): ItemReads<WirelessStep, WirelessRecord> {
    if (this.#reads?.mode !== mode) {
      this.#reads = { mode, reads: new ItemReads(mode === 'per-device' ? perDevicePlan(this.#client) : perSensorPlan(this.#client)) };
    }
    return this.#reads.reads;
  }
}

const INFO_LABELS = ['hostname', 'sensor_id', 'sensor_class', 'sensor_type', 'sensor_index', 'sensor_descr'] as const;
const IDENTITY = ['hostname', 'sensor_id'] as const;
const READ_COUNTS = ['librenms_exporter_wireless_stale_devices', 'librenms_exporter_wireless_unread_devices'] as const;
/** The value families, in the catalog's order (the order the classes are listed in WIRELESS_CLASSES). */
const VALUE_FAMILIES: readonly FamilyName[] = [...new Set(Object.values(WIRELESS_CLASSES).map((c) => c.family)), OTHER_WIRELESS_FAMILY];

interface Sensor {
  readonly device: DeviceRecord;
  readonly record: WirelessRecord;
}

/** Writes the wireless sensors served, a family per class, and how many devices were stale or unread. */
export function writeWireless(sink: SampleSink, read: Pick<ItemRead<WirelessRecord>, 'served' | 'staleDevices' | 'unreadDevices'>): void {
  const sensors: Sensor[] = read.served.flatMap(({ device, records }) => records.map((record) => ({ device, record })));
  sampleEach(
    sink,
    'librenms_wireless_sensor_info',
    sensors,
    ({ device, record: r }) => sink.labels(INFO_LABELS, [device.hostname, String(r.id), r.sensorClass, r.type, r.index, r.descr]),
    () => 1,
  );
  const labels = new Map<Sensor, LabelSet>(
    sensors.map((s) => [
      s,
      s.record.family === OTHER_WIRELESS_FAMILY
        ? sink.labels([...IDENTITY, 'sensor_class'], [s.device.hostname, String(s.record.id), s.record.sensorClass])
        : sink.labels(IDENTITY, [s.device.hostname, String(s.record.id)]),
    ]),
  );
  for (const family of VALUE_FAMILIES) {
    const of = sensors.filter((s) => s.record.family === family);
    if (of.length > 0)
      sampleEach(
        sink,
        family,
        of,
        (s) => labels.get(s) as LabelSet,
        (s) => s.record.value,
      );
  }
  const none = sink.labels([], []);
  sink.sample(sink.family('librenms_exporter_wireless_stale_devices'), none, read.staleDevices);
  sink.sample(sink.family('librenms_exporter_wireless_unread_devices'), none, read.unreadDevices);
}

export const wirelessCollector: Collector = {
  name: 'wireless',
  enabledByDefault: false,
  description:
    'wireless sensors (clients, rates, signal, noise, frequency, …) a family per class, read per device (LibreNMS 26.6.0 or later) or per sensor and spread over refreshes',
  endpoints: [
    '/system',
    '/devices/:hostname/wireless-sensors',
    '/devices/:hostname/wireless',
    '/devices/:hostname/wireless/:type',
    '/devices/:hostname/wireless/:type/:id',
  ],
  families: ['librenms_wireless_sensor_info', ...VALUE_FAMILIES, ...READ_COUNTS],
  async collect(input, sink) {
    const { config } = input;
    const memory = input.memory(() => new WirelessMemory(input.client));
    const started = input.now();
    const version = await input.inventory.version();
    const { devices } = input.selection;
    const mode = await memory.mode(version, devices, started);
    const read = await memory
      .reads(mode)
      .read(runOptions(input, started, { intervalMs: config.wirelessIntervalMs, listsEvery: WIRELESS_LISTS_EVERY, maxRequests: config.wirelessMaxRequests }));
    writeWireless(sink, read);
    const refused = read.skipped['foreign'] ?? 0;
    return {
      summary: {
        wireless_mode: mode,
        wireless_sensors: read.served.reduce((n, s) => n + s.records.length, 0),
        wireless_requests: read.requests,
        ...(read.deferred > 0 ? { wireless_deferred: read.deferred } : {}),
        ...(read.staleDevices > 0 ? { wireless_stale_devices: read.staleDevices } : {}),
        ...(read.unreadDevices > 0 ? { wireless_unread_devices: read.unreadDevices } : {}),
        ...(refused > 0 ? { wireless_refused_rows: refused } : {}),
      },
      partialErrors: read.errors,
      ...(mode === 'per-sensor' ? { notice: perSensorNotice(version) } : {}),
    };
  },
};
