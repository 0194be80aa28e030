/**
 * The deadline of one HTTP request, from Prometheus's scrape timeout or SD refresh interval header.
 * Requests get their deadline here and nowhere else.
 */

import { MAX_SCRAPE_SECONDS } from '../config/settings.js';
import type { Config } from '../config-types.js';
import { Deadline, type DeadlineClock, systemClock } from '../deadline.js';

/** A positive number of seconds from a header, or undefined. */
function headerSeconds(header: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  const seconds = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * How long a scrape may wait for LibreNMS, in ms: Prometheus's `X-Prometheus-Scrape-Timeout-Seconds`
 * (or DEFAULT_SCRAPE_TIMEOUT_SECONDS when absent or unusable), capped at {@link MAX_SCRAPE_SECONDS},
 * minus SCRAPE_TIMEOUT_MARGIN_SECONDS kept for writing the answer.
 */
export function scrapeBudgetMs(header: string | string[] | undefined, config: Pick<Config, 'defaultScrapeTimeoutMs' | 'scrapeTimeoutMarginMs'>): number {
  const seconds = headerSeconds(header);
  const timeoutMs = seconds !== undefined ? Math.min(seconds, MAX_SCRAPE_SECONDS) * 1000 : config.defaultScrapeTimeoutMs;
  return Math.max(0, timeoutMs - config.scrapeTimeoutMarginMs);
}

/** Longest `/sd` waits for LibreNMS, in ms, whatever the headers say. */
export const SD_MAX_WAIT_MS = 5_000;

/**
 * How long `/sd` waits for LibreNMS, in ms: half of Prometheus's HTTP SD refresh interval
 * (`X-Prometheus-Refresh-Interval-Seconds`; Prometheus gives up on the request after one interval,
 * discovery/http/http.go), and at most {@link SD_MAX_WAIT_MS} and the scrape budget. Past it, `/sd`
 * answers with the instances that did answer: one hung LibreNMS must not hold back the others' targets.
 */
export function sdBudgetMs(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  config: Pick<Config, 'defaultScrapeTimeoutMs' | 'scrapeTimeoutMarginMs'>,
): number {
  const refresh = headerSeconds(headers['x-prometheus-refresh-interval-seconds']);
  const scrape = scrapeBudgetMs(headers['x-prometheus-scrape-timeout-seconds'], config);
  return Math.min(SD_MAX_WAIT_MS, scrape, refresh === undefined ? Number.POSITIVE_INFINITY : (refresh * 1000) / 2);
}

/**
 * One deadline per request: made when the request arrives, passed to everything it waits on.
 * @param clock the system's in production; tests pass a fake one
 */
export function requestDeadline(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  config: Pick<Config, 'defaultScrapeTimeoutMs' | 'scrapeTimeoutMarginMs'>,
  clock: DeadlineClock = systemClock,
): Deadline {
  return new Deadline(scrapeBudgetMs(headers['x-prometheus-scrape-timeout-seconds'], config), clock);
}

/** The deadline of one `/sd` request ({@link sdBudgetMs}), made when it arrives. */
export function sdDeadline(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  config: Pick<Config, 'defaultScrapeTimeoutMs' | 'scrapeTimeoutMarginMs'>,
  clock: DeadlineClock = systemClock,
): Deadline {
  return new Deadline(sdBudgetMs(headers, config), clock);
}
