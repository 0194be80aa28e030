/**
 * The `health` collector: processors, memory pools and storage of the selected devices, from
 * `/devices/:id/health/device_<kind>` (the ids) and `/devices/:id/health/device_<kind>/:id` (one item
 * with its values). LibreNMS has no bulk route for them: 3 lists plus one request per item and device,
 * so the reads are spread over refreshes (item-reads.ts: HEALTH_INTERVAL_SECONDS, HEALTH_MAX_REQUESTS)
 * and the collector is off by default.
 *
 * Only LibreNMS 26.7.0 and later serve the values (PRs #19953 and #19957); before, the lists are empty
 * and the by-id route answers a `sensors` row. On a release known to be older the collector sends no
 * request and says so (a notice); a development build is asked (see {@link probeHealth}). Every item is
 * checked against the id and device asked for (mapping/health.ts), whatever the version.
 */
import type { FamilyName } from '../exposition/catalog.js';
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import { SYSTEM_TTL_MS } from '../inventory/inventory.js';
import type { HealthKind, LibreNmsClient } from '../librenms/client.js';
import { HEALTH_VALUES_SINCE, servesRouteSince } from '../librenms/endpoints.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { type HealthRecord, type MempoolRecord, mapHealthItem, type ProcessorRecord, readIdList, type StorageRecord } from '../mapping/health.js';
import { readText } from '../mapping/values.js';
import type { Collector } from './collector.js';
import { type ItemRead, ItemReads, type ReadPlan, type ReadStep, runOptions } from './item-reads.js';

const KINDS: readonly HealthKind[] = ['processor', 'mempool', 'storage'];

/** A device's ids are listed again every this many intervals: LibreNMS finds new items only at discovery (every 6 hours by default). */
export const HEALTH_LISTS_EVERY = 4;
/** Devices the probe of a development build asks at most before it gives up for this time. */
const PROBE_DEVICES = 5;

interface HealthStep {
  readonly kind: HealthKind;
  /** Absent for the list of the kind. */
  readonly id?: number;
}

/** The three lists per device, then one request per item. */
export function healthPlan(client: LibreNmsClient): ReadPlan<HealthStep, HealthRecord> {
  return {
    roots: () => KINDS.map((kind) => ({ key: kind, kind: 'list', payload: { kind } })),
    async read(device, step) {
      const { kind, id } = step.payload;
      if (id === undefined) {
        const ids = readIdList(await client.listHealthItems(device.deviceId, kind));
        return { next: ids.map((item): ReadStep<HealthStep> => ({ key: `${kind}/${item}`, kind: 'values', payload: { kind, id: item } })) };
      }
      const item = mapHealthItem(kind, await client.readHealthItem(device.deviceId, kind, id), { deviceId: device.deviceId, id });
      return 'record' in item ? { records: [item.record] } : { skip: item.skip };
    },
  };
}

/** What a development build answered the probe. */
type Probe = 'served' | 'not served' | 'unknown';

/**
 * Whether a LibreNMS development build serves health values: the first devices that `/health` lists
 * a processor, memory pool or storage for are asked for that kind's ids. Before 26.7.0 that list is
 * empty although `/health` names the kind; from 26.7.0 it has the ids. `unknown` when none of the first
 * few devices has such an item.
 */
export async function probeHealth(client: LibreNmsClient, devices: readonly DeviceRecord[]): Promise<Probe> {
  for (const device of devices.slice(0, PROBE_DEVICES)) {
    const names = (await client.listHealthTypes(device.deviceId)).map((row) =>
      typeof row === 'object' && row !== null ? readText((row as Record<string, unknown>)['name']) : undefined,
    );
    const kind = KINDS.find((k) => names.includes(`device_${k}`));
    if (kind === undefined) continue;
    return readIdList(await client.listHealthItems(device.deviceId, kind)).length > 0 ? 'served' : 'not served';
  }
  return 'unknown';
}

/** The notice of a LibreNMS that does not serve health values. */
export function healthNotice(version: string | undefined, probed: boolean): string {
  return (
    `LibreNMS ${version ?? '(version unknown)'} does not serve processor, memory pool and storage values in its API` +
    (probed ? ' (its /health/device_<kind> lists are empty where /health names the kind)' : '') +
    `: they came in ${HEALTH_VALUES_SINCE} (LibreNMS PRs #19953 and #19957). The health collector sends no request and exports nothing; upgrade LibreNMS to ${HEALTH_VALUES_SINCE} or later to get them.`
  );
}

