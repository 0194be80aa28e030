/** Pure mapping of `/api/v0/services` rows (LibreNMS service checks, table services) to records. */
import { type DeviceRecord, rowsOfDevices } from './devices.js';
import { labelText } from './text.js';
import { readFlag, readInteger, readNonNegative, readText } from './values.js';

export interface ServiceRecord {
  readonly device: DeviceRecord;
  readonly serviceId: number;
  /** `service_type`: the check plugin (http, icmp, dns, …). */
  readonly type: string;
  /** `service_name`, '' when not set. */
  readonly name: string;
  readonly description: string;
  /** `service_ip`: the address checked, '' when LibreNMS checks the device's hostname. */
  readonly ip: string;
  /**
   * `service_status`: the plugin's exit code as LibreNMS stores it (includes/services.inc.php,
   * check_service): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, another code when the plugin could not
   * run (126, 127). Undefined when missing or negative.
   */
  readonly status: number | undefined;
  /** `service_changed`: Unix seconds of the last status change; undefined for 0 (never changed, unknown). */
  readonly lastChangeSeconds: number | undefined;
  readonly disabled: boolean | undefined;
  readonly ignored: boolean | undefined;
}

/**
 * Maps service rows of the selected devices. Every check is kept, disabled and ignored ones too (their
 * flags are exported, so rules can skip them); rows without an id or a type are left out, and a
 * repeated `service_id` keeps the first row.
 */
export function mapServices(rows: readonly unknown[], devices: readonly DeviceRecord[]): ServiceRecord[] {
  const services: ServiceRecord[] = [];
  const seen = new Set<number>();
  for (const { row: r, device } of rowsOfDevices(rows, devices)) {
    const serviceId = readInteger(r['service_id']);
    const type = labelText(readText(r['service_type'])?.trim());
    if (serviceId === undefined || type === '' || seen.has(serviceId)) continue;
    seen.add(serviceId);
    const changed = readNonNegative(r['service_changed']);
    services.push({
      device,
      serviceId,
      type,
      name: labelText(readText(r['service_name'])?.trim()),
      description: labelText(readText(r['service_desc'])?.trim()),
      ip: labelText(readText(r['service_ip'])?.trim()),
      status: readInteger(readNonNegative(r['service_status'])),
      lastChangeSeconds: changed === undefined || changed === 0 ? undefined : changed,
      disabled: readFlag(r['service_disabled']),
      ignored: readFlag(r['service_ignore']),
    });
  }
  return services;
}
