/**
 * A point in time that a request must answer by. One is made per HTTP request (from Prometheus's
 * `X-Prometheus-Scrape-Timeout-Seconds`, see `http/deadline.ts`) and handed to everything that request
 * waits on, so the waits share one budget instead of each starting a fresh one.
 */

/**
 * Where deadlines read the time and set their timers: {@link systemClock} in production, a fake one in
 * tests (so that deadline behaviour is tested without waiting for, or depending on, wall time).
 */
export interface DeadlineClock {
  /** Milliseconds on a clock that never goes back; only differences are used. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now; the returned function cancels it. */
  after(ms: number, callback: () => void): () => void;
}

/** `performance.now()` and `setTimeout`: monotonic, unaffected by changes to the system's wall clock. */
export const systemClock: DeadlineClock = {
  now: () => performance.now(),
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export class Deadline {
  /** The clock's milliseconds at which the time is up. */
  readonly at: number;
  /** Milliseconds the deadline was given when made (0 or more). */
  readonly budgetMs: number;
  readonly #clock: DeadlineClock;

  /**
   * @param budgetMs milliseconds from now; 0 or less is already expired
   * @param clock where the time is read and timers set; the system's by default
   */
  constructor(budgetMs: number, clock: DeadlineClock = systemClock) {
    this.#clock = clock;
    this.budgetMs = Math.max(0, budgetMs);
    this.at = clock.now() + this.budgetMs;
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.at - this.#clock.now());
  }

  get expired(): boolean {
    return this.remainingMs() === 0;
  }

  /**
   * A deadline `ms` earlier than this one, on the same clock: for a part of the request that must end
   * before the rest (0 or less gives this deadline's time; it never ends before now).
   */
  earlierBy(ms: number): Deadline {
    return new Deadline(this.remainingMs() - Math.max(0, ms), this.#clock);
  }

  /**
   * The promise's value, or undefined when the deadline passes first. The promise keeps running (its
   * rejection is observed, so a late failure is not an unhandled rejection).
   */
  async race<T>(promise: Promise<T>): Promise<T | undefined> {
    const ms = this.remainingMs();
    if (ms === 0) {
      promise.catch(() => undefined);
      return undefined;
    }
    let cancel: (() => void) | undefined;
    try {
      return await Promise.race([promise, new Promise<undefined>((resolve) => (cancel = this.#clock.after(ms, () => resolve(undefined))))]);
    } finally {
      cancel?.();
    }
  }
}