/** The notice of by-id answers that were not the item asked for (dropped by the guard of mapping/health.ts). */
export function foreignRowsNotice(version: string | undefined): string {
  return (
    `LibreNMS ${version ?? '(version unknown)'} answered health item requests with rows that are not the item asked for (another id or device, or a sensor row as LibreNMS before ${HEALTH_VALUES_SINCE} gives): ` +
    'they were not exported. Upgrade LibreNMS, or switch the health collector off (COLLECTORS).'
  );
}

/** What the health collector keeps of one LibreNMS between refreshes. */
class HealthMemory {
  readonly reads: ItemReads<HealthStep, HealthRecord>;
  /** The probe's answer for a development build, per version string, and when it came (ms). */
  #probe: { readonly version: string | undefined; readonly answer: Probe; readonly at: number } | undefined;
  readonly #client: LibreNmsClient;

  constructor(client: LibreNmsClient) {
    this.#client = client;
    this.reads = new ItemReads(healthPlan(client));
  }

  /** Whether this LibreNMS serves health values: from its version, else from the probe (an hour, or an interval when it could not tell). */
  async served(version: string | undefined, devices: readonly DeviceRecord[], now: number, intervalMs: number): Promise<{ served: boolean; probed: boolean }> {
    const known = servesRouteSince(version, HEALTH_VALUES_SINCE);
    if (known !== undefined) return { served: known, probed: false };
    const kept = this.#probe;
    const keptFor = kept?.answer === 'unknown' ? intervalMs : SYSTEM_TTL_MS;
    if (kept === undefined || kept.version !== version || now - kept.at >= keptFor) {
      this.#probe = { version, answer: await probeHealth(this.#client, devices), at: now };
    }
    // Unknown: no device has an item to tell by; the lists are safe to read on any version.
    return { served: this.#probe?.answer !== 'not served', probed: true };
  }
}

const PROCESSOR_INFO = ['hostname', 'processor_id', 'processor_type', 'processor_index', 'processor_descr'] as const;
const MEMPOOL_INFO = ['hostname', 'mempool_id', 'mempool_class', 'mempool_type', 'mempool_index', 'mempool_descr'] as const;
const STORAGE_INFO = ['hostname', 'storage_id', 'storage_type', 'storage_index', 'storage_descr'] as const;
const READ_COUNTS = ['librenms_exporter_health_stale_items', 'librenms_exporter_health_unread_items', 'librenms_exporter_health_unlisted_devices'] as const;

interface Item<R> {
  readonly device: DeviceRecord;
  readonly record: R;
}

/** Writes the health items served and how many were stale, unread or not listed. */
export function writeHealth(sink: SampleSink, read: Pick<ItemRead<HealthRecord>, 'served' | 'staleItems' | 'unreadItems' | 'unlistedDevices'>): void {
  const items = read.served.flatMap(({ device, records }) => records.map((record) => ({ device, record })));
  const processors = items.filter((i): i is Item<ProcessorRecord> => i.record.kind === 'processor');
  const mempools = items.filter((i): i is Item<MempoolRecord> => i.record.kind === 'mempool');
  const storage = items.filter((i): i is Item<StorageRecord> => i.record.kind === 'storage');

  const write = <R extends HealthRecord>(
    list: readonly Item<R>[],
    info: readonly [FamilyName, readonly string[], (i: Item<R>) => string[]],
    identity: (i: Item<R>) => string[],
    identityNames: readonly string[],
    values: readonly (readonly [FamilyName, (r: R) => number | undefined])[],
  ): void => {
    const [infoName, infoLabels, infoValues] = info;
    sampleEach(
      sink,
      infoName,
      list,
      (i) => sink.labels(infoLabels, infoValues(i)),
      () => 1,
    );
    const id = labelsEach(sink, list, identityNames, identity);
    for (const [name, value] of values) sampleEach(sink, name, list, id, (i) => value(i.record));
  };
  write(
    processors,
    ['librenms_processor_info', PROCESSOR_INFO, ({ device, record: r }) => [device.hostname, String(r.id), r.type, r.index, r.descr]],
    ({ device, record: r }) => [device.hostname, String(r.id), r.type],
    ['hostname', 'processor_id', 'processor_type'],
    [
      ['librenms_processor_usage_ratio', (r) => r.usageRatio],
      ['librenms_processor_usage_warning_ratio', (r) => r.warningRatio],
    ],
  );
  write(
    mempools,
    ['librenms_mempool_info', MEMPOOL_INFO, ({ device, record: r }) => [device.hostname, String(r.id), r.mempoolClass, r.type, r.index, r.descr]],
    ({ device, record: r }) => [device.hostname, String(r.id), r.mempoolClass],
    ['hostname', 'mempool_id', 'mempool_class'],
    [
      ['librenms_mempool_used_bytes', (r) => r.usedBytes],
      ['librenms_mempool_total_bytes', (r) => r.totalBytes],
      ['librenms_mempool_usage_ratio', (r) => r.usageRatio],
      ['librenms_mempool_usage_warning_ratio', (r) => r.warningRatio],
    ],
  );
  write(
    storage,
    ['librenms_storage_info', STORAGE_INFO, ({ device, record: r }) => [device.hostname, String(r.id), r.type, r.index, r.descr]],
    ({ device, record: r }) => [device.hostname, String(r.id), r.type],
    ['hostname', 'storage_id', 'storage_type'],
    [
      ['librenms_storage_used_bytes', (r) => r.usedBytes],
      ['librenms_storage_size_bytes', (r) => r.sizeBytes],
      ['librenms_storage_usage_ratio', (r) => r.usageRatio],
      ['librenms_storage_usage_warning_ratio', (r) => r.warningRatio],
    ],
  );
  const none = sink.labels([], []);
  const [stale, unread, unlisted] = READ_COUNTS.map((name) => sink.family(name)) as [
    ReturnType<SampleSink['family']>,
    ReturnType<SampleSink['family']>,
    ReturnType<SampleSink['family']>,
  ];
  sink.sample(stale, none, read.staleItems);
  sink.sample(unread, none, read.unreadItems);
  sink.sample(unlisted, none, read.unlistedDevices);
}

export const healthCollector: Collector = {
  name: 'health',
  enabledByDefault: false,
  description:
    'processor usage, memory pools and storage (used, size, usage ratio, LibreNMS warning thresholds), LibreNMS 26.7.0 or later, read one item per request and spread over refreshes',
  endpoints: ['/system', '/devices/:hostname/health/:type', '/devices/:hostname/health/:type/:id'],
  families: [
    'librenms_processor_info',
    'librenms_processor_usage_ratio',
    'librenms_processor_usage_warning_ratio',
    'librenms_mempool_info',
    'librenms_mempool_used_bytes',
    'librenms_mempool_total_bytes',
    'librenms_mempool_usage_ratio',
    'librenms_mempool_usage_warning_ratio',
    'librenms_storage_info',
    'librenms_storage_used_bytes',
    'librenms_storage_size_bytes',
    'librenms_storage_usage_ratio',
    'librenms_storage_usage_warning_ratio',
    ...READ_COUNTS,
  ],
  async collect(input, sink) {
    const { config } = input;
    const memory = input.memory(() => new HealthMemory(input.client));
    const started = input.now();
    const version = await input.inventory.version();
    const { devices } = input.selection;
    const { served, probed } = await memory.served(version, devices, started, config.healthIntervalMs);
    if (!served) return { summary: { health: 'not served by this LibreNMS' }, partialErrors: [], notice: healthNotice(version, probed) };
    const read = await memory.reads.read(
      runOptions(input, started, { intervalMs: config.healthIntervalMs, listsEvery: HEALTH_LISTS_EVERY, maxRequests: config.healthMaxRequests }),
    );
    writeHealth(sink, read);
    const refused = read.skipped['foreign'] ?? 0;
    return {
      ...(refused > 0 ? { notice: foreignRowsNotice(version) } : {}),
      summary: {
        health_items: read.served.reduce((n, s) => n + s.records.length, 0),
        health_requests: read.requests,
        ...(read.deferred > 0 ? { health_deferred: read.deferred } : {}),
        ...(read.staleItems > 0 ? { health_stale_items: read.staleItems } : {}),
        ...(read.unreadItems > 0 ? { health_unread_items: read.unreadItems } : {}),
        ...(read.unlistedDevices > 0 ? { health_unlisted_devices: read.unlistedDevices } : {}),
        ...(refused > 0 ? { health_refused_rows: refused } : {}),
      },
      partialErrors: read.errors,
    };
  },
};
