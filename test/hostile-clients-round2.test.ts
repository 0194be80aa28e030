/**
 * Hostile clients, round two (issue 21): valid logins during a flood of wrong passwords (one bcrypt
 * check per credential, a short queue ordered by each address's failures), the request receive
 * timeout, tokens that can never work, the health check under RequireAndVerifyClientCert, and a
 * 400 that echoes a huge target. Timing is never asserted: the queue runs on a fake clock and an
 * injected comparison (test/slow/ measures the flood as a whole).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import t, { type Test } from 'tap';
import { Agent, request } from 'undici';
import { startLibreNmsDouble } from '../librenms-double/double.js';
import { loadConfig } from '../src/config/env.js';
import { ConfigError } from '../src/errors.js';
import { REQUEST_RECEIVE_TIMEOUT_MS } from '../src/http/app.js';
import { clientCertificateAllowed, credentialChecker } from '../src/http/auth.js';
import { startExporter } from './helpers/exporter.js';
import { clientCertificates, selfSignedCertificate } from './helpers/tls.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A comparison the test settles by hand, recording what it was asked, in order. */
function manualComparison() {
  const calls: { password: string; settle: (ok: boolean) => void }[] = [];
  const compare = (password: string, hash: string): Promise<boolean> =>
    new Promise<boolean>((resolve) => calls.push({ password, settle: (ok) => resolve(ok && bcrypt.compareSync(password, hash)) }));
  return { calls, compare };
}

/** Lets queued promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const HASH = bcrypt.hashSync('right', 4);
const WEB = { tls: undefined, basicAuthUsers: new Map([['prometheus', HASH]]), bearerToken: undefined };

/** A checker of {@link WEB} whose bcrypt comparisons are counted. */
function countingChecker(t: Test) {
  const counted = { comparisons: 0 };
  const check = credentialChecker(WEB, {
    compare: async (password, hash) => {
      counted.comparisons++;
      return bcrypt.compareSync(password, hash);
    },
  });
  t.teardown(() => check.close());
  return { check, counted };
}

t.test('50 concurrent requests with the same valid credentials cost one bcrypt check, and all get in', async (t) => {
  const { check, counted } = countingChecker(t);
  const outcomes = await Promise.all(Array.from({ length: 50 }, () => check(basic('prometheus', 'right'), '10.0.0.1')));
  t.same([...new Set(outcomes)], ['ok'], 'every one of the 50 is let in (none 429)');
  t.equal(counted.comparisons, 1, 'one bcrypt comparison for 50 identical credentials');
  t.equal(await check(basic('prometheus', 'right')), 'ok');
  t.equal(counted.comparisons, 1, 'then remembered');
});

t.test('the same wrong password sent again is refused without hashing', async (t) => {
  const { check, counted } = countingChecker(t);
  const first = await Promise.all(Array.from({ length: 10 }, () => check(basic('prometheus', 'wrong'), '10.0.0.9')));
  t.same([...new Set(first)], ['denied']);
  for (let i = 0; i < 10; i++) t.equal(await check(basic('prometheus', 'wrong'), '10.0.0.9'), 'denied');
  t.equal(counted.comparisons, 1, 'one comparison for 20 identical guesses');
});

t.test('a flood from some addresses neither refuses nor delays a login from another', async (t) => {
  const { calls, compare } = manualComparison();
  const check = credentialChecker(WEB, { maxPending: 4, compare });
  t.teardown(() => check.close());
  // The flooding address has failed before: its checks rank behind a clean address's.
  for (let i = 0; i < 3; i++) {
    const failed = check(basic('prometheus', `earlier-${i}`), '192.0.2.66');
    await settle();
    calls.at(-1)?.settle(false);
    t.equal(await failed, 'denied');
  }
  const flood = Array.from({ length: 4 }, (_, i) => check(basic('prometheus', `guess-${i}`), '192.0.2.66'));
  await settle();
  t.equal(calls.length, 4, 'one guess runs, three wait: the queue (4) is full');
  const shed = await check(basic('prometheus', `guess-more`), '192.0.2.66');
  t.equal(shed, 'busy', 'one more guess from the flooding address is shed before hashing');
  const valid = check(basic('prometheus', 'right'), '198.51.100.7');
  t.equal(await flood[3], 'busy', "the clean address's check takes the place of the flood's last one");
  calls[3]?.settle(false);
  await settle();
  t.equal(calls.length, 5);
  t.equal(calls[4]?.password, 'right', 'and runs next, before the flood');
  calls[4]?.settle(true);
  t.equal(await valid, 'ok');
  t.equal(await flood[0], 'denied');
  for (const call of calls.slice(5)) call.settle(false);
  await settle();
  for (const call of calls.slice(5)) call.settle(false);
  t.same(await Promise.all(flood.slice(1, 3)), ['denied', 'denied'], 'the rest of the flood is checked after it');
});

