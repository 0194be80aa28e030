/**
 * The one place to tune the shipped rules and dashboards (docs/alerting.md, "Tuning").
 *
 * `npm run generate` builds prometheus/recording.yml, prometheus/alerts.yml and
 * grafana/dashboards/*.json from this object; `npm run generate -- --config my.json` merges a JSON file
 * of overrides over it and `--out DIR` writes somewhere else. The generated files are committed for
 * users who copy them, and test/mixin.test.ts fails when they are stale.
 */

/** A Prometheus duration such as 5m, 1h30m. */
export type Duration = string;

export interface MixinConfig {
  /**
   * Label matchers (PromQL, without braces) of the scrape jobs that read the exporter's /metrics
   * (and /metrics?group=). A target of these jobs is watched by LibreNMSExporterDown from its first
   * scrape, also when it never answered and across Prometheus restarts. Targets of other jobs that
   * expose librenms_exporter_build_info are recognised by that (docs/alerting.md, "Which targets").
   */
  readonly metricsJobSelector: string;
  /** The same for /probe jobs (instance = device), watched per job. */
  readonly probeJobSelector: string;
  /** How long a target recognised by its metrics is remembered after it last answered. */
  readonly targetMemory: Duration;
  /**
   * Label matchers of the ports whose state pages (LibreNMSPortDown, LibreNMSPortFlapping), applied to
   * librenms_port_info (labels ifType, ifAlias, ifDescr, ifName, hostname, port_id). Default:
   * physical and aggregate interfaces that carry a description in LibreNMS, the ports a network team
   * labels because something important is plugged in.
   */
  readonly pagingPortSelector: string;
  /**
   * ifOperStatus values (IF-MIB) that count as down for LibreNMSPortDown. Default 2 (down) only:
   * dormant (5) and lowerLayerDown (7) are states of a stacked or standby interface, not an outage.
   */
  readonly portDownOperStatus: readonly number[];
  /**
   * Label matchers of the memory pools LibreNMSMemoryHigh watches, applied to
   * librenms_mempool_usage_ratio (labels hostname, mempool_id, mempool_class). Default: LibreNMS's
   * "system" class, the device's main memory; swap, virtual, buffers, cached and shared pools are full
   * by design on many systems.
   */
  readonly memoryPoolSelector: string;
  /** LibreNMS's poll interval in seconds (LibreNMS's default is 300; 60 with 1-minute polling). */
  readonly pollIntervalSeconds: number;
  /** Prometheus's rule evaluation interval in seconds (global.evaluation_interval). */
  readonly evaluationIntervalSeconds: number;
  /**
   * The scrape timeout of the exporter's jobs in seconds, for LibreNMSScrapeSlow where Prometheus does
   * not export scrape_timeout_seconds (it does with --enable-feature=extra-scrape-metrics).
   */
  readonly scrapeTimeoutSeconds: number;
  /** Alert thresholds. */
  readonly thresholds: {
    /** LibreNMSPortBusy: share of the port speed (0..1). */
    readonly portBusyRatio: number;
    /** LibreNMSPortErrors: share of packets with errors (0..1)... */
    readonly portErrorRatio: number;
    /** ...on ports moving at least this many packets per second. */
    readonly portErrorMinPacketsPerSecond: number;
    /** LibreNMSPortFlapping: polls within flapWindow that saw a status change. */
    readonly flapChanges: number;
    readonly flapWindow: Duration;
    /** LibreNMSDeviceStale and LibreNMSPollerStale: polls missed before a device or poller is stale. */
    readonly stalePolls: number;
    /** LibreNMSScrapeSlow: share of the scrape timeout a scrape may take before it warns. */
    readonly slowScrapeRatio: number;
    /**
     * LibreNMSPollerOverrun: share of its interval a LibreNMS poller may take (the poller-wrapper's run
     * time over pollIntervalSeconds; a dispatcher node's busy worker time over workers × interval).
     */
    readonly pollerBusyRatio: number;
    /** LibreNMSCpuHigh: average processor usage of a device (0..1). */
    readonly cpuHighRatio: number;
    /** LibreNMSMemoryHigh: usage of a memory pool (0..1). */
    readonly memoryHighRatio: number;
    /** LibreNMSStorageNearlyFull: usage of a storage (0..1). */
    readonly storageFullRatio: number;
    /** LibreNMSStorageFillingUp: the trend over storageFillWindow reaches the size within storageFillHorizon. */
    readonly storageFillWindow: Duration;
    readonly storageFillHorizon: Duration;
  };
  /** Every alert's `for:` (and keep_firing_for where an input can flap), by alert name. */
  readonly for: Readonly<Record<AlertName, Duration>>;
  readonly keepFiringFor: Readonly<Partial<Record<AlertName, Duration>>>;
  /**
   * Where each alert's runbook_url points: the base, then the lower-case alert name. Default: the
   * anchors of docs/alerting.md in your copy of this repository. An empty string drops runbook_url.
   */
  readonly runbookBaseUrl: string;
  /** Traffic report and 95th percentile (docs/grafana.md, "Traffic report"). */
  readonly traffic: {
    /** IANA time zone of the billing day ("yesterday", "today so far"). */
    readonly billingTimeZone: string;
    /**
     * A gap (exporter or Prometheus down, LibreNMS not polling) longer than this many poll intervals
     * is marked (port:librenms_port_poll:gap_seconds) and its poll sample is left out of the 95th
     * percentile; its bytes still count in the volume.
     */
    readonly gapPolls: number;
    /** How long the last seen counters are kept through an outage, so volume after it still counts. */
    readonly maxGap: Duration;
    /** How many ports (the top talkers) the report's per-port tables list by default. */
    readonly defaultTopPorts: number;
  };
}

