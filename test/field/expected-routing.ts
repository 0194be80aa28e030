/**
 * What the bgp, ospf, services and pollers collectors must export, computed from the database rows of
 * a real LibreNMS (never from the exporter's code): docs/metrics.md's contract for those families,
 * written out once more. expected.ts adds these samples to the whole exposition's.
 */
import { versionAtLeast } from '../../librenms-double/format.js';
import type { ExpectedSample } from './expected.js';
import { type FieldInstance, selectRows } from './lnms.js';

const BGP_STATES = ['idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'];
const BGP_ADMIN: Readonly<Record<string, number>> = { stop: 1, halted: 1, adminshutdown: 1, start: 2, running: 2 };
const OSPF_NEIGHBOR_STATES = ['down', 'attempt', 'init', 'twoway', 'exchangestart', 'exchange', 'loading', 'full'];
const OSPF_INTERFACE_STATES = ['down', 'loopback', 'waiting', 'pointtopoint', 'designatedrouter', 'backupdesignatedrouter', 'otherdesignatedrouter'];
const OSPF_ADMIN: Readonly<Record<string, number>> = { enabled: 1, disabled: 2 };

const num = (value: unknown): number | undefined => (value === null || value === undefined || value === '' ? undefined : Number(value));
const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
/** The 1-based position of a name (case-insensitive) in a MIB's list, or undefined. */
const position = (names: readonly string[], value: unknown): number | undefined => {
  const index = names.indexOf(text(value).toLowerCase());
  return index === -1 ? undefined : index + 1;
};

/** Samples, and the function that adds one (an unknown value is left out, as the exporter leaves it out). */
function collect(): { samples: ExpectedSample[]; add: (name: string, labels: Record<string, string>, value: number | undefined) => void } {
  const samples: ExpectedSample[] = [];
  return {
    samples,
    add: (name, labels, value) => {
      if (value !== undefined && Number.isFinite(value)) samples.push({ name, labels, value });
    },
  };
}

/**
 * The routing and LibreNMS samples for an admin (or global-read) token with the default settings, on
 * the devices of `hostnames` (the exported ones, by device id).
 */
export function expectedRouting(instance: FieldInstance, hostnames: ReadonlyMap<number, string>): ExpectedSample[] {
  const { samples, add } = collect();

  // BGP: the VRF's name, else the context, else ''. Every cbgp row of the data set has one peer with its address.
  const peers = selectRows(
    instance,
    {
      id: 'bgpPeer_id',
      device_id: 'bgpPeers.device_id',
      peer: 'bgpPeerIdentifier',
      remote_as: 'bgpPeerRemoteAs',
      state: 'bgpPeerState',
      admin: 'bgpPeerAdminStatus',
      established: 'bgpPeerFsmEstablishedTime',
      description: 'bgpPeerDescr',
      as_name: 'astext',
      local_address: 'bgpLocalAddr',
      vrf: "COALESCE(vrfs.vrf_name, NULLIF(context_name, ''), '')",
    },
    "bgpPeers LEFT JOIN vrfs ON vrfs.vrf_id = bgpPeers.vrf_id WHERE bgpPeerState != ''",
  );
  const peerLabels = new Map<string, Record<string, string>>();
  for (const p of peers) {
    const hostname = hostnames.get(Number(p['device_id']));
    if (hostname === undefined) continue;
    const id = { hostname, peer_address: text(p['peer']), remote_as: text(p['remote_as']), vrf: text(p['vrf']) };
    peerLabels.set(`${text(p['device_id'])} ${text(p['peer'])}`, id);
    const state = position(BGP_STATES, p['state']);
    add('librenms_bgp_peer_state', id, state);
    if (state !== undefined) BGP_STATES.forEach((name, i) => add('librenms_bgp_peer_fsm_state', { ...id, state: name }, state === i + 1 ? 1 : 0));
    add('librenms_bgp_peer_admin_status', id, BGP_ADMIN[text(p['admin']).toLowerCase()]);
    add('librenms_bgp_peer_established_seconds', id, num(p['established']));
    add('librenms_bgp_peer_info', { ...id, description: text(p['description']), as_name: text(p['as_name']), local_address: text(p['local_address']) }, 1);
  }
  const counters = selectRows(
    instance,
    {
      device_id: 'device_id',
      peer: 'bgpPeerIdentifier',
      afi: 'afi',
      safi: 'safi',
      accepted: 'AcceptedPrefixes',
      denied: 'DeniedPrefixes',
      advertised: 'AdvertisedPrefixes',
      suppressed: 'SuppressedPrefixes',
      withdrawn: 'WithdrawnPrefixes',
      limit: 'PrefixAdminLimit',
      threshold: 'PrefixThreshold',
    },
    'bgpPeers_cbgp',
  );
  for (const c of counters) {
    const peer = peerLabels.get(`${text(c['device_id'])} ${text(c['peer'])}`);
    if (peer === undefined) continue;
    const id = { ...peer, afi: text(c['afi']), safi: text(c['safi']) };
    add('librenms_bgp_peer_accepted_prefixes', id, num(c['accepted']));
    add('librenms_bgp_peer_denied_prefixes', id, num(c['denied']));
    add('librenms_bgp_peer_advertised_prefixes', id, num(c['advertised']));
    add('librenms_bgp_peer_suppressed_prefixes', id, num(c['suppressed']));
    add('librenms_bgp_peer_withdrawn_prefixes', id, num(c['withdrawn']));
    const limit = num(c['limit']) ?? 0;
    // No maximum-prefix (0): neither the limit nor its threshold.
    if (limit > 0) {
      add('librenms_bgp_peer_prefix_limit', id, limit);
      add('librenms_bgp_peer_prefix_limit_threshold_ratio', id, (num(c['threshold']) ?? Number.NaN) / 100);
    }
  }

  const neighbors = selectRows(
    instance,
    { device_id: 'device_id', address: 'ospfNbrIpAddr', router_id: 'ospfNbrRtrId', state: 'ospfNbrState', vrf: "COALESCE(context_name, '')" },
    "ospf_nbrs WHERE ospfNbrState != ''",
  );
  for (const n of neighbors) {
    const hostname = hostnames.get(Number(n['device_id']));
    if (hostname === undefined) continue;
    add(
      'librenms_ospf_neighbor_state',
      { hostname, neighbor_address: text(n['address']), neighbor_router_id: text(n['router_id']), vrf: text(n['vrf']) },
      position(OSPF_NEIGHBOR_STATES, n['state']),
    );
  }
  const interfaces = selectRows(
    instance,
    {
      device_id: 'device_id',
      port_id: 'port_id',
      address: 'ospfIfIpAddress',
      area: 'ospfIfAreaId',
      state: 'ospfIfState',
      admin: 'ospfIfAdminStat',
      cost: 'ospfIfMetricValue',
      vrf: "COALESCE(context_name, '')",
    },
    'ospf_ports',
  );
  for (const i of interfaces) {
    const hostname = hostnames.get(Number(i['device_id']));
    if (hostname === undefined) continue;
    const id = { hostname, address: text(i['address']), area: text(i['area']), vrf: text(i['vrf']), port_id: text(i['port_id']) };
    add('librenms_ospf_interface_state', id, position(OSPF_INTERFACE_STATES, i['state']));
    add('librenms_ospf_interface_admin_status', id, OSPF_ADMIN[text(i['admin']).toLowerCase()]);
    add('librenms_ospf_interface_cost', id, num(i['cost']));
  }

  const services = selectRows(
    instance,
    {
      id: 'service_id',
      device_id: 'device_id',
      type: 'service_type',
      name: 'service_name',
      description: 'service_desc',
      ip: 'service_ip',
      status: 'service_status',
      changed: 'service_changed',
      disabled: 'service_disabled',
      ignored: 'service_ignore',
    },
    'services',
  );
  for (const s of services) {
    const hostname = hostnames.get(Number(s['device_id']));
    if (hostname === undefined) continue;
    const id = { hostname, service_id: text(s['id']), service_type: text(s['type']), service_name: text(s['name']) };
    add('librenms_service_status', id, num(s['status']));
    // 0: never changed, unknown.
    add('librenms_service_last_change_timestamp_seconds', id, num(s['changed']) === 0 ? undefined : num(s['changed']));
    add('librenms_service_disabled', id, num(s['disabled']));
    add('librenms_service_ignored', id, num(s['ignored']));
    add('librenms_service_info', { ...id, description: text(s['description']), ip: text(s['ip']) }, 1);
  }

  samples.push(...expectedPollers(instance));
  return samples;
}

