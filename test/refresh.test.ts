import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import type { Collector, CollectorInput, CollectorOutcome } from '../src/collectors/collector.js';
import { loadConfig } from '../src/config/env.js';
import { Deadline } from '../src/deadline.js';
import { LibreNmsError } from '../src/errors.js';
import { ExpositionMemo } from '../src/exposition/exposition.js';
import type { SampleSink } from '../src/exposition/sink.js';
import type { DeviceSelection } from '../src/inventory/selection.js';
import { createLogger } from '../src/logger.js';
import { Refresher } from '../src/refresh/refresher.js';
import { FakeClock } from './helpers/fake-clock.js';

const config = loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:1', LIBRENMS_TOKEN: 'x' });
const logs: string[] = [];
const logger = createLogger('debug', new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }));

/**
 * Writes the lines `name value` of a scripted text as samples `librenms_device_up{hostname="name"} value`;
 * {@link text} reads them back as those lines.
 */
function writeLines(sink: SampleSink, text: string): void {
  const family = sink.family('librenms_device_up');
  for (const line of text.split('\n')) {
    const [name = '', value = ''] = line.split(' ');
    if (line !== '') sink.sample(family, sink.labels(['hostname'], [name]), Number(value));
  }
}

/** A collector whose behaviour the test scripts (the lines it writes), counting its runs. */
function scripted(name: string, behaviour: () => Promise<string> | string, partialErrors: readonly Error[] = []): Collector & { runs: number } {
  const collector = {
    name,
    enabledByDefault: true,
    description: name,
    endpoints: [],
    families: ['librenms_device_up' as const],
    runs: 0,
    async collect(_input: CollectorInput, sink: SampleSink): Promise<CollectorOutcome> {
      collector.runs++;
      writeLines(sink, await behaviour());
      return { summary: {}, partialErrors };
    },
  };
  return collector;
}

const EMPTY_SELECTION: DeviceSelection = { devices: [], knownDevices: 0 };

function refresher(collectors: Collector[], clock: { now: number }, ttlMs = 60_000, maxAgeMs = 600_000, select = async () => EMPTY_SELECTION) {
  return new Refresher({
    collectors,
    select,
    input: (selection) => ({ config, logger, selection }) as unknown as CollectorInput,
    ttlMs,
    maxAgeMs,
    logger,
    failureRetryMs: 5000,
    now: () => clock.now,
  });
}

const memos = new WeakMap<Refresher, ExpositionMemo>();
const memoOf = (r: Refresher): ExpositionMemo => {
  let memo = memos.get(r);
  if (memo === undefined) memos.set(r, (memo = new ExpositionMemo()));
  return memo;
};
/**
 * Deadlines on a clock that never moves: a scrape with a budget waits for the refresh however long the
 * machine takes (one with none waits for nothing), so no result here depends on wall time.
 */
const frozen = new FakeClock();
const text = async (r: Refresher, budget = 1000) => {
  const e = memoOf(r).get(await r.serve(new Deadline(budget, frozen)));
  if (e === undefined) return undefined;
  const lines = (await e.toText()).split('\n');
  return lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/^librenms_device_up\{hostname="([^"]*)"\} /, '$1 '))
    .join('\n');
};

t.test('scrapes within the TTL reuse one refresh and one rendering', async (t) => {
  const clock = { now: 1_000_000 };
  const devices = scripted('devices', () => 'a 1\n');
  const r = refresher([devices], clock);
  t.equal(await text(r), 'a 1\n');
  clock.now += 30_000;
  t.equal(await text(r), 'a 1\n');
  t.equal(devices.runs, 1, 'one refresh');
  t.equal(
    memoOf(r).get(await r.serve(new Deadline(1000, frozen))),
    memoOf(r).get(await r.serve(new Deadline(1000, frozen))),
    'bytes assembled once and reused',
  );
  clock.now += 31_000;
  await text(r);
  t.equal(devices.runs, 2, 'refreshed after the TTL');
});

t.test('concurrent scrapes share one refresh (single flight)', async (t) => {
  const clock = { now: 0 };
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const devices = scripted('devices', async () => (await gate, 'a 1\n'));
  const r = refresher([devices], clock);
  const scrapes = Array.from({ length: 50 }, () => text(r, 5000));
  release();
  const results = await Promise.all(scrapes);
  t.equal(devices.runs, 1);
  t.ok(results.every((x) => x === 'a 1\n'));
});

t.test('a scrape never waits past its budget; the refresh carries on', async (t) => {
  const clock = { now: 0 };
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const devices = scripted('devices', async () => (await gate, 'new 1\n'));
  const r = refresher([devices], clock);
  // The scrape's deadline runs on a fake clock: it is over when the test says, not after real time.
  const deadlines = new FakeClock();
  let answered = false;
  const scrape = r.serve(new Deadline(50, deadlines)).then((served) => ((answered = true), served));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(answered, false, 'the scrape waits for the refresh until its deadline');
  t.same(deadlines.timers, [50], 'and no longer');
  deadlines.advance(50);
  t.same(await scrape, [], 'at the deadline, with the refresh still running: served empty');
  t.equal(devices.runs, 1, 'the refresh started');
  release();
  // refresh() joins the refresh still running, rather than starting another.
  await r.refresh();
  t.equal(devices.runs, 1, 'the refresh still running was joined');
  t.equal(await text(r, 0), 'new 1\n', 'the next scrape gets the data');
});

