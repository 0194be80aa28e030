/**
 * The selection step of a refresh: which devices it exports (the configured filters, then the scope
 * of the scrape). Its result is frozen and read by every collector of that refresh.
 */
import type { Config, Filters } from '../config/types.js';
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

/**
 * Reads the inventory and selects the devices of `scope`.
 * @throws LibreNmsError when the device list or a group's members cannot be read
 */
export async function readSelection(
  inventory: Inventory,
  config: Pick<Config, 'filters' | 'exportDisabledDevices' | 'librenmsTimezone'> & Partial<Pick<Config, 'cacheMaxAgeMs' | 'librenmsTimezoneOverride'>>,
  scope: Scope,
  now: () => number = Date.now,
): Promise<DeviceSelection> {
  const [rows, zone] = await Promise.all([
    inventory.devices(),
    config.librenmsTimezoneOverride === undefined ? inventory.timeZone() : Promise.resolve(config.librenmsTimezoneOverride),
  ]);
  if (config.cacheMaxAgeMs !== undefined) inventory.checkDeviceCount(rows.length, config.cacheMaxAgeMs, now());
  // last_polled is zone-less: LIBRENMS_TIMEZONE when set, else the offset LibreNMS reports, else the default (UTC).
  const known = mapDevices(rows, { includeDisabled: config.exportDisabledDevices, timeZone: zone ?? config.librenmsTimezone });
  const warnings: string[] = [];
  const devices = await selectDevices(known, config.filters, scope, inventory, warnings);
  return Object.freeze({ devices: Object.freeze(devices), knownDevices: known.length, warnings: Object.freeze(warnings) });
}
