/** Pure mapping of `/api/v0/resources/sensors` rows to sensor records. */
import { type DeviceRecord, deviceOfRow } from './devices.js';
import { labelText } from './text.js';
import { readFlag, readInteger, readNumber, readText } from './values.js';

export interface SensorRecord {
  readonly device: DeviceRecord;
  readonly sensorId: number | undefined;
  /** Identity labels, with `hostname` from the device. */
  readonly sensorClass: string;
  readonly sensorDescr: string;
  readonly sensorIndex: string;
  /** `sensor_current` in the sensor's own unit; may be negative (dBm, °C below zero). */
  readonly value: number | undefined;
  /** `sensor_limit` */
  readonly limitHigh: number | undefined;
  /** `sensor_limit_warn` */
  readonly limitHighWarning: number | undefined;
  /** `sensor_limit_low` */
  readonly limitLow: number | undefined;
  /** `sensor_limit_low_warn` */
  readonly limitLowWarning: number | undefined;
  /** `sensor_alert`: whether LibreNMS alerts on this sensor; undefined when not sent. */
  readonly alertEnabled: boolean | undefined;
}

/**
 * Maps raw sensor rows of the selected devices (joined by `device_id`, or by `hostname` when a row
 * has no usable id). Deleted sensors (`sensor_deleted`) and rows without a class are left out. Values
 * are read as signed numbers; null, "" and garbage are unknown and left out, never 0. Sensors are
 * keyed by LibreNMS's `sensor_id` (a label of every series), so two sensors that share class, descr
 * and index (another sensor_type in LibreNMS) are both kept; only a repeated `sensor_id`, or a
 * repeated identity among rows without an id, is dropped.
 */
export function mapSensors(rows: readonly unknown[], devices: readonly DeviceRecord[]): SensorRecord[] {
  const deviceOf = deviceOfRow(devices);
  const sensors: SensorRecord[] = [];
  const seenIds = new Set<number>();
  const seenIdentities = new Set<string>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as Record<string, unknown>;
    const device = deviceOf(r);
    if (device === undefined) continue;
    if (readFlag(r['sensor_deleted']) === true) continue;
    const sensorClass = labelText(readText(r['sensor_class'])?.trim());
    if (sensorClass === '') continue;
    const sensorId = readInteger(r['sensor_id']);
    const sensorDescr = labelText(readText(r['sensor_descr'])?.trim());
    const sensorIndex = labelText(readText(r['sensor_index']));
    if (sensorId !== undefined) {
      if (seenIds.has(sensorId)) continue;
      seenIds.add(sensorId);
    } else {
      const identity = `${device.hostname}\u0000${sensorClass}\u0000${sensorDescr}\u0000${sensorIndex}`;
      if (seenIdentities.has(identity)) continue;
      seenIdentities.add(identity);
    }
    sensors.push({
      device,
      sensorId,
      sensorClass,
      sensorDescr,
      sensorIndex,
      value: readNumber(r['sensor_current']),
      limitHigh: readNumber(r['sensor_limit']),
      limitHighWarning: readNumber(r['sensor_limit_warn']),
      limitLow: readNumber(r['sensor_limit_low']),
      limitLowWarning: readNumber(r['sensor_limit_low_warn']),
      alertEnabled: readFlag(r['sensor_alert']),
    });
  }
  return sensors;
}