t.test('a check that waited past the limit is answered 429 without hashing (fake clock)', async (t) => {
  let clock = 0;
  const { calls, compare } = manualComparison();
  const check = credentialChecker(WEB, { maxWaitMs: 1000, now: () => clock, compare });
  t.teardown(() => check.close());
  const running = check(basic('prometheus', 'a'), '10.0.0.1');
  const waiting = check(basic('prometheus', 'b'), '10.0.0.2');
  await settle();
  t.equal(calls.length, 1);
  clock += 1500;
  calls[0]?.settle(false);
  t.equal(await running, 'denied');
  t.equal(await waiting, 'busy', 'waited 1.5 s for a 1 s limit');
  t.equal(calls.length, 1, 'never hashed');
});

t.test('right after start, 50 concurrent /probe requests with valid credentials all get in', async (t) => {
  const tls = selfSignedCertificate();
  const double = await startLibreNmsDouble({});
  writeFileSync(join(tls.dir, 'web.yml'), `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('correct horse', 6)}\n`);
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: join(tls.dir, 'web.yml') });
  t.teardown(async () => (await exporter.close(), await double.close(), tls.remove()));
  const statuses = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const response = await request(`${exporter.url}/probe?target=192.168.56.10`, { headers: { authorization: basic('prometheus', 'correct horse') } });
      await response.body.dump();
      return response.statusCode;
    }),
  );
  t.same([...new Set(statuses)], [200], `statuses: ${JSON.stringify(statuses)}`);
});

t.test('the HTTP server bounds the time to receive a request, headers and body', async (t) => {
  const double = await startLibreNmsDouble({});
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.teardown(async () => (await exporter.close(), await double.close()));
  const server = exporter.app.server;
  t.ok(REQUEST_RECEIVE_TIMEOUT_MS > 0 && REQUEST_RECEIVE_TIMEOUT_MS <= 30_000, 'a bound well within a minute');
  t.equal(server.requestTimeout, REQUEST_RECEIVE_TIMEOUT_MS, 'the whole request, body included');
  t.ok(server.headersTimeout > 0 && server.headersTimeout <= server.requestTimeout, 'headers within it (Node ignores a longer one)');
});

t.test('tokens that can never work are configuration errors, naming where they came from and never the token', async (t) => {
  const problems = (env: Record<string, string>, files: Record<string, string> = {}): string => {
    try {
      loadConfig({ LIBRENMS_URL: 'http://127.0.0.1:8000', ...env }, (path) => {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
        return text;
      });
      return '';
    } catch (error) {
      t.type(error, ConfigError);
      return (error as ConfigError).problems.join('\n');
    }
  };
  const token = 'abcdef0123456789';
  t.match(problems({ LIBRENMS_TOKEN: `${token}\u0001` }), /the API token from LIBRENMS_TOKEN contains white space, a control character/);
  t.match(problems({ LIBRENMS_TOKEN: `${token}é` }), /the API token from LIBRENMS_TOKEN contains .* outside ASCII/);
  t.match(problems({ LIBRENMS_TOKEN_FILE: '/t' }, { '/t': `${token}\n${token}\n` }), /the API token from LIBRENMS_TOKEN_FILE contains white space/);
  const instances = 'instances:\n  - name: eu\n    url: http://127.0.0.1:8000\n    token_file: eu.token\n';
  const fromFile = problems(
    { LIBRENMS_INSTANCES_FILE: '/etc/instances.yml', LIBRENMS_URL: '' },
    { '/etc/instances.yml': instances, '/etc/eu.token': `${token}\r\nX` },
  );
  t.match(fromFile, /the API token from LIBRENMS_INSTANCES_FILE instance 1 token_file contains white space/, 'a token_file with a line break inside');
  t.notMatch(fromFile + problems({ LIBRENMS_TOKEN: `${token}\u0001` }), token, 'the token is never echoed');
  t.equal(problems({ LIBRENMS_TOKEN: token }), '', 'a plain token is fine');

  for (const bad of ['user:password', 'two words', 'a\nb']) {
    const web = problems(
      { LIBRENMS_TOKEN: token, WEB_CONFIG_FILE: '/w/web.yml' },
      { '/w/web.yml': 'bearer_token_file: scrape.token\n', '/w/scrape.token': bad },
    );
    t.match(web, /the token in bearer_token_file can never match/, JSON.stringify(bad));
    t.notMatch(web, bad);
  }
  t.equal(
    problems(
      { LIBRENMS_TOKEN: token, WEB_CONFIG_FILE: '/w/web.yml' },
      { '/w/web.yml': 'bearer_token_file: scrape.token\n', '/w/scrape.token': 'abc.DEF-_~+/=\n' },
    ),
    '',
    'a token68 is fine',
  );
});

