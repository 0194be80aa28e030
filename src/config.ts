/**
 * Configuration from environment variables. This is the only module that reads configuration input;
 * `server.ts` hands it `process.env` (after dotenv has loaded `.env`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors.js';

export type PortsStrategy = 'auto' | 'bulk' | 'per-device';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** One LibreNMS to read from. */
export interface InstanceConfig {
  /** The `librenms_instance` label value (only used when several instances are configured). */
  readonly name: string;
  /** Base URL of the API, always ending in `/api/v0/`. */
  readonly url: URL;
  /** Never log it. */
  readonly token: string;
  readonly caCertificate: string | undefined;
  readonly tlsInsecure: boolean;
}

/** Which devices and ports are exported. */
export interface Filters {
  /** Only devices in one of these LibreNMS device groups (by name); empty means every device. */
  readonly deviceGroups: readonly string[];
  readonly hostnameInclude: RegExp | undefined;
  readonly hostnameExclude: RegExp | undefined;
  /** Only these OS names (LibreNMS `os`, e.g. routeros, iosxe); empty means all. */
  readonly osInclude: readonly string[];
  /** Only these device types (LibreNMS `type`, e.g. network, server); empty means all. */
  readonly deviceTypeInclude: readonly string[];
  /** Only ports of these ifTypes; empty means all. */
  readonly portTypeInclude: readonly string[];
  /** Never ports of these ifTypes (e.g. softwareLoopback, propVirtual). */
  readonly portTypeExclude: readonly string[];
  /** Export ports that are administratively down. */
  readonly exportAdminDownPorts: boolean;
}

/** Protection of the HTTP endpoints, in the format of Prometheus's exporter-toolkit web config. */
export interface WebConfig {
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  /** user → bcrypt hash */
  readonly basicAuthUsers: ReadonlyMap<string, string>;
  /** A bearer token accepted instead of basic auth (our extension: `bearer_token_file`). */
  readonly bearerToken: string | undefined;
}

export const COLLECTOR_NAMES = ['devices', 'ports', 'alerts', 'sensors'] as const;
export type CollectorName = (typeof COLLECTOR_NAMES)[number];

export interface Config {
  /** Every LibreNMS to read; one unless LIBRENMS_INSTANCES_FILE lists several. */
  readonly instances: readonly InstanceConfig[];
  /** True when instances come from LIBRENMS_INSTANCES_FILE: series then carry `librenms_instance`. */
  readonly multiInstance: boolean;
  readonly filters: Filters;
  /** Collectors switched on (`devices` always is: every other one needs the device list). */
  readonly collectors: ReadonlySet<CollectorName>;
  readonly web: WebConfig;
  /** Most scoped caches (`/probe` targets, `?group=`) kept at once; the least recently used goes. */
  readonly maxScopes: number;
  /** Base URL of the first instance's API, always ending in `/api/v0/`. */
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

  const instancesFile = text('LIBRENMS_INSTANCES_FILE');
  let instances: InstanceConfig[] = [];
  if (instancesFile !== undefined) {
    for (const name of ['LIBRENMS_URL', 'LIBRENMS_TOKEN', 'LIBRENMS_TOKEN_FILE']) {
      if (text(name) !== undefined) problems.push(`${name} is not used with LIBRENMS_INSTANCES_FILE: set url and token_file per instance there`);
    }
    instances = parseInstancesFile(instancesFile, readFile, problems);
  } else {
    const librenmsUrl = parseLibreNmsUrl(text('LIBRENMS_URL'), problems, 'LIBRENMS_URL');
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
    const caCertificate = file('LIBRENMS_CA_FILE', 'CA certificate');
    if (caCertificate !== undefined && !caCertificate.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push('LIBRENMS_CA_FILE does not hold a PEM certificate (-----BEGIN CERTIFICATE-----)');
    }
    const tlsInsecure = flag('LIBRENMS_TLS_INSECURE', false);
    if (librenmsUrl !== undefined && token !== undefined) {
      instances = [{ name: 'default', url: librenmsUrl, token, caCertificate, tlsInsecure }];
    }
  }

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

