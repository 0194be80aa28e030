/**
 * Pure mapping of `/api/v0/pollers` rows (LibreNMS 26.1 and later) to poller records. LibreNMS lists
 * the dispatcher's nodes (tables poller_cluster and poller_cluster_stats, written by
 * librenms-service.py) when any node ever reported, else the poller-wrapper's rows (table pollers,
 * written by poller-wrapper.py): list_pollers in includes/html/api_functions.inc.php. Each row is
 * read by its own keys.
 */
import { labelText } from './text.js';
import { objectRows, readFlag, readNonNegative, readText, readTimestamp } from './values.js';

/** One worker type of a dispatcher node (`stats[]`: poller, discovery, services, alerting, billing, ping). */
export interface PollerTypeRecord {
  readonly type: string;
  /** Devices handled since the node's previous report. */
  readonly devices: number | undefined;
  /** Busy worker time since the node's previous report, seconds (`worker_seconds`). */
  readonly workerBusySeconds: number | undefined;
  readonly workers: number | undefined;
  /** How often this type runs, seconds (`frequency`). */
  readonly intervalSeconds: number | undefined;
  /** Jobs waiting in the node's queues when it reported (`depth`). */
  readonly queueDepth: number | undefined;
}

export interface PollerRecord {
  /** `poller_name`. */
  readonly poller: string;
  /** `dispatcher` (a poller_cluster row) or `wrapper` (a pollers row). */
  readonly kind: 'dispatcher' | 'wrapper';
  /** The dispatcher's `node_id`, '' for the wrapper. */
  readonly nodeId: string;
  /** The dispatcher's poller groups, comma-separated ids, as LibreNMS stores them; '' for the wrapper. */
  readonly groups: string;
  /** Unix seconds: the dispatcher's `last_report`, or the wrapper's `last_polled` (the end of its last run). */
  readonly lastReportSeconds: number | undefined;
  /** The dispatcher node is the cluster's master: 1 or 0; undefined for the wrapper. */
  readonly master: number | undefined;
  /** The wrapper's last run, seconds (`time_taken`). */
  readonly runDurationSeconds: number | undefined;
  /**
   * The dispatcher's worker types. The wrapper has one, `poller`, with only the devices of its last
   * run (`devices`): what a dispatcher node's poller workers report.
   */
  readonly types: readonly PollerTypeRecord[];
}

/**
 * Maps `/pollers` rows. `timeZone` is LibreNMS's zone, in which the wrapper's zone-less `last_polled`
 * is read (the dispatcher's `last_report` is cast to ISO 8601 with a zone by app/Models/PollerCluster.php).
 * Rows without a name are left out, and so is a second row with the same name, or a second stats row
 * of the same type.
 */
export function mapPollers(rows: readonly unknown[], timeZone: string): PollerRecord[] {
  const pollers: PollerRecord[] = [];
  const seen = new Set<string>();
  for (const r of objectRows(rows)) {
    const poller = labelText(readText(r['poller_name'])?.trim());
    if (poller === '' || seen.has(poller)) continue;
    seen.add(poller);
    const dispatcher = 'node_id' in r || 'last_report' in r || 'stats' in r;
    if (dispatcher) {
      const master = readFlag(r['master']);
      pollers.push({
        poller,
        kind: 'dispatcher',
        nodeId: labelText(readText(r['node_id'])?.trim()),
        groups: labelText(readText(r['poller_groups'])?.trim()),
        lastReportSeconds: readTimestamp(r['last_report'], timeZone),
        master: master === undefined ? undefined : master ? 1 : 0,
        runDurationSeconds: undefined,
        types: pollerTypes(r['stats']),
      });
    } else {
      pollers.push({
        poller,
        kind: 'wrapper',
        nodeId: '',
        groups: '',
        lastReportSeconds: readTimestamp(r['last_polled'], timeZone),
        master: undefined,
        runDurationSeconds: readNonNegative(r['time_taken']),
        types: [
          {
            type: 'poller',
            devices: readNonNegative(r['devices']),
            workerBusySeconds: undefined,
            workers: undefined,
            intervalSeconds: undefined,
            queueDepth: undefined,
          },
        ],
      });
    }
  }
  return pollers;
}

function pollerTypes(stats: unknown): PollerTypeRecord[] {
  if (!Array.isArray(stats)) return [];
  const types: PollerTypeRecord[] = [];
  const seen = new Set<string>();
  for (const r of objectRows(stats)) {
    const type = labelText(readText(r['poller_type'])?.trim());
    if (type === '' || seen.has(type)) continue;
    seen.add(type);
    types.push({
      type,
      devices: readNonNegative(r['devices']),
      workerBusySeconds: readNonNegative(r['worker_seconds']),
      workers: readNonNegative(r['workers']),
      intervalSeconds: readNonNegative(r['frequency']),
      queueDepth: readNonNegative(r['depth']),
    });
  }
  return types;
}