t.test('a failing collector keeps its last good data within the maximum age; others unaffected', async (t) => {
  const clock = { now: 0 };
  let fail = false;
  const devices = scripted('devices', () => 'd 1\n');
  const ports = scripted('ports', () => {
    if (fail) throw new LibreNmsError('server_error', 'LibreNMS answered HTTP 500 on /ports: Server Error', { endpoint: '/ports', status: 500 });
    return 'p 1\n';
  });
  const r = refresher([devices, ports], clock, 60_000, 300_000);
  t.equal(await text(r), 'd 1\np 1\n');
  t.equal(r.status().collectors.find((c) => c.name === 'ports')?.success, true);
  fail = true;
  clock.now += 61_000;
  t.equal(await text(r), 'd 1\np 1\n', 'stale ports still served');
  const status = r.status();
  t.equal(status.up, true, 'LibreNMS answered the device list');
  t.same(
    status.collectors.map((c) => [c.name, c.success]),
    [
      ['devices', true],
      ['ports', false],
    ],
  );
  t.equal(status.cacheAgeSeconds, 61, 'age of the oldest data served');
  t.match(logs.join(''), /collector ports failed: LibreNMS answered HTTP 500 on \/ports/);
  t.match(logs.join(''), /"http_status":500/);
  clock.now += 1000;
  await text(r);
  t.equal(ports.runs, 2, 'no retry before the failure backoff');
  clock.now += 250_000;
  t.equal(await text(r), 'd 1\n', 'past the maximum age the stale ports are dropped');
  fail = false;
  clock.now += 5000;
  t.equal(await text(r), 'd 1\np 1\n', 'recovers by itself');
});

t.test('Retry-After from LibreNMS defers the next refresh', async (t) => {
  const clock = { now: 0 };
  let selections = 0;
  const devices = scripted('devices', () => 'd 1\n');
  const r = refresher([devices], clock, 10_000, 600_000, async () => {
    selections++;
    throw new LibreNmsError('rate_limited', 'LibreNMS is rate limiting', { endpoint: '/devices', status: 429, retryAfterSeconds: 120 });
  });
  await text(r);
  t.equal(r.status().up, false, 'no device list: librenms_up 0');
  t.same(
    r.status().collectors.map((c) => [c.name, c.success]),
    [['devices', false]],
    'the collectors count as failed',
  );
  t.equal(devices.runs, 0, 'no collector runs without the selection');
  clock.now += 60_000;
  await text(r);
  t.equal(selections, 1, 'no request while LibreNMS asked us to wait');
  clock.now += 61_000;
  await text(r);
  t.equal(selections, 2);
});

t.test('gzip of the cached bytes is computed once', async (t) => {
  const clock = { now: 0 };
  const r = refresher([scripted('devices', () => 'x 1\n'.repeat(1000))], clock);
  const e = memoOf(r).get(await r.serve(new Deadline(1000, frozen)));
  t.ok(e);
  const first = (await e?.gzip()) ?? [];
  const second = (await e?.gzip()) ?? [];
  t.ok(first.length > 0 && first.every((piece, i) => piece === second[i]), 'the same buffers: compressed once');
  const header =
    '# HELP librenms_device_up 1 when LibreNMS sees the device as up, 0 when down. Changes once per LibreNMS poll (about 5 minutes).\n# TYPE librenms_device_up gauge\n';
  t.equal(gunzipSync(Buffer.concat(first ?? [])).toString(), `${header}${'librenms_device_up{hostname="x"} 1\n'.repeat(1000)}`);
});

t.test('a lasting partial failure keeps the TTL: only the partly failed collector runs again, sooner and backing off', async (t) => {
  const clock = { now: 0 };
  const healthy = scripted('devices', () => 'd 1\n');
  // One device of many answers 500, on every read.
  const error = new LibreNmsError('server_error', 'LibreNMS answered HTTP 500 on /devices/:hostname/ports: Server Error', {
    endpoint: '/devices/:hostname/ports',
    status: 500,
  });
  const partly = scripted('ports', () => 'p 1\n', [error]);
  const r = refresher([healthy, partly], clock);
  const runsAt: number[] = [];
  // A scrape every second for two TTLs.
  for (let second = 0; second < 120; second++) {
    clock.now = second * 1000;
    const before = partly.runs;
    t.equal(await text(r), 'd 1\np 1\n');
    if (partly.runs > before) runsAt.push(second);
  }
  t.equal(healthy.runs, 2, 'one full refresh per TTL (at 0 s and 60 s)');
  t.same(runsAt, [0, 5, 15, 35, 60, 65, 75, 95], 'the partly failed collector again after 5, 10 and 20 s, then with the next full refresh');
  t.equal(r.status().collectors.find((c) => c.name === 'ports')?.success, false);
});
