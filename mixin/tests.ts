/**
 * promtool unit tests written from a configuration: each tunable of mixin/config.ts is exercised at its
 * configured value (a `for:` fires after it and not before, a threshold fires above and not below, a
 * selector pages what it names). The stack lane runs them for the shipped configuration and for one
 * with every job renamed and every tunable changed (test/stack/prometheus-rules.test.ts), next to the
 * hand-written tests of prometheus/tests/, which are written for the shipped configuration.
 */
import { type AlertName, type MixinConfig, seconds } from './config.js';
import { alertGroups, recordingGroups } from './index.js';

/** Names and labels the configuration's selectors match (a selector cannot be turned into examples). */
export interface Examples {
  /** A job matched by metricsJobSelector. */
  readonly metricsJob: string;
  /** A job matched by probeJobSelector. */
  readonly probeJob: string;
  /** librenms_port_info labels (ifType, ifAlias) inside pagingPortSelector, and outside it. */
  readonly pagingPort: Readonly<Record<string, string>>;
  readonly otherPort: Readonly<Record<string, string>>;
  /** librenms_mempool_usage_ratio labels (mempool_class) inside memoryPoolSelector, and outside it. */
  readonly memoryPool: Readonly<Record<string, string>>;
  readonly otherMemoryPool: Readonly<Record<string, string>>;
}

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** One value per minute from 0; undefined = no sample. */
  readonly values: readonly (number | undefined)[];
}

interface Check {
  readonly at: number;
  readonly expr: string;
  readonly value: number;
  readonly why: string;
}

interface Scenario {
  readonly name: string;
  /** Simulates a day or more: run at a 5-minute resolution (promtool evaluates every rule at every step). */
  readonly long?: boolean;
  readonly series: readonly Series[];
  readonly checks: readonly Check[];
}

const mins = (d: string): number => Math.round(seconds(d) / 60);

/** promtool's expanding notation for one series, run-length encoded. */
function values(v: readonly (number | undefined)[]): string {
  const out: string[] = [];
  for (let i = 0; i < v.length; ) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[i]) j++;
    const n = j - i;
    // 'ax3' is four values; '_x3' is three missing samples (promtool's expanding notation).
    if (v[i] === undefined) out.push(n === 0 ? '_' : `_x${n + 1}`);
    else out.push(n === 0 ? String(v[i]) : `${v[i]}x${n}`);
    i = j + 1;
  }
  return out.join(' ');
}

function labelText(l: Readonly<Record<string, string>>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
}

const firing = (alert: AlertName, extra = '') => `count(ALERTS{alertname="${alert}", alertstate="firing"${extra}}) or vector(0)`;

/** The series of one healthy LibreNMS target with one device, for `length` minutes. */
function target(job: string, length: number, device = true): Series[] {
  const t = { job, instance: 'exporter:9878' };
  const ones = Array.from({ length }, () => 1);
  return [
    { name: 'up', labels: t, values: ones },
    { name: 'librenms_exporter_build_info', labels: { ...t, version: '1.0.0' }, values: ones },
    { name: 'librenms_up', labels: t, values: ones },
    ...(device
      ? [
          { name: 'librenms_device_info', labels: { ...t, hostname: 'r1', display: 'Router 1' }, values: ones },
          { name: 'librenms_device_up', labels: { ...t, hostname: 'r1' }, values: ones },
        ]
      : []),
  ];
}

/** A port's poll timestamp, minute by minute, LibreNMS polling every `poll` seconds. */
function pollTimestamps(length: number, poll: number, present: (m: number) => boolean = () => true): (number | undefined)[] {
  return Array.from({ length }, (_, m) => (present(m) ? Math.floor((m * 60) / poll) * poll : undefined));
}

