/** The shape of the configuration: what `env.ts` builds from the environment and the files it names. */

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
  /** Where the token came from, to say so without showing it. */
  readonly tokenSource: 'LIBRENMS_TOKEN' | 'LIBRENMS_TOKEN_FILE' | 'token_file';
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

/** How the HTTPS server treats client certificates (exporter-toolkit's `client_auth_type`). */
export type ClientAuthType = 'NoClientCert' | 'RequestClientCert' | 'RequireAnyClientCert' | 'VerifyClientCertIfGiven' | 'RequireAndVerifyClientCert';

/** TLS of the HTTP endpoints, from `tls_server_config`. */
export interface TlsServerConfig {
  readonly cert: string;
  readonly key: string;
  readonly clientAuthType: ClientAuthType;
  /** PEM bundle client certificates are verified against (`client_ca_file`). */
  readonly clientCa: string | undefined;
  /** Node's names: TLSv1.2 or TLSv1.3 (`min_version` TLS12/TLS13). */
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3' | undefined;
  readonly maxVersion: 'TLSv1.2' | 'TLSv1.3' | undefined;
}

/** Protection of the HTTP endpoints, in the format of Prometheus's exporter-toolkit web config. */
export interface WebConfig {
  readonly tls: TlsServerConfig | undefined;
  /** user → bcrypt hash */
  readonly basicAuthUsers: ReadonlyMap<string, string>;
  /** A bearer token accepted instead of basic auth (our extension: `bearer_token_file`). */
  readonly bearerToken: string | undefined;
}

export interface Config {
  /** Every LibreNMS to read; one unless LIBRENMS_INSTANCES_FILE lists several. */
  readonly instances: readonly InstanceConfig[];
  /** True when instances come from LIBRENMS_INSTANCES_FILE: series then carry `librenms_instance`. */
  readonly multiInstance: boolean;
  readonly filters: Filters;
  /** Collectors switched on (`devices` always is: every other one needs the device list). */
  readonly collectors: ReadonlySet<string>;
  readonly web: WebConfig;
  /** WEB_CONFIG_FILE, when set: re-read on change and on SIGHUP (see web-reload.ts). */
  readonly webConfigPath?: string;
  /** Most scoped caches (`/probe` targets, `?group=`) kept at once; the least recently used goes. */
  readonly maxScopes: number;
  /** Largest LibreNMS response body read (bytes); a longer one is abandoned (LIBRENMS_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes: number;
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
  /** With `auto`, most ports LibreNMS's bulk `/ports` answer may hold before ports are read per device (PORTS_BULK_MAX_PORTS). */
  readonly portsBulkMaxPorts: number;
  /** Most `/devices/:id/ports` requests in one refresh when ports are read per device (PORTS_MAX_DEVICE_READS). */
  readonly portsMaxDeviceReads: number;
  /** The health collector reads an item again once its last read is this old (HEALTH_INTERVAL_SECONDS, ms). */
  readonly healthIntervalMs: number;
  /** Most requests of the health collector in one refresh (HEALTH_MAX_REQUESTS). */
  readonly healthMaxRequests: number;
  /** The wireless collector reads a device again once its last read is this old (WIRELESS_INTERVAL_SECONDS, ms). */
  readonly wirelessIntervalMs: number;
  /** Most requests of the wireless collector in one refresh (WIRELESS_MAX_REQUESTS). */
  readonly wirelessMaxRequests: number;
  readonly exportDisabledDevices: boolean;
  readonly exportDisabledPorts: boolean;
  /**
   * IANA zone in which zone-less `devices.last_polled` strings are read when LibreNMS does not say its
   * own (LIBRENMS_TIMEZONE, default UTC).
   */
  readonly librenmsTimezone: string;
  /** Set only when LIBRENMS_TIMEZONE is: then it wins over the offset LibreNMS reports in `/system`. */
  readonly librenmsTimezoneOverride?: string;
  readonly logLevel: LogLevel;
}

export type Environment = Readonly<Record<string, string | undefined>>;
export type FileReader = (path: string) => string;
