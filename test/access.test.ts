/**
 * Issue 6 (access): endpoint protection with an exporter-toolkit web config (basic auth with bcrypt,
 * a bearer token, TLS), and HTTPS to a LibreNMS with a self-signed certificate.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { Agent, request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { loadConfig } from '../src/config/env.js';
import { ConfigError } from '../src/errors.js';
import { startExporter } from './helpers/exporter.js';
import { valueOf } from './helpers/exposition.js';
import { selfSignedCertificate } from './helpers/tls.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test('basic auth and bearer token protect every endpoint but /healthz', async (t) => {
  const tls = selfSignedCertificate();
  const double = await startLibreNmsDouble();
  const webConfig = join(tls.dir, 'web.yml');
  writeFileSync(join(tls.dir, 'scrape.token'), 'scrape-secret-0123\n');
  writeFileSync(webConfig, `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('correct horse', 4)}\nbearer_token_file: scrape.token\n`);
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: webConfig });
  t.teardown(async () => (await exporter.close(), await double.close(), tls.remove()));
  const status = async (path: string, authorization?: string) => {
    const response = await request(`${exporter.url}${path}`, { headers: authorization === undefined ? {} : { authorization } });
    await response.body.dump();
    return { code: response.statusCode, challenge: response.headers['www-authenticate'] };
  };
  for (const path of ['/metrics', '/probe?target=192.168.56.10', '/sd', '/']) {
    t.same(await status(path), { code: 401, challenge: 'Basic realm="librenms-exporter"' }, `${path}: no credentials`);
    t.equal((await status(path, basic('prometheus', 'wrong'))).code, 401, `${path}: wrong password`);
    t.equal((await status(path, basic('nobody', 'correct horse'))).code, 401, `${path}: unknown user`);
    t.equal((await status(path, 'Bearer wrong-token')).code, 401, `${path}: wrong bearer token`);
    t.equal((await status(path, basic('prometheus', 'correct horse'))).code, 200, `${path}: right password`);
    t.equal((await status(path, 'Bearer scrape-secret-0123')).code, 200, `${path}: right bearer token`);
  }
  t.equal((await status('/healthz')).code, 200, '/healthz stays open for health checks');
  const scrape = await exporter.scrape({ authorization: basic('prometheus', 'correct horse') });
  t.equal(valueOf(scrape.parsed, 'librenms_up'), 1);
});

t.test('TLS with the configured certificate; plain HTTP to the TLS listener fails', async (t) => {
  const tls = selfSignedCertificate();
  const double = await startLibreNmsDouble();
  const webConfig = join(tls.dir, 'web.yml');
  writeFileSync(webConfig, 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n');
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: webConfig });
  const port = new URL(exporter.url).port;
  const trusting = new Agent({ connect: { ca: tls.cert } });
  t.teardown(async () => (await exporter.close(), await double.close(), await trusting.close(), tls.remove()));
  const response = await request(`https://127.0.0.1:${port}/metrics`, { dispatcher: trusting });
  t.equal(response.statusCode, 200, 'handshake with the configured certificate');
  t.match(await response.body.text(), /librenms_up 1/);
  await t.rejects(
    request(`http://127.0.0.1:${port}/metrics`, { headersTimeout: 3000 }).then((r) => r.body.text()),
    'plain HTTP fails',
  );
  await t.rejects(request(`https://127.0.0.1:${port}/metrics`), /self[- ]signed|certificate/i, 'an untrusting client refuses the certificate');
});

t.test('a broken web config stops the start with a clear message', async (t) => {
  const tls = selfSignedCertificate();
  t.teardown(() => tls.remove());
  const webConfig = join(tls.dir, 'web.yml');
  writeFileSync(webConfig, 'basic_auth_users:\n  alice: plaintext-password\ntls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n');
  let caught: unknown;
  try {
    loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:1', LIBRENMS_TOKEN: 'x', WEB_CONFIG_FILE: webConfig });
  } catch (error) {
    caught = error;
  }
  t.ok(caught instanceof ConfigError);
  const message = (caught as ConfigError).message;
  t.match(message, /"alice" must be a bcrypt hash/);
  t.match(message, /cannot read tls_server_config.cert_file "missing.pem"/);
  t.notMatch(message, 'plaintext-password');
});

t.test('HTTPS to a self-signed LibreNMS: refused by default, accepted with LIBRENMS_CA_FILE or LIBRENMS_TLS_INSECURE', async (t) => {
  const tls = selfSignedCertificate();
  const double = await startLibreNmsDouble({ tls: { cert: tls.cert, key: tls.key } });
  t.teardown(async () => (await double.close(), tls.remove()));
  t.match(double.url, /^https:/);

  const strict = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  const refused = await strict.scrape();
  await strict.close();
  t.equal(valueOf(refused.parsed, 'librenms_up'), 0, 'self-signed certificate refused by default');
  t.match(strict.logText(), /TLS to LibreNMS at https:\/\/127\.0\.0\.1:\d+ failed \(\w+\): trust its CA with LIBRENMS_CA_FILE/);

  const withCa = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LIBRENMS_CA_FILE: tls.certFile });
  t.equal(valueOf((await withCa.scrape()).parsed, 'librenms_up'), 1, 'accepted with LIBRENMS_CA_FILE');
  await withCa.close();

  const insecure = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, LIBRENMS_TLS_INSECURE: 'true' });
  t.equal(valueOf((await insecure.scrape()).parsed, 'librenms_up'), 1, 'accepted with LIBRENMS_TLS_INSECURE=true');
  t.match(insecure.logText(), /"level":40[^\n]*LIBRENMS_TLS_INSECURE=true: the LibreNMS certificate is not verified/, 'with a warning at start');
  await insecure.close();
});
