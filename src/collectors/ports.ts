/** The `ports` collector: port status, speed and counters, read in bulk or per device. */
import type { PortsStrategy } from '../config/types.js';
import { LibreNmsError } from '../errors.js';
import { EXPOSITION_GZIP_LEVEL } from '../exposition/cached.js';
import { family, type MetricFamily } from '../exposition/catalog.js';
import { ExpositionWriter, SideBySideWriter } from '../exposition/writer.js';
import type { LibreNmsClient } from '../librenms/client.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { type PortRecord, portMapper } from '../mapping/ports.js';
import type { Collector, CollectorInput, CollectorResult } from './collector.js';

const INFO = family('librenms_port_info');
const UP = family('librenms_port_up');
const OPER = family('librenms_port_oper_status');
const ADMIN = family('librenms_port_admin_status');
const SPEED = family('librenms_port_speed_bytes');
const MTU = family('librenms_port_mtu_bytes');
const LAST_POLLED = family('librenms_port_last_polled_timestamp_seconds');
const LAST_CHANGE = family('librenms_port_last_change_timestamp_seconds');
const RX_BYTES = family('librenms_port_receive_bytes_total');
const TX_BYTES = family('librenms_port_transmit_bytes_total');
const RX_UCAST = family('librenms_port_receive_unicast_packets_total');
const TX_UCAST = family('librenms_port_transmit_unicast_packets_total');
const RX_ERRORS = family('librenms_port_receive_errors_total');
const TX_ERRORS = family('librenms_port_transmit_errors_total');
const RX_RATE = family('librenms_port_receive_bytes_per_second');
const TX_RATE = family('librenms_port_transmit_bytes_per_second');
const DUPLEX = family('librenms_port_duplex');
const IGNORED = family('librenms_port_ignored');
const IDENTITY = ['hostname', 'ifName', 'ifIndex'] as const;

/**
 * Picks how to read ports. `auto` reads per device when the selected devices fit in one round of
 * `concurrency` parallel requests (same wall time as one bulk request, only the needed ports, and one
 * failing device does not fail the others), or when filters or the scope leave a small part of the
 * install (at most four rounds, and at most a tenth of the devices); otherwise one bulk `/ports`
 * request, which is far cheaper for LibreNMS than one request per device.
 */
export function choosePortsStrategy(
  configured: PortsStrategy,
  selectedDevices: number,
  concurrency: number,
  knownDevices: number = selectedDevices,
): 'bulk' | 'per-device' {
  if (configured !== 'auto') return configured;
  if (selectedDevices <= concurrency) return 'per-device';
  const smallSubset = selectedDevices <= 4 * concurrency && selectedDevices * 10 <= knownDevices;
  return smallSubset ? 'per-device' : 'bulk';
}

/** sysUpTime and ifLastChange are 32-bit TimeTicks (hundredths of a second): they wrap after about 497 days. */
const TICKS_WRAP_SECONDS = 2 ** 32 / 100;

/**
 * Seconds since the Unix epoch of the last status change, or undefined when it cannot be known.
 * `ifLastChange` is the agent's sysUpTime at the change, but LibreNMS's device `uptime` is the largest
 * of sysUpTime, snmpEngineTime and hrSystemUptime (or the Unix agent's uptime), so it is sysUpTime
 * only while sysUpTime is the largest (LibreNMS/Modules/Core.php, calculateUptime). LibreNMS's own
 * port list subtracts the two anyway (app/Http/Controllers/Table/PortsController.php); here:
 * - an uptime of 497 days or more cannot be sysUpTime, which wraps before it: the sysUpTime the
 *   ticks count from is unknown, so the value is left out;
 * - ticks beyond the uptime come from a wrapped counter or another clock: left out;
 * - 0 means the change came before the agent started (or LibreNMS had no value): left out.
 * Below that the time is exact when sysUpTime is the largest uptime, which is the case for the
 * network devices this exporter is for; a server whose SNMP agent restarted after boot (uptime from
 * hrSystemUptime) gets a change time that is early by the agent's late start.
 */
