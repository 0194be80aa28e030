/**
 * Faults from LibreNMS, each against the double over real HTTP: what the exporter says about it
 * (librenms_up, librenms_scrape_collector_success, a log line in words), that it keeps serving the
 * last good data within CACHE_MAX_AGE_SECONDS, and that it recovers by itself once LibreNMS is back.
 * The last test greps everything any of these scenarios logged or served for the token and the
 * lab's SNMP community.
 */
import t, { type Test } from 'tap';
import { request } from 'undici';
import { type Fault, HTML_500_BODY, type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { LAB_COMMUNITY, labState } from '../librenms-double/fixtures.js';
import { capturedText, startExporter, type TestExporter } from './helpers/exporter.js';
import { find, type ParsedExposition, valueOf } from './helpers/exposition.js';
import { FakeClock } from './helpers/fake-clock.js';
import { collectorWarnings, FAST_ENV, librenmsLines, logsSince, requestsTo, scrapeWithin, setupPair, waitFor } from './helpers/harness.js';

const LAB = '192.168.56.10';
const ETHER1 = { hostname: LAB, ifName: 'ether1', ifIndex: '1' };
/** Every token any scenario used, for the leak check at the end. */
const tokens = new Set<string>();

/**
 * Time in these tests is fake where it matters: request deadlines on a clock that only the test moves
 * (a scrape with a budget waits for the refresh until the test says its time is up), and the
 * exporter's wall clock (TTL, retry delays, Retry-After, maximum age) moved by the test too.
 */
const WALL_START = 1_800_000_000_000;

/** Lets queued callbacks and I/O that is ready run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type CollectorName = 'devices' | 'ports';

/** Asserts a healthy scrape: HTTP 200, librenms_up 1, both collectors 1, ether1 there. */
function assertHealthy(t: Test, parsed: ParsedExposition, what: string): void {
  t.equal(valueOf(parsed, 'librenms_up'), 1, `${what}: librenms_up 1`);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 1, `${what}: devices collector 1`);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1, `${what}: ports collector 1`);
  t.equal(valueOf(parsed, 'librenms_port_up', ETHER1), 1, `${what}: ether1 served`);
}

interface Scenario {
  readonly name: string;
  readonly path: string | RegExp;
  readonly fault: Fault;
  readonly failing: CollectorName;
  /** `error_code` of the log line. */
  readonly code: string;
  /** `http_status` of the log line, when LibreNMS answered. */
  readonly status?: number;
  /** What the log line must say. */
  readonly words: RegExp;
  /** `code` label of librenms_exporter_api_requests_total for the failed request. */
  readonly metricCode: string;
  readonly env?: Record<string, string>;
  /** Prometheus's scrape timeout sent with each scrape (s). */
  readonly scrapeTimeout?: number;
  /**
   * Only some reads failed: each device's last good ports are served (counted in
   * librenms_exporter_ports_stale_devices) instead of the collector's whole last output.
   */
  readonly partly?: boolean;
}

const DEVICES = '/api/v0/devices';
const PORTS = '/api/v0/ports';
const PER_DEVICE_PORTS = /^\/api\/v0\/devices\/\d+\/ports$/;
const BULK = { PORTS_STRATEGY: 'bulk' };

