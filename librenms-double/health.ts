/**
 * The health and wireless routes of the double, per LibreNMS version, as
 * includes/html/api_functions.inc.php has them:
 * - `/devices/:h/health[/{type}[/{id}]]` (list_available_health_graphs). Up to 26.6 the lists read the
 *   `sensors` table only, so `device_processor|mempool|storage` lists are always empty, and with an id
 *   the route answers `SELECT * FROM sensors WHERE sensor_id = ?`: the sensor row with that id, of any
 *   device (the sensor-row bug). From 26.7.0 (PRs #19953, #19957) processors, mempools and storage are
 *   listed and served by id, scoped to the device.
 * - `/devices/:h/wireless[/{type}[/{id}]]` (list_available_wireless_graphs, every release): classes,
 *   ids per class, and by id `SELECT * FROM wireless_sensors WHERE sensor_id = ?` of any device, class
 *   or deleted flag.
 * - `/devices/:h/wireless-sensors` (get_device_wireless_sensors, 26.6.0 and later, PR #19461); before,
 *   the path falls to the graph route `{hostname}/{type}`, which fails.
 * Handlers are function declarations: api.ts and this file import each other.
 */

import { isoDate, sqlDate, versionAtLeast } from './format.js';
import { encodePhpJson } from './json.js';
import { type ApiRequest, type ApiSettings, apiError, type Reply, readsAll, serverError, success } from './reply.js';
import { compareSql, devicesForUser, lookupDevice, sensorRow, ucfirst, validateColumns } from './rows.js';
import {
  MEMPOOL_COLUMNS,
  PROCESSOR_COLUMNS,
  type SimDevice,
  type SimMempool,
  type SimProcessor,
  type SimState,
  type SimStorage,
  type SimWirelessSensor,
  storageColumns,
  WIRELESS_SENSOR_COLUMNS,
} from './state.js';

type Row = Record<string, unknown>;

/** The first release whose health routes serve processors, mempools and storage (PRs #19953 and #19957). */
export const HEALTH_ITEMS_FROM = '26.7.0';
/** The first release with /devices/:h/wireless-sensors (PR #19461). */
export const WIRELESS_SENSORS_FROM = '26.6.0';
/**
 * From 26.4.0 PermissionsCache::canAccessDevice() takes an int (PR #19429): check_device_permission()
 * of an unknown device (null) is a TypeError, a 500, for a user; before, device_permitted(null) is false: 403.
 */
const TYPED_PERMISSIONS_FROM = '26.4.0';

/** LibreNMS/Enum/WirelessSensorType.php (mcs from 26.5.0, PR #19462). */
const WIRELESS_CLASSES = [
  'ap-count',
  'clients',
  'quality',
  'capacity',
  'utilization',
  'rate',
  'mcs',
  'ccq',
  'snr',
  'sinr',
  'rsrp',
  'rsrq',
  'ssr',
  'mse',
  'xpi',
  'rssi',
  'power',
  'noise-floor',
  'errors',
  'error-ratio',
  'error-rate',
  'frequency',
  'distance',
  'cell',
  'channel',
] as const;

/**
 * A PHP error before 26.6 as the real LibreNMS of the field lane renders it (no Ignition installed):
 * 22.11 and 25.4 say `Server Error: Set APP_DEBUG=true to see details.` (live), 26.x `Server Error`.
 */
function olderServerError(): Reply {
  return {
    status: 500,
    body: encodePhpJson({ message: 'Server Error: Set APP_DEBUG=true to see details.' }, { escapeSlashes: false }),
    contentType: 'application/json',
  };
}

/**
 * check_device_permission() of a device (undefined: one LibreNMS does not know): a reply when refused,
 * undefined when allowed. Admin and global-read may read any, known or not. For an unknown device the
 * id checked is the path's digits when `idFromPath` (refused like any device the user was not given),
 * else null.
 */
