import http from 'node:http';
import https from 'node:https';
import t from 'tap';
import { type DoubleOptions, type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { BIG_COUNTER, LAB_COMMUNITY, labState, syntheticState } from '../librenms-double/fixtures.js';
import { encodePhpJson } from '../librenms-double/json.js';
import { addDevice, rebootDevice, type SimPort, setPort } from '../librenms-double/state.js';
import { FakeClock } from './helpers/fake-clock.js';
import { waitFor } from './helpers/harness.js';

interface Got {
  status: number;
  headers: Headers;
  text: string;
}

async function get(d: LibreNmsDouble, path: string, headers: Record<string, string> = { 'X-Auth-Token': d.token }): Promise<Got> {
  const r = await fetch(d.url + path, { headers, redirect: 'manual' });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

/** A GET whose body is read as it comes: the first piece received, and the whole body once it has ended. */
function firstChunk(d: LibreNmsDouble, path: string): Promise<{ status: number; first: string; rest: Promise<string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(d.url + path, { headers: { 'X-Auth-Token': d.token } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        const rest = new Promise<string>((done, fail) => {
          res.on('end', () => done(body));
          res.on('error', fail);
        });
        res.once('data', (c: string) => resolve({ status: res.statusCode ?? 0, first: c, rest }));
        res.on('data', (c: string) => (body += c));
      })
      .on('error', reject);
  });
}

interface HasTeardown {
  teardown(fn: () => unknown): void;
}

async function withDouble(t: HasTeardown, options: DoubleOptions = {}): Promise<LibreNmsDouble> {
  const d = await startLibreNmsDouble(options);
  t.teardown(() => d.close());
  return d;
}

/** raw request via node:http, to observe resets and truncated bodies exactly */
function rawGet(d: LibreNmsDouble, path: string): Promise<{ status: number; body: string; error?: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve) => {
    const req = http.get(d.url + path, { headers: { 'X-Auth-Token': d.token } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, body, error: e.message, headers: res.headers }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, body, error: 'aborted', headers: res.headers }));
    });
    req.on('error', (e) => resolve({ status: 0, body: '', error: e.message, headers: {} }));
  });
}

t.test('auth: 401 {"message":"Unauthenticated."} on known and unknown paths, no status key', async (t) => {
  const d = await withDouble(t);
  for (const path of ['/api/v0/devices', '/api/v0/no/such/route', '/api/v0', '/api/v0/ping']) {
    for (const headers of [{}, { 'X-Auth-Token': 'wrong' }, { Authorization: 'Bearer wrong' }]) {
      const r = await get(d, path, headers);
      t.equal(r.status, 401, `${path} ${JSON.stringify(headers)}`);
      t.equal(r.text, '{"message":"Unauthenticated."}');
      t.match(r.headers.get('content-type'), /^application\/json/);
    }
  }
  const bad = await get(d, `/api/v0/ping?api_token=nope`, {});
  t.equal(bad.status, 401);
  // a wrong X-Auth-Token is not rescued by a right query token (header is used when non-empty)
  const mixed = await get(d, `/api/v0/ping?api_token=${d.token}`, { 'X-Auth-Token': 'wrong' });
  t.equal(mixed.status, 401);
});

t.test('auth: X-Auth-Token, ?api_token=, Bearer and Basic password are accepted', async (t) => {
  const d = await withDouble(t, { token: 'abc123tok' });
  t.equal(d.token, 'abc123tok');
  const ways: Array<[string, Record<string, string>]> = [
    ['/api/v0/ping', { 'X-Auth-Token': 'abc123tok' }],
    ['/api/v0/ping?api_token=abc123tok', {}],
    ['/api/v0/ping', { Authorization: 'Bearer abc123tok' }],
    ['/api/v0/ping', { Authorization: `Basic ${Buffer.from('x:abc123tok').toString('base64')}` }],
  ];
  for (const [path, headers] of ways) {
    const r = await get(d, path, headers);
    t.equal(r.status, 200, JSON.stringify(headers));
    t.equal(r.text, '{"message":"pong"}');
  }
});

t.test('unknown route => 404 JSON; route map; non-API paths redirect to login', async (t) => {
  const d = await withDouble(t);
  const r = await get(d, '/api/v0/nope');
  t.equal(r.status, 404);
  t.equal(r.text, '{\n    "status": "error",\n    "message": "This API route doesn\'t exist."\n}');
  const post = await fetch(`${d.url}/api/v0/devices`, { method: 'DELETE', headers: { 'X-Auth-Token': d.token } });
  t.equal(post.status, 404, 'catch-all for any method');
  const map = await get(d, '/api/v0');
  const m = JSON.parse(map.text) as Record<string, string>;
  t.equal(m['list_devices'], `${d.url}/api/v0/devices`);
  t.notOk('status' in m, 'no envelope');
  t.same(Object.keys(m), [...Object.keys(m)].sort(), 'key-sorted');
  t.match(map.text, /"list_devices": "http:\\\/\\\/127\.0\.0\.1:\d+\\\/api\\\/v0\\\/devices"/);
  const ui = await get(d, '/devices', {});
  t.equal(ui.status, 302);
});