const SCENARIOS: Scenario[] = [
  {
    name: 'a request that hangs: the timeout fires and the scrape answers within its budget',
    path: DEVICES,
    fault: { kind: 'hang' },
    failing: 'devices',
    code: 'timeout',
    words:
      /^cannot read the device list from LibreNMS: LibreNMS did not answer \/devices within 0\.5 s: raise REQUEST_TIMEOUT_SECONDS for a slow LibreNMS, or check LIBRENMS_URL and any firewall in between; serving the last good data$/,
    metricCode: 'timeout',
    env: { REQUEST_TIMEOUT_SECONDS: '0.5' },
    scrapeTimeout: 2,
  },
  {
    name: 'the ports request hangs',
    path: PORTS,
    fault: { kind: 'hang' },
    failing: 'ports',
    code: 'timeout',
    words: /LibreNMS did not answer \/ports within 0\.5 s/,
    metricCode: 'timeout',
    env: { ...BULK, REQUEST_TIMEOUT_SECONDS: '0.5' },
    scrapeTimeout: 2,
  },
  {
    name: 'a body so slow it outlasts the request timeout',
    path: DEVICES,
    fault: { kind: 'slowBody', chunkDelayMs: 25 },
    failing: 'devices',
    code: 'timeout',
    status: 200,
    words: /LibreNMS did not answer \/devices within 0\.5 s/,
    metricCode: 'timeout',
    env: { REQUEST_TIMEOUT_SECONDS: '0.5' },
    scrapeTimeout: 2,
  },
  {
    name: 'a connection reset in the middle of the /devices body',
    path: DEVICES,
    fault: { kind: 'reset' },
    failing: 'devices',
    code: 'connection_failed',
    status: 200,
    words: /The connection to LibreNMS broke while reading \/devices \((UND_ERR_SOCKET|ECONNRESET|EPIPE)\)/,
    metricCode: 'connection_failed',
  },
  {
    name: 'a connection reset in the middle of the /ports body',
    path: PORTS,
    fault: { kind: 'reset' },
    failing: 'ports',
    code: 'connection_failed',
    status: 200,
    words: /The connection to LibreNMS broke while reading \/ports \(.+\)/,
    metricCode: 'connection_failed',
    env: BULK,
  },
  {
    name: 'HTTP 401 with a body without "status"',
    path: DEVICES,
    fault: { kind: 'status', status: 401, body: '{"message":"Unauthenticated."}' },
    failing: 'devices',
    code: 'unauthorized',
    status: 401,
    words: /LibreNMS rejected the API token \(HTTP 401 on \/devices\): check LIBRENMS_TOKEN or LIBRENMS_TOKEN_FILE/,
    metricCode: '401',
  },
  {
    name: 'HTTP 403 with a body without "status"',
    path: DEVICES,
    fault: { kind: 'status', status: 403, body: '{"message":"This action is unauthorized."}' },
    failing: 'devices',
    code: 'forbidden',
    status: 403,
    words: /LibreNMS refused access \(HTTP 403 on \/devices: This action is unauthorized\.\): give the token's user the global-read role/,
    metricCode: '403',
  },
  {
    name: 'HTTP 500 with a JSON body',
    path: PORTS,
    fault: { kind: 'status', status: 500, body: '{\n    "message": "Server Error"\n}' },
    failing: 'ports',
    code: 'server_error',
    status: 500,
    words: /LibreNMS answered HTTP 500 on \/ports: Server Error/,
    metricCode: '500',
    env: BULK,
  },
  {
    name: 'HTTP 500 with a LibreNMS error envelope',
    path: DEVICES,
    fault: { kind: 'status', status: 500, body: '{"status":"error","message":"SQLSTATE[HY000] [2002] Connection refused"}' },
    failing: 'devices',
    code: 'server_error',
    status: 500,
    words: /HTTP 500 on \/devices: SQLSTATE\[HY000\] \[2002\] Connection refused/,
    metricCode: '500',
  },
  {
    name: 'HTTP 500 with the HTML PHP "Allowed memory size exhausted" page',
    path: PORTS,
    fault: { kind: 'html500' },
    failing: 'ports',
    code: 'server_error',
    status: 500,
    words: /LibreNMS answered HTTP 500 on \/ports: non-JSON body: Allowed memory size of 134217728 bytes exhausted/,
    metricCode: '500',
    env: BULK,
  },
  {
    name: 'HTTP 502 HTML page from the reverse proxy',
    path: DEVICES,
    fault: { kind: 'raw', status: 502, body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body></html>', contentType: 'text/html' },
    failing: 'devices',
    code: 'server_error',
    status: 502,
    words: /HTTP 502 on \/devices: non-JSON body: 502 Bad Gateway/,
    metricCode: '502',
  },
  {
    name: 'a redirect to the login page (a web server answering instead of the API)',
    path: DEVICES,
    fault: { kind: 'status', status: 302, body: '', headers: { Location: 'http://librenms.example/login' } },
    failing: 'devices',
    code: 'http_error',
    status: 302,
    words: /LibreNMS redirected \/devices \(HTTP 302\) to http:\/\/librenms\.example\/login: check LIBRENMS_URL/,
    metricCode: '302',
  },
  {
    name: 'HTTP 500 with an empty body',
    path: DEVICES,
    fault: { kind: 'status', status: 500, body: '' },
    failing: 'devices',
    code: 'server_error',
    status: 500,
    words: /HTTP 500 on \/devices: empty body/,
    metricCode: '500',
  },
  {
    name: 'a truncated JSON body (/devices)',
    path: DEVICES,
    fault: { kind: 'truncate' },
    failing: 'devices',
    code: 'invalid_response',
    status: 200,
    words: /LibreNMS answered \/devices with a body that is not JSON \(\d+ bytes, cut short or an error page\?\)/,
    metricCode: 'invalid_response',
  },
  {
    name: 'a truncated JSON body (/ports)',
    path: PORTS,
    fault: { kind: 'truncate' },
    failing: 'ports',
    code: 'invalid_response',
    status: 200,
    words: /answered \/ports with a body that is not JSON/,
    metricCode: 'invalid_response',
    env: BULK,
  },
  {
    name: 'PHP notices printed before the JSON (display_errors on)',
    path: DEVICES,
    fault: {
      kind: 'raw',
      body: '<br />\n<b>Deprecated</b>:  Optional parameter $x declared before required parameter in <b>/opt/librenms/includes/common.php</b> on line <b>12</b><br />\n{"status":"ok","devices":[]}',
    },
    failing: 'devices',
    code: 'invalid_response',
    status: 200,
    words:
      /answered \/devices with a body that is not JSON \(\d+ bytes, PHP or the web server wrote: Deprecated: Optional parameter \$x declared before required parameter in \/opt\/librenms\/includes\/common\.php on line 12\)/,
    metricCode: 'invalid_response',
  },
  {
    name: 'a JSON body with status "error"',
    path: PORTS,
    fault: { kind: 'raw', body: '{"status":"error","message":"Invalid columns: ifFoo"}' },
    failing: 'ports',
    code: 'api_error',
    status: 200,
    words: /LibreNMS reported an error on \/ports: Invalid columns: ifFoo/,
    metricCode: 'api_error',
    env: BULK,
  },
  {
    name: 'a JSON body with status "error" and no message',
    path: DEVICES,
    fault: { kind: 'raw', body: '{"status":"error"}' },
    failing: 'devices',
    code: 'api_error',
    status: 200,
    words: /LibreNMS reported an error on \/devices: status "error"/,
    metricCode: 'api_error',
  },
  ...['[]', '"ok"', 'null', '42', 'true'].map(
    (body): Scenario => ({
      name: `a body that is not an object: ${body}`,
      path: DEVICES,
      fault: { kind: 'raw', body },
      failing: 'devices',
      code: 'invalid_response',
      status: 200,
      words: /LibreNMS answered \/devices with JSON that is not an object/,
      metricCode: 'invalid_response',
    }),
  ),
  {
    name: 'an envelope without the list',
    path: DEVICES,
    fault: { kind: 'raw', body: '{"status":"ok","count":0}' },
    failing: 'devices',
    code: 'invalid_response',
    status: 200,
    words: /LibreNMS answered \/devices without a "devices" list/,
    metricCode: 'invalid_response',
  },
  {
    name: 'a "ports" value that is an object, not a list',
    path: PORTS,
    fault: { kind: 'raw', body: '{"status":"ok","ports":{"3":{"port_id":3}}}' },
    failing: 'ports',
    code: 'invalid_response',
    status: 200,
    words: /LibreNMS answered \/ports without a "ports" list/,
    metricCode: 'invalid_response',
    env: BULK,
  },
  {
    name: 'every per-device ports request answers 500',
    path: PER_DEVICE_PORTS,
    fault: { kind: 'status', status: 500, body: '{"message":"Server Error"}' },
    failing: 'ports',
    code: 'server_error',
    status: 500,
    words: /^collector ports partly failed \(4 request\(s\)\): LibreNMS answered HTTP 500 on \/devices\/:hostname\/ports: Server Error$/,
    metricCode: '500',
    env: { PORTS_STRATEGY: 'per-device' },
    partly: true,
  },
];

for (const scenario of SCENARIOS) {
  t.test(scenario.name, async (t) => {
    // Deadlines that never pass: each scrape answers once the refresh has ended, however loaded the
    // machine; that a scrape never waits past its deadline is tested on a fake clock below.
    const { double, exporter } = await setupPair(t, scenario.env ?? {}, {}, { deadlineClock: new FakeClock() });
    tokens.add(double.token);
    const timeout = scenario.scrapeTimeout ?? 5;
    const good = await scrapeWithin(exporter, timeout);
    t.equal(good.status, 200);
    assertHealthy(t, good.parsed, 'before the fault');
    const goodData = librenmsLines(good.parsed);

    double.addFault({ path: scenario.path, fault: scenario.fault });
    // A bulk /ports 5xx or timeout is read again device by device; these scenarios model a LibreNMS failing both.
    if (scenario.path === PORTS && fallsBackPerDevice(scenario.fault)) double.addFault({ path: PER_DEVICE_PORTS, fault: scenario.fault });
    const mark = exporter.logs.length;
    const failed = await scrapeWithin(exporter, timeout);
    t.equal(failed.status, 200, '/metrics answers 200 whatever LibreNMS does');
    t.equal(valueOf(failed.parsed, 'librenms_up'), scenario.failing === 'devices' ? 0 : 1, 'librenms_up says whether the device list was read');
    t.equal(valueOf(failed.parsed, 'librenms_scrape_collector_success', { collector: scenario.failing }), 0, `${scenario.failing} collector 0`);
    if (scenario.failing === 'ports') {
      t.equal(valueOf(failed.parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 1, 'devices collector still 1');
    } else {
      t.equal(valueOf(failed.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0, 'ports cannot run without devices');
    }
    t.same(librenmsLines(failed.parsed), goodData, 'the last good data is still served, unchanged');
    t.ok(
      (valueOf(failed.parsed, 'librenms_exporter_api_requests_total', { endpoint: endpointOf(scenario.path), code: scenario.metricCode }) ?? 0) >= 1,
      `the failed request is counted with code="${scenario.metricCode}"`,
    );

    const lines = collectorWarnings(exporter, mark, scenario.failing);
    t.equal(lines.length, 1, 'one log line for the failing collector');
    const line = lines[0] ?? {};
    t.match(line['msg'], scenario.words, 'the log line says what happened in words');
    t.equal(line['error_code'], scenario.code, 'with the error code');
    t.equal(line['http_status'], scenario.status, scenario.status === undefined ? 'no HTTP status (LibreNMS did not answer)' : 'with the HTTP status');
    if (scenario.partly) t.equal(valueOf(failed.parsed, 'librenms_exporter_ports_stale_devices'), 4, 'each device served from its last good read');
    else t.equal(line['serving_stale'], true, 'and says the last good data is served');

    double.clearFaults();
    const recovered = await scrapeWithin(exporter, timeout);
    assertHealthy(t, recovered.parsed, 'after LibreNMS is back');
    t.same(librenmsLines(recovered.parsed), goodData, 'the same data as before the fault');
    const complete = logsSince(exporter, mark).filter((l) => l['msg'] === 'refresh from LibreNMS complete');
    t.same(
      complete.map((l) => l['success']),
      [false, true],
      'one failed and one successful refresh logged',
    );
  });
}

/** A bulk /ports failure the exporter gets around by reading device by device: a 5xx or a timeout. */
function fallsBackPerDevice(fault: Fault): boolean {
  return fault.kind === 'html500' || fault.kind === 'hang' || ((fault.kind === 'status' || fault.kind === 'raw') && (fault.status ?? 200) >= 500);
}

function endpointOf(path: string | RegExp): string {
  if (path === PER_DEVICE_PORTS) return '/devices/:hostname/ports';
  return String(path).replace('/api/v0', '');
}

t.test('connection refused: LibreNMS down, then back on the same port', async (t) => {
  const first = await startLibreNmsDouble();
  tokens.add(first.token);
  const exporter = await startExporter({ LIBRENMS_URL: first.url, LIBRENMS_TOKEN: first.token, ...FAST_ENV });
  let second: LibreNmsDouble | undefined;
  t.teardown(async () => {
    await exporter.close();
    await first.close();
    await second?.close();
  });
  const good = await scrapeWithin(exporter, 5);
  assertHealthy(t, good.parsed, 'before');
  const port = Number(new URL(first.url).port);
  await first.close();

  const mark = exporter.logs.length;
  const down = await scrapeWithin(exporter, 5);
  t.equal(down.status, 200);
  t.equal(valueOf(down.parsed, 'librenms_up'), 0);
  t.equal(valueOf(down.parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 0);
  t.equal(valueOf(down.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0);
  t.same(librenmsLines(down.parsed), librenmsLines(good.parsed), 'last good data served');
  const line = collectorWarnings(exporter, mark, 'devices')[0] ?? {};
  t.match(line['msg'], new RegExp(`Cannot connect to LibreNMS at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): check LIBRENMS_URL`));
  t.equal(line['error_code'], 'connection_failed');
  t.notOk('http_status' in line, 'no HTTP status');
  t.equal(valueOf(down.parsed, 'librenms_exporter_api_requests_total', { endpoint: '/devices', code: 'connection_failed' }), 1);

  second = await startLibreNmsDouble({ port, state: first.state });
  const back = await scrapeWithin(exporter, 5);
  assertHealthy(t, back.parsed, 'after LibreNMS restarted');
});

t.test('a hang longer than the scrape budget: the scrape answers in time with the last good data', async (t) => {
  const deadlines = new FakeClock();
  const { double, exporter } = await setupPair(t, { REQUEST_TIMEOUT_SECONDS: '1.5' }, {}, { deadlineClock: deadlines });
  tokens.add(double.token);
  const good = await scrapeWithin(exporter, 1);
  assertHealthy(t, good.parsed, 'before');
  double.addFault({ path: DEVICES, fault: { kind: 'hang' } });
  const devicesBefore = requestsTo(double, DEVICES);

  /** A scrape with a 1 s timeout: its budget, 1 s minus the 0.5 s margin, passes on the fake clock. */
  const scrapeUntilItsDeadline = async (what: string) => {
    let answered = false;
    const scrape = scrapeWithin(exporter, 1).then((s) => ((answered = true), s));
    const deadline = deadlines.now() + 500;
    await waitFor(() => deadlines.timers.length === 1 && double.inFlight === 1, 60_000, 'the scrape to wait for the hanging refresh');
    t.same(deadlines.timers, [deadline], `${what}: waits for the refresh until its budget is spent`);
    await settle();
    t.equal(answered, false, `${what}: not answered before`);
    deadlines.advance(500);
    return scrape;
  };
  // The refresh is still waiting for LibreNMS.
  const first = await scrapeUntilItsDeadline('first scrape');
  t.same(librenmsLines(first.parsed), librenmsLines(good.parsed), 'last good data');
  t.equal(double.inFlight, 1, 'the refresh carries on (its request is still open)');
  const second = await scrapeUntilItsDeadline('a second scrape');
  t.same(librenmsLines(second.parsed), librenmsLines(good.parsed), 'a second scrape also answers at its deadline');
  t.equal(requestsTo(double, DEVICES), devicesBefore + 1, 'and joins the same refresh (one hanging request, not two)');

  const mark = exporter.logs.length;
  await waitFor(() => logsSince(exporter, mark).some((l) => l['msg'] === 'refresh from LibreNMS complete'), 60_000, 'the request timeout');
  const line = collectorWarnings(exporter, mark, 'devices')[0] ?? {};
  t.match(line['msg'], /did not answer \/devices within 1\.5 s/);
  double.clearFaults();
  const after = await scrapeWithin(exporter, 5);
  assertHealthy(t, after.parsed, 'recovered');
});

t.test('a slow body within the timeout is simply waited for', async (t) => {
  // LibreNMS's pauses between chunks run on a fake clock, moved on as each comes due.
  const librenms = new FakeClock();
  const { double, exporter } = await setupPair(t, BULK, { timers: librenms }, { deadlineClock: new FakeClock() });
  tokens.add(double.token);
  const good = await scrapeWithin(exporter, 5);
  double.addFault({ path: PORTS, fault: { kind: 'slowBody', chunkDelayMs: 3 } });
  double.addFault({ path: DEVICES, fault: { kind: 'slowBody', chunkDelayMs: 2 } });
  const slow = await librenms.runUntil(scrapeWithin(exporter, 5));
  assertHealthy(t, slow.parsed, 'slow body');
  t.same(librenmsLines(slow.parsed), librenmsLines(good.parsed), 'same data as fast');
  t.ok(librenms.now() > 150, `the body really was slow (${librenms.now()} ms of pauses between its chunks)`);
});

t.test('HTTP 404 for one device (per-device strategy): that device has no ports, the others stay', async (t) => {
  const { double, exporter } = await setupPair(t, { PORTS_STRATEGY: 'per-device' });
  tokens.add(double.token);
  const good = await scrapeWithin(exporter, 5);
  assertHealthy(t, good.parsed, 'before');
  const swPorts = find(good.parsed, 'librenms_port_up', { hostname: 'sw-core-01.lab' }).length;
  t.ok(swPorts > 0);
  // LibreNMS's answer for a device without ports, and for a device deleted since /devices was read.
  for (const message of ['No ports found', 'Device 1 does not exist']) {
    double.addFault({ path: '/api/v0/devices/1/ports', fault: { kind: 'status', status: 404, body: JSON.stringify({ status: 'error', message }) }, times: 1 });
    const mark = exporter.logs.length;
    const { parsed } = await scrapeWithin(exporter, 5);
    t.equal(find(parsed, 'librenms_port_up', { hostname: LAB }).length, 0, `${message}: the device has no port series`);
    t.equal(find(parsed, 'librenms_port_up', { hostname: 'sw-core-01.lab' }).length, swPorts, 'the other devices keep theirs');
    t.equal(valueOf(parsed, 'librenms_device_up', { hostname: LAB }), 1, 'the device itself is still there');
    t.equal(valueOf(parsed, 'librenms_up'), 1);
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1, 'a device without ports is not an error');
    t.same(collectorWarnings(exporter, mark, 'ports'), [], 'and not warned about');
  }
  const counted = valueOf((await scrapeWithin(exporter, 5)).parsed, 'librenms_exporter_api_requests_total', {
    endpoint: '/devices/:hostname/ports',
    code: '404',
  });
  t.equal(counted, 2, 'the 404s are visible in librenms_exporter_api_requests_total');
});

t.test('one device failing in per-device mode: the others are read, its last good ports served, the failure logged', async (t) => {
  // A deadline that never passes: the scrape answers when the refresh ends, at the request timeout.
  const { double, exporter } = await setupPair(t, { PORTS_STRATEGY: 'per-device', REQUEST_TIMEOUT_SECONDS: '0.5' }, {}, { deadlineClock: new FakeClock() });
  tokens.add(double.token);
  const good = await scrapeWithin(exporter, 5);
  double.addFault({ path: '/api/v0/devices/3/ports', fault: { kind: 'hang' } });
  const mark = exporter.logs.length;
  const { parsed } = await scrapeWithin(exporter, 2);
  t.equal(valueOf(parsed, 'librenms_up'), 1);
  t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0, 'ports collector 0');
  const before = find(good.parsed, 'librenms_port_up', { hostname: 'sw-core-01.lab' }).length;
  t.ok(before > 0);
  t.equal(find(parsed, 'librenms_port_up', { hostname: 'sw-core-01.lab' }).length, before, "the hanging device's last good ports are served");
  t.equal(valueOf(parsed, 'librenms_exporter_ports_stale_devices'), 1, 'and counted');
  t.equal(valueOf(parsed, 'librenms_port_up', ETHER1), 1, 'the others are served');
  const line = collectorWarnings(exporter, mark, 'ports')[0] ?? {};
  t.match(line['msg'], /^collector ports partly failed \(1 request\(s\)\): LibreNMS did not answer \/devices\/:hostname\/ports within 0\.5 s/);
  t.equal(line['error_code'], 'timeout');
  double.clearFaults();
  assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, 'recovered');
});

t.test('an empty ports array: zero ports, not an error; devices stay', async (t) => {
  for (const strategy of ['bulk', 'per-device'] as const) {
    const { double, exporter } = await setupPair(t, { PORTS_STRATEGY: strategy });
    tokens.add(double.token);
    const good = await scrapeWithin(exporter, 5);
    assertHealthy(t, good.parsed, strategy);
    const path = strategy === 'bulk' ? PORTS : PER_DEVICE_PORTS;
    double.addFault({ path, fault: { kind: 'raw', body: '{\n    "status": "ok",\n    "ports": []\n}' } });
    const mark = exporter.logs.length;
    const { parsed } = await scrapeWithin(exporter, 5);
    t.equal(valueOf(parsed, 'librenms_up'), 1, `${strategy}: up`);
    t.equal(valueOf(parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 1, `${strategy}: ports collector 1`);
    t.equal(parsed.samples.filter((s) => s.name.startsWith('librenms_port_')).length, 0, `${strategy}: no port series`);
    t.equal(find(parsed, 'librenms_device_up').length, find(good.parsed, 'librenms_device_up').length, `${strategy}: devices stay`);
    t.ok(find(parsed, 'librenms_device_last_polled_timestamp_seconds').length > 0, `${strategy}: last polled from the devices' own last_polled`);
    const complete = logsSince(exporter, mark).find((l) => l['msg'] === 'refresh from LibreNMS complete');
    t.equal(complete?.['ports'], 0, `${strategy}: the refresh log says 0 ports`);
    double.clearFaults();
    assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, `${strategy}: ports back`);
  }
});

/** A pair on a fake wall clock, with deadlines that never pass (each scrape answers once its refresh ended). */
async function setupOnFakeTime(t: Test, env: Record<string, string>): Promise<{ double: LibreNmsDouble; exporter: TestExporter; wall: FakeClock }> {
  const wall = new FakeClock(WALL_START);
  return { ...(await setupPair(t, env, {}, { now: wall.now, deadlineClock: new FakeClock() })), wall };
}

t.test('HTTP 429 with Retry-After: back off for that long, without hammering, then recover', async (t) => {
  const { double, exporter, wall } = await setupOnFakeTime(t, BULK);
  tokens.add(double.token);
  assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, 'before');
  double.addFault({ path: DEVICES, fault: { kind: 'status', status: 429, body: '{"message":"Too Many Attempts."}', headers: { 'Retry-After': '2' } } });
  const mark = exporter.logs.length;
  const limited = await scrapeWithin(exporter, 5);
  t.equal(valueOf(limited.parsed, 'librenms_up'), 0);
  t.equal(valueOf(limited.parsed, 'librenms_scrape_collector_success', { collector: 'devices' }), 0);
  t.equal(valueOf(limited.parsed, 'librenms_port_up', ETHER1), 1, 'last good data served');
  const line = collectorWarnings(exporter, mark, 'devices')[0] ?? {};
  t.match(line['msg'], /LibreNMS is rate limiting \(HTTP 429 on \/devices\): waiting 2 s as asked/);
  t.equal(line['http_status'], 429);
  t.equal(line['error_code'], 'rate_limited');

  const requestsAfter429 = double.requests.length;
  const devicesAfter429 = requestsTo(double, DEVICES);
  // Scrapes keep coming every 100 ms; none of them may reach LibreNMS before Retry-After is over.
  for (let elapsed = 100; elapsed < 2000; elapsed += 100) {
    wall.advance(100);
    const { parsed } = await scrapeWithin(exporter, 5);
    t.equal(valueOf(parsed, 'librenms_port_up', ETHER1), 1);
  }
  t.equal(double.requests.length, requestsAfter429, 'no request to LibreNMS while it asked us to wait (1.9 s after the 429)');
  double.clearFaults();
  wall.advance(100);
  const back = await scrapeWithin(exporter, 5);
  assertHealthy(t, back.parsed, 'after Retry-After');
  t.equal(requestsTo(double, DEVICES), devicesAfter429 + 1, 'exactly one retry, 2 s after the 429');
});

t.test('HTTP 429 on one device of per-device mode also backs off the next refresh', async (t) => {
  const { double, exporter, wall } = await setupOnFakeTime(t, { PORTS_STRATEGY: 'per-device' });
  tokens.add(double.token);
  await scrapeWithin(exporter, 5);
  double.addFault({
    path: '/api/v0/devices/2/ports',
    fault: { kind: 'status', status: 429, body: '{"message":"Too Many Attempts."}', headers: { 'Retry-After': '2' } },
  });
  const mark = exporter.logs.length;
  const limited = await scrapeWithin(exporter, 5);
  t.equal(valueOf(limited.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0);
  t.equal(valueOf(limited.parsed, 'librenms_port_up', ETHER1), 1, 'the other devices are served');
  t.match(collectorWarnings(exporter, mark, 'ports')[0]?.['msg'], /HTTP 429 on \/devices\/:hostname\/ports/);
  const before = double.requests.length;
  let scrapes = 0;
  for (let elapsed = 100; elapsed < 2000; elapsed += 100) {
    wall.advance(100);
    await scrapeWithin(exporter, 5);
    scrapes++;
  }
  t.equal(scrapes, 19, 'scrapes every 100 ms inside the Retry-After window');
  t.equal(double.requests.length, before, 'no request to LibreNMS before Retry-After is over');
  double.clearFaults();
  wall.advance(100);
  assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, 'after Retry-After');
});

t.test('HTTP 503 (maintenance mode) with Retry-After is honoured too', async (t) => {
  const { double, exporter, wall } = await setupOnFakeTime(t, BULK);
  tokens.add(double.token);
  await scrapeWithin(exporter, 5);
  double.addFault({ path: DEVICES, fault: { kind: 'status', status: 503, body: '{"message":"Service Unavailable"}', headers: { 'Retry-After': '2' } } });
  const mark = exporter.logs.length;
  const down = await scrapeWithin(exporter, 5);
  t.equal(valueOf(down.parsed, 'librenms_up'), 0);
  t.match(collectorWarnings(exporter, mark, 'devices')[0]?.['msg'], /HTTP 503 on \/devices: Service Unavailable \(retrying after 2 s as asked\)/);
  const before = double.requests.length;
  for (let elapsed = 100; elapsed < 2000; elapsed += 100) {
    wall.advance(100);
    await scrapeWithin(exporter, 5);
  }
  t.equal(double.requests.length, before, 'no request before Retry-After is over');
  double.clearFaults();
  wall.advance(100);
  assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, 'back after Retry-After');
});

