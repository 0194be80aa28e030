/**
 * Every collector, listed explicitly, in the order a refresh runs them: the devices collector first,
 * since every other one needs the selected device list.
 */
import type { CollectorName } from '../config/types.js';
import { alertsCollector } from './alerts.js';
import type { Collector } from './collector.js';
import { devicesCollector } from './devices.js';
import { portsCollector } from './ports.js';
import { sensorsCollector } from './sensors.js';

export const COLLECTORS: readonly Collector[] = [devicesCollector, portsCollector, alertsCollector, sensorsCollector];

/** The collectors switched on (`COLLECTORS`), in run order. */
export function enabledCollectors(enabled: ReadonlySet<CollectorName>): Collector[] {
  return COLLECTORS.filter((c) => enabled.has(c.name as CollectorName));
}
