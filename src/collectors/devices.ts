/** The `devices` collector: `/api/v0/devices` to device status, uptime and info metrics. */
import { DEVICE_FAMILIES } from '../metrics/catalog.js';
import { ExpositionWriter, writeFamily } from '../metrics/exposition.js';
import { mapDevices, type DeviceRecord } from '../mapping/devices.js';
import { selectDevices } from '../selection.js';
import type { Collector, CollectorResult, RefreshContext } from './collector.js';

const [INFO, UP, UPTIME, , POLL_DURATION] = DEVICE_FAMILIES;
const INFO_LABELS = INFO.labels;

/** Renders the device families (all but last-polled, which the ports collector derives from poll_time). */
export function renderDevices(devices: readonly DeviceRecord[], writer: ExpositionWriter = new ExpositionWriter()): ExpositionWriter {
  const infoLabels = devices.map((d) =>
    writer.labels(INFO_LABELS, [d.hostname, d.sysName, d.display, d.os, d.hardware, d.version, d.location, d.deviceType]),
  );
  writeFamily(writer, INFO, devices, infoLabels, () => 1);
  const idLabels = devices.map((d) => writer.labels(['hostname'], [d.hostname]));
  writeFamily(writer, UP, devices, idLabels, (d) => d.up);
  writeFamily(writer, UPTIME, devices, idLabels, (d) => d.uptimeSeconds);
  writeFamily(writer, POLL_DURATION, devices, idLabels, (d) => d.pollDurationSeconds);
  return writer;
}

export const devicesCollector: Collector = {
  name: 'devices',
  async collect(context: RefreshContext): Promise<CollectorResult> {
    const rows = await context.inventory.devices();
    const known = mapDevices(rows, {
      includeDisabled: context.config.exportDisabledDevices,
      timeZone: context.config.librenmsTimezone,
    });
    const devices = await selectDevices(known, context.config.filters, context.scope, context.inventory);
    context.knownDevices = known.length;
    context.devices = devices;
    const writer = renderDevices(devices, new ExpositionWriter(context.constLabels));
    return { series: writer.seriesCount, rendered: writer.finish(), summary: { devices: devices.length }, partialErrors: [] };
  },
};
