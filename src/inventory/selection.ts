/**
 * The selection step of a refresh: which devices it exports (the configured filters, then the scope
 * of the scrape). Its result is frozen and read by every collector of that refresh.
 */
import type { Config, Filters } from '../config-types.js';
import { type DeviceRecord, mapDevices } from '../mapping/devices.js';
import { type Inventory, isUnknownGroupAnswer } from './inventory.js';

/** What one scrape asks for: everything, one device group (`?group=`), or one device (`/probe?target=`). */
export interface Scope {
  readonly group?: string;
  readonly target?: string;
}

export function scopeKey(scope: Scope): string {
  return scope.target !== undefined ? `target:${scope.target}` : scope.group !== undefined ? `group:${scope.group}` : 'all';
}

/** The device filters that need no LibreNMS request (hostname, OS, type). */
export function matchesDeviceFilters(device: DeviceRecord, filters: Filters): boolean {
  if (filters.hostnameInclude !== undefined && !filters.hostnameInclude.test(device.hostname)) return false;
  if (filters.hostnameExclude?.test(device.hostname)) return false;
  if (filters.osInclude.length > 0 && !filters.osInclude.includes(device.os)) return false;
  if (filters.deviceTypeInclude.length > 0 && !filters.deviceTypeInclude.includes(device.deviceType)) return false;
  return true;
}

/** The sentence for a configured group LibreNMS does not know. */
export function unknownGroupWarning(group: string): string {
  const digits = /^\d+$/.test(group);
  return (
    `LIBRENMS_DEVICE_GROUPS names the device group "${group}", which LibreNMS does not know (404 "Device group not found"): ` +
    (digits
      ? 'LibreNMS reads an all-digit name as a group id, and no group has that id; use the id shown in LibreNMS (Devices, Manage Groups). '
      : 'check its spelling in LibreNMS (Devices, Manage Groups). ') +
    'The other groups are still exported.'
  );
}

/**
 * Applies the filters and the scope. Device groups (configured or scoped) cost one cached
 * `/devicegroups/:name` request each. An empty group selects nothing; a configured group LibreNMS
 * does not know selects nothing and adds a warning, so the other groups still work.
 * @throws LibreNmsError when a group's members cannot be read, or the scoped group is unknown
 */
export async function selectDevices(
  devices: readonly DeviceRecord[],
  filters: Filters,
  scope: Scope,
  inventory: Inventory,
  warnings: string[] = [],
): Promise<DeviceRecord[]> {
  let selected = devices.filter((d) => matchesDeviceFilters(d, filters));
  if (filters.deviceGroups.length > 0) {
    const allowed = new Set<number>();
    for (const group of filters.deviceGroups) {
      let members: Set<number>;
      try {
        members = await inventory.groupMembers(group);
      } catch (error) {
        if (!isUnknownGroupAnswer(error)) throw error;
        warnings.push(unknownGroupWarning(group));
        continue;
      }
      for (const id of members) allowed.add(id);
    }
    selected = selected.filter((d) => allowed.has(d.deviceId));
  }
  if (scope.group !== undefined) {
    const members = await inventory.groupMembers(scope.group);
    selected = selected.filter((d) => members.has(d.deviceId));
  }
  if (scope.target !== undefined) {
    const target = scope.target.toLowerCase();
    selected = selected.filter((d) => d.hostname.toLowerCase() === target);
  }
  return selected;
}

/** The devices of one refresh of one scope. */
export interface DeviceSelection {
  readonly devices: readonly DeviceRecord[];
  /** Devices LibreNMS knows before filters and scope (for choosing how to read ports). */
  readonly knownDevices: number;
  /** What the operator should know about this selection (an unknown configured group). */
  readonly warnings?: readonly string[];
}

type DeviceConfig = Pick<Config, 'exportDisabledDevices' | 'librenmsTimezone'> & Partial<Pick<Config, 'librenmsTimezoneOverride'>>;

/**
 * Every device LibreNMS lists (disabled ones only with EXPORT_DISABLED_DEVICES), mapped, its zone-less
 * `last_polled` read in LIBRENMS_TIMEZONE when set, else in the offset LibreNMS reports, else UTC.
 * @throws LibreNmsError when the device list cannot be read
 */
export async function knownDevices(inventory: Inventory, config: DeviceConfig): Promise<DeviceRecord[]> {
  return (await listed(inventory, config)).devices;
}

/**
 * The zone of LibreNMS's zone-less timestamps (`last_polled`): LIBRENMS_TIMEZONE when set, else the
 * offset LibreNMS reports in `/system` (read at most once an hour), else UTC.
 */
export async function librenmsTimeZone(inventory: Inventory, config: DeviceConfig): Promise<string> {
  return config.librenmsTimezoneOverride ?? (await inventory.timeZone()) ?? config.librenmsTimezone;
}

/** The rows of one read of the device list, and the devices mapped from them. */
async function listed(inventory: Inventory, config: DeviceConfig): Promise<{ readonly rows: number; readonly devices: DeviceRecord[] }> {
  const [rows, timeZone] = await Promise.all([inventory.devices(), librenmsTimeZone(inventory, config)]);
  return { rows: rows.length, devices: mapDevices(rows, { includeDisabled: config.exportDisabledDevices, timeZone }) };
}

/** The devices of the last device list read, however old (a `/probe` while LibreNMS is down); undefined before the first. */
export function lastKnownDevices(inventory: Inventory, config: DeviceConfig): DeviceRecord[] | undefined {
  const rows = inventory.lastDevices;
  return rows === undefined ? undefined : mapDevices(rows, { includeDisabled: config.exportDisabledDevices, timeZone: config.librenmsTimezone });
}

/**
 * Reads the inventory and selects the devices of `scope`.
 * @throws LibreNmsError when the device list or a group's members cannot be read
 */
export async function readSelection(
  inventory: Inventory,
  config: DeviceConfig & Pick<Config, 'filters'> & Partial<Pick<Config, 'cacheMaxAgeMs'>>,
  scope: Scope,
  now: () => number = Date.now,
): Promise<DeviceSelection> {
  const { rows, devices: known } = await listed(inventory, config);
  // A list that drops to empty is not believed at once (Inventory.checkDeviceCount).
  if (config.cacheMaxAgeMs !== undefined) inventory.checkDeviceCount(rows, config.cacheMaxAgeMs, now());
  const warnings: string[] = [];
  const devices = await selectDevices(known, config.filters, scope, inventory, warnings);
  return Object.freeze({ devices: Object.freeze(devices), knownDevices: known.length, warnings: Object.freeze(warnings) });
}
