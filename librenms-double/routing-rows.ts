/**
 * Routing, services and pollers rows with the values LibreNMS stores when nothing odd happened, so that
 * a data set (the field lane's seed-routing.ts, the benchmark's synthetic-extra.ts) writes only what
 * matters to it. Column order is the tables' (state.ts).
 */
import {
  POLLER_NODE_SETTINGS,
  type SimBgpCounter,
  type SimBgpPeer,
  type SimOspfNeighbor,
  type SimOspfPort,
  type SimPollerNode,
  type SimService,
} from './state.js';

/** A bgpPeers row: admin status start, no error, no counts, in no VRF; the remote address is the identifier. */
export function bgpPeerRow(
  p: Partial<SimBgpPeer> & Pick<SimBgpPeer, 'bgpPeer_id' | 'device_id' | 'bgpPeerIdentifier' | 'bgpPeerRemoteAs' | 'bgpPeerState'>,
): SimBgpPeer {
  return {
    vrf_id: null,
    astext: '',
    bgpPeerAdminStatus: 'start',
    bgpPeerLastErrorCode: 0,
    bgpPeerLastErrorSubCode: 0,
    bgpPeerLastErrorText: null,
    bgpPeerIface: null,
    bgpLocalAddr: '0.0.0.0',
    bgpPeerRemoteAddr: p.bgpPeerIdentifier,
    bgpPeerDescr: '',
    bgpPeerInUpdates: 0,
    bgpPeerOutUpdates: 0,
    bgpPeerInTotalMessages: 0,
    bgpPeerOutTotalMessages: 0,
    bgpPeerFsmEstablishedTime: 0,
    bgpPeerInUpdateElapsedTime: 0,
    context_name: '',
    ...p,
  };
}

/** A bgpPeers_cbgp row from its counts (no limit unless given, threshold 75 %), with small deltas since the last poll. */
export function bgpCounterRow(
  device_id: number,
  bgpPeerIdentifier: string,
  afi: string,
  safi: string,
  counts: { accepted: number; denied?: number; advertised?: number; suppressed?: number; withdrawn?: number; limit?: number; threshold?: number },
  context_name = '',
): SimBgpCounter {
  const { accepted, denied = 0, advertised = 0, suppressed = 0, withdrawn = 0, limit = 0, threshold = 75 } = counts;
  return {
    device_id,
    bgpPeerIdentifier,
    afi,
    safi,
    AcceptedPrefixes: accepted,
    DeniedPrefixes: denied,
    PrefixAdminLimit: limit,
    PrefixThreshold: threshold,
    PrefixClearThreshold: threshold - 5,
    AdvertisedPrefixes: advertised,
    SuppressedPrefixes: suppressed,
    WithdrawnPrefixes: withdrawn,
    AcceptedPrefixes_delta: 5,
    AcceptedPrefixes_prev: Math.max(0, accepted - 5),
    DeniedPrefixes_delta: 0,
    DeniedPrefixes_prev: denied,
    AdvertisedPrefixes_delta: 0,
    AdvertisedPrefixes_prev: advertised,
    SuppressedPrefixes_delta: 0,
    SuppressedPrefixes_prev: suppressed,
    WithdrawnPrefixes_delta: 1,
    WithdrawnPrefixes_prev: Math.max(0, withdrawn - 1),
    context_name,
  };
}

/** An ospf_nbrs row of a dynamic broadcast neighbour on no known port. */
export function ospfNeighborRow(
  n: Partial<SimOspfNeighbor> & Pick<SimOspfNeighbor, 'id' | 'device_id' | 'ospfNbrIpAddr' | 'ospfNbrRtrId' | 'ospfNbrState'>,
): SimOspfNeighbor {
  return {
    port_id: null,
    ospf_nbr_id: `${n.ospfNbrIpAddr}.0`,
    ospfNbrAddressLessIndex: 0,
    ospfNbrOptions: 2,
    ospfNbrPriority: 1,
    ospfNbrEvents: 6,
    ospfNbrLsRetransQLen: 0,
    ospfNbmaNbrStatus: 'active',
    ospfNbmaNbrPermanence: 'dynamic',
    ospfNbrHelloSuppressed: 'false',
    context_name: '',
    ...n,
  };
}

/** An ospf_ports row of an enabled broadcast interface with cost 10 and no authentication. */
export function ospfPortRow(
  p: Partial<SimOspfPort> & Pick<SimOspfPort, 'id' | 'device_id' | 'port_id' | 'ospfIfIpAddress' | 'ospfIfAreaId' | 'ospfIfState'>,
): SimOspfPort {
  return {
    ospf_port_id: `${p.ospfIfIpAddress}.${p.port_id}`,
    ospfAddressLessIf: 0,
    ospfIfType: 'broadcast',
    ospfIfAdminStat: 'enabled',
    ospfIfRtrPriority: 1,
    ospfIfTransitDelay: 1,
    ospfIfRetransInterval: 5,
    ospfIfHelloInterval: 10,
    ospfIfRtrDeadInterval: 40,
    ospfIfPollInterval: 120,
    ospfIfDesignatedRouter: '0.0.0.0',
    ospfIfBackupDesignatedRouter: '0.0.0.0',
    ospfIfEvents: 3,
    // What the MIB gives for the key: a placeholder, never exported.
    ospfIfAuthKey: '0x00',
    ospfIfStatus: 'active',
    ospfIfMulticastForwarding: 'blocked',
    ospfIfDemand: 'false',
    ospfIfAuthType: 'none',
    ospfIfMetricIpAddress: p.ospfIfIpAddress,
    ospfIfMetricAddressLessIf: 0,
    ospfIfMetricTOS: 0,
    ospfIfMetricValue: 10,
    ospfIfMetricStatus: 'active',
    context_name: '',
    ...p,
  };
}

/** A services row: checked, never changed, neither ignored nor disabled, no IP (the device's hostname is checked). */
export function serviceRow(s: Partial<SimService> & Pick<SimService, 'service_id' | 'device_id' | 'service_type' | 'service_status'>): SimService {
  return {
    service_ip: null,
    service_desc: null,
    service_param: '',
    service_ignore: 0,
    service_changed: 0,
    service_message: null,
    service_disabled: 0,
    service_ds: '',
    service_template_id: 0,
    service_name: null,
    ...s,
  };
}

/** A poller_cluster row; the per-node settings not given are null (LibreNMS's defaults apply). */
export function pollerNodeRow(
  n: Pick<SimPollerNode, 'id' | 'node_id' | 'poller_name' | 'poller_groups' | 'last_report' | 'master'>,
  settings: Record<string, number | string> = {},
): SimPollerNode {
  const row = { poller_version: 'librenms-service', ...n } as SimPollerNode;
  for (const name of POLLER_NODE_SETTINGS) row[name] = settings[name] ?? null;
  return row;
}
