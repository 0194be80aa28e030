/**
 * The LibreNMS version, for the collectors whose route depends on it: `/system` `local_ver`, read at
 * most once an hour (an upgrade shows within the hour). Kept in the collector's memory.
 */
import type { LibreNmsClient } from '../librenms/client.js';
import { SharedValue } from '../util/single-flight.js';

/** How long a version read is kept (ms). */
export const VERSION_TTL_MS = 3_600_000;

export class LibreNmsVersion {
  readonly #value: SharedValue<string | undefined>;

  constructor(client: LibreNmsClient, now: () => number) {
    this.#value = new SharedValue(
      async () => {
        const version = (await client.system())['local_ver'];
        return typeof version === 'string' && version.trim() !== '' ? version.trim() : undefined;
      },
      VERSION_TTL_MS,
      now,
    );
  }

  /**
   * The version (undefined when LibreNMS does not say it). A failed read gives the version read before;
   * the first read's failure is thrown.
   */
  async get(): Promise<string | undefined> {
    try {
      return await this.#value.get();
    } catch (error) {
      const last = this.#value.last;
      if (last !== undefined) return last;
      throw error;
    }
  }
}
