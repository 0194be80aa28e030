/**
 * The process entry point: the only file that touches `process` (environment, signals, exit codes).
 */
import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app.js';
import { loadConfig, redactedConfig, type Config, type Environment } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { VERSION } from './version.js';

/**
 * Starts the exporter from `env` (by default the process environment after `.env` is loaded),
 * exits with code 2 on invalid configuration, and stops cleanly on SIGTERM and SIGINT.
 * @param onStop called after the HTTP server has closed, before the process exits
 */
export async function runExporter(env?: Environment, onStop?: () => Promise<void>): Promise<() => Promise<void>> {
  if (env === undefined) loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`librenms-exporter: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const { app } = buildApp({ config, logger });
  await app.listen({ host: config.listenHost, port: config.listenPort });
  logger.info({ version: VERSION, config: redactedConfig(config) }, `librenms-exporter listening on ${config.listenHost}:${config.listenPort}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down');
    await app.close();
    await onStop?.();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  return stop;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runExporter().catch((error: unknown) => {
    process.stderr.write(`librenms-exporter: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
