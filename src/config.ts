/**
 * Configuration from environment variables. This is the only module that reads configuration input;
 * `server.ts` hands it `process.env` (after dotenv has loaded `.env`).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';

export type PortsStrategy = 'auto' | 'bulk' | 'per-device';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** Base URL of the API, always ending in `/api/v0/`. */
  readonly librenmsUrl: URL;
  /** The API token. Never log it: use {@link redactedConfig}. */
  readonly token: string;
  readonly listenHost: string;
  readonly listenPort: number;
  /** How long one refresh from LibreNMS is served before the next scrape triggers a new one (ms). */
  readonly cacheTtlMs: number;
  /** How long the last good data of a collector is served while LibreNMS keeps failing (ms). */
  readonly cacheMaxAgeMs: number;
  /** At most this many requests to LibreNMS are in flight at once. */
  readonly concurrency: number;
  /** Timeout of one LibreNMS request, headers and body (ms). */
  readonly requestTimeoutMs: number;
  /** Time kept back from Prometheus's scrape timeout for writing the answer (ms). */
  readonly scrapeTimeoutMarginMs: number;
  /** Scrape timeout assumed when Prometheus sends no `X-Prometheus-Scrape-Timeout-Seconds` (ms). */
  readonly defaultScrapeTimeoutMs: number;
  readonly portsStrategy: PortsStrategy;
  readonly exportDisabledDevices: boolean;
  readonly exportDisabledPorts: boolean;
  /** IANA zone in which LibreNMS writes zone-less `devices.last_polled` strings. */
  readonly librenmsTimezone: string;
  readonly logLevel: LogLevel;
  /** PEM bundle trusted for HTTPS to LibreNMS, in addition to nothing else (a private CA). */
  readonly caCertificate: string | undefined;
  readonly tlsInsecure: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;
export type FileReader = (path: string) => string;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const STRATEGIES: readonly PortsStrategy[] = ['auto', 'bulk', 'per-device'];

/**
 * Reads and validates the configuration.
 * @throws {ConfigError} listing every problem at once; the message never contains the token.
 */
