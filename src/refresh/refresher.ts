/**
 * The shared cache between scrapes and LibreNMS. A refresh is two explicit steps: the selection (which
 * devices this scope exports; `librenms_up` is its success) and then every collector side by side on
 * that immutable selection. Scrapes within the TTL reuse the result, concurrent scrapes share one
 * refresh (single flight), and no scrape waits past its deadline. A failing collector keeps serving its
 * last good data until that is older than the maximum age.
 *
 * A refresh that failed is tried again soon (5 s, or what `Retry-After` asks). A refresh in which only
 * part of a collector's reads failed (one device's ports) keeps the TTL for the next full refresh, and
 * runs just the partly failed collectors again in between, after 5 s, then 10 s, 20 s…: one device that
 * always answers 500 must not turn every scrape into a full refresh.
 */
import type { Logger } from 'pino';
import { describeFailure } from '../advice.js';
import type { Collector, CollectorInput } from '../collectors/collector.js';
import type { Deadline } from '../deadline.js';
import { LibreNmsError } from '../errors.js';
import { WriterSink } from '../exposition/sink.js';
import type { CollectorStatus, ExporterStatus } from '../exposition/status.js';
import type { Rendered } from '../exposition/writer.js';
import type { DeviceSelection } from '../inventory/selection.js';
import { SingleFlight } from '../util/single-flight.js';

interface GoodResult {
  readonly rendered: Rendered;
  readonly series: number;
  /** When the data was fetched (ms since epoch). */
  readonly at: number;
}

interface CollectorState {
  readonly collector: Collector;
  status: CollectorStatus | undefined;
  good: GoodResult | undefined;
  /** The last run returned data but some of its reads failed (partialErrors). */
  partial: boolean;
  /** What the last run said: its figures, and the error that failed it (or its first partial one). */
  report: CollectorReport | undefined;
}

/** How the last run of one collector went, for `check`. */
export interface CollectorReport {
  readonly name: string;
  readonly success: boolean;
  readonly summary: Readonly<Record<string, number | string>>;
  readonly error: unknown;
  /** Its notice (CollectorOutcome.notice), if it gave one. */
  readonly notice: string | undefined;
}

export interface RefresherOptions {
  readonly collectors: readonly Collector[];
  /** The selection step: the devices this scope exports now. Throws when LibreNMS cannot say. */
  readonly select: () => Promise<DeviceSelection>;
  /** What a collector of one refresh reads, around the selection of that refresh. */
  readonly input: (selection: DeviceSelection, collector: Collector) => CollectorInput;
  /** Labels every sample of this scope carries, e.g. `librenms_instance`. */
  readonly constLabels?: Readonly<Record<string, string>>;
  readonly ttlMs: number;
  readonly maxAgeMs: number;
  readonly logger: Logger;
  /** Earliest retry after a failed refresh (ms); `Retry-After` from LibreNMS can push it further. */
  readonly failureRetryMs?: number;
  readonly now?: () => number;
}

/**
 * The `event` field of the refresh's own warnings: the device list or a collector failed, or the
 * selection has something to say. (`check` reports these in its own words.)
 */
export const REFRESH_EVENTS: ReadonlySet<string> = new Set([
  'selection_failed',
  'selection_warning',
  'collector_failed',
  'collector_partly_failed',
  'collector_notice',
]);

export class Refresher {
  readonly #options: RefresherOptions;
  readonly #states: CollectorState[];
  readonly #now: () => number;
  readonly #flight = new SingleFlight<void>();
  #nextRefreshAt = 0;
  /** When the partly failed collectors run again before the next full refresh (ms), if they do. */
  #retryAt: number | undefined;
  /** Such runs since the last full refresh: each waits twice as long as the one before. */
  #partialRetries = 0;
  #up = false;
  #lastSuccessAt: number | undefined;
  #lastDurationSeconds: number | undefined;
  #served: readonly Rendered[] = [];
  #selectionError: unknown;
  /** Selection warnings and collector notices already logged (each is said once, not every refresh). */
  readonly #warned = new Set<string>();

  constructor(options: RefresherOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#states = options.collectors.map((collector) => ({ collector, status: undefined, good: undefined, partial: false, report: undefined }));
  }

