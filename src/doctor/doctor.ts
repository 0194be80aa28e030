/**
 * `librenms-exporter check`: the doctor. Validates the configuration, talks to LibreNMS the way the
 * exporter will, and says in plain words whether the exporter is ready and, if not, what to change.
 *
 * Pure logic: it takes the environment and a line writer and returns the exit code; `cli.ts` wires
 * `process`. It never writes the API token (every line is also scrubbed of it, should it slip in).
 */

import { Writable } from 'node:stream';
import { describeFailure } from '../advice.js';
import type { Collector } from '../collectors/collector.js';
import { enabledCollectors } from '../collectors/index.js';
import { choosePortsStrategy } from '../collectors/ports.js';
import { loadConfig } from '../config/env.js';
import type { Config, Environment, FileReader, InstanceConfig } from '../config-types.js';
import { ConfigError, LibreNmsError } from '../errors.js';
import { Exposition } from '../exposition/exposition.js';
import { readSelection } from '../inventory/selection.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { compareVersions, MIN_LIBRENMS_VERSION, offsetOfLocalDate, PORT_COLUMNS, parseVersion } from '../librenms/endpoints.js';
import { createLogger } from '../logger.js';
import { readInteger } from '../mapping/values.js';
import { InstanceRuntime } from '../refresh/instance.js';
import { REFRESH_EVENTS } from '../refresh/refresher.js';
import { VERSION } from '../version.js';
import { adminTokenWarning, DoctorStop, EXIT_CODES, explain, normalUserRefused, notLibreNms, unlistedDevicesWarning } from './messages.js';

export { compareVersions, MIN_LIBRENMS_VERSION } from '../librenms/endpoints.js';
export { EXIT_CODES } from './messages.js';

export type LineWriter = (line: string) => void;

export interface DoctorOptions {
  /** Reads LIBRENMS_TOKEN_FILE and LIBRENMS_CA_FILE (tests pass a fake). */
  readFile?: FileReader;
  /** The collectors there are (default: the exporter's own list, src/collectors/index.ts). */
  collectors?: readonly Collector[];
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
    const collectors = options.collectors === undefined ? {} : { collectors: options.collectors };
    config = options.readFile === undefined ? loadConfig(env, undefined, collectors) : loadConfig(env, options.readFile, collectors);
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
  const source = instances[0]?.tokenSource;
  const tokenSource =
    source === 'LIBRENMS_TOKEN_FILE' ? 'read from LIBRENMS_TOKEN_FILE' : source === 'token_file' ? 'from LIBRENMS_INSTANCES_FILE' : 'set in LIBRENMS_TOKEN';
  ok(`Configuration is valid (token ${tokenSource}, not shown).`);

  // Each LibreNMS instance is checked on its own; the first failure gives the exit code.
  let exitCode: number = EXIT_CODES.ready;
  for (const instance of instances) {
    if (config.multiInstance) out(`== LibreNMS instance "${instance.name}"`);
    ok(`LibreNMS API: ${instance.url.href}`);
    // The exporter's own runtime for this LibreNMS: the doctor's refresh is the exporter's. What the
    // refresh would log as a warning (a bulk /ports failure, an unknown group) is said here; its
    // failures are explained by the checks below instead.
    const logger = createLogger(
      'warn',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n')) {
            if (line === '') continue;
            const entry = JSON.parse(line) as { msg?: string; event?: string };
            if (entry.msg !== undefined && (entry.event === undefined || !REFRESH_EVENTS.has(entry.event))) warn(entry.msg);
          }
          done();
        },
      }),
    );
    const collectors = enabledCollectors(config.collectors, options.collectors);
    const runtime = new InstanceRuntime(instance, config, collectors, logger);
    try {
      await checkInstance(config, instance, runtime, collectors, { ok, warn, out });
    } catch (error) {
      const stop = error instanceof DoctorStop ? error : explain(error, config, instance);
      out(`FAIL  ${stop.reason}`);
      out(`Not ready (exit code ${stop.exitCode}). docs/troubleshooting.md lists every message with its fix.`);
      if (exitCode === EXIT_CODES.ready) exitCode = stop.exitCode;
    } finally {
      await runtime.close().catch(() => undefined);
    }
  }
  return exitCode;
}

interface Printer {
  ok(text: string): void;
  warn(text: string): void;
  out(text: string): void;
}

/**
 * Checks one LibreNMS as the exporter will read it: its own checks (version, role, query strings,
 * columns), then one real refresh through the exporter's runtime. Throws a {@link DoctorStop} or a
 * LibreNmsError on the first failure.
 */
