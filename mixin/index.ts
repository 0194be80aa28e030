/**
 * Everything the mixin generates, listed once. A new collector's alerts or recording rules are one
 * more module in PARTS (mixin/rules/<name>.ts exporting `recording` and/or `alerts`); a new dashboard
 * row is one more entry in its dashboard's `rows` list (mixin/dashboards/<dashboard>.ts).
 */
import type { MixinConfig } from './config.js';
import * as device from './dashboards/device.js';
import * as iface from './dashboards/interface.js';
import * as overview from './dashboards/overview.js';
import * as trafficReport from './dashboards/traffic-report.js';
import type { RuleGroup, RuleGroupsOf } from './lib/rules.js';
import * as devices from './rules/devices.js';
import * as exporter from './rules/exporter.js';
import * as health from './rules/health.js';
import * as pollers from './rules/pollers.js';
import * as ports from './rules/ports.js';
import * as routing from './rules/routing.js';
import * as services from './rules/services.js';
import * as traffic from './rules/traffic.js';

interface Part {
  readonly recording?: RuleGroupsOf;
  readonly alerts?: RuleGroupsOf;
}

/** The rule modules, in the order their groups appear in the files. */
export const PARTS: readonly Part[] = [exporter, devices, ports, traffic, routing, services, pollers, health];

/** The dashboards: file name (grafana/dashboards/<file>) → builder. */
export const DASHBOARDS: Readonly<Record<string, (c: MixinConfig) => object>> = {
  'librenms-device.json': device.dashboard,
  'librenms-interface.json': iface.dashboard,
  'librenms-overview.json': overview.dashboard,
  'librenms-traffic-report.json': trafficReport.dashboard,
};

export function recordingGroups(c: MixinConfig): RuleGroup[] {
  return PARTS.flatMap((p) => p.recording?.(c) ?? []);
}

export function alertGroups(c: MixinConfig): RuleGroup[] {
  return PARTS.flatMap((p) => p.alerts?.(c) ?? []);
}
