/**
 * Sharing work between concurrent callers: one run of a task at a time (a refresh, a LibreNMS read, a
 * password check), which callers that come while it runs join instead of starting another.
 */

/** One run of a task at a time; callers while it runs get the same promise. */
export class SingleFlight<T> {
  #running: Promise<T> | undefined;

  /** `task`'s promise, or the one still running. */
  run(task: () => Promise<T>): Promise<T> {
    this.#running ??= task().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** The run going on now, if any. */
  get running(): Promise<T> | undefined {
    return this.#running;
  }
}

/** {@link SingleFlight} per key: one run per key at a time. */
export class KeyedSingleFlight<K, T> {
  readonly #running = new Map<K, Promise<T>>();

  run(key: K, task: () => Promise<T>): Promise<T> {
    let running = this.#running.get(key);
    if (running === undefined) {
      running = task().finally(() => this.#running.delete(key));
      this.#running.set(key, running);
    }
    return running;
  }
}

/**
 * A value read at most once per TTL, concurrent callers sharing one read. A failed read is not kept:
 * the next caller reads again.
 */
export class SharedValue<T> {
  readonly #read: () => Promise<T>;
  readonly #ttlMs: (value: T) => number;
  readonly #now: () => number;
  readonly #flight = new SingleFlight<T>();
  #kept: { readonly value: T; readonly at: number } | undefined;

  /**
   * @param read reads the value (from LibreNMS)
   * @param ttlMs how long a value is kept, in ms: a number, or one per value read
   * @param now the clock, ms since the epoch
   */
  constructor(read: () => Promise<T>, ttlMs: number | ((value: T) => number), now: () => number = Date.now) {
    this.#read = read;
    this.#ttlMs = typeof ttlMs === 'number' ? () => ttlMs : ttlMs;
    this.#now = now;
  }

  /** The kept value while it is fresh, else a new read (shared with callers meanwhile). */
  get(): Promise<T> {
    const kept = this.#kept;
    if (kept !== undefined && this.#now() - kept.at < this.#ttlMs(kept.value)) return Promise.resolve(kept.value);
    return this.#flight.run(async () => {
      const value = await this.#read();
      this.#kept = { value, at: this.#now() };
      return value;
    });
  }

  /** The last value read, however old. */
  get last(): T | undefined {
    return this.#kept?.value;
  }
}
