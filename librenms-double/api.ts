/**
 * The LibreNMS API v0 read handlers, as pure functions of (state, request) => reply.
 * Behaviour follows LibreNMS's own code: includes/html/api_functions.inc.php and the Eloquent
 * models (app/Models). ../shared/librenms-api.md is a digest of them that can be wrong.
 */

import { calculatePercent, decimalString, formatBi, formatSi, isoDate, likeMatcher, mysqlInt, readableMac, sqlDate, versionAtLeast } from './format.js';
import { deviceWirelessSensors, healthGraphs, wirelessGraphs } from './health.js';
import { encodePhpJson } from './json.js';
import { type ApiRequest, type ApiSettings, apiError, forbidden, type Handler, json, type Reply, readsAll, serverError, success } from './reply.js';
import { listBgp, listCbgp, listOspf, listOspfPorts, listPollers, listServices, listVrf } from './routing.js';
import { compareSql, devicesForUser, lookupDevice, ReplyError, type Row, sensorRow, validateColumns } from './rows.js';
import {
  ALERT_COLUMNS,
  alertRuleColumns,
  DEVICE_COLUMNS,
  DEVICE_DATE_COLUMNS,
  deviceColumns,
  PORT_COLUMN_SET,
  PORT_COLUMNS,
  portColumns,
  type SimAlertRule,
  type SimDevice,
  type SimPort,
  type SimPort as SimPortRow,
  type SimState,
  type SimUser,
} from './state.js';

// ---------------------------------------------------------------------------------------------
// what a token may read (LibreNMS/Cache/PermissionsCache.php, app/Models/BaseModel.php)

/** Port::scopeHasAccess (hasPortAccess): ports given directly, or any port of a device the user may read */
function portFilter(state: SimState, user: SimUser | undefined): (p: SimPortRow) => boolean {
  if (readsAll(user) || user === undefined) return () => true;
  const devices = devicesForUser(state, user);
  const ports = new Set(user.portIds ?? []);
  return (p) => devices.has(p.device_id) || ports.has(p.port_id);
}

/**
 * Up to 26.7 the `can:global-read` middleware guards /alerts, /rules, /devicegroups and
 * /resources/locations (routes/api.php). LibreNMS master after 26.7.0 (PR #20139, "API permissions")
 * guards them with model policies instead, and every `user` may view alerts and device groups
 * (app/Policies/ChecksGlobalPermissions.php).
 */
function globalRead(handler: Handler, userFromVersion?: string): Handler {
  return (state, s, req, params) => {
    if (readsAll(req.user)) return handler(state, s, req, params);
    if (userFromVersion !== undefined && versionAtLeast(s.version, userFromVersion)) return handler(state, s, req, params);
    return forbidden();
  };
}

// ---------------------------------------------------------------------------------------------
// row shaping

const ICONS: Record<string, string> = {
  routeros: 'mikrotik',
  iosxe: 'cisco',
  ios: 'cisco',
  iosxr: 'cisco',
  nxos: 'cisco',
  linux: 'linux',
  unifi: 'ubiquiti',
  pfsense: 'pfsense',
  junos: 'junos',
};

function locationOf(state: SimState, d: SimDevice) {
  return d.location_id === null ? undefined : state.locations.find((l) => l.id === d.location_id);
}

/**
 * `locations.lat`/`lng` as raw SQL gives them: FLOAT(10,6) columns, so JSON numbers, until the Laravel 11
 * migration 2025_04_15_122034_laravel_11_fix_types.php (25.5.0) made them DECIMAL(10,8), which PDO gives as
 * strings with 8 decimals.
 */
function rawCoordinate(s: ApiSettings, v: number | null): number | string | null {
  return versionAtLeast(s.version, '25.5.0') ? decimalString(v, 8) : v;
}