  const exportDisabledDevices = flag('EXPORT_DISABLED_DEVICES', false);
  const exportDisabledPorts = flag('EXPORT_DISABLED_PORTS', false);
  const regex = (name: string): RegExp | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    try {
      return new RegExp(`^(?:${raw})$`);
    } catch {
      problems.push(`${name} is not a valid regular expression: "${raw}"`);
      return undefined;
    }
  };
  const list = (name: string): string[] => (text(name) ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  const filters: Filters = {
    deviceGroups: list('LIBRENMS_DEVICE_GROUPS'),
    hostnameInclude: regex('HOSTNAME_INCLUDE'),
    hostnameExclude: regex('HOSTNAME_EXCLUDE'),
    osInclude: list('OS_INCLUDE'),
    deviceTypeInclude: list('DEVICE_TYPE_INCLUDE'),
    portTypeInclude: list('PORT_TYPE_INCLUDE'),
    portTypeExclude: list('PORT_TYPE_EXCLUDE'),
    exportAdminDownPorts: flag('EXPORT_ADMIN_DOWN_PORTS', true),
  };
  const collectorList = text('COLLECTORS') === undefined ? [...COLLECTOR_NAMES] : list('COLLECTORS');
  for (const name of collectorList) {
    if (!(COLLECTOR_NAMES as readonly string[]).includes(name)) problems.push(`COLLECTORS: unknown collector "${name}" (known: ${COLLECTOR_NAMES.join(', ')})`);
  }
  const collectors = new Set<CollectorName>(['devices', ...collectorList.filter((n): n is CollectorName => (COLLECTOR_NAMES as readonly string[]).includes(n))]);
  const web = parseWebConfig(text('WEB_CONFIG_FILE'), readFile, problems);
  const maxScopes = number('MAX_SCOPES', 1000, 1, true);

  const first = instances[0];
  if (problems.length > 0 || first === undefined) {
    throw new ConfigError(problems.length > 0 ? problems : ['no LibreNMS instance configured']);
  }
  return {
    instances,
    multiInstance: instancesFile !== undefined,
    filters,
    collectors,
    web,
    maxScopes,
    librenmsUrl: first.url,
    token: first.token,
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
    caCertificate: first.caCertificate,
    tlsInsecure: first.tlsInsecure,
  };
}

/**
 * Several LibreNMS instances, from a YAML file:
 * `instances: [{ name: eu, url: https://nms-eu, token_file: /run/secrets/eu, ca_file?: …, tls_insecure?: false }]`.
 * Relative paths are read relative to the file.
 */