t.test('HTTP 429 with Retry-After as an HTTP date', async (t) => {
  const { double, exporter, wall } = await setupOnFakeTime(t, BULK);
  tokens.add(double.token);
  await scrapeWithin(exporter, 5);
  const until = new Date(Date.now() + 3000).toUTCString();
  double.addFault({ path: PORTS, fault: { kind: 'status', status: 429, headers: { 'Retry-After': until } }, times: 1 });
  const mark = exporter.logs.length;
  await scrapeWithin(exporter, 5);
  t.match(collectorWarnings(exporter, mark, 'ports')[0]?.['msg'], /rate limiting \(HTTP 429 on \/ports\): waiting [23] s as asked/);
  const before = double.requests.length;
  wall.advance(500);
  const { parsed } = await scrapeWithin(exporter, 5);
  t.equal(double.requests.length, before, 'no request half a second later');
  t.equal(valueOf(parsed, 'librenms_port_up', ETHER1), 1);
});

t.test('the last good data is dropped after CACHE_MAX_AGE_SECONDS; retries wait min(TTL, 5 s)', async (t) => {
  const { double, exporter, wall } = await setupOnFakeTime(t, { PORTS_STRATEGY: 'bulk', CACHE_TTL_SECONDS: '1', CACHE_MAX_AGE_SECONDS: '2' });
  tokens.add(double.token);
  const good = await scrapeWithin(exporter, 5);
  assertHealthy(t, good.parsed, 'before');
  double.addFault({ path: PORTS, fault: { kind: 'html500' } });
  double.addFault({ path: PER_DEVICE_PORTS, fault: { kind: 'html500' } });
  wall.advance(1050); // the TTL
  const mark = exporter.logs.length;
  const stale = await scrapeWithin(exporter, 5);
  t.equal(valueOf(stale.parsed, 'librenms_scrape_collector_success', { collector: 'ports' }), 0);
  t.equal(valueOf(stale.parsed, 'librenms_port_up', ETHER1), 1, 'stale ports served within the maximum age');
  t.equal(valueOf(stale.parsed, 'librenms_exporter_cache_age_seconds'), 1.05, 'librenms_exporter_cache_age_seconds says how old the oldest data served is');
  t.equal(collectorWarnings(exporter, mark, 'ports')[0]?.['serving_stale'], true);

  const portsRequests = requestsTo(double, PORTS);
  await scrapeWithin(exporter, 5);
  t.equal(requestsTo(double, PORTS), portsRequests, 'no retry within the retry delay (min(TTL, 5 s) = 1 s)');

  wall.advance(1050); // 2.1 s after the good data was read, 1.05 s after the failure
  const mark2 = exporter.logs.length;
  const expired = await scrapeWithin(exporter, 5);
  t.equal(requestsTo(double, PORTS), portsRequests + 1, 'retried after the delay');
  t.equal(find(expired.parsed, 'librenms_port_up').length, 0, 'ports older than the maximum age are no longer served');
  t.equal(valueOf(expired.parsed, 'librenms_device_up', { hostname: LAB }), 1, 'fresh device data still is');
  t.equal(valueOf(expired.parsed, 'librenms_up'), 1);
  const line = collectorWarnings(exporter, mark2, 'ports')[0] ?? {};
  t.equal(line['serving_stale'], false, 'the log says nothing is served any more');
  t.notMatch(line['msg'], /serving its last good data/);

  double.clearFaults();
  wall.advance(1050);
  assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, 'recovered');
});

