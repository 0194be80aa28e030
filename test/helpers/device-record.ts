/** A device as the exporter holds it after `/devices` (src/mapping/devices.ts), for tests that call a collector's reads directly. */
import type { DeviceRecord } from '../../src/mapping/devices.js';

/** An up, enabled device named `hostname` everywhere, with nothing else known; `fields` overrides. */
export function deviceRecord(deviceId: number, hostname = `dev-${deviceId}`, fields: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    deviceId,
    hostname,
    sysName: hostname,
    display: hostname,
    os: '',
    hardware: '',
    version: '',
    location: '',
    deviceType: '',
    up: 1,
    uptimeSeconds: undefined,
    pollDurationSeconds: undefined,
    lastPolledSeconds: undefined,
    disabled: false,
    ignored: false,
    notifyDisabled: false,
    pingSeconds: undefined,
    statusReason: '',
    ...fields,
  };
}