/** list_devices row: d.* raw + dependency parents + location join */
function rawDeviceRow(state: SimState, s: ApiSettings, d: SimDevice): Row {
  const row: Row = {};
  // raw SQL gives zone-less dates in the zone PHP wrote them in (the poller's: state.utcOffsetMinutes)
  const shift = (state.utcOffsetMinutes ?? 0) * 60;
  for (const c of deviceColumns(s.version)) {
    const v = d[c];
    row[c] = DEVICE_DATE_COLUMNS.has(c) ? sqlDate(v === null ? null : (v as number) + shift) : v;
  }
  row['ip'] = d.ip ?? ''; // inet6_ntop('') => ''
  const parents = state.deviceRelationships
    .filter((r) => r.child_device_id === d.device_id)
    .map((r) => state.devices.find((x) => x.device_id === r.parent_device_id))
    .filter((x): x is SimDevice => x !== undefined);
  row['dependency_parent_id'] = parents.length ? parents.map((p) => p.device_id).join(',') : null;
  row['dependency_parent_hostname'] = parents.length ? parents.map((p) => p.hostname).join(',') : null;
  const loc = locationOf(state, d);
  row['location'] = d.location_id === null ? null : d.location;
  row['lat'] = loc ? rawCoordinate(s, loc.lat) : null;
  row['lng'] = loc ? rawCoordinate(s, loc.lng) : null;
  return row;
}

const DEVICE_BOOL_CASTS_NEW = new Set([
  'status',
  'ignore',
  'disabled',
  'snmp_disable',
  'disable_notify',
  'override_sysLocation',
  'ignore_status',
  'mtu_status',
]);
/**
 * The device dates app/Models/Device.php casts to `datetime` (ISO 8601 in UTC), by release: last_polled
 * always, inserted from 23.10.0 (#15369), last_discovered and last_ping from 23.11.0 (#15518). The others
 * come as the database's text.
 */
function deviceIsoCasts(version: string): ReadonlySet<string> {
  return new Set([
    'last_polled',
    ...(versionAtLeast(version, '23.10.0') ? ['inserted'] : []),
    ...(versionAtLeast(version, '23.11.0') ? ['last_discovered', 'last_ping'] : []),
  ]);
}

/** Device::toArray() with the model casts */
function eloquentDevice(state: SimState, s: ApiSettings, d: SimDevice): Row {
  const allBools = versionAtLeast(s.version, '25.9.0');
  const isoCasts = deviceIsoCasts(s.version);
  // an uncast date is the database's text, as raw SQL gives it (rawDeviceRow)
  const shift = (state.utcOffsetMinutes ?? 0) * 60;
  const row: Row = {};
  for (const c of deviceColumns(s.version)) {
    const v = d[c];
    if (isoCasts.has(c)) row[c] = isoDate(v as number | null);
    else if (DEVICE_DATE_COLUMNS.has(c)) row[c] = sqlDate(v === null ? null : (v as number) + shift);
    else if (c === 'status' || (allBools && DEVICE_BOOL_CASTS_NEW.has(c))) row[c] = v === null ? null : Boolean(v);
    else if (c === 'icon') row[c] = `images/os/${ICONS[d.os ?? ''] ?? d.os ?? 'generic'}.svg`;
    else row[c] = v;
  }
  return row;
}

/**
 * get_device (includes/html/api_functions.inc.php): the Eloquent row (Device::toArray()) plus what each
 * release adds to it.
 * - Up to 26.3: device_by_id_cache() (includes/common.php) adds the location's name, `lat` and `lng`
 *   (app/Models/Location.php casts them to float), and up to 23.9 the device's `attribs`
 *   (Device::getAttribs(), an empty list for a device without attributes; removed in #15429, 23.10.0).
 * - 26.4: device_by_id_cache() is the bare Device::toArray() (#19434).
 * - From 26.5 (#19622): `$device['location'] = $device->location?->location` overwrites the relation
 *   with the name, so the next line's `$device->location?->lat` reads a property of a string: a 500 for
 *   every device with a location; a device without one gets `location`, `lat`, `lng` null.
 */
function getDeviceRow(state: SimState, s: ApiSettings, d: SimDevice): Row {
  const row = eloquentDevice(state, s, d);
  const loc = locationOf(state, d);
  if (versionAtLeast(s.version, '26.5.0')) {
    if (loc !== undefined) throw new ReplyError(serverError()); // "Attempt to read property "lat" on string"
    row['location'] = null;
    row['lat'] = null;
    row['lng'] = null;
  } else if (!versionAtLeast(s.version, '26.4.0')) {
    row['location'] = loc?.location ?? null; // $model->location->location: the Location row's name
    row['lat'] = loc?.lat ?? null;
    row['lng'] = loc?.lng ?? null;
    if (!versionAtLeast(s.version, '23.10.0')) row['attribs'] = [];
  }
  return row;
}

