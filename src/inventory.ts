/**
 * The device inventory of one LibreNMS, shared by every scope of that instance: `/devices` and
 * device-group membership, each fetched at most once per TTL (single flight), so that scoped
 * scrapes, `/probe` target checks and `/sd` do not multiply requests to LibreNMS.
 */
import type { LibreNmsClient } from './librenms/client.js';
import { readInteger, readText } from './mapping/values.js';

interface Cached<T> {
  value: T;
  at: number;
}

/** A value fetched at most once per TTL; concurrent callers share one fetch. */
class SharedFetch<T> {
  #cached: Cached<T> | undefined;
  #inflight: Promise<T> | undefined;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(): Promise<T> {
    const cached = this.#cached;
    if (cached !== undefined && this.now() - cached.at < this.ttlMs) return Promise.resolve(cached.value);
    this.#inflight ??= this.fetch()
      .then((value) => {
        this.#cached = { value, at: this.now() };
        return value;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }

  /** The last value fetched, however old. */
  get last(): T | undefined {
    return this.#cached?.value;
  }
}

export class Inventory {
  readonly #devices: SharedFetch<unknown[]>;
  readonly #groupList: SharedFetch<string[]>;
  readonly #members = new Map<string, SharedFetch<Set<number>>>();
  readonly #client: LibreNmsClient;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(client: LibreNmsClient, ttlMs: number, now: () => number = Date.now) {
    this.#client = client;
    this.#ttlMs = ttlMs;
    this.#now = now;
    this.#devices = new SharedFetch(() => client.listDevices(), ttlMs, now);
    this.#groupList = new SharedFetch(
      async () => (await client.listDeviceGroups()).flatMap((g) => readText((g as Record<string, unknown> | null)?.['name']) ?? []),
      ttlMs,
      now,
    );
  }

  /** Raw `/devices` rows (SNMP credentials included: never log them). */
  devices(): Promise<unknown[]> {
    return this.#devices.get();
  }

  /** The device rows last read, for validating `/probe` targets while LibreNMS is down. */
  get lastDevices(): unknown[] | undefined {
    return this.#devices.last;
  }

  /** Names of every device group. */
  groupNames(): Promise<string[]> {
    return this.#groupList.get();
  }

  /** Device ids in a group (by name). */
  groupMembers(name: string): Promise<Set<number>> {
    let fetch = this.#members.get(name);
    if (fetch === undefined) {
      fetch = new SharedFetch(
        async () => new Set((await this.#client.listGroupDevices(name)).flatMap((d) => readInteger((d as Record<string, unknown> | null)?.['device_id']) ?? [])),
        this.#ttlMs,
        this.#now,
      );
      this.#members.set(name, fetch);
    }
    return fetch.get();
  }

  /** Every group's name per device id, for service discovery labels. */
  async groupsByDevice(): Promise<Map<number, string[]>> {
    const result = new Map<number, string[]>();
    for (const name of await this.groupNames()) {
      for (const id of await this.groupMembers(name)) result.set(id, [...(result.get(id) ?? []), name]);
    }
    return result;
  }
}
