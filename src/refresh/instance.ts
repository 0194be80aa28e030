/**
 * One LibreNMS instance at run time: its client (and so its concurrency cap), its inventory, what its
 * collectors keep between refreshes, and one cache per scope (the whole install, a device group, one
 * device), the least recently used scope dropped past `maxScopes`.
 */
import type { Logger } from 'pino';
import type { Collector, CollectorInput } from '../collectors/collector.js';
import type { Config, InstanceConfig } from '../config-types.js';
import { ExpositionMemo } from '../exposition/exposition.js';
import { Inventory } from '../inventory/inventory.js';
import { readSelection, type Scope, scopeKey } from '../inventory/selection.js';
import { clientOptions, LibreNmsClient, type RequestObservation } from '../librenms/client.js';
import { Lru } from '../util/lru.js';
import { Refresher } from './refresher.js';

export interface ScopeCache {
  readonly refresher: Refresher;
  /** The exposition of the refresher's data, kept while the data stays the same. */
  readonly memo: ExpositionMemo;
}

export class InstanceRuntime {
  readonly instance: InstanceConfig;
  readonly client: LibreNmsClient;
  readonly inventory: Inventory;
  /** `{ librenms_instance: name }` with several instances, else `{}`. */
  readonly constLabels: Readonly<Record<string, string>>;
  readonly #config: Config;
  readonly #collectors: readonly Collector[];
  readonly #logger: Logger;
  readonly #now: () => number;
  /** The whole install's cache is never dropped; scoped ones (`?group=`, `/probe`) are, least recently used first. */
  readonly #all: ScopeCache;
  readonly #scoped: Lru<string, ScopeCache>;
  /** What each collector keeps of this LibreNMS between refreshes (CollectorInput.memory), shared by every scope. */
  readonly #memory = new Map<Collector, object>();

  constructor(
    instance: InstanceConfig,
    config: Config,
    collectors: readonly Collector[],
    logger: Logger,
    onRequest?: (observation: RequestObservation) => void,
    now: () => number = Date.now,
  ) {
    this.instance = instance;
    this.#config = config;
    this.#collectors = collectors;
    this.#logger = config.multiInstance ? logger.child({ librenms_instance: instance.name }) : logger;
    this.#now = now;
    this.constLabels = config.multiInstance ? { librenms_instance: instance.name } : {};
    this.client = new LibreNmsClient(clientOptions(instance, config, onRequest));
    this.inventory = new Inventory(this.client, config.cacheTtlMs, now);
    this.#scoped = new Lru(config.maxScopes - 1);
    this.#all = this.#newScope({});
  }

  /** The cache of a scope, made on first use. */
  scope(scope: Scope): ScopeCache {
    const key = scopeKey(scope);
    return key === 'all' ? this.#all : this.#scoped.getOrSet(key, () => this.#newScope(scope));
  }

  /** Scope caches held now (at most MAX_SCOPES). */
  get scopeCount(): number {
    return 1 + this.#scoped.size;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  #newScope(scope: Scope): ScopeCache {
    const key = scopeKey(scope);
    const logger = key === 'all' ? this.#logger : this.#logger.child({ scope: key });
    return {
      refresher: new Refresher({
        collectors: this.#collectors,
        select: () => readSelection(this.inventory, this.#config, scope, this.#now),
        input: (selection, collector) => this.#input(selection, collector, scope, logger),
        constLabels: this.constLabels,
        ttlMs: this.#config.cacheTtlMs,
        maxAgeMs: this.#config.cacheMaxAgeMs,
        logger,
        now: this.#now,
      }),
      memo: new ExpositionMemo(),
    };
  }

  #input(selection: CollectorInput['selection'], collector: Collector, scope: Scope, logger: Logger): CollectorInput {
    return {
      selection,
      scope,
      client: this.client,
      inventory: this.inventory,
      config: this.#config,
      logger,
      now: this.#now,
      memory: <T extends object>(create: () => T): T => {
        let kept = this.#memory.get(collector) as T | undefined;
        if (kept === undefined) {
          kept = create();
          this.#memory.set(collector, kept);
        }
        return kept;
      },
    };
  }
}
