/** The deadline of one HTTP request, from Prometheus's scrape timeout header. */

import { MAX_SCRAPE_SECONDS } from '../config/env.js';
import type { Config } from '../config/types.js';
import { Deadline } from '../deadline.js';

/**
 * How long a scrape may wait for LibreNMS, in ms: Prometheus's `X-Prometheus-Scrape-Timeout-Seconds`
 * (or DEFAULT_SCRAPE_TIMEOUT_SECONDS when absent or unusable), capped at {@link MAX_SCRAPE_SECONDS},
 * minus SCRAPE_TIMEOUT_MARGIN_SECONDS kept for writing the answer.
 */
export function scrapeBudgetMs(header: string | string[] | undefined, config: Pick<Config, 'defaultScrapeTimeoutMs' | 'scrapeTimeoutMarginMs'>): number {
  const raw = Array.isArray(header) ? header[0] : header;
  const seconds = raw === undefined ? Number.NaN : Number(raw);
  const timeoutMs = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, MAX_SCRAPE_SECONDS) * 1000 : config.defaultScrapeTimeoutMs;
  return Math.max(0, timeoutMs - config.scrapeTimeoutMarginMs);
}

/** One deadline per request: made when the request arrives, passed to everything it waits on. */
export function requestDeadline(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  config: Pick<Config, 'defaultScrapeTimeoutMs' | 'scrapeTimeoutMarginMs'>,
): Deadline {
  return new Deadline(scrapeBudgetMs(headers['x-prometheus-scrape-timeout-seconds'], config));
}
