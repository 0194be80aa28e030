/**
 * How the ports collector reads `/ports` from one LibreNMS, and what it remembers between refreshes:
 * - bulk (`/ports`, one request) unless bulk failed lately; after a bulk 5xx or timeout the same
 *   devices are read one by one in the same refresh, and bulk is tried again after an exponentially
 *   growing wait (5 minutes, doubling, at most 2 hours);
 * - per device (`/devices/:id/ports`): each device's rows are kept and read again once they are a TTL
 *   old; at most `maxDeviceReads` devices are read per refresh, the others are served from their last
 *   rows while those are within the maximum age, and both are counted. A device whose read failed is
 *   read again at the next run, which the refresher schedules soon after a partial failure.
 */
import { LibreNmsError } from '../errors.js';
import type { LibreNmsClient } from '../librenms/client.js';
import type { DeviceRecord } from '../mapping/devices.js';

/** The first wait before bulk `/ports` is tried again after it failed, in ms… */
export const BULK_RETRY_FIRST_MS = 5 * 60 * 1000;
/** …doubling with each failure in a row, up to this. */
export const BULK_RETRY_MAX_MS = 2 * 60 * 60 * 1000;

/** Where port rows go as they are read: one sink per attempt (a bulk read that fails over starts a new one). */
export interface PortRowSink {
  row(row: unknown): void;
  /** A promise to wait for before reading on (the renderer's compression is behind), or undefined. */
  pause?(): Promise<void> | undefined;
}

/** Where the reads say what they did (the refresh's logger, or the doctor's lines). */
export interface PortsNotes {
  warn(fields: Record<string, unknown>, message: string): void;
  info(message: string): void;
}

/** What one read of the ports did. */
export interface PortsRead {
  /** Rows handed to the sink. */
  readonly rows: number;
  /** Requests sent to LibreNMS. */
  readonly requests: number;
  /** Devices whose read failed now (their last rows, if any, were served). */
  readonly errors: readonly Error[];
  readonly strategy: string;
  /** Devices not read in this refresh whose earlier rows were served (per device only). */
  readonly staleDevices: number;
  /** Devices whose ports have never been read, or whose last rows are past the maximum age (per device only). */
  readonly unreadDevices: number;
}

interface DeviceRows {
  readonly rows: readonly unknown[];
  /** When the rows were read (ms). */
  readonly at: number;
  /** The last read of this device failed (its rows, if any, are older). */
  readonly failed: boolean;
}

/** The settings of one read. */
export interface PortReadOptions {
  readonly devices: readonly DeviceRecord[];
  readonly strategy: 'bulk' | 'per-device';
  /** Per device because the bulk answer would be too big for LibreNMS (PORTS_BULK_MAX_PORTS): reported and remembered as such. */
  readonly bulkTooBig?: boolean;
  /** The sink of each attempt. */
  readonly begin: () => PortRowSink;
  readonly now: number;
  /** A device's rows are read again once this old (CACHE_TTL_SECONDS), in ms. */
  readonly ttlMs: number;
  /** Rows older than this are not served (CACHE_MAX_AGE_SECONDS), in ms. */
  readonly maxAgeMs: number;
  /** Most `/devices/:id/ports` requests in one refresh (PORTS_MAX_DEVICE_READS). */
  readonly maxDeviceReads: number;
  /** Requests in flight at once (CONCURRENCY); also how many failures in a row end a per-device read. */
  readonly concurrency: number;
  readonly notes?: PortsNotes;
}

/** The sentence for a failed bulk `/ports` read, naming the LibreNMS releases known for it and the fixes. */
export function bulkPortsFailureHint(error: LibreNmsError, retryInMs: number): string {
  return (
    `LibreNMS failed the bulk /ports read (${error.status === undefined ? error.code : `HTTP ${error.status}`}: ${error.detail ?? error.message}); ` +
    `reading ports device by device instead, and bulk again in ${Math.round(retryInMs / 60_000)} min. ` +
    'LibreNMS 26.4.0 to 26.5.0 answer 500 on /ports when any port has an ifOperStatus outside its list (LibreNMS issue #19505): upgrade to 26.5.1 or later. ' +
    "On a big install PHP may also run out of memory or time on one bulk answer: raise PHP's memory_limit and max_execution_time for LibreNMS's web server, or REQUEST_TIMEOUT_SECONDS here."
  );
}

