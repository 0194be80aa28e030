/** Pure mapping of `/api/v0/alerts?state=1,2,3,4,5` rows to open-alert records. */
import { type DeviceRecord, deviceOfRow } from './devices.js';
import { labelText } from './text.js';
import { readInteger, readText } from './values.js';

/**
 * LibreNMS `AlertState` codes of an open alert, as words for the `state` label. 0 (recovered) and
 * anything unknown are not open alerts and are left out.
 */
export const ALERT_STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'active',
  2: 'acknowledged',
  3: 'worse',
  4: 'better',
  5: 'changed',
};

export interface AlertRecord {
  readonly device: DeviceRecord;
  /** The rule name (LibreNMS ≥ 25.3), else `rule_<rule_id>`. */
  readonly rule: string;
  /** `ok`, `warning` or `critical` as LibreNMS sends it; '' when missing. */
  readonly severity: string;
  /** One of {@link ALERT_STATE_NAMES}. */
  readonly state: string;
}

/** The state word of an open alert, or undefined (recovered, unknown, garbage). */
export function alertStateName(value: unknown): string | undefined {
  const code = readInteger(value);
  return code === undefined || !Object.hasOwn(ALERT_STATE_NAMES, code) ? undefined : ALERT_STATE_NAMES[code];
}

/**
 * Maps raw alert rows of the selected devices (joined by `device_id`, or by `hostname` when a row has
 * no usable id). Alerts of other devices, recovered alerts and unknown states are left out. No two
 * records share (hostname, rule, severity, state): the first one is kept.
 */
export function mapAlerts(rows: readonly unknown[], devices: readonly DeviceRecord[]): AlertRecord[] {
  const deviceOf = deviceOfRow(devices);
  const alerts: AlertRecord[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as Record<string, unknown>;
    const device = deviceOf(r);
    if (device === undefined) continue;
    const state = alertStateName(r['state']);
    if (state === undefined) continue;
    const rule = ruleName(r['name'], r['rule_id']);
    const severity = labelText(readText(r['severity'])?.trim());
    const identity = `${device.hostname}\u0000${rule}\u0000${severity}\u0000${state}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    alerts.push({ device, rule, severity, state });
  }
  return alerts;
}

/** The rule's name; LibreNMS before 25.3 does not send it, so `rule_<rule_id>` stands in. */
function ruleName(name: unknown, ruleId: unknown): string {
  const text = labelText(readText(name)?.trim());
  if (text !== '') return text;
  const id = readInteger(ruleId);
  return id === undefined ? '' : `rule_${id}`;
}
