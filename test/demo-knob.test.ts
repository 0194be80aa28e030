/**
 * The demo's knobs (librenms-double/control.ts), over real HTTP: the workshop guides use them to make
 * the lab's ether1 busy and to take a port down. The stack lane's e2e test drives the alerts with them;
 * this checks the knob itself where only Node is installed.
 */
import t from 'tap';
import { request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';

interface PortRow {
  ifName: string;
  ifOperStatus: string;
  ifSpeed: number;
  ifInOctets: number;
  ifOutOctets: number;
}

t.test('POST /_demo/port makes ether1 busy and takes a port down at the next poll; it needs the token', async (t) => {
  const double = await startLibreNmsDouble();
  t.teardown(() => double.close());
  const post = (body: unknown, token = double.token) =>
    request(`${double.url}/_demo/port`, { method: 'POST', headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ports = async (): Promise<PortRow[]> => {
    const response = await request(`${double.url}/api/v0/devices/1/ports?columns=ifName,ifOperStatus,ifSpeed,ifInOctets,ifOutOctets`, {
      headers: { 'x-auth-token': double.token },
    });
    return ((await response.body.json()) as { ports: PortRow[] }).ports;
  };

  const refused = await post({ hostname: '192.168.56.10', ifName: 'ether1', utilisation: 0.95 }, 'wrong-token');
  t.equal(refused.statusCode, 401, 'the knob needs the API token');
  await refused.body.dump();

  double.poll(300);
  const before = await ports();
  const busy = await post({ hostname: 'MikroTik-Lab-Router', ifName: 'ether1', utilisation: 0.95 });
  t.equal(busy.statusCode, 200, 'the display name works as the hostname');
  await busy.body.dump();
  const down = await post({ hostname: '192.168.56.10', ifName: 'ether2', operStatus: 'down' });
  t.equal(down.statusCode, 200);
  await down.body.dump();
  double.poll(300);
  const after = await ports();

  const ether1Before = before.find((p) => p.ifName === 'ether1');
  const ether1After = after.find((p) => p.ifName === 'ether1');
  t.ok(ether1Before !== undefined && ether1After !== undefined, 'ether1 listed');
  if (ether1Before !== undefined && ether1After !== undefined) {
    const share = (ether1After.ifInOctets - ether1Before.ifInOctets) / 300 / (ether1After.ifSpeed / 8);
    t.ok(share > 0.7 && share <= 1.2, `ether1 received ${(share * 100).toFixed(0)}% of its speed over the poll (asked 95% ±20%)`);
  }
  t.equal(after.find((p) => p.ifName === 'ether2')?.ifOperStatus, 'down', 'ether2 reads down after the poll');

  const bad = await post({ hostname: '192.168.56.10', ifName: 'ether1', utilisation: 7 });
  t.equal(bad.statusCode, 400, 'a utilisation outside 0..1 is refused');
  await bad.body.dump();
  const unknown = await post({ hostname: 'nope', ifName: 'ether1', utilisation: 0.5 });
  t.equal(unknown.statusCode, 404, 'an unknown port is refused');
  await unknown.body.dump();
});