/** A bulk failure that a per-device read may get around: LibreNMS failed (5xx) or ran out of time building the answer. */
function fallsBack(error: unknown): error is LibreNmsError {
  return error instanceof LibreNmsError && ((error.status !== undefined && error.status >= 500) || error.code === 'timeout');
}

/** A failure that says LibreNMS cannot be reached at all, rather than that one device's read failed. */
function unreachable(error: unknown): boolean {
  return error instanceof LibreNmsError && (error.code === 'timeout' || error.code === 'connection_failed' || error.code === 'tls_error');
}

/** What the ports collector remembers about one LibreNMS between refreshes (shared by its scopes). */
export class PortReadMemory {
  /** Consecutive bulk failures, and when bulk may be tried again (ms). */
  #bulkFailures = 0;
  #bulkRetryAt = 0;
  /** Rows of the last bulk answer, undefined before one. */
  #bulkRows: number | undefined;
  #perDeviceForSize = false;
  readonly #devices = new Map<number, DeviceRows>();

  /** When bulk `/ports` may be tried again (ms), or undefined while it works. */
  get bulkRetryAt(): number | undefined {
    return this.#bulkFailures === 0 ? undefined : this.#bulkRetryAt;
  }

  /** The last read was per device because the bulk answer would be too big (for choosePortsStrategy's margin). */
  get perDeviceForSize(): boolean {
    return this.#perDeviceForSize;
  }