async function checkInstance(config: Config, instance: InstanceConfig, runtime: InstanceRuntime, collectors: readonly Collector[], p: Printer): Promise<void> {
  const origin = instance.url.href;
  const client = runtime.client;

  // 1. Is it LibreNMS, is the token accepted, and which version?
  let system: Record<string, unknown>;
  try {
    system = await client.system();
  } catch (error) {
    if (error instanceof LibreNmsError && error.status === 404) throw await explainMissingSystem(client, instance, error);
    throw error;
  }
  const version = typeof system['local_ver'] === 'string' ? system['local_ver'].trim() : '';
  p.ok(`LibreNMS answers at ${origin} and accepts the API token.`);
  if (version === '') {
    p.warn('LibreNMS did not say its version (/system has no local_ver); the version check is skipped.');
  } else if (parseVersion(version) === undefined) {
    p.warn(`LibreNMS version "${version}" is not a release number; the version check is skipped.`);
  } else if (compareVersions(version, MIN_LIBRENMS_VERSION) < 0) {
    throw new DoctorStop(
      EXIT_CODES.tooOld,
      `LibreNMS ${version} is too old: this exporter needs LibreNMS ${MIN_LIBRENMS_VERSION} or newer. Upgrade LibreNMS (./daily.sh as the librenms user, or a newer librenms/librenms Docker image).`,
    );
  } else {
    p.ok(`LibreNMS version ${version} (${MIN_LIBRENMS_VERSION} or newer is supported).`);
  }
  const offset = offsetOfLocalDate(system['local_date']);
  if (config.librenmsTimezoneOverride !== undefined) {
    p.ok(`last_polled times are read in LIBRENMS_TIMEZONE=${config.librenmsTimezoneOverride}${offset === undefined ? '' : ` (LibreNMS reports ${offset})`}.`);
  } else if (offset !== undefined) {
    p.ok(`last_polled times are read in LibreNMS's zone, ${offset} (from /system local_date); set LIBRENMS_TIMEZONE if its zone has summer time.`);
  } else {
    p.warn(
      `LibreNMS did not report its time zone (/system local_date has no offset): last_polled times are read in ${config.librenmsTimezone}; set LIBRENMS_TIMEZONE to LibreNMS's zone.`,
    );
  }

  // 2. Role: a normal user's token is refused (403) on the can:global-read routes (routes/api.php),
  // and is shown only the devices it was given. LibreNMS offers a normal user no count of every
  // device, so the refusal is how the doctor can tell. Configured groups are needed before any
  // collector runs; the collectors refused (alerts, bgp, ospf, services, pollers where the release
  // has it) are named after the refresh below, by what LibreNMS answered each.
  const groupsConfigured = config.filters.deviceGroups.length > 0;
  const normalUser = await refusedGlobalRead(client, groupsConfigured, p);
  if (normalUser) {
    p.warn(
      "The token belongs to a normal LibreNMS user (HTTP 403 on /devicegroups, which needs the global-read role): LibreNMS shows it only the devices, ports and sensors its user was given, and has no route that tells such a user how many devices exist. Devices it was not given are not exported and raise no alert. Give the token's user the global-read role (Manage Users) to export every device.",
    );
  } else if (normalUser === undefined) {
    // said above
  } else if (compareVersions(version, '26.8.0-dev') >= 0) {
    p.ok(
      "The token may read /devicegroups. From LibreNMS 26.8 every user may, so this does not tell its role: a normal user's token sees only the devices its user was given.",
    );
  } else {
    const admin = await isAdminToken(client, version);
    if (admin === true) p.warn(adminTokenWarning());
    else if (admin === false) p.ok("The token's user has the global-read role: it reads every device and can change nothing.");
    else p.ok("The token's user has the global-read or admin role: it reads every device (this LibreNMS cannot tell which; use a global-read user).");
  }
  if (normalUser && groupsConfigured) throw normalUserRefused([{ endpoint: '/devicegroups/:name' }], config);

  // 3. Query strings and columns, on small answers.
  const probedRows = await probeQueryStrings(client, p);
  await checkPortColumns(client, probedRows);

  // 4. One refresh, as the exporter makes it: the selection, then every enabled collector.
  const cache = runtime.scope({});
  await cache.refresher.refresh();
  const run = cache.refresher.lastRun();
  if (run.selectionError !== undefined) throw run.selectionError;
  const deviceRows = await runtime.inventory.devices();
  const { devices, knownDevices, warnings = [] } = await readSelection(runtime.inventory, config, {});
  for (const warning of warnings) p.warn(warning);
  const left = deviceRows.length - devices.length;
  p.ok(
    `Devices: ${deviceRows.length} in LibreNMS, ${devices.length} will be exported` +
      (left > 0
        ? ` (${left} left out: disabled devices${config.exportDisabledDevices ? '' : ' unless EXPORT_DISABLED_DEVICES=true'}, rows without an id or hostname, and the configured filters).`
        : '.'),
  );
  if (deviceRows.length === 0) {
    p.warn("LibreNMS has no devices yet (or the token's user may not see any): add your router in LibreNMS (Devices, Add Device) and wait for its first poll.");
  }
  const refused = run.collectors.filter((c) => c.error instanceof LibreNmsError && c.error.status === 403);
  if (refused.length > 0)
    throw normalUserRefused(
      refused.map((c) => ({ endpoint: (c.error as LibreNmsError).endpoint, collector: c.name })),
      config,
    );
  const failed = run.collectors.find((c) => !c.success);
  // The exporter would serve the rest; the doctor says no while anything fails.
  if (failed !== undefined) throw failed.error;
  for (const report of run.collectors) if (report.notice !== undefined) p.warn(`${report.name}: ${report.notice}`);
  const summary = (name: string, key: string): number | string | undefined => run.collectors.find((c) => c.name === name)?.summary[key];
  const ports = Number(summary('ports', 'ports') ?? 0);
  if (config.collectors.has('ports')) p.ok(`Ports: ${ports} will be exported.`);
  if (config.collectors.has('alerts')) p.ok(`Alerts: /alerts answers (${summary('alerts', 'alerts')} open on the devices exported).`);
  if (config.collectors.has('sensors')) p.ok(`Sensors: /resources/sensors answers (${summary('sensors', 'sensors')} sensors on the devices exported).`);

  // 5. Ports or sensors of devices /devices does not list (a normal user given groups or single ports).
  const listed = new Set(deviceRows.flatMap((row) => readInteger((row as Record<string, unknown> | null)?.['device_id']) ?? []));
  const unlisted = new Set<number>();
  const sensorRows = config.collectors.has('sensors') ? await runtime.inventory.sensors() : [];
  for (const row of [...probedRows, ...sensorRows]) {
    const id = readInteger((row as Record<string, unknown> | null)?.['device_id']);
    if (id !== undefined && !listed.has(id)) unlisted.add(id);
  }
  if (unlisted.size > 0) p.warn(unlistedDevicesWarning(unlisted.size));

  if (config.collectors.has('ports')) {
    // What the next refreshes will do, with what this one learnt of the bulk answer's size.
    const expected = summary('ports', 'bulk_ports_expected');
    const expectedBulkPorts = typeof expected === 'number' ? expected : undefined;
    const { strategy, why } = choosePortsStrategy({
      configured: config.portsStrategy,
      selectedDevices: devices.length,
      knownDevices,
      concurrency: config.concurrency,
      expectedBulkPorts,
      bulkMaxPorts: config.portsBulkMaxPorts,
    });
    p.ok(
      `Port strategy: ${strategy} (PORTS_STRATEGY=${config.portsStrategy}, ${devices.length} devices, CONCURRENCY=${config.concurrency}): ` +
        (strategy === 'bulk'
          ? 'one /ports request per refresh.'
          : `one /devices/:id/ports request per device, at most ${config.portsMaxDeviceReads} per refresh (PORTS_MAX_DEVICE_READS).`) +
        (why === 'bulk too big'
          ? ` LibreNMS's bulk /ports answer would hold about ${expectedBulkPorts} ports, more than PORTS_BULK_MAX_PORTS=${config.portsBulkMaxPorts} (what PHP's default memory_limit of 128 MB holds); if LibreNMS's memory_limit allows more, raise PORTS_BULK_MAX_PORTS.`
          : ''),
    );
  }

  // 6. One sample of each family the enabled collectors write, from what the refresh served.
  const text = (await Exposition.of(cache.refresher.current())?.toText()) ?? '';
  p.out('Sample metrics (one line per family, from the refresh just made):');
  for (const collector of collectors) {
    // A collector with a notice (a route this LibreNMS does not serve) will have no value, not "yet".
    const empty =
      run.collectors.find((c) => c.name === collector.name)?.notice === undefined
        ? 'no value in LibreNMS yet'
        : `nothing to export (the ${collector.name} warning above)`;
    for (const name of collector.families) {
      const line = firstSample(text, name);
      p.out(line === undefined ? `  ${name}: ${empty}` : `  ${line}`);
    }
  }
  p.out(`Ready: the exporter can serve ${devices.length} devices and ${ports} ports from LibreNMS${version === '' ? '' : ` ${version}`}.`);
}

