/** Pure mapping of `/api/v0/ports` rows to port records. */
import type { DeviceRecord } from './devices.js';
import { labelText } from './text.js';
import { readFlag, readInteger, readNonNegative, readText } from './values.js';

/** IF-MIB ifOperStatus / ifAdminStatus codes by LibreNMS's text value. */
export const IF_STATUS_CODES: Readonly<Record<string, number>> = {
  up: 1,
  down: 2,
  testing: 3,
  unknown: 4,
  dormant: 5,
  notPresent: 6,
  lowerLayerDown: 7,
};

/** EtherLike-MIB dot3StatsDuplexStatus codes by LibreNMS's text value of `ports.ifDuplex`. */
export const DUPLEX_CODES: Readonly<Record<string, number>> = {
  unknown: 1,
  halfDuplex: 2,
  fullDuplex: 3,
};

export interface PortRecord {
  readonly device: DeviceRecord;
  readonly portId: number | undefined;
  /** Identity labels, with `hostname` from the device. */
  readonly ifName: string;
  readonly ifIndex: string;
  readonly ifDescr: string;
  readonly ifAlias: string;
  readonly ifType: string;
  readonly operStatus: number | undefined;
  readonly adminStatus: number | undefined;
  readonly speedBytes: number | undefined;
  readonly mtuBytes: number | undefined;
  /** sysUpTime in 1/100 s at the last status change; 0 means unknown. */
  readonly ifLastChangeTicks: number | undefined;
  readonly pollTime: number | undefined;
  readonly receiveBytes: number | undefined;
  readonly transmitBytes: number | undefined;
  readonly receiveUnicastPackets: number | undefined;
  readonly transmitUnicastPackets: number | undefined;
  readonly receiveErrors: number | undefined;
  readonly transmitErrors: number | undefined;
  /** `ifInOctets_rate`: bytes per second over LibreNMS's last poll period. */
  readonly receiveBytesPerSecond: number | undefined;
  readonly transmitBytesPerSecond: number | undefined;
  /** One of {@link DUPLEX_CODES}; undefined when the port does not report it. */
  readonly duplex: number | undefined;
  /** `ports.ignore`: muted in LibreNMS; undefined when not sent. */
  readonly ignored: boolean | undefined;
}

export interface PortMappingOptions {
  /** Keep ports with `disabled = 1` (LibreNMS does not poll them, so their counters are stale). */
  readonly includeDisabled: boolean;
  /** Keep ports that are administratively down (default true). */
  readonly includeAdminDown?: boolean;
  /** Only these ifTypes (empty or absent: all). */
  readonly ifTypeInclude?: readonly string[];
  /** Never these ifTypes. */
  readonly ifTypeExclude?: readonly string[];
}

/**
 * Maps raw port rows of the given devices. Ports of other devices, deleted ports and (by default)
 * disabled ports are left out. No two records share (hostname, ifName, ifIndex): a duplicate series
 * would make Prometheus reject the whole scrape, so later duplicates are dropped.
 */
export function mapPorts(rows: readonly unknown[], devicesById: ReadonlyMap<number, DeviceRecord>, options: PortMappingOptions): PortRecord[] {
  const ports: PortRecord[] = [];
  const map = portMapper(devicesById, options);
  for (const row of rows) {
    const port = map(row);
    if (port !== undefined) ports.push(port);
  }
  return ports;
}

/**
 * {@link mapPorts} one row at a time, for rows read as they arrive: each call maps one row, or
 * gives undefined for a row {@link mapPorts} would leave out (duplicates are remembered across calls).
 */