function scenarios(c: MixinConfig, ex: Examples): Scenario[] {
  const poll = c.pollIntervalSeconds;
  const pollMin = Math.max(1, Math.round(poll / 60));
  const F = (a: AlertName) => mins(c.for[a]);
  const K = (a: AlertName) => mins(c.keepFiringFor[a] ?? '0m');
  /** Each alert pending (not firing) just before its `for:` after `start`, and firing just after. */
  const forChecks = (names: readonly AlertName[], start: number, why: string): Check[] =>
    names.flatMap((a) => [
      ...(F(a) >= 2 ? [{ at: start + F(a) - 1, expr: firing(a), value: 0, why: `${a}: pending before for:` }] : []),
      { at: start + F(a) + 1, expr: firing(a), value: 1, why: `${a}: ${why}` },
    ]);
  const out: Scenario[] = [];

  // ExporterDown: the `for:`, keep_firing_for and metricsJobSelector (a target that never answered).
  {
    const f = F('LibreNMSExporterDown');
    const k = K('LibreNMSExporterDown');
    const back = f + 5;
    const length = back + k + 10;
    out.push({
      name: `LibreNMSExporterDown: a never-answering target of ${ex.metricsJob} fires after for: ${c.for.LibreNMSExporterDown} and holds keep_firing_for`,
      series: [{ name: 'up', labels: { job: ex.metricsJob, instance: 'new:9878' }, values: Array.from({ length }, (_, m) => (m < back ? 0 : 1)) }],
      checks: [
        ...(f >= 2 ? [{ at: f - 1, expr: firing('LibreNMSExporterDown'), value: 0, why: 'pending before for:' }] : []),
        { at: f + 1, expr: firing('LibreNMSExporterDown'), value: 1, why: 'firing after for:' },
        ...(k >= 2 ? [{ at: back + k - 1, expr: firing('LibreNMSExporterDown'), value: 1, why: 'held by keep_firing_for after it answers' }] : []),
        { at: back + k + 2, expr: firing('LibreNMSExporterDown'), value: 0, why: 'resolved after keep_firing_for' },
      ],
    });
  }
  // ExporterDown for a /probe job: probeJobSelector.
  {
    const f = F('LibreNMSExporterDown');
    out.push({
      name: `LibreNMSExporterDown: a /probe job ${ex.probeJob} that never answered`,
      series: [
        { name: 'up', labels: { job: ex.probeJob, instance: '10.0.0.1' }, values: Array.from({ length: f + 5 }, () => 0) },
        { name: 'up', labels: { job: ex.probeJob, instance: '10.0.0.2' }, values: Array.from({ length: f + 5 }, () => 0) },
      ],
      checks: [{ at: f + 2, expr: firing('LibreNMSExporterDown', `, job="${ex.probeJob}"`), value: 1, why: 'one alert for the job' }],
    });
  }
  // targetMemory: a job no selector names, recognised by its metrics, then silent longer than a lookback.
  {
    const memory = mins(c.targetMemory);
    const f = F('LibreNMSExporterDown');
    const seen = 10;
    const back = seen + memory - 60; // an hour within the memory
    const length = back + f + 5;
    const lab = { job: 'unnamed-job-x', instance: 'other:9878' };
    out.push({
      long: true,
      name: `targetMemory ${c.targetMemory}: a target of an unnamed job is remembered through a long silence`,
      series: [
        { name: 'up', labels: lab, values: Array.from({ length }, (_, m) => (m <= seen ? 1 : m < back ? undefined : 0)) },
        { name: 'librenms_exporter_build_info', labels: { ...lab, version: '1.0.0' }, values: Array.from({ length }, (_, m) => (m <= seen ? 1 : undefined)) },
      ],
      checks: [{ at: back + f + 2, expr: firing('LibreNMSExporterDown', ', instance="other:9878"'), value: 1, why: 'still known as the exporter' }],
    });
  }
  // LibreNMSDown: for: and keep_firing_for.
  {
    const f = F('LibreNMSDown');
    const k = K('LibreNMSDown');
    const down = 10;
    const back = down + f + 5;
    const length = back + k + 10;
    const tgt = target(ex.metricsJob, length).map((s) =>
      s.name === 'librenms_up' ? { ...s, values: s.values.map((v, m) => (m >= down && m < back ? 0 : v)) } : s,
    );
    out.push({
      name: `LibreNMSDown: for: ${c.for.LibreNMSDown}, keep_firing_for ${c.keepFiringFor.LibreNMSDown ?? '0m'}`,
      series: tgt,
      checks: [
        ...(f >= 2 ? [{ at: down + f - 1, expr: firing('LibreNMSDown'), value: 0, why: 'pending before for:' }] : []),
        { at: down + f + 1, expr: firing('LibreNMSDown'), value: 1, why: 'firing after for:' },
        ...(k >= 2 ? [{ at: back + k - 1, expr: firing('LibreNMSDown'), value: 1, why: 'held by keep_firing_for' }] : []),
        { at: back + k + 2, expr: firing('LibreNMSDown'), value: 0, why: 'resolved after keep_firing_for' },
      ],
    });
  }
  // Ports: one device, ports with the paging example labels.
  const port = (name: string, labels: Readonly<Record<string, string>>, length: number): { id: Record<string, string>; info: Series } => {
    const id = { job: ex.metricsJob, instance: 'exporter:9878', hostname: 'r1', ifName: name, ifIndex: name.replace(/\D/g, '') || '1' };
    return {
      id,
      info: {
        name: 'librenms_port_info',
        labels: { ...id, ifDescr: name, port_id: id.ifIndex, ifType: 'ethernetCsmacd', ifAlias: '', ...labels },
        values: Array.from({ length }, () => 1),
      },
    };
  };
  // PortDown: for:, pagingPortSelector and portDownOperStatus.
  {
    const f = F('LibreNMSPortDown');
    const down = 20;
    const length = down + f + 10;
    const statuses = [...c.portDownOperStatus];
    const notDown = [3, 5, 7, 2].find((s) => !statuses.includes(s)) ?? 5;
    const ports: Series[] = [];
    const add = (name: string, labels: Readonly<Record<string, string>>, status: number) => {
      const p = port(name, labels, length);
      ports.push(
        p.info,
        { name: 'librenms_port_admin_status', labels: p.id, values: Array.from({ length }, () => 1) },
        { name: 'librenms_port_up', labels: p.id, values: Array.from({ length }, (_, m) => (m < down ? 1 : 0)) },
        { name: 'librenms_port_oper_status', labels: p.id, values: Array.from({ length }, (_, m) => (m < down ? 1 : status)) },
      );
    };
    for (const [i, s] of statuses.entries()) add(`eth${10 + i}`, ex.pagingPort, s);
    add('eth30', ex.otherPort, statuses[0] ?? 2);
    add('eth31', ex.pagingPort, notDown);
    out.push({
      name: `LibreNMSPortDown: for: ${c.for.LibreNMSPortDown}, paging scope and oper statuses ${statuses.join(', ')}`,
      series: [...target(ex.metricsJob, length), ...ports],
      checks: [
        ...(f >= 2 ? [{ at: down + f - 1, expr: firing('LibreNMSPortDown'), value: 0, why: 'pending before for:' }] : []),
        { at: down + f + 1, expr: firing('LibreNMSPortDown'), value: statuses.length, why: 'each port in the scope with a down status, no other' },
      ],
    });
  }
  // PortBusy: threshold, for:, keep_firing_for (10-minute averages over polls).
  {
    const thr = c.thresholds.portBusyRatio;
    const f = F('LibreNMSPortBusy');
    const k = K('LibreNMSPortBusy');
    const busyFrom = 30;
    const busyTo = 60;
    const length = busyTo + 10 + k + 10;
    const speed = 125_000_000;
    const counter = (ratio: (m: number) => number) => {
      const v: number[] = [];
      let bytes = 0;
      let lastPoll = -1;
      for (let m = 0; m < length; m++) {
        const p = Math.floor((m * 60) / poll);
        if (p !== lastPoll && lastPoll >= 0) bytes += Math.round(ratio(m) * speed * poll);
        lastPoll = p;
        v.push(bytes);
      }
      return v;
    };
    const ps: Series[] = [];
    for (const [name, hi] of [
      ['eth1', Math.min(0.99, thr + 0.05)],
      ['eth2', thr - 0.05],
    ] as const) {
      const p = port(name, ex.pagingPort, length);
      ps.push(
        p.info,
        { name: 'librenms_port_speed_bytes', labels: p.id, values: Array.from({ length }, () => speed) },
        { name: 'librenms_port_last_polled_timestamp_seconds', labels: p.id, values: pollTimestamps(length, poll) },
        { name: 'librenms_port_receive_bytes_total', labels: p.id, values: counter((m) => (m > busyFrom && m <= busyTo ? hi : 0.05)) },
      );
    }
    out.push({
      name: `LibreNMSPortBusy: above ${thr} for ${c.for.LibreNMSPortBusy}, held ${c.keepFiringFor.LibreNMSPortBusy ?? '0m'}`,
      series: [...target(ex.metricsJob, length), ...ps],
      checks: [
        ...(f >= 2 ? [{ at: busyFrom + f - 1, expr: firing('LibreNMSPortBusy'), value: 0, why: 'not before for: has run' }] : []),
        { at: busyFrom + 10 + f + 1, expr: firing('LibreNMSPortBusy'), value: 1, why: 'the port above the threshold, not the one below' },
        ...(k >= 2 ? [{ at: busyTo + k - 1, expr: firing('LibreNMSPortBusy'), value: 1, why: 'held by keep_firing_for' }] : []),
        { at: busyTo + 10 + k + 2, expr: firing('LibreNMSPortBusy'), value: 0, why: 'resolved after keep_firing_for' },
      ],
    });
  }
  // PortErrors: ratio threshold, minimum packet rate, for:.
  {
    const f = F('LibreNMSPortErrors');
    const minPps = c.thresholds.portErrorMinPacketsPerSecond;
    const ratio = c.thresholds.portErrorRatio;
    const length = 20 + f + 10;
    const ps: Series[] = [];
    const perPoll = (perSecond: number) => {
      const v: number[] = [];
      for (let m = 0; m < length; m++) v.push(Math.floor((m * 60) / poll) * Math.round(perSecond * poll));
      return v;
    };
    for (const [name, pps, errShare] of [
      ['eth1', minPps * 4, ratio * 2],
      ['eth2', minPps * 4, ratio / 2],
      ['eth3', minPps / 4, ratio * 2],
    ] as const) {
      const p = port(name, ex.pagingPort, length);
      const errors = pps * errShare;
      ps.push(
        p.info,
        { name: 'librenms_port_last_polled_timestamp_seconds', labels: p.id, values: pollTimestamps(length, poll) },
        { name: 'librenms_port_receive_unicast_packets_total', labels: p.id, values: perPoll(pps - errors) },
        { name: 'librenms_port_receive_errors_total', labels: p.id, values: perPoll(errors) },
      );
    }
    out.push({
      name: `LibreNMSPortErrors: above ${ratio} on ports moving at least ${minPps} packet/s, for ${c.for.LibreNMSPortErrors}`,
      series: [...target(ex.metricsJob, length), ...ps],
      checks: [{ at: 12 + f + 2, expr: firing('LibreNMSPortErrors'), value: 1, why: 'only the busy port with errors above the ratio' }],
    });
  }
  // PortFlapping: flapChanges polls with a change within flapWindow, whatever the poll interval.
  {
    const n = c.thresholds.flapChanges;
    const f = F('LibreNMSPortFlapping');
    const start = 20;
    const length = start + (n + 2) * pollMin + f + 10;
    const ps: Series[] = [];
    for (const [name, changes] of [
      ['eth1', n],
      ['eth2', n - 1],
    ] as const) {
      const p = port(name, ex.pagingPort, length);
      const ts = pollTimestamps(length, poll);
      const lastChange: number[] = [];
      let changed = 0;
      let current = 0;
      let lastPoll = ts[0] ?? 0;
      for (let m = 0; m < length; m++) {
        const t = ts[m] ?? 0;
        if (t !== lastPoll && m >= start && changed < changes) {
          current = t - 5; // a change between the previous poll and this one
          changed++;
        }
        lastPoll = t;
        lastChange.push(current);
      }
      ps.push(
        p.info,
        { name: 'librenms_port_admin_status', labels: p.id, values: Array.from({ length }, () => 1) },
        { name: 'librenms_port_last_polled_timestamp_seconds', labels: p.id, values: ts },
        { name: 'librenms_port_last_change_timestamp_seconds', labels: p.id, values: lastChange },
      );
    }
    out.push({
      name: `LibreNMSPortFlapping: ${n} polls with a change within ${c.thresholds.flapWindow} at ${poll}-second polling, not ${n - 1}`,
      series: [...target(ex.metricsJob, length), ...ps],
      checks: [{ at: start + (n + 1) * pollMin + f + 1, expr: firing('LibreNMSPortFlapping'), value: 1, why: `the port with ${n} changes only` }],
    });
  }
  // DeviceStale: stalePolls × poll interval, then for:.
  {
    const f = F('LibreNMSDeviceStale');
    const staleMin = Math.ceil((c.thresholds.stalePolls * poll) / 60);
    const stop = 10;
    const length = stop + staleMin + f + pollMin + 10;
    const t = { job: ex.metricsJob, instance: 'exporter:9878' };
    const polled = (host: string, until: number) => ({
      name: 'librenms_device_last_polled_timestamp_seconds',
      labels: { ...t, hostname: host },
      values: Array.from({ length }, (_, m) => Math.floor((Math.min(m, until) * 60) / poll) * poll),
    });
    const devices: Series[] = ['r1', 'r2'].flatMap((h) => [
      { name: 'librenms_device_info', labels: { ...t, hostname: h, display: h }, values: Array.from({ length }, () => 1) },
      { name: 'librenms_device_up', labels: { ...t, hostname: h }, values: Array.from({ length }, () => 1) },
    ]);
    out.push({
      name: `LibreNMSDeviceStale: no poll for ${c.thresholds.stalePolls} poll intervals, for ${c.for.LibreNMSDeviceStale}`,
      series: [...target(ex.metricsJob, length, false), ...devices, polled('r1', length), polled('r2', stop)],
      checks: [
        { at: stop + staleMin - pollMin - 1, expr: firing('LibreNMSDeviceStale'), value: 0, why: 'not yet stale' },
        { at: stop + staleMin + f + 2, expr: firing('LibreNMSDeviceStale'), value: 1, why: 'the device LibreNMS stopped polling, not the other' },
      ],
    });
  }
  // Traffic gaps: gapPolls marks, maxGap keeps the counters through an outage and no longer.
  {
    const gp = c.traffic.gapPolls;
    const maxGapMin = mins(c.traffic.maxGap);
    const markedPolls = Math.ceil(gp) + 1;
    const plainPolls = Math.floor(gp) >= 2 ? Math.floor(gp) : undefined;
    const start = 10 * pollMin;
    const longOut = maxGapMin + 2 * pollMin;
    const length = start + longOut + 10 * pollMin;
    const ps: Series[] = [];
    const gapPort = (name: string, missingPolls: number) => {
      const p = port(name, ex.pagingPort, length);
      const gapFrom = start + 1;
      const gapTo = start + missingPolls * pollMin; // the first minute of the poll after the gap
      const present = (m: number) => m < gapFrom || m >= gapTo;
      const ts = pollTimestamps(length, poll, present);
      ps.push(
        p.info,
        { name: 'librenms_port_last_polled_timestamp_seconds', labels: p.id, values: ts },
        {
          name: 'librenms_port_receive_bytes_total',
          labels: p.id,
          values: ts.map((v) => (v === undefined ? undefined : v * 1000)),
        },
      );
      return gapTo;
    };
    const markedAt = gapPort('eth1', markedPolls);
    const plainAt = plainPolls === undefined ? undefined : gapPort('eth2', plainPolls);

    const gaps = (ifName: string) => `count_over_time(port:librenms_port_poll:gap_seconds{ifName="${ifName}"}[${pollMin}m]) or vector(0)`;
    const marked = (ifName: string) => `count(port:librenms_port_poll:gap_seconds{ifName="${ifName}"} > 0) or vector(0)`;
    const shortLength = start + (markedPolls + 3) * pollMin;
    out.push({
      name: `Traffic gaps: a gap over ${gp} polls is marked`,
      series: [...target(ex.metricsJob, shortLength), ...ps.map((x) => ({ ...x, values: x.values.slice(0, shortLength) }))],
      checks: [
        { at: markedAt, expr: marked('eth1'), value: 1, why: `${markedPolls} polls apart: marked` },
        ...(plainAt === undefined ? [] : [{ at: plainAt, expr: `${gaps('eth2')}`, value: 0, why: `${plainPolls} polls apart: not a gap` }]),
      ],
    });
    ps.length = 0;
    const longAt = gapPort('eth3', Math.ceil(longOut / pollMin));
    out.push({
      long: true,
      name: `Traffic gaps: counters are kept through ${c.traffic.maxGap} and no longer`,
      series: [...target(ex.metricsJob, length), ...ps],
      checks: [
        {
          at: longAt,
          expr: `count(port:librenms_port_poll:gap_seconds{ifName="eth3"} == -1) or vector(0)`,
          value: 1,
          why: 'longer than maxGap: counting restarted',
        },
      ],
    });
  }
  // Health: cpuHighRatio (device average), memoryHighRatio on memoryPoolSelector, storageFullRatio; each `for:`.
  {
    const t = c.thresholds;
    const start = 5;
    const length = start + Math.max(F('LibreNMSCpuHigh'), F('LibreNMSMemoryHigh'), F('LibreNMSStorageNearlyFull')) + 10;
    const tl = { job: ex.metricsJob, instance: 'exporter:9878' };
    const from = (v: number) => Array.from({ length }, (_, m) => (m < start ? 0.1 : v));
    const above = (r: number) => Math.min(1, Math.round((r + 0.02) * 1000) / 1000);
    const below = (r: number) => Math.round((r - 0.02) * 1000) / 1000;
    const ratio = (name: string, labels: Readonly<Record<string, string>>, v: number): Series => ({ name, labels: { ...tl, ...labels }, values: from(v) });
    const series: Series[] = [
      ...target(ex.metricsJob, length),
      ratio('librenms_processor_usage_ratio', { hostname: 'r1', processor_id: '1', processor_type: 'hr' }, above(t.cpuHighRatio)),
      ratio('librenms_processor_usage_ratio', { hostname: 'r1', processor_id: '2', processor_type: 'hr' }, above(t.cpuHighRatio)),
      ratio('librenms_processor_usage_ratio', { hostname: 'r2', processor_id: '3', processor_type: 'hr' }, below(t.cpuHighRatio)),
      ratio('librenms_mempool_usage_ratio', { hostname: 'r1', mempool_id: '1', ...ex.memoryPool }, above(t.memoryHighRatio)),
      ratio('librenms_mempool_usage_ratio', { hostname: 'r1', mempool_id: '2', ...ex.otherMemoryPool }, 1),
      ratio('librenms_mempool_usage_ratio', { hostname: 'r2', mempool_id: '3', ...ex.memoryPool }, below(t.memoryHighRatio)),
      ratio('librenms_storage_usage_ratio', { hostname: 'r1', storage_id: '1', storage_type: 'dsk' }, above(t.storageFullRatio)),
      ratio('librenms_storage_usage_ratio', { hostname: 'r2', storage_id: '2', storage_type: 'dsk' }, below(t.storageFullRatio)),
    ];
    const checks = forChecks(
      ['LibreNMSCpuHigh', 'LibreNMSMemoryHigh', 'LibreNMSStorageNearlyFull'],
      start,
      'above the threshold only (memory: in memoryPoolSelector)',
    );
    out.push({
      name: `Health: CPU ${t.cpuHighRatio}, memory ${t.memoryHighRatio} on ${c.memoryPoolSelector}, storage ${t.storageFullRatio}`,
      series,
      checks,
    });
  }
  // StorageFillingUp: the trend over storageFillWindow reaching the size within storageFillHorizon, for:.
  {
    const f = F('LibreNMSStorageFillingUp');
    const horizon = seconds(c.thresholds.storageFillHorizon);
    const at = f + 5;
    const length = at + 5;
    const size = 1_000_000_000_000;
    const tl = { job: ex.metricsJob, instance: 'exporter:9878', hostname: 'r1', storage_type: 'dsk' };
    // 70% free at the check; A fills that in half the horizon, B in four horizons. Both stay below storageFullRatio.
    const storage = (id: string, leftSeconds: number): Series[] => {
      const perMinute = Math.round((0.7 * size * 60) / leftSeconds);
      const used = Array.from({ length }, (_, m) => Math.round(0.3 * size - perMinute * (at - m)));
      const l = { ...tl, storage_id: id };
      return [
        { name: 'librenms_storage_used_bytes', labels: l, values: used },
        { name: 'librenms_storage_size_bytes', labels: l, values: used.map(() => size) },
        { name: 'librenms_storage_usage_ratio', labels: l, values: used.map((u) => Math.round((u / size) * 1e6) / 1e6) },
      ];
    };
    out.push({
      name: `LibreNMSStorageFillingUp: full within ${c.thresholds.storageFillHorizon} at the trend of ${c.thresholds.storageFillWindow}, for ${c.for.LibreNMSStorageFillingUp}`,
      series: [...target(ex.metricsJob, length), ...storage('1', horizon / 2), ...storage('2', horizon * 4)],
      checks: [
        ...(f >= 3 ? [{ at: f - 1, expr: firing('LibreNMSStorageFillingUp'), value: 0, why: 'pending before for:' }] : []),
        { at, expr: firing('LibreNMSStorageFillingUp'), value: 1, why: 'the storage full within the horizon, not the slower one' },
      ],
    });
  }
  // Pollers: stalePolls × poll interval then for: (a node that stopped), pollerBusyRatio (a wrapper's run).
  {
    const fStale = F('LibreNMSPollerNotReporting');
    const fBusy = F('LibreNMSPollerOverrun');
    const staleMin = Math.ceil((c.thresholds.stalePolls * poll) / 60);
    const stop = 10;
    const length = Math.max(stop + staleMin + fStale + pollMin + 10, fBusy + 10);
    const tl = { job: ex.metricsJob, instance: 'exporter:9878' };
    const reports = (until: number) => Array.from({ length }, (_, m) => Math.floor((Math.min(m, until) * 60) / poll) * poll);
    const run = (share: number) => Array.from({ length }, () => Math.round(share * poll * 100) / 100);
    const r = c.thresholds.pollerBusyRatio;
    out.push({
      name: `Pollers: no report for ${c.thresholds.stalePolls} poll intervals, for ${c.for.LibreNMSPollerNotReporting}; runs over ${r} of the interval, for ${c.for.LibreNMSPollerOverrun}`,
      series: [
        ...target(ex.metricsJob, length, false),
        { name: 'librenms_poller_last_report_timestamp_seconds', labels: { ...tl, poller: 'a' }, values: reports(length) },
        { name: 'librenms_poller_last_report_timestamp_seconds', labels: { ...tl, poller: 'b' }, values: reports(stop) },
        { name: 'librenms_poller_run_duration_seconds', labels: { ...tl, poller: 'a' }, values: run(Math.min(1.2, r + 0.02)) },
        { name: 'librenms_poller_run_duration_seconds', labels: { ...tl, poller: 'b' }, values: run(r - 0.05) },
      ],
      checks: [
        { at: stop + staleMin - pollMin - 1, expr: firing('LibreNMSPollerNotReporting'), value: 0, why: 'not yet stale' },
        { at: stop + staleMin + fStale + 2, expr: firing('LibreNMSPollerNotReporting'), value: 1, why: 'the poller that stopped, not the other' },
        ...(fBusy >= 2 ? [{ at: fBusy - 1, expr: firing('LibreNMSPollerOverrun'), value: 0, why: 'pending before for:' }] : []),
        { at: fBusy + 1, expr: firing('LibreNMSPollerOverrun'), value: 1, why: 'the poller above the busy ratio only' },
      ],
    });
  }
  // Routing and services: each `for:`; the OSPF memory at this poll and evaluation interval.
  {
    const down = 20;
    const length = down + Math.max(F('LibreNMSBgpSessionDown'), F('LibreNMSOspfNeighborDown'), F('LibreNMSServiceCritical')) + 30;
    const tl = { job: ex.metricsJob, instance: 'exporter:9878', hostname: 'r1' };
    const after = (before: number, then: number) => Array.from({ length }, (_, m) => (m < down ? before : then));
    const peer = { ...tl, peer_address: '10.0.0.2', remote_as: '65002' };
    const service = { ...tl, service_id: '1', service_type: 'http' };
    const checks = forChecks(['LibreNMSBgpSessionDown', 'LibreNMSOspfNeighborDown', 'LibreNMSServiceCritical'], down, 'firing after for:');
    checks.push({ at: length - 1, expr: firing('LibreNMSOspfNeighborDown'), value: 1, why: 'the OSPF neighbour still out of full: still firing' });
    out.push({
      name: `Routing and services: for: ${c.for.LibreNMSBgpSessionDown}, ${c.for.LibreNMSOspfNeighborDown}, ${c.for.LibreNMSServiceCritical}`,
      series: [
        ...target(ex.metricsJob, length),
        { name: 'librenms_bgp_peer_state', labels: peer, values: after(6, 1) },
        { name: 'librenms_bgp_peer_admin_status', labels: peer, values: after(2, 2) },
        { name: 'librenms_ospf_neighbor_state', labels: { ...tl, neighbor_address: '10.1.12.2', neighbor_router_id: '10.255.0.2' }, values: after(8, 3) },
        { name: 'librenms_service_status', labels: service, values: after(0, 2) },
      ],
      checks,
    });
  }
  // ScrapeSlow: slowScrapeRatio of the configured scrape timeout.
  {
    const f = F('LibreNMSScrapeSlow');
    const length = f + 10;
    const timeout = c.scrapeTimeoutSeconds;
    const r = c.thresholds.slowScrapeRatio;
    const tgt = (instance: string, share: number): Series[] => {
      const l = { job: ex.metricsJob, instance };
      return [
        { name: 'up', labels: l, values: Array.from({ length }, () => 1) },
        { name: 'librenms_exporter_build_info', labels: { ...l, version: '1.0.0' }, values: Array.from({ length }, () => 1) },
        { name: 'scrape_duration_seconds', labels: l, values: Array.from({ length }, () => Math.round(timeout * share * 1000) / 1000) },
      ];
    };
    out.push({
      name: `LibreNMSScrapeSlow: above ${r} of a ${timeout}-second timeout for ${c.for.LibreNMSScrapeSlow}`,
      series: [...tgt('slow:9878', Math.min(0.99, r + 0.1)), ...tgt('fast:9878', r - 0.1)],
      checks: [{ at: f + 2, expr: firing('LibreNMSScrapeSlow'), value: 1, why: 'the slow target only' }],
    });
  }
  return out;
}