  /**
   * How many ports LibreNMS's bulk `/ports` answer holds, from what was read: the rows of the last
   * bulk answer, or, when there was none or per-device reads since cover at least half of the
   * `knownDevices` (the install may have changed), the ports per device read times `knownDevices`.
   * Undefined before anything was read. A bulk answer holds every port the token may read, whatever
   * the selection (includes/html/api_functions.inc.php, get_all_ports).
   */
  expectedBulkPorts(knownDevices: number): number | undefined {
    let devices = 0;
    let rows = 0;
    for (const entry of this.#devices.values()) {
      if (entry.at === Number.NEGATIVE_INFINITY) continue;
      devices++;
      rows += entry.rows.length;
    }
    const perDevice = devices === 0 ? undefined : Math.round((rows / devices) * knownDevices);
    if (this.#bulkRows === undefined || (perDevice !== undefined && devices * 2 >= knownDevices)) return perDevice;
    return this.#bulkRows;
  }

  /**
   * Reads the ports of `devices` into the sinks: bulk unless it failed lately, else per device.
   * @throws LibreNmsError when nothing could be read (a failed bulk read whose per-device reads fail too)
   */
  async read(client: LibreNmsClient, options: PortReadOptions): Promise<PortsRead> {
    const { devices, strategy, begin, now, notes } = options;
    // Other per-device reads (a /probe scope, one round of CONCURRENCY) leave it as the last full choice made it.
    if (options.bulkTooBig === true) this.#perDeviceForSize = true;
    else if (strategy === 'bulk') this.#perDeviceForSize = false;
    if (strategy === 'per-device') return this.#perDevice(client, options, options.bulkTooBig === true ? 'per-device (bulk too big)' : 'per-device');
    if (this.#bulkFailures > 0 && now < this.#bulkRetryAt) return this.#perDevice(client, options, 'per-device (bulk failed before)');
    try {
      const sink = begin();
      const rows = await client.streamAllPorts((row) => sink.row(row), { pause: () => sink.pause?.() });
      if (this.#bulkFailures > 0) notes?.info('bulk /ports works again: back to one request per refresh');
      this.#bulkFailures = 0;
      this.#bulkRows = rows;
      // Bulk reads everything at once: per-device rows would only be older copies.
      this.#devices.clear();
      return { rows, requests: 1, errors: [], strategy, staleDevices: 0, unreadDevices: 0 };
    } catch (error) {
      if (!fallsBack(error) || devices.length === 0) throw error;
      let read: PortsRead;
      try {
        // A 5xx is known from the status line, a timeout abandons the body: the new sink starts from nothing either way.
        read = await this.#perDevice(client, options, 'per-device (bulk failed)');
      } catch {
        // Every device failed too: LibreNMS as a whole is failing, not the bulk read; its error says best what.
        throw error;
      }
      // Only the bulk read fails: wait longer each time before asking for it again, and say why it may fail.
      this.#bulkFailures++;
      const waitMs = Math.min(BULK_RETRY_MAX_MS, BULK_RETRY_FIRST_MS * 2 ** (this.#bulkFailures - 1));
      this.#bulkRetryAt = now + waitMs;
      notes?.warn(
        { collector: 'ports', error_code: error.code, http_status: error.status, endpoint: error.endpoint, bulk_retry_in_s: waitMs / 1000 },
        bulkPortsFailureHint(error, waitMs),
      );
      return { ...read, requests: read.requests + 1 };
    }
  }

  /**
   * Reads the devices whose rows are missing, failed or a TTL old (at most `maxDeviceReads`, those
   * never read first, then the oldest), then hands every device's rows to one sink in selection order:
   * read now, else the last rows within the maximum age.
   * @throws the first error when every device read failed
   */
  async #perDevice(client: LibreNmsClient, options: PortReadOptions, strategy: string): Promise<PortsRead> {
    const { devices, now, ttlMs, maxAgeMs, maxDeviceReads, concurrency } = options;
    for (const [id, entry] of this.#devices) if (now - entry.at > maxAgeMs) this.#devices.delete(id);
    const due = devices.filter((d) => {
      const entry = this.#devices.get(d.deviceId);
      return entry === undefined || entry.failed || now - entry.at >= ttlMs;
    });
    const order = (d: DeviceRecord): number => {
      const entry = this.#devices.get(d.deviceId);
      return entry === undefined ? Number.NEGATIVE_INFINITY : entry.at;
    };
    const chosen = due.length <= maxDeviceReads ? due : [...due].sort((a, b) => order(a) - order(b)).slice(0, maxDeviceReads);
    const { read, errors, attempted } = await readDevices(client, chosen, concurrency);
    for (const [id, rows] of read) this.#devices.set(id, { rows, at: now, failed: false });
    for (const id of errors.keys()) {
      const entry = this.#devices.get(id);
      this.#devices.set(id, entry === undefined ? { rows: [], at: Number.NEGATIVE_INFINITY, failed: true } : { ...entry, failed: true });
    }
    if (attempted > 0 && read.size === 0 && devices.every((d) => !this.#servable(d.deviceId, now, maxAgeMs))) {
      throw errors.values().next().value ?? new Error('no device ports could be read');
    }
    const sink = options.begin();
    let rows = 0;
    let staleDevices = 0;
    let unreadDevices = 0;
    for (const device of devices) {
      const fresh = read.get(device.deviceId);
      const entry = this.#devices.get(device.deviceId);
      const served = fresh ?? (this.#servable(device.deviceId, now, maxAgeMs) ? entry?.rows : undefined);
      if (served === undefined) {
        unreadDevices++;
        continue;
      }
      if (fresh === undefined) staleDevices++;
      for (const row of served) sink.row(row);
      rows += served.length;
    }
    return { rows, requests: attempted, errors: [...errors.values()], strategy, staleDevices, unreadDevices };
  }

  #servable(deviceId: number, now: number, maxAgeMs: number): boolean {
    const entry = this.#devices.get(deviceId);
    return entry !== undefined && entry.at !== Number.NEGATIVE_INFINITY && now - entry.at <= maxAgeMs;
  }
}

/**
 * Reads the ports of each device, `concurrency` at a time. When the first `concurrency` reads all
 * fail because LibreNMS cannot be reached (timeouts, refused connections), the rest are not sent:
 * one refresh must not wait out a timeout for each of thousands of devices.
 */
async function readDevices(
  client: LibreNmsClient,
  devices: readonly DeviceRecord[],
  concurrency: number,
): Promise<{ read: Map<number, unknown[]>; errors: Map<number, Error>; attempted: number }> {
  const read = new Map<number, unknown[]>();
  const errors = new Map<number, Error>();
  let next = 0;
  let settled = 0;
  let unreachableInRow = 0;
  const worker = async (): Promise<void> => {
    while (next < devices.length && !(settled >= concurrency && unreachableInRow >= concurrency)) {
      const device = devices[next++] as DeviceRecord;
      try {
        read.set(device.deviceId, await client.listDevicePorts(device.deviceId));
        unreachableInRow = 0;
      } catch (error) {
        errors.set(device.deviceId, error instanceof Error ? error : new Error(String(error)));
        unreachableInRow = unreachable(error) ? unreachableInRow + 1 : 0;
      }
      settled++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, worker));
  return { read, errors, attempted: next };
}
