/**
 * Writes the field data set (`seed.ts`) as SQL for one LibreNMS version's schema. The tables and
 * columns are LibreNMS's own (database/migrations/ of each release); the device columns a release lacks
 * are the double's (`deviceColumns`, with the migration that added each), so the SQL fails loudly if a
 * guess is wrong.
 */
import {
  alertRuleColumns,
  deviceColumns,
  MEMPOOL_COLUMNS,
  PORT_COLUMNS,
  PROCESSOR_COLUMNS,
  SENSOR_COLUMNS,
  type SimState,
  storageColumns,
  WIRELESS_SENSOR_COLUMNS,
} from '../../librenms-double/state.js';
import { NORMAL_USER_DEVICE, NORMAL_USER_ID } from './seed.js';
import { routingTables } from './seed-routing.js';

const DATE_COLUMNS = new Set(['inserted', 'last_polled', 'last_poll_attempted', 'last_discovered', 'last_ping']);

/** A MariaDB literal. Unix seconds in date columns become `FROM_UNIXTIME` in the session's zone (UTC). */
function literal(value: unknown, date = false): string {
  if (value === null || value === undefined) return 'NULL';
  if (date) return `FROM_UNIXTIME(${Number(value)})`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * Rows per INSERT: one statement per table would pass MariaDB's max_allowed_packet (16 MB) at the
 * benchmark's 100,000 ports (bench/real.ts), one per row would take minutes to load.
 */
const ROWS_PER_INSERT = 500;

function insert(table: string, columns: readonly string[], rows: readonly Record<string, unknown>[], dates: ReadonlySet<string> = new Set()): string {
  if (rows.length === 0) return '';
  const names = columns.map((c) => `\`${c}\``).join(', ');
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const values = rows
      .slice(start, start + ROWS_PER_INSERT)
      .map((row) => `(${columns.map((c) => literal(row[c], dates.has(c))).join(', ')})`)
      .join(',\n  ');
    statements.push(`INSERT INTO \`${table}\` (${names}) VALUES\n  ${values};\n`);
  }
  return statements.join('');
}

/**
 * The SQL that empties the tables the exporter reads and loads `state` into them, for LibreNMS
 * `version` (22.11.0, 25.4.0, 26.7.0). Users 1-3 and their tokens are up.sh's; the normal user is
 * given {@link NORMAL_USER_DEVICE}.
 */
export function seedSql(state: SimState, version: string): string {
  const out = [
    '-- The field lane data set (test/field/seed.ts), written by test/field/sql.ts.',
    // The client's default connection character set may be utf8mb3, which refuses 4-byte characters (emoji in an ifAlias).
    'SET NAMES utf8mb4;',
    "SET time_zone = '+00:00';",
    'SET FOREIGN_KEY_CHECKS = 0;',
    ...['alerts', 'alert_rules', 'device_group_device', 'device_groups', 'sensors', 'ports', 'devices_perms', 'devices', 'locations'].map(
      (t) => `DELETE FROM \`${t}\`;`,
    ),
    ...routingTables(state).map(({ table }) => `DELETE FROM \`${table}\`;`),
    'DELETE FROM `processors`; DELETE FROM `mempools`; DELETE FROM `storage`; DELETE FROM `wireless_sensors`;',
    insert(
      'locations',
      ['id', 'location', 'lat', 'lng', 'timestamp', 'fixed_coordinates'],
      state.locations.map((l) => ({ ...l })),
      new Set(['timestamp']),
    ),
    insert(
      'devices',
      deviceColumns(version),
      state.devices.map((d) => ({ ...d })),
      DATE_COLUMNS,
    ),
    insert(
      'ports',
      PORT_COLUMNS,
      state.ports.map((p) => ({ ...p })),
    ),
    insert(
      'sensors',
      SENSOR_COLUMNS,
      state.sensors.map((s) => ({ ...s })),
      new Set(['lastupdate']),
    ),
    insert(
      'processors',
      PROCESSOR_COLUMNS,
      state.processors.map((p) => ({ ...p })),
    ),
    insert(
      'mempools',
      MEMPOOL_COLUMNS,
      state.mempools.map((m) => ({ ...m })),
    ),
    insert(
      'storage',
      storageColumns(version).map((c) => c.name),
      state.storage.map((x) => Object.fromEntries(storageColumns(version).map((c) => [c.name, x[c.field]]))),
    ),
    insert(
      'wireless_sensors',
      WIRELESS_SENSOR_COLUMNS,
      state.wirelessSensors.map((w) => ({ ...w })),
      new Set(['lastupdate']),
    ),
    insert(
      'device_groups',
      ['id', 'name', 'desc', 'type', 'rules', 'pattern'],
      state.deviceGroups.map((g) => ({ ...g })),
    ),
    insert(
      'device_group_device',
      ['device_group_id', 'device_id'],
      state.deviceGroups.flatMap((g) => g.device_ids.map((id) => ({ device_group_id: g.id, device_id: id }))),
    ),
    insert(
      'alert_rules',
      alertRuleColumns(version),
      // The legacy rule text (NOT NULL until 25.7): LibreNMS's rule editor writes '' there (includes/html/forms/alert-rules.inc.php).
      state.alertRules.map((r) => ({ ...r, rule: '' })),
    ),
    insert(
      'alerts',
      ['id', 'device_id', 'rule_id', 'state', 'alerted', 'open', 'note', 'timestamp', 'info'],
      state.alerts.map((a) => ({ ...a })),
      new Set(['timestamp']),
    ),
    ...routingTables(state).map(({ table, columns, rows, dates }) => insert(table, columns, rows, dates)),
    insert('devices_perms', ['user_id', 'device_id'], [{ user_id: NORMAL_USER_ID, device_id: NORMAL_USER_DEVICE }]),
    'SET FOREIGN_KEY_CHECKS = 1;',
  ];
  return out.filter((part) => part !== '').join('\n');
}
