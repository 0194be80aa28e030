/**
 * The double against the real LibreNMS (issue 20): the same requests, with the same tokens' roles and
 * the same data set (seed.ts at the same clock), go to the real LibreNMS of every version the field
 * lane runs and to the double set to that version. Status codes, envelope keys, `status`, `message`
 * and `count`, the number of rows, and every row's field names and JSON types (recursively) must
 * match. Values are not compared: timestamps and tokens differ, and values.test.ts checks them.
 *
 * A difference either is fixed in the double or is listed in {@link ALLOWED} with the LibreNMS code
 * that explains it. The test fails on a difference not listed, and on a listed one that no longer
 * occurs, so the list stays true.
 */
import t from 'tap';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import type { SimUser } from '../../librenms-double/state.js';
import { PORT_COLUMNS } from '../../src/librenms/endpoints.js';
import { type FieldInstance, fieldInstances, reseed } from './lnms.js';
import { fieldState, NORMAL_USER_DEVICE } from './seed.js';

/** Who asks: up.sh's three users, no token at all, or a token LibreNMS does not know. */
type Caller = 'admin' | 'read' | 'normal' | 'none' | 'wrong';

interface Probe {
  /** Path under /api/v0 with its query string, exactly as sent. */
  readonly path: string;
  /** How the differences name the request, when the path is too long to read. */
  readonly label?: string;
  readonly callers: readonly Caller[];
}

const ALL_ROLES: readonly Caller[] = ['admin', 'read', 'normal'];
const columns = PORT_COLUMNS.join(',');
/** The exporter's port columns, as the differences name them. */
const COLUMNS = "<the exporter's columns>";

/** Every request the exporter and `check` make, and the neighbours a user or a future collector would hit. */
const PROBES: readonly Probe[] = [
  // The exporter (src/librenms/client.ts) and check (src/doctor/doctor.ts), with their query strings.
  { path: '/system', callers: ALL_ROLES },
  { path: '/devices', callers: ALL_ROLES },
  { path: `/ports?columns=${columns}`, label: `/ports?columns=${COLUMNS}`, callers: ALL_ROLES },
  { path: '/ports?columns=port_id,device_id,ifName', callers: ALL_ROLES },
  { path: `/devices/1/ports?columns=${columns}`, label: `/devices/1/ports?columns=${COLUMNS}`, callers: ALL_ROLES },
  { path: `/devices/2/ports?columns=${columns}`, label: `/devices/2/ports?columns=${COLUMNS}`, callers: ['normal'] },
  { path: `/devices/7/ports?columns=${columns}`, label: `/devices/7/ports?columns=${COLUMNS}`, callers: ['admin'] },
  { path: '/alerts?state=1,2,3,4,5', callers: ALL_ROLES },
  { path: '/resources/sensors', callers: ALL_ROLES },
  { path: '/devicegroups', callers: ALL_ROLES },
  { path: '/devicegroups/1', callers: ALL_ROLES },
  { path: '/devicegroups/4', callers: ['admin'] },
  { path: '/devicegroups/5', callers: ['admin'] },
  // The bgp, ospf, services and pollers collectors (routing.test.ts compares their empty answers).
  { path: '/bgp', callers: ALL_ROLES },
  { path: '/routing/bgp/cbgp', callers: ALL_ROLES },
  { path: '/routing/vrf', callers: ALL_ROLES },
  { path: '/ospf', callers: ALL_ROLES },
  { path: '/ospf_ports', callers: ALL_ROLES },
  { path: '/services', callers: ALL_ROLES },
  { path: '/pollers', callers: ALL_ROLES },
  // The neighbours.
  { path: '/devicegroups/Lab', callers: ['admin'] },
  { path: '/devicegroups/no-such-group', callers: ['admin', 'read'] },
  { path: '/devices/192.168.56.10', callers: ALL_ROLES },
  { path: '/devices/192.168.56.11', callers: ALL_ROLES },
  { path: '/devices/no-such-host.lab', callers: ['admin'] },
  { path: '/devices/192.168.56.10/ports', callers: ALL_ROLES },
  { path: '/devices/pdu-1.lab/ports', callers: ['admin'] },
  { path: '/devices/999/ports', callers: ['admin'] },
  { path: '/ports/1', callers: ALL_ROLES },
  { path: '/ports/10', callers: ['admin', 'normal'] },
  { path: '/rules', callers: ALL_ROLES },
  // check tells an admin's token by it (src/doctor/doctor.ts, isAdminToken)
  { path: '/poller_group', callers: ALL_ROLES },
  { path: '/resources/locations', callers: ['admin', 'normal'] },
  // The health and wireless collectors (src/collectors/health.ts, wireless.ts) and their neighbours.
  { path: '/devices/1/health', callers: ALL_ROLES },
  { path: '/devices/2/health', callers: ['admin', 'normal'] },
  { path: '/devices/no-such-host.lab/health', callers: ['admin', 'normal'] },
  { path: '/devices/1/health/device_processor', callers: ALL_ROLES },
  { path: '/devices/1/health/device_processor/101', callers: ALL_ROLES },
  { path: '/devices/1/health/device_processor/1', callers: ['admin', 'normal'] },
  { path: '/devices/1/health/device_processor/103', callers: ['admin'] },
  { path: '/devices/1/health/processor', callers: ['admin'] },
  { path: '/devices/1/health/device_mempool', callers: ALL_ROLES },
  { path: '/devices/1/health/device_mempool/201', callers: ALL_ROLES },
  { path: '/devices/2/health/device_mempool/205', callers: ['admin'] },
  { path: '/devices/1/health/device_storage', callers: ALL_ROLES },
  { path: '/devices/1/health/device_storage/401', callers: ALL_ROLES },
  { path: '/devices/4/health/device_storage/403', callers: ['admin', 'normal'] },
  { path: '/devices/1/health/device_temperature', callers: ['admin'] },
  { path: '/devices/1/health/device_temperature/1', callers: ['admin'] },
  { path: '/devices/1/wireless', callers: ALL_ROLES },
  { path: '/devices/2/wireless', callers: ['admin', 'normal'] },
  { path: '/devices/no-such-host.lab/wireless', callers: ['admin', 'normal'] },
  { path: '/devices/1/wireless/device_wireless_clients', callers: ALL_ROLES },
  { path: '/devices/1/wireless/device_wireless_noise-floor', callers: ['admin'] },
  { path: '/devices/1/wireless/device_wireless_clients/301', callers: ALL_ROLES },
  { path: '/devices/1/wireless/device_wireless_clients/306', callers: ['admin', 'normal'] },
  { path: '/devices/1/wireless/device_wireless_clients/305', callers: ['admin'] },
  { path: '/devices/1/wireless/clients', callers: ['admin'] },
  { path: '/devices/1/wireless-sensors', callers: ALL_ROLES },
  { path: '/devices/2/wireless-sensors', callers: ['admin', 'normal'] },
  { path: '/devices/7/wireless-sensors', callers: ['admin'] },
  { path: '/devices/no-such-host.lab/wireless-sensors', callers: ['admin', 'normal'] },
  { path: '/devices/1/wireless-sensors?class=clients', callers: ['admin'] },
  { path: '/devices/1/wireless-sensors?class=bogus', callers: ['admin'] },
  { path: '/devices/1/wireless-sensors?columns=sensor_id,sensor_class,sensor_current', callers: ['admin'] },
  { path: '/ports?columns=bogus', callers: ['admin'] },
  { path: '/ports?columns=ifName,bogus,ifFoo', callers: ['admin'] },
  { path: '/devices', callers: ['none', 'wrong'] },
  { path: '/system', callers: ['none', 'wrong'] },
];

