/**
 * The LibreNMS double at the scale of a large install (`npm run test:slow`): a 2,000-device state with
 * 100k ports is built and served whole, its keys unique at that size. It does real work at that size, so it
 * lives outside the main lane (the time it took is reported, never asserted), which checks the same state's mix at 200 devices (test/simulator.test.ts).
 */
import t from 'tap';
import { startLibreNmsDouble } from '../../librenms-double/double.js';
import { syntheticState } from '../../librenms-double/fixtures.js';

t.test('syntheticState(2000 x 50): 100k ports, unique keys, served whole', async (t) => {
  const started = Date.now();
  const s = syntheticState({ devices: 2000, portsPerDevice: 50, seed: 1 });
  const took = Date.now() - started;
  t.comment(`built in ${took} ms`);
  t.equal(s.devices.length, 2000);
  t.equal(s.ports.length, 100000);
  t.equal(new Set(s.ports.map((p) => `${p.device_id}:${p.ifIndex}`)).size, 100000, 'unique (device_id, ifIndex)');
  t.equal(new Set(s.ports.map((p) => p.port_id)).size, 100000, 'unique port_id');
  const again = syntheticState({ devices: 20, portsPerDevice: 50, seed: 1 });
  t.same(again.ports.slice(0, 100), s.ports.slice(0, 100), 'deterministic per seed, whatever the size');

  const d = await startLibreNmsDouble({ state: s });
  t.teardown(() => d.close());
  const r0 = Date.now();
  const r = await fetch(`${d.url}/api/v0/ports?columns=port_id,device_id,ifName,ifAlias,ifOperStatus,ifInOctets,ifOutOctets,poll_time`, {
    headers: { 'X-Auth-Token': d.token },
  });
  t.equal(r.status, 200);
  const parsed = JSON.parse(await r.text()) as { ports: unknown[] };
  t.equal(parsed.ports.length, s.ports.filter((p) => !p.deleted).length);
  t.comment(`100k-port /ports in ${Date.now() - r0} ms`);
});
