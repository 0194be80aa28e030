/** Every collector, in the order a refresh runs them (ports needs the device list). */
import type { Collector } from './collector.js';
import { devicesCollector } from './devices.js';
import { portsCollector } from './ports.js';

export const COLLECTORS: readonly Collector[] = [devicesCollector, portsCollector];