/**
 * A difference the double keeps on purpose, with the LibreNMS code that explains it. `difference` is
 * the exact text the comparison writes; `versions` the LibreNMS versions (as `/system` reports them)
 * it occurs on.
 */
interface Allowed {
  readonly versions: readonly string[];
  readonly request: string;
  readonly difference: string;
  readonly why: string;
}

const ALLOWED: readonly Allowed[] = [];

/** A JSON value's type, as the comparison names it. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The type of a value in a row: its JSON type, and for a string the form PHP gave it where the form
 * tells where it came from (a date from raw SQL or from an Eloquent cast, a DECIMAL column).
 */
function valueType(value: unknown): string {
  if (typeof value !== 'string') return jsonType(value);
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value)) return 'string(SQL date)';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) return 'string(ISO date)';
  if (/^-?\d+\.\d+$/.test(value)) return 'string(decimal)';
  return 'string';
}

/**
 * The shape of a JSON value: every path (array positions written `[]`) with the set of JSON types it
 * takes anywhere in the value.
 */
function shape(value: unknown, path = '', into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const types = into.get(path) ?? new Set<string>();
  types.add(valueType(value));
  into.set(path, types);
  if (Array.isArray(value)) for (const item of value) shape(item, `${path}[]`, into);
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) shape(item, `${path}.${key}`, into);
  return into;
}

/** The field names of the first object at each path of a JSON value, in order. */
function fieldOrder(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) for (const item of value) fieldOrder(item, `${path}[]`, into);
  else if (value !== null && typeof value === 'object') {
    if (!into.has(path)) into.set(path, Object.keys(value).join(','));
    for (const [key, item] of Object.entries(value)) fieldOrder(item, `${path}.${key}`, into);
  }
  return into;
}

