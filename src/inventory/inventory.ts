/**
 * The device inventory of one LibreNMS, shared by every scope of that instance: `/devices` and
 * device-group membership, each fetched at most once per TTL (single flight), so that scoped
 * scrapes, `/probe` target checks and `/sd` do not multiply requests to LibreNMS.
 */
import { LibreNmsError } from '../errors.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { offsetOfLocalDate } from '../librenms/endpoints.js';
import { readInteger, readText } from '../mapping/values.js';
import { Lru } from '../util/lru.js';
import { SharedValue } from '../util/single-flight.js';

/** A device group as `/devicegroups` lists it. */
export interface GroupRef {
  readonly id: number | undefined;
  readonly name: string;
}

/**
 * LibreNMS's `/devicegroups/:name` reads an all-digit name as a group id, and any other name
 * case-insensitively by the database collation (includes/html/api_functions.inc.php,
 * get_devices_by_group: ctype_digit then DeviceGroup::find, else where('name')).
 */
export function groupKey(name: string): string {
  return /^\d+$/.test(name) ? `id:${Number(name)}` : `name:${name.toLowerCase()}`;
}

/**
 * Whether a 404 of `/devicegroups/:name` means the group exists but has no member: LibreNMS answers
 * 404 "No devices found in group X" then, and 404 "Device group not found" for an unknown group
 * (includes/html/api_functions.inc.php, get_devices_by_group).
 */
export function isEmptyGroupAnswer(error: unknown): boolean {
  return error instanceof LibreNmsError && error.status === 404 && /^No devices found in group/i.test(error.detail ?? '');
}

/** Whether LibreNMS said the group does not exist (404 "Device group not found"). */
export function isUnknownGroupAnswer(error: unknown): boolean {
  return error instanceof LibreNmsError && error.status === 404 && /device group not found/i.test(error.detail ?? '');
}

/**
 * How long a `/system` answer is kept (ms): its zone changes only with LibreNMS's configuration, its
 * version with an upgrade, which then shows within the hour.
 */
export const SYSTEM_TTL_MS = 3_600_000;

/** The last `/system` answer that came, and whether the latest read worked (its error when not). */
interface SystemRead {
  readonly system: Readonly<Record<string, unknown>> | undefined;
  readonly ok: boolean;
  readonly error?: unknown;
}

/**
 * Most groups whose members are cached at once beyond those LibreNMS lists (client-given names while
 * the list cannot be read); the least recently used is dropped past it.
 */
export const MAX_GROUP_MEMBER_CACHES = 1000;
/** New client-given group names let through per window while the group list cannot be read. */
export const MAX_UNVERIFIED_GROUPS = 10;
/** The shortest such window (the TTL when longer). */
const MIN_UNVERIFIED_WINDOW_MS = 60_000;

/** What {@link Inventory.admitGroup} decided about a client-given group name. */
export type GroupAdmission = { verdict: 'listed'; name: string } | { verdict: 'unlisted' } | { verdict: 'unverified' } | { verdict: 'limited' };