function refused(state: SimState, s: ApiSettings, req: ApiRequest, device: SimDevice | undefined, idFromPath: boolean): Reply | undefined {
  const user = req.user;
  if (readsAll(user) || user === undefined) return undefined;
  if (device === undefined) {
    return versionAtLeast(s.version, TYPED_PERMISSIONS_FROM) && !idFromPath ? serverError() : apiError(403, 'Insufficient permissions to access this device');
  }
  if (!devicesForUser(state, user).has(device.device_id)) return apiError(403, 'Insufficient permissions to access this device');
  return undefined;
}

function rowOf<T>(columns: readonly (keyof T)[], item: T): Row {
  const row: Row = {};
  for (const c of columns) row[c as string] = item[c];
  return row;
}

function storageAnswerRow(s: ApiSettings): (x: SimStorage) => Row {
  const columns = storageColumns(s.version);
  return (x) => {
    const row: Row = {};
    for (const c of columns) row[c.name] = x[c.field];
    return row;
  };
}

/** The device's rows of a health kind from 26.7.0, with the id and description list_available_health_graphs reads. */
function healthItems(
  state: SimState,
  s: ApiSettings,
  device: SimDevice | undefined,
  kind: string,
): { id: number; descr: string; row: () => Row }[] | undefined {
  const id = device?.device_id;
  switch (kind) {
    case 'processor':
      return state.processors
        .filter((p) => p.device_id === id)
        .map((p: SimProcessor) => ({ id: p.processor_id, descr: p.processor_descr, row: () => rowOf(PROCESSOR_COLUMNS, p) }));
    case 'mempool':
      // $device->mempools(): deleted pools too (there is no scope on mempool_deleted)
      return state.mempools
        .filter((m) => m.device_id === id)
        .map((m: SimMempool) => ({ id: m.mempool_id, descr: m.mempool_descr, row: () => rowOf(MEMPOOL_COLUMNS, m) }));
    case 'storage': {
      const row = storageAnswerRow(s);
      return state.storage.filter((x) => x.device_id === id).map((x) => ({ id: x.storage_id, descr: x.storage_descr, row: () => row(x) }));
    }
    default:
      return undefined;
  }
}

/** GET /devices/:h/health[/{type}[/{id}]] (list_available_health_graphs). */
export function healthGraphs(state: SimState, s: ApiSettings, req: ApiRequest, [h = '', type, id]: string[]): Reply {
  const current = versionAtLeast(s.version, HEALTH_ITEMS_FROM);
  const device = lookupDevice(state, h);
  // Up to 26.6 the device id is the path's digits or getidbyname(); from 26.7 DeviceCache::get(), whose unknown device has no id.
  const denied = refused(state, s, req, device, !current && /^\d+$/.test(h));
  if (denied !== undefined) return denied;
  const sensors = state.sensors.filter((x) => x.device_id === device?.device_id && !x.sensor_deleted);
  if (type === undefined) {
    // Up to 26.6 `GROUP BY sensor_class` (sorted by it); from 26.7 Eloquent's distinct pluck, in table order.
    const classes = [...new Set(sensors.map((x) => x.sensor_class))];
    if (!current) classes.sort(compareSql);
    const graphs: Row[] = classes.map((c) => ({ desc: ucfirst(c), name: `device_${c}` }));
    if (device !== undefined) {
      if (state.processors.some((p) => p.device_id === device.device_id)) graphs.push({ desc: 'Processors', name: 'device_processor' });
      if (state.storage.some((x) => x.device_id === device.device_id)) graphs.push({ desc: 'Storage', name: 'device_storage' });
      if (state.mempools.some((m) => m.device_id === device.device_id)) graphs.push({ desc: 'Memory Pools', name: 'device_mempool' });
    }
    return success(s, graphs, 'graphs');
  }
  const kind = type.replace(/^device_/, '');
  const wanted = id === undefined ? undefined : Number.parseInt(id, 10);
  if (!current) {
    // The sensor-row bug: by id, the sensor row with that id, whatever the type, device or deleted flag.
    if (wanted !== undefined) return success(s, state.sensors.filter((x) => x.sensor_id === wanted).map(sensorRow(s)), 'graphs');
    return success(
      s,
      sensors.filter((x) => x.sensor_class === kind).map((x) => ({ sensor_id: x.sensor_id, desc: x.sensor_descr })),
      'graphs',
    );
  }
  const items =
    healthItems(state, s, device, kind) ??
    sensors.filter((x) => x.sensor_class === kind).map((x) => ({ id: x.sensor_id, descr: x.sensor_descr, row: () => sensorRow(s)(x) }));
  if (wanted !== undefined)
    return success(
      s,
      items.filter((i) => i.id === wanted).map((i) => i.row()),
      'graphs',
    );
  return success(
    s,
    items.map((i) => ({ sensor_id: i.id, desc: i.descr })),
    'graphs',
  );
}

