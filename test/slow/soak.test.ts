/**
 * Soak: scrape again and again while LibreNMS changes under the exporter (devices and ports come
 * and go, aliases and names change, LibreNMS polls). Every scrape must match LibreNMS's state
 * exactly (removed ports vanish, new ones appear), never hold a duplicate series, and the heap must
 * not grow without bound. Duration: SOAK_SECONDS (default 45) and at least three scrapes a second's worth
 * (MIN_SCRAPES), so a slow machine soaks longer rather than less.
 */

import t from 'tap';
import { LAB_COMMUNITY, syntheticState } from '../../librenms-double/fixtures.js';
import { addDevice, addPort, makeRng, removeDevice, type SimState } from '../../librenms-double/state.js';
import { capturedText } from '../helpers/exporter.js';
import { find, valueOf } from '../helpers/exposition.js';
import { exposeGc } from '../helpers/gc.js';
import { identityProblems, portIdentities, scrapeWithin, setupPair, sleep } from '../helpers/harness.js';

const SOAK_SECONDS = Number(process.env['SOAK_SECONDS'] ?? 45);
const WARM_UP_SECONDS = Math.min(8, SOAK_SECONDS / 4);
/** The soak runs SOAK_SECONDS and at least this many scrapes, however slow the machine: a count, not a speed. */
const MIN_SCRAPES = SOAK_SECONDS * 3;

/** The port identities and aliases LibreNMS's state says the exporter must serve (defaults: no disabled, no deleted). */
function expected(state: SimState): Map<string, string> {
  const devices = new Map<number, string>();
  const hostnames = new Set<string>();
  for (const d of state.devices) {
    if (d.disabled === 1 || hostnames.has(d.hostname)) continue;
    hostnames.add(d.hostname);
    devices.set(d.device_id, d.hostname);
  }
  const out = new Map<string, string>();
  for (const p of state.ports) {
    const hostname = devices.get(p.device_id);
    if (hostname === undefined || p.deleted === 1 || p.disabled === 1) continue;
    const key = JSON.stringify([hostname, p.ifName !== null && p.ifName !== '' ? p.ifName : (p.ifDescr ?? ''), String(p.ifIndex)]);
    if (!out.has(key)) out.set(key, p.ifAlias ?? '');
  }
  return out;
}

const ALIASES = ['uplink', 'desk "4"', 'back\\slash', 'ลิงก์', '📡 ap', 'line\nbreak', '', 'x'.repeat(300)];