function lastChange(port: PortRecord): number | undefined {
  const ticks = port.ifLastChangeTicks;
  const uptime = port.device.uptimeSeconds;
  if (ticks === undefined || ticks <= 0 || uptime === undefined || uptime <= 0 || port.pollTime === undefined) return undefined;
  if (uptime >= TICKS_WRAP_SECONDS || ticks >= 2 ** 32) return undefined;
  // LibreNMS rounds the uptime to whole seconds: allow that much.
  const sinceChange = uptime - ticks / 100;
  if (sinceChange < -1) return undefined;
  return Math.round(port.pollTime - Math.max(0, sinceChange));
}

/** The families written once per port after `librenms_port_info`, in order, with how each reads a port. */
const PORT_VALUES: readonly (readonly [MetricFamily, (p: PortRecord) => number | undefined])[] = [
  [UP, (p) => (p.operStatus === undefined ? undefined : p.operStatus === 1 ? 1 : 0)],
  [OPER, (p) => p.operStatus],
  [ADMIN, (p) => p.adminStatus],
  [SPEED, (p) => p.speedBytes],
  [MTU, (p) => p.mtuBytes],
  [LAST_POLLED, (p) => p.pollTime],
  [LAST_CHANGE, (p) => lastChange(p)],
  [RX_BYTES, (p) => p.receiveBytes],
  [TX_BYTES, (p) => p.transmitBytes],
  [RX_UCAST, (p) => p.receiveUnicastPackets],
  [TX_UCAST, (p) => p.transmitUnicastPackets],
  [RX_ERRORS, (p) => p.receiveErrors],
  [TX_ERRORS, (p) => p.transmitErrors],
  [RX_RATE, (p) => p.receiveBytesPerSecond],
  [TX_RATE, (p) => p.transmitBytesPerSecond],
  [DUPLEX, (p) => p.duplex],
  [IGNORED, (p) => (p.ignored === undefined ? undefined : p.ignored ? 1 : 0)],
];

/**
 * Renders ports one at a time, as they are read, into every port family side by side (see
 * {@link SideBySideWriter}): no list of ports is held.
 */
export class PortsRenderer {
  readonly writer: SideBySideWriter;
  readonly #infoColumn: number;
  readonly #valueColumns: number[];
  #ports = 0;

  constructor(writer: SideBySideWriter) {
    this.writer = writer;
    this.#infoColumn = writer.family(INFO);
    this.#valueColumns = PORT_VALUES.map(([f]) => writer.family(f));
  }

  /** Ports rendered so far. */
  get ports(): number {
    return this.#ports;
  }

  /** Renders one port. */
  add(p: PortRecord): void {
    this.#ports++;
    const w = this.writer;
    const hostname = p.device.hostname;
    w.sample(
      this.#infoColumn,
      w.labels(INFO.labels, [hostname, p.ifName, p.ifIndex, p.ifDescr, p.ifAlias, p.ifType, p.portId === undefined ? '' : String(p.portId)]),
      1,
    );
    const labels = w.labels(IDENTITY, [hostname, p.ifName, p.ifIndex]);
    for (let i = 0; i < PORT_VALUES.length; i++) {
      const value = (PORT_VALUES[i] as (typeof PORT_VALUES)[number])[1](p);
      if (value !== undefined) w.sample(this.#valueColumns[i] as number, labels, value);
    }
  }
}

/** Renders the port families of mapped ports (tests, the doctor). */
export function renderPorts(ports: readonly PortRecord[], writer: ExpositionWriter = new ExpositionWriter()): ExpositionWriter {
  const renderer = new PortsRenderer(writer.sideBySide());
  for (const port of ports) renderer.add(port);
  writer.append(renderer.writer.finishPlain());
  return writer;
}

export interface FetchedPorts {
  rows: unknown[];
  requests: number;
  /** Devices whose ports could not be read; the others' rows are in `rows`. */
  errors: Error[];
}

/**
 * Reads the port rows of `devices`, in one bulk request or one request per device.
 * @throws LibreNmsError when nothing could be read
 */
export async function fetchPorts(client: LibreNmsClient, devices: readonly DeviceRecord[], strategy: 'bulk' | 'per-device'): Promise<FetchedPorts> {
  return strategy === 'bulk' ? { rows: await client.listAllPorts(), requests: 1, errors: [] } : fetchPerDevice(client, devices);
}

async function fetchPerDevice(client: LibreNmsClient, devices: readonly DeviceRecord[]): Promise<FetchedPorts> {
  const settled = await Promise.allSettled(devices.map((d) => client.listDevicePorts(d.deviceId)));
  const rows: unknown[] = [];
  const errors: Error[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') rows.push(...outcome.value);
    else errors.push(outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)));
  }
  if (errors.length > 0 && errors.length === devices.length) throw errors[0];
  return { rows, requests: devices.length, errors };
}

