/**
 * `librenms-exporter check`: the doctor. Validates the configuration, talks to LibreNMS the way the
 * exporter will, and says in plain words whether the exporter is ready and, if not, what to change.
 *
 * Pure logic: it takes the environment and a line writer and returns the exit code; `cli.ts` wires
 * `process`. It never writes the API token (every line is also scrubbed of it, should it slip in).
 */
import { renderedText } from './metrics/exposition.js';
import { choosePortsStrategy, renderPorts } from './collectors/ports.js';
import { renderDevices } from './collectors/devices.js';
import { loadConfig, type Config, type Environment, type FileReader } from './config.js';
import { ConfigError, LibreNmsError } from './errors.js';
import { LibreNmsClient, PORT_COLUMNS } from './librenms/client.js';
import { mapDevices, type DeviceRecord } from './mapping/devices.js';
import { mapPorts } from './mapping/ports.js';
import { Inventory } from './inventory.js';
import { selectDevices } from './selection.js';
import { DEVICE_FAMILIES, PORT_FAMILIES } from './metrics/catalog.js';
import { VERSION } from './version.js';

/** Exit codes of `check`. Each reason has its own code so scripts can tell them apart. */
export const EXIT_CODES = {
  /** Ready: the exporter will serve LibreNMS data. */
  ready: 0,
  /** Another failure: LibreNMS server error, rate limiting, an unexpected answer. */
  failed: 1,
  /** The configuration is invalid (same code as the exporter's start). */
  config: 2,
  /** Wrong URL: nothing listens there, it times out, or it is not the LibreNMS API. */
  unreachable: 3,
  /** The token is rejected (401) or its user may not read devices or ports (403). */
  token: 4,
  /** TLS: the certificate is not trusted, names another host, or https was used against http. */
  tls: 5,
  /** The web server in front of LibreNMS drops query strings (`columns=` is ignored). */
  queryStrings: 6,
  /** LibreNMS is older than {@link MIN_LIBRENMS_VERSION} or lacks port columns the exporter reads. */
  tooOld: 7,
} as const;

/**
 * The oldest LibreNMS release `check` accepts. LibreNMS ships a release every month and supports only
 * the newest; the API shapes this exporter is tested against (the LibreNMS double and the recorded
 * fixtures) are those of 24.x to 26.x: the Laravel `/ports` endpoint that validates `columns=`, typed
 * JSON numbers, the 404 "No ports found" of a device without ports (2024-05). Releases before 24.1
 * (January 2024) are untested, so `check` says so rather than let the exporter guess.
 */
export const MIN_LIBRENMS_VERSION = '24.1.0';

export type LineWriter = (line: string) => void;

export interface DoctorOptions {
  /** Reads LIBRENMS_TOKEN_FILE and LIBRENMS_CA_FILE (tests pass a fake). */
  readFile?: FileReader;
}

class Stop extends Error {
  constructor(readonly exitCode: number, readonly reason: string) {
    super(reason);
  }
}

const PROBE_COLUMNS = ['port_id', 'device_id', 'ifName'] as const;

