/** Which devices a refresh exports: the configured filters, then the scope of the scrape. */
import type { Filters } from './config.js';
import type { Inventory } from './inventory.js';
import type { DeviceRecord } from './mapping/devices.js';

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
  if (filters.hostnameExclude !== undefined && filters.hostnameExclude.test(device.hostname)) return false;
  if (filters.osInclude.length > 0 && !filters.osInclude.includes(device.os)) return false;
  if (filters.deviceTypeInclude.length > 0 && !filters.deviceTypeInclude.includes(device.deviceType)) return false;
  return true;
}

/**
 * Applies the filters and the scope. Device groups (configured or scoped) cost one cached
 * `/devicegroups/:name` request each.
 * @throws LibreNmsError when a group's members cannot be read
 */
export async function selectDevices(devices: readonly DeviceRecord[], filters: Filters, scope: Scope, inventory: Inventory): Promise<DeviceRecord[]> {
  let selected = devices.filter((d) => matchesDeviceFilters(d, filters));
  if (filters.deviceGroups.length > 0) {
    const allowed = new Set<number>();
    for (const group of filters.deviceGroups) for (const id of await inventory.groupMembers(group)) allowed.add(id);
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