/** After a bulk `/ports` 5xx, bulk is tried again only on every this many refreshes… */
export const BULK_RETRY_EVERY_REFRESHES = 10;
/** …or once this long has passed since it failed. */
export const BULK_RETRY_AFTER_MS = 30 * 60 * 1000;

interface BulkFailure {
  at: number;
  refreshesSince: number;
}

/** Per LibreNMS (its client): when bulk `/ports` last failed with a 5xx. */
const bulkFailures = new WeakMap<LibreNmsClient, BulkFailure>();

/** The sentence for a bulk `/ports` 5xx, naming the LibreNMS releases known for it and the fixes. */
export function bulkPortsFailureHint(error: LibreNmsError): string {
  return (
    `LibreNMS failed the bulk /ports read (${error.status === undefined ? error.code : `HTTP ${error.status}`}: ${error.detail ?? error.message}); ` +
    'reading ports device by device instead. LibreNMS 26.4.0 to 26.5.0 answer 500 on /ports when any port has an ifOperStatus outside its list (LibreNMS issue #19505): upgrade to 26.5.1 or later. ' +
    "On a big install PHP may also run out of memory on one bulk answer: raise PHP's memory_limit for LibreNMS's web server."
  );
}

function isBulkServerError(error: unknown): error is LibreNmsError {
  return error instanceof LibreNmsError && error.status !== undefined && error.status >= 500;
}

/** Where port rows go as they are read: one sink per attempt (a bulk read that fails over starts a new one). */
export interface PortRowSink {
  row(row: unknown): void;
  /** A promise to wait for before reading on (the renderer's compression is behind), or undefined. */
  pause?(): Promise<void> | undefined;
}

/** What {@link streamPortsResilient} did. */
export interface StreamedPorts {
  rows: number;
  requests: number;
  /** Devices whose ports could not be read; the others' rows went to the sink. */
  errors: Error[];
  strategy: string;
}

async function streamPerDevice(client: LibreNmsClient, devices: readonly DeviceRecord[], sink: PortRowSink): Promise<Omit<StreamedPorts, 'strategy'>> {
  const fetched = await fetchPerDevice(client, devices);
  // Per device is for small selections: the rows are held until all are read, then rendered in device order.
  const rows = fetched.rows;
  fetched.rows = [];
  for (let i = 0; i < rows.length; i++) sink.row(rows[i]);
  return { rows: rows.length, requests: fetched.requests, errors: fetched.errors };
}

/**
 * Reads ports in bulk unless bulk failed lately, handing each row to a sink as it arrives; on a bulk
 * 5xx, reads the same devices one by one in the same refresh (under the client's concurrency cap), so
 * only the devices whose own read fails lose their ports. `begin` gives the sink of each attempt.
 */
