/**
 * Configuration from environment variables, and the files they name. This is the only module that
 * reads configuration input; `cli.ts` hands it `process.env` (after dotenv has loaded `.env`).
 */
import { readFileSync } from 'node:fs';
import type { Collector } from '../collectors/collector.js';
import { COLLECTORS } from '../collectors/index.js';
import type { Config, Environment, FileReader, Filters, InstanceConfig, WebConfig } from '../config-types.js';
import { ConfigError } from '../errors.js';
import { checkApiToken, parseInstancesFile, parseWebConfig } from './files.js';
import { defaultCollectors, type NamesOf, SETTINGS, type SettingName } from './settings.js';

/** What `loadConfig` checks the configuration against besides the environment; tests give their own. */
export interface LoadOptions {
  /** The collectors `COLLECTORS` may name, and whose `enabledByDefault` gives its default. */
  readonly collectors?: readonly Collector[];
}

/**
 * Reads and validates the configuration. Every variable is read through the settings table
 * (settings.ts), which holds its default and bounds; the rules between settings are here.
 * @throws {ConfigError} listing every problem at once; the message never contains the token.
 */
export function loadConfig(env: Environment, readFile: FileReader = (path) => readFileSync(path, 'utf8'), options: LoadOptions = {}): Config {
  const { collectors: known = COLLECTORS } = options;
  const problems: string[] = [];
  const text = (name: SettingName): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: NamesOf<'number'>): number => {
    const { default: fallback, min, max, integer } = SETTINGS[name];
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: NamesOf<'flag'>): boolean => {
    const fallback = SETTINGS[name].default;
    const raw = text(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  /** One of the setting's choices, matched regardless of case. */
  const choice = <N extends NamesOf<'enum'>>(name: N): (typeof SETTINGS)[N]['choices'][number] => {
    const { default: fallback, choices } = SETTINGS[name];
    const raw = text(name);
    if (raw === undefined) return fallback;
    const found = choices.find((c) => c === raw.toLowerCase());
    if (found === undefined) problems.push(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    return found ?? fallback;
  };
  /** The contents of the file the setting names. */
  const file = (name: NamesOf<'file'>): string | undefined => {
    const path = text(name);
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${name}: cannot read ${SETTINGS[name].holds} file "${path}" (${reason})`);
      return undefined;
    }
  };
  const regex = (name: NamesOf<'regex'>): RegExp | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    try {
      return new RegExp(`^(?:${raw})$`);
    } catch {
      problems.push(`${name} is not a valid regular expression: "${raw}"`);
      return undefined;
    }
  };
  const list = (name: NamesOf<'list' | 'collectors'>): string[] =>
    (text(name) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  const timezone = (name: NamesOf<'timezone'>): string => {
    const zone = text(name) ?? SETTINGS[name].fallback;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      problems.push(`${name} must be an IANA time zone such as Asia/Bangkok, got "${zone}"`);
    }
    return zone;
  };

  const instancesFile = text('LIBRENMS_INSTANCES_FILE');
  let instances: InstanceConfig[] = [];
  if (instancesFile !== undefined) {
    for (const name of ['LIBRENMS_URL', 'LIBRENMS_TOKEN', 'LIBRENMS_TOKEN_FILE'] as const) {
      if (text(name) !== undefined) problems.push(`${name} is not used with LIBRENMS_INSTANCES_FILE: set url and token_file per instance there`);
    }
    instances = parseInstancesFile(instancesFile, readFile, problems, parseLibreNmsUrl);
  } else {
    const librenmsUrl = parseLibreNmsUrl(text('LIBRENMS_URL'), problems, 'LIBRENMS_URL');
    let token = text('LIBRENMS_TOKEN');
    const tokenFromFile = file('LIBRENMS_TOKEN_FILE')?.trim();
    if (token !== undefined && text('LIBRENMS_TOKEN_FILE') !== undefined) {
      problems.push('set LIBRENMS_TOKEN or LIBRENMS_TOKEN_FILE, not both');
    } else if (tokenFromFile !== undefined) {
      if (tokenFromFile === '') problems.push('LIBRENMS_TOKEN_FILE: the token file is empty');
      token = tokenFromFile;
    } else if (token === undefined && text('LIBRENMS_TOKEN_FILE') === undefined) {
      problems.push('LIBRENMS_TOKEN (or LIBRENMS_TOKEN_FILE) is required: create a token in LibreNMS (gear menu, API, API Settings at /api-access/)');
    }
    if (token !== undefined && token !== '') checkApiToken(token, tokenFromFile === undefined ? 'LIBRENMS_TOKEN' : 'LIBRENMS_TOKEN_FILE', problems);
    const caCertificate = file('LIBRENMS_CA_FILE');
    if (caCertificate !== undefined && !caCertificate.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push('LIBRENMS_CA_FILE does not hold a PEM certificate (-----BEGIN CERTIFICATE-----)');
    }
    const tlsInsecure = flag('LIBRENMS_TLS_INSECURE');
    if (librenmsUrl !== undefined && token !== undefined) {
      instances = [
        {
          name: 'default',
          url: librenmsUrl,
          token,
          caCertificate,
          tlsInsecure,
          tokenSource: tokenFromFile === undefined ? 'LIBRENMS_TOKEN' : 'LIBRENMS_TOKEN_FILE',
        },
      ];
    }
  }

  const [listenHost, listenPort] = parseListenAddress(text('LISTEN_ADDRESS') ?? SETTINGS.LISTEN_ADDRESS.default, problems);

  // Upper bounds (settings.ts) keep every duration within what Node's timers honour (2^31-1 ms, about
  // 24.8 days; past it Node fires after 1 ms) and within what makes sense for a scrape-driven exporter.
  const cacheTtlSeconds = number('CACHE_TTL_SECONDS');
  const cacheMaxAgeSeconds = number('CACHE_MAX_AGE_SECONDS');
  if (cacheMaxAgeSeconds < cacheTtlSeconds) {
    problems.push(`CACHE_MAX_AGE_SECONDS (${cacheMaxAgeSeconds}) must not be below CACHE_TTL_SECONDS (${cacheTtlSeconds})`);
  }
  const concurrency = number('CONCURRENCY');
  const requestTimeoutSeconds = number('REQUEST_TIMEOUT_SECONDS');
  const marginSeconds = number('SCRAPE_TIMEOUT_MARGIN_SECONDS');
  const defaultScrapeTimeoutSeconds = number('DEFAULT_SCRAPE_TIMEOUT_SECONDS');

  const strategy = choice('PORTS_STRATEGY');
  const portsBulkMaxPorts = number('PORTS_BULK_MAX_PORTS');
  // 500 a minute at the default TTL: a 5,000-device install read per device is read round in 10 refreshes.
  const portsMaxDeviceReads = number('PORTS_MAX_DEVICE_READS');
  const logLevel = choice('LOG_LEVEL');
  const librenmsTimezone = timezone('LIBRENMS_TIMEZONE');

  const exportDisabledDevices = flag('EXPORT_DISABLED_DEVICES');
  const exportDisabledPorts = flag('EXPORT_DISABLED_PORTS');
  const filters: Filters = {
    deviceGroups: list('LIBRENMS_DEVICE_GROUPS'),
    hostnameInclude: regex('HOSTNAME_INCLUDE'),
    hostnameExclude: regex('HOSTNAME_EXCLUDE'),
    osInclude: list('OS_INCLUDE'),
    deviceTypeInclude: list('DEVICE_TYPE_INCLUDE'),
    portTypeInclude: list('PORT_TYPE_INCLUDE'),
    portTypeExclude: list('PORT_TYPE_EXCLUDE'),
    exportAdminDownPorts: flag('EXPORT_ADMIN_DOWN_PORTS'),
  };
  // The collectors' own list says which exist and which are on by default (src/collectors/index.ts).
  const knownNames = known.map((c) => c.name);
  const collectorList = text('COLLECTORS') === undefined ? defaultCollectors(known) : list('COLLECTORS');
  for (const name of collectorList) {
    if (!knownNames.includes(name)) problems.push(`COLLECTORS: unknown collector "${name}" (known: ${knownNames.join(', ')})`);
  }
  // devices is always on: every other collector needs the device list.
  const collectors = new Set<string>(['devices', ...collectorList.filter((n) => knownNames.includes(n))]);
  const webConfigPath = text('WEB_CONFIG_FILE');
  const web = parseWebConfig(webConfigPath, readFile, problems);
  const maxScopes = number('MAX_SCOPES');
  const healthIntervalSeconds = number('HEALTH_INTERVAL_SECONDS');
  const healthMaxRequests = number('HEALTH_MAX_REQUESTS');
  const wirelessIntervalSeconds = number('WIRELESS_INTERVAL_SECONDS');
  const wirelessMaxRequests = number('WIRELESS_MAX_REQUESTS');
  const maxResponseBytes = number('LIBRENMS_MAX_RESPONSE_BYTES');

  if (problems.length > 0 || instances.length === 0) {
    throw new ConfigError(problems.length > 0 ? problems : ['no LibreNMS instance configured']);
  }
  return {
    instances,
    multiInstance: instancesFile !== undefined,
    filters,
    collectors,
    web,
    ...(webConfigPath === undefined ? {} : { webConfigPath }),
    maxScopes,
    maxResponseBytes,
    listenHost,
    listenPort,
    cacheTtlMs: cacheTtlSeconds * 1000,
    cacheMaxAgeMs: cacheMaxAgeSeconds * 1000,
    concurrency,
    requestTimeoutMs: requestTimeoutSeconds * 1000,
    scrapeTimeoutMarginMs: marginSeconds * 1000,
    defaultScrapeTimeoutMs: defaultScrapeTimeoutSeconds * 1000,
    portsStrategy: strategy,
    portsBulkMaxPorts,
    portsMaxDeviceReads,
    healthIntervalMs: healthIntervalSeconds * 1000,
    healthMaxRequests,
    wirelessIntervalMs: wirelessIntervalSeconds * 1000,
    wirelessMaxRequests,
    exportDisabledDevices,
    exportDisabledPorts,
    librenmsTimezone,
    ...(text('LIBRENMS_TIMEZONE') === undefined ? {} : { librenmsTimezoneOverride: librenmsTimezone }),
    logLevel,
  };
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
  const { instances, web, filters, collectors, ...rest } = config;
  return {
    ...rest,
    instances: instances.map((i) => ({
      name: i.name,
      url: i.url.href,
      token: '[redacted]',
      ca: i.caCertificate === undefined ? 'none' : 'set',
      tlsInsecure: i.tlsInsecure,
    })),
    collectors: [...collectors],
    filters: { ...filters, hostnameInclude: filters.hostnameInclude?.source, hostnameExclude: filters.hostnameExclude?.source },
    web: redactedWebConfig(web),
  };
}

/** The web config as it may be logged: user names, never hashes or the bearer token. */
export function redactedWebConfig(web: WebConfig): Record<string, unknown> {
  return {
    tls: web.tls === undefined ? 'off' : web.tls.clientAuthType,
    basicAuthUsers: [...web.basicAuthUsers.keys()],
    bearerToken: web.bearerToken === undefined ? 'none' : '[redacted]',
  };
}
