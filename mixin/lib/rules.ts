/**
 * Types and helpers shared by the rule groups of mixin/rules/: what a rule group is, how an alert gets
 * its `for:`, keep_firing_for, severity and runbook_url from the configuration, and the label sets and
 * mute clauses every device and port alert repeats.
 */
import { type AlertName, type MixinConfig, seconds } from '../config.js';

export interface Rule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Written as a YAML comment above the rule: why it is written this way. */
  readonly comment?: string;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  /** Written as a YAML comment above the group. */
  readonly comment?: string;
  readonly rules: readonly Rule[];
}

/** A function of the configuration that returns rule groups: one per file of mixin/rules/. */
export type RuleGroupsOf = (c: MixinConfig) => RuleGroup[];

/** Labels of one scrape target; of a LibreNMS as seen by one target; of a device and a port in one scrape. */
export const TARGET = 'job, instance';
export const TARGET_LIBRENMS = 'job, instance, librenms_instance';
export const DEVICE = 'job, instance, librenms_instance, hostname';
export const PORT = 'job, instance, librenms_instance, hostname, ifName, ifIndex';
/** The identities alerts are aggregated to, whatever job or target a series came from. */
export const DEVICE_ID = 'librenms_instance, hostname';
export const PORT_ID = 'librenms_instance, hostname, ifName, ifIndex';

/** Drops the series of targets that cannot reach their LibreNMS (one LibreNMSDown instead). */
export const UNLESS_LIBRENMS_DOWN = `unless on(${TARGET_LIBRENMS}) (librenms_up == 0)`;
/** Drops devices that are down (LibreNMSDeviceDown says it). */
export const UNLESS_DEVICE_DOWN = `unless on(${DEVICE}) (librenms_device_up == 0)`;
/** LibreNMS's mute switches: ignored devices and devices without notifications. */
export const UNLESS_DEVICE_MUTED = `unless on(${DEVICE}) (librenms_device_ignored == 1 or librenms_device_notify_disabled == 1)`;
/**
 * Drops the series of a target whose `collector` failed in its last refresh: the exporter then serves
 * that collector's last good data (frozen timestamps, states of the last good read) until its maximum
 * age, which must not look like a poller that stopped or a neighbour that changed.
 */
export function unlessCollectorFailed(collector: string): string {
  return `unless on(${TARGET_LIBRENMS}) (librenms_scrape_collector_success{collector="${collector}"} == 0)`;
}
/**
 * What every device-level alert of a collector leaves out, one `unless` per line: devices that are down
 * (LibreNMSDeviceDown says it), muted devices, targets that cannot reach LibreNMS, and with `collector`
 * the targets where that collector failed.
 */
export function deviceSkips(collector?: string): string[] {
  return [UNLESS_DEVICE_DOWN, UNLESS_DEVICE_MUTED, UNLESS_LIBRENMS_DOWN, ...(collector === undefined ? [] : [unlessCollectorFailed(collector)])];
}
/** LibreNMS's mute switch for ports. */
export const UNLESS_PORT_MUTED = `unless on(${PORT}) (librenms_port_ignored == 1)`;

/**
 * Go-template prologue that looks up the device's display name (librenms_device_info) into $display,
 * falling back to the hostname: the display name is text a NOC edits, so it is read when the
 * notification is written and never made an alert label (a label change would resolve the alert).
 */
export const DISPLAY_LOOKUP =
  '{{ $display := $labels.hostname }}{{ with query (printf "max by (display) (librenms_device_info{hostname=%q, librenms_instance=%q})" $labels.hostname $labels.librenms_instance) }}{{ with (. | first | label "display") }}{{ $display = . }}{{ end }}{{ end }}';
/** The same for a port's description (ifAlias) into $alias, "" when it has none. */
export const ALIAS_LOOKUP =
  '{{ $alias := "" }}{{ with query (printf "max by (ifAlias) (librenms_port_info{hostname=%q, librenms_instance=%q, ifName=%q, ifIndex=%q})" $labels.hostname $labels.librenms_instance $labels.ifName $labels.ifIndex) }}{{ $alias = (. | first | label "ifAlias") }}{{ end }}';
/** "ether1 (Host-Only network)" or "ether1", after ALIAS_LOOKUP. */
export const PORT_TEXT = '{{ $labels.ifName }}{{ if $alias }} ({{ $alias }}){{ end }}';

export interface AlertSpec {
  readonly alert: AlertName;
  readonly expr: string;
  readonly severity: 'critical' | 'warning' | 'info';
  readonly summary: string;
  readonly description: string;
  /** Extra annotations (display, ifAlias: the texts a receiver shows). */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly comment?: string;
}

/** An alerting rule with `for:`, keep_firing_for, severity and runbook_url taken from the configuration. */
export function alert(c: MixinConfig, spec: AlertSpec): Rule {
  const keep = c.keepFiringFor[spec.alert];
  return {
    alert: spec.alert,
    expr: spec.expr,
    for: c.for[spec.alert],
    ...(keep === undefined ? {} : { keep_firing_for: keep }),
    labels: { severity: spec.severity },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      ...spec.annotations,
      ...(c.runbookBaseUrl === '' ? {} : { runbook_url: `${c.runbookBaseUrl}${spec.alert.toLowerCase()}` }),
    },
    ...(spec.comment === undefined ? {} : { comment: spec.comment }),
  };
}

/** Annotations a receiver can show for a device alert (display name) and a port alert (plus alias). */
export const DEVICE_ANNOTATIONS = { display: `${DISPLAY_LOOKUP}{{ $display }}` } as const;
export const PORT_ANNOTATIONS = { ...DEVICE_ANNOTATIONS, ifAlias: `${ALIAS_LOOKUP}{{ $alias }}` } as const;

/** `x == a or x == b ...` for a list of values of one series. */
export function anyOf(metric: string, values: readonly number[]): string {
  if (values.length === 0) throw new Error(`anyOf(${metric}): no values`);
  return values.map((v) => `${metric} == ${v}`).join(' or ');
}

/** Human text of a ratio, e.g. 0.8 → "80%". */
export function percent(r: number): string {
  return `${Math.round(r * 10000) / 100}%`;
}

/** "5 minutes", "1 hour", "90 seconds". */
export function humanSeconds(s: number): string {
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  if (s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s % 60 === 0) return unit(s / 60, 'minute');
  return unit(s, 'second');
}

/** An alert's `for:` as words ("10 minutes"), for descriptions. */
export function forText(c: MixinConfig, name: AlertName): string {
  return humanSeconds(seconds(c.for[name]));
}
