/**
 * Every environment variable the exporter reads, once: its group, default, bounds, help and place in
 * `.env.example`. `env.ts` parses and validates through this table, `--help` is rendered from it
 * (config/help.ts), and so are README.md's configuration table and `.env.example`
 * (`npm run docs:settings`; test/settings.test.ts fails when they drift). A new setting is one entry
 * here plus the line in `env.ts` that reads it into the `Config`.
 *
 * The `COLLECTORS` entry names no collector: its default and the list in `--help` and the README come
 * from the collectors' own declarations (collectors/index.ts).
 */
import type { LogLevel, PortsStrategy } from '../config-types.js';

/** Largest CACHE_TTL_SECONDS and CACHE_MAX_AGE_SECONDS: one week. */
export const MAX_CACHE_SECONDS = 7 * 24 * 3600;
/**
 * Default PORTS_BULK_MAX_PORTS: three quarters of the most ports a bulk `/ports` answer may hold for PHP
 * to build it within its default memory_limit of 128 MB (about 20,000: 19,924 answered and 22,416 did not
 * on LibreNMS 22.11, 25.4 and 26.7, tried by `npm run bench:real`); the margin is for longer port texts
 * than the benchmark's. docs/big-installs.md has the numbers.
 */
export const DEFAULT_BULK_MAX_PORTS = 15_000;
/** Largest REQUEST_TIMEOUT_SECONDS: ten minutes; a LibreNMS slower than that is down. */
export const MAX_REQUEST_SECONDS = 600;
/** Largest scrape timeout (header, DEFAULT_SCRAPE_TIMEOUT_SECONDS) and margin: Prometheus's own scrape_timeout cannot sensibly exceed this. */
export const MAX_SCRAPE_SECONDS = 600;
/** Default LIBRENMS_MAX_RESPONSE_BYTES: 256 MiB, over three times the `/ports` of 100,000 ports (about 75 MB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Largest LIBRENMS_MAX_RESPONSE_BYTES: 512 MB stays below V8's longest string (2^29 - 24 characters). */
export const MAX_RESPONSE_BYTES = 512_000_000;

/** The groups, in the order `--help`, the README and `.env.example` list them, with their titles. */
export const SETTING_GROUPS = {
  librenms: 'LibreNMS',
  server: 'HTTP server',
  requests: 'Cache and requests',
  filters: 'Filters',
  collectors: 'Collectors',
  logging: 'Logging',
} as const;
export type SettingGroup = keyof typeof SETTING_GROUPS;

/** A page of docs/ that explains a setting further, relative to the repository root. */
export interface DocLink {
  readonly page: string;
  /** A heading's anchor on that page, without `#`. */
  readonly anchor?: string;
}

/** How a setting appears in `.env.example`. */
export interface EnvExample {
  /** The value written after `NAME=`. */
  readonly value: string;
  /** Written as a live line (`NAME=value`); otherwise commented out (`# NAME=value`). */
  readonly active: boolean;
  /** A comment line above it, when the setting's help is not what a reader of the file needs. */
  readonly note?: string;
}

interface Common {
  readonly group: SettingGroup;
  /** One or two sentences, Markdown inline (`code` only, no links): `--help` prints it without backticks. */
  readonly help: string;
  readonly link?: DocLink;
  /** What the default column says when the setting has no default value, e.g. `(required)`. */
  readonly defaultText?: string;
  readonly example?: EnvExample;
}

/** What a setting's value is, with what `env.ts` needs to validate it. */
export type Setting = Common &
  (
    | { readonly kind: 'number'; readonly default: number; readonly min: number; readonly max: number; readonly integer: boolean }
    | { readonly kind: 'flag'; readonly default: boolean }
    | { readonly kind: 'enum'; readonly default: string; readonly choices: readonly string[] }
    /** Comma-separated names; empty means no restriction. */
    | { readonly kind: 'list' }
    /** A JavaScript regular expression, anchored at both ends. */
    | { readonly kind: 'regex' }
    /** A path; `holds` says what the file holds (the configuration error says it too). */
    | { readonly kind: 'file'; readonly holds: string }
    | { readonly kind: 'url' }
    | { readonly kind: 'listen'; readonly default: string }
    /** An IANA zone; `fallback` applies when neither the setting nor LibreNMS says one. */
    | { readonly kind: 'timezone'; readonly fallback: string }
    /** Never logged or printed. */
    | { readonly kind: 'secret' }
    /** Collector names; the default and the choices are the collectors' own (collectors/index.ts). */
    | { readonly kind: 'collectors' }
  );

const PORTS_STRATEGIES = ['auto', 'bulk', 'per-device'] as const satisfies readonly PortsStrategy[];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LogLevel[];

