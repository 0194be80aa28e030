/**
 * Pure mapping of LibreNMS's BGP rows: `/api/v0/bgp` (peers), `/api/v0/routing/bgp/cbgp` (prefix
 * counters per address family) and `/api/v0/routing/vrf` (VRF names), to peer and prefix records.
 */
import { type DeviceRecord, rowsOfDevices } from './devices.js';
import { labelText } from './text.js';
import { objectRows, readInteger, readNonNegative, readText } from './values.js';

/**
 * BGP4-MIB bgpPeerState, by the name LibreNMS stores (it keeps the SNMP enum's name, never the number:
 * includes/polling/bgp-peers.inc.php). The vendor MIBs LibreNMS reads (CISCO-BGP4-MIB, BGP4-V2,
 * Juniper, Arista, Huawei, Nokia) use the same names; bird2 and Firebrick are mapped to them.
 */
export const BGP_STATES = ['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'] as const;
export type BgpState = (typeof BGP_STATES)[number];

/**
 * BGP4-MIB bgpPeerAdminStatus: 1 stop, 2 start. The BGP4-V2 MIBs (Juniper, Arista, Dell) say halted
 * and running, Nokia's says adminShutdown for a shut session; LibreNMS's own page treats start and
 * running as enabled (includes/html/pages/routing/bgp.inc.php). Anything else (Nokia's last-event
 * names, Junos's `unknown`) is left out.
 */
const ADMIN_STATUS: Readonly<Record<string, 1 | 2>> = { stop: 1, halted: 1, adminshutdown: 1, start: 2, running: 2 };

/** The peer's identity: the labels of every peer and prefix series. */
export interface BgpPeerId {
  readonly device: DeviceRecord;
  /** `bgpPeerIdentifier` as LibreNMS stores it (IPv6 may be written out in full): never re-formatted. */
  readonly peerAddress: string;
  /** `bgpPeerRemoteAs` as text (4-byte ASNs included). */
  readonly remoteAs: string;
  /** The VRF's name (see {@link mapBgpPeers}), '' for the default table or when LibreNMS does not say. */
  readonly vrf: string;
}

export interface BgpPeerRecord extends BgpPeerId {
  /** 1 idle … 6 established; undefined for a name outside BGP4-MIB (Junos `unknown`). */
  readonly state: number | undefined;
  /** 1 stop (halted, adminShutdown), 2 start (running); undefined when LibreNMS stores something else. */
  readonly adminStatus: 1 | 2 | undefined;
  /** `bgpPeerFsmEstablishedTime`, seconds. */
  readonly establishedSeconds: number | undefined;
  readonly description: string;
  /** `astext`: the AS name LibreNMS resolved. */
  readonly asName: string;
  readonly localAddress: string;
  /** Keys of the cbgp join (not labels). */
  readonly deviceId: number;
  readonly contextName: string;
}

export interface BgpPrefixRecord {
  readonly peer: BgpPeerRecord;
  readonly afi: string;
  readonly safi: string;
  readonly accepted: number | undefined;
  readonly denied: number | undefined;
  readonly advertised: number | undefined;
  readonly suppressed: number | undefined;
  readonly withdrawn: number | undefined;
  /** The configured maximum-prefix; undefined when none is set (LibreNMS stores 0). */
  readonly limit: number | undefined;
  /** The share of the limit at which the router warns, 0–1 (PrefixThreshold is a percentage); only with a limit. */
  readonly limitThresholdRatio: number | undefined;
}

/** The state number of a bgpPeerState name (case-insensitive), or undefined. */
export function bgpStateNumber(value: unknown): number | undefined {
  const name = readText(value)?.trim().toLowerCase();
  const index = name === undefined ? -1 : BGP_STATES.indexOf(name as BgpState);
  return index === -1 ? undefined : index + 1;
}

/** The BGP4-MIB admin status of a bgpPeerAdminStatus text, or undefined. */
export function bgpAdminStatus(value: unknown): 1 | 2 | undefined {
  const name = readText(value)?.trim().toLowerCase();
  return name === undefined || !Object.hasOwn(ADMIN_STATUS, name) ? undefined : ADMIN_STATUS[name];
}

/** VRF names by `vrf_id` from `/routing/vrf` rows (rows without an id or a name are left out). */
export function vrfNames(rows: readonly unknown[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const r of objectRows(rows)) {
    const id = readInteger(r['vrf_id']);
    const name = labelText(readText(r['vrf_name'])?.trim());
    if (id !== undefined && name !== '' && !names.has(id)) names.set(id, name);
  }
  return names;
}

