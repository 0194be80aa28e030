/**
 * Builds the HTTP application: access control, then one route per file. It never listens and never
 * reads `process`: `cli.ts` does that, and tests call `app.inject` or listen on a loopback port.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Collector } from '../collectors/collector.js';
import { enabledCollectors } from '../collectors/index.js';
import type { Config, TlsServerConfig } from '../config/types.js';
import { Runtime } from '../refresh/runtime.js';
import { registerAuth, registerClientCertificateCheck } from './auth.js';
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
  readonly now?: () => number;
}

export interface ExporterApp {
  readonly app: FastifyInstance;
  /** Every configured LibreNMS and the exporter's own metrics. */
  readonly runtime: Runtime;
}

/** Node's HTTPS options for the web config's TLS, client certificates included. */
function httpsOptions(tls: TlsServerConfig) {
  const verifiesClients = tls.clientAuthType !== 'NoClientCert';
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.minVersion === undefined ? {} : { minVersion: tls.minVersion }),
    ...(tls.maxVersion === undefined ? {} : { maxVersion: tls.maxVersion }),
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa }),
    requestCert: verifiesClients,
    // Only RequireAndVerifyClientCert can be left to the TLS handshake; the others are checked per request.
    rejectUnauthorized: tls.clientAuthType === 'RequireAndVerifyClientCert',
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
  const app = (tls === undefined
    ? Fastify({ loggerInstance: logger as FastifyBaseLogger, logController: quietRequests() })
    : Fastify({ loggerInstance: logger as FastifyBaseLogger, logController: quietRequests(), https: httpsOptions(tls) })) as unknown as FastifyInstance;
  if (tls !== undefined) registerClientCertificateCheck(app, tls.clientAuthType);
  registerAuth(app, config.web);

  const context: RouteContext = { config, logger, runtime };
  metricsRoute(app, context);
  probeRoute(app, context);
  sdRoute(app, context);
  healthzRoute(app);
  landingRoute(app);

  app.addHook('onClose', async () => runtime.close());
  return { app, runtime };
}