/** A `SELECT *` row of wireless_sensors: the date as SQL text, `sensor_oids` the stored JSON text. */
function rawWirelessRow(x: SimWirelessSensor): Row {
  const row: Row = {};
  for (const c of WIRELESS_SENSOR_COLUMNS) {
    if (c === 'lastupdate') row[c] = sqlDate(x.lastupdate);
    else if (c === 'sensor_oids') row[c] = encodePhpJson(x.sensor_oids, { pretty: false });
    else row[c] = x[c];
  }
  return row;
}

/** The WirelessSensor model's row: `lastupdate` is its UPDATED_AT (ISO 8601), `sensor_oids` cast to an array. */
function eloquentWirelessRow(x: SimWirelessSensor, columns: readonly string[]): Row {
  const row: Row = {};
  for (const c of columns) {
    const key = c as keyof SimWirelessSensor;
    row[c] = key === 'lastupdate' ? isoDate(x.lastupdate) : x[key];
  }
  return row;
}

/** GET /devices/:h/wireless[/{type}[/{id}]] (list_available_wireless_graphs, the same in every release). */
export function wirelessGraphs(state: SimState, s: ApiSettings, req: ApiRequest, [h = '', type, id]: string[]): Reply {
  const device = lookupDevice(state, h);
  // The device id is the path's digits or getidbyname() (null for an unknown name).
  const denied = refused(state, s, req, device, /^\d+$/.test(h));
  if (denied !== undefined) return denied;
  const sensors = state.wirelessSensors.filter((x) => x.device_id === device?.device_id && !x.sensor_deleted);
  // `[, , $type] = explode('_', $input_type)`: a type without two underscores has no third part, a PHP
  // warning. Seen live: 22.11 and 25.4 carry on with no type (the class list), 26.7 answers 500.
  const cls = type === undefined ? undefined : type.split('_')[2];
  if (type !== undefined && cls === undefined && versionAtLeast(s.version, '26.7.0')) return serverError();
  if (cls === undefined) {
    const classes = [...new Set(sensors.map((x) => x.sensor_class))].sort(compareSql);
    return success(
      s,
      classes.map((c) => ({ desc: ucfirst(c), name: `device_wireless_${c}` })),
      'graphs',
    );
  }
  if (id !== undefined) {
    const wanted = Number.parseInt(id, 10);
    return success(s, state.wirelessSensors.filter((x) => x.sensor_id === wanted).map(rawWirelessRow), 'graphs');
  }
  return success(
    s,
    sensors.filter((x) => x.sensor_class === cls).map((x) => ({ sensor_id: x.sensor_id, desc: x.sensor_descr })),
    'graphs',
  );
}