  /**
   * The LibreNMS data to serve now, refreshing first when the cache has expired. Waits for a running
   * refresh only until `deadline`; past it, it returns the last good data (or nothing) and the refresh
   * carries on for later scrapes.
   */
  async serve(deadline: Deadline): Promise<readonly Rendered[]> {
    if (this.#flight.running === undefined) {
      const now = this.#now();
      if (now >= this.#nextRefreshAt) this.refresh();
      else if (this.#retryAt !== undefined && now >= this.#retryAt) {
        const partlyFailed = this.#states.filter((s) => s.partial);
        if (partlyFailed.length > 0) this.#start(partlyFailed);
        else this.#retryAt = undefined;
      }
    }
    const running = this.#flight.running;
    if (running !== undefined) await deadline.race(running);
    return this.current();
  }

  /** Starts a refresh unless one is running; resolves when it ends (it never rejects). */
  refresh(): Promise<void> {
    return this.#start(this.#states);
  }

  /** Runs `states` (every collector: a full refresh) unless a run is going on. */
  #start(states: readonly CollectorState[]): Promise<void> {
    return this.#flight.run(() => this.#run(states));
  }

  status(): ExporterStatus {
    const now = this.#now();
    const served = this.#states.map((s) => s.good).filter((g): g is GoodResult => g !== undefined && now - g.at <= this.#options.maxAgeMs);
    const oldest = served.length === 0 ? undefined : Math.min(...served.map((g) => g.at));
    return {
      up: this.#up,
      collectors: this.#states.flatMap((s) => (s.status === undefined ? [] : [s.status])),
      cacheAgeSeconds: oldest === undefined ? undefined : (now - oldest) / 1000,
      lastSuccessTimestampSeconds: this.#lastSuccessAt === undefined ? undefined : this.#lastSuccessAt / 1000,
      refreshDurationSeconds: this.#lastDurationSeconds,
    };
  }

