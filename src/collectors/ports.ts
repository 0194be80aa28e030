/** The `ports` collector: port status, speed and counters, read in bulk or per device. */
import type { PortsStrategy } from '../config/types.js';
import { LibreNmsError } from '../errors.js';
import { family } from '../exposition/catalog.js';
import { ExpositionWriter, writeFamily } from '../exposition/writer.js';
import type { LibreNmsClient } from '../librenms/client.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { mapPorts, type PortRecord } from '../mapping/ports.js';
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
const DEVICE_LAST_POLLED = family('librenms_device_last_polled_timestamp_seconds');
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

/** Unix time of the last poll per device: newest port poll_time, else the device's own last_polled. */
function lastPolledByDevice(devices: readonly DeviceRecord[], ports: readonly PortRecord[]): Map<DeviceRecord, number> {
  const result = new Map<DeviceRecord, number>();
  for (const port of ports) {
    if (port.pollTime === undefined) continue;
    const previous = result.get(port.device);
    if (previous === undefined || port.pollTime > previous) result.set(port.device, port.pollTime);
  }
  for (const device of devices) {
    if (!result.has(device) && device.lastPolledSeconds !== undefined) result.set(device, device.lastPolledSeconds);
  }
  return result;
}

/** Seconds since the Unix epoch of the last status change, when ifLastChange and uptime allow it. */
function lastChange(port: PortRecord): number | undefined {
  const ticks = port.ifLastChangeTicks;
  const uptime = port.device.uptimeSeconds;
  if (ticks === undefined || ticks <= 0 || uptime === undefined || port.pollTime === undefined) return undefined;
  const sinceChange = uptime - ticks / 100;
  return sinceChange < 0 ? undefined : Math.round(port.pollTime - sinceChange);
}

/** Renders the port families and the device last-polled family. */
export function renderPorts(
  devices: readonly DeviceRecord[],
  ports: readonly PortRecord[],
  writer: ExpositionWriter = new ExpositionWriter(),
): ExpositionWriter {
  const polled = lastPolledByDevice(devices, ports);
  const polledDevices = devices.filter((d) => polled.has(d));
  writeFamily(
    writer,
    DEVICE_LAST_POLLED,
    polledDevices,
    polledDevices.map((d) => writer.labels(['hostname'], [d.hostname])),
    (d) => polled.get(d),
  );
  const infoLabels = ports.map((p) =>
    writer.labels(INFO.labels, [p.device.hostname, p.ifName, p.ifIndex, p.ifDescr, p.ifAlias, p.ifType, p.portId === undefined ? '' : String(p.portId)]),
  );
  writeFamily(writer, INFO, ports, infoLabels, () => 1);
  const labels = ports.map((p) => writer.labels(IDENTITY, [p.device.hostname, p.ifName, p.ifIndex]));
  writeFamily(writer, UP, ports, labels, (p) => (p.operStatus === undefined ? undefined : p.operStatus === 1 ? 1 : 0));
  writeFamily(writer, OPER, ports, labels, (p) => p.operStatus);
  writeFamily(writer, ADMIN, ports, labels, (p) => p.adminStatus);
  writeFamily(writer, SPEED, ports, labels, (p) => p.speedBytes);
  writeFamily(writer, MTU, ports, labels, (p) => p.mtuBytes);
  writeFamily(writer, LAST_POLLED, ports, labels, (p) => p.pollTime);
  writeFamily(writer, LAST_CHANGE, ports, labels, lastChange);
  writeFamily(writer, RX_BYTES, ports, labels, (p) => p.receiveBytes);
  writeFamily(writer, TX_BYTES, ports, labels, (p) => p.transmitBytes);
  writeFamily(writer, RX_UCAST, ports, labels, (p) => p.receiveUnicastPackets);
  writeFamily(writer, TX_UCAST, ports, labels, (p) => p.transmitUnicastPackets);
  writeFamily(writer, RX_ERRORS, ports, labels, (p) => p.receiveErrors);
  writeFamily(writer, TX_ERRORS, ports, labels, (p) => p.transmitErrors);
  writeFamily(writer, RX_RATE, ports, labels, (p) => p.receiveBytesPerSecond);
  writeFamily(writer, TX_RATE, ports, labels, (p) => p.transmitBytesPerSecond);
  writeFamily(writer, DUPLEX, ports, labels, (p) => p.duplex);
  writeFamily(writer, IGNORED, ports, labels, (p) => (p.ignored === undefined ? undefined : p.ignored ? 1 : 0));
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

/**
 * Reads ports in bulk unless bulk failed lately; on a bulk 5xx, reads the same devices one by one in
 * the same refresh (under the client's concurrency cap), so only the devices whose own read fails
 * lose their ports.
 */
export async function fetchPortsResilient(
  client: LibreNmsClient,
  devices: readonly DeviceRecord[],
  strategy: 'bulk' | 'per-device',
  logger?: PortsNotes,
  now: number = Date.now(),
): Promise<FetchedPorts & { strategy: string }> {
  if (strategy === 'per-device') return { ...(await fetchPerDevice(client, devices)), strategy };
  const failure = bulkFailures.get(client);
  if (failure !== undefined) {
    failure.refreshesSince++;
    const retry = failure.refreshesSince >= BULK_RETRY_EVERY_REFRESHES || now - failure.at >= BULK_RETRY_AFTER_MS;
    if (!retry) return { ...(await fetchPerDevice(client, devices)), strategy: 'per-device (bulk failed before)' };
  }
  try {
    const rows = await client.listAllPorts();
    if (failure !== undefined) {
      bulkFailures.delete(client);
      logger?.info('bulk /ports works again: back to one request per refresh');
    }
    return { rows, requests: 1, errors: [], strategy };
  } catch (error) {
    if (!isBulkServerError(error) || devices.length === 0) throw error;
    let fetched: FetchedPorts;
    try {
      fetched = await fetchPerDevice(client, devices);
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

/** Where {@link fetchPortsResilient} says what it did (the refresh's logger, or the doctor's lines). */
export interface PortsNotes {
  warn(fields: Record<string, unknown>, message: string): void;
  info(message: string): void;
}

/** Forgets a remembered bulk failure (tests). */
export function forgetBulkFailure(client: LibreNmsClient): void {
  bulkFailures.delete(client);
}

export const portsCollector: Collector = {
  name: 'ports',
  async collect(input: CollectorInput): Promise<CollectorResult> {
    const { devices } = input.selection;
    const chosen = choosePortsStrategy(input.config.portsStrategy, devices.length, input.config.concurrency, input.selection.knownDevices);
    const fetched = await fetchPortsResilient(input.client, devices, chosen, input.logger);
    const strategy = fetched.strategy;
    const { filters } = input.config;
    const ports = mapPorts(fetched.rows, new Map(devices.map((d) => [d.deviceId, d])), {
      includeDisabled: input.config.exportDisabledPorts,
      includeAdminDown: filters.exportAdminDownPorts,
      ifTypeInclude: filters.portTypeInclude,
      ifTypeExclude: filters.portTypeExclude,
    });
    fetched.rows = [];
    const writer = renderPorts(devices, ports, new ExpositionWriter(input.constLabels));
    return {
      series: writer.seriesCount,
      rendered: writer.finish(),
      summary: { ports: ports.length, strategy, port_requests: fetched.requests },
      partialErrors: fetched.errors,
    };
  },
};
