/**
 * Pure mapping of LibreNMS's OSPF rows: `/api/v0/ospf` (neighbours, table ospf_nbrs) and
 * `/api/v0/ospf_ports` (OSPF interfaces, table ospf_ports), to records.
 */
import { type DeviceRecord, rowsOfDevices } from './devices.js';
import { labelText } from './text.js';
import { readInteger, readNonNegative, readText } from './values.js';

/**
 * OSPF-MIB ospfNbrState by the name LibreNMS stores (LibreNMS/Modules/Ospf.php reads the table with
 * enumStrings(): names, never numbers).
 */
export const OSPF_NEIGHBOR_STATES = ['down', 'attempt', 'init', 'twoWay', 'exchangeStart', 'exchange', 'loading', 'full'] as const;
/** OSPF-MIB ospfIfState names. */
export const OSPF_INTERFACE_STATES = [
  'down',
  'loopback',
  'waiting',
  'pointToPoint',
  'designatedRouter',
  'backupDesignatedRouter',
  'otherDesignatedRouter',
] as const;
/** OSPF-MIB Status (ospfIfAdminStat): enabled(1), disabled(2). */
const ADMIN_STATUS: Readonly<Record<string, 1 | 2>> = { enabled: 1, disabled: 2 };

export interface OspfNeighborRecord {
  readonly device: DeviceRecord;
  /** `ospfNbrIpAddr`. */
  readonly neighborAddress: string;
  /** `ospfNbrRtrId`: the neighbour's router id. */
  readonly neighborRouterId: string;
  /** `context_name`: the SNMP context (VRF, routing instance) LibreNMS polled it in, '' for the default. */
  readonly vrf: string;
  /** 1 down … 8 full; undefined for a name outside OSPF-MIB. */
  readonly state: number | undefined;
}

export interface OspfInterfaceRecord {
  readonly device: DeviceRecord;
  /** `ospfIfIpAddress`. */
  readonly address: string;
  /** `ospfIfAreaId`, dotted. */
  readonly area: string;
  readonly vrf: string;
  /** LibreNMS's `port_id` of the local port, as text ('' when unknown): joins with librenms_port_info. */
  readonly portId: string;
  /** 1 down … 7 otherDesignatedRouter; undefined when unknown. */
  readonly state: number | undefined;
  /** 1 enabled, 2 disabled; undefined when unknown. */
  readonly adminStatus: 1 | 2 | undefined;
  /** `ospfIfMetricValue`: the interface's cost. */
  readonly cost: number | undefined;
}

/** The 1-based position of a MIB enum name in `names` (matched case-insensitively), or undefined. */
function enumNumber(names: readonly string[], value: unknown): number | undefined {
  const name = readText(value)?.trim().toLowerCase();
  if (name === undefined) return undefined;
  const index = names.findIndex((n) => n.toLowerCase() === name);
  return index === -1 ? undefined : index + 1;
}

/** The ospfNbrState number of a state name, or undefined. */
export function ospfNeighborStateNumber(value: unknown): number | undefined {
  return enumNumber(OSPF_NEIGHBOR_STATES, value);
}

/**
 * Maps `/ospf` rows of the selected devices. Rows without a neighbour address are left out, and so
 * is a second row with the same labels (the first is kept). A row's `port_id` is not the local
 * interface (LibreNMS looks up a port holding the neighbour's address), so it is not read.
 */
export function mapOspfNeighbors(rows: readonly unknown[], devices: readonly DeviceRecord[]): OspfNeighborRecord[] {
  const neighbors: OspfNeighborRecord[] = [];
  const seen = new Set<string>();
  for (const { row: r, device } of rowsOfDevices(rows, devices)) {
    const neighborAddress = labelText(readText(r['ospfNbrIpAddr'])?.trim());
    if (neighborAddress === '') continue;
    const neighborRouterId = labelText(readText(r['ospfNbrRtrId'])?.trim());
    const vrf = labelText(readText(r['context_name'])?.trim());
    const identity = `${device.hostname}\u0000${neighborAddress}\u0000${neighborRouterId}\u0000${vrf}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    neighbors.push({ device, neighborAddress, neighborRouterId, vrf, state: ospfNeighborStateNumber(r['ospfNbrState']) });
  }
  return neighbors;
}

/**
 * Maps `/ospf_ports` rows of the selected devices (the authentication key LibreNMS also sends is never
 * read). Rows without an address or an area are left out, and so is a second row with the same labels.
 */
export function mapOspfInterfaces(rows: readonly unknown[], devices: readonly DeviceRecord[]): OspfInterfaceRecord[] {
  const interfaces: OspfInterfaceRecord[] = [];
  const seen = new Set<string>();
  for (const { row: r, device } of rowsOfDevices(rows, devices)) {
    const address = labelText(readText(r['ospfIfIpAddress'])?.trim());
    const area = labelText(readText(r['ospfIfAreaId'])?.trim());
    if (address === '' || area === '') continue;
    const vrf = labelText(readText(r['context_name'])?.trim());
    const portId = readInteger(r['port_id']);
    const identity = `${device.hostname}\u0000${address}\u0000${area}\u0000${vrf}\u0000${portId ?? ''}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const admin = readText(r['ospfIfAdminStat'])?.trim().toLowerCase();
    interfaces.push({
      device,
      address,
      area,
      vrf,
      portId: portId === undefined ? '' : String(portId),
      state: enumNumber(OSPF_INTERFACE_STATES, r['ospfIfState']),
      adminStatus: admin === undefined || !Object.hasOwn(ADMIN_STATUS, admin) ? undefined : ADMIN_STATUS[admin],
      cost: readNonNegative(r['ospfIfMetricValue']),
    });
  }
  return interfaces;
}
