/** The collector contract: one family of LibreNMS data, fetched, mapped and rendered once per refresh. */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { Rendered } from '../exposition/writer.js';
import type { Inventory } from '../inventory/inventory.js';
import type { DeviceSelection } from '../inventory/selection.js';
import type { LibreNmsClient } from '../librenms/client.js';
import type { PortReadMemory } from './port-reads.js';

/** What every collector of one refresh reads. Nothing in it is written by a collector. */
export interface CollectorInput {
  readonly client: LibreNmsClient;
  /** Install-wide data of this LibreNMS (devices, groups, alerts, sensors), read at most once per TTL whatever the scope. */
  readonly inventory: Inventory;
  readonly config: Config;
  readonly logger: Logger;
  /** The devices this refresh exports, chosen once before any collector runs. */
  readonly selection: DeviceSelection;
  /** Constant labels of every series, e.g. `librenms_instance` when several instances are configured. */
  readonly constLabels: Readonly<Record<string, string>>;
  /** What the ports collector remembers of this LibreNMS between refreshes (bulk failures, per-device rows). */
  readonly portReads: PortReadMemory;
  /** The clock of the refresh (ms since the epoch); tests give a fake one. */
  readonly now: () => number;
}

export interface CollectorResult {
  /** Rendered samples of this collector's families. */
  readonly rendered: Rendered;
  readonly series: number;
  /** Figures for the refresh log line, e.g. `{ ports: 120, strategy: 'bulk' }`. */
  readonly summary: Readonly<Record<string, number | string>>;
  /** Failures that left the rest of the data usable (one device's ports); the collector counts as failed. */
  readonly partialErrors: readonly Error[];
}

export interface Collector {
  /** The `collector` label value. */
  readonly name: string;
  /**
   * Fetches what it needs for the selected devices, maps and renders. Throws when nothing usable was
   * fetched; the refresh then keeps this collector's last good result.
   */
  collect(input: CollectorInput): Promise<CollectorResult>;
}
