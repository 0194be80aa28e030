/**
 * Builds the HTTP application. It never listens and never reads `process`: `server.ts` does that,
 * and tests call `app.inject` or listen on an ephemeral loopback port.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { COLLECTORS } from './collectors/index.js';
import type { Collector } from './collectors/collector.js';
import type { Config } from './config.js';
import { LibreNmsClient } from './librenms/client.js';
import { ExporterMetrics } from './metrics/self.js';
import { Refresher } from './refresh.js';
import { VERSION } from './version.js';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Defaults to {@link COLLECTORS}. */
  readonly collectors?: readonly Collector[];
  readonly now?: () => number;
}

export interface ExporterApp {
  readonly app: FastifyInstance;
  readonly refresher: Refresher;
  readonly client: LibreNmsClient;
  readonly metrics: ExporterMetrics;
}

/** How long a scrape may wait for LibreNMS: Prometheus's timeout header (or the default) minus the margin. */
export function scrapeBudgetMs(header: string | string[] | undefined, config: Config): number {
  const raw = Array.isArray(header) ? header[0] : header;
  const seconds = raw === undefined ? NaN : Number(raw);
  const timeoutMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : config.defaultScrapeTimeoutMs;
  return Math.max(0, timeoutMs - config.scrapeTimeoutMarginMs);
}

export function buildApp(options: AppOptions): ExporterApp {
  const { config, logger } = options;
  let refresher: Refresher | undefined;
  const metrics = new ExporterMetrics(VERSION, () => {
    if (refresher === undefined) throw new Error('refresher not ready');
    return refresher.status();
  });
  const client = new LibreNmsClient({
    baseUrl: config.librenmsUrl,
    token: config.token,
    concurrency: config.concurrency,
    timeoutMs: config.requestTimeoutMs,
    caCertificate: config.caCertificate,
    tlsInsecure: config.tlsInsecure,
    onRequest: (observation) => metrics.observeRequest(observation),
  });
  refresher = new Refresher({
    collectors: options.collectors ?? COLLECTORS,
    context: () => ({ client, config, logger }),
    ttlMs: config.cacheTtlMs,
    maxAgeMs: config.cacheMaxAgeMs,
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const served = refresher;

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One log line per refresh says what matters; a line per scrape would only add noise.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.get('/metrics', async (request, reply) => {
    const started = performance.now();
    const budget = scrapeBudgetMs(request.headers['x-prometheus-scrape-timeout-seconds'], config);
    const exposition = await served.serve(budget);
    const own = Buffer.from(await metrics.render(), 'utf8');
    reply.header('content-type', CONTENT_TYPE).header('cache-control', 'no-store').header('vary', 'Accept-Encoding');
    const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (acceptsGzip) {
      // Two gzip members in a row are one valid gzip stream (RFC 1952): the big cached one for the
      // LibreNMS data, and a small fresh one for the exporter's own metrics.
      const remaining = budget - (performance.now() - started);
      const body = exposition === undefined ? undefined : await withDeadline(exposition.gzip(), remaining);
      if (exposition === undefined || body !== undefined) {
        const parts = [gzipSync(own, { level: 1 }), ...(body === undefined ? [] : [body])];
        reply.header('content-encoding', 'gzip').header('content-length', parts.reduce((n, p) => n + p.length, 0));
        return reply.send(Readable.from(parts, { objectMode: false }));
      }
    }
    const parts = [own, ...(exposition?.chunks ?? [])];
    reply.header('content-length', parts.reduce((n, p) => n + p.length, 0));
    return reply.send(Readable.from(parts, { objectMode: false }));
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html><head><meta charset="utf-8"><title>LibreNMS Exporter</title></head><body>' +
          `<h1>LibreNMS Exporter</h1><p>Version ${VERSION}. LibreNMS devices and ports as Prometheus metrics.</p>` +
          '<ul><li><a href="metrics">/metrics</a></li><li><a href="healthz">/healthz</a></li></ul></body></html>',
      ),
  );

  app.addHook('onClose', async () => {
    await client.close();
  });

  return { app, refresher: served, client, metrics };
}

/** The promise's value, or undefined when it is not settled within `ms`. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}