  async #run(states: readonly CollectorState[]): Promise<void> {
    const { logger, ttlMs, failureRetryMs = 5000 } = this.#options;
    const full = states.length === this.#states.length;
    const started = this.#now();
    let retryAfterMs = 0;
    let selection: DeviceSelection | undefined;
    this.#selectionError = undefined;
    try {
      selection = await this.#options.select();
    } catch (error) {
      this.#selectionError = error;
      retryAfterMs = retryAfterMsOf(error);
      const kept = this.#states.some((s) => s.good !== undefined && started - s.good.at <= this.#options.maxAgeMs);
      logger.warn(
        { event: 'selection_failed', step: 'selection', ...errorFields(error), serving_stale: kept },
        `cannot read the device list from LibreNMS: ${describeFailure(error)}${kept ? '; serving the last good data' : ''}`,
      );
      // No collector can run without the device list: each keeps its last good data and counts as failed.
      for (const state of states) state.status = { name: state.collector.name, success: false, durationSeconds: 0 };
    }
    let allSucceeded = selection !== undefined;
    /** Every collector returned data, some with failed reads: the TTL stands, the failed part is retried. */
    let onlyPartly = selection !== undefined;
    const summary: Record<string, number | string> = {};
    if (selection !== undefined) {
      for (const warning of selection.warnings ?? []) {
        if (this.#warned.has(warning)) continue;
        this.#warned.add(warning);
        logger.warn({ event: 'selection_warning', step: 'selection' }, warning);
      }
      summary['devices'] = selection.devices.length;
      const chosen = selection;
      const outcomes = await Promise.all(states.map((state) => this.#collect(state, this.#options.input(chosen, state.collector), started)));
      for (const outcome of outcomes) {
        Object.assign(summary, outcome.summary);
        retryAfterMs = Math.max(retryAfterMs, outcome.retryAfterMs);
        allSucceeded &&= outcome.success;
        onlyPartly &&= outcome.returned;
      }
    }
    const finished = this.#now();
    this.#up = selection !== undefined;
    this.#lastDurationSeconds = (finished - started) / 1000;
    if (allSucceeded && this.#states.every((s) => s.status?.success === true)) this.#lastSuccessAt = finished;
    if (full) {
      this.#partialRetries = 0;
      // A refresh that failed outright is tried again soon; one that only partly failed keeps the TTL.
      // Either way no request goes out before a Retry-After that LibreNMS sent is over.
      this.#nextRefreshAt = allSucceeded
        ? started + ttlMs
        : onlyPartly
          ? Math.max(started + ttlMs, finished + retryAfterMs)
          : finished + Math.max(Math.min(ttlMs, failureRetryMs), retryAfterMs);
    }
    this.#retryAt = undefined;
    if (!allSucceeded && (onlyPartly || !full)) {
      const retryAt = finished + Math.max(failureRetryMs * 2 ** this.#partialRetries, retryAfterMs);
      if (retryAt < this.#nextRefreshAt) this.#retryAt = retryAt;
      this.#partialRetries++;
    }
    logger.info(
      { ...summary, duration_ms: finished - started, success: allSucceeded, ...(full ? {} : { retry_of: states.map((s) => s.collector.name).join(',') }) },
      full ? 'refresh from LibreNMS complete' : 'retry of the partly failed collectors complete',
    );
  }

  /** Runs one collector; on failure its last good data stays (see {@link current}). */
  async #collect(
    state: CollectorState,
    input: CollectorInput,
    started: number,
  ): Promise<{ success: boolean; returned: boolean; retryAfterMs: number; summary: Record<string, number | string> }> {
    const { logger } = this.#options;
    const name = state.collector.name;
    const collectorStarted = performance.now();
    const sink = new WriterSink(this.#options.constLabels, { compress: true });
    try {
      const result = await state.collector.collect(input, sink);
      const series = sink.series;
      const rendered = await sink.finish();
      const success = result.partialErrors.length === 0;
      state.good = { rendered, series, at: started };
      state.status = { name, success, durationSeconds: (performance.now() - collectorStarted) / 1000 };
      state.partial = !success;
      state.report = { name, success, summary: result.summary, error: result.partialErrors[0], notice: result.notice };
      if (result.notice !== undefined && !this.#warned.has(result.notice)) {
        this.#warned.add(result.notice);
        logger.info({ event: 'collector_notice', collector: name }, result.notice);
      }
      let retryAfterMs = 0;
      if (!success) {
        const first = result.partialErrors[0];
        // A 429 on one request of a partly failed collector asks us to wait just the same.
        for (const partial of result.partialErrors) retryAfterMs = Math.max(retryAfterMs, retryAfterMsOf(partial));
        logger.warn(
          { event: 'collector_partly_failed', collector: name, failures: result.partialErrors.length, ...errorFields(first) },
          `collector ${name} partly failed (${result.partialErrors.length} request(s)): ${describeFailure(first)}`,
        );
      }
      return { success, returned: true, retryAfterMs, summary: { ...result.summary, [`${name}_series`]: series } };
    } catch (error) {
      sink.abandon();
      state.status = { name, success: false, durationSeconds: (performance.now() - collectorStarted) / 1000 };
      state.partial = false;
      state.report = { name, success: false, summary: {}, error, notice: undefined };
      const kept = state.good !== undefined && this.#now() - state.good.at <= this.#options.maxAgeMs;
      logger.warn(
        { event: 'collector_failed', collector: name, ...errorFields(error), serving_stale: kept },
        `collector ${name} failed: ${describeFailure(error)}${kept ? '; serving its last good data' : ''}`,
      );
      return { success: false, returned: false, retryAfterMs: retryAfterMsOf(error), summary: {} };
    }
  }

  /**
   * How the last refresh went, collector by collector (`check` reads it): the selection's error when
   * the device list could not be read, else each collector's figures and error.
   */
  lastRun(): { readonly selectionError: unknown; readonly collectors: readonly CollectorReport[] } {
    return { selectionError: this.#selectionError, collectors: this.#states.flatMap((s) => (s.report === undefined ? [] : [s.report])) };
  }

  /**
   * The rendered data to serve now: the last good output of each collector within the maximum age.
   * The array keeps its identity while nothing changed, so callers can cache what they build from it.
   */
  current(): readonly Rendered[] {
    const now = this.#now();
    const parts = this.#states.flatMap((s) => (s.good !== undefined && now - s.good.at <= this.#options.maxAgeMs ? [s.good.rendered] : []));
    const unchanged = parts.length === this.#served.length && parts.every((p, i) => p === this.#served[i]);
    if (!unchanged) this.#served = parts;
    return this.#served;
  }
}

function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof LibreNmsError) {
    return { error_code: error.code, ...(error.status === undefined ? {} : { http_status: error.status }), endpoint: error.endpoint };
  }
  return { error_code: 'internal' };
}

/**
 * How long LibreNMS asked us to wait (`Retry-After` on a 429 or 5xx), in ms; 0 when it did not. The
 * client is the one place that caps it (`librenms/client.ts`, `retryAfterCaps`: 300 s on a 429, 30 s on
 * a 5xx, and never past half the maximum age, so the exporter asks again before its last good data expires).
 */
export function retryAfterMsOf(error: unknown): number {
  if (!(error instanceof LibreNmsError) || error.retryAfterSeconds === undefined) return 0;
  return Math.max(0, error.retryAfterSeconds * 1000);
}
