/**
 * The `devices` collector: status, uptime and descriptive labels of the selected devices. It reads
 * nothing itself: the selection step has read `/api/v0/devices` already.
 */
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import type { DeviceRecord } from '../mapping/devices.js';
import type { Collector } from './collector.js';

const flag = (value: boolean | undefined): number | undefined => (value === undefined ? undefined : value ? 1 : 0);

/** Writes the device families of `devices`. */
export function writeDevices(sink: SampleSink, devices: readonly DeviceRecord[]): void {
  sampleEach(
    sink,
    'librenms_device_info',
    devices,
    (d) =>
      sink.labels(
        ['hostname', 'sysName', 'display', 'os', 'hardware', 'version', 'location', 'device_type'],
        [d.hostname, d.sysName, d.display, d.os, d.hardware, d.version, d.location, d.deviceType],
      ),
    () => 1,
  );
  const id = labelsEach(sink, devices, ['hostname'], (d) => [d.hostname]);
  sampleEach(sink, 'librenms_device_up', devices, id, (d) => d.up);
  sampleEach(sink, 'librenms_device_uptime_seconds', devices, id, (d) => d.uptimeSeconds);
  // devices.last_polled is set by every poll; the ports' poll_time stands still while the ports module is off.
  sampleEach(sink, 'librenms_device_last_polled_timestamp_seconds', devices, id, (d) => d.lastPolledSeconds);
  sampleEach(sink, 'librenms_device_poll_duration_seconds', devices, id, (d) => d.pollDurationSeconds);
  sampleEach(sink, 'librenms_device_ping_seconds', devices, id, (d) => d.pingSeconds);
  // The reason only while down (LibreNMS clears it when the device comes back: app/Actions/Device/SetDeviceAvailability.php).
  sampleEach(
    sink,
    'librenms_device_down_reason_info',
    devices.filter((d) => d.up === 0 && d.statusReason !== ''),
    (d) => sink.labels(['hostname', 'reason'], [d.hostname, d.statusReason]),
    () => 1,
  );
  sampleEach(sink, 'librenms_device_ignored', devices, id, (d) => flag(d.ignored));
  sampleEach(sink, 'librenms_device_notify_disabled', devices, id, (d) => flag(d.notifyDisabled));
}

export const devicesCollector: Collector = {
  name: 'devices',
  enabledByDefault: true,
  description: 'device status, uptime, poll and ping times, mute switches and descriptive labels',
  endpoints: ['/devices'],
  families: [
    'librenms_device_info',
    'librenms_device_up',
    'librenms_device_uptime_seconds',
    'librenms_device_last_polled_timestamp_seconds',
    'librenms_device_poll_duration_seconds',
    'librenms_device_ping_seconds',
    'librenms_device_down_reason_info',
    'librenms_device_ignored',
    'librenms_device_notify_disabled',
  ],
  async collect(input, sink) {
    writeDevices(sink, input.selection.devices);
    return { summary: {}, partialErrors: [] };
  },
};
