/**
 * Pure mapping of LibreNMS's health items, as `/devices/:id/health/device_<kind>/:id` serves them from
 * 26.7.0: one processor, memory pool or storage row per request. Before 26.7.0 the same route answers
 * the `sensors` row that has the id asked for, of any device (includes/html/api_functions.inc.php,
 * list_available_health_graphs: `SELECT * FROM sensors WHERE sensor_id = ?`), so a row is taken only
 * when it carries the id key of its kind equal to the id asked for and the device asked for.
 */
import type { HealthKind } from '../librenms/client.js';
import { labelText } from './text.js';
import { readFlag, readInteger, readNonNegative, readText } from './values.js';

interface ItemBase {
  /** `processor_id`, `mempool_id` or `storage_id`. */
  readonly id: number;
  readonly descr: string;
  readonly index: string;
  /** LibreNMS's warning threshold of the item as a ratio (its `*_perc_warn` percent / 100). */
  readonly warningRatio: number | undefined;
}

export interface ProcessorRecord extends ItemBase {
  readonly kind: 'processor';
  /** `processor_type`: the discovery that found it (`hr`, `cpm`, `junos`, …). */
  readonly type: string;
  /** `processor_usage` (whole percent, LibreNMS has applied the precision) / 100. */
  readonly usageRatio: number | undefined;
}

export interface MempoolRecord extends ItemBase {
  readonly kind: 'mempool';
  /** `mempool_class`: `system`, `buffers`, `cached`, `virtual`, `swap`, `shared`, … */
  readonly mempoolClass: string;
  readonly type: string;
  readonly usedBytes: number | undefined;
  readonly totalBytes: number | undefined;
  /** `mempool_perc` (whole percent used) / 100. */
  readonly usageRatio: number | undefined;
}

export interface StorageRecord extends ItemBase {
  readonly kind: 'storage';
  /** `storage_type`: `hrStorageFixedDisk`, `flash`, `hrStorageNetworkDisk`, … */
  readonly type: string;
  readonly usedBytes: number | undefined;
  readonly sizeBytes: number | undefined;
  /** `storage_perc` (whole percent used) / 100. */
  readonly usageRatio: number | undefined;
}

export type HealthRecord = ProcessorRecord | MempoolRecord | StorageRecord;

/** Why an answer gave no item to export. */
export type HealthSkip =
  /** No row: LibreNMS no longer has the item (or it belongs to another device). */
  | 'gone'
  /** A memory pool LibreNMS marked deleted (`mempool_deleted`), which 26.7 still lists and serves. */
  | 'deleted'
  /** A row that is not the item asked for: the `sensors` row of LibreNMS before 26.7.0, or another id or device. */
  | 'foreign';

export type HealthItem = { readonly record: HealthRecord } | { readonly skip: HealthSkip };

/** The id key of each kind's rows. */
export const HEALTH_ID_KEYS: Readonly<Record<HealthKind, string>> = { processor: 'processor_id', mempool: 'mempool_id', storage: 'storage_id' };

/**
 * The ids of a LibreNMS graph list (`[{sensor_id, desc}]`), as `/health/device_<kind>` and
 * `/wireless/device_wireless_<class>` give them: whole positive numbers, each once, in LibreNMS's order.
 */
export function readIdList(rows: readonly unknown[]): number[] {
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const id = readInteger((row as Record<string, unknown>)['sensor_id']);
    if (id === undefined || id <= 0 || seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

/** A percent as a ratio; negative or unknown is left out. */
function ratio(value: unknown): number | undefined {
  const percent = readNonNegative(value);
  return percent === undefined ? undefined : percent / 100;
}

/**
 * The item of one by-id answer (a list of 0 or 1 row), or why there is none. `expected` is what was
 * asked: a row counts only with the kind's id key equal to `id` and `device_id` equal to `deviceId`.
 * Sizes of 0 are unknown (LibreNMS's own `Mempool::isValid` wants a total above 0): the size, the
 * used bytes and the ratio are then left out.
 */
export function mapHealthItem(kind: HealthKind, rows: readonly unknown[], expected: { readonly deviceId: number; readonly id: number }): HealthItem {
  if (rows.length === 0) return { skip: 'gone' };
  const row = rows.find(
    (r): r is Record<string, unknown> =>
      typeof r === 'object' &&
      r !== null &&
      readInteger((r as Record<string, unknown>)[HEALTH_ID_KEYS[kind]]) === expected.id &&
      readInteger((r as Record<string, unknown>)['device_id']) === expected.deviceId,
  );
  if (row === undefined) return { skip: 'foreign' };
  const text = (key: string): string => labelText(readText(row[key])?.trim());
  const base = { id: expected.id, warningRatio: ratio(row[`${kind}_perc_warn`]) };
  switch (kind) {
    case 'processor':
      return {
        record: {
          ...base,
          kind,
          descr: text('processor_descr'),
          index: text('processor_index'),
          type: text('processor_type'),
          usageRatio: ratio(row['processor_usage']),
        },
      };
    case 'mempool': {
      if (readFlag(row['mempool_deleted']) === true) return { skip: 'deleted' };
      const total = readNonNegative(row['mempool_total']);
      const known = total !== undefined && total > 0;
      return {
        record: {
          ...base,
          kind,
          descr: text('mempool_descr'),
          index: text('mempool_index'),
          mempoolClass: text('mempool_class'),
          type: text('mempool_type'),
          usedBytes: known ? readNonNegative(row['mempool_used']) : undefined,
          totalBytes: known ? total : undefined,
          usageRatio: known ? ratio(row['mempool_perc']) : undefined,
        },
      };
    }
    case 'storage': {
      // Only 22.11's schema has storage_deleted (no release before 26.7 serves storage here anyway).
      if (readFlag(row['storage_deleted']) === true) return { skip: 'deleted' };
      const size = readNonNegative(row['storage_size']);
      const known = size !== undefined && size > 0;
      return {
        record: {
          ...base,
          kind,
          descr: text('storage_descr'),
          index: text('storage_index'),
          type: text('storage_type'),
          usedBytes: known ? readNonNegative(row['storage_used']) : undefined,
          sizeBytes: known ? size : undefined,
          usageRatio: known ? ratio(row['storage_perc']) : undefined,
        },
      };
    }
  }
}
