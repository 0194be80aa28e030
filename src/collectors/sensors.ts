/** The `sensors` collector: LibreNMS health sensors (`/api/v0/resources/sensors`) of the selected devices. */
import { family } from '../exposition/catalog.js';
import { ExpositionWriter, writeFamily } from '../exposition/writer.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { mapSensors, type SensorRecord } from '../mapping/sensors.js';
import type { Collector, CollectorInput, CollectorResult } from './collector.js';

const VALUE = family('librenms_sensor_value');
const LIMIT_HIGH = family('librenms_sensor_limit_high');
const LIMIT_HIGH_WARNING = family('librenms_sensor_limit_high_warning');
const LIMIT_LOW = family('librenms_sensor_limit_low');
const LIMIT_LOW_WARNING = family('librenms_sensor_limit_low_warning');
const ALERT_ENABLED = family('librenms_sensor_alert_enabled');

/** Renders the sensor value and its limits (those set in LibreNMS) for the sensors of `devices`. */
export function renderSensors(devices: readonly DeviceRecord[], sensors: readonly SensorRecord[], writer = new ExpositionWriter()): ExpositionWriter {
  const selected = new Set(devices);
  const shown = sensors.filter((s) => selected.has(s.device));
  const labels = shown.map((s) =>
    writer.labels(VALUE.labels, [s.device.hostname, s.sensorClass, s.sensorDescr, s.sensorIndex, s.sensorId === undefined ? '' : String(s.sensorId)]),
  );
  writeFamily(writer, VALUE, shown, labels, (s) => s.value);
  writeFamily(writer, LIMIT_HIGH, shown, labels, (s) => s.limitHigh);
  writeFamily(writer, LIMIT_HIGH_WARNING, shown, labels, (s) => s.limitHighWarning);
  writeFamily(writer, LIMIT_LOW, shown, labels, (s) => s.limitLow);
  writeFamily(writer, LIMIT_LOW_WARNING, shown, labels, (s) => s.limitLowWarning);
  writeFamily(writer, ALERT_ENABLED, shown, labels, (s) => (s.alertEnabled === undefined ? undefined : s.alertEnabled ? 1 : 0));
  return writer;
}

export const sensorsCollector: Collector = {
  name: 'sensors',
  async collect(input: CollectorInput): Promise<CollectorResult> {
    const { devices } = input.selection;
    const sensors = mapSensors(await input.inventory.sensors(), devices);
    const writer = renderSensors(devices, sensors, new ExpositionWriter(input.constLabels));
    return { series: writer.seriesCount, rendered: writer.finish(), summary: { sensors: sensors.length }, partialErrors: [] };
  },
};