export function loadConfig(env: Environment, readFile: FileReader = (path) => readFileSync(path, 'utf8')): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: string, fallback: number, min: number, integer = false): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      problems.push(`${name} must be ${integer ? 'a whole number' : 'a number'} of at least ${min}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = text(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const file = (name: string, what: string): string | undefined => {
    const path = text(name);
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${name}: cannot read ${what} file "${path}" (${reason})`);
      return undefined;
    }
  };

  const librenmsUrl = parseLibreNmsUrl(text('LIBRENMS_URL'), problems);

  let token = text('LIBRENMS_TOKEN');
  const tokenFromFile = file('LIBRENMS_TOKEN_FILE', 'token')?.trim();
  if (token !== undefined && text('LIBRENMS_TOKEN_FILE') !== undefined) {
    problems.push('set LIBRENMS_TOKEN or LIBRENMS_TOKEN_FILE, not both');
  } else if (tokenFromFile !== undefined) {
    if (tokenFromFile === '') problems.push('LIBRENMS_TOKEN_FILE: the token file is empty');
    token = tokenFromFile;
  } else if (token === undefined && text('LIBRENMS_TOKEN_FILE') === undefined) {
    problems.push('LIBRENMS_TOKEN (or LIBRENMS_TOKEN_FILE) is required: create a token in LibreNMS under /api-access/ or with `lnms user:api-token`');
  }
  if (token !== undefined && /\s/.test(token)) problems.push('the API token contains white space; check LIBRENMS_TOKEN');

  const [listenHost, listenPort] = parseListenAddress(text('LISTEN_ADDRESS') ?? '0.0.0.0:9878', problems);

  const cacheTtlSeconds = number('CACHE_TTL_SECONDS', 60, 0);
  const cacheMaxAgeSeconds = number('CACHE_MAX_AGE_SECONDS', 900, 0);
  if (cacheMaxAgeSeconds < cacheTtlSeconds) {
    problems.push(`CACHE_MAX_AGE_SECONDS (${cacheMaxAgeSeconds}) must not be below CACHE_TTL_SECONDS (${cacheTtlSeconds})`);
  }
  const concurrency = number('CONCURRENCY', 4, 1, true);
  const requestTimeoutSeconds = number('REQUEST_TIMEOUT_SECONDS', 10, 0.001);
  const marginSeconds = number('SCRAPE_TIMEOUT_MARGIN_SECONDS', 0.5, 0);
  const defaultScrapeTimeoutSeconds = number('DEFAULT_SCRAPE_TIMEOUT_SECONDS', 10, 0.1);

  const strategy = (text('PORTS_STRATEGY') ?? 'auto') as PortsStrategy;
  if (!STRATEGIES.includes(strategy)) problems.push(`PORTS_STRATEGY must be one of ${STRATEGIES.join(', ')}, got "${strategy}"`);

  const logLevel = (text('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const librenmsTimezone = text('LIBRENMS_TIMEZONE') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: librenmsTimezone });
  } catch {
    problems.push(`LIBRENMS_TIMEZONE must be an IANA time zone such as Asia/Bangkok, got "${librenmsTimezone}"`);
  }

  const caCertificate = file('LIBRENMS_CA_FILE', 'CA certificate');
  if (caCertificate !== undefined && !caCertificate.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push('LIBRENMS_CA_FILE does not hold a PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  const tlsInsecure = flag('LIBRENMS_TLS_INSECURE', false);
  const exportDisabledDevices = flag('EXPORT_DISABLED_DEVICES', false);
  const exportDisabledPorts = flag('EXPORT_DISABLED_PORTS', false);

  if (problems.length > 0 || librenmsUrl === undefined || token === undefined) {
    throw new ConfigError(problems.length > 0 ? problems : ['LIBRENMS_URL and LIBRENMS_TOKEN are required']);
  }
  return {
    librenmsUrl,
    token,
    listenHost,
    listenPort,
    cacheTtlMs: cacheTtlSeconds * 1000,
    cacheMaxAgeMs: cacheMaxAgeSeconds * 1000,
    concurrency,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    scrapeTimeoutMarginMs: marginSeconds * 1000,
    defaultScrapeTimeoutMs: defaultScrapeTimeoutSeconds * 1000,
    portsStrategy: strategy,
    exportDisabledDevices,
    exportDisabledPorts,
    librenmsTimezone,
    logLevel,
    caCertificate,
    tlsInsecure,
  };
}

/** Accepts `http://host:8000`, `http://host:8000/`, `http://host/librenms/api/v0` and returns `.../api/v0/`. */
function parseLibreNmsUrl(raw: string | undefined, problems: string[]): URL | undefined {
  if (raw === undefined) {
    problems.push('LIBRENMS_URL is required, e.g. http://localhost:8000');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`LIBRENMS_URL is not a URL: "${raw}" (expected e.g. http://localhost:8000)`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`LIBRENMS_URL must start with http:// or https://, got "${url.protocol}"`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.push('LIBRENMS_URL must not carry credentials, a query string or a fragment; put the token in LIBRENMS_TOKEN');
    return undefined;
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/api/v0')) path += '/api/v0';
  url.pathname = `${path}/`;
  return url;
}

function parseListenAddress(raw: string, problems: string[]): [string, number] {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(raw);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) {
    problems.push(`LISTEN_ADDRESS must be host:port, e.g. 0.0.0.0:9878, got "${raw}"`);
    return ['0.0.0.0', 9878];
  }
  const host = match[1] ?? match[2] ?? '';
  return [host === '' ? '0.0.0.0' : host, port];
}

/** The configuration as it may be logged: the token and certificate are left out. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const { token: _token, caCertificate, librenmsUrl, ...rest } = config;
  return { ...rest, librenmsUrl: librenmsUrl.href, token: '[redacted]', caCertificate: caCertificate === undefined ? 'none' : 'set' };
}