/** GET /devices/:h/wireless-sensors (get_device_wireless_sensors, 26.6.0 and later). */
export function deviceWirelessSensors(state: SimState, s: ApiSettings, req: ApiRequest, [h = '']: string[]): Reply {
  const device = lookupDevice(state, h);
  if (!versionAtLeast(s.version, WIRELESS_SENSORS_FROM)) {
    // The graph route `{hostname}/{type}` (get_graph_generic_by_hostname) checks the device, then cannot
    // draw a graph of type `wireless-sensors` (no includes/html/graphs//auth.inc.php): a PHP error.
    const denied = refused(state, s, req, device, /^\d+$/.test(h));
    return denied !== undefined && denied.status === 403 ? denied : olderServerError();
  }
  const cls = req.query['class'];
  if (cls !== undefined && cls !== '' && !(WIRELESS_CLASSES as readonly string[]).includes(cls)) return apiError(400, `Invalid wireless sensor class '${cls}'`);
  const columns = validateColumns(req.query['columns'], new Set<string>(WIRELESS_SENSOR_COLUMNS), [...WIRELESS_SENSOR_COLUMNS]);
  // WirelessSensor::hasAccess(): a user reads the sensors of the devices it may read, and else none (a 404, not a 403).
  const user = req.user;
  const allowed = readsAll(user) || user === undefined ? undefined : devicesForUser(state, user);
  const rows = state.wirelessSensors
    .filter((x) => !x.sensor_deleted && x.device_id === device?.device_id && (allowed === undefined || allowed.has(x.device_id)))
    .filter((x) => cls === undefined || cls === '' || x.sensor_class === cls)
    .sort((a, b) => compareSql(a.sensor_class, b.sensor_class) || compareSql(a.sensor_index, b.sensor_index) || compareSql(a.sensor_descr, b.sensor_descr));
  if (rows.length === 0) return apiError(404, cls !== undefined && cls !== '' ? `No wireless sensors found for class '${cls}'` : 'No wireless sensors found');
  return success(
    s,
    rows.map((x) => eloquentWirelessRow(x, columns)),
    'wireless_sensors',
  );
}

// ---------------------------------------------------------------------------------------------
// the workshop lab's items (fixtures.ts) and a large install's (the request-count tests)

type ProcessorSpec = Pick<SimProcessor, 'processor_id' | 'device_id' | 'processor_type' | 'processor_index' | 'processor_descr' | 'processor_usage'>;
type MempoolSpec = Pick<
  SimMempool,
  'mempool_id' | 'device_id' | 'mempool_type' | 'mempool_class' | 'mempool_index' | 'mempool_descr' | 'mempool_total' | 'mempool_used'
> &
  Partial<SimMempool>;
type StorageSpec = Pick<
  SimStorage,
  'storage_id' | 'device_id' | 'type' | 'storage_type' | 'storage_index' | 'storage_descr' | 'storage_size' | 'storage_used'
> &
  Partial<SimStorage>;

/** A processors row with LibreNMS's defaults (precision 1, warning at 75 %). */
export function processorRow(spec: ProcessorSpec & Partial<SimProcessor>): SimProcessor {
  return {
    entPhysicalIndex: 0,
    hrDeviceIndex: null,
    processor_oid: `.1.3.6.1.2.1.25.3.3.1.2.${spec.processor_index}`,
    processor_precision: 1,
    processor_perc_warn: 75,
    ...spec,
  };
}

/** A mempools row (bytes rounded: bigint columns): free and the whole percent from used and total, as LibreNMS fills them (Mempool::fillUsage). */
export function mempoolRow(spec: MempoolSpec): SimMempool {
  const total = Math.round(spec.mempool_total);
  const used = Math.round(spec.mempool_used);
  return {
    entPhysicalIndex: null,
    mempool_precision: 1,
    mempool_perc: Math.round((used / total) * 100),
    mempool_perc_oid: null,
    mempool_used_oid: null,
    mempool_free: total - used,
    mempool_free_oid: null,
    mempool_total_oid: null,
    mempool_largestfree: null,
    mempool_lowestfree: null,
    mempool_deleted: 0,
    mempool_perc_warn: 90,
    ...spec,
    mempool_total: total,
    mempool_used: used,
  };
}

