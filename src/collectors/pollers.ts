/**
 * The `pollers` collector: LibreNMS's own pollers (`/api/v0/pollers`, LibreNMS 26.1.0 and later): the
 * dispatcher's nodes with their worker types, or the poller-wrapper's rows. They belong to no device,
 * so only a scrape of the whole install has them (not `?group=` or `/probe`).
 *
 * On a release without the route nothing is asked: the collector succeeds with a notice. The version
 * comes from `/system` (read at most once an hour); a build that only asking can place (a `-dev` build
 * of 26.1.0, a git describe after an earlier release) is asked once per version string.
 */
import { LibreNmsError } from '../errors.js';
import { labelsEach, type SampleSink, sampleEach } from '../exposition/sink.js';
import { librenmsTimeZone, scopeKey } from '../inventory/selection.js';
import { isMissingRouteAnswer, type LibreNmsClient, MISSING_ROUTE_MESSAGE } from '../librenms/client.js';
import { POLLERS_ROUTE_SINCE, servesRouteSince } from '../librenms/endpoints.js';
import { mapPollers, type PollerRecord } from '../mapping/pollers.js';
import { SharedValue } from '../util/single-flight.js';
import type { Collector } from './collector.js';

/** The install-wide reads of the pollers collector, kept between refreshes. */
class PollerReads {
  readonly pollers: SharedValue<unknown[]>;
  /** Version strings ('' when unknown) whose one request found no `/pollers` route. */
  readonly missingIn = new Set<string>();

  constructor(client: LibreNmsClient, ttlMs: number, now: () => number) {
    this.pollers = new SharedValue(() => client.listPollers(), ttlMs, now);
  }
}

/** The notice of a LibreNMS without `/pollers`. */
export function pollersMissingNotice(version: string | undefined): string {
  return (
    `LibreNMS ${version ?? '(version unknown)'} does not serve /api/v0/pollers (it came in LibreNMS ${POLLERS_ROUTE_SINCE}): the pollers collector has nothing to export. ` +
    "Upgrade LibreNMS to see its pollers; until then each device's last poll is in librenms_device_last_polled_timestamp_seconds and librenms_device_poll_duration_seconds."
  );
}

/** Writes the poller families. */
export function writePollers(sink: SampleSink, pollers: readonly PollerRecord[]): void {
  const id = labelsEach(sink, pollers, ['poller'], (p) => [p.poller]);
  sampleEach(
    sink,
    'librenms_poller_info',
    pollers,
    (p) => sink.labels(['poller', 'kind', 'node_id', 'groups'], [p.poller, p.kind, p.nodeId, p.groups]),
    () => 1,
  );
  sampleEach(sink, 'librenms_poller_last_report_timestamp_seconds', pollers, id, (p) => p.lastReportSeconds);
  sampleEach(sink, 'librenms_poller_master', pollers, id, (p) => p.master);
  sampleEach(sink, 'librenms_poller_run_duration_seconds', pollers, id, (p) => p.runDurationSeconds);
  const types = pollers.flatMap((poller) => poller.types.map((type) => ({ poller, type })));
  const typeId = labelsEach(sink, types, ['poller', 'type'], (t) => [t.poller.poller, t.type.type]);
  sampleEach(sink, 'librenms_poller_devices', types, typeId, (t) => t.type.devices);
  sampleEach(sink, 'librenms_poller_worker_busy_seconds', types, typeId, (t) => t.type.workerBusySeconds);
  sampleEach(sink, 'librenms_poller_workers', types, typeId, (t) => t.type.workers);
  sampleEach(sink, 'librenms_poller_interval_seconds', types, typeId, (t) => t.type.intervalSeconds);
  sampleEach(sink, 'librenms_poller_queue_depth', types, typeId, (t) => t.type.queueDepth);
}

export const pollersCollector: Collector = {
  name: 'pollers',
  enabledByDefault: true,
  description: "LibreNMS's own pollers (LibreNMS 26.1 and later): last report, devices, busy worker time, workers, queue",
  // A normal user's token is refused it (routes/api.php, the can:global-read group of 26.x).
  endpoints: ['/pollers'],
  families: [
    'librenms_poller_info',
    'librenms_poller_last_report_timestamp_seconds',
    'librenms_poller_master',
    'librenms_poller_devices',
    'librenms_poller_run_duration_seconds',
    'librenms_poller_worker_busy_seconds',
    'librenms_poller_workers',
    'librenms_poller_interval_seconds',
    'librenms_poller_queue_depth',
  ],
  async collect(input, sink) {
    if (input.scope !== undefined && scopeKey(input.scope) !== 'all') return { summary: {}, partialErrors: [] };
    const reads = input.memory(() => new PollerReads(input.client, input.config.cacheTtlMs, input.now));
    // A version that cannot be read counts as unknown: the route is then asked for.
    const version = await input.inventory.version().catch(() => undefined);
    const serves = servesRouteSince(version, POLLERS_ROUTE_SINCE);
    const missing = { summary: { pollers: 0 }, partialErrors: [], notice: pollersMissingNotice(version) };
    if (serves === false || (serves === undefined && reads.missingIn.has(version ?? ''))) return missing;
    let rows: unknown[];
    try {
      rows = await reads.pollers.get();
    } catch (error) {
      if (!isMissingRouteAnswer(error)) throw error;
      if (serves === true) {
        throw new LibreNmsError(
          'not_found',
          `LibreNMS ${version} answered /pollers with 404 "${MISSING_ROUTE_MESSAGE}", although LibreNMS serves it from ${POLLERS_ROUTE_SINCE}: a proxy in front of LibreNMS that passes only some routes, or a modified LibreNMS. Leave pollers out of COLLECTORS if it is meant to be.`,
          { endpoint: '/pollers', status: 404, detail: MISSING_ROUTE_MESSAGE, cause: error },
        );
      }
      reads.missingIn.add(version ?? '');
      return missing;
    }
    const pollers = mapPollers(rows, await librenmsTimeZone(input.inventory, input.config));
    writePollers(sink, pollers);
    return { summary: { pollers: pollers.length }, partialErrors: [] };
  },
};
