/**
 * The client's errors say what LibreNMS did and name no setting; advice.ts adds the setting to change,
 * and the refresh's log line (describeFailure) and `check` (explain) give the same advice. Each error
 * comes from the real client against the double over HTTP(S) on 127.0.0.1.
 */
import net from 'node:net';
import t from 'tap';
import { type Fault, startLibreNmsDouble } from '../librenms-double/double.js';
import { adviceFor, describeFailure } from '../src/advice.js';
import { loadConfig } from '../src/config/env.js';
import { SETTINGS, type SettingName } from '../src/config/settings.js';
import type { Environment } from '../src/config-types.js';
import { explain } from '../src/doctor/messages.js';
import { LibreNmsError, type LibreNmsErrorCode } from '../src/errors.js';
import { clientOptions, LibreNmsClient } from '../src/librenms/client.js';
import { selfSignedCertificate } from './helpers/tls.js';

interface Case {
  readonly name: string;
  readonly code: LibreNmsErrorCode;
  /** The setting the advice names; undefined when no setting helps. */
  readonly setting: SettingName | undefined;
  readonly fault?: Fault;
  readonly env?: Environment;
  readonly wrongToken?: boolean;
  readonly tls?: boolean;
  readonly closedPort?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'a rejected token', code: 'unauthorized', setting: 'LIBRENMS_TOKEN', wrongToken: true },
  {
    name: 'a redirect to the login page',
    code: 'http_error',
    setting: 'LIBRENMS_URL',
    fault: { kind: 'status', status: 302, headers: { Location: '/login' } },
  },
  { name: 'no answer in time', code: 'timeout', setting: 'REQUEST_TIMEOUT_SECONDS', fault: { kind: 'hang' }, env: { REQUEST_TIMEOUT_SECONDS: '0.2' } },
  { name: 'an answer past the size limit', code: 'invalid_response', setting: 'LIBRENMS_MAX_RESPONSE_BYTES', env: { LIBRENMS_MAX_RESPONSE_BYTES: '1024' } },
  { name: 'nothing listening', code: 'connection_failed', setting: 'LIBRENMS_URL', closedPort: true },
  { name: 'a self-signed certificate', code: 'tls_error', setting: 'LIBRENMS_CA_FILE', tls: true },
  {
    name: 'a token of a normal user',
    code: 'forbidden',
    setting: undefined,
    fault: { kind: 'status', status: 403, body: '{"message":"This action is unauthorized."}' },
  },
  { name: 'LibreNMS failing', code: 'server_error', setting: undefined, fault: { kind: 'html500' } },
];

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const c of CASES) {
  t.test(`${c.name}: the client states the facts, the log and check name the same fix`, async (t) => {
    const certificate = c.tls === true ? selfSignedCertificate() : undefined;
    t.teardown(() => certificate?.remove());
    const double = await startLibreNmsDouble(certificate === undefined ? {} : { tls: { key: certificate.key, cert: certificate.cert } });
    t.teardown(() => double.close());
    if (c.fault !== undefined) double.addFault({ path: '/api/v0/devices', fault: c.fault });
    const url = c.closedPort === true ? `http://127.0.0.1:${await closedPort()}` : double.url;
    const config = loadConfig({ LIBRENMS_URL: url, LIBRENMS_TOKEN: c.wrongToken === true ? 'not-the-token-123' : double.token, ...c.env });
    const instance = config.instances[0];
    if (instance === undefined) throw new Error('no instance');
    const client = new LibreNmsClient(clientOptions(instance, config));
    t.teardown(() => client.close());

    const error = await client.listDevices().then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof LibreNmsError)) throw new Error(`expected a LibreNmsError, got ${String(error)}`);
    t.equal(error.code, c.code);
    t.same(
      Object.keys(SETTINGS).filter((name) => error.message.includes(name)),
      [],
      `the client's message names no setting: ${error.message}`,
    );
    if (c.code === 'timeout') t.equal(error.timeoutSeconds, 0.2, 'the timeout that ran out, in seconds');
    if (c.setting === 'LIBRENMS_MAX_RESPONSE_BYTES') t.equal(error.limitBytes, 1024, 'the limit passed, in bytes');

    const advice = adviceFor(error);
    const logged = describeFailure(error);
    const checked = explain(error, config, instance).reason;
    if (c.setting === undefined) {
      t.ok(advice === undefined || !Object.keys(SETTINGS).some((name) => advice.includes(name)), `no setting is blamed: ${advice}`);
    } else {
      t.match(advice, c.setting, `the advice names ${c.setting}`);
    }
    t.equal(logged, advice === undefined ? error.message : `${error.message}: ${advice}`, `the log line: ${logged}`);
    if (advice !== undefined) t.match(checked, `${advice.charAt(0).toUpperCase()}${advice.slice(1)}`, `check gives the same advice: ${checked}`);
  });
}

t.test('a failure that is not LibreNMS is described as it is', async (t) => {
  t.equal(describeFailure(new Error('something broke')), 'something broke');
  t.equal(describeFailure('text'), 'text');
});