/** A storage row (bytes rounded: bigint columns): free and the whole percent from used and size, warning at 60 % (LibreNMS's default). */
export function storageRow(spec: StorageSpec): SimStorage {
  const size = Math.round(spec.storage_size);
  const used = Math.round(spec.storage_used);
  return {
    storage_size_oid: null,
    storage_units: 4096,
    storage_used_oid: null,
    storage_free: size - used,
    storage_free_oid: null,
    storage_perc: Math.round((used / size) * 100),
    storage_perc_oid: null,
    storage_perc_warn: 60,
    storage_deleted: 0,
    ...spec,
    storage_size: size,
    storage_used: used,
  };
}

/** A wireless_sensors row with LibreNMS's defaults. */
export function wirelessRow(
  spec: Pick<
    SimWirelessSensor,
    'sensor_id' | 'device_id' | 'sensor_class' | 'sensor_index' | 'sensor_type' | 'sensor_descr' | 'sensor_current' | 'lastupdate'
  > &
    Partial<SimWirelessSensor>,
): SimWirelessSensor {
  return {
    sensor_deleted: 0,
    sensor_divisor: 1,
    sensor_multiplier: 1,
    sensor_aggregator: 'sum',
    sensor_prev: spec.sensor_current,
    sensor_limit: null,
    sensor_limit_warn: null,
    sensor_limit_low: null,
    sensor_limit_low_warn: null,
    sensor_alert: 1,
    sensor_custom: 'No',
    entPhysicalIndex: null,
    entPhysicalIndex_measured: null,
    sensor_oids: [],
    access_point_id: null,
    rrd_type: 'GAUGE',
    ...spec,
  };
}

const GIB = 1024 ** 3;

