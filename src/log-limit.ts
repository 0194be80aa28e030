/**
 * Rate limit for log lines a client can trigger: the same warning (by key) is written at most once
 * per interval; the next one written says how many were left out meanwhile. Keys are bounded too,
 * so a client sending endless distinct names cannot grow the limiter itself.
 */

import { Lru } from './util/lru.js';

/** Most distinct keys remembered; the least recently used is forgotten past it. */
const MAX_KEYS = 1000;

export class LogLimiter {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #seen = new Lru<string, { at: number; suppressed: number }>(MAX_KEYS);

  constructor(intervalMs = 60_000, now: () => number = Date.now) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /**
   * Whether to write the line of `key` now; when it is, `suppressed` is how many lines of that key
   * were left out since the last one written.
   */
  allow(key: string): { readonly write: boolean; readonly suppressed: number } {
    const now = this.#now();
    const entry = this.#seen.get(key);
    if (entry !== undefined && now - entry.at < this.#intervalMs) {
      entry.suppressed++;
      return { write: false, suppressed: entry.suppressed };
    }
    const suppressed = entry?.suppressed ?? 0;
    this.#seen.set(key, { at: now, suppressed: 0 });
    return { write: true, suppressed };
  }
}