export function portMapper(devicesById: ReadonlyMap<number, DeviceRecord>, options: PortMappingOptions): (row: unknown) => PortRecord | undefined {
  const seenPortIds = new Set<number>();
  const seenIdentities = new Set<string>();
  return (row) => {
    if (typeof row !== 'object' || row === null) return undefined;
    const r = row as Record<string, unknown>;
    const deviceId = readInteger(r['device_id']);
    const device = deviceId === undefined ? undefined : devicesById.get(deviceId);
    if (device === undefined) return undefined;
    if (readFlag(r['deleted']) === true) return undefined;
    if (readFlag(r['disabled']) === true && !options.includeDisabled) return undefined;
    const portId = readInteger(r['port_id']);
    if (portId !== undefined) {
      if (seenPortIds.has(portId)) return undefined;
      seenPortIds.add(portId);
    }
    const ifDescr = labelText(readText(r['ifDescr']));
    const ifName = labelText(readText(r['ifName'])) || ifDescr;
    const ifIndexNumber = readInteger(r['ifIndex']);
    const ifIndex = ifIndexNumber === undefined ? '' : String(ifIndexNumber);
    const identity = `${device.deviceId}\u0000${ifName}\u0000${ifIndex}`;
    if (seenIdentities.has(identity)) return undefined;
    seenIdentities.add(identity);
    const ifType = labelText(readText(r['ifType']));
    if (options.ifTypeInclude !== undefined && options.ifTypeInclude.length > 0 && !options.ifTypeInclude.includes(ifType)) return undefined;
    if (options.ifTypeExclude?.includes(ifType) === true) return undefined;
    const adminStatus = statusCode(r['ifAdminStatus']);
    if (options.includeAdminDown === false && adminStatus === 2) return undefined;
    const speedBits = readNonNegative(r['ifSpeed']);
    const receiveBytes = counter(r, 'ifInOctets');
    const transmitBytes = counter(r, 'ifOutOctets');
    return {
      device,
      portId,
      ifName,
      ifIndex,
      ifDescr,
      ifAlias: labelText(readText(r['ifAlias'])),
      ifType,
      operStatus: statusCode(r['ifOperStatus']),
      adminStatus,
      speedBytes: speedBits === undefined ? undefined : speedBits / 8,
      mtuBytes: readNonNegative(r['ifMtu']),
      ifLastChangeTicks: readNonNegative(r['ifLastChange']),
      pollTime: readNonNegative(r['poll_time']),
      receiveBytes,
      transmitBytes,
      receiveUnicastPackets: counter(r, 'ifInUcastPkts'),
      transmitUnicastPackets: counter(r, 'ifOutUcastPkts'),
      receiveErrors: counter(r, 'ifInErrors'),
      transmitErrors: counter(r, 'ifOutErrors'),
      // The rate of a poll that lost the counter is LibreNMS's 0 for a negative difference: unknown too.
      receiveBytesPerSecond: receiveBytes === undefined ? undefined : readNonNegative(r['ifInOctets_rate']),
      transmitBytesPerSecond: transmitBytes === undefined ? undefined : readNonNegative(r['ifOutOctets_rate']),
      duplex: duplexCode(r['ifDuplex']),
      ignored: readFlag(r['ignore']),
    };
  };
}

/**
 * A port counter, or undefined when unknown. A poll that did not get the counter stores 0 and keeps
 * the value before in `<column>_prev` (includes/polling/ports.inc.php: `set_numeric($current_oid ?? 0)`
 * beside `set_numeric($port[$oid])`): exported, that 0 would make `increase()` count the whole
 * counter as new traffic when the next poll brings it back. A 0 below a larger `_prev` is left out,
 * so the series skips that poll. (A real counter reset reads 0 only on a port without traffic since,
 * and is exported from the next poll on.)
 */
function counter(row: Record<string, unknown>, column: string): number | undefined {
  const value = readNonNegative(row[column]);
  if (value !== 0) return value;
  const previous = readNonNegative(row[`${column}_prev`]);
  return previous !== undefined && previous > 0 ? undefined : value;
}

/** Text status (or its IF-MIB number as text) to the IF-MIB code; anything else is unknown. */
function statusCode(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const code = IF_STATUS_CODES[value];
    if (code !== undefined && Object.hasOwn(IF_STATUS_CODES, value)) return code;
  }
  const numeric = readInteger(value);
  return numeric !== undefined && numeric >= 1 && numeric <= 7 ? numeric : undefined;
}

/** ifDuplex text (or its EtherLike-MIB number) to the code; anything else is unknown and left out. */
function duplexCode(value: unknown): number | undefined {
  if (typeof value === 'string' && Object.hasOwn(DUPLEX_CODES, value)) return DUPLEX_CODES[value];
  const numeric = readInteger(value);
  return numeric !== undefined && numeric >= 1 && numeric <= 3 ? numeric : undefined;
}
