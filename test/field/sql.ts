/**
 * Writes the field data set (`seed.ts`) as SQL for one LibreNMS version's schema. The tables and
 * columns are LibreNMS's own (database/migrations/ of each release); the columns a release lacks are
 * listed below with the migration that added them, so the SQL fails loudly if a guess is wrong.
 */
import { versionAtLeast } from '../../librenms-double/format.js';
import { DEVICE_COLUMNS, PORT_COLUMNS, type SimState } from '../../librenms-double/state.js';
import { NORMAL_USER_DEVICE, NORMAL_USER_ID } from './seed.js';

/**
 * Device columns newer than some release we test: the first release after the migration that added
 * it (database/migrations/ in LibreNMS).
 */
const DEVICE_COLUMNS_SINCE: Readonly<Record<string, string>> = {
  ignore_status: '24.1.0', // 2024_01_04_195618_add_ignore_status_to_devices_tables.php
  mtu_status: '25.12.0', // 2025_12_05_205509_devices_add_mtu_status.php
  display_template: '26.5.0', // 2026_05_06_134014_add_display_template_field_to_devices_table.php
  snmpEngineID: '26.6.0', // 2026_05_15_144037_add_snmp_engine_id_to_devices_table.php
};

const DATE_COLUMNS = new Set(['inserted', 'last_polled', 'last_poll_attempted', 'last_discovered', 'last_ping']);
const SENSOR_COLUMNS = [
  'sensor_id',
  'sensor_deleted',
  'sensor_class',
  'device_id',
  'poller_type',
  'sensor_oid',
  'sensor_index',
  'sensor_type',
  'sensor_descr',
  'group',
  'sensor_divisor',
  'sensor_multiplier',
  'sensor_current',
  'sensor_limit',
  'sensor_limit_warn',
  'sensor_limit_low',
  'sensor_limit_low_warn',
  'sensor_alert',
  'sensor_custom',
  'entPhysicalIndex',
  'entPhysicalIndex_measured',
  'lastupdate',
  'sensor_prev',
  'user_func',
  'rrd_type',
] as const;

/** A MariaDB literal. Unix seconds in date columns become `FROM_UNIXTIME` in the session's zone (UTC). */
function literal(value: unknown, date = false): string {
  if (value === null || value === undefined) return 'NULL';
  if (date) return `FROM_UNIXTIME(${Number(value)})`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function insert(table: string, columns: readonly string[], rows: readonly Record<string, unknown>[], dates: ReadonlySet<string> = new Set()): string {
  if (rows.length === 0) return '';
  const names = columns.map((c) => `\`${c}\``).join(', ');
  const values = rows.map((row) => `(${columns.map((c) => literal(row[c], dates.has(c))).join(', ')})`).join(',\n  ');
  return `INSERT INTO \`${table}\` (${names}) VALUES\n  ${values};\n`;
}

/**
 * The SQL that empties the tables the exporter reads and loads `state` into them, for LibreNMS
 * `version` (22.11.0, 25.4.0, 26.7.0). Users 1-3 and their tokens are up.sh's; the normal user is
 * given {@link NORMAL_USER_DEVICE}.
 */
export function seedSql(state: SimState, version: string): string {
  const deviceColumns = DEVICE_COLUMNS.filter((c) => DEVICE_COLUMNS_SINCE[c] === undefined || versionAtLeast(version, DEVICE_COLUMNS_SINCE[c]));
  // alert_rules.rule: a NOT NULL legacy column until 2025_06_11_173916_drop_alert_rule.php (25.7);
  // alert_operation_id from 2026_03_18_120000_alert_operations.php (26.4).
  const hasRuleText = !versionAtLeast(version, '25.7.0');
  const hasAlertOperation = versionAtLeast(version, '26.4.0');
  const ruleColumns = ['id', ...(hasRuleText ? ['rule'] : []), 'severity', 'extra', 'disabled', 'name', 'query', 'builder', 'proc', 'invert_map'];
  if (versionAtLeast(version, '24.1.0')) ruleColumns.push('notes'); // 2023_12_12_171400_alert_rule_note.php
  if (hasAlertOperation) ruleColumns.push('alert_operation_id');
  const out = [
    '-- The field lane data set (test/field/seed.ts), written by test/field/sql.ts.',
    "SET time_zone = '+00:00';",
    'SET FOREIGN_KEY_CHECKS = 0;',
    ...['alerts', 'alert_rules', 'device_group_device', 'device_groups', 'sensors', 'ports', 'devices_perms', 'devices', 'locations'].map(
      (t) => `DELETE FROM \`${t}\`;`,
    ),
    insert(
      'locations',
      ['id', 'location', 'lat', 'lng', 'timestamp', 'fixed_coordinates'],
      state.locations.map((l) => ({ ...l })),
      new Set(['timestamp']),
    ),
    insert(
      'devices',
      deviceColumns,
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
      ruleColumns,
      state.alertRules.map((r) => ({ ...r, rule: '' })),
    ),
    insert(
      'alerts',
      ['id', 'device_id', 'rule_id', 'state', 'alerted', 'open', 'note', 'timestamp', 'info'],
      state.alerts.map((a) => ({ ...a })),
      new Set(['timestamp']),
    ),
    insert('devices_perms', ['user_id', 'device_id'], [{ user_id: NORMAL_USER_ID, device_id: NORMAL_USER_DEVICE }]),
    'SET FOREIGN_KEY_CHECKS = 1;',
  ];
  return out.filter((part) => part !== '').join('\n');
}