const typeList = (types: ReadonlySet<string> | undefined): string => [...(types ?? [])].sort().join('|');

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The differences between LibreNMS's answer and the double's, one sentence each. */
function compare(real: Answer, double: Answer): string[] {
  const out: string[] = [];
  if (real.status !== double.status) out.push(`HTTP status: LibreNMS ${real.status}, double ${double.status}`);
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(real.body) || !isObject(double.body)) {
    if (jsonType(real.body) !== jsonType(double.body)) out.push(`body: LibreNMS ${describe(real)}, double ${describe(double)}`);
    return out;
  }
  const realKeys = Object.keys(real.body);
  const doubleKeys = Object.keys(double.body);
  if (realKeys.join(',') !== doubleKeys.join(',')) out.push(`envelope keys: LibreNMS ${realKeys.join(',')}, double ${doubleKeys.join(',')}`);
  for (const key of ['status', 'message', 'count']) {
    const a = JSON.stringify(real.body[key]);
    const b = JSON.stringify(double.body[key]);
    if (key in real.body && key in double.body && a !== b) out.push(`${key}: LibreNMS ${a}, double ${b}`);
  }
  for (const key of realKeys.filter((k) => doubleKeys.includes(k) && !['status', 'message', 'count'].includes(k))) {
    const a = real.body[key];
    const b = double.body[key];
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) out.push(`${key}: LibreNMS ${a.length} rows, double ${b.length}`);
    const realShape = shape(a, key);
    const doubleShape = shape(b, key);
    const differing: string[] = [];
    for (const path of new Set([...realShape.keys(), ...doubleShape.keys()])) {
      const x = typeList(realShape.get(path));
      const y = typeList(doubleShape.get(path));
      if (x === y) continue;
      // Below a field that differs already (a JSON string one side, an object the other), every path would.
      if (differing.some((p) => path.startsWith(`${p}.`) || path.startsWith(`${p}[]`))) continue;
      differing.push(path);
      if (x === '') out.push(`${path}: only the double has it (${y})`);
      else if (y === '') out.push(`${path}: only LibreNMS has it (${x})`);
      else out.push(`${path}: LibreNMS ${x}, double ${y}`);
    }
    // PHP writes an object's fields in the order of the table's columns (or of the code that adds them).
    const realOrder = fieldOrder(a, key);
    const doubleOrder = fieldOrder(b, key);
    for (const [path, fields] of realOrder) {
      const mine = doubleOrder.get(path);
      if (mine !== undefined && mine !== fields) out.push(`${path} field order: LibreNMS ${fields}, double ${mine}`);
    }
  }
  return out;
}

function describe(answer: Answer): string {
  return answer.body === undefined ? `not JSON (${JSON.stringify(answer.text.slice(0, 60))})` : jsonType(answer.body);
}

async function ask(base: string, path: string, token: string | undefined): Promise<Answer> {
  const response = await fetch(`${base}/api/v0${path}`, {
    headers: { accept: 'application/json', ...(token === undefined ? {} : { 'x-auth-token': token }) },
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, body: parse(text), text };
}

/** The token a caller sends to one side. */
function tokenOf(instance: FieldInstance, caller: Caller): string | undefined {
  if (caller === 'none') return undefined;
  if (caller === 'wrong') return 'not-a-librenms-token-0123456789';
  return instance.tokens[caller];
}

for (const instance of fieldInstances()) {
  t.test(`the double as LibreNMS ${instance.version} answers like the real one`, async (t) => {
    const clock = reseed(instance);
    const state = fieldState(clock, instance.version);
    // The roles of up.sh's users: 3 global read, 2 a normal user given device 1 (devices_perms).
    state.tokens = new Map<string, SimUser>([
      [instance.tokens.read, { role: 'global-read' }],
      [instance.tokens.normal, { role: 'user', deviceIds: [NORMAL_USER_DEVICE] }],
    ]);
    const double = await startLibreNmsDouble({ version: instance.version, state, token: instance.tokens.admin });
    t.teardown(() => double.close());

    const found: string[] = [];
    for (const probe of PROBES) {
      for (const caller of probe.callers) {
        const request = `GET ${probe.label ?? probe.path} (${caller})`;
        const token = tokenOf(instance, caller);
        const [real, mine] = await Promise.all([ask(instance.url, probe.path, token), ask(double.url, probe.path, token)]);
        for (const difference of compare(real, mine)) found.push(`${request}: ${difference}`);
      }
    }
    const allowed = ALLOWED.filter((a) => a.versions.includes(instance.version)).map((a) => `${a.request}: ${a.difference}`);
    t.same(
      found.filter((d) => !allowed.includes(d)),
      [],
      'every difference is fixed in the double or explained in ALLOWED',
    );
    t.same(
      allowed.filter((a) => !found.includes(a)),
      [],
      'every difference ALLOWED lists still occurs',
    );

    // The comparison can fail: the double set to another release differs where the releases differ.
    const other = instance.version === '22.11.0' ? '26.7.0' : '22.11.0';
    const wrong = await startLibreNmsDouble({ version: other, state: fieldState(clock, other), token: instance.tokens.admin });
    t.teardown(() => wrong.close());
    const [devices, elsewhere] = await Promise.all([ask(instance.url, '/devices', instance.tokens.admin), ask(wrong.url, '/devices', instance.tokens.admin)]);
    const told = compare(devices, elsewhere);
    t.ok(
      told.some((d) => d.startsWith('devices[].')),
      `a ${other} double is told apart: ${told.join('; ')}`,
    );
  });
}