t.test('LibreNMS echoing the token in an error does not put it in a log line', async (t) => {
  const { double, exporter } = await setupPair(t, BULK);
  tokens.add(double.token);
  await scrapeWithin(exporter, 5);
  const echoes: Fault[] = [
    { kind: 'status', status: 500, body: JSON.stringify({ message: `Invalid API token ${double.token} for /ports` }) },
    // (no 403: every role may read /ports, routes/api.php; a proxy's 401 stands in for a refusal)
    { kind: 'status', status: 401, body: JSON.stringify({ message: `token ${double.token} was not accepted` }) },
    { kind: 'raw', status: 503, contentType: 'text/html', body: `<html><head><title>Whoops: X-Auth-Token ${double.token}</title></head></html>` },
    { kind: 'raw', status: 200, body: JSON.stringify({ status: 'error', message: `token=${double.token}` }) },
  ];
  for (const fault of echoes) {
    double.addFault({ path: PORTS, fault, times: 1 });
    if (fallsBackPerDevice(fault)) double.addFault({ path: PER_DEVICE_PORTS, fault }); // else the per-device fallback saves the refresh
    const mark = exporter.logs.length;
    await scrapeWithin(exporter, 5);
    double.clearFaults();
    const line = collectorWarnings(exporter, mark, 'ports')[0] ?? {};
    t.ok(typeof line['msg'] === 'string' && line['msg'].length > 20, 'the failure is logged');
    t.notOk(JSON.stringify(line).includes(double.token), `no token in: ${String(line['msg'])}`);
  }
  t.notOk(exporter.logText().includes(double.token), 'no token anywhere in the log');
});

