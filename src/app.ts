/**
 * Builds the HTTP application. It never listens and never reads `process`: `server.ts` does that,
 * and tests call `app.inject` or listen on an ephemeral loopback port.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { enabledCollectors } from './collectors/index.js';
import type { Collector } from './collectors/collector.js';
import type { Config } from './config.js';
import { describeError } from './errors.js';
import { InstanceRuntime } from './instance.js';
import type { LibreNmsClient } from './librenms/client.js';
import { mapDevices, type DeviceRecord } from './mapping/devices.js';
import { composeFamilies } from './metrics/exposition.js';
import { ExporterMetrics, renderStatus } from './metrics/self.js';
import { ExpositionMemo, type Exposition, type Refresher } from './refresh.js';
import { matchesDeviceFilters, selectDevices, type Scope } from './selection.js';
import { VERSION } from './version.js';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Defaults to the collectors switched on in the config. */
  readonly collectors?: readonly Collector[];
  readonly now?: () => number;
}

export interface ExporterApp {
  readonly app: FastifyInstance;
  /** Every configured LibreNMS. */
  readonly instances: readonly InstanceRuntime[];
  /** The whole-install cache of the first instance. */
  readonly refresher: Refresher;
  /** The first instance's client. */
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

class BadRequest extends Error {}

type Query = Record<string, string | string[] | undefined>;

function param(query: unknown, name: string): string | undefined {
  const value = (query as Query)[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

export function buildApp(options: AppOptions): ExporterApp {
  const { config, logger } = options;
  const metrics = new ExporterMetrics(VERSION, config.multiInstance);
  const collectors = options.collectors ?? enabledCollectors(config.collectors);
  const instances = config.instances.map(
    (instance) =>
      new InstanceRuntime(instance, config, collectors, logger, (observation) => metrics.observeRequest(observation, instance.name), options.now),
  );
  const first = instances[0];
  if (first === undefined) throw new Error('no LibreNMS instance configured');
  for (const instance of config.instances) {
    if (instance.tlsInsecure) {
      logger.warn(
        { librenms_instance: instance.name },
        'LIBRENMS_TLS_INSECURE=true: the LibreNMS certificate is not verified; use LIBRENMS_CA_FILE outside a lab',
      );
    }
  }
  const multiMemos = new Map<string, ExpositionMemo>();

  const app = (config.web.tls === undefined
    ? Fastify({
        loggerInstance: logger as FastifyBaseLogger,
        // One log line per refresh says what matters; a line per scrape would only add noise.
        logController: new LogController({ disableRequestLogging: true }),
      })
    : Fastify({
        loggerInstance: logger as FastifyBaseLogger,
        logController: new LogController({ disableRequestLogging: true }),
        https: { cert: config.web.tls.cert, key: config.web.tls.key },
      })) as unknown as FastifyInstance;

  if (config.web.basicAuthUsers.size > 0 || config.web.bearerToken !== undefined) {
    const checkCredentials = credentialChecker(config);
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
      if (await checkCredentials(request.headers.authorization)) return;
      await reply
        .code(401)
        .header('www-authenticate', config.web.basicAuthUsers.size > 0 ? 'Basic realm="librenms-exporter"' : 'Bearer')
        .type('text/plain; charset=utf-8')
        .send('Unauthorized\n');
    });
  }

  const pickInstances = (name: string | undefined): InstanceRuntime[] => {
    if (name === undefined) return instances;
    const found = instances.find((i) => i.instance.name === name);
    if (found === undefined) throw new BadRequest(`unknown instance "${name}"; configured: ${instances.map((i) => i.instance.name).join(', ')}`);
    return [found];
  };

  /** Serves the data of `scope` from each instance, with status, as one exposition. */
  const serveScope = async (
    request: FastifyRequest,
    reply: FastifyReply,
    selected: readonly InstanceRuntime[],
    scope: Scope,
    withProcessMetrics: boolean,
  ): Promise<FastifyReply> => {
    const started = performance.now();
    const budget = scrapeBudgetMs(request.headers['x-prometheus-scrape-timeout-seconds'], config);
    const caches = selected.map((i) => i.scope(scope));
    const served = await Promise.all(caches.map((c) => c.refresher.serve(budget)));
    let exposition: Exposition | undefined;
    const firstCache = caches[0];
    if (caches.length === 1 && firstCache !== undefined) {
      exposition = firstCache.memo.get(served[0] ?? []);
    } else {
      const key = `${selected.map((i) => i.instance.name).join(',')}|${JSON.stringify(scope)}`;
      let memo = multiMemos.get(key);
      if (memo === undefined) {
        memo = new ExpositionMemo();
        multiMemos.set(key, memo);
        if (multiMemos.size > config.maxScopes) multiMemos.delete(multiMemos.keys().next().value as string);
      }
      exposition = memo.get(served.flat());
    }
    const statusParts = selected.map((instance, i) => renderStatus(caches[i]?.refresher.status() ?? downStatus(), instance.constLabels));
    const own = Buffer.concat([...composeFamilies(statusParts), Buffer.from(withProcessMetrics ? await metrics.render() : '', 'utf8')]);
    return sendExposition(request, reply, own, exposition, budget - (performance.now() - started));
  };

  app.get('/metrics', async (request, reply) => {
    try {
      const selected = pickInstances(param(request.query, 'instance'));
      const group = param(request.query, 'group');
      if (group !== undefined) {
        const budget = scrapeBudgetMs(request.headers['x-prometheus-scrape-timeout-seconds'], config);
        for (const instance of selected) {
          const names = await withDeadline(instance.inventory.groupNames().catch(() => undefined), budget);
          if (names !== undefined && !names.includes(group)) throw new BadRequest(`unknown device group "${group}" in LibreNMS ${instance.instance.name}`);
        }
      }
      return await serveScope(request, reply, selected, group === undefined ? {} : { group }, true);
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });

  app.get('/probe', async (request, reply) => {
    try {
      const target = param(request.query, 'target');
      if (target === undefined) throw new BadRequest('missing ?target=<LibreNMS device hostname>');
      const budget = scrapeBudgetMs(request.headers['x-prometheus-scrape-timeout-seconds'], config);
      const candidates = pickInstances(param(request.query, 'instance'));
      let unknownInventory = false;
      for (const instance of candidates) {
        const rows = (await withDeadline(instance.inventory.devices().catch(() => undefined), budget)) ?? instance.inventory.lastDevices;
        if (rows === undefined) {
          unknownInventory = true;
          continue;
        }
        const hostname = findHostname(rows, target);
        if (hostname !== undefined) return await serveScope(request, reply, [instance], { target: hostname }, false);
      }
      if (unknownInventory) {
        // LibreNMS cannot be asked which devices exist: say so as data, like a failed probe.
        const body = Buffer.concat(composeFamilies([renderStatus(downStatus())]));
        return await reply.header('content-type', CONTENT_TYPE).send(body);
      }
      throw new BadRequest(`unknown target "${target}": not a device hostname in LibreNMS`);
    } catch (error) {
      return badRequestOr(error, reply);
    }
  });

  app.get('/sd', async (request, reply) => {
    try {
      const selected = pickInstances(param(request.query, 'instance'));
      const groups = await Promise.all(selected.map((i) => discover(i, request.query, config)));
      return await reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(groups.flat()));
    } catch (error) {
      if (error instanceof BadRequest) return badRequestOr(error, reply);
      logger.warn({ error_code: 'sd_failed' }, `service discovery failed: ${describeError(error)}`);
      return reply.code(503).type('text/plain; charset=utf-8').send(`LibreNMS inventory unavailable: ${describeError(error)}\n`);
    }
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html><head><meta charset="utf-8"><title>LibreNMS Exporter</title></head><body>' +
          `<h1>LibreNMS Exporter</h1><p>Version ${VERSION}. LibreNMS devices and ports as Prometheus metrics.</p>` +
          '<ul><li><a href="metrics">/metrics</a> (all devices; <code>?group=NAME</code> for one device group)</li>' +
          '<li><code>/probe?target=HOSTNAME</code>: one device</li><li><a href="sd">/sd</a>: Prometheus HTTP service discovery</li>' +
          '<li><a href="healthz">/healthz</a></li></ul></body></html>',
      ),
  );

  app.addHook('onClose', async () => {
    await Promise.all(instances.map((i) => i.close()));
  });

  return { app, instances, refresher: first.scope({}).refresher, client: first.client, metrics };
}

function downStatus() {
  return { up: false, collectors: [], cacheAgeSeconds: undefined, lastSuccessTimestampSeconds: undefined, refreshDurationSeconds: undefined };
}

async function badRequestOr(error: unknown, reply: FastifyReply): Promise<FastifyReply> {
  if (error instanceof BadRequest) return reply.code(400).type('text/plain; charset=utf-8').send(`${error.message}\n`);
  throw error;
}

/** Sends own metrics plus the cached LibreNMS data, gzip-compressed when the client accepts it. */
async function sendExposition(
  request: FastifyRequest,
  reply: FastifyReply,
  own: Buffer,
  exposition: Exposition | undefined,
  remainingMs: number,
): Promise<FastifyReply> {
  reply.header('content-type', CONTENT_TYPE).header('cache-control', 'no-store').header('vary', 'Accept-Encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    // Two gzip members in a row are one valid gzip stream (RFC 1952): the big cached one for the
    // LibreNMS data, and a small fresh one for the exporter's own metrics.
    const body = exposition === undefined ? undefined : await withDeadline(exposition.gzip(), remainingMs);
    if (exposition === undefined || body !== undefined) {
      const parts = [gzipSync(own, { level: 1 }), ...(body === undefined ? [] : [body])];
      reply.header('content-encoding', 'gzip').header('content-length', parts.reduce((n, p) => n + p.length, 0));
      return reply.send(Readable.from(parts, { objectMode: false }));
    }
  }
  const parts = [own, ...(exposition?.chunks ?? [])];
  reply.header('content-length', parts.reduce((n, p) => n + p.length, 0));
  return reply.send(Readable.from(parts, { objectMode: false }));
}

/** The hostname as LibreNMS spells it, when `target` names a device (LibreNMS matches case-insensitively). */
function findHostname(rows: readonly unknown[], target: string): string | undefined {
  const wanted = target.toLowerCase();
  for (const row of rows) {
    const hostname = (row as Record<string, unknown> | null)?.['hostname'];
    if (typeof hostname === 'string' && hostname.toLowerCase() === wanted) return hostname;
  }
  return undefined;
}

/** Prometheus HTTP SD target groups of one instance, filtered by the config and the query. */
async function discover(runtime: InstanceRuntime, query: unknown, config: Config): Promise<object[]> {
  const rows = await runtime.inventory.devices();
  const known = mapDevices(rows, { includeDisabled: config.exportDisabledDevices, timeZone: config.librenmsTimezone });
  const group = param(query, 'group');
  const selected = await selectDevices(known, config.filters, group === undefined ? {} : { group }, runtime.inventory);
  const os = param(query, 'os')?.split(',');
  const type = param(query, 'type')?.split(',');
  const status = param(query, 'status');
  if (status !== undefined && status !== 'up' && status !== 'down') throw new BadRequest('status must be up or down');
  const groupsByDevice = await runtime.inventory.groupsByDevice().catch(() => new Map<number, string[]>());
  const kept = selected.filter(
    (d: DeviceRecord) =>
      matchesDeviceFilters(d, config.filters) &&
      (os === undefined || os.includes(d.os)) &&
      (type === undefined || type.includes(d.deviceType)) &&
      (status === undefined || (status === 'up' ? d.up === 1 : d.up === 0)),
  );
  return kept.map((d) => {
    const groups = groupsByDevice.get(d.deviceId) ?? [];
    const labels: Record<string, string> = {
      __meta_librenms_hostname: d.hostname,
      __meta_librenms_sysname: d.sysName,
      __meta_librenms_display: d.display,
      __meta_librenms_os: d.os,
      __meta_librenms_type: d.deviceType,
      __meta_librenms_location: d.location,
      // Separators at both ends, as Prometheus does for Consul tags, so `.*,core,.*` matches one group.
      __meta_librenms_groups: groups.length === 0 ? '' : `,${groups.join(',')},`,
      __meta_librenms_status: d.up === undefined ? 'unknown' : d.up === 1 ? 'up' : 'down',
    };
    if (config.multiInstance) labels['__meta_librenms_instance'] = runtime.instance.name;
    return { targets: [d.hostname], labels };
  });
}

/**
 * Checks an `Authorization` header against the web config: bcrypt for basic auth (results cached
 * by a hash of the credentials, since bcrypt is slow on purpose) or a constant-time token compare.
 */
function credentialChecker(config: Config): (header: string | undefined) => Promise<boolean> {
  const verified = new Map<string, boolean>();
  const bearer = config.web.bearerToken === undefined ? undefined : Buffer.from(config.web.bearerToken);
  return async (header) => {
    if (header === undefined) return false;
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'bearer' && bearer !== undefined) {
      const given = Buffer.from(value);
      return given.length === bearer.length && timingSafeEqual(given, bearer);
    }
    if (scheme?.toLowerCase() !== 'basic' || config.web.basicAuthUsers.size === 0) return false;
    const key = createHash('sha256').update(value).digest('hex');
    const cached = verified.get(key);
    if (cached !== undefined) return cached;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const hash = colon < 0 ? undefined : config.web.basicAuthUsers.get(decoded.slice(0, colon));
    const ok = hash !== undefined && (await bcrypt.compare(decoded.slice(colon + 1), hash));
    if (verified.size > 1000) verified.clear();
    verified.set(key, ok);
    return ok;
  };
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
