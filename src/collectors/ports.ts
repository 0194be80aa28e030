/** The `ports` collector: port status, speed and counters, read in bulk or per device. */
import type { PortsStrategy } from '../config.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { DEVICE_FAMILIES, PORT_FAMILIES } from '../metrics/catalog.js';
import { ExpositionWriter, writeFamily } from '../metrics/exposition.js';
import type { DeviceRecord } from '../mapping/devices.js';
import { mapPorts, type PortRecord } from '../mapping/ports.js';
import type { Collector, CollectorResult, RefreshContext } from './collector.js';

const [INFO, UP, OPER, ADMIN, SPEED, MTU, LAST_POLLED, LAST_CHANGE, RX_BYTES, TX_BYTES, RX_UCAST, TX_UCAST, RX_ERRORS, TX_ERRORS] =
  PORT_FAMILIES;
const DEVICE_LAST_POLLED = DEVICE_FAMILIES[3];
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
export function renderPorts(devices: readonly DeviceRecord[], ports: readonly PortRecord[], writer: ExpositionWriter = new ExpositionWriter()): ExpositionWriter {
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
  return writer;
}

interface FetchedPorts {
  rows: unknown[];
  requests: number;
  errors: Error[];
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

export const portsCollector: Collector = {
  name: 'ports',
  async collect(context: RefreshContext): Promise<CollectorResult> {
    const devices = context.devices;
    if (devices === undefined) throw new Error('ports skipped: the device list could not be read from LibreNMS');
    const strategy = choosePortsStrategy(context.config.portsStrategy, devices.length, context.config.concurrency, context.knownDevices);
    const fetched: FetchedPorts =
      strategy === 'bulk' ? { rows: await context.client.listAllPorts(), requests: 1, errors: [] } : await fetchPerDevice(context.client, devices);
    const { filters } = context.config;
    const ports = mapPorts(fetched.rows, new Map(devices.map((d) => [d.deviceId, d])), {
      includeDisabled: context.config.exportDisabledPorts,
      includeAdminDown: filters.exportAdminDownPorts,
      ifTypeInclude: filters.portTypeInclude,
      ifTypeExclude: filters.portTypeExclude,
    });
    fetched.rows = [];
    const writer = renderPorts(devices, ports, new ExpositionWriter(context.constLabels));
    return {
      series: writer.seriesCount,
      rendered: writer.finish(),
      summary: { ports: ports.length, strategy, port_requests: fetched.requests },
      partialErrors: fetched.errors,
    };
  },
};