/** Every setting, by its environment variable, in the order of its group. */
export const SETTINGS = {
  LIBRENMS_URL: {
    group: 'librenms',
    kind: 'url',
    defaultText: '(required)',
    help: 'LibreNMS base URL, as you open it in a browser, e.g. `http://localhost:8000` or `https://nms.example.net/librenms`; a trailing `/api/v0` is accepted.',
    example: { value: 'http://localhost:8000', active: true },
  },
  LIBRENMS_TOKEN: {
    group: 'librenms',
    kind: 'secret',
    defaultText: '(required, or the file)',
    help: 'API token, sent as `X-Auth-Token`. Never logged.',
    example: { value: 'paste-your-api-token-here', active: true },
  },
  LIBRENMS_TOKEN_FILE: {
    group: 'librenms',
    kind: 'file',
    holds: 'token',
    help: 'Read the token from this file instead (Docker and Kubernetes secrets). Set one of the two.',
    example: {
      value: '/run/secrets/librenms_token',
      active: false,
      note: 'Or read the token from a file (Docker/Kubernetes secret) instead of LIBRENMS_TOKEN:',
    },
  },
  LIBRENMS_INSTANCES_FILE: {
    group: 'librenms',
    kind: 'file',
    holds: 'instances',
    help: 'YAML file listing several LibreNMS instances; replaces `LIBRENMS_URL` and `LIBRENMS_TOKEN`.',
    link: { page: 'docs/big-installs.md', anchor: 'several-librenms-instances' },
    example: {
      value: '/etc/librenms-exporter/instances.yml',
      active: false,
      note: 'Several LibreNMS instances from a YAML file, instead of LIBRENMS_URL and LIBRENMS_TOKEN:',
    },
  },
  LIBRENMS_CA_FILE: {
    group: 'librenms',
    kind: 'file',
    holds: 'CA certificate',
    help: 'PEM file of a private CA to trust for an `https://` LibreNMS.',
    example: { value: '/etc/ssl/private-ca.pem', active: false, note: 'HTTPS to a LibreNMS with a private CA or a self-signed certificate:' },
  },
  LIBRENMS_TLS_INSECURE: {
    group: 'librenms',
    kind: 'flag',
    default: false,
    help: 'Skip certificate verification (a self-signed lab); a warning is logged at start.',
    example: { value: 'false', active: false },
  },
  LIBRENMS_TIMEZONE: {
    group: 'librenms',
    kind: 'timezone',
    fallback: 'UTC',
    defaultText: "LibreNMS's, else `UTC`",
    help: "IANA zone of LibreNMS's zone-less `last_polled` strings (only used for devices without ports). Unset, the offset LibreNMS reports in `/system` is used; set it where that zone has summer time.",
  },
  LISTEN_ADDRESS: {
    group: 'server',
    kind: 'listen',
    default: '0.0.0.0:9878',
    help: 'Address and port to serve on (`host:port`, `[::]:9878`).',
    example: { value: '0.0.0.0:9878', active: true },
  },
  WEB_CONFIG_FILE: {
    group: 'server',
    kind: 'file',
    holds: 'web config',
    help: "TLS, basic auth or a bearer token for the endpoints, in exporter-toolkit's format; re-read when it changes and on SIGHUP.",
    link: { page: 'docs/security.md' },
    example: { value: '/etc/librenms-exporter/web.yml', active: false, note: 'TLS, basic auth or a bearer token for /metrics (docs/security.md):' },
  },
  SCRAPE_TIMEOUT_MARGIN_SECONDS: {
    group: 'server',
    kind: 'number',
    default: 0.5,
    min: 0,
    max: MAX_SCRAPE_SECONDS,
    integer: false,
    help: "Kept back from Prometheus's scrape timeout to write the answer.",
  },
  DEFAULT_SCRAPE_TIMEOUT_SECONDS: {
    group: 'server',
    kind: 'number',
    default: 10,
    min: 0.1,
    max: MAX_SCRAPE_SECONDS,
    integer: false,
    help: 'Scrape timeout assumed when the request has no `X-Prometheus-Scrape-Timeout-Seconds`.',
  },
  MAX_SCOPES: {
    group: 'server',
    kind: 'number',
    default: 1000,
    min: 1,
    max: 1_000_000,
    integer: true,
    help: 'Most scoped caches (`/probe` targets, `?group=`) kept at once; the least recently used is dropped.',
  },
  CACHE_TTL_SECONDS: {
    group: 'requests',
    kind: 'number',
    default: 60,
    min: 0,
    max: MAX_CACHE_SECONDS,
    integer: false,
    help: 'How long one refresh from LibreNMS is served. Scrapes within it cause no LibreNMS request.',
    example: { value: '60', active: true },
  },
  CACHE_MAX_AGE_SECONDS: {
    group: 'requests',
    kind: 'number',
    default: 900,
    min: 0,
    max: MAX_CACHE_SECONDS,
    integer: false,
    help: "While LibreNMS fails, each collector's last good data is served up to this age, then dropped. At least `CACHE_TTL_SECONDS`.",
  },
  CONCURRENCY: {
    group: 'requests',
    kind: 'number',
    default: 4,
    min: 1,
    max: 256,
    integer: true,
    help: 'Most requests in flight to one LibreNMS at once, across all scrapes.',
    example: { value: '4', active: true },
  },
  REQUEST_TIMEOUT_SECONDS: {
    group: 'requests',
    kind: 'number',
    default: 10,
    min: 0.001,
    max: MAX_REQUEST_SECONDS,
    integer: false,
    help: 'Timeout of one LibreNMS request, headers and body.',
    example: { value: '10', active: true },
  },
  LIBRENMS_MAX_RESPONSE_BYTES: {
    group: 'requests',
    kind: 'number',
    default: DEFAULT_MAX_RESPONSE_BYTES,
    min: 1024,
    max: MAX_RESPONSE_BYTES,
    integer: true,
    help: 'Largest LibreNMS response read (256 MiB; 100,000 ports are about 75 MB); a longer one is abandoned.',
    link: { page: 'docs/security.md', anchor: 'limits' },
    example: {
      value: String(DEFAULT_MAX_RESPONSE_BYTES),
      active: false,
      note: 'Largest LibreNMS response read, in bytes (256 MiB; raise only for an install past 100,000 ports):',
    },
  },
  PORTS_STRATEGY: {
    group: 'requests',
    kind: 'enum',
    default: 'auto',
    choices: PORTS_STRATEGIES,
    help: '`bulk` (one `/ports` request), `per-device` (one `/devices/:id/ports` each) or `auto`.',
    link: { page: 'docs/big-installs.md', anchor: 'reading-ports-bulk-or-per-device' },
  },
  PORTS_BULK_MAX_PORTS: {
    group: 'requests',
    kind: 'number',
    default: DEFAULT_BULK_MAX_PORTS,
    min: 1,
    max: 100_000_000,
    integer: true,
    help: "With `PORTS_STRATEGY=auto`, ports are read per device once LibreNMS's bulk `/ports` answer would hold more ports than this; the default fits PHP's default memory_limit of 128 MB. Raise it with LibreNMS's memory_limit.",
    link: { page: 'docs/big-installs.md', anchor: 'reading-ports-bulk-or-per-device' },
  },
  PORTS_MAX_DEVICE_READS: {
    group: 'requests',
    kind: 'number',
    default: 500,
    min: 1,
    max: 1_000_000,
    integer: true,
    help: 'Most `/devices/:id/ports` requests in one refresh when ports are read per device (chosen, or bulk failing); the other devices are served from their last read.',
    link: { page: 'docs/big-installs.md', anchor: 'per-device-what-is-read-and-how-often' },
  },
  EXPORT_DISABLED_DEVICES: {
    group: 'filters',
    kind: 'flag',
    default: false,
    help: 'Export devices disabled in LibreNMS (not polled, so their data is stale).',
  },
  EXPORT_DISABLED_PORTS: {
    group: 'filters',
    kind: 'flag',
    default: false,
    help: 'Export ports disabled in LibreNMS (not polled).',
  },
  EXPORT_ADMIN_DOWN_PORTS: {
    group: 'filters',
    kind: 'flag',
    default: true,
    help: 'Export ports that are administratively down.',
  },
  LIBRENMS_DEVICE_GROUPS: {
    group: 'filters',
    kind: 'list',
    help: 'Only devices in these LibreNMS device groups, a comma list of names.',
    link: { page: 'docs/big-installs.md', anchor: 'filters' },
  },
  HOSTNAME_INCLUDE: {
    group: 'filters',
    kind: 'regex',
    help: 'Only devices whose hostname matches this regular expression (anchored at both ends).',
  },
  HOSTNAME_EXCLUDE: {
    group: 'filters',
    kind: 'regex',
    help: 'Leave out devices whose hostname matches this regular expression (anchored).',
  },
  OS_INCLUDE: {
    group: 'filters',
    kind: 'list',
    help: 'Only these LibreNMS OS names (comma list, e.g. `routeros,iosxe`).',
  },
  DEVICE_TYPE_INCLUDE: {
    group: 'filters',
    kind: 'list',
    help: 'Only these device types (comma list, e.g. `network,firewall`).',
  },
  PORT_TYPE_INCLUDE: {
    group: 'filters',
    kind: 'list',
    help: 'Only ports of these ifTypes (comma list, e.g. `ethernetCsmacd,ieee8023adLag`).',
  },
  PORT_TYPE_EXCLUDE: {
    group: 'filters',
    kind: 'list',
    help: 'Leave out ports of these ifTypes (e.g. `softwareLoopback,propVirtual`).',
  },
  COLLECTORS: {
    group: 'collectors',
    kind: 'collectors',
    help: 'Collectors switched on, a comma list of the names below; `devices` is always on, as the others need the device list.',
    link: { page: 'docs/metrics.md' },
  },
  HEALTH_INTERVAL_SECONDS: {
    group: 'collectors',
    kind: 'number',
    default: 900,
    min: 0,
    max: MAX_CACHE_SECONDS,
    integer: false,
    help: "The `health` collector reads a processor, memory pool or storage again once its last read is this old (one request per item); a device's ids are listed again every four intervals.",
    link: { page: 'docs/big-installs.md', anchor: 'health-and-wireless-spread-reads' },
  },
  HEALTH_MAX_REQUESTS: {
    group: 'collectors',
    kind: 'number',
    default: 1000,
    min: 1,
    max: 1_000_000,
    integer: true,
    help: 'Most requests of the `health` collector in one refresh, oldest reads first; the rest is served from earlier reads.',
    link: { page: 'docs/big-installs.md', anchor: 'health-and-wireless-spread-reads' },
  },
  WIRELESS_INTERVAL_SECONDS: {
    group: 'collectors',
    kind: 'number',
    default: 300,
    min: 0,
    max: MAX_CACHE_SECONDS,
    integer: false,
    help: "The `wireless` collector reads a device's wireless sensors again once its last read is this old; a device without any is asked again every four intervals.",
    link: { page: 'docs/big-installs.md', anchor: 'health-and-wireless-spread-reads' },
  },
  WIRELESS_MAX_REQUESTS: {
    group: 'collectors',
    kind: 'number',
    default: 500,
    min: 1,
    max: 1_000_000,
    integer: true,
    help: 'Most requests of the `wireless` collector in one refresh, oldest reads first; the rest is served from earlier reads.',
    link: { page: 'docs/big-installs.md', anchor: 'health-and-wireless-spread-reads' },
  },
  LOG_LEVEL: {
    group: 'logging',
    kind: 'enum',
    default: 'info',
    choices: LOG_LEVELS,
    help: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. Logs are JSON lines (pino) on stdout.',
    example: { value: 'info', active: true },
  },
} as const satisfies Readonly<Record<string, Setting>>;