/**
 * Reads the port columns the exporter asks for from one device that has ports: LibreNMS answers 400
 * `Invalid columns` (or leaves them out, if modified) when it lacks one.
 */
async function checkPortColumns(client: LibreNmsClient, probedRows: readonly Record<string, unknown>[]): Promise<void> {
  const deviceId = probedRows.map((row) => readInteger(row['device_id'])).find((id) => id !== undefined);
  if (deviceId === undefined) return;
  const row = (await client.listDevicePorts(deviceId)).find((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  if (row === undefined) return;
  const missing = PORT_COLUMNS.filter((column) => !(column in row));
  if (missing.length > 0) {
    throw new DoctorStop(
      EXIT_CODES.tooOld,
      `LibreNMS answered ports without the columns ${missing.join(', ')}: this LibreNMS is too old (or modified). Upgrade LibreNMS to ${MIN_LIBRENMS_VERSION} or newer.`,
    );
  }
}

/** Asks for three columns and checks they came back; returns the rows (port id, device id, name). */
async function probeQueryStrings(client: LibreNmsClient, p: Printer): Promise<Record<string, unknown>[]> {
  const columns = PROBE_COLUMNS.join(',');
  const route = `/api/v0/ports?columns=${columns}`;
  const defaults: readonly string[] = ['port_id', 'ifName'];
  // Every role may read /ports: a normal user gets the ports it may see (includes/html/api_functions.inc.php, get_all_ports).
  const body = await client.getJson('/ports', 'ports', { columns });
  const rows: unknown[] = Array.isArray(body['ports']) ? body['ports'] : [];
  const objects = rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
  if (objects.length === 0) {
    p.warn('LibreNMS has no ports yet (or none this token may read), so the query-string check is skipped.');
    return objects;
  }
  // Exactly the symptom: we asked for port_id,device_id,ifName and got only LibreNMS's default columns.
  const defaultsOnly = objects.every((row) => !('device_id' in row) && Object.keys(row).every((key) => defaults.includes(key)));
  if (defaultsOnly) {
    throw new DoctorStop(
      EXIT_CODES.queryStrings,
      `The web server in front of LibreNMS drops query strings: ${route} came back with only ${defaults.join(' and ')} (LibreNMS's defaults), so columns= never reached LibreNMS. ` +
        'Fix the web server: in nginx, `try_files $uri $uri/ /index.php?$query_string;` (not `/index.php` alone); in Apache, keep the QSA flag on the rewrite rule.',
    );
  }
  p.ok('Query strings reach LibreNMS (columns= is honoured).');
  return objects;
}

/**
 * Whether LibreNMS refuses this token a `can:global-read` route (HTTP 403 on `/devicegroups`): the
 * token's user is then a normal user. A 404 (no group yet) is an answer, so the role is global-read.
 */
async function refusedGlobalRead(client: LibreNmsClient, needed: boolean, p: Printer): Promise<boolean | undefined> {
  try {
    await client.listDeviceGroups();
    return false;
  } catch (error) {
    if (error instanceof LibreNmsError && error.status === 403) return true;
    // The exporter reads /devicegroups only for LIBRENMS_DEVICE_GROUPS: otherwise its failure is only a warning.
    if (needed) throw error;
    p.warn(`The token's role is unknown: /devicegroups failed (${describeFailure(error)}).`);
    return undefined;
  }
}

/**
 * Whether the token is an admin's, read without changing anything: `GET /poller_group` needs the
 * admin role from LibreNMS 23.11 (PR #15493, in the `can:admin` group of routes/api.php) up to 26.7;
 * from 26.8 a policy guards it that also refuses admins without distributed polling (PR #20139,
 * app/Policies/PollerGroupPolicy.php). Undefined when the version cannot tell.
 */
async function isAdminToken(client: LibreNmsClient, version: string): Promise<boolean | undefined> {
  if (parseVersion(version) === undefined || compareVersions(version, '23.11.0') < 0 || compareVersions(version, '26.8.0-dev') >= 0) return undefined;
  try {
    await client.getJson('/poller_group', 'poller_group');
    return true;
  } catch (error) {
    if (error instanceof LibreNmsError && error.status === 403) return false;
    return undefined;
  }
}

/** `/system` answered 404: LibreNMS without that route, or not LibreNMS at all. */
async function explainMissingSystem(client: LibreNmsClient, instance: InstanceConfig, error: LibreNmsError): Promise<DoctorStop> {
  let isApi = false;
  try {
    await client.getJson('/', '');
    isApi = true;
  } catch (rootError) {
    // LibreNMS's /api/v0 lists its endpoints as JSON without a "status": the client calls that an api_error.
    isApi = rootError instanceof LibreNmsError && rootError.code === 'api_error';
  }
  if (isApi) {
    return new DoctorStop(
      EXIT_CODES.tooOld,
      `LibreNMS at ${instance.url.href} has no /system route: it is too old. Upgrade LibreNMS to ${MIN_LIBRENMS_VERSION} or newer.`,
    );
  }
  return notLibreNms(instance, `HTTP 404 on ${instance.url.pathname}system (${error.detail ?? error.message})`);
}

function firstSample(text: string, name: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}
