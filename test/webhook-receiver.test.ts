/**
 * The example webhook receiver (examples/webhook-receiver/receiver.mjs) as Alertmanager and an
 * attacker would talk to it, over real HTTP on 127.0.0.1: authentication, the one path it answers,
 * one run per change of an alert's state (Alertmanager re-sends a group's alerts in every
 * notification), a bounded command queue, and log lines a label cannot forge.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { REPO_ROOT } from './helpers/dashboards.js';
import { waitFor } from './helpers/servers.js';

const RECEIVER = path.join(REPO_ROOT, 'examples/webhook-receiver/receiver.mjs');

interface Receiver {
  readonly url: string;
  readonly dir: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts the receiver on a free port with `env`; stopped at the end of the test. */
async function startReceiver(t: Test, env: Record<string, string>): Promise<Receiver> {
  const dir = await mkdtemp(path.join(tmpdir(), 'webhook-receiver-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const child: ChildProcess = spawn(process.execPath, [RECEIVER], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_FILE: path.join(dir, 'alerts.log'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  });
  const url = await Promise.race([
    waitFor(async () => /on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stdout)?.[1], { timeoutMs: 10_000, what: 'the receiver to listen' }),
    exited.then(() => ''),
  ]);
  return { url, dir, stderr: () => stderr, exited };
}

const alert = (status: 'firing' | 'resolved', fingerprint: string, labels: Record<string, string> = {}) => ({
  status,
  fingerprint,
  startsAt: '2026-01-01T00:00:00Z',
  labels: { alertname: 'LibreNMSPortDown', severity: 'warning', hostname: '192.168.56.10', ifName: 'ether1', ...labels },
  annotations: { summary: 'Port ether1 (Host-Only network) on MikroTik-Lab-Router is down', display: 'MikroTik-Lab-Router', ifAlias: 'Host-Only network' },
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function lines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

t.test('refuses to listen beyond loopback without a token', async (t) => {
  const r = await startReceiver(t, { HOST: '0.0.0.0' });
  t.equal(r.url, '', 'it does not listen');
  t.equal(await r.exited, 2, 'it exits with status 2');
  t.match(r.stderr(), /RECEIVER_TOKEN/, 'and says how to fix it');
});

t.test('answers only POST /alerts with the bearer token', async (t) => {
  const r = await startReceiver(t, { RECEIVER_TOKEN: 's3cret' });
  t.match(r.url, /\/alerts$/, 'the path is /alerts');
  const base = r.url.replace(/\/alerts$/, '');
  const auth = { authorization: 'Bearer s3cret' };
  t.equal((await post(`${base}/`, { alerts: [] }, auth)).status, 404, 'another path is 404');
  t.equal((await post(`${base}/alerts/../x`, { alerts: [] }, auth)).status, 404, 'a path that only resembles it is 404');
  t.equal((await post(r.url, { alerts: [] })).status, 401, 'no token: 401');
  t.equal((await post(r.url, { alerts: [] }, { authorization: 'Bearer s3cre' })).status, 401, 'a wrong token: 401');
  t.equal((await fetch(r.url, { headers: auth })).status, 405, 'GET: 405');
  t.equal((await post(r.url, { alerts: [alert('firing', 'a1')] }, auth)).status, 200, 'POST with the token: 200');
  t.equal((await lines(path.join(r.dir, 'alerts.log'))).length, 1, 'and the alert is logged');
});

t.test('runs the command once per change of an alert, not once per group notification', async (t) => {
  const r = await startReceiver(t, { ON_ALERT_COMMAND: 'echo "$ALERT_STATUS $ALERT_FINGERPRINT $ALERT_DISPLAY $ALERT_IFALIAS" >> runs.txt' });
  const runs = path.join(r.dir, 'runs.txt');
  // Alertmanager's notifications of one group: a1 fires; a2 joins (a1 sent again); the repeat; a1 resolves.
  for (const alerts of [
    [alert('firing', 'a1')],
    [alert('firing', 'a1'), alert('firing', 'a2')],
    [alert('firing', 'a1'), alert('firing', 'a2')],
    [alert('resolved', 'a1'), alert('firing', 'a2')],
  ]) {
    t.equal((await post(r.url, { alerts })).status, 200);
  }
  const ran = await waitFor(async () => ((await lines(runs)).length >= 3 ? lines(runs) : undefined), { timeoutMs: 10_000, what: 'three runs' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.same(
    (await lines(runs)).sort(),
    ['firing a1 MikroTik-Lab-Router Host-Only network', 'firing a2 MikroTik-Lab-Router Host-Only network', 'resolved a1 MikroTik-Lab-Router Host-Only network'],
    'a1 firing, a2 firing, a1 resolved: once each, with the display name and alias from the annotations',
  );
  t.equal(ran.length, 3);
  t.equal((await lines(path.join(r.dir, 'alerts.log'))).length, 3, 'and logged once each');
});

t.test('queues a bounded number of commands: a huge notification does not run thousands', async (t) => {
  const r = await startReceiver(t, { ON_ALERT_COMMAND: 'sleep 2', MAX_QUEUED_COMMANDS: '5' });
  const alerts = Array.from({ length: 3000 }, (_, i) => alert('firing', `f${i}`, { ifName: `ether${i}` }));
  const body = JSON.stringify({ alerts });
  t.ok(body.length > 300_000, `one POST of ${Math.round(body.length / 1024)} KB`);
  t.equal((await post(r.url, { alerts })).status, 200, 'answered at once');
  t.equal((await lines(path.join(r.dir, 'alerts.log'))).length, 5, 'five accepted (logged and queued)');
  t.match(r.stderr(), /2995 alert\(s\) not run: 5 commands already queued/, 'the rest said plainly');
});

t.test('a newline in a label cannot forge a log line', async (t) => {
  const r = await startReceiver(t, {});
  const forged = alert('firing', 'n1', { ifName: 'ether1\n2026-01-01T00:00:00.000Z RESOLVED LibreNMSPortDown core-router ether9: all good' });
  t.equal((await post(r.url, { alerts: [forged] })).status, 200);
  const logged = await lines(path.join(r.dir, 'alerts.log'));
  t.equal(logged.length, 1, 'one alert, one line');
  t.match(logged[0], /ether1\\u000a2026-01-01T00:00:00\.000Z RESOLVED/, 'the newline is written escaped');
  t.notOk(
    logged.some((l) => l.startsWith('2026-01-01T00:00:00.000Z RESOLVED')),
    'no line starts with the forged text',
  );
});
