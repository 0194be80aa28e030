/**
 * Every collector, one line each, in the order a refresh runs them. `COLLECTORS` (the setting),
 * `--help`, `check` and docs/metrics.md read this list: a new collector is its file plus a line here.
 */
import { alertsCollector } from './alerts.js';
import { bgpCollector } from './bgp.js';
import type { Collector } from './collector.js';
import { devicesCollector } from './devices.js';
import { healthCollector } from './health.js';
import { ospfCollector } from './ospf.js';
import { pollersCollector } from './pollers.js';
import { portsCollector } from './ports.js';
import { sensorsCollector } from './sensors.js';
import { servicesCollector } from './services.js';
import { wirelessCollector } from './wireless.js';

export const COLLECTORS: readonly Collector[] = [
  devicesCollector, // always on: every other collector needs the device list
  portsCollector,
  alertsCollector,
  sensorsCollector,
  bgpCollector,
  ospfCollector,
  servicesCollector,
  pollersCollector,
  healthCollector, // off by default: one request per item
  wirelessCollector, // off by default: one request per device
];

/** The collectors of `from` switched on (the `COLLECTORS` setting), in run order. */
export function enabledCollectors(enabled: ReadonlySet<string>, from: readonly Collector[] = COLLECTORS): Collector[] {
  return from.filter((c) => enabled.has(c.name));
}