function parseInstancesFile(path: string, readFile: FileReader, problems: string[]): InstanceConfig[] {
  let document: unknown;
  try {
    document = parseYaml(readFile(path));
  } catch (error) {
    problems.push(`LIBRENMS_INSTANCES_FILE "${path}": ${(error as NodeJS.ErrnoException).code ?? 'not valid YAML'}`);
    return [];
  }
  const entries = (document as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(entries) || entries.length === 0) {
    problems.push(`LIBRENMS_INSTANCES_FILE "${path}" must have a non-empty "instances" list`);
    return [];
  }
  const base = dirname(path);
  const names = new Set<string>();
  const instances: InstanceConfig[] = [];
  entries.forEach((entry: unknown, index) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const where = `LIBRENMS_INSTANCES_FILE instance ${index + 1}`;
    const name = typeof e['name'] === 'string' ? e['name'].trim() : '';
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) problems.push(`${where}: "name" must be letters, digits, _ . or -`);
    else if (names.has(name)) problems.push(`${where}: name "${name}" is used twice`);
    names.add(name);
    const url = parseLibreNmsUrl(typeof e['url'] === 'string' ? e['url'] : undefined, problems, `${where} url`);
    const readRelative = (key: string): string | undefined => {
      const value = e[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') {
        problems.push(`${where}: ${key} must be a path`);
        return undefined;
      }
      try {
        return readFile(resolve(base, value));
      } catch (error) {
        problems.push(`${where}: cannot read ${key} "${value}" (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
        return undefined;
      }
    };
    const token = readRelative('token_file')?.trim();
    if (e['token'] !== undefined) problems.push(`${where}: put the token in a file and name it with token_file, not token`);
    if (token === undefined || token === '') problems.push(`${where}: token_file is required and must not be empty`);
    const caCertificate = readRelative('ca_file');
    const tlsInsecure = e['tls_insecure'] === true;
    if (url !== undefined && token !== undefined && token !== '') instances.push({ name, url, token, caCertificate, tlsInsecure });
  });
  return instances;
}

/**
 * The exporter-toolkit web config format:
 * `tls_server_config: { cert_file, key_file }` and `basic_auth_users: { name: <bcrypt hash> }`;
 * plus our `bearer_token_file` for a bearer token. Relative paths are read relative to the file.
 */
function parseWebConfig(path: string | undefined, readFile: FileReader, problems: string[]): WebConfig {
  const none: WebConfig = { tls: undefined, basicAuthUsers: new Map(), bearerToken: undefined };
  if (path === undefined) return none;
  let document: Record<string, unknown>;
  try {
    document = (parseYaml(readFile(path)) ?? {}) as Record<string, unknown>;
  } catch (error) {
    problems.push(`WEB_CONFIG_FILE "${path}": ${(error as NodeJS.ErrnoException).code ?? 'not valid YAML'}`);
    return none;
  }
  const base = dirname(path);
  const read = (what: string, file: unknown): string | undefined => {
    if (typeof file !== 'string') {
      problems.push(`WEB_CONFIG_FILE: ${what} must be a path`);
      return undefined;
    }
    try {
      return readFile(resolve(base, file));
    } catch (error) {
      problems.push(`WEB_CONFIG_FILE: cannot read ${what} "${file}" (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      return undefined;
    }
  };
  let tls: WebConfig['tls'];
  const tlsConfig = document['tls_server_config'] as Record<string, unknown> | undefined;
  if (tlsConfig !== undefined && tlsConfig !== null) {
    const cert = read('tls_server_config.cert_file', tlsConfig['cert_file']);
    const key = read('tls_server_config.key_file', tlsConfig['key_file']);
    if (cert !== undefined && key !== undefined) tls = { cert, key };
  }
  const basicAuthUsers = new Map<string, string>();
  const users = document['basic_auth_users'];
  if (users !== undefined && users !== null) {
    if (typeof users !== 'object') problems.push('WEB_CONFIG_FILE: basic_auth_users must map user names to bcrypt hashes');
    else {
      for (const [user, hash] of Object.entries(users as Record<string, unknown>)) {
        if (typeof hash !== 'string' || !/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) {
          problems.push(`WEB_CONFIG_FILE: the password of "${user}" must be a bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\\n')`);
        } else basicAuthUsers.set(user, hash);
      }
    }
  }
  const tokenFile = document['bearer_token_file'];
  const bearerToken = tokenFile === undefined ? undefined : read('bearer_token_file', tokenFile)?.trim();
  if (bearerToken === '') problems.push('WEB_CONFIG_FILE: the bearer token file is empty');
  return { tls, basicAuthUsers, bearerToken: bearerToken === '' ? undefined : bearerToken };
}

/** Accepts `http://host:8000`, `http://host:8000/`, `http://host/librenms/api/v0` and returns `.../api/v0/`. */
function parseLibreNmsUrl(raw: string | undefined, problems: string[], name: string): URL | undefined {
  if (raw === undefined) {
    problems.push(`${name} is required, e.g. http://localhost:8000`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL: "${raw}" (expected e.g. http://localhost:8000)`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name} must start with http:// or https://, got "${url.protocol}"`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.push(`${name} must not carry credentials, a query string or a fragment; put the token in LIBRENMS_TOKEN`);
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
  const { token: _token, caCertificate: _ca, librenmsUrl: _url, tlsInsecure: _insecure, instances, web, filters, collectors, ...rest } = config;
  return {
    ...rest,
    instances: instances.map((i) => ({ name: i.name, url: i.url.href, token: '[redacted]', ca: i.caCertificate === undefined ? 'none' : 'set', tlsInsecure: i.tlsInsecure })),
    collectors: [...collectors],
    filters: { ...filters, hostnameInclude: filters.hostnameInclude?.source, hostnameExclude: filters.hostnameExclude?.source },
    web: { tls: web.tls !== undefined, basicAuthUsers: [...web.basicAuthUsers.keys()], bearerToken: web.bearerToken === undefined ? 'none' : '[redacted]' },
  };
}
