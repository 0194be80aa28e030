import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import type { Collector, CollectorInput, CollectorResult } from '../src/collectors/collector.js';
import { loadConfig } from '../src/config/env.js';
import { Deadline } from '../src/deadline.js';
import { LibreNmsError } from '../src/errors.js';
import { ExpositionMemo } from '../src/exposition/cached.js';
import type { DeviceSelection } from '../src/inventory/selection.js';
import { createLogger } from '../src/logger.js';
import { Refresher } from '../src/refresh/refresher.js';

const config = loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:1', LIBRENMS_TOKEN: 'x' });
const logs: string[] = [];
const logger = createLogger('debug', new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }));

/** A collector whose behaviour the test scripts, counting its runs. */
function scripted(name: string, behaviour: () => Promise<string> | string): Collector & { runs: number } {
  const collector = {
    name,
    runs: 0,
    async collect(): Promise<CollectorResult> {
      collector.runs++;
      const text = await behaviour();
      const family = { name: name, type: 'gauge', help: name, labels: [], source: '' } as const;
      return { rendered: [{ family, chunks: [Buffer.from(text)], series: 1 }], series: 1, summary: {}, partialErrors: [] };
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
const text = async (r: Refresher, budget = 1000) => {
  const e = memoOf(r).get(await r.serve(new Deadline(budget)));
  if (e === undefined) return undefined;
  const lines = Buffer.concat((await e.plain().toArray()) as Buffer[])
    .toString()
    .split('\n');
  return lines.filter((l) => !l.startsWith('#')).join('\n');
};

t.test('scrapes within the TTL reuse one refresh and one rendering', async (t) => {
  const clock = { now: 1_000_000 };
  const devices = scripted('devices', () => 'a 1\n');
  const r = refresher([devices], clock);
  t.equal(await text(r), 'a 1\n');
  clock.now += 30_000;
  t.equal(await text(r), 'a 1\n');
  t.equal(devices.runs, 1, 'one refresh');
  t.equal(memoOf(r).get(await r.serve(new Deadline(1000))), memoOf(r).get(await r.serve(new Deadline(1000))), 'bytes assembled once and reused');
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
  const started = Date.now();
  t.equal(await text(r, 50), undefined, 'nothing yet: served empty');
  t.ok(Date.now() - started < 1000);
  t.ok(r.refreshing, 'refresh still running');
  release();
  await r.refresh();
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
  const e = memoOf(r).get(await r.serve(new Deadline(1000)));
  t.ok(e);
  const first = await e?.gzip();
  t.equal(first, await e?.gzip(), 'same buffer');
  t.equal(gunzipSync(Buffer.concat(first ?? [])).toString(), `# HELP devices devices\n# TYPE devices gauge\n${'x 1\n'.repeat(1000)}`);
});

t.test('a lasting partial failure keeps the TTL: only the partly failed collector runs again, sooner and backing off', async (t) => {
  const clock = { now: 0 };
  const healthy = scripted('devices', () => 'd 1\n');
  let partlyRuns = 0;
  const partly: Collector = {
    name: 'ports',
    async collect(): Promise<CollectorResult> {
      partlyRuns++;
      const family = { name: 'ports', type: 'gauge', help: 'ports', labels: [], source: '' } as const;
      // One device of many answers 500, on every read.
      const error = new LibreNmsError('server_error', 'LibreNMS answered HTTP 500 on /devices/:hostname/ports: Server Error', {
        endpoint: '/devices/:hostname/ports',
        status: 500,
      });
      return { rendered: [{ family, chunks: [Buffer.from('p 1\n')], series: 1 }], series: 1, summary: {}, partialErrors: [error] };
    },
  };
  const r = refresher([healthy, partly], clock);
  const runsAt: number[] = [];
  // A scrape every second for two TTLs.
  for (let second = 0; second < 120; second++) {
    clock.now = second * 1000;
    const before = partlyRuns;
    t.equal(await text(r), 'd 1\np 1\n');
    if (partlyRuns > before) runsAt.push(second);
  }
  t.equal(healthy.runs, 2, 'one full refresh per TTL (at 0 s and 60 s)');
  t.same(runsAt, [0, 5, 15, 35, 60, 65, 75, 95], 'the partly failed collector again after 5, 10 and 20 s, then with the next full refresh');
  t.equal(r.status().collectors.find((c) => c.name === 'ports')?.success, false);
});
