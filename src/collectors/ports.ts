/** The `ports` collector: port status, speed and counters, read in bulk or per device. */
import type { PortsStrategy } from '../config/types.js';
import { EXPOSITION_GZIP_LEVEL } from '../exposition/cached.js';
import { family, type MetricFamily } from '../exposition/catalog.js';
import { ExpositionWriter, SideBySideWriter } from '../exposition/writer.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { type PortRecord, portMapper } from '../mapping/ports.js';
import type { Collector, CollectorInput, CollectorResult } from './collector.js';
import { PortReadMemory, type PortReadOptions, type PortRowSink, type PortsRead } from './port-reads.js';

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
const STALE_DEVICES = family('librenms_exporter_ports_stale_devices');
const UNREAD_DEVICES = family('librenms_exporter_ports_unread_devices');
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
  readonly #staleColumn: number;
  readonly #unreadColumn: number;
  #ports = 0;

  constructor(writer: SideBySideWriter) {
    this.writer = writer;
    this.#staleColumn = writer.family(STALE_DEVICES);
    this.#unreadColumn = writer.family(UNREAD_DEVICES);
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

  /** Writes how many devices' ports were served from an earlier read, and how many have none; call once. */
  readCounts(read: Pick<PortsRead, 'staleDevices' | 'unreadDevices'>): void {
    const none = this.writer.labels([], []);
    this.writer.sample(this.#staleColumn, none, read.staleDevices);
    this.writer.sample(this.#unreadColumn, none, read.unreadDevices);
  }
}

/** Renders the port families of mapped ports (tests, the doctor). */
export function renderPorts(ports: readonly PortRecord[], writer: ExpositionWriter = new ExpositionWriter()): ExpositionWriter {
  const renderer = new PortsRenderer(writer.sideBySide());
  for (const port of ports) renderer.add(port);
  writer.append(renderer.writer.finishPlain());
  return writer;
}

/**
 * Reads the port rows of `devices` as a refresh would, into a list (the doctor), with the same
 * fallback from bulk to per device.
 * @throws LibreNmsError when nothing could be read
 */
export async function readPortRows(client: LibreNmsClient, options: Omit<PortReadOptions, 'begin'>): Promise<{ rows: unknown[]; read: PortsRead }> {
  let rows: unknown[] = [];
  const read = await new PortReadMemory().read(client, {
    ...options,
    begin: () => {
      rows = [];
      return { row: (row) => rows.push(row) };
    },
  });
  return { rows, read };
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
      const fetched = await input.portReads.read(input.client, {
        devices,
        strategy: chosen,
        begin,
        now: input.now(),
        ttlMs: input.config.cacheTtlMs,
        maxAgeMs: input.config.cacheMaxAgeMs,
        maxDeviceReads: input.config.portsMaxDeviceReads,
        concurrency: input.config.concurrency,
        notes: input.logger,
      });
      const done = renderer as PortsRenderer;
      done.readCounts(fetched);
      const series = done.writer.seriesCount;
      const rendered = await done.writer.finish();
      return {
        series,
        rendered,
        summary: {
          ports: done.ports,
          strategy: fetched.strategy,
          port_requests: fetched.requests,
          ...(fetched.staleDevices > 0 ? { ports_stale_devices: fetched.staleDevices } : {}),
          ...(fetched.unreadDevices > 0 ? { ports_unread_devices: fetched.unreadDevices } : {}),
        },
        partialErrors: fetched.errors,
      };
    } catch (error) {
      renderer?.writer.abandon();
      throw error;
    }
  },
};
