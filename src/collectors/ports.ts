/** The `ports` collector: port status, speed and counters, read in bulk or per device. */
import type { PortsStrategy } from '../config-types.js';
import type { FamilyName } from '../exposition/catalog.js';
import type { FamilyRef, SampleSink } from '../exposition/sink.js';
import { type PortRecord, portMapper } from '../mapping/ports.js';
import type { Collector } from './collector.js';
import { PortReadMemory, type PortRowSink, type PortsRead } from './port-reads.js';

const IDENTITY = ['hostname', 'ifName', 'ifIndex'] as const;
const INFO_LABELS = ['hostname', 'ifName', 'ifIndex', 'ifDescr', 'ifAlias', 'ifType', 'port_id'] as const;

/** What {@link choosePortsStrategy} decides from. */
export interface PortsStrategyInputs {
  readonly configured: PortsStrategy;
  /** Devices of this refresh's selection. */
  readonly selectedDevices: number;
  /** Devices LibreNMS lists before filters and scope. */
  readonly knownDevices: number;
  /** CONCURRENCY. */
  readonly concurrency: number;
  /** Ports LibreNMS's bulk answer is expected to hold (PortReadMemory.expectedBulkPorts); undefined before the first read. */
  readonly expectedBulkPorts: number | undefined;
  /** PORTS_BULK_MAX_PORTS. */
  readonly bulkMaxPorts: number;
  /** The last refresh read per device because the bulk answer was too big (PortReadMemory.perDeviceForSize). */
  readonly perDeviceForSize?: boolean;
}

/**
 * Back to bulk only once the bulk answer is expected this far below PORTS_BULK_MAX_PORTS: per-device
 * reads leave out disabled devices, whose ports the bulk answer holds, so an install at the limit
 * would otherwise change strategy at every refresh.
 */
export const BULK_RETURN_MARGIN = 0.9;

/** How ports are read, and why: `configured` (not auto), `one round`, `small part`, `bulk too big` or `bulk`. */
export interface PortsStrategyChoice {
  readonly strategy: 'bulk' | 'per-device';
  readonly why: 'configured' | 'one round' | 'small part' | 'bulk too big' | 'bulk';
}

/**
 * Picks how to read ports. `auto` reads per device when the selected devices fit in one round of
 * `concurrency` parallel requests, or when filters or the scope leave a small part of the install
 * (at most four rounds, and at most a tenth of the devices): only the needed ports, and one failing
 * device does not fail the others. Otherwise one bulk `/ports` request, far faster and cheaper for
 * LibreNMS than one request per device (every request boots LibreNMS anew) — as long as PHP can build
 * it: LibreNMS loads every port and writes one JSON document in memory, about 6 KB of PHP memory per
 * port, so past `bulkMaxPorts` (PORTS_BULK_MAX_PORTS, which fits PHP's default memory_limit of 128 MB)
 * ports are read per device (and in bulk again below {@link BULK_RETURN_MARGIN} of it). The size is
 * known from the last read; before the first, bulk is tried, and a bulk that fails (5xx, timeout) is
 * read per device in the same refresh (PortReadMemory).
 * Measured: docs/big-installs.md.
 */
