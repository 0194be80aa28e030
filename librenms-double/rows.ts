/**
 * Row helpers that more than one family of handlers uses (api.ts, health.ts): the device lookup,
 * what a user may read, column lists, SQL ordering, the sensor row. They import no handler.
 */

import { sqlDate, versionAtLeast } from './format.js';
import { type ApiSettings, apiError, type Reply, serverError } from './reply.js';
import { SENSOR_COLUMNS, type SimDevice, type SimSensor, type SimState, type SimUser } from './state.js';

export type Row = Record<string, unknown>;

/** A reply thrown from deep in a handler (a bad column list, a LibreNMS 500); handleApi answers it. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

/** Permissions::devicesForUser: devices given directly, and every member of the groups given */
export function devicesForUser(state: SimState, user: SimUser): Set<number> {
  const ids = new Set(user.deviceIds ?? []);
  for (const g of state.deviceGroups) if (user.groupIds?.includes(g.id)) for (const id of g.device_ids) ids.add(id);
  return ids;
}

/** validate_column_list(): trim only for the check; untrimmed names go to SELECT (=> 500) */
export function validateColumns(param: string | undefined, valid: ReadonlySet<string>, defaults: string[]): string[] {
  if (param === undefined || param === '') return defaults;
  const cols = param.split(',');
  const bad = cols.filter((c) => !valid.has(c.trim()));
  if (bad.length) throw new ReplyError(apiError(400, `Invalid columns: ${bad.join(',')}`));
  if (cols.some((c) => !valid.has(c))) throw new ReplyError(serverError()); // SQL: unknown column ` ifName`
  return [...new Set(cols)];
}

/** LibreNMS\Cache\Device::get: all digits => device_id, else exact (case-insensitive) hostname */
export function lookupDevice(state: SimState, h: string): SimDevice | undefined {
  if (/^\d+$/.test(h)) {
    const id = Number(h);
    return state.devices.find((d) => d.device_id === id);
  }
  const lower = h.toLowerCase();
  return state.devices.find((d) => d.hostname.toLowerCase() === lower);
}

export function compareSql(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = typeof a === 'bigint' ? a : Number(a);
  const y = typeof b === 'bigint' ? b : Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A `sensors` row as raw SQL or the Sensor model gives it: table order, `lastupdate` as SQL text. */
export function sensorRow(s: ApiSettings): (x: SimSensor) => Row {
  // sensors.rrd_type exists from 22.11.0 (LibreNMS PR #14208)
  const withRrdType = versionAtLeast(s.version, '22.11.0');
  return (x) => {
    const row: Row = {};
    for (const c of SENSOR_COLUMNS) {
      if (c === 'lastupdate') row[c] = sqlDate(x.lastupdate);
      else if (c !== 'rrd_type' || withRrdType) row[c] = x[c];
    }
    return row;
  };
}

export function ucfirst(x: string): string {
  return x.charAt(0).toUpperCase() + x.slice(1);
}
