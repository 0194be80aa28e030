/**
 * A map of at most `maxSize` entries that drops the least recently used one past it. Every bounded
 * cache of the exporter (scopes, multi-instance answers, group members, verified logins, rate-limited
 * log keys) is one of these.
 */
export class Lru<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #maxSize: () => number;

  /**
   * @param maxSize most entries kept (0 keeps none: every value is made afresh); a function when the
   *   bound moves (read at each insertion)
   */
  constructor(maxSize: number | (() => number)) {
    this.#maxSize = typeof maxSize === 'number' ? () => maxSize : maxSize;
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Map order is insertion order: inserting again makes it the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value of `key` without marking it used. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Sets `key` as the most recently used, dropping the least recently used entries past the size. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    const maxSize = Math.max(0, this.#maxSize());
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= maxSize) break;
      this.#entries.delete(oldest);
    }
  }

  /** The value of `key`, made by `create` (and set) when absent. */
  getOrSet(key: K, create: () => V): V {
    const found = this.get(key);
    if (found !== undefined) return found;
    const value = create();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  keys(): IterableIterator<K> {
    return this.#entries.keys();
  }
}
