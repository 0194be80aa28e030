/**
 * The exporter's own metrics. Refresh status (librenms_up, collector success, cache age, …) is
 * written per scope and instance by {@link renderStatus}; prom-client holds the process-wide rest:
 * build info, LibreNMS request counters and the default process metrics.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestObservation } from '../librenms/client.js';
import { type FamilyName, family } from './catalog.js';
import { ExpositionWriter, type Rendered } from './writer.js';

export interface CollectorStatus {
  readonly name: string;
  readonly success: boolean;
  readonly durationSeconds: number;
}

/** The refresh state of one scope of one LibreNMS instance. */
export interface ExporterStatus {
  readonly up: boolean;
  readonly collectors: readonly CollectorStatus[];
  /** Age of the oldest LibreNMS data being served, in seconds. */
  readonly cacheAgeSeconds: number | undefined;
  readonly lastSuccessTimestampSeconds: number | undefined;
  readonly refreshDurationSeconds: number | undefined;
}

/** Writes the refresh status families of one scope (with the instance's constant labels). */
export function renderStatus(status: ExporterStatus, constLabels: Readonly<Record<string, string>> = {}): Rendered {
  const writer = new ExpositionWriter(constLabels);
  const none = writer.labels([], []);
  const up = writer.family(family('librenms_up'));
  writer.sample(up, none, status.up ? 1 : 0);
  const success = writer.family(family('librenms_scrape_collector_success'));
  const duration = writer.family(family('librenms_scrape_collector_duration_seconds'));
  for (const c of status.collectors) {
    const labels = writer.labels(['collector'], [c.name]);
    writer.sample(success, labels, c.success ? 1 : 0);
    writer.sample(duration, labels, c.durationSeconds);
  }
  const single = (name: FamilyName, value: number | undefined): void => {
    const column = writer.family(family(name));
    if (value !== undefined) writer.sample(column, none, value);
  };
  single('librenms_exporter_cache_age_seconds', status.cacheAgeSeconds);
  single('librenms_exporter_last_refresh_success_timestamp_seconds', status.lastSuccessTimestampSeconds);
  single('librenms_exporter_refresh_duration_seconds', status.refreshDurationSeconds);
  return writer.finishPlain();
}

export class ExporterMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<string>;
  readonly #requestDuration: Histogram<string>;
  readonly #instanceLabel: boolean;

  /** @param instanceLabel add `librenms_instance` to the request metrics (several LibreNMS instances) */
  constructor(version: string, instanceLabel = false) {
    this.#instanceLabel = instanceLabel;
    collectDefaultMetrics({ register: this.registry });
    // These gauges end in _total, which Prometheus reserves for counters (promtool flags them); the
    // same numbers remain by type in nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
    const registers = [this.registry];
    const extra = instanceLabel ? ['librenms_instance'] : [];
    const build = family('librenms_exporter_build_info');
    new Gauge({ name: build.name, help: build.help, labelNames: ['version'], registers }).set({ version }, 1);
    const requests = family('librenms_exporter_api_requests_total');
    this.#requests = new Counter({ name: requests.name, help: requests.help, labelNames: [...extra, 'endpoint', 'code'], registers });
    const duration = family('librenms_exporter_api_request_duration_seconds');
    this.#requestDuration = new Histogram({
      name: duration.name,
      help: duration.help,
      labelNames: [...extra, 'endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  /** Counts one LibreNMS API request (wired to the client's `onRequest`). */
  observeRequest(observation: RequestObservation, instance: string): void {
    const extra = this.#instanceLabel ? { librenms_instance: instance } : {};
    this.#cached = undefined; // a counter changed: the next render must show it
    this.#requests.inc({ ...extra, endpoint: observation.endpoint, code: observation.code });
    this.#requestDuration.observe({ ...extra, endpoint: observation.endpoint }, observation.durationSeconds);
  }

  #cached: { at: number; text: Promise<string> } | undefined;

  /**
   * The exposition text of the process-wide metrics. Scrapes within 250 ms share one collection:
   * prom-client's default metrics cost a few ms each (they read /proc), and 200 scrapes released at
   * once when a slow refresh passes their budget must not queue behind 200 of them. A LibreNMS
   * request ends the sharing, so request counters are never stale.
   */
  async render(): Promise<string> {
    const now = performance.now();
    if (this.#cached === undefined || now - this.#cached.at > 250) this.#cached = { at: now, text: this.registry.metrics() };
    return this.#cached.text;
  }
}
