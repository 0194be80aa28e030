/** The `sensors` collector: LibreNMS health sensors (`/api/v0/resources/sensors`) of the selected devices. */
import { SENSOR_FAMILIES } from '../metrics/catalog.js';
import { ExpositionWriter, writeFamily } from '../metrics/exposition.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { mapSensors, type SensorRecord } from '../mapping/sensors.js';
import type { Collector, CollectorResult, RefreshContext } from './collector.js';

const [VALUE, LIMIT_HIGH, LIMIT_HIGH_WARNING, LIMIT_LOW, LIMIT_LOW_WARNING] = SENSOR_FAMILIES;

/** Renders the sensor value and its limits (those set in LibreNMS) for the sensors of `devices`. */
export function renderSensors(devices: readonly DeviceRecord[], sensors: readonly SensorRecord[], writer = new ExpositionWriter()): ExpositionWriter {
  const selected = new Set(devices);
  const shown = sensors.filter((s) => selected.has(s.device));
  const labels = shown.map((s) => writer.labels(VALUE.labels, [s.device.hostname, s.sensorClass, s.sensorDescr, s.sensorIndex]));
  writeFamily(writer, VALUE, shown, labels, (s) => s.value);
  writeFamily(writer, LIMIT_HIGH, shown, labels, (s) => s.limitHigh);
  writeFamily(writer, LIMIT_HIGH_WARNING, shown, labels, (s) => s.limitHighWarning);
  writeFamily(writer, LIMIT_LOW, shown, labels, (s) => s.limitLow);
  writeFamily(writer, LIMIT_LOW_WARNING, shown, labels, (s) => s.limitLowWarning);
  return writer;
}

export const sensorsCollector: Collector = {
  name: 'sensors',
  async collect(context: RefreshContext): Promise<CollectorResult> {
    const devices = context.devices;
    if (devices === undefined) throw new Error('sensors skipped: the device list could not be read from LibreNMS');
    const sensors = mapSensors(await context.client.listSensors(), devices);
    const writer = renderSensors(devices, sensors, new ExpositionWriter(context.constLabels));
    return { series: writer.seriesCount, rendered: writer.finish(), summary: { sensors: sensors.length }, partialErrors: [] };
  },
};