/** The lab's processors, memory pools, storage and the lobby AP's wireless sensors (fixtures.ts, labState). */
export function addLabHealth(s: SimState): void {
  const now = s.clock;
  s.processors.push(
    processorRow({ processor_id: 1, device_id: 1, processor_type: 'hr', processor_index: '1', processor_descr: 'CPU 0', processor_usage: 7 }),
    processorRow({
      processor_id: 2,
      device_id: 2,
      processor_type: 'hr',
      processor_index: '196608',
      processor_descr: 'Intel Xeon E-2288G',
      processor_usage: 23,
    }),
    processorRow({
      processor_id: 3,
      device_id: 2,
      processor_type: 'hr',
      processor_index: '196609',
      processor_descr: 'Intel Xeon E-2288G',
      processor_usage: 91,
    }),
    processorRow({
      processor_id: 4,
      device_id: 3,
      processor_type: 'cpm',
      processor_index: '7000',
      processor_descr: 'Switch 1 - Processor',
      processor_usage: 12,
      entPhysicalIndex: 1000,
      processor_oid: '.1.3.6.1.4.1.9.9.109.1.1.1.1.8.7000',
    }),
    processorRow({ processor_id: 5, device_id: 4, processor_type: 'hr', processor_index: '1', processor_descr: 'Processor', processor_usage: 18 }),
  );
  s.mempools.push(
    mempoolRow({
      mempool_id: 1,
      device_id: 1,
      mempool_type: 'hrstorage',
      mempool_class: 'system',
      mempool_index: '65536',
      mempool_descr: 'main memory',
      mempool_total: GIB,
      mempool_used: 0.28 * GIB,
    }),
    mempoolRow({
      mempool_id: 2,
      device_id: 2,
      mempool_type: 'hrstorage',
      mempool_class: 'system',
      mempool_index: '1',
      mempool_descr: 'Physical memory',
      mempool_total: 16 * GIB,
      mempool_used: 13.9 * GIB,
    }),
    mempoolRow({
      mempool_id: 3,
      device_id: 2,
      mempool_type: 'hrstorage',
      mempool_class: 'swap',
      mempool_index: '10',
      mempool_descr: 'Swap space',
      mempool_total: 4 * GIB,
      mempool_used: 0.5 * GIB,
    }),
    mempoolRow({
      mempool_id: 4,
      device_id: 2,
      mempool_type: 'hrstorage',
      mempool_class: 'cached',
      mempool_index: '7',
      mempool_descr: 'Cached memory',
      mempool_total: 16 * GIB,
      mempool_used: 5 * GIB,
    }),
    mempoolRow({
      mempool_id: 5,
      device_id: 3,
      mempool_type: 'cemp',
      mempool_class: 'system',
      mempool_index: '1.1',
      mempool_descr: 'Processor',
      mempool_total: 1.6 * GIB,
      mempool_used: 0.45 * GIB,
    }),
    // Gone from the switch since an IOS-XE upgrade: LibreNMS keeps it marked deleted, and still serves it.
    mempoolRow({
      mempool_id: 6,
      device_id: 3,
      mempool_type: 'cemp',
      mempool_class: 'system',
      mempool_index: '1.2',
      mempool_descr: 'lsmpi_io',
      mempool_total: 6 * 1024 ** 2,
      mempool_used: 6 * 1024 ** 2 - 208,
      mempool_deleted: 1,
    }),
    mempoolRow({
      mempool_id: 7,
      device_id: 4,
      mempool_type: 'hrstorage',
      mempool_class: 'system',
      mempool_index: '1',
      mempool_descr: 'Physical memory',
      mempool_total: 0.5 * GIB,
      mempool_used: 0.31 * GIB,
    }),
  );
  s.storage.push(
    storageRow({
      storage_id: 1,
      device_id: 1,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '131072',
      storage_descr: 'system disk',
      storage_size: 128 * 1024 ** 2,
      storage_used: 22 * 1024 ** 2,
    }),
    storageRow({
      storage_id: 2,
      device_id: 2,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '31',
      storage_descr: '/',
      storage_size: 98 * GIB,
      storage_used: 41 * GIB,
    }),
    storageRow({
      storage_id: 3,
      device_id: 2,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '32',
      storage_descr: '/boot',
      storage_size: 2 * GIB,
      storage_used: 0.3 * GIB,
    }),
    // The workshop's "disk nearly full" case: LibreNMS's RRD and MariaDB files.
    storageRow({
      storage_id: 4,
      device_id: 2,
      type: 'hrstorage',
      storage_type: 'hrStorageFixedDisk',
      storage_index: '36',
      storage_descr: '/opt/librenms',
      storage_size: 50 * GIB,
      storage_used: 46.5 * GIB,
      storage_perc_warn: 80,
    }),
    storageRow({
      storage_id: 5,
      device_id: 3,
      type: 'cisco-flash',
      storage_type: 'flash',
      storage_index: '1.1',
      storage_descr: 'flash:',
      storage_size: 11 * GIB,
      storage_used: 3.2 * GIB,
      storage_units: 1,
    }),
  );
  s.wirelessSensors.push(
    wirelessRow({
      sensor_id: 1,
      device_id: 4,
      sensor_class: 'clients',
      sensor_index: '0',
      sensor_type: 'unifi',
      sensor_descr: 'Clients: Radio0 (2.4 GHz)',
      sensor_current: 7,
      lastupdate: now,
    }),
    wirelessRow({
      sensor_id: 2,
      device_id: 4,
      sensor_class: 'clients',
      sensor_index: '1',
      sensor_type: 'unifi',
      sensor_descr: 'Clients: Radio1 (5 GHz)',
      sensor_current: 19,
      lastupdate: now,
    }),
    wirelessRow({
      sensor_id: 3,
      device_id: 4,
      sensor_class: 'frequency',
      sensor_index: '1',
      sensor_type: 'unifi',
      sensor_descr: 'Frequency: Radio1 (5 GHz)',
      sensor_current: 5500,
      lastupdate: now,
    }),
    wirelessRow({
      sensor_id: 4,
      device_id: 4,
      sensor_class: 'utilization',
      sensor_index: '1',
      sensor_type: 'unifi',
      sensor_descr: 'Utilization: Radio1 (5 GHz)',
      sensor_current: 34,
      lastupdate: now,
    }),
    wirelessRow({
      sensor_id: 5,
      device_id: 4,
      sensor_class: 'power',
      sensor_index: '1',
      sensor_type: 'unifi',
      sensor_descr: 'Tx Power: Radio1 (5 GHz)',
      sensor_current: 20,
      lastupdate: now,
    }),
    wirelessRow({
      sensor_id: 6,
      device_id: 4,
      sensor_class: 'ccq',
      sensor_index: '1',
      sensor_type: 'unifi',
      sensor_descr: 'CCQ: Radio1 (5 GHz)',
      sensor_current: 96.5,
      lastupdate: now,
    }),
  );
}