t.test(`soak for ${SOAK_SECONDS} s: LibreNMS changing under repeated scrapes`, async (t) => {
  t.setTimeout((SOAK_SECONDS * 4 + 60) * 1000);
  const gc = exposeGc();
  const state = syntheticState({ devices: 30, portsPerDevice: 12, seed: 11 });
  const { double, exporter } = await setupPair(t, { CACHE_TTL_SECONDS: '0', PORTS_STRATEGY: 'auto', CONCURRENCY: '4' }, { state });
  const rng = makeRng(2024);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rng() * items.length)];
  let nextHost = 1;
  const counts = { scrapes: 0, addedDevices: 0, removedDevices: 0, addedPorts: 0, removedPorts: 0, deletedPorts: 0, aliases: 0, renames: 0, toggles: 0 };

  /** One random change to LibreNMS; returns port identities that must be gone from the next scrape. */
  function mutate(): void {
    const s = double.state;
    const action = rng();
    if (action < 0.1 && s.devices.length < 45) {
      const d = addDevice(s, { hostname: `soak-${nextHost++}.lab`, community: LAB_COMMUNITY });
      for (let i = 0; i < 1 + Math.floor(rng() * 6); i++) addPort(s, { device_id: d.device_id, ifAlias: pick(ALIASES) ?? '', poll_time: s.clock });
      counts.addedDevices++;
    } else if (action < 0.18 && s.devices.length > 10) {
      const d = pick(s.devices);
      if (d !== undefined) removeDevice(s, d.device_id);
      counts.removedDevices++;
    } else if (action < 0.35) {
      const d = pick(s.devices);
      if (d !== undefined) addPort(s, { device_id: d.device_id, ifAlias: pick(ALIASES) ?? '', poll_time: s.clock });
      counts.addedPorts++;
    } else if (action < 0.48 && s.ports.length > 50) {
      s.ports.splice(Math.floor(rng() * s.ports.length), 1);
      counts.removedPorts++;
    } else if (action < 0.55) {
      const p = pick(s.ports);
      if (p !== undefined) p.deleted = 1;
      counts.deletedPorts++;
    } else if (action < 0.8) {
      for (let i = 0; i < 5; i++) {
        const p = pick(s.ports);
        if (p !== undefined) p.ifAlias = `${pick(ALIASES) ?? ''} ${Math.floor(rng() * 1000)}`;
      }
      counts.aliases++;
    } else if (action < 0.88) {
      const p = pick(s.ports);
      if (p !== undefined) p.ifName = `renamed-${p.port_id}-${Math.floor(rng() * 100)}`;
      counts.renames++;
    } else if (action < 0.93) {
      const d = pick(s.devices);
      if (d !== undefined) d.disabled = d.disabled === 1 ? 0 : 1;
      counts.toggles++;
    } else {
      double.poll(300);
    }
  }

  const started = performance.now();
  let warmHeap: number | undefined;
  let previous = new Set<string>();
  let refreshes = 0;
  let failures = 0;
  const token = double.token;
  while (performance.now() - started < SOAK_SECONDS * 1000 || counts.scrapes < MIN_SCRAPES) {
    const changes = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < changes; i++) mutate();
    const want = expected(double.state);
    // Sometimes several scrapes at once: they share one refresh and must agree.
    const parallel = rng() < 0.2 ? 3 : 1;
    const scrapes = await Promise.all(Array.from({ length: parallel }, () => scrapeWithin(exporter, 5)));
    counts.scrapes += parallel;
    for (const s of scrapes) {
      const problems: string[] = [];
      if (s.status !== 200) problems.push(`HTTP ${s.status}`);
      if (valueOf(s.parsed, 'librenms_up') !== 1) problems.push('librenms_up is not 1');
      problems.push(...identityProblems(s.parsed));
      const got = portIdentities(s.parsed);
      const counters = portIdentities(s.parsed, 'librenms_port_up');
      for (const key of got) if (!want.has(key)) problems.push(`${key} served but not in LibreNMS${previous.has(key) ? ' (a removed port)' : ''}`);
      for (const key of counters) if (!want.has(key)) problems.push(`librenms_port_up ${key} of a removed port`);
      for (const key of want.keys()) if (!got.has(key)) problems.push(`${key} missing`);
      for (const info of find(s.parsed, 'librenms_port_info')) {
        const key = JSON.stringify([info.labels['hostname'] ?? '', info.labels['ifName'] ?? '', info.labels['ifIndex'] ?? '']);
        const alias = want.get(key);
        if (alias !== undefined && info.labels['ifAlias'] !== alias.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').slice(0, 256)) {
          problems.push(`${key} has alias ${JSON.stringify(info.labels['ifAlias'])}, LibreNMS ${JSON.stringify(alias)}`);
        }
      }
      if (s.text.includes(token) || s.text.includes(LAB_COMMUNITY)) problems.push('a secret in the response');
      if (problems.length > 0) {
        failures++;
        if (failures <= 3) t.fail(`scrape ${counts.scrapes}: ${problems.slice(0, 5).join('; ')}`);
      }
      previous = got;
    }
    // The test harness keeps every body for its leak checks; this test checks each body itself.
    if (capturedText.some((line) => line.includes(token) || line.includes(LAB_COMMUNITY))) t.fail('a secret in a log line');
    capturedText.length = 0;
    refreshes += exporter.logs.filter((l) => l['msg'] === 'refresh from LibreNMS complete').length;
    exporter.logs.length = 0;
    double.resetStats();
    if (warmHeap === undefined && performance.now() - started > WARM_UP_SECONDS * 1000) {
      gc();
      warmHeap = process.memoryUsage().heapUsed;
    }
    await sleep(rng() * 20);
  }
  await sleep(50);
  gc();
  const endHeap = process.memoryUsage().heapUsed;
  t.equal(failures, 0, `every one of ${counts.scrapes} scrapes matched LibreNMS exactly`);
  t.comment(`${counts.scrapes} scrapes in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  t.ok(
    counts.removedPorts + counts.deletedPorts + counts.removedDevices > 5 && counts.addedPorts + counts.addedDevices > 5 && counts.aliases > 5,
    `changes made: ${JSON.stringify(counts)}`,
  );
  t.ok(refreshes >= counts.scrapes / 3, `${refreshes} refreshes (one log line each)`);
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const limit = (warmHeap ?? Infinity) * 1.5 + 20 * 2 ** 20;
  t.ok(warmHeap !== undefined && endHeap <= limit, `heap after warm-up ${mb(warmHeap ?? 0)}, at the end ${mb(endHeap)} (limit ${mb(limit)})`);
});
