/**
 * The collector contract: one kind of LibreNMS data, read, mapped and written into a sink once per
 * refresh. A collector is one file plus one line in `index.ts`; the configuration (`COLLECTORS`),
 * `--help`, `check` and docs/metrics.md read what it declares here.
 */
import type { Logger } from 'pino';
import type { Config } from '../config-types.js';
import type { FamilyName } from '../exposition/catalog.js';
import type { SampleSink } from '../exposition/sink.js';
import type { Inventory } from '../inventory/inventory.js';
import type { DeviceSelection, Scope } from '../inventory/selection.js';
import type { LibreNmsClient } from '../librenms/client.js';

/** What every collector of one refresh reads. Nothing in it is written by a collector. */
export interface CollectorInput {
  /** The devices this refresh exports, chosen once before any collector runs. */
  readonly selection: DeviceSelection;
  /**
   * What is scraped: a device group (`?group=`) or one device (`/probe`); the whole install when
   * absent or empty. Data of LibreNMS itself (its pollers) belongs to no device and is written only
   * for the whole install.
   */
  readonly scope?: Scope;
  readonly client: LibreNmsClient;
  /** Install-wide data of this LibreNMS (devices, groups, alerts, sensors), read at most once per TTL whatever the scope. */
  readonly inventory: Inventory;
  readonly config: Config;
  readonly logger: Logger;
  /** The clock of the refresh (ms since the epoch); tests give a fake one. */
  readonly now: () => number;
  /**
   * What this collector keeps of this LibreNMS between refreshes, shared by every scope: made by
   * `create` on first use, the same object afterwards.
   */
  memory<T extends object>(create: () => T): T;
}

/** How a run went, beside the samples written into the sink. */
export interface CollectorOutcome {
  /** Figures for the refresh log line and `check`, e.g. `{ ports: 120, strategy: 'bulk' }`. */
  readonly summary: Readonly<Record<string, number | string>>;
  /** Failures that left the rest of the data usable (one device's ports); the collector counts as failed. */
  readonly partialErrors: readonly Error[];
  /**
   * What the operator should know that is no failure, such as "this LibreNMS does not serve the route
   * yet (it came in 26.7)": logged once per text, and shown by `check`. The collector counts as succeeded.
   */
  readonly notice?: string;
}

export interface Collector {
  /** The `collector` label value and its name in `COLLECTORS`. */
  readonly name: string;
  /** Switched on when `COLLECTORS` is not set. */
  readonly enabledByDefault: boolean;
  /** What it exports, in a few words (for `--help` and docs). */
  readonly description: string;
  /** The LibreNMS API routes it reads (route templates under `/api/v0`). */
  readonly endpoints: readonly string[];
  /** The catalog families it writes. */
  readonly families: readonly FamilyName[];
  /**
   * Reads what it needs for the selected devices, maps it, and writes the samples into `sink`. Throws
   * when nothing usable was read; the refresh then keeps this collector's last good result.
   */
  collect(input: CollectorInput, sink: SampleSink): Promise<CollectorOutcome>;
}
