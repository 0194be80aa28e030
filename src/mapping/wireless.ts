/**
 * Pure mapping of LibreNMS wireless sensor rows (`wireless_sensors`), as `/devices/:id/wireless-sensors`
 * (26.6.0 and later) and `/devices/:id/wireless/device_wireless_<class>/:id` (every release) give them.
 * `sensor_current` is LibreNMS's final value (divisor and multiplier applied at poll time), in the unit
 * of its class (lang/en/wireless.php); each class has its own family, in base units where the class
 * allows it.
 */
import type { FamilyName } from '../exposition/catalog.js';
import { labelText } from './text.js';
import { readFlag, readInteger, readNumber, readText } from './values.js';

/** How a class is exported: its family, and how LibreNMS's unit becomes the family's. */
export interface WirelessClass {
  readonly family: FamilyName;
  readonly convert?: (value: number) => number;
  /** A counter (LibreNMS keeps it as an RRD COUNTER): negative values are left out. */
  readonly counter?: boolean;
}

const percent = (value: number): number => value / 100;
const bitsToBytes = (value: number): number => value / 8;
const megahertz = (value: number): number => value * 1e6;

/** Every class of LibreNMS's `WirelessSensorType` (LibreNMS/Enum/WirelessSensorType.php), with its unit (lang/en/wireless.php). */
export const WIRELESS_CLASSES: Readonly<Record<string, WirelessClass>> = {
  'ap-count': { family: 'librenms_wireless_access_points' },
  clients: { family: 'librenms_wireless_clients' },
  quality: { family: 'librenms_wireless_quality_ratio', convert: percent }, // %
  capacity: { family: 'librenms_wireless_capacity_ratio', convert: percent }, // %
  utilization: { family: 'librenms_wireless_utilization_ratio', convert: percent }, // %
  rate: { family: 'librenms_wireless_rate_bytes_per_second', convert: bitsToBytes }, // bps
  mcs: { family: 'librenms_wireless_mcs_index' }, // 26.5.0 and later (PR #19462)
  ccq: { family: 'librenms_wireless_ccq_ratio', convert: percent }, // %
  snr: { family: 'librenms_wireless_snr_db' },
  sinr: { family: 'librenms_wireless_sinr_db' },
  rsrp: { family: 'librenms_wireless_rsrp_dbm' },
  rsrq: { family: 'librenms_wireless_rsrq_db' },
  ssr: { family: 'librenms_wireless_ssr_db' },
  mse: { family: 'librenms_wireless_mse_db' },
  xpi: { family: 'librenms_wireless_xpi_db' },
  rssi: { family: 'librenms_wireless_rssi_dbm' },
  power: { family: 'librenms_wireless_power_dbm' },
  'noise-floor': { family: 'librenms_wireless_noise_floor_dbm' },
  // LibreNMS/Device/WirelessSensor.php, getTypes(): 'errors' => ['type' => 'counter']
  errors: { family: 'librenms_wireless_errors_total', counter: true },
  'error-ratio': { family: 'librenms_wireless_error_ratio', convert: percent }, // %
  'error-rate': { family: 'librenms_wireless_error_rate_bytes_per_second', convert: bitsToBytes }, // bps
  frequency: { family: 'librenms_wireless_frequency_hertz', convert: megahertz }, // MHz
  distance: { family: 'librenms_wireless_distance_meters' }, // m
  cell: { family: 'librenms_wireless_cell' },
  channel: { family: 'librenms_wireless_channel' },
};

/** The family of a class this exporter does not know yet (a newer LibreNMS): its value as LibreNMS gives it. */
export const OTHER_WIRELESS_FAMILY: FamilyName = 'librenms_wireless_sensor_value';

export interface WirelessRecord {
  readonly id: number;
  readonly sensorClass: string;
  readonly descr: string;
  readonly index: string;
  /** `sensor_type`: the OS or MIB that found it. */
  readonly type: string;
  /** The family the value goes to. */
  readonly family: FamilyName;
  /** In the family's unit; unknown (null, garbage, a negative counter) is left out. */
  readonly value: number | undefined;
}

/** What was asked for: a row counts only when it is of this device (and of this class and id, when given). */
export interface WirelessExpected {
  readonly deviceId: number;
  readonly sensorClass?: string;
  readonly id?: number;
}

/**
 * A wireless sensor row, or undefined when it is not one to export: not an object, of another device,
 * class or id than asked (`/wireless/<type>/:id` looks the id up alone: list_available_wireless_graphs
 * in includes/html/api_functions.inc.php), deleted (`sensor_deleted`), or without an id or class.
 */
export function mapWirelessSensor(row: unknown, expected: WirelessExpected): WirelessRecord | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const r = row as Record<string, unknown>;
  const id = readInteger(r['sensor_id']);
  const sensorClass = readText(r['sensor_class'])?.trim();
  if (id === undefined || sensorClass === undefined || sensorClass === '') return undefined;
  if (readInteger(r['device_id']) !== expected.deviceId) return undefined;
  if (expected.id !== undefined && id !== expected.id) return undefined;
  if (expected.sensorClass !== undefined && sensorClass !== expected.sensorClass) return undefined;
  if (readFlag(r['sensor_deleted']) !== false) return undefined;
  const known = WIRELESS_CLASSES[sensorClass];
  const raw = readNumber(r['sensor_current']);
  const value = raw === undefined || (known?.counter === true && raw < 0) ? undefined : (known?.convert?.(raw) ?? raw);
  return {
    id,
    sensorClass: labelText(sensorClass),
    descr: labelText(readText(r['sensor_descr'])?.trim()),
    index: labelText(readText(r['sensor_index'])),
    type: labelText(readText(r['sensor_type'])),
    family: known?.family ?? OTHER_WIRELESS_FAMILY,
    value,
  };
}

/** The classes `/devices/:id/wireless` lists (`{desc, name: "device_wireless_<class>"}`), each once. */
export function readWirelessClasses(rows: readonly unknown[]): string[] {
  const classes = new Set<string>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const name = readText((row as Record<string, unknown>)['name']);
    const match = name === undefined ? null : /^device_wireless_(.+)$/.exec(name);
    if (match?.[1] !== undefined) classes.add(match[1]);
  }
  return [...classes];
}