t.test('an API token with unusual characters is sent intact and never logged', async (t) => {
  const token = 'tok/with+odd=chars_9f8e7d6c';
  const { double, exporter } = await setupPair(t, {}, { token });
  tokens.add(double.token);
  assertHealthy(t, (await scrapeWithin(exporter, 5)).parsed, 'accepted');
  double.addFault({ path: DEVICES, fault: { kind: 'status', status: 401 }, times: 1 });
  await scrapeWithin(exporter, 5);
  t.notOk(exporter.logText().includes(token));
});

t.test('the exporter still serves /healthz and / under every fault', async (t) => {
  const { double, exporter } = await setupPair(t, { REQUEST_TIMEOUT_SECONDS: '0.3' });
  tokens.add(double.token);
  double.addFault({ path: /.*/, fault: { kind: 'hang' } });
  const scrape = scrapeWithin(exporter, 1);
  const health = await request(`${exporter.url}/healthz`);
  t.equal(health.statusCode, 200);
  t.same(await health.body.json(), { status: 'ok' });
  const { status, parsed } = await scrape;
  t.equal(status, 200);
  t.equal(valueOf(parsed, 'librenms_up'), 0, 'before any good data: only the exporter metrics, librenms_up 0');
  t.equal(find(parsed, 'librenms_device_up').length, 0);
});

t.test('no token and no SNMP community in any log line or response body of all the scenarios above', async (t) => {
  const everything = capturedText.join('\n');
  t.ok(everything.length > 40_000, `collected ${everything.length} characters from ${capturedText.length} log lines and bodies`);
  t.ok(tokens.size >= 2, `${tokens.size} distinct tokens`);
  for (const token of tokens) t.notOk(everything.includes(token), `token ${token.slice(0, 4)}… never appears`);
  t.notOk(everything.includes(LAB_COMMUNITY), 'the SNMP community never appears');
  t.notOk(/s3cret/.test(everything), 'nor any part of it');
  const snmpSecrets = labState()
    .devices.flatMap((d) => [d.authpass, d.cryptopass])
    .filter((v): v is string => v !== null);
  t.ok(snmpSecrets.length > 0);
  for (const secret of snmpSecrets) t.notOk(everything.includes(secret), 'no SNMPv3 pass phrase');
  t.notOk(everything.includes(HTML_500_BODY), 'raw error pages are not copied whole');
});
