/** The `sensors` collector: LibreNMS health sensors (`/api/v0/resources/sensors`) of the selected devices. */
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import { mapSensors, type SensorRecord } from '../mapping/sensors.js';
import type { Collector } from './collector.js';

/** Writes each sensor's value and the limits set in LibreNMS. */
export function writeSensors(sink: SampleSink, sensors: readonly SensorRecord[]): void {
  const id = labelsEach(sink, sensors, ['hostname', 'sensor_class', 'sensor_descr', 'sensor_index', 'sensor_id'], (s) => [
    s.device.hostname,
    s.sensorClass,
    s.sensorDescr,
    s.sensorIndex,
    s.sensorId === undefined ? '' : String(s.sensorId),
  ]);
  sampleEach(sink, 'librenms_sensor_value', sensors, id, (s) => s.value);
  sampleEach(sink, 'librenms_sensor_limit_high', sensors, id, (s) => s.limitHigh);
  sampleEach(sink, 'librenms_sensor_limit_high_warning', sensors, id, (s) => s.limitHighWarning);
  sampleEach(sink, 'librenms_sensor_limit_low', sensors, id, (s) => s.limitLow);
  sampleEach(sink, 'librenms_sensor_limit_low_warning', sensors, id, (s) => s.limitLowWarning);
  sampleEach(sink, 'librenms_sensor_alert_enabled', sensors, id, (s) => (s.alertEnabled === undefined ? undefined : s.alertEnabled ? 1 : 0));
}

export const sensorsCollector: Collector = {
  name: 'sensors',
  enabledByDefault: true,
  description: 'health sensors (temperature, voltage, fan speed, optical power, state, …) with their limits',
  endpoints: ['/resources/sensors'],
  families: [
    'librenms_sensor_value',
    'librenms_sensor_limit_high',
    'librenms_sensor_limit_high_warning',
    'librenms_sensor_limit_low',
    'librenms_sensor_limit_low_warning',
    'librenms_sensor_alert_enabled',
  ],
  async collect(input, sink) {
    const sensors = mapSensors(await input.inventory.sensors(), input.selection.devices);
    writeSensors(sink, sensors);
    return { summary: { sensors: sensors.length }, partialErrors: [] };
  },
};