export async function streamPortsResilient(
  client: LibreNmsClient,
  devices: readonly DeviceRecord[],
  strategy: 'bulk' | 'per-device',
  begin: () => PortRowSink,
  logger?: PortsNotes,
  now: number = Date.now(),
): Promise<StreamedPorts> {
  if (strategy === 'per-device') return { ...(await streamPerDevice(client, devices, begin())), strategy };
  const failure = bulkFailures.get(client);
  if (failure !== undefined) {
    failure.refreshesSince++;
    const retry = failure.refreshesSince >= BULK_RETRY_EVERY_REFRESHES || now - failure.at >= BULK_RETRY_AFTER_MS;
    if (!retry) return { ...(await streamPerDevice(client, devices, begin())), strategy: 'per-device (bulk failed before)' };
  }
  try {
    const sink = begin();
    const rows = await client.streamAllPorts((row) => sink.row(row), { pause: () => sink.pause?.() });
    if (failure !== undefined) {
      bulkFailures.delete(client);
      logger?.info('bulk /ports works again: back to one request per refresh');
    }
    return { rows, requests: 1, errors: [], strategy };
  } catch (error) {
    if (!isBulkServerError(error) || devices.length === 0) throw error;
    let fetched: Omit<StreamedPorts, 'strategy'>;
    try {
      // A 5xx is known from the status line, before any row: the new sink starts from nothing either way.
      fetched = await streamPerDevice(client, devices, begin());
    } catch {
      // Every device failed too: LibreNMS as a whole is failing, not the bulk read; its error says best what.
      throw error;
    }
    // Only the bulk read fails: remember it, and say why it may and what fixes it.
    bulkFailures.set(client, { at: now, refreshesSince: 0 });
    logger?.warn({ collector: 'ports', error_code: error.code, http_status: error.status, endpoint: error.endpoint }, bulkPortsFailureHint(error));
    return { ...fetched, requests: fetched.requests + 1, strategy: 'per-device (bulk failed)' };
  }
}

/** {@link streamPortsResilient} into a list of rows (the doctor). */
export async function fetchPortsResilient(
  client: LibreNmsClient,
  devices: readonly DeviceRecord[],
  strategy: 'bulk' | 'per-device',
  logger?: PortsNotes,
  now: number = Date.now(),
): Promise<FetchedPorts & { strategy: string }> {
  let rows: unknown[] = [];
  const begin = (): PortRowSink => {
    rows = [];
    return { row: (row) => rows.push(row) };
  };
  const streamed = await streamPortsResilient(client, devices, strategy, begin, logger, now);
  return { rows, requests: streamed.requests, errors: streamed.errors, strategy: streamed.strategy };
}

/** Where {@link fetchPortsResilient} says what it did (the refresh's logger, or the doctor's lines). */
export interface PortsNotes {
  warn(fields: Record<string, unknown>, message: string): void;
  info(message: string): void;
}

/** Forgets a remembered bulk failure (tests). */
export function forgetBulkFailure(client: LibreNmsClient): void {
  bulkFailures.delete(client);
}

/** Compression waiting past this many bytes pauses reading `/ports` until it is down to half. */
const MAX_GZIP_BACKLOG_BYTES = 8 * 1024 * 1024;

export const portsCollector: Collector = {
  name: 'ports',
  async collect(input: CollectorInput): Promise<CollectorResult> {
    const { devices } = input.selection;
    const chosen = choosePortsStrategy(input.config.portsStrategy, devices.length, input.config.concurrency, input.selection.knownDevices);
    const { filters } = input.config;
    const devicesById = new Map(devices.map((d) => [d.deviceId, d]));
    const options = {
      includeDisabled: input.config.exportDisabledPorts,
      includeAdminDown: filters.exportAdminDownPorts,
      ifTypeInclude: filters.portTypeInclude,
      ifTypeExclude: filters.portTypeExclude,
    };
    // Rows are mapped and rendered as they arrive, and the text is compressed as it is written: what
    // a refresh keeps is the gzip of its exposition (exposition/cached.ts), never the body or the rows.
    let renderer: PortsRenderer | undefined;
    const begin = (): PortRowSink => {
      renderer?.writer.abandon();
      const current = new PortsRenderer(new SideBySideWriter(input.constLabels, { gzipLevel: EXPOSITION_GZIP_LEVEL }));
      renderer = current;
      const map = portMapper(devicesById, options);
      return {
        row: (row) => {
          const port = map(row);
          if (port !== undefined) current.add(port);
        },
        pause: () => (current.writer.backlog > MAX_GZIP_BACKLOG_BYTES ? current.writer.drained(MAX_GZIP_BACKLOG_BYTES / 2) : undefined),
      };
    };
    try {
      const fetched = await streamPortsResilient(input.client, devices, chosen, begin, input.logger);
      const done = renderer as PortsRenderer;
      const series = done.writer.seriesCount;
      const rendered = await done.writer.finish();
      return {
        series,
        rendered,
        summary: { ports: done.ports, strategy: fetched.strategy, port_requests: fetched.requests },
        partialErrors: fetched.errors,
      };
    } catch (error) {
      renderer?.writer.abandon();
      throw error;
    }
  },
};