export type SettingName = keyof typeof SETTINGS;
type Settings = typeof SETTINGS;
/** The names of the settings of one kind, e.g. `NamesOf<'number'>`. */
export type NamesOf<K extends Setting['kind']> = { [N in SettingName]: Settings[N]['kind'] extends K ? N : never }[SettingName];

/** The table as a list, in its order. */
export function settingEntries(): readonly (readonly [SettingName, Setting])[] {
  return Object.entries(SETTINGS) as [SettingName, Setting][];
}

/** The collectors on when `COLLECTORS` is not set. */
/**
 * What the settings need of a collector (src/collectors/collector.ts declares more): its name, whether
 * it is on by default, what it exports and what it reads.
 */
export interface CollectorEntry {
  readonly name: string;
  readonly enabledByDefault: boolean;
  readonly description: string;
  readonly endpoints: readonly string[];
}

export function defaultCollectors(collectors: readonly CollectorEntry[]): string[] {
  return collectors.filter((c) => c.enabledByDefault).map((c) => c.name);
}

/**
 * What applies when a setting is not set, as a user writes it (Markdown inline): the value itself, or
 * the entry's `defaultText` where there is none, or `–`.
 */
export function defaultOf(setting: Setting, collectors: readonly CollectorEntry[]): string {
  if (setting.defaultText !== undefined) return setting.defaultText;
  switch (setting.kind) {
    case 'number':
    case 'flag':
    case 'enum':
    case 'listen':
      return `\`${String(setting.default)}\``;
    case 'collectors':
      return `\`${defaultCollectors(collectors).join(',')}\``;
    default:
      return '–';
  }
}

/** The range a number setting must be in, as a sentence; undefined for other kinds (an enum's help names its choices itself). */
export function rangeOf(setting: Setting): string | undefined {
  if (setting.kind !== 'number') return undefined;
  return `${setting.integer ? 'A whole number' : 'A number'} from ${setting.min} to ${setting.max}.`;
}
