/**
 * WEB_CONFIG_FILE at run time (issue 21): a credential is revoked or rotated without a restart, on a
 * change of the files (looked at no more than once a second, on a fake clock here) or on SIGHUP; a
 * broken new file keeps the previous web config and says why, once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { Agent, request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { loadConfig } from '../src/config/env.js';
import { WEB_CONFIG_CHECK_INTERVAL_MS, WebConfigFile } from '../src/config/web-reload.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { startExporter } from './helpers/exporter.js';
import { waitFor } from './helpers/harness.js';
import { clientCertificates, selfSignedCertificate } from './helpers/tls.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ALICE = bcrypt.hashSync('alice-password', 4);
const BOB = bcrypt.hashSync('bob-password', 4);

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-reload-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('WebConfigFile: looks for a change at most once per interval, and a broken file is reported once', async (t) => {
  let clock = 0;
  const files = new Map<string, string>([
    ['/w/web.yml', `basic_auth_users:\n  alice: ${ALICE}\nbearer_token_file: scrape.token\n`],
    ['/w/scrape.token', 'token-one'],
  ]);
  let reads = 0;
  const readFile = (path: string): string => {
    reads++;
    const text = files.get(path);
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
  const initial = loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:1', LIBRENMS_TOKEN: 'abc', WEB_CONFIG_FILE: '/w/web.yml' }, readFile).web;
  const file = new WebConfigFile('/w/web.yml', initial, { readFile, now: () => clock });
  t.same(file.poll(), { outcome: 'unchanged' });
  reads = 0;
  clock += WEB_CONFIG_CHECK_INTERVAL_MS - 1;
  t.same(file.poll(), { outcome: 'unchanged' }, 'too soon to look');
  t.equal(reads, 0, 'nothing read');
  clock += 1;
  t.same(file.poll(), { outcome: 'unchanged' });
  t.equal(reads, 2, 'the web config and the file it names, read once');

  // A token file rotated in place is a change too.
  files.set('/w/scrape.token', 'token-two');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  const rotated = file.poll();
  t.equal(rotated.outcome, 'reloaded');
  t.equal(file.current.bearerToken, 'token-two');

  files.set('/w/web.yml', 'basic_auth_users:\n  alice: not-a-hash\n');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  const broken = file.poll();
  t.equal(broken.outcome, 'kept');
  t.match(broken.outcome === 'kept' ? broken.problems.join('\n') : '', /"alice" must be a bcrypt hash/);
  t.equal(file.current.bearerToken, 'token-two', 'the previous web config stays in force');
  t.ok(file.current.basicAuthUsers.has('alice'));
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  t.same(file.poll(), { outcome: 'unchanged' }, 'the same broken file is not reported again');
  t.equal(file.reload().outcome, 'kept', 'SIGHUP reads it again, and says so again');

  files.set('/w/web.yml', `basic_auth_users:\n  bob: ${BOB}\n`);
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  t.equal(file.poll().outcome, 'reloaded', 'fixed: in force');
  t.same([...file.current.basicAuthUsers.keys()], ['bob']);
  t.equal(file.current.bearerToken, undefined);

  files.delete('/w/web.yml');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  const gone = file.poll();
  t.match(gone.outcome === 'kept' ? gone.problems.join('\n') : '', /cannot read it \(ENOENT\)/, 'a deleted file keeps the last one');

  files.set('/w/web.yml', 'tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n');
  files.set('/w/c.pem', 'CERT');
  files.set('/w/k.pem', 'KEY');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  const https = file.poll();
  t.match(https.outcome === 'kept' ? https.problems.join('\n') : '', /tls_server_config was added: switching between HTTP and HTTPS needs a restart/);
});

t.test('a revoked user is refused, and a new one let in, without a restart', async (t) => {
  const dir = tempDir(t);
  const webFile = join(dir, 'web.yml');
  writeFileSync(webFile, `basic_auth_users:\n  alice: ${ALICE}\n`);
  let clock = 1_000_000;
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:9', LIBRENMS_TOKEN: 'abc', WEB_CONFIG_FILE: webFile });
  const exporter = buildApp({ config, logger: createLogger('info', sink), now: () => clock });
  t.teardown(() => exporter.app.close());
  const status = async (authorization: string): Promise<number> => (await exporter.app.inject({ url: '/', headers: { authorization } })).statusCode;

  t.equal(await status(basic('alice', 'alice-password')), 200, 'alice, remembered from now on');
  writeFileSync(webFile, `basic_auth_users:\n  bob: ${BOB}\n`);
  t.equal(await status(basic('alice', 'alice-password')), 200, 'within the interval nothing is looked at');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  t.equal(await status(basic('alice', 'alice-password')), 401, 'alice revoked: her remembered login is forgotten');
  t.equal(await status(basic('bob', 'bob-password')), 200, 'bob let in');
  t.match(lines.find((l) => typeof l['msg'] === 'string' && l['msg'].includes('reloaded'))?.['msg'], /WEB_CONFIG_FILE ".*web\.yml" reloaded/);

  writeFileSync(webFile, 'basic_auth_users: [not, a, mapping]\n');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  t.equal(await status(basic('bob', 'bob-password')), 200, 'a broken file keeps bob in');
  clock += WEB_CONFIG_CHECK_INTERVAL_MS;
  await status(basic('bob', 'bob-password'));
  const kept = lines.filter((l) => l['error_code'] === 'web_config_kept');
  t.equal(kept.length, 1, 'and is logged once');
  t.match(kept[0]?.['msg'], /changed but cannot be used, so the previous web config stays in force: .*basic_auth_users must map user names to bcrypt hashes/);

  // SIGHUP's path: re-read now, whatever the clock.
  writeFileSync(webFile, `basic_auth_users:\n  alice: ${ALICE}\n`);
  t.equal(exporter.reloadWebConfig()?.outcome, 'reloaded');
  t.equal(await status(basic('bob', 'bob-password')), 401, 'bob revoked at once');
  t.equal(await status(basic('alice', 'alice-password')), 200);
});

t.test('a rotated certificate and a new client_auth_type apply to new connections', async (t) => {
  const first = selfSignedCertificate();
  const second = selfSignedCertificate();
  const clients = clientCertificates();
  const double = await startLibreNmsDouble({});
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cert.pem'), first.cert);
  writeFileSync(join(dir, 'key.pem'), first.key);
  const webFile = join(dir, 'web.yml');
  writeFileSync(webFile, 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n');
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: webFile });
  const port = new URL(exporter.url).port;
  const agents: Agent[] = [];
  t.teardown(async () => {
    await exporter.close();
    await double.close();
    for (const agent of agents) await agent.close();
    for (const pki of [first, second, clients]) pki.remove();
  });
  const status = async (connect: { ca: string; cert?: string; key?: string }): Promise<number> => {
    const agent = new Agent({ connect });
    agents.push(agent);
    const response = await request(`https://127.0.0.1:${port}/`, { dispatcher: agent });
    await response.body.dump();
    return response.statusCode;
  };
  t.equal(await status({ ca: first.cert }), 200, 'the first certificate');
  writeFileSync(join(dir, 'cert.pem'), second.cert);
  writeFileSync(join(dir, 'key.pem'), second.key);
  t.equal(exporter.reloadWebConfig()?.outcome, 'reloaded');
  t.equal(await status({ ca: second.cert }), 200, 'the second certificate, on a new connection');
  await t.rejects(status({ ca: first.cert }), 'the first is no longer served');

  // A key that does not match its certificate never reaches the server.
  writeFileSync(join(dir, 'cert.pem'), first.cert);
  const mismatched = exporter.reloadWebConfig();
  t.equal(mismatched?.outcome, 'kept');
  t.match(mismatched?.outcome === 'kept' ? mismatched.problems.join('\n') : '', /the certificate, key or client CA cannot be used/);
  t.equal(await status({ ca: second.cert }), 200, 'the second certificate is still served');
  writeFileSync(join(dir, 'cert.pem'), second.cert);

  writeFileSync(
    webFile,
    `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${clients.caFile}\n`,
  );
  t.equal(exporter.reloadWebConfig()?.outcome, 'reloaded');
  t.equal(await status({ ca: second.cert }), 403, 'a client certificate is now required');
  t.equal(await status({ ca: second.cert, cert: clients.cert, key: clients.key }), 200, 'and asked for in the handshake');
});

t.test('SIGHUP re-reads WEB_CONFIG_FILE in the running exporter', async (t) => {
  const double = await startLibreNmsDouble({});
  const dir = tempDir(t);
  const webFile = join(dir, 'web.yml');
  writeFileSync(webFile, `basic_auth_users:\n  alice: ${ALICE}\n`);
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli], {
    env: {
      PATH: process.env['PATH'] ?? '',
      LIBRENMS_URL: double.url,
      LIBRENMS_TOKEN: double.token,
      WEB_CONFIG_FILE: webFile,
      LISTEN_ADDRESS: '127.0.0.1:0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await double.close();
  });
  await waitFor(() => output.includes('listening on'), 30_000, 'the exporter to listen');
  writeFileSync(webFile, `basic_auth_users:\n  bob: ${BOB}\n`);
  child.kill('SIGHUP');
  await waitFor(() => output.includes('reloaded'), 10_000, 'the reload to be logged');
  t.match(output, /WEB_CONFIG_FILE \\".*web\.yml\\" reloaded/, 'logged as JSON');
  t.match(output, /"basicAuthUsers":\["bob"\]/, 'the new user names are logged, never a hash');
  t.notMatch(output, BOB);
  t.same([child.exitCode, child.signalCode], [null, null], 'SIGHUP does not stop the exporter');
});