/** Every scenario at `step` minutes: a value every step, checks at the next multiple of it. */
function render(list: readonly Scenario[], step: number, groups: readonly string[]): string {
  const lines = [
    '# GENERATED by mixin/tests.ts for one configuration: each tunable exercised at its configured value.',
    'rule_files:',
    '  - ../recording.yml',
    '  - ../alerts.yml',
    `evaluation_interval: ${step}m`,
    // Recording groups before the alerts that read them, as Prometheus runs them (independently, but
    // a test must not depend on which runs first within one step).
    'group_eval_order:',
    ...groups.map((g) => `  - ${g}`),
    'tests:',
  ];
  for (const s of list) {
    lines.push(`  - name: ${JSON.stringify(s.name)}`, `    interval: ${step}m`, '    input_series:');
    for (const series of s.series) {
      const sampled = series.values.filter((_, m) => m % step === 0);
      lines.push(`      - series: '${series.name}{${labelText(series.labels)}}'`, `        values: '${values(sampled)}'`);
    }
    lines.push('    promql_expr_test:');
    for (const check of s.checks) {
      lines.push(
        `      # ${check.why}`,
        `      - expr: '${check.expr.replaceAll("'", "''")}'`,
        `        eval_time: ${Math.ceil(check.at / step) * step}m`,
        '        exp_samples:',
        `          - labels: '{}'`,
        `            value: ${check.value}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * promtool test files (rule files relative to them: ../recording.yml, ../alerts.yml): file name →
 * text. Scenarios that simulate a day or more run at a 5-minute resolution in their own file.
 */
export function tunableTests(c: MixinConfig, ex: Examples): Record<string, string> {
  const all = scenarios(c, ex);
  const groups = [...recordingGroups(c), ...alertGroups(c)].map((g) => g.name);
  return {
    'tunables.test.yml': render(
      all.filter((s) => s.long !== true),
      1,
      groups,
    ),
    'tunables-long.test.yml': render(
      all.filter((s) => s.long === true),
      5,
      groups,
    ),
  };
}