/**
 * The pollers of the database as `/pollers` lists them from 26.1 (PR #18742): the dispatcher's nodes
 * while any exist, else the poller-wrapper's rows; nothing before 26.1.
 */
export function expectedPollers(instance: FieldInstance): ExpectedSample[] {
  if (!versionAtLeast(instance.version, '26.1.0')) return [];
  const { samples, add } = collect();
  const nodes = selectRows(
    instance,
    { id: 'id', node_id: 'node_id', poller: 'poller_name', groups: 'poller_groups', last_report: 'UNIX_TIMESTAMP(last_report)', master: 'master' },
    'poller_cluster',
  );
  if (nodes.length > 0) {
    const names = new Map<number, string>();
    for (const n of nodes) {
      const poller = text(n['poller']);
      names.set(Number(n['id']), poller);
      add('librenms_poller_info', { poller, kind: 'dispatcher', node_id: text(n['node_id']), groups: text(n['groups']) }, 1);
      add('librenms_poller_last_report_timestamp_seconds', { poller }, num(n['last_report']));
      add('librenms_poller_master', { poller }, num(n['master']));
    }
    const stats = selectRows(
      instance,
      {
        parent: 'parent_poller',
        type: 'poller_type',
        depth: 'depth',
        devices: 'devices',
        worker_seconds: 'worker_seconds',
        workers: 'workers',
        frequency: 'frequency',
      },
      'poller_cluster_stats',
    );
    for (const s of stats) {
      const poller = names.get(Number(s['parent']));
      if (poller === undefined) continue;
      const id = { poller, type: text(s['type']) };
      add('librenms_poller_devices', id, num(s['devices']));
      add('librenms_poller_worker_busy_seconds', id, num(s['worker_seconds']));
      add('librenms_poller_workers', id, num(s['workers']));
      add('librenms_poller_interval_seconds', id, num(s['frequency']));
      add('librenms_poller_queue_depth', id, num(s['depth']));
    }
    return samples;
  }
  const rows = selectRows(
    instance,
    { poller: 'poller_name', last_polled: 'UNIX_TIMESTAMP(last_polled)', devices: 'devices', time_taken: 'time_taken' },
    'pollers',
  );
  for (const p of rows) {
    const poller = text(p['poller']);
    add('librenms_poller_info', { poller, kind: 'wrapper', node_id: '', groups: '' }, 1);
    add('librenms_poller_last_report_timestamp_seconds', { poller }, num(p['last_polled']));
    add('librenms_poller_run_duration_seconds', { poller }, num(p['time_taken']));
    add('librenms_poller_devices', { poller, type: 'poller' }, num(p['devices']));
  }
  return samples;
}
