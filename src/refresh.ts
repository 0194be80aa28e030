/**
 * The shared cache between scrapes and LibreNMS. A refresh runs every collector once and keeps the
 * rendered bytes; scrapes within the TTL reuse them, concurrent scrapes share one refresh (single
 * flight), and no scrape waits past its budget. A failing collector keeps serving its last good data
 * until that is older than the maximum age.
 */
import { createGzip } from 'node:zlib';
import type { Logger } from 'pino';
import type { Collector, RefreshContext } from './collectors/collector.js';
import { LibreNmsError, describeError } from './errors.js';
import { composeFamilies, type Rendered } from './metrics/exposition.js';
import type { CollectorStatus, ExporterStatus } from './metrics/self.js';

/** Rendered LibreNMS data ready to send. */
export class Exposition {
  readonly chunks: readonly Buffer[];
  readonly byteLength: number;
  #gzip: Promise<Buffer> | undefined;

  constructor(chunks: readonly Buffer[]) {
    this.chunks = chunks;
    this.byteLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  /** The gzip-compressed bytes, computed off the event loop on first use and then kept. */
  gzip(): Promise<Buffer> {
    this.#gzip ??= new Promise<Buffer>((resolve, reject) => {
      const gzip = createGzip({ level: 6 });
      const out: Buffer[] = [];
      gzip.on('data', (chunk: Buffer) => out.push(chunk));
      gzip.on('end', () => resolve(Buffer.concat(out)));
      gzip.on('error', reject);
      for (const chunk of this.chunks) gzip.write(chunk);
      gzip.end();
    });
    return this.#gzip;
  }
}

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
}

export interface RefresherOptions {
  readonly collectors: readonly Collector[];
  /** A fresh context for each refresh. */
  readonly context: () => RefreshContext;
  readonly ttlMs: number;
  readonly maxAgeMs: number;
  readonly logger: Logger;
  /** Earliest retry after a failed refresh (ms); `Retry-After` from LibreNMS can push it further. */
  readonly failureRetryMs?: number;
  readonly now?: () => number;
}

export class Refresher {
  readonly #options: RefresherOptions;
  readonly #states: CollectorState[];
  readonly #now: () => number;
  #inflight: Promise<void> | undefined;
  #nextRefreshAt = 0;
  #up = false;
  #lastSuccessAt: number | undefined;
  #lastDurationSeconds: number | undefined;
  #served: readonly Rendered[] = [];
  /** Refreshes started, for tests and the benchmark. */
  refreshCount = 0;

  constructor(options: RefresherOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#states = options.collectors.map((collector) => ({ collector, status: undefined, good: undefined }));
  }

  /**
   * The LibreNMS data to serve now, refreshing first when the cache has expired. Waits at most
   * `budgetMs` for a running refresh; past that it returns the last good data (or undefined) and the
   * refresh carries on for later scrapes.
   */
  async serve(budgetMs: number): Promise<readonly Rendered[]> {
    if (this.#inflight === undefined && this.#now() >= this.#nextRefreshAt) this.refresh();
    const inflight = this.#inflight;
    if (inflight !== undefined && budgetMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([inflight, new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
      clearTimeout(timer);
    }
    return this.current();
  }

  /** Starts a refresh unless one is running; resolves when it ends (it never rejects). */
  refresh(): Promise<void> {
    this.#inflight ??= this.#run().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  get refreshing(): boolean {
    return this.#inflight !== undefined;
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

  async #run(): Promise<void> {
    this.refreshCount++;
    const { logger, ttlMs, failureRetryMs = 5000 } = this.#options;
    const started = this.#now();
    const context = this.#options.context();
    let allSucceeded = true;
    let retryAfterMs = 0;
    const summary: Record<string, number | string> = {};
    const run = async (state: CollectorState): Promise<void> => {
      const name = state.collector.name;
      const collectorStarted = performance.now();
      try {
        const result = await state.collector.collect(context);
        const success = result.partialErrors.length === 0;
        state.good = { rendered: result.rendered, series: result.series, at: started };
        state.status = { name, success, durationSeconds: (performance.now() - collectorStarted) / 1000 };
        Object.assign(summary, result.summary, { [`${name}_series`]: result.series });
        if (!success) {
          allSucceeded = false;
          const first = result.partialErrors[0];
          // A 429 on one request of a partly failed collector asks us to wait just the same.
          for (const partial of result.partialErrors) retryAfterMs = Math.max(retryAfterMs, retryAfterMsOf(partial));
          logger.warn(
            { collector: name, failures: result.partialErrors.length, ...errorFields(first) },
            `collector ${name} partly failed (${result.partialErrors.length} request(s)): ${describeError(first)}`,
          );
        }
      } catch (error) {
        allSucceeded = false;
        state.status = { name, success: false, durationSeconds: (performance.now() - collectorStarted) / 1000 };
        retryAfterMs = Math.max(retryAfterMs, retryAfterMsOf(error));
        const kept = state.good !== undefined && this.#now() - state.good.at <= this.#options.maxAgeMs;
        logger.warn(
          { collector: name, ...errorFields(error), serving_stale: kept },
          `collector ${name} failed: ${describeError(error)}${kept ? '; serving its last good data' : ''}`,
        );
      }
    };
    // The first collector (devices) selects the devices; the others only read that list, so they
    // run side by side and a refresh costs two LibreNMS round trips, not one per collector.
    const [first, ...rest] = this.#states;
    if (first !== undefined) await run(first);
    await Promise.all(rest.map(run));
    const finished = this.#now();
    this.#up = this.#states.find((s) => s.collector.name === 'devices')?.status?.success ?? allSucceeded;
    this.#lastDurationSeconds = (finished - started) / 1000;
    if (allSucceeded) {
      this.#lastSuccessAt = finished;
      this.#nextRefreshAt = started + ttlMs;
    } else {
      this.#nextRefreshAt = finished + Math.max(Math.min(ttlMs, failureRetryMs), retryAfterMs);
    }
    logger.info({ ...summary, duration_ms: finished - started, success: allSucceeded }, 'refresh from LibreNMS complete');
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

/**
 * Exposition bytes (and their gzip) built from rendered parts, remembered while the parts are the
 * same objects: a warm scrape neither re-renders nor re-compresses.
 */
export class ExpositionMemo {
  #parts: readonly Rendered[] = [];
  #exposition: Exposition | undefined;
  /** Times bytes were assembled, for tests. */
  compositions = 0;

  get(parts: readonly Rendered[]): Exposition | undefined {
    const same = this.#exposition !== undefined && parts.length === this.#parts.length && parts.every((p, i) => p === this.#parts[i]);
    if (!same) {
      this.#parts = parts;
      const chunks = composeFamilies(parts);
      this.#exposition = chunks.length === 0 ? undefined : new Exposition(chunks);
      this.compositions++;
    }
    return this.#exposition;
  }
}

function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof LibreNmsError) {
    return { error_code: error.code, ...(error.status === undefined ? {} : { http_status: error.status }), endpoint: error.endpoint };
  }
  return { error_code: 'internal' };
}

/** How long LibreNMS asked us to wait (HTTP 429 `Retry-After`), in ms; 0 when it did not. */
function retryAfterMsOf(error: unknown): number {
  return error instanceof LibreNmsError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
}