const STATUS_COLUMNS = new Set(['ifOperStatus', 'ifOperStatus_prev', 'ifAdminStatus', 'ifAdminStatus_prev']);
const IF_OPER_STATUS = new Set(['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown']);

/** Port model select($columns): accessor on ifPhysAddress, enum cast on the status columns */
function eloquentPort(s: ApiSettings, p: SimPort, columns: readonly string[]): Row {
  const row: Row = {};
  for (const c of columns) {
    let v = p[c as keyof SimPort] as unknown;
    if (c === 'ifPhysAddress') v = readableMac(v as string | null);
    else if (STATUS_COLUMNS.has(c) && v !== null && s.operStatusMode !== 'raw' && !IF_OPER_STATUS.has(v as string)) {
      if (s.operStatusMode === 'enum-500') throw new ReplyError(serverError());
      v = null;
    }
    row[c] = v;
  }
  return row;
}

/** A `SELECT *` row of `ports` (raw SQL: no accessor, no cast), with the columns of LibreNMS `version` */
function rawPort(s: ApiSettings, p: SimPort): Row {
  const row: Row = {};
  for (const c of portColumns(s.version)) row[c.name] = c.legacy === undefined ? p[c.name as keyof SimPort] : c.legacy;
  return row;
}

// ---------------------------------------------------------------------------------------------
// handlers

const ROUTE_NAMES: Array<[string, string]> = [
  ['list_alerts', 'alerts'],
  ['get_alert', 'alerts/{id}'],
  ['list_alert_rules', 'rules'],
  ['get_alert_rule', 'rules/{id}'],
  ['list_bgp', 'bgp'],
  ['get_bgp', 'bgp/{id}'],
  ['list_devices', 'devices'],
  ['get_device', 'devices/{hostname}'],
  ['get_device_ports', 'devices/{hostname}/ports'],
  ['get_port_stats_by_port_hostname', 'devices/{hostname}/ports/{ifname}'],
  ['list_available_health_graphs', 'devices/{hostname}/health/{type?}/{sensor_id?}'],
  ['get_device_groups_device', 'devices/{hostname}/groups'],
  ['get_device_groups', 'devicegroups'],
  ['get_devices_by_group', 'devicegroups/{name}'],
  ['get_all_ports', 'ports'],
  ['get_port_info', 'ports/{portid}'],
  ['list_sensors', 'resources/sensors'],
  ['list_locations', 'resources/locations'],
  ['server_info', 'system'],
  ['ping', 'ping'],
];

const showEndpoints: Handler = (_state, _s, req) => {
  const out: Row = {};
  for (const [name, uri] of [...ROUTE_NAMES].sort((a, b) => (a[0] < b[0] ? -1 : 1))) out[name] = `${req.origin}/api/v0/${uri}`;
  return json(200, out);
};

const ping: Handler = () => ({ status: 200, body: '{"message":"pong"}', contentType: 'application/json' });

