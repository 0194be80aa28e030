/**
 * The mixin (mixin/) from the tests: generate rules and dashboards for a configuration into a folder,
 * and the configurations the stack lane checks besides the shipped one.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultConfig, type MixinConfig, type MixinOverrides, withOverrides } from '../../mixin/config.js';
import { generate } from '../../mixin/render.js';
import type { Examples } from '../../mixin/tests.js';

/** Writes prometheus/*.yml and grafana/dashboards/*.json for `config` under `dir`. */
export async function writeGenerated(dir: string, config: MixinConfig): Promise<void> {
  for (const [file, text] of generate(config)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

/** Every job of the unit tests under another name, and the selectors that name the new jobs. */
export const RENAMED_JOBS: Readonly<Record<string, string>> = {
  librenms: 'nms-all',
  'librenms-core': 'nms-core',
  'librenms-edge': 'nms-edge',
  'librenms-probe': 'nms-devices',
  netmon: 'netmon-other',
};

/** The job a unit test's job is renamed to (jobs not in RENAMED_JOBS get a suffix). */
export function renamedJob(job: string): string {
  return RENAMED_JOBS[job] ?? `${job}-renamed`;
}

/** Renamed jobs, and every setting that does not change what fires when. */
export const RENAMED_OVERRIDES: MixinOverrides = {
  metricsJobSelector: 'job=~"nms-.+", job!="nms-devices"',
  probeJobSelector: 'job="nms-devices"',
  runbookBaseUrl: 'https://wiki.example.net/noc/librenms#',
  traffic: { billingTimeZone: 'Asia/Bangkok', defaultTopPorts: 20 },
};

/** Every tunable changed: the generated tunables test (mixin/tests.ts) checks the rules against it. */
export const TUNED_OVERRIDES: MixinOverrides = {
  ...RENAMED_OVERRIDES,
  targetMemory: '2d',
  pagingPortSelector: 'ifAlias=~"(?i)(core|transit|uplink).*"',
  portDownOperStatus: [2, 7],
  memoryPoolSelector: 'mempool_class=~"system|virtual"',
  pollIntervalSeconds: 60,
  evaluationIntervalSeconds: 120,
  scrapeTimeoutSeconds: 20,
  thresholds: {
    portBusyRatio: 0.7,
    portErrorRatio: 0.02,
    portErrorMinPacketsPerSecond: 10,
    flapChanges: 4,
    flapWindow: '30m',
    stalePolls: 5,
    slowScrapeRatio: 0.6,
    pollerBusyRatio: 0.8,
    cpuHighRatio: 0.75,
    memoryHighRatio: 0.85,
    storageFullRatio: 0.8,
    storageFillWindow: '2h',
    storageFillHorizon: '4h',
  },
  for: {
    LibreNMSExporterDown: '3m',
    LibreNMSScrapeFailed: '7m',
    LibreNMSScrapeSlow: '20m',
    LibreNMSScrapeEmpty: '15m',
    LibreNMSDown: '4m',
    LibreNMSTargetRefreshFailed: '12m',
    LibreNMSCollectorFailed: '20m',
    LibreNMSPollerStale: '3m',
    LibreNMSDeviceStale: '8m',
    LibreNMSDeviceDown: '3m',
    LibreNMSDeviceRebooted: '1m',
    LibreNMSSensorOutOfRange: '6m',
    LibreNMSPortDown: '4m',
    LibreNMSPortFlapping: '2m',
    LibreNMSPortBusy: '6m',
    LibreNMSPortErrors: '8m',
    LibreNMSBgpSessionDown: '3m',
    LibreNMSOspfNeighborDown: '4m',
    LibreNMSServiceCritical: '7m',
    LibreNMSPollerNotReporting: '6m',
    LibreNMSPollerOverrun: '9m',
    LibreNMSCpuHigh: '7m',
    LibreNMSMemoryHigh: '8m',
    LibreNMSStorageNearlyFull: '9m',
    LibreNMSStorageFillingUp: '20m',
  },
  keepFiringFor: {
    LibreNMSExporterDown: '2m',
    LibreNMSScrapeFailed: '2m',
    LibreNMSDown: '3m',
    LibreNMSPortFlapping: '5m',
    LibreNMSPortBusy: '4m',
    LibreNMSPortErrors: '4m',
  },
  traffic: { billingTimeZone: 'America/New_York', gapPolls: 2.5, maxGap: '6h', defaultTopPorts: 10 },
};

export const renamedConfig = (): MixinConfig => withOverrides(RENAMED_OVERRIDES);
export const tunedConfig = (): MixinConfig => withOverrides(TUNED_OVERRIDES);

/**
 * The generated output a test reads, and the configuration it was generated from: the repository's
 * committed files and mixin/config.ts's defaults, or, when the stack lane runs a test on another
 * configuration, MIXIN_OUT_DIR (the folder `npm run generate -- --out` wrote) and MIXIN_OVERRIDES_FILE
 * (the JSON overrides it was given).
 */
export function outputUnderTest(repoRoot: string): { readonly dir: string; readonly config: MixinConfig } {
  const dir = process.env['MIXIN_OUT_DIR'] ?? repoRoot;
  const file = process.env['MIXIN_OVERRIDES_FILE'];
  return { dir, config: file === undefined ? defaultConfig : withOverrides(JSON.parse(readFileSync(file, 'utf8')) as MixinOverrides) };
}

/** Jobs and port labels the shipped selectors match, for mixin/tests.ts. */
export const DEFAULT_EXAMPLES: Examples = {
  metricsJob: 'librenms',
  probeJob: 'librenms-probe',
  pagingPort: { ifType: 'ethernetCsmacd', ifAlias: 'Uplink' },
  otherPort: { ifType: 'ethernetCsmacd', ifAlias: '' },
  memoryPool: { mempool_class: 'system' },
  otherMemoryPool: { mempool_class: 'swap' },
};

/** The same for TUNED_OVERRIDES. */
export const TUNED_EXAMPLES: Examples = {
  metricsJob: 'nms-all',
  probeJob: 'nms-devices',
  pagingPort: { ifType: 'ethernetCsmacd', ifAlias: 'Core uplink' },
  otherPort: { ifType: 'ethernetCsmacd', ifAlias: 'Printer' },
  memoryPool: { mempool_class: 'virtual' },
  otherMemoryPool: { mempool_class: 'swap' },
};