/**
 * Maps `/bgp` rows of the selected devices. The `vrf` label is the VRF's name from `/routing/vrf` by
 * the row's `vrf_id`; else the row's `context_name` (the SNMP context LibreNMS polled the peer in:
 * the routing instance on multi-context devices) when not empty; else ''. Rows without an identifier
 * or a remote AS are left out, and so is a second row with the same labels (the first is kept).
 */
export function mapBgpPeers(rows: readonly unknown[], devices: readonly DeviceRecord[], vrfs: ReadonlyMap<number, string>): BgpPeerRecord[] {
  const peers: BgpPeerRecord[] = [];
  const seen = new Set<string>();
  for (const { row: r, device } of rowsOfDevices(rows, devices)) {
    const peerAddress = labelText(readText(r['bgpPeerIdentifier'])?.trim());
    const remoteAs = readInteger(r['bgpPeerRemoteAs']);
    if (peerAddress === '' || remoteAs === undefined || remoteAs < 0) continue;
    const contextName = labelText(readText(r['context_name'])?.trim());
    const vrfId = readInteger(r['vrf_id']);
    const vrf = (vrfId === undefined ? undefined : vrfs.get(vrfId)) ?? contextName;
    const identity = `${device.hostname}\u0000${peerAddress}\u0000${remoteAs}\u0000${vrf}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    peers.push({
      device,
      peerAddress,
      remoteAs: String(remoteAs),
      vrf,
      state: bgpStateNumber(r['bgpPeerState']),
      adminStatus: bgpAdminStatus(r['bgpPeerAdminStatus']),
      establishedSeconds: readNonNegative(r['bgpPeerFsmEstablishedTime']),
      description: labelText(readText(r['bgpPeerDescr'])?.trim()),
      asName: labelText(readText(r['astext'])?.trim()),
      localAddress: labelText(readText(r['bgpLocalAddr'])?.trim()),
      deviceId: device.deviceId,
      contextName,
    });
  }
  return peers;
}

/**
 * Maps `/routing/bgp/cbgp` rows onto the peers they count. The table has no peer id: a row belongs to
 * the peer of its device with the same `bgpPeerIdentifier` and `context_name`, or, when no such peer
 * has that context, to the one peer of the device with that identifier (list_cbgp in
 * includes/html/api_functions.inc.php; bgpPeers_cbgp's unique key is device, identifier, afi, safi).
 * Rows of no exported peer (another device, a peer never polled) are left out, as is a second row of
 * the same peer and address family.
 */
export function mapBgpPrefixes(rows: readonly unknown[], peers: readonly BgpPeerRecord[]): BgpPrefixRecord[] {
  const byContext = new Map<string, BgpPeerRecord>();
  const byAddress = new Map<string, BgpPeerRecord[]>();
  for (const peer of peers) {
    const address = `${peer.deviceId}\u0000${peer.peerAddress}`;
    byContext.set(`${address}\u0000${peer.contextName}`, peer);
    byAddress.set(address, [...(byAddress.get(address) ?? []), peer]);
  }
  const prefixes: BgpPrefixRecord[] = [];
  const seen = new Set<string>();
  for (const r of objectRows(rows)) {
    const deviceId = readInteger(r['device_id']);
    const peerAddress = labelText(readText(r['bgpPeerIdentifier'])?.trim());
    const afi = labelText(readText(r['afi'])?.trim());
    const safi = labelText(readText(r['safi'])?.trim());
    if (deviceId === undefined || peerAddress === '' || afi === '' || safi === '') continue;
    const address = `${deviceId}\u0000${peerAddress}`;
    const candidates = byAddress.get(address) ?? [];
    const peer = byContext.get(`${address}\u0000${labelText(readText(r['context_name'])?.trim())}`) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (peer === undefined) continue;
    const identity = `${peer.device.hostname}\u0000${peer.peerAddress}\u0000${peer.remoteAs}\u0000${peer.vrf}\u0000${afi}\u0000${safi}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const limit = readNonNegative(r['PrefixAdminLimit']);
    const threshold = readNonNegative(r['PrefixThreshold']);
    const hasLimit = limit !== undefined && limit > 0;
    prefixes.push({
      peer,
      afi,
      safi,
      accepted: readNonNegative(r['AcceptedPrefixes']),
      denied: readNonNegative(r['DeniedPrefixes']),
      advertised: readNonNegative(r['AdvertisedPrefixes']),
      suppressed: readNonNegative(r['SuppressedPrefixes']),
      withdrawn: readNonNegative(r['WithdrawnPrefixes']),
      limit: hasLimit ? limit : undefined,
      limitThresholdRatio: hasLimit && threshold !== undefined && threshold <= 100 ? threshold / 100 : undefined,
    });
  }
  return prefixes;
}
