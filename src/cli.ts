#!/usr/bin/env node
/**
 * The `librenms-exporter` command (package.json `bin`):
 *
 *   librenms-exporter            start the exporter (same as `node dist/server.js`)
 *   librenms-exporter check      check the configuration and LibreNMS, then exit (the doctor)
 *   librenms-exporter --help     usage
 *   librenms-exporter --version  the version
 *
 * Configuration comes from the environment and `.env`, as for the exporter.
 */
import { config as loadDotenv } from 'dotenv';
import { VERSION } from './version.js';

/** Exit code for a command line that cannot be understood (sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

export const USAGE = `librenms-exporter ${VERSION}: Prometheus exporter for LibreNMS devices and ports

Usage:
  librenms-exporter              start the exporter: serves /metrics on LISTEN_ADDRESS (default 0.0.0.0:9878)
  librenms-exporter check        check the configuration and LibreNMS, print what the exporter would
                                 serve, and exit: 0 ready, 2 invalid configuration, 3 wrong URL or not
                                 LibreNMS, 4 token rejected or not allowed, 5 TLS problem, 6 query strings
                                 dropped by the web server, 7 LibreNMS too old, 1 anything else
  librenms-exporter --help       this text
  librenms-exporter --version    the version

Configuration: environment variables or a .env file in the current directory:
  LIBRENMS_URL        e.g. http://localhost:8000 (required)
  LIBRENMS_TOKEN      API token (or LIBRENMS_TOKEN_FILE, a file holding it)
  LISTEN_ADDRESS, CACHE_TTL_SECONDS, CONCURRENCY, PORTS_STRATEGY, LIBRENMS_CA_FILE, ... (see README.md)
`;

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
  if (command === undefined) {
    const { runExporter } = await import('./server.js');
    await runExporter();
    return;
  }
  if ((command === 'check' || command === 'doctor') && rest.length === 0) {
    loadDotenv({ quiet: true });
    const { runDoctor } = await import('./doctor.js');
    const code = await runDoctor(process.env, (line) => process.stdout.write(`${line}\n`));
    process.exitCode = code;
    return;
  }
  process.stderr.write(`librenms-exporter: unknown command or option "${argv.join(' ')}"\n\n${USAGE}`);
  process.exitCode = EXIT_USAGE;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`librenms-exporter: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
