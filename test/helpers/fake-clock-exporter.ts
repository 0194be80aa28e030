/** The exporter app on a fake clock against a double, scraped with `app.inject`, and request counts at the double. */
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import type { LibreNmsDouble } from '../../librenms-double/double.js';
import { loadConfig } from '../../src/config/env.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { type ParsedExposition, parseExposition } from './exposition.js';

export const MINUTE = 60_000;
export const BULK = '/api/v0/ports';
export const PER_DEVICE = /^\/api\/v0\/devices\/\d+\/ports$/;

export interface FakeClockExporter {
  readonly clock: { now: number };
  readonly logs: Record<string, unknown>[];
  /**
   * Scrapes `url` (`/metrics`, or a scoped `/metrics?group=…`, `/probe?target=…`) at the clock's time.
   * The refresh it starts runs against the real double; the scrape's budget is the longest there is,
   * so it returns once that refresh has ended, however busy the machine.
   */
  scrape(url?: string): Promise<ParsedExposition>;
  /** The text a scrape of `url` serves (see {@link scrape}). */
  text(url?: string): Promise<string>;
}

/** Builds the exporter with a clock the test moves; it goes with the test. */
export async function fakeClockExporter(t: Test, double: LibreNmsDouble, env: Record<string, string> = {}): Promise<FakeClockExporter> {
  const clock = { now: 1_800_000_000_000 };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LISTEN_ADDRESS: '127.0.0.1:0', ...env });
  const exporter = buildApp({ config, logger: createLogger('info', sink), now: () => clock.now });
  t.teardown(() => exporter.app.close());
  const text = async (url = '/metrics'): Promise<string> =>
    (await exporter.app.inject({ url, headers: { 'x-prometheus-scrape-timeout-seconds': '600' } })).body;
  return {
    clock,
    logs,
    text,
    async scrape(url) {
      return parseExposition(await text(url));
    },
  };
}

/** Requests the double received for `path` (since the `since`-th). */
export const count = (double: LibreNmsDouble, path: string | RegExp, since = 0): number =>
  double.requests.slice(since).filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).length;
