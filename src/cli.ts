#!/usr/bin/env node
/**
 * The one entry point, and the only module that touches `process` (argv, environment, `.env`,
 * signals, listening, exit codes). `npm start`, the package's `bin` and the Docker image run it:
 *
 *   librenms-exporter            start the exporter
 *   librenms-exporter check      check the configuration and LibreNMS, then exit (the doctor)
 *   librenms-exporter --help     usage
 *   librenms-exporter --version  the version
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { config as loadDotenv } from 'dotenv';
import { loadConfig, redactedConfig } from './config/env.js';
import { renderUsage } from './config/help.js';
import type { Config, Environment } from './config-types.js';
import { ConfigError } from './errors.js';
import { buildApp } from './http/app.js';
import { createLogger } from './logger.js';
import { VERSION } from './version.js';

/** Exit code for a command line that cannot be understood (sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

/** The text of `--help`: every setting and collector (config/help.ts). */
export const USAGE = renderUsage(VERSION);

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. Once that code is hot, V8 compiles it again
 * with its optimizing compiler in the background, which takes about 28 MB of memory for a moment on
 * the first scrape: a third of what a small install needs in all. The baseline compiler's code is
 * what runs until then anyway; measured on 100,000 ports (75 MB of JSON), the refresh's CPU moves by
 * less than the run-to-run noise. It only concerns WebAssembly, so it must be set before undici's
 * first request, and it affects nothing else. It is set here because NODE_OPTIONS does not allow it.
 */
function keepWebAssemblyBaseline(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * Starts the exporter from `env` (by default the process environment after `.env` is loaded),
 * exits with code 2 on invalid configuration, stops cleanly on SIGTERM and SIGINT, and re-reads
 * WEB_CONFIG_FILE on SIGHUP.
 * @param onStop called after the HTTP server has closed, before the process exits
 * @returns a function that stops the exporter as a signal would, without exiting
 */
export async function runExporter(env?: Environment, onStop?: () => Promise<void>): Promise<() => Promise<void>> {
  keepWebAssemblyBaseline();
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
  const exporter = buildApp({ config, logger });
  const { app } = exporter;
  await app.listen({ host: config.listenHost, port: config.listenPort });
  logger.info({ version: VERSION, config: redactedConfig(config) }, `librenms-exporter listening on ${config.listenHost}:${config.listenPort}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.off('SIGHUP', onHangup);
    logger.info('shutting down');
    await app.close();
    await onStop?.();
  };
  // SIGHUP re-reads WEB_CONFIG_FILE and the files it names, as a change to them does (buildApp logs the outcome).
  const onHangup = (): void => {
    if (exporter.reloadWebConfig() === undefined) logger.info('SIGHUP: no WEB_CONFIG_FILE is set, so there is nothing to reload');
  };
  process.on('SIGHUP', onHangup);
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

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === '--version' || command === '-v' || command === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (command === undefined || (command === 'serve' && rest.length === 0)) {
    await runExporter();
    return;
  }
  if ((command === 'check' || command === 'doctor') && rest.length === 0) {
    loadDotenv({ quiet: true });
    const { runDoctor } = await import('./doctor/doctor.js');
    process.exitCode = await runDoctor(process.env, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  process.stderr.write(`librenms-exporter: unknown command or option "${argv.join(' ')}"\n\n${USAGE}`);
  process.exitCode = EXIT_USAGE;
}

/**
 * Whether this module is the script node was started with. Compares real paths, so a path with
 * spaces, a symlink (npm's `bin` shims) or a relative argv[1] all count; a URL comparison does not.
 */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`librenms-exporter: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