t.test('PHP JSON_PRETTY_PRINT output: exact bytes, escaped slashes and unicode, bigint digits', async (t) => {
  const d = await withDouble(t);
  const empty = await get(d, '/api/v0/devices?type=hostname&query=zzz-none');
  t.equal(empty.text, '{\n    "status": "ok",\n    "devices": [],\n    "count": 0\n}');
  t.equal(empty.headers.get('content-type'), 'application/json');

  const ports = await get(d, '/api/v0/devices/sw-core-01.lab/ports?columns=port_id,ifName,ifAlias,ifInOctets');
  t.match(ports.text, '"ifName": "Gi1\\/0\\/1"', 'slashes escaped as \\/');
  t.match(ports.text, `"ifInOctets": ${BIG_COUNTER.toString()}`, 'all digits of a counter above 2^53');
  t.ok(BIG_COUNTER > 2n ** 53n);
  t.match(ports.text, '"ifAlias": "Uplink \\"core\\" \\u2014 \\u0e25\\u0e34\\u0e07\\u0e01\\u0e4c\\u0e2b\\u0e25\\u0e31\\u0e01"');
  t.match(ports.text, '"ifAlias": "Printer \\\\\\\\srv01\\\\print"', 'backslashes');
  t.match(ports.text, '"ifAlias": null');
  t.match(ports.text, /^\{\n {4}"status": "ok",\n {4}"ports": \[\n {8}\{\n {12}"port_id": 7,\n/);
  t.notOk(/[^\x00-\x7f]/.test(ports.text), 'ASCII only on the wire');

  t.equal(
    encodePhpJson({ a: '📡/x', b: 'tab\there\u0001', c: 25.0, d: -1.81, e: 1e25, f: [], g: {}, h: 2n ** 64n - 1n }, { pretty: false }),
    '{"a":"\\ud83d\\udce1\\/x","b":"tab\\there\\u0001","c":25,"d":-1.81,"e":1.0e+25,"f":[],"g":[],"h":18446744073709551615}',
  );
  t.equal(encodePhpJson({ x: [1, { y: null }] }), '{\n    "x": [\n        1,\n        {\n            "y": null\n        }\n    ]\n}');
});

t.test('envelopes: count only for PHP arrays, message before count', async (t) => {
  const d = await withDouble(t);
  const keys = async (path: string): Promise<string[]> => Object.keys(JSON.parse((await get(d, path)).text) as object);
  t.same(await keys('/api/v0/devices'), ['status', 'devices', 'count']);
  t.same(await keys('/api/v0/devices/2'), ['message'], '26.5+: a device with a location is a 500');
  d.state.devices.find((x) => x.device_id === 2)!.location_id = null;
  t.same(await keys('/api/v0/devices/2'), ['status', 'devices', 'count']);
  t.same(await keys('/api/v0/ports'), ['status', 'ports'], '/ports: Eloquent collection, no count');
  t.same(await keys('/api/v0/devices/1/ports'), ['status', 'ports']);
  t.same(await keys('/api/v0/ports/1'), ['status', 'port']);
  const old = await withDouble(t, { version: '25.3.0' });
  const oldPort = Object.keys(JSON.parse((await get(old, '/api/v0/ports/1')).text) as object);
  t.same(oldPort, ['status', 'port', 'count'], 'before 25.4: /ports/:id is raw SQL, a PHP array');
  t.same(await keys('/api/v0/resources/sensors'), ['status', 'sensors']);
  t.same(await keys('/api/v0/system'), ['status', 'system', 'count']);
  t.same(await keys('/api/v0/alerts'), ['status', 'alerts', 'count']);
  t.same(await keys('/api/v0/rules'), ['status', 'rules', 'count']);
  t.same(await keys('/api/v0/devicegroups'), ['status', 'groups', 'message', 'count']);
  t.same(await keys('/api/v0/devicegroups/Lab'), ['status', 'devices', 'count']);
  t.same(await keys('/api/v0/devices/3/health'), ['status', 'graphs', 'count']);

  const list = JSON.parse((await get(d, '/api/v0/devices')).text) as { devices: Array<Record<string, unknown>>; count: number };
  t.equal(list.count, list.devices.length);
  t.equal(list.count, 5);
  t.same(
    list.devices.map((x) => x['hostname']),
    ['192.168.56.10', 'ap-lobby-01.lab', 'librenms.lab', 'old-fw-01.lab', 'sw-core-01.lab'],
    'hostname ASC',
  );
  const lab = list.devices[0]!;
  t.equal(lab['status'], 1);
  t.equal(lab['disabled'], 0);
  t.equal(lab['community'], LAB_COMMUNITY, 'LibreNMS sends SNMP credentials');
  t.equal(lab['location'], 'Lab');
  t.equal(lab['lat'], '13.75633090', 'decimal as string');
  t.match(lab['last_polled'], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  t.equal(lab['dependency_parent_id'], '3');

  const ifn = JSON.parse((await get(d, '/api/v0/devices/sw-core-01.lab/ports/Gi1%2F0%2F2')).text) as { port: Record<string, unknown>; count: number };
  t.equal(ifn.count, Object.keys(ifn.port).length, 'count = number of keys');
  t.equal(ifn.port['ifPhysAddress'], '7c210e5f1200', 'raw endpoint: MAC without separators');
  const fake = await get(d, '/api/v0/devices/sw-core-01.lab/ports/nonexistent');
  t.same(JSON.parse(fake.text), {
    status: 'ok',
    port: { in_rate: '0 bps', out_rate: '0 bps', in_perc: 0, out_perc: 0, in_pps: '0 ', out_pps: '0 ' },
    count: 6,
  });
});

t.test('/devices filters and order', async (t) => {
  const d = await withDouble(t);
  const hosts = async (q: string): Promise<unknown[]> =>
    (JSON.parse((await get(d, `/api/v0/devices${q}`)).text) as { devices: Array<{ hostname: string }> }).devices.map((x) => x.hostname);
  t.same(await hosts('?type=down'), ['ap-lobby-01.lab']);
  t.same(await hosts('?type=disabled'), ['old-fw-01.lab']);
  t.notOk((await hosts('?type=active')).includes('old-fw-01.lab'));
  t.same(await hosts('?type=os&query=IOSXE'), ['sw-core-01.lab']);
  t.same(await hosts('?type=hostname&query=.lab'), ['ap-lobby-01.lab', 'librenms.lab', 'old-fw-01.lab', 'sw-core-01.lab']);
  t.same(await hosts('?type=device_id&query=2'), ['librenms.lab']);
  t.same(await hosts('?type=type&query=wireless'), ['ap-lobby-01.lab']);
  t.same(await hosts('?order=device_id%20DESC'), ['old-fw-01.lab', 'ap-lobby-01.lab', 'sw-core-01.lab', 'librenms.lab', '192.168.56.10']);
  const bad = await get(d, '/api/v0/devices?order=bogus_column');
  t.equal(bad.status, 200, 'SQL error swallowed');
  t.same(JSON.parse(bad.text), { status: 'ok', devices: [], count: 0 });
});

t.test("/devices/:h: Eloquent typing, lookup rules, 404, and each release's location fields", async (t) => {
  const d = await withDouble(t);
  // 26.5 and later (#19622): a device with a location is a 500 ("Attempt to read property "lat" on string")
  const located = await get(d, '/api/v0/devices/SW-CORE-01.LAB');
  t.equal(located.status, 500);
  t.same(JSON.parse(located.text), { message: 'Server Error' });
  d.state.devices.find((x) => x.device_id === 3)!.location_id = null;
  const one = JSON.parse((await get(d, '/api/v0/devices/SW-CORE-01.LAB')).text) as { devices: Array<Record<string, unknown>>; count: number };
  t.equal(one.count, 1);
  const dev = one.devices[0]!;
  t.equal(dev['device_id'], 3);
  t.equal(dev['status'], true);
  t.equal(dev['disabled'], false);
  t.match(dev['last_polled'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/);
  t.same([dev['location'], dev['lat'], dev['lng']], [null, null, null], 'without a location: all three null');
  t.equal(dev['icon'], 'images/os/cisco.svg');
  t.equal(dev['authpass'], 'lab-auth-p4ss');
  const byId = JSON.parse((await get(d, '/api/v0/devices/3')).text) as { devices: Array<{ hostname: string }> };
  t.equal(byId.devices[0]!.hostname, 'sw-core-01.lab');
  const missing = await get(d, '/api/v0/devices/nosuch');
  t.equal(missing.status, 404);
  t.same(JSON.parse(missing.text), { status: 'error', message: 'Device nosuch does not exist' });
  const old = await withDouble(t, { version: '26.3.0' });
  const o = JSON.parse((await get(old, '/api/v0/devices/3')).text) as { devices: Array<Record<string, unknown>> };
  t.equal(o.devices[0]!['location'], 'Lab', '<= 26.3: location string');
  t.equal(o.devices[0]!['lat'], 13.7563309, '<= 26.3: lat as the Location model casts it (float)');
  t.equal(o.devices[0]!['disabled'], false, '~25.9+: flags are booleans');
  t.notOk('attribs' in o.devices[0]!, 'no attribs from 23.10');
  const older = await withDouble(t, { version: '25.6.0' });
  const o2 = JSON.parse((await get(older, '/api/v0/devices/3')).text) as { devices: Array<Record<string, unknown>> };
  t.equal(o2.devices[0]!['disabled'], 0, 'before ~25.9 only status was a bool');
  t.equal(o2.devices[0]!['status'], true);
  const v264 = await withDouble(t, { version: '26.4.1' });
  const o3 = JSON.parse((await get(v264, '/api/v0/devices/3')).text) as { devices: Array<Record<string, unknown>> };
  t.notOk('location' in o3.devices[0]!, '26.4.x: no location');
  const v2211 = await withDouble(t, { version: '22.11.0' });
  const o4 = JSON.parse((await get(v2211, '/api/v0/devices/3')).text) as { devices: Array<Record<string, unknown>> };
  t.same(o4.devices[0]!['attribs'], [], 'up to 23.9: the device attributes (none here)');
  t.notOk('ignore_status' in o4.devices[0]!, 'devices.ignore_status came in 24.1');
});

t.test('ports: columns validation, leading space 500, deleted handling, 404 No ports found', async (t) => {
  const d = await withDouble(t);
  const invalid = await get(d, '/api/v0/ports?columns=port_id,foo,ifHighSpeed');
  t.equal(invalid.status, 400);
  t.same(JSON.parse(invalid.text), { status: 'error', message: 'Invalid columns: foo,ifHighSpeed' });
  const inv2 = await get(d, '/api/v0/devices/1/ports?columns=ifInDiscards');
  t.equal(inv2.status, 400);
  t.same(JSON.parse(inv2.text), { status: 'error', message: 'Invalid columns: ifInDiscards' });
  const space = await get(d, '/api/v0/ports?columns=port_id,%20ifName');
  t.equal(space.status, 500);
  t.same(JSON.parse(space.text), { message: 'Server Error' });

  const all = JSON.parse((await get(d, '/api/v0/ports')).text) as { ports: Array<Record<string, unknown>> };
  t.same(Object.keys(all.ports[0]!), ['port_id', 'ifName'], 'default columns');
  t.notOk(
    all.ports.some((p) => p['port_id'] === 12),
    'deleted port excluded from /ports',
  );
  const dev = JSON.parse((await get(d, '/api/v0/devices/3/ports')).text) as { ports: Array<Record<string, unknown>> };
  t.same(Object.keys(dev.ports[0]!), ['ifName'], 'device ports default: ifName only');
  t.notOk(
    dev.ports.some((p) => p['ifName'] === 'Gi1/0/6'),
    'deleted port excluded from device ports',
  );
  const withIdx = JSON.parse((await get(d, '/api/v0/devices/3/ports?columns=ifIndex,ifPhysAddress,ifOperStatus')).text) as {
    ports: Array<{ ifIndex: number; ifPhysAddress: string }>;
  };
  const idx = withIdx.ports.map((p) => p.ifIndex);
  t.same(
    idx,
    [...idx].sort((a, b) => a - b),
    'ordered by ifIndex',
  );
  t.match(withIdx.ports[0]!.ifPhysAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'Eloquent MAC with colons');

  const deleted = JSON.parse((await get(d, '/api/v0/ports/12')).text) as { port: Array<Record<string, unknown>> };
  t.equal(deleted.port.length, 1);
  t.equal(deleted.port[0]!['deleted'], 1, 'deleted port visible on /ports/:id');
  t.ok(Object.keys(deleted.port[0]!).length > 60, 'all columns');
  t.same(JSON.parse((await get(d, '/api/v0/ports/999999')).text), { status: 'ok', port: [] });
  const stats = JSON.parse((await get(d, '/api/v0/ports/13?with=statistics')).text) as { port: Array<{ statistics: Array<Record<string, unknown>> }> };
  t.equal(stats.port[0]!.statistics.length, 1);
  t.ok('ifInDiscards' in stats.port[0]!.statistics[0]!);

  for (const path of ['/api/v0/devices/nosuch/ports', '/api/v0/devices/4242/ports']) {
    const r = await get(d, path);
    t.equal(r.status, 404);
    t.same(JSON.parse(r.text), { status: 'error', message: 'No ports found' });
  }
  addDevice(d.state, { hostname: 'empty.lab' });
  const r = await get(d, '/api/v0/devices/empty.lab/ports');
  t.equal(r.status, 404, 'existing device without ports');
  d.state.ports = [];
  const none = await get(d, '/api/v0/ports');
  t.equal(none.status, 200);
  t.same(JSON.parse(none.text), { status: 'ok', ports: [] });
});

t.test('ifOperStatus enum handling per operStatusMode', async (t) => {
  const weird = (): ReturnType<typeof labState> => {
    const s = labState();
    setPort(s, 2, { ifOperStatus: '-1' });
    return s;
  };
  const path = '/api/v0/devices/1/ports?columns=ifName,ifOperStatus';
  const n = await withDouble(t, { state: weird() });
  const nul = JSON.parse((await get(n, path)).text) as { ports: Array<{ ifName: string; ifOperStatus: string | null }> };
  t.equal(nul.ports.find((p) => p.ifName === 'ether2')!.ifOperStatus, null, '26.5.1+: null');
  const raw = await get(n, '/api/v0/devices/1/ports/ether2');
  t.match(raw.text, '"ifOperStatus": "-1"', 'raw SQL endpoint sends the DB value');
  const e = await withDouble(t, { state: weird(), operStatusMode: 'enum-500' });
  const r500 = await get(e, path);
  t.equal(r500.status, 500, '26.4: HTTP 500');
  t.same(JSON.parse(r500.text), { message: 'Server Error' });
  const r = await withDouble(t, { state: weird(), operStatusMode: 'raw' });
  t.match((await get(r, path)).text, '"ifOperStatus": "-1"');
});

t.test('numbersAsStrings and ignoreQueryStrings', async (t) => {
  // (26.3: before get_device failed for a device with a location)
  const s = await withDouble(t, { numbersAsStrings: true, version: '26.3.0' });
  const ports = await get(s, '/api/v0/ports?columns=port_id,ifInOctets,ifAlias');
  t.match(ports.text, '"port_id": "1"');
  t.match(ports.text, `"ifInOctets": "${BIG_COUNTER.toString()}"`);
  const dev = JSON.parse((await get(s, '/api/v0/devices/3')).text) as { devices: Array<Record<string, unknown>>; count: number };
  t.equal(dev.devices[0]!['device_id'], '3');
  t.equal(dev.devices[0]!['status'], true, 'booleans stay booleans');
  t.equal(dev.devices[0]!['sysContact'], 'noc@example.net');

  const q = await withDouble(t, { ignoreQueryStrings: true });
  const cols = JSON.parse((await get(q, '/api/v0/ports?columns=port_id,device_id,ifAlias')).text) as { ports: Array<Record<string, unknown>> };
  t.same(Object.keys(cols.ports[0]!), ['port_id', 'ifName'], 'columns silently ignored');
  t.equal((await get(q, '/api/v0/ports?columns=bogus')).status, 200, 'no validation either');
  t.equal((await get(q, `/api/v0/ping?api_token=${q.token}`, {})).status, 401, 'query token is lost too');
  t.equal(q.requests.at(-1)!.query['api_token'], q.token, 'the recorded request keeps what the client sent');
});

t.test('alerts, rules, groups, sensors, health', async (t) => {
  const d = await withDouble(t);
  const alerts = async (q: string): Promise<Array<Record<string, unknown>>> =>
    (JSON.parse((await get(d, `/api/v0/alerts${q}`)).text) as { alerts: Array<Record<string, unknown>> }).alerts;
  const def = await alerts('');
  t.same(
    def.map((a) => a['id']),
    [1],
    'default state=1 only',
  );
  t.equal(typeof def[0]!['info'], 'string', 'info is a JSON string');
  t.same(JSON.parse(def[0]!['info'] as string), { rule: 'Devices up/down', until_clear: true });
  t.same(Object.keys(def[0]!), [
    'hostname',
    'id',
    'device_id',
    'rule_id',
    'state',
    'alerted',
    'open',
    'note',
    'timestamp',
    'info',
    'severity',
    'name',
    'proc',
    'notes',
  ]);
  t.same(
    (await alerts('?state=1,2')).map((a) => a['id']),
    [1, 2],
    'timestamp desc',
  );
  t.same(
    (await alerts('?state=0,1,2&order=id%20asc')).map((a) => a['id']),
    [1, 2, 3],
  );
  t.same(
    (await alerts('?state=1,2&order=id%20ASC')).map((a) => a['id']),
    [1, 2],
    'uppercase direction ignored => default order',
  );
  t.same(
    (await alerts('?state=1,2&severity=warning')).map((a) => a['id']),
    [2],
  );
  const bad = await get(d, '/api/v0/alerts?order=bogus%20desc');
  t.equal(bad.status, 400);
  t.same(JSON.parse(bad.text), { status: 'error', message: 'Invalid columns: bogus' });

  const rules = JSON.parse((await get(d, '/api/v0/rules')).text) as { rules: Array<Record<string, unknown>>; count: number };
  t.equal(rules.count, 2);
  t.same(rules.rules[1]!['groups'], [1]);

  const groups = JSON.parse((await get(d, '/api/v0/devicegroups')).text) as { message: string; groups: Array<{ name: string }> };
  t.equal(groups.message, 'Found 2 device groups');
  t.same(
    groups.groups.map((g) => g.name),
    ['Core', 'Lab'],
  );
  t.same(JSON.parse((await get(d, '/api/v0/devicegroups/Lab')).text), {
    status: 'ok',
    devices: [{ device_id: 1 }, { device_id: 2 }, { device_id: 3 }, { device_id: 4 }],
    count: 4,
  });
  const full = JSON.parse((await get(d, '/api/v0/devicegroups/1?full=1')).text) as { devices: Array<Record<string, unknown>> };
  t.equal(full.devices[0]!['status'], true, 'full=1: Eloquent devices');
  const g404 = await get(d, '/api/v0/devicegroups/Nope');
  t.equal(g404.status, 404);
  t.same(JSON.parse(g404.text), { status: 'error', message: 'Device group not found' });
  d.state.deviceGroups = [];
  const none = await get(d, '/api/v0/devicegroups');
  t.equal(none.status, 404);
  t.same(JSON.parse(none.text), { status: 'error', message: 'No device groups found' });

  const sensors = JSON.parse((await get(d, '/api/v0/resources/sensors')).text) as { sensors: Array<Record<string, unknown>> };
  t.ok(sensors.sensors.some((x) => x['sensor_class'] === 'dbm' && x['sensor_current'] === -3.42));
  t.ok(sensors.sensors.some((x) => x['sensor_class'] === 'voltage' && x['sensor_limit'] === 12.6 && x['sensor_limit_low'] === 11.4));
  const health = JSON.parse((await get(d, '/api/v0/devices/3/health')).text) as { graphs: Array<{ name: string }> };
  t.same(
    health.graphs.map((g) => g.name),
    // then the device's processors, storage and memory pools (list_available_health_graphs, since 2018)
    ['device_temperature', 'device_dbm', 'device_voltage', 'device_state', 'device_processor', 'device_storage', 'device_mempool'],
    'deleted sensor class not listed',
  );
  const h2 = JSON.parse((await get(d, '/api/v0/devices/3/health/dbm')).text) as { graphs: unknown[] };
  t.same(h2.graphs, [{ sensor_id: 2, desc: 'Te1/1/1 Receive Power' }]);
  t.same(JSON.parse((await get(d, '/api/v0/devices/nosuch/health')).text), { status: 'ok', graphs: [], count: 0 });
  d.state.sensors = [];
  const s404 = await get(d, '/api/v0/resources/sensors');
  t.equal(s404.status, 404);
  t.same(JSON.parse(s404.text), { status: 'error', message: 'Sensors do not exist' });
});

t.test('faults', async (t) => {
  const d = await withDouble(t);

  d.addFault({ path: '/api/v0/devices', fault: { kind: 'status', status: 429, headers: { 'Retry-After': '7' } }, times: 1 });
  const r429 = await get(d, '/api/v0/devices');
  t.equal(r429.status, 429);
  t.equal(r429.headers.get('retry-after'), '7');
  t.equal((await get(d, '/api/v0/devices')).status, 200, 'times: 1');

  d.addFault({ path: /\/devices\/\d+\/ports$/, fault: { kind: 'status', status: 401, body: '{"message":"Unauthenticated."}' } });
  t.equal((await get(d, '/api/v0/devices/1/ports')).status, 401);
  t.equal((await get(d, '/api/v0/devices/2/ports')).status, 401, 'forever by default');
  d.clearFaults();
  t.equal((await get(d, '/api/v0/devices/1/ports')).status, 200);

  d.addFault({ path: '/api/v0/ports', fault: { kind: 'html500' }, times: 1 });
  const h = await get(d, '/api/v0/ports');
  t.equal(h.status, 500);
  t.match(h.headers.get('content-type'), /^text\/html/);
  t.match(h.text, 'Allowed memory size of 134217728 bytes exhausted');

  d.addFault({ path: '/api/v0/ports', fault: { kind: 'raw', body: '[]' }, times: 1 });
  const raw = await get(d, '/api/v0/ports');
  t.equal(raw.status, 200);
  t.equal(raw.text, '[]');

  const full = (await get(d, '/api/v0/ports')).text;
  d.addFault({ path: '/api/v0/ports', fault: { kind: 'truncate' }, times: 1 });
  const tr = await rawGet(d, '/api/v0/ports');
  t.equal(tr.status, 200);
  t.notOk(tr.error, 'ends cleanly');
  t.notOk('content-length' in tr.headers);
  t.equal(tr.body, full.slice(0, Math.floor(full.length / 2)));
  t.throws(() => JSON.parse(tr.body));

  d.addFault({ path: '/api/v0/ports', fault: { kind: 'reset' }, times: 1 });
  const rs = await rawGet(d, '/api/v0/ports');
  t.ok(rs.error, `reset surfaces as an error (${rs.error})`);
  t.ok(rs.body.length < full.length);

  // A slow body: 64-byte chunks 20 ms apart, on a fake clock the test moves.
  const clock = new FakeClock();
  const dribbling = await withDouble(t, { timers: clock });
  dribbling.addFault({ path: '/api/v0/system', fault: { kind: 'slowBody', chunkDelayMs: 20 }, times: 1 });
  const slow = await firstChunk(dribbling, '/api/v0/system');
  t.equal(slow.status, 200);
  t.equal(slow.first.length, 64, 'one 64-byte chunk is sent');
  t.same(clock.timers, [20], 'the next one 20 ms later');
  t.equal(dribbling.inFlight, 1, 'the request is still being answered');
  const body = await clock.runUntil(slow.rest);
  t.equal(JSON.parse(body).status, 'ok', 'complete body in the end');
  const chunks = Math.ceil(Buffer.byteLength(body) / 64);
  t.equal(clock.now(), (chunks - 1) * 20, `dribbled: 20 ms between each of its ${chunks} chunks`);

  d.addFault({ path: '/api/v0/ping', fault: { kind: 'hang' } });
  const giveUp = new AbortController();
  const hung = fetch(`${d.url}/api/v0/ping`, { headers: { 'X-Auth-Token': d.token }, signal: giveUp.signal });
  await waitFor(() => d.inFlight === 1, 60_000, 'the request to reach the double');
  giveUp.abort();
  await t.rejects(hung, 'no answer: the client gives up');
  await waitFor(() => d.inFlight === 0, 60_000, 'the double to see the client go');
  t.equal(d.inFlight, 0, 'a request the client gave up is no longer in flight');
  const hung2 = fetch(`${d.url}/api/v0/ping`, { headers: { 'X-Auth-Token': d.token } }).then(
    () => 'answered',
    () => 'ended',
  );
  await waitFor(() => d.inFlight === 1, 60_000, 'the request to reach the double');
  t.equal(d.inFlight, 1, 'the hanging request is in flight');
  await d.close();
  t.equal(await hung2, 'ended', 'close() ends hanging requests');
});

t.test('latency, inFlight and maxInFlight', async (t) => {
  // The latency runs on a fake clock the test moves.
  const clock = new FakeClock();
  const d = await withDouble(t, { latencyMs: 80, timers: clock });
  let answered = false;
  const ping = get(d, '/api/v0/ping').then((r) => ((answered = true), r));
  await clock.untilTimers(1);
  t.same(clock.timers, [80], 'held for the latency');
  clock.advance(79);
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(answered, false, 'not answered before it is over');
  clock.advance(1);
  t.equal((await ping).status, 200, 'then answered: a server-side delay');
  d.resetStats();
  t.equal(d.requests.length, 0);
  t.equal(d.maxInFlight, 0);
  const all = Promise.all(Array.from({ length: 6 }, (_, i) => get(d, `/api/v0/ports/${i + 1}`)));
  await clock.untilTimers(6);
  t.equal(d.inFlight, 6, 'all six waiting in the latency phase');
  t.same(clock.timers, Array(6).fill(clock.now() + 80), 'each for 80 ms');
  t.equal(d.requests.filter((r) => r.endedAt !== undefined).length, 0, 'none answered yet');
  clock.advance(80);
  await all;
  t.equal(d.maxInFlight, 6);
  t.equal(d.inFlight, 0);
  t.equal(d.requests.length, 6);
  for (const r of d.requests) {
    t.equal(r.status, 200);
    t.ok(r.endedAt !== undefined, 'ended');
  }
  d.setLatency(0);
  d.resetStats();
  await Promise.all(Array.from({ length: 3 }, () => get(d, '/api/v0/ping')));
  t.ok(d.maxInFlight <= 3);
  t.same(d.requests[0]!.query, {});
});

t.test('poll(): counters of up ports grow, rates and poll columns like ports.inc.php', async (t) => {
  const d = await withDouble(t);
  const s = d.state;
  const byId = (id: number): SimPort => s.ports.find((p) => p.port_id === id)!;
  const before = structuredClone(s.ports);
  const old = (id: number): SimPort => before.find((p) => p.port_id === id)!;
  const clock = s.clock;
  const router = s.devices.find((x) => x.device_id === 1)!;
  const uptime = router.uptime!;
  d.poll();
  t.equal(s.clock, clock + 300);
  t.equal(router.uptime, uptime + 300);
  t.equal(router.last_polled, clock + 300);

  const e1 = byId(1);
  t.ok(e1.ifInOctets! > old(1).ifInOctets!, 'ether1 in octets grew');
  t.ok(e1.ifOutOctets! > old(1).ifOutOctets!);
  t.ok(e1.ifInUcastPkts! > old(1).ifInUcastPkts!);
  t.equal(e1.ifInOctets_prev, old(1).ifInOctets);
  t.equal(e1.ifInOctets_delta, e1.ifInOctets! - old(1).ifInOctets!);
  t.equal(e1.ifInOctets_rate, e1.ifInOctets_delta! / 300n);
  const rate = Number(e1.ifInOctets_rate);
  t.ok(rate > 1e7 && rate < 2.5e7, `busy-ish ether1: ${rate} B/s`);
  t.equal(e1.poll_time, clock + 300);
  t.equal(e1.poll_prev, clock);
  t.equal(e1.poll_period, 300);

  const big = byId(13);
  t.ok(big.ifInOctets! > 2n ** 53n && big.ifInOctets! > old(13).ifInOctets!, 'exact bigint growth above 2^53');

  const e3 = byId(3); // admin up, oper down, unchanged
  t.equal(e3.ifInOctets, old(3).ifInOctets);
  t.equal(e3.poll_time, clock + 300);
  t.equal(e3.poll_period, null, 'bulk update of unchanged down ports sets poll_period NULL');

  const ap = byId(17); // device down: not polled, stale
  t.same(ap, old(17));
  const fw = byId(19); // device disabled
  t.same(fw, old(19));

  const fresh = byId(16); // never polled
  t.equal(fresh.ifInOctets_delta, null, 'first poll: no delta yet');
  t.equal(fresh.ifInOctets_prev, 0n);
  t.not(fresh.ifInOctets, null);
  t.equal(fresh.poll_time, clock + 300);
  d.poll(60);
  t.not(fresh.ifInOctets_delta, null, 'second poll: delta');
  t.equal(fresh.poll_period, 60);

  const ports = await get(d, '/api/v0/ports?columns=port_id,poll_time');
  t.match(ports.text, `"poll_time": ${clock + 360}`, 'responses reflect the live state');

  // a device reboot: counters restart => negative delta clamped to delta 0, rate 0
  const beforeReboot = e1.ifInOctets!;
  rebootDevice(s, 1);
  d.poll();
  t.ok(e1.ifInOctets! < beforeReboot, 'counter restarted');
  t.equal(e1.ifInOctets_prev, beforeReboot);
  t.equal(e1.ifInOctets_delta, 0n);
  t.equal(e1.ifInOctets_rate, 0n);
  t.equal(router.uptime, 300);
  d.poll();
  t.ok(e1.ifInOctets_rate! > 0n, 'rates again on the following poll');

  // deterministic
  const a = labState();
  const b = labState();
  const da = await withDouble(t, { state: a });
  const db = await withDouble(t, { state: b });
  da.poll();
  db.poll();
  t.same(a.ports, b.ports);
});

// The 2,000-device state (100k ports), built and served in time, is measured in test/slow/synthetic-scale.test.ts.
t.test('syntheticState(200 x 50): 10k ports, unique keys, realistic mix', async (t) => {
  const s = syntheticState({ devices: 200, portsPerDevice: 50, seed: 1 });
  t.equal(s.devices.length, 200);
  t.equal(s.ports.length, 10000);
  t.equal(new Set(s.ports.map((p) => `${p.device_id}:${p.ifIndex}`)).size, 10000, 'unique (device_id, ifIndex)');
  t.equal(new Set(s.ports.map((p) => p.port_id)).size, 10000, 'unique port_id');
  t.ok(
    s.ports.some((p) => p.ifInOctets !== null && p.ifInOctets > 2n ** 53n),
    'some counters above 2^53',
  );
  t.ok(s.ports.some((p) => p.ifAlias === null));
  t.ok(s.ports.some((p) => p.ifAlias?.includes('"')));
  t.ok(s.ports.some((p) => p.ifAlias?.includes('\\')));
  t.ok(s.ports.some((p) => /[^\x00-\x7f]/.test(p.ifAlias ?? '')));
  t.ok(s.ports.some((p) => p.disabled === 1));
  t.ok(s.ports.some((p) => p.ifName?.startsWith('Te1/1/')));
  t.ok(s.ports.some((p) => p.ifDescr === 'Port-channel1'));
  t.ok(s.ports.some((p) => p.ifDescr?.startsWith('Vlan')));
  t.ok(s.devices.some((x) => x.status === 0));
  t.ok(s.devices.some((x) => x.disabled === 1));
  const statuses = new Set(s.ports.map((p) => p.ifOperStatus));
  t.ok(statuses.has('up') && statuses.has('down') && statuses.has('lowerLayerDown'));
  const again = syntheticState({ devices: 20, portsPerDevice: 50, seed: 1 });
  t.same(again.ports.slice(0, 100), s.ports.slice(0, 100), 'deterministic per seed');

  const d = await withDouble(t, { state: s });
  const r = await get(d, '/api/v0/ports?columns=port_id,device_id,ifName,ifAlias,ifOperStatus,ifInOctets,ifOutOctets,poll_time');
  t.equal(r.status, 200);
  const parsed = JSON.parse(r.text) as { ports: unknown[] };
  t.equal(parsed.ports.length, s.ports.filter((p) => !p.deleted).length);
});

/** throwaway self-signed test certificate for 127.0.0.1 (EC P-256, valid 100 years); not a secret */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg39XJ6JVHff9YrG4Y
0oi3nnD7vIzoVkfHg+qesZheKaChRANCAAS1iAY8vhzE4OMbMNB0RYLjqXestbNZ
lVij0dKyIY1sLUCSHZA80Mb5R3ZYjxIuAXCUfNOKYCq3IMpsLEZZw74G
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUTDHVga+6PULkK4LEDJ5Ngp54j5gwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjE0MTM0OFoYDzIxMjYxMTAy
MTQxMzQ4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAS1iAY8vhzE4OMbMNB0RYLjqXestbNZlVij0dKyIY1sLUCSHZA80Mb5
R3ZYjxIuAXCUfNOKYCq3IMpsLEZZw74Go2QwYjAdBgNVHQ4EFgQUkWrwoWTsTyxo
hFvQH+5BzJ2tNjgwHwYDVR0jBBgwFoAUkWrwoWTsTyxohFvQH+5BzJ2tNjgwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQDsM0rzkmMds+XmN30NI6VFXX6AdosRcw/wOoignoKuVQIhAIlEpoB2tcWxefhB
N+a3m+4zIg9xMpdpKUr89pV1J2aO
-----END CERTIFICATE-----`;

t.test('tls: serves HTTPS with the given key and certificate', async (t) => {
  const d = await withDouble(t, { tls: { key: TEST_KEY, cert: TEST_CERT } });
  t.match(d.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const got = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    https
      .get(`${d.url}/api/v0/devices`, { headers: { 'X-Auth-Token': d.token }, ca: TEST_CERT }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
  t.equal(got.status, 200);
  t.match(got.body, '"hostname": "192.168.56.10"');
});
