/** The collector contract: one family of LibreNMS data, fetched, mapped and rendered once per refresh. */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { LibreNmsClient } from '../librenms/client.js';
import type { DeviceRecord } from '../mapping/devices.js';
import type { Rendered } from '../metrics/exposition.js';
import type { Inventory } from '../inventory.js';
import type { Scope } from '../selection.js';

/** What collectors of one refresh share; the devices collector runs first and fills `devices`. */
export interface RefreshContext {
  readonly client: LibreNmsClient;
  readonly config: Config;
  readonly logger: Logger;
  readonly inventory: Inventory;
  readonly scope: Scope;
  /** Constant labels of every series, e.g. `librenms_instance` when several instances are configured. */
  readonly constLabels: Readonly<Record<string, string>>;
  /** Selected devices of this refresh; undefined when the devices collector failed. */
  devices?: readonly DeviceRecord[];
  /** Devices LibreNMS knows before filters and scope, for choosing the port strategy. */
  knownDevices?: number;
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
   * Fetches, maps and renders. Throws when nothing usable was fetched; the refresh then keeps this
   * collector's last good result.
   */
  collect(context: RefreshContext): Promise<CollectorResult>;
}
