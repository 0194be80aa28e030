/**
 * The exporter at run time: every configured LibreNMS and the exporter's own metrics. A scrape asks
 * it for one finished exposition (the refresh status of each instance, the process metrics on
 * `/metrics`, and the LibreNMS data of the scope), which `http/` only has to send.
 */
import type { Logger } from 'pino';
import type { Collector } from '../collectors/collector.js';
import type { Config } from '../config-types.js';
import type { Deadline } from '../deadline.js';
import { Exposition, ExpositionMemo } from '../exposition/exposition.js';
import { ExporterMetrics, type ExporterStatus, renderStatus } from '../exposition/status.js';
import type { Scope } from '../inventory/selection.js';
import { Lru } from '../util/lru.js';
import { VERSION } from '../version.js';
import { InstanceRuntime } from './instance.js';

/** The status of a scope whose LibreNMS could not be asked anything: `librenms_up 0` and nothing else. */
export const DOWN_STATUS: ExporterStatus = {
  up: false,
  collectors: [],
  cacheAgeSeconds: undefined,
  lastSuccessTimestampSeconds: undefined,
  refreshDurationSeconds: undefined,
};

export class Runtime {
  readonly instances: readonly InstanceRuntime[];
  readonly metrics: ExporterMetrics;
  /** The data of multi-instance answers, kept per instance set and scope. */
  readonly #memos: Lru<string, ExpositionMemo>;

  constructor(config: Config, logger: Logger, collectors: readonly Collector[], now?: () => number) {
    this.metrics = new ExporterMetrics(VERSION, config.multiInstance);
    const metrics = this.metrics;
    this.instances = config.instances.map(
      (instance) => new InstanceRuntime(instance, config, collectors, logger, (observation) => metrics.observeRequest(observation, instance.name), now),
    );
    this.#memos = new Lru(config.maxScopes);
  }

  /**
   * The answer to a scrape of `scope` on `selected` instances. Waits for each instance's refresh
   * until `deadline`; past it the last good data (or none) is answered.
   */
  async expose(selected: readonly InstanceRuntime[], scope: Scope, options: { processMetrics: boolean }, deadline: Deadline): Promise<Exposition> {
    const caches = selected.map((i) => i.scope(scope));
    const served = await Promise.all(caches.map((c) => c.refresher.serve(deadline)));
    const first = caches[0];
    const data =
      caches.length === 1 && first !== undefined
        ? first.memo.get(served[0] ?? [])
        : this.#memos.getOrSet(`${selected.map((i) => i.instance.name).join(',')}|${JSON.stringify(scope)}`, () => new ExpositionMemo()).get(served.flat());
    const status = Exposition.of(selected.map((instance, i) => renderStatus(caches[i]?.refresher.status() ?? DOWN_STATUS, instance.constLabels)));
    const process = options.processMetrics ? Exposition.text(Buffer.from(await this.metrics.render(), 'utf8')) : undefined;
    return Exposition.concat([status, process, data]);
  }

  /** The answer when no LibreNMS could be asked anything: `librenms_up 0` (with `constLabels`). */
  down(constLabels: Readonly<Record<string, string>> = {}): Exposition {
    return Exposition.concat([Exposition.of([renderStatus(DOWN_STATUS, constLabels)])]);
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.close()));
  }
}
