/**
 * Simulates one LibreNMS poller run over the state, following includes/polling/ports.inc.php:
 *  - X_prev = previous stored value (null => 0), X_delta = X - X_prev, X_rate = delta / period
 *    (integer, units per second), negative delta (wrap/reset) => delta 0, rate 0
 *  - _delta/_rate stay null on the first poll of a new port
 *  - poll_prev = old poll_time, poll_time = now, poll_period = max(now - old poll_time, 1)
 *  - ports that are not up and whose oper status did not change get only the bulk
 *    poll_time/poll_prev update with poll_period = NULL (the inverted ternary) and keep their
 *    counters and (possibly stale, non-zero) rates
 *  - disabled ports, and all ports of disabled or down devices, are not polled
 */
import { COUNTER_BASES, type CounterBase, mulberry32, type PortLoad, type SimPort, type SimState, STAT_BASES } from './state.js';

const U64 = 1n << 64n;

/** stable pseudo-random load for ports without an explicit profile */
export function defaultLoad(port: SimPort): PortLoad {
  let h = (port.port_id * 2654435761) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995) >>> 0;
  const a = (h & 0xffff) / 0xffff;
  const b = ((h >>> 16) & 0xffff) / 0xffff;
  return { in: 0.002 + a * a * 0.3, out: 0.001 + b * b * 0.2 };
}

function updateCounter(port: SimPort, base: CounterBase, growth: bigint, period: number, reset: boolean): void {
  const old = port[base];
  let cur = (reset ? 0n : (old ?? 0n)) + growth;
  if (cur >= U64) cur -= U64; // 64-bit wrap
  port[base] = cur;
  port[`${base}_prev`] = old ?? 0n;
  if (old !== null) {
    let delta = cur - old;
    let rate = delta / BigInt(period);
    if (delta < 0n) {
      delta = 0n;
      rate = 0n;
    }
    port[`${base}_delta`] = delta;
    port[`${base}_rate`] = rate;
  }
}

export function pollState(state: SimState, seconds = 300): void {
  if (!(seconds > 0)) throw new Error('poll(seconds) needs seconds > 0');
  let rs = state.rngState;
  const rng = (): number => {
    const [v, n] = mulberry32(rs);
    rs = n;
    return v;
  };
  const now = Math.round(state.clock + seconds);
  state.clock = now;

  const polledDevices = new Set<number>();
  for (const d of state.devices) {
    if (d.disabled) continue;
    d.last_poll_attempted = now;
    d.last_ping = now;
    d.last_ping_timetaken = Math.round((0.3 + rng() * 2) * 100) / 100;
    if (d.status !== 1) continue; // down: ping fails, nothing else polled
    polledDevices.add(d.device_id);
    d.uptime = (d.uptime ?? 0) + seconds;
    d.last_polled = now;
    d.last_polled_timetaken = Math.round((2 + rng() * 12) * 100) / 100;
  }

  const statsByPort = new Map(state.portStatistics.map((s) => [s.port_id, s]));
  for (const p of state.ports) {
    if (p.deleted || p.disabled || !polledDevices.has(p.device_id)) continue;
    const oldPoll = p.poll_time;
    const up = p.ifOperStatus === 'up';
    if (!up && p.ifOperStatus_prev === p.ifOperStatus && oldPoll !== null) {
      // unchanged, not up: bulk update only
      p.poll_prev = oldPoll;
      p.poll_time = now;
      p.poll_period = null;
      continue;
    }
    const period = Math.max(now - (oldPoll ?? 0), 1);
    const growth: Record<CounterBase, bigint> = {
      ifInOctets: 0n,
      ifOutOctets: 0n,
      ifInUcastPkts: 0n,
      ifOutUcastPkts: 0n,
      ifInErrors: 0n,
      ifOutErrors: 0n,
    };
    if (up) {
      const load = state.portLoad.get(p.port_id) ?? defaultLoad(p);
      const bytesPerSec = (p.ifSpeed ?? 0) / 8;
      const elapsed = Math.min(now - (oldPoll ?? now - seconds), 10 * 365 * 86400);
      const inB = Math.floor(bytesPerSec * load.in * (0.8 + 0.4 * rng()) * elapsed);
      const outB = Math.floor(bytesPerSec * load.out * (0.8 + 0.4 * rng()) * elapsed);
      growth.ifInOctets = BigInt(inB);
      growth.ifOutOctets = BigInt(outB);
      growth.ifInUcastPkts = BigInt(Math.floor(inB / (760 + rng() * 80)));
      growth.ifOutUcastPkts = BigInt(Math.floor(outB / (760 + rng() * 80)));
      if (rng() < 0.08) growth.ifInErrors = BigInt(1 + Math.floor(rng() * 3));
      if (rng() < 0.03) growth.ifOutErrors = 1n;
      const st = statsByPort.get(p.port_id);
      if (st) {
        for (const b of STAT_BASES) {
          const old = st[b];
          const g = b.includes('Discards')
            ? BigInt(rng() < 0.2 ? Math.floor(rng() * 5) : 0)
            : b.includes('Multicast') || b.includes('Broadcast') || b.includes('NUcast')
              ? BigInt(Math.floor((rng() * 50 * elapsed) / 300))
              : 0n;
          const cur = (old ?? 0n) + g;
          st[b] = cur;
          st[`${b}_prev`] = old ?? 0n;
          if (old !== null) {
            st[`${b}_delta`] = cur - old;
            st[`${b}_rate`] = (cur - old) / BigInt(period);
          }
        }
      }
    }
    const reset = state.counterResets?.delete(p.port_id) ?? false;
    for (const b of COUNTER_BASES) updateCounter(p, b, growth[b], period, reset);
    p.poll_prev = oldPoll;
    p.poll_time = now;
    p.poll_period = period;
    p.ifOperStatus_prev = p.ifOperStatus;
    p.ifAdminStatus_prev = p.ifAdminStatus;
  }

  for (const s of state.sensors) {
    if (s.sensor_deleted || !polledDevices.has(s.device_id) || s.sensor_current === null) continue;
    s.sensor_prev = s.sensor_current;
    const wobble = (rng() - 0.5) * 0.02 * Math.max(Math.abs(s.sensor_current), 1);
    s.sensor_current = Math.round((s.sensor_current + wobble) * 100) / 100;
    s.lastupdate = now;
  }
  state.rngState = rs;
}