export function choosePortsStrategy(inputs: PortsStrategyInputs): PortsStrategyChoice {
  const { configured, selectedDevices, knownDevices, concurrency, expectedBulkPorts, bulkMaxPorts, perDeviceForSize = false } = inputs;
  if (configured !== 'auto') return { strategy: configured, why: 'configured' };
  if (selectedDevices <= concurrency) return { strategy: 'per-device', why: 'one round' };
  if (selectedDevices <= 4 * concurrency && selectedDevices * 10 <= knownDevices) return { strategy: 'per-device', why: 'small part' };
  const limit = perDeviceForSize ? bulkMaxPorts * BULK_RETURN_MARGIN : bulkMaxPorts;
  if (expectedBulkPorts !== undefined && expectedBulkPorts > limit) return { strategy: 'per-device', why: 'bulk too big' };
  return { strategy: 'bulk', why: 'bulk' };
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
const PORT_VALUES: readonly (readonly [FamilyName, (p: PortRecord) => number | undefined])[] = [
  ['librenms_port_up', (p) => (p.operStatus === undefined ? undefined : p.operStatus === 1 ? 1 : 0)],
  ['librenms_port_oper_status', (p) => p.operStatus],
  ['librenms_port_admin_status', (p) => p.adminStatus],
  ['librenms_port_speed_bytes', (p) => p.speedBytes],
  ['librenms_port_mtu_bytes', (p) => p.mtuBytes],
  ['librenms_port_last_polled_timestamp_seconds', (p) => p.pollTime],
  ['librenms_port_last_change_timestamp_seconds', (p) => lastChange(p)],
  ['librenms_port_receive_bytes_total', (p) => p.receiveBytes],
  ['librenms_port_transmit_bytes_total', (p) => p.transmitBytes],
  ['librenms_port_receive_unicast_packets_total', (p) => p.receiveUnicastPackets],
  ['librenms_port_transmit_unicast_packets_total', (p) => p.transmitUnicastPackets],
  ['librenms_port_receive_errors_total', (p) => p.receiveErrors],
  ['librenms_port_transmit_errors_total', (p) => p.transmitErrors],
  ['librenms_port_receive_bytes_per_second', (p) => p.receiveBytesPerSecond],
  ['librenms_port_transmit_bytes_per_second', (p) => p.transmitBytesPerSecond],
  ['librenms_port_duplex', (p) => p.duplex],
  ['librenms_port_ignored', (p) => (p.ignored === undefined ? undefined : p.ignored ? 1 : 0)],
];

const READ_COUNTS: readonly FamilyName[] = ['librenms_exporter_ports_stale_devices', 'librenms_exporter_ports_unread_devices'];

/**
 * Writes ports one at a time, as they are read, into every port family side by side: no list of
 * ports is held, and a port's identity labels are encoded once for all its families.
 */
export class PortWriter {
  readonly #sink: SampleSink;
  readonly #info: FamilyRef;
  readonly #values: readonly FamilyRef[];
  readonly #stale: FamilyRef;
  readonly #unread: FamilyRef;
  #ports = 0;

  constructor(sink: SampleSink) {
    this.#sink = sink;
    [this.#stale, this.#unread] = READ_COUNTS.map((name) => sink.family(name)) as [FamilyRef, FamilyRef];
    this.#info = sink.family('librenms_port_info');
    this.#values = PORT_VALUES.map(([name]) => sink.family(name));
  }

  /** Ports written so far. */
  get ports(): number {
    return this.#ports;
  }

  /** Writes one port. */
  add(p: PortRecord): void {
    this.#ports++;
    const sink = this.#sink;
    const hostname = p.device.hostname;
    sink.sample(
      this.#info,
      sink.labels(INFO_LABELS, [hostname, p.ifName, p.ifIndex, p.ifDescr, p.ifAlias, p.ifType, p.portId === undefined ? '' : String(p.portId)]),
      1,
    );
    const labels = sink.labels(IDENTITY, [hostname, p.ifName, p.ifIndex]);
    for (let i = 0; i < PORT_VALUES.length; i++) {
      const value = (PORT_VALUES[i] as (typeof PORT_VALUES)[number])[1](p);
      if (value !== undefined) sink.sample(this.#values[i] as FamilyRef, labels, value);
    }
  }

  /** Writes how many devices' ports were served from an earlier read, and how many have none; call once. */
  readCounts(read: Pick<PortsRead, 'staleDevices' | 'unreadDevices'>): void {
    const none = this.#sink.labels([], []);
    this.#sink.sample(this.#stale, none, read.staleDevices);
    this.#sink.sample(this.#unread, none, read.unreadDevices);
  }

  /** Forgets the ports written so far (a read that starts over). */
  restart(): void {
    this.#sink.restart();
    this.#ports = 0;
  }
}

export const portsCollector: Collector = {
  name: 'ports',
  enabledByDefault: true,
  description: 'port status, speed, MTU, counters, rates, duplex and descriptive labels, read in bulk or per device',
  endpoints: ['/ports', '/devices/:hostname/ports'],
  families: ['librenms_port_info', ...PORT_VALUES.map(([name]) => name), ...READ_COUNTS],
  async collect(input, sink) {
    const { devices } = input.selection;
    const { config } = input;
    const memory = input.memory(() => new PortReadMemory());
    const { knownDevices } = input.selection;
    const chosen = choosePortsStrategy({
      configured: config.portsStrategy,
      selectedDevices: devices.length,
      knownDevices,
      concurrency: config.concurrency,
      expectedBulkPorts: memory.expectedBulkPorts(knownDevices),
      bulkMaxPorts: config.portsBulkMaxPorts,
      perDeviceForSize: memory.perDeviceForSize,
    });
    const devicesById = new Map(devices.map((d) => [d.deviceId, d]));
    const options = {
      includeDisabled: config.exportDisabledPorts,
      includeAdminDown: config.filters.exportAdminDownPorts,
      ifTypeInclude: config.filters.portTypeInclude,
      ifTypeExclude: config.filters.portTypeExclude,
    };
    // Rows are mapped and written as they arrive: a refresh never holds the body or a list of ports.
    const writer = new PortWriter(sink);
    let attempts = 0;
    const begin = (): PortRowSink => {
      if (attempts++ > 0) writer.restart();
      const map = portMapper(devicesById, options);
      return {
        row: (row) => {
          const port = map(row);
          if (port !== undefined) writer.add(port);
        },
        pause: () => sink.ready(),
      };
    };
    const read = await memory.read(input.client, {
      devices,
      strategy: chosen.strategy,
      bulkTooBig: chosen.why === 'bulk too big',
      begin,
      now: input.now(),
      ttlMs: config.cacheTtlMs,
      maxAgeMs: config.cacheMaxAgeMs,
      maxDeviceReads: config.portsMaxDeviceReads,
      concurrency: config.concurrency,
      notes: input.logger,
    });
    writer.readCounts(read);
    const expected = memory.expectedBulkPorts(knownDevices);
    return {
      summary: {
        ports: writer.ports,
        strategy: read.strategy,
        port_requests: read.requests,
        ...(expected === undefined ? {} : { bulk_ports_expected: expected }),
        ...(read.staleDevices > 0 ? { ports_stale_devices: read.staleDevices } : {}),
        ...(read.unreadDevices > 0 ? { ports_unread_devices: read.unreadDevices } : {}),
      },
      partialErrors: read.errors,
    };
  },
};