/** Runs every check and returns the exit code (see {@link EXIT_CODES}). */
export async function runDoctor(env: Environment, write: LineWriter, options: DoctorOptions = {}): Promise<number> {
  let scrub = (line: string): string => line;
  const out = (line: string): void => write(scrub(line));
  const ok = (text: string): void => out(`ok    ${text}`);
  const warn = (text: string): void => out(`warn  ${text}`);

  out(`librenms-exporter ${VERSION}: checking the configuration and LibreNMS`);
  let config: Config;
  try {
    config = options.readFile === undefined ? loadConfig(env) : loadConfig(env, options.readFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      out('FAIL  The configuration is invalid:');
      for (const problem of error.problems) out(`        - ${problem}`);
      out('Not ready: fix the configuration above (environment variables or .env), then run the check again.');
      return EXIT_CODES.config;
    }
    throw error;
  }
  const instances = config.instances;
  const secrets = instances.map((instance) => instance.token).filter((token) => token.length >= 4);
  scrub = (line) => secrets.reduce((text, token) => text.split(token).join('[redacted]'), line);
  const tokenSource = env['LIBRENMS_TOKEN_FILE']?.trim() ? 'read from LIBRENMS_TOKEN_FILE' : config.multiInstance ? 'from LIBRENMS_INSTANCES_FILE' : 'set in LIBRENMS_TOKEN';
  ok(`Configuration is valid (token ${tokenSource}, not shown).`);

  // Each LibreNMS instance is checked on its own; the first failure gives the exit code.
  let exitCode: number = EXIT_CODES.ready;
  for (const instance of instances) {
    if (config.multiInstance) out(`== LibreNMS instance "${instance.name}"`);
    const view: Config = { ...config, librenmsUrl: instance.url, token: instance.token, caCertificate: instance.caCertificate, tlsInsecure: instance.tlsInsecure };
    ok(`LibreNMS API: ${view.librenmsUrl.href}`);
    const client = new LibreNmsClient({
      baseUrl: view.librenmsUrl,
      token: view.token,
      concurrency: view.concurrency,
      timeoutMs: view.requestTimeoutMs,
      caCertificate: view.caCertificate,
      tlsInsecure: view.tlsInsecure,
    });
    try {
      await checkAll(view, client, { ok, warn, out });
    } catch (error) {
      const stop = error instanceof Stop ? error : explain(error, view);
      out(`FAIL  ${stop.reason}`);
      out(`Not ready (exit code ${stop.exitCode}). docs/troubleshooting.md lists every message with its fix.`);
      if (exitCode === EXIT_CODES.ready) exitCode = stop.exitCode;
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  return exitCode;
}

interface Printer {
  ok(text: string): void;
  warn(text: string): void;
  out(text: string): void;
}

async function checkAll(config: Config, client: LibreNmsClient, p: Printer): Promise<void> {
  const origin = config.librenmsUrl.href;

  // 1. Is it LibreNMS, is the token accepted, and which version?
  let system: Record<string, unknown>;
  try {
    system = await client.system();
  } catch (error) {
    if (error instanceof LibreNmsError && error.status === 404) throw await explainMissingSystem(client, config, error);
    throw error;
  }
  const version = typeof system['local_ver'] === 'string' ? system['local_ver'].trim() : '';
  p.ok(`LibreNMS answers at ${origin} and accepts the API token.`);
  if (version === '') {
    p.warn('LibreNMS did not say its version (/system has no local_ver); the version check is skipped.');
  } else if (parseVersion(version) === undefined) {
    p.warn(`LibreNMS version "${version}" is not a release number; the version check is skipped.`);
  } else if (compareVersions(version, MIN_LIBRENMS_VERSION) < 0) {
    throw new Stop(
      EXIT_CODES.tooOld,
      `LibreNMS ${version} is too old: this exporter needs LibreNMS ${MIN_LIBRENMS_VERSION} or newer. Upgrade LibreNMS (./daily.sh as the librenms user, or a newer librenms/librenms Docker image).`,
    );
  } else {
    p.ok(`LibreNMS version ${version} (${MIN_LIBRENMS_VERSION} or newer is supported).`);
  }

  // 2. Devices.
  const deviceRows = await client.listDevices();
  const known = mapDevices(deviceRows, { includeDisabled: config.exportDisabledDevices, timeZone: config.librenmsTimezone });
  // The same selection as the exporter: hostname, OS, type and device-group filters.
  const devices = await selectDevices(known, config.filters, {}, new Inventory(client, 0));
  const left = deviceRows.length - devices.length;
  p.ok(
    `Devices: ${deviceRows.length} in LibreNMS, ${devices.length} will be exported` +
      (left > 0
        ? ` (${left} left out: disabled devices${config.exportDisabledDevices ? '' : ' unless EXPORT_DISABLED_DEVICES=true'}, rows without an id or hostname, and the configured filters).`
        : '.'),
  );
  if (deviceRows.length === 0) {
    p.warn('LibreNMS has no devices yet (or the token\'s user may not see any): add your router in LibreNMS (Devices, Add Device) and wait for its first poll.');
  }

  // 3. Ports: does columns= reach LibreNMS? (A web server that drops query strings gives the defaults.)
  const portsForbidden = await probeQueryStrings(client, devices, p);

  // 4. Role: /devices and /ports both answered (a normal user gets 403 on some routes).
  if (portsForbidden) {
    p.warn('The token reads devices but not /ports: its user is likely a normal user. Give it the global-read role (read-only, every device).');
  } else {
    p.ok('The token can read devices and ports: its user likely has the global-read or admin role.');
  }

  // 5. Ports as the exporter will read them.
  const strategy = choosePortsStrategy(config.portsStrategy, devices.length, config.concurrency, known.length);
  const rows = strategy === 'bulk' ? await client.listAllPorts() : await perDevicePorts(client, devices);
  const firstRow = rows.find((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
  if (firstRow !== undefined) {
    const missing = PORT_COLUMNS.filter((column) => !(column in firstRow));
    if (missing.length > 0) {
      throw new Stop(
        EXIT_CODES.tooOld,
        `LibreNMS answered ports without the columns ${missing.join(', ')}: this LibreNMS is too old (or modified). Upgrade LibreNMS to ${MIN_LIBRENMS_VERSION} or newer.`,
      );
    }
  }
  const ports = mapPorts(rows, new Map(devices.map((d) => [d.deviceId, d])), {
    includeDisabled: config.exportDisabledPorts,
    includeAdminDown: config.filters.exportAdminDownPorts,
    ifTypeInclude: config.filters.portTypeInclude,
    ifTypeExclude: config.filters.portTypeExclude,
  });
  p.ok(`Ports: ${ports.length} will be exported (of ${rows.length} rows read).`);
  p.ok(
    `Port strategy: ${strategy} (PORTS_STRATEGY=${config.portsStrategy}, ${devices.length} devices, CONCURRENCY=${config.concurrency}): ` +
      (strategy === 'bulk' ? 'one /ports request per refresh.' : `one /devices/:id/ports request per device, ${devices.length} per refresh.`),
  );

  // 6. One sample of each metric family, rendered from what was just read.
  const writer = renderDevices(devices);
  renderPorts(devices, ports, writer);
  const text = renderedText(writer.finish());
  p.out('Sample metrics (one line per family, from the data just read):');
  for (const family of [...DEVICE_FAMILIES, ...PORT_FAMILIES]) {
    const line = firstSample(text, family.name);
    p.out(line === undefined ? `  ${family.name}: no value in LibreNMS yet` : `  ${line}`);
  }
  p.out(`Ready: the exporter can serve ${devices.length} devices and ${ports.length} ports from LibreNMS${version === '' ? '' : ` ${version}`}.`);
}

/** Asks for three columns and checks they came back; returns whether /ports was forbidden (HTTP 403). */
async function probeQueryStrings(client: LibreNmsClient, devices: readonly DeviceRecord[], p: Printer): Promise<boolean> {
  const columns = PROBE_COLUMNS.join(',');
  let rows: unknown[];
  let route = `/api/v0/ports?columns=${columns}`;
  let forbidden = false;
  let defaults: readonly string[] = ['port_id', 'ifName'];
  try {
    const body = await client.getJson('/ports', 'ports', { columns });
    rows = Array.isArray(body['ports']) ? body['ports'] : [];
  } catch (error) {
    const device = devices[0];
    if (!(error instanceof LibreNmsError) || error.status !== 403 || device === undefined) throw error;
    // A normal user may not list every port: probe one device's ports instead (default column: ifName).
    forbidden = true;
    p.warn('HTTP 403 on /ports: checking query strings on one device\'s ports instead.');
    route = `/api/v0/devices/${device.deviceId}/ports?columns=${columns}`;
    defaults = ['ifName'];
    rows = await client.listDevicePorts(device.deviceId, PROBE_COLUMNS);
  }
  const objects = rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
  if (objects.length === 0) {
    p.warn('LibreNMS has no ports yet, so the query-string check is skipped.');
    return forbidden;
  }
  // Exactly the symptom: we asked for port_id,device_id,ifName and got only LibreNMS's default columns.
  const defaultsOnly = objects.every((row) => !('device_id' in row) && Object.keys(row).every((key) => defaults.includes(key)));
  if (defaultsOnly) {
    throw new Stop(
      EXIT_CODES.queryStrings,
      `The web server in front of LibreNMS drops query strings: ${route} came back with only ${defaults.join(' and ')} (LibreNMS's defaults), so columns= never reached LibreNMS. ` +
        'Fix the web server: in nginx, `try_files $uri $uri/ /index.php?$query_string;` (not `/index.php` alone); in Apache, keep the QSA flag on the rewrite rule.',
    );
  }
  p.ok('Query strings reach LibreNMS (columns= is honoured).');
  return forbidden;
}

async function perDevicePorts(client: LibreNmsClient, devices: readonly DeviceRecord[]): Promise<unknown[]> {
  const settled = await Promise.allSettled(devices.map((d) => client.listDevicePorts(d.deviceId)));
  const rows: unknown[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'rejected') throw outcome.reason;
    rows.push(...outcome.value);
  }
  return rows;
}

/** `/system` answered 404: LibreNMS without that route, or not LibreNMS at all. */
async function explainMissingSystem(client: LibreNmsClient, config: Config, error: LibreNmsError): Promise<Stop> {
  let isApi = false;
  try {
    await client.getJson('/', '');
    isApi = true;
  } catch (rootError) {
    // LibreNMS's /api/v0 lists its endpoints as JSON without a "status": the client calls that an api_error.
    isApi = rootError instanceof LibreNmsError && rootError.code === 'api_error';
  }
  if (isApi) {
    return new Stop(EXIT_CODES.tooOld, `LibreNMS at ${config.librenmsUrl.href} has no /system route: it is too old. Upgrade LibreNMS to ${MIN_LIBRENMS_VERSION} or newer.`);
  }
  return notLibreNms(config, `HTTP 404 on ${config.librenmsUrl.pathname}system (${error.message.replace(/^.*?: /, '')})`);
}

function notLibreNms(config: Config, what: string): Stop {
  return new Stop(
    EXIT_CODES.unreachable,
    `${config.librenmsUrl.href} is not the LibreNMS API: ${what}. Check LIBRENMS_URL: it is the address you open LibreNMS at in a browser, e.g. http://localhost:8000 (/api/v0 is added for you).`,
  );
}

/** Turns a failure into the sentence and exit code for it. */
function explain(error: unknown, config: Config): Stop {
  const origin = config.librenmsUrl.origin;
  if (!(error instanceof LibreNmsError)) {
    return new Stop(EXIT_CODES.failed, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cause = errnoOf(error.message);
  switch (error.code) {
    case 'connection_failed':
      if (error.status !== undefined) return new Stop(EXIT_CODES.failed, error.message);
      return new Stop(
        EXIT_CODES.unreachable,
        `Cannot connect to LibreNMS at ${origin}${cause === undefined ? '' : ` (${cause}${cause === 'ECONNREFUSED' ? ': nothing listens on that port' : cause === 'ENOTFOUND' ? ': the host name does not resolve' : ''})`}. ` +
          'Check LIBRENMS_URL (host, port, http or https) and that LibreNMS is running. In Docker, localhost is the container itself: use http://host.docker.internal:8000 or the LibreNMS service name.',
      );
    case 'timeout':
      return new Stop(
        EXIT_CODES.unreachable,
        `LibreNMS at ${origin} did not answer ${error.endpoint} within ${config.requestTimeoutMs / 1000} s. Check LIBRENMS_URL and any firewall in between; for a slow LibreNMS raise REQUEST_TIMEOUT_SECONDS.`,
      );
    case 'tls_error':
      return new Stop(EXIT_CODES.tls, tlsSentence(config, cause));
    case 'unauthorized':
      return new Stop(
        EXIT_CODES.token,
        `The API token was rejected (HTTP 401 on ${error.endpoint}). Check LIBRENMS_TOKEN (or the file in LIBRENMS_TOKEN_FILE): copy it again from LibreNMS (user menu, API, API Settings at /api-access/) or create one with lnms user:api-token.`,
      );
    case 'forbidden':
      return new Stop(
        EXIT_CODES.token,
        `The API token works but its user may not read ${error.endpoint} (HTTP 403): it is probably a normal user. Give the token's user the global-read role in LibreNMS (Manage Users), or use a token of a global-read user.`,
      );
    case 'not_found':
      return notLibreNms(config, `HTTP 404 on ${error.endpoint}`);
    case 'invalid_response':
      return notLibreNms(config, error.message.replace(/^LibreNMS answered /, 'it answered '));
    case 'http_error':
      if (error.status !== undefined && error.status >= 300 && error.status < 400) {
        return notLibreNms(
          config,
          `it answered with a redirect (HTTP ${error.status}) instead of JSON${config.librenmsUrl.protocol === 'http:' ? ' (if LibreNMS redirects http to https, use https:// in LIBRENMS_URL)' : ''}`,
        );
      }
      if (error.status === 400 && /Invalid columns/i.test(error.message)) {
        return new Stop(
          EXIT_CODES.tooOld,
          `LibreNMS rejected port columns the exporter reads (${error.message.replace(/^.*?: /, '')}): this LibreNMS is too old. Upgrade LibreNMS to ${MIN_LIBRENMS_VERSION} or newer.`,
        );
      }
      return new Stop(EXIT_CODES.failed, error.message);
    case 'server_error':
      return new Stop(EXIT_CODES.failed, `${error.message}. LibreNMS itself failed: look at its log (storage/logs/laravel.log or librenms.log) and the web server's error log.`);
    default:
      return new Stop(EXIT_CODES.failed, error.message);
  }
}

function tlsSentence(config: Config, cause: string | undefined): string {
  const origin = config.librenmsUrl.origin;
  const head = `TLS problem with LibreNMS at ${origin}${cause === undefined ? '' : ` (${cause})`}: `;
  if (cause === 'ERR_SSL_WRONG_VERSION_NUMBER' || cause === 'EPROTO') {
    return `${head}the server does not speak TLS on that port. Use http:// in LIBRENMS_URL, or the HTTPS port.`;
  }
  if (cause === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `${head}the certificate does not name ${config.librenmsUrl.hostname}. Use the host name the certificate was issued for in LIBRENMS_URL.`;
  }
  if (cause === 'CERT_HAS_EXPIRED') return `${head}the certificate has expired. Renew the certificate of LibreNMS's web server.`;
  if (config.caCertificate !== undefined) {
    return `${head}the certificate is not trusted even with LIBRENMS_CA_FILE: that file is not the CA (or self-signed certificate) that signed it. Put the right PEM in LIBRENMS_CA_FILE.`;
  }
  return `${head}the certificate is not trusted (self-signed or from a private CA). Set LIBRENMS_CA_FILE to the CA certificate (PEM, or the self-signed certificate itself), or LIBRENMS_TLS_INSECURE=true in a lab.`;
}

function errnoOf(message: string): string | undefined {
  return /\(([A-Z][A-Z0-9_]+)\)/.exec(message)?.[1];
}

function firstSample(text: string, name: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Compares release numbers such as 26.7.0, 24.10.1-45-gabc1234, 1.70.1 (numeric parts only). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [0, 0, 0];
  const y = parseVersion(b) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
