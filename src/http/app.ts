/**
 * Builds the HTTP application: access control, then one route per file. It never listens and never
 * reads `process`: `cli.ts` does that, and tests call `app.inject` or listen on a loopback port.
 */

import type { Server as TlsServer } from 'node:tls';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Collector } from '../collectors/collector.js';
import { enabledCollectors } from '../collectors/index.js';
import { redactedWebConfig } from '../config/env.js';
import { secureContextOptions, WebConfigFile, type WebConfigReload } from '../config/web-reload.js';
import type { Config, TlsServerConfig, WebConfig } from '../config-types.js';
import type { DeadlineClock } from '../deadline.js';
import { Runtime } from '../refresh/runtime.js';
import { type CredentialChecker, credentialChecker, registerAuth, registerClientCertificateCheck } from './auth.js';
import type { RouteContext } from './request.js';
import { healthzRoute, landingRoute } from './routes/landing.js';
import { metricsRoute } from './routes/metrics.js';
import { probeRoute } from './routes/probe.js';
import { sdRoute } from './routes/sd.js';

export { CONTENT_TYPE } from './send.js';

export interface AppOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Defaults to the collectors switched on in the config. */
  readonly collectors?: readonly Collector[];
  /** Milliseconds clock of TTLs, retry delays, cache ages and the web config's checks; the system's by default. */
  readonly now?: () => number;
  /** Time and timers of each request's deadline; the system's monotonic clock by default. */
  readonly deadlineClock?: DeadlineClock;
}

export interface ExporterApp {
  readonly app: FastifyInstance;
  /** Every configured LibreNMS and the exporter's own metrics. */
  readonly runtime: Runtime;
  /**
   * Re-reads WEB_CONFIG_FILE now (SIGHUP), puts it in force when it is usable and logs the outcome;
   * undefined without a WEB_CONFIG_FILE.
   */
  reloadWebConfig(): WebConfigReload | undefined;
}

/**
 * Longest a client may take to send a whole request, headers and body, in ms; past it the connection
 * is answered 408 and closed. A scrape's request is a few hundred bytes sent at once.
 */
export const REQUEST_RECEIVE_TIMEOUT_MS = 10_000;
/** How often Node looks for such requests: its default (30 s) would let a slow one live twice as long. */
const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

/** Node's server options bounding how long receiving one request may take (http and https alike). */
const RECEIVE_LIMITS = {
  requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS,
  // Node refuses a headers timeout above the request timeout; its default (60 s) is cut to it.
  headersTimeout: REQUEST_RECEIVE_TIMEOUT_MS,
  connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
};

/** Node's HTTPS options for the web config's TLS, client certificates included. */
function httpsOptions(tls: TlsServerConfig) {
  return {
    ...secureContextOptions(tls),
    requestCert: tls.clientAuthType !== 'NoClientCert',
    // Every client certificate mode is checked per request (registerClientCertificateCheck), none in
    // the handshake: /healthz then answers without a certificate, as with basic auth, so the image's
    // health check works under RequireAndVerifyClientCert too. Every other path needs the certificate.
    rejectUnauthorized: false,
    ...RECEIVE_LIMITS,
  };
}

/** One log line per refresh says what matters; a line per scrape would only add noise. */
function quietRequests(): LogController {
  return new LogController({ disableRequestLogging: true });
}

export function buildApp(options: AppOptions): ExporterApp {
  const { config, logger } = options;
  const runtime = new Runtime(config, logger, options.collectors ?? enabledCollectors(config.collectors), options.now);
  for (const instance of config.instances) {
    if (instance.tlsInsecure) {
      logger.warn(
        { librenms_instance: instance.name },
        'LIBRENMS_TLS_INSECURE=true: the LibreNMS certificate is not verified; use LIBRENMS_CA_FILE outside a lab',
      );
    }
  }

  const tls = config.web.tls;
  const common = { loggerInstance: logger as FastifyBaseLogger, logController: quietRequests(), requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS };
  const app = (tls === undefined
    ? Fastify({ ...common, http: RECEIVE_LIMITS })
    : Fastify({ ...common, https: httpsOptions(tls) })) as unknown as FastifyInstance;
  // Request logging is off (one line per refresh says what matters), and with it Fastify's own log of
  // a failed request: an answer of 500 is a bug, and must say why in the log.
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    // A query the route's schema refuses (a parameter given twice): 400 in words, like the routes' own.
    if (error.validation !== undefined) return reply.code(400).type('text/plain; charset=utf-8').send(`${error.message}\n`);
    if (error.statusCode === undefined || error.statusCode >= 500) {
      logger.error(
        { err: error, error_code: 'internal_error', route: request.routeOptions.url },
        `${request.method} ${request.routeOptions.url ?? 'unknown route'} failed: ${error.message}`,
      );
    }
    return reply.send(error);
  });
  const credentials = credentialChecker(config.web, options.now === undefined ? {} : { now: options.now });
  const webFile =
    config.webConfigPath === undefined ? undefined : new WebConfigFile(config.webConfigPath, config.web, options.now === undefined ? {} : { now: options.now });
  const reloadWebConfig = (reload: WebConfigReload): WebConfigReload => {
    if (reload.outcome === 'reloaded') {
      applyWebConfig(app, reload.web, credentials);
      logger.info(
        { web: redactedWebConfig(reload.web) },
        `WEB_CONFIG_FILE "${webFile?.path}" reloaded: the new credentials and certificates apply from now on`,
      );
    } else if (reload.outcome === 'kept') {
      logger.error(
        { error_code: 'web_config_kept', problems: reload.problems },
        `WEB_CONFIG_FILE "${webFile?.path}" changed but cannot be used, so the previous web config stays in force: ${reload.problems.join('; ')}`,
      );
    }
    return reload;
  };
  if (webFile !== undefined) {
    // The first hook: a changed file applies to the request that notices it.
    app.addHook('onRequest', async () => void reloadWebConfig(webFile.poll()));
  }
  if (tls !== undefined) registerClientCertificateCheck(app, () => (webFile?.current ?? config.web).tls?.clientAuthType ?? tls.clientAuthType);
  // Without a web config nothing asks for credentials, now or after a reload: no hook at all.
  if (webFile !== undefined) registerAuth(app, credentials);

  const context: RouteContext = { config, logger, runtime, ...(options.deadlineClock === undefined ? {} : { deadlineClock: options.deadlineClock }) };
  metricsRoute(app, context);
  probeRoute(app, context);
  sdRoute(app, context);
  healthzRoute(app);
  landingRoute(app);

  app.addHook('onClose', async () => runtime.close());
  return {
    app,
    runtime,
    reloadWebConfig: () => (webFile === undefined ? undefined : reloadWebConfig(webFile.reload())),
  };
}

/** Puts a reloaded web config in force: credentials at once, certificates for new connections. */
function applyWebConfig(app: FastifyInstance, web: WebConfig, credentials: CredentialChecker): void {
  credentials.update(web);
  const server = app.server as unknown as Partial<TlsServer> & { requestCert?: boolean };
  if (web.tls !== undefined && typeof server.setSecureContext === 'function') {
    server.setSecureContext(secureContextOptions(web.tls));
    // Read by Node for each new connection (node:tls Server); setSecureContext leaves it as it was.
    server.requestCert = web.tls.clientAuthType !== 'NoClientCert';
  }
}
