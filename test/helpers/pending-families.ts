/**
 * Families the shipped rules and dashboards read that the catalog of this branch does not have yet:
 * the health collector's (processors, memory pools, storage), built on the branch issue-23-health and
 * merged with this one. Names and labels as that branch's src/exposition/catalog.ts has them. The
 * checks that rules and dashboards read only catalog metrics and labels count these too; a family
 * the catalog has is taken from the catalog, so once the health collector is merged this list adds
 * nothing and can be deleted.
 */
import { ALL_FAMILIES } from '../../src/exposition/catalog.js';

interface KnownFamily {
  readonly name: string;
  readonly type: string;
  readonly labels: readonly string[];
}

const HEALTH_FAMILIES: readonly KnownFamily[] = [
  { name: 'librenms_processor_info', type: 'gauge', labels: ['hostname', 'processor_id', 'processor_type', 'processor_index', 'processor_descr'] },
  { name: 'librenms_processor_usage_ratio', type: 'gauge', labels: ['hostname', 'processor_id', 'processor_type'] },
  { name: 'librenms_mempool_info', type: 'gauge', labels: ['hostname', 'mempool_id', 'mempool_class', 'mempool_type', 'mempool_index', 'mempool_descr'] },
  { name: 'librenms_mempool_usage_ratio', type: 'gauge', labels: ['hostname', 'mempool_id', 'mempool_class'] },
  { name: 'librenms_storage_info', type: 'gauge', labels: ['hostname', 'storage_id', 'storage_type', 'storage_index', 'storage_descr'] },
  { name: 'librenms_storage_used_bytes', type: 'gauge', labels: ['hostname', 'storage_id', 'storage_type'] },
  { name: 'librenms_storage_size_bytes', type: 'gauge', labels: ['hostname', 'storage_id', 'storage_type'] },
  { name: 'librenms_storage_usage_ratio', type: 'gauge', labels: ['hostname', 'storage_id', 'storage_type'] },
];

/** The families of this build's catalog. */
const CATALOG_NAMES = new Set<string>(ALL_FAMILIES.map((f) => f.name));

/** Health families the rules and dashboards read that this build's catalog lacks (none once merged). */
export const PENDING_FAMILIES: readonly KnownFamily[] = HEALTH_FAMILIES.filter((f) => !CATALOG_NAMES.has(f.name));

/** The catalog's families and the pending ones: what rules and dashboards may read. */
export const KNOWN_FAMILIES: readonly KnownFamily[] = [...ALL_FAMILIES, ...PENDING_FAMILIES];
