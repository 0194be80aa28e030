/**
 * One deadline per request: `/probe` and `/metrics?group=` spend part of Prometheus's scrape timeout on
 * the inventory or group check, and must not start a fresh budget for the refresh after it. Under a
 * slow or hanging LibreNMS they answer inside the timeout header (minus nothing: the margin is ours).
 * Time is fake: the request deadlines run on one clock and the double's latency on another, both moved
 * by the test, so what is pending at each moment is checked by state, never by timing.
 */
import t, { type Test } from 'tap';
import { request } from 'undici';
import { type DoubleOptions, type LibreNmsDouble, startLibreNmsDouble } from '../librenms-double/double.js';
import { Deadline, systemClock } from '../src/deadline.js';
import { requestDeadline, scrapeBudgetMs, sdDeadline } from '../src/http/deadline.js';
import { startExporter, type TestExporter } from './helpers/exporter.js';
import { FakeClock } from './helpers/fake-clock.js';
import { waitFor } from './helpers/harness.js';

const TIMEOUT_SECONDS = 2.5;
const HEADER = { 'x-prometheus-scrape-timeout-seconds': String(TIMEOUT_SECONDS) };
/** The scrape timeout minus SCRAPE_TIMEOUT_MARGIN_SECONDS (0.5 s). */
const BUDGET_MS = 2000;

/** A promise whose outcome can be looked at without waiting for it. */
function watch<T>(promise: Promise<T>): { readonly promise: Promise<T>; readonly settled: boolean } {
  const watched = { promise, settled: false };
  promise.then(
    () => void (watched.settled = true),
    () => void (watched.settled = true),
  );
  return watched;
}

/** Lets queued callbacks and I/O that is ready run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

t.test('Deadline on a fake clock: remaining time, expiry, one timer per race, earlier deadlines', async (t) => {
  const clock = new FakeClock(1_000);
  const expired = new Deadline(0, clock);
  t.equal(expired.expired, true);
  t.equal(await expired.race(new Promise(() => undefined)), undefined, 'an expired deadline waits for nothing');
  t.same(clock.timers, [], 'and sets no timer');
  t.equal(new Deadline(-5, clock).remainingMs(), 0, 'a negative budget is already expired');

  const soon = new Deadline(50, clock);
  t.equal(soon.budgetMs, 50);
  t.equal(soon.remainingMs(), 50);
  t.equal(await soon.race(Promise.resolve('now')), 'now');
  t.same(clock.timers, [], 'a race that the promise won leaves no timer behind');

  const late = watch(soon.race(new Promise(() => undefined)));
  t.same(clock.timers, [1_050], 'one timer, at the deadline');
  clock.advance(30);
  t.equal(soon.remainingMs(), 20);
  await settle();
  t.equal(late.settled, false, 'not over before the deadline');
  clock.advance(20);
  t.equal(await late.promise, undefined, 'past the deadline: undefined');
  t.equal(soon.expired, true);
  clock.advance(1_000);
  t.equal(soon.remainingMs(), 0, 'never negative');

  const whole = new Deadline(1_000, clock);
  t.equal(whole.earlierBy(250).at, whole.at - 250, 'an earlier deadline on the same clock');
  t.equal(whole.earlierBy(5_000).expired, true, 'never before now');
  t.equal(whole.earlierBy(-5).at, whole.at, 'never later than the deadline itself');

  // A promise that fails after the deadline is no unhandled rejection.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.teardown(() => void process.off('unhandledRejection', onUnhandled));
  let fail: (error: Error) => void = () => undefined;
  const failing = new Promise<never>((_resolve, reject) => (fail = reject));
  const raced = new Deadline(10, clock).race(failing);
  clock.advance(10);
  t.equal(await raced, undefined);
  fail(new Error('late failure'));
  t.equal(await new Deadline(0, clock).race(Promise.reject(new Error('failure after expiry'))), undefined);
  await settle();
  await settle();
  t.same(unhandled, [], 'late failures are observed');
});

t.test('the system clock: monotonic time and cancellable timers', async (t) => {
  const before = systemClock.now();
  t.ok(systemClock.now() >= before, 'never goes back');
  const fired: string[] = [];
  const cancel = systemClock.after(0, () => fired.push('cancelled'));
  cancel();
  await new Promise<void>((resolve) => systemClock.after(1, () => (fired.push('fired'), resolve())));
  t.same(fired, ['fired'], 'a cancelled timer never fires');
  t.equal(await new Deadline(60_000).race(Promise.resolve('value')), 'value', 'the default clock is the system one');
  t.equal(new Deadline(0).expired, true);
});

t.test('scrape budget: the header, capped, minus the margin; the default without a usable header', async (t) => {
  const config = { defaultScrapeTimeoutMs: 10_000, scrapeTimeoutMarginMs: 500 };
  t.equal(scrapeBudgetMs('2.5', config), 2000);
  t.equal(scrapeBudgetMs(undefined, config), 9500);
  t.equal(scrapeBudgetMs('nonsense', config), 9500);
  t.equal(scrapeBudgetMs('-1', config), 9500);
  t.equal(scrapeBudgetMs('31536000', config), 600_000 - 500, 'an absurd header is capped at 600 s');
  t.equal(scrapeBudgetMs('0.2', config), 0, 'never negative');
  const clock = new FakeClock(7);
  t.equal(requestDeadline(HEADER, config, clock).at, 7 + 2000, "a request's deadline is on the clock it is given");
  t.equal(sdDeadline({ 'x-prometheus-refresh-interval-seconds': '2' }, config, clock).at, 7 + 1000, 'so is /sd');
});

/**
 * The exporter with its request deadlines on `deadlines`, against a double. The double is closed
 * first, so the exporter's requests that it holds end at once.
 */