/** PHP's date('c') of the install's commit date (2026-07-20 14:00:13 UTC) in PHP's zone (LibreNMS/Util/Version.php, date()) */
function localDate(offsetMinutes: number): string {
  const at = new Date(Date.UTC(2026, 6, 20, 14, 0, 13) + offsetMinutes * 60_000);
  const abs = Math.abs(offsetMinutes);
  const zone = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${at.toISOString().slice(0, 19)}${zone}`;
}

const serverInfo: Handler = (state, s) =>
  success(
    s,
    [
      {
        local_ver: s.version,
        local_sha: '0367517c065f11cc0d0e4cdcb66cc3264fc5d54e',
        local_date: localDate(state.utcOffsetMinutes ?? 0),
        local_branch: 'master',
        db_schema: '2026_07_14_101500_add_port_statistics_indexes (401)',
        php_ver: '8.3.29',
        python_ver: '3.12.13',
        database_ver: 'MariaDB 10.11.15-MariaDB-ubu2204',
        rrdtool_ver: '1.9.0',
        netsnmp_ver: 'NET-SNMP 5.9.4',
      },
    ],
    'system',
  );

const DEVICE_ORDER_COLUMNS = new Set<string>([...DEVICE_COLUMNS, 'dependency_parent_id', 'dependency_parent_hostname', 'location', 'lat', 'lng']);

const listDevices: Handler = (state, s, req) => {
  const type = req.query['type'] ?? '';
  const q = req.query['query'] ?? '';
  let filter: (d: SimDevice, row: Row) => boolean = () => true;
  const like = (field: (d: SimDevice) => string | null) => {
    const m = likeMatcher(`%${q}%`);
    return (d: SimDevice) => m(field(d));
  };
  const eqCi = (v: string | null) => v !== null && v.toLowerCase() === q.toLowerCase();
  switch (type) {
    case 'device_id':
      filter = (d) => d.device_id === mysqlInt(q) && /^\s*\d/.test(q);
      break;
    case 'active':
      filter = (d) => !d.ignore && !d.disabled;
      break;
    case 'location': {
      const m = like((d) => (d.location_id === null ? null : d.location));
      filter = (d) => m(d);
      break;
    }
    case 'hostname': {
      const m = like((d) => d.hostname);
      filter = (d) => m(d);
      break;
    }
    case 'ignored':
      filter = (d) => d.ignore === 1 && !d.disabled;
      break;
    case 'up':
      filter = (d) => d.status === 1 && !d.ignore && !d.disabled;
      break;
    case 'down':
      filter = (d) => d.status === 0 && !d.ignore && !d.disabled;
      break;
    case 'disabled':
      filter = (d) => d.disabled === 1;
      break;
    case 'os':
      filter = (d) => eqCi(d.os);
      break;
    case 'sysName':
      filter = (d) => eqCi(d.sysName);
      break;
    case 'type':
      filter = (d) => eqCi(d.type);
      break;
    case 'location_id':
      filter = (d) => d.location_id !== null && d.location_id === mysqlInt(q);
      break;
    case 'display': {
      const m = like((d) => d.display);
      filter = (d) => m(d);
      break;
    }
    case 'serial': {
      const m = like((d) => d.serial);
      filter = (d) => m(d);
      break;
    }
    case 'version': {
      const m = like((d) => d.version);
      filter = (d) => m(d);
      break;
    }
    case 'hardware': {
      const m = like((d) => d.hardware);
      filter = (d) => m(d);
      break;
    }
    case 'features': {
      const m = like((d) => d.features);
      filter = (d) => m(d);
      break;
    }
    case 'ipv4':
      filter = (d) => d.ip === q;
      break; // simplified: no ipv4_addresses table, match the device IP
    case 'mac':
    case 'ipv6':
      filter = () => false;
      break; // simplified: no address tables
    default:
      break; // '', 'all', unknown => no filter
  }
  let col = 'hostname';
  let dir = 'asc';
  const order = req.query['order'] ?? '';
  const m = /^([a-z_]+)(?: (desc|asc))?$/i.exec(order);
  if (order !== '' && m) {
    col = m[1]!;
    dir = (m[2] ?? 'asc').toLowerCase();
  }
  // a normal user: only devices given directly (devices_perms), not those of its device groups
  // (includes/html/api_functions.inc.php, list_devices), unlike every Eloquent route
  const user = req.user;
  if (!readsAll(user) && user !== undefined) {
    const direct = new Set(user.deviceIds ?? []);
    const base = filter;
    filter = (d, row) => direct.has(d.device_id) && base(d, row);
  }
  const rows: Row[] = [];
  if (DEVICE_ORDER_COLUMNS.has(col) || [...DEVICE_ORDER_COLUMNS].some((c) => c.toLowerCase() === col.toLowerCase())) {
    const key = [...DEVICE_ORDER_COLUMNS].find((c) => c.toLowerCase() === col.toLowerCase()) ?? col;
    const seen = new Set<string>();
    for (const d of state.devices) {
      const row = rawDeviceRow(state, s, d);
      if (!filter(d, row)) continue;
      const h = d.hostname.toLowerCase(); // GROUP BY d.hostname
      if (seen.has(h)) continue;
      seen.add(h);
      rows.push(row);
    }
    rows.sort((a, b) => (dir === 'desc' ? -1 : 1) * compareSql(a[key], b[key]));
  } // else: unknown ORDER BY column => SQL error swallowed by dbFetchRows => []
  return success(s, rows, 'devices');
};

const getDevice: Handler = (state, s, req, [h]) => {
  const d = lookupDevice(state, h!);
  if (!d) return apiError(404, `Device ${h} does not exist`);
  if (!readsAll(req.user) && req.user !== undefined && !devicesForUser(state, req.user).has(d.device_id)) {
    return apiError(403, 'Insufficient permissions to access this device'); // check_device_permission
  }
  return success(s, [getDeviceRow(state, s, d)], 'devices');
};

/**
 * get_device_ports (get_port_graphs up to 25.9; includes/html/api_functions.inc.php). `with=vlans` from
 * 26.2.0 (#18975). A device without ports (or an unknown one, or one the user may not read) is 200 with
 * an empty list up to 24.5, a 404 "No ports found" from 24.6.0 (#16043).
 */
const getDevicePorts: Handler = (state, s, req, [h]) => {
  const withVlans = req.query['with'] === 'vlans' && versionAtLeast(s.version, '26.2.0');
  let columns = validateColumns(req.query['columns'], PORT_COLUMN_SET, ['ifName']);
  if (withVlans && !columns.includes('port_id')) columns = [...columns, 'port_id'];
  const d = lookupDevice(state, h!);
  const readable = portFilter(state, req.user);
  const ports = d ? state.ports.filter((p) => p.device_id === d.device_id && !p.deleted && readable(p)) : [];
  if (ports.length === 0 && versionAtLeast(s.version, '24.6.0')) return apiError(404, 'No ports found');
  ports.sort((a, b) => a.ifIndex - b.ifIndex);
  const rows = ports.map((p) => {
    const row = eloquentPort(s, p, columns);
    if (withVlans) row['vlans'] = state.portVlans.filter((v) => v.port_id === p.port_id);
    return row;
  });
  return success(s, rows, 'ports', { collection: true });
};

const getPortStatsByIfName: Handler = (state, s, req, [h, ifName]) => {
  const d = lookupDevice(state, h!);
  const p = d ? state.ports.find((x) => x.device_id === d.device_id && x.ifName === ifName && !x.deleted) : undefined;
  const row: Row = p ? rawPort(s, p) : {};
  const inRate = Number(p?.ifInOctets_rate ?? 0n) * 8;
  const outRate = Number(p?.ifOutOctets_rate ?? 0n) * 8;
  row['in_rate'] = formatSi(inRate, 'bps');
  row['out_rate'] = formatSi(outRate, 'bps');
  row['in_perc'] = calculatePercent(inRate, p?.ifSpeed ?? null);
  row['out_perc'] = calculatePercent(outRate, p?.ifSpeed ?? null);
  row['in_pps'] = formatBi(Number(p?.ifInUcastPkts_rate ?? 0n), '');
  row['out_pps'] = formatBi(Number(p?.ifOutUcastPkts_rate ?? 0n), '');
  if (req.query['columns'] !== undefined) {
    const cols = new Set(req.query['columns'].split(','));
    for (const k of Object.keys(row)) if (!cols.has(k)) delete row[k];
  }
  return success(s, row, 'port');
};

const getAllPorts: Handler = (state, s, req) => {
  const columns = validateColumns(req.query['columns'], PORT_COLUMN_SET, ['port_id', 'ifName']);
  const readable = portFilter(state, req.user);
  const rows: Row[] = [];
  for (const p of state.ports) if (!p.deleted && readable(p)) rows.push(eloquentPort(s, p, columns));
  return success(s, rows, 'ports', { collection: true });
};

/**
 * get_port_info (includes/html/api_functions.inc.php): `SELECT * FROM ports` (raw, with `count`) up to
 * 25.3, the Port model from 25.4.0 (#14960: `with=vlans|device`; `with=statistics` from 26.6.0, #19824).
 * check_port_permission() asks device_permitted(null) first: up to 26.3 that is false for a user and the
 * port's device or the port itself decides (403 otherwise); from 26.4.0 (#19429 typed
 * PermissionsCache::canAccessDevice) the null is a TypeError, so every port is a 500 for a user.
 */
const getPortInfo: Handler = (state, s, req, [id]) => {
  const portId = mysqlInt(id!);
  const user = req.user;
  if (!readsAll(user) && user !== undefined) {
    if (versionAtLeast(s.version, '26.4.0')) return serverError();
    const port = state.ports.find((p) => p.port_id === portId);
    if (port === undefined || !portFilter(state, user)(port)) return apiError(403, 'Insufficient permissions to access this port');
  }
  const eloquent = versionAtLeast(s.version, '25.4.0');
  const rows: Row[] = [];
  for (const p of state.ports) {
    if (p.port_id !== portId) continue;
    if (!eloquent) {
      rows.push(rawPort(s, p));
      continue;
    }
    const row = eloquentPort(s, p, PORT_COLUMNS as string[]);
    const w = req.query['with'];
    if (w === 'statistics' && versionAtLeast(s.version, '26.6.0')) row['statistics'] = state.portStatistics.filter((x) => x.port_id === p.port_id);
    else if (w === 'vlans') row['vlans'] = state.portVlans.filter((v) => v.port_id === p.port_id);
    else if (w === 'device') {
      const d = state.devices.find((x) => x.device_id === p.device_id);
      row['device'] = d ? eloquentDevice(state, s, d) : null;
    }
    rows.push(row);
  }
  return success(s, rows, 'port', { collection: eloquent });
};

const listAlerts: Handler = (state, s, req, [id]) => {
  const stateParam = req.query['state'];
  const states = (stateParam !== undefined && stateParam !== '' ? stateParam.split(',') : ['1']).map(mysqlInt);
  let sortCol = 'timestamp';
  let sortDir = 'desc';
  if (req.query['order'] !== undefined && req.query['order'] !== '') {
    const [c, d] = req.query['order'].split(' ', 2) as [string, string | undefined];
    validateColumns(c, new Set(ALERT_COLUMNS), []);
    if (d === 'asc' || d === 'desc') {
      sortCol = c.trim();
      sortDir = d;
    }
  }
  const severity = req.query['severity'];
  const ruleId = req.query['alert_rule'];
  const withRuleText = versionAtLeast(s.version, '25.3.0');
  const rows: Row[] = [];
  for (const a of state.alerts) {
    const d = state.devices.find((x) => x.device_id === a.device_id);
    const r = state.alertRules.find((x) => x.id === a.rule_id);
    if (!d || !r) continue;
    if (!states.includes(a.state)) continue;
    if (id !== undefined && a.id !== mysqlInt(id)) continue;
    if ((severity === 'ok' || severity === 'warning' || severity === 'critical') && r.severity !== severity) continue;
    if (ruleId !== undefined && ruleId !== '' && /^\d+$/.test(ruleId) && a.rule_id !== Number(ruleId)) continue;
    rows.push({
      hostname: d.hostname,
      id: a.id,
      device_id: a.device_id,
      rule_id: a.rule_id,
      state: a.state,
      alerted: a.alerted,
      open: a.open,
      note: a.note,
      timestamp: sqlDate(a.timestamp),
      info: encodePhpJson(a.info, { pretty: false }),
      severity: r.severity,
      // the rule's name, proc and notes joined in from 25.3.0 (LibreNMS PR #17234)
      ...(withRuleText ? { name: r.name, proc: r.proc, notes: r.notes } : {}),
    });
  }
  rows.sort((x, y) => (sortDir === 'desc' ? -1 : 1) * compareSql(x[sortCol], y[sortCol]));
  return success(s, rows, 'alerts');
};

/**
 * list_alert_rules: the AlertRule model through app/Http/Resources/AlertRule.php, with the columns of
 * the version (alertRuleColumns). `extra` and `builder` are the stored JSON text until the model casts
 * them to arrays (#18170, 25.9.0); the legacy `rule` column holds '' for a rule built in the editor.
 */
const listRules: Handler = (state, s, _req, [id]) => {
  const v264 = versionAtLeast(s.version, '26.4.0');
  const cast = versionAtLeast(s.version, '25.9.0');
  const stored = (value: unknown): unknown => (cast ? value : encodePhpJson(value, { pretty: false }));
  const rows = state.alertRules
    .filter((r) => id === undefined || r.id === mysqlInt(id))
    .map((r) => {
      const row: Row = {};
      for (const c of alertRuleColumns(s.version)) {
        if (c === 'rule') row[c] = '';
        else if (c === 'extra' || c === 'builder') row[c] = stored(r[c]);
        else row[c] = r[c as keyof SimAlertRule];
      }
      row['devices'] = r.devices;
      row['groups'] = r.groups;
      row['locations'] = r.locations;
      if (v264) {
        // The resource loads the alertOperation relation (26.4.0, #19306) before toArray(): it comes out as
        // `alert_operation`, null for a rule without one. The double models no operation's segments.
        const operation = r.alert_operation_id === null ? null : { id: r.alert_operation_id, default_operation_step_duration_seconds: 300 };
        row['alert_operation'] = operation;
        row['default_operation_step_duration_seconds'] = operation?.default_operation_step_duration_seconds ?? null;
        row['operations'] = [];
      }
      return row;
    });
  return success(s, rows, 'rules');
};

function groupRows(groups: SimState['deviceGroups']): Row[] {
  return [...groups]
    .sort((a, b) => compareSql(a.name, b.name))
    .map((g) => ({ id: g.id, name: g.name, desc: g.desc, type: g.type, rules: g.rules, pattern: g.pattern }));
}

const getDeviceGroups: Handler = (state, s, req) => {
  // DeviceGroup::hasAccess: a user (26.8 and later) lists only the groups it was given
  const user = req.user;
  const groups = readsAll(user) || user === undefined ? state.deviceGroups : state.deviceGroups.filter((g) => user.groupIds?.includes(g.id));
  const rows = groupRows(groups);
  if (rows.length === 0) return apiError(404, 'No device groups found');
  return success(s, rows, 'groups', { message: `Found ${rows.length} device groups` });
};

const getDeviceGroupsForDevice: Handler = (state, s, _req, [h]) => {
  const d = lookupDevice(state, h!);
  if (!d) return apiError(404, 'Device not found');
  const rows = groupRows(state.deviceGroups.filter((g) => g.device_ids.includes(d.device_id)));
  if (rows.length === 0) return apiError(404, 'No device groups found');
  return success(s, rows, 'groups', { message: `Found ${rows.length} device groups` });
};

const getDevicesByGroup: Handler = (state, s, req, [name]) => {
  const g = /^\d+$/.test(name!)
    ? state.deviceGroups.find((x) => x.id === Number(name))
    : state.deviceGroups.find((x) => x.name.toLowerCase() === name!.toLowerCase());
  if (!g) return apiError(404, 'Device group not found');
  const devices = state.devices.filter((d) => g.device_ids.includes(d.device_id)).sort((a, b) => a.device_id - b.device_id);
  if (devices.length === 0) return apiError(404, `No devices found in group ${name}`);
  const full = req.query['full'];
  const truthy = full !== undefined && full !== '' && full !== '0' && full.toLowerCase() !== 'false';
  const rows = devices.map((d) => (truthy ? eloquentDevice(state, s, d) : { device_id: d.device_id }));
  return success(s, rows, 'devices');
};

const listSensors: Handler = (state, s, req) => {
  // Sensor::hasAccess: a user reads the sensors of the devices it may read, and gets the 404 when none
  const user = req.user;
  const allowed = readsAll(user) || user === undefined ? undefined : devicesForUser(state, user);
  const sensors = allowed === undefined ? state.sensors : state.sensors.filter((x) => allowed.has(x.device_id));
  if (sensors.length === 0) return apiError(404, 'Sensors do not exist');
  return success(s, sensors.map(sensorRow(s)), 'sensors', { collection: true });
};

const listLocations: Handler = (state, s) => {
  if (state.locations.length === 0) return apiError(404, 'Locations do not exist');
  return success(
    s,
    state.locations.map((l) => ({
      id: l.id,
      location: l.location,
      lat: rawCoordinate(s, l.lat),
      lng: rawCoordinate(s, l.lng),
      timestamp: sqlDate(l.timestamp),
      fixed_coordinates: l.fixed_coordinates,
    })),
    'locations',
  );
};

/** the first release after 26.7, whose policies let every user view alerts and device groups (PR #20139) */
const USER_VIEWS_FROM = '26.8.0';

/**
 * GET /poller_group[/{id or name}]: from 23.11 (PR #15493) in the `can:admin` group of routes/api.php, so
 * an admin gets the groups (an Eloquent collection: no `count`) and everyone else 403; before 23.11 there
 * is no such route. (From 26.8 a policy guards it: app/Policies/PollerGroupPolicy.php.) The double has
 * no poller groups: the list is empty, and a named one does not exist (get_poller_group).
 */
const getPollerGroup: Handler = (_state, s, req, params) => {
  if (!versionAtLeast(s.version, '23.11.0')) return apiError(404, "This API route doesn't exist.");
  if (req.user !== undefined && req.user.role !== 'admin') return forbidden();
  if (params[0] !== undefined && params[0] !== '') return apiError(404, 'Poller Group does not exist');
  return success(s, [], 'get_poller_group', { collection: true });
};

interface Route {
  pattern: string[];
  handler: Handler;
}
const ROUTES: Route[] = [
  { pattern: [], handler: showEndpoints },
  { pattern: ['ping'], handler: ping },
  { pattern: ['system'], handler: serverInfo },
  { pattern: ['devices'], handler: listDevices },
  { pattern: ['devices', ':'], handler: getDevice },
  { pattern: ['devices', ':', 'ports'], handler: getDevicePorts },
  { pattern: ['devices', ':', 'ports', ':'], handler: getPortStatsByIfName },
  { pattern: ['devices', ':', 'groups'], handler: getDeviceGroupsForDevice },
  { pattern: ['devices', ':', 'health'], handler: healthGraphs },
  { pattern: ['devices', ':', 'health', ':'], handler: healthGraphs },
  { pattern: ['devices', ':', 'health', ':', ':'], handler: healthGraphs },
  { pattern: ['devices', ':', 'wireless'], handler: wirelessGraphs },
  { pattern: ['devices', ':', 'wireless', ':'], handler: wirelessGraphs },
  { pattern: ['devices', ':', 'wireless', ':', ':'], handler: wirelessGraphs },
  { pattern: ['devices', ':', 'wireless-sensors'], handler: deviceWirelessSensors },
  { pattern: ['ports'], handler: getAllPorts },
  { pattern: ['ports', ':'], handler: getPortInfo },
  { pattern: ['alerts'], handler: globalRead(listAlerts, USER_VIEWS_FROM) },
  { pattern: ['alerts', ':'], handler: globalRead(listAlerts, USER_VIEWS_FROM) },
  { pattern: ['rules'], handler: globalRead(listRules) },
  { pattern: ['rules', ':'], handler: globalRead(listRules) },
  { pattern: ['devicegroups'], handler: globalRead(getDeviceGroups, USER_VIEWS_FROM) },
  { pattern: ['devicegroups', ':'], handler: globalRead(getDevicesByGroup, USER_VIEWS_FROM) },
  { pattern: ['resources', 'sensors'], handler: listSensors },
  { pattern: ['resources', 'locations'], handler: globalRead(listLocations) },
  { pattern: ['bgp'], handler: globalRead(listBgp, USER_VIEWS_FROM) },
  { pattern: ['routing', 'bgp', 'cbgp'], handler: listCbgp },
  { pattern: ['routing', 'vrf'], handler: listVrf },
  { pattern: ['ospf'], handler: globalRead(listOspf, USER_VIEWS_FROM) },
  { pattern: ['ospf_ports'], handler: globalRead(listOspfPorts, USER_VIEWS_FROM) },
  // From 26.8 a policy guards it, which a user passes only with the show_services setting on (default off).
  { pattern: ['services'], handler: globalRead(listServices) },
  { pattern: ['pollers'], handler: listPollers },
  { pattern: ['poller_group'], handler: getPollerGroup },
  { pattern: ['poller_group', ':'], handler: getPollerGroup },
];

/** Dispatches an authenticated /api/v0 request. */
export function handleApi(state: SimState, settings: ApiSettings, req: ApiRequest): Reply {
  if (req.method === 'GET' || req.method === 'HEAD') {
    for (const r of ROUTES) {
      if (r.pattern.length !== req.segments.length) continue;
      const params: string[] = [];
      let ok = true;
      for (let i = 0; i < r.pattern.length; i++) {
        const want = r.pattern[i]!;
        const got = req.segments[i]!;
        if (want === ':') params.push(got);
        else if (want !== got) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      try {
        return r.handler(state, settings, req, params);
      } catch (e) {
        if (e instanceof ReplyError) return e.reply;
        return serverError();
      }
    }
  }
  // LibreNMS's catch-all route for every other path and method
  return apiError(404, "This API route doesn't exist.");
}
