/** Pure mapping of `/api/v0/devices` rows to device records. */
import { isIP } from 'node:net';
import { labelText } from './text.js';
import { objectRows, readFlag, readInteger, readNonNegative, readText, readTimestamp } from './values.js';

export interface DeviceRecord {
  readonly deviceId: number;
  /** The LibreNMS hostname (may be an IP address): the identity label of every device series. */
  readonly hostname: string;
  readonly sysName: string;
  /** Display name as LibreNMS's UI shows it: the rendered `display`, or the template it holds before 26.5. */
  readonly display: string;
  readonly os: string;
  readonly hardware: string;
  readonly version: string;
  readonly location: string;
  readonly deviceType: string;
  /** 1 up, 0 down; undefined when LibreNMS does not say. */
  readonly up: number | undefined;
  readonly uptimeSeconds: number | undefined;
  readonly pollDurationSeconds: number | undefined;
  /** `devices.last_polled` as Unix seconds (zone-less strings read in the configured zone). */
  readonly lastPolledSeconds: number | undefined;
  readonly disabled: boolean;
  /** `devices.ignore`: muted in LibreNMS; undefined when not sent. */
  readonly ignored: boolean | undefined;
  /** `devices.disable_notify`: LibreNMS sends no alert notification for it; undefined when not sent. */
  readonly notifyDisabled: boolean | undefined;
  /** `devices.last_ping_timetaken` in seconds (LibreNMS stores milliseconds). */
  readonly pingSeconds: number | undefined;
  /** `devices.status_reason` (`icmp`, `snmp`, ...), '' when none. */
  readonly statusReason: string;
}

export interface DeviceMappingOptions {
  /** Keep devices with `disabled = 1` (LibreNMS does not poll them, so their data is stale). */
  readonly includeDisabled: boolean;
  /** Zone of LibreNMS's zone-less timestamps. */
  readonly timeZone: string;
}

/**
 * Maps raw device rows. Rows without a usable id or hostname are skipped, duplicates (same id or same
 * hostname) keep the first row, and SNMP credentials are never copied.
 */
export function mapDevices(rows: readonly unknown[], options: DeviceMappingOptions): DeviceRecord[] {
  const devices: DeviceRecord[] = [];
  const seenIds = new Set<number>();
  const seenHostnames = new Set<string>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as Record<string, unknown>;
    const deviceId = readInteger(r['device_id']);
    const hostname = labelText(readText(r['hostname']));
    if (deviceId === undefined || hostname === '' || seenIds.has(deviceId) || seenHostnames.has(hostname)) continue;
    const disabled = readFlag(r['disabled']) === true;
    if (disabled && !options.includeDisabled) continue;
    seenIds.add(deviceId);
    seenHostnames.add(hostname);
    const sysName = labelText(readText(r['sysName']));
    const status = readFlag(r['status']);
    // LibreNMS writes uptime only in a poll of an answering device (LibreNMS/Modules/Core.php), and
    // keeps the last ping time when a ping gets no answer (app/Actions/Device/CheckDeviceAvailability.php:
    // `avg_latency ?: last_ping_timetaken`): while a device is down both are stale, so both are left out.
    const down = status === false;
    devices.push({
      deviceId,
      hostname,
      sysName,
      display: displayName(r, sysName, hostname),
      os: labelText(readText(r['os'])),
      hardware: labelText(readText(r['hardware'])),
      version: labelText(readText(r['version'])),
      location: labelText(locationName(r['location'])),
      deviceType: labelText(readText(r['type'])),
      up: status === undefined ? undefined : status ? 1 : 0,
      uptimeSeconds: down ? undefined : readNonNegative(r['uptime']),
      pollDurationSeconds: readNonNegative(r['last_polled_timetaken']),
      lastPolledSeconds: readTimestamp(r['last_polled'], options.timeZone),
      disabled,
      ignored: readFlag(r['ignore']),
      notifyDisabled: readFlag(r['disable_notify']),
      pingSeconds: down ? undefined : milliseconds(r['last_ping_timetaken']),
      statusReason: labelText(readText(r['status_reason'])?.trim()),
    });
  }
  return devices;
}