t.test('RequireAndVerifyClientCert: /healthz (and the image health check) need no certificate, everything else a verified one', async (t) => {
  t.equal(clientCertificateAllowed('RequireAndVerifyClientCert', true, true), true);
  t.equal(clientCertificateAllowed('RequireAndVerifyClientCert', true, false), false);
  t.equal(clientCertificateAllowed('RequireAndVerifyClientCert', false, false), false);
  const server = selfSignedCertificate();
  const clients = clientCertificates();
  const double = await startLibreNmsDouble({});
  const webConfig = join(server.dir, 'web.yml');
  writeFileSync(
    webConfig,
    `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${clients.caFile}\n`,
  );
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token, WEB_CONFIG_FILE: webConfig });
  const port = new URL(exporter.url).port;
  const anonymous = new Agent({ connect: { ca: server.cert } });
  const verified = new Agent({ connect: { ca: server.cert, cert: clients.cert, key: clients.key } });
  const stranger = new Agent({ connect: { ca: server.cert, cert: clients.strangerCert, key: clients.strangerKey } });
  t.teardown(async () => {
    await exporter.close();
    await double.close();
    await Promise.all([anonymous.close(), verified.close(), stranger.close()]);
    server.remove();
    clients.remove();
  });
  const status = async (path: string, dispatcher: Agent): Promise<number> => {
    const response = await request(`https://127.0.0.1:${port}${path}`, { dispatcher });
    await response.body.dump();
    return response.statusCode;
  };
  t.equal(await status('/healthz', anonymous), 200, '/healthz without a certificate');
  t.equal(await status('/metrics', anonymous), 403, '/metrics without a certificate');
  t.equal(await status('/sd', stranger), 403, 'a certificate of another CA');
  t.equal(await status('/metrics', verified), 200, 'a verified certificate');

  // The image's HEALTHCHECK command (exec form), as Docker runs it.
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const exec = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)?.[1];
  t.ok(exec, 'the HEALTHCHECK command is found');
  const [bin, ...args] = JSON.parse(exec ?? '[]') as string[];
  t.equal(bin, 'node');
  // Run asynchronously: the exporter answers from this very process.
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = execFile(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', LISTEN_ADDRESS: `127.0.0.1:${port}` }, timeout: 10_000 });
    child.on('exit', (code) => resolve(code));
  });
  t.equal(exitCode, 0, 'the HEALTHCHECK passes under RequireAndVerifyClientCert');
});

t.test('a 400 quotes a bounded part of what the client sent', async (t) => {
  const double = await startLibreNmsDouble({});
  const exporter = await startExporter({ LIBRENMS_URL: double.url, LIBRENMS_TOKEN: double.token });
  t.teardown(async () => (await exporter.close(), await double.close()));
  const huge = 'x'.repeat(15_000);
  for (const path of [`/probe?target=${huge}`, `/metrics?instance=${huge}`, `/sd?group=${huge}`]) {
    const response = await request(`${exporter.url}${path}`);
    const body = await response.body.text();
    t.equal(response.statusCode, 400, path.slice(0, 20));
    t.ok(body.length < 400, `${path.slice(0, 20)}: ${body.length} characters answered for 15,000 sent`);
  }
});
