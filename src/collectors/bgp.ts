/**
 * The `bgp` collector: BGP sessions of the selected devices (`/api/v0/bgp`), their prefix counters per
 * address family (`/api/v0/routing/bgp/cbgp`) and VRF names (`/api/v0/routing/vrf`). Each route is
 * read at most once per CACHE_TTL_SECONDS for the whole install, whatever the number of scopes, and
 * each scope keeps its own devices' rows.
 */
import { asError } from '../errors.js';
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import type { LibreNmsClient } from '../librenms/client.js';
import { BGP_STATES, type BgpPeerRecord, type BgpPrefixRecord, mapBgpPeers, mapBgpPrefixes, vrfNames } from '../mapping/bgp.js';
import { readInteger } from '../mapping/values.js';
import { SharedValue } from '../util/single-flight.js';
import type { Collector } from './collector.js';

/** The install-wide reads of the bgp collector, kept between refreshes. */
class BgpReads {
  readonly peers: SharedValue<unknown[]>;
  readonly counters: SharedValue<unknown[]>;
  readonly vrfs: SharedValue<unknown[]>;

  constructor(client: LibreNmsClient, ttlMs: number, now: () => number) {
    this.peers = new SharedValue(() => client.listBgpPeers(), ttlMs, now);
    this.counters = new SharedValue(() => client.listBgpCounters(), ttlMs, now);
    this.vrfs = new SharedValue(() => client.listVrfs(), ttlMs, now);
  }
}

/** Writes the peer and prefix families. */
export function writeBgp(sink: SampleSink, peers: readonly BgpPeerRecord[], prefixes: readonly BgpPrefixRecord[]): void {
  const peerNames = ['hostname', 'peer_address', 'remote_as', 'vrf'];
  const peerValues = (p: BgpPeerRecord): string[] => [p.device.hostname, p.peerAddress, p.remoteAs, p.vrf];
  const id = labelsEach(sink, peers, peerNames, peerValues);
  sampleEach(sink, 'librenms_bgp_peer_state', peers, id, (p) => p.state);
  const fsm = sink.family('librenms_bgp_peer_fsm_state');
  for (const peer of peers) {
    if (peer.state === undefined) continue;
    BGP_STATES.forEach((name, index) => {
      sink.sample(fsm, sink.labels([...peerNames, 'state'], [...peerValues(peer), name]), peer.state === index + 1 ? 1 : 0);
    });
  }
  sampleEach(sink, 'librenms_bgp_peer_admin_status', peers, id, (p) => p.adminStatus);
  sampleEach(sink, 'librenms_bgp_peer_established_seconds', peers, id, (p) => p.establishedSeconds);
  sampleEach(
    sink,
    'librenms_bgp_peer_info',
    peers,
    (p) => sink.labels([...peerNames, 'description', 'as_name', 'local_address'], [...peerValues(p), p.description, p.asName, p.localAddress]),
    () => 1,
  );
  const prefixId = labelsEach(sink, prefixes, [...peerNames, 'afi', 'safi'], (x) => [...peerValues(x.peer), x.afi, x.safi]);
  sampleEach(sink, 'librenms_bgp_peer_accepted_prefixes', prefixes, prefixId, (x) => x.accepted);
  sampleEach(sink, 'librenms_bgp_peer_denied_prefixes', prefixes, prefixId, (x) => x.denied);
  sampleEach(sink, 'librenms_bgp_peer_advertised_prefixes', prefixes, prefixId, (x) => x.advertised);
  sampleEach(sink, 'librenms_bgp_peer_suppressed_prefixes', prefixes, prefixId, (x) => x.suppressed);
  sampleEach(sink, 'librenms_bgp_peer_withdrawn_prefixes', prefixes, prefixId, (x) => x.withdrawn);
  sampleEach(sink, 'librenms_bgp_peer_prefix_limit', prefixes, prefixId, (x) => x.limit);
  sampleEach(sink, 'librenms_bgp_peer_prefix_limit_threshold_ratio', prefixes, prefixId, (x) => x.limitThresholdRatio);
}

export const bgpCollector: Collector = {
  name: 'bgp',
  enabledByDefault: true,
  description: 'BGP sessions: state (number and FSM name), admin status, established time, prefix counters per address family',
  // A normal user's token is refused /bgp up to 26.7 (routes/api.php, the can:global-read group); cbgp
  // and vrf are not refused but filtered to its devices (list_cbgp, list_vrf).
  endpoints: ['/bgp', '/routing/bgp/cbgp', '/routing/vrf'],
  families: [
    'librenms_bgp_peer_state',
    'librenms_bgp_peer_fsm_state',
    'librenms_bgp_peer_admin_status',
    'librenms_bgp_peer_established_seconds',
    'librenms_bgp_peer_info',
    'librenms_bgp_peer_accepted_prefixes',
    'librenms_bgp_peer_denied_prefixes',
    'librenms_bgp_peer_advertised_prefixes',
    'librenms_bgp_peer_suppressed_prefixes',
    'librenms_bgp_peer_withdrawn_prefixes',
    'librenms_bgp_peer_prefix_limit',
    'librenms_bgp_peer_prefix_limit_threshold_ratio',
  ],
  async collect(input, sink) {
    const reads = input.memory(() => new BgpReads(input.client, input.config.cacheTtlMs, input.now));
    const rows = await reads.peers.get();
    const partialErrors: Error[] = [];
    // VRF names only when a peer is in a VRF LibreNMS knows. A failed read keeps the names read before:
    // without them the vrf label of those peers would change, so with none read yet the collector fails.
    let vrfs = new Map<number, string>();
    if (rows.some((row) => readInteger((row as Record<string, unknown> | null)?.['vrf_id']) !== undefined)) {
      try {
        vrfs = vrfNames(await reads.vrfs.get());
      } catch (error) {
        const last = reads.vrfs.last;
        if (last === undefined) throw error;
        vrfs = vrfNames(last);
        partialErrors.push(asError(error));
      }
    }
    const peers = mapBgpPeers(rows, input.selection.devices, vrfs);
    let prefixes: BgpPrefixRecord[] = [];
    if (rows.length > 0) {
      try {
        prefixes = mapBgpPrefixes(await reads.counters.get(), peers);
      } catch (error) {
        partialErrors.push(asError(error));
      }
    }
    writeBgp(sink, peers, prefixes);
    return { summary: { bgp_peers: peers.length, bgp_prefix_families: prefixes.length }, partialErrors };
  },
};