/** Milliseconds (LibreNMS's ping time) as seconds; unknown and negative values are left out. */
function milliseconds(value: unknown): number | undefined {
  const ms = readNonNegative(value);
  return ms === undefined ? undefined : ms / 1000;
}

/** A `{{ $variable }}` of LibreNMS's simple templates (app/View/SimpleTemplate.php), with optional `|filters`. */
const TEMPLATE_VARIABLE = /\{\{ \$?([a-zA-Z0-9\-_.:]+)(\|[^}]+)? \}\}/g;
/** LibreNMS's default `device_display_default` when nothing is configured: the hostname. */
const DEFAULT_DISPLAY_TEMPLATE = '{{ $hostname }}';

/**
 * The name LibreNMS's UI shows for a device. From 26.5 `display` holds that name, rendered by LibreNMS
 * (PR #19618, "Cache display name"). Before, `display` is the per-device template (such as
 * `{{ $sysName }}`) or empty for the global `device_display_default`, whose default is
 * `{{ $hostname }}`; LibreNMS renders it with hostname, sysName (the hostname when empty),
 * sysName_fallback (sysName when the hostname is an IP address, else the hostname) and ip
 * (overwrite_ip, else the hostname when it is an IP address, else the device IP):
 * app/Models/Device.php, displayName(). The global setting is not in the API, so an empty `display`
 * shows LibreNMS's default, the hostname. Unknown variables render empty, as in LibreNMS; filters
 * (`|upper`) are not applied. A name that renders empty falls back to the hostname.
 */
function displayName(row: Record<string, unknown>, sysName: string, hostname: string): string {
  const display = readText(row['display'])?.trim() ?? '';
  const template = display === '' ? DEFAULT_DISPLAY_TEMPLATE : display;
  const rendered = template.includes('{{') ? renderDisplayTemplate(template, row, sysName, hostname) : template;
  const text = labelText(rendered.trim());
  return text !== '' ? text : hostname;
}

function renderDisplayTemplate(template: string, row: Record<string, unknown>, sysName: string, hostname: string): string {
  const hostnameIsIp = isIP(hostname) !== 0;
  const variables: Record<string, string> = {
    hostname,
    sysName: sysName !== '' ? sysName : hostname,
    sysName_fallback: hostnameIsIp ? sysName : hostname,
    ip: readText(row['overwrite_ip']) || (hostnameIsIp ? hostname : (readText(row['ip']) ?? '')),
  };
  return template.replace(TEMPLATE_VARIABLE, (_match, name: string) => variables[name] ?? '');
}

/** `location` is a name string from `/devices`, and an object from `/devices/:h` on 26.5+. */
function locationName(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return readText((value as Record<string, unknown>)['location']);
  }
  return readText(value);
}

/**
 * Finds the device a row (an alert, a sensor) belongs to among the selected devices: by
 * `device_id`, else by `hostname`. Undefined when the device is not selected.
 */
export function deviceOfRow(devices: readonly DeviceRecord[]): (row: Record<string, unknown>) => DeviceRecord | undefined {
  const byId = new Map(devices.map((d) => [d.deviceId, d]));
  const byHostname = new Map(devices.map((d) => [d.hostname, d]));
  return (row) => {
    const deviceId = readInteger(row['device_id']);
    return deviceId !== undefined ? byId.get(deviceId) : byHostname.get(labelText(readText(row['hostname'])));
  };
}

/**
 * The object rows of a LibreNMS list that belong to a selected device (see {@link deviceOfRow}), each
 * with its device: where every per-device mapping starts.
 */
export function* rowsOfDevices(rows: readonly unknown[], devices: readonly DeviceRecord[]): Generator<{ row: Record<string, unknown>; device: DeviceRecord }> {
  const deviceOf = deviceOfRow(devices);
  for (const row of objectRows(rows)) {
    const device = deviceOf(row);
    if (device !== undefined) yield { row, device };
  }
}
