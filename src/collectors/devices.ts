/**
 * The `devices` collector: device status, uptime and info metrics of the selected devices. It fetches
 * nothing itself: the selection step has read `/api/v0/devices` already.
 */
import { family } from '../exposition/catalog.js';
import { ExpositionWriter, writeFamily } from '../exposition/writer.js';
import type { DeviceRecord } from '../mapping/devices.js';
import type { Collector, CollectorInput, CollectorResult } from './collector.js';

const INFO = family('librenms_device_info');
const UP = family('librenms_device_up');
const UPTIME = family('librenms_device_uptime_seconds');
const LAST_POLLED = family('librenms_device_last_polled_timestamp_seconds');
const POLL_DURATION = family('librenms_device_poll_duration_seconds');
const PING = family('librenms_device_ping_seconds');
const DOWN_REASON = family('librenms_device_down_reason_info');
const IGNORED = family('librenms_device_ignored');
const NOTIFY_DISABLED = family('librenms_device_notify_disabled');
const INFO_LABELS = INFO.labels;

const flag = (value: boolean | undefined): number | undefined => (value === undefined ? undefined : value ? 1 : 0);

/** Renders the device families. */
export function renderDevices(devices: readonly DeviceRecord[], writer: ExpositionWriter = new ExpositionWriter()): ExpositionWriter {
  const infoLabels = devices.map((d) => writer.labels(INFO_LABELS, [d.hostname, d.sysName, d.display, d.os, d.hardware, d.version, d.location, d.deviceType]));
  writeFamily(writer, INFO, devices, infoLabels, () => 1);
  const idLabels = devices.map((d) => writer.labels(['hostname'], [d.hostname]));
  writeFamily(writer, UP, devices, idLabels, (d) => d.up);
  writeFamily(writer, UPTIME, devices, idLabels, (d) => d.uptimeSeconds);
  // devices.last_polled is set by every poll; the ports' poll_time stands still while the ports module is off.
  writeFamily(writer, LAST_POLLED, devices, idLabels, (d) => d.lastPolledSeconds);
  writeFamily(writer, POLL_DURATION, devices, idLabels, (d) => d.pollDurationSeconds);
  writeFamily(writer, PING, devices, idLabels, (d) => d.pingSeconds);
  // The reason only while down (LibreNMS clears it when the device comes back: app/Actions/Device/SetDeviceAvailability.php).
  const down = devices.filter((d) => d.up === 0 && d.statusReason !== '');
  writeFamily(
    writer,
    DOWN_REASON,
    down,
    down.map((d) => writer.labels(DOWN_REASON.labels, [d.hostname, d.statusReason])),
    () => 1,
  );
  writeFamily(writer, IGNORED, devices, idLabels, (d) => flag(d.ignored));
  writeFamily(writer, NOTIFY_DISABLED, devices, idLabels, (d) => flag(d.notifyDisabled));
  return writer;
}

export const devicesCollector: Collector = {
  name: 'devices',
  async collect(input: CollectorInput): Promise<CollectorResult> {
    const { devices } = input.selection;
    const writer = renderDevices(devices, new ExpositionWriter(input.constLabels));
    return { series: writer.seriesCount, rendered: writer.finish(), summary: {}, partialErrors: [] };
  },
};
