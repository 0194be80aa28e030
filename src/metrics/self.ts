/** The exporter's own metrics, in a prom-client registry with the default process metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestObservation } from '../librenms/client.js';
import { EXPORTER_FAMILIES, type MetricFamily } from './catalog.js';

export interface CollectorStatus {
  readonly name: string;
  readonly success: boolean;
  readonly durationSeconds: number;
}

/** The refresh state the gauges report, read at each scrape. */
export interface ExporterStatus {
  readonly up: boolean;
  readonly collectors: readonly CollectorStatus[];
  /** Age of the oldest LibreNMS data being served, in seconds. */
  readonly cacheAgeSeconds: number | undefined;
  readonly lastSuccessTimestampSeconds: number | undefined;
  readonly refreshDurationSeconds: number | undefined;
}

function family(name: string): MetricFamily {
  const found = EXPORTER_FAMILIES.find((f) => f.name === name);
  if (found === undefined) throw new Error(`unknown family ${name}`);
  return found;
}

export class ExporterMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'endpoint' | 'code'>;
  readonly #requestDuration: Histogram<'endpoint'>;

  constructor(version: string, status: () => ExporterStatus) {
    collectDefaultMetrics({ register: this.registry });
    // These gauges end in _total, which Prometheus reserves for counters (promtool flags them); the
    // same numbers remain by type in nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
    const registers = [this.registry];
    const gauge = (name: string, collect: (g: Gauge<string>) => void): void => {
      const f = family(name);
      new Gauge({
        name,
        help: f.help,
        labelNames: [...f.labels],
        registers,
        collect() {
          this.reset();
          collect(this);
        },
      });
    };
    gauge('librenms_up', (g) => g.set(status().up ? 1 : 0));
    gauge('librenms_scrape_collector_success', (g) => {
      for (const c of status().collectors) g.set({ collector: c.name }, c.success ? 1 : 0);
    });
    gauge('librenms_scrape_collector_duration_seconds', (g) => {
      for (const c of status().collectors) g.set({ collector: c.name }, c.durationSeconds);
    });
    gauge('librenms_exporter_cache_age_seconds', (g) => {
      const age = status().cacheAgeSeconds;
      if (age !== undefined) g.set(age);
    });
    gauge('librenms_exporter_last_refresh_success_timestamp_seconds', (g) => {
      const at = status().lastSuccessTimestampSeconds;
      if (at !== undefined) g.set(at);
    });
    gauge('librenms_exporter_refresh_duration_seconds', (g) => {
      const seconds = status().refreshDurationSeconds;
      if (seconds !== undefined) g.set(seconds);
    });
    const build = family('librenms_exporter_build_info');
    new Gauge({ name: build.name, help: build.help, labelNames: ['version'], registers }).set({ version }, 1);
    const requests = family('librenms_exporter_api_requests_total');
    this.#requests = new Counter({ name: requests.name, help: requests.help, labelNames: ['endpoint', 'code'], registers });
    const duration = family('librenms_exporter_api_request_duration_seconds');
    this.#requestDuration = new Histogram({
      name: duration.name,
      help: duration.help,
      labelNames: ['endpoint'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  /** Counts one LibreNMS API request (wired to the client's `onRequest`). */
  observeRequest(observation: RequestObservation): void {
    this.#requests.inc({ endpoint: observation.endpoint, code: observation.code });
    this.#requestDuration.observe({ endpoint: observation.endpoint }, observation.durationSeconds);
  }

  /** The exposition text of the exporter's own metrics. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