async function setup(t: Test, deadlines: FakeClock, doubleOptions: DoubleOptions = {}): Promise<{ double: LibreNmsDouble; exporter: TestExporter }> {
  const double = await startLibreNmsDouble(doubleOptions);
  const exporter = await startExporter(
    { LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, CACHE_TTL_SECONDS: '0', REQUEST_TIMEOUT_SECONDS: '10', SCRAPE_TIMEOUT_MARGIN_SECONDS: '0.5' },
    { deadlineClock: deadlines },
  );
  t.teardown(async () => {
    await double.close();
    await exporter.close();
  });
  return { double, exporter };
}

/** GET `url` with Prometheus's timeout header: status and body, once answered. */
async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await request(url, { headers: HEADER });
  return { status: response.statusCode, text: await response.body.text() };
}

// What each path's check asks LibreNMS at once: /probe reads the device list and /system (the zone its
// last_polled times are read in, to map the rows); a group scope reads the group list.
for (const [what, path, checkRequests] of [
  ['/probe', '/probe?target=192.168.56.10', 2],
  ['/metrics?group=', '/metrics?group=Lab', 1],
] as const) {
  t.test(`${what} with LibreNMS at 1.5 s per request answers inside a ${TIMEOUT_SECONDS} s timeout`, async (t) => {
    const librenms = new FakeClock();
    const deadlines = new FakeClock();
    const { double, exporter } = await setup(t, deadlines, { latencyMs: 1500, timers: librenms });
    const pass = (ms: number): void => (librenms.advance(ms), deadlines.advance(ms));
    const started = deadlines.now();
    const scrape = watch(get(`${exporter.url}${path}`));

    await waitFor(() => double.inFlight === checkRequests && librenms.timers.length === checkRequests, 60_000, 'the check to reach LibreNMS');
    t.same(deadlines.timers, [started + BUDGET_MS], 'the check waits until the deadline of the request');
    pass(1500);
    await waitFor(() => double.requests.length > checkRequests, 60_000, 'the refresh to reach LibreNMS');
    t.same(deadlines.timers, [started + BUDGET_MS], 'the refresh after it waits for what is left of the same budget, not a fresh one');
    await settle();
    t.equal(scrape.settled, false, 'not answered before the deadline');
    pass(BUDGET_MS - 1500);
    // Answered now, unless something of the request started a wait of its own past the deadline.
    await Promise.race([scrape.promise, deadlines.untilTimers(1)]);
    t.same(deadlines.timers, [], 'nothing of the request waits past its deadline');
    const answer = await scrape.promise;
    t.equal(answer.status, 200, `answered at the deadline, ${BUDGET_MS} ms after the request, inside ${TIMEOUT_SECONDS} s`);
    t.ok(double.inFlight >= 1, 'while LibreNMS is still answering the refresh');
  });

  t.test(`${what} during a LibreNMS hang answers inside a ${TIMEOUT_SECONDS} s timeout`, async (t) => {
    const deadlines = new FakeClock();
    const { double, exporter } = await setup(t, deadlines);
    const warm = await get(`${exporter.url}${path}`);
    t.equal(warm.status, 200, 'a first scrape while LibreNMS answers');
    double.addFault({ path: /^\/api\/v0\//, fault: { kind: 'hang' } });
    const held = double.requests.length;
    const started = deadlines.now();
    const scrape = watch(get(`${exporter.url}${path}`));
    await waitFor(() => double.requests.length > held && deadlines.timers.length === 1, 60_000, 'a request to the hung LibreNMS');
    t.same(deadlines.timers, [started + BUDGET_MS], 'the scrape waits until the deadline of the request');
    await settle();
    t.equal(scrape.settled, false, 'not answered before it');
    deadlines.advance(BUDGET_MS);
    await Promise.race([scrape.promise, deadlines.untilTimers(1)]);
    t.same(deadlines.timers, [], 'no fresh budget was started after the check');
    const answer = await scrape.promise;
    t.equal(answer.status, 200, `answered at the deadline, inside ${TIMEOUT_SECONDS} s`);
    t.match(answer.text, /librenms_port_up\{/, 'with the last good data');
    t.ok(double.inFlight >= 1, 'while LibreNMS still hangs');
  });
}