/** Per device, the health items and wireless sensors of a large install. */
export interface SyntheticHealth {
  readonly processors: number;
  readonly mempools: number;
  readonly storage: number;
  /** Every n-th device has wireless sensors (0: none). */
  readonly wirelessEvery?: number;
  /** Wireless sensors of such a device, over three classes. */
  readonly wirelessSensors?: number;
}

/** Adds health items (and wireless sensors) to every device of `s` (syntheticState), with ids counted from 1. */
export function addSyntheticHealth(s: SimState, spec: SyntheticHealth): void {
  let processor = 0;
  let mempool = 0;
  let storage = 0;
  let sensor = 0;
  const classes = ['clients', 'rate', 'noise-floor'] as const;
  for (const device of s.devices) {
    const id = device.device_id;
    for (let i = 0; i < spec.processors; i++) {
      processor++;
      s.processors.push(
        processorRow({
          processor_id: processor,
          device_id: id,
          processor_type: 'cpm',
          processor_index: String(i + 1),
          processor_descr: `CPU ${i}`,
          processor_usage: (id * 7 + i * 13) % 100,
        }),
      );
    }
    for (let i = 0; i < spec.mempools; i++) {
      mempool++;
      s.mempools.push(
        mempoolRow({
          mempool_id: mempool,
          device_id: id,
          mempool_type: 'cemp',
          mempool_class: 'system',
          mempool_index: `1.${i + 1}`,
          mempool_descr: i === 0 ? 'Processor' : `Pool ${i}`,
          mempool_total: 2 * GIB,
          mempool_used: ((id + i) % 90) * 0.02 * GIB,
        }),
      );
    }
    for (let i = 0; i < spec.storage; i++) {
      storage++;
      s.storage.push(
        storageRow({
          storage_id: storage,
          device_id: id,
          type: 'cisco-flash',
          storage_type: 'flash',
          storage_index: `1.${i + 1}`,
          storage_descr: `flash${i}:`,
          storage_size: 4 * GIB,
          storage_used: ((id * 3 + i) % 95) * 0.04 * GIB,
        }),
      );
    }
    if (spec.wirelessEvery !== undefined && spec.wirelessEvery > 0 && id % spec.wirelessEvery === 0) {
      for (let i = 0; i < (spec.wirelessSensors ?? 0); i++) {
        sensor++;
        const sensorClass = classes[i % classes.length] as string;
        s.wirelessSensors.push(
          wirelessRow({
            sensor_id: sensor,
            device_id: id,
            sensor_class: sensorClass,
            sensor_index: String(i),
            sensor_type: 'ios',
            sensor_descr: `${sensorClass} ${i}`,
            sensor_current: i + 1,
            lastupdate: s.clock,
          }),
        );
      }
    }
  }
}
