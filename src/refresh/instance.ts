/**
 * One LibreNMS instance at run time: its client (and so its concurrency cap), its inventory, and one
 * cache per scope (the whole install, a device group, one device), the least recently used scope
 * evicted past `maxScopes`.
 */
import type { Logger } from 'pino';
import type { Collector } from '../collectors/collector.js';
import { PortReadMemory } from '../collectors/port-reads.js';
import type { Config, InstanceConfig } from '../config/types.js';
import { ExpositionMemo } from '../exposition/cached.js';
import { Inventory } from '../inventory/inventory.js';
import { readSelection, type Scope, scopeKey } from '../inventory/selection.js';
import { clientOptions, LibreNmsClient, type RequestObservation } from '../librenms/client.js';
import { Refresher } from './refresher.js';

export interface ScopeCache {
  readonly refresher: Refresher;
  readonly memo: ExpositionMemo;
}

export class InstanceRuntime {
  readonly instance: InstanceConfig;
  readonly client: LibreNmsClient;
  readonly inventory: Inventory;
  /** The ports collector's memory of this LibreNMS, shared by every scope (a device's ports are the same in each). */
  readonly portReads = new PortReadMemory();
  /** `{ librenms_instance: name }` with several instances, else `{}`. */
  readonly constLabels: Readonly<Record<string, string>>;
  readonly #scopes = new Map<string, ScopeCache>();
  readonly #config: Config;
  readonly #collectors: readonly Collector[];
  readonly #logger: Logger;
  readonly #now: (() => number) | undefined;

  constructor(
    instance: InstanceConfig,
    config: Config,
    collectors: readonly Collector[],
    logger: Logger,
    onRequest: (observation: RequestObservation) => void,
    now?: () => number,
  ) {
    this.instance = instance;
    this.#config = config;
    this.#collectors = collectors;
    this.#logger = config.multiInstance ? logger.child({ librenms_instance: instance.name }) : logger;
    this.#now = now;
    this.constLabels = config.multiInstance ? { librenms_instance: instance.name } : {};
    this.client = new LibreNmsClient(clientOptions(instance, config, onRequest));
    this.inventory = new Inventory(this.client, config.cacheTtlMs, now);
  }

  /** The cache of a scope, created on first use. */
  scope(scope: Scope): ScopeCache {
    const key = scopeKey(scope);
    let cache = this.#scopes.get(key);
    if (cache !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.#scopes.delete(key);
      this.#scopes.set(key, cache);
      return cache;
    }
    const logger = key === 'all' ? this.#logger : this.#logger.child({ scope: key });
    cache = {
      refresher: new Refresher({
        collectors: this.#collectors,
        select: () => readSelection(this.inventory, this.#config, scope),
        input: (selection) => ({
          client: this.client,
          inventory: this.inventory,
          config: this.#config,
          logger,
          selection,
          constLabels: this.constLabels,
          portReads: this.portReads,
          now: this.#now ?? Date.now,
        }),
        ttlMs: this.#config.cacheTtlMs,
        maxAgeMs: this.#config.cacheMaxAgeMs,
        logger,
        ...(this.#now === undefined ? {} : { now: this.#now }),
      }),
      memo: new ExpositionMemo(),
    };
    this.#scopes.set(key, cache);
    for (const oldest of this.#scopes.keys()) {
      if (this.#scopes.size <= this.#config.maxScopes) break;
      if (oldest !== 'all') this.#scopes.delete(oldest);
    }
    return cache;
  }

  /** Scope caches held now (at most MAX_SCOPES). */
  get scopeCount(): number {
    return this.#scopes.size;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