export const ALERT_NAMES = [
  'LibreNMSExporterDown',
  'LibreNMSScrapeFailed',
  'LibreNMSScrapeSlow',
  'LibreNMSScrapeEmpty',
  'LibreNMSDown',
  'LibreNMSTargetRefreshFailed',
  'LibreNMSCollectorFailed',
  'LibreNMSPollerStale',
  'LibreNMSDeviceStale',
  'LibreNMSDeviceDown',
  'LibreNMSDeviceRebooted',
  'LibreNMSSensorOutOfRange',
  'LibreNMSPortDown',
  'LibreNMSPortFlapping',
  'LibreNMSPortBusy',
  'LibreNMSPortErrors',
  'LibreNMSBgpSessionDown',
  'LibreNMSOspfNeighborDown',
  'LibreNMSServiceCritical',
  'LibreNMSPollerNotReporting',
  'LibreNMSPollerOverrun',
  'LibreNMSCpuHigh',
  'LibreNMSMemoryHigh',
  'LibreNMSStorageNearlyFull',
  'LibreNMSStorageFillingUp',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

/** The shipped configuration. */
export const defaultConfig: MixinConfig = {
  metricsJobSelector: 'job=~"librenms|librenms-.+", job!~".*probe.*"',
  probeJobSelector: 'job=~"librenms.*probe.*"',
  targetMemory: '1d',
  pagingPortSelector:
    'ifType=~"ethernetCsmacd|gigabitEthernet|fastEther|fastEtherFX|ieee8023adLag|propPointToPointSerial|sonet|pos|fibreChannel|ds1|ds3|e1", ifAlias!=""',
  portDownOperStatus: [2],
  memoryPoolSelector: 'mempool_class="system"',
  pollIntervalSeconds: 300,
  evaluationIntervalSeconds: 60,
  scrapeTimeoutSeconds: 30,
  thresholds: {
    portBusyRatio: 0.8,
    portErrorRatio: 0.01,
    portErrorMinPacketsPerSecond: 1,
    flapChanges: 3,
    flapWindow: '1h',
    stalePolls: 3,
    slowScrapeRatio: 0.8,
    pollerBusyRatio: 0.95,
    cpuHighRatio: 0.9,
    memoryHighRatio: 0.9,
    storageFullRatio: 0.9,
    storageFillWindow: '6h',
    storageFillHorizon: '1d',
  },
  for: {
    LibreNMSExporterDown: '5m',
    LibreNMSScrapeFailed: '10m',
    LibreNMSScrapeSlow: '15m',
    LibreNMSScrapeEmpty: '10m',
    LibreNMSDown: '5m',
    LibreNMSTargetRefreshFailed: '10m',
    LibreNMSCollectorFailed: '15m',
    LibreNMSPollerStale: '5m',
    LibreNMSDeviceStale: '5m',
    LibreNMSDeviceDown: '10m',
    LibreNMSDeviceRebooted: '0m',
    LibreNMSSensorOutOfRange: '10m',
    LibreNMSPortDown: '10m',
    LibreNMSPortFlapping: '5m',
    LibreNMSPortBusy: '15m',
    LibreNMSPortErrors: '15m',
    LibreNMSBgpSessionDown: '5m',
    LibreNMSOspfNeighborDown: '5m',
    LibreNMSServiceCritical: '5m',
    LibreNMSPollerNotReporting: '5m',
    LibreNMSPollerOverrun: '15m',
    LibreNMSCpuHigh: '15m',
    LibreNMSMemoryHigh: '15m',
    LibreNMSStorageNearlyFull: '15m',
    LibreNMSStorageFillingUp: '1h',
  },
  keepFiringFor: {
    // One answered scrape in a failing series, one poll below the threshold: held, not resolved and
    // re-fired (a new notification and a new `for:` each time).
    LibreNMSExporterDown: '5m',
    LibreNMSScrapeFailed: '5m',
    LibreNMSDown: '5m',
    LibreNMSPortFlapping: '15m',
    LibreNMSPortBusy: '10m',
    LibreNMSPortErrors: '10m',
  },
  runbookBaseUrl: 'docs/alerting.md#alert-',
  traffic: {
    billingTimeZone: 'UTC',
    gapPolls: 1.5,
    maxGap: '1d',
    defaultTopPorts: 50,
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type MixinOverrides = DeepPartial<MixinConfig>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `overrides` merged over `base`, key by key; an unknown key is an error (a typo tunes nothing). */
export function withOverrides(overrides: MixinOverrides, base: MixinConfig = defaultConfig): MixinConfig {
  const merge = (b: unknown, o: unknown, path: string): unknown => {
    if (!isPlainObject(o)) return o === undefined ? b : o;
    if (!isPlainObject(b)) throw new Error(`mixin config: ${path} is not an object`);
    const out: Record<string, unknown> = { ...b };
    for (const [k, v] of Object.entries(o)) {
      // keepFiringFor and for take alert names; every other object has a fixed set of keys.
      if (!(k in b) && path !== 'keepFiringFor') throw new Error(`mixin config: unknown setting ${path ? `${path}.` : ''}${k}`);
      out[k] = merge(b[k], v, path ? `${path}.${k}` : k);
    }
    return out;
  };
  const merged = merge(base, overrides, '') as MixinConfig;
  validate(merged);
  return merged;
}

const DURATION = /^(0|(\d+(ms|s|m|h|d|w|y))+)$/;

/** Seconds of a Prometheus duration. */
export function seconds(d: Duration): number {
  if (!DURATION.test(d)) throw new Error(`mixin config: "${d}" is not a Prometheus duration`);
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * (unit[m[2] ?? 's'] ?? 1);
  return total;
}

/** A Prometheus duration for a number of seconds (whole minutes when it divides). */
export function duration(s: number): Duration {
  const whole = Math.round(s);
  if (whole % 3600 === 0 && whole > 0) return `${whole / 3600}h`;
  if (whole % 60 === 0 && whole > 0) return `${whole / 60}m`;
  return `${whole}s`;
}

function validate(c: MixinConfig): void {
  for (const d of [
    ...Object.values(c.for),
    ...Object.values(c.keepFiringFor),
    c.targetMemory,
    c.thresholds.flapWindow,
    c.thresholds.storageFillWindow,
    c.thresholds.storageFillHorizon,
    c.traffic.maxGap,
  ]) {
    if (d !== undefined) seconds(d);
  }
  for (const name of [...Object.keys(c.for), ...Object.keys(c.keepFiringFor)]) {
    if (!(ALERT_NAMES as readonly string[]).includes(name)) throw new Error(`mixin config: no alert called ${name}`);
  }
  if (!(c.pollIntervalSeconds > 0)) throw new Error('mixin config: pollIntervalSeconds must be > 0');
  if (!(c.evaluationIntervalSeconds > 0)) throw new Error('mixin config: evaluationIntervalSeconds must be > 0');
  for (const [name, r] of Object.entries({
    pollerBusyRatio: c.thresholds.pollerBusyRatio,
    cpuHighRatio: c.thresholds.cpuHighRatio,
    memoryHighRatio: c.thresholds.memoryHighRatio,
    storageFullRatio: c.thresholds.storageFullRatio,
  })) {
    if (!(r > 0 && r <= 1)) throw new Error(`mixin config: thresholds.${name} must be within (0, 1]`);
  }
  if (!(c.traffic.gapPolls > 1)) throw new Error('mixin config: traffic.gapPolls must be > 1');
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.traffic.billingTimeZone });
  } catch {
    throw new Error(`mixin config: traffic.billingTimeZone "${c.traffic.billingTimeZone}" is not an IANA time zone`);
  }
}
