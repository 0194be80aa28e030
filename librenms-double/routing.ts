/**
 * The double's routing routes and LibreNMS's own pollers: `/bgp`, `/routing/bgp/cbgp`, `/routing/vrf`,
 * `/ospf`, `/ospf_ports`, `/services` and `/pollers`, as list_bgp, list_cbgp, list_vrf, list_ospf,
 * list_ospf_ports, list_services and list_pollers answer them (includes/html/api_functions.inc.php,
 * the same in 22.11, 25.4 and 26.7 but for /pollers, which came in 26.1.0). The role checks of
 * routes/api.php (can:global-read) are applied where api.ts registers the routes. Query filters
 * (`?hostname=`, `?asn=`, `?state=`, …) are not modelled: the exporter sends none.
 */

import { isoDate, sqlDate, versionAtLeast } from './format.js';
import { apiError, forbidden, type Handler, readsAll, success } from './reply.js';
import {
  BGP_COUNTER_COLUMNS,
  BGP_PEER_COLUMNS,
  OSPF_NEIGHBOR_COLUMNS,
  OSPF_PORT_COLUMNS,
  POLLER_COLUMNS,
  POLLER_NODE_COLUMNS,
  POLLER_STAT_COLUMNS,
  SERVICE_COLUMNS,
  type SimUser,
  VRF_COLUMNS,
} from './state.js';

type Row = Record<string, unknown>;

/** A row as `SELECT *` gives it: the table's columns in order. */
function rowOf<T extends object>(columns: readonly (keyof T & string)[], item: T): Row {
  const row: Row = {};
  for (const c of columns) row[c] = item[c];
  return row;
}

/**
 * The devices a user's rows are filtered to in list_cbgp and list_vrf: only `devices_perms`, not the
 * members of device groups given to the user (`device_id IN (SELECT device_id FROM devices_perms …)`);
 * undefined for admin and global-read, who see every row.
 */
function permittedDevices(user: SimUser | undefined): ReadonlySet<number> | undefined {
  return readsAll(user) || user === undefined ? undefined : new Set(user.deviceIds ?? []);
}

/** list_bgp: `SELECT bgpPeers.* … WHERE bgpPeerState IS NOT NULL AND bgpPeerState != ''`: peers never polled are left out. */
export const listBgp: Handler = (state, s) =>
  success(
    s,
    state.bgpPeers.filter((p) => p.bgpPeerState !== '').map((p) => rowOf(BGP_PEER_COLUMNS, p)),
    'bgp_sessions',
  );

/** list_cbgp: every row (a user: its devices_perms devices'), 404 "BGP counters does not exist" when none. */
export const listCbgp: Handler = (state, s, req) => {
  const allowed = permittedDevices(req.user);
  const rows = state.bgpCounters.filter((c) => allowed === undefined || allowed.has(c.device_id)).map((c) => rowOf(BGP_COUNTER_COLUMNS, c));
  if (rows.length === 0) return apiError(404, 'BGP counters does not exist');
  return success(s, rows, 'bgp_counters');
};

/** list_vrf: VRFs with a name (a user: its devices_perms devices'), 404 "VRFs do not exist" when none. */
export const listVrf: Handler = (state, s, req) => {
  const allowed = permittedDevices(req.user);
  const rows = state.vrfs.filter((v) => v.vrf_name !== null && (allowed === undefined || allowed.has(v.device_id))).map((v) => rowOf(VRF_COLUMNS, v));
  if (rows.length === 0) return apiError(404, 'VRFs do not exist');
  return success(s, rows, 'vrfs');
};

/** list_ospf: neighbours with a state (`ospfNbrState IS NOT NULL AND != ''`); empty is 200 `[]`. */
export const listOspf: Handler = (state, s) =>
  success(
    s,
    state.ospfNeighbors.filter((n) => n.ospfNbrState !== '').map((n) => rowOf(OSPF_NEIGHBOR_COLUMNS, n)),
    'ospf_neighbours',
  );

/**
 * list_ospf_ports: `OspfPort::hasAccess(user)->get()` (the model has no casts: the table's columns as
 * stored), with the count passed explicitly; 404 "Ospf ports do not exist" when none.
 */
export const listOspfPorts: Handler = (state, s) => {
  if (state.ospfPorts.length === 0) return apiError(404, 'Ospf ports do not exist');
  return success(
    s,
    state.ospfPorts.map((p) => rowOf(OSPF_PORT_COLUMNS, p)),
    'ospf_ports',
  );
};

/** MySQL's ORDER BY on a text column: NULL first, then case-insensitively. */
function byText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * list_services: `$services = [dbFetchRows(... ORDER BY service_ip)]` — the rows wrapped in one more
 * list "for backwards compat", so `count` is always 1, even with no service (`[[]]`).
 */
export const listServices: Handler = (state, s) => {
  const rows = [...state.services].sort((a, b) => byText(a.service_ip, b.service_ip)).map((x) => rowOf(SERVICE_COLUMNS, x));
  return success(s, [rows], 'services');
};

/**
 * list_pollers (26.1.0 and later, PR #18742): `PollerCluster::with('stats')->get()` (last_report cast
 * to ISO 8601, the stats relation last, in the order of its unique key: poller_type), else, when no
 * dispatcher node ever reported, `Poller::get()` (no casts: last_polled as the database's text, in
 * LibreNMS's zone). Eloquent collections: no `count`. Before 26.1.0 the path is api_not_found's, for
 * every role.
 */
export const listPollers: Handler = (state, s, req) => {
  if (!versionAtLeast(s.version, '26.1.0')) return apiError(404, "This API route doesn't exist.");
  // routes/api.php: in the can:global-read group (from 26.8 a policy no user role passes by default).
  if (!readsAll(req.user)) return forbidden();
  if (state.pollerNodes.length > 0) {
    const rows = state.pollerNodes.map((node) => {
      const row: Row = {};
      for (const c of POLLER_NODE_COLUMNS) row[c] = c === 'last_report' ? isoDate(node.last_report) : node[c as keyof typeof node];
      row['stats'] = state.pollerStats
        .filter((x) => x.parent_poller === node.id)
        .sort((a, b) => byText(a.poller_type, b.poller_type))
        .map((x) => rowOf(POLLER_STAT_COLUMNS, x));
      return row;
    });
    return success(s, rows, 'pollers', { collection: true });
  }
  const shift = (state.utcOffsetMinutes ?? 0) * 60;
  // The spread keeps last_polled in its column's place.
  const rows = state.pollers.map((p) => ({ ...rowOf(POLLER_COLUMNS, p), last_polled: sqlDate(p.last_polled + shift) }));
  return success(s, rows, 'pollers', { collection: true });
};