export class Inventory {
  readonly #devices: SharedValue<unknown[]>;
  readonly #alerts: SharedValue<unknown[]>;
  readonly #sensors: SharedValue<unknown[]>;
  readonly #groupList: SharedValue<GroupRef[]>;
  /**
   * Members per group key, least recently used first. Room for every group LibreNMS lists on top of
   * {@link MAX_GROUP_MEMBER_CACHES} for client-given names: with more groups than that, one
   * groupsByDevice() would drop its own first reads and every /sd would read every group again. The
   * listed groups are LibreNMS's, not a client's, to grow.
   */
  readonly #members = new Lru<string, SharedValue<Set<number>>>(() => MAX_GROUP_MEMBER_CACHES + (this.#groupList.last?.length ?? 0));
  readonly #system: SharedValue<SystemRead>;
  /** Rows of the last non-empty device list, and since when (ms) the list has come back empty after it. */
  #lastDeviceCount = 0;
  #emptySince: number | undefined;
  #unverifiedWindowStart = Number.NEGATIVE_INFINITY;
  #unverifiedInWindow = 0;
  readonly #client: LibreNmsClient;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(client: LibreNmsClient, ttlMs: number, now: () => number = Date.now) {
    this.#client = client;
    this.#ttlMs = ttlMs;
    this.#now = now;
    this.#devices = new SharedValue(() => client.listDevices(), ttlMs, now);
    // Every open state: LibreNMS's default (state=1) would hide acknowledged, worse, better and changed alerts.
    this.#alerts = new SharedValue(() => client.listAlerts([1, 2, 3, 4, 5]), ttlMs, now);
    this.#sensors = new SharedValue(() => client.listSensors(), ttlMs, now);
    // One /system read serves the zone and the version. A failed read keeps the answer read before (or
    // none), and is tried again after the TTL, not the hour.
    this.#system = new SharedValue<SystemRead>(
      () =>
        client.system().then(
          (system) => ({ system, ok: true }),
          (error: unknown) => ({ system: this.#system.last?.system, ok: false, error }),
        ),
      (read) => (read.ok ? Math.max(SYSTEM_TTL_MS, ttlMs) : ttlMs),
      now,
    );
    this.#groupList = new SharedValue(
      async () =>
        (await client.listDeviceGroups()).flatMap((g) => {
          const row = g as Record<string, unknown> | null;
          const name = readText(row?.['name']);
          return name === undefined ? [] : [{ id: readInteger(row?.['id']), name }];
        }),
      ttlMs,
      now,
    );
  }

  /** Raw `/devices` rows (SNMP credentials included: never log them). */
  devices(): Promise<unknown[]> {
    return this.#devices.get();
  }

  /**
   * The UTC offset LibreNMS reports in `/system` `local_date` (`+07:00`, or `UTC`), in which its
   * zone-less `last_polled` times are read; undefined when LibreNMS does not say. Read at most once
   * an hour; a failed read is retried after the TTL and never fails a refresh.
   */
  async timeZone(): Promise<string | undefined> {
    const { system } = await this.#system.get();
    return system === undefined ? undefined : offsetOfLocalDate(system['local_date']);
  }

  /**
   * LibreNMS's version (`/system` `local_ver`), undefined when it does not say; from the same read as
   * {@link timeZone}, at most once an hour. A failed read gives the version read before; when none was
   * ever read, the failure is thrown.
   */
  async version(): Promise<string | undefined> {
    const read = await this.#system.get();
    if (read.system === undefined) throw read.error;
    return readText(read.system['local_ver'])?.trim() || undefined;
  }

  /** The device rows last read, for validating `/probe` targets while LibreNMS is down. */
  get lastDevices(): unknown[] | undefined {
    return this.#devices.last;
  }

  /**
   * Distrusts a device list that drops to zero from non-zero. LibreNMS's `/devices` runs its SQL through
   * the old query helper, which logs an SQL error and returns no rows (includes/dbFacile.php,
   * dbFetchRows; list_devices in includes/html/api_functions.inc.php), so a database problem looks like
   * HTTP 200 with an empty list. Such a list counts as a failed read until it has stayed empty for the
   * maximum age; then it is believed. Every scope of this LibreNMS shares what was seen before.
   * @param rows the number of rows `/devices` just returned
   * @throws LibreNmsError while the empty list is not believed
   */
  checkDeviceCount(rows: number, maxAgeMs: number, now: number): void {
    if (rows > 0) {
      this.#lastDeviceCount = rows;
      this.#emptySince = undefined;
      return;
    }
    if (this.#lastDeviceCount === 0) return;
    this.#emptySince ??= now;
    const emptyFor = now - this.#emptySince;
    if (emptyFor >= maxAgeMs) {
      this.#lastDeviceCount = 0;
      this.#emptySince = undefined;
      return;
    }
    throw new LibreNmsError(
      'invalid_response',
      `LibreNMS answered /devices with an empty list after listing ${this.#lastDeviceCount} devices: most likely a database error that LibreNMS's old query helper hides (it answers 200 with no rows). ` +
        `Check LibreNMS's log (storage/logs/librenms.log) and its database. The empty list is believed once it has lasted CACHE_MAX_AGE_SECONDS (${Math.round(maxAgeMs / 1000)} s; empty for ${Math.round(emptyFor / 1000)} s).`,
      { endpoint: '/devices', status: 200 },
    );
  }

  /** Raw `/alerts` rows of every open state, install-wide: every scope filters them to its devices. */
  alerts(): Promise<unknown[]> {
    return this.#alerts.get();
  }

  /** Raw `/resources/sensors` rows, install-wide: every scope filters them to its devices. */
  sensors(): Promise<unknown[]> {
    return this.#sensors.get();
  }

  /**
   * Whether a group name a client sent (`?group=`) may be scraped, without asking LibreNMS about the
   * name itself: `listed` (with the name to use, one per group whatever its case), `unlisted` (refuse
   * it), or, while the group list cannot be read and never was, `unverified` for at most
   * {@link MAX_UNVERIFIED_GROUPS} new names per window, then `limited`. Names whose members are
   * already cached are always let through.
   */
  async admitGroup(name: string, listed: () => Promise<GroupRef[] | undefined>): Promise<GroupAdmission> {
    const list = (await listed()) ?? this.#groupList.last;
    if (list !== undefined) {
      const key = groupKey(name);
      const found = list.find((g) => (key.startsWith('id:') ? `id:${g.id}` === key : groupKey(g.name) === key));
      if (found === undefined) return { verdict: 'unlisted' };
      return { verdict: 'listed', name: /^\d+$/.test(found.name) && found.id !== undefined ? String(found.id) : found.name };
    }
    if (this.#members.has(groupKey(name))) return { verdict: 'unverified' };
    const now = this.#now();
    const windowMs = Math.max(this.#ttlMs, MIN_UNVERIFIED_WINDOW_MS);
    if (now - this.#unverifiedWindowStart >= windowMs) {
      this.#unverifiedWindowStart = now;
      this.#unverifiedInWindow = 0;
    }
    if (this.#unverifiedInWindow >= MAX_UNVERIFIED_GROUPS) return { verdict: 'limited' };
    this.#unverifiedInWindow++;
    return { verdict: 'unverified' };
  }

  /** The group list, read at most once per TTL (rejects when LibreNMS cannot say). */
  groupList(): Promise<GroupRef[]> {
    return this.#groupList.get();
  }

  /**
   * Device ids in a group, by name or (all digits) id, as LibreNMS looks it up. An empty group is an
   * empty set, not an error.
   * @throws LibreNmsError when the group is unknown (see {@link isUnknownGroupAnswer}) or cannot be read
   */
  groupMembers(name: string): Promise<Set<number>> {
    const members = this.#members.getOrSet(
      groupKey(name),
      () =>
        new SharedValue(
          async () => {
            try {
              const ref = await this.#groupRef(name);
              return new Set(
                (await this.#client.listGroupDevices(ref)).flatMap((d) => readInteger((d as Record<string, unknown> | null)?.['device_id']) ?? []),
              );
            } catch (error) {
              if (isEmptyGroupAnswer(error)) return new Set<number>();
              throw error;
            }
          },
          this.#ttlMs,
          this.#now,
        ),
    );
    return members.get();
  }

  /**
   * What to put in `/devicegroups/:name` for a group: its id. Laravel decodes `%2F` before it routes,
   * so a name with a `/` never reaches get_devices_by_group (404), and names with spaces or non-ASCII
   * letters depend on every proxy in between; an id is plain digits. The id comes from the group list
   * (read at most once per TTL); an all-digit name is an id already. When the list cannot be read
   * (a normal user's token is refused it), the name is used as it is.
   * @throws LibreNmsError 404 "Device group not found" when the list does not have the group
   */
  async #groupRef(name: string): Promise<string> {
    if (/^\d+$/.test(name)) return name;
    let list: GroupRef[];
    try {
      list = await this.#groupList.get();
    } catch {
      return name;
    }
    const key = groupKey(name);
    const found = list.find((g) => groupKey(g.name) === key && g.id !== undefined);
    if (found !== undefined) return String(found.id);
    // As LibreNMS would answer for the name, so that callers treat both alike (isUnknownGroupAnswer).
    throw new LibreNmsError('not_found', `LibreNMS lists no device group named "${name}" (/devicegroups): Device group not found`, {
      endpoint: '/devicegroups/:name',
      status: 404,
      detail: 'Device group not found',
    });
  }

  /**
   * Every group's name per device id, for service discovery labels. Groups are read by id (a group
   * whose name is all digits cannot be read by name), side by side; a group that cannot be read keeps
   * its last members, or is left out, and never blanks the other groups.
   */
  async groupsByDevice(): Promise<Map<number, string[]>> {
    const groups = await this.#groupList.get();
    const members = await Promise.all(
      groups.map(async (g) => {
        const ref = g.id === undefined ? g.name : String(g.id);
        try {
          return await this.groupMembers(ref);
        } catch {
          return this.#members.peek(groupKey(ref))?.last ?? new Set<number>();
        }
      }),
    );
    const result = new Map<number, string[]>();
    groups.forEach((g, i) => {
      for (const id of members[i] ?? []) result.set(id, [...(result.get(id) ?? []), g.name]);
    });
    return result;
  }
}
